/* SPDX-License-Identifier: BSD-3-Clause */
/* A receive node's straight line: read off the graph once (resolve), left
 * when a stage splits the vector (leave), and run on timed walks. The
 * runner itself is line.h's. */
#include <string.h>

#include "line.h"

void sl_line_run_timed(struct rte_graph *graph, struct sl_rx_ctx *rx, uint16_t n, uint16_t port)
{
	sl_line_run(graph, rx, n, port, true);
}

void sl_line_resolve(struct sl_rx_ctx *rx)
{
	struct sl_line *line = &rx->line;
	struct rte_node *node = __rte_node_next_node_get(rx->node, SL_EDGE_NEXT);

	memset(line, 0, sizeof(*line));
	line->keeps_port = true;
	line->last = rx->node;
	/* A walk may take in more than a stage is handed at once: the graph
	 * then walks it all (the stage shell cuts it up). */
	if (rx->vector > SL_STAGE_VEC_MAX)
		return;
	while (node->process == sl_stage_node_process) {
		struct sl_stage_inst *inst = SL_NODE_CTX(node, struct sl_stage_inst);
		struct sl_line_stage *st;

		/* A vector stage may hold, add or reorder packets: the graph
		 * walks the rest. */
		if (inst->ops->process == NULL || line->nb_stages == SL_MAX_STAGES)
			return;
		st = &line->stage[line->nb_stages++];
		st->process = inst->ops->process;
		st->ctx = &inst->ctx;
		st->node = node;
		line->keeps_port &= inst->ops->keeps_port;
		line->last = node;
		node = __rte_node_next_node_get(node, SL_EDGE_NEXT);
	}
	if (node->process != sl_tx_node_process)
		return;
	line->tx_node = node;
	line->tx = SL_NODE_CTX(node, struct sl_tx_ctx);
	line->to_tx = true;
}

void sl_line_leave(struct rte_graph *graph, struct rte_node *node, uint16_t edge,
		   struct rte_mbuf **pkts, const uint16_t *nexts, uint16_t n)
{
	if (edge == SL_NEXTS_PER_PACKET)
		sl_enqueue_runs(graph, node, (void **)pkts, nexts, n);
	else
		rte_node_enqueue(graph, node, edge, (void **)pkts, n);
}
