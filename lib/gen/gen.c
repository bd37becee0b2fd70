/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's engine: port setup, the send/receive loop on one lcore, and
 * the summary. Everything the loop touches (flow templates, the sequence
 * bitmap, per-flow state, tx staging) is allocated before it starts.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
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
	uint64_t verify[SL_GEN_NB_VERIFY];
	uint64_t lat_min, lat_max, lat_sum, lat_n;
	uint64_t port_tx[SL_GEN_MAX_PORTS], port_rx[SL_GEN_MAX_PORTS];
};

struct sl_gen {
	struct sl_gen_opts o;
	uint16_t port_id[SL_GEN_MAX_PORTS];
	bool started[SL_GEN_MAX_PORTS];
	struct rte_ether_addr port_mac[SL_GEN_MAX_PORTS];
	struct rte_mempool *pool;
	struct sl_gen_flow *flows;
	uint32_t *flow_next; /* per flow: highest seq seen + 1 (0: none yet) */
	uint64_t *seen;	     /* bitmap over seq & win_mask */
	uint32_t win_mask;
	unsigned int nb_txq;
	struct gen_txq *txq; /* [tx port idx * queues + queue] */
	struct gen_counts c;
	uint64_t hz, start_tsc, end_send_tsc, end_tsc;
};

static volatile bool gen_stop;

void sl_gen_request_stop(void)
{
	gen_stop = true;
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
	unsigned int n = g->o.nb_ports * per_port + 4096;
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "sl_gen_%d", getpid());
	g->pool = rte_pktmbuf_pool_create(name, n, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  (int)rte_socket_id());
	if (g->pool == NULL)
		return gen_fail(g,
				"cannot create a pool of %u mbufs (%u ports x %u queues x (2 x %u "
				"descriptors + %u staged) + 4096): %s. Fix: more hugepages "
				"(tools/hugepages.sh) or fewer --queues",
				n, g->o.nb_ports, g->o.queues, GEN_DESC, GEN_STAGE,
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
					    g->pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(pid, (uint16_t)q, txd,
						    rte_eth_dev_socket_id(pid), NULL);
	}
	if (rc == 0)
		rc = rte_eth_dev_start(pid);
	if (rc != 0)
		return gen_fail(g, "%s: port setup with %u queue(s) failed: %s", name, g->o.queues,
				strerror(-rc));
	g->started[i] = true;
	rte_eth_promiscuous_enable(pid); /* not every PMD has it: ignore failure */
	rte_eth_macaddr_get(pid, &g->port_mac[i]);
	return 0;
}

/* memif links come up only when the peer connects: do not send before. */
static int gen_links_wait(struct sl_gen *g)
{
	uint64_t deadline = rte_get_timer_cycles() + (uint64_t)g->o.link_wait_s * g->hz;

	/* Scripts wait for this line before starting a memif peer. */
	printf("ports ready, waiting up to %u s for link up\n", g->o.link_wait_s);
	fflush(stdout);
	for (;;) {
		unsigned int up = 0;

		for (unsigned int i = 0; i < g->o.nb_ports; i++) {
			struct rte_eth_link link;

			if (rte_eth_link_get_nowait(g->port_id[i], &link) == 0 && link.link_status)
				up++;
		}
		if (up == g->o.nb_ports) {
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
	if (g->seen == NULL || g->flows == NULL || g->flow_next == NULL || g->txq == NULL)
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
	g->c.lat_min = UINT64_MAX;
	if (gen_pool_create(g) < 0)
		return -1;
	for (unsigned int i = 0; i < o->nb_ports; i++)
		if (gen_port_setup(g, i) < 0)
			return -1;
	if (gen_tables_alloc(g) < 0)
		return -1;
	if (sl_gen_flows_build(&g->o, g->port_mac, g->flows) < 0)
		return -1;
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
	lat = now - pl.tsc;
	c->lat_sum += lat;
	c->lat_n++;
	c->lat_min = RTE_MIN(c->lat_min, lat);
	c->lat_max = RTE_MAX(c->lat_max, lat);

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

/* Build up to `want` packets into the staging queues. Returns how many. */
static inline unsigned int gen_build(struct sl_gen *g, unsigned int want, uint64_t *seq)
{
	struct rte_mbuf *m[GEN_MAX_BURST];
	uint16_t data_len = (uint16_t)(g->o.size - SL_GEN_FCS);
	uint64_t tsc;
	unsigned int k;

	if (rte_pktmbuf_alloc_bulk(g->pool, m, want) != 0)
		return 0; /* pool empty for now: the DUT holds mbufs; retry next loop */
	tsc = rte_rdtsc();
	for (k = 0; k < want; k++) {
		uint32_t s = (uint32_t)*seq;
		uint16_t f = (uint16_t)(*seq % g->o.flows);
		const struct sl_gen_flow *fl = &g->flows[f];
		struct gen_txq *tq = &g->txq[fl->tx_idx * g->o.queues + fl->tx_queue];

		if (tq->n == GEN_STAGE)
			break; /* the PMD is not taking packets: stop building */
		sl_gen_pkt_fill(m[k], fl, data_len, s, f, tsc);
		/* The slot may hold a bit of seq - window: clear it for reuse. */
		g->seen[(s & g->win_mask) >> 6] &= ~(1ULL << (s & 63));
		tq->pkts[tq->n] = m[k];
		tq->flow[tq->n++] = f;
		(*seq)++;
	}
	if (k < want)
		rte_pktmbuf_free_bulk(&m[k], want - k);
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
		for (uint16_t k = 0; k < sent; k++) {
			const struct sl_gen_flow *fl = &g->flows[tq->flow[k]];

			g->c.port_tx[fl->tx_idx]++;
			if (fl->expect_drop)
				g->c.sent_drop++;
			else
				g->c.sent_back++;
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
		if (g->txq[t].n)
			rte_pktmbuf_free_bulk(g->txq[t].pkts, g->txq[t].n);
		g->txq[t].n = 0;
	}
}

static uint64_t gen_lost(const struct sl_gen *g)
{
	return g->c.sent_back > g->c.unique ? g->c.sent_back - g->c.unique : 0;
}

static void gen_interval_line(struct sl_gen *g, uint64_t now, struct gen_counts *prev,
			      uint64_t *prev_tsc)
{
	double dt = (double)(now - *prev_tsc) / (double)g->hz;

	printf("[%7.1f s] tx %.0f pps rx %.0f pps | sent %" PRIu64 " received %" PRIu64
	       " lost %" PRIu64 " bad %" PRIu64 " verify_failed %" PRIu64 "\n",
	       (double)(now - g->start_tsc) / (double)g->hz, (double)(g->c.sent - prev->sent) / dt,
	       (double)(g->c.received - prev->received) / dt, g->c.sent, g->c.received, gen_lost(g),
	       g->c.bad,
	       g->c.verify[V_WRONG_PORT] + g->c.verify[V_DST_MAC] + g->c.verify[V_SRC_MAC] +
		   g->c.verify[V_TTL] + g->c.verify[V_CKSUM] + g->c.verify[V_UNEXPECTED]);
	fflush(stdout);
	*prev = g->c;
	*prev_tsc = now;
}

static void gen_loop(struct sl_gen *g)
{
	const struct sl_gen_opts *o = &g->o;
	uint64_t seq = 0, now = rte_rdtsc(), prev_tsc = now;
	uint64_t send_deadline =
	    o->duration > 0 ? now + (uint64_t)(o->duration * g->hz) : UINT64_MAX;
	uint64_t next_line = now + (uint64_t)o->stats_interval * g->hz;
	uint64_t drain_until = UINT64_MAX;
	bool lines = o->stats_interval > 0 && !o->quiet;
	struct gen_counts prev = g->c;
	bool sending = true;

	g->start_tsc = now;
	for (;;) {
		now = rte_rdtsc();
		if (sending) {
			unsigned int want = o->burst;

			if (o->rate != 0) {
				/* Credit since start, in double: (now - start) * rate
				 * overflows 64 bits after minutes at high rates. */
				uint64_t due = (uint64_t)((double)(now - g->start_tsc) *
							  (double)o->rate / (double)g->hz);

				want = due > seq ? (unsigned int)RTE_MIN(due - seq, o->burst) : 0;
			}
			if (o->count != 0)
				want = (unsigned int)RTE_MIN((uint64_t)want, o->count - seq);
			if (want != 0)
				gen_build(g, want, &seq);
			gen_flush(g);
			if ((o->count != 0 && seq == o->count && gen_staged(g) == 0) ||
			    now >= send_deadline || gen_stop) {
				sending = false;
				gen_unstage(g); /* never sent: they do not count */
				g->end_send_tsc = now;
				drain_until = now + (uint64_t)o->wait_ms * g->hz / 1000;
			}
		}
		gen_rx(g);
		if (!sending && (now >= drain_until || g->c.unique >= g->c.sent_back))
			break;
		if (lines && now >= next_line) {
			gen_interval_line(g, now, &prev, &prev_tsc);
			next_line += (uint64_t)o->stats_interval * g->hz;
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

static bool gen_loss_ok(const struct sl_gen *g)
{
	uint64_t lost = gen_lost(g);

	if (g->o.max_loss_pct >= 0)
		return g->c.sent_back == 0 ||
		       100.0 * (double)lost / (double)g->c.sent_back <= g->o.max_loss_pct;
	return lost <= g->o.max_loss_pkts;
}

static double gen_us(const struct sl_gen *g, uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)g->hz;
}

static void gen_summary(const struct sl_gen *g, FILE *f, const char *verdict)
{
	const struct gen_counts *c = &g->c;
	double send_s = (double)(g->end_send_tsc - g->start_tsc) / (double)g->hz;
	uint64_t avg = c->lat_n ? c->lat_sum / c->lat_n : 0, min = c->lat_n ? c->lat_min : 0;

	fprintf(f, "\n=== sluice-gen summary ===\n");
	fprintf(f,
		"sent %" PRIu64 " (%" PRIu64 " expected back, %" PRIu64
		" expected dropped by the DUT) in %.3f s = %.0f pps, %u-byte frames incl. FCS\n",
		c->sent, c->sent_back, c->sent_drop, send_s, send_s > 0 ? c->sent / send_s : 0,
		g->o.size);
	fprintf(f,
		"received %" PRIu64 "  unique %" PRIu64 "  lost %" PRIu64 "  duplicates %" PRIu64
		"  reordered %" PRIu64 "  bad %" PRIu64 "\n",
		c->received, c->unique, gen_lost(g), c->dups, c->reordered, c->bad);
	fprintf(f,
		"latency cycles min %" PRIu64 " avg %" PRIu64 " max %" PRIu64
		"  (us min %.2f avg %.2f max %.2f)\n",
		min, avg, c->lat_max, gen_us(g, min), gen_us(g, avg), gen_us(g, c->lat_max));
	fprintf(f, "verify (%s):", g->o.expect == SL_GEN_EXPECT_NONE ? "off" : "on");
	for (unsigned int i = 0; i < SL_GEN_NB_VERIFY; i++)
		fprintf(f, " %s=%" PRIu64, gen_verify_names[i], c->verify[i]);
	fputc('\n', f);
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		rte_eth_stats_get(g->port_id[i], &es);
		fprintf(f,
			"port %-12s tx %" PRIu64 " rx(valid) %" PRIu64 " | ethdev opackets %" PRIu64
			" ipackets %" PRIu64 " imissed %" PRIu64 " oerrors %" PRIu64 "\n",
			g->o.ports[i], c->port_tx[i], c->port_rx[i], es.opackets, es.ipackets,
			es.imissed, es.oerrors);
	}
	fprintf(f, "result: %s\n", verdict);
	fflush(f);
}

static int gen_json(const struct sl_gen *g, const char *path, const char *verdict)
{
	const struct gen_counts *c = &g->c;
	uint64_t avg = c->lat_n ? c->lat_sum / c->lat_n : 0, min = c->lat_n ? c->lat_min : 0;
	double send_s = (double)(g->end_send_tsc - g->start_tsc) / (double)g->hz;
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return gen_fail(g, "cannot write --json %s: %s", path, strerror(errno));
	fprintf(f,
		"{\n  \"result\": \"%s\",\n  \"tsc_hz\": %" PRIu64 ",\n  \"size\": %u,\n"
		"  \"flows\": %u,\n  \"queues\": %u,\n  \"send_s\": %.6f,\n  \"sent\": %" PRIu64
		",\n  \"sent_expected_back\": %" PRIu64 ",\n  \"sent_expected_dropped\": %" PRIu64
		",\n  \"received\": %" PRIu64 ",\n  \"unique\": %" PRIu64 ",\n  \"lost\": %" PRIu64
		",\n  \"duplicates\": %" PRIu64 ",\n  \"reordered\": %" PRIu64
		",\n  \"bad\": %" PRIu64 ",\n  \"verify_failed\": %" PRIu64 ",\n  \"verify\": {",
		verdict, g->hz, g->o.size, g->o.flows, g->o.queues, send_s, c->sent, c->sent_back,
		c->sent_drop, c->received, c->unique, gen_lost(g), c->dups, c->reordered, c->bad,
		gen_verify_failed(g));
	for (unsigned int i = 0; i < SL_GEN_NB_VERIFY; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", gen_verify_names[i], c->verify[i]);
	fprintf(f,
		"},\n  \"latency_cycles\": {\"min\": %" PRIu64 ", \"avg\": %" PRIu64
		", \"max\": %" PRIu64 "},\n  \"latency_us\": {\"min\": %.3f, \"avg\": %.3f, "
		"\"max\": %.3f},\n  \"ports\": [",
		min, avg, c->lat_max, gen_us(g, min), gen_us(g, avg), gen_us(g, c->lat_max));
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		rte_eth_stats_get(g->port_id[i], &es);
		fprintf(f,
			"%s\n    {\"name\": \"%s\", \"port_id\": %u, \"tx\": %" PRIu64
			", \"rx\": %" PRIu64 ", \"opackets\": %" PRIu64 ", \"ipackets\": %" PRIu64
			", \"imissed\": %" PRIu64 ", \"oerrors\": %" PRIu64 "}",
			i ? "," : "", g->o.ports[i], g->port_id[i], c->port_tx[i], c->port_rx[i],
			es.opackets, es.ipackets, es.imissed, es.oerrors);
	}
	fprintf(f, "\n  ]\n}\n");
	if (fclose(f) != 0)
		return gen_fail(g, "cannot write --json %s: %s", path, strerror(errno));
	return 0;
}

int sl_gen_run(struct sl_gen *g)
{
	bool pass;
	const char *verdict;

	gen_loop(g);
	pass = gen_verify_failed(g) == 0 && g->c.bad == 0 && g->c.dups == 0 && gen_loss_ok(g);
	verdict = pass ? "pass" : "fail";
	gen_summary(g, stdout, verdict);
	if (!pass) {
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

void sl_gen_destroy(struct sl_gen *g)
{
	if (g == NULL)
		return;
	if (g->txq != NULL)
		gen_unstage(g);
	for (unsigned int i = 0; i < g->o.nb_ports; i++)
		if (g->started[i]) {
			rte_eth_dev_stop(g->port_id[i]);
			rte_eth_dev_close(g->port_id[i]);
		}
	rte_free(g->txq);
	rte_free(g->flow_next);
	rte_free(g->flows);
	rte_free(g->seen);
	rte_mempool_free(g->pool);
	rte_free(g);
}
