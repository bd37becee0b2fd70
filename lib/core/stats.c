/* SPDX-License-Identifier: BSD-3-Clause */
/* Stats from the control thread: ethdev counters per port, the workers' own
 * counters, and rte_graph's per-node calls/objs/cycles. Workers never share
 * a counter; this file only reads them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>

#include "core/app_priv.h"
#include "stats_priv.h"
#include "sluice/sl_count.h"
#include "sluice/sl_port.h"

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : 0.0;
}

void sl_worker_totals(const struct sl_worker *w, struct sl_worker_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
		if (w->rx[p] != NULL)
			t->rx += w->rx[p]->packets;
	if (w->tx != NULL) {
		for (unsigned int port = 0; port < RTE_MAX_ETHPORTS; port++) {
			t->tx += w->tx->port[port].packets;
			t->tx_dropped += w->tx->port[port].dropped;
		}
		t->bad_port = w->tx->bad_port;
	}
	if (w->drop != NULL)
		t->dropped = w->drop->packets;
	t->busy_cycles = w->busy_cycles;
	t->busy_loop_cycles = w->busy_loop_cycles;
	t->idle_cycles = w->idle_cycles;
	t->loops = w->loops;
	t->busy_loops = w->busy_loops;
}

int sl_stage_stats_get(const struct sl_worker *w, unsigned int p, unsigned int s,
		       struct sl_stage_stats *st)
{
	const struct sl_app *app = w->app;
	const struct sl_stage_slot *slot = &app->slots[p][s];
	struct rte_node *node;

	memset(st, 0, sizeof(*st));
	if (w->graph == NULL || w->inst[p][s] == NULL)
		return -1;
	node = rte_graph_node_get(w->graph_id, slot->node_id);
	if (node != NULL) {
		st->calls = node->total_calls;
		st->objs = node->total_objs;
		st->cycles = node->total_cycles;
	}
	st->slot = slot;
	st->inst = w->inst[p][s];
	return 0;
}

/* ---- periodic line ---- */

static struct {
	uint64_t tsc;
	uint64_t port_rx[SL_MAX_PORTS], port_tx[SL_MAX_PORTS];
	uint64_t w_rx[SL_MAX_WORKERS], w_busy[SL_MAX_WORKERS], w_cycles[SL_MAX_WORKERS];
	uint64_t w_busy_loop[SL_MAX_WORKERS];
} prev;

void sl_stats_snapshot_print(struct sl_app *app, bool final)
{
	uint64_t now = rte_rdtsc();
	double dt = prev.tsc ? (double)(now - prev.tsc) / rte_get_tsc_hz() : 0;
	char line[1024];
	int len;

	if (final) {
		sl_stats_print_final(app, stdout);
		return;
	}
	len = snprintf(line, sizeof(line), "[%7.1f s]",
		       (double)(now - app->start_tsc) / rte_get_tsc_hz());
	for (unsigned int i = 0; i < app->nb_ports; i++) {
		struct rte_eth_stats es;

		if (sl_port_stats_get(app->ports[i].port_id, &es) != 0)
			continue;
		if (dt > 0)
			len += snprintf(line + len, sizeof(line) - len,
					" %s rx %.3f tx %.3f Mpps%s", app->ports[i].conf->name,
					(es.ipackets - prev.port_rx[i]) / dt / 1e6,
					(es.opackets - prev.port_tx[i]) / dt / 1e6,
					es.imissed ? " (rx missed)" : "");
		prev.port_rx[i] = es.ipackets;
		prev.port_tx[i] = es.opackets;
	}
	for (unsigned int w = 0; w < app->nb_workers && len < (int)sizeof(line) - 80; w++) {
		struct sl_worker_totals t;
		uint64_t cycles;

		sl_worker_totals(app->workers[w], &t);
		cycles = t.busy_loop_cycles + t.idle_cycles;
		if (dt > 0)
			len += snprintf(line + len, sizeof(line) - len,
					" | lcore%u busy %4.1f%% %.1f cyc/pkt",
					app->workers[w]->info.lcore,
					100.0 * ratio(t.busy_loop_cycles - prev.w_busy_loop[w],
						      cycles - prev.w_cycles[w]),
					ratio(t.busy_cycles - prev.w_busy[w], t.rx - prev.w_rx[w]));
		prev.w_rx[w] = t.rx;
		prev.w_busy[w] = t.busy_cycles;
		prev.w_busy_loop[w] = t.busy_loop_cycles;
		prev.w_cycles[w] = cycles;
	}
	prev.tsc = now;
	if (dt > 0) {
		puts(line);
		fflush(stdout);
	}
}

/* ---- final summary ---- */

void sl_stats_print_final(struct sl_app *app, FILE *f)
{
	double secs = (double)(rte_rdtsc() - app->start_tsc) / rte_get_tsc_hz();

	fprintf(f, "\n=== final stats after %.1f s ===\nports (ethdev counters):\n", secs);
	for (unsigned int i = 0; i < app->nb_ports; i++) {
		struct rte_eth_stats es;

		if (sl_port_stats_get(app->ports[i].port_id, &es) != 0)
			continue;
		fprintf(f,
			"  %-8s rx %" PRIu64 "  tx %" PRIu64 "  rx_missed %" PRIu64
			"  rx_errors %" PRIu64 "  tx_errors %" PRIu64 "  rx_nombuf %" PRIu64 "\n",
			app->ports[i].conf->name, es.ipackets, es.opackets, es.imissed, es.ierrors,
			es.oerrors, es.rx_nombuf);
	}
	fprintf(f, "pools (mbufs in use; peak sampled every 100 ms):\n");
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (app->pools[s] != NULL)
			fprintf(f, "  %-12s node %d  size %u  in use %u  peak %u\n",
				app->pools[s]->name, s, app->pools[s]->size,
				rte_mempool_in_use_count(app->pools[s]), app->pool_peak[s]);
	fprintf(f, "workers:\n");
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker *wk = app->workers[w];
		struct sl_worker_totals t;

		sl_worker_totals(wk, &t);
		fprintf(f,
			"  lcore %-3u rx %" PRIu64 "  tx %" PRIu64 "  tx_full_drops %" PRIu64
			"  stage_drops %" PRIu64 "  bad_port %" PRIu64
			"  busy %.1f%%  busy cycles/pkt %.1f  loop cycles/pkt %.1f\n",
			wk->info.lcore, t.rx, t.tx, t.tx_dropped, t.dropped, t.bad_port,
			100.0 * ratio(t.busy_loop_cycles, t.busy_loop_cycles + t.idle_cycles),
			ratio(t.busy_cycles, t.rx), ratio(t.busy_loop_cycles, t.rx));
		for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
			for (unsigned int q = 0; wk->rx[p] && q < wk->rx[p]->nb_rxq; q++)
				fprintf(f, "      rx queue %s:%u  %" PRIu64 " pkts\n",
					sl_port_name(wk->rx[p]->q[q].port_id) ?: "?",
					wk->rx[p]->q[q].queue, wk->rx[p]->q[q].packets);
	}
	fprintf(f, "stages (per worker; calls/objs/cycles from rte_graph):\n");
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker *wk = app->workers[w];

		for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
			for (unsigned int s = 0; s < app->cfg.pipelines[p].nb_stages; s++) {
				struct sl_stage_stats st;
				const char *const *names;

				if (sl_stage_stats_get(wk, p, s, &st) < 0)
					continue;
				fprintf(f,
					"  lcore %-3u %-24s calls %" PRIu64 "  objs %" PRIu64
					"  cycles/pkt %.1f ",
					wk->info.lcore, st.slot->node_name, st.calls, st.objs,
					ratio(st.cycles, st.objs));
				names = st.slot->ops->counters;
				for (unsigned int c = 0; names && names[c]; c++)
					fprintf(f, " %s=%" PRIu64, names[c], st.inst->counters[c]);
				fputc('\n', f);
			}
		}
	}
	fflush(f);
}

void sl_stats_write_json(struct sl_app *app, FILE *f)
{
	double secs = (double)(rte_rdtsc() - app->start_tsc) / rte_get_tsc_hz();

	fprintf(f, "{\n  \"duration_s\": %.3f,\n  \"tsc_hz\": %" PRIu64 ",\n  \"ports\": [", secs,
		rte_get_tsc_hz());
	for (unsigned int i = 0; i < app->nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		sl_port_stats_get(app->ports[i].port_id, &es);
		fprintf(f,
			"%s\n    {\"name\": \"%s\", \"port_id\": %u, \"rx\": %" PRIu64
			", \"tx\": %" PRIu64 ", \"rx_missed\": %" PRIu64 ", \"rx_errors\": %" PRIu64
			", \"tx_errors\": %" PRIu64 ", \"rx_nombuf\": %" PRIu64 "}",
			i ? "," : "", app->ports[i].conf->name, app->ports[i].port_id, es.ipackets,
			es.opackets, es.imissed, es.ierrors, es.oerrors, es.rx_nombuf);
	}
	fprintf(f, "\n  ],\n  \"pools\": [");
	for (int s = 0, first = 1; s < RTE_MAX_NUMA_NODES; s++) {
		if (app->pools[s] == NULL)
			continue;
		fprintf(f,
			"%s\n    {\"name\": \"%s\", \"socket\": %d, \"size\": %u, \"in_use\": %u, "
			"\"in_use_peak\": %u}",
			first ? "" : ",", app->pools[s]->name, s, app->pools[s]->size,
			rte_mempool_in_use_count(app->pools[s]), app->pool_peak[s]);
		first = 0;
	}
	fprintf(f, "\n  ],\n  \"workers\": [");
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker *wk = app->workers[w];
		struct sl_worker_totals t;
		bool first = true;

		sl_worker_totals(wk, &t);
		fprintf(f,
			"%s\n    {\"lcore\": %u, \"index\": %u, \"socket\": %d, \"rx\": %" PRIu64
			", \"tx\": %" PRIu64 ", \"tx_full_drops\": %" PRIu64
			", \"stage_drops\": %" PRIu64 ", \"bad_port\": %" PRIu64
			", \"busy_cycles\": %" PRIu64 ", \"busy_loop_cycles\": %" PRIu64
			", \"idle_cycles\": %" PRIu64 ", \"loops\": %" PRIu64
			", \"busy_loops\": %" PRIu64
			", \"busy_cycles_per_pkt\": %.3f,\n     \"rx_queues\": [",
			w ? "," : "", wk->info.lcore, wk->info.index, wk->info.socket, t.rx, t.tx,
			t.tx_dropped, t.dropped, t.bad_port, t.busy_cycles, t.busy_loop_cycles,
			t.idle_cycles, t.loops, t.busy_loops, ratio(t.busy_cycles, t.rx));
		for (unsigned int p = 0; p < SL_MAX_PIPELINES; p++)
			for (unsigned int q = 0; wk->rx[p] && q < wk->rx[p]->nb_rxq; q++) {
				fprintf(
				    f,
				    "%s{\"port\": \"%s\", \"queue\": %u, \"packets\": %" PRIu64 "}",
				    first ? "" : ", ", sl_port_name(wk->rx[p]->q[q].port_id) ?: "?",
				    wk->rx[p]->q[q].queue, wk->rx[p]->q[q].packets);
				first = false;
			}
		fprintf(f, "],\n     \"stages\": [");
		first = true;
		for (unsigned int p = 0; p < app->cfg.nb_pipelines; p++) {
			for (unsigned int s = 0; s < app->cfg.pipelines[p].nb_stages; s++) {
				struct sl_stage_stats st;
				const char *const *names;

				if (sl_stage_stats_get(wk, p, s, &st) < 0)
					continue;
				fprintf(f,
					"%s\n       {\"pipeline\": \"%s\", \"stage\": \"%s\", "
					"\"label\": \"%s\", \"node\": \"%s\", \"calls\": %" PRIu64
					", \"objs\": %" PRIu64 ", \"cycles\": %" PRIu64
					", \"cycles_per_pkt\": %.3f, \"counters\": {",
					first ? "" : ",", app->cfg.pipelines[p].name,
					st.slot->ops->name, st.slot->conf->label,
					st.slot->node_name, st.calls, st.objs, st.cycles,
					ratio(st.cycles, st.objs));
				names = st.slot->ops->counters;
				for (unsigned int c = 0; names && names[c]; c++)
					fprintf(f, "%s\"%s\": %" PRIu64, c ? ", " : "", names[c],
						st.inst->counters[c]);
				fprintf(f, "}");
				sl_stats_json_stage_extra(f, &st);
				fprintf(f, "}");
				first = false;
			}
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n  ]\n}\n");
	fflush(f);
}

void sl_stats_json_stage_extra(FILE *f, const struct sl_stage_stats *st)
{
	uint32_t hashes[1024];
	int n;

	if (strcmp(st->slot->ops->name, "count") != 0)
		return;
	n = sl_count_flows(&st->inst->ctx, hashes, RTE_DIM(hashes));
	if (n <= 0)
		return;
	fprintf(f, ", \"flows\": [");
	for (int i = 0; i < n && i < (int)RTE_DIM(hashes); i++)
		fprintf(f, "%s%" PRIu32, i ? ", " : "", hashes[i]);
	fprintf(f, "]");
}
