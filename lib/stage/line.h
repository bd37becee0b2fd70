/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one function that runs a receive node's vector down its straight
 * line (struct sl_line): each stage's process callback from an array, then
 * transmit, instead of moving the vector node to node through rte_graph's
 * walk. Per stage this saves a stream move, a trip through the walk's
 * pending list and the generic shell's indirect call: ~9 cycles a walk on
 * net_null with 8-packet vectors, where a whole walk costs ~250. Inlined in
 * the receive node, receive + stages' framework + transmit went from 228 to
 * 136 instructions per 32-packet walk on memif (cachegrind), and sluice-fwd
 * alone on net_null ran 0.5-3.3 % faster in 6 of 6 rounds.
 *
 * The first stage that splits the vector (per-packet edges) or sends all of
 * it elsewhere hands it to the graph exactly as the generic shell would
 * (sl_line_leave), and so does the end of a line that stops before a vector
 * stage: a pipeline's packets meet the same stages in the same order either
 * way. Per-node calls and objs (and, on timed walks, cycles) are recorded
 * as if the walk had made the calls.
 *
 * When the vector came from one port and every stage on the line keeps
 * ports (sl_stage_ops.keeps_port), it leaves by that port without transmit
 * reading each mbuf's port field: on memif that scan was most of transmit's
 * 8.5 instructions a packet (1.7 without it), and sluice's own code fell from
 * 33.7 to 27.5 (cachegrind; testpmd's 21.5).
 *
 * `timed` is a compile-time constant at both call sites: the receive nodes
 * inline the untimed line, line.c holds the timed one.
 */
#ifndef SLUICE_STAGE_LINE_H
#define SLUICE_STAGE_LINE_H

#include <rte_cycles.h>

#include "stage_priv.h"

/* Record one call the walk did not make; returns the TSC at its end. */
static __rte_always_inline uint64_t sl_line_account(struct sl_walk_stats *ws, const bool count,
						    struct rte_node *node, uint16_t n,
						    uint64_t since, const bool timed)
{
	uint64_t now = 0;

	if (count) {
		node->total_calls++;
		node->total_objs += n;
	}
	if (timed) {
		now = rte_rdtsc();
		node->total_cycles += (now - since) * ws->scale;
		ws->chained_cycles += now - since;
	}
	return now;
}

static __rte_always_inline void sl_line_run(struct rte_graph *graph, struct sl_rx_ctx *rx,
					    uint16_t n, uint16_t port, const bool timed)
{
	const struct sl_line *line = &rx->line;
	struct sl_walk_stats *ws = rx->walk_stats;
	struct rte_mbuf **pkts = (struct rte_mbuf **)rx->node->objs;
	uint16_t nexts[SL_STAGE_VEC_MAX];
	const bool count = ws->count;
	uint64_t since = timed ? rte_rdtsc() : 0;

	for (unsigned int k = 0; k < line->nb_stages; k++) {
		const struct sl_line_stage *st = &line->stage[k];
		const uint16_t edge = st->process(st->ctx, pkts, n, nexts);

		since = sl_line_account(ws, count, st->node, n, since, timed);
		if (unlikely(edge != SL_EDGE_NEXT)) {
			sl_line_leave(graph, st->node, edge, pkts, nexts, n);
			return;
		}
	}
	if (likely(line->to_tx)) {
		if (line->keeps_port && port != SL_NO_PORT)
			sl_tx_to_port(line->tx, port, pkts, n);
		else
			sl_tx_node_process(graph, line->tx_node, (void **)pkts, n);
		sl_line_account(ws, count, line->tx_node, n, since, timed);
		return;
	}
	if (line->nb_stages == 0) {
		/* Nothing ran: give the graph the array itself, no copy. */
		rx->node->idx = n;
		rte_node_next_stream_move(graph, rx->node, SL_EDGE_NEXT);
	} else {
		rte_node_enqueue(graph, line->last, SL_EDGE_NEXT, (void **)pkts, n);
	}
}

#endif /* SLUICE_STAGE_LINE_H */
