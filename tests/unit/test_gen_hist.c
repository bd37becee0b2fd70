/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's latency histogram: exact below 256, within 1/256 above, and
 * percentiles of known distributions. No EAL needed: pure functions. */
#include <math.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "hist.h"

static struct gen_hist h;

static void reset(void)
{
	gen_hist_reset(&h);
}

TestSuite(gen_hist, .init = reset);

Test(gen_hist, empty_is_zero)
{
	cr_assert_eq(h.count, 0);
	cr_assert_eq(gen_hist_quantile(&h, 0.5), 0);
	cr_assert_eq(gen_hist_quantile(&h, 0.99), 0);
}

Test(gen_hist, small_values_exact)
{
	for (uint64_t v = 0; v < 256; v++) {
		uint64_t lo, hi;

		gen_hist_bucket_range(v, &lo, &hi);
		cr_assert_eq(lo, v);
		cr_assert_eq(hi, v);
	}
}

/* Every bucket above 256 is narrower than 1/128 of its lower bound, so the
 * midpoint is within 1/256 of any value in it; buckets tile without gaps. */
Test(gen_hist, bucket_error_bound)
{
	for (uint64_t v = 256; v < (1ULL << 30); v = v + 1 + v / 97) {
		uint64_t lo, hi, mid, nlo, nhi;

		gen_hist_bucket_range(v, &lo, &hi);
		cr_assert(lo <= v && v <= hi, "v %lu not in [%lu, %lu]", v, lo, hi);
		cr_assert_leq((double)(hi - lo + 1), (double)lo / 128.0, "bucket of %lu too wide",
			      v);
		mid = lo + (hi - lo) / 2;
		cr_assert_leq(fabs((double)mid - (double)v) / (double)v, 1.0 / 256 + 1e-12);
		/* the next bucket starts right after this one */
		gen_hist_bucket_range(hi + 1, &nlo, &nhi);
		cr_assert_eq(nlo, hi + 1, "gap after %lu", hi);
		cr_assert_eq(gen_hist_index(hi + 1), gen_hist_index(v) + 1);
	}
	/* Huge values saturate into the last bucket instead of overflowing. */
	cr_assert_eq(gen_hist_index(UINT64_MAX), GEN_HIST_BUCKETS - 1);
}

Test(gen_hist, uniform_percentiles)
{
	/* 1..100000 once each: pX is X% of 100000 (within the bucket error). */
	for (uint64_t v = 1; v <= 100000; v++)
		gen_hist_record(&h, v);
	cr_assert_eq(h.count, 100000);
	cr_assert_eq(h.min, 1);
	cr_assert_eq(h.max, 100000);
	cr_assert_eq(h.sum, 100000ULL * 100001 / 2);
	const double qs[] = {0.5, 0.9, 0.99, 0.999};
	for (unsigned int i = 0; i < 4; i++) {
		double want = qs[i] * 100000, got = (double)gen_hist_quantile(&h, qs[i]);

		cr_assert_leq(fabs(got - want) / want, 1.0 / 256 + 1e-9,
			      "q %.3f: got %.0f want %.0f", qs[i], got, want);
	}
	cr_assert_eq(gen_hist_quantile(&h, 0), 1);
	cr_assert_eq(gen_hist_quantile(&h, 1), 100000);
}

Test(gen_hist, bimodal_tail)
{
	/* 99 % at 1000 cycles, 1 % at 1e6: p50 and p90 see the mode, p999 the tail. */
	for (int i = 0; i < 99000; i++)
		gen_hist_record(&h, 1000);
	for (int i = 0; i < 1000; i++)
		gen_hist_record(&h, 1000000);
	cr_assert_leq(fabs((double)gen_hist_quantile(&h, 0.5) - 1000), 1000 / 256.0);
	cr_assert_leq(fabs((double)gen_hist_quantile(&h, 0.99) - 1000), 1000 / 256.0);
	cr_assert_leq(fabs((double)gen_hist_quantile(&h, 0.999) - 1e6), 1e6 / 256.0);
	cr_assert_eq(gen_hist_quantile(&h, 0.999), gen_hist_quantile(&h, 0.9999));
}

Test(gen_hist, exponential_distribution)
{
	/* Exponential with mean 5000: pq = -mean * ln(1 - q). Seeded. */
	unsigned int seed = 42;
	const double mean = 5000, qs[] = {0.5, 0.99, 0.999};
	static double vals[200000];
	const unsigned int n = 200000;

	for (unsigned int i = 0; i < n; i++) {
		double u = (rand_r(&seed) + 1.0) / ((double)RAND_MAX + 2.0);

		vals[i] = -mean * log(u);
		gen_hist_record(&h, (uint64_t)vals[i]);
	}
	for (unsigned int i = 0; i < 3; i++) {
		double want = -mean * log(1 - qs[i]), got = (double)gen_hist_quantile(&h, qs[i]);

		/* bucket error plus sampling error of the empirical quantile */
		cr_assert_leq(fabs(got - want) / want, 0.05, "q %.3f: got %.0f want %.0f", qs[i],
			      got, want);
	}
}

Test(gen_hist, merge_adds_up)
{
	static struct gen_hist b;

	gen_hist_reset(&b);
	gen_hist_record(&h, 10);
	gen_hist_record(&b, 5000);
	gen_hist_record(&b, 7);
	gen_hist_merge(&h, &b);
	cr_assert_eq(h.count, 3);
	cr_assert_eq(h.min, 7);
	cr_assert_eq(h.max, 5000);
	cr_assert_eq(h.sum, 5017);
	cr_assert_eq(gen_hist_quantile(&h, 0.5), 10);
}
