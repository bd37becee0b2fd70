/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's engine: create (pools, ports, tables, flow templates), run
 * (one run, a --search, or the TCP client), linger and destroy. The loop
 * itself is in loop.c, the results in report.c.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "engine.h"

volatile bool gen_stop;
/* Counts stop requests: --linger ends on one that arrives while lingering,
 * even when an earlier one ended the run. */
static volatile sig_atomic_t gen_stop_requests;

void gen_request_stop(void)
{
	gen_stop = true;
	gen_stop_requests = gen_stop_requests + 1;
}

/* Zero every data room once: frame padding past the payload then never
 * carries bytes of an older packet. */
static void gen_mbuf_zero(struct rte_mempool *mp, void *opaque, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;

	RTE_SET_USED(mp);
	RTE_SET_USED(opaque);
	RTE_SET_USED(idx);
	memset(m->buf_addr, 0, m->buf_len);
}

static int gen_pool_create(struct gen *g, struct sl_error *err)
{
	unsigned int per_port = g->o.queues * (2 * GEN_DESC + GEN_STAGE);
	unsigned int n = g->o.nb_ports * per_port + 4096, n_rx = n;
	char name[RTE_MEMPOOL_NAMESIZE];

	/* TCP runs on the rx pool alone, where every connection holds its
	 * unacknowledged messages (send queue) and each transmission a header. */
	if (g->o.tcp.enabled)
		n_rx += 2 * g->o.tcp.conns * g->o.tcp.depth * ((g->o.tcp.msg + 1399) / 1400);
	/* Separate rx pool: tx mbufs then only ever hold our own packets, so
	 * their bytes past the payload stay zero and need no per-packet memset
	 * (the UDP checksum and the frame padding rely on it). */
	snprintf(name, sizeof(name), "gen_rx_%d", getpid());
	g->rx_pool = rte_pktmbuf_pool_create(name, n_rx, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					     (int)rte_socket_id());
	snprintf(name, sizeof(name), "gen_%d", getpid());
	if (g->rx_pool != NULL)
		g->pool = rte_pktmbuf_pool_create(name, n, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						  (int)rte_socket_id());
	if (g->pool == NULL)
		return sl_error_set(
		    err,
		    "cannot create pools of %u (rx) and %u (tx) mbufs (%u ports x %u queues x "
		    "(2 x %u descriptors + %u staged) + 4096; rx adds 2 x conns x depth x "
		    "segments per message in TCP mode): %s. Fix: more hugepages "
		    "(tools/hugepages.sh), fewer --queues or --conns",
		    n_rx, n, g->o.nb_ports, g->o.queues, GEN_DESC, GEN_STAGE,
		    rte_strerror(rte_errno));
	rte_mempool_obj_iter(g->pool, gen_mbuf_zero, NULL);
	return 0;
}

static int gen_tables_alloc(struct gen *g, struct sl_error *err)
{
	uint64_t win = GEN_WIN_MIN;

	while (win < g->o.count && win < GEN_WIN_MAX)
		win <<= 1;
	g->win_mask = (uint32_t)(win - 1);
	g->seen = rte_zmalloc("gen_seen", win / 8, RTE_CACHE_LINE_SIZE);
	g->flows = rte_zmalloc("gen_flows", g->o.flows * sizeof(*g->flows), RTE_CACHE_LINE_SIZE);
	g->flow_next =
	    rte_zmalloc("gen_fseq", g->o.flows * sizeof(*g->flow_next), RTE_CACHE_LINE_SIZE);
	g->nb_txq = g->o.nb_ports * g->o.queues;
	g->txq = rte_zmalloc("gen_txq", g->nb_txq * sizeof(*g->txq), RTE_CACHE_LINE_SIZE);
	g->lat = rte_zmalloc("gen_lat", sizeof(*g->lat), RTE_CACHE_LINE_SIZE);
	g->lat_tick = rte_zmalloc("gen_lat1", sizeof(*g->lat_tick), RTE_CACHE_LINE_SIZE);
	g->sizes = rte_zmalloc("gen_sizes", sizeof(*g->sizes), RTE_CACHE_LINE_SIZE);
	if (g->seen == NULL || g->flows == NULL || g->flow_next == NULL || g->txq == NULL ||
	    g->lat == NULL || g->lat_tick == NULL || g->sizes == NULL)
		return sl_error_set(err,
				    "out of memory for %u flows and a %" PRIu64
				    "-packet window. Fix: more hugepages",
				    g->o.flows, win);
	for (unsigned int i = 0; i < g->o.nb_ports; i++)
		for (unsigned int q = 0; q < g->o.queues; q++) {
			g->txq[i * g->o.queues + q].port_id = g->port_id[i];
			g->txq[i * g->o.queues + q].queue = (uint16_t)q;
		}
	return 0;
}

/* Flow templates and the size table, once the ports' MACs are known. */
static int gen_templates_build(struct gen *g, struct sl_error *err)
{
	const struct gen_opts *o = &g->o;

	if (gen_flows_build(o, g->port_mac, g->flows, err) < 0)
		return -1;
	for (unsigned int f = 0; f < o->flows; f++)
		g->any_drop |= g->flows[f].expect_drop;
	if (gen_sizes_build(g->sizes, o->size_mode, o->size_min, o->size_max, o->seed) < 0)
		return sl_error_set(err,
				    "--size %u-%u: not a size range. Fix: 64 <= A <= B <= 1518",
				    o->size_min, o->size_max);
	gen_hist_reset(g->lat);
	gen_hist_reset(g->lat_tick);
	return 0;
}

int gen_create(struct gen **out, const struct gen_opts *o, struct sl_error *err)
{
	struct gen *g;

	*out = NULL;
	g = rte_zmalloc("sl_gen", sizeof(*g), RTE_CACHE_LINE_SIZE);
	if (g == NULL)
		return sl_error_set(err, "out of memory. Fix: more hugepages");
	*out = g;
	g->o = *o;
	g->hz = rte_get_timer_hz();
	g->found_rate = -1;
	if (gen_pool_create(g, err) < 0 || gen_ports_open(g, err) < 0 ||
	    gen_tables_alloc(g, err) < 0 || gen_templates_build(g, err) < 0)
		return -1;
	return gen_links_wait(g, err);
}

int gen_run(struct gen *g, struct sl_error *err)
{
	bool pass;
	const char *verdict;

	if (g->o.tcp.enabled)
		return gen_tcp_run(&g->o, g->port_id[0], g->rx_pool, err);
	if (g->o.search) {
		gen_search(g);
		pass = g->found_rate >= 0;
	} else {
		gen_loop(g, &g->o.rate, g->o.duration, g->o.count);
		pass =
		    gen_verify_failed(g) == 0 && g->c.bad == 0 && g->c.dups == 0 && gen_loss_ok(g);
	}
	verdict = pass ? "pass" : "fail";
	gen_summary(g, stdout, verdict);
	if (!pass)
		gen_failed_line(g);
	if (g->o.json != NULL && gen_json(g, g->o.json, verdict, err) < 0)
		return GEN_EXIT_FAILED;
	return pass ? GEN_EXIT_OK : GEN_EXIT_FAILED;
}

void gen_linger(struct gen *g)
{
	sig_atomic_t requests = gen_stop_requests;
	uint64_t deadline;

	if (g == NULL || g->o.linger_s == 0)
		return;
	deadline = rte_get_timer_cycles() + (uint64_t)g->o.linger_s * rte_get_timer_hz();
	/* Scripts wait for this line before stopping the peer. */
	printf("run over: holding the ports, not polled, until the peer leaves (at most %u s)\n",
	       g->o.linger_s);
	fflush(stdout);
	while (gen_links_up(g) > 0 && gen_stop_requests == requests &&
	       rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(10000);
	printf("peer %s\n", gen_links_up(g) == 0 ? "left" : "still there: closing anyway");
	fflush(stdout);
}

void gen_destroy(struct gen *g)
{
	if (g == NULL)
		return;
	if (g->txq != NULL)
		gen_unstage(g);
	gen_ports_close(g);
	rte_free(g->txq);
	rte_free(g->flow_next);
	rte_free(g->flows);
	rte_free(g->seen);
	rte_free(g->lat);
	rte_free(g->lat_tick);
	rte_free(g->sizes);
	rte_mempool_free(g->pool);
	rte_mempool_free(g->rx_pool);
	rte_free(g);
}
