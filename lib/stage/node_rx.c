/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receive node: polls every queue a worker serves for one pipeline in
 * one node (DPDK 22.11's ethdev_rx node polls one queue per node, so a
 * worker with eight queues would walk eight source nodes), then runs the
 * vector down the pipeline's straight line (line.h).
 */
#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_malloc.h>

#include "line.h"
#include "core/app_priv.h"

static rte_node_t rx_node_id = RTE_NODE_ID_INVALID;

rte_node_t sl_rx_node_id(void)
{
	return rx_node_id;
}

/* Untimed walks run the line inline; timed ones (one in many) call it. */
static __rte_always_inline void run_line(struct rte_graph *graph, struct sl_rx_ctx *rx, uint16_t n,
					 uint16_t port)
{
	if (unlikely(rx->walk_stats->timed))
		sl_line_run_timed(graph, rx, n, port);
	else
		sl_line_run(graph, rx, n, port, false);
}

static uint16_t rx_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
				uint16_t nb_objs)
{
	struct sl_rx_ctx *rx = SL_NODE_CTX(node, struct sl_rx_ctx);
	struct rte_mbuf **pkts = (struct rte_mbuf **)node->objs;
	uint16_t n = 0;
	/* The port every packet of this walk came from, or SL_NO_PORT once a
	 * second port gave some (line.h: transmit may then skip its scan). */
	uint16_t first_port = SL_NO_PORT, walk_port = SL_NO_PORT;

	RTE_SET_USED(objs);
	RTE_SET_USED(nb_objs);
	/*
	 * Keep pulling bursts while a queue returns full ones, up to one graph
	 * vector ([app] vector; one burst by default, which measured fastest
	 * for forwarding: a 256-packet walk no longer fits the mbufs and
	 * frames it touches in L1). A light load leaves after one partial
	 * burst. Each queue gets at most its share of the vector, and the
	 * first queue polled rotates, so a saturated queue cannot starve the
	 * others.
	 */
	for (uint16_t k = 0; k < rx->nb_rxq; k++) {
		uint16_t i =
		    rx->next_q + k < rx->nb_rxq ? rx->next_q + k : rx->next_q + k - rx->nb_rxq;
		uint16_t limit = RTE_MIN(rx->vector, n + rx->share);
		uint16_t before = n, got;

		do {
			got = rte_eth_rx_burst(rx->q[i].port_id, rx->q[i].queue, pkts + n,
					       RTE_MIN(limit - n, rx->burst));
			rx->q[i].packets += got;
			n += got;
		} while (got == rx->burst && limit - n >= rx->burst);
		if (n != before) {
			if (first_port == SL_NO_PORT)
				first_port = walk_port = rx->q[i].port_id;
			else if (rx->q[i].port_id != first_port)
				walk_port = SL_NO_PORT;
		}
		if (rx->vector - n < rx->burst)
			break;
	}
	if (++rx->next_q >= rx->nb_rxq)
		rx->next_q = 0;
	if (n == 0)
		return 0;
	rx->packets += n;
	run_line(graph, rx, n, walk_port);
	return n;
}

/*
 * Several queues, one burst per walk (vector = burst, the default): the
 * loop above reduced to what it does then. The first queue that has packets,
 * in rotation, fills the walk. Half the receive node's instructions per
 * packet of rx_node_process on two net_null ports (cachegrind).
 */
static uint16_t rx_node_process_burst(struct rte_graph *graph, struct rte_node *node, void **objs,
				      uint16_t nb_objs)
{
	struct sl_rx_ctx *rx = SL_NODE_CTX(node, struct sl_rx_ctx);
	struct rte_mbuf **pkts = (struct rte_mbuf **)node->objs;
	uint16_t i = rx->next_q, n = 0;

	RTE_SET_USED(objs);
	RTE_SET_USED(nb_objs);
	for (uint16_t k = 0; k < rx->nb_rxq; k++) {
		n = rte_eth_rx_burst(rx->q[i].port_id, rx->q[i].queue, pkts, rx->burst);
		if (n != 0)
			break;
		if (++i == rx->nb_rxq)
			i = 0;
	}
	if (++rx->next_q >= rx->nb_rxq)
		rx->next_q = 0;
	if (n == 0)
		return 0;
	rx->q[i].packets += n;
	rx->packets += n;
	run_line(graph, rx, n, rx->q[i].port_id);
	return n;
}

/* The usual shape, one queue and one burst per walk, without the loops. */
static uint16_t rx_node_process_one(struct rte_graph *graph, struct rte_node *node, void **objs,
				    uint16_t nb_objs)
{
	struct sl_rx_ctx *rx = SL_NODE_CTX(node, struct sl_rx_ctx);
	uint16_t n;

	RTE_SET_USED(objs);
	RTE_SET_USED(nb_objs);
	if (unlikely(rx->nb_rxq == 0)) /* draining */
		return 0;
	n = rte_eth_rx_burst(rx->q[0].port_id, rx->q[0].queue, (struct rte_mbuf **)node->objs,
			     rx->burst);
	if (n == 0)
		return 0;
	rx->q[0].packets += n;
	rx->packets += n;
	run_line(graph, rx, n, rx->q[0].port_id);
	return n;
}

struct sl_rx_ctx *sl_rx_ctx_create(struct sl_app *app, struct sl_worker *w, struct rte_node *node,
				   unsigned int pipeline)
{
	struct sl_rx_ctx *rx;

	rx = rte_zmalloc_socket("sl_rx", sizeof(*rx), RTE_CACHE_LINE_SIZE, w->info.socket);
	if (rx == NULL)
		return NULL;
	rx->burst = app->cfg.burst;
	rx->vector = RTE_MIN(app->cfg.vector, (unsigned int)node->size);
	if (rx->vector < rx->burst)
		rx->vector = rx->burst;
	for (unsigned int r = 0; r < w->conf->nb_rxq; r++) {
		const struct sl_rxq_ref *ref = &w->conf->rxq[r];

		if (app->cfg.ports[ref->port_idx].pipeline_idx != pipeline)
			continue;
		rx->q[rx->nb_rxq].port_id = app->ports[ref->port_idx].port_id;
		rx->q[rx->nb_rxq].queue = ref->queue;
		rx->nb_rxq++;
	}
	/* A queue's share of one vector, in whole bursts (at least one). */
	rx->share = rx->nb_rxq ? rx->vector / rx->nb_rxq : rx->vector;
	rx->share -= rx->share % rx->burst;
	if (rx->share < rx->burst)
		rx->share = rx->burst;
	rx->walk_stats = &w->walk_stats;
	rx->node = node; /* rx->line is resolved once every context exists */
	/* The node is this graph's own copy: a per-graph choice of process
	 * function sticks. */
	if (rx->nb_rxq == 1 && rx->vector == rx->burst)
		node->process = rx_node_process_one;
	else if (rx->nb_rxq > 1 && rx->vector == rx->burst)
		node->process = rx_node_process_burst;
	return rx;
}

static struct rte_node_register rx_node = {
    .name = "sl_rx",
    .flags = RTE_NODE_SOURCE_F,
    .process = rx_node_process,
    .nb_edges = 1,
    .next_nodes = {"sl_drop"}, /* replaced per pipeline clone */
};

rte_node_t sl_rx_node_register(void)
{
	if (rx_node_id == RTE_NODE_ID_INVALID) {
		rx_node.parent_id = RTE_NODE_ID_INVALID; /* 0 would say "clone of node 0" */
		rx_node_id = __rte_node_register(&rx_node);
	}
	return rx_node_id;
}
