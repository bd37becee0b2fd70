#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# TCP echo, one client for every server (issue 3's "same client" comparison):
# sluice-gen's TCP client on CPU 1 against, one after the other,
#   sluice-memif   sluice-echo, one worker on CPU 0, over net_memif (its wire)
#   sluice-afp     sluice-echo, one worker on CPU 0, net_af_packet on a veth
#   sluice-afxdp   sluice-echo, one worker on CPU 0, net_af_xdp on a veth (the
#                  kernel copies frames in and out: veth has no zero copy)
#   epoll          tools/bench/epoll-echo.c, one thread pinned to CPU 0, in a
#                  network namespace behind the same kind of veth
#   asyncio, uvloop  tools/bench/py-echo.py pinned to CPU 0, same veth wire
# sluice-gen reaches the kernel servers (and sluice-afp, sluice-afxdp)
# through net_af_packet on its end of the veth; offloads are off on both ends.
#
# Per point and server: transactions/s, latency p50/p99, the busy fraction of
# CPU 0 and CPU 1 over the run (/proc/stat), the server's busy fraction
# (sluice: its worker's busy cycles, which leave out idle polls; kernel
# servers: CPU 0), server busy cycles per transaction, and ratios against
# epoll: transactions/s, and transactions per server busy cycle.
#
# Read the kernel rows knowing where their work runs: a veth delivers on the
# sending CPU, so the kernel servers' TCP receive path runs in softirq on
# CPU 1 (the client's), not on CPU 0, and their "server busy" leaves it out.
# The per-cycle ratio therefore flatters the kernel servers.
#
# Usage: sudo tools/bench/tcp-vs-epoll.sh [-t SECONDS] [--servers LIST] [--points LIST]
#   --servers: comma list from sluice-memif,sluice-afp,sluice-afxdp,epoll,asyncio,uvloop
#              (default all; sluice-afxdp is left out, with a note, where AF_XDP cannot run)
#   --points:  comma list of CONNSxDEPTH (64 B messages), default 1x1,64x1,64x8
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration=5 servers=sluice-memif,sluice-afp,sluice-afxdp,epoll,asyncio,uvloop points=1x1,64x1,64x8
sl_common_opts time
sl_opt --servers servers
sl_opt --points points
sl_parse_opts "$@"
IFS=, read -ra server_list <<<"$servers"
IFS=, read -ra point_list <<<"$points"
for s in "${server_list[@]}"; do
	case $s in sluice-memif | sluice-afp | sluice-afxdp | epoll | asyncio | uvloop) ;;
	*) sl_die "--servers: unknown server '$s'" ;; esac
done
for p in "${point_list[@]}"; do
	[[ $p =~ ^[0-9]+x[0-9]+$ ]] || sl_die "--points wants CONNSxDEPTH, e.g. 64x8, not '$p'"
done

bench_init tcp-vs-epoll
[[ -x $SLUICE_ECHO && -x $SLUICE_GEN ]] || sl_die "build first (tools/setup.sh): no $SLUICE_ECHO or $SLUICE_GEN"
command -v gcc >/dev/null || sl_die "gcc not found: apt-get install gcc"
command -v ethtool >/dev/null || sl_die "ethtool not found: apt-get install ethtool"
gcc -O2 -o "$SL_TMP/epoll-echo" "$BENCH_DIR/epoll-echo.c" || sl_die "building epoll-echo.c failed"
if ! /usr/bin/python3 -c 'import uvloop' 2>/dev/null; then
	sl_say "note: python3-uvloop missing (apt-get install python3-uvloop): skipping uvloop"
	server_list=("${server_list[@]/uvloop/}")
fi
# AF_XDP: the PMD's libxdp wants bpffs; the kernel needs CONFIG_XDP_SOCKETS.
if [[ " ${server_list[*]} " == *" sluice-afxdp "* ]]; then
	grep -qs ' /sys/fs/bpf bpf ' /proc/mounts || mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true
	if ! grep -qs ' /sys/fs/bpf bpf ' /proc/mounts; then
		sl_say "note: no bpffs at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf): skipping sluice-afxdp"
		server_list=("${server_list[@]/sluice-afxdp/}")
	fi
fi
tsc_hz=$(awk '/^cpu MHz/ {printf "%d", $4 * 1e6; exit}' /proc/cpuinfo)
SRV_IP=10.94.0.2 CLI_IP=10.94.0.1
NS=sl-tve$$ VC=tvc$$ VS=tvs$$

net_down() {
	ip link del "$VC" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
}
sl_on_exit net_down

# veth_up KIND: a fresh veth pair; the server end in a namespace with the
# server's address (kernel servers) or bare in this namespace (sluice-afp).
veth_up() {
	net_down
	if [[ $1 == sluice-afp || $1 == sluice-afxdp ]]; then
		ip link add "$VC" type veth peer name "$VS"
		ip link set "$VS" up
		sl_offloads_off "$VS"
	else
		ip netns add "$NS"
		ip -n "$NS" link set lo up
		ip link add "$VC" type veth peer name "$VS" netns "$NS"
		ip -n "$NS" addr add "$SRV_IP/24" dev "$VS"
		ip -n "$NS" link set "$VS" up
		sl_offloads_off "$NS" "$VS"
	fi
	ip link set "$VC" up
	sl_offloads_off "$VC"
}

cpu_sample() { # -> "busy0 total0 busy1 total1" jiffies from /proc/stat
	awk '$1 == "cpu0" || $1 == "cpu1" {t = 0; for (i = 2; i <= NF; i++) t += $i;
		printf "%d %d ", t - $5 - $6, t} END {print ""}' /proc/stat
}

SRV_PID="" SRV_PREFIX="" SRV_LOG="" SOCK=""
GEN_DEV=()
start_server() {
	local kind=$1
	SRV_LOG=$SL_TMP/srv-$kind.log SRV_PREFIX=""
	case $kind in
	sluice-memif | sluice-afp | sluice-afxdp)
		local vdev
		if [[ $kind == sluice-memif ]]; then
			SOCK=$SL_TMP/tve.sock
			vdev="net_memif0,role=server,socket=$SOCK,rsize=14"
			GEN_DEV=(--vdev "net_memif0,role=client,socket=$SOCK,rsize=14" -- --ports net_memif0)
		elif [[ $kind == sluice-afp ]]; then
			veth_up "$kind"
			# framecnt: the ring rx_desc below asks for (the PMD ignores rx_desc).
			vdev="net_af_packet0,iface=$VS,qpairs=1,framecnt=4096"
			GEN_DEV=(--vdev "net_af_packet0,iface=$VC,qpairs=1" -- --ports net_af_packet0)
		else
			veth_up "$kind"
			vdev="net_af_xdp0,iface=$VS"
			GEN_DEV=(--vdev "net_af_packet0,iface=$VC,qpairs=1" -- --ports net_af_packet0)
		fi
		ECHO_APP_LINES="stage_mbufs = 65536" ECHO_PORT_LINES=$'rx_desc = 4096\ntx_desc = 4096' \
			bench_echo_start "$SRV_LOG" 900 "$vdev" "ip=$SRV_IP/24,tcp_echo=7,udp_echo=0,max_conns=65536,timestamps=on,mss=1460" ||
			true ;;
	epoll)
		veth_up "$kind"
		sl_start "$SRV_LOG" 900 ip netns exec "$NS" "$SL_TMP/epoll-echo" -p 7 -c 0
		SRV_PID=$SL_PID
		GEN_DEV=(--vdev "net_af_packet0,iface=$VC,qpairs=1" -- --ports net_af_packet0) ;;
	asyncio | uvloop)
		veth_up "$kind"
		sl_start "$SRV_LOG" 900 ip netns exec "$NS" /usr/bin/python3 "$BENCH_DIR/py-echo.py" \
			--loop "$kind" --port 7 --cpu 0
		SRV_PID=$SL_PID
		GEN_DEV=(--vdev "net_af_packet0,iface=$VC,qpairs=1" -- --ports net_af_packet0) ;;
	esac
	sleep 1
}
stop_server() {
	sl_stop "$SRV_PID" "$1" "$SRV_LOG"
	[[ -z $SRV_PREFIX ]] || rm -rf "/var/run/dpdk/${SRV_PREFIX:?}"
	[[ -z $SOCK ]] || rm -f "$SOCK"
	SOCK=""
}

# measure KIND CONNS DEPTH: one sluice-gen run; prints one result line
measure() {
	local kind=$1 conns=$2 depth=$3 name=$1-$2x$3 pg b0=0 i0=0 b1=0 i1=0 c0 c1
	pg=$(sl_prefix "gen-$name")
	[[ -z $SRV_PREFIX ]] || read -r b0 i0 <<<"$(bench_sluice_busy "$SRV_PREFIX")"
	c0=$(cpu_sample)
	sl_run "$SL_TMP/$name.gen.log" $((duration + 60)) "$SLUICE_GEN" -l 1 "${EAL_MEM[@]}" --file-prefix "$pg" \
		--no-pci "${GEN_DEV[@]}" --link-wait 10 --tcp "$SRV_IP:7" --local-ip "$CLI_IP" \
		--conns "$conns" --depth "$depth" --msg 64 --duration "$duration" --stats-interval 0 \
		--json "$SL_TMP/$name.json"
	c1=$(cpu_sample)
	[[ -z $SRV_PREFIX ]] || read -r b1 i1 <<<"$(bench_sluice_busy "$SRV_PREFIX")"
	rm -rf "/var/run/dpdk/${pg:?}"
	/usr/bin/python3 - "$kind" "$conns" "$depth" "$SL_TMP/$name.json" "$c0" "$c1" \
		"$((b1 - b0))" "$((i1 - i0))" "$tsc_hz" <<'PY'
import json, sys
kind, conns, depth, jf, c0, c1, db, di, hz = sys.argv[1:10]
db, di, hz = int(db), int(di), float(hz or 0)
a, b = [int(x) for x in c0.split()], [int(x) for x in c1.split()]
cpu0 = (b[0] - a[0]) / max(1, b[1] - a[1])
cpu1 = (b[2] - a[2]) / max(1, b[3] - a[3])
try:
    g = json.load(open(jf))
    tps, p50, p99, res = (g["transactions_per_s"], g["latency_us"]["p50"],
                          g["latency_us"]["p99"], g["result"])
except Exception:
    tps, p50, p99, res = 0, 0, 0, "no-result"
busy = db / (db + di) if db + di > 0 else cpu0
cyc = busy * hz / tps if tps else 0
print(f"R {kind} {conns}x{depth} {tps:.0f} {p50:.1f} {p99:.1f} {cpu0:.2f} {cpu1:.2f} {busy:.2f} {cyc:.0f} {res}")
PY
}

echo "tcp-vs-epoll: $(date -u '+%F %H:%M UTC'), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), ${duration} s per point, 64 B messages; servers CPU 0, sluice-gen CPU 1"
results=$SL_TMP/results.txt
: >"$results"
for kind in "${server_list[@]}"; do
	[[ -n $kind ]] || continue
	sl_lock
	start_server "$kind"
	for p in "${point_list[@]}"; do
		line=$(measure "$kind" "${p%x*}" "${p#*x}")
		echo "$line" >>"$results"
		sl_say "$line"
	done
	stop_server "$kind"
	[[ $kind == sluice-memif ]] || net_down
	sl_unlock
done

/usr/bin/python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 11 or f[0] != "R":
        continue
    rows[(f[1], f[2])] = dict(tps=float(f[3]), p50=float(f[4]), p99=float(f[5]), cpu0=float(f[6]),
                              cpu1=float(f[7]), busy=float(f[8]), cyc=float(f[9]), res=f[10])
print()
print("server: sluice-memif = sluice-echo on memif; sluice-afp = sluice-echo on af_packet/veth;")
print("        sluice-afxdp = sluice-echo on af_xdp/veth (copy mode);")
print("        epoll/asyncio/uvloop: Linux sockets behind af_packet/veth; client: sluice-gen, CPU 1")
print("busy: sluice worker's busy fraction, or CPU 0 for the kernel servers (their TCP receive work")
print("      runs on CPU 1, see the script's header); cyc/tr: server busy cycles per transaction")
print("x epoll: transactions/s ratio; x epoll/cycle: ratio of transactions per server busy cycle")
hdr = f"{'point':<6} {'server':<13} {'trans/s':>10} {'p50 us':>8} {'p99 us':>8} {'cpu0':>5} {'cpu1':>5} {'busy':>5} {'cyc/tr':>7} {'x epoll':>8} {'x epoll/cycle':>14}  result"
print(hdr)
for point in dict.fromkeys(p for _, p in rows):
    base = rows.get(("epoll", point))
    for (kind, p), r in rows.items():
        if p != point:
            continue
        x = xc = "-"
        if base and base["tps"] > 0 and kind != "epoll":
            x = f"{r['tps'] / base['tps']:.2f}"
            if r["cyc"] > 0 and base["cyc"] > 0:
                xc = f"{base['cyc'] / r['cyc']:.2f}"
        print(f"{point:<6} {kind:<13} {r['tps']:>10,.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['cpu0']:>5.2f} "
              f"{r['cpu1']:>5.2f} {r['busy']:>5.2f} {r['cyc']:>7.0f} {x:>8} {xc:>14}  {r['res']}")
PY
