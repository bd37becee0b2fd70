#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the pipeline-in-code example on a pcap of 100 frames: its count stage
# must see all 100 and every frame must leave with its MAC addresses swapped.
# EXAMPLE_BIN: the built example; EXAMPLE_WORK: a scratch directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${EXAMPLE_BIN:?} work=${EXAMPLE_WORK:?}
fail() { echo "pipeline-in-code: FAIL: $*" >&2; exit 1; }

/usr/bin/python3 - "$work/in.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, wrpcap
wrpcap(sys.argv[1], [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
                     IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1000 + i, dport=7) / (b"x" * 18)
                     for i in range(100)])
PY
mem=$("$here/../../tools/eal-mem.sh" 2>/dev/null || echo "--no-huge -m 256")
# shellcheck disable=SC2086 # $mem is several EAL words
timeout -k 5 60 "$bin" -l 0-1 --no-pci --file-prefix "sl-ex-pc-$$" $mem --log-level='*:error' -- \
	"net_pcap0,rx_pcap=$work/in.pcap,tx_pcap=$work/out.pcap" 1 "$work/stats.json" \
	>"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; fail "the example exited with an error"; }

# The figure the app read in process is the one its stats JSON holds.
line=$(grep '^pipeline-in-code: seen' "$work/run.log") || { cat "$work/run.log" >&2; fail "no in-process counts printed"; }
[[ $line == "pipeline-in-code: seen 100 packets; p0 rx 100 tx 100 rx_missed 0" ]] || fail "in-process counts: '$line'"
/usr/bin/python3 - "$work/stats.json" "$work/out.pcap" <<'PY' || fail "wrong counts (above)"
import json, sys
from scapy.all import rdpcap
stats = json.load(open(sys.argv[1]))
seen = sum(c["counters"].get("packets", 0) for w in stats["workers"] for c in w["stages"]
           if c["label"] == "seen")
out = rdpcap(sys.argv[2])
swapped = sum(1 for p in out if p.src == "02:00:00:00:00:02" and p.dst == "02:00:00:00:00:01")
print("pipeline-in-code: seen", seen, "sent", len(out), "swapped", swapped)
sys.exit(0 if seen == 100 and len(out) == 100 and swapped == 100 else 1)
PY
