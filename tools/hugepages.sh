#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Reserve 2 MiB hugepages for DPDK and make sure hugetlbfs is mounted.
#
# Usage: tools/hugepages.sh [N]      (N = wanted 2 MiB pages, default 1024 = 2 GiB)
# Idempotent: never shrinks an existing reservation, never mounts twice.
# On failure prints one line saying what went wrong and how to fix it, exits 1.
# Tests and benchmarks do not need this to succeed: see tools/eal-mem.sh.
set -euo pipefail

want=${1:-1024}
sysfs=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
mnt=/dev/hugepages

fail() { echo "hugepages: $*" >&2; exit 1; }

[[ $want =~ ^[0-9]+$ ]] || fail "N must be a number of 2 MiB pages, got '$want' (usage: tools/hugepages.sh [N])"
[[ -e $sysfs ]] || fail "$sysfs is missing: this kernel has no 2 MiB hugepage support (use --no-huge, see tools/eal-mem.sh)"

current=$(<"$sysfs")
if ((current < want)); then
	[[ $(id -u) -eq 0 ]] || fail "need root to reserve $want hugepages (have $current): run 'sudo tools/hugepages.sh $want'"
	# Freshly booted machines have plenty of free memory; fragmented ones may
	# grant fewer pages than asked. Compacting first improves the odds.
	echo 1 >/proc/sys/vm/compact_memory 2>/dev/null || true
	if ! echo "$want" >"$sysfs" 2>/dev/null; then
		fail "cannot write $sysfs (read-only sysfs, e.g. in a container?): reserve hugepages on the host, or run with --no-huge (tools/eal-mem.sh)"
	fi
	got=$(<"$sysfs")
	if ((got < want)); then
		fail "asked for $want 2 MiB pages but the kernel granted $got (not enough free contiguous memory): free memory, reboot, or ask for fewer: tools/hugepages.sh $got"
	fi
fi

if ! mountpoint -q "$mnt" 2>/dev/null && ! grep -qs " $mnt hugetlbfs " /proc/mounts; then
	[[ $(id -u) -eq 0 ]] || fail "need root to mount hugetlbfs on $mnt: run 'sudo tools/hugepages.sh'"
	mkdir -p "$mnt" || fail "cannot create $mnt: create it as root and mount hugetlbfs there"
	mount -t hugetlbfs -o pagesize=2M nodev "$mnt" ||
		fail "cannot mount hugetlbfs on $mnt: check 'dmesg' and that the kernel has CONFIG_HUGETLBFS"
fi

total=$(awk '/^HugePages_Total:/ {print $2}' /proc/meminfo)
free=$(awk '/^HugePages_Free:/ {print $2}' /proc/meminfo)
((total >= want)) || fail "HugePages_Total is $total after setup, wanted $want: see 'grep Huge /proc/meminfo'"
echo "hugepages: $total x 2 MiB reserved ($free free), hugetlbfs on $mnt"
