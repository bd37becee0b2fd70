#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Did a change cost speed? The same benchmarks on the binaries of two trees,
# "before" (REV, or a ready build) and "after" (build/ of this tree), in one
# invocation, alternating before and after in every round (the order swaps
# each round), so a change of the shared machine's speed hits both sides:
#   macswap  device-bound.sh, net_pcap 64 B: sluice-fwd macswap Mpps / testpmd
#            macswap Mpps of the same invocation (higher is better)
#   memif    memif.sh --duts testpmd,sluice, 64 B: sluice-fwd's busy cycles
#            per packet / testpmd's of the same invocation (lower is better)
#   gen      gen-vs-txonly.sh, 64 B: sluice-gen tx-only pps / testpmd txonly
#            pps of the same invocation (higher is better)
# Each round runs each script once (-r 1) with SLUICE_FWD / SLUICE_GEN set to
# the side's binaries; testpmd is the same program on both sides, so the
# ratio to it removes most of the machine's drift between invocations.
#
# Per benchmark it prints the median ratio before and after, their range over
# the rounds, after/before, the cycles per packet (macswap and memif: sluice's
# own busy figure; gen: TSC / rate, its sending core polls all the time), how
# many rounds after beat before (paired by round), and the verdict: "within
# noise" when the two sides' ranges overlap, else "faster" or "slower".
#
# Usage: sudo tools/bench/before-after.sh [REV] [--before-build DIR]
#            [--after-build DIR] [-t SECONDS] [-r ROUNDS] [--only LIST] [--keep]
#   REV   the before commit (default: the merge-base of HEAD and main; HEAD~1
#         on main itself). It is exported with `git archive` into a temporary
#         directory and its apps are built there with build/'s meson options
#         (build/meson-private/cmd_line.txt) and compiler
#   --before-build DIR  a ready build directory of the before tree (its
#         apps/sluice-fwd and apps/sluice-gen), e.g. /work/before/build;
#         nothing is built, REV only names it in the output
#   --after-build DIR   default build/ of this tree
#   -t SECONDS  measured seconds per run (default 5)
#   -r ROUNDS   rounds, each running before and after (default 5; fewer than 3
#               give the figures but no verdict)
#   --only LIST comma list from macswap,memif,gen (default all three)
#   --keep      keep the temporary tree, build and logs (printed path)
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/../.." && pwd)

usage() { awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; }
die() { echo "before-after: error: $*" >&2; exit 1; }
say() { echo "before-after: $*" >&2; }

rev="" rev_why="" before_build="" after_build=$REPO/build t=5 rounds=5 only=macswap,memif,gen keep=0
while (($#)); do
	case $1 in
	--before-build) before_build=${2:?}; shift ;;
	--after-build) after_build=${2:?}; shift ;;
	-t | --time) t=${2:?}; shift ;;
	-r | --runs) rounds=${2:?}; shift ;;
	--only) only=${2:?}; shift ;;
	--keep) keep=1 ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option '$1'" ;;
	*) [[ -z $rev ]] || die "one REV only ('$rev', then '$1')"; rev=$1 ;;
	esac
	shift
done
[[ $t =~ ^[1-9][0-9]*$ ]] || die "-t wants whole seconds >= 1"
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "-r wants a count >= 1"
IFS=, read -ra benches <<<"$only"
for b in "${benches[@]}"; do
	[[ $b == macswap || $b == memif || $b == gen ]] || die "--only takes macswap, memif and gen, not '$b'"
done
[[ $(id -u) -eq 0 ]] || die "DPDK needs root here: run with sudo"
for side in "$after_build" ${before_build:+"$before_build"}; do
	[[ -x $side/apps/sluice-fwd && -x $side/apps/sluice-gen ]] ||
		die "$side/apps has no sluice-fwd and sluice-gen: build it first (ninja -C $side)"
done

work=$(mktemp -d /tmp/sluice-before-after.XXXXXX)
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if ((keep)); then
		say "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

# The before tree: a ready build, or REV built here with build/'s options.
if [[ -z $before_build ]]; then
	if [[ -z $rev ]]; then
		rev=$(git -C "$REPO" merge-base HEAD main 2>/dev/null || true)
		rev_why="merge-base of HEAD and main"
		[[ -n $rev && $rev != "$(git -C "$REPO" rev-parse HEAD)" ]] || { rev=HEAD~1 rev_why=HEAD~1; }
	fi
	sha=$(git -C "$REPO" rev-parse --verify --quiet "$rev^{commit}") || die "no commit '$rev' in $REPO"
	[[ -f $after_build/meson-private/cmd_line.txt ]] ||
		die "$after_build is not a meson build directory: its options are the ones to build $rev with"
	# [options] of cmd_line.txt are the -D options build/ was set up with.
	mapfile -t opts < <(awk '/^\[/ {sec = $0; next} sec == "[options]" && / = / {
		k = $0; sub(/ = .*/, "", k); v = $0; sub(/^[^=]* = /, "", v); print "-D" k "=" v}' \
		"$after_build/meson-private/cmd_line.txt")
	cc=$(/usr/bin/python3 -c 'import json, sys
print(" ".join(json.load(open(sys.argv[1]))["host"]["c"]["exelist"]))' \
		"$after_build/meson-info/intro-compilers.json" 2>/dev/null || echo cc)
	say "building $rev ($(git -C "$REPO" log -1 --format='%h %s' "$sha" | cut -c 1-70)) in $work/src"
	say "  with CC='$cc' meson setup ${opts[*]}"
	mkdir -p "$work/src"
	git -C "$REPO" archive "$sha" | tar -x -C "$work/src"
	CC=$cc meson setup "$work/src/build" "$work/src" "${opts[@]}" >"$work/setup.log" 2>&1 ||
		{ keep=1; die "meson setup of $rev failed (log: $work/setup.log)"; }
	ninja -C "$work/src/build" apps/sluice-fwd apps/sluice-gen >"$work/build.log" 2>&1 ||
		{ keep=1; die "building $rev failed (log: $work/build.log)"; }
	before_build=$work/src/build
	rev_name="$(git -C "$REPO" log -1 --format='%h %s' "$sha" | cut -c 1-60) (${rev_why:-$rev})"
else
	rev_name="$before_build${rev:+ ($rev)}"
fi
after_name="$after_build ($(git -C "$REPO" log -1 --format=%h HEAD)$(git -C "$REPO" diff --quiet HEAD -- lib apps 2>/dev/null || echo ' + uncommitted changes'))"

# One line per (bench, side, round): bench,side,round,ratio,cycles_per_packet
results=$work/results.csv
: >"$results"
tsc_mhz=""

# run_bench BENCH SIDE ROUND BUILD: one invocation of the bench's script.
run_bench() {
	local bench=$1 side=$2 round=$3 build=$4 csv=$work/$1-$2-$3.csv out=$work/$1-$2-$3.out
	local line ratio cyc
	export SLUICE_FWD=$build/apps/sluice-fwd SLUICE_GEN=$build/apps/sluice-gen
	case $bench in
	macswap)
		"$BENCH/device-bound.sh" -t "$t" -r 1 --kinds pcap --groups macswap --size 64 --csv "$csv" \
			>"$out" 2>&1 || say "warning: device-bound.sh failed ($out)"
		[[ -n $tsc_mhz ]] || tsc_mhz=$(sed -n 's/.*TSC \([0-9][0-9]*\) MHz.*/\1/p' "$out" | head -n 1)
		# sluice Mpps / testpmd Mpps; sluice's own cycles per packet
		line=$(awk -F, '$4 == "testpmd" {b = $6} $4 == "sluice-macswap" {s = $6; c = $7}
			END {if (b > 0 && s > 0) print s / b, c}' "$csv" 2>/dev/null) ;;
	memif)
		"$BENCH/memif.sh" -t "$t" -r 1 --duts testpmd,sluice --size 64 --csv "$csv" \
			>"$out" 2>&1 || say "warning: memif.sh failed ($out)"
		# sluice busy cycles/pkt / testpmd's; sluice's
		line=$(awk -F, '$4 == "testpmd" {b = $7} $4 == "sluice-macswap" {c = $7}
			END {if (b > 0 && c > 0) print c / b, c}' "$csv" 2>/dev/null) ;;
	gen)
		"$BENCH/gen-vs-txonly.sh" -t "$t" -r 1 --size 64 >"$out" 2>&1 ||
			say "warning: gen-vs-txonly.sh failed ($out)"
		# "  run 1: testpmd txonly N pps   sluice-gen M pps   ratio R"
		line=$(awk -v tsc="${tsc_mhz:-0}" '$1 == "run" && $4 == "txonly" && $5 > 0 && $8 > 0 {
			if (tsc > 0) c = tsc * 1e6 / $8; else c = ""; print $8 / $5, c}' "$out") ;;
	esac
	read -r ratio cyc <<<"$line"
	if [[ -z $ratio ]]; then
		keep=1
		say "$bench $side round $round: no figure (log kept: $out)"
		return 0
	fi
	echo "$bench,$side,$round,$ratio,$cyc" >>"$results"
	say "$bench $side round $round: ratio $(printf %.3f "$ratio")${cyc:+, $(printf %.1f "$cyc") cycles/pkt}"
}

echo "before-after: $(date -u '+%F %H:%M UTC'), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
echo "  before: $rev_name"
echo "  after:  $after_name"
echo "  $rounds rounds x ${t} s per run, 64 B; each round runs both sides, the order swapping every round"
for ((r = 1; r <= rounds; r++)); do
	sides=(before after)
	((r % 2)) || sides=(after before)
	for b in "${benches[@]}"; do
		for s in "${sides[@]}"; do
			if [[ $s == before ]]; then
				run_bench "$b" before "$r" "$before_build"
			else
				run_bench "$b" after "$r" "$after_build"
			fi
		done
	done
done

/usr/bin/python3 - "$results" "$rounds" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    bench, side, rnd, ratio, cyc = (line.rstrip("\n").split(",") + [""])[:5]
    rows[(bench, side)][rnd] = (float(ratio), float(cyc) if cyc else None)
what = {"macswap": ("device-bound macswap, net_pcap 64 B: sluice / testpmd Mpps", True),
        "memif": ("net_memif 64 B: sluice / testpmd busy cycles per packet", False),
        "gen": ("sluice-gen tx-only / testpmd txonly pps, memif 64 B", True)}
print()
for bench, (title, higher) in what.items():
    b, a = rows.get((bench, "before"), {}), rows.get((bench, "after"), {})
    if not b and not a:
        continue
    print(f"{bench}: {title} ({'higher' if higher else 'lower'} is better)")
    if not b or not a:
        print(f"  no figure from the {'before' if not b else 'after'} side: see the warnings above\n")
        continue
    def desc(d):
        v = [x[0] for x in d.values()]
        c = [x[1] for x in d.values() if x[1] is not None]
        cyc = f", {statistics.median(c):.1f} cycles/pkt" if c else ""
        m = statistics.median(v)
        spread = f", spread {100 * (max(v) - min(v)) / m:.1f} %" if len(v) > 1 and m else ""
        return m, min(v), max(v), f"{m:.3f} [{min(v):.3f}-{max(v):.3f}]{spread}{cyc}"
    bm, bmin, bmax, btxt = desc(b)
    am, amin, amax, atxt = desc(a)
    pairs = [a[r][0] / b[r][0] for r in a if r in b and b[r][0]]
    better = sum(1 for p in pairs if (p > 1) == higher and p != 1)
    if len(b) < 3 or len(a) < 3:
        verdict = "no verdict from fewer than 3 rounds a side (-r)"
    elif amax < bmin or amin > bmax:
        verdict = ("FASTER" if (am > bm) == higher else "SLOWER") + " than the rounds' spread"
    else:
        verdict = "within noise (the two sides' ranges overlap)"
    print(f"  before {btxt}")
    print(f"  after  {atxt}")
    print(f"  after/before {am / bm:.3f}; paired by round {statistics.median(pairs):.3f}, "
          f"after better in {better} of {len(pairs)} rounds; {verdict}\n")
PY
