/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/mem: pool sizing and creation, NUMA topology. Not installed. */
#ifndef SLUICE_MEM_MEM_PRIV_H
#define SLUICE_MEM_MEM_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "sluice/sl_parse.h"

struct sl_app;

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
/* Note each pool's mbufs in use now in app->pool_peak (off the data path). */
void sl_pools_sample(struct sl_app *app);

/* Topology (hwloc). */
int sl_topology_init(struct sl_app *app);
void sl_topology_print(struct sl_app *app);
void sl_topology_fini(struct sl_app *app);
int sl_lcore_socket(unsigned int lcore);

#endif /* SLUICE_MEM_MEM_PRIV_H */
