/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Library mode (sluice/sl_pipeline.h): a pipeline's process stages run in
 * order on bursts the application hands in, on the application's thread.
 * The same callbacks, args checks and init order as a worker's, without
 * rte_graph: a line of process stages is all a worker's straight line runs
 * inline too (line.h), and what it cannot run (vector stages, extra edges)
 * is refused when the pipeline is created, not met mid-burst.
 */
#include <string.h>

#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "stage_priv.h"
#include "sluice/sl_pipeline.h"

struct lib_stage {
	const struct sl_stage_ops *ops;
	const struct sl_stage_conf *conf;
	struct rte_kvargs *kvargs;
	struct sl_stage_ctx ctx;
	bool global_inited, node_inited, worker_inited;
	uint64_t counters[SL_STAGE_COUNTERS_MAX];
};

struct sl_pipeline {
	struct sl_worker_info worker;
	unsigned int nb_stages;
	uint64_t dropped;
	struct lib_stage stage[SL_MAX_STAGES];
	uint16_t nexts[SL_STAGE_VEC_MAX];
};

/* "ORIGIN:LINE: [pipeline P] LABEL: what" into err; returns -1. */
static int stage_fail(const struct sl_config *cfg, const struct sl_pipeline_conf *pl,
		      const struct sl_stage_conf *st, const char *what, struct sl_error *err)
{
	char where[SL_ERROR_WHERE_MAX];

	sl_stage_where(cfg, pl, st, where, sizeof(where));
	return sl_error_set(err, "%s: %s", where, what);
}

static int stage_setup(struct sl_pipeline *p, const struct sl_config *cfg,
		       const struct sl_pipeline_conf *pl, unsigned int s,
		       const struct sl_pipeline_env *env, struct sl_error *err)
{
	struct lib_stage *ls = &p->stage[s];
	struct sl_error init_error = {.msg = ""};
	char what[SL_ARGS_MAX + 128], where[SL_ERROR_WHERE_MAX];
	struct sl_stage_init init;

	ls->conf = &pl->stages[s];
	ls->ops = sl_stage_find(ls->conf->type);
	if (ls->ops == NULL)
		return stage_fail(cfg, pl, ls->conf,
				  "no such stage type. Fix: register it or load its plugin", err);
	if (ls->ops->process == NULL || ls->ops->extra_edges != NULL) {
		snprintf(what, sizeof(what),
			 "%s is a %s: library mode runs process stages only. Fix: run this "
			 "pipeline on workers (sl_app_create)",
			 ls->ops->name,
			 ls->ops->process == NULL ? "vector stage (it may hold packets)"
						  : "stage with extra edges");
		return stage_fail(cfg, pl, ls->conf, what, err);
	}
	if (ls->conf->args[0] != '\0' && ls->ops->arg_keys == NULL)
		return stage_fail(cfg, pl, ls->conf,
				  "takes no arguments. Fix: remove its args line", err);
	ls->kvargs = rte_kvargs_parse(ls->conf->args, NULL);
	if (ls->kvargs == NULL) {
		snprintf(what, sizeof(what),
			 "cannot parse args '%s'. Fix: write key=value[,key=value]",
			 ls->conf->args);
		return stage_fail(cfg, pl, ls->conf, what, err);
	}
	if (sl_stage_args_check(ls->ops, ls->kvargs, what, sizeof(what)) < 0)
		return stage_fail(cfg, pl, ls->conf, what, err);

	memset(&init, 0, sizeof(init));
	sl_stage_where(cfg, pl, ls->conf, where, sizeof(where));
	init.instance = ls->conf->label;
	init.args = ls->kvargs;
	init.err = &init_error;
	init.where = where;
	init.socket = env->socket;
	if (ls->ops->global_init != NULL && ls->ops->global_init(&init) < 0)
		return stage_fail(cfg, pl, ls->conf, init_error.msg, err);
	ls->global_inited = true;
	ls->ctx.global_state = init.global_state;
	if (ls->ops->node_init != NULL && ls->ops->node_init(&init) < 0)
		return stage_fail(cfg, pl, ls->conf, init_error.msg, err);
	ls->node_inited = true;
	ls->ctx.node_state = init.node_state;
	ls->ctx.counters = ls->counters;
	ls->ctx.worker = &p->worker;
	if (ls->ops->priv_size > 0) {
		ls->ctx.priv = rte_zmalloc_socket("sl_pipeline_priv", ls->ops->priv_size,
						  RTE_CACHE_LINE_SIZE, env->socket);
		if (ls->ctx.priv == NULL)
			return stage_fail(cfg, pl, ls->conf,
					  "out of memory for its private area. Fix: reserve "
					  "more hugepages",
					  err);
	}
	init.ctx = &ls->ctx;
	init.ports = env->ports;
	init.nb_ports = env->nb_ports;
	if (ls->ops->worker_init != NULL && ls->ops->worker_init(&init) < 0)
		return stage_fail(cfg, pl, ls->conf, init_error.msg, err);
	ls->worker_inited = true;
	return 0;
}

struct sl_pipeline *sl_pipeline_create(const struct sl_config *cfg, const char *name,
				       const struct sl_pipeline_env *env, struct sl_error *err)
{
	const struct sl_pipeline_conf *pl = NULL;
	struct sl_pipeline *p;

	for (unsigned int i = 0; cfg != NULL && name != NULL && i < cfg->nb_pipelines; i++)
		if (strcmp(cfg->pipelines[i].name, name) == 0)
			pl = &cfg->pipelines[i];
	if (pl == NULL) {
		sl_error_set(err, "%s: no pipeline '%s'. Fix: name one of the config's pipelines",
			     cfg != NULL ? cfg->path : "(no config)", name != NULL ? name : "");
		return NULL;
	}
	p = rte_zmalloc_socket("sl_pipeline", sizeof(*p), RTE_CACHE_LINE_SIZE, env->socket);
	if (p == NULL) {
		sl_error_set(err, "%s: [pipeline %s]: out of memory. Fix: reserve more hugepages",
			     cfg->path, pl->name);
		return NULL;
	}
	p->worker = (struct sl_worker_info){.lcore = env->lcore,
					    .index = 0,
					    .socket = env->socket,
					    .pool = env->pool,
					    .pool_workers = 1};
	for (unsigned int s = 0; s < pl->nb_stages; s++) {
		p->nb_stages = s + 1; /* destroy undoes what this stage did too */
		if (stage_setup(p, cfg, pl, s, env, err) < 0) {
			sl_pipeline_destroy(p);
			return NULL;
		}
	}
	return p;
}

uint16_t sl_pipeline_process(struct sl_pipeline *p, struct rte_mbuf **pkts, uint16_t n)
{
	if (n > SL_STAGE_VEC_MAX)
		n = SL_STAGE_VEC_MAX; /* documented limit: the rest stay the caller's */
	for (unsigned int s = 0; s < p->nb_stages && n > 0; s++) {
		struct lib_stage *ls = &p->stage[s];
		uint16_t edge = ls->ops->process(&ls->ctx, pkts, n, p->nexts);
		uint16_t kept = 0;

		if (likely(edge == SL_EDGE_NEXT))
			continue;
		if (edge != SL_NEXTS_PER_PACKET) { /* the whole burst to drop */
			rte_pktmbuf_free_bulk(pkts, n);
			p->dropped += n;
			return 0;
		}
		for (uint16_t i = 0; i < n; i++) {
			if (p->nexts[i] == SL_EDGE_NEXT)
				pkts[kept++] = pkts[i];
			else
				rte_pktmbuf_free(pkts[i]);
		}
		p->dropped += n - kept;
		n = kept;
	}
	return n;
}

uint64_t sl_pipeline_dropped(const struct sl_pipeline *p)
{
	return p->dropped;
}

int sl_pipeline_counter(const struct sl_pipeline *p, const char *label, const char *counter,
			uint64_t *value)
{
	*value = 0;
	for (unsigned int s = 0; label != NULL && counter != NULL && s < p->nb_stages; s++) {
		const struct lib_stage *ls = &p->stage[s];
		const char *const *names = ls->ops->counters;

		if (strcmp(ls->conf->label, label) != 0)
			continue;
		for (unsigned int c = 0; names != NULL && names[c] != NULL; c++)
			if (strcmp(names[c], counter) == 0) {
				*value = ls->counters[c];
				return 0;
			}
		return -1;
	}
	return -1;
}

void sl_pipeline_destroy(struct sl_pipeline *p)
{
	if (p == NULL)
		return;
	for (unsigned int s = p->nb_stages; s-- > 0;) {
		struct lib_stage *ls = &p->stage[s];

		if (ls->worker_inited && ls->ops->worker_fini != NULL)
			ls->ops->worker_fini(&ls->ctx);
		rte_free(ls->ctx.priv);
		if (ls->node_inited && ls->ops->node_fini != NULL)
			ls->ops->node_fini(ls->ctx.node_state);
		if (ls->global_inited && ls->ops->global_fini != NULL)
			ls->ops->global_fini(ls->ctx.global_state);
		rte_kvargs_free(ls->kvargs);
	}
	rte_free(p);
}
