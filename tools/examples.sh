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
# libsluice.so exports exactly the functions and data its installed headers
# declare SL_API (built with -fvisibility=hidden).
so=$(find "$dest" -name 'libsluice.so.*' -type f -print -quit)
mapfile -t exported < <(nm -D --defined-only "$so" | awk '$3 !~ /^_/ {print $3}' | sort)
mapfile -t declared < <(sed -n 's/^SL_API .*[ *]\(sl_[a-z0-9_]*\)[[(].*/\1/p' "$dest$prefix"/include/sluice/*.h | sort -u)
if [[ "${exported[*]}" != "${declared[*]}" ]]; then
	say "FAIL libsluice.so exports differ from the SL_API declarations:"
	diff <(printf '%s\n' "${declared[@]}") <(printf '%s\n' "${exported[@]}") | sed 's/^/  /'
	failed=1
else
	say "libsluice.so exports the ${#exported[@]} SL_API symbols of its headers, nothing else"
fi
# docs/embedding.md shows code from the examples: every ```c and ```ini block
# there must appear in some example file, line for line (blank and comment
# lines aside), so the page cannot drift from code that compiles and runs.
/usr/bin/python3 - "$repo/docs/embedding.md" "$repo"/examples/*/*.c "$repo"/examples/*/*.ini <<'PY' || failed=1
import re, sys

def lines(text):
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("//", "/*", "*", ";")):
            continue
        out.append(line)
    return out

doc = open(sys.argv[1]).read()
sources = [lines(open(f).read()) for f in sys.argv[2:]]
bad = 0
for lang, block in re.findall(r"```(c|ini)\n(.*?)```", doc, re.S):
    want = lines(block)
    found = any(want == src[i:i + len(want)] for src in sources for i in range(len(src)))
    if not found:
        print("examples: FAIL docs/embedding.md: this %s block is in no example file:\n%s" % (lang, block))
        bad = 1
print("examples: docs/embedding.md's code blocks %s the examples" % ("differ from" if bad else "match"))
sys.exit(bad)
PY
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
		# Shared, libsluice.so finds the profiles beside itself; a static
		# program outside the prefix is told where they are.
		profiles=()
		[[ $link == static ]] && profiles=("SLUICE_PROFILE_DIR=$dest$prefix/share/sluice/profiles")
		if env "${profiles[@]}" "LD_LIBRARY_PATH=$libdir" "EXAMPLE_BIN=$out/$name" "EXAMPLE_WORK=$out" \
			"EXAMPLE_PREFIX=$dest$prefix" \
			bash "$ex/run.sh"; then
			say "ok $name ($link)"
		else
			say "FAIL $name ($link)"
			failed=1
		fi
	done
done
exit "$failed"
