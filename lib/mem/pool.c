/* SPDX-License-Identifier: BSD-3-Clause */
/* One mbuf pool per NUMA node that runs workers, sized by a formula that the
 * startup error prints in full when the memory is not there. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "core/app_priv.h"

#define POOL_CACHE 512
#define POOL_HEADROOM 1024
/* Per worker: two graph vectors in flight plus what stages may hold
 * (impair's delay queue). */
#define POOL_IN_FLIGHT (2 * SL_STAGE_VEC_MAX + 4096)

void sl_pool_plan_compute(struct sl_pool_plan *p)
{
	unsigned long n = (unsigned long)p->rx_tx_desc +
			  (unsigned long)p->lcores * (p->cache + p->burst) +
			  (unsigned long)p->workers * p->in_flight + p->headroom;
	unsigned long pow2 = 1;

	/* A mempool's ring holds 2^k - 1 entries: round up to use all of it. */
	while (pow2 - 1 < n)
		pow2 <<= 1;
	p->nb_mbufs = (unsigned int)(pow2 - 1);
}

static void explain(const struct sl_pool_plan *p, size_t elt, char *buf, size_t size)
{
	snprintf(buf, size,
		 "mbufs = rx/tx descriptors %u + lcores %u x (cache %u + burst %u) + workers %u x "
		 "in-flight %u + headroom %u = %u (rounded to 2^k-1), x %zu B = %.1f MiB",
		 p->rx_tx_desc, p->lcores, p->cache, p->burst, p->workers, p->in_flight,
		 p->headroom, p->nb_mbufs, elt, (double)p->nb_mbufs * elt / (1024.0 * 1024.0));
}

int sl_pools_create(struct sl_app *app, struct sl_error *err)
{
	unsigned int lcore;

	memset(app->pool_plans, 0, sizeof(app->pool_plans));
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++)
		app->pool_plans[s].socket = -1;

	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker *wk = app->workers[w];
		struct sl_pool_plan *p = &app->pool_plans[wk->info.socket];

		p->socket = wk->info.socket;
		p->workers++;
		/* The rx rings this worker refills and its tx queue on every port. */
		for (unsigned int r = 0; r < wk->conf->nb_rxq; r++) {
			const struct sl_port *port = &app->ports[wk->conf->rxq[r].port_idx];

			p->rx_tx_desc += port->rx_desc ? port->rx_desc : 4096;
		}
		for (unsigned int i = 0; i < app->nb_ports; i++)
			p->rx_tx_desc += app->ports[i].tx_desc ? app->ports[i].tx_desc : 4096;
	}
	RTE_LCORE_FOREACH(lcore)
	{
		struct sl_pool_plan *p = &app->pool_plans[sl_lcore_socket(lcore)];

		p->lcores++;
	}
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		struct sl_pool_plan *p = &app->pool_plans[s];
		char name[RTE_MEMPOOL_NAMESIZE], why[512];
		size_t elt = sizeof(struct rte_mbuf) + RTE_MBUF_DEFAULT_BUF_SIZE;

		if (p->socket < 0)
			continue;
		p->cache = POOL_CACHE;
		p->burst = app->cfg.burst;
		p->in_flight = POOL_IN_FLIGHT + app->cfg.stage_mbufs;
		p->headroom = POOL_HEADROOM;
		sl_pool_plan_compute(p);
		snprintf(name, sizeof(name), "sl_mbuf_%d", s);
		app->pools[s] = rte_pktmbuf_pool_create(name, p->nb_mbufs, POOL_CACHE, 0,
							RTE_MBUF_DEFAULT_BUF_SIZE, s);
		explain(p, elt, why, sizeof(why));
		if (app->pools[s] == NULL) {
			snprintf(
			    err->msg, sizeof(err->msg),
			    "cannot create the mbuf pool on NUMA node %d (%s): %s. Fix: reserve "
			    "more hugepages (tools/hugepages.sh), give the EAL more memory "
			    "(-m / --socket-mem), or lower rx_desc/tx_desc",
			    s, rte_strerror(rte_errno), why);
			return -1;
		}
		printf("pool %s: %s\n", name, why);
	}
	return 0;
}

void sl_pools_sample(struct sl_app *app)
{
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		unsigned int in_use;

		if (app->pools[s] == NULL)
			continue;
		in_use = rte_mempool_in_use_count(app->pools[s]);
		if (in_use > app->pool_peak[s])
			app->pool_peak[s] = in_use;
	}
}

void sl_pools_free(struct sl_app *app)
{
	for (int s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		/* Workers stopped and ports closed: every mbuf should be back. */
		if (app->pools[s] != NULL && rte_mempool_in_use_count(app->pools[s]) != 0)
			SL_LOG(ERR, "pool %s: %u of %u mbufs still in use at teardown: leaked",
			       app->pools[s]->name, rte_mempool_in_use_count(app->pools[s]),
			       app->pools[s]->size);
		rte_mempool_free(app->pools[s]);
		app->pools[s] = NULL;
	}
}
