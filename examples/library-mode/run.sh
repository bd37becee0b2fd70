#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the library-mode example on a pcap of 100 frames, 25 of them with the
# ETH type of ARP: the pipeline "count:seen macswap" must see all 100 and
# the application must send all 100 with their MAC addresses swapped. Then
# with "count:seen drop": all dropped, nothing sent. A pipeline with a
# vector stage (tcpip) must be refused with the reason. EXAMPLE_BIN: the
# built example; EXAMPLE_WORK: a scratch directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${EXAMPLE_BIN:?} work=${EXAMPLE_WORK:?}
fail() { echo "library-mode: FAIL: $*" >&2; exit 1; }

/usr/bin/python3 - "$work/in.pcap" <<'PY'
import sys
from scapy.all import ARP, Ether, IP, UDP, wrpcap
wrpcap(sys.argv[1], [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
                     (ARP() if i % 4 == 0 else IP(src="10.0.0.1", dst="10.0.0.2") / UDP(dport=7) / (b"x" * 18))
                     for i in range(100)])
PY
mem=$("$here/../../tools/eal-mem.sh" 2>/dev/null || echo "--no-huge -m 256")
run() { # NAME STAGES: one second of the example
	# shellcheck disable=SC2086 # $mem is several EAL words
	timeout -k 5 60 "$bin" -l 0 --no-pci --file-prefix "sl-ex-lm-$$-$1" $mem --log-level='*:error' \
		--vdev "net_pcap0,rx_pcap=$work/in.pcap,tx_pcap=$work/$1.pcap" -- 1 "$2" >"$work/$1.log" 2>&1
}
run pass "count:seen macswap" || { cat "$work/pass.log" >&2; fail "the example exited with an error"; }
grep -qx "library-mode: rx 100 passed 100 dropped 0 seen 100 .*" "$work/pass.log" ||
	{ cat "$work/pass.log" >&2; fail "pass: wrong counts"; }
/usr/bin/python3 - "$work/pass.pcap" <<'PY' || fail "pass: not every frame left swapped"
import sys
from scapy.all import rdpcap
out = rdpcap(sys.argv[1])
ok = sum(1 for p in out if p.src == "02:00:00:00:00:02" and p.dst == "02:00:00:00:00:01")
print("library-mode: sent", len(out), "swapped", ok)
sys.exit(0 if len(out) == 100 and ok == 100 else 1)
PY
run drop "count:seen drop" || { cat "$work/drop.log" >&2; fail "the example exited with an error (drop)"; }
grep -qx "library-mode: rx 100 passed 0 dropped 100 seen 100 .*" "$work/drop.log" ||
	{ cat "$work/drop.log" >&2; fail "drop: wrong counts"; }
if run refused "count tcpip"; then fail "a vector stage was accepted in library mode"; fi
grep -q "library-mode: \[pipeline main\] tcpip: tcpip is a vector stage .* Fix: run this pipeline on workers" "$work/refused.log" ||
	{ cat "$work/refused.log" >&2; fail "refused: not the expected error"; }
grep '^library-mode: rx' "$work/pass.log"
