/* SPDX-License-Identifier: BSD-3-Clause */
/* Congestion control on the virtual clock: CUBIC (RFC 9438) beside NewReno. */
#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_cc, .init = th_eal, .fini = th_eal_done);

static struct th h;

static void cubic_mss1000(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->cc = SL_TCP_CC_CUBIC;
}

static struct sl_tcp_conn *open_cubic(void)
{
	th_init(&h, cubic_mss1000);
	h.cfg.cc = SL_TCP_CC_CUBIC;
	th_passive_open(&h, 1000, 1000, TH_NO_WS, false);
	th_clear(&h);
	return h.app.conn;
}

/* One RTT of ACKs (1 ms here): the whole window, one MSS per ACK. */
static void one_rtt(struct sl_tcp_conn *c)
{
	uint32_t w = c->cwnd;

	for (uint32_t done = 0; done < w; done += 1000)
		tcp_cc_ack(c, 1000);
	h.now += 1000;
	h.s->now_us = h.now;
}

Test(tcp_cc, cubic_decrease_is_0_7_and_remembers_w_max)
{
	struct sl_tcp_conn *c = open_cubic();

	c->cwnd = 100000;
	cr_assert_eq(tcp_cc_ssthresh(c, 100000), 70000u, "beta_cubic = 0.7");
	cr_assert_eq(c->cc_wmax, 100000u);
	/* A second loss below W_max: fast convergence (RFC 9438 4.7). */
	c->cwnd = 80000;
	tcp_cc_ssthresh(c, 80000);
	cr_assert_eq(c->cc_wmax, 68000u, "W_max = cwnd (1 + beta) / 2");
	th_fini(&h);
}

Test(tcp_cc, cubic_curve_returns_to_w_max_near_k)
{
	struct sl_tcp_conn *c = open_cubic();
	/* W_max 100 segments: K = cbrt(100 * 0.3 / 0.4) = 4.22 s. */
	uint32_t at_1s = 0, at_k = 0;

	c->rtt.srtt_us = 1000;
	c->cwnd = 100000;
	c->ssthresh = tcp_cc_ssthresh(c, 100000);
	c->cwnd = c->ssthresh;
	for (unsigned int ms = 1; ms <= 6000; ms++) {
		one_rtt(c);
		if (ms == 1000)
			at_1s = c->cwnd;
		if (ms == 4220)
			at_k = c->cwnd;
	}
	/*
	 * At 1 ms RTT the Reno-friendly estimate (0.53 MSS per RTT) leads
	 * early: 70 + 530 segments after 1 s, well past the cubic curve,
	 * which would still be below W_max.
	 */
	cr_assert_gt(at_1s, 100000u, "Reno-friendly region: %u", at_1s);
	cr_assert_gt(at_k, at_1s, "never shrinks without a loss");
	th_fini(&h);
}

Test(tcp_cc, cubic_curve_at_long_rtt)
{
	struct sl_tcp_conn *c = open_cubic();
	uint32_t at_2s = 0, at_k = 0, at_8s = 0;

	/* 100 ms RTT: the cubic curve, not the Reno estimate, sets the pace. */
	c->rtt.srtt_us = 100000;
	c->cwnd = 100000;
	c->ssthresh = tcp_cc_ssthresh(c, 100000);
	c->cwnd = c->ssthresh;
	for (unsigned int rtt = 1; rtt <= 80; rtt++) {
		uint32_t w = c->cwnd;

		for (uint32_t done = 0; done < w; done += 1000)
			tcp_cc_ack(c, 1000);
		h.now += 100000;
		h.s->now_us = h.now;
		if (rtt == 20)
			at_2s = c->cwnd;
		if (rtt == 42)
			at_k = c->cwnd;
		if (rtt == 80)
			at_8s = c->cwnd;
	}
	cr_assert_lt(at_2s, 100000u, "concave: below W_max before K (%u)", at_2s);
	cr_assert_gt(at_2s, 90000u, "but close to it (%u)", at_2s);
	cr_assert_geq(at_k, 97000u, "about W_max at K (%u)", at_k);
	cr_assert_leq(at_k, 104000u, "about W_max at K (%u)", at_k);
	/* W_cubic(8.1 s) = 0.4 (8.1 - 4.22)^3 + 100 = 123 segments. */
	cr_assert_gt(at_8s, 115000u, "convex after K (%u)", at_8s);
	th_fini(&h);
}

Test(tcp_cc, newreno_halves)
{
	struct sl_tcp_conn *c;

	th_init(&h, NULL);
	th_passive_open(&h, 1000, 1000, TH_NO_WS, false);
	c = h.app.conn;
	c->cwnd = 100000;
	cr_assert_eq(tcp_cc_ssthresh(c, 100000), 50000u);
	th_fini(&h);
}
