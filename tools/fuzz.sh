#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fuzz the tcpip stage (Ethernet/ARP/IPv4/ICMP/UDP/TCP + echo) with libFuzzer,
# ASan and UBSan: builds build-fuzz/ with clang (-Dfuzz=true), seeds a corpus
# with tests/fuzz/make_corpus.py, runs for SECONDS (default 300) and stops by
# itself. A crash, sanitizer report, leak or hang (-timeout) fails the run
# and leaves the input in build-fuzz/crashes/.
# Usage: sudo tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs=${1:-300}
command -v clang >/dev/null || { echo "fuzz.sh: clang not found. Fix: apt-get install clang" >&2; exit 1; }
if [[ ! -d build-fuzz ]]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz tests/fuzz/fuzz_tcpip
mkdir -p build-fuzz/corpus build-fuzz/crashes
/usr/bin/python3 tests/fuzz/make_corpus.py build-fuzz/seeds
# Leaks: libFuzzer's LeakSanitizer check after each input is on by default.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	taskset -c 1 build-fuzz/tests/fuzz/fuzz_tcpip -max_total_time="$secs" -timeout=5 -rss_limit_mb=4096 \
	-max_len=4096 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 \
	build-fuzz/corpus build-fuzz/seeds
