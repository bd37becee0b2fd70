/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/port's structures and calls for the rest of lib/. Not installed. */
#ifndef SLUICE_PORT_PORT_PRIV_H
#define SLUICE_PORT_PORT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "sluice/sl_config.h"
#include "sluice/sl_parse.h"

struct sl_app;

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

#endif /* SLUICE_PORT_PORT_PRIV_H */
