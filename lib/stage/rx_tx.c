/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The framework's own graph nodes: receive, transmit, drop, and the shell
 * every stage runs in.
 *
 * Why not DPDK's ethdev_rx/ethdev_tx nodes from lib/node: in 22.11 their
 * tx queue is the graph id (so queues depend on graph creation order and
 * graphs of other apps), one rx node polls one queue (a worker with eight
 * queues would walk eight source nodes), and their next edges are fixed to
 * lib/node's classifier. Ours poll a worker's whole queue list in one node,
 * use the worker's own tx queue on every port, and count tx drops per port.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "sl_priv.h"

struct sl_worker *sl_building_worker;
struct sl_app *sl_building_app;

static rte_node_t rx_node_id = RTE_NODE_ID_INVALID;

#define NODE_CTX(node, type) (*(type **)(node)->ctx)

rte_node_t sl_rx_node_id(void)
{
	return rx_node_id;
}

/* ---- receive ---- */

static inline void tx_to_port(struct sl_tx_ctx *tx, uint16_t port, struct rte_mbuf **pkts,
			      uint16_t n);

/*
 * Run the vector the receive node holds down its straight line (chain.c):
 * inline here on untimed walks whose line is process stages ending at
 * transmit; through sl_chain_run otherwise. `port` is the one port the
 * vector came from, or SL_NO_PORT.
 */
static __rte_always_inline void run_line(struct rte_graph *graph, struct rte_node *node,
					 struct sl_rx_ctx *rx, uint16_t n, uint16_t port)
{
	const struct sl_line *line = &rx->line;
	struct rte_mbuf **pkts = (struct rte_mbuf **)node->objs;
	const bool count = rx->walk_stats->count;
	uint16_t nexts[SL_STAGE_VEC_MAX];

	if (unlikely(!line->to_tx || rx->walk_stats->timed)) {
		sl_chain_run(graph, node, rx->walk_stats, n, port);
		return;
	}
	for (unsigned int k = 0; k < line->nb_stages; k++) {
		const struct sl_line_stage *st = &line->stage[k];
		const uint16_t edge = st->process(st->ctx, pkts, n, nexts);

		if (count) {
			st->node->total_calls++;
			st->node->total_objs += n;
		}
		if (unlikely(edge != SL_EDGE_NEXT)) {
			sl_chain_leave(graph, st->node, edge, pkts, nexts, n);
			return;
		}
	}
	if (line->keeps_port && port != SL_NO_PORT)
		tx_to_port(line->tx, port, pkts, n);
	else
		sl_tx_node_process(graph, line->tx_node, (void **)pkts, n);
	if (count) {
		line->tx_node->total_calls++;
		line->tx_node->total_objs += n;
	}
}

static uint16_t rx_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
				uint16_t nb_objs)
{
	struct sl_rx_ctx *rx = NODE_CTX(node, struct sl_rx_ctx);
	struct rte_mbuf **pkts = (struct rte_mbuf **)node->objs;
	uint16_t n = 0;
	/* The port every packet of this walk came from, or SL_NO_PORT once a
	 * second port gave some (chain.c: transmit may then skip its scan). */
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
	run_line(graph, node, rx, n, walk_port);
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
	struct sl_rx_ctx *rx = NODE_CTX(node, struct sl_rx_ctx);
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
	run_line(graph, node, rx, n, rx->q[i].port_id);
	return n;
}

/* The usual shape, one queue and one burst per walk, without the loops. */
static uint16_t rx_node_process_one(struct rte_graph *graph, struct rte_node *node, void **objs,
				    uint16_t nb_objs)
{
	struct sl_rx_ctx *rx = NODE_CTX(node, struct sl_rx_ctx);
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
	run_line(graph, node, rx, n, rx->q[0].port_id);
	return n;
}

static int find_rx_pipeline(const struct sl_app *app, const struct rte_node *node)
{
	char want[RTE_NODE_NAMESIZE];

	for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
		snprintf(want, sizeof(want), "sl_rx-%s", app->cfg.pipelines[p].name);
		if (!strcmp(node->name, want))
			return (int)p;
	}
	return -1;
}

static int rx_node_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct sl_worker *w = sl_building_worker;
	struct sl_app *app = sl_building_app;
	int pipeline = find_rx_pipeline(app, node);
	struct sl_rx_ctx *rx;

	RTE_SET_USED(graph);
	if (w == NULL || pipeline < 0)
		return -EINVAL;
	rx = rte_zmalloc_socket("sl_rx", sizeof(*rx), RTE_CACHE_LINE_SIZE, w->info.socket);
	if (rx == NULL)
		return -ENOMEM;
	rx->burst = app->cfg.burst;
	rx->vector = RTE_MIN(app->cfg.vector, (unsigned int)node->size);
	if (rx->vector < rx->burst)
		rx->vector = rx->burst;
	for (unsigned int r = 0; r < w->conf->nb_rxq; r++) {
		const struct sl_rxq_ref *ref = &w->conf->rxq[r];

		if (app->cfg.ports[ref->port_idx].pipeline_idx != (unsigned int)pipeline)
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
	rx->node = node; /* rx->line is filled once the whole graph exists */
	w->rx[pipeline] = rx;
	NODE_CTX(node, struct sl_rx_ctx) = rx;
	/* rte_graph copied the registered process into this graph's node
	 * before calling init, so a per-graph choice made here sticks. */
	if (rx->nb_rxq == 1 && rx->vector == rx->burst)
		node->process = rx_node_process_one;
	else if (rx->nb_rxq > 1 && rx->vector == rx->burst)
		node->process = rx_node_process_burst;
	return 0;
}

static void ctx_free_fini(const struct rte_graph *graph, struct rte_node *node)
{
	RTE_SET_USED(graph);
	rte_free(NODE_CTX(node, void));
	NODE_CTX(node, void) = NULL;
}

static struct rte_node_register rx_node = {
    .name = "sl_rx",
    .flags = RTE_NODE_SOURCE_F,
    .process = rx_node_process,
    .init = rx_node_init,
    .fini = ctx_free_fini,
    .nb_edges = 1,
    .next_nodes = {"sl_drop"}, /* replaced per pipeline clone */
};

/* ---- transmit ---- */

/* Distinct output ports one vector is sorted by before falling back to runs. */
#define TX_SORT_PORTS 8

static inline void tx_to_port(struct sl_tx_ctx *tx, uint16_t port, struct rte_mbuf **pkts,
			      uint16_t n)
{
	uint16_t sent, tries = tx->retries;

	if (unlikely(port >= RTE_MAX_ETHPORTS || !tx->port_ok[port])) {
		tx->bad_port += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return;
	}
	sent = rte_eth_tx_burst(port, tx->queue, pkts, n);
	while (unlikely(sent < n) && tries-- > 0)
		sent += rte_eth_tx_burst(port, tx->queue, pkts + sent, n - sent);
	tx->port[port].packets += sent;
	if (unlikely(sent < n)) {
		tx->port[port].dropped += n - sent;
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
}

void sl_tx_node_send(struct rte_node *tx_node, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	tx_to_port(NODE_CTX(tx_node, struct sl_tx_ctx), port, pkts, n);
}

uint16_t sl_tx_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			    uint16_t nb_objs)
{
	struct sl_tx_ctx *tx = NODE_CTX(node, struct sl_tx_ctx);
	struct rte_mbuf **pkts = (struct rte_mbuf **)objs;
	uint16_t start = 0;

	RTE_SET_USED(graph);
	/* The usual case: the whole vector leaves by one port. Compare four
	 * ports per step, without a branch per packet. */
	if (likely(nb_objs > 0)) {
		const uint16_t port = pkts[0]->port;
		uint16_t i = 1;

		for (; i + 4 <= nb_objs; i += 4)
			if ((pkts[i]->port ^ port) | (pkts[i + 1]->port ^ port) |
			    (pkts[i + 2]->port ^ port) | (pkts[i + 3]->port ^ port))
				break;
		while (i < nb_objs && pkts[i]->port == port)
			i++;
		if (likely(i == nb_objs)) {
			tx_to_port(tx, port, pkts, nb_objs);
			return nb_objs;
		}
	}
	/*
	 * Mixed ports (a router spreading a vector over its ports): a counting
	 * sort by port keeps each port's order and costs one tx_burst per port,
	 * where sending runs would cost one per change of port — one per packet
	 * when destinations alternate.
	 */
	uint16_t changes = 0;

	/* Packets of one port usually arrive together (one rx queue after the
	 * other): a few runs cost a few tx_bursts and no sorting. */
	for (uint16_t i = 1; i < nb_objs; i++)
		changes += pkts[i]->port != pkts[i - 1]->port;
	if (changes < TX_SORT_PORTS)
		goto runs;

	uint16_t nb_ports = 0, first[TX_SORT_PORTS + 1];
	uint16_t ports[TX_SORT_PORTS], count[TX_SORT_PORTS] = {0};
	uint8_t slot_of[RTE_GRAPH_BURST_SIZE];
	struct rte_mbuf *sorted[RTE_GRAPH_BURST_SIZE];

	for (uint16_t i = 0; i < nb_objs; i++) {
		uint16_t port = pkts[i]->port, k = 0;

		while (k < nb_ports && ports[k] != port)
			k++;
		if (unlikely(k == nb_ports)) {
			if (nb_ports == TX_SORT_PORTS || nb_objs > RTE_GRAPH_BURST_SIZE)
				goto runs;
			ports[nb_ports++] = port;
		}
		slot_of[i] = (uint8_t)k;
		count[k]++;
	}
	first[0] = 0;
	for (uint16_t k = 0; k < nb_ports; k++)
		first[k + 1] = first[k] + count[k];
	for (uint16_t k = 0; k < nb_ports; k++)
		count[k] = first[k];
	for (uint16_t i = 0; i < nb_objs; i++)
		sorted[count[slot_of[i]]++] = pkts[i];
	for (uint16_t k = 0; k < nb_ports; k++)
		tx_to_port(tx, ports[k], sorted + first[k], first[k + 1] - first[k]);
	return nb_objs;

runs:
	/* Many ports in one vector: runs of packets for one port keep order. */
	while (start < nb_objs) {
		uint16_t port = pkts[start]->port;
		uint16_t end = start + 1;

		while (end < nb_objs && pkts[end]->port == port)
			end++;
		tx_to_port(tx, port, pkts + start, end - start);
		start = end;
	}
	return nb_objs;
}

static int tx_node_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct sl_worker *w = sl_building_worker;
	struct sl_app *app = sl_building_app;
	struct sl_tx_ctx *tx;

	RTE_SET_USED(graph);
	if (w == NULL)
		return -EINVAL;
	tx = rte_zmalloc_socket("sl_tx", sizeof(*tx), RTE_CACHE_LINE_SIZE, w->info.socket);
	if (tx == NULL)
		return -ENOMEM;
	tx->queue = w->info.index;
	tx->retries = app->cfg.tx_retry;
	for (unsigned int i = 0; i < app->nb_ports; i++)
		tx->port_ok[app->ports[i].port_id] = 1;
	w->tx = tx;
	NODE_CTX(node, struct sl_tx_ctx) = tx;
	return 0;
}

static struct rte_node_register tx_node = {
    .name = "sl_tx",
    .process = sl_tx_node_process,
    .init = tx_node_init,
    .fini = ctx_free_fini,
    .nb_edges = 0,
};

/* ---- drop ---- */

static uint16_t drop_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
				  uint16_t nb_objs)
{
	struct sl_drop_ctx *drop = NODE_CTX(node, struct sl_drop_ctx);

	RTE_SET_USED(graph);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, nb_objs);
	drop->packets += nb_objs;
	return nb_objs;
}

static int drop_node_init(const struct rte_graph *graph, struct rte_node *node)
{
	struct sl_worker *w = sl_building_worker;
	struct sl_drop_ctx *drop;

	RTE_SET_USED(graph);
	if (w == NULL)
		return -EINVAL;
	drop = rte_zmalloc_socket("sl_drop", sizeof(*drop), RTE_CACHE_LINE_SIZE, w->info.socket);
	if (drop == NULL)
		return -ENOMEM;
	w->drop = drop;
	NODE_CTX(node, struct sl_drop_ctx) = drop;
	return 0;
}

static struct rte_node_register drop_node = {
    .name = "sl_drop",
    .process = drop_node_process,
    .init = drop_node_init,
    .fini = ctx_free_fini,
    .nb_edges = 0,
};

int sl_rx_tx_nodes_register(void)
{
	if (rx_node_id != RTE_NODE_ID_INVALID)
		return 0;
	/* Not clones of anything (a zero parent_id would say "clone of node 0"). */
	drop_node.parent_id = RTE_NODE_ID_INVALID;
	tx_node.parent_id = RTE_NODE_ID_INVALID;
	rx_node.parent_id = RTE_NODE_ID_INVALID;
	if (__rte_node_register(&drop_node) == RTE_NODE_ID_INVALID ||
	    __rte_node_register(&tx_node) == RTE_NODE_ID_INVALID)
		return -1;
	rx_node_id = __rte_node_register(&rx_node);
	return rx_node_id == RTE_NODE_ID_INVALID ? -1 : 0;
}
