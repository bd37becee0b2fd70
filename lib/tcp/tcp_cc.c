/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Congestion control: how much the window shrinks at a loss and how it
 * grows in congestion avoidance. NewReno (RFC 5681: halve, one MSS per
 * window) or CUBIC (RFC 9438: back to 0.7, then the cubic curve in time
 * from the last loss, never slower than the Reno-friendly estimate).
 * Slow start and the recovery algorithms (NewReno's RFC 6582, SACK's RFC
 * 6675 + PRR) are the same for both.
 *
 * Why CUBIC matters on the wires here even though their RTT is tiny: with
 * random (not congestion) loss of a few percent, the window lives near its
 * floor, and the gentler decrease (0.7 instead of 0.5) is most of what a
 * loss costs. Measured in docs/tcp.md ("Congestion control").
 */
#include <math.h>

#include "tcp_priv.h"

#define CUBIC_BETA_NUM 7u /* beta_cubic = 0.7 */
#define CUBIC_BETA_DEN 10u
#define CUBIC_C 0.4 /* segments / s^3 */

static bool cubic(const struct sl_tcp_conn *c)
{
	return c->stack->cfg.cc == SL_TCP_CC_CUBIC;
}

uint32_t tcp_cc_ssthresh(struct sl_tcp_conn *c, uint32_t flight)
{
	uint32_t mss = tcp_eff_mss(c);

	if (!cubic(c))
		return RTE_MAX(flight / 2, 2 * mss); /* RFC 5681 (4) */
	/* RFC 9438 4.6 (with fast convergence, 4.7). */
	if (c->cwnd < c->cc_wmax)
		c->cc_wmax = (uint32_t)((uint64_t)c->cwnd * (CUBIC_BETA_DEN + CUBIC_BETA_NUM) /
					(2 * CUBIC_BETA_DEN));
	else
		c->cc_wmax = c->cwnd;
	c->cc_epoch_us = 0;
	/*
	 * RFC 9438 4.6 reduces cwnd, not FlightSize (as Linux and Windows do):
	 * FlightSize punishes a connection that was application-limited when
	 * the loss came, an echo most of the time. The larger of the two, so
	 * a cwnd that collapsed after a timeout does not shrink it further.
	 */
	return RTE_MAX(
	    (uint32_t)((uint64_t)RTE_MAX(c->cwnd, flight) * CUBIC_BETA_NUM / CUBIC_BETA_DEN),
	    2 * mss);
}

/* RFC 9438 4.2-4.4, on one ACK of `acked` bytes in congestion avoidance. */
static void cubic_ack(struct sl_tcp_conn *c, uint32_t acked, uint32_t mss)
{
	uint64_t now = c->stack->now_us;
	double w_max, t, target, w_cubic, k;

	if (c->cc_epoch_us == 0) {
		/* A new congestion-avoidance epoch: W_est starts at cwnd (4.3). */
		c->cc_epoch_us = now != 0 ? now : 1;
		c->cc_west = c->cwnd;
		if (c->cc_wmax < c->cwnd)
			c->cc_wmax = c->cwnd;
	}
	w_max = (double)c->cc_wmax / mss;
	k = cbrt(w_max * (1.0 - (double)CUBIC_BETA_NUM / CUBIC_BETA_DEN) / CUBIC_C);
	/* W_cubic at one RTT from now (4.2): the window this ACK should reach toward. */
	t = (double)(now - c->cc_epoch_us + c->rtt.srtt_us) / 1e6;
	w_cubic = CUBIC_C * (t - k) * (t - k) * (t - k) + w_max;
	/* Reno-friendly estimate, alpha = 3 (1 - beta) / (1 + beta) (4.3). */
	{
		double alpha =
		    3.0 * (CUBIC_BETA_DEN - CUBIC_BETA_NUM) / (CUBIC_BETA_DEN + CUBIC_BETA_NUM);
		double add = alpha * (double)acked * mss / c->cwnd;

		if (c->cc_west >= c->cc_wmax)
			add = (double)acked * mss / c->cwnd; /* past W_max: Reno's 1 */
		c->cc_west_frac += add;
		if (c->cc_west_frac >= 1.0) {
			c->cc_west += (uint32_t)c->cc_west_frac;
			c->cc_west_frac -= (uint32_t)c->cc_west_frac;
		}
	}
	if (w_cubic * mss < c->cc_west) {
		c->cwnd = RTE_MAX(c->cwnd, c->cc_west); /* Reno-friendly region */
		return;
	}
	/* Concave / convex: grow (target - cwnd) / cwnd per ACK, target within [cwnd, 1.5 cwnd]. */
	target = w_cubic * mss;
	if (target < c->cwnd)
		target = c->cwnd;
	if (target > 1.5 * c->cwnd)
		target = 1.5 * c->cwnd;
	c->cc_grow_frac += (target - c->cwnd) * acked / c->cwnd;
	if (c->cc_grow_frac >= 1.0) {
		c->cwnd += (uint32_t)c->cc_grow_frac;
		c->cc_grow_frac -= (uint32_t)c->cc_grow_frac;
	}
}

void tcp_cc_ack(struct sl_tcp_conn *c, uint32_t acked)
{
	uint32_t mss = tcp_eff_mss(c);

	if (c->cwnd < c->ssthresh) {
		c->cwnd += RTE_MIN(acked, mss); /* RFC 5681 (2) slow start, both */
		c->cc_epoch_us = 0;
	} else if (cubic(c)) {
		cubic_ack(c, acked, mss);
	} else {
		/* RFC 5681 3.1 congestion avoidance by byte counting. */
		c->bytes_acked += acked;
		if (c->bytes_acked >= c->cwnd) {
			c->bytes_acked -= c->cwnd;
			c->cwnd += mss;
		}
	}
	if (c->cwnd > (1u << 30))
		c->cwnd = 1u << 30;
}
