#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sl_app_destroy lets one process build, run, stop and rebuild sluice four
# times on one EAL (rebuild.c), from a file, from INI text and from code:
# every round must forward on its hot-plugged net_null port, a config built
# in code with a bad stage argument must be refused with the file's one-line
# error, and no pool may report mbufs still in use at teardown.
# Usage: rebuild.sh SLUICE_FWD SLUICE_GEN REBUILD_BINARY
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
bin=${3:?usage: rebuild.sh SLUICE_FWD SLUICE_GEN REBUILD_BINARY}
source "$(dirname "$0")/lib.sh"
it_init

cat >"$IT_TMP/rebuild.ini" <<'INI'
[app]
stats_interval = 0

[port p0]
dev = net_null0
pipeline = main

[pipeline main]
stages = macswap count

[workers]
map = auto
INI
# shellcheck disable=SC2046 # it_eal prints several EAL words
timeout -k 5 60 "$bin" -l 0-1 $(it_eal rebuild) -- "$IT_TMP/rebuild.ini" "$IT_TMP/round" \
	>"$IT_TMP/rebuild.log" 2>&1 || { it_show "$IT_TMP/rebuild.log"; it_fail "the rebuild program failed"; }
if grep -q "leaked" "$IT_TMP/rebuild.log"; then
	it_show "$IT_TMP/rebuild.log"
	it_fail "a pool still had mbufs in use at teardown"
fi
refusal="rebuild: rebuild-code: [pipeline main] count: flows: 'many' is not"
grep -qF "$refusal" "$IT_TMP/rebuild.log" || {
	it_show "$IT_TMP/rebuild.log"
	it_fail "the bad stage argument was not refused with: $refusal"
}
for round in 1 2 3 4; do
	read -r rx tx peak < <(/usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
w = j["workers"]
print(sum(x["rx"] for x in w), sum(x["tx"] for x in w), max(p["in_use_peak"] for p in j["pools"]))' "$IT_TMP/round-$round.json")
	((peak > 0)) || it_fail "round $round: the JSON's pools show no mbuf ever in use"
	((rx > 0 && tx > 0)) || it_fail "round $round forwarded nothing (rx $rx, tx $tx)"
	# What the app read in process (sluice/sl_stats.h) is what its JSON says.
	grep -qx "rebuild: round $round stats: count.packets $rx workers.rx $rx" "$IT_TMP/rebuild.log" || {
		it_show "$IT_TMP/rebuild.log"
		it_fail "round $round: the in-process counters differ from the JSON's rx $rx"
	}
	it_say "round $round: rx $rx tx $tx"
done
it_say "PASS: four apps in one process (file, text, code twice), a bad one refused, no mbuf left in use"
