/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal runtime structures shared by lib/ modules. Not installed. */
#ifndef SLUICE_SL_PRIV_H
#define SLUICE_SL_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_kvargs.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include "sluice/sl_app.h"
#include "sluice/sl_config.h"
#include "sluice/sl_stage.h"

#include "stage/stage_priv.h"

extern int sl_logtype;
#define SL_LOG(level, fmt, ...)                                                                    \
	rte_log(RTE_LOG_##level, sl_logtype, "sluice: " fmt "\n", ##__VA_ARGS__)

/* ---- ports ---- */

struct sl_port_profile {
	char name[SL_NAME_MAX];
	uint16_t rx_desc;
	uint16_t tx_desc;
	enum sl_rss_mode rss;
	uint64_t rss_hf;
	uint64_t rx_offloads;
	uint64_t tx_offloads;
	uint16_t mtu;
	/** Devarg that sizes the PMD's rings instead of rx_desc/tx_desc (af_packet:
	 * framecnt), and its value when absent; "" when the PMD honours rx_desc. */
	char ring_devarg[SL_NAME_MAX];
	uint16_t ring_devarg_default;
	/** xstats the PMD counts receive drops in but leaves out of imissed. */
	char rx_missed_xstats[256];
	/** The PMD sends only a chain's first segment: copy chains into one. */
	bool tx_linearize;
};

struct sl_port {
	const struct sl_port_conf *conf;
	uint16_t port_id;
	int socket; /**< NUMA node, or -1 when the device has none (vdevs) */
	uint16_t nb_rxq;
	uint16_t nb_txq;
	uint16_t rx_desc;
	uint16_t tx_desc;
	struct sl_port_profile profile;
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	bool started;
	bool hotplugged; /**< we attached it from devargs: detach at exit */
};

int sl_profile_load(const char *dir, const char *name, const char *driver,
		    struct sl_port_profile *prof, struct sl_error *err);
int sl_ports_probe(struct sl_app *app, struct sl_error *err);
int sl_ports_start(struct sl_app *app, struct sl_error *err);
/** Make chained frames one segment before the PMD sees them (port_tx.c). */
int sl_port_tx_linearize(uint16_t port_id, uint16_t queue, struct rte_mempool *pool);
/** A chain port_tx.c could not make whole (it left anyway): a tx error. */
void sl_port_tx_linearize_failed(uint16_t port_id);
void sl_ports_stop(struct sl_app *app);

/* ---- memory ---- */

struct sl_pool_plan {
	int socket;
	unsigned int rx_tx_desc; /**< sum over ports on the node of rxq*rx_desc + txq*tx_desc */
	unsigned int lcores;	 /**< lcores that allocate from this pool */
	unsigned int cache;	 /**< per-lcore mempool cache */
	unsigned int burst;	 /**< rx burst */
	unsigned int workers;	 /**< workers on the node */
	unsigned int in_flight;	 /**< per worker: graph vectors + stage hold queues */
	unsigned int headroom;	 /**< fixed reserve */
	unsigned int nb_mbufs;	 /**< result */
};

/** The documented sizing formula (docs/architecture.md). */
void sl_pool_plan_compute(struct sl_pool_plan *plan);
int sl_pools_create(struct sl_app *app, struct sl_error *err);
void sl_pools_free(struct sl_app *app);

/* Topology (hwloc). */
int sl_topology_init(struct sl_app *app);
void sl_topology_print(struct sl_app *app);
void sl_topology_fini(struct sl_app *app);
int sl_lcore_socket(unsigned int lcore);

/* ---- stages, pipelines, graphs: lib/stage/stage_priv.h ---- */

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

#endif /* SLUICE_SL_PRIV_H */
