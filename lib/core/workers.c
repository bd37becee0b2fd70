/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker loop: walk this worker's graph, give holding stages a chance
 * to release packets, and account busy cycles the way testpmd's
 * --record-core-cycles does (cycles of iterations that received packets). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_graph_worker.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "core/app_priv.h"

static volatile bool stop_requested;

void sl_app_request_stop(void)
{
	stop_requested = true;
}

void sl_app_stop_clear(void)
{
	stop_requested = false;
}

bool sl_app_stop_requested(void)
{
	return stop_requested;
}

static uint16_t poll_stage(struct rte_graph *graph, struct sl_stage_inst *inst)
{
	uint16_t n = inst->ops->poll(&inst->ctx, inst->out, inst->out_nexts, SL_STAGE_VEC_MAX);

	sl_enqueue_runs(graph, inst->node, (void **)inst->out, inst->out_nexts, n);
	return n;
}

static inline uint64_t rx_total(struct sl_rx_ctx *const *rx, unsigned int nb_rx)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < nb_rx; i++)
		total += rx[i]->packets;
	return total;
}

/*
 * rte_graph_walk() with its per-node statistics made optional per walk.
 * rte_graph times every node call with two TSC reads: 6 to 8 reads per walk
 * of a short pipeline, which is about a cycle per packet when walks carry
 * 32 packets. Here calls and packets are always counted (two adds to the
 * node, which is in cache anyway) and a node call is timed only when `timed`
 * is set; its cycles are then scaled by `scale` so that total_cycles
 * estimates the cycles of all calls. Callers pick timed walks at random, so
 * the estimate has no bias from walks that come in a pattern (queues polled
 * in turn, a stage that holds packets every other walk).
 * Needs `count`: with graph_stats = off nothing is counted at all.
 * The receive node may call the next nodes itself (lib/stage/line.h): `ws` tells it
 * what to record, and the cycles of those calls come off its own.
 */
static __rte_always_inline void walk(struct rte_graph *graph, struct sl_walk_stats *ws,
				     const bool count, const bool timed, const uint64_t scale)
{
	const rte_graph_off_t *reel = graph->cir_start;
	const uint32_t mask = graph->cir_mask;
	uint32_t head = graph->head;

	ws->count = count;
	ws->timed = timed;
	ws->scale = scale;

	/* Source nodes sit before cir_start (negative head), pending ones after. */
	while (likely(head != graph->tail)) {
		struct rte_node *node = RTE_PTR_ADD(graph, reel[(int32_t)head++]);
		uint16_t rc;

		if (timed) {
			uint64_t start = rte_rdtsc();

			ws->chained_cycles = 0;
			rc = node->process(graph, node, node->objs, node->idx);
			node->total_cycles += (rte_rdtsc() - start - ws->chained_cycles) * scale;
		} else {
			rc = node->process(graph, node, node->objs, node->idx);
		}
		if (count) {
			node->total_calls++;
			node->total_objs += rc;
		}
		node->idx = 0;
		if (likely((int32_t)head > 0))
			head &= mask;
	}
	graph->tail = 0;
}

/* After stop: no more rx; let holding stages release what they hold (the
 * impair delay queue) for a bounded time so nothing is lost on Ctrl-C. */
static void drain(struct sl_worker *w)
{
	uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz() / 5;
	uint16_t nb_rxq[SL_MAX_PIPELINES] = {0};
	/* What is released here is counted like any walk's packets (not timed). */
	const bool count = w->app->cfg.graph_stats != SL_GRAPH_STATS_OFF;

	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL) {
			nb_rxq[p] = w->rx[p]->nb_rxq;
			w->rx[p]->nb_rxq = 0;
		}
	while (rte_rdtsc() < deadline) {
		uint16_t released = 0;

		for (unsigned int i = 0; i < w->nb_pollers; i++)
			released += poll_stage(w->graph, w->pollers[i]);
		walk(w->graph, &w->walk_stats, count, false, 1);
		if (released == 0 && w->nb_pollers == 0)
			break;
	}
	/* The graph is never walked again; the final stats list the queues. */
	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL)
			w->rx[p]->nb_rxq = nb_rxq[p];
}

_Static_assert((SL_GRAPH_STATS_SAMPLE_EVERY & (SL_GRAPH_STATS_SAMPLE_EVERY - 1)) == 0,
	       "the sampling test masks the random number");

/* xorshift32: cheap, and random enough to pick walks to time. */
static inline uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

/* Whether the next walk is timed (graph_stats = sampled: one in
 * SL_GRAPH_STATS_SAMPLE_EVERY, at random). */
static inline bool next_walk_timed(uint8_t stats_mode, uint32_t *random)
{
	if (stats_mode == SL_GRAPH_STATS_SAMPLED)
		return unlikely((next_random(random) & (SL_GRAPH_STATS_SAMPLE_EVERY - 1)) == 0);
	return stats_mode == SL_GRAPH_STATS_ON;
}

/*
 * Busy cycles are measured as testpmd's --record-core-cycles measures them:
 * from a TSC read just before the walk (which starts with the receive) to
 * one just after it (transmit done), summed over the walks that received
 * packets. The loop's own work (the accounting, the stop flag, choosing the
 * next timed walk) stays outside that span, as testpmd's loop stays outside
 * its figure. Measuring from one loop's TSC read to the next instead put that
 * work in, and more: on memif in closed loop it made the same walks cost
 * 6-9 % more than the span testpmd times.
 * Whole iterations are accounted as well, one iteration late (its length is
 * known when the next one starts): busy_loop_cycles for those that received,
 * idle_cycles for the others; busy % is the first over both. Idle iterations
 * read the TSC once, busy ones twice.
 */
static int worker_main(void *arg)
{
	struct sl_worker *w = arg;
	struct rte_graph *graph = w->graph;
	struct sl_walk_stats *ws = &w->walk_stats;
	uint64_t last_rx = 0, prev_start;
	bool prev_busy = false;
	struct sl_rx_ctx *rx_list[SL_MAX_PIPELINES];
	unsigned int nb_rx = 0;
	const uint8_t stats_mode = w->app->cfg.graph_stats;
	const uint64_t scale =
	    stats_mode == SL_GRAPH_STATS_SAMPLED ? SL_GRAPH_STATS_SAMPLE_EVERY : 1;
	uint32_t random = 0x9e3779b9u ^ (w->info.lcore + 1) * 0x85ebca6bu;

	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL)
			rx_list[nb_rx++] = w->rx[p];
	w->running = true;
	prev_start = rte_rdtsc();
	while (likely(!stop_requested)) {
		const bool timed = next_walk_timed(stats_mode, &random);
		const uint64_t start = rte_rdtsc();
		uint64_t rx;
		bool busy;

		if (stats_mode == SL_GRAPH_STATS_OFF)
			walk(graph, ws, false, false, 1);
		else if (unlikely(timed))
			walk(graph, ws, true, true, scale);
		else
			walk(graph, ws, true, false, 1);
		for (unsigned int i = 0; i < w->nb_pollers; i++)
			poll_stage(graph, w->pollers[i]);

		rx = rx_total(rx_list, nb_rx);
		busy = rx != last_rx;
		if (busy) {
			w->busy_cycles += rte_rdtsc() - start;
			w->busy_loops++;
			last_rx = rx;
		}
		if (prev_busy)
			w->busy_loop_cycles += start - prev_start;
		else
			w->idle_cycles += start - prev_start;
		w->loops++;
		prev_start = start;
		prev_busy = busy;
	}
	drain(w);
	w->running = false;
	return 0;
}

int sl_workers_launch(struct sl_app *app, struct sl_error *err)
{
	for (unsigned int i = 0; i < app->nb_workers; i++) {
		struct sl_worker *w = app->workers[i];
		int rc;

		if (w->graph == NULL)
			continue;
		rc = rte_eal_remote_launch(worker_main, w, w->info.lcore);
		if (rc != 0) {
			snprintf(err->msg, sizeof(err->msg), "cannot launch worker on lcore %u: %s",
				 w->info.lcore, strerror(-rc));
			sl_app_request_stop();
			rte_eal_mp_wait_lcore();
			return -1;
		}
	}
	app->launched = true;
	return 0;
}

void sl_workers_stop(struct sl_app *app)
{
	sl_app_request_stop();
	if (app->launched)
		rte_eal_mp_wait_lcore();
	app->launched = false;
}
