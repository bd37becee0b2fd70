/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The straight-line path of a walk. Once the receive node has a vector, it
 * runs the pipeline's stages and the transmit node on it itself, one after
 * the other, for as long as each stage sends the whole vector to its next
 * edge (the usual case), instead of moving the vector to the next node and
 * letting rte_graph's walk call that node. Per stage this saves a stream
 * move, a trip through the walk's pending list and the generic shell's
 * indirect call: ~9 cycles a walk on net_null with 8-packet vectors, where
 * a whole walk costs ~250.
 *
 * The first stage that splits the vector (per-packet edges), sends all of
 * it elsewhere, or is a vector stage (it may hold, add or reorder packets)
 * hands the vector to the graph exactly as the generic shell would, and
 * the walk carries on from there. So a pipeline's packets meet the same
 * stages in the same order either way. Per-node calls, objs and (on timed
 * walks) cycles are recorded as if the walk had made the calls.
 *
 * When the vector came from one port (rx_port: the receive node knows which
 * queues gave packets this walk) and every stage on the line keeps ports
 * (sl_stage_ops.keeps_port), the vector leaves by that port
 * without transmit reading each mbuf's port field: on memif that scan was
 * most of transmit's 8.5 instructions a packet (1.7 without it), and
 * sluice's own code fell from 33.7 to 27.5 (cachegrind; testpmd's 21.5).
 *
 * The line is read off the graph once (sl_chain_resolve) into the receive
 * node's context, and the receive functions run it inline (rx_tx.c) on
 * walks that are not timed: stage callbacks from an array, the vector's
 * calls and objs counted, transmit called directly. sl_chain_run below
 * stays the general path: timed walks, and lines with a vector stage or not
 * ending at transmit. Inline, receive + stages' framework + transmit went
 * from 228 to 136 instructions per 32-packet walk on memif (cachegrind),
 * and sluice-fwd alone on net_null ran 0.5-3.3 % faster in 6 of 6 rounds.
 */
#include <stdbool.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_graph_worker.h>

#include "sl_priv.h"

#define NODE_CTX(node, type) (*(type **)(node)->ctx)

/* Record one call the walk did not make; returns the TSC at its end. */
static inline uint64_t account(struct sl_walk_stats *ws, struct rte_node *node, uint16_t n,
			       uint64_t since)
{
	uint64_t now = 0;

	if (ws->count) {
		node->total_calls++;
		node->total_objs += n;
	}
	if (ws->timed) {
		now = rte_rdtsc();
		node->total_cycles += (now - since) * ws->scale;
		ws->chained_cycles += now - since;
	}
	return now;
}

void sl_chain_run(struct rte_graph *graph, struct rte_node *rx_node, struct sl_walk_stats *ws,
		  uint16_t n, uint16_t rx_port)
{
	struct rte_mbuf **pkts = (struct rte_mbuf **)rx_node->objs;
	struct rte_node *from = rx_node;
	struct rte_node *node = __rte_node_next_node_get(rx_node, SL_EDGE_NEXT);
	uint64_t since = ws->timed ? rte_rdtsc() : 0;
	uint16_t nexts[SL_STAGE_VEC_MAX];
	bool one_port = rx_port != SL_NO_PORT;

	while (node->process == sl_stage_node_process) {
		struct sl_stage_inst *inst = NODE_CTX(node, struct sl_stage_inst);
		uint16_t edge;

		if (inst->ops->process == NULL || n > SL_STAGE_VEC_MAX)
			goto hand_over;
		one_port &= inst->ops->keeps_port;
		edge = inst->ops->process(&inst->ctx, pkts, n, nexts);
		since = account(ws, node, n, since);
		if (unlikely(edge != SL_EDGE_NEXT)) {
			sl_chain_leave(graph, node, edge, pkts, nexts, n);
			return;
		}
		from = node;
		node = __rte_node_next_node_get(node, SL_EDGE_NEXT);
	}
	if (likely(node->process == sl_tx_node_process)) {
		if (one_port)
			sl_tx_node_send(node, rx_port, pkts, n);
		else
			sl_tx_node_process(graph, node, (void **)pkts, n);
		account(ws, node, n, since);
		return;
	}
hand_over:
	if (from == rx_node) {
		/* Nothing ran yet: give the graph the array itself, no copy. */
		rx_node->idx = n;
		rte_node_next_stream_move(graph, rx_node, SL_EDGE_NEXT);
	} else {
		rte_node_enqueue(graph, from, SL_EDGE_NEXT, (void **)pkts, n);
	}
}

void sl_chain_resolve(struct sl_rx_ctx *rx)
{
	struct sl_line *line = &rx->line;
	struct rte_node *node = __rte_node_next_node_get(rx->node, SL_EDGE_NEXT);

	memset(line, 0, sizeof(*line));
	line->keeps_port = true;
	while (node->process == sl_stage_node_process) {
		struct sl_stage_inst *inst = NODE_CTX(node, struct sl_stage_inst);
		struct sl_line_stage *st;

		/* A vector stage may hold, add or reorder packets: the graph
		 * walks the rest (sl_chain_run). */
		if (inst->ops->process == NULL || line->nb_stages == SL_MAX_STAGES)
			return;
		st = &line->stage[line->nb_stages++];
		st->process = inst->ops->process;
		st->ctx = &inst->ctx;
		st->node = node;
		line->keeps_port &= inst->ops->keeps_port;
		node = __rte_node_next_node_get(node, SL_EDGE_NEXT);
	}
	if (node->process != sl_tx_node_process || rx->vector > SL_STAGE_VEC_MAX)
		return;
	line->tx_node = node;
	line->tx = NODE_CTX(node, struct sl_tx_ctx);
	line->to_tx = true;
}

void sl_chain_leave(struct rte_graph *graph, struct rte_node *node, uint16_t edge,
		    struct rte_mbuf **pkts, const uint16_t *nexts, uint16_t n)
{
	if (edge == SL_NEXTS_PER_PACKET)
		sl_enqueue_runs(graph, node, (void **)pkts, nexts, n);
	else
		rte_node_enqueue(graph, node, edge, (void **)pkts, n);
}
