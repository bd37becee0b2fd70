#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (d) Two workers on one two-queue port: net_af_packet (qpairs=2) on a veth
# whose other end is in a network namespace; the kernel's fanout hash spreads
# flows over the two queues. scapy in the namespace sends 64 flows x 20
# packets and sniffs the echoes. Checks: every packet echoed, both workers
# received some, and the count stage's per-worker flow sets are disjoint and
# together are exactly the 64 flows (no flow, and so no counter, shared).
# Correctness only: the three lcores share the 2 cpus, rates stay low.
# Usage: af_packet_workers.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || it_skip "network namespaces need root"
command -v ip >/dev/null || it_skip "iproute2 (ip) not installed"
/usr/bin/python3 -c 'import scapy.all' 2>/dev/null || it_skip "python3-scapy not installed"
it_init

FLOWS=64
PER_FLOW=20
ns=sl-test-$$
va=slv$$a
vb=slv$$b
sl_veth "$va" "$vb" "$ns"

it_write "$IT_TMP/fwd.ini" <<EOT
[port p0]
dev = net_af_packet0
rx_queues = 2
pipeline = echo
[pipeline echo]
stages = macswap count
count = flows=1024
[workers]
map = auto
EOT
# shellcheck disable=SC2046
it_start "$IT_TMP/fwd.log" 90 "$SLUICE_FWD" --lcores '0@0,1@1,2@0' $(it_eal fwd) \
	--vdev "net_af_packet0,iface=$va,qpairs=2" -- \
	--config "$IT_TMP/fwd.ini" --stats-json "$IT_TMP/fwd.json" --quiet
fwd=$IT_PID
it_wait_for "$IT_TMP/fwd.log" "running:" 20 || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd did not start"; }
if ! grep -q "worker lcore 1.*p0:0" "$IT_TMP/fwd.log" || ! grep -q "worker lcore 2.*p0:1" "$IT_TMP/fwd.log"; then
	it_show "$IT_TMP/fwd.log"
	it_fail "want lcore 1 on p0:0 and lcore 2 on p0:1"
fi
timeout -k 5 60 ip netns exec "$ns" /usr/bin/python3 "$IT_DIR/af_packet_peer.py" "$vb" $FLOWS $PER_FLOW \
	"$IT_TMP/peer.json" || { it_show "$IT_TMP/fwd.log"; it_fail "the scapy peer failed"; }
it_stop "$fwd"
[[ $IT_RC -eq 0 ]] || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd exited $IT_RC on SIGINT"; }

it_py <<'PY' || { it_show "$IT_TMP/fwd.log"; it_fail "flows were not split cleanly over the workers"; }
import json, sys
peer = json.load(open("peer.json")); fwd = json.load(open("fwd.json"))
errs = []
# Every frame sent must be received and echoed by sluice (its own counters).
# The scapy peer may miss a few echoes itself when its socket overflows on a
# loaded 2-core machine (7 of 1280 once, with sluice's tx at 1280): that is
# the peer's loss, noted, and only a large one fails the test.
dut_rx = sum(w["rx"] for w in fwd["workers"])
dut_tx = sum(w["tx"] for w in fwd["workers"])
if dut_rx != peer["sent"] or dut_tx != peer["sent"]:
    errs.append(f"sluice received {dut_rx} and echoed {dut_tx} of {peer['sent']}")
if peer["echoed"] != peer["sent"]:
    print(f"note: the peer saw {peer['echoed']} of {dut_tx} echoes (its socket's loss)")
if peer["echoed"] < 0.9 * peer["sent"]:
    errs.append(f"the peer saw only {peer['echoed']} of {peer['sent']} echoes")
if peer["bad_mac"]:
    errs.append(f"{peer['bad_mac']} echoes without swapped MACs")
sets = []
for w in fwd["workers"]:
    c = [s for s in w["stages"] if s["stage"] == "count"][0]
    sets.append(set(c.get("flows", [])))
    print(f"worker lcore {w['lcore']}: rx {w['rx']} tx {w['tx']} flows {len(sets[-1])} "
          f"queues {[(q['port'], q['queue'], q['packets']) for q in w['rx_queues']]}")
    if w["rx"] <= 0:
        errs.append(f"worker lcore {w['lcore']} received nothing (fanout put every flow on one queue?)")
    if w["tx_full_drops"] or w["stage_drops"]:
        errs.append(f"worker lcore {w['lcore']} dropped packets")
if len(sets) != 2:
    errs.append(f"want 2 workers, got {len(sets)}")
else:
    if sets[0] & sets[1]:
        errs.append(f"{len(sets[0] & sets[1])} flows seen by both workers")
    want = set(peer["hashes"])
    if sets[0] | sets[1] != want:
        errs.append(f"union of worker flows ({len(sets[0] | sets[1])}) != the {len(want)} flows sent "
                    f"(missing {len(want - (sets[0] | sets[1]))}, extra {len((sets[0] | sets[1]) - want)})")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
