#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Crafted segments against sluice-echo's TCP/IP (run inside the test's
namespace, on the tap netdev). The crafted peer uses an address and a MAC
the kernel does not own (10.77.0.99, 02:00:00:00:00:99), so the kernel
never answers sluice's replies for it; it introduces itself with an ARP
request first, which sluice learns from.

Usage: echo_conformance.py IFACE OUR_IP
Each check prints one line; exit 1 at the first one that fails.
"""
import random
import sys
import time

from scapy.all import ARP, IP, TCP, AsyncSniffer, Ether, Raw, conf, sendp

conf.verb = 0
IFACE, DUT = sys.argv[1], sys.argv[2]
FAKE_IP, FAKE_MAC = "10.77.0.99", "02:00:00:00:00:99"
DUT_MAC = None
got = []


def fail(msg):
    print(f"conformance: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def ok(msg):
    print(f"conformance: ok: {msg}")


def send(pkt, wait=0.3):
    """Send one frame from the fake peer; return what came back for it."""
    got.clear()
    sendp(Ether(src=FAKE_MAC, dst=DUT_MAC) / pkt, iface=IFACE)
    time.sleep(wait)
    return [p for p in got if TCP in p]


def raw_send(frame, wait=0.3):
    got.clear()
    sendp(frame, iface=IFACE)
    time.sleep(wait)
    return [p for p in got if TCP in p]


def no_reply(what, replies):
    if replies:
        fail(f"{what}: expected no answer, got {replies[0].summary()}")
    ok(f"{what}: dropped, no answer")


sniffer = AsyncSniffer(
    iface=IFACE,
    store=False,
    prn=lambda p: got.append(p),
    lfilter=lambda p: (IP in p and p[IP].dst == FAKE_IP) or (ARP in p and p[ARP].pdst == FAKE_IP),
)
sniffer.start()
time.sleep(1.0)

# Introduce the fake peer: an ARP request for the DUT from it.
got.clear()
sendp(
    Ether(src=FAKE_MAC, dst="ff:ff:ff:ff:ff:ff")
    / ARP(op=1, hwsrc=FAKE_MAC, psrc=FAKE_IP, pdst=DUT),
    iface=IFACE,
)
time.sleep(0.5)
arp = [p for p in got if ARP in p and p[ARP].op == 2]
if not arp:
    fail("no ARP reply to the fake peer's request")
DUT_MAC = arp[0][ARP].hwsrc
ok(f"ARP: {DUT} is at {DUT_MAC}")

ip = IP(src=FAKE_IP, dst=DUT)
sport = random.randint(20000, 40000)

# -- closed port: SYN -> RST+ACK, ack = seq + 1 (RFC 9293 3.10.7.1)
r = send(ip / TCP(sport=sport, dport=9, flags="S", seq=1000))
if not r or r[0][TCP].flags != "RA" or r[0][TCP].ack != 1001:
    fail(f"SYN to a closed port: want RST+ACK ack=1001, got {[p.summary() for p in r]}")
ok("SYN to a closed port -> RST+ACK, ack = seq + 1")
# -- closed port: a bare ACK -> RST with seq = SEG.ACK
r = send(ip / TCP(sport=sport, dport=9, flags="A", seq=5, ack=777777))
if not r or "R" not in r[0][TCP].flags or r[0][TCP].seq != 777777:
    fail(f"ACK to a closed port: want RST seq=777777, got {[p.summary() for p in r]}")
ok("ACK to a closed port -> RST, seq = SEG.ACK")
# -- RST to a closed port -> nothing
no_reply("RST to a closed port", send(ip / TCP(sport=sport, dport=9, flags="R", seq=5)))

# -- malformed: bad IPv4 checksum, bad TCP checksum, truncated, bad offsets
no_reply("bad IPv4 checksum", send(IP(src=FAKE_IP, dst=DUT, chksum=0x1234) / TCP(sport=sport, dport=7, flags="S")))
no_reply("bad TCP checksum", send(ip / TCP(sport=sport, dport=7, flags="S", chksum=0x4321)))
seg = bytes(TCP(sport=sport, dport=7, flags="S"))[:12]
no_reply("truncated TCP header (12 B)", send(IP(src=FAKE_IP, dst=DUT, proto=6) / Raw(seg)))
no_reply(
    "IPv4 total length past the frame",
    send(IP(src=FAKE_IP, dst=DUT, len=400) / TCP(sport=sport, dport=7, flags="S")),
)
no_reply("IPv4 header length 3 words", send(IP(src=FAKE_IP, dst=DUT, ihl=3) / TCP(sport=sport, dport=7, flags="S")))
no_reply("TCP data offset 3 (< 5)", send(ip / TCP(sport=sport, dport=7, flags="S", dataofs=3)))
no_reply(
    "TCP data offset past the segment",
    send(ip / TCP(sport=sport, dport=7, flags="S", dataofs=15)),
)
no_reply("fragment (MF set)", send(IP(src=FAKE_IP, dst=DUT, flags="MF") / TCP(sport=sport, dport=7, flags="S")))
# -- illegal flag combinations to the listening port: never a SYN-ACK
for flags in ("SF", "SR", "", "FPU"):
    r = send(ip / TCP(sport=sport, dport=7, flags=flags, seq=3000))
    if any(p[TCP].flags == "SA" for p in r):
        fail(f"flags {flags!r} to a listening port were answered with a SYN-ACK")
    ok(f"flags {flags or 'none'!r} to the listening port: no connection")

# -- a real handshake from the crafted peer
sport += 1
isn = 100000
r = send(ip / TCP(sport=sport, dport=7, flags="S", seq=isn, options=[("MSS", 1460)]))
sa = [p for p in r if p[TCP].flags == "SA"]
if not sa or sa[0][TCP].ack != isn + 1:
    fail(f"handshake: no SYN-ACK acking {isn + 1}: {[p.summary() for p in r]}")
srv = sa[0][TCP].seq + 1
nxt = isn + 1
send(ip / TCP(sport=sport, dport=7, flags="A", seq=nxt, ack=srv), wait=0.1)
ok("handshake completed")


def echo_check(what):
    global nxt, srv
    data = b"conformance-" + str(random.random()).encode()
    r = send(ip / TCP(sport=sport, dport=7, flags="PA", seq=nxt, ack=srv) / Raw(data))
    nxt += len(data)
    back = b"".join(bytes(p[TCP].payload) for p in r if p[TCP].seq == srv and len(p[TCP].payload))
    if back != data:
        fail(f"{what}: the connection no longer echoes ({[p.summary() for p in r]})")
    srv += len(data)
    send(ip / TCP(sport=sport, dport=7, flags="A", seq=nxt, ack=srv), wait=0.05)
    ok(f"{what}: connection still echoes")


echo_check("after the handshake")
# -- out-of-window data: an ACK (RFC 9293 3.10.7.4), no data delivered
r = send(ip / TCP(sport=sport, dport=7, flags="PA", seq=nxt + 10_000_000, ack=srv) / Raw(b"X" * 10))
if any(len(p[TCP].payload) for p in r):
    fail("out-of-window data was echoed")
ok(f"out-of-window data: not delivered ({'ACKed' if r else 'dropped'})")
# -- RST outside the window: silently dropped (RFC 5961 3.2)
no_reply("RST outside the window", send(ip / TCP(sport=sport, dport=7, flags="R", seq=nxt + 10_000_000)))
# -- RST in the window but not exact: challenge ACK, connection lives
r = send(ip / TCP(sport=sport, dport=7, flags="R", seq=nxt + 100))
if not r or r[0][TCP].flags != "A" or r[0][TCP].ack != nxt:
    fail(f"in-window RST: want a challenge ACK ack={nxt}, got {[p.summary() for p in r]}")
ok("in-window RST -> challenge ACK")
# -- SYN on the established connection: challenge ACK (RFC 5961 4)
time.sleep(0.2)  # challenge ACKs are rate-limited per connection
r = send(ip / TCP(sport=sport, dport=7, flags="S", seq=nxt + 5))
if not r or r[0][TCP].flags != "A":
    fail(f"SYN in ESTABLISHED: want a challenge ACK, got {[p.summary() for p in r]}")
ok("SYN in ESTABLISHED -> challenge ACK")
# -- ACK of data never sent: not processed
send(ip / TCP(sport=sport, dport=7, flags="A", seq=nxt, ack=srv + 5_000_000))
echo_check("after RSTs, SYN and a bogus ACK")
# -- exact RST closes; then segments to the closed connection get RSTs
no_reply("RST with SEQ = RCV.NXT", send(ip / TCP(sport=sport, dport=7, flags="R", seq=nxt)))
r = send(ip / TCP(sport=sport, dport=7, flags="PA", seq=nxt, ack=srv) / Raw(b"late"))
if not r or "R" not in r[0][TCP].flags:
    fail(f"data to a reset connection: want a RST, got {[p.summary() for p in r]}")
ok("data to the closed connection -> RST")

# -- a listener drops segments with none of SYN, ACK, RST (RFC 9293
# 3.10.7.2): no RST, so FIN and NULL scans cannot tell it from a filtered port
# (these last checks all run and report before the script fails)
late = []
sport += 1
for flags in ("F", "", "FPU", "P", "U"):
    r = send(ip / TCP(sport=sport, dport=7, flags=flags, seq=7000))
    if r:
        late.append(f"flags {flags or 'none'!r} to the listening port: want no answer, got {r[0].summary()}")
    else:
        ok(f"flags {flags or 'none'!r} to the listening port: dropped, no answer")


# -- a SYN with a malformed option is answered as Linux does: parsing stops
# there and what came before it counts (an MSS option of length 0 would
# otherwise loop; one running past the header is cut off).
def lenient_syn(what, opts):
    global sport
    sport += 1
    pad = b"\x00" * (-len(opts) % 4)
    ofs = 5 + (len(opts) + len(pad)) // 4
    r = send(ip / TCP(sport=sport, dport=7, flags="S", seq=50000, dataofs=ofs) / Raw(opts + pad))
    sa = [p for p in r if p[TCP].flags == "SA" and p[TCP].ack == 50001]
    if not sa:
        late.append(f"SYN with {what}: want a SYN-ACK (parsing stops there), got {[p.summary() for p in r]}")
        return
    send(ip / TCP(sport=sport, dport=7, flags="R", seq=50001), wait=0.05)  # no half-open left
    ok(f"SYN with {what} -> SYN-ACK")


lenient_syn("an MSS option of length 0 (alone)", b"\x02\x00\x00\x00")
lenient_syn("a valid MSS, then an option of length 0 at the end", b"\x02\x04\x05\xb4\x02\x00")
lenient_syn("a valid MSS, then an option running past the header", b"\x02\x04\x05\xb4\x08\x0a\x00\x00")
sniffer.stop()
for msg in late:
    print(f"conformance: FAIL: {msg}", file=sys.stderr)
if late:
    sys.exit(1)
print("conformance: all checks passed")
