#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# IPv4 fragments: sluice-echo on net_tap, the kernel in a namespace. Pings
# of 2000 and 4000 B and UDP datagrams of 3000 B leave the kernel in
# fragments (MTU 1500); sluice reassembles them (rte_ip_frag), answers, and
# fragments the answers, which the kernel reassembles: replies arrive and
# the UDP echo is byte-exact. A first fragment whose rest never comes is
# dropped after frag_timeout_ms and counted; overlapping fragments are
# counted as bad. Every count is checked exactly.
# ECHO_WIRE=afp (echo_frag_afp.sh) runs it on net_af_packet over a veth,
# where the kernel reassembles before sluice sees anything: see below.
# Usage: echo_frag.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init
/usr/bin/python3 -c 'import scapy.all' 2>/dev/null || it_skip "python3-scapy not installed"

echo_start "udp_echo=7,tcp_echo=7,frag_timeout_ms=300"
# Unfragmented first, so ARP is settled before the counts that matter.
echo_ns ping -c 1 -W 2 "$ECHO_IP" >/dev/null || { it_show "$IT_TMP/echo.log"; it_fail "no ping reply"; }
if [[ $ECHO_WIRE == afp ]]; then
	# net_af_packet: the kernel reassembles before the ring (the PMD's
	# PACKET_FANOUT_FLAG_DEFRAG), so sluice sees whole datagrams, as large
	# as a ring frame holds (2048 B frames: 1968 B of IPv4). Replies are
	# still fragmented by sluice; larger datagrams arrive cut and are
	# counted in ip_truncated.
	echo_ns ping -c 3 -i 0.2 -W 2 -s 1900 "$ECHO_IP" || echo_fail "no replies to 1900-byte pings"
	echo_client udp --count 20 --size 1900 || echo_fail "UDP echo of 1900-byte datagrams"
	echo_ns ping -c 3 -i 0.2 -W 1 -s 2000 "$ECHO_IP" && echo_fail "2000-byte pings answered on af_packet?"
	sleep 0.3
	echo_stop
	echo_expect icmp_echo_replies -eq 4
	echo_expect udp_echoed -eq 20
	echo_expect ip_frag_in -eq 0
	echo_expect ip_frags_out -eq $((3 * 2 + 20 * 2))
	echo_expect ip_truncated -eq 3
	echo_expect ip_frag_out_failed -eq 0
	it_say "PASS"
	exit 0
fi
echo_ns ping -c 3 -i 0.2 -W 2 -s 2000 "$ECHO_IP" || echo_fail "no replies to 2000-byte pings"
echo_ns ping -c 3 -i 0.2 -W 2 -s 4000 "$ECHO_IP" || echo_fail "no replies to 4000-byte pings"
echo_client udp --count 20 --size 3000 || echo_fail "UDP echo of 3000-byte datagrams"

# scapy from inside the namespace: a lone first fragment (never completed)
# and a datagram in three overlapping pieces. Neither may be answered.
echo_ns /usr/bin/python3 - "$ECHO_IF" "$PEER_IP" "$ECHO_IP" <<'PY' || echo_fail "scapy peer failed"
import sys
from scapy.all import ICMP, IP, UDP, Ether, Raw, conf, get_if_hwaddr, getmacbyip, sendp, sniff
conf.verb = 0
ifc, src, dst = sys.argv[1:4]
eth = Ether(src=get_if_hwaddr(ifc), dst=getmacbyip(dst))
whole = IP(src=src, dst=dst, id=4242) / UDP(sport=4242, dport=7) / Raw(b"a" * 64)
raw = bytes(whole[UDP])
# a first fragment of 32 bytes, MF set: the rest never comes
sendp(eth / IP(src=src, dst=dst, id=4242, proto=17, flags="MF", frag=0) / Raw(raw[:32]), iface=ifc)
# id 4243: [0,40) MF, [24,64) MF overlapping it, [64,72) last: sizes add up to more than the datagram
raw2 = bytes((IP(src=src, dst=dst, id=4243) / UDP(sport=4243, dport=7) / Raw(b"b" * 64))[UDP])
for off, end, mf in ((0, 40, "MF"), (24, 64, "MF"), (64, 72, 0)):
    sendp(eth / IP(src=src, dst=dst, id=4243, proto=17, flags=mf, frag=off // 8) / Raw(raw2[off:end]), iface=ifc)
PY
# Longer than frag_timeout_ms: the lone fragment times out.
sleep 1
echo_stop

# 2000 B ping: 2028 B datagram = 2 fragments; 4000 B: 3; UDP 3000 B: 3028 B = 3.
frags=$((3 * 2 + 3 * 3 + 20 * 3))
echo_expect icmp_echo_requests -eq 7
echo_expect icmp_echo_replies -eq 7
echo_expect udp_echoed -eq 20
echo_expect ip_reassembled -eq 26
echo_expect ip_frag_in -eq $((frags + 1 + 3))
echo_expect ip_frags_out -eq "$frags"
echo_expect ip_frag_timeouts -eq 1
echo_expect ip_frag_bad -eq 3
echo_expect ip_frag_no_room -eq 0
echo_expect ip_frag_off -eq 0
echo_expect ip_frag_out_failed -eq 0
echo_expect ip_fragments_dropped -eq 4
echo_expect udp_bad -eq 0
echo_expect icmp_bad -eq 0
it_say "PASS"
