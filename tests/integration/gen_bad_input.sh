#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-gen on bad input: invalid rates, sizes, flows, counts and option
# combinations, a port that does not exist, a port whose link stays down and
# one that cannot start, a malformed routes file. Each must exit 1 with
# exactly one line "sluice-gen: ... Fix: ..." on stderr, never a crash or a
# hang. And --help, before or after "--", prints the usage and exits 0.
# Usage: gen_bad_input.sh SLUICE_GEN
SLUICE_GEN=${1:-${SLUICE_GEN:-}}
SLUICE_FWD=${SLUICE_FWD:-$SLUICE_GEN} # lib.sh checks both; only the generator runs here
source "$(dirname "$0")/lib.sh"
it_init

fails=0
# expect_bad NAME ARGS...: sluice-gen ARGS must exit 1 with one clear line.
expect_bad() {
	local name=$1 rc=0 lines
	shift
	timeout -k 5 30 "$SLUICE_GEN" "$@" >"$IT_TMP/out" 2>"$IT_TMP/err" || rc=$?
	lines=$(grep -c '^sluice-gen: .*Fix: ' "$IT_TMP/err" || true)
	if [[ $rc -ne 1 || $lines -ne 1 ]] || grep -q '^sluice-gen: .*FAILED' "$IT_TMP/err"; then
		echo "BAD $name: exit $rc (want 1), $lines 'sluice-gen: ... Fix:' line(s) (want 1)"
		sed 's/^/    /' "$IT_TMP/err"
		fails=$((fails + 1))
	else
		echo "ok  $name: $(grep '^sluice-gen: ' "$IT_TMP/err")"
	fi
}

# expect_help NAME ARGS...: sluice-gen ARGS prints the usage (every option,
# from the option table) on stdout and exits 0, with nothing on stderr.
expect_help() {
	local name=$1 rc=0
	shift
	timeout -k 5 30 "$SLUICE_GEN" "$@" >"$IT_TMP/out" 2>"$IT_TMP/err" || rc=$?
	if [[ $rc -ne 0 || -s $IT_TMP/err ]] || ! grep -q '^Usage: sluice-gen' "$IT_TMP/out" ||
		! grep -q -- '--search-warmup' "$IT_TMP/out" || ! grep -q -- '--msgs-per-conn' "$IT_TMP/out"; then
		echo "BAD $name: exit $rc (want 0), or no full usage on stdout"
		sed 's/^/    /' "$IT_TMP/err"
		fails=$((fails + 1))
	else
		echo "ok  $name: usage, $(grep -c -- '^  --' "$IT_TMP/out") options"
	fi
}
expect_help help --help
expect_help help-short -h
expect_help help-after-separator -- --help
expect_help help-among-options -- --ports net_null0 --count 5 --help

P=(-- --ports net_null0)
# ---- arguments (rejected before the EAL starts) ----
expect_bad rate-word "${P[@]}" --rate fast
expect_bad rate-unit "${P[@]}" --rate 5Xbps
expect_bad rate-negative "${P[@]}" --rate -5
expect_bad rate-pct-over "${P[@]}" --rate 150%
expect_bad rate-pct-zero "${P[@]}" --rate 0%
expect_bad rate-too-high "${P[@]}" --rate 5G
expect_bad line-rate "${P[@]}" --line-rate 50%
expect_bad size-small "${P[@]}" --size 63
expect_bad size-big "${P[@]}" --size 9000
expect_bad size-word "${P[@]}" --size big
expect_bad linger-word "${P[@]}" --linger soon
expect_bad linger-big "${P[@]}" --linger 99999
expect_bad size-range-reversed "${P[@]}" --size 1000-100
expect_bad size-range-open "${P[@]}" --size 64-
expect_bad size-sweep-fixed "${P[@]}" --size 64 --size-sweep
expect_bad flows-zero "${P[@]}" --flows 0
expect_bad flows-many "${P[@]}" --flows 70000
expect_bad count-negative "${P[@]}" --count -1
expect_bad count-word "${P[@]}" --count lots
expect_bad count-trailing-garbage "${P[@]}" --count 12x
expect_bad expect-word "${P[@]}" --expect bridge
expect_bad src-mac-short "${P[@]}" --src-mac 02:00:00
expect_bad dst-ip-ttl "${P[@]}" --dst-ip 10.0.0.1:300
expect_bad duration-word "${P[@]}" --duration soon
expect_bad queues-zero "${P[@]}" --queues 0
expect_bad no-port -- --count 10
expect_bad unknown-option "${P[@]}" --frobnicate
expect_bad tx-only-expect "${P[@]}" --tx-only --expect macswap
expect_bad window-word "${P[@]}" --window some
expect_bad window-below-burst "${P[@]}" --window 16 --burst 32
expect_bad window-tx-only "${P[@]}" --window 32 --tx-only
expect_bad window-tcp "${P[@]}" --window 32 --tcp 10.0.0.2:7
expect_bad search-min-unit "${P[@]}" --search --rate 10M --search-min 5%
expect_bad search-loss "${P[@]}" --search --search-loss 200
expect_bad trial-zero "${P[@]}" --search --trial-s 0
expect_bad search-warmup-negative "${P[@]}" --search --search-warmup -1
expect_bad tcp-target "${P[@]}" --tcp 10.0.0.2
expect_bad tcp-port "${P[@]}" --tcp 10.0.0.2:70000
expect_bad conns-zero "${P[@]}" --tcp 10.0.0.2:7 --conns 0
expect_bad msg-zero "${P[@]}" --tcp 10.0.0.2:7 --msg 0
expect_bad tcp-range-reversed "${P[@]}" --tcp 10.0.0.2:9-7
expect_bad tcp-range-word "${P[@]}" --tcp 10.0.0.2:7-x
expect_bad hold-alone "${P[@]}" --tcp 10.0.0.2:7 --hold
expect_bad conns-need-ports "${P[@]}" --tcp 10.0.0.2:7 --conns 20000
expect_bad conns-too-many "${P[@]}" --tcp 10.0.0.2:7-70 --conns 2000000

# ---- ports (after the EAL started) ----
# shellcheck disable=SC2046
expect_bad port-missing -l 1 $(it_eal missing) --vdev net_null0 -- --ports net_memif7 --count 10
# a memif server nobody connects to: the link stays down
# shellcheck disable=SC2046
expect_bad port-down -l 1 $(it_eal down) --vdev "net_memif0,role=server,socket=$IT_TMP/down.sock" \
	-- --ports net_memif0 --count 10 --link-wait 1
# a memif client with no server: the port cannot start
# shellcheck disable=SC2046
expect_bad port-no-peer -l 1 $(it_eal nopeer) --vdev "net_memif0,role=client,socket=$IT_TMP/none.sock" \
	-- --ports net_memif0 --count 10 --link-wait 1

# ---- the routes file (read after the EAL started, before any packet) ----
printf '10.1.0.0/16 p0 02:00:00:00:01:01\n10.2.0.0/16 p0\n' >"$IT_TMP/routes-short.txt"
# shellcheck disable=SC2046
expect_bad routes-short-line -l 1 $(it_eal routes) --vdev net_null0 -- --ports net_null0 --count 10 \
	--expect ip4 --routes "$IT_TMP/routes-short.txt" --link-wait 1
printf '10.1.0.0/16 p5 02:00:00:00:01:01\n' >"$IT_TMP/routes-port.txt"
# shellcheck disable=SC2046
expect_bad routes-port -l 1 $(it_eal routesp) --vdev net_null0 -- --ports net_null0 --count 10 \
	--expect ip4 --routes "$IT_TMP/routes-port.txt" --link-wait 1

[[ $fails -eq 0 ]] || it_fail "$fails case(s) without a clear error"
it_say "PASS"
