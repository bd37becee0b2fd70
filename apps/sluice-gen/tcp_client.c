/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen TCP mode's connections: open, fill with requests, check the
 * echoes, close; the sl_tcp callbacks that drive them. */
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "tcp.h"

void tcpg_close(struct tcpg_conn *tc)
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
	gen_hist_record(tc->t->conn_lat, rte_rdtsc() - tc->connect_tsc);
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
		gen_hist_record(t->lat, now - tc->sent_tsc[tc->tail++ % TCPG_MAX_DEPTH]);
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

void tcpg_connect(struct tcpg *t, struct tcpg_conn *tc)
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

/*
 * Look at a slice of the connection slots per loop, not all of them
 * (--conns can be a million): open what is closed, at most TCPG_CONNECTING
 * SYNs outstanding, so a big --conns ramps up instead of overflowing the tx
 * path, the ARP hold queue and the peer's SYN backlog; when stopping, close
 * what has no echo in flight, as many at a time.
 */
void tcpg_slice(struct tcpg *t)
{
	for (unsigned int k = 0; k < TCPG_SLICE; k++) {
		struct tcpg_conn *tc = &t->conns[t->cursor];

		if (++t->cursor == t->o->tcp.conns)
			t->cursor = 0;
		if (!t->stopping) {
			if (tc->c == NULL && t->connecting < TCPG_CONNECTING)
				tcpg_connect(t, tc); /* (re)connect */
		} else if (tc->c != NULL) {
			/* (one still in its handshake is closed once it is open:
			 * aborting it here would count our own stop as a failure) */
			if (!tc->closing && tc->open && tc->inflight == 0 &&
			    t->closing_now < TCPG_CONNECTING)
				tcpg_close(tc);
		}
	}
}
