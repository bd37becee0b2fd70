/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's engine: port setup, the send/receive loop on one lcore, and
 * the summary. Everything the loop touches (flow templates, the sequence
 * bitmap, per-flow state, tx staging) is allocated before it starts.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "gen_priv.h"
#include "sluice/sl_port.h"

#define GEN_DESC 1024
#define GEN_MAX_BURST 256
/* Room to hold packets the PMD refused, so they go out later instead of
 * being dropped (and miscounted as loss). */
#define GEN_STAGE (2 * GEN_MAX_BURST)
/* Sequence window for loss and duplicate detection: at least 1 Mi packets,
 * at most 128 Mi (16 MiB of bitmap). Beyond it the bits are reused. */
#define GEN_WIN_MIN (1u << 20)
#define GEN_WIN_MAX (1u << 27)

struct gen_txq {
	uint16_t n;
	uint16_t port_id;
	uint16_t queue;
	struct rte_mbuf *pkts[GEN_STAGE];
	uint16_t flow[GEN_STAGE];
};

struct gen_counts {
	uint64_t sent, sent_back, sent_drop; /* sent_back: expected to return */
	uint64_t received, unique, dups, reordered, bad, late;
	uint64_t written_off; /* --window: in flight too long, no longer waited for */
	uint64_t built_bytes, unsent_bytes, rx_bytes; /* frame bytes incl. FCS */
	uint64_t verify[SL_GEN_NB_VERIFY];
	uint64_t port_tx[SL_GEN_MAX_PORTS], port_rx[SL_GEN_MAX_PORTS];
	/* Gaps of more than GEN_STALL_US between two turns of the send/receive
	 * loop: the generator's core was taken (a VM's vCPU descheduled, another
	 * thread on the core). They explain a rate short of the target and
	 * latency spikes that are not the DUT's. */
	uint64_t stalls, stall_cycles, stall_max;
};

#define GEN_STALL_US 500
#define GEN_CATCH_UP_US 100 /* least backlog the pacer makes up (gen_loop) */

/* One trial of --search (or the single run otherwise). */
struct gen_trial {
	double rate_value; /* in the unit of opts.rate.kind */
	double target_pps, tx_pps, rx_pps, loss_pct;
	double stalled_ms; /* gaps in the loop: the core was taken (gen_counts) */
	uint64_t sent, lost;
	uint64_t p50, p99, max; /* latency, cycles */
	bool pass;
};
#define GEN_MAX_TRIALS 40

struct sl_gen {
	struct sl_gen_opts o;
	uint16_t port_id[SL_GEN_MAX_PORTS];
	bool started[SL_GEN_MAX_PORTS];
	struct rte_ether_addr port_mac[SL_GEN_MAX_PORTS];
	struct rte_mempool *pool;    /* tx: data rooms zeroed, only our packets */
	struct rte_mempool *rx_pool; /* rx: whatever the peer sends */
	struct sl_gen_flow *flows;
	uint32_t *flow_next; /* per flow: highest seq seen + 1 (0: none yet) */
	uint64_t *seen;	     /* bitmap over seq & win_mask */
	uint32_t win_mask;
	unsigned int nb_txq;
	struct gen_txq *txq; /* [tx port idx * queues + queue] */
	struct gen_counts c;
	struct sl_gen_hist *lat;      /* whole run (or trial) */
	struct sl_gen_hist *lat_tick; /* current per-second line */
	struct sl_gen_sizes *sizes;
	uint32_t size_idx, flow_cur;
	bool any_drop; /* some flow should be dropped by the DUT */
	struct sl_gen_rate run_rate;
	uint64_t hz, start_tsc, end_send_tsc, end_tsc;
	unsigned int nb_trials;
	struct gen_trial trials[GEN_MAX_TRIALS];
	double found_rate; /* --search result, rate.kind units; < 0 none */
};

static volatile bool gen_stop;
/* Counts stop requests: --linger ends on one that arrives while lingering,
 * even when an earlier one ended the run. */
static volatile sig_atomic_t gen_stop_requests;

void sl_gen_request_stop(void)
{
	gen_stop = true;
	gen_stop_requests = gen_stop_requests + 1;
}

static int gen_fail(const struct sl_gen *g, const char *fmt, ...) __rte_format_printf(2, 3);
static int gen_fail(const struct sl_gen *g, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", g->o.prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
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

static int gen_pool_create(struct sl_gen *g)
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
	snprintf(name, sizeof(name), "sl_gen_rx_%d", getpid());
	g->rx_pool = rte_pktmbuf_pool_create(name, n_rx, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					     (int)rte_socket_id());
	snprintf(name, sizeof(name), "sl_gen_%d", getpid());
	if (g->rx_pool != NULL)
		g->pool = rte_pktmbuf_pool_create(name, n, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						  (int)rte_socket_id());
	if (g->pool == NULL)
		return gen_fail(
		    g,
		    "cannot create pools of %u (rx) and %u (tx) mbufs (%u ports x %u queues x "
		    "(2 x %u descriptors + %u staged) + 4096; rx adds 2 x conns x depth x "
		    "segments per message in TCP mode): %s. Fix: more hugepages "
		    "(tools/hugepages.sh), fewer --queues or --conns",
		    n_rx, n, g->o.nb_ports, g->o.queues, GEN_DESC, GEN_STAGE,
		    rte_strerror(rte_errno));
	rte_mempool_obj_iter(g->pool, gen_mbuf_zero, NULL);
	return 0;
}

static int gen_port_setup(struct sl_gen *g, unsigned int i)
{
	const char *name = g->o.ports[i];
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t pid, rxd = GEN_DESC, txd = GEN_DESC;
	int rc;

	if (rte_eth_dev_get_port_by_name(name, &pid) != 0)
		return gen_fail(
		    g,
		    "no ethdev named '%s'. Fix: give it to the EAL, e.g. --vdev "
		    "%s,role=client,socket=/tmp/x.sock, and use the same name in --ports",
		    name, name);
	g->port_id[i] = pid;
	rc = rte_eth_dev_info_get(pid, &info);
	if (rc != 0)
		return gen_fail(g, "%s: cannot read device info: %s", name, strerror(-rc));
	if (g->o.queues > info.max_rx_queues || g->o.queues > info.max_tx_queues)
		return gen_fail(g,
				"%s: --queues %u but the device has %u rx / %u tx queues. Fix: "
				"--queues %u or more queues in the devargs",
				name, g->o.queues, info.max_rx_queues, info.max_tx_queues,
				RTE_MIN(info.max_rx_queues, info.max_tx_queues));
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(pid, (uint16_t)g->o.queues, (uint16_t)g->o.queues, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &rxd, &txd);
	for (unsigned int q = 0; rc == 0 && q < g->o.queues; q++) {
		rc = rte_eth_rx_queue_setup(pid, (uint16_t)q, rxd, rte_eth_dev_socket_id(pid), NULL,
					    g->rx_pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(pid, (uint16_t)q, txd,
						    rte_eth_dev_socket_id(pid), NULL);
	}
	if (rc == 0)
		rc = rte_eth_dev_start(pid);
	if (rc != 0)
		return gen_fail(g,
				"%s: port setup with %u queue(s) failed: %s. Fix: check the "
				"devargs; a memif client needs its server running first (same "
				"socket=), or use role=server",
				name, g->o.queues, strerror(-rc));
	g->started[i] = true;
	rte_eth_promiscuous_enable(pid); /* not every PMD has it: ignore failure */
	rte_eth_macaddr_get(pid, &g->port_mac[i]);
	return 0;
}

/* Started ports whose link is up. */
static unsigned int gen_links_up(const struct sl_gen *g)
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
static int gen_links_wait(struct sl_gen *g)
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
			gen_fail(g,
				 "%s: link still down after %u s. Fix: start the peer (memif: the "
				 "other side with the same socket=) or raise --link-wait",
				 g->o.ports[i], g->o.link_wait_s);
	}
	return -1;
}

static int gen_tables_alloc(struct sl_gen *g)
{
	uint64_t win = GEN_WIN_MIN;
	unsigned int ntx = 0;

	while (win < g->o.count && win < GEN_WIN_MAX)
		win <<= 1;
	g->win_mask = (uint32_t)(win - 1);
	g->seen = rte_zmalloc("sl_gen_seen", win / 8, RTE_CACHE_LINE_SIZE);
	g->flows = rte_zmalloc("sl_gen_flows", g->o.flows * sizeof(*g->flows), RTE_CACHE_LINE_SIZE);
	g->flow_next =
	    rte_zmalloc("sl_gen_fseq", g->o.flows * sizeof(*g->flow_next), RTE_CACHE_LINE_SIZE);
	for (unsigned int i = 0; i < g->o.nb_ports; i++)
		ntx += !!(g->o.tx_mask & (1u << i));
	g->nb_txq = g->o.nb_ports * g->o.queues;
	g->txq = rte_zmalloc("sl_gen_txq", g->nb_txq * sizeof(*g->txq), RTE_CACHE_LINE_SIZE);
	g->lat = rte_zmalloc("sl_gen_lat", sizeof(*g->lat), RTE_CACHE_LINE_SIZE);
	g->lat_tick = rte_zmalloc("sl_gen_lat1", sizeof(*g->lat_tick), RTE_CACHE_LINE_SIZE);
	g->sizes = rte_zmalloc("sl_gen_sizes", sizeof(*g->sizes), RTE_CACHE_LINE_SIZE);
	if (g->seen == NULL || g->flows == NULL || g->flow_next == NULL || g->txq == NULL ||
	    g->lat == NULL || g->lat_tick == NULL || g->sizes == NULL)
		return gen_fail(g,
				"out of memory for %u flows and a %" PRIu64
				"-packet window. Fix: more hugepages",
				g->o.flows, win);
	for (unsigned int i = 0; i < g->o.nb_ports; i++)
		for (unsigned int q = 0; q < g->o.queues; q++) {
			g->txq[i * g->o.queues + q].port_id = g->port_id[i];
			g->txq[i * g->o.queues + q].queue = (uint16_t)q;
		}
	RTE_SET_USED(ntx);
	return 0;
}

int sl_gen_create(struct sl_gen **out, const struct sl_gen_opts *o)
{
	struct sl_gen *g;

	*out = NULL;
	g = rte_zmalloc("sl_gen", sizeof(*g), RTE_CACHE_LINE_SIZE);
	if (g == NULL) {
		fprintf(stderr, "%s: out of memory. Fix: more hugepages\n", o->prog);
		return -1;
	}
	*out = g;
	g->o = *o;
	g->hz = rte_get_timer_hz();
	g->found_rate = -1;
	if (gen_pool_create(g) < 0)
		return -1;
	for (unsigned int i = 0; i < o->nb_ports; i++)
		if (gen_port_setup(g, i) < 0)
			return -1;
	if (gen_tables_alloc(g) < 0)
		return -1;
	if (sl_gen_flows_build(&g->o, g->port_mac, g->flows) < 0)
		return -1;
	for (unsigned int f = 0; f < o->flows; f++)
		g->any_drop |= g->flows[f].expect_drop;
	if (sl_gen_sizes_build(g->sizes, o->size_mode, o->size_min, o->size_max, o->seed) < 0)
		return gen_fail(g, "bad --size range %u-%u. Fix: 64 <= A <= B <= 1518", o->size_min,
				o->size_max);
	sl_gen_hist_reset(g->lat);
	sl_gen_hist_reset(g->lat_tick);
	return gen_links_wait(g);
}

/* ---- data path ---- */

static inline void gen_check_pkt(struct sl_gen *g, struct rte_mbuf *m, unsigned int rx_idx,
				 uint64_t now)
{
	struct gen_counts *c = &g->c;
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)p;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct sl_gen_flow *fl;
	struct sl_gen_payload pl;
	uint64_t lat, *word, bit;

	c->received++;
	if (unlikely(rte_pktmbuf_data_len(m) < SL_GEN_HDR_LEN + sizeof(pl) ||
		     eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
		     ip->version_ihl != RTE_IPV4_VHL_DEF)) {
		c->bad++;
		return;
	}
	memcpy(&pl, p + SL_GEN_HDR_LEN, sizeof(pl));
	/* A seq we have not built yet is garbage too (while seq fits 32 bits). */
	if (unlikely(pl.magic != SL_GEN_MAGIC || pl.flow >= g->o.flows ||
		     (c->sent < (1ULL << 31) && pl.seq >= c->sent + GEN_STAGE * g->nb_txq))) {
		c->bad++;
		return;
	}
	fl = &g->flows[pl.flow];
	c->port_rx[rx_idx]++;
	c->rx_bytes += rte_pktmbuf_pkt_len(m) + SL_GEN_FCS;
	/* A TSC from before this run (a late packet of the previous trial)
	 * would wrap: count it as 0 rather than as centuries. */
	lat = now > pl.tsc ? now - pl.tsc : 0;
	sl_gen_hist_record(g->lat, lat);
	sl_gen_hist_record(g->lat_tick, lat);

	word = &g->seen[(pl.seq & g->win_mask) >> 6];
	bit = 1ULL << (pl.seq & 63);
	if (unlikely(*word & bit)) {
		c->dups++;
	} else {
		*word |= bit;
		/* Only packets that should return count against loss. */
		c->unique += !fl->expect_drop;
	}
	/* Reordering is per flow: a multi-queue DUT may reorder across flows. */
	if (unlikely(pl.seq + 1 < g->flow_next[pl.flow]))
		c->reordered++;
	else
		g->flow_next[pl.flow] = pl.seq + 1;

	if (g->o.expect == SL_GEN_EXPECT_NONE)
		return;
	if (unlikely(fl->expect_drop)) {
		c->verify[V_UNEXPECTED]++;
		return;
	}
	if (unlikely(rx_idx != fl->rx_idx))
		c->verify[V_WRONG_PORT]++;
	if (unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &fl->exp_dst)))
		c->verify[V_DST_MAC]++;
	if (unlikely(fl->check_src && !rte_is_same_ether_addr(&eth->src_addr, &fl->exp_src)))
		c->verify[V_SRC_MAC]++;
	if (g->o.ttl_dec >= 0 && unlikely(ip->time_to_live != fl->ttl_back))
		c->verify[V_TTL]++;
	/* A valid header sums to 0xffff including its checksum field. */
	if (unlikely(rte_raw_cksum(ip, sizeof(*ip)) != 0xffff))
		c->verify[V_CKSUM]++;
}

static inline void gen_rx(struct sl_gen *g)
{
	struct rte_mbuf *pkts[GEN_MAX_BURST];

	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		if (!(g->o.rx_mask & (1u << i)))
			continue;
		for (unsigned int q = 0; q < g->o.queues; q++) {
			uint16_t n = rte_eth_rx_burst(g->port_id[i], (uint16_t)q, pkts,
						      (uint16_t)g->o.burst);
			uint64_t now;

			if (n == 0)
				continue;
			now = rte_rdtsc();
			for (uint16_t k = 0; k < n; k++)
				gen_check_pkt(g, pkts[k], i, now);
			rte_pktmbuf_free_bulk(pkts, n);
		}
	}
}

/* Build up to `want` packets into the staging queues. Returns how many;
 * *bytes gets their frame bytes (incl. FCS). */
static inline unsigned int gen_build(struct sl_gen *g, unsigned int want, uint64_t *seq,
				     uint64_t *bytes)
{
	struct rte_mbuf *m[GEN_MAX_BURST];
	const struct sl_gen_sizes *sz = g->sizes;
	const bool fixed = sz->n == 1, csum = g->o.udp_cksum, track = g->o.rx_mask != 0;
	struct sl_gen_payload pl = {.magic = SL_GEN_MAGIC};
	uint32_t si = g->size_idx, f = g->flow_cur;
	uint64_t b = 0;
	unsigned int k;

	if (rte_pktmbuf_alloc_bulk(g->pool, m, want) != 0)
		return 0; /* pool empty for now: the DUT holds mbufs; retry next loop */
	/* One TSC read per burst: the packets of a burst leave together. */
	pl.tsc = rte_rdtsc();
	for (k = 0; k < want; k++) {
		const struct sl_gen_flow *fl = &g->flows[f];
		struct gen_txq *tq = &g->txq[fl->tx_idx * g->o.queues + fl->tx_queue];
		uint16_t size = sz->size[si];
		uint16_t len = (uint16_t)(size - SL_GEN_FCS);

		if (unlikely(tq->n == GEN_STAGE))
			break; /* the PMD is not taking packets: stop building */
		pl.seq = (uint32_t)*seq;
		pl.flow = (uint16_t)f;
		sl_gen_pkt_write(rte_pktmbuf_mtod(m[k], uint8_t *), fl, len, &pl, fixed, csum);
		m[k]->data_len = len;
		m[k]->pkt_len = len;
		b += size;
		/* The slot may hold a bit of seq - window: clear it for reuse. */
		if (track)
			g->seen[(pl.seq & g->win_mask) >> 6] &= ~(1ULL << (pl.seq & 63));
		tq->pkts[tq->n] = m[k];
		tq->flow[tq->n++] = (uint16_t)f;
		(*seq)++;
		/* Cursors instead of seq % flows: no division per packet. */
		if (++f == g->o.flows)
			f = 0;
		if (++si == sz->n)
			si = 0;
	}
	g->size_idx = si;
	g->flow_cur = f;
	if (k < want)
		rte_pktmbuf_free_bulk(&m[k], want - k);
	*bytes = b;
	return k;
}

static inline void gen_flush(struct sl_gen *g)
{
	for (unsigned int t = 0; t < g->nb_txq; t++) {
		struct gen_txq *tq = &g->txq[t];
		uint16_t sent;

		if (tq->n == 0)
			continue;
		sent = rte_eth_tx_burst(tq->port_id, tq->queue, tq->pkts, tq->n);
		/* A tx queue belongs to one port; only ip4 checks need the
		 * per-packet walk (flows the DUT must drop). */
		g->c.port_tx[g->flows[tq->flow[0]].tx_idx] += sent;
		if (unlikely(g->any_drop)) {
			for (uint16_t k = 0; k < sent; k++) {
				if (g->flows[tq->flow[k]].expect_drop)
					g->c.sent_drop++;
				else
					g->c.sent_back++;
			}
		} else {
			g->c.sent_back += sent;
		}
		g->c.sent += sent;
		if (sent < tq->n) {
			memmove(tq->pkts, tq->pkts + sent, (tq->n - sent) * sizeof(tq->pkts[0]));
			memmove(tq->flow, tq->flow + sent, (tq->n - sent) * sizeof(tq->flow[0]));
		}
		tq->n = (uint16_t)(tq->n - sent);
	}
}

static unsigned int gen_staged(const struct sl_gen *g)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < g->nb_txq; t++)
		n += g->txq[t].n;
	return n;
}

static void gen_unstage(struct sl_gen *g)
{
	for (unsigned int t = 0; t < g->nb_txq; t++) {
		for (unsigned int k = 0; k < g->txq[t].n; k++)
			g->c.unsent_bytes += g->txq[t].pkts[k]->pkt_len + SL_GEN_FCS;
		if (g->txq[t].n)
			rte_pktmbuf_free_bulk(g->txq[t].pkts, g->txq[t].n);
		g->txq[t].n = 0;
	}
}

static uint64_t gen_lost(const struct sl_gen *g)
{
	if (g->o.rx_mask == 0)
		return 0; /* tx only: nothing is expected back */
	return g->c.sent_back > g->c.unique ? g->c.sent_back - g->c.unique : 0;
}

static uint64_t gen_sent_bytes(const struct sl_gen *g)
{
	/* Built minus never sent; packets staged right now count as sent (at
	 * most GEN_STAGE per queue, only in the per-second line). */
	return g->c.built_bytes - g->c.unsent_bytes;
}

/* Gbps on the wire: frame bytes plus preamble and inter-frame gap. */
static double gen_wire_gbps(uint64_t bytes, uint64_t pkts, double s)
{
	return s > 0 ? (double)(bytes + pkts * SL_GEN_WIRE_OVERHEAD) * 8 / s / 1e9 : 0;
}

static double gen_us(const struct sl_gen *g, uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)g->hz;
}

/* " | stalled N ms (K gaps)" for an interval line, or "" when the loop ran
 * without a gap since `prev`. */
static const char *gen_stall_note(const struct sl_gen *g, const struct gen_counts *prev, char *buf,
				  size_t len)
{
	uint64_t n = g->c.stalls - prev->stalls;

	if (n == 0)
		return "";
	snprintf(buf, len, " | stalled %.1f ms (%" PRIu64 " gaps)",
		 gen_us(g, g->c.stall_cycles - prev->stall_cycles) / 1000, n);
	return buf;
}

static void gen_interval_line(struct sl_gen *g, uint64_t now, struct gen_counts *prev,
			      uint64_t *prev_tsc)
{
	double dt = (double)(now - *prev_tsc) / (double)g->hz;
	uint64_t dtx = g->c.sent - prev->sent, drx = g->c.received - prev->received;
	uint64_t dtxb = gen_sent_bytes(g) - (prev->built_bytes - prev->unsent_bytes);
	char stalled[64];

	printf("[%7.1f s] tx %.3f Mpps %.3f Gbps | rx %.3f Mpps %.3f Gbps | lat p50 %.1f p99 "
	       "%.1f us | sent %" PRIu64 " received %" PRIu64 " lost %" PRIu64 " bad %" PRIu64
	       " verify_failed %" PRIu64 "%s\n",
	       (double)(now - g->start_tsc) / (double)g->hz, (double)dtx / dt / 1e6,
	       gen_wire_gbps(dtxb, dtx, dt), (double)drx / dt / 1e6,
	       gen_wire_gbps(g->c.rx_bytes - prev->rx_bytes, drx, dt),
	       gen_us(g, sl_gen_hist_quantile(g->lat_tick, 0.5)),
	       gen_us(g, sl_gen_hist_quantile(g->lat_tick, 0.99)), g->c.sent, g->c.received,
	       gen_lost(g), g->c.bad,
	       g->c.verify[V_WRONG_PORT] + g->c.verify[V_DST_MAC] + g->c.verify[V_SRC_MAC] +
		   g->c.verify[V_TTL] + g->c.verify[V_CKSUM] + g->c.verify[V_UNEXPECTED],
	       gen_stall_note(g, prev, stalled, sizeof(stalled)));
	fflush(stdout);
	sl_gen_hist_reset(g->lat_tick);
	*prev = g->c;
	*prev_tsc = now;
}

/* How many packets the pacer allows now, at most `max`: in pps mode the
 * credit itself, in byte mode as many of the next sizes as the credit
 * covers. *cost gets what they cost in pacer units. */
static inline unsigned int gen_paced_want(const struct sl_gen *g, uint64_t avail, bool in_bytes,
					  unsigned int max)
{
	const struct sl_gen_sizes *sz = g->sizes;
	uint32_t si = g->size_idx;
	unsigned int n = 0;

	if (!in_bytes)
		return (unsigned int)RTE_MIN(avail, (uint64_t)max);
	while (n < max) {
		uint64_t c = sz->size[si] + SL_GEN_WIRE_OVERHEAD;

		if (c > avail)
			break;
		avail -= c;
		n++;
		if (++si == sz->n)
			si = 0;
	}
	return n;
}

/*
 * --window: how many of `want` may be built now. Only whole bursts are sent,
 * so that the peer sees bursts of the size asked for, not the scraps a
 * sliding window would leave. Packets in flight that make no progress for
 * `timeout` cycles are written off as lost (the loss count still has them),
 * so one lost packet does not stop the run.
 */
static inline unsigned int gen_window_want(struct sl_gen *g, unsigned int want, uint64_t now,
					   uint64_t timeout, uint64_t *last_unique,
					   uint64_t *last_progress)
{
	uint64_t out = g->c.sent_back + gen_staged(g), back = g->c.unique + g->c.written_off;
	uint64_t in_flight = out > back ? out - back : 0;

	if (g->c.unique != *last_unique || in_flight == 0) {
		*last_unique = g->c.unique;
		*last_progress = now;
	} else if (now - *last_progress > timeout) {
		g->c.written_off += in_flight;
		*last_progress = now;
		in_flight = 0;
	}
	if (in_flight + g->o.burst > g->o.window)
		return 0;
	return want;
}

/* Reset everything a run measures (between --search trials). */
static void gen_counts_reset(struct sl_gen *g)
{
	memset(&g->c, 0, sizeof(g->c));
	sl_gen_hist_reset(g->lat);
	sl_gen_hist_reset(g->lat_tick);
	memset(g->seen, 0, ((size_t)g->win_mask + 1) / 8);
	memset(g->flow_next, 0, g->o.flows * sizeof(*g->flow_next));
	g->size_idx = 0;
	g->flow_cur = 0;
}

static void gen_loop(struct sl_gen *g, const struct sl_gen_rate *rate, double duration,
		     uint64_t count)
{
	const struct sl_gen_opts *o = &g->o;
	uint64_t seq = 0, now = rte_rdtsc(), prev_tsc = now;
	uint64_t send_deadline = duration > 0 ? now + (uint64_t)(duration * g->hz) : UINT64_MAX;
	uint64_t next_line = now + (uint64_t)o->stats_interval * g->hz;
	uint64_t drain_until = UINT64_MAX;
	bool lines = o->stats_interval > 0 && !o->quiet, in_bytes;
	double units = sl_gen_rate_units(rate, o->line_rate_bps, &in_bytes);
	struct gen_counts prev;
	struct sl_gen_pacer pacer;
	bool sending = true;
	/* --window: give up on packets in flight after --wait-ms (at least 1 ms,
	 * so that --wait-ms 0 does not write everything off at once). */
	const uint64_t window_timeout = (uint64_t)RTE_MAX(o->wait_ms, 1u) * g->hz / 1000;
	uint64_t window_unique = 0, window_progress = now;
	const uint64_t stall_gap = GEN_STALL_US * g->hz / 1000000;
	uint64_t last_turn = now;

	g->run_rate = *rate;
	/* After a stall, catch up by at most 4 bursts, so that a paced run
	 * does not turn into line-rate bursts; or by GEN_CATCH_UP_US of the
	 * rate when that is more: at Mpps rates 4 bursts are ~20 us, less than
	 * an interrupt can take, and the rate would fall short. */
	sl_gen_pacer_init(&pacer, units, g->hz, now,
			  RTE_MAX((uint64_t)o->burst * 4 * (in_bytes ? SL_GEN_MAX_SIZE + 20 : 1),
				  (uint64_t)(units * GEN_CATCH_UP_US / 1e6)));
	g->start_tsc = now;
	prev = g->c;
	for (;;) {
		now = rte_rdtsc();
		if (unlikely(now - last_turn > stall_gap)) {
			uint64_t gap = now - last_turn;

			g->c.stalls++;
			g->c.stall_cycles += gap;
			g->c.stall_max = RTE_MAX(g->c.stall_max, gap);
		}
		last_turn = now;
		if (sending) {
			unsigned int want = o->burst;
			uint64_t bytes = 0;

			if (units > 0)
				want = gen_paced_want(g, sl_gen_pacer_avail(&pacer, now), in_bytes,
						      want);
			if (count != 0)
				want = (unsigned int)RTE_MIN((uint64_t)want, count - seq);
			if (o->window != 0)
				want = gen_window_want(g, want, now, window_timeout, &window_unique,
						       &window_progress);
			if (want != 0) {
				unsigned int n = gen_build(g, want, &seq, &bytes);

				g->c.built_bytes += bytes;
				if (units > 0)
					sl_gen_pacer_spend(
					    &pacer, in_bytes
							? bytes + (uint64_t)n * SL_GEN_WIRE_OVERHEAD
							: n);
			}
			gen_flush(g);
			if ((count != 0 && seq == count && gen_staged(g) == 0) ||
			    now >= send_deadline || gen_stop) {
				sending = false;
				gen_unstage(g); /* never sent: they do not count */
				g->end_send_tsc = now;
				drain_until = now + (uint64_t)o->wait_ms * g->hz / 1000;
			}
		}
		if (o->rx_mask)
			gen_rx(g);
		if (!sending &&
		    (now >= drain_until || g->c.unique >= g->c.sent_back || o->rx_mask == 0))
			break;
		if (lines && now >= next_line) {
			gen_interval_line(g, now, &prev, &prev_tsc);
			next_line += (uint64_t)o->stats_interval * g->hz;
			last_turn = rte_rdtsc(); /* printing is not a stall */
		}
	}
	g->end_tsc = rte_rdtsc();
}

/* ---- results ---- */

static const char *const gen_verify_names[] = {
#define SL_GEN_NAME(id, name) name,
    SL_GEN_VERIFY(SL_GEN_NAME)
#undef SL_GEN_NAME
};

static uint64_t gen_verify_failed(const struct sl_gen *g)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < SL_GEN_NB_VERIFY; i++)
		n += g->c.verify[i];
	return n;
}

static double gen_loss_pct(const struct sl_gen *g)
{
	return g->c.sent_back ? 100.0 * (double)gen_lost(g) / (double)g->c.sent_back : 0;
}

static bool gen_loss_ok(const struct sl_gen *g)
{
	if (g->o.rx_mask == 0)
		return true; /* tx only: nothing comes back by design */
	if (g->o.max_loss_pct >= 0)
		return gen_loss_pct(g) <= g->o.max_loss_pct;
	return gen_lost(g) <= g->o.max_loss_pkts;
}

static double gen_send_s(const struct sl_gen *g)
{
	return (double)(g->end_send_tsc - g->start_tsc) / (double)g->hz;
}

static const double gen_quantiles[] = {0.5, 0.9, 0.99, 0.999};
static const char *const gen_quantile_names[] = {"p50", "p90", "p99", "p999"};

static void gen_summary(const struct sl_gen *g, FILE *f, const char *verdict)
{
	const struct gen_counts *c = &g->c;
	const struct sl_gen_hist *h = g->lat;
	double send_s = gen_send_s(g), rx_s = (double)(g->end_tsc - g->start_tsc) / (double)g->hz;
	uint64_t avg = h->count ? h->sum / h->count : 0, min = h->count ? h->min : 0;
	char rate[64];

	sl_gen_rate_format(&g->run_rate, rate, sizeof(rate));
	fprintf(f, "\n=== sluice-gen summary ===\n");
	fprintf(f, "%-10s %s, frames %u..%u B incl. FCS (avg %.1f), %u flow(s), burst %u", "config",
		rate, g->o.size_min, g->o.size_max, g->sizes->avg, g->o.flows, g->o.burst);
	if (g->o.window != 0)
		fprintf(f, ", window %u (%" PRIu64 " written off)", g->o.window, c->written_off);
	fputc('\n', f);
	fprintf(f,
		"%-10s %" PRIu64 " pkts in %.3f s = %.3f Mpps, %.3f Gbps on the wire (frame + "
		"%u B preamble/IFG); %" PRIu64 " expected back, %" PRIu64 " expected dropped\n",
		"tx", c->sent, send_s, send_s > 0 ? (double)c->sent / send_s / 1e6 : 0,
		gen_wire_gbps(gen_sent_bytes(g), c->sent, send_s), SL_GEN_WIRE_OVERHEAD,
		c->sent_back, c->sent_drop);
	fprintf(f, "%-10s %" PRIu64 " pkts = %.3f Mpps, %.3f Gbps%s\n", "rx", c->received,
		send_s > 0 ? (double)c->received / send_s / 1e6 : 0,
		gen_wire_gbps(c->rx_bytes, c->received, send_s),
		g->o.rx_mask ? "" : " (tx only: not polled)");
	if (c->stalls == 0)
		fprintf(f, "%-10s none (no gap over %u us in the send/receive loop)\n", "stalls",
			GEN_STALL_US);
	else
		fprintf(f,
			"%-10s %" PRIu64
			" gaps over %u us in the send/receive loop, %.1f ms in all, "
			"longest %.1f ms: this core was taken from the generator (rate and "
			"latency suffer)\n",
			"stalls", c->stalls, GEN_STALL_US, gen_us(g, c->stall_cycles) / 1000,
			gen_us(g, c->stall_max) / 1000);
	fprintf(f,
		"%-10s unique %" PRIu64 "  lost %" PRIu64 " (%.4f%%)  duplicates %" PRIu64
		"  reordered %" PRIu64 "  bad %" PRIu64 "\n",
		"sequence", c->unique, gen_lost(g), gen_loss_pct(g), c->dups, c->reordered, c->bad);
	fprintf(f, "%-10s %8s %8s", "latency", "min", "avg");
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++)
		fprintf(f, " %8s", gen_quantile_names[i]);
	fprintf(f, " %8s  (%" PRIu64 " samples)\n", "max", h->count);
	fprintf(f, "%-10s %8.2f %8.2f", "  us", gen_us(g, min), gen_us(g, avg));
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++)
		fprintf(f, " %8.2f", gen_us(g, sl_gen_hist_quantile(h, gen_quantiles[i])));
	fprintf(f, " %8.2f\n", gen_us(g, h->max));
	fprintf(f, "%-10s %8" PRIu64 " %8" PRIu64, "  cycles", min, avg);
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++)
		fprintf(f, " %8" PRIu64, sl_gen_hist_quantile(h, gen_quantiles[i]));
	fprintf(f, " %8" PRIu64 "\n", h->max);
	fprintf(f, "verify (%s):", g->o.expect == SL_GEN_EXPECT_NONE ? "off" : "on");
	for (unsigned int i = 0; i < SL_GEN_NB_VERIFY; i++)
		fprintf(f, " %s=%" PRIu64, gen_verify_names[i], c->verify[i]);
	fputc('\n', f);
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		sl_port_stats_get(g->port_id[i], &es);
		fprintf(f,
			"port %-12s tx %" PRIu64 " rx(valid) %" PRIu64 " | ethdev opackets %" PRIu64
			" ipackets %" PRIu64 " imissed %" PRIu64 " oerrors %" PRIu64 "\n",
			g->o.ports[i], c->port_tx[i], c->port_rx[i], es.opackets, es.ipackets,
			es.imissed, es.oerrors);
	}
	if (g->o.search) {
		fprintf(f, "search (loss <= %.4f%%, %.1f s trials):\n", g->o.search_loss_pct,
			g->o.trial_s);
		fprintf(f, "  %5s %14s %12s %12s %12s %10s %9s %9s %9s %s\n", "trial", "rate",
			"target_pps", "tx_pps", "rx_pps", "loss_%", "p50_us", "p99_us", "stall_ms",
			"result");
		for (unsigned int i = 0; i < g->nb_trials; i++) {
			const struct gen_trial *t = &g->trials[i];

			fprintf(f,
				"  %5u %14.2f %12.0f %12.0f %12.0f %10.4f %9.2f %9.2f %9.1f %s\n",
				i + 1, t->rate_value, t->target_pps, t->tx_pps, t->rx_pps,
				t->loss_pct, gen_us(g, t->p50), gen_us(g, t->p99), t->stalled_ms,
				t->pass ? "pass" : "fail");
		}
		if (g->found_rate >= 0) {
			struct sl_gen_rate r = {.kind = g->o.rate.kind, .value = g->found_rate};

			sl_gen_rate_format(&r, rate, sizeof(rate));
			fprintf(f, "  throughput: %s = %.0f pps\n", rate,
				sl_gen_rate_pps(&r, g->o.line_rate_bps, g->sizes->avg));
		} else {
			fprintf(f, "  throughput: no trial passed\n");
		}
	}
	RTE_SET_USED(rx_s);
	fprintf(f, "result: %s\n", verdict);
	fflush(f);
}

static void gen_json_lat(FILE *f, const struct sl_gen *g, bool us)
{
	const struct sl_gen_hist *h = g->lat;
	uint64_t avg = h->count ? h->sum / h->count : 0, min = h->count ? h->min : 0;

	if (us)
		fprintf(f, "{\"min\": %.3f, \"avg\": %.3f", gen_us(g, min), gen_us(g, avg));
	else
		fprintf(f, "{\"min\": %" PRIu64 ", \"avg\": %" PRIu64, min, avg);
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++) {
		uint64_t v = sl_gen_hist_quantile(h, gen_quantiles[i]);

		if (us)
			fprintf(f, ", \"%s\": %.3f", gen_quantile_names[i], gen_us(g, v));
		else
			fprintf(f, ", \"%s\": %" PRIu64, gen_quantile_names[i], v);
	}
	if (us)
		fprintf(f, ", \"max\": %.3f}", gen_us(g, h->max));
	else
		fprintf(f, ", \"max\": %" PRIu64 ", \"samples\": %" PRIu64 "}", h->max, h->count);
}

static const char *gen_rate_kind_name(enum sl_gen_rate_kind k)
{
	switch (k) {
	case SL_GEN_RATE_PPS:
		return "pps";
	case SL_GEN_RATE_BPS:
		return "bps";
	case SL_GEN_RATE_PCT:
		return "percent";
	default:
		return "unpaced";
	}
}

static int gen_json(const struct sl_gen *g, const char *path, const char *verdict)
{
	const struct gen_counts *c = &g->c;
	double send_s = gen_send_s(g);
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return gen_fail(g, "cannot write --json %s: %s", path, strerror(errno));
	fprintf(
	    f,
	    "{\n  \"result\": \"%s\",\n  \"mode\": \"%s\",\n  \"tsc_hz\": %" PRIu64
	    ",\n  \"size\": %u,\n  \"size_min\": %u,\n  \"size_max\": %u,\n"
	    "  \"size_avg\": %.3f,\n  \"flows\": %u,\n  \"queues\": %u,\n"
	    "  \"burst\": %u,\n  \"window\": %u,\n  \"window_written_off\": %" PRIu64 ",\n"
	    "  \"rate\": {\"kind\": \"%s\", \"value\": %.6g, \"target_pps\": %.1f, "
	    "\"line_rate_bps\": %.0f},\n"
	    "  \"send_s\": %.6f,\n  \"sent\": %" PRIu64 ",\n  \"sent_bytes\": %" PRIu64
	    ",\n  \"tx_pps\": %.1f,\n  \"tx_gbps_wire\": %.6f,\n  \"rx_pps\": %.1f,\n"
	    "  \"rx_gbps_wire\": %.6f,\n"
	    "  \"sent_expected_back\": %" PRIu64 ",\n  \"sent_expected_dropped\": %" PRIu64
	    ",\n  \"received\": %" PRIu64 ",\n  \"unique\": %" PRIu64 ",\n  \"lost\": %" PRIu64
	    ",\n  \"loss_pct\": %.6f,\n  \"duplicates\": %" PRIu64 ",\n  \"reordered\": %" PRIu64
	    ",\n  \"bad\": %" PRIu64 ",\n  \"verify_failed\": %" PRIu64 ",\n  \"verify\": {",
	    verdict, g->o.search ? "search" : "packet", g->hz, g->o.size, g->o.size_min,
	    g->o.size_max, g->sizes->avg, g->o.flows, g->o.queues, g->o.burst, g->o.window,
	    c->written_off, gen_rate_kind_name(g->run_rate.kind), g->run_rate.value,
	    sl_gen_rate_pps(&g->run_rate, g->o.line_rate_bps, g->sizes->avg), g->o.line_rate_bps,
	    send_s, c->sent, gen_sent_bytes(g), send_s > 0 ? (double)c->sent / send_s : 0,
	    gen_wire_gbps(gen_sent_bytes(g), c->sent, send_s),
	    send_s > 0 ? (double)c->received / send_s : 0,
	    gen_wire_gbps(c->rx_bytes, c->received, send_s), c->sent_back, c->sent_drop,
	    c->received, c->unique, gen_lost(g), gen_loss_pct(g), c->dups, c->reordered, c->bad,
	    gen_verify_failed(g));
	for (unsigned int i = 0; i < SL_GEN_NB_VERIFY; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", gen_verify_names[i], c->verify[i]);
	fprintf(f,
		"},\n  \"stalls\": {\"count\": %" PRIu64
		", \"total_ms\": %.3f, \"max_ms\": %.3f},\n"
		"  \"latency_cycles\": ",
		c->stalls, gen_us(g, c->stall_cycles) / 1000, gen_us(g, c->stall_max) / 1000);
	gen_json_lat(f, g, false);
	fprintf(f, ",\n  \"latency_us\": ");
	gen_json_lat(f, g, true);
	fprintf(f, ",\n  \"ports\": [");
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		sl_port_stats_get(g->port_id[i], &es);
		fprintf(f,
			"%s\n    {\"name\": \"%s\", \"port_id\": %u, \"tx\": %" PRIu64
			", \"rx\": %" PRIu64 ", \"opackets\": %" PRIu64 ", \"ipackets\": %" PRIu64
			", \"imissed\": %" PRIu64 ", \"oerrors\": %" PRIu64 "}",
			i ? "," : "", g->o.ports[i], g->port_id[i], c->port_tx[i], c->port_rx[i],
			es.opackets, es.ipackets, es.imissed, es.oerrors);
	}
	fprintf(f, "\n  ]");
	if (g->o.search) {
		struct sl_gen_rate r = {.kind = g->o.rate.kind, .value = g->found_rate};

		fprintf(f,
			",\n  \"search\": {\"loss_pct_max\": %.6f, \"trial_s\": %.3f, "
			"\"found\": %s, \"rate_value\": %.6g, \"pps\": %.1f, \"trials\": [",
			g->o.search_loss_pct, g->o.trial_s, g->found_rate >= 0 ? "true" : "false",
			g->found_rate >= 0 ? g->found_rate : 0,
			g->found_rate >= 0 ? sl_gen_rate_pps(&r, g->o.line_rate_bps, g->sizes->avg)
					   : 0);
		for (unsigned int i = 0; i < g->nb_trials; i++) {
			const struct gen_trial *t = &g->trials[i];

			fprintf(f,
				"%s\n    {\"rate_value\": %.6g, \"target_pps\": %.1f, \"tx_pps\": "
				"%.1f, \"rx_pps\": %.1f, \"sent\": %" PRIu64 ", \"lost\": %" PRIu64
				", \"loss_pct\": %.6f, \"latency_us\": {\"p50\": %.3f, \"p99\": "
				"%.3f, \"max\": %.3f}, \"stalled_ms\": %.3f, \"pass\": %s}",
				i ? "," : "", t->rate_value, t->target_pps, t->tx_pps, t->rx_pps,
				t->sent, t->lost, t->loss_pct, gen_us(g, t->p50), gen_us(g, t->p99),
				gen_us(g, t->max), t->stalled_ms, t->pass ? "true" : "false");
		}
		fprintf(f, "\n  ]}");
	}
	fprintf(f, "\n}\n");
	if (fclose(f) != 0)
		return gen_fail(g, "cannot write --json %s: %s", path, strerror(errno));
	return 0;
}

/* One --search trial at `value` (rate.kind units). */
static bool gen_trial(struct sl_gen *g, double value)
{
	struct sl_gen_rate r = {.kind = g->o.rate.kind, .value = value};
	struct gen_trial *t = &g->trials[g->nb_trials++];
	double s;

	gen_counts_reset(g);
	gen_loop(g, &r, g->o.trial_s, 0);
	s = gen_send_s(g);
	t->rate_value = value;
	t->target_pps = sl_gen_rate_pps(&r, g->o.line_rate_bps, g->sizes->avg);
	t->tx_pps = s > 0 ? (double)g->c.sent / s : 0;
	t->rx_pps = s > 0 ? (double)g->c.received / s : 0;
	t->sent = g->c.sent;
	t->lost = gen_lost(g);
	t->loss_pct = gen_loss_pct(g);
	t->p50 = sl_gen_hist_quantile(g->lat, 0.5);
	t->p99 = sl_gen_hist_quantile(g->lat, 0.99);
	t->max = g->lat->max;
	t->stalled_ms = gen_us(g, g->c.stall_cycles) / 1000;
	/* A trial whose sender could not keep up did not test that rate. Time
	 * the core was taken from the sender (stalls) is not held against the
	 * DUT: the sender must reach the rate while it runs. */
	double had_core = s > 0 ? RTE_MAX(0.0, 1 - t->stalled_ms / 1000 / s) : 1;

	t->pass = g->c.sent > 0 && t->loss_pct <= g->o.search_loss_pct &&
		  t->tx_pps >= 0.97 * had_core * t->target_pps;
	if (!g->o.quiet) {
		printf("trial %u: %.2f -> target %.0f pps, tx %.0f pps, rx %.0f pps, loss %.4f%%, "
		       "stalled %.1f ms: %s\n",
		       g->nb_trials, value, t->target_pps, t->tx_pps, t->rx_pps, t->loss_pct,
		       t->stalled_ms, t->pass ? "pass" : "fail");
		fflush(stdout);
	}
	return t->pass;
}

/* RFC 2544 26.1: binary search for the highest rate with loss <= the
 * threshold, between --search-min and --rate. */
static void gen_search(struct sl_gen *g)
{
	double hi = g->o.rate.value, lo = g->o.search_min;

	g->found_rate = -1;
	/* The first packets over a fresh link cost more than the rest (memif's
	 * shared rings fault their pages in on first use: ~3 % of the first
	 * second at 400 kpps with 4096-slot rings), which would fall on the
	 * first trial, the one at the highest rate. Send for a while first;
	 * each trial resets the counters. */
	if (g->o.search_warmup_s > 0) {
		if (!g->o.quiet)
			printf("warm-up: %.2f s at the first trial's rate, not counted\n",
			       g->o.search_warmup_s);
		gen_loop(g, &g->o.rate, g->o.search_warmup_s, 0);
	}
	if (gen_trial(g, hi)) {
		g->found_rate = hi;
		return;
	}
	while (g->nb_trials < GEN_MAX_TRIALS && !gen_stop &&
	       (hi - lo) / hi > g->o.search_precision) {
		double mid = (lo + hi) / 2;

		if (gen_trial(g, mid)) {
			lo = mid;
			g->found_rate = mid;
		} else {
			hi = mid;
		}
	}
	/* Nothing passed above the bound: check the bound itself. */
	if (g->found_rate < 0 && g->nb_trials < GEN_MAX_TRIALS && !gen_stop &&
	    gen_trial(g, g->o.search_min))
		g->found_rate = g->o.search_min;
}

int sl_gen_run(struct sl_gen *g)
{
	bool pass;
	const char *verdict;

	if (g->o.tcp.enabled)
		return sl_gen_tcp_run(&g->o, g->port_id[0], g->rx_pool, &gen_stop);
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
	if (!pass && g->o.search) {
		fprintf(stderr, "%s: FAILED: no trial passed (loss <= %.4f%%)\n", g->o.prog,
			g->o.search_loss_pct);
	} else if (!pass) {
		fprintf(stderr, "%s: FAILED:", g->o.prog);
		if (!gen_loss_ok(g))
			fprintf(stderr, " lost %" PRIu64 " of %" PRIu64 " (allowed: --max-loss);",
				gen_lost(g), g->c.sent_back);
		if (g->c.bad)
			fprintf(stderr, " %" PRIu64 " bad packets;", g->c.bad);
		if (g->c.dups)
			fprintf(stderr, " %" PRIu64 " duplicates;", g->c.dups);
		if (gen_verify_failed(g))
			fprintf(stderr, " %" PRIu64 " failed checks (see verify above);",
				gen_verify_failed(g));
		fputc('\n', stderr);
	}
	if (g->o.json != NULL && gen_json(g, g->o.json, verdict) < 0)
		return SL_GEN_EXIT_FAILED;
	return pass ? SL_GEN_EXIT_OK : SL_GEN_EXIT_FAILED;
}

void sl_gen_linger(struct sl_gen *g)
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

void sl_gen_destroy(struct sl_gen *g)
{
	if (g == NULL)
		return;
	if (g->txq != NULL)
		gen_unstage(g);
	/* A memif peer that just left may still be being torn down. */
	sl_port_ctrl_barrier();
	for (unsigned int i = 0; i < g->o.nb_ports; i++)
		if (g->started[i]) {
			rte_eth_dev_stop(g->port_id[i]);
			rte_eth_dev_close(g->port_id[i]);
		}
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
