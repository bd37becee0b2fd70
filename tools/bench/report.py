#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Turn one tools/bench/run.sh CSV into docs/PERFORMANCE.md and its plots.

  report.py --csv results.csv --meta meta.txt --out docs/PERFORMANCE.md --plots docs/perf

The page is for users: where the numbers come from (CPU, date, commit, whether
the tree had uncommitted changes), the headline ratios, one compact table per
comparison, how to reproduce them with one command, and the caveats. It holds
nothing written by hand: the dated history is docs/perf/journal.md, which this
script never reads.

CSV lines (device-bound.sh, memif.sh, tcp-echo.sh, latency.sh write the first
four with --csv; run.sh turns the output of tcp-vs-epoll.sh and tcp-loss.sh
into the last three):
  device-bound|memif,SIZE,DEVICE,LABEL,RUN,PPS,CYCLES,BASELINE
  tcp-echo,TEST,CONNS,SIZE,LABEL,RUN,TPS,GOODPUT,CPS,P50,P99,CLIENT_CPU,ERRORS,UP,BUSY,BASELINE
  latency,SIZE,DUT,LOAD,RUN,RX_PPS,RATE,P50,P99,P999,MIN,AVG,MAX,BASELINE
  tcp-wires,SERVER,POINT,TPS,P50,P99,CPU0,CPU1,BUSY,CYCLES,RESULT
  tcp-loss,LOSS,MIB,LINUX_MBS,SLUICE_MBS,TIME_RATIO,LINUX_RUNS,SLUICE_RUNS
  gen-txonly,SIZE,RUN,TESTPMD_PPS,SLUICE_GEN_PPS
The meta file holds KEY=VALUE lines (mode, date, elapsed, commit, dirty,
cpu, cores, tsc_mhz, kernel, dpdk, linked, command).

Every figure is the median over runs. A ratio is "paired": each run of a
contender is divided by its baseline's run of the same round (seconds apart,
so a change of the machine's speed between rounds cancels out), and the median
of those is shown. Uses Debian's python3-matplotlib (run with /usr/bin/python3).
"""
import argparse
import collections
import csv
import os
import statistics

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def med(vals):
    v = [x for x in (num(y) for y in vals) if x is not None]
    return statistics.median(v) if v else None


def spread(vals):
    """(max - min) / median, in percent: how noisy the runs were."""
    v = [x for x in (num(y) for y in vals) if x is not None]
    if len(v) < 2 or statistics.median(v) == 0:
        return None
    return 100.0 * (max(v) - min(v)) / statistics.median(v)


def f(x, fmt="{:.2f}"):
    return "-" if x is None else fmt.format(x)


def load(path):
    rows = collections.defaultdict(list)
    with open(path) as fh:
        for r in csv.reader(fh):
            if r:
                rows[r[0]].append(r)
    return rows


def read_meta(path):
    meta = {}
    with open(path) as fh:
        for line in fh:
            k, sep, v = line.rstrip("\n").partition("=")
            if sep:
                meta[k] = v
    return meta


class Runs:
    """Values of one contender at one point, by run (round) number."""

    def __init__(self):
        self.by_run = collections.OrderedDict()

    def add(self, run, **vals):
        self.by_run[run] = vals

    def values(self, key):
        return [v.get(key) for v in self.by_run.values()]

    def median(self, key):
        return med(self.values(key))

    def spread(self, key):
        return spread(self.values(key))


def paired(mine, theirs, key, invert=False):
    """Median over rounds of mine/theirs (theirs/mine with invert)."""
    if mine is None or theirs is None:
        return None
    ratios = []
    for run, v in mine.by_run.items():
        a, b = num(v.get(key)), num(theirs.by_run.get(run, {}).get(key))
        if a and b:
            ratios.append(b / a if invert else a / b)
    return med(ratios)


def forwarding(rows, section):
    """{(size, device, label): Runs(pps, cyc)} for device-bound or memif."""
    data = collections.OrderedDict()
    for r in rows.get(section, []):
        size, dev, label, run, pps, cyc = r[1:7]
        data.setdefault((int(size), dev, label), Runs()).add(run, pps=pps, cyc=cyc)
    return data


def plot_mpps(data, title, path, devices):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    labels = list(dict.fromkeys(lab for (_, dev, lab) in data if dev in devices))
    for label in labels:
        pts = sorted((size, d.median("pps")) for (size, dev, lab), d in data.items()
                     if lab == label and dev in devices and d.median("pps") is not None)
        if pts:
            ax.plot([p[0] for p in pts], [p[1] / 1e6 for p in pts], marker="o",
                    label=label + (" (baseline)" if label == "testpmd" else ""))
    ax.set_xlabel("frame size, bytes (incl. FCS)")
    ax.set_ylabel("Mpps (median)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def mpps(d):
    m = d.median("pps") if d else None
    return None if m is None else m / 1e6


def device_bound_section(db, md, headline, plots, rel):
    if not db:
        return
    md.append("## Device-bound forwarding, one core\n")
    md.append("`tools/bench/device-bound.sh`: one process forwards between two virtual ports on "
              "CPU 1, no generator: net_pcap replays a pcap from memory and drops what it is "
              "given to send, net_null makes and drops 64 B frames. What is measured is the "
              "application's own per-packet path. Ratios are to testpmd (routing: to l3fwd).\n")
    md.append("| device | size B | testpmd Mpps | l2fwd Mpps | sluice macswap Mpps | sluice / testpmd "
              "| sluice / l2fwd | cycles/pkt testpmd, sluice | spread % |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for dev in ("net_null", "net_pcap"):
        for size in sorted({s for (s, d, _) in db if d == dev}):
            tp, l2, sl = (db.get((size, dev, lab)) for lab in ("testpmd", "l2fwd", "sluice-macswap"))
            if sl is None and tp is None:
                continue
            r = paired(sl, tp, "pps")
            md.append(f"| {dev} | {size} | {f(mpps(tp))} | {f(mpps(l2))} | {f(mpps(sl))} | "
                      f"**{f(r)}** | {f(paired(sl, l2, 'pps'))} | "
                      f"{f(tp.median('cyc') if tp else None, '{:.1f}')}, "
                      f"{f(sl.median('cyc') if sl else None, '{:.1f}')} | "
                      f"{f(sl.spread('pps') if sl else None, '{:.0f}')} |")
            if size == 64:
                headline.append((f"macswap, {dev} 64 B, Mpps (device-bound)", f(mpps(sl)),
                                 f"testpmd {f(mpps(tp))}", r, "higher is better"))
    md.append("")
    lpm, l3 = db.get((64, "net_pcap", "sluice-ip4_lpm")), db.get((64, "net_pcap", "l3fwd-lpm"))
    if lpm or l3:
        r = paired(lpm, l3, "pps")
        md.append("IPv4 routing (`ip4_lpm` stage against DPDK's l3fwd in LPM mode, same routes, "
                  "net_pcap, 64 B): ")
        md.append(f"sluice **{f(mpps(lpm))}** Mpps, l3fwd {f(mpps(l3))} Mpps, ratio **{f(r)}**; "
                  f"sluice {f(lpm.median('cyc') if lpm else None, '{:.1f}')} cycles/packet.\n")
        headline.append(("ip4_lpm routing, net_pcap 64 B, Mpps", f(mpps(lpm)),
                         f"l3fwd {f(mpps(l3))}", r, "higher is better"))
    plot_mpps(db, "Device-bound macswap, net_pcap replay, one core (same run)",
              os.path.join(plots, "device-bound-mpps.png"), ("net_pcap",))
    md.append(f"![device-bound Mpps vs size]({rel}/device-bound-mpps.png)\n")


def memif_section(mf, md, headline, plots, rel):
    if not mf:
        return
    md.append("## Over a wire: net_memif, generator on the other core\n")
    md.append("`tools/bench/memif.sh`: testpmd flowgen (CPU 1) sends to the device under test "
              "(CPU 0) over shared-memory rings. On two cores the generator sets the rate, so the "
              "figure to compare is the DUT's busy cycles per packet (cycles of polls that got "
              "packets / packets, as testpmd's `--record-core-cycles` counts them): lower is "
              "better.\n")
    md.append("| size B | testpmd Mpps | l2fwd Mpps | sluice Mpps | busy cycles/pkt testpmd "
              "| sluice | sluice / testpmd cycles | spread % |")
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sorted({s for (s, _, _) in mf}):
        tp, l2, sl = (mf.get((size, "net_memif", lab)) for lab in ("testpmd", "l2fwd", "sluice-macswap"))
        r = paired(sl, tp, "cyc")
        md.append(f"| {size} | {f(mpps(tp))} | {f(mpps(l2))} | {f(mpps(sl))} | "
                  f"{f(tp.median('cyc') if tp else None, '{:.1f}')} | "
                  f"{f(sl.median('cyc') if sl else None, '{:.1f}')} | **{f(r, '{:.3f}')}** | "
                  f"{f(sl.spread('cyc') if sl else None, '{:.0f}')} |")
        if size == 64:
            headline.append(("macswap, net_memif 64 B, busy cycles/packet",
                             f(sl.median("cyc") if sl else None, "{:.1f}"),
                             f"testpmd {f(tp.median('cyc') if tp else None, '{:.1f}')}", r,
                             "lower is better"))
    md.append("")
    plot_mpps(mf, "net_memif: DUT tx rate vs size (generator-bound; same run)",
              os.path.join(plots, "memif-mpps.png"), ("net_memif",))
    md.append(f"![memif Mpps vs size]({rel}/memif-mpps.png)\n")


def tcp_echo_section(rows, md, headline, plots, rel):
    data = collections.OrderedDict()
    for r in rows.get("tcp-echo", []):
        test, conns, size, label, run = r[1:6]
        tps, gp, cps, p50, p99, ccpu, errs = r[6:13]
        busy = r[14]
        data.setdefault((test, int(conns), int(size), label), Runs()).add(
            run, tps=cps if test == "connect" else tps, gp=gp, p50=p50, p99=p99, busy=busy,
            errs=errs)
    if not data:
        return
    servers = list(dict.fromkeys(k[3] for k in data))
    others = [s for s in servers if s != "sluice-echo"]
    md.append("## TCP echo against Linux servers\n")
    md.append("`tools/bench/tcp-echo.sh`: one client (tools/bench/tcp-client.c, Linux sockets, "
              "CPU 1) against each server on CPU 0, each behind the same kind of wire (a veth "
              "pair; sluice-echo reads it through net_af_packet). One message in flight per "
              "connection. Figures are transactions/s (connect: connections/s, each a connect, "
              "a 64 B echo and a RST); ratios are to the epoll server.\n")
    md.append("| test | conns | msg B | " + " | ".join(servers) + " | sluice / epoll "
              "| sluice p50 / p99 us | errors |")
    md.append("|---|---:|---:|" + "---:|" * len(servers) + "---:|---:|---:|")
    for key in dict.fromkeys((t, c, s) for (t, c, s, _) in data):
        t, c, s = key
        sl, ep = data.get(key + ("sluice-echo",)), data.get(key + ("epoll",))
        r = paired(sl, ep, "tps")
        errs = sum(int(num(e) or 0) for d in (data.get(key + (x,)) for x in servers) if d
                   for e in d.values("errs"))
        cells = " | ".join(f((data.get(key + (x,)) or Runs()).median("tps"), "{:,.0f}") for x in servers)
        md.append(f"| {'connect+echo+RST' if t == 'connect' else 'echo'} | {c} | {s} | {cells} | "
                  f"**{f(r)}** | {f(sl.median('p50') if sl else None, '{:.0f}')} / "
                  f"{f(sl.median('p99') if sl else None, '{:.0f}')} | {errs} |")
        if (t, c, s) == ("echo", 64, 64):
            headline.append(("TCP echo, 64 connections, 64 B, transactions/s",
                             f(sl.median("tps") if sl else None, "{:,.0f}"),
                             f"epoll {f(ep.median('tps') if ep else None, '{:,.0f}')}", r,
                             "higher is better"))
    md.append("")
    if others:
        md.append("asyncio and uvloop are Python servers (tools/bench/py-echo.py); all servers but "
                  "sluice-echo run the kernel's TCP, whose receive work runs in softirq on the "
                  "client's core and is not charged to them.\n")
    cases = [k for k in dict.fromkeys((t, c, s) for (t, c, s, _) in data) if k[0] == "echo"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    width = 0.8 / max(1, len(servers))
    for i, srv in enumerate(servers):
        xs = range(len(cases))
        tps = [(data.get(k + (srv,)) or Runs()).median("tps") or 0 for k in cases]
        gp = [((data.get(k + (srv,)) or Runs()).median("gp") or 0) / 1e6 for k in cases]
        lab = srv + (" (baseline)" if srv == "epoll" else "")
        axes[0].bar([x + i * width for x in xs], [v / 1e3 for v in tps], width, label=lab)
        axes[1].bar([x + i * width for x in xs], gp, width, label=lab)
    for ax, yl in ((axes[0], "k transactions/s"), (axes[1], "goodput Mbit/s")):
        ax.set_xticks([x + width * (len(servers) - 1) / 2 for x in range(len(cases))])
        ax.set_xticklabels([f"{c} conn\n{s} B" for (_, c, s) in cases], fontsize=8)
        ax.set_ylabel(yl)
        ax.grid(True, axis="y", alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("TCP echo: sluice-echo vs Linux epoll / asyncio / uvloop (same run)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(plots, "tcp-echo.png"), dpi=110)
    plt.close(fig)
    md.append(f"![TCP echo]({rel}/tcp-echo.png)\n")


WIRES = (("sluice-memif", "sluice-echo, memif"), ("sluice-afxdp", "sluice-echo, af_xdp"),
         ("sluice-afp", "sluice-echo, af_packet"), ("epoll", "epoll"), ("asyncio", "asyncio"),
         ("uvloop", "uvloop"))


def tcp_wires_section(rows, md):
    data = collections.OrderedDict()
    for r in rows.get("tcp-wires", []):
        srv, point, tps, p50, p99, cpu0, cpu1, busy, cyc, res = r[1:11]
        data[(point, srv)] = dict(tps=num(tps), cyc=num(cyc), p99=num(p99), res=res)
    if not data:
        return
    md.append("## TCP echo on three wires: memif, af_xdp, af_packet\n")
    md.append("`tools/bench/tcp-vs-epoll.sh`: sluice-gen's TCP client (CPU 1) against "
              "sluice-echo on each wire sluice can use, and the Linux servers behind af_packet/veth "
              "(CPU 0), 64 B messages; CONNS x DEPTH messages in flight. Cells: transactions/s, "
              "then the server's busy cycles per transaction (sluice: its worker's busy cycles; "
              "kernel servers: CPU 0 only, which leaves out their receive path).\n")
    servers = [(k, n) for k, n in WIRES if any(s == k for (_, s) in data)]
    md.append("| point | " + " | ".join(n for _, n in servers) + " |")
    md.append("|---|" + "---:|" * len(servers))
    bad = []
    for point in dict.fromkeys(p for (p, _) in data):
        cells = []
        for k, _ in servers:
            d = data.get((point, k))
            cells.append("-" if d is None else f"{f(d['tps'], '{:,.0f}')} / {f(d['cyc'], '{:,.0f}')}")
            if d and d["res"] != "pass":
                bad.append(f"{k} {point}: {d['res']}")
        md.append(f"| {point} | " + " | ".join(cells) + " |")
    md.append("")
    if bad:
        md.append("Rows whose echoed bytes did not all check: " + ", ".join(bad) + ".\n")


def tcp_loss_section(rows, md, headline):
    data = rows.get("tcp-loss", [])
    if not data:
        return
    md.append("## TCP goodput under random loss, against Linux\n")
    md.append("`tools/bench/tcp-loss.sh`: one kernel client, one connection echoing N MiB "
              "(sha256-checked) to sluice-echo (af_packet/veth) and to tools/bench/epoll-echo.c "
              "(Linux: SACK, RACK-TLP, CUBIC) over the same kind of veth; iptables drops the given "
              "share at random each way. The ratio is sluice's time over Linux's (lower is "
              "better; \">\": a sluice run was cut off).\n")
    md.append("| loss each way | MiB | Linux MB/s | sluice MB/s | sluice / Linux time | runs, s (Linux \\| sluice) |")
    md.append("|---:|---:|---:|---:|---:|---|")
    top = None
    for loss, mib, lm, sm, ratio, lruns, sruns in (r[1:8] for r in data):
        md.append(f"| {loss} % | {mib} | {lm} | {sm} | **{ratio}** | {lruns} \\| {sruns} |")
        if loss == "1" and (top is None or int(mib) > int(top[0])):
            top = (mib, lm, sm, ratio)
    md.append("")
    if top:
        mib, lm, sm, ratio = top
        headline.append((f"TCP echo of {mib} MiB at 1 % loss each way, MB/s", sm, f"Linux {lm}",
                         ratio, "time ratio (sluice / Linux), lower is better"))


def latency_section(rows, md, headline, plots, rel):
    data = collections.OrderedDict()
    for r in rows.get("latency", []):
        size, dut, load_, run, rx, rate, p50, p99, p999, mn, avg, mx = r[1:13]
        data.setdefault((dut, load_), Runs()).add(run, rx=rx, rate=rate, p50=p50, p99=p99,
                                                  p999=p999, avg=avg, max=mx)
    if not data:
        return
    duts = list(dict.fromkeys(d for (d, _) in data))
    md.append("## Latency under load, net_memif\n")
    md.append("`tools/bench/latency.sh`: sluice-gen (CPU 1) sends timestamped 64 B UDP frames to "
              "a macswap DUT (CPU 0) and times each round trip. Load is a share of that DUT's own "
              "unpaced rate, found first in the same run. Round trip in microseconds, p50 / p99 "
              "/ p99.9.\n")
    md.append("| load | " + " | ".join(duts) + " |")
    md.append("|---:|" + "---:|" * len(duts))
    for load_ in dict.fromkeys(l for (_, l) in data):
        cells = []
        for dut in duts:
            d = data.get((dut, load_))
            if d is None:
                cells.append("-")
            elif load_ == "max":
                cells.append(f"{f(d.median('rx'), '{:,.0f}')} pps")
            else:
                cells.append(" / ".join(f(d.median(k), "{:.1f}") for k in ("p50", "p99", "p999")))
        md.append(f"| {'unpaced rate' if load_ == 'max' else load_ + ' %'} | " + " | ".join(cells) + " |")
    md.append("")
    sl, tp = data.get(("sluice-macswap", "50")), data.get(("testpmd", "50"))
    if sl:
        headline.append(("round trip at 50 % load, net_memif 64 B, p99 us", f(sl.median("p99"), "{:.1f}"),
                         f"testpmd {f(tp.median('p99') if tp else None, '{:.1f}')}", paired(sl, tp, "p99"),
                         "lower is better"))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for dut in duts:
        pts = sorted((int(l), d) for (d_, l), d in data.items() if d_ == dut and l != "max")
        for k, style in (("p50", "-o"), ("p99", "--s")):
            ax.plot([p[0] for p in pts], [p[1].median(k) for p in pts], style,
                    label=f"{dut}{' (baseline)' if dut == 'testpmd' else ''} {k}")
    ax.set_yscale("log")
    ax.set_xlabel("load, % of the DUT's unpaced rate")
    ax.set_ylabel("round-trip latency, us (log)")
    ax.set_title("Latency under load, net_memif, 64 B (sluice-gen)", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(plots, "latency.png"), dpi=110)
    plt.close(fig)
    md.append(f"![latency]({rel}/latency.png)\n")


def gen_section(rows, md, headline):
    runs = Runs()
    for r in rows.get("gen-txonly", []):
        size, run, tp, gen = r[1:5]
        runs.add(run, tp=tp, gen=gen)
    if not runs.by_run:
        return
    ratio = med([num(v["gen"]) / num(v["tp"]) for v in runs.by_run.values()
                 if num(v["gen"]) and num(v["tp"])])
    gen, tp = runs.median("gen"), runs.median("tp")
    md.append("## Packet generator: sluice-gen against testpmd txonly\n")
    md.append("`tools/bench/gen-vs-txonly.sh`: each sender in turn (CPU 1) sends 64 B frames "
              "unpaced over net_memif to the same receiver, testpmd rxonly (CPU 0); the rate is "
              "what the sender's port accepted, read through telemetry. "
              f"sluice-gen **{f(gen / 1e6 if gen else None)}** Mpps, testpmd txonly "
              f"{f(tp / 1e6 if tp else None)} Mpps: ratio **{f(ratio)}** (paired by round; "
              f"spread {f(runs.spread('gen'), '{:.0f}')} %).\n")
    headline.append(("sluice-gen tx-only, net_memif 64 B, Mpps", f(gen / 1e6 if gen else None),
                     f"testpmd txonly {f(tp / 1e6 if tp else None)}", ratio, "higher is better"))


def header(meta, md):
    quick = meta.get("mode") != "full"
    commit = meta.get("commit", "?")
    md.append("# sluice performance\n")
    md.append("sluice against the programs a DPDK user would otherwise run: `dpdk-testpmd` and "
              "DPDK's l2fwd/l3fwd examples for forwarding, a Linux epoll server (and Python's "
              "asyncio and uvloop) for TCP. Every row of a table was measured in the same run as "
              "its baseline, on the same core and the same kind of wire.\n")
    md.append("This page is generated: `" + meta.get("command", "tools/bench/run.sh") + "` ran "
              f"on {meta.get('date', '?')} for {meta.get('elapsed', '?')} s; "
              "tools/bench/report.py wrote it. The dated history of what was tried is "
              "[perf/journal.md](perf/journal.md).\n")
    if quick:
        md.append("> **Quick run: 1 run of 1 s per point.** A check that the page is right in shape, "
                  "not figures to quote; `tools/bench/run.sh --full` replaces it.\n")
    if meta.get("dirty"):
        md.append(f"> **Measured on a tree with uncommitted changes** ({meta['dirty']}) on top of "
                  f"{commit}: these figures belong to no commit.\n")
    md.append(f"- sluice {commit}{' + uncommitted changes' if meta.get('dirty') else ''}; "
              f"DPDK {meta.get('dpdk', '?')}; kernel {meta.get('kernel', '?')}")
    md.append(f"- CPU: {meta.get('cpu', '?')}, {meta.get('cores', '?')} cores, TSC "
              f"{meta.get('tsc_mhz') or '?'} MHz; no physical NIC (virtual devices only)")
    md.append(f"- DPDK linked: {meta.get('linked') or '?'}")
    md.append("")


def headline_section(headline, md):
    if not headline:
        return
    md.append("## Headline\n")
    md.append("| what | sluice | baseline | sluice / baseline (paired) | |")
    md.append("|---|---:|---:|---:|---|")
    for what, mine, base, ratio, note in headline:
        md.append(f"| {what} | {mine} | {base} | **{ratio if isinstance(ratio, str) else f(ratio)}** | {note} |")
    md.append("")


def reproduce_section(meta, md):
    md.append("## Reproduce\n")
    md.append("    meson setup build && ninja -C build")
    md.append("    sudo tools/bench/run.sh --full     # writes this page and docs/perf/*.png\n")
    md.append("It needs root (DPDK, namespaces), 2 cores, hugepages, Debian's dpdk, dpdk-doc (for "
              "l2fwd/l3fwd), python3-scapy and python3-matplotlib. It refuses a tree with "
              "uncommitted changes unless given `--allow-dirty`, and then says so on the page. "
              "`--quick` (1 run of 1 s per point) checks the set-up in a few minutes. Each step "
              "is a script of its own under tools/bench/ (`--help`); the steps of this run:\n")
    for s in meta.get("steps", "").split(";"):
        if s.strip():
            md.append(f"    sudo {s.strip()}")
    md.append("")
    md.append("To compare two commits in one run (macswap and memif against testpmd, "
              "sluice-gen against testpmd txonly, before and after alternating): "
              "`sudo tools/bench/before-after.sh REV`.\n")


def method_caveats(md):
    md.append("## Method and caveats\n")
    for line in (
        "Contenders alternate within each round (A B C A B C ...), so a slow minute of the "
        "machine hits all of them; a table shows the median over rounds, and \"spread\" is "
        "(max - min) / median of sluice's runs.",
        "Rates are read the same way for every program: the growth of its ports' packet "
        "counters through DPDK's telemetry socket over the measured window, after a warm-up.",
        "Cycles per packet are each program's own figure: testpmd's `--record-core-cycles`, "
        "sluice's busy cycles (a TSC read before the receive and after the transmit of walks "
        "that got packets). l2fwd and l3fwd report none.",
        "No physical NIC: net_null, net_pcap and net_memif measure the application's path, "
        "not a NIC's. On a real NIC the PMD's share grows and the differences shrink.",
        "Two cores and a virtual machine: runs of the same program move 5-40 % between "
        "rounds when anything else runs. Read a ratio together with its spread; a difference "
        "inside the spread is no difference.",
        "How a program links DPDK matters (static avoids a `__tls_get_addr` call per mbuf, "
        "4-13 % here): the \"DPDK linked\" line above says how each contender was built; "
        "`TESTPMD=$(tools/bench/build-testpmd.sh | tail -n 1)` compares against a static testpmd.",
        "The kernel servers' TCP receive work runs in softirq on the client's core over a veth, "
        "so their server-side CPU figures understate them.",
    ):
        md.append(f"- {line}")
    md.append("")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--csv", required=True)
    p.add_argument("--meta", required=True, help="KEY=VALUE lines written by run.sh")
    p.add_argument("--out", required=True)
    p.add_argument("--plots", required=True)
    a = p.parse_args()
    os.makedirs(a.plots, exist_ok=True)
    rows = load(a.csv)
    meta = read_meta(a.meta)
    rel = os.path.relpath(a.plots, os.path.dirname(os.path.abspath(a.out)))
    headline, body = [], []
    device_bound_section(forwarding(rows, "device-bound"), body, headline, a.plots, rel)
    memif_section(forwarding(rows, "memif"), body, headline, a.plots, rel)
    gen_section(rows, body, headline)
    tcp_echo_section(rows, body, headline, a.plots, rel)
    tcp_wires_section(rows, body)
    tcp_loss_section(rows, body, headline)
    latency_section(rows, body, headline, a.plots, rel)
    md = []
    header(meta, md)
    headline_section(headline, md)
    reproduce_section(meta, md)
    md += body
    method_caveats(md)
    with open(a.out, "w") as fh:
        fh.write("\n".join(md).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
