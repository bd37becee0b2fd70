/* SPDX-License-Identifier: BSD-3-Clause */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rte_byteorder.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "tcp_harness.h"

static struct rte_mempool *pool;

void th_eal(void)
{
	char prefix[64];
	/* DPDK 22.11 refuses --in-memory with --no-huge; --no-shconf is the same "no files". */
	char *argv[] = {"sluice-tcp-unit",
			"--no-huge",
			"-m",
			"128",
			"--no-shconf",
			"--file-prefix",
			prefix,
			"-l",
			"0",
			"--no-pci",
			"--no-telemetry",
			"--log-level=error",
			NULL};

	if (pool != NULL)
		return;
	snprintf(prefix, sizeof(prefix), "sl-tcp-%d", (int)getpid());
	cr_assert_geq(rte_eal_init((int)RTE_DIM(argv) - 1, argv), 0, "rte_eal_init: %s",
		      rte_strerror(rte_errno));
	pool = rte_pktmbuf_pool_create("th_pool", 16383, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	cr_assert_not_null(pool);
}

void th_eal_done(void)
{
	char dir[PATH_MAX];

	if (pool == NULL)
		return;
	cr_expect_eq(rte_mempool_in_use_count(pool), 0, "%u mbufs leaked",
		     rte_mempool_in_use_count(pool));
	rte_mempool_free(pool);
	pool = NULL;
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	rmdir(dir);
}

struct rte_mempool *th_pool(void)
{
	return pool;
}

/* ---- parsing what the stack sends ---- */

static void parse_seg(struct rte_mbuf *m, const struct sl_tcp_tuple *t, uint64_t now,
		      struct th_seg *g)
{
	uint8_t buf[60];
	const struct rte_tcp_hdr *th;

	memset(g, 0, sizeof(*g));
	cr_assert_geq(m->pkt_len, 20u, "segment shorter than a TCP header");
	th = rte_pktmbuf_read(m, 0, RTE_MIN(m->pkt_len, 60u), buf);
	g->hlen = (uint16_t)((th->data_off >> 4) * 4);
	cr_assert(g->hlen >= 20 && g->hlen <= m->pkt_len, "bad data offset in output");
	g->seq = rte_be_to_cpu_32(th->sent_seq);
	g->ack = rte_be_to_cpu_32(th->recv_ack);
	g->win = rte_be_to_cpu_16(th->rx_win);
	g->flags = th->tcp_flags;
	g->raw_opts_len = (uint8_t)(g->hlen - 20);
	memcpy(g->raw_opts, th + 1, g->raw_opts_len);
	cr_assert_eq(tcp_opts_parse(g->raw_opts, g->raw_opts_len, &g->o, false), 0,
		     "stack sent malformed options");
	g->len = m->pkt_len - g->hlen;
	if (g->len > 0) {
		g->data = malloc(g->len);
		cr_assert_not_null(rte_pktmbuf_read(m, g->hlen, g->len, g->data));
		/* rte_pktmbuf_read may return a pointer into the mbuf instead of copying */
		memcpy(g->data, rte_pktmbuf_read(m, g->hlen, g->len, g->data), g->len);
	}
	g->cksum_ok = tcp_cksum(m, m->pkt_len, t->local_ip, t->remote_ip) == 0;
	g->nb_segs = m->nb_segs;
	g->at_us = now;
	g->t = *t;
}

static void record(struct th *h, struct rte_mbuf *m, const struct sl_tcp_tuple *t)
{
	struct th_seg *g;

	if (h->nout >= TH_MAX_OUT) {
		/* long pair runs: keep the last slot rolling */
		free(h->out[TH_MAX_OUT - 1].data);
		h->nout = TH_MAX_OUT - 1;
	}
	g = &h->out[h->nout++];
	parse_seg(m, t, h->now, g);
	cr_assert(g->cksum_ok, "stack sent a bad TCP checksum (seq %u)", g->seq);
}

static void output(void *ctx, struct rte_mbuf *m, const struct sl_tcp_tuple *t)
{
	struct th *h = ctx;

	record(h, m, t);
	if (h->peer != NULL) {
		cr_assert_lt(h->peer->wire_n, TH_MAX_OUT);
		h->peer->wire_t[h->peer->wire_n] = *t;
		h->peer->wire[h->peer->wire_n++] = m;
	} else if (h->hold && h->nheld < TH_MAX_OUT) {
		h->held[h->nheld++] = m;
	} else {
		rte_pktmbuf_free(m);
	}
}

void th_release(struct th *h)
{
	for (unsigned int i = 0; i < h->nheld; i++)
		rte_pktmbuf_free(h->held[i]);
	h->nheld = 0;
}

/* ---- the recording app ---- */

static int app_accept(struct sl_tcp_conn *c, void *listen_arg, void **conn_arg)
{
	struct th *h = listen_arg;

	h->app.accepts++;
	if (h->app.reject)
		return -1;
	h->app.conn = c;
	*conn_arg = h;
	return 0;
}

static void app_connected(struct sl_tcp_conn *c, void *arg)
{
	struct th *h = arg;

	h->app.connects++;
	h->app.conn = c;
}

static uint16_t app_data(struct sl_tcp_conn *c, void *arg, struct rte_mbuf **m, uint16_t n)
{
	struct th *h = arg;
	uint16_t take = h->app.take < 0 ? n : (uint16_t)RTE_MIN((int)n, h->app.take);

	(void)c;
	h->app.data_calls++;
	for (uint16_t i = 0; i < take; i++) {
		uint32_t len = m[i]->pkt_len;

		if (h->app.rx_len + len > h->app.rx_cap) {
			h->app.rx_cap = (h->app.rx_len + len) * 2 + 4096;
			h->app.rx = realloc(h->app.rx, h->app.rx_cap);
			cr_assert_not_null(h->app.rx);
		}
		for (struct rte_mbuf *s = m[i]; s != NULL; s = s->next) {
			memcpy(h->app.rx + h->app.rx_len, rte_pktmbuf_mtod(s, void *), s->data_len);
			h->app.rx_len += s->data_len;
		}
		rte_pktmbuf_free(m[i]);
	}
	if (h->app.take > 0)
		h->app.take -= take;
	return take;
}

static void app_sent(struct sl_tcp_conn *c, void *arg, uint32_t bytes)
{
	struct th *h = arg;

	(void)c;
	h->app.sent_calls++;
	h->app.acked_bytes += bytes;
	if (h->app.refill)
		h->app.refill_off += th_send_pattern(
		    h, h->app.refill_off, bytes, h->app.refill_chunk ? h->app.refill_chunk : 1000);
}

static void app_peer_fin(struct sl_tcp_conn *c, void *arg)
{
	struct th *h = arg;

	(void)c;
	h->app.peer_fins++;
}

static void app_closed(struct sl_tcp_conn *c, void *arg, enum sl_tcp_close_reason why)
{
	struct th *h = arg;

	h->app.closes++;
	h->app.reason = why;
	if (h->app.close_in_closed)
		cr_expect_neq(sl_tcp_close(c), 0, "close on a closed connection succeeded");
	if (h->app.conn == c)
		h->app.conn = NULL;
}

/* ---- stack ---- */

void th_init(struct th *h, th_cfg_fn fn)
{
	th_eal();
	memset(h, 0, sizeof(*h));
	h->now = TH_T0;
	h->t = (struct sl_tcp_tuple){TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, TH_REMOTE_PORT};
	sl_tcp_config_defaults(&h->cfg);
	h->cfg.max_conns = 64;
	h->cfg.syn_backlog = 16;
	h->cfg.timestamps = false;
	/* The checklist's F items are written for RFC 5681's halving; CUBIC has its own tests. */
	h->cfg.cc = SL_TCP_CC_NEWRENO;
	h->cfg.pool = pool;
	h->cfg.output = output;
	h->cfg.output_ctx = h;
	memset(h->cfg.isn_secret, 0x5a, sizeof(h->cfg.isn_secret));
	if (fn != NULL)
		fn(&h->cfg);
	h->s = sl_tcp_stack_create(&h->cfg, h->now);
	cr_assert_not_null(h->s, "stack: %s", rte_strerror(rte_errno));
	h->app.take = -1;
	h->cb = (struct sl_tcp_callbacks){app_accept, app_connected, app_data,
					  app_sent,   app_peer_fin,  app_closed};
}

void th_fini(struct th *h)
{
	sl_tcp_stack_free(h->s);
	h->s = NULL;
	th_clear(h);
	th_release(h);
	for (unsigned int i = 0; i < h->wire_n; i++)
		rte_pktmbuf_free(h->wire[i]);
	h->wire_n = 0;
	free(h->app.rx);
	h->app.rx = NULL;
}

void th_inject(struct th *h, const struct th_spec *sp)
{
	uint8_t opts[60];
	unsigned int olen = 0, hl;
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_tcp_hdr *th;
	const struct sl_tcp_tuple *t = sp->tuple != NULL ? sp->tuple : &h->t;
	uint8_t *p;

	cr_assert_not_null(m);
	if (sp->raw_opts != NULL) {
		memcpy(opts, sp->raw_opts, sp->raw_opts_len);
		olen = sp->raw_opts_len;
	} else {
		if (sp->mss != 0) {
			opts[olen++] = 2;
			opts[olen++] = 4;
			opts[olen++] = (uint8_t)(sp->mss >> 8);
			opts[olen++] = (uint8_t)sp->mss;
		}
		if (sp->ws >= 0) {
			opts[olen++] = 1;
			opts[olen++] = 3;
			opts[olen++] = 3;
			opts[olen++] = (uint8_t)sp->ws;
		}
		if (sp->sack_perm) {
			opts[olen++] = 1;
			opts[olen++] = 1;
			opts[olen++] = 4;
			opts[olen++] = 2;
		}
		if (sp->ts) {
			uint32_t v = rte_cpu_to_be_32(sp->tsval), e = rte_cpu_to_be_32(sp->tsecr);

			opts[olen++] = 1;
			opts[olen++] = 1;
			opts[olen++] = 8;
			opts[olen++] = 10;
			memcpy(opts + olen, &v, 4);
			memcpy(opts + olen + 4, &e, 4);
			olen += 8;
		}
		if (sp->nsack != 0) {
			opts[olen++] = 1;
			opts[olen++] = 1;
			opts[olen++] = 5;
			opts[olen++] = (uint8_t)(2 + 8 * sp->nsack);
			for (unsigned int k = 0; k < sp->nsack; k++) {
				uint32_t a = rte_cpu_to_be_32(sp->sack[k].start);
				uint32_t b = rte_cpu_to_be_32(sp->sack[k].end);

				memcpy(opts + olen, &a, 4);
				memcpy(opts + olen + 4, &b, 4);
				olen += 8;
			}
		}
	}
	while (olen % 4 != 0)
		opts[olen++] = 0;
	hl = 20 + olen;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(hl + sp->len));
	cr_assert_not_null(p);
	th = (struct rte_tcp_hdr *)p;
	th->src_port = t->remote_port;
	th->dst_port = t->local_port;
	th->sent_seq = rte_cpu_to_be_32(sp->seq);
	th->recv_ack = rte_cpu_to_be_32(sp->ack);
	th->data_off = (uint8_t)((sp->doff != 0 ? sp->doff : (int)(hl / 4)) << 4);
	th->tcp_flags = sp->flags;
	th->rx_win = rte_cpu_to_be_16(sp->win);
	th->cksum = 0;
	th->tcp_urp = 0;
	memcpy(p + 20, opts, olen);
	if (sp->len > 0) {
		if (sp->data != NULL)
			memcpy(p + hl, sp->data, sp->len);
		else
			memset(p + hl, 0xab, sp->len);
	}
	/* The checksum as the peer computes it: its source is our remote. */
	th->cksum = tcp_cksum(m, m->pkt_len, t->remote_ip, t->local_ip);
	if (sp->bad_cksum)
		th->cksum ^= 0x1234;
	sl_tcp_input(h->s, m, t, h->now);
}

void th_advance(struct th *h, uint64_t us)
{
	h->now += us;
	sl_tcp_timers(h->s, h->now);
}

void th_run_until(struct th *h, uint64_t until)
{
	for (;;) {
		uint64_t next = sl_tcp_next_timer(h->s);

		if (next == UINT64_MAX || next > until)
			break;
		if (next > h->now)
			h->now = next;
		sl_tcp_timers(h->s, h->now);
	}
	if (until > h->now)
		h->now = until;
	sl_tcp_timers(h->s, h->now);
}

unsigned int th_count(const struct th *h)
{
	return h->nout;
}

struct th_seg *th_out(struct th *h, unsigned int i)
{
	cr_assert_lt(i, h->nout, "asked for output %u of %u", i, h->nout);
	return &h->out[i];
}

struct th_seg *th_last(struct th *h)
{
	cr_assert_gt(h->nout, 0u, "the stack sent nothing");
	return &h->out[h->nout - 1];
}

void th_clear(struct th *h)
{
	for (unsigned int i = 0; i < h->nout; i++)
		free(h->out[i].data);
	h->nout = 0;
}

uint64_t th_stat(const struct th *h, const char *name)
{
	const uint64_t *v = (const uint64_t *)sl_tcp_stack_stats(h->s);

	for (unsigned int i = 0; sl_tcp_stats_names[i] != NULL; i++)
		if (strcmp(sl_tcp_stats_names[i], name) == 0)
			return v[i];
	cr_assert_fail("no counter %s", name);
	return 0;
}

void th_listen(struct th *h)
{
	cr_assert_eq(sl_tcp_listen(h->s, TH_LOCAL_PORT, &h->cb, h), 0);
}

void th_passive_open(struct th *h, uint32_t peer_isn, uint16_t mss, int ws, bool ts)
{
	struct th_seg *sa;

	th_listen(h);
	th_clear(h);
	th_inject(h, &(struct th_spec){.flags = TCP_SYN,
				       .seq = peer_isn,
				       .win = 65535,
				       .mss = mss,
				       .ws = ws,
				       .ts = ts,
				       .sack_perm = h->peer_sack,
				       .tsval = 1000});
	cr_assert_eq(th_count(h), 1u);
	sa = th_last(h);
	cr_assert_eq(sa->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(sa->ack, peer_isn + 1);
	h->iss = sa->seq;
	h->irs = peer_isn;
	h->pseq = peer_isn + 1;
	th_clear(h);
	th_inject(h, &(struct th_spec){.flags = TCP_ACK,
				       .seq = h->pseq,
				       .ack = h->iss + 1,
				       .win = 65535,
				       .ts = ts && h->cfg.timestamps,
				       .tsval = 1001,
				       .tsecr = sa->o.tsval});
	cr_assert_eq(h->app.accepts, 1u);
	cr_assert_not_null(h->app.conn);
	cr_assert_str_eq(sl_tcp_conn_state(h->app.conn), "ESTABLISHED");
}

void th_active_open(struct th *h, uint32_t peer_isn, uint16_t mss, int ws, bool ts)
{
	struct sl_tcp_conn *c;
	struct th_seg *syn;

	th_clear(h);
	c = sl_tcp_connect(h->s, &h->t, &h->cb, h, h->now);
	cr_assert_not_null(c);
	cr_assert_eq(th_count(h), 1u);
	syn = th_last(h);
	cr_assert_eq(syn->flags, TCP_SYN);
	h->iss = syn->seq;
	h->irs = peer_isn;
	h->pseq = peer_isn + 1;
	th_clear(h);
	th_inject(h, &(struct th_spec){.flags = TCP_SYN | TCP_ACK,
				       .seq = peer_isn,
				       .ack = h->iss + 1,
				       .win = 65535,
				       .mss = mss,
				       .ws = ws,
				       .ts = ts,
				       .tsval = 5000,
				       .tsecr = syn->o.tsval});
	cr_assert_eq(h->app.connects, 1u);
	cr_assert_eq(h->app.conn, c);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	cr_assert_geq(th_count(h), 1u);
	cr_assert_eq(th_last(h)->flags & TCP_ACK, TCP_ACK);
	cr_assert_eq(th_last(h)->ack, peer_isn + 1);
}

void th_peer_data(struct th *h, const void *data, uint32_t len, uint32_t ack)
{
	th_inject(h, &(struct th_spec){.flags = TCP_ACK | TCP_PSH,
				       .seq = h->pseq,
				       .ack = ack,
				       .win = 65535,
				       .data = data,
				       .len = len});
	h->pseq += len;
}

void th_peer_ack(struct th *h, uint32_t ack, uint16_t win)
{
	th_inject(h, &(struct th_spec){.flags = TCP_ACK, .seq = h->pseq, .ack = ack, .win = win});
}

uint32_t th_send_pattern(struct th *h, uint32_t base, uint32_t len, uint32_t chunk)
{
	uint32_t done = 0;

	cr_assert_not_null(h->app.conn);
	while (done < len) {
		uint32_t k = RTE_MIN(chunk, len - done);
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
		uint8_t *p;

		cr_assert_not_null(m);
		cr_assert_leq(k, (uint32_t)rte_pktmbuf_tailroom(m));
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)k);
		for (uint32_t i = 0; i < k; i++)
			p[i] = th_pattern(base + done + i);
		if (sl_tcp_send(h->app.conn, &m, 1) != 1) {
			rte_pktmbuf_free(m);
			break;
		}
		done += k;
	}
	return done;
}

/* ---- pair mode ---- */

void th_pair(struct th *a, struct th *b, th_cfg_fn fa, th_cfg_fn fb)
{
	th_init(a, fa);
	th_init(b, fb);
	a->peer = b;
	b->peer = a;
	/* b's view of the tuple is a's, mirrored */
	b->t =
	    (struct sl_tcp_tuple){a->t.remote_ip, a->t.local_ip, a->t.remote_port, a->t.local_port};
}

unsigned int th_pair_pump(struct th *a, struct th *b, th_drop_fn drop, void *ctx)
{
	unsigned int moved = 0;

	for (int round = 0; round < 100000; round++) {
		struct th *sides[2] = {a, b};
		bool any = false;

		for (int k = 0; k < 2; k++) {
			struct th *to = sides[k];
			struct th *from = sides[1 - k];
			unsigned int n = to->wire_n;
			struct rte_mbuf *batch[TH_MAX_OUT];
			struct sl_tcp_tuple bt[TH_MAX_OUT];

			if (n == 0)
				continue;
			any = true;
			memcpy(batch, to->wire, n * sizeof(batch[0]));
			memcpy(bt, to->wire_t, n * sizeof(bt[0]));
			to->wire_n = 0;
			for (unsigned int i = 0; i < n; i++) {
				/* bt is the sender's view; the receiver sees it mirrored */
				struct sl_tcp_tuple rt = {bt[i].remote_ip, bt[i].local_ip,
							  bt[i].remote_port, bt[i].local_port};

				if (drop != NULL) {
					struct th_seg g;
					bool d;

					parse_seg(batch[i], &bt[i], from->now, &g);
					d = drop(ctx, from, &g);
					free(g.data);
					if (d) {
						rte_pktmbuf_free(batch[i]);
						continue;
					}
				}
				/* the stack reads headers it wrote: strip nothing, it is TCP-first
				 */
				batch[i]->ol_flags = 0;
				sl_tcp_input(to->s, batch[i], &rt, to->now);
				moved++;
			}
		}
		if (!any)
			break;
	}
	/* outputs are recorded but not needed in pair runs: keep memory bounded */
	th_clear(a);
	th_clear(b);
	return moved;
}

void th_pair_advance(struct th *a, struct th *b, uint64_t us)
{
	a->now += us;
	b->now += us;
	sl_tcp_timers(a->s, a->now);
	sl_tcp_timers(b->s, b->now);
}

void th_mss1000(struct sl_tcp_config *cfg)
{
	cfg->mss = 1000;
}

struct sl_tcp_conn *th_open_server(struct th *h, th_cfg_fn fn)
{
	th_init(h, fn != NULL ? fn : th_mss1000);
	th_passive_open(h, 1000, 1000, TH_NO_WS, false);
	th_clear(h);
	return h->app.conn;
}
