/* SPDX-License-Identifier: BSD-3-Clause */
/* The drop node: every stage's edge 1. Frees and counts. */
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_malloc.h>

#include "core/app_priv.h"

static rte_node_t drop_node_id = RTE_NODE_ID_INVALID;

rte_node_t sl_drop_node_id(void)
{
	return drop_node_id;
}

static uint16_t drop_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
				  uint16_t nb_objs)
{
	struct sl_drop_ctx *drop = SL_NODE_CTX(node, struct sl_drop_ctx);

	RTE_SET_USED(graph);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, nb_objs);
	drop->packets += nb_objs;
	return nb_objs;
}

struct sl_drop_ctx *sl_drop_ctx_create(struct sl_worker *w)
{
	return rte_zmalloc_socket("sl_drop", sizeof(struct sl_drop_ctx), RTE_CACHE_LINE_SIZE,
				  w->info.socket);
}

static struct rte_node_register drop_node = {
    .name = "sl_drop",
    .process = drop_node_process,
    .nb_edges = 0,
};

rte_node_t sl_drop_node_register(void)
{
	if (drop_node_id == RTE_NODE_ID_INVALID) {
		drop_node.parent_id = RTE_NODE_ID_INVALID;
		drop_node_id = __rte_node_register(&drop_node);
	}
	return drop_node_id;
}
