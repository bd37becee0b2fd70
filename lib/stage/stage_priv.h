/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/stage's own structures: a stage's slot and its per-worker instance,
 * the framework's receive/transmit/drop node contexts, and the straight
 * line a receive node runs its vectors down (line.c). lib/core reads the
 * counters in them for stats. Not installed.
 */
#ifndef SLUICE_STAGE_PRIV_H
#define SLUICE_STAGE_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_graph.h>
#include <rte_graph_worker.h>
#include <rte_kvargs.h>

#include "sluice/sl_config.h"
#include "sluice/sl_stage.h"

struct sl_app;
struct sl_worker;
struct sl_error;

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
 * worker loop sets it before each walk; the straight line (line.c), which
 * makes node calls the walk does not see, reads it. */
struct sl_walk_stats {
	bool count;		 /**< calls and objs */
	bool timed;		 /**< cycles too, times `scale` */
	uint64_t scale;		 /**< walks one timed walk stands for */
	uint64_t chained_cycles; /**< cycles of those calls, within the rx node's call */
};

/* No single port: a walk whose packets came from several ports. */
#define SL_NO_PORT UINT16_MAX

/* One stage on a receive node's straight line. */
struct sl_line_stage {
	sl_stage_process_fn process;
	struct sl_stage_ctx *ctx;
	struct rte_node *node; /**< for its calls/objs/cycles */
};

/*
 * The straight line a receive node's vectors take: the process callbacks of
 * the stages that follow it, in order, up to the first vector stage (it may
 * hold, add or reorder packets) or the transmit node. Read off the graph
 * once it exists (sl_line_resolve), so a walk calls them from this array
 * without finding each node again.
 */
struct sl_line {
	bool to_tx;	 /**< the line ends at the transmit node */
	bool keeps_port; /**< every stage on it keeps mbuf->port */
	uint8_t nb_stages;
	struct rte_node *last; /**< the last node the line runs (the rx node if none) */
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

/* ---- the registry (stage.c) ---- */

/* Registration runs before main(), where nothing can be reported: a refused
 * registration (a name taken twice, a bad name or ops) is kept and reported
 * here, naming the objects both came from. 0, or -1 with err filled. */
int sl_stage_registry_check(struct sl_error *err);

/* ---- building (pipeline.c) ---- */

/* "FILE:LINE: [pipeline P] LABEL": where a stage is configured, the prefix of
 * its errors and notes. */
#define SL_ERROR_WHERE_MAX (PATH_MAX + 3 * SL_NAME_MAX)
void sl_stage_where(const struct sl_config *cfg, const struct sl_pipeline_conf *pl,
		    const struct sl_stage_conf *st, char *buf, size_t size);
void sl_slot_where(const struct sl_app *app, const struct sl_stage_slot *slot, char *buf,
		   size_t size);
/* err = "WHERE: what"; returns -1. */
int sl_slot_fail(const struct sl_app *app, const struct sl_stage_slot *slot, const char *what,
		 struct sl_error *err);

/* A stage's parsed args against its arg_keys: unknown keys, no '=', a key
 * twice. 0, or -1 with `what` saying which and the fix. */
int sl_stage_args_check(const struct sl_stage_ops *ops, const struct rte_kvargs *kv, char *what,
			size_t size);

/* Stage slots and graph nodes for every pipeline of the config. */
int sl_pipelines_setup(struct sl_app *app, struct sl_error *err);
/* Each worker's graph, then its node contexts (nodes have no init
 * callbacks: contexts are filled once the graph exists). */
int sl_graphs_create(struct sl_app *app, struct sl_error *err);
void sl_graphs_destroy(struct sl_app *app);
void sl_pipelines_teardown(struct sl_app *app);

/* ---- the framework's nodes (node_*.c) ---- */

/* Register each framework node once per process; return its id. */
rte_node_t sl_rx_node_register(void);
rte_node_t sl_tx_node_register(void);
rte_node_t sl_drop_node_register(void);
rte_node_t sl_rx_node_id(void);
rte_node_t sl_tx_node_id(void);
rte_node_t sl_drop_node_id(void);

/* The node's context pointer, kept in the node's ctx area. */
#define SL_NODE_CTX(node, type) (*(type **)(node)->ctx)

/* Receive context for the queues `w` polls for pipeline `pipeline`; picks the
 * node's process variant for that shape. Returns NULL without memory. */
struct sl_rx_ctx *sl_rx_ctx_create(struct sl_app *app, struct sl_worker *w, struct rte_node *node,
				   unsigned int pipeline);
struct sl_tx_ctx *sl_tx_ctx_create(struct sl_app *app, struct sl_worker *w);
struct sl_drop_ctx *sl_drop_ctx_create(struct sl_worker *w);
/* A stage slot's instance on worker `w` (its worker_init run) bound to the
 * graph's node; sl_stage_inst_destroy runs worker_fini and frees it. */
struct sl_stage_inst *sl_stage_inst_create(struct sl_app *app, struct sl_worker *w,
					   struct sl_stage_slot *slot, struct rte_node *node,
					   struct sl_error *err);
void sl_stage_inst_destroy(struct sl_stage_inst *inst);

/* The generic stage shell and the transmit node: the straight line
 * recognises the nodes by these and calls them itself. */
uint16_t sl_stage_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			       uint16_t nb_objs);
uint16_t sl_tx_node_process(struct rte_graph *graph, struct rte_node *node, void **objs,
			    uint16_t nb_objs);
/* Enqueue packets to their per-packet edges, one rte_node_enqueue per run. */
void sl_enqueue_runs(struct rte_graph *graph, struct rte_node *node, void **objs,
		     const uint16_t *nexts, uint16_t n);

/* Send `n` packets by `port` on this worker's queue, counted per port. */
static inline void sl_tx_to_port(struct sl_tx_ctx *tx, uint16_t port, struct rte_mbuf **pkts,
				 uint16_t n)
{
	uint16_t sent, tries = tx->retries;

	if (unlikely(port >= RTE_MAX_ETHPORTS || !tx->port_ok[port])) {
		tx->bad_port += n;
		rte_pktmbuf_free_bulk(pkts, n);
		return;
	}
	sent = rte_eth_tx_burst(port, tx->queue, pkts, n);
	while (unlikely(sent < n) && tries-- > 0)
		sent += rte_eth_tx_burst(port, tx->queue, pkts + sent, n - sent);
	tx->port[port].packets += sent;
	if (unlikely(sent < n)) {
		tx->port[port].dropped += n - sent;
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
}

/* ---- the straight line (line.c, line.h) ---- */

/* Fill rx->line from the worker's graph (after rte_graph_create). */
void sl_line_resolve(struct sl_rx_ctx *rx);
/* A stage on the line did not send the whole vector to its next edge:
 * hand the vector to the graph as the generic shell would. */
void sl_line_leave(struct rte_graph *graph, struct rte_node *node, uint16_t edge,
		   struct rte_mbuf **pkts, const uint16_t *nexts, uint16_t n);
/* The line on a timed walk (line.c instantiates line.h's runner). */
void sl_line_run_timed(struct rte_graph *graph, struct sl_rx_ctx *rx, uint16_t n, uint16_t port);

#endif /* SLUICE_STAGE_PRIV_H */
