#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (7) Conformance with crafted segments (scapy, echo_conformance.py): bad
# checksums, truncated headers, bad data offsets and options, fragments,
# illegal flag combinations, out-of-window data and RSTs, SYN in
# ESTABLISHED, SYN/ACK/RST to a closed port, data to a reset connection.
# Each is answered per RFC 9293/5961 or dropped with its counter, and a
# normal kernel client still echoes afterwards. A listener drops segments
# with none of SYN/ACK/RST (bare FIN, no flags: RFC 9293 3.10.7.2), and a
# SYN with a malformed option (length 0, or past the header) is answered, as
# Linux does, from the options before it.
# Usage: echo_tcp_conformance.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init
/usr/bin/python3 -c "import scapy" 2>/dev/null || it_skip "python3-scapy is not installed"

echo_start "tcp_echo=7,msl_ms=500"
echo_ns timeout 120 /usr/bin/python3 "$IT_DIR/echo_conformance.py" "$ECHO_IF" "$ECHO_IP" ||
	echo_fail "crafted-segment checks"
echo_client stream --conns 4 --bytes $((256 << 10)) --timeout 30 || echo_fail "kernel client after the crafted segments"
echo_stop
echo_counters | grep -E '^(ip_|tcp_(short|bad|closed|challenge|out_of|ack_unsent|rst))' >&2
echo_expect ip_bad_checksum -ge 1
echo_expect ip_bad_header -ge 1
echo_expect ip_truncated -ge 1
echo_expect ip_fragments_dropped -ge 1
echo_expect tcp_short -ge 1
echo_expect tcp_bad_checksum -ge 1
echo_expect tcp_bad_header -ge 2
echo_expect tcp_closed_port_rst -ge 2
echo_expect tcp_challenge_acks -ge 2
echo_expect tcp_rst_received -ge 1
echo_expect echo_tcp_bytes -ge $((4 * (256 << 10)))
it_say "PASS"
