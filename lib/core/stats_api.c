/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice/sl_stats.h: the counters of stats.c's printout, as numbers. */
#include <string.h>

#include <rte_ethdev.h>

#include "core/app_priv.h"
#include "stats_priv.h"
#include "sluice/sl_port.h"
#include "sluice/sl_stats.h"

int sl_stats_port(const struct sl_app *app, const char *name, struct sl_port_stats *out)
{
	struct rte_eth_stats es;

	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; app != NULL && name != NULL && i < app->nb_ports; i++) {
		if (strcmp(app->ports[i].conf->name, name) != 0)
			continue;
		memset(&es, 0, sizeof(es));
		sl_port_stats_get(app->ports[i].port_id, &es);
		*out = (struct sl_port_stats){.rx = es.ipackets,
					      .tx = es.opackets,
					      .rx_missed = es.imissed,
					      .rx_errors = es.ierrors,
					      .tx_errors = es.oerrors,
					      .rx_nombuf = es.rx_nombuf};
		return 0;
	}
	return -1;
}

int sl_stats_pool(const struct sl_app *app, int socket, struct sl_pool_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (app == NULL || socket < 0 || socket >= RTE_MAX_NUMA_NODES || app->pools[socket] == NULL)
		return -1;
	*out = (struct sl_pool_stats){.size = app->pools[socket]->size,
				      .in_use = rte_mempool_in_use_count(app->pools[socket]),
				      .in_use_peak = app->pool_peak[socket]};
	return 0;
}

unsigned int sl_stats_nb_workers(const struct sl_app *app)
{
	return app != NULL ? app->nb_workers : 0;
}

int sl_stats_worker(const struct sl_app *app, unsigned int index, struct sl_worker_stats *out)
{
	const struct sl_worker *w;
	struct sl_worker_totals t;

	memset(out, 0, sizeof(*out));
	if (app == NULL || index >= app->nb_workers)
		return -1;
	w = app->workers[index];
	sl_worker_totals(w, &t);
	*out = (struct sl_worker_stats){.lcore = w->info.lcore,
					.socket = w->info.socket,
					.rx = t.rx,
					.tx = t.tx,
					.tx_full_drops = t.tx_dropped,
					.stage_drops = t.dropped,
					.bad_port = t.bad_port,
					.busy_cycles = t.busy_loop_cycles,
					.idle_cycles = t.idle_cycles};
	return 0;
}

int sl_stats_stage(const struct sl_app *app, const char *pipeline, const char *label,
		   struct sl_stage_stats_sum *out)
{
	memset(out, 0, sizeof(*out));
	if (app == NULL || pipeline == NULL || label == NULL)
		return -1;
	for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
		const struct sl_pipeline_conf *pl = &app->cfg.pipelines[p];

		if (strcmp(pl->name, pipeline) != 0)
			continue;
		for (unsigned int s = 0; s < pl->nb_stages; s++) {
			const struct sl_stage_slot *slot = &app->slots[p][s];
			const char *const *names = slot->ops->counters;

			if (strcmp(pl->stages[s].label, label) != 0)
				continue;
			out->type = slot->ops->name;
			out->counter_names = names;
			while (names != NULL && names[out->nb_counters] != NULL &&
			       out->nb_counters < SL_STAGE_COUNTERS_MAX)
				out->nb_counters++;
			for (unsigned int w = 0; w < app->nb_workers; w++) {
				struct sl_stage_stats st;

				if (sl_stage_stats_get(app->workers[w], p, s, &st) < 0)
					continue;
				out->workers++;
				out->calls += st.calls;
				out->objs += st.objs;
				out->cycles += st.cycles;
				for (unsigned int c = 0; c < out->nb_counters; c++)
					out->counters[c] += st.inst->counters[c];
			}
			return 0;
		}
	}
	return -1;
}

int sl_stats_counter(const struct sl_app *app, const char *pipeline, const char *label,
		     const char *counter, uint64_t *value)
{
	struct sl_stage_stats_sum sum;

	*value = 0;
	if (sl_stats_stage(app, pipeline, label, &sum) < 0 || counter == NULL)
		return -1;
	for (unsigned int c = 0; c < sum.nb_counters; c++)
		if (strcmp(sum.counter_names[c], counter) == 0) {
			*value = sum.counters[c];
			return 0;
		}
	return -1;
}
