#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Check the tree's style: clang-format (the repository's .clang-format) over
# every tracked C file, shellcheck (with .shellcheckrc) over every script,
# a Doxygen comment on every public symbol (tools/doxygen-check.sh).
#
# Usage: tools/lint.sh [--fix]
#   --fix   rewrite C files in place instead of reporting them
# Exit status: 0 clean, 1 a finding, 2 a missing tool.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fix=0
case ${1:-} in
--fix) fix=1 ;;
-h | --help) awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
"") ;;
*) echo "lint: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

for tool in clang-format shellcheck git; do
	command -v "$tool" >/dev/null || { echo "lint: $tool not found (run tools/setup.sh --deps-only)" >&2; exit 2; }
done

mapfile -t c_files < <(git ls-files '*.c' '*.h')
# Scripts: *.sh plus any tracked file without a suffix whose first line is a
# bash shebang (.ci/run).
mapfile -t sh_files < <(git ls-files | while read -r f; do
	if [[ $f == *.sh ]]; then
		echo "$f"
	elif [[ ${f##*/} != *.* && -f $f ]] && head -n 1 "$f" | grep -q '^#!.*bash'; then
		echo "$f"
	fi
done)

bad=0
if ((fix)); then
	clang-format -i "${c_files[@]}"
else
	for f in "${c_files[@]}"; do
		if ! clang-format "$f" | cmp -s - "$f"; then
			echo "lint: $f is not clang-formatted; see: clang-format $f | diff $f -  (fix: tools/lint.sh --fix)"
			bad=1
		fi
	done
fi
shellcheck -x -f gcc "${sh_files[@]}" || bad=1
# One line per undocumented symbol; skips itself when doxygen is missing.
if doc=$(tools/doxygen-check.sh); then
	doc=${doc#doxygen-check: }
else
	echo "$doc"
	bad=1
fi

((bad == 0)) && echo "lint: ${#c_files[@]} C files formatted, ${#sh_files[@]} scripts pass shellcheck, doxygen: $doc"
exit "$bad"
