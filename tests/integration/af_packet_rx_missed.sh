#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Receive drops on net_af_packet are counted. sluice-fwd (macswap) attaches
# net_af_packet on a veth itself, with rx_desc = 256: the port line must say
# the ring in force is 256 frames (sluice adds framecnt=256 to the devargs;
# the PMD ignores rx_desc). A raw AF_PACKET sender in a namespace, pinned to
# the worker's CPU so the worker cannot drain the ring while it runs, sends
# 100000 frames: the kernel drops those that find the ring full and counts
# them only in the socket's PACKET_STATISTICS (the PMD's imissed stays 0).
# Checks: rx_missed > 0 in telemetry /sluice/ports while running, and in the
# final JSON rx + rx_missed equals every frame the veth delivered (its
# rx_packets less its rx_dropped, read from sysfs around the flood).
# Usage: af_packet_rx_missed.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
[[ $(id -u) -eq 0 ]] || it_skip "network namespaces need root"
command -v ip >/dev/null || it_skip "iproute2 (ip) not installed"
command -v taskset >/dev/null || it_skip "taskset (util-linux) not installed"
it_init

FRAMES=100000
ns=sl-miss-$$
va=slm$$a
vb=slm$$b
sl_veth "$va" "$vb" "$ns"

it_write "$IT_TMP/fwd.ini" <<EOT
[port p0]
dev = net_af_packet0,iface=$va
rx_desc = 256
pipeline = echo
[pipeline echo]
stages = macswap
[workers]
map = auto
EOT
prefix=$(it_prefix fwd)
# Worker (lcore 1) alone on CPU 0; main and telemetry threads on CPU 1.
it_start "$IT_TMP/fwd.log" 90 "$SLUICE_FWD" --lcores 0@1,1@0 --no-pci --file-prefix "$prefix" \
	"${EAL_MEM[@]}" --log-level='*:notice' -- --config "$IT_TMP/fwd.ini" \
	--stats-json "$IT_TMP/fwd.json" --quiet
fwd=$IT_PID
it_wait_for "$IT_TMP/fwd.log" "running:" 20 || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd did not start"; }
grep -q "rxq 1 x 256  txq 1 x 256" "$IT_TMP/fwd.log" ||
	{ it_show "$IT_TMP/fwd.log"; it_fail "the port line does not report the 256-frame ring asked for"; }

counter() { cat "/sys/class/net/$va/statistics/$1"; }
rx0=$(counter rx_packets) drop0=$(counter rx_dropped)
timeout -k 5 60 ip netns exec "$ns" taskset -c 0 /usr/bin/python3 "$IT_DIR/raw_flood.py" "$vb" "$FRAMES" ||
	{ it_show "$IT_TMP/fwd.log"; it_fail "the raw sender failed"; }
sleep 2 # the worker drains what is left in the ring
"$IT_DIR/tel_client.py" "$prefix" /sluice/ports >"$IT_TMP/ports.json" || it_fail "/sluice/ports did not answer"
rx1=$(counter rx_packets) drop1=$(counter rx_dropped)
it_stop "$fwd"
[[ $IT_RC -eq 0 ]] || { it_show "$IT_TMP/fwd.log"; it_fail "sluice-fwd exited $IT_RC on SIGINT"; }

it_py "$((rx1 - rx0))" "$((drop1 - drop0))" "$FRAMES" <<'PY' || { it_show "$IT_TMP/fwd.log"; it_fail "receive drops not accounted"; }
import json, sys
delivered, vdrop, sent = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
tel = list(json.load(open("ports.json"))["/sluice/ports"].values())[0]
port = json.load(open("fwd.json"))["ports"][0]
rx, missed = port["rx"], port["rx_missed"]
print(f"sender {sent} frames; veth delivered {delivered}, dropped {vdrop}; "
      f"sluice rx {rx} + rx_missed {missed} = {rx + missed}; telemetry rx_missed {tel['rx_missed']}")
errs = []
if delivered < sent:
    errs.append(f"the veth delivered {delivered} of the {sent} frames sent")
if missed <= 0:
    errs.append("rx_missed is 0: the flood did not overrun the ring, or its drops were not read")
if tel["rx_missed"] <= 0:
    errs.append("telemetry /sluice/ports says rx_missed 0")
if rx + missed != delivered - vdrop:
    errs.append(f"rx + rx_missed = {rx + missed}, want {delivered - vdrop} (what the veth delivered)")
for e in errs:
    print("MISMATCH", e)
sys.exit(1 if errs else 0)
PY
it_say "PASS"
