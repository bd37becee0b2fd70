/* SPDX-License-Identifier: BSD-3-Clause */
/* Machine topology from hwloc: NUMA nodes, cores, caches and where each
 * PCI NIC sits, so workers can be placed next to their ports. */
#include <stdio.h>
#include <string.h>

#include <hwloc.h>
#include <numa.h>
#include <rte_bus_pci.h>
#include <rte_lcore.h>

#include "core/app_priv.h"

int sl_lcore_socket(unsigned int lcore)
{
	unsigned int socket = rte_lcore_to_socket_id(lcore);

	return socket >= RTE_MAX_NUMA_NODES ? 0 : (int)socket;
}

int sl_topology_init(struct sl_app *app)
{
	hwloc_topology_t topo;

	if (hwloc_topology_init(&topo) < 0)
		return -1;
	hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
	if (hwloc_topology_load(topo) < 0) {
		hwloc_topology_destroy(topo);
		return -1;
	}
	app->topology = topo;
	return 0;
}

/* NUMA node of a PCI device according to hwloc, or -1 (vdevs, unknown). */
static int pci_numa_node(hwloc_topology_t topo, const char *busid)
{
	hwloc_obj_t dev = hwloc_get_pcidev_by_busidstring(topo, busid);
	hwloc_obj_t parent;

	if (dev == NULL)
		return -1;
	parent = hwloc_get_non_io_ancestor_obj(topo, dev);
	if (parent == NULL || parent->nodeset == NULL || hwloc_bitmap_weight(parent->nodeset) != 1)
		return -1;
	return hwloc_bitmap_first(parent->nodeset);
}

void sl_topology_print(struct sl_app *app)
{
	hwloc_topology_t topo = app->topology;
	int nodes, cores, pus;
	hwloc_obj_t l3;

	if (topo == NULL)
		return;
	nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	l3 = hwloc_get_obj_by_type(topo, HWLOC_OBJ_L3CACHE, 0);
	printf(
	    "topology: %d NUMA node(s) (libnuma: %s), %d cores, %d hardware threads, L3 %llu KiB\n",
	    nodes, numa_available() < 0 ? "unavailable" : "available", cores, pus,
	    l3 && l3->attr ? (unsigned long long)l3->attr->cache.size / 1024 : 0ULL);

	for (unsigned int i = 0; i < app->nb_ports; i++) {
		struct sl_port *port = &app->ports[i];
		const char *busid = port->info.device ? rte_dev_name(port->info.device) : NULL;
		int node = busid ? pci_numa_node(topo, busid) : -1;

		if (port->socket < 0 && node >= 0)
			port->socket = node;
	}
	/* Warn about remote polling: every packet would cross the interconnect. */
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker *wk = app->workers[w];

		for (unsigned int r = 0; r < wk->conf->nb_rxq; r++) {
			const struct sl_port *port = &app->ports[wk->conf->rxq[r].port_idx];

			if (port->socket >= 0 && port->socket != wk->info.socket)
				SL_LOG(
				    WARNING,
				    "worker lcore %u (node %d) polls port %s on node %d: "
				    "remote memory on every packet. Fix: use an lcore on node %d",
				    wk->info.lcore, wk->info.socket, port->conf->name, port->socket,
				    port->socket);
		}
	}
}

void sl_topology_fini(struct sl_app *app)
{
	if (app->topology != NULL)
		hwloc_topology_destroy((hwloc_topology_t)app->topology);
	app->topology = NULL;
}
