/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What one peer may cost the others: memory caps with pressure and
 * shedding, the zero-window give-up, keepalive, and the rate of RSTs sent
 * to segments of no connection (docs/tcp.md "Resource caps").
 *
 * Memory is counted in mbufs, not bytes: the pool is what runs out, and a
 * peer sending one-byte segments pins one mbuf per byte. Each connection's
 * queues keep their own counts (rq_mbufs, sq_mbufs, ooo.count); the stack
 * total is brought up to date when an entry point leaves the connection
 * (tcp_conn_leave), so the queue code itself carries no stack accounting.
 * Shedding runs from sl_tcp_timers, never from inside another connection's
 * callbacks: the victim's on_closed comes from the same place its timers'
 * would.
 */
#include <errno.h>

#include "tcp_priv.h"

/* A connection with no acceptable segment from the peer for this long made no progress. */
#define TCP_STALL_US 5000000ull
/* Nor did one whose data went unacknowledged through this many timeouts in a row. */
#define TCP_STALL_RETRIES 3
/* Under pressure with nothing to shed, look again this much later. */
#define TCP_SHED_RECHECK_US 10000ull

void tcp_caps_init(struct sl_tcp_stack *s)
{
	const struct sl_tcp_config *cfg = &s->cfg;

	s->mem_max = cfg->mem_max_mbufs;
	if (s->mem_max == 0)
		s->mem_max = RTE_MAX(cfg->pool->size / 2, 64u);
	s->mem_pressure = s->mem_max - s->mem_max / 4;
	LIST_INIT(&s->mem_list);
	s->shed_at = UINT64_MAX;
	if (cfg->rst_rate != 0 && cfg->rst_burst == 0)
		s->cfg.rst_burst = 1;
	s->rst_tokens = s->cfg.rst_burst;
	s->rst_tokens_at = s->now_us;
}

/* The cap of one connection: configured, or twice full-sized buffers' worth. */
static uint32_t conn_cap(const struct sl_tcp_stack *s)
{
	const struct sl_tcp_config *cfg = &s->cfg;

	if (cfg->conn_mem_max_mbufs != 0)
		return cfg->conn_mem_max_mbufs;
	return RTE_MAX(2u * (uint32_t)(((uint64_t)cfg->rcv_buf + cfg->snd_buf) / cfg->mss), 64u);
}

/* A connection's share of `total` when every holder had the same. */
static uint32_t fair_share(const struct sl_tcp_stack *s, uint32_t total)
{
	return total / RTE_MAX(s->mem_conns, 1u);
}

void tcp_mem_sync(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t n = tcp_mem_conn(c);

	if (n != c->mem_charged) {
		if (c->mem_charged == 0) {
			LIST_INSERT_HEAD(&s->mem_list, c, mem_link);
			s->mem_conns++;
		} else if (n == 0) {
			LIST_REMOVE(c, mem_link);
			s->mem_conns--;
		}
		s->mem_held = s->mem_held - c->mem_charged + n;
		c->mem_charged = n;
		s->st.mem_held_mbufs = s->mem_held;
	}
	if (s->mem_held > s->mem_max)
		s->shed_at = s->now_us; /* over the budget: at once */
	else if (s->mem_held >= s->mem_pressure && s->shed_at == UINT64_MAX)
		s->shed_at = s->now_us;
}

void tcp_mem_release(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;

	c->rq_mbufs = 0;
	c->sq_mbufs = 0;
	if (c->mem_charged == 0)
		return;
	LIST_REMOVE(c, mem_link);
	s->mem_conns--;
	s->mem_held -= c->mem_charged;
	c->mem_charged = 0;
	s->st.mem_held_mbufs = s->mem_held;
}

bool tcp_mem_send_ok(const struct sl_tcp_conn *c, uint32_t nsegs)
{
	const struct sl_tcp_stack *s = c->stack;
	uint32_t n = tcp_mem_conn(c);

	/* Over the stack's budget, a connection above an equal share queues no more either. */
	return n + nsegs <= conn_cap(s) &&
	       (s->mem_held < s->mem_max || n < fair_share(s, s->mem_max));
}

bool tcp_mem_window_ok(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t n = tcp_mem_conn(c);

	if (n >= conn_cap(s))
		return false;
	/*
	 * Under pressure only the connections holding more than an equal share
	 * stop growing: a pinned stack still opens windows for the light ones.
	 */
	return s->mem_held < s->mem_pressure || n < fair_share(s, s->mem_pressure);
}

/*
 * A window is a promise of memory: the peer may send all of it at once. With
 * every connection offering its full rcv_buf the promises of a hundred
 * connections pass the stack's budget many times over, and what they send
 * in good faith is dropped on arrival (tcp_mem_refuse_data): 3 000 to 3 800
 * segments in one echo of 100 x 1 MiB under 3 % loss, each one more loss
 * for the peer to recover. So a connection is offered its equal share of the
 * budget below pressure, less what it holds, as Linux sizes a socket's
 * window from what its buffer has left. The floor keeps every connection
 * moving: a few segments each fit, the budget being at least 64 mbufs.
 */
#define TCP_WINDOW_FLOOR_SEGS 4u

uint32_t tcp_mem_window_space(const struct sl_tcp_conn *c)
{
	const struct sl_tcp_stack *s = c->stack;
	uint32_t share = s->mem_pressure / RTE_MAX(s->nconns, 1u);
	uint32_t held = tcp_mem_conn(c);
	uint32_t segs = share > held ? share - held : 0;

	return RTE_MAX(segs, TCP_WINDOW_FLOOR_SEGS) * (uint32_t)s->cfg.mss;
}

bool tcp_mem_refuse_data(struct sl_tcp_conn *c, bool fills_hole)
{
	struct sl_tcp_stack *s = c->stack;
	uint32_t n = tcp_mem_conn(c);

	if (fills_hole)
		return false;
	if (n >= conn_cap(s)) {
		s->st.conn_cap_data_dropped++;
		return true;
	}
	/* Over the budget until the next shedding pass (at once, from sl_tcp_timers). */
	if (s->mem_held >= s->mem_max) {
		s->st.pressure_data_dropped++;
		return true;
	}
	return false;
}

/* ---- shedding ---- */

/*
 * No progress: the peer closed its window on our data, acknowledged
 * nothing new through TCP_STALL_RETRIES timeouts, or sent nothing
 * acceptable for TCP_STALL_US.
 */
static bool conn_stalled(const struct sl_tcp_conn *c, uint64_t now)
{
	return (c->snd_wnd == 0 && c->sq_bytes > 0) || c->retries >= TCP_STALL_RETRIES ||
	       now - c->rcv_tstamp_us >= TCP_STALL_US;
}

static struct sl_tcp_conn *shed_pick(struct sl_tcp_stack *s, bool *stalled)
{
	struct sl_tcp_conn *c, *best = NULL;
	bool best_stalled = false;

	LIST_FOREACH(c, &s->mem_list, mem_link)
	{
		bool st;

		if (c->busy != 0 || c->state == TCP_CLOSED)
			continue;
		st = conn_stalled(c, s->now_us);
		/* Stalled first, then the one holding most. */
		if (best == NULL || (st && !best_stalled) ||
		    (st == best_stalled && c->mem_charged > best->mem_charged)) {
			best = c;
			best_stalled = st;
		}
	}
	*stalled = best_stalled;
	return best;
}

void tcp_mem_shed(struct sl_tcp_stack *s)
{
	while (s->mem_held >= s->mem_pressure) {
		struct sl_tcp_conn *v;
		bool stalled;

		v = shed_pick(s, &stalled);
		/*
		 * Stalled connections go, largest first. The others keep going:
		 * over the budget they queue nothing new (tcp_mem_refuse_data,
		 * tcp_mem_send_ok) and drain as their peers acknowledge and their
		 * apps read, as Linux does over tcp_mem. Only past the hard limit,
		 * which nothing but the app's own small sends can reach, the
		 * largest holder goes whatever it is.
		 */
		if (v == NULL || (!stalled && s->mem_held <= s->mem_max + s->mem_max / 8))
			break;
		s->st.conns_shed++;
		tcp_conn_enter(v);
		if (v->state != TCP_SYN_SENT && v->state != TCP_TIME_WAIT)
			tcp_send_rst_conn(v);
		tcp_conn_close(v, SL_TCP_CLOSED_ABORTED, true);
		tcp_conn_leave(v);
	}
	s->shed_at = s->mem_held >= s->mem_pressure ? s->now_us + TCP_SHED_RECHECK_US : UINT64_MAX;
}

/* ---- zero-window give-up ---- */

static void give_up(struct sl_tcp_conn *c)
{
	tcp_send_rst_conn(c);
	tcp_conn_close(c, SL_TCP_CLOSED_TIMEOUT, true);
}

bool tcp_zw_give_up(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	const struct sl_tcp_config *cfg = &s->cfg;

	/*
	 * RFC 9293 3.8.6.1 lets a window stay closed for ever while the peer
	 * answers our probes; a peer that answers none is gone (or pins our
	 * memory on purpose), as Linux judges with tcp_retries2.
	 */
	if ((cfg->zw_probes_max != 0 && c->zw_probes >= cfg->zw_probes_max) ||
	    (cfg->zw_give_up_ms != 0 &&
	     (uint32_t)(s->now_us / 1000) - c->persist_start_ms >= cfg->zw_give_up_ms)) {
		s->st.zero_window_give_up++;
		give_up(c);
		return true;
	}
	return false;
}

/* ---- keepalive (RFC 1122 4.2.3.6) ---- */

static bool ka_state(const struct sl_tcp_conn *c)
{
	switch (c->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return true;
	default:
		return false;
	}
}

void tcp_keepalive_arm(struct sl_tcp_conn *c)
{
	if (c->ka_idle_ms == 0 || !ka_state(c)) {
		if (c->tmr[TCP_T_KEEPALIVE] != 0)
			tcp_timer_stop(c, TCP_T_KEEPALIVE);
		return;
	}
	tcp_timer_set(c, TCP_T_KEEPALIVE, c->rcv_tstamp_us + (uint64_t)c->ka_idle_ms * 1000);
}

void tcp_keepalive_timeout(struct sl_tcp_conn *c)
{
	struct sl_tcp_stack *s = c->stack;
	uint64_t idle_us = (uint64_t)c->ka_idle_ms * 1000;

	if (c->ka_idle_ms == 0 || !ka_state(c))
		return;
	/*
	 * Data in flight or a closed window: the retransmission and persist
	 * timers already find out whether the peer is there (RFC 1122: probe
	 * only an idle connection). Look again one idle time later.
	 */
	if (c->snd_max != c->snd_una || c->in_persist) {
		c->ka_probes = 0;
		tcp_timer_set(c, TCP_T_KEEPALIVE, s->now_us + idle_us);
		return;
	}
	if (s->now_us - c->rcv_tstamp_us < idle_us) {
		tcp_timer_set(c, TCP_T_KEEPALIVE, c->rcv_tstamp_us + idle_us);
		return;
	}
	if (c->ka_probes >= c->ka_probes_max) {
		s->st.keepalive_timeouts++;
		give_up(c);
		return;
	}
	/* SEG.SEQ = SND.NXT - 1, no data: an old byte the peer must acknowledge. */
	c->ka_probes++;
	s->st.keepalive_probes++;
	tcp_send_ack_seq(c, c->snd_una - 1);
	tcp_timer_set(c, TCP_T_KEEPALIVE, s->now_us + (uint64_t)c->ka_intvl_ms * 1000);
}

int sl_tcp_listen_keepalive(struct sl_tcp_stack *s, uint16_t port, uint32_t idle_ms,
			    uint32_t intvl_ms, uint8_t probes)
{
	for (unsigned int i = 0; port != 0 && i < TCP_MAX_LISTENERS; i++) {
		struct tcp_listener *l = &s->listeners[i];

		if (l->port != port)
			continue;
		l->ka_set = true;
		l->ka_idle_ms = idle_ms;
		l->ka_intvl_ms = intvl_ms != 0 ? intvl_ms : 1;
		l->ka_probes = probes;
		return 0;
	}
	return -ENOENT;
}

void sl_tcp_conn_keepalive(struct sl_tcp_conn *c, uint32_t idle_ms, uint32_t intvl_ms,
			   uint8_t probes)
{
	if (c->state == TCP_CLOSED)
		return;
	tcp_conn_enter(c);
	c->ka_idle_ms = idle_ms;
	c->ka_intvl_ms = intvl_ms != 0 ? intvl_ms : 1;
	c->ka_probes_max = probes;
	c->ka_probes = 0;
	if (c->rcv_tstamp_us < c->stack->now_us)
		c->rcv_tstamp_us = c->stack->now_us;
	tcp_keepalive_arm(c);
	tcp_conn_leave(c);
}

/* ---- ACKs to unacceptable segments ---- */

bool tcp_oow_ack_allowed(struct sl_tcp_conn *c)
{
	uint64_t now = c->stack->now_us;

	/*
	 * An ACK answers each segment outside the window (RFC 9293 3.10.7.4),
	 * so a flood of them on a connection's 4-tuple would be echoed one for
	 * one. Segments with data or SYN/FIN always get theirs (a peer's
	 * zero-window probe, a retransmission we already hold); bare ACKs share
	 * the challenge ACK budget, TCP_CHACK_PER_SEC a second per connection
	 * (Linux throttles the same ones, tcp_invalid_ratelimit).
	 */
	if (now - c->chack_start_us >= 1000000) {
		c->chack_start_us = now;
		c->chack_count = 0;
	}
	if (c->chack_count >= TCP_CHACK_PER_SEC) {
		c->stack->st.oow_acks_limited++;
		return false;
	}
	c->chack_count++;
	return true;
}

/* ---- RSTs to segments of no connection ---- */

bool tcp_rst_allowed(struct sl_tcp_stack *s)
{
	const struct sl_tcp_config *cfg = &s->cfg;
	uint64_t now = s->now_us;

	if (cfg->rst_rate == 0)
		return true;
	if (now > s->rst_tokens_at) {
		uint64_t add = (now - s->rst_tokens_at) * cfg->rst_rate / 1000000;

		if (add > 0) {
			/* Keep the fraction of a token not yet earned. */
			s->rst_tokens_at += add * 1000000 / cfg->rst_rate;
			s->rst_tokens = (uint32_t)RTE_MIN((uint64_t)s->rst_tokens + add,
							  (uint64_t)cfg->rst_burst);
		}
	}
	if (s->rst_tokens == 0) {
		s->st.rst_rate_limited++;
		return false;
	}
	s->rst_tokens--;
	return true;
}
