/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segment construction and the send path.
 *
 * Zero copy and the retransmission queue: the send queue holds the app's
 * own mbufs (linked through ->next, see tcp_api.c). Every transmission,
 * first or repeated, is a fresh header mbuf from cfg->pool (TCP header and
 * options; the IP layer prepends IPv4 + Ethernet in its headroom) chained
 * to indirect mbufs attached to the queued payload. We never rewrite the
 * queued mbufs, so it does not matter whether an earlier transmission of
 * the same bytes still sits in a NIC tx ring (refcnt > 1): there is no
 * "copy if shared" special case to get wrong. Two exceptions, both copies
 * into the header mbuf: payloads of at most TCP_TX_COPY_MAX bytes (copying
 * 128 bytes is cheaper than allocating and attaching an indirect mbuf) and
 * ranges spread over more than TCP_TX_MAX_SEGS - 1 tiny app mbufs (NICs
 * limit tx descriptors per packet).
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "tcp_priv.h"

/*
 * One's complement sum (RFC 1071) of the first `len` bytes of a chain.
 * Not rte_raw_cksum_mbuf: in DPDK 22.11 it truncates a segment's 32-bit
 * partial sum to 16 bits before byte-swapping it when the segment starts
 * at an odd offset of the packet, dropping that segment's carries. Our
 * zero-copy segments are chains of the peer's own pieces, which have odd
 * lengths whenever the peer sent odd-sized segments (Linux does at a small
 * or unscaled window): every such segment went out with a bad checksum,
 * the peer dropped it, and the connection stalled (tcp_window_scaling=0).
 * Here each partial sum is folded to 16 bits first, then swapped (RFC 1071
 * 2(B): byte order independence).
 */
static uint32_t chain_sum(const struct rte_mbuf *m, uint32_t len)
{
	uint32_t sum = 0, done = 0;

	for (; m != NULL && done < len; m = m->next) {
		uint32_t k = RTE_MIN((uint32_t)m->data_len, len - done);
		uint16_t part;

		if (k == 0)
			continue;
		part = __rte_raw_cksum_reduce(
		    __rte_raw_cksum(rte_pktmbuf_mtod(m, const void *), k, 0));
		if (done & 1)
			part = rte_bswap16(part);
		sum += part;
		done += k;
	}
	return done == len ? sum : UINT32_MAX;
}

uint16_t tcp_cksum(const struct rte_mbuf *m, uint32_t len, uint32_t src_ip, uint32_t dst_ip)
{
	struct {
		uint32_t src, dst;
		uint8_t zero, proto;
		uint16_t len;
	} __rte_packed ph = {src_ip, dst_ip, 0, IPPROTO_TCP, rte_cpu_to_be_16((uint16_t)len)};
	uint32_t sum = __rte_raw_cksum(&ph, sizeof(ph), 0);
	uint32_t data = chain_sum(m, len);

	if (data == UINT32_MAX)
		return 0xffff; /* cannot happen for len <= pkt_len; fails verification */
	sum += data;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t tcp_tsval(const struct sl_tcp_conn *c)
{
	/* RFC 7323 5.4: a ms clock, offset per connection (RFC 7323 7.1). */
	return (uint32_t)(c->stack->now_us / 1000) + c->ts_offset;
}

uint32_t tcp_eff_mss(const struct sl_tcp_conn *c)
{
	/* RFC 9293 3.7.1: the peer's MSS bounds payload plus our options. */
	uint32_t mss = RTE_MIN((uint32_t)c->snd_mss, (uint32_t)c->stack->cfg.mss);

	if (c->ts_on)
		mss -= TCP_TS_OPT_LEN;
	return mss;
}

uint32_t tcp_rcv_window(struct sl_tcp_conn *c)
{
	const struct sl_tcp_config *cfg = &c->stack->cfg;
	uint32_t unit = 1u << c->rcv_wscale;
	uint32_t space = cfg->rcv_buf > c->rq_bytes ? cfg->rcv_buf - c->rq_bytes : 0;
	uint32_t maxwin = 65535u << c->rcv_wscale;
	uint32_t edge, thresh, win;

	space = RTE_MIN(space, tcp_mem_window_space(c));
	if (space > maxwin)
		space = maxwin;
	edge = c->rcv_nxt + space; /* where the buffer really ends */
	/*
	 * Receiver SWS avoidance (RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2): move the
	 * edge right only by at least min(buffer / 2, MSS), or to the full buffer.
	 */
	thresh = RTE_MIN(cfg->rcv_buf / 2, (uint32_t)cfg->mss);
	if (seq_gt(c->rcv_adv, c->rcv_nxt) && seq_gt(edge, c->rcv_adv) &&
	    edge - c->rcv_adv < thresh && c->rq_bytes != 0)
		edge = c->rcv_adv;
	/* Memory caps and pressure (tcp_caps.c): hold the edge where the peer saw it. */
	if (seq_gt(edge, c->rcv_adv) && !tcp_mem_window_ok(c)) {
		c->stack->st.pressure_window_held++;
		edge = seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv : c->rcv_nxt;
	}
	/*
	 * The scaled field can only say multiples of `unit`. Round down (never
	 * promise past the buffer) unless that would put the edge left of what
	 * the peer already saw (RFC 7323 2.4, RFC 9293 3.8.6: no shrinking);
	 * then take the smallest multiple that keeps it.
	 */
	win = seq_gt(edge, c->rcv_nxt) ? (edge - c->rcv_nxt) >> c->rcv_wscale : 0;
	if (win > 65535)
		win = 65535;
	if (seq_lt(c->rcv_nxt + (win << c->rcv_wscale), c->rcv_adv))
		win = (c->rcv_adv - c->rcv_nxt + unit - 1) >> c->rcv_wscale;
	c->rcv_adv = c->rcv_nxt + (win << c->rcv_wscale);
	return win << c->rcv_wscale;
}

/* A header-only mbuf with the TCP header and options; payload appended later. */
static struct rte_mbuf *build_hdr(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t,
				  uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
				  const struct tcp_opts_out *o)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(s->cfg.pool);
	unsigned int hl = TCP_HDR_LEN + (o != NULL ? tcp_opts_len(o) : 0);
	struct rte_tcp_hdr *th;

	if (m == NULL) {
		s->st.no_mbuf++;
		return NULL;
	}
	th = (struct rte_tcp_hdr *)rte_pktmbuf_append(m, (uint16_t)hl);
	if (th == NULL) {
		rte_pktmbuf_free(m);
		s->st.no_mbuf++;
		return NULL;
	}
	th->src_port = t->local_port;
	th->dst_port = t->remote_port;
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = rte_cpu_to_be_32(ack);
	th->data_off = (uint8_t)((hl / 4) << 4);
	th->tcp_flags = flags;
	th->rx_win = rte_cpu_to_be_16(win);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (o != NULL)
		tcp_opts_write((uint8_t *)(th + 1), o);
	return m;
}

/* Checksum and hand to the IP layer, which owns m from here. */
static void emit(struct sl_tcp_stack *s, struct rte_mbuf *m, const struct sl_tcp_tuple *t,
		 uint32_t paylen)
{
	struct rte_tcp_hdr *th = rte_pktmbuf_mtod(m, struct rte_tcp_hdr *);

	th->cksum = tcp_cksum(m, m->pkt_len, t->local_ip, t->remote_ip);
	m->l4_len = (uint8_t)((th->data_off >> 4) * 4);
	s->st.segs_out++;
	s->st.bytes_out += paylen;
	if (th->tcp_flags & TCP_RST)
		s->st.rst_sent++;
	s->cfg.output(s->cfg.output_ctx, m, t);
}

/* Find the queued mbuf holding sequence `seq`, using the cursor when it helps. */
static void sq_seek(struct sl_tcp_conn *c, uint32_t seq, struct rte_mbuf **mp, uint32_t *offp)
{
	struct rte_mbuf *m;
	uint32_t pos, off;

	if (c->sq_cur != NULL && seq_geq(seq, c->sq_cur_seq)) {
		m = c->sq_cur;
		pos = c->sq_cur_seq;
		off = c->sq_cur_off;
	} else {
		m = c->sq_head;
		pos = c->sq_seq;
		off = c->sq_head_off;
	}
	while (m != NULL && seq - pos >= (uint32_t)(m->data_len - off)) {
		pos += m->data_len - off;
		m = m->next;
		off = 0;
	}
	if (m != NULL) {
		off += seq - pos;
		c->sq_cur = m;
		c->sq_cur_seq = seq;
		c->sq_cur_off = (uint16_t)off;
	}
	*mp = m;
	*offp = off;
}

/* Count the mbuf pieces that bytes [seq, seq+len) span. */
static uint32_t sq_pieces(struct sl_tcp_conn *c, uint32_t seq, uint32_t len, uint32_t *fit)
{
	struct rte_mbuf *m;
	uint32_t off, n = 0, done = 0;

	sq_seek(c, seq, &m, &off);
	*fit = 0;
	while (m != NULL && done < len) {
		uint32_t k = RTE_MIN((uint32_t)(m->data_len - off), len - done);

		if (k != 0) {
			n++;
			if (n <= TCP_TX_MAX_SEGS - 1)
				*fit = done + k;
		}
		done += k;
		m = m->next;
		off = 0;
	}
	return n;
}

/* Append the payload bytes [seq, seq+len) to hdr: copied or as indirect mbufs. */
static int attach_payload(struct sl_tcp_conn *c, struct rte_mbuf *hdr, uint32_t seq, uint32_t len,
			  bool copy)
{
	struct rte_mempool *pool = c->stack->cfg.pool;
	struct rte_mbuf *m, *tail = hdr;
	uint32_t off, done = 0;

	sq_seek(c, seq, &m, &off);
	while (m != NULL && done < len) {
		uint32_t k = RTE_MIN((uint32_t)(m->data_len - off), len - done);

		if (k == 0) {
			m = m->next;
			off = 0;
			continue;
		}
		if (copy) {
			void *d = rte_pktmbuf_append(hdr, (uint16_t)k);

			if (d == NULL)
				return -1;
			memcpy(d, rte_pktmbuf_mtod_offset(m, const uint8_t *, off), k);
		} else {
			struct rte_mbuf *mi = rte_pktmbuf_alloc(pool);

			if (mi == NULL)
				return -1;
			rte_pktmbuf_attach(mi, m);
			mi->data_off = (uint16_t)(m->data_off + off);
			mi->data_len = (uint16_t)k;
			mi->pkt_len = k;
			tail->next = mi;
			tail = mi;
			hdr->nb_segs++;
			hdr->pkt_len += k;
		}
		done += k;
		m = m->next;
		off = 0;
	}
	return done == len ? 0 : -1;
}

/* Largest len' <= len from seq that one segment can carry (mbuf piece limit). */
static uint32_t sq_fit(struct sl_tcp_conn *c, uint32_t seq, uint32_t len, bool *copy)
{
	uint32_t fit;
	uint32_t pieces;

	*copy = len <= TCP_TX_COPY_MAX;
	if (len == 0 || *copy)
		return len;
	pieces = sq_pieces(c, seq, len, &fit);
	if (pieces <= TCP_TX_MAX_SEGS - 1)
		return len;
	/* Many tiny app mbufs: gather into the header mbuf when it has room. */
	if (len + TCP_MAX_HDR_LEN + RTE_PKTMBUF_HEADROOM <= c->stack->cfg.pool->elt_size &&
	    len <= rte_pktmbuf_data_room_size(c->stack->cfg.pool) - RTE_PKTMBUF_HEADROOM -
		       TCP_MAX_HDR_LEN) {
		*copy = true;
		return len;
	}
	return fit;
}

static void conn_opts(const struct sl_tcp_conn *c, bool syn, struct tcp_opts_out *o)
{
	const struct sl_tcp_config *cfg = &c->stack->cfg;

	memset(o, 0, sizeof(*o));
	o->wscale = -1;
	if (syn) {
		o->mss = cfg->mss;
		/*
		 * Our SYN offers WS and TS; a SYN-ACK (passive, or simultaneous
		 * open) answers only what the peer's SYN offered (RFC 7323 2.2, 3.2).
		 */
		if (c->state == TCP_SYN_SENT) {
			o->wscale = (int8_t)cfg->wscale;
			o->ts = cfg->timestamps;
		} else {
			o->wscale = c->ws_on ? (int8_t)cfg->wscale : -1;
			o->ts = c->ts_on;
		}
	} else {
		o->ts = c->ts_on;
	}
	if (syn)
		o->sack_perm = c->state == TCP_SYN_SENT ? cfg->sack : c->sack_on;
	if (o->ts) {
		o->tsval = tcp_tsval(c);
		o->tsecr = c->ts_recent;
	}
}

/*
 * SACK blocks for a segment carrying `len` payload bytes: as many of the
 * most recent as fit beside the payload within the peer's MSS (RFC 2018 3:
 * three with timestamps, four without).
 */
static void sack_opts(const struct sl_tcp_conn *c, uint32_t len, struct tcp_opts_out *o)
{
	uint32_t limit = RTE_MIN((uint32_t)c->snd_mss, (uint32_t)c->stack->cfg.mss);
	uint32_t used = len + (o->ts ? TCP_TS_OPT_LEN : 0);
	uint32_t fit = TCP_SACK_MAX_BLOCKS;

	if (!c->sack_on || c->sack_rcv.n == 0)
		return;
	if (o->ts)
		fit = 3;
	if (len > 0)
		fit = used + 12 > limit ? 0 : RTE_MIN(fit, (limit - used - 4) / 8);
	o->nsack = (uint8_t)RTE_MIN(fit, (uint32_t)c->sack_rcv.n);
	o->sack = c->sack_rcv.blk;
}

/* We sent our receive state: no ACK owed any more. */
static void acked_now(struct sl_tcp_conn *c)
{
	c->last_ack_sent = c->rcv_nxt;
	c->unacked_bytes = 0;
	c->ack_now = 0;
	if (c->tmr[TCP_T_DELACK] != 0)
		tcp_timer_stop(c, TCP_T_DELACK);
}

int tcp_output_segment(struct sl_tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags)
{
	struct sl_tcp_stack *s = c->stack;
	struct tcp_opts_out o;
	struct rte_mbuf *m;
	uint32_t win = tcp_rcv_window(c) >> c->rcv_wscale;
	bool copy = len <= TCP_TX_COPY_MAX;

	conn_opts(c, false, &o);
	sack_opts(c, len, &o);
	if (len > 0)
		(void)sq_fit(c, seq, len, &copy); /* callers already cut len to what fits */
	m = build_hdr(s, &c->tuple, seq, c->rcv_nxt, flags | TCP_ACK, (uint16_t)win, &o);
	if (m == NULL)
		return -1;
	if (len > 0 && attach_payload(c, m, seq, len, copy) != 0) {
		rte_pktmbuf_free(m);
		s->st.no_mbuf++;
		return -1;
	}
	if (len > 0)
		rte_pktmbuf_mtod(m, struct rte_tcp_hdr *)->tcp_flags |= TCP_PSH;
	s->st.sack_blocks_out += o.nsack;
	if (o.nsack == 0 && c->sack_on && c->sack_rcv.n != 0) {
		/* A full data segment had no room for the blocks: a pure ACK carries them. */
		bool owed = c->ack_now;

		acked_now(c);
		c->ack_now = owed;
	} else {
		acked_now(c);
	}
	emit(s, m, &c->tuple, len);
	return 0;
}

int tcp_send_ack_seq(struct sl_tcp_conn *c, uint32_t seq)
{
	return tcp_output_segment(c, seq, 0, TCP_ACK);
}

uint32_t tcp_ack_seq(const struct sl_tcp_conn *c)
{
	uint32_t edge = c->snd_una + c->snd_wnd;

	/*
	 * The sequence number of a segment without data (RFC 9293 3.10.7.4: a
	 * zero-length segment is acceptable only at RCV.NXT <= SEG.SEQ <
	 * RCV.NXT + RCV.WND, and the ACK and window of an unacceptable one are
	 * thrown away). Not SND.NXT: a retransmission timeout or fast
	 * retransmit pulls SND.NXT back to SND.UNA, while the peer may already
	 * hold everything up to SND.MAX; ACKs carrying the pulled-back number
	 * are then dropped by the peer, and when both ends have gone back
	 * neither ever accepts the other's ACK again. SND.MAX is what the peer
	 * has seen at most (BSD does the same); if that lies past the right
	 * edge of the window (the window shrank), the edge, which the peer
	 * accepts even with a closed window (Linux's tcp_acceptable_seq).
	 */
	return seq_leq(c->snd_max, edge) ? c->snd_max : edge;
}

int tcp_send_ack(struct sl_tcp_conn *c)
{
	return tcp_send_ack_seq(c, tcp_ack_seq(c));
}

void tcp_send_challenge_ack(struct sl_tcp_conn *c)
{
	uint64_t now = c->stack->now_us;

	/*
	 * RFC 5961 7 suggests a host-wide limit; that counter was a side channel
	 * (CVE-2016-5696), so the budget is per connection: TCP_CHACK_PER_SEC a second.
	 */
	if (now - c->chack_start_us >= 1000000) {
		c->chack_start_us = now;
		c->chack_count = 0;
	}
	if (c->chack_count >= TCP_CHACK_PER_SEC)
		return;
	c->chack_count++;
	c->stack->st.challenge_acks++;
	tcp_send_ack(c);
}

int tcp_send_syn(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	struct tcp_opts_out o;
	struct rte_mbuf *m;
	bool synack = c->state == TCP_SYN_RCVD;
	/* Never scaled in a SYN (RFC 7323 2.2); a share of the budget like any window. */
	uint32_t win = RTE_MIN(RTE_MIN(s->cfg.rcv_buf, 65535u), tcp_mem_window_space(c));

	conn_opts(c, true, &o);
	m = build_hdr(s, &c->tuple, c->iss, synack ? c->rcv_nxt : 0,
		      synack ? (TCP_SYN | TCP_ACK) : TCP_SYN, (uint16_t)win, &o);
	if (m == NULL)
		return -1;
	if (synack) {
		c->last_ack_sent = c->rcv_nxt;
		c->rcv_adv = c->rcv_nxt + win;
	}
	emit(s, m, &c->tuple, 0);
	return 0;
}

void tcp_send_rst_conn(struct sl_tcp_conn *c)
{
	struct rte_mbuf *m;

	m = build_hdr(c->stack, &c->tuple, tcp_ack_seq(c), c->rcv_nxt, TCP_RST | TCP_ACK, 0, NULL);
	if (m != NULL)
		emit(c->stack, m, &c->tuple, 0);
}

void tcp_send_rst_reply(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t, uint32_t seq,
			uint32_t ack, bool with_ack)
{
	struct rte_mbuf *m;

	m = build_hdr(s, t, seq, with_ack ? ack : 0, with_ack ? (TCP_RST | TCP_ACK) : TCP_RST, 0,
		      NULL);
	if (m != NULL)
		emit(s, m, t, 0);
}

void tcp_send_cookie_synack(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t, uint32_t iss,
			    uint32_t ack, uint16_t mss, int wscale, const struct tcp_opts *peer)
{
	struct tcp_opts_out o;
	struct rte_mbuf *m;

	RTE_SET_USED(mss);
	memset(&o, 0, sizeof(o));
	o.mss = s->cfg.mss;
	o.wscale = wscale >= 0 ? (int8_t)s->cfg.wscale : -1;
	if (s->cfg.timestamps && peer->has_ts) {
		o.ts = true;
		o.tsval = (uint32_t)(s->now_us / 1000) + tcp_ts_offset(s->cfg.isn_secret, t);
		o.tsecr = peer->tsval;
	}
	m = build_hdr(s, t, iss, ack, TCP_SYN | TCP_ACK, (uint16_t)RTE_MIN(s->cfg.rcv_buf, 65535u),
		      &o);
	if (m != NULL)
		emit(s, m, t, 0);
}

void tcp_rtx_timer_arm(struct sl_tcp_conn *c)
{
	const struct sl_tcp_config *cfg = &c->stack->cfg;
	uint64_t rto, pto;

	c->tlp_armed = 0;
	if (c->snd_max == c->snd_una) {
		tcp_timer_stop(c, TCP_T_RTX);
		return;
	}
	rto = tcp_rtt_rto(&c->rtt, cfg);
	/*
	 * RFC 8985 7.2: with SACK, a probe after 2 SRTT (plus the peer's
	 * delayed-ACK time when one segment is out) turns a lost tail into
	 * SACK recovery instead of a 200 ms+ timeout; one probe per episode,
	 * and not while the RTO is backed off. In recovery the same short
	 * timer stands for RACK's reordering timer (RFC 8985 6.3): resends
	 * that are not SACKed 2 SRTT after the last send were lost as well.
	 */
	/*
	 * Only while data flows (ESTABLISHED, CLOSE_WAIT): a probe of a lone
	 * FIN in LAST_ACK crosses the peer's ACK, which closes the connection
	 * here at once, and the peer's answer to the probe then finds no
	 * connection and draws an RST (echo-tcp-workers saw it).
	 */
	if (c->sack_on && (c->in_recovery || !c->tlp_out || c->sb.n != 0) && c->rtt.has_sample &&
	    c->rtt.backoff == 0 && (c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT)) {
		pto = 2ull * c->rtt.srtt_us;
		if (c->snd_max - c->snd_una <= tcp_eff_mss(c))
			pto += cfg->delack_us;
		if (pto < TCP_TLP_MIN_US)
			pto = TCP_TLP_MIN_US;
		if (pto < rto) {
			c->tlp_armed = 1;
			tcp_timer_set(c, TCP_T_RTX, c->stack->now_us + pto);
			return;
		}
	}
	tcp_timer_set(c, TCP_T_RTX, c->stack->now_us + rto);
}

void tcp_send_tlp(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t end = tcp_sq_end(c);
	uint32_t edge = c->snd_una + c->snd_wnd;
	uint32_t mss = tcp_eff_mss(c);
	uint32_t sent_end, seq, len;
	uint8_t flags = TCP_ACK;
	bool copy;

	/*
	 * RACK (RFC 8985 6): data SACKed above a hole after 2 SRTT means the
	 * hole, sent before it, is lost, however few segments the SACK holds
	 * (RFC 6675's IsLost wants three). Recover instead of probing.
	 */
	if (c->sb.n != 0 &&
	    seq_lt(tcp_sb_skip(&c->sb, c->snd_una, &(uint32_t){0}), c->sb.r[c->sb.n - 1].start)) {
		s->st.rack_marked++;
		c->sb.rack_lost = c->sb.r[c->sb.n - 1].start;
		tcp_sack_enter_recovery(c);
		tcp_output_push(c);
		return;
	}
	s->st.tlp_probes++;
	/* New data if the peer's window takes it (cwnd does not hold a probe back). */
	if (c->snd_nxt == c->snd_max && seq_lt(c->snd_nxt, end) && seq_lt(c->snd_nxt, edge)) {
		uint32_t cwnd = c->cwnd;

		c->cwnd = c->snd_nxt - c->snd_una + mss;
		seq = c->snd_nxt;
		tcp_output_push(c);
		c->cwnd = cwnd;
		if (c->snd_max != seq) {
			c->tlp_out = 1;
			c->sb.tlp_seq = seq;
			return;
		}
	}
	/* Else the last segment sent, again. */
	sent_end = seq_min(c->snd_max, end);
	if (!seq_gt(sent_end, c->snd_una)) {
		(void)tcp_retransmit_una(c); /* only a FIN is out */
		return;
	}
	len = RTE_MIN(sent_end - c->snd_una, mss);
	seq = sent_end - len;
	len = sq_fit(c, seq, len, &copy);
	if (c->fin_sent && seq + len == end)
		flags |= TCP_FIN;
	if (tcp_output_segment(c, seq, len, flags) != 0)
		return;
	s->st.retransmits++;
	c->rtt_timing = 0;
	c->tlp_out = 1;
	c->sb.tlp_seq = seq;
}

static bool can_send_data(const struct sl_tcp_conn *c)
{
	switch (c->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/*
 * RFC 6675 NextSeg rule 1 under RFC 6937's budget: resend the lost holes
 * of the scoreboard, lowest first. New data (rule 2) is tcp_output_push's
 * loop, on what budget is left.
 */
static void sack_retransmit(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t mss = tcp_eff_mss(c);
	uint32_t sent_end = seq_min(c->snd_max, tcp_sq_end(c));

	while (c->sack_credit > 0) {
		uint32_t seq, len, room;
		bool copy, again = false;

		/* Resends found lost (tcp_input.c sack_recovery_ack) go first. */
		if (seq_lt(c->sb.rerxt_nxt, c->sb.rerxt_end)) {
			seq = tcp_sb_skip(&c->sb, seq_max(c->sb.rerxt_nxt, c->snd_una), &room);
			if (seq_lt(seq, c->sb.rerxt_end)) {
				len = RTE_MIN(room, c->sb.rerxt_end - seq);
				again = true;
			} else {
				c->sb.rerxt_nxt = c->sb.rerxt_end;
			}
		}
		if (!again && !tcp_sb_next_lost(&c->sb, c->snd_una, mss, &seq, &len))
			break;
		/* Only bytes sent before (never past SND.MAX, see tcp_retransmit_una). */
		if (!seq_lt(seq, sent_end))
			break;
		len = RTE_MIN(RTE_MIN(len, mss), sent_end - seq);
		len = sq_fit(c, seq, len, &copy);
		if (len == 0 || tcp_output_segment(c, seq, len, TCP_ACK) != 0)
			break;
		s->st.retransmits++;
		c->rtt_timing = 0; /* Karn: no sample while holes are being resent */
		if (seq == c->snd_una)
			c->sb.rxt_fence = c->snd_max;
		if (again)
			c->sb.rerxt_nxt = seq + len;
		else
			c->sb.high_rxt = seq + len;
		if (c->undo_retrans < UINT16_MAX)
			c->undo_retrans++;
		c->prr_out += len;
		c->sack_credit = c->sack_credit > len ? c->sack_credit - len : 0;
		if (c->tmr[TCP_T_RTX] == 0)
			tcp_rtx_timer_arm(c);
	}
}

void tcp_output_push(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	bool sack_recovery = c->in_recovery && c->sack_on;

	if (!can_send_data(c))
		return;
	if (sack_recovery)
		sack_retransmit(c);
	for (;;) {
		uint32_t end = tcp_sq_end(c);
		uint32_t avail, room = UINT32_MAX;
		bool fin_due;
		uint32_t win = RTE_MIN(c->snd_wnd, c->cwnd);
		uint32_t flight = c->snd_nxt - c->snd_una;
		uint32_t usable = win > flight ? win - flight : 0;
		uint32_t mss = tcp_eff_mss(c);
		uint32_t len;
		uint8_t flags = TCP_ACK;
		bool copy, rexmit;

		/* Going back after a timeout: skip what the peer SACKed (RFC 6675 5.1). */
		if (c->sb.n != 0 && seq_lt(c->snd_nxt, c->snd_max))
			c->snd_nxt = tcp_sb_skip(&c->sb, c->snd_nxt, &room);
		avail = seq_lt(c->snd_nxt, end) ? end - c->snd_nxt : 0;
		fin_due = c->fin_queued && seq_leq(c->snd_nxt, end);
		if (sack_recovery) {
			/* PRR's budget, within the peer's window (RFC 6937). */
			uint32_t edge = c->snd_una + c->snd_wnd;
			uint32_t wroom = seq_gt(edge, c->snd_nxt) ? edge - c->snd_nxt : 0;

			usable = RTE_MIN(c->sack_credit, wroom);
		}
		if (avail == 0 && !fin_due)
			break;
		len = RTE_MIN(RTE_MIN(RTE_MIN(avail, mss), usable), room);
		if (avail > 0 && len == 0) {
			/*
			 * Peer window closed (or cwnd full): RFC 9293 3.8.6.1 persist
			 * when nothing is in flight. SND.NXT, not SND.MAX: after the
			 * window shrank, SND.NXT was pulled back to SND.UNA and what
			 * lies beyond is not in flight any more (window_shrunk()).
			 */
			if (c->snd_wnd <= flight && flight == 0 && !c->in_persist) {
				c->in_persist = 1;
				c->persist_backoff = 0;
				tcp_timer_set(c, TCP_T_PERSIST,
					      s->now_us + tcp_rtt_rto(&c->rtt, &s->cfg));
			}
			break;
		}
		/* Sender SWS avoidance (RFC 9293 3.8.6.2.1) unless nothing is in flight. */
		if (len < avail && len < mss && len != room && len < c->max_snd_wnd / 2 &&
		    flight != 0)
			break;
		len = sq_fit(c, c->snd_nxt, len, &copy);
		/* FIN rides on the segment that ends the data, if the window takes it. */
		if (fin_due && c->snd_nxt + len == end) {
			if (usable >= len + 1) {
				flags |= TCP_FIN;
			} else if (len == 0) {
				/* Only a FIN is left and no room for it: persist if idle. */
				if (flight == 0 && !c->in_persist) {
					c->in_persist = 1;
					c->persist_backoff = 0;
					tcp_timer_set(c, TCP_T_PERSIST,
						      s->now_us + tcp_rtt_rto(&c->rtt, &s->cfg));
				}
				break;
			}
		}
		rexmit = seq_lt(c->snd_nxt, c->snd_max);
		if (tcp_output_segment(c, c->snd_nxt, len, flags) != 0) {
			/* Out of mbufs: the retransmission timer brings us back. */
			if (c->tmr[TCP_T_RTX] == 0)
				tcp_timer_set(c, TCP_T_RTX,
					      s->now_us + tcp_rtt_rto(&c->rtt, &s->cfg));
			break;
		}
		if (sack_recovery) {
			c->prr_out += len;
			c->sack_credit = c->sack_credit > len ? c->sack_credit - len : 0;
		}
		if (rexmit) {
			s->st.retransmits++;
		} else if (!c->rtt_timing && len > 0) {
			c->rtt_timing = 1;
			c->rtt_seq = c->snd_nxt + len;
			c->rtt_start_us = s->now_us;
		}
		c->snd_nxt += len + ((flags & TCP_FIN) ? 1 : 0);
		if (flags & TCP_FIN)
			c->fin_sent = 1;
		if (seq_gt(c->snd_nxt, c->snd_max))
			c->snd_max = c->snd_nxt;
		if (c->in_persist) {
			c->in_persist = 0;
			tcp_timer_stop(c, TCP_T_PERSIST);
		}
		/* RFC 6298 5.1: start the timer if it is not running; a probe waits for the last
		 * send. */
		if (c->tmr[TCP_T_RTX] == 0 || c->tlp_armed)
			tcp_rtx_timer_arm(c);
		if (flags & TCP_FIN)
			break;
	}
}

uint32_t tcp_retransmit_una(struct sl_tcp_conn *c)
{
	uint32_t end = tcp_sq_end(c);
	/*
	 * Only what was sent before (up to SND.MAX): a resend must never carry
	 * new bytes. When the last transmission was a short segment (the window
	 * or SWS cut it), a full MSS from SND.UNA would reach past SND.MAX
	 * without moving it, and the peer's ACK of those bytes would then look
	 * like an ACK of unsent data: dropped with a challenge ACK, for ever.
	 */
	uint32_t sent_end = seq_lt(c->snd_max, end) ? c->snd_max : end;
	uint32_t avail = seq_lt(c->snd_una, sent_end) ? sent_end - c->snd_una : 0;
	uint32_t len = RTE_MIN(avail, tcp_eff_mss(c));
	uint8_t flags = TCP_ACK;
	bool copy;

	/*
	 * Not limited by the peer's window: these bytes were inside it when
	 * first sent, and the edge never moves left (RFC 9293 3.8.6).
	 */
	len = sq_fit(c, c->snd_una, len, &copy);
	if (c->fin_sent && c->snd_una + len == end)
		flags |= TCP_FIN;
	if (len == 0 && !(flags & TCP_FIN))
		return 0;
	if (tcp_output_segment(c, c->snd_una, len, flags) != 0)
		return 0;
	c->stack->st.retransmits++;
	c->rtt_timing = 0; /* Karn: the timed segment may be this one */
	return len + ((flags & TCP_FIN) ? 1 : 0);
}
