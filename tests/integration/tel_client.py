#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Ask a DPDK process one telemetry command and print the JSON answer.

Usage: tel_client.py FILE_PREFIX COMMAND [TIMEOUT_S]
The socket is /var/run/dpdk/FILE_PREFIX/dpdk_telemetry.v2 (also with
--in-memory); SOCK_SEQPACKET, a JSON greeting first, then one reply per
command. Retries until TIMEOUT_S: the socket appears during EAL init.
"""
import json
import os
import socket
import sys
import time


def main():
    prefix, cmd = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 20
    path = os.path.join(os.environ.get("RUNTIME_DIRECTORY", "/var/run/dpdk"), prefix,
                        "dpdk_telemetry.v2")
    deadline = time.monotonic() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            s.settimeout(5)
            s.connect(path)
            greeting = json.loads(s.recv(4096).decode())
            s.send(cmd.encode())
            reply = json.loads(s.recv(int(greeting.get("max_output_len", 16384))).decode())
            print(json.dumps(reply))
            return 0
        except (OSError, ValueError) as e:
            if time.monotonic() > deadline:
                print(f"tel_client: {path}: {e}", file=sys.stderr)
                return 1
            time.sleep(0.2)


sys.exit(main())
