#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build every project under examples/ out of tree against an installed sluice
# (meson install of BUILD into a temporary directory), linked shared and
# static, and run each with the checks in its run.sh.
#
# Usage: sudo tools/examples.sh [BUILD]   (default: build)
# Run by the test suite (suite "examples"); needs root for DPDK.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
say() { echo "examples: $*"; }
die() { echo "examples: error: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/sl-examples.XXXXXX)
trap '[[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
dest=$work/root
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; die "meson install failed"; }
pc=$(find "$dest" -name libsluice.pc -print -quit)
[[ -n $pc ]] || die "the install has no libsluice.pc"
libdir=$(dirname "$(dirname "$pc")")
# The .pc files name their paths from ${prefix}: point it at the copy.
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed -i "s|^prefix=.*|prefix=$dest$prefix|" "$(dirname "$pc")"/libsluice*.pc
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
say "installed into $dest (libsluice.pc: ${pc#"$dest"})"

failed=0
for ex in "$repo"/examples/*/; do
	name=$(basename "$ex")
	for link in shared static; do
		out=$work/$name-$link
		if ! meson setup "$out" "$ex" -Dlink="$link" >"$out.log" 2>&1 || ! ninja -C "$out" >>"$out.log" 2>&1; then
			cat "$out.log" >&2
			say "FAIL $name ($link): does not build against the installed package"
			failed=1
			continue
		fi
		# An install outside the loader's path: LD_LIBRARY_PATH (docs/embedding.md).
		if LD_LIBRARY_PATH=$libdir EXAMPLE_BIN=$out/$name EXAMPLE_WORK=$out \
			bash "$ex/run.sh"; then
			say "ok $name ($link)"
		else
			say "FAIL $name ($link)"
			failed=1
		fi
	done
done
exit "$failed"
