#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run the tcp-service example on a tap device whose kernel side sits in a
# network namespace of its own: five Linux TCP connections each send a line
# and must get it back in capitals; at Ctrl-C the service reports the five
# connections. EXAMPLE_BIN: the built example; EXAMPLE_WORK: a scratch
# directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${EXAMPLE_BIN:?} work=${EXAMPLE_WORK:?}
fail() { echo "tcp-service: FAIL: $*" >&2; exit 1; }
ns=sl-ex-ts-$$ tap=slts$$ pid=""
cleanup() {
	[[ -z $pid ]] || kill -INT "$pid" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

"$bin" --list-stages >"$work/stages.txt" || fail "--list-stages exited with an error"
grep -q '^    upper: sends back' "$work/stages.txt" || fail "--list-stages does not list the upper service"
mem=$("$here/../../tools/eal-mem.sh" 2>/dev/null || echo "--no-huge -m 256")
# shellcheck disable=SC2086 # $mem is several EAL words
timeout -k 5 60 "$bin" -l 0-1 --no-pci --file-prefix "sl-ex-ts-$$" $mem --log-level='*:error' \
	--vdev "net_tap0,iface=$tap" -- --config "$here/tcp-service.ini" --quiet \
	>"$work/run.log" 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	ip link show "$tap" >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || { cat "$work/run.log" >&2; fail "the example exited at start"; }
	sleep 0.1
done
ip netns add "$ns"
ip link set "$tap" netns "$ns"
ip -n "$ns" addr add 10.91.0.1/24 dev "$tap"
ip -n "$ns" link set "$tap" up
ip netns exec "$ns" /usr/bin/python3 - <<'PY' || fail "the service did not answer in capitals (above)"
import socket, sys
for i in range(5):
    line = b"hello, sluice %d\n" % i
    s = socket.create_connection(("10.91.0.2", 7000), timeout=5)
    s.sendall(line)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    s.close()
    if got != line.upper():
        print("tcp-service: sent %r, got %r" % (line, got), file=sys.stderr)
        sys.exit(1)
print("tcp-service: 5 connections answered in capitals")
PY
kill -INT "$pid"
wait "$pid" || { cat "$work/run.log" >&2; fail "the example did not exit 0 on Ctrl-C"; }
pid=""
grep -q "^upper: 5 connections, 80 bytes" "$work/run.log" ||
	{ cat "$work/run.log" >&2; fail "the service did not report 5 connections, 80 bytes"; }
