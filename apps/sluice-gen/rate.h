/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's rates: --rate and --line-rate values, pacer units (rate.c). */
#ifndef SLUICE_GEN_RATE_H
#define SLUICE_GEN_RATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gen.h"

/* Ethernet preamble + SFD (8) and the minimum inter-frame gap (12): what a
 * frame costs on the wire beyond its own bytes, for Gbps and line rate. */
#define GEN_WIRE_OVERHEAD 20

/* Parse a rate given as `key` ("0", "250000", "1.5M", "5Gbps", "800Mbps",
 * "50%"; sluice/sl_parse.h's sl_parse_rate): 0, or -1 with err filled. */
int gen_rate_parse(const char *key, const char *s, struct gen_rate *r, struct sl_error *err);
/* Parse a bit rate for --line-rate ("10G", "25Gbps", "100M"): 0 or -1. */
int gen_bps_parse(const char *key, const char *s, double *bps, struct sl_error *err);
/* The rate as units for the pacer: packets/s (PPS) or wire bytes/s (BPS,
 * PCT). 0: unpaced. *in_bytes tells which. */
double gen_rate_units(const struct gen_rate *r, double line_bps, bool *in_bytes);
/* Packets/s the rate means at an average frame size. */
double gen_rate_pps(const struct gen_rate *r, double line_bps, double avg_size);
void gen_rate_format(const struct gen_rate *r, char *buf, size_t len);

#endif /* SLUICE_GEN_RATE_H */
