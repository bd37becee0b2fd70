#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build DPDK's l2fwd and l3fwd examples (from Debian's dpdk-doc sources) in a
# scratch directory outside the repository, as baselines for tools/bench.
# Nothing built or copied here is ever part of sluice.
#
# Usage: tools/bench/build-dpdk-examples.sh [--link static|shared] [SCRATCH_DIR]
#   --link: how the examples link DPDK (default static: the way sluice's apps
#           link it by default, so that the comparison is of the code, not of
#           the link; see docs/architecture.md, "Build and linking")
#   SCRATCH_DIR defaults to $SLUICE_BENCH_EXAMPLES or /tmp/sluice-bench-examples.
# Prints the directory holding the binaries (SCRATCH_DIR/bin) on its last line.
set -euo pipefail

die() { echo "build-dpdk-examples: error: $*" >&2; exit 1; }

link=static
if [[ ${1:-} == --link ]]; then
	link=${2:-}
	shift 2 || die "--link wants static or shared"
fi
[[ $link == static || $link == shared ]] || die "--link wants static or shared, not '$link'"
src=/usr/share/dpdk/examples
scratch=${1:-${SLUICE_BENCH_EXAMPLES:-/tmp/sluice-bench-examples}}

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "$(realpath -m "$scratch")/" in
"$repo_root"/*) die "scratch dir $scratch is inside the repository; pick one outside it (e.g. /tmp/sluice-bench-examples)" ;;
esac

[[ -d $src/l2fwd && -d $src/l3fwd && -d $src/common ]] ||
	die "$src/{l2fwd,l3fwd,common} not found; install them with: apt-get install dpdk-doc"
command -v make >/dev/null || die "make not found; install it with: apt-get install make"
command -v pkg-config >/dev/null || die "pkg-config not found; install it with: apt-get install pkg-config"
pkg-config --exists libdpdk || die "pkg-config cannot find libdpdk; install it with: apt-get install libdpdk-dev"

# Already built from the same sources (tools/bench/run.sh calls us per step)?
stamp=$scratch/bin/.built-from
want="$link $(stat -c %Y "$src/l2fwd/main.c" "$src/l3fwd/main.c" | tr '\n' ' ')"
if [[ -x $scratch/bin/l2fwd && -x $scratch/bin/l3fwd && -f $stamp && $(cat "$stamp") == "$want" ]]; then
	echo "$scratch/bin"
	exit 0
fi
mkdir -p "$scratch/bin"
for ex in l2fwd l3fwd common; do
	rm -rf "${scratch:?}/$ex"
	cp -r "$src/$ex" "$scratch/$ex"
done

# l3fwd asks for RTE_ETH_RX_OFFLOAD_CHECKSUM at port configure time; the
# virtual devices used by the benchmarks (net_null, net_pcap, net_memif) do
# not offer it and configure fails. Clear the request; with --parse-ptype the
# example classifies packets in software instead.
l3main=$scratch/l3fwd/main.c
grep -q '\.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,' "$l3main" ||
	die "l3fwd/main.c no longer has the rx checksum offload line this script patches; update the sed below"
sed -i 's/\.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,/.offloads = 0, \/* sluice bench: cleared for virtual devices *\//' "$l3main"

# The examples' own static link line (pkg-config --static) names every library
# the static archives of DPDK's dependencies would need, some of which Debian
# ships no development file for: dpdk-static-libs.sh drops those.
make_args=()
if [[ $link == static ]]; then
	mapfile -t static_flags < <("$(dirname "${BASH_SOURCE[0]}")/dpdk-static-libs.sh")
	make_args=("LDFLAGS_STATIC=${static_flags[*]}")
fi

jobs=$(nproc 2>/dev/null || echo 1)
for ex in l2fwd l3fwd; do
	echo "build-dpdk-examples: building $ex ($link) in $scratch/$ex" >&2
	make -C "$scratch/$ex" -j"$jobs" "$link" "${make_args[@]}" >"$scratch/$ex/build.log" 2>&1 ||
		{ tail -n 30 "$scratch/$ex/build.log" >&2; die "building $ex failed (full log: $scratch/$ex/build.log)"; }
	cp "$scratch/$ex/build/$ex-$link" "$scratch/bin/$ex"
done
echo "$want" >"$stamp"
echo "$scratch/bin"
