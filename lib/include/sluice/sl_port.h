/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Ports as the config names them. Stages that route (l2fwd, ip4_lpm) name
 * output ports either by their config name ("p1") or by ethdev port id ("1").
 */
#ifndef SLUICE_SL_PORT_H
#define SLUICE_SL_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a port's config name, with its NUL. */
#define SL_PORT_NAME_MAX 32

/** Give ethdev port `port_id` a config name. 0 or -errno. */
SL_API int sl_port_name_set(uint16_t port_id, const char *name);

/**
 * Resolve a config name or a decimal ethdev port id to a port id that
 * exists. Returns the port id, or -1 when nothing matches.
 */
SL_API int sl_port_lookup(const char *name_or_id);

/** Config name of a port, or NULL when it has none. */
SL_API const char *sl_port_name(uint16_t port_id);

/**
 * Wait (at most 1 s) until EAL's interrupt thread has finished the callback
 * it is running and those already due. Call it before stopping or closing
 * ports: some PMDs tear a link down on that thread when the peer leaves
 * (memif unmaps the peer's memory there), and the link reads as down before
 * the teardown is over; closing the port meanwhile runs the same teardown
 * twice at once. Not for the data path (it sleeps).
 */
SL_API void sl_port_ctrl_barrier(void);

struct rte_eth_stats;
struct rte_ether_addr;
struct rte_mempool;
struct sl_error;

/**
 * A port an application opens and polls itself, outside a config (sluice-gen,
 * an embedding app's own loop): the same number of rx and tx queues, no
 * offloads, no RSS.
 */
struct sl_port_open_conf {
	const char *name;	     /**< ethdev name, as given to the EAL (--vdev, -a) */
	uint16_t nb_queues;	     /**< rx queues and tx queues, each */
	uint16_t nb_desc;	     /**< descriptors per queue (0: 1024), fitted to the device */
	struct rte_mempool *rx_pool; /**< the rx queues fill from it */
	bool promiscuous;	     /**< asked for; a PMD without it is not an error */
	struct rte_ether_addr *mac;  /**< filled with the port's MAC when not NULL */
};

/**
 * Find the ethdev `conf->name`, configure it, set up its queues on its NUMA
 * node and start it. Returns 0 with *port_id set, or -1 with err filled with
 * one line "NAME: what. Fix: how". Close it with sl_port_close().
 */
SL_API int sl_port_open(const struct sl_port_open_conf *conf, uint16_t *port_id,
			struct sl_error *err);

/** Stop and close a port opened with sl_port_open() (call sl_port_ctrl_barrier() first). */
SL_API void sl_port_close(uint16_t port_id);

/**
 * rte_eth_stats_get() with the receive drops a PMD keeps out of `imissed`
 * added to `imissed`: net_af_packet's ring drops (the kernel's
 * PACKET_STATISTICS tp_drops on the PMD's sockets, which DPDK 22.11's PMD
 * never reads) and the xstats named by sl_port_stats_missed_xstats(). Not for
 * the data path (system calls). 0 or -errno, as rte_eth_stats_get().
 */
SL_API int sl_port_stats_get(uint16_t port_id, struct rte_eth_stats *stats);

/**
 * Count the xstats named in `names` (space or comma separated) as receive
 * drops in sl_port_stats_get()'s `imissed`. Names the device does not have
 * are skipped. Returns how many were found.
 */
SL_API int sl_port_stats_missed_xstats(uint16_t port_id, const char *names);

/**
 * Take a last reading of the counters that end with the port (af_packet's
 * sockets close when it stops); sl_port_stats_get() keeps them afterwards.
 * Call it before rte_eth_dev_stop().
 */
SL_API void sl_port_stats_save(uint16_t port_id);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_PORT_H */
