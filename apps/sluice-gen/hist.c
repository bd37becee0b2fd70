/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's latency histogram (hist.h says how it buckets). */
#include <math.h>
#include <string.h>

#include <rte_common.h>

#include "hist.h"

void gen_hist_reset(struct gen_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static void hist_bucket_bounds(unsigned int idx, uint64_t *lo, uint64_t *hi)
{
	unsigned int shift = idx >> GEN_HIST_SUB;

	if (shift == 0) {
		*lo = *hi = idx; /* exact below 2^(SUB+1) */
		return;
	}
	/* idx = (shift << SUB) + (v >> shift), v >> shift in [2^SUB, 2^(SUB+1)) */
	shift--;
	*lo = (uint64_t)(idx - (shift << GEN_HIST_SUB)) << shift;
	*hi = *lo + (1ULL << shift) - 1;
}

void gen_hist_bucket_range(uint64_t v, uint64_t *lo, uint64_t *hi)
{
	hist_bucket_bounds(gen_hist_index(v), lo, hi);
}

uint64_t gen_hist_quantile(const struct gen_hist *h, double q)
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
	for (unsigned int i = 0; i < GEN_HIST_BUCKETS; i++) {
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

void gen_hist_merge(struct gen_hist *dst, const struct gen_hist *src)
{
	for (unsigned int i = 0; i < GEN_HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->min = RTE_MIN(dst->min, src->min);
	dst->max = RTE_MAX(dst->max, src->max);
}
