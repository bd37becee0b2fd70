/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timers: a hashed timing wheel (1 ms slots, 4096 per turn) of connections,
 * each linked once under the earliest of its own deadlines.
 *
 * Not rte_timer: rte_timer reads the TSC itself (rte_get_timer_cycles in
 * rte_timer_manage), so it cannot run on the virtual clock the unit tests
 * drive, and the stack's contract is that the clock is a parameter. Its
 * per-lcore skiplists are also more than a per-worker stack needs.
 *
 * A slot is only a bucket: every entry keeps its exact deadline in us, and
 * fires when now >= deadline, so virtual-clock tests see exact times.
 * Entries more than one turn ahead stay in their slot until their turn.
 */
#include "tcp_priv.h"

#define SLOT_MASK (TCP_WHEEL_SLOTS - 1)

void tcp_wheel_init(struct tcp_wheel *w, uint64_t now_us)
{
	w->cur_tick = now_us / TCP_WHEEL_TICK_US;
	w->count = 0;
	w->hint = UINT64_MAX;
	for (unsigned int i = 0; i < TCP_WHEEL_SLOTS; i++)
		LIST_INIT(&w->slot[i]);
}

static void wheel_remove(struct sl_tcp_conn *c)
{
	if (c->deadline == 0)
		return;
	LIST_REMOVE(c, wheel_link);
	c->stack->wheel.count--;
	c->deadline = 0;
}

static void wheel_insert(struct sl_tcp_conn *c, uint64_t deadline)
{
	struct tcp_wheel *w = &c->stack->wheel;
	uint64_t tick = deadline / TCP_WHEEL_TICK_US;

	if (tick < w->cur_tick)
		tick = w->cur_tick;
	LIST_INSERT_HEAD(&w->slot[tick & SLOT_MASK], c, wheel_link);
	c->deadline = deadline;
	w->count++;
	if (deadline < w->hint)
		w->hint = deadline;
}

void tcp_timer_update(struct sl_tcp_conn *c)
{
	uint64_t min = 0;

	for (int i = 0; i < TCP_T_N; i++)
		if (c->tmr[i] != 0 && (min == 0 || c->tmr[i] < min))
			min = c->tmr[i];
	if (min == c->deadline)
		return;
	wheel_remove(c);
	if (min != 0)
		wheel_insert(c, min);
}

void tcp_timer_set(struct sl_tcp_conn *c, enum tcp_timer_id id, uint64_t at_us)
{
	c->tmr[id] = at_us == 0 ? 1 : at_us;
	tcp_timer_update(c);
}

void tcp_timer_stop(struct sl_tcp_conn *c, enum tcp_timer_id id)
{
	c->tmr[id] = 0;
	tcp_timer_update(c);
}

void tcp_timer_stop_all(struct sl_tcp_conn *c)
{
	for (int i = 0; i < TCP_T_N; i++)
		c->tmr[i] = 0;
	wheel_remove(c);
}

void sl_tcp_timers(struct sl_tcp_stack *s, uint64_t now_us)
{
	struct tcp_wheel *w = &s->wheel;
	uint64_t now_tick = now_us / TCP_WHEEL_TICK_US;
	uint64_t tick = w->cur_tick;

	if (now_us > s->now_us)
		s->now_us = now_us;
	if (s->now_us >= s->shed_at)
		tcp_mem_shed(s);
	if (now_tick < tick)
		return;
	/* After a long pause one turn visits every slot. */
	if (now_tick - tick >= TCP_WHEEL_SLOTS)
		tick = now_tick - TCP_WHEEL_SLOTS + 1;
	for (; tick <= now_tick; tick++) {
		struct tcp_wheel_slot *slot = &w->slot[tick & SLOT_MASK];
		struct tcp_wheel_slot run;
		struct sl_tcp_conn *c;

		if (LIST_EMPTY(slot))
			continue;
		/* Detach the slot: whatever the handlers re-arm lands in the live one. */
		run.lh_first = slot->lh_first;
		run.lh_first->wheel_link.le_prev = &run.lh_first;
		LIST_INIT(slot);
		while ((c = LIST_FIRST(&run)) != NULL) {
			uint64_t deadline = c->deadline;

			LIST_REMOVE(c, wheel_link);
			w->count--;
			c->deadline = 0;
			if (deadline <= now_us)
				tcp_timer_fire(c, now_us);
			else
				wheel_insert(c, deadline);
		}
	}
	/* This slot may hold entries due later in this same ms: look again next call. */
	w->cur_tick = now_tick;
	w->hint = UINT64_MAX;
	if (w->count != 0) {
		const struct sl_tcp_conn *c;

		/* Nothing left is due before the next tick, except in this slot. */
		w->hint = (now_tick + 1) * TCP_WHEEL_TICK_US;
		LIST_FOREACH(c, &w->slot[now_tick & SLOT_MASK], wheel_link)
		if (c->deadline < w->hint)
			w->hint = c->deadline;
	}
}

uint64_t sl_tcp_next_timer(const struct sl_tcp_stack *s)
{
	/*
	 * A lower bound, O(1): at most one tick (1 ms) early, so a worker that
	 * polls this per loop calls sl_tcp_timers at most once per ms while any
	 * timer runs, and each such call looks at one slot.
	 */
	uint64_t t = s->wheel.count == 0 ? UINT64_MAX : s->wheel.hint;

	/* Memory pressure: the shedding pass (tcp_caps.c) runs from sl_tcp_timers too. */
	return RTE_MIN(t, s->shed_at);
}

/* ---- what each timer does ---- */

static void rtx_timeout(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	const struct sl_tcp_config *cfg = &s->cfg;
	uint32_t mss, flight, sent;

	if (c->state == TCP_SYN_SENT || c->state == TCP_SYN_RCVD) {
		/* SYN / SYN-ACK: 1, 2, 4 ... s (RFC 6298 5.5), then give up. */
		if (c->retries >= cfg->max_syn_retries) {
			tcp_conn_close(c, SL_TCP_CLOSED_TIMEOUT, true);
			return;
		}
		c->retries++;
		c->syn_rexmit = 1;
		s->st.rto_expired++;
		s->st.retransmits++;
		tcp_rtt_backoff(&c->rtt);
		tcp_send_syn(c);
		tcp_timer_set(c, TCP_T_RTX, s->now_us + tcp_rtt_rto(&c->rtt, cfg));
		return;
	}
	if (c->snd_max == c->snd_una)
		return;
	if (c->tlp_armed && c->in_recovery) {
		/*
		 * Nothing SACKed for 2 SRTT in recovery: what was resent and is
		 * still open is lost again (RFC 8985 6.3's timeout, on sequence
		 * order). Resend it within ssthresh, keep recovering, and leave
		 * the RTO behind it.
		 */
		uint32_t room;

		c->tlp_armed = 0;
		if (seq_lt(tcp_sb_skip(&c->sb, c->snd_una, &room), c->sb.high_rxt)) {
			s->st.lost_retransmits++;
			c->sb.rerxt_nxt = c->snd_una;
			c->sb.rerxt_end = c->sb.high_rxt;
			c->sack_credit = RTE_MAX(c->sack_credit, c->ssthresh);
		} else {
			c->sack_credit = RTE_MAX(c->sack_credit, tcp_eff_mss(c));
		}
		c->sb.rxt_fence = c->snd_max;
		tcp_output_push(c);
		c->tlp_armed = 0;
		if (c->state != TCP_CLOSED)
			tcp_timer_set(c, TCP_T_RTX, s->now_us + tcp_rtt_rto(&c->rtt, cfg));
		return;
	}
	if (c->tlp_armed) {
		/* RFC 8985 7.3: the probe, then the real RTO behind it. */
		c->tlp_armed = 0;
		tcp_send_tlp(c);
		if (c->state == TCP_CLOSED || c->in_recovery)
			return;	  /* RACK started recovery: its short timer runs */
		c->tlp_armed = 0; /* the push inside may have armed a probe again */
		tcp_timer_set(c, TCP_T_RTX, s->now_us + tcp_rtt_rto(&c->rtt, cfg));
		return;
	}
	if (c->retries >= cfg->max_retries) {
		tcp_conn_close(c, SL_TCP_CLOSED_TIMEOUT, true);
		return;
	}
	c->retries++;
	s->st.rto_expired++;
	mss = tcp_eff_mss(c);
	flight = c->snd_max - c->snd_una;
	/* RFC 5681 (4): ssthresh only on the first timeout of a segment; cwnd = LW. */
	if (!c->rto_seen) {
		c->ssthresh = tcp_cc_ssthresh(c, flight);
		c->rto_seen = 1;
	}
	c->cwnd = mss;
	c->bytes_acked = 0;
	/* RFC 6582 4 / RFC 6675 5.1: leave recovery; none again before SND.MAX is ACKed. */
	c->in_recovery = 0;
	c->recover = c->snd_max;
	c->dupacks = 0;
	c->sack_credit = 0;
	c->tlp_out = 0;
	c->undo_valid = 0; /* a timeout is never undone here */
	tcp_sb_marks_reset(&c->sb, c->snd_una);
	/*
	 * The go-back-N below skips what the peer SACKed (RFC 6675 5.1 keeps
	 * the scoreboard). A receiver may renege on SACKed data (RFC 2018 8);
	 * a second timeout in a row says it may have: forget the scoreboard and
	 * resend everything.
	 */
	if (c->retries >= 2)
		tcp_sb_clear(&c->sb);
	tcp_rtt_backoff(&c->rtt); /* RFC 6298 5.5 */
	/* Go back to SND.UNA: one segment now, the rest as ACKs open cwnd. */
	c->snd_nxt = c->snd_una;
	sent = tcp_retransmit_una(c);
	c->snd_nxt = c->snd_una + sent;
	tcp_timer_set(c, TCP_T_RTX, s->now_us + tcp_rtt_rto(&c->rtt, cfg));
}

static void persist_timeout(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint64_t next;

	if (!c->in_persist)
		return;
	s->st.persist_timeouts++;
	if (c->snd_wnd > c->snd_nxt - c->snd_una) {
		c->in_persist = 0;
		tcp_output_push(c);
		return;
	}
	/*
	 * Probe with an old sequence number (SND.UNA - 1, no data): the peer
	 * must answer with an ACK carrying its window (RFC 9293 3.10.7.4), and
	 * nothing enters the flight, so the retransmission timer never runs
	 * and a closed window can last forever (RFC 9293 3.8.6.1, RFC 1122
	 * 4.2.2.17) while the peer answers. Unanswered probes count towards
	 * the give-up (tcp_zw_give_up); the give-up time counts from the first.
	 */
	if (c->persist_backoff == 0)
		c->persist_start_ms = (uint32_t)(s->now_us / 1000);
	if (tcp_zw_give_up(c))
		return;
	s->st.zero_window_probes++;
	c->zw_probes++; /* an acceptable segment from the peer clears it (tcp_peer_alive) */
	tcp_send_ack_seq(c, c->snd_una - 1);
	if (c->persist_backoff < 16)
		c->persist_backoff++;
	next = (uint64_t)tcp_rtt_rto(&c->rtt, &s->cfg) << c->persist_backoff;
	if (next > s->cfg.rto_max_us)
		next = s->cfg.rto_max_us;
	tcp_timer_set(c, TCP_T_PERSIST, s->now_us + next);
}

static void delack_timeout(struct sl_tcp_conn *c)
{
	if (c->unacked_bytes == 0 && c->last_ack_sent == c->rcv_nxt)
		return;
	c->stack->st.delayed_acks++;
	tcp_send_ack(c);
}

static void msl_timeout(struct sl_tcp_conn *c)
{
	if (c->state == TCP_TIME_WAIT && c->app_owned) {
		/* The app still has unread data: the slot waits for it (tcp_deliver). */
		tcp_timer_set(c, TCP_T_2MSL, c->stack->now_us + 2ull * c->stack->cfg.msl_us);
	} else if (c->state == TCP_TIME_WAIT)
		tcp_conn_close(c, SL_TCP_CLOSED_NORMAL, false);
	else if (c->state == TCP_FIN_WAIT_2)
		tcp_conn_close(c, SL_TCP_CLOSED_TIMEOUT, true); /* peer never sent FIN */
}

void tcp_timer_fire(struct sl_tcp_conn *c, uint64_t now_us)
{
	static void (*const handler[TCP_T_N])(struct sl_tcp_conn *) = {
	    [TCP_T_RTX] = rtx_timeout,
	    [TCP_T_PERSIST] = persist_timeout,
	    [TCP_T_DELACK] = delack_timeout,
	    [TCP_T_2MSL] = msl_timeout,
	    [TCP_T_KEEPALIVE] = tcp_keepalive_timeout,
	};

	tcp_conn_enter(c);
	for (int i = 0; i < TCP_T_N && c->state != TCP_CLOSED; i++) {
		if (c->tmr[i] != 0 && c->tmr[i] <= now_us) {
			c->tmr[i] = 0;
			handler[i](c);
		}
	}
	if (c->state != TCP_CLOSED)
		tcp_timer_update(c);
	tcp_conn_leave(c);
}
