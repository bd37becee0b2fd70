#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (b) Interop with DPDK's own testpmd over memif, both ways round:
#  1. sluice-fwd (server, macswap) <-> testpmd --forward-mode=flowgen (client)
#     for a few seconds: sluice-fwd exits 0 on SIGINT with its final stats,
#     it received packets, echoed all of them (no tx drops) and testpmd
#     received about what sluice sent.
#  2. sluice-gen (server) <-> testpmd --forward-mode=macswap (client): checks
#     the generator against a forwarder nobody here wrote.
# Usage: memif_testpmd.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
command -v "$TESTPMD" >/dev/null || it_skip "$TESTPMD not installed (apt-get install dpdk)"
it_init

# testpmd prints "RX-packets: N ..." per port and once more in the
# "Accumulated forward statistics" block at exit: take the last one.
testpmd_count() { # LOG FIELD
	grep -o "$2: *[0-9]*" "$1" | tail -n 1 | grep -o '[0-9]*$' || echo -1
}

# ---- 1: sluice-fwd macswap <-> testpmd flowgen ----
sock=$IT_TMP/memif1.sock
it_write "$IT_TMP/fwd.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = echo
[pipeline echo]
stages = macswap
EOT
# shellcheck disable=SC2046
it_start "$IT_TMP/fwd.log" 60 "$SLUICE_FWD" --lcores 0@1,1@0 $(it_eal fwd) \
	--vdev "net_memif0,role=server,socket=$sock,$IT_MEMIF_RING" -- \
	--config "$IT_TMP/fwd.ini" --stats-json "$IT_TMP/fwd.json"
fwd=$IT_PID
it_wait_for "$IT_TMP/fwd.log" "running:" 20 || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd did not start"; }
# testpmd's forwarding lcore on cpu 1, sluice's worker on cpu 0. testpmd
# is interactive, fed through a fifo (stdout line-buffered): it stops
# forwarding ("stop", which prints its statistics while the link is still
# up) before sluice-fwd leaves, and quits after (tests/integration/lib.sh,
# "Ending a memif run").
mkfifo "$IT_TMP/tp1.in"
# shellcheck disable=SC2046
IT_STDIN=$IT_TMP/tp1.in it_start "$IT_TMP/testpmd1.log" 60 stdbuf -oL "$TESTPMD" --lcores 0@1,1@1 $(it_eal tp1) \
	--vdev "net_memif0,role=client,socket=$sock,$IT_MEMIF_RING" -- \
	-i --forward-mode=flowgen --txd 1024 --rxd 1024 --burst 32
tp=$IT_PID
exec {tp_in}>"$IT_TMP/tp1.in"
it_wait_for "$IT_TMP/testpmd1.log" "testpmd>" 20 || { it_show "$IT_TMP/testpmd1.log"; it_fail "testpmd did not start"; }
echo start >&"$tp_in"
it_wait_for "$IT_TMP/fwd.log" " rx [0-9.]* tx" 20 || true
sleep 3
echo stop >&"$tp_in"
it_wait_for "$IT_TMP/testpmd1.log" "Accumulated forward statistics" 20 || { it_show "$IT_TMP/testpmd1.log"; it_fail "testpmd did not stop forwarding"; }
it_stop "$fwd"
fwd_rc=$IT_RC
echo quit >&"$tp_in"
exec {tp_in}>&-
it_reap "$tp"
it_show "$IT_TMP/fwd.log"
[[ $fwd_rc -eq 0 ]] || it_fail "sluice-fwd exited $fwd_rc on SIGINT (want 0)"
grep -q "=== final stats" "$IT_TMP/fwd.log" || it_fail "sluice-fwd printed no final stats"
tp_rx=$(grep -A3 "Accumulated forward statistics" "$IT_TMP/testpmd1.log" | testpmd_count /dev/stdin RX-packets)
tp_tx=$(grep -A3 "Accumulated forward statistics" "$IT_TMP/testpmd1.log" | testpmd_count /dev/stdin TX-packets)
[[ $tp_rx -ge 0 && $tp_tx -ge 0 ]] || { it_show "$IT_TMP/testpmd1.log"; it_fail "no accumulated forward statistics from testpmd"; }
it_py "$tp_rx" "$tp_tx" <<'PY' || { it_show "$IT_TMP/testpmd1.log"; it_fail "flowgen run disagrees"; }
import json, sys
tp_rx, tp_tx = int(sys.argv[1]), int(sys.argv[2])
fwd = json.load(open("fwd.json"))
w = fwd["workers"][0]
p0 = fwd["ports"][0]
print(f"sluice-fwd: worker rx {w['rx']} tx {w['tx']} tx_full_drops {w['tx_full_drops']}, "
      f"ethdev rx {p0['rx']} tx {p0['tx']}; testpmd flowgen: TX {tp_tx} RX {tp_rx}")
errs = []
if w["rx"] <= 0:
    errs.append("sluice-fwd received nothing")
# flowgen is unpaced (several Mpps here): when testpmd's core stalls (a
# compile on the shared machine) its rx ring fills and sluice must count the
# drop rather than wait. Every packet is accounted for, and drops stay rare;
# the paced tests (memif-macswap, memif-l2fwd) require zero drops.
if w["rx"] != w["tx"] + w["tx_full_drops"] + w["stage_drops"] + w["bad_port"]:
    errs.append("sluice-fwd lost track: rx != tx + tx_full_drops + stage_drops + bad_port")
if w["stage_drops"] or w["bad_port"]:
    errs.append("macswap dropped packets")
if w["tx_full_drops"] > w["rx"] // 100:
    errs.append(f"more than 1% tx drops ({w['tx_full_drops']})")
# Packets sluice sent after testpmd's last poll, or still in the 1024-entry
# ring, are the only allowed difference.
if not (0 <= w["tx"] - tp_rx <= 2048 + w["tx"] // 100):
    errs.append(f"testpmd received {tp_rx}, sluice sent {w['tx']}")
if tp_tx < w["rx"]:
    errs.append(f"sluice received {w['rx']} > testpmd sent {tp_tx}")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY

# ---- 2: sluice-gen <-> testpmd macswap ----
# The generator is the memif server and starts first: a testpmd client that
# finds no socket fails "start port" and then forwards on a half-started
# port. testpmd as a server is avoided (it may crash when the client leaves).
# testpmd drops whatever waits in its rx queues when it starts forwarding,
# hence --start-delay-ms.
N=20000
RATE=10000 # two seconds, so that testpmd's once-a-second stats see it
sock=$IT_TMP/memif2.sock
# shellcheck disable=SC2046
it_start "$IT_TMP/gen.log" 60 "$SLUICE_GEN" -l 1 $(it_eal gen) \
	--vdev "net_memif0,role=server,socket=$sock,$IT_MEMIF_RING" -- \
	--ports net_memif0 --count $N --rate $RATE --flows 8 --expect macswap \
	--link-wait 20 --start-delay-ms 1500 --json "$IT_TMP/gen.json" "${IT_LINGER[@]}"
gen=$IT_PID
# (DPDK 22.11 memif sockets are abstract by default: no file to wait for.)
it_wait_for "$IT_TMP/gen.log" "waiting up to" 20 || { it_show "$IT_TMP/gen.log"; it_fail "sluice-gen did not set up its port"; }
# shellcheck disable=SC2046
it_start "$IT_TMP/testpmd2.log" 60 "$TESTPMD" --lcores 0@1,1@0 $(it_eal tp2) \
	--vdev "net_memif0,role=client,socket=$sock,$IT_MEMIF_RING" -- \
	--forward-mode=macswap --stats-period 1
tp=$IT_PID
# The generator's run is over and it lingers; testpmd leaves first
# (forwarding stopped before its port closes), then the generator.
it_gen_then_stop "$IT_TMP/gen.log" "$gen" "$tp"
gen_rc=$GEN_RC
cat "$IT_TMP/gen.log"
[[ $gen_rc -eq 0 ]] || { it_show "$IT_TMP/testpmd2.log"; it_fail "sluice-gen against testpmd macswap exited $gen_rc"; }
# testpmd's exit statistics are garbage once the memif peer has gone (ethdev
# counters reset); its periodic NIC statistics while connected are not.
tp_rx=$(grep -o "RX-packets: *[0-9]*" "$IT_TMP/testpmd2.log" | grep -o '[0-9]*$' | sort -n | tail -n 1)
echo "testpmd macswap: largest periodic RX-packets $tp_rx"
[[ -n $tp_rx && $tp_rx -gt 0 && $tp_rx -le $N ]] || { it_show "$IT_TMP/testpmd2.log"; it_fail "testpmd's RX-packets $tp_rx not in 1..$N"; }
it_py "$N" <<'PY' || it_fail "generator counters wrong"
import json, sys
n = int(sys.argv[1]); g = json.load(open("gen.json"))
bad = [k for k, v in (("sent", n), ("received", n), ("lost", 0), ("verify_failed", 0), ("bad", 0)) if g[k] != v]
print("gen vs testpmd:", {k: g[k] for k in ("sent", "received", "lost", "verify_failed", "bad")}, "mismatch:", bad)
sys.exit(1 if bad else 0)
PY
it_say "PASS"
