/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment arrival: RFC 9293 section 3.10.7, with RFC 5961 (blind
 * in-window attacks), RFC 7323 (PAWS, TS.Recent), RFC 5681/6582
 * (duplicate ACKs, NewReno) and RFC 4987 (SYN cookies) folded in.
 */
#include <string.h>

#include <rte_byteorder.h>

#include "tcp_priv.h"

/** One received segment's header, parsed. */
struct tcp_seg {
	uint32_t seq;
	uint32_t ack;
	uint32_t len; /* payload bytes */
	uint16_t wnd; /* raw (unscaled) window field */
	uint16_t hlen;
	uint8_t flags;
	struct tcp_opts o;
};

static void time_wait_enter(struct sl_tcp_conn *c);
static void time_wait_release_app(struct sl_tcp_conn *c);

/* SEG.LEN of RFC 9293: payload plus one for each of SYN and FIN. */
static inline uint32_t seg_space(const struct tcp_seg *g)
{
	return g->len + ((g->flags & TCP_SYN) ? 1 : 0) + ((g->flags & TCP_FIN) ? 1 : 0);
}

static int seg_parse(struct sl_tcp_stack *s, const struct rte_mbuf *m, const struct sl_tcp_tuple *t,
		     struct tcp_seg *g)
{
	uint8_t buf[TCP_MAX_HDR_LEN];
	const struct rte_tcp_hdr *th;
	uint32_t plen = m->pkt_len;
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	if (plen < TCP_HDR_LEN) {
		s->st.bad_header++;
		return -1;
	}
	th = rte_pktmbuf_read(m, 0, RTE_MIN(plen, TCP_MAX_HDR_LEN), buf);
	if (th == NULL) {
		s->st.bad_header++;
		return -1;
	}
	g->hlen = (uint16_t)((th->data_off >> 4) * 4);
	if (g->hlen < TCP_HDR_LEN || g->hlen > plen) {
		s->st.bad_header++;
		return -1;
	}
	if (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD ||
	    (ck != RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	     tcp_cksum(m, plen, t->remote_ip, t->local_ip) != 0)) {
		s->st.bad_checksum++;
		return -1;
	}
	g->flags = th->tcp_flags;
	/* SYN with FIN or RST means nothing sane (RFC 9293 does not define them). */
	if ((g->flags & TCP_SYN) && (g->flags & (TCP_FIN | TCP_RST))) {
		s->st.bad_header++;
		return -1;
	}
	/* A SYN is parsed as Linux parses it: a broken option ends the list, the SYN stands. */
	if (tcp_opts_parse((const uint8_t *)(th + 1), g->hlen - TCP_HDR_LEN, &g->o,
			   (g->flags & TCP_SYN) != 0) != 0) {
		s->st.bad_options++;
		return -1;
	}
	g->seq = rte_be_to_cpu_32(th->sent_seq);
	g->ack = rte_be_to_cpu_32(th->recv_ack);
	g->wnd = rte_be_to_cpu_16(th->rx_win);
	g->len = plen - g->hlen;
	return 0;
}

/* RFC 9293 3.10.7.1: the reset for a segment that found no connection, or a
 * SYN the full table could not take. Counted as closed_port_rst only for the
 * first (`closed_port`): a refused SYN is counted as conn_table_full. */
static void reply_rst(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t, const struct tcp_seg *g,
		      bool closed_port)
{
	if (g->flags & TCP_RST)
		return;
	/* An ACK flood to a closed or listening port must not become an RST flood. */
	if (!tcp_rst_allowed(s))
		return;
	if (closed_port)
		s->st.closed_port_rst++;
	if (g->flags & TCP_ACK)
		tcp_send_rst_reply(s, t, g->ack, 0, false);
	else
		tcp_send_rst_reply(s, t, 0, g->seq + seg_space(g), true);
}

static void conn_input(struct sl_tcp_conn *c, struct rte_mbuf *m, struct tcp_seg *g);

/* SYN to a listener: a half-open connection, or a cookie when the backlog is full. */
static void listen_syn(struct sl_tcp_stack *s, const struct tcp_listener *l,
		       const struct sl_tcp_tuple *t, const struct tcp_seg *g)
{
	struct sl_tcp_conn *c;

	if (s->half_open >= s->cfg.syn_backlog) {
		uint16_t mss = g->o.has_mss ? g->o.mss : TCP_DEFAULT_MSS;
		int ws = g->o.has_ws ? g->o.wscale : -1;
		uint32_t cookie = tcp_cookie_make(s->cfg.isn_secret, t, g->seq,
						  RTE_MIN(mss, s->cfg.mss), ws, s->now_us);

		s->st.syn_backlog_full++;
		s->st.syn_cookies_sent++;
		tcp_send_cookie_synack(s, t, cookie, g->seq + 1, mss, ws, &g->o);
		return;
	}
	c = tcp_conn_alloc(s, t);
	if (c == NULL) {
		reply_rst(s, t, g, false);
		return;
	}
	c->passive = 1;
	c->cb = l->cb;
	c->arg = l->arg;
	tcp_conn_init_common(c, tcp_new_isn(s, t));
	c->irs = g->seq;
	c->rcv_nxt = c->rcv_adv = g->seq + 1;
	tcp_conn_apply_syn_opts(c, &g->o);
	c->snd_wnd = c->max_snd_wnd = g->wnd; /* never scaled in a SYN */
	c->snd_wl1 = g->seq;
	c->snd_wl2 = c->iss;
	c->state = TCP_SYN_RCVD;
	c->half_open = 1;
	s->half_open++;
	s->st.passive_opens++;
	tcp_conn_enter(c);
	/* Data on the SYN is not queued; the peer sends it again (RFC 9293 allows either). */
	tcp_send_syn(c);
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rtt_start_us = s->now_us;
	tcp_timer_set(c, TCP_T_RTX, s->now_us + tcp_rtt_rto(&c->rtt, &s->cfg));
	tcp_conn_leave(c);
}

/* An ACK to a listener: the third step of a cookie handshake, or junk. */
static bool listen_ack(struct sl_tcp_stack *s, const struct tcp_listener *l, struct rte_mbuf *m,
		       const struct sl_tcp_tuple *t, struct tcp_seg *g)
{
	struct tcp_opts so;
	struct sl_tcp_conn *c;
	uint16_t mss;
	int ws;

	if (tcp_cookie_check(s->cfg.isn_secret, t, g->seq - 1, g->ack - 1, s->now_us, &mss, &ws) !=
	    0) {
		s->st.syn_cookies_bad++;
		return false;
	}
	c = tcp_conn_alloc(s, t);
	if (c == NULL)
		return false;
	s->st.syn_cookies_ok++;
	s->st.passive_opens++;
	c->passive = 1;
	c->cb = l->cb;
	c->arg = l->arg;
	tcp_conn_init_common(c, g->ack - 1);
	c->irs = g->seq - 1;
	c->rcv_nxt = c->rcv_adv = g->seq;
	memset(&so, 0, sizeof(so));
	so.has_mss = true;
	so.mss = mss;
	so.has_ws = ws >= 0;
	so.wscale = ws >= 0 ? (uint8_t)ws : 0;
	/* The peer sends TS after the handshake only if both SYNs had it (RFC 7323 3.2). */
	so.has_ts = g->o.has_ts;
	so.tsval = g->o.tsval;
	tcp_conn_apply_syn_opts(c, &so);
	c->rcv_adv = c->rcv_nxt + RTE_MIN(s->cfg.rcv_buf, 65535u);
	c->last_ack_sent = c->rcv_nxt;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->snd_wl1 = g->seq - 1;
	c->state = TCP_SYN_RCVD;
	c->syn_rexmit = 1; /* no RTT sample: we did not time this SYN-ACK */
	tcp_conn_enter(c);
	conn_input(c, m, g); /* the ACK completes the handshake as in SYN-RECEIVED */
	tcp_conn_leave(c);
	return true;
}

static void no_conn_input(struct sl_tcp_stack *s, struct rte_mbuf *m, const struct sl_tcp_tuple *t,
			  struct tcp_seg *g)
{
	const struct tcp_listener *l;

	if (g->flags & TCP_RST) {
		rte_pktmbuf_free(m); /* RFC 9293: an RST to nothing is dropped */
		return;
	}
	l = tcp_listener_find(s, t->local_port);
	if (l != NULL && !(g->flags & (TCP_SYN | TCP_ACK))) {
		/* RFC 9293 3.10.7.2: in LISTEN, no SYN, ACK or RST (a bare FIN, no flags): drop. */
		s->st.listen_no_syn_dropped++;
		rte_pktmbuf_free(m);
		return;
	}
	if (l != NULL && (g->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		listen_syn(s, l, t, g);
		rte_pktmbuf_free(m);
		return;
	}
	if (l != NULL && (g->flags & (TCP_SYN | TCP_ACK)) == TCP_ACK && listen_ack(s, l, m, t, g))
		return;
	rte_pktmbuf_free(m);
	reply_rst(s, t, g, true);
}

/* ---- receive queue and delivery ---- */

static void rq_append(struct sl_tcp_conn *c, struct rte_mbuf *m)
{
	tcp_meta(m)->qnext = NULL;
	if (c->rq_tail != NULL)
		tcp_meta(c->rq_tail)->qnext = m;
	else
		c->rq_head = m;
	c->rq_tail = m;
	c->rq_bytes += m->pkt_len;
	c->rq_mbufs += m->nb_segs;
}

void tcp_deliver(struct sl_tcp_conn *c)
{
	while (c->rq_head != NULL && !c->rcv_blocked && c->app_owned && c->state != TCP_CLOSED &&
	       c->cb->on_data != NULL) {
		struct rte_mbuf *v[32];
		uint16_t n = 0, took;

		while (n < RTE_DIM(v) && c->rq_head != NULL) {
			struct rte_mbuf *m = c->rq_head;

			c->rq_head = tcp_meta(m)->qnext;
			c->rq_bytes -= m->pkt_len;
			c->rq_mbufs -= m->nb_segs;
			v[n++] = m;
		}
		if (c->rq_head == NULL)
			c->rq_tail = NULL;
		c->busy++;
		took = c->cb->on_data(c, c->arg, v, n);
		c->busy--;
		if (took > n)
			took = n;
		if (c->state == TCP_CLOSED) {
			for (uint16_t i = took; i < n; i++)
				rte_pktmbuf_free(v[i]);
			return;
		}
		if (took < n) {
			/* Back to the front, in order; they hold the window until resumed. */
			for (uint16_t i = n; i > took; i--) {
				struct rte_mbuf *m = v[i - 1];

				tcp_meta(m)->qnext = c->rq_head;
				if (c->rq_head == NULL)
					c->rq_tail = m;
				c->rq_head = m;
				c->rq_bytes += m->pkt_len;
				c->rq_mbufs += m->nb_segs;
			}
			c->rcv_blocked = 1;
		}
	}
	if (c->rq_head == NULL && c->fin_in_order && !c->fin_told && c->app_owned &&
	    c->state != TCP_CLOSED) {
		/* on_peer_fin comes after the last byte, once. */
		c->fin_told = 1;
		if (c->cb->on_peer_fin != NULL) {
			c->busy++;
			c->cb->on_peer_fin(c, c->arg);
			c->busy--;
		}
	}
	time_wait_release_app(c);
}

/* Payload of an acceptable segment (RFC 9293 3.10.7.4, seventh step). */
static void data_input(struct sl_tcp_conn *c, struct rte_mbuf *m, struct tcp_seg *g, bool *fin)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t seq = g->seq;
	uint32_t len;
	bool had_ooo = c->ooo.count > 0, dropped;

	tcp_mbuf_trim_front(m, g->hlen);
	if (seq_lt(seq, c->rcv_nxt)) {
		/* Old bytes at the front: already delivered, the new copy loses. */
		tcp_mbuf_trim_front(m, c->rcv_nxt - seq);
		seq = c->rcv_nxt;
	}
	len = m->pkt_len;
	if (seq_gt(seq + len, c->rcv_adv)) {
		/* Past the right edge we advertised: cut it off, and the FIN with it. */
		uint32_t over = seq + len - c->rcv_adv;

		tcp_mbuf_trim_back(m, over > len ? len : over);
		s->st.out_of_window++;
		*fin = false;
		c->ack_now = 1;
		len = m->pkt_len;
	}
	if (len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	if (len > c->rcv_mss_est)
		c->rcv_mss_est = (uint16_t)RTE_MIN(len, 65535u);
	if (seq == c->rcv_nxt && !had_ooo) {
		/* The common case: in order, nothing queued out of order. */
		rq_append(c, m);
		c->rcv_nxt += len;
		c->unacked_bytes += len;
	} else {
		tcp_reass_insert(&c->ooo, m, seq, s->cfg.pool, seq == c->rcv_nxt, &dropped);
		if (dropped)
			s->st.ooo_dropped++;
		if (seq != c->rcv_nxt) {
			/* RFC 5681 4.2: an out-of-order segment gets an immediate (dup) ACK. */
			s->st.ooo_segs++;
			c->ack_now = 1;
			/* Report only what the queue really holds (never a dropped segment). */
			if (c->sack_on && !dropped)
				tcp_sack_rcv_add(&c->sack_rcv, seq, seq + len);
			return;
		}
		while ((m = tcp_reass_pop(&c->ooo, c->rcv_nxt)) != NULL) {
			uint32_t n = m->pkt_len;

			rq_append(c, m);
			c->rcv_nxt += n;
			c->unacked_bytes += n;
		}
		if (c->ooo.count == 0)
			c->sack_rcv.n = 0;
		else
			tcp_sack_rcv_trim(&c->sack_rcv, c->rcv_nxt);
		/* RFC 5681 4.2: ACK at once when a segment fills (part of) a hole. */
		c->ack_now = 1;
	}
	/* RFC 9293 3.8.6.3 / RFC 5681 4.2: ACK at least every second full segment. */
	if (c->unacked_bytes >= 2u * c->rcv_mss_est)
		c->ack_now = 1;
}

/* ---- ACK processing ---- */

static void fast_retransmit(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t mss = tcp_eff_mss(c);
	uint32_t flight = c->snd_max - c->snd_una;

	/* RFC 5681 3.2 steps 2-4, RFC 6582 3.2 step 2. */
	c->ssthresh = tcp_cc_ssthresh(c, flight);
	c->recover = c->snd_max;
	c->in_recovery = 1;
	s->st.fast_retransmits++;
	tcp_retransmit_una(c);
	c->cwnd = c->ssthresh + 3 * mss;
}

static void dup_ack(struct sl_tcp_conn *c)
{
	c->stack->st.dup_acks_in++;
	if (c->dupacks < UINT8_MAX)
		c->dupacks++;
	if (c->sack_on)
		return; /* sack_recovery_ack acts on it, with the scoreboard */
	if (c->in_recovery) {
		/* RFC 6582 3.2 step 4: inflate by one segment per dup ACK. */
		c->cwnd += tcp_eff_mss(c);
	} else if (c->dupacks == 3 && seq_gt(c->snd_una, c->recover)) {
		/* Exactly the third; RFC 6582 4.1: not for losses before `recover`. */
		fast_retransmit(c);
	}
}

/*
 * SND.UNA moves to `ack` (RFC 9293 3.10.7.4 fifth step, ESTABLISHED).
 * Returns the payload bytes freed from the send queue; the caller tells
 * the app (on_sent) only after it has applied the segment's window:
 * on_sent may queue data and send it at once, and with the old SND.WND
 * against the new SND.UNA that data would go past the right edge the peer
 * just announced (the peer drops it, and our later ACKs, whose sequence
 * number is then beyond its window, with it).
 */
static uint32_t new_ack(struct sl_tcp_conn *c, uint32_t ack)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t acked = ack - c->snd_una;
	uint32_t mss = tcp_eff_mss(c);
	uint32_t upto = seq_min(ack, tcp_sq_end(c));
	uint32_t data = seq_gt(upto, c->sq_seq) ? upto - c->sq_seq : 0;

	/* RFC 6298 / Karn: only a segment sent once is timed (rtt_timing cleared on rexmit). */
	if (c->rtt_timing && seq_geq(ack, c->rtt_seq)) {
		c->rtt_timing = 0;
		tcp_rtt_sample(&c->rtt, (uint32_t)(s->now_us - c->rtt_start_us), &s->cfg);
	}
	tcp_sq_drop_acked(c, upto);
	c->snd_una = ack;
	if (seq_lt(c->snd_nxt, ack))
		c->snd_nxt = ack;
	c->retries = 0;
	c->rto_seen = 0;
	if (c->sb.n != 0)
		tcp_sb_ack(&c->sb, ack);
	if (seq_lt(c->sb.rack_lost, ack))
		c->sb.rack_lost = ack;
	if (c->in_recovery && c->sack_on) {
		/* RFC 6675 / 6937: sack_recovery_ack decides, with the segment's SACK blocks. */
		c->dupacks = 0;
	} else if (c->in_recovery) {
		if (seq_geq(ack, c->recover)) {
			/* Full ACK (RFC 6582 3.2 step 3, option 2): cwnd = ssthresh. */
			c->cwnd = c->ssthresh;
			c->in_recovery = 0;
			c->dupacks = 0;
			c->bytes_acked = 0;
		} else {
			/* Partial ACK: resend the next hole, deflate, stay in recovery. */
			s->st.partial_acks++;
			tcp_retransmit_una(c);
			c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
			if (acked >= mss)
				c->cwnd += mss;
			if (c->cwnd < mss)
				c->cwnd = mss;
		}
	} else {
		c->dupacks = 0;
		tcp_cc_ack(c, acked);
	}
	/* RFC 6298 5.2 / 5.3 (or a tail loss probe first, RFC 8985 7.2). */
	tcp_rtx_timer_arm(c);
	return data;
}

/*
 * The peer's right edge (SND.UNA + SND.WND) is now left of SND.NXT: it shrank
 * its window, or we sent past it. Whatever lies beyond the edge was dropped.
 * RFC 9293 3.8.6: do not send new data, retransmit only what is inside the
 * window, never time the connection out for data beyond the edge, and probe
 * a zero window "in the standard way". So pull SND.NXT back to the edge
 * (segments without data then carry the edge too, see tcp_ack_seq: a peer
 * with a closed window drops any segment whose SEQ is past its RCV.NXT, RFC
 * 9293 3.10.7.4), and when the window is zero stop the retransmission
 * timer: the persist timer takes over.
 */
static void window_shrunk(struct sl_tcp_conn *c)
{
	uint32_t edge = c->snd_una + c->snd_wnd;

	if (!seq_gt(c->snd_nxt, edge))
		return;
	c->snd_nxt = edge;
	/* Karn: the timed segment is (partly) thrown away; do not time its resend. */
	if (c->rtt_timing && seq_gt(c->rtt_seq, edge))
		c->rtt_timing = 0;
	if (c->snd_wnd == 0 && c->tmr[TCP_T_RTX] != 0)
		tcp_timer_stop(c, TCP_T_RTX);
}

/* ---- SACK loss recovery (RFC 6675, with RFC 6937 PRR) ---- */

/*
 * A D-SACK: the peer got something twice, so one of our resends was not
 * needed. When every resend of the last recovery episode is reported so,
 * nothing was lost (reordering, or a delayed ACK): give back the window
 * that episode took (the undo of RFC 3708's D-SACK detection; Linux does
 * the same), counted in dsack_undo.
 */
static void dsack_undo(struct sl_tcp_conn *c)
{
	if (!c->undo_valid || c->undo_retrans == 0)
		return;
	if (--c->undo_retrans != 0)
		return;
	c->undo_valid = 0;
	c->stack->st.dsack_undo++;
	c->cwnd = RTE_MAX(c->cwnd, c->undo_cwnd);
	c->ssthresh = RTE_MAX(c->ssthresh, c->undo_ssthresh);
	if (c->in_recovery) {
		c->in_recovery = 0;
		c->sack_credit = 0;
		c->recover = c->snd_una;
		tcp_sb_marks_reset(&c->sb, c->snd_una);
	}
}

/*
 * Take the segment's SACK blocks into the scoreboard (RFC 6675 Update()).
 * Returns the end of the highest newly SACKed bytes below HighRxt in
 * recovery (else SND.UNA): those can only have come from our resends.
 */
static uint32_t sack_input(struct sl_tcp_conn *c, const struct tcp_seg *g)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t una = seq_max(c->snd_una, g->ack);
	uint32_t resent_got = c->snd_una, sacked0;

	for (unsigned int k = 0; k < g->o.nsack; k++) {
		struct tcp_sack_block b = g->o.sack[k];

		s->st.sack_blocks_in++;
		/*
		 * RFC 2883: a first block below the cumulative ACK, or inside the
		 * second block, reports a duplicate: the peer got something twice.
		 */
		if (k == 0 && (seq_leq(b.end, g->ack) ||
			       (g->o.nsack > 1 && seq_geq(b.start, g->o.sack[1].start) &&
				seq_leq(b.end, g->o.sack[1].end)))) {
			s->st.dsack_in++;
			dsack_undo(c);
			continue;
		}
		/* Empty, reversed, below SND.UNA or past what we sent: not news we can use. */
		if (!seq_lt(b.start, b.end) || seq_leq(b.end, una) || seq_gt(b.end, c->snd_max) ||
		    b.end - b.start > c->snd_max - una) {
			s->st.sack_blocks_bad++;
			continue;
		}
		sacked0 = c->sb.sacked;
		tcp_sb_add(&c->sb, seq_max(b.start, una), b.end);
		if (c->in_recovery && c->sb.sacked != sacked0 &&
		    seq_lt(seq_max(b.start, una), c->sb.high_rxt))
			resent_got = seq_max(resent_got, seq_min(b.end, c->sb.high_rxt));
	}
	return resent_got;
}

/* Bytes the peer SACKed above `seq`. */
static uint32_t sacked_above(const struct tcp_scoreboard *sb, uint32_t seq)
{
	uint32_t n = 0;

	for (unsigned int i = 0; i < sb->n; i++)
		if (seq_gt(sb->r[i].end, seq))
			n += sb->r[i].end - seq_max(sb->r[i].start, seq);
	return n;
}

void tcp_sack_enter_recovery(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t mss = tcp_eff_mss(c);
	uint32_t flight = c->snd_max - c->snd_una;

	/* RFC 6675 5 step 4.2 (ssthresh as RFC 5681 (4)), RFC 6937 initialisation. */
	c->undo_cwnd = c->cwnd;
	c->undo_ssthresh = c->ssthresh;
	c->undo_retrans = 0;
	c->undo_valid = 1;
	c->ssthresh = tcp_cc_ssthresh(c, flight);
	c->cwnd = c->ssthresh;
	c->recover = c->snd_max;
	c->in_recovery = 1;
	c->recover_fs = flight;
	c->prr_delivered = 0;
	c->prr_out = 0;
	c->sb.high_rxt = c->snd_una;
	c->sb.rxt_fence = c->snd_max;
	c->sb.rerxt_nxt = c->sb.rerxt_end = c->snd_una;
	/* Step 4.3: the first lost segment goes now, whatever the pipe says. */
	c->sack_credit = mss;
	c->bytes_acked = 0;
	s->st.fast_retransmits++;
	s->st.sack_recoveries++;
	/* The timer that runs now is the short one of recovery (tcp_rtx_timer_arm). */
	c->tlp_out = 0;
	tcp_rtx_timer_arm(c);
}

/*
 * After the scoreboard and SND.UNA took an ACK: enter, run or leave SACK
 * recovery. `delivered` is RFC 6937 DeliveredData (SND.UNA's advance plus
 * the change in SACKed bytes).
 */
static void sack_recovery_ack(struct sl_tcp_conn *c, uint32_t delivered, bool dup,
			      uint32_t resent_got)
{
	uint32_t mss = tcp_eff_mss(c);
	uint64_t sndcnt;
	uint32_t pipe;

	if (!c->in_recovery) {
		/*
		 * RFC 6675 5: DupThresh duplicate ACKs, or IsLost(HighACK + 1): a
		 * loss. The ACKs of a peer that is sending data too are not
		 * duplicates by RFC 5681's definition (they carry data), so the
		 * scoreboard is what finds the loss in an echo. Not before
		 * SND.UNA reaches the last RecoveryPoint (RFC 6675 5.1).
		 */
		if (c->snd_una == c->snd_max || !seq_geq(c->snd_una, c->recover))
			return;
		if ((dup && c->dupacks >= TCP_DUPTHRESH) ||
		    seq_gt(tcp_sb_lost_edge(&c->sb, c->snd_una, mss), c->snd_una))
			tcp_sack_enter_recovery(c);
		return;
	}
	if (seq_geq(c->snd_una, c->recover)) {
		/* RFC 6675 5 step (A) / RFC 6937: recovery over, cwnd = ssthresh. */
		c->in_recovery = 0;
		c->dupacks = 0;
		c->cwnd = c->ssthresh;
		c->sack_credit = 0;
		tcp_sb_marks_reset(&c->sb, c->snd_una);
		return;
	}
	/*
	 * Lost resends (the idea of RFC 8985's RACK, on sequence order instead
	 * of send times): holes are resent lowest first, so when the resend of
	 * a higher hole is SACKed, every hole below it that is still open lost
	 * its resend as well; and when more than (DupThresh - 1) MSS of data
	 * sent after the resend at SND.UNA is SACKed, that resend is lost.
	 * Resend those at once rather than wait for the RTO.
	 */
	{
		bool fence_hit = seq_lt(c->snd_una, c->sb.high_rxt) &&
				 sacked_above(&c->sb, c->sb.rxt_fence) > (TCP_DUPTHRESH - 1) * mss;
		/* What was already sent a second time proves nothing new, but past the fence. */
		uint32_t from = fence_hit ? c->snd_una : seq_max(c->snd_una, c->sb.rerxt_end);
		uint32_t upto = fence_hit ? seq_max(resent_got, c->sb.high_rxt) : resent_got;
		uint32_t room;

		if (seq_gt(upto, from) && seq_lt(tcp_sb_skip(&c->sb, from, &room), upto)) {
			c->stack->st.lost_retransmits++;
			if (!seq_lt(c->sb.rerxt_nxt, c->sb.rerxt_end))
				c->sb.rerxt_nxt = from;
			c->sb.rerxt_nxt = seq_min(c->sb.rerxt_nxt, from);
			c->sb.rerxt_end = seq_max(c->sb.rerxt_end, upto);
			c->sb.rxt_fence = c->snd_max;
		}
	}
	/* RFC 6937 PRR with slow start reduction bound (PRR-SSRB). */
	c->prr_delivered += delivered;
	pipe = tcp_sb_pipe(&c->sb, c->snd_una, c->snd_max, mss);
	if (pipe > c->ssthresh) {
		uint64_t fs = c->recover_fs != 0 ? c->recover_fs : 1;

		sndcnt = ((uint64_t)c->prr_delivered * c->ssthresh + fs - 1) / fs;
		sndcnt = sndcnt > c->prr_out ? sndcnt - c->prr_out : 0;
	} else {
		uint32_t limit = c->prr_delivered > c->prr_out ? c->prr_delivered - c->prr_out : 0;

		limit = RTE_MAX(limit, delivered) + mss;
		sndcnt = RTE_MIN(c->ssthresh - pipe, limit);
	}
	if (sndcnt > c->sack_credit)
		c->sack_credit = (uint32_t)RTE_MIN(sndcnt, (uint64_t)UINT32_MAX);
}

/* Returns false when the segment must be dropped (or the connection went away). */
static bool ack_input(struct sl_tcp_conn *c, const struct tcp_seg *g)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t wnd = (uint32_t)g->wnd << c->snd_wscale;
	uint32_t sent = 0;
	bool dup;

	/* RFC 5961 5.2: acceptable iff SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT. */
	if (seq_gt(g->ack, c->snd_max)) {
		s->st.ack_unsent_data++;
		tcp_send_challenge_ack(c);
		return false;
	}
	if (seq_lt(g->ack, c->snd_una - c->max_snd_wnd)) {
		s->st.out_of_window++;
		tcp_send_challenge_ack(c);
		return false;
	}
	/*
	 * RFC 5681 2: the same ACK, no data, same window, data outstanding. A
	 * zero window is not a loss signal: those ACKs answer our probes or
	 * segments the peer could not take (RFC 9293 3.8.6.1).
	 */
	dup = g->ack == c->snd_una && g->len == 0 && !(g->flags & (TCP_SYN | TCP_FIN)) &&
	      wnd == c->snd_wnd && wnd != 0 && c->snd_nxt != c->snd_una;
	/*
	 * An echoed TSval (RFC 7323 4) names the transmission it answers, so
	 * unlike a plain ACK it is a valid RTT sample even after resends: the
	 * path is alive, and the RTO backoff (Karn) can end.
	 */
	if (c->ts_on && g->o.has_ts && g->o.tsecr != 0 && seq_gt(g->ack, c->snd_una) &&
	    c->rtt.backoff != 0 && (uint32_t)(tcp_tsval(c) - g->o.tsecr) < 60000u)
		c->rtt.backoff = 0;
	if (c->sack_on) {
		uint32_t una0 = c->snd_una, sacked0 = c->sb.sacked;

		uint32_t resent_got = c->snd_una;

		if (g->o.nsack != 0)
			resent_got = sack_input(c, g);
		/* RFC 6675 2: an ACK that SACKs new data counts as a duplicate too. */
		if (g->ack == c->snd_una && c->sb.sacked > sacked0 && c->snd_una != c->snd_max)
			dup = true;
		if (seq_gt(g->ack, c->snd_una))
			sent = new_ack(c, g->ack);
		else if (dup)
			dup_ack(c);
		if (c->state == TCP_CLOSED)
			return false;
		if (c->tlp_out) {
			uint32_t room;

			/* The probe got through: whatever below it is still open was lost. */
			if (seq_gt(c->snd_una, c->sb.tlp_seq) ||
			    tcp_sb_skip(&c->sb, c->sb.tlp_seq, &room) != c->sb.tlp_seq) {
				c->tlp_out = 0;
				if (seq_gt(c->sb.tlp_seq, c->snd_una))
					c->sb.rack_lost = c->sb.tlp_seq;
			}
		}
		sack_recovery_ack(c, (c->snd_una - una0) + (c->sb.sacked - sacked0), dup,
				  resent_got);
		/*
		 * New SACK information without a new cumulative ACK while the
		 * long RTO runs: look again after 2 SRTT (tcp_send_tlp's RACK
		 * check), not after the RTO.
		 */
		if (c->sb.sacked > sacked0 && c->snd_una == una0 && !c->tlp_armed &&
		    c->snd_una != c->snd_max)
			tcp_rtx_timer_arm(c);
	} else if (seq_gt(g->ack, c->snd_una)) {
		sent = new_ack(c, g->ack);
	} else if (dup) {
		dup_ack(c);
	}
	if (c->state == TCP_CLOSED)
		return false;
	/* Window update, only from newer segments (RFC 9293 3.10.7.4). */
	if (seq_lt(c->snd_wl1, g->seq) || (c->snd_wl1 == g->seq && seq_leq(c->snd_wl2, g->ack))) {
		c->snd_wnd = wnd;
		c->snd_wl1 = g->seq;
		c->snd_wl2 = g->ack;
		if (wnd > c->max_snd_wnd)
			c->max_snd_wnd = wnd;
		window_shrunk(c);
	}
	/* Only now, with SND.UNA and SND.WND both from this segment (see new_ack). */
	if (sent > 0 && c->app_owned && c->cb->on_sent != NULL) {
		c->busy++;
		c->cb->on_sent(c, c->arg, sent);
		c->busy--;
		if (c->state == TCP_CLOSED)
			return false;
	}
	/* Our FIN acknowledged? */
	if (c->fin_sent && seq_gt(c->snd_una, tcp_sq_end(c))) {
		switch (c->state) {
		case TCP_FIN_WAIT_1:
			tcp_set_state(c, TCP_FIN_WAIT_2);
			/* Nobody will read or close it any more: do not wait forever. */
			if (c->app_closed)
				tcp_timer_set(c, TCP_T_2MSL, s->now_us + 2ull * s->cfg.msl_us);
			break;
		case TCP_CLOSING:
			time_wait_enter(c);
			return false;
		case TCP_LAST_ACK:
			tcp_conn_close(c, SL_TCP_CLOSED_NORMAL, true);
			return false;
		default:
			break;
		}
	}
	return true;
}

/* ---- closing ---- */

static void time_wait_enter(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;

	tcp_set_state(c, TCP_TIME_WAIT);
	c->tmr[TCP_T_RTX] = c->tmr[TCP_T_PERSIST] = c->tmr[TCP_T_DELACK] = 0;
	tcp_timer_set(c, TCP_T_2MSL, s->now_us + 2ull * s->cfg.msl_us);
	/* The slot stays for 2 MSL (RFC 9293 3.4.2); the app is released once it has read all. */
	tcp_deliver(c);
}

/*
 * TIME_WAIT ends the connection for the app (on_closed), but not before it
 * has taken every byte: an app that paused reading (rcv_blocked) still gets
 * the rest, then on_peer_fin, then on_closed, in that order.
 */
static void time_wait_release_app(struct sl_tcp_conn *c)
{
	if (c->state != TCP_TIME_WAIT || !c->app_owned || c->rq_head != NULL)
		return;
	c->app_owned = 0;
	if (c->cb->on_closed != NULL) {
		c->busy++;
		c->cb->on_closed(c, c->arg, SL_TCP_CLOSED_NORMAL);
		c->busy--;
	}
}

/* The peer's FIN, reached in sequence (RFC 9293 3.10.7.4 eighth step). */
static void fin_input(struct sl_tcp_conn *c)
{
	c->rcv_nxt++;
	c->fin_in_order = 1;
	c->ack_now = 1;
	/* Anything queued past the FIN is junk. */
	tcp_reass_free(&c->ooo);
	c->sack_rcv.n = 0;
	switch (c->state) {
	case TCP_SYN_RCVD:
	case TCP_ESTABLISHED:
		tcp_set_state(c, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		tcp_set_state(c, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		tcp_send_ack(c);
		time_wait_enter(c);
		return;
	default:
		return;
	}
	tcp_deliver(c);
}

static void time_wait_input(struct sl_tcp_conn *c, struct rte_mbuf *m, struct tcp_seg *g)
{
	struct sl_tcp_stack *s = c->stack;

	if (g->flags & TCP_RST) {
		/* RFC 1337: an RST must not cut TIME-WAIT short (TIME-WAIT assassination). */
		s->st.rst_ignored++;
		rte_pktmbuf_free(m);
		return;
	}
	if ((g->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && seq_gt(g->seq, c->rcv_nxt) &&
	    tcp_listener_find(s, c->tuple.local_port) != NULL &&
	    (!c->ts_on || !g->o.has_ts || seq_gt(g->o.tsval, c->ts_recent))) {
		/* A new incarnation above the old sequence space (RFC 9293 3.10.7.4 note; RFC
		 * 6191). */
		struct sl_tcp_tuple t = c->tuple;

		s->st.time_wait_reused++;
		/* (an app still reading the old incarnation is told it is gone) */
		tcp_conn_close(c, SL_TCP_CLOSED_NORMAL, true);
		no_conn_input(s, m, &t, g);
		return;
	}
	if (g->flags & TCP_FIN) {
		/* Our last ACK was lost: ACK again and restart the 2 MSL wait. */
		tcp_send_ack(c);
		tcp_timer_set(c, TCP_T_2MSL, s->now_us + 2ull * s->cfg.msl_us);
	} else if (g->len > 0 || (g->flags & TCP_SYN)) {
		tcp_send_ack(c);
	}
	rte_pktmbuf_free(m);
}

/* ---- per state ---- */

static void syn_sent_input(struct sl_tcp_conn *c, struct rte_mbuf *m, struct tcp_seg *g)
{
	struct sl_tcp_stack *s = c->stack;
	bool ack_ok = false;

	rte_pktmbuf_free(m); /* nothing of a SYN-ACK's payload is kept */
	if (g->flags & TCP_ACK) {
		if (seq_leq(g->ack, c->iss) || seq_gt(g->ack, c->snd_max)) {
			if (g->flags & TCP_RST)
				s->st.rst_ignored++;
			else
				tcp_send_rst_reply(s, &c->tuple, g->ack, 0, false);
			return;
		}
		ack_ok = true;
	}
	if (g->flags & TCP_RST) {
		/* RFC 9293 / 5961 3.2: in SYN-SENT an RST counts only if it ACKs our SYN. */
		if (ack_ok) {
			s->st.rst_received++;
			tcp_conn_close(c, SL_TCP_CLOSED_REFUSED, true);
		} else {
			s->st.rst_ignored++;
		}
		return;
	}
	if (!(g->flags & TCP_SYN))
		return;
	c->irs = g->seq;
	c->rcv_nxt = c->rcv_adv = g->seq + 1;
	tcp_conn_apply_syn_opts(c, &g->o);
	c->snd_wnd = c->max_snd_wnd = g->wnd;
	c->snd_wl1 = g->seq;
	c->snd_wl2 = g->ack;
	if (ack_ok) {
		c->snd_una = g->ack;
		if (!c->syn_rexmit)
			tcp_rtt_sample(&c->rtt, (uint32_t)(s->now_us - c->rtt_start_us), &s->cfg);
		if (!tcp_conn_established(c))
			return;
		c->ack_now = 1;
	} else {
		/* Simultaneous open (RFC 9293 figure 7): SYN-ACK with the same ISS. */
		tcp_set_state(c, TCP_SYN_RCVD);
		tcp_send_syn(c);
	}
}

static void synchronized_input(struct sl_tcp_conn *c, struct rte_mbuf *m, struct tcp_seg *g)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t wnd, slen = seg_space(g);
	bool ok, fin = (g->flags & TCP_FIN) != 0;

	if (c->state == TCP_SYN_RCVD && (g->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN) {
		/* Our SYN-ACK was lost: the same SYN-ACK again (same ISS), no new connection. */
		if (g->seq == c->irs)
			tcp_send_syn(c);
		rte_pktmbuf_free(m);
		return;
	}
	/* RFC 7323 5.3 PAWS: an older TSval is an old duplicate. */
	if (c->ts_on && g->o.has_ts && !(g->flags & TCP_RST) && seq_lt(g->o.tsval, c->ts_recent)) {
		s->st.paws_dropped++;
		if (slen != 0 || tcp_oow_ack_allowed(c))
			tcp_send_ack(c);
		rte_pktmbuf_free(m);
		return;
	}
	/* RFC 9293 3.10.7.4 first step: sequence acceptability. */
	wnd = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	if (slen == 0)
		ok = wnd == 0 ? g->seq == c->rcv_nxt : seq_in(g->seq, c->rcv_nxt, c->rcv_nxt + wnd);
	else
		ok = wnd != 0 && (seq_in(g->seq, c->rcv_nxt, c->rcv_nxt + wnd) ||
				  seq_in(g->seq + slen - 1, c->rcv_nxt, c->rcv_nxt + wnd));
	/* Zero window: still take the ACK (and RST) of a segment at RCV.NXT. */
	if (!ok && wnd == 0 && g->seq == c->rcv_nxt)
		ok = true;
	if (!ok) {
		if (!(g->flags & TCP_RST)) {
			if (seq_leq(g->seq + slen, c->rcv_nxt))
				s->st.dup_segs++;
			else
				s->st.out_of_window++;
			if (slen != 0 || tcp_oow_ack_allowed(c)) /* bare ACK floods: throttled */
				tcp_send_ack(c);
		} else {
			s->st.rst_ignored++; /* RFC 5961 3.2: outside the window, silently */
		}
		rte_pktmbuf_free(m);
		return;
	}
	if (g->flags & TCP_RST) {
		rte_pktmbuf_free(m);
		if (g->seq == c->rcv_nxt) {
			s->st.rst_received++;
			/* A passive half-open just goes away (back to LISTEN). */
			tcp_conn_close(c,
				       c->state == TCP_SYN_RCVD && !c->passive
					   ? SL_TCP_CLOSED_REFUSED
					   : SL_TCP_CLOSED_RESET,
				       !(c->state == TCP_SYN_RCVD && c->passive));
		} else {
			/* RFC 5961 3.2: in the window but not exact: challenge ACK. */
			s->st.rst_ignored++;
			tcp_send_challenge_ack(c);
		}
		return;
	}
	if (g->flags & TCP_SYN) {
		/* RFC 5961 4.2: any SYN here gets a challenge ACK, never a reset. */
		tcp_send_challenge_ack(c);
		rte_pktmbuf_free(m);
		return;
	}
	if (!(g->flags & TCP_ACK)) {
		rte_pktmbuf_free(m);
		return;
	}
	tcp_peer_alive(c); /* keepalive, zero-window probes: the peer is there */
	/* RFC 7323 4.3: TS.Recent from the segment that covers Last.ACK.sent. */
	if (c->ts_on && g->o.has_ts && seq_leq(g->seq, c->last_ack_sent))
		c->ts_recent = g->o.tsval;
	if (c->state == TCP_SYN_RCVD) {
		if (seq_leq(g->ack, c->snd_una) || seq_gt(g->ack, c->snd_max)) {
			tcp_send_rst_reply(s, &c->tuple, g->ack, 0, false);
			rte_pktmbuf_free(m);
			return;
		}
		c->snd_una = g->ack;
		c->snd_wnd = (uint32_t)g->wnd << c->snd_wscale;
		c->max_snd_wnd = RTE_MAX(c->max_snd_wnd, c->snd_wnd);
		c->snd_wl1 = g->seq;
		c->snd_wl2 = g->ack;
		if (!c->syn_rexmit)
			tcp_rtt_sample(&c->rtt, (uint32_t)(s->now_us - c->rtt_start_us), &s->cfg);
		if (!tcp_conn_established(c)) {
			rte_pktmbuf_free(m);
			return;
		}
	}
	if (!ack_input(c, g)) {
		rte_pktmbuf_free(m);
		return;
	}
	if (g->len > 0) {
		switch (c->state) {
		case TCP_ESTABLISHED:
		case TCP_FIN_WAIT_1:
		case TCP_FIN_WAIT_2:
			if (c->app_closed) {
				/* close() said nobody reads: new data gets a reset (RFC
				 * 9293 3.10.4). */
				rte_pktmbuf_free(m);
				tcp_send_rst_conn(c);
				tcp_conn_close(c, SL_TCP_CLOSED_ABORTED, true);
				return;
			}
			if (tcp_mem_refuse_data(c,
						seq_leq(g->seq, c->rcv_nxt) && c->ooo.count > 0)) {
				/* Over a memory cap: not queued, not acknowledged; sent again. */
				rte_pktmbuf_free(m);
				fin = false;
				c->ack_now = 1;
				break;
			}
			data_input(c, m, g, &fin);
			break;
		default:
			rte_pktmbuf_free(m); /* after the peer's FIN: ignore */
			break;
		}
	} else {
		rte_pktmbuf_free(m);
	}
	if (fin && !c->fin_rcvd) {
		uint32_t fseq = g->seq + g->len;

		if (seq_lt(fseq, c->rcv_adv) || fseq == c->rcv_adv) {
			c->fin_rcvd = 1;
			c->rcv_fin_seq = fseq;
		}
	}
	tcp_deliver(c);
	if (c->state == TCP_CLOSED)
		return;
	/* The FIN counts only in sequence: after every byte before it (TLDK #6). */
	if (c->fin_rcvd && !c->fin_in_order && c->rcv_nxt == c->rcv_fin_seq)
		fin_input(c);
	else if (fin)
		c->ack_now = 1;
}

static void conn_input(struct sl_tcp_conn *c, struct rte_mbuf *m, struct tcp_seg *g)
{
	struct sl_tcp_stack *s = c->stack;

	switch (c->state) {
	case TCP_SYN_SENT:
		syn_sent_input(c, m, g);
		break;
	case TCP_TIME_WAIT:
		time_wait_input(c, m, g);
		return;
	default:
		synchronized_input(c, m, g);
		break;
	}
	if (c->state == TCP_CLOSED || c->state == TCP_TIME_WAIT)
		return;
	tcp_output_push(c);
	if (c->state == TCP_CLOSED)
		return;
	if (c->ack_now) {
		tcp_send_ack(c);
	} else if (c->unacked_bytes > 0 && c->tmr[TCP_T_DELACK] == 0) {
		/* RFC 9293 3.8.6.3: delay, but never past delack_us (<= 500 ms). */
		tcp_timer_set(c, TCP_T_DELACK, s->now_us + s->cfg.delack_us);
	}
}

void sl_tcp_input(struct sl_tcp_stack *s, struct rte_mbuf *m, const struct sl_tcp_tuple *t,
		  uint64_t now_us)
{
	struct sl_tcp_conn *c;
	struct tcp_seg g;

	if (now_us > s->now_us)
		s->now_us = now_us;
	s->st.segs_in++;
	if (seg_parse(s, m, t, &g) != 0) {
		rte_pktmbuf_free(m);
		return;
	}
	s->st.bytes_in += g.len;
	c = tcp_conn_lookup(s, t);
	if (c == NULL) {
		no_conn_input(s, m, t, &g);
		return;
	}
	tcp_conn_enter(c);
	conn_input(c, m, &g);
	tcp_conn_leave(c);
}
