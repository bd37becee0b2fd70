/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's ports: opened and closed through lib/port (sl_port_open), and
 * their links, waited for before sending and after the run (--linger). */
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "engine.h"
#include "sluice/sl_port.h"

int gen_ports_open(struct gen *g, struct sl_error *err)
{
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct sl_port_open_conf conf = {
		    .name = g->o.ports[i],
		    .nb_queues = (uint16_t)g->o.queues,
		    .nb_desc = GEN_DESC,
		    .rx_pool = g->rx_pool,
		    .promiscuous = true,
		    .mac = &g->port_mac[i],
		};
		struct sl_error port_err;

		if (sl_port_open(&conf, &g->port_id[i], &port_err) < 0)
			return sl_error_set(err, "--ports %s", port_err.msg);
		g->started[i] = true;
	}
	return 0;
}

void gen_ports_close(struct gen *g)
{
	/* A memif peer that just left may still be being torn down. */
	sl_port_ctrl_barrier();
	for (unsigned int i = 0; i < g->o.nb_ports; i++)
		if (g->started[i]) {
			sl_port_close(g->port_id[i]);
			g->started[i] = false;
		}
}

/* Started ports whose link is up. */
unsigned int gen_links_up(const struct gen *g)
{
	unsigned int up = 0;

	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_link link;

		if (g->started[i] && rte_eth_link_get_nowait(g->port_id[i], &link) == 0 &&
		    link.link_status)
			up++;
	}
	return up;
}

/* memif links come up only when the peer connects: do not send before. */
int gen_links_wait(struct gen *g, struct sl_error *err)
{
	uint64_t deadline = rte_get_timer_cycles() + (uint64_t)g->o.link_wait_s * g->hz;

	/* Scripts wait for this line before starting a memif peer. */
	printf("ports ready, waiting up to %u s for link up\n", g->o.link_wait_s);
	fflush(stdout);
	for (;;) {
		if (gen_links_up(g) == g->o.nb_ports) {
			if (g->o.start_delay_ms)
				rte_delay_us_sleep(g->o.start_delay_ms * 1000u);
			return 0;
		}
		if (gen_stop || rte_get_timer_cycles() > deadline)
			break;
		rte_delay_us_sleep(10000);
	}
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_link link;

		if (rte_eth_link_get_nowait(g->port_id[i], &link) == 0 && !link.link_status)
			return sl_error_set(
			    err,
			    "--ports %s: link still down after %u s. Fix: start the "
			    "peer (memif: the other side with the same socket=) or "
			    "raise --link-wait",
			    g->o.ports[i], g->o.link_wait_s);
	}
	return sl_error_set(err, "stopped while waiting for the links. Fix: let the run start");
}
