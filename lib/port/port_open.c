/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A port opened by an application that polls it from its own loop (sluice-gen):
 * one call from an ethdev name to a started port, errors in the config's style.
 */
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>

#include "sluice/sl_parse.h"
#include "sluice/sl_port.h"

#define PORT_OPEN_DESC 1024

static int port_open_fail(struct sl_error *err, const char *name, int rc)
{
	sl_error_set(err,
		     "%s: port set-up failed: %s. Fix: check the devargs; a memif client needs its "
		     "server running first (same socket=), or use role=server",
		     name, strerror(-rc));
	return -1;
}

static int port_open_queues(const struct sl_port_open_conf *conf, uint16_t pid)
{
	uint16_t rxd = conf->nb_desc ? conf->nb_desc : PORT_OPEN_DESC, txd = rxd;
	struct rte_eth_conf eth_conf;
	int socket = rte_eth_dev_socket_id(pid);
	int rc;

	memset(&eth_conf, 0, sizeof(eth_conf));
	rc = rte_eth_dev_configure(pid, conf->nb_queues, conf->nb_queues, &eth_conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &rxd, &txd);
	for (uint16_t q = 0; rc == 0 && q < conf->nb_queues; q++) {
		rc = rte_eth_rx_queue_setup(pid, q, rxd, socket, NULL, conf->rx_pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(pid, q, txd, socket, NULL);
	}
	return rc;
}

int sl_port_open(const struct sl_port_open_conf *conf, uint16_t *port_id, struct sl_error *err)
{
	struct rte_eth_dev_info info;
	uint16_t pid;
	int rc;

	if (rte_eth_dev_get_port_by_name(conf->name, &pid) != 0) {
		sl_error_set(err,
			     "%s: no ethdev of that name. Fix: give it to the EAL, e.g. --vdev "
			     "%s,role=client,socket=/tmp/x.sock, and use the same name here",
			     conf->name, conf->name);
		return -1;
	}
	rc = rte_eth_dev_info_get(pid, &info);
	if (rc != 0) {
		sl_error_set(err, "%s: cannot read device info: %s. Fix: check the device",
			     conf->name, strerror(-rc));
		return -1;
	}
	if (conf->nb_queues > info.max_rx_queues || conf->nb_queues > info.max_tx_queues) {
		sl_error_set(err,
			     "%s: %u queues asked but the device has %u rx / %u tx queues. Fix: %u "
			     "queues or fewer, or more queues in the devargs",
			     conf->name, conf->nb_queues, info.max_rx_queues, info.max_tx_queues,
			     RTE_MIN(info.max_rx_queues, info.max_tx_queues));
		return -1;
	}
	rc = port_open_queues(conf, pid);
	if (rc == 0)
		rc = rte_eth_dev_start(pid);
	if (rc != 0)
		return port_open_fail(err, conf->name, rc);
	if (conf->promiscuous)
		rte_eth_promiscuous_enable(pid); /* not every PMD has it */
	if (conf->mac != NULL)
		rte_eth_macaddr_get(pid, conf->mac);
	*port_id = pid;
	return 0;
}

void sl_port_close(uint16_t port_id)
{
	sl_port_stats_save(port_id);
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
}
