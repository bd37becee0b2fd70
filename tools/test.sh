#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build if needed, run every test once, one at a time, and end with one line
# "N passed, N failed". Exits non-zero when a test failed or none ran.
#
# Usage: sudo tools/test.sh [extra `meson test` arguments, e.g. a suite name]
# Runs tools/setup.sh first when build/ has not been configured yet, so it
# works on a fresh machine on its own. tools/noisy.py beside it steals a core
# for milliseconds at a time, as a shared VM does, to check the suite holds.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
die() { echo "test: error: $*" >&2; exit 1; }

if [[ ! -f build/build.ninja ]]; then
	echo "test: build/ is not configured; running tools/setup.sh first"
	tools/setup.sh
fi
ninja -C build || die "build failed (see the compiler output above)"

log=build/meson-logs/testlog.json
rm -f "$log"
# One test at a time: the machines have 2 cores and the integration tests pin
# a generator and a device under test to one core each.
rc=0
meson test -C build --print-errorlogs --num-processes 1 "$@" || rc=$?

# testlog.json holds one JSON object per line, one per test run; meson writes
# none when no test is defined. Skipped tests count as neither passed nor failed.
passed=0 failed=0 skipped=0
if [[ -f $log ]]; then
	read -r passed failed skipped < <(/usr/bin/python3 - "$log" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as f:
    for line in f:
        if not line.strip():
            continue
        result = json.loads(line).get("result")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(passed, failed, skipped)
PY
)
fi
((skipped == 0)) || echo "test: $skipped skipped"
((passed + failed > 0)) || echo "test: error: no tests ran" >&2
((rc == 0 || failed > 0)) || echo "test: error: meson test exited with status $rc" >&2
# The last line, exactly, for people and CI to read.
echo "$passed passed, $failed failed"
((failed == 0 && passed > 0 && rc == 0))
