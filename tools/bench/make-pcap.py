#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# /usr/bin/python3, not "env python3": Debian's python3-* packages (scapy) live
# there, and a pyenv or venv python earlier in PATH would not see them.
"""Write a pcap of minimum-size Ethernet/IPv4/UDP frames for the benchmarks.

Each flow gets its own destination address inside --dst-prefix (so ip4_lpm and
l3fwd route every packet) and its own UDP source port, so flow hashing spreads
them. Frames are 60 bytes on the wire before the FCS (64 with it).
"""
import argparse
import ipaddress
import sys


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-o", "--output", required=True, help="pcap file to write")
    p.add_argument("-n", "--flows", type=int, default=256,
                   help="number of flows (= packets in the file), default 256")
    p.add_argument("--dst-prefix", default="10.1.0.0/16",
                   help="destination addresses are taken from this prefix (default 10.1.0.0/16)")
    p.add_argument("--src", default="192.168.0.1", help="IPv4 source address")
    p.add_argument("--src-mac", default="02:00:00:00:00:01")
    p.add_argument("--dst-mac", default="02:00:00:00:00:02")
    p.add_argument("--size", type=int, default=64,
                   help="frame size including the 4-byte FCS, >= 64 (default 64)")
    return p.parse_args()


def main():
    a = parse_args()
    try:
        from scapy.layers.inet import IP, UDP
        from scapy.layers.l2 import Ether
        from scapy.packet import Raw
        from scapy.utils import wrpcap
    except ImportError:
        sys.exit("make-pcap: scapy is missing; install it with: apt-get install python3-scapy")

    net = ipaddress.ip_network(a.dst_prefix, strict=False)
    if net.version != 4:
        sys.exit(f"make-pcap: --dst-prefix {a.dst_prefix} is not IPv4")
    hosts = net.num_addresses
    if a.flows < 1 or a.flows > hosts:
        sys.exit(f"make-pcap: --flows must be 1..{hosts} for prefix {net}")
    if a.size < 64:
        sys.exit("make-pcap: --size must be at least 64")

    base = int(net.network_address)
    # Spread flows over the prefix so a prefix split into sub-routes sees all of them.
    step = max(1, hosts // a.flows)
    pad = a.size - 4 - (14 + 20 + 8)
    pkts = []
    for i in range(a.flows):
        dst = str(ipaddress.IPv4Address(base + (i * step + 1) % hosts))
        pkts.append(Ether(src=a.src_mac, dst=a.dst_mac) /
                    IP(src=a.src, dst=dst, ttl=64) /
                    UDP(sport=1024 + i % 64000, dport=9) /
                    Raw(b"\x00" * pad))
    wrpcap(a.output, pkts)
    print(f"make-pcap: wrote {len(pkts)} frames of {a.size} B to {a.output} "
          f"(dst in {net})", file=sys.stderr)


if __name__ == "__main__":
    main()
