#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Check that every public symbol of the installed headers
# (lib/include/sluice/*.h) has a Doxygen comment: runs doxygen with
# docs/Doxyfile and reports each "is not documented" warning as
# FILE:LINE: NAME. Called by tools/lint.sh.
#
# Usage: tools/doxygen-check.sh [--html DIR]
#   --html DIR  keep the generated HTML API reference in DIR (default: a
#               temporary directory, removed at exit)
# Exit status: 0 all documented (or doxygen not installed: skipped),
# 1 a finding, 2 a usage error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

html=""
while (($#)); do
	case $1 in
	--html)
		(($# >= 2)) || { echo "doxygen-check: --html wants a directory" >&2; exit 2; }
		html=$2
		shift 2
		;;
	-h | --help) awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) echo "doxygen-check: unknown option '$1' (try --help)" >&2; exit 2 ;;
	esac
done

if ! command -v doxygen >/dev/null; then
	echo "doxygen-check: skipped, doxygen not installed (run tools/setup.sh --deps-only)"
	exit 0
fi

work=$(mktemp -d /tmp/sl-doxygen.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=${html:-$work/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The settings that matter are in docs/Doxyfile; only where the output and
# the warnings go is decided here.
if ! { cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $work/warnings"; } |
	doxygen - >"$work/log" 2>&1; then
	cat "$work/log" >&2
	echo "doxygen-check: doxygen failed (its output is above)"
	exit 1
fi

headers=(lib/include/sluice/*.h)
bad=0
for h in "${headers[@]}"; do
	if ! grep -q '@file' "$h"; then
		echo "doxygen-check: $h:1: has no @file comment (fix: open it with /** @file <what the header is for> */)"
		bad=1
	fi
done

# Warnings read "PATH:LINE: warning: Member NAME (kind) of file F is not
# documented." or "... Compound NAME is not documented."; name each finding
# by its symbol, with the path from the repository's root.
repo=$(pwd)
while IFS= read -r line; do
	line=${line#"$repo/"}
	where=${line%%: warning: *}
	text=${line#*: warning: }
	if [[ $text == *"is not documented"* ]]; then
		name=$(sed -E 's/^(Member|Compound) //; s/ \((macro definition|function|variable|enumeration|enumvalue|typedef)\).*//; s/ is not documented\.?$//' <<<"$text")
		echo "doxygen-check: $where: $name is not documented (fix: add /** ... */ before it or /**< ... */ after a member)"
		bad=1
	elif [[ -n $line ]]; then
		echo "doxygen-check: note: $where: $text"
	fi
done < <(sort -t: -k1,1 -k2,2n "$work/warnings")

((bad)) && exit 1
echo "doxygen-check: ${#headers[@]} public headers documented (lib/include/sluice/*.h)${html:+, HTML in $out/html}"
