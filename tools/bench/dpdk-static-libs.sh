#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Print the linker flags that link DPDK's static archives, one per line:
# libdpdk.pc's static link line (drivers whole, libraries as needed) less the
# names of dependencies Debian ships no development file for (libsystemd,
# wanted by libpcap.a only). Those dependencies are linked shared anyway, as
# sluice's meson.build does for the apps. Used by build-dpdk-examples.sh and
# build-testpmd.sh.
set -euo pipefail
for f in $(pkg-config --static --libs libdpdk); do
	if [[ $f == -l[!:]* && $f != -lrte_* ]]; then
		name=${f#-l}
		[[ $(cc -print-file-name="lib$name.so") == /* || $(cc -print-file-name="lib$name.a") == /* ]] ||
			continue
	fi
	echo "$f"
done
