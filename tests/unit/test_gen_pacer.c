/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's rate pacer and rate parsing, on a virtual TSC. */
#include <math.h>

#include <criterion/criterion.h>

#include "pacer.h"
#include "rate.h"

static struct sl_error err;

#define HZ 2500000000ULL /* a 2.5 GHz TSC */

Test(gen_pacer, nothing_before_start)
{
	struct gen_pacer p;

	gen_pacer_init(&p, 1e6, HZ, 1000, 0);
	cr_assert_eq(gen_pacer_avail(&p, 999), 0);
	cr_assert_eq(gen_pacer_avail(&p, 1000), 0);
	/* 1 Mpps = one packet per 2500 cycles */
	cr_assert_eq(gen_pacer_avail(&p, 1000 + 2499), 0);
	cr_assert_eq(gen_pacer_avail(&p, 1000 + 2500), 1);
}

/* Spend in bursts whenever tokens are there, over 1e6 packets at a rate
 * that does not divide the clock: the total is exact, no drift. */
static void no_drift(double rate, uint64_t step)
{
	struct gen_pacer p;
	uint64_t now = 12345, sent = 0;
	const uint64_t n = 1000000;

	gen_pacer_init(&p, rate, HZ, now, 0);
	while (sent < n) {
		uint64_t a = gen_pacer_avail(&p, now);

		if (a > 32)
			a = 32;
		if (a > n - sent)
			a = n - sent;
		gen_pacer_spend(&p, a);
		sent += a;
		now += step;
	}
	/* The virtual time the millionth packet needed: n / rate seconds. */
	double want_s = (double)n / rate, got_s = (double)(now - step - 12345) / (double)HZ;

	cr_assert_leq(fabs(got_s - want_s), (double)step / HZ + 1.0 / rate,
		      "rate %.1f: %lu packets took %.9f s, want %.9f s", rate, n, got_s, want_s);
	/* and at that time exactly n were due, not one more */
	cr_assert_leq(gen_pacer_avail(&p, now - step), 1);
}

Test(gen_pacer, no_drift_integer_rate)
{
	no_drift(3000000, 97);
}

Test(gen_pacer, no_drift_fractional_rate)
{
	no_drift(1234567.89, 1013);
}

Test(gen_pacer, no_drift_slow_rate)
{
	no_drift(7777, 100000);
}

Test(gen_pacer, total_matches_elapsed_time)
{
	struct gen_pacer p;

	/* 14.88 Mpps for 10 virtual seconds polled every 1000 cycles */
	gen_pacer_init(&p, 14880952, HZ, 0, 0);
	uint64_t total = 0;
	for (uint64_t t = 0; t <= 10 * HZ; t += 1000) {
		uint64_t a = gen_pacer_avail(&p, t);

		gen_pacer_spend(&p, a);
		total += a;
	}
	cr_assert_eq(total, 148809520);
}

Test(gen_pacer, backlog_capped)
{
	struct gen_pacer p;

	gen_pacer_init(&p, 1e6, HZ, 0, 128);
	/* one virtual second of stall: 1e6 due, but only 128 at once */
	cr_assert_eq(gen_pacer_avail(&p, HZ), 128);
	gen_pacer_spend(&p, 128);
	cr_assert_eq(gen_pacer_avail(&p, HZ), 0);
	cr_assert_eq(gen_pacer_avail(&p, HZ + 2500), 1);
}

Test(gen_pacer, byte_units)
{
	struct gen_pacer p;
	struct gen_rate r;
	bool bytes;

	/* 10 Gbps on the wire = 1.25e9 B/s; 64 B frames cost 84 B: 14.88 Mpps */
	cr_assert_eq(gen_rate_parse("--rate", "10Gbps", &r, &err), 0);
	double u = gen_rate_units(&r, 10e9, &bytes);
	cr_assert(bytes);
	cr_assert_float_eq(u, 1.25e9, 1);
	cr_assert_float_eq(gen_rate_pps(&r, 10e9, 64), 1.25e9 / 84, 1);
	gen_pacer_init(&p, u, HZ, 0, 0);
	cr_assert_eq(gen_pacer_avail(&p, HZ / 1000), 1250000);
}

Test(gen_rate, parse)
{
	struct gen_rate r;
	double bps;

	cr_assert_eq(gen_rate_parse("--rate", "0", &r, &err), 0);
	cr_assert_eq(r.kind, GEN_RATE_UNPACED);
	cr_assert_eq(gen_rate_parse("--rate", "250000", &r, &err), 0);
	cr_assert_eq(r.kind, GEN_RATE_PPS);
	cr_assert_float_eq(r.value, 250000, 1e-9);
	cr_assert_eq(gen_rate_parse("--rate", "1.5M", &r, &err), 0);
	cr_assert_float_eq(r.value, 1.5e6, 1e-6);
	cr_assert_eq(gen_rate_parse("--rate", "2k", &r, &err), 0);
	cr_assert_float_eq(r.value, 2000, 1e-9);
	cr_assert_eq(gen_rate_parse("--rate", "1G", &r, &err), 0);
	cr_assert_eq(gen_rate_parse("--rate", "800Mbps", &r, &err), 0);
	cr_assert_eq(r.kind, GEN_RATE_BPS);
	cr_assert_float_eq(r.value, 8e8, 1e-3);
	cr_assert_eq(gen_rate_parse("--rate", "50%", &r, &err), 0);
	cr_assert_eq(r.kind, GEN_RATE_PCT);
	cr_assert_float_eq(gen_rate_pps(&r, 10e9, 64), 0.5 * 1.25e9 / 84, 1);
	const char *bad[] = {"",  "-1",	 "abc",	 "5X",	"5Gbpsx", "101%", "0%",
			     "%", "2G5", "1e10", "0.5", "nan",	  "inf",  " 5"};
	for (unsigned int i = 0; i < RTE_DIM(bad); i++)
		cr_assert_eq(gen_rate_parse("--rate", bad[i], &r, &err), -1, "'%s' accepted",
			     bad[i]);
	cr_assert_eq(gen_bps_parse("--line-rate", "10G", &bps, &err), 0);
	cr_assert_float_eq(bps, 10e9, 1);
	cr_assert_eq(gen_bps_parse("--line-rate", "25Gbps", &bps, &err), 0);
	cr_assert_eq(gen_bps_parse("--line-rate", "10%", &bps, &err), -1);
	cr_assert_eq(gen_bps_parse("--line-rate", "0", &bps, &err), -1);
}
