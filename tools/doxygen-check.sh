#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Check that every public symbol of the installed headers
# (lib/include/sluice/*.h) has a Doxygen comment: runs doxygen with
# docs/Doxyfile and reports, as FILE:LINE: NAME, each "is not documented"
# warning, each enum value without a comment (from doxygen's XML, read with
# python3) and each header without @file. Called by tools/lint.sh.
#
# Usage: tools/doxygen-check.sh [--html DIR]
#   --html DIR  keep the generated HTML API reference in DIR (default: a
#               temporary directory, removed at exit)
# Exit status: 0 all documented (or doxygen not installed: skipped),
# 1 a finding, 2 a usage error.
set -euo pipefail
caller=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/.."

html=""
while (($#)); do
	case $1 in
	--html)
		(($# >= 2)) || { echo "doxygen-check: --html wants a directory" >&2; exit 2; }
		html=$2
		[[ $html == /* ]] || html=$caller/$html
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
# the warnings go is decided here. The XML is for the enum values, which
# doxygen does not warn about.
if ! {
	cat docs/Doxyfile
	echo "OUTPUT_DIRECTORY = $out"
	echo "WARN_LOGFILE = $work/warnings"
	echo "GENERATE_XML = YES"
	echo "XML_OUTPUT = $work/xml"
} |
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

# Warnings read "PATH:LINE: warning: Member NAME (kind) of file|struct S is
# not documented." or "... Compound NAME is not documented."; name each
# finding by its symbol (S.NAME for a member), with the path from the
# repository's root.
repo=$(pwd)
member_re='^Member (.*) \(([a-z ]+)\) of (file|struct|union) ([^ ]+) is not documented'
compound_re='^Compound ([^ ]+) is not documented'
while IFS= read -r line; do
	line=${line#"$repo/"}
	where=${line%%: warning: *}
	text=${line#*: warning: }
	name=""
	if [[ $text =~ $member_re ]]; then
		name=${BASH_REMATCH[1]}
		[[ ${BASH_REMATCH[3]} == file ]] || name=${BASH_REMATCH[4]}.$name
	elif [[ $text =~ $compound_re ]]; then
		name="struct ${BASH_REMATCH[1]}"
	fi
	if [[ -n $name ]]; then
		echo "doxygen-check: $where: $name is not documented (fix: add /** ... */ before it or /**< ... */ after a member)"
		bad=1
	elif [[ -n $line ]]; then
		echo "doxygen-check: note: $where: $text"
	fi
done < <(sort -t: -k1,1 -k2,2n "$work/warnings")

# Enum values: an <enumvalue> of the XML with neither a brief nor a detailed
# description, with the line it is on.
while IFS= read -r line; do
	echo "doxygen-check: ${line#"$repo/"} is not documented (fix: add /**< ... */ after it)"
	bad=1
done < <(python3 - "$work/xml" <<'EOF'
import glob, re, sys, xml.etree.ElementTree as ET
def text(e):
    return "".join(e.itertext()).strip() if e is not None else ""
seen = set()
for f in sorted(glob.glob(sys.argv[1] + "/*.xml")):
    for enum in ET.parse(f).getroot().iter("memberdef"):
        if enum.get("kind") != "enum":
            continue
        loc = enum.find("location")
        for v in enum.iter("enumvalue"):
            key = (loc.get("file"), v.findtext("name"))
            if key in seen or text(v.find("briefdescription")) or text(v.find("detaileddescription")):
                continue
            seen.add(key)
            # Paths are as STRIP_FROM_PATH left them; enum values have no line
            # of their own: take the first line naming it after the enum's.
            path = loc.get("file")
            if not path.startswith("/"):
                path = "lib/include/" + path
            line = int(loc.get("line"))
            with open(path) as h:
                for i, l in enumerate(h.readlines()[line - 1:], line):
                    if re.search(r"\b%s\b" % v.findtext("name"), l):
                        line = i
                        break
            print(f"{path}:{line}: {enum.findtext('name')}.{v.findtext('name')}")
EOF
)

((bad)) && exit 1
echo "doxygen-check: ${#headers[@]} public headers documented (lib/include/sluice/*.h)${html:+, HTML in $out/html}"
