#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Kernel-side clients for echo-tcp-pinning (runs inside the test's network
namespace). Bounded in time; exits non-zero with one line saying what failed.

  pin    --conns N --bytes B --sport P --hold S
         N connections from source ports P.. with a tiny receive buffer
         push up to B bytes each and never read: their window closes, the
         echo holds what it cannot send back and stops reading, so sluice's
         window closes too. Prints "pinned" once nothing moves for a second,
         then keeps the sockets S seconds (the test silences them).
  serve  --seconds S --max-stall-ms M --bytes B
         a legitimate client meanwhile: one connection ping-pongs 64 B (no
         round trip may take over M ms) and a new connection echoes B bytes
         every second, for S seconds.
"""
import argparse
import os
import socket
import sys
import time

BLOCK = os.urandom(1 << 16)


def fail(msg):
    print(f"pin_client: FAIL: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def roundtrip(s, data, what):
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        part = s.recv(65536)
        if not part:
            fail(f"{what}: closed after {len(got)} of {len(data)} echoed bytes")
        got += part
    if got != data:
        fail(f"{what}: the echo differs")


def mode_pin(a):
    socks = []
    for i in range(a.conns):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        s.bind(("0.0.0.0", a.sport + i))
        s.settimeout(5)
        s.connect((a.host, a.port))
        s.setblocking(False)
        socks.append([s, 0])
    deadline = time.monotonic() + 30
    last_move = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - last_move < 1.0:
        moved = False
        for e in socks:
            if e[1] >= a.bytes:
                continue
            try:
                k = e[0].send(BLOCK[: min(len(BLOCK), a.bytes - e[1])])
            except BlockingIOError:
                k = 0
            e[1] += k
            moved = moved or k > 0
        if moved:
            last_move = time.monotonic()
        else:
            time.sleep(0.01)
    print(f"pinned: {a.conns} connections, {sum(e[1] for e in socks)} bytes pushed", flush=True)
    time.sleep(a.hold)
    for e in socks:
        e[0].close()


def mode_serve(a):
    limit = a.max_stall_ms / 1000
    p = socket.create_connection((a.host, a.port), timeout=limit + 1)
    p.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    end = time.monotonic() + a.seconds
    next_fresh = time.monotonic()
    rounds = fresh = 0
    worst = 0.0
    while time.monotonic() < end:
        t = time.monotonic()
        roundtrip(p, BLOCK[rounds % 1024 : rounds % 1024 + 64], f"round trip {rounds}")
        dt = time.monotonic() - t
        worst = max(worst, dt)
        if dt > limit:
            fail(f"serve: round trip {rounds} took {dt * 1000:.0f} ms (max {a.max_stall_ms} ms)")
        rounds += 1
        if time.monotonic() >= next_fresh:
            s = socket.create_connection((a.host, a.port), timeout=limit + 1)
            roundtrip(s, (BLOCK * (a.bytes // len(BLOCK) + 1))[: a.bytes], f"new connection {fresh}")
            s.close()
            fresh += 1
            next_fresh += 1.0
        time.sleep(0.005)
    p.close()
    print(f"serve: {rounds} round trips (worst {worst * 1000:.1f} ms), {fresh} new connections")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["pin", "serve"])
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=7)
    p.add_argument("--conns", type=int, default=48)
    p.add_argument("--bytes", type=int, default=588000)
    p.add_argument("--sport", type=int, default=40000)
    p.add_argument("--hold", type=float, default=15)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--max-stall-ms", type=float, default=1000)
    a = p.parse_args()
    {"pin": mode_pin, "serve": mode_serve}[a.mode](a)


if __name__ == "__main__":
    main()
