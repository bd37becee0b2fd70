#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the custom-stage example on a pcap and check what its stage counted and
# what left: 30 UDP datagrams to port 9 filtered, the other 70 frames sent.
# EXAMPLE_BIN: the built example; EXAMPLE_WORK: a scratch directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${EXAMPLE_BIN:?} work=${EXAMPLE_WORK:?}
fail() { echo "custom-stage: FAIL: $*" >&2; exit 1; }

# The app lists its own stage beside the built-in ones, without an EAL.
"$bin" --list-stages >"$work/stages.txt" || fail "--list-stages exited with an error"
grep -qx 'udp_port_filter' "$work/stages.txt" || fail "--list-stages does not list udp_port_filter"
grep -qx 'macswap' "$work/stages.txt" || fail "--list-stages does not list the built-in macswap"
"$bin" --version | grep -qE '^custom-stage [^ ]+ \(DPDK [0-9.]+' || fail "--version: '$("$bin" --version)'"

/usr/bin/python3 "$here/make-input.py" "$work/in.pcap" >/dev/null
mem=$("$here/../../tools/eal-mem.sh" 2>/dev/null || echo "--no-huge -m 256")
# shellcheck disable=SC2086 # $mem is several EAL words
timeout -k 5 60 "$bin" -l 0-1 --no-pci --file-prefix "sl-ex-cs-$$" $mem --log-level='*:error' \
	--vdev "net_pcap0,rx_pcap=$work/in.pcap,tx_pcap=$work/out.pcap" -- \
	--config "$here/custom-stage.ini" --duration 1 --stats-json "$work/stats.json" --quiet \
	>"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; fail "the example exited with an error"; }

/usr/bin/python3 - "$work/stats.json" "$work/out.pcap" <<'PY' || fail "wrong counts (above)"
import json, sys
from scapy.all import rdpcap
stats = json.load(open(sys.argv[1]))
counters = {}
for w in stats["workers"]:
    for st in w["stages"]:
        for k, v in st["counters"].items():
            key = st["stage"] + "." + k
            counters[key] = counters.get(key, 0) + v
sent = len(rdpcap(sys.argv[2]))
want = {"udp_port_filter.filtered": 30, "udp_port_filter.passed": 70, "count.packets": 70}
bad = {k: (counters.get(k), v) for k, v in want.items() if counters.get(k) != v}
print("custom-stage:", {k: counters.get(k) for k in want}, "sent", sent)
sys.exit(1 if bad or sent != 70 else 0)
PY
