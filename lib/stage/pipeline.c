/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipelines → rte_graph. Every stage of every pipeline becomes a clone of
 * its stage type's node ("macswap-echo"), so one stage type can sit in
 * several pipelines with different next edges. Each worker gets its own
 * graph made of the receive clones of the pipelines it serves; rte_graph
 * pulls in everything reachable from them. The nodes have no init
 * callbacks: once a worker's graph exists, sl_graphs_create finds each node
 * in it by id and fills its context (receive, transmit, drop, and the
 * per-worker stage instances) on the worker's NUMA node, knowing the worker
 * and the pipeline without any global or name lookup.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_malloc.h>
#include <rte_string_fns.h>

#include "core/app_priv.h"

/* The parent node of a stage type, registered the first time a pipeline
 * uses it. Clones inherit process/init/fini from it. */
static rte_node_t stage_type_node(const struct sl_stage_ops *ops)
{
	struct rte_node_register *reg;
	rte_node_t id = rte_node_from_name(ops->name);

	if (id != RTE_NODE_ID_INVALID)
		return id;
	reg = calloc(1, sizeof(*reg) + 2 * sizeof(char *));
	if (reg == NULL)
		return RTE_NODE_ID_INVALID;
	strlcpy(reg->name, ops->name, sizeof(reg->name));
	reg->process = sl_stage_node_process;
	reg->parent_id = RTE_NODE_ID_INVALID; /* calloc's 0 would mean "clone of node 0" */
	reg->nb_edges = 2;
	reg->next_nodes[0] = "sl_tx";
	reg->next_nodes[1] = "sl_drop";
	id = __rte_node_register(reg);
	free(reg);
	return id;
}

static bool pipeline_on_socket(const struct sl_app *app, unsigned int pipeline, int socket)
{
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker *wk = app->workers[w];

		if (wk->info.socket != socket)
			continue;
		for (unsigned int r = 0; r < wk->conf->nb_rxq; r++)
			if (app->cfg.ports[wk->conf->rxq[r].port_idx].pipeline_idx == pipeline)
				return true;
	}
	return false;
}

void sl_stage_where(const struct sl_config *cfg, const struct sl_pipeline_conf *pl,
		    const struct sl_stage_conf *st, char *buf, size_t size)
{
	char at[PATH_MAX + 16];

	snprintf(buf, size, "%s: [pipeline %s] %s",
		 sl_config_at(cfg->path, st->line, at, sizeof(at)), pl->name, st->label);
}

void sl_slot_where(const struct sl_app *app, const struct sl_stage_slot *slot, char *buf,
		   size_t size)
{
	sl_stage_where(&app->cfg, &app->cfg.pipelines[slot->pipeline], slot->conf, buf, size);
}

int sl_slot_fail(const struct sl_app *app, const struct sl_stage_slot *slot, const char *what,
		 struct sl_error *err)
{
	char where[SL_ERROR_WHERE_MAX];

	sl_slot_where(app, slot, where, sizeof(where));
	return sl_error_set(err, "%s: %s", where, what);
}

/* rte_kvargs takes "flows" without a value and keeps both of "a=1,a=2". */
int sl_stage_args_check(const struct sl_stage_ops *ops, const struct rte_kvargs *kv, char *what,
			size_t size)
{
	for (unsigned int i = 0; i < kv->count; i++) {
		bool known = false;

		for (unsigned int k = 0; ops->arg_keys != NULL && ops->arg_keys[k] != NULL; k++)
			known |= strcmp(kv->pairs[i].key, ops->arg_keys[k]) == 0;
		if (!known) {
			size_t used = snprintf(what, size, "%s: unknown arg. Fix: use one of ",
					       kv->pairs[i].key);

			for (unsigned int k = 0;
			     ops->arg_keys != NULL && ops->arg_keys[k] != NULL && used < size; k++)
				used += snprintf(what + used, size - used, "%s%s", k ? ", " : "",
						 ops->arg_keys[k]);
			return -1;
		}
		if (kv->pairs[i].value == NULL) {
			snprintf(what, size, "'%s' has no '='. Fix: write key=value, e.g. %s=VALUE",
				 kv->pairs[i].key, kv->pairs[i].key);
			return -1;
		}
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(kv->pairs[i].key, kv->pairs[j].key) == 0) {
				snprintf(what, size,
					 "%s: key given twice in the args. Fix: keep one of "
					 "'%s=%s' and '%s=%s'",
					 kv->pairs[i].key, kv->pairs[j].key, kv->pairs[j].value,
					 kv->pairs[i].key, kv->pairs[i].value);
				return -1;
			}
	}
	return 0;
}

static int slot_check_args(const struct sl_app *app, const struct sl_stage_slot *slot,
			   struct sl_error *err)
{
	char what[SL_ARGS_MAX + 128];

	if (sl_stage_args_check(slot->ops, slot->kvargs, what, sizeof(what)) < 0)
		return sl_slot_fail(app, slot, what, err);
	return 0;
}

static int slot_setup(struct sl_app *app, unsigned int p, unsigned int s, struct sl_error *err)
{
	const struct sl_pipeline_conf *pl = &app->cfg.pipelines[p];
	struct sl_stage_slot *slot = &app->slots[p][s];
	struct sl_error init_error = {.msg = ""};
	struct sl_stage_init init;
	char what[400], where[SL_ERROR_WHERE_MAX];

	memset(slot, 0, sizeof(*slot));
	slot->conf = &pl->stages[s];
	slot->ops = sl_stage_find(slot->conf->type);
	slot->pipeline = p;
	slot->index = s;
	slot->node_id = RTE_NODE_ID_INVALID;
	if (slot->ops == NULL)
		return -1;

	if (slot->conf->args[0] != '\0' && slot->ops->arg_keys == NULL)
		return sl_slot_fail(app, slot, "takes no arguments. Fix: remove its args line",
				    err);
	/* Any keys here: slot_check_args names the unknown one. */
	slot->kvargs = rte_kvargs_parse(slot->conf->args, NULL);
	if (slot->kvargs == NULL) {
		snprintf(what, sizeof(what),
			 "cannot parse args '%s'. Fix: write key=value[,key=value]",
			 slot->conf->args);
		return sl_slot_fail(app, slot, what, err);
	}
	if (slot_check_args(app, slot, err) < 0)
		return -1;

	memset(&init, 0, sizeof(init));
	init.instance = slot->conf->label;
	init.args = slot->kvargs;
	init.err = &init_error;
	sl_slot_where(app, slot, where, sizeof(where));
	init.where = where;
	if (slot->ops->global_init != NULL) {
		if (slot->ops->global_init(&init) < 0)
			return sl_slot_fail(app, slot, init_error.msg, err);
		slot->global_state = init.global_state;
	}
	slot->global_inited = true;
	for (int socket = 0; socket < RTE_MAX_NUMA_NODES; socket++) {
		if (!pipeline_on_socket(app, p, socket))
			continue;
		if (slot->ops->node_init != NULL) {
			init.socket = socket;
			init.global_state = slot->global_state;
			init.node_state = NULL;
			if (slot->ops->node_init(&init) < 0)
				return sl_slot_fail(app, slot, init_error.msg, err);
			slot->node_state[socket] = init.node_state;
		}
		slot->node_inited[socket] = true;
	}
	return 0;
}

static void node_name_for(const struct sl_app *app, unsigned int p, unsigned int s, char *buf,
			  size_t size)
{
	const struct sl_pipeline_conf *pl = &app->cfg.pipelines[p];

	if (s >= pl->nb_stages)
		strlcpy(buf, "sl_tx", size);
	else if (!strcmp(pl->stages[s].label, pl->stages[s].type))
		snprintf(buf, size, "%s-%s", pl->stages[s].type, pl->name);
	else
		snprintf(buf, size, "%s-%s.%s", pl->stages[s].type, pl->name, pl->stages[s].label);
}

int sl_pipelines_setup(struct sl_app *app, struct sl_error *err)
{
	if (sl_drop_node_register() == RTE_NODE_ID_INVALID ||
	    sl_tx_node_register() == RTE_NODE_ID_INVALID ||
	    sl_rx_node_register() == RTE_NODE_ID_INVALID) {
		snprintf(err->msg, sizeof(err->msg), "cannot register sluice's graph nodes");
		return -1;
	}
	for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
		const struct sl_pipeline_conf *pl = &app->cfg.pipelines[p];
		char name[RTE_NODE_NAMESIZE], next[RTE_NODE_NAMESIZE];
		const char *edges[2];
		rte_node_t rx;

		for (unsigned int s = 0; s < pl->nb_stages; s++) {
			struct sl_stage_slot *slot = &app->slots[p][s];
			rte_node_t parent;

			if (slot_setup(app, p, s, err) < 0)
				return -1;
			parent = stage_type_node(slot->ops);
			node_name_for(app, p, s, slot->node_name, sizeof(slot->node_name));
			/* rte_node_clone names the clone "<parent>-<suffix>". */
			slot->node_id = rte_node_from_name(slot->node_name);
			if (slot->node_id == RTE_NODE_ID_INVALID)
				slot->node_id = rte_node_clone(
				    parent, slot->node_name + strlen(slot->ops->name) + 1);
			if (parent == RTE_NODE_ID_INVALID || slot->node_id == RTE_NODE_ID_INVALID) {
				snprintf(err->msg, sizeof(err->msg),
					 "cannot create graph node %s (%s)", slot->node_name,
					 rte_strerror(rte_errno));
				return -1;
			}
		}
		for (unsigned int s = 0; s < pl->nb_stages; s++) {
			node_name_for(app, p, s + 1, next, sizeof(next));
			edges[0] = next;
			edges[1] = "sl_drop";
			if (rte_node_edge_update(app->slots[p][s].node_id, 0, edges, 2) != 2) {
				snprintf(err->msg, sizeof(err->msg), "cannot link node %s to %s",
					 app->slots[p][s].node_name, next);
				return -1;
			}
		}
		snprintf(name, sizeof(name), "sl_rx-%s", pl->name);
		rx = rte_node_from_name(name);
		if (rx == RTE_NODE_ID_INVALID)
			rx = rte_node_clone(sl_rx_node_id(), pl->name);
		node_name_for(app, p, 0, next, sizeof(next));
		edges[0] = next;
		if (rx == RTE_NODE_ID_INVALID || rte_node_edge_update(rx, 0, edges, 1) != 1) {
			snprintf(err->msg, sizeof(err->msg), "cannot create receive node %s", name);
			return -1;
		}
		app->rx_nodes[p] = rx;
	}
	return 0;
}

static bool worker_serves(const struct sl_app *app, const struct sl_worker *wk, unsigned int p)
{
	for (unsigned int r = 0; r < wk->conf->nb_rxq; r++)
		if (app->cfg.ports[wk->conf->rxq[r].port_idx].pipeline_idx == p)
			return true;
	return false;
}

static int no_context(const struct sl_worker *wk, const char *what, struct sl_error *err)
{
	snprintf(err->msg, sizeof(err->msg),
		 "no memory on NUMA node %d for the %s of worker lcore %u. Fix: reserve more "
		 "hugepages (tools/hugepages.sh)",
		 wk->info.socket, what, wk->info.lcore);
	return -1;
}

/* Fill the contexts of every node of the worker's new graph. */
static int graph_fill(struct sl_app *app, struct sl_worker *wk, struct sl_error *err)
{
	struct rte_node *node;

	/* Transmit and drop first: the lines read the transmit context. */
	node = rte_graph_node_get(wk->graph_id, sl_tx_node_id());
	if (node != NULL) {
		wk->tx = sl_tx_ctx_create(app, wk);
		if (wk->tx == NULL)
			return no_context(wk, "transmit node", err);
		SL_NODE_CTX(node, struct sl_tx_ctx) = wk->tx;
	}
	node = rte_graph_node_get(wk->graph_id, sl_drop_node_id());
	if (node != NULL) {
		wk->drop = sl_drop_ctx_create(wk);
		if (wk->drop == NULL)
			return no_context(wk, "drop node", err);
		SL_NODE_CTX(node, struct sl_drop_ctx) = wk->drop;
	}
	for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
		if (!worker_serves(app, wk, p))
			continue;
		for (unsigned int s = 0; s < app->cfg.pipelines[p].nb_stages; s++) {
			struct sl_stage_slot *slot = &app->slots[p][s];
			struct sl_stage_inst *inst;

			node = rte_graph_node_get(wk->graph_id, slot->node_id);
			if (node == NULL)
				continue; /* unreachable: an earlier stage never passes on */
			inst = sl_stage_inst_create(app, wk, slot, node, err);
			if (inst == NULL)
				return -1;
			wk->inst[p][s] = inst;
			if (slot->ops->poll != NULL)
				wk->pollers[wk->nb_pollers++] = inst;
			SL_NODE_CTX(node, struct sl_stage_inst) = inst;
		}
		node = rte_graph_node_get(wk->graph_id, app->rx_nodes[p]);
		if (node == NULL)
			continue;
		wk->rx[p] = sl_rx_ctx_create(app, wk, node, p);
		if (wk->rx[p] == NULL)
			return no_context(wk, "receive node", err);
		SL_NODE_CTX(node, struct sl_rx_ctx) = wk->rx[p];
	}
	for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++)
		if (wk->rx[p] != NULL)
			sl_line_resolve(wk->rx[p]);
	return 0;
}

int sl_graphs_create(struct sl_app *app, struct sl_error *err)
{
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		struct sl_worker *wk = app->workers[w];
		char names[SL_MAX_PIPELINES][RTE_NODE_NAMESIZE];
		const char *patterns[SL_MAX_PIPELINES];
		struct rte_graph_param prm;
		uint16_t nb = 0;

		for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
			if (!worker_serves(app, wk, p))
				continue;
			snprintf(names[nb], sizeof(names[nb]), "sl_rx-%s",
				 app->cfg.pipelines[p].name);
			patterns[nb] = names[nb];
			nb++;
		}
		wk->graph_id = RTE_GRAPH_ID_INVALID;
		if (nb == 0) {
			SL_LOG(WARNING, "worker lcore %u polls no queue: it stays idle",
			       wk->info.lcore);
			continue;
		}
		memset(&prm, 0, sizeof(prm));
		prm.socket_id = wk->info.socket;
		prm.nb_node_patterns = nb;
		prm.node_patterns = patterns;
		snprintf(wk->graph_name, sizeof(wk->graph_name), "sl-w%u", wk->info.lcore);
		wk->graph_id = rte_graph_create(wk->graph_name, &prm);
		if (wk->graph_id == RTE_GRAPH_ID_INVALID)
			return sl_error_set(err,
					    "cannot create the graph of worker lcore %u: %s. Fix: "
					    "reserve more hugepages (-m)",
					    wk->info.lcore, rte_strerror(rte_errno));
		wk->graph = rte_graph_lookup(wk->graph_name);
		if (graph_fill(app, wk, err) < 0)
			return -1; /* sl_graphs_destroy frees what was filled */
	}
	return 0;
}

/* Contexts first (a stage's worker_fini may still read its node), then the
 * graph. */
static void graph_empty(struct sl_worker *wk)
{
	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++) {
		for (unsigned int s = 0; s < SL_MAX_STAGES; s++) {
			sl_stage_inst_destroy(wk->inst[p][s]);
			wk->inst[p][s] = NULL;
		}
		rte_free(wk->rx[p]);
		wk->rx[p] = NULL;
	}
	wk->nb_pollers = 0;
	rte_free(wk->tx);
	wk->tx = NULL;
	rte_free(wk->drop);
	wk->drop = NULL;
}

void sl_graphs_destroy(struct sl_app *app)
{
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		struct sl_worker *wk = app->workers[w];

		graph_empty(wk);
		if (wk->graph_id != RTE_GRAPH_ID_INVALID && wk->graph != NULL) {
			rte_graph_destroy(wk->graph_id);
			wk->graph_id = RTE_GRAPH_ID_INVALID;
			wk->graph = NULL;
		}
	}
}

void sl_pipelines_teardown(struct sl_app *app)
{
	for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
		for (unsigned int s = 0; s < app->cfg.pipelines[p].nb_stages; s++) {
			struct sl_stage_slot *slot = &app->slots[p][s];

			if (slot->ops == NULL)
				continue;
			for (int n = 0; n < RTE_MAX_NUMA_NODES; n++)
				if (slot->node_inited[n] && slot->ops->node_fini != NULL)
					slot->ops->node_fini(slot->node_state[n]);
			if (slot->global_inited && slot->ops->global_fini != NULL)
				slot->ops->global_fini(slot->global_state);
			rte_kvargs_free(slot->kvargs);
			memset(slot, 0, sizeof(*slot));
		}
	}
}
