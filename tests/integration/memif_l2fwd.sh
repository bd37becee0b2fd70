#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (c1) Two-port l2fwd over two memif ports: sluice-gen sends on both ports
# (flows alternate), every packet must come back on the other port with
# src = the DUT's output port MAC and dst = 02:00:00:00:00:<output port id>,
# none lost; sluice-fwd's counters agree.
# Usage: memif_l2fwd.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

N=20000
it_write "$IT_TMP/l2fwd.ini" <<EOT
[port p0]
dev = net_memif0
pipeline = fwd
[port p1]
dev = net_memif1
pipeline = fwd
[pipeline fwd]
stages = l2fwd count
l2fwd = pairs=p0:p1
EOT
it_two_port l2 "$IT_TMP/l2fwd.ini" --tx-port net_memif0,net_memif1 --count $N \
	--rate 200000 --flows 16 --expect l2fwd
[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/l2-fwd.log"; it_fail "sluice-gen exited $GEN_RC (2 = a check failed or loss)"; }
it_py l2 "$N" l2fwd forwarded --zero no_pair <"$IT_DIR/two_port_check.py" || it_fail "counters disagree"
it_say "PASS"
