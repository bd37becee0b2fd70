#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-gen TCP client mode against the Linux kernel's TCP: an asyncio echo
# server (tools/bench/py-echo.py) in a network namespace, reached over
# net_tap. Every echoed byte is verified by sluice-gen; the kernel is the
# independent peer.
# Not socat PIPE: socat echoes through a pipe it both writes and reads with
# blocking writes, so a message bigger than the pipe (64 KiB) arriving
# faster than socat drains it blocks socat in write() for good: the
# 200 KB case then stalled with bytes unread in the kernel's Recv-Q and
# nothing in its Send-Q (seen with ss -ti), which looked like a sluice bug.
# Usage: gen_tcp_kernel.sh SLUICE_GEN
SLUICE_GEN=${1:-${SLUICE_GEN:-}}
SLUICE_FWD=${SLUICE_FWD:-$SLUICE_GEN}
source "$(dirname "$0")/lib.sh"
it_init

NS=sl-gtk-$$
IF=sgk$$
GEN_IP=10.78.0.1
PEER_IP=10.78.0.2
# Cleanups run in order: first whatever still runs in the namespace (the
# echo server), then the namespace.
sl_on_exit "ip netns pids $NS | xargs -r kill"
sl_netns "$NS"
# The kernel's echo server. It must not inherit the run lock (a leftover
# process would hold it for everyone).
ip netns exec "$NS" timeout 100 /usr/bin/python3 "$IT_DIR/../../tools/bench/py-echo.py" \
	--loop asyncio --port 7 >"$IT_TMP/py-echo.log" 2>&1 {SL_LOCK_FD}>&- &
sl_track "$!"

tcp() { # NAME ARGS...
	local name=$1 rc pid
	shift
	# shellcheck disable=SC2046
	it_start "$IT_TMP/$name.log" 60 "$SLUICE_GEN" -l 1 $(it_eal "gen-$name") \
		--vdev "net_tap0,iface=$IF" -- --ports net_tap0 --link-wait 20 --start-delay-ms 500 \
		--tcp "$PEER_IP:7" --local-ip "$GEN_IP" --json "$IT_TMP/$name.json" "$@"
	pid=$IT_PID
	sl_tap_into "$NS" "$IF" "$PEER_IP/24"
	sl_wait_exit "$pid" 75 || true
	it_reap "$pid"
	rc=$IT_RC
	cat "$IT_TMP/$name.log"
	[[ $rc -eq 0 ]] || it_fail "sluice-gen --tcp $name against the kernel exited $rc"
}
tcp kernel-pipelined --conns 8 --msg 2000 --depth 4 --duration 3
tcp kernel-big --conns 2 --msg 200000 --depth 1 --duration 3

it_py <<'PY' || it_fail "TCP results disagree (see above)"
import json, sys
errs = []
for name in ["kernel-pipelined", "kernel-big"]:
    r = json.load(open(f"{name}.json"))
    ok = (r["result"] == "pass" and r["verify_errors"] == 0 and r["errors"] == 0
          and r["transactions"] > 0 and r["bytes_verified"] == r["transactions"] * r["msg"])
    print(f"{name}: {r['conns_established']} conns, {r['transactions']} transactions "
          f"({r['transactions_per_s']:.0f}/s), {r['goodput_gbps']:.3f} Gbps, p50 "
          f"{r['latency_us']['p50']} us, verify_errors {r['verify_errors']}")
    if not ok:
        errs.append(name)
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
