/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * A running or stopped app's counters, read in process as numbers: the same
 * figures the periodic lines, --stats-json and telemetry show, from the same
 * per-worker counters, without parsing any text.
 *
 *   uint64_t seen;
 *   struct sl_port_stats ps;
 *   if (sl_stats_counter(app, "main", "seen", "packets", &seen) == 0 &&
 *       sl_stats_port(app, "p0", &ps) == 0)
 *           printf("%" PRIu64 " seen, %" PRIu64 " missed\n", seen, ps.rx_missed);
 *
 * Any thread may read at any time after sl_app_create() and before
 * sl_app_destroy(). Workers update their counters without locks: a read
 * while they run sees each 64-bit counter whole, but two counters may be
 * from instants a burst apart.
 */
#ifndef SLUICE_SL_STATS_H
#define SLUICE_SL_STATS_H

#include <stdint.h>

#include "sluice/sl_api.h"
#include "sluice/sl_stage.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sl_app;

/** A port's counters since it started (the PMD's rte_eth_stats). */
struct sl_port_stats {
	/** packets received, sent @{ */
	uint64_t rx, tx;
	/** @} */
	uint64_t rx_missed; /**< dropped by the NIC or the PMD: no room in an rx ring */
	/** packets the PMD counted as receive errors, transmit errors @{ */
	uint64_t rx_errors, tx_errors;
	/** @} */
	uint64_t rx_nombuf; /**< rx refills that found the pool empty */
};

/** One worker's counters. */
struct sl_worker_stats {
	unsigned int lcore; /**< EAL lcore id */
	int socket;	    /**< NUMA node of the lcore */
	/** packets the worker received, sent @{ */
	uint64_t rx, tx;
	/** @} */
	uint64_t tx_full_drops; /**< packets the tx queue had no room for, after retries */
	uint64_t stage_drops;	/**< packets a stage sent to the drop edge */
	uint64_t bad_port;	/**< packets sent towards a port the pipeline has not */
	uint64_t busy_cycles;	/**< TSC cycles in loops that received something */
	uint64_t idle_cycles;	/**< TSC cycles in loops that received nothing */
};

/** One stage of one pipeline, summed over every worker that runs the pipeline. */
struct sl_stage_stats_sum {
	const char *type; /**< the stage type, e.g. "count" */
	/** calls, packets and TSC cycles, from rte_graph, as graph_stats allows @{ */
	uint64_t calls, objs, cycles;
	/** @} */
	unsigned int nb_counters;		  /**< the stage's own counters ... */
	const char *const *counter_names;	  /**< ... their names (the stage's ops) ... */
	uint64_t counters[SL_STAGE_COUNTERS_MAX]; /**< ... and values */
	unsigned int workers;			  /**< how many workers the sums cover */
};

/** Port `name` (its [port NAME]). Returns 0, or -1 if the app has no such port. */
SL_API int sl_stats_port(const struct sl_app *app, const char *name, struct sl_port_stats *out);

/** An mbuf pool of the app (one per NUMA node with a port or worker). */
struct sl_pool_stats {
	unsigned int size;	  /**< mbufs in the pool */
	unsigned int in_use;	  /**< out of the pool now (rings, stages, in flight) */
	unsigned int in_use_peak; /**< most out at once, sampled every 100 ms while running */
};

/**
 * The pool of NUMA node `socket`. A peak near the size means the pool came
 * close to running dry (rx refills then fail: rx_nombuf, or the PMD's own
 * drops). Returns 0, or -1 if the app has no pool on that node.
 */
SL_API int sl_stats_pool(const struct sl_app *app, int socket, struct sl_pool_stats *out);

/** How many workers the app runs. */
SL_API unsigned int sl_stats_nb_workers(const struct sl_app *app);

/** Worker `index` (0 .. sl_stats_nb_workers() - 1). Returns 0, or -1. */
SL_API int sl_stats_worker(const struct sl_app *app, unsigned int index,
			   struct sl_worker_stats *out);

/**
 * The stage labelled `label` in `pipeline` (its label is its type unless
 * the stage list said type:label). Returns 0, or -1 if there is no such
 * stage.
 */
SL_API int sl_stats_stage(const struct sl_app *app, const char *pipeline, const char *label,
			  struct sl_stage_stats_sum *out);

/**
 * One named counter of a stage, summed over workers: e.g. ("main", "count",
 * "packets"). Returns 0, or -1 if there is no such stage or counter.
 */
SL_API int sl_stats_counter(const struct sl_app *app, const char *pipeline, const char *label,
			    const char *counter, uint64_t *value);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_STATS_H */
