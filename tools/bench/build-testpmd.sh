#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build dpdk-testpmd from the source of the Debian dpdk package installed
# here, linked statically the way sluice's apps are, in a scratch directory
# outside the repository. Debian ships testpmd linked against DPDK's shared
# libraries only, and that link costs every PMD that allocates or frees mbufs
# a TLS lookup per mbuf (docs/architecture.md, "Build and linking"): with
# this build, testpmd and sluice can be compared linked the same way, e.g.
#
#   TESTPMD=$(tools/bench/build-testpmd.sh | tail -n 1) tools/bench/memif.sh
#
# The source comes from Debian's archive (the .dsc of the installed version,
# then the upstream tarball, checked against the .dsc's SHA-256). Only
# app/test-pmd and two headers it needs are unpacked; testpmd is compiled
# with the flags libdpdk.pc gives (plus -O3) and linked with its static
# archives. One mlx5-only callback, whose source lives in the mlx5 driver,
# is replaced by an empty one (no mlx5 device exists here).
# Nothing built or downloaded here is ever part of sluice.
#
# Usage: tools/bench/build-testpmd.sh [SCRATCH_DIR]
#   SCRATCH_DIR defaults to $SLUICE_BENCH_TESTPMD or /tmp/sluice-bench-testpmd.
# Prints the path of the binary on its last line.
set -euo pipefail

die() { echo "build-testpmd: error: $*" >&2; exit 1; }

scratch=${1:-${SLUICE_BENCH_TESTPMD:-/tmp/sluice-bench-testpmd}}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case "$(realpath -m "$scratch")/" in
"$repo_root"/*) die "scratch dir $scratch is inside the repository; pick one outside it" ;;
esac
for tool in cc curl pkg-config sha256sum tar dpkg-query; do
	command -v "$tool" >/dev/null || die "$tool not found; install it with apt-get (gcc, curl, pkg-config, coreutils, tar, dpkg)"
done
pkg-config --exists libdpdk || die "pkg-config cannot find libdpdk; install it with: apt-get install libdpdk-dev"

version=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) ||
	die "libdpdk-dev is not installed: apt-get install libdpdk-dev"
version=${version#*:} # no epoch in pool file names
bin=$scratch/testpmd-static
stamp=$scratch/.built-from
if [[ -x $bin && -f $stamp && $(cat "$stamp") == "$version" ]]; then
	echo "$bin"
	exit 0
fi
mkdir -p "$scratch"

# fetch NAME: from Debian's pool (main archive, then the security archive).
fetch() {
	local url
	for url in "http://deb.debian.org/debian/pool/main/d/dpdk/$1" \
		"http://deb.debian.org/debian-security/pool/updates/main/d/dpdk/$1"; do
		curl -fsS -o "$scratch/$1" "$url" 2>/dev/null && return 0
	done
	die "cannot download $1 from Debian's archive (no network to deb.debian.org?)"
}

echo "build-testpmd: fetching the source of dpdk $version" >&2
dsc=dpdk_$version.dsc
fetch "$dsc"
# The upstream tarball's line under Checksums-Sha256: " SHA SIZE NAME".
read -r sha _ orig < <(awk '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0}
	on && $3 ~ /\.orig\.tar\./ {print $1, $2, $3; exit}' "$scratch/$dsc") ||
	die "$dsc names no upstream tarball"
if ! echo "$sha  $scratch/$orig" | sha256sum -c --status 2>/dev/null; then
	fetch "$orig"
fi
echo "$sha  $scratch/$orig" | sha256sum -c --status || die "$orig does not match the SHA-256 in $dsc"

src=$scratch/src
rm -rf "$src"
mkdir -p "$src"
tar -xf "$scratch/$orig" -C "$src" --strip-components=1 --wildcards \
	'*/app/test-pmd/*' '*/lib/eal/linux/include/rte_os_shim.h' '*/drivers/net/mlx5/mlx5_testpmd.h' ||
	die "$orig lacks app/test-pmd or the headers it needs"
printf '%s\n' '#include <stdint.h>' \
	'void mlx5_test_avail_thresh_event_handler(uint16_t port_id, uint16_t rxq_id);' \
	'void mlx5_test_avail_thresh_event_handler(uint16_t port_id, uint16_t rxq_id)' \
	'{ (void)port_id; (void)rxq_id; }' >"$src/mlx5_stub.c"

mapfile -t link < <("$(dirname "${BASH_SOURCE[0]}")/dpdk-static-libs.sh")
# DPDK's build configuration decides two optional parts, as testpmd's meson.build does.
# shellcheck disable=SC2046
defines=$(echo '#include <rte_build_config.h>' | cc $(pkg-config --cflags libdpdk) -E -dM -)
sources=()
for f in "$src"/app/test-pmd/*.c; do
	[[ $f == */bpf_cmd.c && $defines != *"RTE_LIB_BPF "* ]] && continue
	sources+=("$f")
done
[[ $defines == *"RTE_HAS_JANSSON "* ]] && link+=(-ljansson)

echo "build-testpmd: compiling and linking (about a minute)" >&2
# shellcheck disable=SC2046  # pkg-config prints several flags
cc -O3 -DALLOW_EXPERIMENTAL_API -DALLOW_INTERNAL_API -Wno-deprecated-declarations \
	-I"$src/app/test-pmd" -I"$src/lib/eal/linux/include" -I"$src/drivers/net/mlx5" \
	$(pkg-config --cflags libdpdk) "${sources[@]}" "$src/mlx5_stub.c" \
	-o "$bin.tmp" "${link[@]}" >"$scratch/build.log" 2>&1 ||
	die "build failed; see $scratch/build.log"
mv "$bin.tmp" "$bin"
echo "$version" >"$stamp"
echo "$bin"
