#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The benchmark suite's one entry point: runs the standard matrix and writes
# docs/PERFORMANCE.md and docs/perf/*.png through tools/bench/report.py.
#   (a) Mpps vs frame size: sluice-fwd macswap vs testpmd macswap vs DPDK l2fwd,
#       device-bound (net_pcap replay, one core; --full: net_null too), and
#       sluice-fwd ip4_lpm vs DPDK l3fwd (LPM)
#   (b) net_memif against a generator on the other core: the DUT's busy
#       cycles/packet against testpmd's
#   (c) TCP echo: sluice-echo vs a Linux epoll server vs asyncio / uvloop, and
#       sluice-echo on memif, af_xdp and af_packet (tcp-vs-epoll.sh)
#   (d) TCP goodput under random loss against Linux (tcp-loss.sh)
#   (e) latency at 10/50/90% of max rate over net_memif (sluice-gen)
#   (f) sluice-gen tx-only against testpmd txonly as a sender (gen-vs-txonly.sh)
# Contenders alternate within each round (A B C A B C ...); tables show the
# median over runs, the spread, and ratios paired with the baseline's run of
# the same round.
#
# Usage: sudo tools/bench/run.sh [--quick | --full] [--out docs/PERFORMANCE.md]
#            [--allow-dirty] [--keep]
#   --quick  (default) 1 run per point, 1 s each: a few minutes, a check that
#            the page is right in shape; the page says so
#   --full   3 runs per point, 64..1518 B, 10000 connections too: ~25 minutes
#   --allow-dirty  measure a tree with uncommitted changes (refused otherwise,
#            as the page could name no commit); the page says so
# Apps: SLUICE_FWD, SLUICE_GEN, SLUICE_ECHO (default build/apps/NAME).
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/../.." && pwd)

mode=quick out=$REPO/docs/PERFORMANCE.md allow_dirty=0 keep=()
while (($#)); do
	case $1 in
	--quick) mode=quick ;;
	--full) mode=full ;;
	--out) out=${2:?}; shift ;;
	--allow-dirty) allow_dirty=1 ;;
	--keep) keep=(--keep) ;;
	-h | --help) awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) echo "run.sh: error: unknown option '$1' (see --help)" >&2; exit 1 ;;
	esac
	shift
done
[[ $(id -u) -eq 0 ]] || { echo "run.sh: error: DPDK needs root here: run with sudo" >&2; exit 1; }
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null ||
	{ echo "run.sh: error: Debian's python3-matplotlib missing: apt-get install python3-matplotlib" >&2; exit 1; }
# What the page measured: the commit, and whether the tree differs from it
# (the page and its plots, this run's own output, do not count).
dirty=$(git -C "$REPO" status --porcelain --untracked-files=no -- . ':(exclude)docs/PERFORMANCE.md' \
	':(exclude)docs/perf' | awk 'NR <= 5 {print $2}' | paste -sd ' ')
[[ -z $dirty || $allow_dirty -eq 1 ]] ||
	{ echo "run.sh: error: uncommitted changes ($dirty): commit them, or --allow-dirty (the page then says so)" >&2; exit 1; }

export SLUICE_FWD=${SLUICE_FWD:-$REPO/build/apps/sluice-fwd}
export SLUICE_GEN=${SLUICE_GEN:-$REPO/build/apps/sluice-gen}
export SLUICE_ECHO=${SLUICE_ECHO:-$REPO/build/apps/sluice-echo}
work=$(mktemp -d /tmp/sluice-bench-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
csv=$work/results.csv
: >"$csv"

if [[ $mode == quick ]]; then
	sizes=(64 512 1518) t=1 r=1 kinds=pcap memif_sizes=(64) conns=1,64 tt=1 lt=1 loss=(--loss "0,1" --sizes 16)
else
	sizes=(64 128 256 512 1024 1518) t=5 r=3 kinds=null,pcap memif_sizes=(64 512 1518) conns=1,64,10000 tt=3 lt=2 loss=()
fi
start=$(date +%s)
steps=()
step() { # run one bench script, keep going when it fails
	local name=$1
	shift
	steps+=("tools/bench/$name $*")
	echo "run.sh: [$(($(date +%s) - start)) s] $name $*" >&2
	"$BENCH/$name" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
		{ echo "run.sh: warning: $name $* failed:" >&2; tail -n 5 "$work/$name.err" >&2; }
}
"$BENCH/build-dpdk-examples.sh" >/dev/null
step device-bound.sh -t "$t" -r "$r" --kinds "$kinds" --size 64 --csv "$csv" "${keep[@]}"
for s in "${sizes[@]:1}"; do
	step device-bound.sh -t "$t" -r "$r" --kinds pcap --groups macswap --size "$s" --csv "$csv" "${keep[@]}"
done
for s in "${memif_sizes[@]}"; do
	step memif.sh -t "$t" -r "$r" --size "$s" --csv "$csv" "${keep[@]}"
done
step tcp-echo.sh -t "$tt" -r "$r" --conns "$conns" --sizes 64,1448 --csv "$csv" "${keep[@]}"
# These two print their results: their per-point lines become CSV here.
step tcp-vs-epoll.sh -t "$tt"
sed -n 's/^[a-z-]*: R /tcp-wires /p' "$work/tcp-vs-epoll.sh.err" | tr ' ' , >>"$csv"
step tcp-loss.sh -r "$r" "${loss[@]}"
awk '$1 ~ /^[0-9.]+$/ && $6 == "linux" {
	l = s = ""; side = "l"
	for (i = 7; i <= NF; i++) {
		if ($i == "|" || $i == "sluice") { side = "s"; continue }
		if (side == "l") l = l (l == "" ? "" : " ") $i; else s = s (s == "" ? "" : " ") $i
	}
	print "tcp-loss," $1 "," $2 "," $3 "," $4 "," $5 "," l "," s
}' "$work/tcp-loss.sh.out" >>"$csv"
step latency.sh -t "$lt" -r "$r" --csv "$csv" "${keep[@]}"
step gen-vs-txonly.sh -t "$t" -r "$r" --size 64 "${keep[@]}"
# "  run 1: testpmd txonly N pps   sluice-gen M pps   ratio R"
awk '$1 == "run" && $4 == "txonly" {sub(/:$/, "", $2); print "gen-txonly,64," $2 "," $5 "," $8}' \
	"$work/gen-vs-txonly.sh.out" >>"$csv"
elapsed=$(($(date +%s) - start))

# The bench scripts' tables say "core c/p: TSC 2600 MHz / rate".
tsc=$(sed -n 's/.*TSC \([0-9][0-9]*\) MHz.*/\1/p' "$work"/*.out 2>/dev/null | sed -n 1p)
{
	echo "mode=$mode"
	echo "command=tools/bench/run.sh --$mode"
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "elapsed=$elapsed"
	echo "commit=$(git -C "$REPO" log -1 --format='%h (%cs)' 2>/dev/null || echo '?')"
	echo "dirty=$dirty"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "cores=$(nproc)"
	echo "tsc_mhz=$tsc"
	echo "kernel=$(uname -r)"
	echo "dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || echo '?') (Debian)"
	echo "linked=$(sed -n 's/^DPDK linked: //p' "$work"/device-bound.sh.out 2>/dev/null | sed -n 1p)"
	echo "steps=$(printf '%s;' "${steps[@]}" | sed "s#$csv#FILE.csv#g; s# --keep##g")"
} >"$work/meta.txt"
mkdir -p "$(dirname "$out")"
/usr/bin/python3 "$BENCH/report.py" --csv "$csv" --meta "$work/meta.txt" --out "$out" \
	--plots "$(dirname "$out")/perf"
[[ ${#keep[@]} -eq 0 ]] || cp "$csv" "$work/meta.txt" "$(dirname "$out")/perf/"
echo "run.sh: wrote $out and $(dirname "$out")/perf/*.png in ${elapsed} s ($mode mode)" >&2
