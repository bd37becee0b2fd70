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

#include "sl_priv.h"

static volatile bool stop_requested;

void
sl_app_request_stop(void)
{
	stop_requested = true;
}

bool
sl_app_stop_requested(void)
{
	return stop_requested;
}

static uint16_t
poll_stage(struct rte_graph *graph, struct sl_stage_inst *inst)
{
	uint16_t n = inst->ops->poll(&inst->ctx, inst->out, inst->out_nexts, SL_STAGE_VEC_MAX);

	sl_enqueue_runs(graph, inst->node, (void **)inst->out, inst->out_nexts, n);
	return n;
}

static inline uint64_t
rx_total(struct sl_rx_ctx *const *rx, unsigned int nb_rx)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < nb_rx; i++)
		total += rx[i]->packets;
	return total;
}

/* After stop: no more rx; let holding stages release what they hold (the
 * impair delay queue) for a bounded time so nothing is lost on Ctrl-C. */
static void
drain(struct sl_worker *w)
{
	uint64_t deadline = rte_rdtsc() + rte_get_tsc_hz() / 5;
	uint16_t nb_rxq[SL_MAX_PIPELINES] = {0};

	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL) {
			nb_rxq[p] = w->rx[p]->nb_rxq;
			w->rx[p]->nb_rxq = 0;
		}
	while (rte_rdtsc() < deadline) {
		uint16_t released = 0;

		for (unsigned int i = 0; i < w->nb_pollers; i++)
			released += poll_stage(w->graph, w->pollers[i]);
		rte_graph_walk(w->graph);
		if (released == 0 && w->nb_pollers == 0)
			break;
	}
	/* The graph is never walked again; the final stats list the queues. */
	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL)
			w->rx[p]->nb_rxq = nb_rxq[p];
}

/*
 * The same walk as rte_graph_walk() minus rte_graph's per-node statistics:
 * those cost two TSC reads around every node call, which is 8 reads for a
 * four-node walk — several cycles per packet when a walk carries a single
 * 32-packet burst. With [app] graph_stats = off, workers walk this way and
 * per-stage calls/objs/cycles stay at zero (stage counters still count).
 */
static inline void
walk_without_node_stats(struct rte_graph *graph)
{
	const rte_graph_off_t *reel = graph->cir_start;
	const uint32_t mask = graph->cir_mask;
	uint32_t head = graph->head;

	/* Source nodes sit before cir_start (negative head), pending ones after. */
	while (likely(head != graph->tail)) {
		struct rte_node *node = RTE_PTR_ADD(graph, reel[(int32_t)head++]);

		node->process(graph, node, node->objs, node->idx);
		node->idx = 0;
		if (likely((int32_t)head > 0))
			head &= mask;
	}
	graph->tail = 0;
}

static int
worker_main(void *arg)
{
	struct sl_worker *w = arg;
	struct rte_graph *graph = w->graph;
	uint64_t prev = rte_rdtsc(), last_rx = 0;
	struct sl_rx_ctx *rx_list[SL_MAX_PIPELINES];
	unsigned int nb_rx = 0;
	const bool node_stats = w->app->cfg.graph_stats;

	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL)
			rx_list[nb_rx++] = w->rx[p];
	w->running = true;
	while (likely(!stop_requested)) {
		uint64_t now, rx;

		if (node_stats)
			rte_graph_walk(graph);
		else
			walk_without_node_stats(graph);
		for (unsigned int i = 0; i < w->nb_pollers; i++)
			poll_stage(graph, w->pollers[i]);

		now = rte_rdtsc();
		rx = rx_total(rx_list, nb_rx);
		if (rx != last_rx) {
			w->busy_cycles += now - prev;
			w->busy_loops++;
			last_rx = rx;
		} else {
			w->idle_cycles += now - prev;
		}
		w->loops++;
		prev = now;
	}
	drain(w);
	w->running = false;
	return 0;
}

int
sl_workers_launch(struct sl_app *app, struct sl_error *err)
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

void
sl_workers_stop(struct sl_app *app)
{
	sl_app_request_stop();
	if (app->launched)
		rte_eal_mp_wait_lcore();
	app->launched = false;
}
