#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Stage plugins (lib/stage/plugin.c): sluice-fwd loads a .so that registers
# a stage (plugin_stage.c, built with shared_module and not linked with
# libsluice) from [app] plugins, relative to the config file, and from
# --plugin; --list-stages lists it; the stage runs on every packet (its
# "seen" equals what the workers received). Refused, each with a one-line
# error naming the fix: a plugin whose stage name a built-in has (both
# objects named), a plugin file that does not exist (file:line of [app]
# plugins), and a pipeline naming a plugin's stage that was not loaded.
# Usage: plugin.sh SLUICE_FWD SLUICE_GEN PLUGIN_MARK_SO PLUGIN_DUP_SO
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
mark=${3:?usage: plugin.sh SLUICE_FWD SLUICE_GEN PLUGIN_MARK_SO PLUGIN_DUP_SO}
dup=${4:?usage: plugin.sh SLUICE_FWD SLUICE_GEN PLUGIN_MARK_SO PLUGIN_DUP_SO}
source "$(dirname "$0")/lib.sh"
it_init

cp "$mark" "$IT_TMP/plugin_mark.so"
config() { # FILE PLUGINS_LINE: net_null0 through plugin_mark then macswap
	it_write "$1" <<EOT
[app]
stats_interval = 0
$2
[port p0]
dev = net_null0
pipeline = main
[pipeline main]
stages = plugin_mark macswap
EOT
}
config "$IT_TMP/with.ini" "plugins = plugin_mark.so"
config "$IT_TMP/without.ini" ""

"$SLUICE_FWD" --list-stages -- --plugin "$mark" >"$IT_TMP/list.txt" 2>&1 ||
	{ it_show "$IT_TMP/list.txt"; it_fail "--list-stages --plugin failed"; }
grep -qx "plugin_mark" "$IT_TMP/list.txt" || { it_show "$IT_TMP/list.txt"; it_fail "--list-stages does not list the plugin's stage"; }

# run NAME EXPECT_RC CONFIG [ARGS...]: sluice-fwd for one second
run() {
	local name=$1 want=$2 cfg=$3 rc=0
	shift 3
	# shellcheck disable=SC2046 # it_eal prints several EAL words
	timeout -k 5 60 "$SLUICE_FWD" -l 0-1 $(it_eal "plugin-$name") -- --config "$cfg" \
		--duration 1 --quiet --stats-json "$IT_TMP/$name.json" "$@" >"$IT_TMP/$name.log" 2>&1 || rc=$?
	if { [[ $want == ok ]] && ((rc != 0)); } || { [[ $want == fail ]] && ((rc == 0)); }; then
		it_show "$IT_TMP/$name.log"
		it_fail "$name: sluice-fwd exited $rc, wanted $want"
	fi
}
seen_vs_rx() { # NAME: the plugin's stage saw every packet the workers received
	/usr/bin/python3 - "$IT_TMP/$1.json" <<'PY' || it_fail "$1: the plugin's stage did not see every packet"
import json, sys
s = json.load(open(sys.argv[1]))
rx = sum(w["rx"] for w in s["workers"])
seen = sum(st["counters"]["seen"] for w in s["workers"] for st in w["stages"] if st["stage"] == "plugin_mark")
print("plugin: rx", rx, "plugin_mark seen", seen, file=sys.stderr)
sys.exit(0 if rx > 0 and seen == rx else 1)
PY
}

run config-plugins ok "$IT_TMP/with.ini"
seen_vs_rx config-plugins
run cli-plugin ok "$IT_TMP/without.ini" --plugin "$mark"
seen_vs_rx cli-plugin

# expect NAME TEXT: the run failed saying TEXT
expect() {
	grep -qF -- "$2" "$IT_TMP/$1.log" || { it_show "$IT_TMP/$1.log"; it_fail "$1: no '$2'"; }
	it_say "$1 refused: $(grep -F -- "$2" "$IT_TMP/$1.log" | head -1)"
}
run not-loaded fail "$IT_TMP/without.ini"
expect not-loaded "without.ini:8: [pipeline main] stages: no stage type 'plugin_mark'. Fix:"
run name-taken fail "$IT_TMP/without.ini" --plugin "$dup"
expect name-taken "stage type 'macswap' is registered twice: by $(readlink -f "$SLUICE_FWD") and by $dup"
config "$IT_TMP/missing.ini" "plugins = nowhere.so"
run missing fail "$IT_TMP/missing.ini"
expect missing "missing.ini:3: [app] plugins: cannot load plugin $IT_TMP/nowhere.so:"
it_say "PASS"
