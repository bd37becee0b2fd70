/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's pure helpers: latency histogram, rate pacer, frame size
 * tables and rate parsing. No EAL, no ports: the unit tests call these
 * directly, and the send loop only uses their inline fast paths.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_priv.h"

/* ---- histogram ---- */

void sl_gen_hist_reset(struct sl_gen_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static void hist_bucket_bounds(unsigned int idx, uint64_t *lo, uint64_t *hi)
{
	unsigned int shift = idx >> SL_GEN_HIST_SUB;

	if (shift == 0) {
		*lo = *hi = idx; /* exact below 2^(SUB+1) */
		return;
	}
	/* idx = (shift << SUB) + (v >> shift), v >> shift in [2^SUB, 2^(SUB+1)) */
	shift--;
	*lo = (uint64_t)(idx - (shift << SL_GEN_HIST_SUB)) << shift;
	*hi = *lo + (1ULL << shift) - 1;
}

void sl_gen_hist_bucket_range(uint64_t v, uint64_t *lo, uint64_t *hi)
{
	hist_bucket_bounds(sl_gen_hist_index(v), lo, hi);
}

uint64_t sl_gen_hist_quantile(const struct sl_gen_hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank == 0)
		rank = 1;
	for (unsigned int i = 0; i < SL_GEN_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			uint64_t lo, hi, mid;

			hist_bucket_bounds(i, &lo, &hi);
			mid = lo + (hi - lo) / 2;
			return RTE_MIN(RTE_MAX(mid, h->min), h->max);
		}
	}
	return h->max;
}

void sl_gen_hist_merge(struct sl_gen_hist *dst, const struct sl_gen_hist *src)
{
	for (unsigned int i = 0; i < SL_GEN_HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->min = RTE_MIN(dst->min, src->min);
	dst->max = RTE_MAX(dst->max, src->max);
}

/* ---- pacer ---- */

void sl_gen_pacer_init(struct sl_gen_pacer *p, double units_per_s, uint64_t hz, uint64_t now,
		       uint64_t max_credit)
{
	memset(p, 0, sizeof(*p));
	p->start = now;
	p->hz = hz;
	p->units_per_s = units_per_s;
	if (units_per_s >= 1 && units_per_s < 1e15 && floor(units_per_s) == units_per_s)
		p->per_s_int = (uint64_t)units_per_s;
	p->max_credit = max_credit ? max_credit : UINT64_MAX;
}

uint64_t sl_gen_pacer_avail(struct sl_gen_pacer *p, uint64_t now)
{
	uint64_t due, avail;

	if (now <= p->start)
		return 0;
	if (p->per_s_int)
		due = (uint64_t)((unsigned __int128)(now - p->start) * p->per_s_int / p->hz);
	else
		due = (uint64_t)((long double)(now - p->start) * p->units_per_s / p->hz);
	if (due <= p->spent)
		return 0;
	avail = due - p->spent;
	if (avail > p->max_credit) {
		/* We fell behind (pool empty, PMD full): forget the backlog
		 * beyond max_credit instead of bursting it out at once. */
		p->spent = due - p->max_credit;
		avail = p->max_credit;
	}
	return avail;
}

/* ---- sizes ---- */

/* splitmix64: a seeded, portable PRNG for the uniform size table. */
static uint64_t gen_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int sl_gen_sizes_build(struct sl_gen_sizes *t, enum sl_gen_size_mode mode, unsigned int min,
		       unsigned int max, uint64_t seed)
{
	/* IMIX interleaved so that short windows already have the mix:
	 * 7 small, 4 medium, 1 large per 12 frames. */
	static const uint16_t imix[12] = {
	    SL_GEN_IMIX_SMALL,	SL_GEN_IMIX_MEDIUM, SL_GEN_IMIX_SMALL,	SL_GEN_IMIX_SMALL,
	    SL_GEN_IMIX_MEDIUM, SL_GEN_IMIX_SMALL,  SL_GEN_IMIX_LARGE,	SL_GEN_IMIX_SMALL,
	    SL_GEN_IMIX_MEDIUM, SL_GEN_IMIX_SMALL,  SL_GEN_IMIX_MEDIUM, SL_GEN_IMIX_SMALL,
	};
	double sum = 0;

	memset(t, 0, sizeof(*t));
	if (min < SL_GEN_MIN_SIZE || max > SL_GEN_MAX_SIZE || min > max)
		return -1;
	switch (mode) {
	case SL_GEN_SIZE_FIXED:
		t->n = 1;
		t->size[0] = (uint16_t)min;
		break;
	case SL_GEN_SIZE_IMIX:
		t->n = RTE_DIM(imix);
		memcpy(t->size, imix, sizeof(imix));
		break;
	case SL_GEN_SIZE_SWEEP:
		t->n = max - min + 1;
		for (unsigned int i = 0; i < t->n; i++)
			t->size[i] = (uint16_t)(min + i);
		break;
	case SL_GEN_SIZE_UNIFORM:
		t->n = SL_GEN_SIZE_TABLE;
		for (unsigned int i = 0; i < t->n; i++)
			t->size[i] = (uint16_t)(min + gen_splitmix(&seed) % (max - min + 1));
		break;
	default:
		return -1;
	}
	for (unsigned int i = 0; i < t->n; i++)
		sum += t->size[i];
	t->avg = sum / t->n;
	return 0;
}

/* ---- rates ---- */

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

int sl_gen_rate_parse(const char *s, struct sl_gen_rate *r)
{
	const char *end;
	double v;

	if (gen_num_suffix(s, &v, &end) < 0)
		return -1;
	if (strcmp(end, "%") == 0 && end > s && isdigit((unsigned char)end[-1])) {
		if (!(v > 0 && v <= 100))
			return -1;
		r->kind = SL_GEN_RATE_PCT;
	} else if (strcasecmp(end, "bps") == 0) {
		if (v < 1e3 || v > 1e12)
			return -1;
		r->kind = SL_GEN_RATE_BPS;
	} else if (*end == '\0' || strcasecmp(end, "pps") == 0) {
		if (v > 1e9)
			return -1;
		r->kind = v == 0 ? SL_GEN_RATE_UNPACED : SL_GEN_RATE_PPS;
	} else {
		return -1;
	}
	if (r->kind == SL_GEN_RATE_PPS && v < 1)
		return -1;
	r->value = v;
	return 0;
}

int sl_gen_bps_parse(const char *s, double *bps)
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

double sl_gen_rate_units(const struct sl_gen_rate *r, double line_bps, bool *in_bytes)
{
	*in_bytes = false;
	switch (r->kind) {
	case SL_GEN_RATE_PPS:
		return r->value;
	case SL_GEN_RATE_BPS:
		*in_bytes = true;
		return r->value / 8;
	case SL_GEN_RATE_PCT:
		*in_bytes = true;
		return line_bps * r->value / 100 / 8;
	default:
		return 0;
	}
}

double sl_gen_rate_pps(const struct sl_gen_rate *r, double line_bps, double avg_size)
{
	bool bytes;
	double u = sl_gen_rate_units(r, line_bps, &bytes);

	return bytes ? u / (avg_size + SL_GEN_WIRE_OVERHEAD) : u;
}

void sl_gen_rate_format(const struct sl_gen_rate *r, char *buf, size_t len)
{
	switch (r->kind) {
	case SL_GEN_RATE_PPS:
		snprintf(buf, len, "%.0f pps", r->value);
		break;
	case SL_GEN_RATE_BPS:
		snprintf(buf, len, "%.3f Gbps (wire)", r->value / 1e9);
		break;
	case SL_GEN_RATE_PCT:
		snprintf(buf, len, "%.2f%% of line rate", r->value);
		break;
	default:
		snprintf(buf, len, "unpaced");
		break;
	}
}
