/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's TCP client mode: N connections to an echo server over
 * sluice's own stack, each keeping --depth requests of --msg bytes in
 * flight, every echoed byte checked against a pattern keyed by connection
 * id and stream offset.
 *
 * Structure: the generator drives the `tcpip` stage itself, the way an
 * embedding app would (stage ops, port=N), on its one lcore: rx burst ->
 * stage -> tx burst, then the stage's poll (ARP and TCP timers) -> tx. The
 * client is just an app on that stage's TCP stack (sl_tcp_connect and
 * callbacks), so ARP, IPv4 and TCP are exactly the code sluice-echo runs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>

#include "gen_priv.h"
#include "net/net_priv.h"
#include "sluice/sl_stage.h"
#include "sluice/sl_tcp.h"

#define TCPG_BURST 32
#define TCPG_OUT 256
#define TCPG_MAX_DEPTH 256
#define TCPG_SEG 1400	    /* payload per mbuf: fits an MSS of 1460 */
#define TCPG_SLICE 256	    /* connection slots looked at per loop */
#define TCPG_CONNECTING 256 /* SYNs (and FINs when stopping) outstanding at most */

struct tcpg_conn {
	struct sl_tcp_conn *c;
	struct tcpg *t;
	uint32_t id; /* unique per connection attempt: keys the pattern */
	bool open, closing;
	uint64_t tx_off, rx_off; /* stream offsets: queued, verified */
	uint32_t inflight, msgs_queued;
	uint64_t msgs_done;
	uint32_t head, tail; /* ring of send TSCs, one per message in flight */
	uint64_t sent_tsc[TCPG_MAX_DEPTH];
	uint64_t connect_tsc;
	uint64_t retry_tsc; /* after a refused sl_tcp_connect, not before */
};

struct tcpg {
	const struct sl_gen_opts *o;
	uint16_t port_id;
	struct rte_mempool *pool;
	struct sl_tcp_stack *stack;
	uint64_t hz, tsc_mult;
	bool stopping;
	uint32_t next_id;
	uint32_t cursor;      /* next connection slot the main loop looks at */
	uint32_t connecting;  /* SYN sent, not yet established or failed */
	uint32_t closing_now; /* close() called, on_closed not yet */
	uint64_t open_now, open_peak, open_at_stop;
	struct tcpg_conn *conns;
	struct sl_gen_hist *lat, *conn_lat;
	/* counters */
	uint64_t opened, established, closed_ok, failed, reset, verify_errors, bytes_verified,
	    transactions, send_short, tx_drops, connect_errors;
	int first_connect_errno;
	uint64_t first_bad_off;
	uint32_t first_bad_conn;
};

/*
 * The pattern: connection `id`'s stream is a 1 MiB pseudo-random block read
 * from position (off + id * 7919) mod TCPG_PAT_LEN. Connections start at
 * different places, and the period (a prime just under 1 MiB) is longer
 * than any window, so a misplaced, duplicated or foreign segment shows.
 * Filling and checking are memcpy and memcmp (tens of bytes per cycle):
 * computing a pattern byte by byte capped the client near 5 Gbps.
 */
#define TCPG_PAT_LEN 1048573u

static uint8_t *tcpg_pat_block;

static int tcpg_pat_init(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (tcpg_pat_block != NULL)
		return 0;
	tcpg_pat_block = rte_malloc("sl_gen_pat", TCPG_PAT_LEN, RTE_CACHE_LINE_SIZE);
	if (tcpg_pat_block == NULL)
		return -1;
	for (uint32_t i = 0; i < TCPG_PAT_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		tcpg_pat_block[i] = (uint8_t)(x >> 24);
	}
	return 0;
}

static inline uint32_t tcpg_pat_pos(uint32_t id, uint64_t off)
{
	return (uint32_t)((off + (uint64_t)id * 7919u) % TCPG_PAT_LEN);
}

/* Bytes [off, off + len) of connection id's stream into dst. */
static void tcpg_pat_copy(uint32_t id, uint64_t off, uint8_t *dst, uint32_t len)
{
	uint32_t pos = tcpg_pat_pos(id, off);

	while (len > 0) {
		uint32_t k = RTE_MIN(len, TCPG_PAT_LEN - pos);

		memcpy(dst, tcpg_pat_block + pos, k);
		dst += k;
		len -= k;
		pos = 0;
	}
}

/* How many of p[0..len) differ from the stream at off; *first: the first one. */
static uint32_t tcpg_pat_check(uint32_t id, uint64_t off, const uint8_t *p, uint32_t len,
			       uint64_t *first)
{
	uint32_t pos = tcpg_pat_pos(id, off), bad = 0, done = 0;

	while (done < len) {
		uint32_t k = RTE_MIN(len - done, TCPG_PAT_LEN - pos);

		if (unlikely(memcmp(p + done, tcpg_pat_block + pos, k) != 0)) {
			for (uint32_t i = 0; i < k; i++)
				if (p[done + i] != tcpg_pat_block[pos + i] && bad++ == 0)
					*first = off + done + i;
		}
		done += k;
		pos = 0;
	}
	return bad;
}

static void tcpg_fill(struct tcpg_conn *tc);

static void tcpg_close(struct tcpg_conn *tc)
{
	tc->closing = true;
	tc->t->closing_now++;
	sl_tcp_close(tc->c);
}

static uint64_t tcpg_now_us(const struct tcpg *t)
{
	return (uint64_t)(((unsigned __int128)rte_rdtsc() * t->tsc_mult) >> 32);
}

/* Queue one message; false when the send buffer or the pool cannot take it. */
static bool tcpg_send_msg(struct tcpg_conn *tc)
{
	struct tcpg *t = tc->t;
	unsigned int msg = t->o->tcp.msg, nseg = (msg + TCPG_SEG - 1) / TCPG_SEG;
	struct rte_mbuf *m[(1 << 20) / TCPG_SEG + 1];
	uint16_t taken;

	if (sl_tcp_send_space(tc->c) < msg || nseg > RTE_DIM(m))
		return false;
	if (rte_pktmbuf_alloc_bulk(t->pool, m, nseg) != 0)
		return false;
	for (unsigned int s = 0, left = msg; s < nseg; s++) {
		unsigned int len = RTE_MIN(left, (unsigned int)TCPG_SEG);
		uint8_t *p = (uint8_t *)rte_pktmbuf_append(m[s], (uint16_t)len);

		tcpg_pat_copy(tc->id, tc->tx_off, p, len);
		tc->tx_off += len;
		left -= len;
	}
	taken = sl_tcp_send(tc->c, m, (uint16_t)nseg);
	if (taken < nseg) {
		/* send_space said yes: should not happen; the stream is now
		 * broken, so count it and stop this connection. */
		rte_pktmbuf_free_bulk(&m[taken], nseg - taken);
		t->send_short++;
		sl_tcp_abort(tc->c);
		return false;
	}
	tc->sent_tsc[tc->head++ % TCPG_MAX_DEPTH] = rte_rdtsc();
	tc->inflight++;
	return true;
}

static void tcpg_fill(struct tcpg_conn *tc)
{
	while (tc->open && !tc->closing && !tc->t->stopping && tc->inflight < tc->t->o->tcp.depth &&
	       (tc->t->o->tcp.msgs_per_conn == 0 ||
		tc->msgs_done + tc->inflight < tc->t->o->tcp.msgs_per_conn))
		if (!tcpg_send_msg(tc))
			break;
}

static void tcpg_on_connected(struct sl_tcp_conn *c, void *arg)
{
	struct tcpg_conn *tc = arg;

	RTE_SET_USED(c);
	tc->open = true;
	tc->t->established++;
	tc->t->connecting--;
	if (++tc->t->open_now > tc->t->open_peak)
		tc->t->open_peak = tc->t->open_now;
	sl_gen_hist_record(tc->t->conn_lat, rte_rdtsc() - tc->connect_tsc);
	tcpg_fill(tc);
}

static uint16_t tcpg_on_data(struct sl_tcp_conn *c, void *arg, struct rte_mbuf **m, uint16_t n)
{
	struct tcpg_conn *tc = arg;
	struct tcpg *t = tc->t;
	const unsigned int msg = t->o->tcp.msg;
	uint64_t now = rte_rdtsc();

	RTE_SET_USED(c);
	for (uint16_t i = 0; i < n; i++) {
		for (struct rte_mbuf *s = m[i]; s != NULL; s = s->next) {
			const uint8_t *p = rte_pktmbuf_mtod(s, const uint8_t *);

			uint64_t first = 0;
			uint32_t bad = tcpg_pat_check(tc->id, tc->rx_off, p, s->data_len, &first);

			if (unlikely(bad != 0)) {
				if (t->verify_errors == 0) {
					t->first_bad_conn = tc->id;
					t->first_bad_off = first;
				}
				t->verify_errors += bad;
			}
			tc->rx_off += s->data_len;
			t->bytes_verified += s->data_len;
		}
	}
	rte_pktmbuf_free_bulk(m, n);
	/* A transaction ends when all bytes of its message are back. */
	while (tc->inflight > 0 && tc->rx_off >= (tc->msgs_done + 1) * (uint64_t)msg) {
		sl_gen_hist_record(t->lat, now - tc->sent_tsc[tc->tail++ % TCPG_MAX_DEPTH]);
		tc->inflight--;
		tc->msgs_done++;
		t->transactions++;
	}
	if (tc->rx_off > tc->tx_off && t->verify_errors++ == 0) {
		t->first_bad_conn = tc->id; /* more back than we sent */
		t->first_bad_off = tc->tx_off;
	}
	if (t->o->tcp.msgs_per_conn && tc->msgs_done >= t->o->tcp.msgs_per_conn && !tc->closing &&
	    !t->o->tcp.hold) {
		tcpg_close(tc);
		return n;
	}
	tcpg_fill(tc);
	return n;
}

static void tcpg_on_sent(struct sl_tcp_conn *c, void *arg, uint32_t bytes)
{
	RTE_SET_USED(c);
	RTE_SET_USED(bytes);
	tcpg_fill(arg);
}

static void tcpg_on_peer_fin(struct sl_tcp_conn *c, void *arg)
{
	struct tcpg_conn *tc = arg;

	RTE_SET_USED(c);
	if (!tc->closing)
		tcpg_close(tc);
}

static void tcpg_on_closed(struct sl_tcp_conn *c, void *arg, enum sl_tcp_close_reason why)
{
	struct tcpg_conn *tc = arg;
	struct tcpg *t = tc->t;

	RTE_SET_USED(c);
	if (why == SL_TCP_CLOSED_NORMAL && tc->closing && tc->inflight == 0)
		t->closed_ok++;
	else if (why == SL_TCP_CLOSED_RESET || why == SL_TCP_CLOSED_REFUSED)
		t->reset++;
	else
		t->failed++;
	if (tc->open)
		t->open_now--;
	else
		t->connecting--;
	if (tc->closing)
		t->closing_now--;
	tc->c = NULL;
	tc->open = false;
}

static const struct sl_tcp_callbacks tcpg_cb = {
    .on_connected = tcpg_on_connected,
    .on_data = tcpg_on_data,
    .on_sent = tcpg_on_sent,
    .on_peer_fin = tcpg_on_peer_fin,
    .on_closed = tcpg_on_closed,
};

static void tcpg_connect(struct tcpg *t, struct tcpg_conn *tc)
{
	struct sl_tcp_tuple tu = {
	    .local_ip = t->o->tcp.local_ip_be,
	    .remote_ip = t->o->tcp.dst_ip_be,
	    .local_port = 0,
	    .remote_port = rte_cpu_to_be_16(
		(uint16_t)(t->o->tcp.dst_port + (tc - t->conns) % t->o->tcp.dst_ports)),
	};

	uint64_t now = rte_rdtsc();

	if (now < tc->retry_tsc)
		return;
	memset(tc, 0, sizeof(*tc));
	tc->t = t;
	tc->id = t->next_id++;
	tc->connect_tsc = now;
	tc->c = sl_tcp_connect(t->stack, &tu, &tcpg_cb, tc, tcpg_now_us(t));
	if (tc->c == NULL) {
		/* Table full (TIME_WAIT) or no port: count once, retry in 1 ms. */
		if (t->connect_errors++ == 0)
			t->first_connect_errno = rte_errno;
		tc->retry_tsc = now + t->hz / 1000;
	} else {
		t->opened++;
		t->connecting++;
	}
}

static void tcpg_tx(struct tcpg *t, struct rte_mbuf **out, const uint16_t *nexts, uint16_t n)
{
	struct rte_mbuf *tx[TCPG_OUT];
	uint16_t ntx = 0, sent = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (nexts[i] == SL_EDGE_NEXT)
			tx[ntx++] = out[i];
		else
			rte_pktmbuf_free(out[i]);
	}
	/* A few retries: memif refuses only while its ring is full. */
	for (int r = 0; r < 64 && sent < ntx; r++)
		sent += rte_eth_tx_burst(t->port_id, 0, tx + sent, ntx - sent);
	if (sent < ntx) {
		t->tx_drops += ntx - sent;
		rte_pktmbuf_free_bulk(tx + sent, ntx - sent);
	}
}

static void tcpg_report(const struct tcpg *t, double secs, uint64_t hz, FILE *f, bool json,
			const char *verdict)
{
	const struct sl_gen_hist *h = t->lat;
	double us = 1e6 / (double)hz;
	double q[4] = {0.5, 0.9, 0.99, 0.999};
	const char *qn[4] = {"p50", "p90", "p99", "p999"};

	if (json) {
		fprintf(
		    f,
		    "{\n  \"result\": \"%s\",\n  \"mode\": \"tcp\",\n  \"conns\": %u,\n  \"msg\": "
		    "%u,\n  \"depth\": %u,\n  \"duration_s\": %.6f,\n  \"conns_opened\": %" PRIu64
		    ",\n  \"conns_established\": %" PRIu64 ",\n  \"conns_closed_ok\": %" PRIu64
		    ",\n  \"conns_failed\": %" PRIu64 ",\n  \"conns_reset\": %" PRIu64
		    ",\n  \"conns_open_peak\": %" PRIu64 ",\n  \"conns_open_at_stop\": %" PRIu64
		    ",\n  \"conns_per_s\": %.1f,\n  \"transactions\": %" PRIu64
		    ",\n  \"transactions_per_s\": %.1f,\n  \"bytes_verified\": %" PRIu64
		    ",\n  \"goodput_gbps\": %.6f,\n  \"verify_errors\": %" PRIu64
		    ",\n  \"connect_errors\": %" PRIu64 ",\n  \"errors\": %" PRIu64
		    ",\n  \"latency_us\": {\"min\": %.3f, \"avg\": %.3f",
		    verdict, t->o->tcp.conns, t->o->tcp.msg, t->o->tcp.depth, secs, t->opened,
		    t->established, t->closed_ok, t->failed, t->reset, t->open_peak,
		    t->open_at_stop, secs > 0 ? (double)t->established / secs : 0, t->transactions,
		    secs > 0 ? (double)t->transactions / secs : 0, t->bytes_verified,
		    secs > 0 ? (double)t->bytes_verified * 8 / secs / 1e9 : 0, t->verify_errors,
		    t->connect_errors, t->failed + t->reset + t->send_short + t->tx_drops,
		    h->count ? (double)h->min * us : 0,
		    h->count ? (double)h->sum / (double)h->count * us : 0);
		for (int i = 0; i < 4; i++)
			fprintf(f, ", \"%s\": %.3f", qn[i],
				(double)sl_gen_hist_quantile(h, q[i]) * us);
		fprintf(f, ", \"max\": %.3f, \"samples\": %" PRIu64 "}\n}\n", (double)h->max * us,
			h->count);
		return;
	}
	fprintf(f, "\n=== sluice-gen TCP summary ===\n");
	fprintf(
	    f,
	    "connections  opened %" PRIu64 " established %" PRIu64 " (%.1f/s) closed ok %" PRIu64
	    " failed %" PRIu64 " reset/refused %" PRIu64 "; connect p50 %.1f us\n",
	    t->opened, t->established, secs > 0 ? (double)t->established / secs : 0, t->closed_ok,
	    t->failed, t->reset, (double)sl_gen_hist_quantile(t->conn_lat, 0.5) * us);
	fprintf(f, "             open at most %" PRIu64 " at once, %" PRIu64 " when stopping\n",
		t->open_peak, t->open_at_stop);
	fprintf(f, "transactions %" PRIu64 " in %.3f s = %.1f/s, %u B each, depth %u, %u conns\n",
		t->transactions, secs, secs > 0 ? (double)t->transactions / secs : 0, t->o->tcp.msg,
		t->o->tcp.depth, t->o->tcp.conns);
	fprintf(f, "goodput      %" PRIu64 " bytes verified = %.3f Gbps (echoed payload)\n",
		t->bytes_verified, secs > 0 ? (double)t->bytes_verified * 8 / secs / 1e9 : 0);
	fprintf(f, "latency us   min %.1f avg %.1f", h->count ? (double)h->min * us : 0,
		h->count ? (double)h->sum / (double)h->count * us : 0);
	for (int i = 0; i < 4; i++)
		fprintf(f, " %s %.1f", qn[i], (double)sl_gen_hist_quantile(h, q[i]) * us);
	fprintf(f, " max %.1f (%" PRIu64 " samples)\n", (double)h->max * us, h->count);
	fprintf(f, "errors       verify %" PRIu64, t->verify_errors);
	if (t->verify_errors)
		fprintf(f, " (first: conn %u offset %" PRIu64 ")", t->first_bad_conn,
			t->first_bad_off);
	fprintf(f, " send_short %" PRIu64 " tx_drops %" PRIu64, t->send_short, t->tx_drops);
	if (t->connect_errors)
		fprintf(f, " connect_refused_locally %" PRIu64 " (first: %s)", t->connect_errors,
			rte_strerror(t->first_connect_errno));
	fputc('\n', f);
	fprintf(f, "result: %s\n", verdict);
	fflush(f);
}

int sl_gen_tcp_run(const struct sl_gen_opts *o, uint16_t port_id, struct rte_mempool *pool,
		   volatile bool *stop)
{
	const struct sl_stage_ops *ops = sl_stage_find("tcpip");
	struct sl_worker_info w = {
	    .lcore = rte_lcore_id(), .socket = (int)rte_socket_id(), .pool = pool};
	struct sl_stage_ctx ctx = {.worker = &w};
	struct sl_stage_error err = {{0}};
	struct sl_stage_init init = {.instance = "sluice-gen tcp", .err = &err};
	static uint64_t counters[SL_STAGE_COUNTERS_MAX];
	struct rte_mbuf *pkts[TCPG_BURST], *out[TCPG_OUT];
	uint16_t nexts[TCPG_OUT];
	struct rte_kvargs *kv = NULL;
	struct tcpg t;
	char args[256], ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN + 8] = "";
	uint64_t start, deadline, end = 0, drain_until = UINT64_MAX, next_line;
	int rc = SL_GEN_EXIT_USAGE, tiers = 0;
	const char *verdict;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.port_id = port_id;
	t.pool = pool;
	t.hz = rte_get_tsc_hz();
	t.tsc_mult = (uint64_t)(((unsigned __int128)1000000 << 32) / t.hz);
	t.conns = rte_zmalloc("sl_gen_tcp", o->tcp.conns * sizeof(*t.conns), RTE_CACHE_LINE_SIZE);
	t.lat = rte_zmalloc("sl_gen_tlat", sizeof(*t.lat), RTE_CACHE_LINE_SIZE);
	t.conn_lat = rte_zmalloc("sl_gen_clat", sizeof(*t.conn_lat), RTE_CACHE_LINE_SIZE);
	if (ops == NULL || t.conns == NULL || t.lat == NULL || t.conn_lat == NULL ||
	    tcpg_pat_init() < 0) {
		fprintf(stderr, "%s: %s. Fix: more hugepages or fewer --conns\n", o->prog,
			ops == NULL ? "the tcpip stage is not built in" : "out of memory");
		goto out;
	}
	sl_gen_hist_reset(t.lat);
	sl_gen_hist_reset(t.conn_lat);
	inet_ntop(AF_INET, &o->tcp.local_ip_be, ip, sizeof(ip));
	if (o->tcp.gw_ip_be) {
		char g[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &o->tcp.gw_ip_be, g, sizeof(g));
		snprintf(gw, sizeof(gw), ",gw=%s", g);
	}
	/* No echo service on our side. We close actively, so our side holds
	 * TIME_WAIT: a short MSL and a big table keep reconnect loops going
	 * (a load client, not a host that must survive old duplicates). */
	snprintf(args, sizeof(args),
		 "ip=%s/24%s,port=%u,tcp_echo=0,udp_echo=0,max_conns=%u,rto_min_ms=200,"
		 "msl_ms=500,timestamps=on,mss=1460",
		 ip, gw, port_id,
		 RTE_MAX(65536u, rte_align32pow2(o->tcp.conns + o->tcp.conns / 4)));
	kv = rte_kvargs_parse(args, (const char *const *)ops->arg_keys);
	init.args = kv;
	ctx.counters = counters;
	ctx.priv = rte_zmalloc("sl_gen_nif", ops->priv_size, RTE_CACHE_LINE_SIZE);
	if (kv == NULL || ctx.priv == NULL) {
		fprintf(stderr,
			"%s: cannot set up the tcpip stage with '%s'. Fix: check --local-ip "
			"and --gateway\n",
			o->prog, args);
		goto out;
	}
	if ((ops->global_init && ops->global_init(&init) < 0) ||
	    (++tiers, ctx.global_state = init.global_state,
	     ops->node_init && ops->node_init(&init) < 0) ||
	    (++tiers, ctx.node_state = init.node_state, init.ctx = &ctx,
	     ops->worker_init && ops->worker_init(&init) < 0)) {
		fprintf(stderr, "%s: tcpip stage: %s. Fix: check --local-ip/--gateway\n", o->prog,
			err.msg);
		goto out;
	}
	tiers = 3;
	t.stack = ((struct sl_netif *)ctx.priv)->tcp;

	printf("tcp: %s -> %u.%u.%u.%u:%u, %u conns, %u B messages, depth %u, %.1f s\n", ip,
	       ((uint8_t *)&o->tcp.dst_ip_be)[0], ((uint8_t *)&o->tcp.dst_ip_be)[1],
	       ((uint8_t *)&o->tcp.dst_ip_be)[2], ((uint8_t *)&o->tcp.dst_ip_be)[3],
	       o->tcp.dst_port, o->tcp.conns, o->tcp.msg, o->tcp.depth, o->duration);
	fflush(stdout);
	start = rte_rdtsc();
	deadline = o->duration > 0 ? start + (uint64_t)(o->duration * (double)t.hz) : UINT64_MAX;
	next_line = start + t.hz;
	/* Let the stage announce itself (gratuitous ARP) before the SYNs. */
	tcpg_tx(&t, out, nexts, ops->poll(&ctx, out, nexts, TCPG_OUT));
	for (;;) {
		uint64_t now = rte_rdtsc();
		uint16_t n = rte_eth_rx_burst(port_id, 0, pkts, TCPG_BURST);

		if (n)
			tcpg_tx(&t, out, nexts,
				ops->process_vector(&ctx, pkts, n, out, nexts, TCPG_OUT));
		tcpg_tx(&t, out, nexts, ops->poll(&ctx, out, nexts, TCPG_OUT));
		if (!t.stopping && (now >= deadline || *stop)) {
			/* Stop: close every connection after its in-flight echoes. */
			t.stopping = true;
			t.open_at_stop = t.open_now;
			end = now;
			/* Long enough for RTO backoff after a few drops on the
			 * wire (200 ms, 400, 800, 1.6 s, ...): an echo that is
			 * merely late must not count as failed; one that never
			 * comes back still does. */
			drain_until = now + 10 * t.hz;
		}
		/*
		 * Look at a slice of the connection slots per loop, not all of them
		 * (--conns can be a million): open what is closed, at most
		 * TCPG_CONNECTING SYNs outstanding, so a big --conns ramps up
		 * instead of overflowing the tx path, the ARP hold queue and the
		 * peer's SYN backlog; when stopping, close what has no echo in
		 * flight, as many at a time.
		 */
		for (unsigned int k = 0; k < TCPG_SLICE; k++) {
			struct tcpg_conn *tc = &t.conns[t.cursor];

			if (++t.cursor == o->tcp.conns)
				t.cursor = 0;
			if (!t.stopping) {
				if (tc->c == NULL && t.connecting < TCPG_CONNECTING)
					tcpg_connect(&t, tc); /* (re)connect */
			} else if (tc->c != NULL) {
				/* (one still in its handshake is closed once it is open:
				 * aborting it here would count our own stop as a failure) */
				if (!tc->closing && tc->open && tc->inflight == 0 &&
				    t.closing_now < TCPG_CONNECTING)
					tcpg_close(tc);
			}
		}
		if (t.stopping && ((t.open_now == 0 && t.connecting == 0) || now >= drain_until))
			break;
		if (!o->quiet && o->stats_interval && now >= next_line) {
			double s = (double)(now - start) / (double)t.hz;

			printf("[%7.1f s] conns %" PRIu64 " transactions %" PRIu64 " (%.0f/s avg) "
			       "verified %" PRIu64 " B verify_errors %" PRIu64 " failed %" PRIu64
			       "\n",
			       s, t.established, t.transactions, (double)t.transactions / s,
			       t.bytes_verified, t.verify_errors, t.failed + t.reset);
			fflush(stdout);
			next_line += t.hz * o->stats_interval;
		}
	}
	for (unsigned int i = 0; i < o->tcp.conns; i++) {
		struct tcpg_conn *tc = &t.conns[i];

		if (tc->c != NULL && (tc->inflight || !tc->open)) {
			/* an echo never came back, or the handshake never finished */
			char d[512];

			if (t.failed++ >= 8)
				continue; /* a few are enough to see the pattern */
			sl_tcp_conn_describe(tc->c, d, sizeof(d));
			if (tc->open)
				fprintf(stderr, "%s: conn %u: %u echo(es) never came back: %s\n",
					o->prog, i, tc->inflight, d);
			else
				fprintf(stderr, "%s: conn %u: handshake never finished: %s\n",
					o->prog, i, d);
		}
	}
	if (t.failed + t.reset > 0 && ops->counters != NULL) {
		/* what the stack saw, for the post-mortem */
		fprintf(stderr, "%s: tcpip counters:", o->prog);
		for (unsigned int i = 0; ops->counters[i] != NULL; i++)
			if (counters[i] != 0)
				fprintf(stderr, " %s=%" PRIu64, ops->counters[i], counters[i]);
		fputc('\n', stderr);
	}
	{
		double secs = (double)(end - start) / (double)t.hz;
		bool pass = t.verify_errors == 0 && t.transactions > 0 && t.failed == 0 &&
			    t.reset == 0 && t.send_short == 0;

		verdict = pass ? "pass" : "fail";
		tcpg_report(&t, secs, t.hz, stdout, false, verdict);
		if (o->json != NULL) {
			FILE *f = fopen(o->json, "w");

			if (f == NULL) {
				fprintf(stderr, "%s: cannot write --json %s: %s\n", o->prog,
					o->json, strerror(errno));
			} else {
				tcpg_report(&t, secs, t.hz, f, true, verdict);
				fclose(f);
			}
		}
		if (!pass)
			fprintf(stderr,
				"%s: FAILED: %" PRIu64 " verify errors, %" PRIu64
				" failed and %" PRIu64 " reset connections, %" PRIu64
				" transactions\n",
				o->prog, t.verify_errors, t.failed, t.reset, t.transactions);
		rc = pass ? SL_GEN_EXIT_OK : SL_GEN_EXIT_FAILED;
	}
out:
	if (tiers >= 3 && ops->worker_fini)
		ops->worker_fini(&ctx);
	if (tiers >= 2 && ops->node_fini && ctx.node_state)
		ops->node_fini(ctx.node_state);
	if (tiers >= 1 && ops->global_fini && ctx.global_state)
		ops->global_fini(ctx.global_state);
	rte_free(ctx.priv);
	rte_kvargs_free(kv);
	rte_free(t.conns);
	rte_free(tcpg_pat_block);
	tcpg_pat_block = NULL;
	rte_free(t.lat);
	rte_free(t.conn_lat);
	return rc;
}
