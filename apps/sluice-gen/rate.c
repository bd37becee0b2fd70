/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's rates: parse --rate and --line-rate, turn a rate into pacer
 * units and packets per second, print it. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rate.h"

/* A number with an optional k/M/G multiplier; the rest is left in *end. */
static int gen_num_suffix(const char *s, double *v, const char **end)
{
	char *e;
	double x;

	errno = 0;
	if (s[0] == '\0' || s[0] == '-' || s[0] == '+' || isspace((unsigned char)s[0]))
		return -1;
	x = strtod(s, &e);
	if (e == s || errno != 0 || !isfinite(x) || x < 0)
		return -1;
	switch (*e) {
	case 'k':
	case 'K':
		x *= 1e3;
		e++;
		break;
	case 'M':
	case 'm':
		x *= 1e6;
		e++;
		break;
	case 'G':
	case 'g':
		x *= 1e9;
		e++;
		break;
	default:
		break;
	}
	*v = x;
	*end = e;
	return 0;
}

int gen_rate_parse(const char *s, struct gen_rate *r)
{
	const char *end;
	double v;

	if (gen_num_suffix(s, &v, &end) < 0)
		return -1;
	if (strcmp(end, "%") == 0 && end > s && isdigit((unsigned char)end[-1])) {
		if (!(v > 0 && v <= 100))
			return -1;
		r->kind = GEN_RATE_PCT;
	} else if (strcasecmp(end, "bps") == 0) {
		if (v < 1e3 || v > 1e12)
			return -1;
		r->kind = GEN_RATE_BPS;
	} else if (*end == '\0' || strcasecmp(end, "pps") == 0) {
		if (v > 1e9)
			return -1;
		r->kind = v == 0 ? GEN_RATE_UNPACED : GEN_RATE_PPS;
	} else {
		return -1;
	}
	if (r->kind == GEN_RATE_PPS && v < 1)
		return -1;
	r->value = v;
	return 0;
}

int gen_bps_parse(const char *s, double *bps)
{
	const char *end;
	double v;

	if (gen_num_suffix(s, &v, &end) < 0)
		return -1;
	if (*end != '\0' && strcasecmp(end, "bps") != 0)
		return -1;
	if (v < 1e6 || v > 1e13)
		return -1;
	*bps = v;
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
