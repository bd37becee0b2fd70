#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Turn tools/bench CSV results into docs/PERFORMANCE.md tables and PNG plots.

  report.py --csv results.csv --out docs/PERFORMANCE.md --plots docs/perf \
            --header header.md [--record record.csv]

CSV lines (written by device-bound.sh, memif.sh, tcp-echo.sh, latency.sh):
  device-bound|memif,SIZE,GROUP,LABEL,RUN,PPS,CYCLES,BASELINE
  tcp-echo,TEST,CONNS,SIZE,LABEL,RUN,TPS,GOODPUT,CPS,P50,P99,CLIENT_CPU,ERRORS,UP,BUSY,BASELINE
  latency,SIZE,DUT,LOAD,RUN,RX_PPS,RATE,P50,P99,P999,MIN,AVG,MAX,BASELINE
Every number in the tables is the median over runs; each row names its
baseline, measured in the same invocation. Uses Debian's python3-matplotlib
(run with /usr/bin/python3).
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
    if path and os.path.exists(path):
        with open(path) as fh:
            for r in csv.reader(fh):
                if r:
                    rows[r[0]].append(r)
    return rows


def forwarding(rows, section, title, md, tsc_mhz):
    """Tables for device-bound / memif: per (size, group) the contenders."""
    data = collections.OrderedDict()
    for r in rows.get(section, []):
        size, group, label, run, pps, cyc, base = r[1:8]
        d = data.setdefault((int(size), group, label),
                            {"pps": [], "cyc": [], "run": [], "base": base})
        d["pps"].append(pps)
        d["cyc"].append(cyc)
        d["run"].append(run)
    if not data:
        return data
    md.append(f"### {title}\n")
    cyc_h = "busy cycles/pkt (DUT)" if section == "memif" else "cycles/pkt (app)"
    md.append(f"| size B | device | contender | median Mpps | baseline (same run) | ratio | {cyc_h} "
              "| spread % | runs Mpps |")
    md.append("|---:|---|---|---:|---|---:|---:|---:|---|")
    for (size, group, label), d in data.items():
        m = med(d["pps"])
        base = d["base"] or ""
        ratio = None
        if base and (size, group, base) in data:
            b = med(data[(size, group, base)]["pps"])
            ratio = m / b if m and b else None
        runs = " ".join(f(num(p) / 1e6) if num(p) is not None else "-" for p in d["pps"])
        md.append(f"| {size} | {group} | {label} | {f(m / 1e6 if m else None)} | "
                  f"{base or '(baseline)'} | {f(ratio)} | {f(med(d['cyc']), '{:.1f}')} | "
                  f"{f(spread(d['pps']), '{:.0f}')} | {runs} |")
    md.append("")
    return data


def plot_mpps(data, title, path, group_filter):
    fig, ax = plt.subplots(figsize=(7, 4.2))
    labels = []
    for (size, group, label) in data:
        if group_filter(group) and label not in labels:
            labels.append(label)
    for label in labels:
        pts = sorted((size, med(d["pps"])) for (size, group, lab), d in data.items()
                     if lab == label and group_filter(group) and med(d["pps"]) is not None)
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


def tcp(rows, md, plots):
    data = collections.OrderedDict()
    for r in rows.get("tcp-echo", []):
        test, conns, size, label, run = r[1:6]
        tps, gp, cps, p50, p99, ccpu, errs, up, busy, base = r[6:16]
        d = data.setdefault((test, int(conns), int(size), label),
                            {"tps": [], "gp": [], "cps": [], "p50": [], "p99": [], "ccpu": [],
                             "busy": [], "errs": 0, "base": base})
        for k, v in (("tps", tps), ("gp", gp), ("cps", cps), ("p50", p50), ("p99", p99),
                     ("ccpu", ccpu), ("busy", busy)):
            d[k].append(v)
        d["errs"] += int(num(errs) or 0)
    if not data:
        return
    md.append("### TCP echo (tools/bench/tcp-echo.sh)\n")
    md.append("Server on CPU 0, client (tools/bench/tcp-client.c, Linux sockets) on CPU 1. "
              "One message in flight per connection. Goodput = echoed payload, one direction. "
              "Latency = per-transaction round trip seen by the client. Busy: sluice worker "
              "busy cycles / all cycles (telemetry); kernel servers: process CPU time / wall "
              "time (their softirq work is not counted, so it understates them).\n")
    md.append("| test | conns | msg B | server | median trans/s | baseline | ratio | goodput Mbit/s "
              "| p50 us | p99 us | server busy | client CPU | spread % | errors |")
    md.append("|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (test, conns, size, label), d in data.items():
        key = "cps" if test == "connect" else "tps"
        m = med(d[key])
        base = d["base"]
        ratio = None
        if base and (test, conns, size, base) in data:
            b = med(data[(test, conns, size, base)][key])
            ratio = m / b if m and b else None
        gp = med(d["gp"])
        md.append(f"| {'connect+echo+RST' if test == 'connect' else 'echo'} | {conns} | {size} | "
                  f"{label} | {f(m, '{:.0f}')}{' conn/s' if test == 'connect' else ''} | "
                  f"{base or '(baseline)'} | {f(ratio)} | {f(gp / 1e6 if gp else None, '{:.1f}')} | "
                  f"{f(med(d['p50']), '{:.1f}')} | {f(med(d['p99']), '{:.1f}')} | "
                  f"{f(med(d['busy']), '{:.2f}')} | {f(med(d['ccpu']), '{:.2f}')} | "
                  f"{f(spread(d[key]), '{:.0f}')} | {d['errs']} |")
    md.append("")
    servers = list(dict.fromkeys(k[3] for k in data))
    cases = [k for k in dict.fromkeys((t, c, s) for (t, c, s, _) in data) if k[0] == "echo"]
    if cases:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
        width = 0.8 / max(1, len(servers))
        for i, srv in enumerate(servers):
            xs = range(len(cases))
            tps = [med(data.get((t, c, s, srv), {}).get("tps", [])) or 0 for (t, c, s) in cases]
            gp = [(med(data.get((t, c, s, srv), {}).get("gp", [])) or 0) / 1e6 for (t, c, s) in cases]
            lab = srv + (" (baseline)" if srv == "epoll" else "")
            axes[0].bar([x + i * width for x in xs], [v / 1e3 for v in tps], width, label=lab)
            axes[1].bar([x + i * width for x in xs], gp, width, label=lab)
        names = [f"{c} conn\n{s} B" for (_, c, s) in cases]
        for ax, yl in ((axes[0], "k transactions/s"), (axes[1], "goodput Mbit/s")):
            ax.set_xticks([x + width * (len(servers) - 1) / 2 for x in range(len(cases))])
            ax.set_xticklabels(names, fontsize=8)
            ax.set_ylabel(yl)
            ax.grid(True, axis="y", alpha=0.3)
        axes[0].legend(fontsize=8)
        fig.suptitle("TCP echo: sluice-echo vs Linux epoll / asyncio / uvloop (same run)", fontsize=10)
        fig.tight_layout()
        fig.savefig(os.path.join(plots, "tcp-echo.png"), dpi=110)
        plt.close(fig)


def latency(rows, md, plots):
    data = collections.OrderedDict()
    for r in rows.get("latency", []):
        size, dut, load_, run, rx, rate, p50, p99, p999, mn, avg, mx, base = r[1:14]
        d = data.setdefault((dut, load_), {"rx": [], "rate": [], "p50": [], "p99": [], "p999": [],
                                           "min": [], "avg": [], "max": [], "base": base})
        for k, v in (("rx", rx), ("rate", rate), ("p50", p50), ("p99", p99), ("p999", p999),
                     ("min", mn), ("avg", avg), ("max", mx)):
            d[k].append(v)
    if not data:
        return
    have_pct = any(med(d["p50"]) is not None for d in data.values())
    md.append("### Latency under load over net_memif (tools/bench/latency.sh)\n")
    md.append("sluice-gen on CPU 1 sends timestamped 64 B UDP frames; the DUT (macswap) on CPU 0 "
              "returns them. Load = percent of that DUT's own unpaced rate, found in the same run. "
              + ("" if have_pct else "**sluice-gen's --json has no percentiles yet** (only "
                 "min/avg/max): the p50/p99 columns stay empty until it does; avg and max shown.")
              + "\n")
    md.append("| DUT | load | offered pps | back pps | baseline | p50 us | p99 us | p999 us | min us "
              "| avg us | max us |")
    md.append("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for (dut, load_), d in data.items():
        md.append(f"| {dut} | {load_ if load_ == 'max' else load_ + '%'} | "
                  f"{f(med(d['rate']), '{:.0f}')} | {f(med(d['rx']), '{:.0f}')} | "
                  f"{d['base'] or '(baseline)'} | {f(med(d['p50']))} | {f(med(d['p99']))} | "
                  f"{f(med(d['p999']))} | {f(med(d['min']))} | {f(med(d['avg']))} | "
                  f"{f(med(d['max']))} |")
    md.append("")
    fig, ax = plt.subplots(figsize=(7, 4.2))
    keys = ("p50", "p99") if have_pct else ("avg", "max")
    for dut in dict.fromkeys(k[0] for k in data):
        pts = [(int(l), data[(dut, l)]) for (d_, l) in data if d_ == dut and l != "max"]
        pts.sort(key=lambda p: p[0])
        for k, style in zip(keys, ("-o", "--s")):
            ys = [med(d[k]) for _, d in pts]
            ax.plot([p[0] for p in pts], ys, style,
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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--csv", required=True)
    p.add_argument("--record", help="CSV of the long 64 B device-bound record run")
    p.add_argument("--out", required=True)
    p.add_argument("--plots", required=True)
    p.add_argument("--header", required=True)
    p.add_argument("--tsc-mhz", type=float, default=None)
    a = p.parse_args()
    os.makedirs(a.plots, exist_ok=True)
    rows = load(a.csv)
    rel = os.path.relpath(a.plots, os.path.dirname(os.path.abspath(a.out)))
    md = [open(a.header).read()]
    if a.record:
        rec = load(a.record)
        # Runs per contender (several invocations may append to one CSV, each numbering from 1).
        per = collections.Counter((r[1], r[2], r[3]) for r in rec.get("device-bound", []))
        nruns = min(per.values()) if per else 0
        d = forwarding(rec, "device-bound", f"Record run: device-bound, 64 B, net_null and net_pcap, one core, "
                       f"{nruns} runs per contender (the issue's targets)", md, a.tsc_mhz)
        if d:
            def ratio(dev, lab, base):
                m, b = med(d.get((64, dev, lab), {}).get("pps", [])), \
                    med(d.get((64, dev, base), {}).get("pps", []))
                return m / b if m and b else None

            def paired(dev, lab, base):
                # Runs in CSV order: the k-th of each contender ran in the same round,
                # seconds apart, so a change of the machine's speed between rounds or
                # invocations cancels out (the ratio of medians does not survive one).
                mine = [num(p) for p in d.get((64, dev, lab), {}).get("pps", [])]
                theirs = [num(p) for p in d.get((64, dev, base), {}).get("pps", [])]
                return med([x / y for x, y in zip(mine, theirs) if x and y])
            for dev, lab, base, what in (("net_null", "sluice-macswap", "testpmd", "macswap / testpmd macswap"),
                                         ("net_pcap", "sluice-macswap", "testpmd", "macswap / testpmd macswap"),
                                         ("net_pcap", "sluice-ip4_lpm", "l3fwd-lpm", "ip4_lpm / l3fwd LPM")):
                r, pr = ratio(dev, lab, base), paired(dev, lab, base)
                if r is not None:
                    ok = r >= 0.95 and (pr is None or pr >= 0.95)
                    md.append(f"- {dev}: sluice {what} = **{f(r)}** (ratio of medians), paired by "
                              f"round **{f(pr)}** (target >= 0.95 for both: {'met' if ok else 'NOT met'})")
            md.append("- how each contender links DPDK is on the \"DPDK linked\" line above; "
                      "a static link is worth 4-13 % here, so where testpmd is Debian's shared "
                      "binary see the hand-run entries of 2026-12-03 (twelfth to fourteenth "
                      "sessions) for figures with every contender linked the same way "
                      "(tools/bench/build-testpmd.sh builds a static testpmd)")
            md.append("")
    db = forwarding(rows, "device-bound", "Device-bound forwarding, one core (tools/bench/"
                    "device-bound.sh)", md, a.tsc_mhz)
    if db:
        plot_mpps(db, "Device-bound macswap, net_pcap replay, one core (same run)",
                  os.path.join(a.plots, "device-bound-mpps.png"), lambda g: g == "net_pcap")
        md.append(f"![device-bound Mpps vs size]({rel}/device-bound-mpps.png)\n")
    mf = forwarding(rows, "memif", "net_memif, generator (testpmd flowgen, CPU 1) vs DUT "
                    "(CPU 0) (tools/bench/memif.sh)", md, a.tsc_mhz)
    if mf:
        c = {k: med(d["cyc"]) for k, d in mf.items()}
        for (size, group, label), v in c.items():
            if label != "testpmd":
                b = c.get((size, group, "testpmd"))
                if v is not None and b is not None:
                    # Rounds alternate the DUTs: pair each run with testpmd's in its round.
                    mine = dict(zip(mf[(size, group, label)]["run"], mf[(size, group, label)]["cyc"]))
                    theirs = dict(zip(mf[(size, group, "testpmd")]["run"],
                                      mf[(size, group, "testpmd")]["cyc"]))
                    pairs = [num(mine[r]) / num(theirs[r]) for r in mine
                             if r in theirs and num(mine[r]) and num(theirs[r])]
                    pc = med(pairs)
                    md.append(f"- {size} B: {label} busy cycles/pkt {v:.1f} vs testpmd {b:.1f}"
                              f"{f', paired over {len(pairs)} rounds {pc:.3f}' if pc else ''}: "
                              f"target (<=) {'met' if (pc if pc else v / b) <= 1 else 'NOT met'}")
        md.append("")
        plot_mpps(mf, "net_memif: DUT tx rate vs size (generator-bound; same run)",
                  os.path.join(a.plots, "memif-mpps.png"), lambda g: True)
        md.append(f"![memif Mpps vs size]({rel}/memif-mpps.png)\n")
    tcp(rows, md, a.plots)
    if rows.get("tcp-echo"):
        md.append(f"![TCP echo]({rel}/tcp-echo.png)\n")
    latency(rows, md, a.plots)
    if rows.get("latency"):
        md.append(f"![latency]({rel}/latency.png)\n")
    # Runs recorded by hand (a command this script does not drive, or one
    # contender re-measured after a change) live in docs/perf/manual.md, with
    # their date, CPU and command; they are kept across regenerations.
    manual = os.path.join(a.plots, "manual.md")
    if os.path.exists(manual):
        with open(manual) as fh:
            md.append(fh.read())
    with open(a.out, "w") as fh:
        fh.write("\n".join(md).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
