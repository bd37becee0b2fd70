/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection table and listeners. The table is an rte_hash keyed by the
 * 4-tuple, created without multi-writer or RW-concurrency flags: one worker
 * owns it, so its lock-free single-writer mode is both correct and fastest.
 * Connection structs come from an array preallocated at stack create on
 * cfg->socket, with a stack of free slot indexes: no allocation per
 * connection.
 */
#include <string.h>

#include <rte_hash.h>

#include "tcp_priv.h"

static const char *const state_names[TCP_NSTATES] = {
    [TCP_CLOSED] = "CLOSED",	       [TCP_LISTEN] = "LISTEN",
    [TCP_SYN_SENT] = "SYN-SENT",       [TCP_SYN_RCVD] = "SYN-RECEIVED",
    [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
    [TCP_FIN_WAIT_2] = "FIN-WAIT-2",   [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
    [TCP_CLOSING] = "CLOSING",	       [TCP_LAST_ACK] = "LAST-ACK",
    [TCP_TIME_WAIT] = "TIME-WAIT",
};

const char *sl_tcp_conn_state(const struct sl_tcp_conn *c)
{
	return c->state < TCP_NSTATES ? state_names[c->state] : "?";
}

int sl_tcp_conn_describe(const struct sl_tcp_conn *c, char *buf, size_t len)
{
	uint64_t now = c->stack->now_us;
	long t[TCP_T_N];

	for (int i = 0; i < TCP_T_N; i++) /* ms from now; -1: not armed */
		t[i] = c->tmr[i] == 0 ? -1 : (long)((c->tmr[i] > now ? c->tmr[i] - now : 0) / 1000);
	return snprintf(
	    buf, len,
	    "%s snd una %u nxt %u max %u queued %u wnd %u cwnd %u ssthresh %u "
	    "recover %u dupacks %u%s%s retries %u rto %u ms | rcv nxt %u adv %u unread "
	    "%u ooo %u%s | mbufs %u | timers ms rtx %ld persist %ld delack %ld 2msl %ld keepalive "
	    "%ld",
	    sl_tcp_conn_state(c), c->snd_una - c->iss, c->snd_nxt - c->iss, c->snd_max - c->iss,
	    c->sq_bytes, c->snd_wnd, c->cwnd, c->ssthresh, c->recover - c->iss, c->dupacks,
	    c->in_recovery ? " recovery" : "", c->in_persist ? " persist" : "", c->retries,
	    tcp_rtt_rto(&c->rtt, &c->stack->cfg) / 1000, c->rcv_nxt - c->irs, c->rcv_adv - c->irs,
	    c->rq_bytes, c->ooo.count, c->rcv_blocked ? " blocked" : "", tcp_mem_conn(c),
	    t[TCP_T_RTX], t[TCP_T_PERSIST], t[TCP_T_DELACK], t[TCP_T_2MSL], t[TCP_T_KEEPALIVE]);
}

const struct sl_tcp_tuple *sl_tcp_conn_tuple(const struct sl_tcp_conn *c)
{
	return &c->tuple;
}

struct sl_tcp_conn *tcp_conn_lookup(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t)
{
	/* rte_hash_crc reads the key 8 bytes at a time: give it an aligned copy. */
	union {
		struct sl_tcp_tuple t;
		uint64_t align;
	} key = {.t = *t};
	void *data;

	if (rte_hash_lookup_data(s->table, &key.t, &data) < 0)
		return NULL;
	return data;
}

struct sl_tcp_conn *tcp_conn_alloc(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t)
{
	struct sl_tcp_conn *c;
	uint32_t idx;

	if (s->nfree == 0) {
		s->st.conn_table_full++;
		return NULL;
	}
	idx = s->free_slots[s->nfree - 1];
	c = &s->conns[idx];
	memset(c, 0, sizeof(*c));
	c->index = idx;
	c->stack = s;
	c->tuple = *t;
	/* A bucket can fill before the table does: that is "full" as well. */
	if (rte_hash_add_key_data(s->table, &c->tuple, c) < 0) {
		s->st.conn_table_full++;
		return NULL;
	}
	s->nfree--;
	c->in_hash = 1;
	s->nconns++;
	return c;
}

static void slot_release(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;

	c->free_pending = 0;
	s->free_slots[s->nfree++] = c->index;
}

void tcp_conn_enter(struct sl_tcp_conn *c)
{
	c->busy++;
}

void tcp_conn_leave(struct sl_tcp_conn *c)
{
	if (--c->busy != 0)
		return;
	if (c->state != TCP_CLOSED)
		tcp_mem_sync(c);
	if (c->free_pending)
		slot_release(c);
}

static void rq_free(struct sl_tcp_conn *c)
{
	while (c->rq_head != NULL) {
		struct rte_mbuf *m = c->rq_head;

		c->rq_head = tcp_meta(m)->qnext;
		rte_pktmbuf_free(m);
	}
	c->rq_tail = NULL;
	c->rq_bytes = 0;
}

void tcp_conn_close(struct sl_tcp_conn *c, enum sl_tcp_close_reason why, bool notify)
{
	struct sl_tcp_stack *s = c->stack;

	if (c->state == TCP_CLOSED)
		return;
	if (c->half_open) {
		c->half_open = 0;
		s->half_open--;
	}
	tcp_timer_stop_all(c);
	if (c->sq_head != NULL) {
		/* rte_pktmbuf_free walks ->next: the whole queue in one call. */
		c->sq_head->nb_segs = 1;
		rte_pktmbuf_free(c->sq_head);
		c->sq_head = c->sq_tail = c->sq_cur = NULL;
	}
	rq_free(c);
	tcp_reass_free(&c->ooo);
	tcp_mem_release(c);
	if (c->in_hash) {
		rte_hash_del_key(s->table, &c->tuple);
		c->in_hash = 0;
		s->nconns--;
	}
	c->state = TCP_CLOSED;
	s->st.conns_closed++;
	if (why == SL_TCP_CLOSED_RESET || why == SL_TCP_CLOSED_REFUSED)
		s->st.conns_reset++;
	else if (why == SL_TCP_CLOSED_TIMEOUT)
		s->st.conns_timeout++;
	if (notify && c->app_owned) {
		c->app_owned = 0;
		if (c->cb != NULL && c->cb->on_closed != NULL) {
			c->busy++;
			c->cb->on_closed(c, c->arg, why);
			c->busy--;
		}
	}
	if (c->busy == 0)
		slot_release(c);
	else
		c->free_pending = 1;
}

const struct tcp_listener *tcp_listener_find(const struct sl_tcp_stack *s, uint16_t port)
{
	for (unsigned int i = 0; i < TCP_MAX_LISTENERS; i++)
		if (s->listeners[i].port == port && port != 0)
			return &s->listeners[i];
	return NULL;
}

int sl_tcp_listen(struct sl_tcp_stack *s, uint16_t port, const struct sl_tcp_callbacks *cb,
		  void *listen_arg)
{
	struct tcp_listener *free_l = NULL;

	if (port == 0 || cb == NULL || tcp_listener_find(s, port) != NULL)
		return -EINVAL;
	for (unsigned int i = 0; i < TCP_MAX_LISTENERS && free_l == NULL; i++)
		if (s->listeners[i].port == 0)
			free_l = &s->listeners[i];
	if (free_l == NULL)
		return -ENOSPC;
	free_l->port = port;
	free_l->cb = cb;
	free_l->arg = listen_arg;
	return 0;
}

int sl_tcp_unlisten(struct sl_tcp_stack *s, uint16_t port)
{
	for (unsigned int i = 0; port != 0 && i < TCP_MAX_LISTENERS; i++)
		if (s->listeners[i].port == port) {
			memset(&s->listeners[i], 0, sizeof(s->listeners[i]));
			return 0;
		}
	return -ENOENT;
}

uint32_t tcp_new_isn(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t)
{
	if (s->isn_fixed_on)
		return s->isn_fixed;
	return tcp_isn(s->cfg.isn_secret, t, s->now_us);
}

void tcp_test_fix_isn(struct sl_tcp_stack *s, uint32_t isn)
{
	s->isn_fixed_on = true;
	s->isn_fixed = isn;
}

void tcp_set_state(struct sl_tcp_conn *c, enum tcp_state st)
{
	if (c->state == TCP_SYN_RCVD && c->half_open) {
		c->half_open = 0;
		c->stack->half_open--;
	}
	c->state = (uint8_t)st;
}

void tcp_conn_init_common(struct sl_tcp_conn *c, uint32_t iss)
{
	const struct sl_tcp_config *cfg = &c->stack->cfg;

	c->iss = iss;
	c->snd_una = c->snd_nxt = c->snd_max = iss;
	c->sq_seq = iss + 1;
	c->recover = iss;
	tcp_sb_marks_reset(&c->sb, iss);
	c->sb.rxt_fence = c->sb.tlp_seq = iss;
	c->snd_mss = TCP_DEFAULT_MSS;
	c->ssthresh = UINT32_MAX / 2; /* RFC 5681 3.1: arbitrarily high at first */
	c->rcv_mss_est = (uint16_t)RTE_MIN((uint32_t)cfg->mss, TCP_DEFAULT_MSS);
	c->ts_offset = tcp_ts_offset(cfg->isn_secret, &c->tuple);
	c->chack_start_us = c->stack->now_us;
	/*
	 * The out-of-order queue holds a whole window of full segments, twice
	 * over for segments of half the MSS: one loss must not throw away the
	 * rest of the window (the peer would go back N).
	 */
	c->ooo.max = (uint16_t)RTE_MIN(
	    65535u, RTE_MAX(TCP_OOO_MAX_SEGS, 2u * cfg->rcv_buf / cfg->mss + 16u));
	tcp_rtt_init(&c->rtt, cfg);
}

void tcp_conn_apply_syn_opts(struct sl_tcp_conn *c, const struct tcp_opts *o)
{
	const struct sl_tcp_config *cfg = &c->stack->cfg;
	uint16_t mss = o->has_mss ? o->mss : TCP_DEFAULT_MSS;

	/* A tiny MSS would make segments of a few bytes: bound it below (as Linux does). */
	if (mss < 64)
		mss = 64;
	c->snd_mss = mss;
	if (o->has_ws) {
		c->ws_on = 1;
		c->snd_wscale = o->wscale; /* already clamped to 14 by the parser */
		c->rcv_wscale = cfg->wscale > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : cfg->wscale;
	} else {
		c->ws_on = 0;
		c->snd_wscale = 0;
		c->rcv_wscale = 0;
	}
	c->sack_on = cfg->sack && o->has_sack_perm;
	if (cfg->timestamps && o->has_ts) {
		c->ts_on = 1;
		c->ts_recent = o->tsval;
	} else {
		c->ts_on = 0;
	}
}

/* Keepalive from the listener (sl_tcp_listen_keepalive) or the stack's config. */
static void keepalive_init(struct sl_tcp_conn *c)
{
	const struct sl_tcp_config *cfg = &c->stack->cfg;
	const struct tcp_listener *l =
	    c->passive ? tcp_listener_find(c->stack, c->tuple.local_port) : NULL;

	if (l != NULL && l->ka_set) {
		c->ka_idle_ms = l->ka_idle_ms;
		c->ka_intvl_ms = l->ka_intvl_ms;
		c->ka_probes_max = l->ka_probes;
	} else {
		c->ka_idle_ms = cfg->keepalive_idle_ms;
		c->ka_intvl_ms = cfg->keepalive_intvl_ms != 0 ? cfg->keepalive_intvl_ms : 1;
		c->ka_probes_max = cfg->keepalive_probes;
	}
	c->ka_probes = 0;
	tcp_keepalive_arm(c);
}

bool tcp_conn_established(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	const struct sl_tcp_config *cfg = &s->cfg;
	uint32_t mss;

	tcp_set_state(c, TCP_ESTABLISHED);
	s->st.conns_established++;
	mss = tcp_eff_mss(c);
	/*
	 * RFC 5681 3.1 / RFC 6928: the initial window is init_cwnd_segs full
	 * segments; one segment if our SYN or SYN-ACK had to be retransmitted.
	 */
	c->cwnd = c->syn_rexmit ? mss : cfg->init_cwnd_segs * mss;
	c->retries = 0;
	if (c->syn_rexmit && !c->rtt.has_sample) {
		/* RFC 6298 5.7: after a SYN timeout, data starts with RTO >= 3 s. */
		if (c->rtt.rto_us < 3000000)
			c->rtt.rto_us = RTE_MIN(3000000u, cfg->rto_max_us);
	}
	c->rtt.backoff = 0;
	tcp_timer_stop(c, TCP_T_RTX);
	c->rcv_tstamp_us = s->now_us;
	keepalive_init(c);
	c->busy++;
	if (c->passive) {
		void *listen_arg = c->arg;
		int rc = 0;

		if (c->cb->on_accept != NULL)
			rc = c->cb->on_accept(c, listen_arg, &c->arg);
		if (rc != 0) {
			c->busy--;
			tcp_send_rst_conn(c);
			tcp_conn_close(c, SL_TCP_CLOSED_ABORTED, false);
			return false;
		}
		c->app_owned = 1;
	} else if (c->cb->on_connected != NULL) {
		c->cb->on_connected(c, c->arg);
	}
	c->busy--;
	return c->state != TCP_CLOSED;
}
