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
last_out=

# expect_error NAME WANT_SUBSTRING ARGS...
expect_error() {
	local name=$1 want=$2
	shift 2
	local out rc line
	out=$(timeout 60 "$fwd" "$@" 2>&1 </dev/null)
	rc=$?
	last_out=$out
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

# One bad value per parser, from the config file and from stage args: each
# must give the one style "FILE:LINE: [section] KEY: what. Fix: how" (stage
# args: "[pipeline P] LABEL: KEY: ..."). Table: name | want | config body.
style='^sluice-fwd: [^ ]+:[0-9]+: \[[^]]+\]:? [^ ].*\. Fix: .+'
port='[port p0]\ndev = net_null0\npipeline = e\n'
printf '10.0.0.0/8 p0 02:00:zz:00:00:01\n' >"$tmp/mac-routes.txt"
same_style=(
	"no-equals|[pipeline e] 'count flows 1024' has no '='. Fix: write key = value, e.g. count = flows 1024|${port}[pipeline e]\nstages = count\ncount flows 1024\n"
	"dup-section|[app]: section given twice (first at line 1)|[app]\nburst = 32\n${port}[pipeline e]\nstages = macswap\n[app]\nburst = 64\n"
	"dup-key|[app] burst: key given twice in this section (first at line 2)|[app]\nburst = 32\nburst = 64\n${port}[pipeline e]\nstages = macswap\n"
	"trailing-garbage|[app] burst: '32x' is not a whole number in 1..256|[app]\nburst = 32x\n${port}[pipeline e]\nstages = macswap\n"
	"config-bool|[port p0] promiscuous: 'maybe' is not on or off|${port}promiscuous = maybe\n[pipeline e]\nstages = macswap\n"
	"config-word|[port p0] rss: 'sometimes' is not one of auto, off, on or symmetric|${port}rss = sometimes\n[pipeline e]\nstages = macswap\n"
	"config-lcores|[workers] lcores: '1,1' names lcore 1 twice|${port}[pipeline e]\nstages = macswap\n[workers]\nlcores = 1,1\n"
	"config-units|[app] stage_mbufs: '4q' is not a whole number|[app]\nstage_mbufs = 4q\n${port}[pipeline e]\nstages = macswap\n"
	"arg-trailing-garbage|[pipeline e] count: flows: '10x' is not a whole number|${port}[pipeline e]\nstages = count\ncount = flows=10x\n"
	"arg-percent|[pipeline e] impair: loss: '150' is not a percentage 0..100|${port}[pipeline e]\nstages = impair\nimpair = loss=150\n"
	"arg-negative|[pipeline e] impair: seed: '-3' is not a whole number|${port}[pipeline e]\nstages = impair\nimpair = seed=-3\n"
	"arg-fraction|[pipeline e] tcpip: mss: '1460.5' is not a whole number in 88..8960|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,mss=1460.5\n"
	"arg-bool|[pipeline e] tcpip: sack: 'maybe' is not on or off|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,sack=maybe\n"
	"arg-word|[pipeline e] tcpip: cc: 'bbr' is not one of cubic, newreno or reno|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,cc=bbr\n"
	"arg-service|[pipeline e] tcpip: tcp_service: no TCP service 'nope'. Fix: use one of|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,tcp_service=nope:7000\n"
	"arg-service-port|[pipeline e] tcpip: tcp_service: 'upper' has no port. Fix: NAME:PORT|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,tcp_service=upper\n"
	"arg-prefix|[pipeline e] tcpip: ip: '10.0.0.300/24' is not an IPv4 prefix|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.300/24\n"
	"arg-address|[pipeline e] tcpip: gw: '10.0.0.1x' is not an IPv4 address|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,gw=10.0.0.1x\n"
	"arg-size|[pipeline e] tcpip: rcv_buf: '64q' is not a whole number|${port}[pipeline e]\nstages = tcpip\ntcpip = ip=10.0.0.2/24,rcv_buf=64q\n"
	"arg-mac|[pipeline e] l2fwd: dst_mac: '02:00:00:00:00' is not a MAC address|${port}[pipeline e]\nstages = l2fwd\nl2fwd = pairs=p0:p0,dst_mac=p0@02:00:00:00:00\n"
	"routes-mac|mac-routes.txt:1: next hop: '02:00:zz:00:00:01' is not a MAC address|${port}[pipeline e]\nstages = ip4_lpm\nip4_lpm = routes=$tmp/mac-routes.txt\n"
	"arg-dup-key|[pipeline e] impair: loss: key given twice in the args|${port}[pipeline e]\nstages = impair\nimpair = loss=1,loss=2\n"
	"arg-no-equals|[pipeline e] count: 'flows' has no '='|${port}[pipeline e]\nstages = count\ncount = flows\n"
)
for row in "${same_style[@]}"; do
	IFS='|' read -r name want body <<<"$row"
	expect_error "$name" "$want" "${eal[@]}" --vdev net_null0 -- --config "$(cfg "style-$name" "$body")"
	if [ "$(grep -c '^sluice-fwd: ' <<<"$last_out")" -ne 1 ] || ! grep -qE "$style" <<<"$last_out"; then
		echo "FAIL $name-style: not one 'FILE:LINE: [section] key: ... Fix: ...' line:"
		echo "$last_out" | grep -v '^EAL' | tail -3 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done

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

# sluice-echo's --help is its own: what it is, and an echo example (it once
# showed sluice-fwd's macswap example).
echo_bin=${fwd%/sluice-fwd}/sluice-echo
out=$(timeout 60 "$echo_bin" -- --help 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && grep -q "^sluice-echo: the echo service" <<<"$out" &&
	grep -q "^Example: sluice-echo .*echo-tap.ini" <<<"$out"; then
	echo "ok   help-echo: sluice-echo describes itself"
	pass=$((pass + 1))
else
	echo "FAIL help-echo: exit $rc, or not its own text: $(head -1 <<<"$out")"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
