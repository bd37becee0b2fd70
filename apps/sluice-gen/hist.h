/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's latency histogram (hist.c). */
#ifndef SLUICE_GEN_HIST_H
#define SLUICE_GEN_HIST_H

#include <stdint.h>

#include <rte_branch_prediction.h>

/*
 * Latency histogram, log-linear like HdrHistogram: values below 2^SUB are
 * exact, above that each power of two is split into 2^SUB equal buckets,
 * so a reported value (the bucket's midpoint) is within 1/2^(SUB+1) of the
 * truth (0.4 % with SUB = 7). Fixed memory (no malloc while recording),
 * O(1) record: one bsr, a shift and an add.
 */
#define GEN_HIST_SUB 7
#define GEN_HIST_MAX_LOG 42 /* values up to 2^42 cycles: > 20 min at 3 GHz */
#define GEN_HIST_BUCKETS ((GEN_HIST_MAX_LOG - GEN_HIST_SUB + 1) << GEN_HIST_SUB)

struct gen_hist {
	uint64_t count, sum, min, max;
	uint64_t b[GEN_HIST_BUCKETS];
};

void gen_hist_reset(struct gen_hist *h);
/* Value at quantile q (0..1): the midpoint of the bucket holding the
 * ceil(q * count)-th value, clamped to [min, max]. 0 when empty. */
uint64_t gen_hist_quantile(const struct gen_hist *h, double q);
/* Lowest and highest value that land in the same bucket as v. */
void gen_hist_bucket_range(uint64_t v, uint64_t *lo, uint64_t *hi);
void gen_hist_merge(struct gen_hist *dst, const struct gen_hist *src);

static inline unsigned int gen_hist_index(uint64_t v)
{
	unsigned int shift;

	if (v >= (1ULL << GEN_HIST_MAX_LOG))
		v = (1ULL << GEN_HIST_MAX_LOG) - 1;
	shift =
	    v < (1u << GEN_HIST_SUB) ? 0 : 63u - (unsigned int)__builtin_clzll(v) - GEN_HIST_SUB;
	return (shift << GEN_HIST_SUB) + (unsigned int)(v >> shift);
}

static inline void gen_hist_record(struct gen_hist *h, uint64_t v)
{
	h->b[gen_hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (unlikely(v < h->min))
		h->min = v;
	if (unlikely(v > h->max))
		h->max = v;
}

#endif /* SLUICE_GEN_HIST_H */
