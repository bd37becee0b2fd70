/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's rates: parse --rate and --line-rate, turn a rate into pacer
 * units and packets per second, print it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rate.h"

/* --rate through the shared rate parser; 0 pps means unpaced, and a paced
 * packet rate is at least 1 pps. */
int gen_rate_parse(const char *key, const char *s, struct gen_rate *r, struct sl_error *err)
{
	struct sl_rate sr;

	if (sl_parse_rate(key, s, &sr, err) < 0)
		return -1;
	if (sr.kind == SL_RATE_PPS && sr.value > 0 && sr.value < 1)
		return sl_error_set(err,
				    "%s: '%s' is not a rate of at least 1 pps. Fix: write 1 "
				    "or more, or 0 for unpaced",
				    key, s);
	r->value = sr.value;
	switch (sr.kind) {
	case SL_RATE_BPS:
		r->kind = GEN_RATE_BPS;
		break;
	case SL_RATE_PCT:
		r->kind = GEN_RATE_PCT;
		break;
	default:
		r->kind = sr.value == 0 ? GEN_RATE_UNPACED : GEN_RATE_PPS;
		break;
	}
	return 0;
}

/* A line rate is bits per second whether or not "bps" is written: "10G" is
 * read as "10Gbps" by the shared rate parser (1k..1T), then held to 1M..1T. */
int gen_bps_parse(const char *key, const char *s, double *bps, struct sl_error *err)
{
	char text[64];
	size_t len = strlen(s);
	struct sl_rate sr;

	snprintf(text, sizeof(text), "%s%s", s,
		 len >= 3 && strcasecmp(s + len - 3, "bps") == 0 ? "" : "bps");
	if (len >= sizeof(text) - 3 || strchr(s, '%') != NULL ||
	    sl_parse_rate(key, text, &sr, err) < 0 || sr.kind != SL_RATE_BPS || sr.value < 1e6)
		return sl_error_set(err,
				    "%s: '%s' is not a bit rate in 1M..1T. Fix: write bits "
				    "per second with an optional k/M/G, e.g. 10G or 25Gbps",
				    key, s);
	*bps = sr.value;
	return 0;
}

double gen_rate_units(const struct gen_rate *r, double line_bps, bool *in_bytes)
{
	*in_bytes = false;
	switch (r->kind) {
	case GEN_RATE_PPS:
		return r->value;
	case GEN_RATE_BPS:
		*in_bytes = true;
		return r->value / 8;
	case GEN_RATE_PCT:
		*in_bytes = true;
		return line_bps * r->value / 100 / 8;
	default:
		return 0;
	}
}

double gen_rate_pps(const struct gen_rate *r, double line_bps, double avg_size)
{
	bool bytes;
	double u = gen_rate_units(r, line_bps, &bytes);

	return bytes ? u / (avg_size + GEN_WIRE_OVERHEAD) : u;
}

void gen_rate_format(const struct gen_rate *r, char *buf, size_t len)
{
	switch (r->kind) {
	case GEN_RATE_PPS:
		snprintf(buf, len, "%.0f pps", r->value);
		break;
	case GEN_RATE_BPS:
		snprintf(buf, len, "%.3f Gbps (wire)", r->value / 1e9);
		break;
	case GEN_RATE_PCT:
		snprintf(buf, len, "%.2f%% of line rate", r->value);
		break;
	default:
		snprintf(buf, len, "unpaced");
		break;
	}
}
