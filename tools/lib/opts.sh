# SPDX-License-Identifier: BSD-3-Clause
# Messages and options for the project's scripts (tools/lib/proc.sh sources
# it; tools/setup.sh uses it alone). Sourced, not run.
#
#   sl_say MSG / sl_die MSG   "NAME: MSG" / "NAME: error: MSG" on stderr, NAME
#                             the script's ($SL_NAME); sl_die exits 1
# shellcheck shell=bash

SL_NAME=${SL_NAME:-$(basename "$0" .sh)}

sl_say() { echo "$SL_NAME: $*" >&2; }
sl_die() {
	echo "$SL_NAME: error: $*" >&2
	exit 1
}

# A script declares its options, then calls sl_parse_opts "$@":
#   sl_common_opts time runs size csv md keep   the shared ones, checked alike:
#       -t|--time SECONDS -> $duration, -r|--runs N -> $runs, --size BYTES ->
#       $size, --csv FILE -> $csv, --md FILE -> $md, --keep -> SL_KEEP=1
#   sl_opt "-x --long" VAR [CHECK]   an option with a value, stored in VAR
#   sl_flag "--long" 'CODE'          an option without one, runs CODE
# -h/--help prints the header comment of the script (from its third line to
# the first line that is not a comment).
declare -gA SL_OPT_VAR=() SL_OPT_CHECK=() SL_OPT_CODE=()

sl_usage() { awk 'NR > 2 && !/^#/ {exit} NR > 2 {sub(/^# ?/, ""); print}' "$0"; }

sl_opt() {
	local n
	for n in $1; do
		SL_OPT_VAR[$n]=$2
		SL_OPT_CHECK[$n]=${3:-}
	done
}
sl_flag() {
	local n
	for n in $1; do SL_OPT_CODE[$n]=$2; done
}

sl_common_opts() {
	local o
	for o in "$@"; do
		case $o in
		time) sl_opt "-t --time" duration secs ;;
		runs) sl_opt "-r --runs" runs count ;;
		size) sl_opt "--size" size frame ;;
		csv | md) sl_opt "--$o" "$o" ;;
		keep) sl_flag "--keep" SL_KEEP=1 ;;
		*) sl_die "sl_common_opts: no common option '$o'" ;;
		esac
	done
}

# sl_check_value OPTION CHECK VALUE: one wording for every script.
sl_check_value() {
	case $2 in
	secs) [[ $3 =~ ^[0-9]+$ && $3 -ge 1 ]] || sl_die "$1 wants whole seconds >= 1" ;;
	count) [[ $3 =~ ^[0-9]+$ && $3 -ge 1 ]] || sl_die "$1 wants a count >= 1" ;;
	frame) [[ $3 =~ ^[0-9]+$ && $3 -ge 64 && $3 -le 1518 ]] || sl_die "$1 wants 64..1518" ;;
	"") ;;
	*) sl_die "sl_opt: no check '$2'" ;;
	esac
}

sl_parse_opts() {
	local _o
	while (($#)); do
		_o=$1
		if [[ $_o == -h || $_o == --help ]]; then
			sl_usage
			exit 0
		elif [[ -v SL_OPT_VAR[$_o] ]]; then
			(($# >= 2)) || sl_die "$_o wants a value (see --help)"
			sl_check_value "$_o" "${SL_OPT_CHECK[$_o]}" "$2"
			printf -v "${SL_OPT_VAR[$_o]}" '%s' "$2"
			shift 2
		elif [[ -v SL_OPT_CODE[$_o] ]]; then
			eval "${SL_OPT_CODE[$_o]}"
			shift
		else
			sl_usage >&2
			sl_die "unknown option '$_o'"
		fi
	done
}
