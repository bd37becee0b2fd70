#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write the custom-stage example's input: UDP to port 9 (to be filtered),
UDP to port 7 and TCP to port 9 (to pass). Prints the two expected counts."""
import sys

from scapy.all import IP, TCP, UDP, Ether, wrpcap

out = sys.argv[1]
frames = []
for i in range(100):
    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src="10.0.0.1", dst="10.0.0.2")
    if i % 10 < 3:
        frames.append(eth / UDP(sport=1000 + i, dport=9) / (b"x" * 18))
    elif i % 10 < 9:
        frames.append(eth / UDP(sport=1000 + i, dport=7) / (b"x" * 18))
    else:
        frames.append(eth / TCP(sport=1000 + i, dport=9))
wrpcap(out, frames)
print("filtered=30 passed=70")
