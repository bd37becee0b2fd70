#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# (c3) macswap + count on two memif ports polled by one worker: every packet
# must come back on the port it was sent on, MACs swapped, none lost. With
# port-keeping stages, a walk whose packets all came from one port leaves by
# that port without transmit reading each mbuf's port (lib/stage/line.h); a
# walk that took packets from both (64-packet vectors, so the receive node
# polls both queues in one walk) goes by each mbuf's port. Both must be right.
# Usage: memif_macswap_two_port.sh SLUICE_FWD SLUICE_GEN
SLUICE_FWD=${1:-${SLUICE_FWD:-}} SLUICE_GEN=${2:-${SLUICE_GEN:-}}
source "$(dirname "$0")/lib.sh"
it_init

N=20000
it_write "$IT_TMP/swap.ini" <<EOT
[app]
vector = 64
[port p0]
dev = net_memif0
pipeline = echo
[port p1]
dev = net_memif1
pipeline = echo
[pipeline echo]
stages = macswap count
EOT
it_two_port sw "$IT_TMP/swap.ini" --tx-port net_memif0,net_memif1 --count $N \
	--rate 200000 --flows 16 --expect macswap
[[ $GEN_RC -eq 0 ]] || { it_show "$IT_TMP/sw-fwd.log"; it_fail "sluice-gen exited $GEN_RC (2 = a check failed or loss)"; }
it_py sw "$N" macswap swapped --zero runt <"$IT_DIR/two_port_check.py" || it_fail "counters disagree"
it_say "PASS"
