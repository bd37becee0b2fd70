/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Randomised soak: a client stack streams bytes to an echo service on a
 * second stack over a simulated wire with latency, jitter, loss,
 * reordering and duplication in both directions (the shape of the
 * echo-tcp-impair integration test, but on the virtual clock, so a seed
 * that stalls is reproducible). Every byte must come back exactly once and
 * in order, and the connection must never go quiet with work left: a
 * stall (no timer armed and nothing on the wire, or no progress for a
 * long virtual time) fails with both sides' state. Then the client closes
 * (the server already shut down after the client's FIN) and both
 * connection tables must empty, lost FINs and ACKs included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "tcp_harness.h"

TestSuite(tcp_soak, .init = th_eal, .fini = th_eal_done);

/* ---- the wire: a time-ordered queue of packets in flight ---- */

#define WIRE_MAX 16384

struct flight {
	uint64_t at;
	struct th *to;
	struct rte_mbuf *m;
	struct sl_tcp_tuple t; /* the sender's view */
};

struct wire {
	struct flight q[WIRE_MAX];
	unsigned int n;
	uint64_t rng;
	unsigned int loss_pm, reorder_pm, dup_pm; /* per mille */
	uint64_t lat_us, jitter_us;
	uint64_t lost, reordered, duplicated;
};

static uint32_t rnd(struct wire *w)
{
	/* xorshift64*: enough for a test, and the same on every machine. */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (uint32_t)((w->rng * 0x2545f4914f6cdd1dull) >> 32);
}

static void wire_put(struct wire *w, uint64_t at, struct th *to, struct rte_mbuf *m,
		     const struct sl_tcp_tuple *t)
{
	unsigned int i;

	cr_assert_lt(w->n, WIRE_MAX, "wire overflow");
	/* sorted by time, FIFO among equals */
	for (i = w->n; i > 0 && w->q[i - 1].at > at; i--)
		w->q[i] = w->q[i - 1];
	w->q[i] = (struct flight){at, to, m, *t};
	w->n++;
}

/* Take what the stacks emitted (th output puts it on the peer's wire array). */
static void wire_collect(struct wire *w, struct th *to, uint64_t now)
{
	for (unsigned int i = 0; i < to->wire_n; i++) {
		struct rte_mbuf *m = to->wire[i];
		uint64_t at = now + w->lat_us + (w->jitter_us ? rnd(w) % w->jitter_us : 0);

		if (rnd(w) % 1000 < w->loss_pm) {
			w->lost++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (rnd(w) % 1000 < w->dup_pm) {
			struct rte_mbuf *d = rte_pktmbuf_copy(m, th_pool(), 0, UINT32_MAX);

			if (d != NULL) {
				w->duplicated++;
				wire_put(w, at + 1, to, d, &to->wire_t[i]);
			}
		}
		if (rnd(w) % 1000 < w->reorder_pm) {
			/* held back behind a few of its successors */
			w->reordered++;
			at += 3 * w->lat_us;
		}
		wire_put(w, at, to, m, &to->wire_t[i]);
	}
	to->wire_n = 0;
}

/* ---- the echo service on b (as lib/net/echo.c does it) ---- */

struct echo {
	struct sl_tcp_conn *conn;
	bool stalled;
};

static struct echo echo_state;

static int echo_accept(struct sl_tcp_conn *c, void *listen_arg, void **conn_arg)
{
	struct echo *e = listen_arg;

	e->conn = c;
	*conn_arg = e;
	return 0;
}

static uint16_t echo_data(struct sl_tcp_conn *c, void *arg, struct rte_mbuf **m, uint16_t n)
{
	struct echo *e = arg;
	uint16_t taken = sl_tcp_send(c, m, n);

	e->stalled = taken < n;
	return taken;
}

static void echo_sent(struct sl_tcp_conn *c, void *arg, uint32_t bytes)
{
	struct echo *e = arg;

	(void)bytes;
	if (e->stalled)
		sl_tcp_recv_resume(c);
}

static void echo_peer_fin(struct sl_tcp_conn *c, void *arg)
{
	(void)arg;
	sl_tcp_shutdown(c);
}

static void echo_closed(struct sl_tcp_conn *c, void *arg, enum sl_tcp_close_reason why)
{
	struct echo *e = arg;

	(void)why;
	if (e->conn == c)
		e->conn = NULL;
}

static const struct sl_tcp_callbacks echo_cb = {
    .on_accept = echo_accept,
    .on_data = echo_data,
    .on_sent = echo_sent,
    .on_peer_fin = echo_peer_fin,
    .on_closed = echo_closed,
};

/* ---- the run ---- */

static struct th a, b;
static struct wire wire;

static uint8_t soak_cc; /* the congestion control of this seed's run */

static void soak_cfg(struct sl_tcp_config *c)
{
	/* what echo_tcp_impair.sh gives sluice-echo */
	c->rcv_buf = 65536;
	c->snd_buf = 65536;
	c->timestamps = true;
	c->msl_us = 500000;
	c->cc = soak_cc;
}

static void dump(const char *who, const struct sl_tcp_conn *c)
{
	char d[512];

	if (c == NULL) {
		fprintf(stderr, "%s: no connection\n", who);
		return;
	}
	sl_tcp_conn_describe(c, d, sizeof(d));
	fprintf(stderr, "%s: %s\n", who, d);
}

struct soak_param {
	uint64_t seed;
	uint32_t bytes;
	unsigned int loss_pm, reorder_pm, dup_pm;
	uint32_t chunk; /* client write size */
	bool pauses;	/* the client stops reading now and then */
};

static void soak(const struct soak_param *p)
{
	const uint64_t limit_us = 120ull * 1000000; /* virtual */
	struct sl_tcp_conn *ca;
	uint32_t sent = 0;
	uint64_t last_progress_at, last_rx = 0;
	bool fin_sent = false, closed = false;
	uint64_t done_at = 0;

	memset(&wire, 0, sizeof(wire));
	wire.rng = p->seed * 0x9e3779b97f4a7c15ull + 1;
	wire.loss_pm = p->loss_pm;
	wire.reorder_pm = p->reorder_pm;
	wire.dup_pm = p->dup_pm;
	wire.lat_us = 50;
	wire.jitter_us = 20;
	memset(&echo_state, 0, sizeof(echo_state));
	/* Odd seeds run CUBIC, even ones NewReno: both are soaked. */
	soak_cc = (p->seed & 1) ? SL_TCP_CC_CUBIC : SL_TCP_CC_NEWRENO;

	th_pair(&a, &b, soak_cfg, soak_cfg);
	cr_assert_eq(sl_tcp_listen(b.s, b.t.local_port, &echo_cb, &echo_state), 0);
	ca = sl_tcp_connect(a.s, &a.t, &a.cb, &a, a.now);
	cr_assert_not_null(ca);
	last_progress_at = a.now;

	for (;;) {
		uint64_t next_timer, next;

		/* the client writes whenever it has room, like the python client */
		if (a.app.conn != NULL && sent < p->bytes) {
			uint32_t space = sl_tcp_send_space(a.app.conn);

			if (space >= p->chunk || space >= p->bytes - sent) {
				uint32_t k = RTE_MIN(space, p->bytes - sent);

				sent += th_send_pattern(&a, sent, k, p->chunk);
			}
		}
		if (a.app.conn != NULL && sent == p->bytes && !fin_sent) {
			sl_tcp_shutdown(a.app.conn);
			fin_sent = true;
		}
		/* a client that stops reading for 300 ms of every second: zero windows */
		if (p->pauses && a.app.conn != NULL) {
			bool pause = (a.now - TH_T0) % 1000000 < 300000;

			if (pause && a.app.take != 0) {
				a.app.take = 0;
			} else if (!pause && a.app.take == 0) {
				a.app.take = -1;
				sl_tcp_recv_resume(a.app.conn);
			}
		}
		wire_collect(&wire, &b, a.now); /* a's output is on b's wire array */
		wire_collect(&wire, &a, b.now);
		th_clear(&a);
		th_clear(&b);
		if (a.app.rx_len != last_rx) {
			last_rx = a.app.rx_len;
			last_progress_at = a.now;
		}
		if (a.app.rx_len == p->bytes && a.app.peer_fins == 1 && !closed) {
			/* every byte is back: close, and both tables must drain */
			closed = true;
			done_at = a.now;
			/* (after FIN both ways the client is in TIME_WAIT: already closed for the
			 * app) */
			if (a.app.conn != NULL)
				cr_assert_eq(sl_tcp_close(a.app.conn), 0);
		}
		if (closed && sl_tcp_conn_count(a.s) == 0 && sl_tcp_conn_count(b.s) == 0)
			break;
		next_timer = RTE_MIN(sl_tcp_next_timer(a.s), sl_tcp_next_timer(b.s));
		next = wire.n > 0 ? RTE_MIN(wire.q[0].at, next_timer) : next_timer;
		if (closed && next == UINT64_MAX)
			cr_assert_fail("seed %lu: closing, %u + %u connections left and no timer",
				       (unsigned long)p->seed, sl_tcp_conn_count(a.s),
				       sl_tcp_conn_count(b.s));
		if (closed && a.now - done_at > 60000000) {
			dump("client", a.app.conn);
			dump("server", echo_state.conn);
			cr_assert_fail("seed %lu: %u + %u connections still there 60 s after close",
				       (unsigned long)p->seed, sl_tcp_conn_count(a.s),
				       sl_tcp_conn_count(b.s));
		}
		if (!closed && (next == UINT64_MAX || a.now - last_progress_at > 30000000 ||
				a.now - TH_T0 > limit_us)) {
			dump("client", ca);
			dump("server", echo_state.conn);
			cr_assert_fail(
			    "seed %lu: stalled at %zu of %u bytes echoed (sent %u) after "
			    "%.3f s virtual, %s; wire lost %lu reordered %lu dup %lu",
			    (unsigned long)p->seed, a.app.rx_len, p->bytes, sent,
			    (a.now - TH_T0) / 1e6,
			    next == UINT64_MAX ? "no timer and nothing on the wire"
			    : a.now - last_progress_at > 30000000 ? "no progress for 30 s"
								  : "over the time limit",
			    (unsigned long)wire.lost, (unsigned long)wire.reordered,
			    (unsigned long)wire.duplicated);
		}
		if (next > a.now)
			th_pair_advance(&a, &b, next - a.now);
		else
			th_pair_advance(&a, &b, 0);
		/* deliver everything due */
		while (wire.n > 0 && wire.q[0].at <= a.now) {
			struct flight f = wire.q[0];
			struct sl_tcp_tuple rt = {f.t.remote_ip, f.t.local_ip, f.t.remote_port,
						  f.t.local_port};

			memmove(&wire.q[0], &wire.q[1], (wire.n - 1) * sizeof(wire.q[0]));
			wire.n--;
			f.m->ol_flags = 0;
			sl_tcp_input(f.to->s, f.m, &rt, f.to->now);
		}
	}
	for (uint32_t i = 0; i < p->bytes; i++)
		if (a.app.rx[i] != th_pattern(i))
			cr_assert_fail("seed %lu: echoed byte %u differs", (unsigned long)p->seed,
				       i);
	cr_assert_gt(wire.lost, 0u);
	th_fini(&a);
	th_fini(&b);
	for (unsigned int i = 0; i < wire.n; i++)
		rte_pktmbuf_free(wire.q[i].m);
}

/*
 * 24 seeds in the suite (a few seconds); SL_SOAK_SEEDS=N (up to 2000) runs
 * more, SL_SOAK_LOSS / SL_SOAK_BYTES change the loss per mille and the
 * stream length, for hunting.
 */
ParameterizedTestParameters(tcp_soak, impaired_echo)
{
	static struct soak_param params[2000];
	const char *e = getenv("SL_SOAK_SEEDS");
	unsigned int n = e != NULL ? (unsigned int)atoi(e) : 24;
	unsigned int loss =
	    getenv("SL_SOAK_LOSS") ? (unsigned int)atoi(getenv("SL_SOAK_LOSS")) : 30;
	uint32_t bytes =
	    getenv("SL_SOAK_BYTES") ? (uint32_t)atoi(getenv("SL_SOAK_BYTES")) : 2u << 20;

	if (n == 0 || n > RTE_DIM(params))
		n = 24;
	for (unsigned int i = 0; i < n; i++)
		params[i] =
		    (struct soak_param){.seed = i + 1,
					.bytes = bytes,
					.loss_pm = loss,
					.reorder_pm = 30,
					.dup_pm = 10,
					.chunk = i % 3 == 0 ? 1448 : (i % 3 == 1 ? 1000 : 777),
					.pauses = i % 2 == 1};
	return cr_make_param_array(struct soak_param, params, n);
}

ParameterizedTest(struct soak_param *p, tcp_soak, impaired_echo, .timeout = 60)
{
	soak(p);
}
