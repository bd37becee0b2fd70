#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Send COUNT identical 60-byte UDP frames out of IFACE as fast as one
AF_PACKET socket can, and print how many the kernel accepted.

Usage: raw_flood.py IFACE COUNT [DST_MAC]
Used by af_packet_rx_missed.sh (run pinned to the receiver's CPU, so the
receiver cannot drain its ring while the sender runs). Every send() that
returns is a frame handed to the device: ENOBUFS is retried, not counted.
"""
import socket
import struct
import sys
import time


def csum(b):
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xFFFF)
    t += t >> 16
    return ~t & 0xFFFF


def main():
    ifc, count = sys.argv[1], int(sys.argv[2])
    dst = bytes.fromhex((sys.argv[3] if len(sys.argv) > 3 else "02:00:00:00:00:02").replace(":", ""))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifc, 0))
    src = s.getsockname()[4]
    ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 46, 0, 0, 64, 17, 0,
                               socket.inet_aton("10.0.0.1"), socket.inet_aton("10.0.0.2")))
    ip[10:12] = struct.pack("!H", csum(bytes(ip)))
    udp = struct.pack("!HHHH", 9, 9, 26, 0) + b"x" * 18
    frame = dst + src + b"\x08\x00" + bytes(ip) + udp
    sent = 0
    t0 = time.monotonic()
    while sent < count:
        try:
            s.send(frame)
            sent += 1
        except BlockingIOError:
            time.sleep(0.0001)
        except OSError as e:
            if e.errno != 105:  # ENOBUFS: the device queue is full, try again
                raise
            time.sleep(0.0001)
    print(f"sent {sent} in {time.monotonic() - t0:.2f} s")


if __name__ == "__main__":
    main()
