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

/* ---- stages, pipelines, graphs ---- */

/* One stage of one pipeline (shared by all workers running it). */
struct sl_stage_slot {
	const struct sl_stage_conf *conf;
	const struct sl_stage_ops *ops;
	unsigned int pipeline;
	unsigned int index;
	struct rte_kvargs *kvargs;
	void *global_state;
	void *node_state[RTE_MAX_NUMA_NODES];
	bool node_inited[RTE_MAX_NUMA_NODES];
	bool global_inited;
	rte_node_t node_id;
	char node_name[RTE_NODE_NAMESIZE];
};

/* One stage on one worker. Lives on the worker's NUMA node. */
struct sl_stage_inst {
	struct sl_stage_ctx ctx;
	const struct sl_stage_ops *ops;
	struct sl_stage_slot *slot;
	struct rte_node *node;
	uint64_t counters[SL_STAGE_COUNTERS_MAX];
	struct rte_mbuf *out[2 * SL_STAGE_VEC_MAX];
	uint16_t out_nexts[2 * SL_STAGE_VEC_MAX];
} __rte_cache_aligned;

struct sl_rxq_state {
	uint16_t port_id;
	uint16_t queue;
	uint64_t packets;
};

/* What the walk in progress records in rte_graph's per-node stats. The
 * worker loop sets it before each walk; the straight-line path (chain.c),
 * which makes node calls the walk does not see, reads it. */
struct sl_walk_stats {
	bool count;		 /**< calls and objs */
	bool timed;		 /**< cycles too, times `scale` */
	uint64_t scale;		 /**< walks one timed walk stands for */
	uint64_t chained_cycles; /**< cycles of those calls, within the rx node's call */
};

/* No single port: a walk whose packets came from several ports. */
#define SL_NO_PORT UINT16_MAX

/* One stage on a receive node's straight line (chain.c). */
struct sl_line_stage {
	sl_stage_process_fn process;
	struct sl_stage_ctx *ctx;
	struct rte_node *node; /**< for its calls/objs */
};

/*
 * The straight line a receive node's vectors take when every stage sends
 * the whole vector on: the stages' process callbacks in order, then the
 * transmit node. Read off the graph once it exists (sl_chain_resolve), so
 * that a walk calls them from this array without finding each node again.
 */
struct sl_line {
	bool to_tx;	 /**< the line is process stages only and ends at transmit */
	bool keeps_port; /**< every stage on it keeps mbuf->port */
	uint8_t nb_stages;
	struct rte_node *tx_node;
	struct sl_tx_ctx *tx;
	struct sl_line_stage stage[SL_MAX_STAGES];
};

struct sl_rx_ctx {
	struct sl_walk_stats *walk_stats; /**< the worker's */
	struct rte_node *node;		  /**< this receive node in the worker's graph */
	uint16_t nb_rxq;
	uint16_t burst;
	uint16_t vector;  /**< most packets one walk takes in */
	uint16_t share;	  /**< most packets one queue gives per walk */
	uint16_t next_q;  /**< queue polled first on the next walk */
	uint64_t packets; /**< all queues */
	struct sl_line line;
	struct sl_rxq_state q[SL_MAX_RXQ_PER_WORKER];
} __rte_cache_aligned;

struct sl_tx_port_stats {
	uint64_t packets;
	uint64_t dropped; /**< tx ring full after retries */
};

struct sl_tx_ctx {
	uint16_t queue;
	uint16_t retries;
	uint64_t bad_port; /**< mbuf->port is not a started sluice port */
	uint8_t port_ok[RTE_MAX_ETHPORTS];
	struct sl_tx_port_stats port[RTE_MAX_ETHPORTS];
} __rte_cache_aligned;

struct sl_drop_ctx {
	uint64_t packets;
} __rte_cache_aligned;

struct sl_worker {
	struct sl_worker_info info;
	const struct sl_worker_conf *conf;
	struct sl_app *app;
	rte_graph_t graph_id;
	struct rte_graph *graph;
	char graph_name[RTE_GRAPH_NAMESIZE];
	/* Filled by node init callbacks while the graph is created. */
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

/* Enqueue packets to their per-packet edges, one rte_node_enqueue per run. */
void sl_enqueue_runs(struct rte_graph *graph, struct rte_node *node, void **objs,
		     const uint16_t *nexts, uint16_t n);
int sl_pipelines_setup(struct sl_app *app, struct sl_error *err);
int sl_graphs_create(struct sl_app *app, struct sl_error *err);
void sl_graphs_destroy(struct sl_app *app);
void sl_pipelines_teardown(struct sl_app *app);
int sl_rx_tx_nodes_register(void);
/* The generic stage shell and the transmit node: the straight-line path
 * recognises the nodes by these and calls them itself. */
uint16_t sl_stage_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			       uint16_t nb_objs);
uint16_t sl_tx_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			    uint16_t nb_objs);
void sl_chain_run(struct rte_graph *graph, struct rte_node *rx_node, struct sl_walk_stats *ws,
		  uint16_t n, uint16_t rx_port);
/* Fill rx->line from the worker's graph (after rte_graph_create). */
void sl_chain_resolve(struct sl_rx_ctx *rx);
/* A stage on the line did not send the whole vector to its next edge:
 * hand the vector to the graph as the generic shell would. */
void sl_chain_leave(struct rte_graph *graph, struct rte_node *node, uint16_t edge,
		    struct rte_mbuf **pkts, const uint16_t *nexts, uint16_t n);
/* Transmit a vector by one port, as the transmit node does for a vector
 * whose packets all name that port. */
void sl_tx_node_send(struct rte_node *tx_node, uint16_t port, struct rte_mbuf **pkts, uint16_t n);
rte_node_t sl_rx_node_id(void);
extern struct sl_worker *sl_building_worker;
extern struct sl_app *sl_building_app;

/* ---- workers, stats, telemetry ---- */

int sl_workers_launch(struct sl_app *app, struct sl_error *err);
bool sl_app_stop_requested(void);
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
	void *topology; /**< hwloc_topology_t */
	uint64_t start_tsc;
	bool launched;
};

void sl_stats_snapshot_print(struct sl_app *app, bool final);
void sl_stats_write_json(struct sl_app *app, FILE *f);
int sl_telemetry_register(struct sl_app *app);

#endif /* SLUICE_SL_PRIV_H */
