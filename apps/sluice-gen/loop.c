/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's send/receive loop on one lcore: build bursts from the flow
 * templates, pace them, stage what the PMD refuses, poll the rx queues and
 * check every packet that comes back. The per-packet functions are static
 * inline in this one file so the compiler folds them into gen_loop.
 */
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "engine.h"
#include "pacer.h"
#include "rate.h"

static inline void gen_check_pkt(struct gen *g, struct rte_mbuf *m, unsigned int rx_idx,
				 uint64_t now)
{
	struct gen_counts *c = &g->c;
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)p;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct gen_flow *fl;
	struct gen_payload pl;
	uint64_t lat, *word, bit;

	c->received++;
	if (unlikely(rte_pktmbuf_data_len(m) < GEN_HDR_LEN + sizeof(pl) ||
		     eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
		     ip->version_ihl != RTE_IPV4_VHL_DEF)) {
		c->bad++;
		return;
	}
	memcpy(&pl, p + GEN_HDR_LEN, sizeof(pl));
	/* A seq we have not built yet is garbage too (while seq fits 32 bits). */
	if (unlikely(pl.magic != GEN_MAGIC || pl.flow >= g->o.flows ||
		     (c->sent < (1ULL << 31) && pl.seq >= c->sent + GEN_STAGE * g->nb_txq))) {
		c->bad++;
		return;
	}
	fl = &g->flows[pl.flow];
	c->port_rx[rx_idx]++;
	c->rx_bytes += rte_pktmbuf_pkt_len(m) + GEN_FCS;
	/* A TSC from before this run (a late packet of the previous trial)
	 * would wrap: count it as 0 rather than as centuries. */
	lat = now > pl.tsc ? now - pl.tsc : 0;
	gen_hist_record(g->lat, lat);
	gen_hist_record(g->lat_tick, lat);

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

	if (g->o.expect == GEN_EXPECT_NONE)
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

static inline void gen_rx(struct gen *g)
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
static inline unsigned int gen_build(struct gen *g, unsigned int want, uint64_t *seq,
				     uint64_t *bytes)
{
	struct rte_mbuf *m[GEN_MAX_BURST];
	const struct gen_sizes *sz = g->sizes;
	const bool fixed = sz->n == 1, csum = g->o.udp_cksum, track = g->o.rx_mask != 0;
	struct gen_payload pl = {.magic = GEN_MAGIC};
	uint32_t si = g->size_idx, f = g->flow_cur;
	uint64_t b = 0;
	unsigned int k;

	if (rte_pktmbuf_alloc_bulk(g->pool, m, want) != 0)
		return 0; /* pool empty for now: the DUT holds mbufs; retry next loop */
	/* One TSC read per burst: the packets of a burst leave together. */
	pl.tsc = rte_rdtsc();
	for (k = 0; k < want; k++) {
		const struct gen_flow *fl = &g->flows[f];
		struct gen_txq *tq = &g->txq[fl->tx_idx * g->o.queues + fl->tx_queue];
		uint16_t size = sz->size[si];
		uint16_t len = (uint16_t)(size - GEN_FCS);

		if (unlikely(tq->n == GEN_STAGE))
			break; /* the PMD is not taking packets: stop building */
		pl.seq = (uint32_t)*seq;
		pl.flow = (uint16_t)f;
		gen_pkt_write(rte_pktmbuf_mtod(m[k], uint8_t *), fl, len, &pl, fixed, csum);
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

static inline void gen_flush(struct gen *g)
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

static unsigned int gen_staged(const struct gen *g)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < g->nb_txq; t++)
		n += g->txq[t].n;
	return n;
}

void gen_unstage(struct gen *g)
{
	for (unsigned int t = 0; t < g->nb_txq; t++) {
		for (unsigned int k = 0; k < g->txq[t].n; k++)
			g->c.unsent_bytes += g->txq[t].pkts[k]->pkt_len + GEN_FCS;
		if (g->txq[t].n)
			rte_pktmbuf_free_bulk(g->txq[t].pkts, g->txq[t].n);
		g->txq[t].n = 0;
	}
}

/* How many packets the pacer allows now, at most `max`: in pps mode the
 * credit itself, in byte mode as many of the next sizes as the credit
 * covers. *cost gets what they cost in pacer units. */
static inline unsigned int gen_paced_want(const struct gen *g, uint64_t avail, bool in_bytes,
					  unsigned int max)
{
	const struct gen_sizes *sz = g->sizes;
	uint32_t si = g->size_idx;
	unsigned int n = 0;

	if (!in_bytes)
		return (unsigned int)RTE_MIN(avail, (uint64_t)max);
	while (n < max) {
		uint64_t c = sz->size[si] + GEN_WIRE_OVERHEAD;

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
static inline unsigned int gen_window_want(struct gen *g, unsigned int want, uint64_t now,
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
void gen_counts_reset(struct gen *g)
{
	memset(&g->c, 0, sizeof(g->c));
	gen_hist_reset(g->lat);
	gen_hist_reset(g->lat_tick);
	memset(g->seen, 0, ((size_t)g->win_mask + 1) / 8);
	memset(g->flow_next, 0, g->o.flows * sizeof(*g->flow_next));
	g->size_idx = 0;
	g->flow_cur = 0;
}

void gen_loop(struct gen *g, const struct gen_rate *rate, double duration, uint64_t count)
{
	const struct gen_opts *o = &g->o;
	uint64_t seq = 0, now = rte_rdtsc(), prev_tsc = now;
	uint64_t send_deadline = duration > 0 ? now + (uint64_t)(duration * g->hz) : UINT64_MAX;
	uint64_t next_line = now + (uint64_t)o->stats_interval * g->hz;
	uint64_t drain_until = UINT64_MAX;
	bool lines = o->stats_interval > 0 && !o->quiet, in_bytes;
	double units = gen_rate_units(rate, o->line_rate_bps, &in_bytes);
	struct gen_counts prev;
	struct gen_pacer pacer;
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
	gen_pacer_init(&pacer, units, g->hz, now,
		       RTE_MAX((uint64_t)o->burst * 4 * (in_bytes ? GEN_MAX_SIZE + 20 : 1),
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
				want =
				    gen_paced_want(g, gen_pacer_avail(&pacer, now), in_bytes, want);
			if (count != 0)
				want = (unsigned int)RTE_MIN((uint64_t)want, count - seq);
			if (o->window != 0)
				want = gen_window_want(g, want, now, window_timeout, &window_unique,
						       &window_progress);
			if (want != 0) {
				unsigned int n = gen_build(g, want, &seq, &bytes);

				g->c.built_bytes += bytes;
				if (units > 0)
					gen_pacer_spend(
					    &pacer,
					    in_bytes ? bytes + (uint64_t)n * GEN_WIRE_OVERHEAD : n);
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
