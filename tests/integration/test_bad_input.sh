#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Bad arguments and bad configs: every one must exit non-zero (and not by a
# signal) with one "sluice-fwd: ..." line that names the fix.
# Usage: test_bad_input.sh BUILD_DIR SOURCE_DIR
set -uo pipefail

build=${1:?build dir}
src=${2:?source dir}
fwd="$build/apps/sluice-fwd"
tmp=$(mktemp -d /tmp/sl-bad-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
read -ra mem_args <<<"$("$src/tools/eal-mem.sh" 2>/dev/null || echo "--no-huge -m 256")"
eal=(-l 0-1 --no-pci --file-prefix "sl-bad-$$" "${mem_args[@]}" --log-level=lib.eal:error)

pass=0
fail=0

# expect_error NAME WANT_SUBSTRING ARGS...
expect_error() {
	local name=$1 want=$2
	shift 2
	local out rc line
	out=$(timeout 60 "$fwd" "$@" 2>&1 </dev/null)
	rc=$?
	line=$(grep -m1 '^sluice-fwd: ' <<<"$out" || true)
	if [ "$rc" -eq 0 ] || [ "$rc" -ge 124 ]; then
		echo "FAIL $name: exit code $rc (want 1..123)"
		echo "$out" | tail -5 | sed 's/^/    /'
		fail=$((fail + 1))
	elif [ -z "$line" ] || ! grep -q "Fix:" <<<"$line" || ! grep -qF -- "$want" <<<"$line"; then
		echo "FAIL $name: want one 'sluice-fwd: ... $want ... Fix: ...' line, got:"
		echo "$out" | grep -v '^EAL' | tail -5 | sed 's/^/    /'
		fail=$((fail + 1))
	else
		echo "ok   $name: $line"
		pass=$((pass + 1))
	fi
}

cfg() { # cfg NAME CONTENT -> path
	printf '%b' "$2" >"$tmp/$1.ini"
	echo "$tmp/$1.ini"
}

good=$(cfg good '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = macswap\n')

# Arguments.
expect_error no-app-args "no config file" "${eal[@]}" --vdev net_null0
expect_error no-config "no config file" "${eal[@]}" --vdev net_null0 --
expect_error missing-config-file "cannot open config file" "${eal[@]}" --vdev net_null0 -- --config "$tmp/nope.ini"
expect_error unknown-option "unknown option '--bogus'" "${eal[@]}" --vdev net_null0 -- --config "$good" --bogus
expect_error config-needs-value "needs a value" "${eal[@]}" --vdev net_null0 -- --config
expect_error bad-interval "--stats-interval: 'abc' is not a whole number" "${eal[@]}" --vdev net_null0 -- --config "$good" --stats-interval abc
expect_error negative-duration "--duration: '-1' is not a whole number" "${eal[@]}" --vdev net_null0 -- --config "$good" --duration -1
expect_error stray-argument "unexpected argument" "${eal[@]}" --vdev net_null0 -- --config "$good" extra
expect_error bad-eal-arg "EAL initialisation failed" --no-pci --file-prefix "sl-bad-$$" "${mem_args[@]}" --bogus-eal-flag -- --config "$good"
expect_error one-lcore "no worker lcore" -l 0 --no-pci --file-prefix "sl-bad-$$" "${mem_args[@]}" --vdev net_null0 -- --config "$good"

# Configs that parse but do not fit the machine or the devices.
expect_error unknown-device "cannot attach 'net_nothere0'" "${eal[@]}" -- --config "$(cfg dev '[port p0]\ndev = net_nothere0\npipeline = e\n[pipeline e]\nstages = macswap\n')"
expect_error no-ethdev "no ethdev '0000:99:00.0'" "${eal[@]}" -- --config "$(cfg pci '[port p0]\ndev = 0000:99:00.0\npipeline = e\n[pipeline e]\nstages = macswap\n')"
expect_error bad-devargs "cannot attach" "${eal[@]}" -- --config "$(cfg devargs '[port p0]\ndev = net_nosuchdriver0,x=1\npipeline = e\n[pipeline e]\nstages = macswap\n')"
expect_error too-many-queues "rx_queues" "${eal[@]}" --vdev net_ring0 -- --config "$(cfg rxq '[port p0]\ndev = net_ring0\nrx_queues = 32\npipeline = e\n[pipeline e]\nstages = macswap\n')"
expect_error lcore-not-in-eal "lcore 5 is not an EAL worker lcore" "${eal[@]}" --vdev net_null0 -- --config "$(cfg lc '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = macswap\n[workers]\nlcores = 5\n')"
expect_error stage-takes-no-args "takes no arguments" "${eal[@]}" --vdev net_null0 -- --config "$(cfg sa '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = macswap\nmacswap = fast=1\n')"
expect_error stage-unknown-arg "ip4_lpm: rootes: unknown arg. Fix: use one of routes" "${eal[@]}" --vdev net_null0 -- --config "$(cfg ua '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = ip4_lpm\nip4_lpm = rootes=x\n')"
expect_error routes-missing "routes" "${eal[@]}" --vdev net_null0 -- --config "$(cfg rm '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = ip4_lpm\nip4_lpm = routes=/nonexistent/routes.txt\n')"
printf '10.0.0.0/33 p0 02:00:00:00:00:01\n' >"$tmp/bad-routes.txt"
expect_error routes-bad-line "bad-routes.txt:1" "${eal[@]}" --vdev net_null0 -- --config "$(cfg rb "[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = ip4_lpm\nip4_lpm = routes=$tmp/bad-routes.txt\n")"
expect_error impair-bad-value "loss" "${eal[@]}" --vdev net_null0 -- --config "$(cfg ib '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = impair\nimpair = loss=150\n')"
expect_error unknown-profile "profile" "${eal[@]}" --vdev net_null0 -- --config "$(cfg pr '[port p0]\ndev = net_null0\nprofile = warp\npipeline = e\n[pipeline e]\nstages = macswap\n')"
expect_error app-stage-mbufs "stage_mbufs" "${eal[@]}" --vdev net_null0 -- --config "$(cfg sm '[app]\nstage_mbufs = lots\n[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = macswap\n')"
expect_error echo-ports-range "tcp_echo_ports" "${eal[@]}" --vdev net_null0 -- --config "$(cfg ep '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,tcp_echo_ports=65\n')"
expect_error echo-ports-past-65535 "runs past port 65535" "${eal[@]}" --vdev net_null0 -- --config "$(cfg ep2 '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,tcp_echo=65535,tcp_echo_ports=2\n')"
expect_error frag-max-size "frag_max_size: '100' is not a whole number in 576..65535" "${eal[@]}" --vdev net_null0 -- --config "$(cfg fm '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,frag_max_size=100\n')"
expect_error frag-flows "frag_flows" "${eal[@]}" --vdev net_null0 -- --config "$(cfg ff '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,frag_flows=many\n')"
expect_error tcp-cc "cc: 'bbr' is not one of cubic, newreno or reno" "${eal[@]}" --vdev net_null0 -- --config "$(cfg cc '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,cc=bbr\n')"
expect_error tcp-sack "sack: 'maybe' is not on or off" "${eal[@]}" --vdev net_null0 -- --config "$(cfg sk '[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,sack=maybe\n')"
expect_error config-key "unknown key" "${eal[@]}" --vdev net_null0 -- --config "$(cfg key '[port p0]\ndev = net_null0\npipeline = e\nspeed = 100G\n[pipeline e]\nstages = macswap\n')"

# --help is not an error: exit 0 and show sluice's options.
out=$(timeout 60 "$fwd" "${eal[@]}" -- --help 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && grep -q -- "--config FILE" <<<"$out" && grep -q -- "--stats-interval" <<<"$out"; then
	echo "ok   help: exit 0 with usage"
	pass=$((pass + 1))
else
	echo "FAIL help: exit $rc"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
