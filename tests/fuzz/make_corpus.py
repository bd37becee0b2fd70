#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seed inputs for fuzz_tcpip (record format in fuzz_tcpip.c): ARP, ping,
UDP echo, IPv4 fragments, and TCP conversations with the echo service (the
harness fixes every ISN at 1000, so our SYN-ACK is seq 1000 and the peer ACKs
1001).
Usage: make_corpus.py DIR"""
import os
import sys

from scapy.all import ARP, ICMP, IP, TCP, UDP, Ether, Raw, fragment, raw

US, PEER = "10.0.0.2", "10.0.0.1"
PMAC, BCAST = "02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff"
FIX, TICK, OURMAC = 1, 2, 4


def rec(frame, flags=FIX | OURMAC):
    b = raw(frame)
    return bytes([flags, len(b) >> 8, len(b) & 0xff]) + b


def eth():
    return Ether(src=PMAC, dst=BCAST)


def tcp(flags, seq, ack=0, data=b"", sport=40000, dport=7, opts=None, tick=False):
    t = TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=8192,
            options=opts or [])
    return rec(eth() / IP(src=PEER, dst=US) / t / Raw(data) if data else
               eth() / IP(src=PEER, dst=US) / t, FIX | OURMAC | (TICK if tick else 0))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    arp = rec(Ether(src=PMAC, dst=BCAST) / ARP(op=1, hwsrc=PMAC, psrc=PEER, pdst=US), 0)
    seeds = {
        "arp": arp,
        "ping": arp + rec(eth() / IP(src=PEER, dst=US) / ICMP(id=1, seq=1) / Raw(b"x" * 32)),
        "udp": arp + rec(eth() / IP(src=PEER, dst=US) / UDP(sport=5000, dport=7) / Raw(b"hello")),
        "tcp-echo": arp
        + tcp("S", 5000, opts=[("MSS", 1460), ("WScale", 7), ("Timestamp", (1, 0)), ("SAckOK", b"")])
        + tcp("A", 5001, 1001)
        + tcp("PA", 5001, 1001, b"a" * 100)
        + tcp("PA", 5201, 1001, b"b" * 100)  # out of order
        + tcp("PA", 5101, 1001, b"c" * 100)
        + tcp("A", 5301, 1301, tick=True)
        + tcp("FA", 5301, 1301)
        + tcp("A", 5302, 1302, tick=True),
        # SACK: the echo sends the 4096 bytes (the harness's rcv_buf) back in
        # segments of 1460; the peer SACKs all but the first (a tick later the
        # short timer marks it lost: recovery), D-SACKs the resend (undo), and
        # sends a block past anything sent (counted, ignored).
        "tcp-sack": arp
        + tcp("S", 5000, sport=40003, opts=[("MSS", 1460), ("WScale", 7), ("SAckOK", b"")])
        + tcp("A", 5001, 1001, sport=40003)
        + tcp("PA", 5001, 1001, b"s" * 1400, sport=40003)
        + tcp("PA", 6401, 1001, b"t" * 1400, sport=40003)
        + tcp("PA", 7801, 1001, b"u" * 1296, sport=40003)
        + tcp("A", 9097, 1001, sport=40003, opts=[("SAck", (2461, 5097))])
        + tcp("A", 9097, 1001, sport=40003, opts=[("SAck", (2461, 5097))], tick=True)
        + tcp("A", 9097, 5097, sport=40003, opts=[("SAck", (1001, 2461))])
        + tcp("A", 9097, 5097, sport=40003, opts=[("SAck", (9000, 9999, 1, 2))], tick=True),
        "tcp-rst": arp + tcp("S", 7000, sport=40001) + tcp("A", 7001, 1001, sport=40001)
        + tcp("R", 7001, sport=40001),
        "tcp-zero-window": arp + tcp("S", 9000, sport=40002) + tcp("A", 9001, 1001, sport=40002)
        + tcp("PA", 9001, 1001, b"z" * 1000, sport=40002)
        + rec(eth() / IP(src=PEER, dst=US) / TCP(sport=40002, dport=7, flags="A", seq=10001,
                                                 ack=1001, window=0), FIX | OURMAC | TICK),
        "syn-closed-port": arp + tcp("S", 1, dport=9),
        # IPv4 fragments (checksums left as scapy made them): a 2000-byte ping
        # and a 600-byte UDP datagram in reverse order, for reassembly.
        "fragments": arp
        + b"".join(rec(eth() / f, OURMAC) for f in fragment(
            IP(src=PEER, dst=US, id=77) / ICMP(id=2, seq=1) / Raw(b"p" * 2000), fragsize=1480))
        + b"".join(rec(eth() / f, OURMAC) for f in reversed(fragment(
            IP(src=PEER, dst=US, id=78) / UDP(sport=5001, dport=7) / Raw(b"u" * 600), fragsize=256))),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
