#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Prepare a Debian 12 machine for sluice: packages, hugepages, build.
#
# Usage: sudo tools/setup.sh [--deps-only | --no-build] [--hugepages N]
#   --deps-only    install missing packages, nothing else
#   --no-build     packages and hugepages, but do not configure/build
#   --hugepages N  2 MiB pages to reserve (default 1024)
# Idempotent: installs only missing packages, never shrinks hugepages,
# reconfigures an existing build directory instead of recreating it.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/opts.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/opts.sh"
say() { echo "setup: $*"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps_only=0 build=1 pages=1024
sl_flag --deps-only deps_only=1
sl_flag --no-build build=0
sl_opt --hugepages pages count
sl_parse_opts "$@"

packages=(
	# DPDK and its example sources (benchmarks build l2fwd/l3fwd from dpdk-doc)
	dpdk dpdk-dev libdpdk-dev dpdk-doc
	# libsluice dependencies and the build
	libhwloc-dev libnuma-dev libpcap-dev libcriterion-dev meson ninja-build pkg-config gcc make
	python3-pyelftools
	# static links against the installed libsluice.pc (libdpdk.pc -> libpcap.pc wants them)
	libsystemd-dev libudev-dev
	# lint (tools/lint.sh, run by CI before the tests; doxygen: tools/doxygen-check.sh)
	clang-format shellcheck doxygen
	# tests and tools: traffic, namespaces, peers
	python3-scapy tcpdump iproute2 iputils-ping socat netcat-openbsd procps util-linux hping3 ethtool iptables
	# benchmarks: the uvloop echo server of tools/bench/tcp-vs-epoll.sh
	python3-uvloop
)

# ---- packages --------------------------------------------------------------
missing=()
for p in "${packages[@]}"; do
	# dpkg-query prints "install ok installed" only for fully installed packages.
	if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true) != "install ok installed" ]]; then
		missing+=("$p")
	fi
done
if ((${#missing[@]})); then
	[[ $(id -u) -eq 0 ]] || sl_die "need root to install: ${missing[*]} (run: sudo tools/setup.sh)"
	command -v apt-get >/dev/null || sl_die "apt-get not found: sluice's setup targets Debian 12; install by hand: ${missing[*]}"
	say "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || sl_die "apt-get update failed: check network access to the Debian mirror and /etc/apt/sources.list"
	apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null ||
		die "apt-get install failed for: ${missing[*]} (see the apt output above)"
else
	say "all ${#packages[@]} packages already installed"
fi
pkg-config --atleast-version=22.11 libdpdk ||
	die "pkg-config finds no libdpdk >= 22.11 (installed: $(pkg-config --modversion libdpdk 2>/dev/null || echo none))"
((deps_only)) && { say "done (--deps-only)"; exit 0; }

# ---- hugepages -------------------------------------------------------------
# Not fatal: tests and tools fall back to --no-huge (tools/eal-mem.sh).
if ! "$repo/tools/hugepages.sh" "$pages"; then
	say "warning: continuing without the hugepage reservation; DPDK processes will use $("$repo/tools/eal-mem.sh")"
fi
((build)) || { say "done (--no-build)"; exit 0; }

# ---- build -----------------------------------------------------------------
cd "$repo"
if [[ -f build/build.ninja ]]; then
	say "reconfiguring existing build/"
	meson setup --reconfigure build || sl_die "meson reconfigure failed (to start over: rm -rf build && tools/setup.sh)"
else
	say "configuring build/"
	meson setup build || sl_die "meson setup failed (see build/meson-logs/meson-log.txt)"
fi
ninja -C build || sl_die "build failed (see the compiler output above; rebuild with: ninja -C build)"
say "done: binaries under build/apps, tests with tools/test.sh"
