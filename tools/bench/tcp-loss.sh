#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# TCP echo goodput under random loss, sluice-echo against a Linux echo server
# with the same kernel client on the same kind of wire (issue 18's "match
# Linux under loss"; the asserted version is tests/integration/
# echo_tcp_loss.sh). The client (tests/integration/echo_client.py stream,
# one connection, sha256-checked) lives in a network namespace with two veth
# pairs: one to sluice-echo (net_af_packet on the outer end, worker on
# CPU 0), one to tools/bench/epoll-echo.c in a namespace of its own (Linux
# defaults: SACK, RACK, and the machine's congestion control). Offloads are
# off on every veth end. LOSS % of the frames are lost at random on their way
# into each receiver's TCP, each way: iptables on INPUT of the client's
# namespace and of the Linux server's, and for sluice its impair stage in
# front of tcpip (tests/integration/echo_tcp_loss.sh says why not OUTPUT).
# The client's kernel receive work runs off sluice's worker core (RPS).
#
# Per loss level, the Linux server runs while sluice-echo is stopped (its
# worker busy-polls one of the two cores), then sluice-echo; every size is
# echoed RUNS times on each. Goodput is echoed bytes over the client's wall
# time (MB/s, one direction); the ratio is sluice's median time over Linux's
# (below 1: sluice faster). A sluice run that does not finish within
# --timeout counts its goodput so far, shown with ">" on the time ratio.
#
# Usage: sudo tools/bench/tcp-loss.sh [-r RUNS] [--loss LIST] [--sizes LIST]
#                                     [--timeout S] [--md FILE]
#   -r RUNS      runs per point and server (default 3)
#   --loss LIST  comma list of loss percentages each way (default 0,1,3)
#   --sizes LIST comma list of MiB per echo (default 16,100)
#   --timeout S  limit per sluice transfer (default 60)
#   --md FILE    append a Markdown fragment (run.sh reads the table printed
#                on stdout instead)
# Environment: SLUICE_ECHO, TCPIP_ARGS (sluice's tcpip args beyond ip/gw,
# default "tcp_echo=7").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs=3 losses=0,1,3 sizes=16,100 limit=60 md=""
cmdline="tools/bench/tcp-loss.sh $*"
sl_common_opts runs md
sl_opt --loss losses
sl_opt --sizes sizes
sl_opt --timeout limit secs
sl_parse_opts "$@"
IFS=, read -ra loss_list <<<"$losses"
IFS=, read -ra size_list <<<"$sizes"
for l in "${loss_list[@]}"; do [[ $l =~ ^[0-9]+(\.[0-9]+)?$ ]] || sl_die "--loss wants percentages, not '$l'"; done
for s in "${size_list[@]}"; do [[ $s =~ ^[0-9]+$ && $s -ge 1 ]] || sl_die "--sizes wants whole MiB, not '$s'"; done

bench_init tcp-loss
[[ -x $SLUICE_ECHO ]] || sl_die "build first (tools/setup.sh): no $SLUICE_ECHO"
for t in gcc ethtool iptables; do
	command -v "$t" >/dev/null || sl_die "$t not found: sudo tools/setup.sh --deps-only"
done
gcc -O2 -o "$SL_TMP/epoll-echo" "$BENCH_DIR/epoll-echo.c" || sl_die "building epoll-echo.c failed"
CLIENT=$REPO/tests/integration/echo_client.py
TCPIP_ARGS=${TCPIP_ARGS:-tcp_echo=7}

CNS=sl-tlc$$ LNS=sl-tll$$ HOST_IF=tlh$$ CLI_IF=tlc$$ LCLI_IF=tlk$$ LSRV_IF=tls$$
SL_IP=10.95.0.2 SL_PEER=10.95.0.1 LX_IP=10.96.0.2 LX_PEER=10.96.0.1
net_up() {
	sl_veth "$HOST_IF" "$CLI_IF" "$CNS"
	ip netns exec "$CNS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || true
	sl_offloads_off "$HOST_IF"
	sl_offloads_off "$CNS" "$CLI_IF"
	sl_rps_away "$CNS" "$CLI_IF" 0 # sluice's worker: lcore 1 on CPU 0
	ip -n "$CNS" addr add "$SL_PEER/24" dev "$CLI_IF"
	sl_veth "$LCLI_IF" "$LSRV_IF" "$LNS" "$CNS"
	sl_offloads_off "$CNS" "$LCLI_IF"
	sl_offloads_off "$LNS" "$LSRV_IF"
	ip -n "$CNS" addr add "$LX_PEER/24" dev "$LCLI_IF"
	ip -n "$LNS" addr add "$LX_IP/24" dev "$LSRV_IF"
}
loss_set() { # PCT: replace the random-drop rules of both receivers' INPUT
	local ns p
	for ns in "$CNS" "$LNS"; do ip netns exec "$ns" iptables -F INPUT; done
	[[ $1 == 0 ]] && return 0
	p=$(awk -v l="$1" 'BEGIN {printf "%.4f", l / 100}')
	for ns in "$CNS" "$LNS"; do
		ip netns exec "$ns" iptables -A INPUT -m statistic --mode random --probability "$p" -j DROP ||
			sl_die "iptables statistic match failed (kernel module xt_statistic?)"
	done
}

SRV_PID="" SRV_PREFIX=""
sluice_start() { # LOSS: sluice's share of the loss is its impair stage's
	ECHO_STAGES=tcpip ECHO_PIPELINE_LINES=""
	[[ $1 == 0 ]] || ECHO_STAGES="impair:wire_in tcpip" ECHO_PIPELINE_LINES="wire_in = loss=$1,seed=11"
	bench_echo_start "$SL_TMP/sluice-$1.log" 3600 "net_af_packet0,iface=$HOST_IF,qpairs=1" \
		"ip=$SL_IP/24,gw=$SL_PEER,$TCPIP_ARGS" --stats-json "$SL_TMP/sluice-$1.json" --quiet ||
		sl_die "sluice-echo did not start (log: $SL_TMP/sluice-$1.log)"
}
linux_start() {
	sl_start "$SL_TMP/linux-$1.log" 3600 ip netns exec "$LNS" "$SL_TMP/epoll-echo" -p 7
	SRV_PID=$SL_PID
	sl_wait_line "$SL_TMP/linux-$1.log" 'listening' 10 "$SRV_PID" || sl_die "epoll-echo did not start"
}

# xfer HOST MIB TIMEOUT: prints "SECONDS BYTES_BACK OK|TIMEOUT"
xfer() {
	local out=$SL_TMP/xfer.out bytes=$(($2 << 20)) t back
	if ip netns exec "$CNS" /usr/bin/python3 "$CLIENT" --host "$1" stream --conns 1 --bytes "$bytes" \
		--timeout "$3" >"$out" 2>&1; then
		t=$(sed -n 's/.*elapsed=\([0-9.]*\).*/\1/p' "$out")
		echo "$t $bytes OK"
	else
		back=$(sed -n 's/.* \([0-9]*\) bytes back.*/\1/p' "$out")
		[[ -n $back ]] || sl_say "client failed: $(tail -n 1 "$out")"
		echo "$3 ${back:-0} TIMEOUT"
	fi
}

echo "tcp-loss: $(date -u '+%F %H:%M UTC'), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $runs runs per point; loss each way into each receiver (iptables statistic; sluice: impair)"
results=$SL_TMP/results.txt
: >"$results"
sl_lock
net_up
for loss in "${loss_list[@]}"; do
	loss_set "$loss"
	for server in linux sluice; do
		if [[ $server == linux ]]; then linux_start "$loss"; host=$LX_IP; tmo=$((limit * 4)); else sluice_start "$loss"; host=$SL_IP; tmo=$limit; fi
		for mib in "${size_list[@]}"; do
			for ((r = 1; r <= runs; r++)); do
				read -r t b st <<<"$(xfer "$host" "$mib" "$tmo")"
				echo "R $loss $mib $server $r $t $b $st" >>"$results"
				sl_say "loss $loss %, $mib MiB, $server run $r: $t s, $b B back ($st)"
			done
		done
		sl_stop "$SRV_PID" "$server" "$SL_TMP/$server-$loss.log"
		if [[ $server == sluice && -s $SL_TMP/sluice-$loss.json ]]; then
			echo "tcp-loss: sluice counters: $(/usr/bin/python3 "$REPO/tools/lib/tcpip_counters.py" "$SL_TMP/sluice-$loss.json" |
				grep -E '^tcp_(retransmits|rto_expired|fast_retransmits|sack_recoveries|ooo_dropped|pool_low_drops)=' |
				sed 's/^tcp_//' | tr '\n' ' ')" >&2
		fi
	done
done
loss_set 0
sl_unlock

bench_md_header "$md" "TCP echo goodput under loss: sluice-echo vs a Linux echo server (tcp-loss.sh)" "$cmdline"

/usr/bin/python3 - "$results" "$md" "$cmdline" <<'PY'
import statistics, sys
res, md, cmd = sys.argv[1], sys.argv[2], sys.argv[3]
pts = {}
for line in open(res):
    f = line.split()
    if len(f) != 8 or f[0] != "R":
        continue
    key = (f[1], int(f[2]))
    pts.setdefault(key, {}).setdefault(f[3], []).append((float(f[5]), int(f[6]), f[7]))
rows = []
for (loss, mib), srv in pts.items():
    size = mib << 20
    def summary(runs):
        # A run cut off by the timeout: its time for the whole size at the
        # goodput it reached (a lower bound).
        ts = [t if st == "OK" else (t * size / b if b else float("inf")) for t, b, st in runs]
        cut = any(st != "OK" for _, _, st in runs)
        med = statistics.median(ts)
        return med, cut, " ".join(f"{t:.2f}" + ("" if st == "OK" else "*") for t, _, st in runs)
    lt, lcut, lruns = summary(srv.get("linux", [(0, 0, "NONE")]))
    st, scut, sruns = summary(srv.get("sluice", [(0, 0, "NONE")]))
    mbps = lambda t: f"{size / t / 1e6:.1f}" if t and t != float("inf") else "0"
    ratio = f"{'>' if scut else ''}{st / lt:.2f}" if lt and st != float("inf") else "inf"
    rows.append((loss, mib, mbps(lt), mbps(st), ratio, lruns, sruns, lcut))
hdr = f"{'loss %':>6} {'MiB':>4} {'Linux MB/s':>11} {'sluice MB/s':>12} {'sluice/Linux time':>18}  runs (s; * = cut off at the timeout)"
print()
print(hdr)
for loss, mib, lm, sm, ratio, lruns, sruns, _ in rows:
    print(f"{loss:>6} {mib:>4} {lm:>11} {sm:>12} {ratio:>18}  linux {lruns} | sluice {sruns}")
if md:
    with open(md, "a") as o:
        o.write("| loss each way | MiB | Linux (epoll-echo) MB/s | sluice-echo MB/s | sluice/Linux time | runs, s (Linux \\| sluice; * cut off) |\n")
        o.write("|---:|---:|---:|---:|---:|---|\n")
        for loss, mib, lm, sm, ratio, lruns, sruns, _ in rows:
            o.write(f"| {loss} % | {mib} | {lm} | {sm} | {ratio} | {lruns} \\| {sruns} |\n")
        o.write("\n")
PY
