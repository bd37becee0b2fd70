/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen --search: RFC 2544 26.1 throughput, a binary search over trials. */
#include <stdio.h>

#include <rte_common.h>

#include "engine.h"
#include "rate.h"

/* One --search trial at `value` (rate.kind units). */
static bool gen_trial(struct gen *g, double value)
{
	struct gen_rate r = {.kind = g->o.rate.kind, .value = value};
	struct gen_trial *t = &g->trials[g->nb_trials++];
	double s;

	gen_counts_reset(g);
	gen_loop(g, &r, g->o.trial_s, 0);
	s = gen_send_s(g);
	t->rate_value = value;
	t->target_pps = gen_rate_pps(&r, g->o.line_rate_bps, g->sizes->avg);
	t->tx_pps = s > 0 ? (double)g->c.sent / s : 0;
	t->rx_pps = s > 0 ? (double)g->c.received / s : 0;
	t->sent = g->c.sent;
	t->lost = gen_lost(g);
	t->loss_pct = gen_loss_pct(g);
	t->p50 = gen_hist_quantile(g->lat, 0.5);
	t->p99 = gen_hist_quantile(g->lat, 0.99);
	t->max = g->lat->max;
	t->stalled_ms = gen_us(g, g->c.stall_cycles) / 1000;
	/* A trial whose sender could not keep up did not test that rate. Time
	 * the core was taken from the sender (stalls) is not held against the
	 * DUT: the sender must reach the rate while it runs. */
	double had_core = s > 0 ? RTE_MAX(0.0, 1 - t->stalled_ms / 1000 / s) : 1;

	t->pass = g->c.sent > 0 && t->loss_pct <= g->o.search_loss_pct &&
		  t->tx_pps >= 0.97 * had_core * t->target_pps;
	if (!g->o.quiet) {
		printf("trial %u: %.2f -> target %.0f pps, tx %.0f pps, rx %.0f pps, loss %.4f%%, "
		       "stalled %.1f ms: %s\n",
		       g->nb_trials, value, t->target_pps, t->tx_pps, t->rx_pps, t->loss_pct,
		       t->stalled_ms, t->pass ? "pass" : "fail");
		fflush(stdout);
	}
	return t->pass;
}

/* RFC 2544 26.1: binary search for the highest rate with loss <= the
 * threshold, between --search-min and --rate. */
void gen_search(struct gen *g)
{
	double hi = g->o.rate.value, lo = g->o.search_min;

	g->found_rate = -1;
	/* The first packets over a fresh link cost more than the rest (memif's
	 * shared rings fault their pages in on first use: ~3 % of the first
	 * second at 400 kpps with 4096-slot rings), which would fall on the
	 * first trial, the one at the highest rate. Send for a while first;
	 * each trial resets the counters. */
	if (g->o.search_warmup_s > 0) {
		if (!g->o.quiet)
			printf("warm-up: %.2f s at the first trial's rate, not counted\n",
			       g->o.search_warmup_s);
		gen_loop(g, &g->o.rate, g->o.search_warmup_s, 0);
	}
	if (gen_trial(g, hi)) {
		g->found_rate = hi;
		return;
	}
	while (g->nb_trials < GEN_MAX_TRIALS && !gen_stop &&
	       (hi - lo) / hi > g->o.search_precision) {
		double mid = (lo + hi) / 2;

		if (gen_trial(g, mid)) {
			lo = mid;
			g->found_rate = mid;
		} else {
			hi = mid;
		}
	}
	/* Nothing passed above the bound: check the bound itself. */
	if (g->found_rate < 0 && g->nb_trials < GEN_MAX_TRIALS && !gen_stop &&
	    gen_trial(g, g->o.search_min))
		g->found_rate = g->o.search_min;
}
