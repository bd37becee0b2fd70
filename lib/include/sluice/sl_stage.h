/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Stage API: how a packet-processing stage plugs into a sluice pipeline.
 *
 * A stage is an rte_graph node. Its author writes one `process` callback
 * that looks at a vector of packets and says where each goes: one edge for
 * the whole vector, or one next-edge index per packet; the framework does
 * the enqueue (moving the whole vector at once when all go the same way). Every stage has at least
 * two edges:
 *
 *   SL_EDGE_NEXT (0)  the next stage of the pipeline, or transmit
 *   SL_EDGE_DROP (1)  free the packet (count the reason yourself first)
 *
 * The transmit stage sends each packet on port `mbuf->port`. The receive
 * stage leaves the input port there, so a stage that does nothing to it
 * bounces packets out of the port they came in on; stages that route
 * (l2fwd, ip4_lpm) overwrite it with the output port.
 *
 * State comes in three tiers, each optional:
 *   global_init  once, with the parsed key=value args (per pipeline slot)
 *   node_init    once per NUMA node that runs the stage (read-mostly tables)
 *   worker_init  once per worker, on the worker's node (`priv`, counters)
 *
 * Nothing in `process` may lock, allocate from the heap, make a system
 * call or log: count and drop instead.
 */
#ifndef SLUICE_SL_STAGE_H
#define SLUICE_SL_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_kvargs.h>
#include <rte_mbuf.h>

#include "sluice/sl_parse.h"
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest vector a process callback is given at once. */
#define SL_STAGE_VEC_MAX 256
/** Most counters one stage may declare (tcpip: its own plus the TCP stack's). */
#define SL_STAGE_COUNTERS_MAX 128
/** Most edges one stage may declare (next, drop and up to 6 of its own). */
#define SL_STAGE_EDGES_MAX 8

/** The two edges every stage has; a stage's extra_edges are numbered from 2. */
enum sl_stage_edge {
	SL_EDGE_NEXT = 0, /**< the next stage of the pipeline, or transmit */
	SL_EDGE_DROP = 1, /**< free the packet (count the reason first) */
};

/** What a worker tells its stages about itself. */
struct sl_worker_info {
	unsigned int lcore;	   /**< EAL lcore id */
	unsigned int index;	   /**< 0..nb_workers-1; also its tx queue on every port */
	int socket;		   /**< NUMA node of the lcore */
	struct rte_mempool *pool;  /**< mbuf pool local to the worker */
	unsigned int pool_workers; /**< workers that share `pool` (1 or more) */
};

/** Handed to every callback of one stage instance on one worker. */
struct sl_stage_ctx {
	void *priv;			     /**< per-worker private area (priv_size bytes) */
	uint64_t *counters;		     /**< per-worker counters, index = stage's enum */
	void *node_state;		     /**< from node_init, shared read-only on a node */
	void *global_state;		     /**< from global_init */
	const struct sl_worker_info *worker; /**< the worker running this instance */
};

/** Returned by a process callback that set one edge per packet in nexts[]. */
#define SL_NEXTS_PER_PACKET UINT16_MAX

/**
 * Classify a vector; packets stay in place. When every packet takes the
 * same edge, return that edge and leave nexts[] alone: the framework then
 * hands the whole vector on without looking at it (the common case, and
 * the cheap one). Otherwise set nexts[i] for each pkts[i] and return
 * SL_NEXTS_PER_PACKET.
 */
typedef uint16_t (*sl_stage_process_fn)(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts,
					uint16_t n, uint16_t *nexts);

/**
 * For stages that add, hold or reorder packets (impair): read `n` input
 * packets, write up to `cap` output packets to `out` with their edges.
 * Returns the number written. Packets not written must be held or freed.
 */
typedef uint16_t (*sl_stage_vector_fn)(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
				       struct rte_mbuf **out, uint16_t *nexts, uint16_t cap);

/**
 * Called once per worker loop iteration, even with no traffic, for stages
 * that hold packets (delay queues). Same contract as sl_stage_vector_fn
 * with no input.
 */
typedef uint16_t (*sl_stage_poll_fn)(struct sl_stage_ctx *ctx, struct rte_mbuf **out,
				     uint16_t *nexts, uint16_t cap);

/** Everything an init callback may need. */
struct sl_stage_init {
	const char *instance;	       /**< label in the pipeline (default: stage name) */
	const struct rte_kvargs *args; /**< parsed key=value args, never NULL */
	void *global_state;	       /**< set by global_init, passed on */
	void *node_state;	       /**< set by node_init, passed on */
	int socket;		       /**< node_init: the NUMA node */
	struct sl_stage_ctx *ctx;      /**< worker_init: the instance being set up */
	/** worker_init: the ethdev ports whose queues this worker polls for the
	 * instance's pipeline, each once, in polling order (none outside a
	 * sluice app, e.g. when an embedding app drives the ops itself). */
	const uint16_t *ports;
	unsigned int nb_ports; /**< entries in `ports` */
	struct sl_error *err;  /**< write here (sl_stage_fail, sl_parse_*) and return < 0 */
	/** Where the stage is configured, "FILE:LINE: [pipeline P] LABEL", for
	 * sl_stage_note (NULL outside a sluice app: the instance is used). */
	const char *where;
};

/**
 * A stage type: its name, callbacks and what it declares. Register it with
 * SL_STAGE_REGISTER (or sl_stage_register()); it must outlive every pipeline
 * that uses it (a static const struct in the stage's file).
 */
struct sl_stage_ops {
	const char *name; /**< unique, [a-z0-9_]+ */
	const char *help; /**< one line: what it does and its args */
	/** Exactly one of process / process_vector. */
	sl_stage_process_fn process;
	sl_stage_vector_fn process_vector; /**< for stages that add, hold or reorder packets */
	sl_stage_poll_fn poll;		   /**< optional */
	size_t priv_size; /**< bytes of sl_stage_ctx.priv per worker, zeroed; 0 = none */
	/** Counter names, NULL terminated; index i is counters[i]. */
	const char *const *counters;
	/** Extra edge names after "next" and "drop", NULL terminated (may be NULL). */
	const char *const *extra_edges;
	/** Accepted arg keys, NULL terminated (NULL: the stage takes no args). */
	const char *const *arg_keys;
	/** Optional: once per pipeline slot, with the args; set init->global_state. < 0 refuses. */
	int (*global_init)(struct sl_stage_init *init);
	/** Optional: once per NUMA node running the stage; set init->node_state. < 0 refuses. */
	int (*node_init)(struct sl_stage_init *init);
	/** Optional: once per worker, on its node, to fill ctx->priv. < 0 refuses. */
	int (*worker_init)(struct sl_stage_init *init);
	/** Optional: undo worker_init (free what priv holds) once the worker has stopped. */
	void (*worker_fini)(struct sl_stage_ctx *ctx);
	/** Optional: free what node_init made. */
	void (*node_fini)(void *node_state);
	/** Optional: free what global_init made. */
	void (*global_fini)(void *global_state);
	/**
	 * Set by a process stage that never changes mbuf->port and sends what it
	 * passes on back out of the port it came in on (macswap, count). When
	 * every stage of a pipeline says so and a walk's packets all came from
	 * one port, they leave by that port without transmit reading each
	 * mbuf's port field. Leave it false if the stage routes: then transmit
	 * goes by mbuf->port, packet by packet.
	 */
	bool keeps_port;
};

/**
 * Make a stage known to pipelines (call before building them). Returns 0, or
 * -EINVAL (NULL ops, a name not [a-z0-9_]+ or longer than 31, not exactly one
 * of process/process_vector), -EEXIST (the name is taken: the first
 * registration stays) or -ENOSPC (64 types at most). A refused registration
 * also makes the next sl_app_init()/sl_app_create() fail with an error that
 * names the executable or shared objects both stages came from.
 */
SL_API int sl_stage_register(const struct sl_stage_ops *ops);

/**
 * Print every registered stage type to `f`: its name, its one-line help, the
 * args it takes, its counters and extra edges (sluice-fwd --list-stages).
 */
SL_API void sl_stage_list_print(FILE *f);

/** Look up a registered stage by name, or NULL. */
SL_API const struct sl_stage_ops *sl_stage_find(const char *name);

/** Iterate the registered stages: returns NULL past the end. */
SL_API const struct sl_stage_ops *sl_stage_at(unsigned int index);

/**
 * Load a stage plugin: a shared object whose constructors register stage
 * types (SL_STAGE_REGISTER), e.g. built with meson's shared_module() against
 * these headers, without linking libsluice (its references bind to the
 * program's). The apps load the plugins of [app] plugins = and --plugin
 * themselves; an app that builds its config in code calls this before
 * naming the plugin's stages. A path without '/' is taken from the current
 * directory, never searched for. Loading the same file again does nothing.
 * Returns 0, or -1 with `err` set: the .so cannot be loaded (dlerror), or
 * it registered a stage name already taken (naming both objects).
 */
SL_API int sl_plugin_load(const char *path, struct sl_error *err);

/**
 * Helper for init callbacks: printf into init->err, return -EINVAL. Write
 * "what. Fix: how" (or "key: what. Fix: how" about one arg); the framework
 * puts "FILE:LINE: [pipeline P] LABEL: " in front, so do not name the
 * instance yourself.
 */
SL_API int sl_stage_fail(struct sl_stage_init *init, const char *fmt, ...)
    __rte_format_printf(2, 3);

/**
 * Helper for init callbacks: one informational line on stdout, placed like
 * an error ("FILE:LINE: [pipeline P] LABEL: text"). For start-up facts a user
 * needs (memory taken), never for the data path.
 */
SL_API void sl_stage_note(const struct sl_stage_init *init, const char *fmt, ...)
    __rte_format_printf(2, 3);

/** Helper: the value of `key` in the stage's args, or `def` when absent. */
SL_API const char *sl_stage_arg(const struct sl_stage_init *init, const char *key, const char *def);

/**
 * Typed args: parse `key` (or `def` when absent) with the sl_parse_* parser
 * of that type into *out. Returns 0, or -EINVAL with init->err filled
 * ("key: 'value' is not .... Fix: ...").
 */
SL_API int sl_stage_arg_u64(const struct sl_stage_init *init, const char *key, const char *def,
			    enum sl_parse_units units, uint64_t min, uint64_t max, uint64_t *out);
/** sl_stage_arg_u64 into a 32-bit value. */
SL_API int sl_stage_arg_u32(const struct sl_stage_init *init, const char *key, const char *def,
			    enum sl_parse_units units, uint32_t min, uint32_t max, uint32_t *out);
/** A boolean arg: on/off, yes/no, true/false, 1/0. */
SL_API int sl_stage_arg_bool(const struct sl_stage_init *init, const char *key, const char *def,
			     bool *out);
/** A percentage arg, 0..100. */
SL_API int sl_stage_arg_pct(const struct sl_stage_init *init, const char *key, const char *def,
			    double *out);

/**
 * Register a built-in or user stage at load time:
 *   static const struct sl_stage_ops my_ops = {...};
 *   SL_STAGE_REGISTER(my_ops);
 */
#define SL_STAGE_REGISTER(ops)                                                                     \
	RTE_INIT(sl_stage_register_##ops)                                                          \
	{                                                                                          \
		sl_stage_register(&(ops));                                                         \
	}

/**
 * Counter helpers: declare counters once with an X-macro; this one gives the
 * enum entry of one X(id, name).
 * @code
 *   #define MY_COUNTERS(X) X(MY_FORWARDED, "forwarded") X(MY_RUNT, "runt")
 *   enum { MY_COUNTERS(SL_CNT_ENUM) MY_NB_COUNTERS };
 *   static const char *const my_counters[] = {MY_COUNTERS(SL_CNT_NAME) NULL};
 * @endcode
 */
#define SL_CNT_ENUM(id, name) id,
/** Counter helper: the name of one X(id, name) entry (see SL_CNT_ENUM). */
#define SL_CNT_NAME(id, name) name,

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_STAGE_H */
