/* SPDX-License-Identifier: BSD-3-Clause */
/* /sluice/ports, /sluice/workers, /sluice/stages for dpdk-telemetry.py.
 * Callbacks run on DPDK's telemetry thread and only read counters. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "core/app_priv.h"
#include "sluice/sl_port.h"
#include "stats_priv.h"

/* The app the commands describe; the lock keeps sl_app_destroy from freeing
 * it while a command (on the telemetry thread) reads it. */
static struct sl_app *tel_app;
static rte_spinlock_t tel_lock = RTE_SPINLOCK_INITIALIZER;

/* DPDK 22.11 rejects (with -EINVAL, easy to miss) dictionary names with
 * anything but [A-Za-z0-9_/]; graph node names ("macswap-echo") and config
 * port names may contain '-' or '.', so map those to '_'. */
static void tel_key(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++) {
		char c = src[i];

		dst[i] = (isalnum((unsigned char)c) || c == '_' || c == '/') ? c : '_';
	}
	dst[i] = '\0';
}

static int tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	for (unsigned int i = 0; tel_app && i < tel_app->nb_ports; i++) {
		struct rte_tel_data *p = rte_tel_data_alloc();
		struct rte_eth_stats es;
		char key[RTE_TEL_MAX_STRING_LEN];

		if (p == NULL)
			return -ENOMEM;
		memset(&es, 0, sizeof(es));
		sl_port_stats_get(tel_app->ports[i].port_id, &es);
		rte_tel_data_start_dict(p);
		rte_tel_data_add_dict_u64(p, "port_id", tel_app->ports[i].port_id);
		rte_tel_data_add_dict_string(p, "driver", tel_app->ports[i].info.driver_name);
		rte_tel_data_add_dict_u64(p, "rx", es.ipackets);
		rte_tel_data_add_dict_u64(p, "tx", es.opackets);
		rte_tel_data_add_dict_u64(p, "rx_missed", es.imissed);
		rte_tel_data_add_dict_u64(p, "rx_errors", es.ierrors);
		rte_tel_data_add_dict_u64(p, "tx_errors", es.oerrors);
		tel_key(key, sizeof(key), tel_app->ports[i].conf->name);
		rte_tel_data_add_dict_container(d, key, p, 0);
	}
	return 0;
}

static void add_ratio(struct rte_tel_data *d, const char *name, uint64_t num, uint64_t den)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.2f", den ? (double)num / (double)den : 0.0);
	rte_tel_data_add_dict_string(d, name, buf);
}

static int tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	for (unsigned int i = 0; tel_app && i < tel_app->nb_workers; i++) {
		const struct sl_worker *w = tel_app->workers[i];
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct sl_worker_totals t;
		char name[32];

		if (c == NULL)
			return -ENOMEM;
		sl_worker_totals(w, &t);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "socket", w->info.socket);
		rte_tel_data_add_dict_u64(c, "rx", t.rx);
		rte_tel_data_add_dict_u64(c, "tx", t.tx);
		rte_tel_data_add_dict_u64(c, "tx_full_drops", t.tx_dropped);
		rte_tel_data_add_dict_u64(c, "stage_drops", t.dropped);
		rte_tel_data_add_dict_u64(c, "busy_cycles", t.busy_cycles);
		rte_tel_data_add_dict_u64(c, "busy_loop_cycles", t.busy_loop_cycles);
		rte_tel_data_add_dict_u64(c, "idle_cycles", t.idle_cycles);
		add_ratio(c, "busy_cycles_per_pkt", t.busy_cycles, t.rx);
		snprintf(name, sizeof(name), "lcore%u", w->info.lcore);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	return 0;
}

static int tel_stages(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	for (unsigned int i = 0; tel_app && i < tel_app->nb_workers; i++) {
		const struct sl_worker *w = tel_app->workers[i];

		for (unsigned int p = 0; p < tel_app->cfg.nb_pipelines; p++) {
			for (unsigned int s = 0; s < tel_app->cfg.pipelines[p].nb_stages; s++) {
				struct sl_stage_stats st;
				struct rte_tel_data *c;
				const char *const *names;
				char key[RTE_TEL_MAX_STRING_LEN], raw[RTE_TEL_MAX_STRING_LEN];
				uint64_t counters[SL_STAGE_COUNTERS_MAX];
				unsigned int nb_counters = 0;

				if (sl_stage_stats_get(w, p, s, &st) < 0)
					continue;
				/* Read the stage's counters right after its graph
				 * counters, before anything that may allocate or
				 * block: under traffic the two still differ by what
				 * the worker did in between (not atomic). */
				names = st.slot->ops->counters;
				for (; names && nb_counters < SL_STAGE_COUNTERS_MAX &&
				       names[nb_counters];
				     nb_counters++)
					counters[nb_counters] = st.inst->counters[nb_counters];
				c = rte_tel_data_alloc();
				if (c == NULL)
					return -ENOMEM;
				rte_tel_data_start_dict(c);
				rte_tel_data_add_dict_u64(c, "calls", st.calls);
				rte_tel_data_add_dict_u64(c, "objs", st.objs);
				rte_tel_data_add_dict_u64(c, "cycles", st.cycles);
				add_ratio(c, "cycles_per_pkt", st.cycles, st.objs);
				for (unsigned int k = 0; k < nb_counters; k++)
					rte_tel_data_add_dict_u64(c, names[k], counters[k]);
				snprintf(raw, sizeof(raw), "lcore%u/%s", w->info.lcore,
					 st.slot->node_name);
				tel_key(key, sizeof(key), raw);
				rte_tel_data_add_dict_container(d, key, c, 0);
			}
		}
	}
	return 0;
}

/* Each command under tel_lock: the app cannot go away while it is read. */
#define TEL_LOCKED(fn)                                                                             \
	static int fn##_locked(const char *cmd, const char *params, struct rte_tel_data *d)        \
	{                                                                                          \
		int rc;                                                                            \
                                                                                                   \
		rte_spinlock_lock(&tel_lock);                                                      \
		rc = fn(cmd, params, d);                                                           \
		rte_spinlock_unlock(&tel_lock);                                                    \
		return rc;                                                                         \
	}
TEL_LOCKED(tel_ports)
TEL_LOCKED(tel_workers)
TEL_LOCKED(tel_stages)

void sl_telemetry_unregister(struct sl_app *app)
{
	rte_spinlock_lock(&tel_lock);
	if (tel_app == app)
		tel_app = NULL;
	rte_spinlock_unlock(&tel_lock);
}

int sl_telemetry_register(struct sl_app *app)
{
	static bool registered;

	rte_spinlock_lock(&tel_lock);
	tel_app = app;
	rte_spinlock_unlock(&tel_lock);
	if (registered)
		return 0;
	registered = true;
	if (rte_telemetry_register_cmd("/sluice/ports", tel_ports_locked,
				       "sluice ports: ethdev rx/tx/missed/errors. No parameters") ||
	    rte_telemetry_register_cmd("/sluice/workers", tel_workers_locked,
				       "sluice workers: rx/tx/drops/busy cycles. No parameters") ||
	    rte_telemetry_register_cmd("/sluice/stages", tel_stages_locked,
				       "sluice stages per worker: calls/objs/cycles, cycles per "
				       "packet, counters. No parameters"))
		return -1;
	return 0;
}
