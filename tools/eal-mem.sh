#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Print the EAL memory arguments a test or benchmark process should use.
#
#   tools/eal-mem.sh [MIN_FREE_PAGES]   prints e.g. "--in-memory" or "--no-huge -m 512"
#   source tools/eal-mem.sh             sets SL_EAL_MEM (a bash array) instead;
#                                       the threshold then comes from SL_EAL_MIN_FREE
#
# With at least MIN_FREE_PAGES (default 256 = 512 MiB) free 2 MiB hugepages
# and hugetlbfs mounted, use hugepages without files (--in-memory). Otherwise
# fall back to anonymous memory (--no-huge), which is slower but needs no root
# setup; -m 512 is enough for one sluice app, testpmd, or a unit test EAL.
# SL_EAL_NO_HUGE=1 forces the fallback.

sl_eal_mem() {
	local min=${1:-256} free=0
	if [[ ${SL_EAL_NO_HUGE:-0} != 1 ]] && grep -qs ' hugetlbfs ' /proc/mounts; then
		free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
	fi
	if ((free >= min)); then
		echo "--in-memory"
	else
		echo "--no-huge -m ${SL_EAL_NO_HUGE_MB:-512}"
	fi
}

if [[ ${BASH_SOURCE[0]} != "$0" ]]; then
	# shellcheck disable=SC2034,SC2207  # used by the sourcing script; words are fixed flags
	SL_EAL_MEM=($(sl_eal_mem "${SL_EAL_MIN_FREE:-256}"))
else
	set -euo pipefail
	sl_eal_mem "${1:-}"
fi
