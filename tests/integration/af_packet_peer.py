#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Peer for af_packet_workers.sh, run inside the test's network namespace.

Sends FLOWS x PER_FLOW UDP packets (flow f: 10.0.0.(f+1):(1000+f) ->
10.0.1.1:5000) out of IFACE with src MAC OUR_MAC and dst MAC PEER_MAC,
sniffs the echoes (src MAC PEER_MAC after a macswap), and writes a JSON
report: sent, echoed, echoes per flow, and each flow's sl_count_flow_hash.

Usage: af_packet_peer.py IFACE FLOWS PER_FLOW OUT_JSON
"""
import json
import socket
import sys
import time

from scapy.all import AsyncSniffer, Ether, IP, UDP, Raw, conf, get_if_hwaddr, sendp

PEER_MAC = "02:00:00:00:00:99"


def crc32c_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


TABLE = crc32c_table()


def flow_hash(src, dst, sport, dport, proto):
    """sl_count_flow_hash: CRC32-C with seed 0 and no final xor (rte_hash_crc)
    over {src, dst, sport, dport (network order), proto, 3 zero bytes}."""
    key = (bytes(int(x) for x in src.split(".")) + bytes(int(x) for x in dst.split(".")) +
           sport.to_bytes(2, "big") + dport.to_bytes(2, "big") + bytes([proto, 0, 0, 0]))
    crc = 0
    for b in key:
        crc = TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def main():
    iface, flows, per_flow, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    conf.verb = 0
    our_mac = get_if_hwaddr(iface)
    pkts = []
    for i in range(per_flow):
        for f in range(flows):
            pkts.append(Ether(src=our_mac, dst=PEER_MAC) /
                        IP(src=f"10.0.0.{f + 1}", dst="10.0.1.1", ttl=64) /
                        UDP(sport=1000 + f, dport=5000) / Raw(f"{f}:{i}".encode().ljust(18, b".")))
    # A big receive buffer: scapy decodes slowly, and on a 2-core machine it
    # shares a CPU with a busy-polling worker; with the default buffer a burst
    # of echoes overflowed it now and then (38 of 1280 lost by the peer while
    # sluice had sent all 1280).
    lsock = conf.L2listen(iface=iface)
    try:
        lsock.ins.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUFFORCE, 16 << 20)
    except (AttributeError, OSError):
        pass
    sniffer = AsyncSniffer(opened_socket=lsock, store=True,
                           lfilter=lambda p: Ether in p and p[Ether].src == PEER_MAC and UDP in p)
    sniffer.start()
    time.sleep(0.5)
    for k in range(0, len(pkts), 64):  # in slices, so the DUT's rings never overflow
        sendp(pkts[k:k + 64], iface=iface)
        time.sleep(0.02)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(sniffer.results or []) < len(pkts):
        time.sleep(0.1)
    got = sniffer.stop() or []
    per = {}
    bad_mac = 0
    for p in got:
        f = p[UDP].sport - 1000
        per[f] = per.get(f, 0) + 1
        if p[Ether].dst != our_mac:
            bad_mac += 1
    json.dump({
        "sent": len(pkts), "echoed": len(got), "bad_mac": bad_mac,
        "per_flow": per,
        "hashes": [flow_hash(f"10.0.0.{f + 1}", "10.0.1.1", 1000 + f, 5000, 17) for f in range(flows)],
    }, open(out, "w"))
    print(f"peer: sent {len(pkts)} echoed {len(got)} bad_mac {bad_mac}")


main()
