/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transmit node: sends each packet by mbuf->port on the worker's own tx
 * queue (its worker index, the same on every port), counting sent and
 * dropped packets per port. DPDK 22.11's ethdev_tx node takes the graph id
 * as its queue, which ties queues to graph creation order.
 */
#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_malloc.h>

#include "core/app_priv.h"

static rte_node_t tx_node_id = RTE_NODE_ID_INVALID;

rte_node_t sl_tx_node_id(void)
{
	return tx_node_id;
}

/* Distinct output ports one vector is sorted by before falling back to runs. */
#define TX_SORT_PORTS 8

uint16_t sl_tx_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			    uint16_t nb_objs)
{
	struct sl_tx_ctx *tx = SL_NODE_CTX(node, struct sl_tx_ctx);
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
			sl_tx_to_port(tx, port, pkts, nb_objs);
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
		sl_tx_to_port(tx, ports[k], sorted + first[k], first[k + 1] - first[k]);
	return nb_objs;

runs:
	/* Many ports in one vector: runs of packets for one port keep order. */
	while (start < nb_objs) {
		uint16_t port = pkts[start]->port;
		uint16_t end = start + 1;

		while (end < nb_objs && pkts[end]->port == port)
			end++;
		sl_tx_to_port(tx, port, pkts + start, end - start);
		start = end;
	}
	return nb_objs;
}

struct sl_tx_ctx *sl_tx_ctx_create(struct sl_app *app, struct sl_worker *w)
{
	struct sl_tx_ctx *tx;

	tx = rte_zmalloc_socket("sl_tx", sizeof(*tx), RTE_CACHE_LINE_SIZE, w->info.socket);
	if (tx == NULL)
		return NULL;
	tx->queue = w->info.index;
	tx->retries = app->cfg.tx_retry;
	for (unsigned int i = 0; i < app->nb_ports; i++)
		tx->port_ok[app->ports[i].port_id] = 1;
	return tx;
}

static struct rte_node_register tx_node = {
    .name = "sl_tx",
    .process = sl_tx_node_process,
    .nb_edges = 0,
};

rte_node_t sl_tx_node_register(void)
{
	if (tx_node_id == RTE_NODE_ID_INVALID) {
		tx_node.parent_id = RTE_NODE_ID_INVALID;
		tx_node_id = __rte_node_register(&tx_node);
	}
	return tx_node_id;
}
