/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The app API: active open, send, receive flow control, shutdown, close,
 * abort. All of it runs on the worker that owns the stack, from callbacks
 * or from the worker's own loop.
 */
#include <errno.h>

#include <rte_byteorder.h>
#include <rte_errno.h>

#include "tcp_priv.h"

struct sl_tcp_conn *sl_tcp_connect(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t,
				   const struct sl_tcp_callbacks *cb, void *arg, uint64_t now_us)
{
	struct sl_tcp_tuple tt = *t;
	struct sl_tcp_conn *c;

	if (now_us > s->now_us)
		s->now_us = now_us;
	if (cb == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (tt.local_port == 0) {
		uint32_t range = TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO + 1;
		uint32_t i;

		for (i = 0; i < range; i++) {
			uint16_t p = s->next_port;

			s->next_port = p >= TCP_EPHEMERAL_HI ? TCP_EPHEMERAL_LO : (uint16_t)(p + 1);
			tt.local_port = rte_cpu_to_be_16(p);
			if (tcp_conn_lookup(s, &tt) == NULL)
				break;
		}
		if (i == range) {
			rte_errno = EADDRINUSE;
			return NULL;
		}
	} else if (tcp_conn_lookup(s, &tt) != NULL) {
		rte_errno = EADDRINUSE;
		return NULL;
	}
	c = tcp_conn_alloc(s, &tt);
	if (c == NULL) {
		rte_errno = ENOSPC;
		return NULL;
	}
	c->cb = cb;
	c->arg = arg;
	c->app_owned = 1;
	tcp_conn_init_common(c, tcp_new_isn(s, &tt));
	c->state = TCP_SYN_SENT;
	s->st.active_opens++;
	tcp_conn_enter(c);
	tcp_send_syn(c); /* if out of mbufs, the timer sends it */
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rtt_start_us = s->now_us;
	tcp_timer_set(c, TCP_T_RTX, s->now_us + tcp_rtt_rto(&c->rtt, &s->cfg));
	tcp_conn_leave(c);
	return c;
}

static bool can_queue(const struct sl_tcp_conn *c)
{
	if (c->fin_queued)
		return false;
	switch (c->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		return true;
	default:
		return false;
	}
}

uint32_t sl_tcp_send_space(const struct sl_tcp_conn *c)
{
	uint32_t buf = c->stack->cfg.snd_buf;

	if (!can_queue(c) || !tcp_mem_send_ok(c, 1))
		return 0;
	return buf > c->sq_bytes ? buf - c->sq_bytes : 0;
}

uint16_t sl_tcp_send(struct sl_tcp_conn *c, struct rte_mbuf **m, uint16_t n)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t space = sl_tcp_send_space(c);
	uint16_t i;

	if (!can_queue(c))
		return 0;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *last;
		uint32_t len = m[i]->pkt_len;

		/* One mbuf larger than the whole buffer still goes into an empty queue. */
		if (len > space && !(c->sq_bytes == 0 && i == 0))
			break;
		/* The connection's mbuf cap (tcp_caps.c), as strict as the byte buffer. */
		if (!tcp_mem_send_ok(c, m[i]->nb_segs) && !(c->sq_bytes == 0 && i == 0))
			break;
		if (len == 0) {
			rte_pktmbuf_free(m[i]);
			continue;
		}
		/*
		 * The queue is one long ->next chain of the app's segments; each
		 * packet's head keeps its data_len, and pkt_len/nb_segs are not used.
		 */
		last = rte_pktmbuf_lastseg(m[i]);
		if (c->sq_tail != NULL)
			c->sq_tail->next = m[i];
		else {
			c->sq_head = m[i];
			c->sq_head_off = 0;
		}
		c->sq_tail = last;
		c->sq_bytes += len;
		c->sq_mbufs += m[i]->nb_segs;
		space = len > space ? 0 : space - len;
	}
	if (i < n)
		s->st.snd_buf_full++;
	tcp_conn_enter(c);
	tcp_output_push(c);
	tcp_conn_leave(c);
	return i;
}

void tcp_sq_drop_acked(struct sl_tcp_conn *c, uint32_t upto)
{
	uint32_t n;

	if (seq_leq(upto, c->sq_seq))
		return;
	n = RTE_MIN(upto - c->sq_seq, c->sq_bytes);
	c->sq_seq += n;
	c->sq_bytes -= n;
	while (c->sq_head != NULL) {
		struct rte_mbuf *h = c->sq_head;
		uint32_t avail = (uint32_t)h->data_len - c->sq_head_off;

		if (avail > n) {
			c->sq_head_off = (uint16_t)(c->sq_head_off + n);
			break;
		}
		if (avail == 0 && n == 0 && h == c->sq_tail)
			break;
		n -= avail;
		c->sq_head = h->next;
		c->sq_head_off = 0;
		if (h == c->sq_cur)
			c->sq_cur = NULL;
		if (h == c->sq_tail)
			c->sq_tail = NULL;
		h->next = NULL;
		if (c->sq_mbufs > 0)
			c->sq_mbufs--;
		/* An indirect mbuf still in a tx ring keeps the buffer alive (refcnt). */
		rte_pktmbuf_free_seg(h);
	}
}

void sl_tcp_recv_resume(struct sl_tcp_conn *c)
{
	uint32_t old_edge;

	if (c->state == TCP_CLOSED)
		return;
	tcp_conn_enter(c);
	c->rcv_blocked = 0;
	tcp_deliver(c);
	if (c->state != TCP_CLOSED && c->state != TCP_SYN_SENT && c->state != TCP_TIME_WAIT) {
		/* Tell the peer when the window opened enough (SWS rule in tcp_rcv_window). */
		old_edge = c->rcv_adv;
		(void)tcp_rcv_window(c);
		if (c->rcv_adv != old_edge)
			tcp_send_ack(c);
	}
	tcp_conn_leave(c);
}

int sl_tcp_shutdown(struct sl_tcp_conn *c)
{
	switch (c->state) {
	case TCP_SYN_SENT:
		/* Nothing to say goodbye to (RFC 9293 3.10.4). */
		tcp_conn_close(c, SL_TCP_CLOSED_ABORTED, true);
		return 0;
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
		c->fin_queued = 1;
		tcp_set_state(c, TCP_FIN_WAIT_1);
		break;
	case TCP_CLOSE_WAIT:
		c->fin_queued = 1;
		tcp_set_state(c, TCP_LAST_ACK);
		break;
	case TCP_CLOSED:
		return -ENOTCONN;
	default:
		return 0; /* FIN already queued */
	}
	tcp_conn_enter(c);
	tcp_output_push(c);
	tcp_conn_leave(c);
	return 0;
}

int sl_tcp_close(struct sl_tcp_conn *c)
{
	if (c->state == TCP_CLOSED)
		return -ENOTCONN;
	if (c->rq_bytes > 0 || c->ooo.count > 0) {
		/* RFC 9293 3.10.4 / RFC 2525 2.17: unread data is lost: say so with RST. */
		sl_tcp_abort(c);
		return 0;
	}
	c->app_closed = 1;
	if (c->state == TCP_FIN_WAIT_2) {
		tcp_conn_enter(c);
		tcp_timer_set(c, TCP_T_2MSL, c->stack->now_us + 2ull * c->stack->cfg.msl_us);
		tcp_conn_leave(c);
		return 0;
	}
	return sl_tcp_shutdown(c);
}

void sl_tcp_abort(struct sl_tcp_conn *c)
{
	if (c->state == TCP_CLOSED)
		return;
	tcp_conn_enter(c);
	if (c->state != TCP_SYN_SENT && c->state != TCP_TIME_WAIT)
		tcp_send_rst_conn(c);
	tcp_conn_close(c, SL_TCP_CLOSED_ABORTED, true);
	tcp_conn_leave(c);
}
