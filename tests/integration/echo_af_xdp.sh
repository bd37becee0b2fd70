#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-echo on net_af_xdp: one end of a veth pair in this namespace is the
# AF_XDP port (XDP in copy mode: veth has no zero copy), the other end is in
# the test's namespace with the Linux kernel as the peer. Checks: ping is
# answered, one TCP connection echoes 4 MiB byte-exact (sha256) and 8
# connections 512 KiB each; no tx errors (a chained segment that left
# unlinearized would reach the kernel with a bad checksum and count in
# TcpInCsumErrors, which must stay 0).
# Skipped (77) when AF_XDP cannot run here: no AF_XDP sockets in the kernel,
# no bpffs, or no XDP program can be attached.
# Usage: echo_af_xdp.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
[[ $(id -u) -eq 0 ]] || it_skip "AF_XDP and network namespaces need root"
command -v ip >/dev/null || it_skip "iproute2 (ip) not installed"
command -v ethtool >/dev/null || it_skip "ethtool not installed"
/usr/bin/python3 -c 'import socket; socket.socket(44, socket.SOCK_RAW).close()' 2>/dev/null ||
	it_skip "the kernel has no AF_XDP sockets (CONFIG_XDP_SOCKETS)"
if ! grep -qs ' /sys/fs/bpf bpf ' /proc/mounts; then
	mount -t bpf bpf /sys/fs/bpf 2>/dev/null ||
		it_skip "no bpffs at /sys/fs/bpf and cannot mount one (the af_xdp PMD's libxdp needs it)"
fi
echo_init

va=slx$$a
vb=slx$$b
sl_veth "$va" "$vb" "$ECHO_NS"
echo_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 >/dev/null 2>&1 || true
echo_ns ip addr add "$PEER_IP/24" dev "$vb"
# The kernel would hand sluice partial checksums (CHECKSUM_PARTIAL) and
# 64 KiB TSO frames over a veth: full checksums and MTU-sized frames only.
echo_ns ethtool -K "$vb" tx off tso off gso off >/dev/null 2>&1 || true

it_write "$IT_TMP/echo.ini" <<EOT
[app]
stats_interval = 0
[port p0]
dev = net_af_xdp0
pipeline = host
[pipeline host]
stages = tcpip
tcpip = ip=$ECHO_IP/24,gw=$PEER_IP,tcp_echo=7,udp_echo=7,msl_ms=500
EOT
# shellcheck disable=SC2046
it_start "$IT_TMP/echo.log" 120 "$SLUICE_ECHO" -l 0-1 $(it_eal echo) \
	--vdev "net_af_xdp0,iface=$va" -- --config "$IT_TMP/echo.ini" \
	--stats-json "$IT_TMP/echo.json" --quiet
ECHO_PID=$IT_PID
if ! it_wait_for "$IT_TMP/echo.log" "running:" 30; then
	it_stop "$ECHO_PID"
	if grep -qiE "xsk|xdp|bpf" "$IT_TMP/echo.log" && ! grep -q "^port p0 " "$IT_TMP/echo.log"; then
		it_show "$IT_TMP/echo.log"
		it_skip "net_af_xdp cannot attach to a veth here (log above)"
	fi
	it_show "$IT_TMP/echo.log"
	it_fail "sluice-echo did not start"
fi
echo_ns nstat -n >/dev/null 2>&1 || true

echo_ns ping -c 5 -i 0.2 -W 2 "$ECHO_IP" >"$IT_TMP/ping.log" 2>&1 ||
	{ cat "$IT_TMP/ping.log" >&2; echo_fail "ping over af_xdp"; }
echo_client stream --conns 1 --bytes $((4 << 20)) --timeout 60 || echo_fail "4 MiB echo over af_xdp"
echo_client stream --conns 8 --bytes $((512 << 10)) --timeout 60 || echo_fail "8 x 512 KiB echo over af_xdp"
csum=$(echo_ns nstat -az TcpInCsumErrors 2>/dev/null | awk '$1 == "TcpInCsumErrors" {print $2}')
sleep 1.5 # 2 MSL: TIME_WAIT ends
echo_stop
grep -q "^port p0 .*driver net_af_xdp" "$IT_TMP/echo.log" || it_fail "port p0 is not on net_af_xdp"
[[ ${csum:-0} -eq 0 ]] || it_fail "the kernel saw $csum TCP segments with bad checksums from sluice"
echo_expect icmp_echo_replies -ge 5
echo_expect tcp_passive_opens -eq 9
echo_expect echo_tcp_bytes -eq $(((4 << 20) + 8 * (512 << 10)))
echo_expect tcp_conns -eq 0
it_py <<'PY' || it_fail "port counters"
import json, sys
p = json.load(open("echo.json"))["ports"][0]
print(f"port p0: rx {p['rx']} tx {p['tx']} rx_missed {p['rx_missed']} tx_errors {p['tx_errors']}")
sys.exit(1 if p["tx_errors"] else 0)
PY
it_say "PASS"
