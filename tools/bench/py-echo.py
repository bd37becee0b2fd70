#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""TCP echo servers on Python's asyncio, for tools/bench/tcp-echo.sh.

  py-echo.py [--loop asyncio|uvloop] [--addr A] [--port P] [--cpu N]

The same protocol-level echo (data_received -> write) on either event loop;
uvloop comes from Debian's python3-uvloop. Runs until SIGINT/SIGTERM, then
prints its CPU time. Run it with Debian's /usr/bin/python3.
"""
import argparse
import asyncio
import os
import resource
import signal
import socket
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.t = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data):
        self.t.write(data)


async def serve(addr, port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for s in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(s, lambda: stop.done() or stop.set_result(None))
    server = await loop.create_server(Echo, addr, port, backlog=4096, reuse_address=True)
    print(f"py-echo: listening on {addr}:{port}", flush=True)
    await stop
    server.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    p.add_argument("--addr", default="0.0.0.0")
    p.add_argument("--port", type=int, default=7)
    p.add_argument("--cpu", type=int, default=-1)
    a = p.parse_args()
    if a.cpu >= 0:
        os.sched_setaffinity(0, {a.cpu})
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if a.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            sys.exit("py-echo: uvloop missing: apt-get install python3-uvloop "
                     "(and run with /usr/bin/python3)")
        uvloop.install()
    asyncio.run(serve(a.addr, a.port))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(f"py-echo: cpu user {ru.ru_utime:.3f} s sys {ru.ru_stime:.3f} s", flush=True)


if __name__ == "__main__":
    main()
