#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sluice-gen packet mode against sluice-fwd macswap over memif:
#  1. IMIX at a line-rate percentage, UDP checksums on, count-based: every
#     packet back, sequence checks pass, latency percentiles measured, and
#     the --json file parses with the documented keys (docs/sluice-gen.md).
#  2. A size sweep at a Gbps rate for a duration.
#  3. A short RFC 2544 search from a rate no memif link reaches (50 Mpps),
#     so that it has to bisect: finds a rate, reports every trial, and the
#     first trial fails while a later one passes.
#  4. Closed loop (--window 8 --burst 8): one 8-packet burst in flight at a
#     time, so every graph walk of sluice-fwd carries exactly 8 packets
#     (its macswap stage: objs = 8 x calls); unpaced without the window,
#     walks take what has piled up.
# Usage: gen_packet.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

sock=$IT_TMP/memif.sock
it_write "$IT_TMP/fwd.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = echo
[pipeline echo]
stages = macswap
EOT
# One sluice-fwd per run: the generator stops polling (--linger) and
# sluice-fwd leaves first, so no memif side polls while its peer leaves
# (tests/integration/lib.sh, "Ending a memif run").
gen() { # NAME ARGS...
	local name=$1 fwd
	shift
	# shellcheck disable=SC2046
	it_start "$IT_TMP/fwd-$name.log" 90 "$SLUICE_FWD" --lcores 0@1,1@0 $(it_eal "fwd-$name") \
		--vdev "net_memif0,role=server,socket=$sock,$IT_MEMIF_RING" -- --config "$IT_TMP/fwd.ini" --quiet
	fwd=$IT_PID
	it_wait_for "$IT_TMP/fwd-$name.log" "running:" 20 || { it_show "$IT_TMP/fwd-$name.log"; it_fail "sluice-fwd did not start"; }
	# shellcheck disable=SC2046
	it_start "$IT_TMP/$name.log" 40 "$SLUICE_GEN" -l 1 $(it_eal "gen-$name") \
		--vdev "net_memif0,role=client,socket=$sock,$IT_MEMIF_RING" -- --ports net_memif0 \
		--dst-mac 02:00:00:00:00:aa --json "$IT_TMP/$name.json" "${IT_LINGER[@]}" "$@"
	it_gen_then_stop "$IT_TMP/$name.log" "$IT_PID" "$fwd"
	cat "$IT_TMP/$name.log"
	[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/fwd-$name.log"; it_fail "sluice-gen $name exited $GEN_RC"; }
	[[ $DUT_RC -eq 0 ]] || { it_show "$IT_TMP/fwd-$name.log"; it_fail "sluice-fwd exited $DUT_RC on SIGINT"; }
}

N=30000
gen imix --count $N --size imix --rate 2% --line-rate 10G --flows 16 --udp-cksum \
	--expect macswap --stats-interval 1
gen sweep --duration 1.5 --size 64-1518 --size-sweep --rate 1Gbps --expect macswap
gen search --search --rate 50M --search-min 50k --search-precision 25 --trial-s 0.5 \
	--search-loss 0.5 --wait-ms 200 --quiet

W=20000
gen window --count $W --window 8 --burst 8 --expect macswap
# The stage line of sluice-fwd's final stats: "macswap-echo  calls C  objs O ...".
read -r calls objs < <(awk '/macswap-echo +calls/ {for (i = 1; i < NF; i++) {
	if ($i == "calls") c = $(i + 1); if ($i == "objs") o = $(i + 1) } } END {print c, o}' \
	"$IT_TMP/fwd-window.log")
it_say "closed loop: macswap stage calls ${calls:-?} objs ${objs:-?}"
[[ -n $calls && $objs -eq $W && $((calls * 8)) -eq $objs ]] ||
	{ it_show "$IT_TMP/fwd-window.log"; it_fail "with --window 8 --burst 8 every walk should carry 8 packets"; }

it_py "$N" "$W" <<'PY' || it_fail "JSON output disagrees (see above)"
import json, sys
n, w = int(sys.argv[1]), int(sys.argv[2])
errs = []
def want(what, ok):
    if not ok:
        errs.append(what)
# The share of the send time the generator had its core. A VM can take a
# core for milliseconds; sluice-gen counts those gaps ("stalls"), and a rate
# short of the target by that share is the machine's, not the pacer's.
def had_core(j):
    return max(0.0, 1 - j["stalls"]["total_ms"] / 1000 / j["send_s"]) if j["send_s"] > 0 else 1
g = json.load(open("imix.json"))
for k in ["result", "mode", "tsc_hz", "size", "size_min", "size_max", "size_avg", "flows",
          "queues", "rate", "send_s", "sent", "sent_bytes", "tx_pps", "tx_gbps_wire", "rx_pps",
          "rx_gbps_wire", "sent_expected_back", "sent_expected_dropped", "received", "unique",
          "lost", "loss_pct", "duplicates", "reordered", "bad", "verify_failed", "verify",
          "stalls", "latency_cycles", "latency_us", "ports"]:
    want(f"imix: key {k}", k in g)
want("imix result pass", g["result"] == "pass")
want("imix mode packet", g["mode"] == "packet")
want(f"imix sent {g['sent']} == {n}", g["sent"] == n)
want(f"imix received {g['received']} == {n}", g["received"] == n)
want("imix lost 0", g["lost"] == 0 and g["bad"] == 0 and g["verify_failed"] == 0)
want(f"imix size_avg {g['size_avg']}", abs(g["size_avg"] - (7 * 64 + 4 * 594 + 1518) / 12) < 0.01)
# count divisible by 12 would give the exact mix; within one cycle here
want("imix sent_bytes", abs(g["sent_bytes"] - n * g["size_avg"]) < 1518 * 12)
want("imix rate kind", g["rate"]["kind"] == "percent" and g["rate"]["value"] == 2)
# 2 % of 10 Gbps at 361.8 B + 20 B on the wire = 65.5 kpps
want(f"imix target_pps {g['rate']['target_pps']}", abs(g["rate"]["target_pps"] - 0.02 * 1.25e9 / (g["size_avg"] + 20)) < 1)
want(f"imix tx_pps {g['tx_pps']} near target (had its core {had_core(g):.3f} of the time)",
     0.95 * had_core(g) < g["tx_pps"] / g["rate"]["target_pps"] < 1.05)
lat = g["latency_us"]
for k in ["min", "avg", "p50", "p90", "p99", "p999", "max"]:
    want(f"latency_us.{k}", k in lat)
want(f"latency order {lat}", 0 < lat["min"] <= lat["p50"] <= lat["p99"] <= lat["p999"] <= lat["max"])
want("latency samples", g["latency_cycles"]["samples"] == n)
s = json.load(open("sweep.json"))
want("sweep pass", s["result"] == "pass" and s["lost"] == 0 and s["sent"] > 1000)
want("sweep sizes", s["size_min"] == 64 and s["size_max"] == 1518)
want(f"sweep rate kind {s['rate']}", s["rate"]["kind"] == "bps")
want(f"sweep wire Gbps {s['tx_gbps_wire']} (had its core {had_core(s):.3f} of the time)",
     0.9 * had_core(s) < s["tx_gbps_wire"] < 1.1)
c = json.load(open("window.json"))
want(f"window {c.get('window')} burst {c.get('burst')}", c.get("window") == 8 and c.get("burst") == 8)
want(f"window run: sent {c['sent']} back {c['unique']} of {w}", c["result"] == "pass" and c["sent"] == w and c["unique"] == w)
want(f"window written off {c.get('window_written_off')}", c.get("window_written_off") == 0)
want("burst/window keys default", g.get("burst") == 32 and g.get("window") == 0)
r = json.load(open("search.json"))
want("search mode", r["mode"] == "search")
se = r.get("search", {})
want(f"search found {se}", se.get("found") is True and se["pps"] > 0)
tr = se.get("trials", [])
want(f"search bisected: {[t['pass'] for t in tr]}", len(tr) >= 2 and not tr[0]["pass"] and any(t["pass"] for t in tr))
for t in se.get("trials", []):
    want(f"trial keys {t}", all(k in t for k in ["rate_value", "target_pps", "tx_pps", "rx_pps", "sent", "lost", "loss_pct", "latency_us", "stalled_ms", "pass"]))
want("found = best passing", se.get("rate_value") == max([t["rate_value"] for t in se["trials"] if t["pass"]], default=None))
print(f"imix: {g['sent']} sent, {g['received']} back, {g['tx_pps']:.0f} pps, latency p50 "
      f"{lat['p50']} p99 {lat['p99']} p999 {lat['p999']} us; sweep {s['tx_gbps_wire']:.3f} Gbps "
      f"(generator stalled {s['stalls']['total_ms']:.1f} ms); "
      f"search: {se.get('pps', 0):.0f} pps after {len(se.get('trials', []))} trials")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
