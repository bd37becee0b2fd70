/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shell every stage runs in when the graph walks it (off the straight
 * line: after a split, or a vector stage), and a stage's per-worker
 * instance.
 */
#include <stdio.h>
#include <string.h>

#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_malloc.h>

#include "core/app_priv.h"

/* Enqueue `n` packets to their edges, one rte_node_enqueue per run. */
void sl_enqueue_runs(struct rte_graph *graph, struct rte_node *node, void **objs,
		     const uint16_t *nexts, uint16_t n)
{
	uint16_t start = 0;

	while (start < n) {
		uint16_t end = start + 1;

		while (end < n && nexts[end] == nexts[start])
			end++;
		rte_node_enqueue(graph, node, nexts[start], objs + start, end - start);
		start = end;
	}
}

uint16_t sl_stage_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			       uint16_t nb_objs)
{
	struct sl_stage_inst *inst = SL_NODE_CTX(node, struct sl_stage_inst);
	uint16_t nexts[SL_STAGE_VEC_MAX];
	uint16_t done = 0;

	if (inst->ops->process_vector != NULL) {
		while (done < nb_objs) {
			uint16_t n = RTE_MIN(nb_objs - done, SL_STAGE_VEC_MAX);
			uint16_t out = inst->ops->process_vector(
			    &inst->ctx, (struct rte_mbuf **)objs + done, n, inst->out,
			    inst->out_nexts, RTE_DIM(inst->out));

			sl_enqueue_runs(graph, node, (void **)inst->out, inst->out_nexts, out);
			done += n;
		}
		return nb_objs;
	}

	if (likely(nb_objs <= SL_STAGE_VEC_MAX)) {
		uint16_t edge =
		    inst->ops->process(&inst->ctx, (struct rte_mbuf **)objs, nb_objs, nexts);

		if (likely(edge != SL_NEXTS_PER_PACKET)) {
			/* Whole vector one way: hand the array over, no copy. */
			rte_node_next_stream_move(graph, node, edge);
			return nb_objs;
		}
		sl_enqueue_runs(graph, node, objs, nexts, nb_objs);
		return nb_objs;
	}
	while (done < nb_objs) {
		uint16_t n = RTE_MIN(nb_objs - done, SL_STAGE_VEC_MAX);
		uint16_t edge =
		    inst->ops->process(&inst->ctx, (struct rte_mbuf **)objs + done, n, nexts);

		if (edge != SL_NEXTS_PER_PACKET)
			rte_node_enqueue(graph, node, edge, objs + done, n);
		else
			sl_enqueue_runs(graph, node, objs + done, nexts, n);
		done += n;
	}
	return nb_objs;
}

struct sl_stage_inst *sl_stage_inst_create(struct sl_app *app, struct sl_worker *w,
					   struct sl_stage_slot *slot, struct rte_node *node,
					   struct sl_error *err)
{
	struct sl_error init_error = {.msg = ""};
	char where[SL_ERROR_WHERE_MAX], what[sizeof(init_error.msg) + 32];
	uint16_t ports[SL_MAX_RXQ_PER_WORKER];
	struct sl_stage_inst *inst;
	struct sl_stage_init init;
	unsigned int nb_ports = 0;

	inst = rte_zmalloc_socket("sl_stage", sizeof(*inst), RTE_CACHE_LINE_SIZE, w->info.socket);
	if (inst == NULL)
		goto no_memory;
	inst->ops = slot->ops;
	inst->slot = slot;
	inst->node = node;
	inst->ctx.counters = inst->counters;
	inst->ctx.worker = &w->info;
	inst->ctx.global_state = slot->global_state;
	inst->ctx.node_state = slot->node_state[w->info.socket];
	if (slot->ops->priv_size > 0) {
		inst->ctx.priv = rte_zmalloc_socket("sl_stage_priv", slot->ops->priv_size,
						    RTE_CACHE_LINE_SIZE, w->info.socket);
		if (inst->ctx.priv == NULL)
			goto no_memory;
	}
	/* The ports whose queues this worker polls for the stage's pipeline,
	 * each once, in the worker's queue order. */
	for (unsigned int r = 0; r < w->conf->nb_rxq; r++) {
		const struct sl_rxq_ref *ref = &w->conf->rxq[r];
		uint16_t port_id = app->ports[ref->port_idx].port_id;
		bool seen = false;

		if (app->cfg.ports[ref->port_idx].pipeline_idx != slot->pipeline)
			continue;
		for (unsigned int k = 0; k < nb_ports; k++)
			seen |= ports[k] == port_id;
		if (!seen)
			ports[nb_ports++] = port_id;
	}
	if (slot->ops->worker_init != NULL) {
		memset(&init, 0, sizeof(init));
		init.instance = slot->conf->label;
		init.args = slot->kvargs;
		init.global_state = slot->global_state;
		init.node_state = inst->ctx.node_state;
		init.socket = w->info.socket;
		init.ctx = &inst->ctx;
		init.ports = ports;
		init.nb_ports = nb_ports;
		init.err = &init_error;
		sl_slot_where(app, slot, where, sizeof(where));
		init.where = where;
		if (slot->ops->worker_init(&init) < 0) {
			snprintf(what, sizeof(what), "lcore %u: %s", w->info.lcore,
				 init_error.msg[0] ? init_error.msg : "worker set-up failed");
			sl_slot_fail(app, slot, what, err);
			goto fail;
		}
	}
	return inst;

no_memory:
	snprintf(err->msg, sizeof(err->msg),
		 "no memory on NUMA node %d for stage %s of worker lcore %u. Fix: reserve more "
		 "hugepages (tools/hugepages.sh)",
		 w->info.socket, slot->conf->label, w->info.lcore);
fail:
	if (inst != NULL)
		rte_free(inst->ctx.priv);
	rte_free(inst);
	return NULL;
}

void sl_stage_inst_destroy(struct sl_stage_inst *inst)
{
	if (inst == NULL)
		return;
	if (inst->ops->worker_fini != NULL)
		inst->ops->worker_fini(&inst->ctx);
	rte_free(inst->ctx.priv);
	rte_free(inst);
}
