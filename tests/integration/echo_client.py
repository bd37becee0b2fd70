#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Kernel-side client for the sluice-echo tests (runs inside the test's
network namespace). Every mode is bounded in time and exits non-zero with
one line saying what went wrong.

  udp     --count N --size S        datagrams come back byte-exact
  stream  --conns N --bytes B       N concurrent connections each echo B
                                    random bytes (sha256 compared), sending
                                    and reading at once; then half-close and
                                    read to EOF
  closes  --idle-ms MS              closes in every order (client first,
                                    server first by idle timeout, crossing,
                                    half-close then data, RST by SO_LINGER 0)
  zerowin --bytes B                 stop reading while sending, wait, read on
  pingpong --duration S --size N    one connection echoes N-byte messages one
                                    at a time for S seconds, and every
                                    --connect-every s a new connection echoes
                                    once; prints the longest gap between
                                    round trips (a liveness check), fails past
                                    --max-gap-ms or when a new connection fails

  pin     --conns N --bytes B --sport P --hold S
                                    N connections from source ports P.. with
                                    a tiny receive buffer push up to B bytes
                                    each and never read: their window closes,
                                    the echo holds what it cannot send back
                                    and stops reading, so sluice's window
                                    closes too. Prints "pinned" once nothing
                                    moves for a second, then keeps the sockets
                                    S seconds (the test silences them)
  serve   --seconds S --max-stall-ms M --bytes B
                                    a legitimate client meanwhile: one
                                    connection ping-pongs 64 B (no round trip
                                    may take over M ms) and a new connection
                                    echoes B bytes every second, for S seconds

stream and pingpong print "elapsed=SECONDS" on their result line.
"""
import argparse
import hashlib
import os
import selectors
import socket
import struct
import sys
import time

BLOCK = os.urandom(1 << 20)


def fail(msg):
    print(f"echo_client: FAIL: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def pattern(i, off, n):
    """Bytes [off, off+n) of connection i's stream: the random block, rotated."""
    start = (i * 7919 + off) % len(BLOCK)
    out = bytearray()
    while len(out) < n:
        take = min(n - len(out), len(BLOCK) - start)
        out += BLOCK[start : start + take]
        start = 0
    return bytes(out)


def mode_udp(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    for k in range(a.count):
        data = os.urandom(a.size)
        s.sendto(data, (a.host, a.port))
        try:
            got, _ = s.recvfrom(65536)
        except socket.timeout:
            fail(f"udp datagram {k}: no echo in 2 s")
        if got != data:
            fail(f"udp datagram {k}: echo differs ({len(got)} vs {len(data)} bytes)")
    print(f"udp: {a.count} datagrams of {a.size} B echoed")


class Conn:
    def __init__(self, i, total, chunk):
        self.i, self.total, self.chunk = i, total, chunk
        self.sent = self.rcvd = 0
        self.tx_hash, self.rx_hash = hashlib.sha256(), hashlib.sha256()
        self.shut = self.eof = False
        self.done_at = 0.0
        self.sock = None


def mode_stream(a):
    t0 = time.monotonic()
    deadline = t0 + a.timeout
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(a.conns):
        c = Conn(i, a.bytes, a.chunk)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if a.rcvbuf is not None:
            # Before connect: Linux picks its window scale (none for a small
            # buffer) and its window clamp from it.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
        s.setblocking(False)
        try:
            s.connect((a.host, a.port))
        except BlockingIOError:
            pass
        c.sock = s
        conns.append(c)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    open_conns = len(conns)
    while open_conns:
        if time.monotonic() > deadline:
            done = sum(1 for c in conns if c.eof)
            rx = sum(c.rcvd for c in conns)
            fail(
                f"stream: timeout after {a.timeout} s: {done}/{len(conns)} done, {rx} bytes back"
                f" of {a.bytes * len(conns)}"
            )
        for key, ev in sel.select(timeout=0.5):
            c = key.data
            s = c.sock
            if ev & selectors.EVENT_WRITE and not c.shut:
                if c.sent < c.total:
                    n = min(c.chunk, c.total - c.sent)
                    buf = pattern(c.i, c.sent, n)
                    try:
                        k = s.send(buf)
                    except (BlockingIOError, InterruptedError):
                        k = 0
                    except OSError as e:
                        fail(f"stream conn {c.i}: send: {e}")
                    c.tx_hash.update(buf[:k])
                    c.sent += k
                if c.sent == c.total:
                    s.shutdown(socket.SHUT_WR)  # half-close: the echo still flows back
                    c.shut = True
                    sel.modify(s, selectors.EVENT_READ, c)
            if ev & selectors.EVENT_READ:
                try:
                    data = s.recv(1 << 16)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError as e:
                    fail(f"stream conn {c.i}: recv after {c.rcvd} bytes: {e}")
                if not data:
                    c.eof = True
                    c.done_at = time.monotonic() - t0
                    sel.unregister(s)
                    s.close()
                    open_conns -= 1
                    if c.rcvd != c.total:
                        fail(f"stream conn {c.i}: EOF after {c.rcvd} of {c.total} bytes")
                    continue
                c.rx_hash.update(data)
                c.rcvd += len(data)
                if c.rcvd > c.total:
                    fail(f"stream conn {c.i}: {c.rcvd} bytes back, more than {c.total} sent")
    for c in conns:
        if c.tx_hash.digest() != c.rx_hash.digest():
            fail(f"stream conn {c.i}: sha256 of the echo differs from what was sent")
    done = sorted(c.done_at for c in conns)
    spread = ""
    if len(done) > 1:
        # Whether the slowest connections (a tail of timeouts) or all of them set the time.
        spread = f" (connections done: median {done[len(done) // 2]:.3f} s, 90 % {done[len(done) * 9 // 10]:.3f} s)"
    print(
        f"stream: {len(conns)} connections x {a.bytes} B echoed byte-exact (sha256)"
        f" elapsed={time.monotonic() - t0:.3f}{spread}"
    )


def connect(a, timeout=5, local_port=0):
    src = ("", local_port) if local_port else None
    s = socket.create_connection((a.host, a.port), timeout=timeout, source_address=src)
    return s


def roundtrip(s, data, what="connection"):
    s.sendall(data)
    got = b""
    while len(got) < len(data):
        part = s.recv(65536)
        if not part:
            fail(f"{what} closed after {len(got)} of {len(data)} echoed bytes")
        got += part
    if got != data:
        fail(f"{what}: echo differs")


def mode_closes(a):
    # 1. Client closes first, after an exchange.
    for _ in range(5):
        s = connect(a)
        roundtrip(s, os.urandom(3000))
        s.close()
    print("closes: client first ok")
    # 2. Half-close, then data still comes back, then the server's FIN.
    s = connect(a)
    data = os.urandom(200000)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    s.settimeout(10)
    while True:
        part = s.recv(65536)
        if not part:
            break
        got += part
    if got != data:
        fail(f"half-close: {len(got)} of {len(data)} bytes back")
    s.close()
    print("closes: half-close then data ok")
    # 3. RST from the client (SO_LINGER 0), idle and with data in flight.
    for with_data in (False, True):
        s = connect(a)
        roundtrip(s, b"x" * 100)
        if with_data:
            s.send(os.urandom(60000))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    print("closes: client RST ok")
    if a.idle_ms <= 0:
        return
    idle = a.idle_ms / 1000.0
    # 4. Server closes first (its idle timeout): we read EOF, then close.
    s = connect(a)
    roundtrip(s, b"hello")
    s.settimeout(idle + 5)
    if s.recv(10) != b"":
        fail("server-first: expected EOF after the idle timeout")
    s.close()
    print("closes: server first ok")
    # 5. Crossing FINs: close right when the server's idle timer fires, at
    # several offsets around it (the timing is best effort, the outcome --
    # no connection left -- is checked by the caller after 2 MSL).
    for off in (-0.004, -0.002, 0.0, 0.002, 0.004):
        s = connect(a)
        roundtrip(s, b"cross")
        time.sleep(max(0.0, idle + off))
        s.close()
    print("closes: crossing FINs done")


def mode_zerowin(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf or 32768)
    s.settimeout(5)
    s.connect((a.host, a.port))
    s.setblocking(False)
    total, sent, rcvd = a.bytes, 0, 0
    tx, rx = hashlib.sha256(), hashlib.sha256()
    # Phase 1: send without reading until nothing moves for a while.
    stalled_since = None
    deadline = time.monotonic() + 30
    while sent < total and time.monotonic() < deadline:
        buf = pattern(0, sent, min(65536, total - sent))
        try:
            k = s.send(buf)
        except BlockingIOError:
            k = 0
        tx.update(buf[:k])
        sent += k
        if k == 0:
            stalled_since = stalled_since or time.monotonic()
            if time.monotonic() - stalled_since > 1.0:
                break
            time.sleep(0.01)
        else:
            stalled_since = None
    if sent >= total:
        fail(f"zerowin: all {total} bytes went out without reading: raise --bytes")
    print(f"zerowin: stalled after {sent} bytes; holding for {a.hold} s")
    time.sleep(a.hold)
    # Phase 2: read and send until everything is back.
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    deadline = time.monotonic() + a.timeout
    shut = False
    while rcvd < total:
        if time.monotonic() > deadline:
            fail(f"zerowin: timeout, {rcvd} of {total} bytes back")
        for _, ev in sel.select(timeout=0.5):
            if ev & selectors.EVENT_WRITE and sent < total:
                buf = pattern(0, sent, min(65536, total - sent))
                try:
                    k = s.send(buf)
                except BlockingIOError:
                    k = 0
                tx.update(buf[:k])
                sent += k
            if sent == total and not shut:
                shut = True
                sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                try:
                    data = s.recv(1 << 16)
                except BlockingIOError:
                    continue
                if not data:
                    fail(f"zerowin: EOF after {rcvd} of {total} bytes")
                rx.update(data)
                rcvd += len(data)
    if tx.digest() != rx.digest():
        fail("zerowin: sha256 of the echo differs")
    s.close()
    print(f"zerowin: {total} bytes echoed byte-exact after a zero window")


def mode_pingpong(a):
    """Round trips on one connection, paced by --interval-ms, for --duration
    s; a fresh connection echoes once every --connect-every s. The gap is the
    time between two completed round trips: it shows a server that stops
    serving, whatever the reason (pool, CPU, rate limit)."""
    limit = a.max_gap_ms / 1000.0
    t0 = time.monotonic()
    end = t0 + a.duration
    s = connect(a, timeout=5, local_port=a.local_port)
    s.settimeout(max(2 * limit, 5))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    trips, gaps, worst, worst_at = 0, 0, 0.0, 0.0
    news, next_new = 0, t0 + a.connect_every
    last = time.monotonic()
    while time.monotonic() < end:
        msg = os.urandom(a.size)
        try:
            roundtrip(s, msg)
        except socket.timeout:
            fail(f"pingpong: no echo in {s.gettimeout()} s after {trips} round trips")
        now = time.monotonic()
        gap = now - last
        if gap > worst:
            worst, worst_at = gap, now - t0
        if gap > limit:
            gaps += 1
        last = now
        trips += 1
        if a.connect_every > 0 and now >= next_new:
            try:
                n = connect(a, timeout=a.connect_timeout)
                n.settimeout(a.connect_timeout)
                roundtrip(n, os.urandom(a.size))
                n.close()
            except OSError as e:
                fail(f"pingpong: new connection {news + 1} at {now - t0:.1f} s: {e}")
            news += 1
            next_new = now + a.connect_every
            last = time.monotonic()  # the gap is the long connection's, not the new one's
        if a.interval_ms > 0:
            time.sleep(a.interval_ms / 1000.0)
            last += a.interval_ms / 1000.0
    s.close()
    line = (
        f"pingpong: {trips} round trips of {a.size} B, {news} new connections,"
        f" longest gap {worst * 1000:.1f} ms at {worst_at:.1f} s, {gaps} over {a.max_gap_ms} ms"
        f" elapsed={time.monotonic() - t0:.3f}"
    )
    if gaps:
        fail(line)
    print(line)


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
                k = e[0].send(BLOCK[: min(1 << 16, a.bytes - e[1])])
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
    p = connect(a, timeout=limit + 1)
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
            s = connect(a, timeout=limit + 1)
            roundtrip(s, pattern(fresh, 0, a.bytes), f"new connection {fresh}")
            s.close()
            fresh += 1
            next_fresh += 1.0
        time.sleep(0.005)
    p.close()
    print(f"serve: {rounds} round trips (worst {worst * 1000:.1f} ms), {fresh} new connections")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["udp", "stream", "closes", "zerowin", "pingpong", "pin", "serve"])
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=7)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--size", type=int, default=512)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--bytes", type=int, default=1 << 20)
    p.add_argument("--chunk", type=int, default=65536)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--idle-ms", type=int, default=0)
    p.add_argument("--hold", type=float, default=3)
    p.add_argument("--rcvbuf", type=int, default=None, help="SO_RCVBUF before connect")
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--interval-ms", type=float, default=2)
    p.add_argument("--max-gap-ms", type=float, default=1000)
    p.add_argument("--connect-every", type=float, default=1)
    p.add_argument("--connect-timeout", type=float, default=3)
    p.add_argument("--local-port", type=int, default=0, help="pingpong: bind the long connection")
    p.add_argument("--sport", type=int, default=40000, help="pin: the first source port")
    p.add_argument("--seconds", type=float, default=20, help="serve: how long")
    p.add_argument("--max-stall-ms", type=float, default=1000, help="serve: the longest round trip")
    a = p.parse_args()
    modes = {
        "udp": mode_udp,
        "stream": mode_stream,
        "closes": mode_closes,
        "zerowin": mode_zerowin,
        "pingpong": mode_pingpong,
        "pin": mode_pin,
        "serve": mode_serve,
    }
    modes[a.mode](a)


if __name__ == "__main__":
    main()
