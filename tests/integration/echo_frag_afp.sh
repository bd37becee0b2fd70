#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# echo_frag.sh on net_af_packet over a veth pair (ECHO_WIRE=afp).
ECHO_WIRE=afp exec bash "$(dirname "$0")/echo_frag.sh" "$@"
