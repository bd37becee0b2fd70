/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Library mode: a pipeline run on bursts from the application's own loop.
 * The application polls and transmits; sluice only classifies and
 * transforms. No workers, no graph walk, no ports of sluice's:
 *
 *   struct sl_pipeline_env env = {.pool = pool, .socket = rte_socket_id(),
 *                                 .lcore = rte_lcore_id(), .ports = &port, .nb_ports = 1};
 *   struct sl_pipeline *p = sl_pipeline_create(&cfg, "main", &env, &err);
 *   for (;;) {
 *       uint16_t n = rte_eth_rx_burst(port, 0, pkts, 32);
 *       n = sl_pipeline_process(p, pkts, n);  // what the stages passed, in pkts[0..n)
 *       ...transmit pkts[i] by pkts[i]->port...
 *   }
 *   sl_pipeline_destroy(p);
 *
 * The stages run in order, each on the whole burst, exactly as the straight
 * line of a worker runs them: a packet a stage sends to "drop" is freed and
 * counted, the others go on. Only process stages (sl_stage_ops.process: they
 * classify a burst in place) run here; vector stages (tcpip, impair), which
 * may hold packets or make new ones, and stages with extra edges, need a
 * worker's graph and are refused at create with the reason. A pipeline is
 * for one thread: create, process and destroy it on the same lcore.
 */
#ifndef SLUICE_SL_PIPELINE_H
#define SLUICE_SL_PIPELINE_H

#include <stdint.h>

#include "sluice/sl_api.h"
#include "sluice/sl_config.h"
#include "sluice/sl_parse.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;
struct rte_mempool;
struct sl_pipeline;

/** What a library-mode pipeline's stages see of where they run. */
struct sl_pipeline_env {
	struct rte_mempool *pool; /**< for stages that allocate mbufs (may be NULL) */
	int socket;		  /**< NUMA node for the stages' memory */
	unsigned int lcore;	  /**< the lcore that will call sl_pipeline_process */
	const uint16_t *ports;	  /**< the ethdev ports the application polls, for stages */
	unsigned int nb_ports;	  /**< that ask (sl_stage_init.ports) */
};

/**
 * Build pipeline `name` of `cfg` (from a file, text or code: sl_config.h)
 * for the calling thread: each stage's args are checked and its global,
 * node and worker init run, as for a worker. Returns NULL with `err` set in
 * the config's one-line style ("ORIGIN:LINE: [pipeline P] LABEL: ...").
 */
SL_API struct sl_pipeline *sl_pipeline_create(const struct sl_config *cfg, const char *name,
					      const struct sl_pipeline_env *env,
					      struct sl_error *err);

/**
 * Run the burst pkts[0..n) through the stages. The packets every stage
 * passed on are moved to pkts[0..returned), in their order; the others were
 * freed (counted: sl_pipeline_dropped). The caller transmits or frees what
 * is returned (mbuf->port says where a routing stage sent each packet).
 * At most SL_STAGE_VEC_MAX packets per call.
 */
SL_API uint16_t sl_pipeline_process(struct sl_pipeline *p, struct rte_mbuf **pkts, uint16_t n);

/** Packets the stages sent to "drop" (freed by sl_pipeline_process). */
SL_API uint64_t sl_pipeline_dropped(const struct sl_pipeline *p);

/**
 * A stage's named counter, e.g. ("count", "packets"). Returns 0, or -1 if
 * the pipeline has no stage labelled `label` or it has no such counter.
 */
SL_API int sl_pipeline_counter(const struct sl_pipeline *p, const char *label, const char *counter,
			       uint64_t *value);

/** Run the stages' fini callbacks and free the pipeline. NULL is ignored. */
SL_API void sl_pipeline_destroy(struct sl_pipeline *p);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_PIPELINE_H */
