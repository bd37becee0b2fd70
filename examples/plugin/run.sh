#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Load the ttl_guard plugin into the installed sluice-fwd and run it on a
# pcap of 100 IPv4 frames, 20 of them with TTL 1: 20 expired, 80 passed and
# counted, 80 sent. EXAMPLE_WORK: the plugin's build directory;
# EXAMPLE_PREFIX: where sluice is installed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${EXAMPLE_WORK:?} prefix=${EXAMPLE_PREFIX:?}
fail() { echo "plugin: FAIL: $*" >&2; exit 1; }
fwd=$prefix/bin/sluice-fwd
[[ -x $fwd ]] || fail "no installed sluice-fwd at $fwd"

"$fwd" --list-stages -- --plugin "$work/ttl_guard.so" >"$work/stages.txt" ||
	fail "--list-stages --plugin exited with an error"
grep -qx 'ttl_guard' "$work/stages.txt" || fail "--list-stages does not list ttl_guard"

/usr/bin/python3 - "$work/in.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, wrpcap
wrpcap(sys.argv[1], [Ether() / IP(src="10.0.0.1", dst="10.0.0.2", ttl=1 if i % 5 == 0 else 64) /
                     UDP(sport=1000 + i, dport=7) / (b"x" * 18) for i in range(100)])
PY
mem=$("$here/../../tools/eal-mem.sh" 2>/dev/null || echo "--no-huge -m 256")
# shellcheck disable=SC2086 # $mem is several EAL words
timeout -k 5 60 "$fwd" -l 0-1 --no-pci --file-prefix "sl-ex-pl-$$" $mem --log-level='*:error' \
	--vdev "net_pcap0,rx_pcap=$work/in.pcap,tx_pcap=$work/out.pcap" -- \
	--plugin "$work/ttl_guard.so" --config "$here/ttl-guard.ini" --duration 1 \
	--stats-json "$work/stats.json" --quiet >"$work/run.log" 2>&1 ||
	{ cat "$work/run.log" >&2; fail "sluice-fwd with the plugin exited with an error"; }

# The same, loaded from the config: [app] plugins = ./ttl_guard.so, beside it.
sed 's/^stats_interval = 0$/stats_interval = 0\nplugins = .\/ttl_guard.so/' "$here/ttl-guard.ini" >"$work/with-plugin.ini"
# shellcheck disable=SC2086 # $mem is several EAL words
timeout -k 5 60 "$fwd" -l 0-1 --no-pci --file-prefix "sl-ex-pl2-$$" $mem --log-level='*:error' \
	--vdev "net_pcap0,rx_pcap=$work/in.pcap,tx_pcap=$work/out2.pcap" -- \
	--config "$work/with-plugin.ini" --duration 1 --stats-json "$work/stats2.json" --quiet \
	>"$work/run2.log" 2>&1 || { cat "$work/run2.log" >&2; fail "sluice-fwd with [app] plugins exited with an error"; }

for run in "stats.json out.pcap" "stats2.json out2.pcap"; do
	read -r json pcap <<<"$run"
/usr/bin/python3 - "$work/$json" "$work/$pcap" <<'PY' || fail "wrong counts (above)"
import json, sys
from scapy.all import rdpcap
stats = json.load(open(sys.argv[1]))
got = {}
for w in stats["workers"]:
    for st in w["stages"]:
        for k, v in st["counters"].items():
            got[st["stage"] + "." + k] = got.get(st["stage"] + "." + k, 0) + v
sent = len(rdpcap(sys.argv[2]))
want = {"ttl_guard.expired": 20, "ttl_guard.passed": 80, "count.packets": 80}
print("plugin:", {k: got.get(k) for k in want}, "sent", sent)
sys.exit(0 if all(got.get(k) == v for k, v in want.items()) and sent == 80 else 1)
PY
done
