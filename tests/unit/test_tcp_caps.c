/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What one peer may cost the others (docs/tcp.md "Resource caps"): the
 * zero-window give-up, keepalive, memory caps with pressure and shedding,
 * the RST rate limit, and a listener's silence to segments without SYN,
 * ACK or RST.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_caps, .init = th_eal, .fini = th_eal_done);

static struct th h;

static struct sl_tcp_conn *open_server(th_cfg_fn fn)
{
	return th_open_server(&h, fn);
}

/* Segments sent since the last th_clear carrying all of `flags`. */
static unsigned int count_flags(uint8_t flags)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < th_count(&h); i++)
		if ((th_out(&h, i)->flags & flags) == flags)
			n++;
	return n;
}

/* ---- zero-window give-up ---- */

Test(tcp_caps, zero_window_unanswered_probes_give_up)
{
	struct sl_tcp_conn *c = open_server(NULL);
	uint64_t t0;

	th_peer_ack(&h, h.iss + 1, 0); /* the window closes, then the peer goes silent */
	cr_assert_eq(th_send_pattern(&h, 0, 3000, 1000), 3000u);
	cr_assert_eq(th_count(&h), 0u);
	t0 = h.now;
	(void)c;
	th_run_until(&h, h.now + 3600ull * 1000000);
	/* zw_probes_max (8) probes at SND.UNA - 1, then an RST and the connection is gone */
	cr_assert_eq(h.cfg.zw_probes_max, 8);
	cr_assert_eq(th_stat(&h, "zero_window_probes"), 8u);
	cr_assert_eq(th_stat(&h, "zero_window_give_up"), 1u);
	cr_assert_eq(count_flags(TCP_RST), 1u);
	cr_assert_eq(th_last(&h)->flags & TCP_RST, TCP_RST);
	for (unsigned int i = 0; i + 1 < th_count(&h); i++)
		cr_assert_eq(th_out(&h, i)->seq, h.iss, "probe %u at SND.UNA - 1", i);
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_TIMEOUT);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_eq(th_stat(&h, "mem_held_mbufs"), 0u, "the send queue is freed");
	/* backoff: the give-up takes minutes, not the first RTOs */
	cr_assert_gt(th_last(&h)->at_us - t0, 60ull * 1000000);
	th_fini(&h);
}

Test(tcp_caps, zero_window_answered_is_kept)
{
	struct sl_tcp_conn *c = open_server(NULL);
	uint64_t end;
	unsigned int answered = 0;

	th_peer_ack(&h, h.iss + 1, 0);
	cr_assert_eq(th_send_pattern(&h, 0, 3000, 1000), 3000u);
	/* Two hours; the peer answers each probe with its window still closed. */
	end = h.now + 7200ull * 1000000;
	while (h.now < end) {
		uint64_t next = sl_tcp_next_timer(h.s);

		th_run_until(&h, next < end ? next : end);
		if (th_count(&h) > answered) {
			answered = th_count(&h);
			th_peer_ack(&h, h.iss + 1, 0);
		}
	}
	cr_assert_geq(th_stat(&h, "zero_window_probes"), 100u);
	cr_assert_eq(th_stat(&h, "zero_window_give_up"), 0u);
	cr_assert_eq(count_flags(TCP_RST), 0u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	/* and it still works */
	th_clear(&h);
	th_peer_ack(&h, h.iss + 1, 10000);
	cr_assert_eq(th_count(&h), 3u, "the data goes once the window opens");
	th_fini(&h);
}

static void zw_total(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->zw_give_up_ms = 600000; /* ten minutes, answered or not */
}

Test(tcp_caps, zero_window_total_time_gives_up_even_if_answered)
{
	uint64_t start = 0, end;
	unsigned int answered = 0;

	open_server(zw_total);
	th_peer_ack(&h, h.iss + 1, 0);
	cr_assert_eq(th_send_pattern(&h, 0, 3000, 1000), 3000u);
	end = h.now + 3600ull * 1000000;
	while (h.now < end && sl_tcp_conn_count(h.s) != 0) {
		uint64_t next = sl_tcp_next_timer(h.s);

		th_run_until(&h, next < end ? next : end);
		if (th_count(&h) > answered && !(th_last(&h)->flags & TCP_RST)) {
			if (start == 0)
				start = th_out(&h, 0)->at_us;
			answered = th_count(&h);
			th_peer_ack(&h, h.iss + 1, 0);
		}
	}
	cr_assert_eq(th_stat(&h, "zero_window_give_up"), 1u);
	cr_assert_eq(th_last(&h)->flags & TCP_RST, TCP_RST);
	cr_assert_geq(th_last(&h)->at_us - start, 600ull * 1000000, "not before zw_give_up_ms");
	/* the probe due after ten minutes ends it: at most one rto_max later */
	cr_assert_leq(th_last(&h)->at_us - start, 600ull * 1000000 + h.cfg.rto_max_us);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_TIMEOUT);
	th_fini(&h);
}

/* ---- keepalive ---- */

static void ka_on(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->keepalive_idle_ms = 10000;
	c->keepalive_intvl_ms = 1000;
	c->keepalive_probes = 3;
}

Test(tcp_caps, keepalive_off_by_default)
{
	struct sl_tcp_conn *c = open_server(NULL);

	th_run_until(&h, h.now + 4ull * 3600 * 1000000);
	cr_assert_eq(th_count(&h), 0u);
	cr_assert_eq(th_stat(&h, "keepalive_probes"), 0u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	th_fini(&h);
}

Test(tcp_caps, keepalive_probes_then_abort)
{
	uint64_t t0;

	open_server(ka_on);
	t0 = h.now;
	th_run_until(&h, t0 + 10000000 - 1);
	cr_assert_eq(th_count(&h), 0u, "nothing before the idle time");
	th_run_until(&h, t0 + 13000000 + 1);
	cr_assert_eq(th_count(&h), 4u, "three probes, then an RST");
	for (unsigned int i = 0; i < 3; i++) {
		struct th_seg *g = th_out(&h, i);

		cr_assert_eq(g->at_us, t0 + 10000000 + i * 1000000ull, "probe %u at idle + %u s", i,
			     i);
		cr_assert_eq(g->seq, h.iss, "SND.NXT - 1");
		cr_assert_eq(g->len, 0u);
		cr_assert_eq(g->flags, TCP_ACK);
		cr_assert_eq(g->ack, h.pseq);
	}
	cr_assert_eq(th_out(&h, 3)->flags & TCP_RST, TCP_RST);
	cr_assert_eq(th_out(&h, 3)->at_us, t0 + 13000000);
	cr_assert_eq(th_stat(&h, "keepalive_probes"), 3u);
	cr_assert_eq(th_stat(&h, "keepalive_timeouts"), 1u);
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_TIMEOUT);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	th_fini(&h);
}

Test(tcp_caps, keepalive_answer_restarts_idle)
{
	struct sl_tcp_conn *c;
	uint64_t t0, t1;

	c = open_server(ka_on);
	t0 = h.now;
	th_run_until(&h, t0 + 11000000);
	cr_assert_eq(th_count(&h), 2u, "two probes");
	th_advance(&h, 500000);
	t1 = h.now;
	th_peer_ack(&h, h.iss + 1, 65535); /* the peer answers */
	th_clear(&h);
	th_run_until(&h, t1 + 10000000 - 1);
	cr_assert_eq(th_count(&h), 0u, "the idle time starts again from the answer");
	th_run_until(&h, t1 + 10000000);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->at_us, t1 + 10000000);
	/* the answer also reset the count: three more probes before giving up */
	th_run_until(&h, t1 + 12000000);
	cr_assert_eq(th_count(&h), 3u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	/* data from the peer counts as an answer too */
	th_peer_data(&h, "x", 1, h.iss + 1);
	th_clear(&h);
	th_run_until(&h, h.now + 9000000);
	cr_assert_eq(count_flags(TCP_RST), 0u);
	cr_assert_eq(th_stat(&h, "keepalive_timeouts"), 0u);
	th_fini(&h);
}

Test(tcp_caps, keepalive_per_listener)
{
	struct th_seg *sa;

	th_init(&h, th_mss1000); /* the stack's keepalive is off */
	th_listen(&h);
	cr_assert_eq(sl_tcp_listen_keepalive(h.s, TH_LOCAL_PORT, 2000, 500, 1), 0);
	cr_assert_eq(sl_tcp_listen_keepalive(h.s, RTE_BE16(81), 2000, 500, 1), -ENOENT);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 1000, .win = 65535, .mss = 1000});
	sa = th_last(&h);
	h.iss = sa->seq;
	h.pseq = 1001;
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_ACK, .seq = 1001, .ack = h.iss + 1, .win = 65535});
	cr_assert_eq(h.app.accepts, 1u);
	th_clear(&h);
	th_run_until(&h, h.now + 3000000);
	cr_assert_eq(th_count(&h), 2u, "one probe at 2 s, the RST at 2.5 s");
	cr_assert_eq(th_stat(&h, "keepalive_timeouts"), 1u);
	cr_assert_eq(th_out(&h, 1)->flags & TCP_RST, TCP_RST);
	th_fini(&h);
}

/* ---- memory caps, pressure, shedding ---- */

static void small_mem(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->rcv_buf = 20000;
	c->snd_buf = 20000;
	c->mem_max_mbufs = 200; /* pressure at 150 */
	c->max_conns = 64;
}

/* A passive open from remote port `rport`, final ACK with window `win`. */
static struct sl_tcp_conn *open_from(uint16_t rport, uint16_t win, uint32_t *iss,
				     struct sl_tcp_tuple *tp)
{
	struct sl_tcp_tuple pt = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT,
				  rte_cpu_to_be_16(rport)};
	unsigned int accepts = h.app.accepts;

	*tp = pt;
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN,
					.seq = 5000,
					.win = 65535,
					.mss = 1000,
					.ws = TH_NO_WS,
					.tuple = tp});
	*iss = th_last(&h)->seq;
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_ACK, .seq = 5001, .ack = *iss + 1, .win = win, .tuple = tp});
	cr_assert_eq(h.app.accepts, accepts + 1);
	return h.app.conn;
}

static struct rte_mbuf *payload(uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(th_pool());

	cr_assert_not_null(m);
	memset(rte_pktmbuf_append(m, (uint16_t)len), 'p', len);
	return m;
}

Test(tcp_caps, pinning_conns_are_shed_good_conn_served)
{
	static char buf[1000];
	struct sl_tcp_conn *bad[10], *good;
	struct sl_tcp_tuple bt[10], gt;
	uint32_t biss[10], giss, gseq = 5001, rq = 0;

	th_init(&h, small_mem);
	th_listen(&h);
	cr_assert_eq(h.s->mem_max, 200u);
	good = open_from(40000, 65535, &giss, &gt);
	/*
	 * Ten peers that close their window at once, send a full receive
	 * buffer the app does not read, and go silent: like the echo service,
	 * which queues what it cannot send back and stops reading.
	 */
	h.app.take = 0;
	for (int i = 0; i < 10; i++) {
		bad[i] = open_from((uint16_t)(41000 + i), 0, &biss[i], &bt[i]);
		for (uint32_t off = 0; off < 20000; off += 1000)
			th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
							.seq = 5001 + off,
							.ack = biss[i] + 1,
							.data = buf,
							.len = 1000,
							.tuple = &bt[i]});
		for (int k = 0; k < 20; k++) {
			struct rte_mbuf *m = payload(1000);

			if (sl_tcp_send(bad[i], &m, 1) != 1) {
				rte_pktmbuf_free(m);
				break;
			}
		}
	}
	cr_assert_geq(th_stat(&h, "mem_held_mbufs"), 150u, "pressure reached");
	for (int i = 0; i < 10; i++)
		rq += bad[i]->rq_mbufs;
	cr_assert_leq(rq, 200u, "over the budget, no connection queues received data");
	cr_assert_gt(th_stat(&h, "pressure_data_dropped") + th_stat(&h, "pressure_window_held"),
		     0u);
	/* The next timer run sheds the stalled ones, the largest first, down below pressure. */
	th_clear(&h);
	cr_assert_leq(sl_tcp_next_timer(h.s), h.now, "a shedding pass is due at once");
	th_advance(&h, 0);
	cr_assert_geq(th_stat(&h, "conns_shed"), 2u);
	cr_assert_lt(th_stat(&h, "mem_held_mbufs"), 150u);
	cr_assert_eq(count_flags(TCP_RST), th_stat(&h, "conns_shed"), "each shed one gets an RST");
	cr_assert_eq(h.app.closes, th_stat(&h, "conns_shed"));
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_ABORTED);
	cr_assert_str_eq(sl_tcp_conn_state(good), "ESTABLISHED");
	/* The good connection is served both ways. */
	h.app.take = -1;
	h.app.rx_len = 0;
	th_clear(&h);
	for (int i = 0; i < 10; i++) {
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK | TCP_PSH,
						.seq = gseq,
						.ack = giss + 1,
						.win = 65535,
						.data = buf,
						.len = 1000,
						.tuple = &gt});
		gseq += 1000;
	}
	cr_assert_eq(h.app.rx_len, 10000u, "the good connection's data reaches the app");
	{
		struct rte_mbuf *m = payload(1000);

		cr_assert_eq(sl_tcp_send(good, &m, 1), 1u);
	}
	cr_assert_eq(th_last(&h)->len, 1000u, "and its reply goes out");
	cr_assert_eq(th_last(&h)->t.remote_port, gt.remote_port);
	th_inject(
	    &h, &(struct th_spec){
		    .flags = TCP_ACK, .seq = gseq, .ack = giss + 1001, .win = 65535, .tuple = &gt});
	/* The rest of the silent ones go by the zero-window give-up. */
	th_run_until(&h, h.now + 3600ull * 1000000);
	cr_assert_eq(th_stat(&h, "conns_shed") + th_stat(&h, "zero_window_give_up"), 10u);
	cr_assert_str_eq(sl_tcp_conn_state(good), "ESTABLISHED");
	th_fini(&h);
}

Test(tcp_caps, pressure_sheds_stalled_before_larger_active)
{
	static char buf[1000];
	struct sl_tcp_conn *big[2], *stall;
	struct sl_tcp_tuple bt[2], st;
	uint32_t biss[2], siss;

	th_init(&h, small_mem);
	th_listen(&h);
	h.app.take = 0;
	for (int i = 0; i < 2; i++) {
		/* active peers, window open, that sent 20 segments the app has not read yet */
		big[i] = open_from((uint16_t)(42000 + i), 65535, &biss[i], &bt[i]);
		for (uint32_t off = 0; off < 20000; off += 1000)
			th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
							.seq = 5001 + off,
							.ack = biss[i] + 1,
							.win = 65535,
							.data = buf,
							.len = 1000,
							.tuple = &bt[i]});
		/* plus 50 mbufs each is sending (window open: in flight) */
		for (int k = 0; k < 50; k++) {
			struct rte_mbuf *m = payload(100);

			cr_assert_eq(sl_tcp_send(big[i], &m, 1), 1u);
		}
	}
	/* a smaller one whose peer closed its window */
	stall = open_from(42002, 0, &siss, &st);
	for (int k = 0; k < 15; k++) {
		struct rte_mbuf *m = payload(1000);

		cr_assert_eq(sl_tcp_send(stall, &m, 1), 1u);
	}
	cr_assert_geq(th_stat(&h, "mem_held_mbufs"), 150u);
	cr_assert_leq(th_stat(&h, "mem_held_mbufs"), 200u);
	th_advance(&h, 0);
	cr_assert_eq(th_stat(&h, "conns_shed"), 1u, "only the stalled one: under the budget");
	cr_assert_str_eq(sl_tcp_conn_state(big[0]), "ESTABLISHED");
	cr_assert_str_eq(sl_tcp_conn_state(big[1]), "ESTABLISHED");
	cr_assert_eq(sl_tcp_conn_count(h.s), 2u);
	th_fini(&h);
}

static void conn_cap16(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->conn_mem_max_mbufs = 16;
}

Test(tcp_caps, conn_cap_tiny_segments)
{
	static char b[10];
	struct sl_tcp_conn *c = open_server(conn_cap16);
	uint32_t seq = h.pseq;

	h.app.take = 0;
	for (int i = 0; i < 30; i++) {
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
						.seq = seq,
						.ack = h.iss + 1,
						.win = 65535,
						.data = b,
						.len = 10});
		if (c->rq_bytes == (uint32_t)(i + 1) * 10)
			seq += 10; /* the peer goes on only with what was acknowledged */
	}
	cr_assert_eq(c->rq_mbufs, 16u, "one connection holds at most its cap");
	cr_assert_eq(th_stat(&h, "conn_cap_data_dropped"), 14u);
	cr_assert_eq(th_last(&h)->ack, h.pseq + 160, "refused bytes are not acknowledged");
	cr_assert_eq(sl_tcp_send_space(c), 0u, "nor may it queue more to send");
	/* reading frees the cap */
	h.app.take = -1;
	sl_tcp_recv_resume(c);
	cr_assert_eq(h.app.rx_len, 160u);
	cr_assert_gt(sl_tcp_send_space(c), 0u);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = seq,
					.ack = h.iss + 1,
					.win = 65535,
					.data = b,
					.len = 10});
	cr_assert_eq(h.app.rx_len, 170u);
	th_fini(&h);
}

/* ---- RST rate limit ---- */

static void rst10(struct sl_tcp_config *c)
{
	c->rst_rate = 10;
	c->rst_burst = 5;
}

Test(tcp_caps, rst_rate_limit)
{
	th_init(&h, rst10);
	th_listen(&h);
	/* an ACK flood: to a closed port, and to the listener (no valid cookie) */
	for (int i = 0; i < 20; i++) {
		struct sl_tcp_tuple t = {TH_LOCAL_IP, TH_REMOTE_IP,
					 (i & 1) ? TH_LOCAL_PORT : RTE_BE16(81),
					 rte_cpu_to_be_16(1000 + i)};

		th_inject(&h,
			  &(struct th_spec){
			      .flags = TCP_ACK, .seq = 5, .ack = 77 + i, .win = 1, .tuple = &t});
	}
	cr_assert_eq(th_count(&h), 5u, "the burst");
	cr_assert_eq(th_stat(&h, "rst_rate_limited"), 15u);
	cr_assert_eq(th_stat(&h, "closed_port_rst"), 5u);
	th_clear(&h);
	th_advance(&h, 100000); /* one token per 100 ms */
	for (int i = 0; i < 3; i++)
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 5, .ack = 9, .win = 1});
	cr_assert_eq(th_count(&h), 1u);
	th_clear(&h);
	th_advance(&h, 10000000); /* refilled up to the burst, not more */
	for (int i = 0; i < 10; i++)
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 5, .ack = 9, .win = 1});
	cr_assert_eq(th_count(&h), 5u);
	/* a SYN to the listener is not an RST: never limited */
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 100, .win = 1000, .mss = 1000});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	th_fini(&h);
}

Test(tcp_caps, rst_rate_default_on)
{
	th_init(&h, NULL);
	cr_assert_eq(h.cfg.rst_rate, 1000u);
	cr_assert_eq(h.cfg.rst_burst, 100u);
	for (int i = 0; i < 1000; i++)
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 5, .ack = 9, .win = 1});
	cr_assert_eq(th_count(&h), 100u);
	cr_assert_eq(th_stat(&h, "rst_rate_limited"), 900u);
	th_fini(&h);
}

/* ---- LISTEN: no SYN, ACK or RST ---- */

Test(tcp_caps, listener_drops_fin_and_no_flags)
{
	th_init(&h, NULL);
	th_listen(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_FIN, .seq = 9, .win = 1});
	th_inject(&h, &(struct th_spec){.flags = 0, .seq = 9, .win = 1});
	th_inject(&h, &(struct th_spec){.flags = TCP_FIN | TCP_PSH | TCP_URG, .seq = 9, .win = 1});
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_PSH, .seq = 9, .win = 1, .data = "abc", .len = 3});
	cr_assert_eq(th_count(&h), 0u, "RFC 9293 3.10.7.2: dropped in silence");
	cr_assert_eq(th_stat(&h, "listen_no_syn_dropped"), 4u);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	/* with ACK: an RST, as before */
	th_inject(&h, &(struct th_spec){.flags = TCP_FIN | TCP_ACK, .seq = 9, .ack = 50, .win = 1});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_RST);
	cr_assert_eq(th_last(&h)->seq, 50u);
	/* a closed port still answers a bare FIN with RST (RFC 9293 3.10.7.1) */
	th_clear(&h);
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_FIN,
				    .seq = 9,
				    .win = 1,
				    .tuple = &(struct sl_tcp_tuple){TH_LOCAL_IP, TH_REMOTE_IP,
								    RTE_BE16(81), TH_REMOTE_PORT}});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_RST | TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, 10u);
	th_fini(&h);
}

/* ---- ACKs to unacceptable segments ---- */

Test(tcp_caps, out_of_window_ack_flood_throttled)
{
	struct sl_tcp_conn *c = open_server(NULL);

	/* bare ACKs with a sequence number far outside the window, as hping3 -A sends */
	for (int i = 0; i < 1000; i++)
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
						.seq = h.pseq + 10000000,
						.ack = h.iss + 1,
						.win = 65535});
	cr_assert_eq(th_count(&h), TCP_CHACK_PER_SEC, "answered up to the per-connection budget");
	cr_assert_eq(th_stat(&h, "oow_acks_limited"), 1000u - TCP_CHACK_PER_SEC);
	cr_assert_eq(th_stat(&h, "out_of_window"), 1000u);
	/* a segment with data outside the window still gets its ACK (a retransmission) */
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = h.pseq - 100,
					.ack = h.iss + 1,
					.win = 65535,
					.data = "0123456789",
					.len = 10});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	/* the next second has a new budget */
	th_clear(&h);
	th_advance(&h, 1000000);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_ACK, .seq = h.pseq + 10000000, .ack = h.iss + 1, .win = 65535});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	th_fini(&h);
}

Test(tcp_caps, over_budget_active_conns_drain_not_shed)
{
	static char buf[1000];
	struct sl_tcp_conn *c[3];
	struct sl_tcp_tuple t[3];
	uint32_t iss[3], sent[3] = {0}, rq0;

	th_init(&h, small_mem);
	th_listen(&h);
	h.app.take = 0;
	/* three live peers (windows open, answering): 19 unread segments and up to 50 sends each */
	for (int i = 0; i < 3; i++) {
		c[i] = open_from((uint16_t)(43000 + i), 65535, &iss[i], &t[i]);
		for (uint32_t off = 0; off < 19000; off += 1000)
			th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
							.seq = 5001 + off,
							.ack = iss[i] + 1,
							.win = 65535,
							.data = buf,
							.len = 1000,
							.tuple = &t[i]});
		for (int k = 0; k < 50; k++) {
			struct rte_mbuf *m = payload(100);

			if (sl_tcp_send(c[i], &m, 1) != 1) {
				rte_pktmbuf_free(m);
				break;
			}
			sent[i] += 100;
		}
	}
	cr_assert_lt(sent[2], 5000u, "over the budget a heavy connection queues no more");
	cr_assert_gt(th_stat(&h, "mem_held_mbufs"), 200u);
	cr_assert_leq(th_stat(&h, "mem_held_mbufs"), 225u);
	/* new data is refused, nobody is shed: they are not stalled */
	rq0 = c[0]->rq_mbufs;
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = 5001 + 19000,
					.ack = iss[0] + 1,
					.win = 65535,
					.data = buf,
					.len = 1000,
					.tuple = &t[0]});
	cr_assert_eq(c[0]->rq_mbufs, rq0);
	cr_assert_eq(th_stat(&h, "pressure_data_dropped"), 1u);
	th_advance(&h, 0);
	cr_assert_eq(th_stat(&h, "conns_shed"), 0u);
	cr_assert_eq(sl_tcp_conn_count(h.s), 3u);
	/* the peer acknowledges what it got: the send queue drains, data is taken again */
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = 5001 + 19000,
					.ack = iss[0] + 1 + sent[0],
					.win = 65535,
					.tuple = &t[0]});
	cr_assert_lt(th_stat(&h, "mem_held_mbufs"), 200u);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = 5001 + 19000,
					.ack = iss[0] + 1 + sent[0],
					.win = 65535,
					.data = buf,
					.len = 1000,
					.tuple = &t[0]});
	cr_assert_eq(c[0]->rq_mbufs, rq0 + 1);
	th_fini(&h);
}

/* ---- windows sized to the budget ---- */

Test(tcp_caps, windows_share_the_budget)
{
	struct sl_tcp_conn *c;
	struct sl_tcp_tuple t;
	uint32_t iss, win_one, win_many = 0;

	th_init(&h, small_mem); /* mss 1000, rcv_buf 20000, pressure at 150 mbufs */
	th_listen(&h);
	c = open_from(40000, 65535, &iss, &t);
	/* Alone, a connection is offered its whole buffer. */
	win_one = c->rcv_adv - c->rcv_nxt;
	cr_assert_eq(win_one, 20000u);
	/*
	 * Fifty connections: the whole buffer each would be 1000 mbufs of
	 * promises against a budget of 200. The later ones are offered their
	 * share of the 150 below pressure, and never less than 4 segments.
	 */
	for (int i = 1; i < 50; i++) {
		c = open_from((uint16_t)(40000 + i), 65535, &iss, &t);
		win_many = c->rcv_adv - c->rcv_nxt;
	}
	cr_assert_eq(win_many, 4000u, "150 mbufs / 50 connections = 3 segments, floor 4: %u",
		     win_many);
	cr_assert_eq(th_stat(&h, "pressure_data_dropped"), 0u);
}
