#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (4) TCP echo through `impair` in both directions: one stage before tcpip
# (what the kernel sends us) and one after it (what we send: tcpip emits on
# its NEXT edge, so a stage behind it sees only our output). Loss 3 %,
# reordering 3 %, duplication 1 %, fixed seeds. Every byte must come back
# exactly once and in order (sha256), and sluice must have recovered by
# retransmitting, fast retransmits included.
# Usage: echo_tcp_impair.sh SLUICE_ECHO SLUICE_FWD SLUICE_GEN
SLUICE_ECHO=${1:-${SLUICE_ECHO:-}} SLUICE_FWD=${2:-${SLUICE_FWD:-}} SLUICE_GEN=${3:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/echo_lib.sh"
echo_init

echo_start "tcp_echo=7,msl_ms=500,rcv_buf=65536,snd_buf=65536" "impair:wire_in tcpip impair:wire_out" \
	"wire_in = loss=3,reorder=3,dup=1,seed=11
wire_out = loss=3,reorder=3,dup=1,seed=23" 250
echo_client stream --conns 1 --bytes $((16 << 20)) --timeout 100 ||
	echo_fail "16 MiB echo through impair"
echo_client stream --conns 100 --bytes $((256 << 10)) --timeout 100 ||
	echo_fail "100 x 256 KiB echo through impair"
# 2 MSL is 1 s, but with 3% loss each way a lost FIN or final ACK is only
# repaired by a retransmission timeout, which backs off (one run here left a
# connection closing after 1.5 s). Give closes that long; the table must
# still end empty.
sleep 6
echo_stop
echo_counters | grep -E '^tcp_(retransmits|fast_retransmits|rto_expired|dup_acks_in|ooo_segs|dup_segs|partial_acks)=' >&2
/usr/bin/python3 - "$IT_TMP/echo.json" <<'PY' || it_fail "impair did not impair both directions"
import json, sys
for w in json.load(open(sys.argv[1]))["workers"]:
    for st in w["stages"]:
        if st["stage"] == "impair":
            c = st["counters"]
            print(f"{st['label']}: lost {c['lost']} reordered {c['reordered']} duplicated {c['duplicated']}")
            assert c["lost"] > 0 and c["reordered"] > 0 and c["duplicated"] > 0
PY
echo_expect echo_tcp_bytes -eq $(((16 << 20) + 100 * (256 << 10)))
echo_expect tcp_retransmits -gt 0
echo_expect tcp_fast_retransmits -gt 0
echo_expect tcp_dup_segs -gt 0
echo_expect tcp_conns -eq 0
it_say "PASS"
