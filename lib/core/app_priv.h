/* SPDX-License-Identifier: BSD-3-Clause */
/* The app and its workers (lib/core), with what it holds of every module:
 * ports (port/port_priv.h), pools (mem/mem_priv.h), stages and graphs
 * (stage/stage_priv.h). Not installed. */
#ifndef SLUICE_CORE_APP_PRIV_H
#define SLUICE_CORE_APP_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_graph.h>
#include <rte_mempool.h>

#include "sluice/sl_app.h"
#include "sluice/sl_config.h"
#include "sluice/sl_stage.h"

#include "core/log_priv.h"
#include "mem/mem_priv.h"
#include "port/port_priv.h"
#include "stage/stage_priv.h"

/* ---- a worker: its graph, node contexts, stage instances and loop accounting ---- */

struct sl_worker {
	struct sl_worker_info info;
	const struct sl_worker_conf *conf;
	struct sl_app *app;
	rte_graph_t graph_id;
	struct rte_graph *graph;
	char graph_name[RTE_GRAPH_NAMESIZE];
	/* Node contexts, filled once the graph exists (lib/stage/pipeline.c). */
	struct sl_rx_ctx *rx[SL_MAX_PIPELINES];
	struct sl_tx_ctx *tx;
	struct sl_drop_ctx *drop;
	struct sl_stage_inst *inst[SL_MAX_PIPELINES][SL_MAX_STAGES];
	/* Stages with a poll callback, called every loop. */
	unsigned int nb_pollers;
	struct sl_stage_inst *pollers[SL_MAX_PIPELINES * SL_MAX_STAGES];
	struct sl_walk_stats walk_stats;
	/* Loop accounting (written by the worker only). */
	uint64_t loops;
	uint64_t busy_loops;
	uint64_t busy_cycles;	   /**< walks that received: walk start to end */
	uint64_t busy_loop_cycles; /**< whole iterations that received */
	uint64_t idle_cycles;	   /**< whole iterations that did not */
	volatile bool running;
} __rte_cache_aligned;

/* ---- workers, stats, telemetry ---- */

int sl_workers_launch(struct sl_app *app, struct sl_error *err);
bool sl_app_stop_requested(void);
void sl_app_stop_clear(void);
void sl_workers_stop(struct sl_app *app);

struct sl_app {
	struct sl_config cfg;
	struct sl_app_opts opts;
	struct sl_port ports[SL_MAX_PORTS];
	unsigned int nb_ports;
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	struct sl_pool_plan pool_plans[RTE_MAX_NUMA_NODES];
	/* Most mbufs each pool had out at once, sampled by the main lcore every
	 * 100 ms (sl_pools_sample): a pool near its size was near running dry. */
	unsigned int pool_peak[RTE_MAX_NUMA_NODES];
	struct sl_worker *workers[SL_MAX_WORKERS];
	unsigned int nb_workers;
	struct sl_stage_slot slots[SL_MAX_PIPELINES][SL_MAX_STAGES];
	rte_node_t rx_nodes[SL_MAX_PIPELINES]; /**< each pipeline's receive clone */
	void *topology;			       /**< hwloc_topology_t */
	uint64_t start_tsc;
	bool launched;
};

void sl_stats_snapshot_print(struct sl_app *app, bool final);
void sl_stats_write_json(struct sl_app *app, FILE *f);
int sl_telemetry_register(struct sl_app *app);
/* The telemetry commands answer with nothing once `app` is gone. */
void sl_telemetry_unregister(struct sl_app *app);

#endif /* SLUICE_CORE_APP_PRIV_H */
