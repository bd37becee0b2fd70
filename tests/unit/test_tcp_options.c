/* SPDX-License-Identifier: BSD-3-Clause */
/* Checklist D (options) and I37 (malformed segments). */
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_options, .init = th_eal, .fini = th_eal_done);

static struct th h;

static void with_ts(struct sl_tcp_config *c)
{
	c->timestamps = true;
}

Test(tcp_options, d17_peer_mss_536)
{
	th_init(&h, with_ts);
	th_passive_open(&h, 1, 536, 7, true);
	th_clear(&h);
	cr_assert_eq(th_send_pattern(&h, 0, 5000, 1500), 5000u);
	cr_assert_geq(th_count(&h), 9u);
	for (unsigned int i = 0; i < th_count(&h); i++) {
		struct th_seg *g = th_out(&h, i);

		cr_assert_leq(g->len + g->raw_opts_len, 536u, "segment %u: %u + %u options", i,
			      g->len, g->raw_opts_len);
		cr_assert(g->o.has_ts);
	}
	cr_assert_eq(th_out(&h, 0)->len, 536u - 12u, "full segments are MSS less TS");
	th_fini(&h);
}

Test(tcp_options, d17_wscale_clamped_and_non_syn_ignored)
{
	struct sl_tcp_conn *c;

	th_init(&h, NULL);
	th_listen(&h);
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_SYN, .seq = 1, .win = 100, .mss = 1460, .ws = 20});
	h.iss = th_last(&h)->seq;
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 2, .ack = h.iss + 1, .win = 1});
	c = h.app.conn;
	cr_assert_eq(c->snd_wscale, 14, "RFC 7323 2.3");
	cr_assert_eq(c->snd_wnd, 1u << 14);
	/* a WS option on a later segment changes nothing */
	th_inject(
	    &h, &(struct th_spec){.flags = TCP_ACK, .seq = 2, .ack = h.iss + 1, .win = 2, .ws = 3});
	cr_assert_eq(c->snd_wscale, 14);
	cr_assert_eq(c->snd_wnd, 2u << 14);
	th_fini(&h);
}

static void small_rcvbuf(struct sl_tcp_config *c)
{
	c->rcv_buf = 20000;
	c->wscale = 7;
	c->mss = 1000;
}

Test(tcp_options, d17_right_edge_never_shrinks)
{
	uint8_t buf[1000];
	uint32_t edge = 0;

	memset(buf, 'z', sizeof(buf));
	th_init(&h, small_rcvbuf);
	th_passive_open(&h, 1, 1000, 2, false);
	cr_assert_eq(h.app.conn->rcv_wscale, 7);
	h.app.take = 0; /* backpressure: the app takes nothing */
	th_clear(&h);
	for (int i = 0; i < 30; i++) {
		th_peer_data(&h, buf, 1000, h.iss + 1);
		th_advance(&h, h.cfg.delack_us);
	}
	cr_assert_gt(th_count(&h), 5u);
	for (unsigned int i = 0; i < th_count(&h); i++) {
		struct th_seg *g = th_out(&h, i);
		uint32_t e = g->ack + ((uint32_t)g->win << 7);

		if (edge != 0)
			cr_assert(seq_geq(e, edge), "edge moved left at %u: %u < %u", i, e, edge);
		edge = e;
	}
	cr_assert_eq(th_last(&h)->win, 0, "queued data closed the window");
	/*
	 * With scaling, keeping the edge costs < 1 unit (128 B) per ACK past the
	 * buffer (the field cannot say the exact edge); bounded, as in Linux.
	 */
	cr_assert_leq(h.app.conn->rq_bytes, 20000u + th_count(&h) * 127u, "rq %u",
		      h.app.conn->rq_bytes);
	cr_assert_geq(h.app.conn->rq_bytes, 19000u);
	cr_assert_gt(th_stat(&h, "out_of_window"), 0u);
	/* the app reads: the window opens again */
	h.app.take = -1;
	th_clear(&h);
	sl_tcp_recv_resume(h.app.conn);
	cr_assert_eq(th_count(&h), 1u, "window update");
	cr_assert_gt(th_last(&h)->win, 100);
	th_fini(&h);
}

Test(tcp_options, d18_timestamps_tsecr_paws_missing)
{
	struct sl_tcp_conn *c;
	struct th_seg *g;

	th_init(&h, with_ts);
	th_passive_open(&h, 1, 1460, TH_NO_WS, true);
	c = h.app.conn;
	cr_assert(c->ts_on);
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK | TCP_PSH,
					.seq = h.pseq,
					.ack = h.iss + 1,
					.win = 100,
					.ts = true,
					.tsval = 2000,
					.data = "a",
					.len = 1});
	h.pseq++;
	th_advance(&h, h.cfg.delack_us);
	g = th_last(&h);
	cr_assert(g->o.has_ts);
	cr_assert_eq(g->o.tsecr, 2000u, "TSecr = TS.Recent");
	/* old TSval: PAWS drops it, with an ACK */
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK | TCP_PSH,
					.seq = h.pseq,
					.ack = h.iss + 1,
					.win = 100,
					.ts = true,
					.tsval = 1999,
					.data = "b",
					.len = 1});
	cr_assert_eq(h.app.rx_len, 1u, "dropped by PAWS");
	cr_assert_eq(th_stat(&h, "paws_dropped"), 1u);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	/* missing TS mid-stream: accepted, as Linux does */
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK | TCP_PSH,
					.seq = h.pseq,
					.ack = h.iss + 1,
					.win = 100,
					.data = "c",
					.len = 1});
	cr_assert_eq(h.app.rx_len, 2u);
	cr_assert_eq(h.app.rx[1], 'c');
	th_fini(&h);
}

Test(tcp_options, d18_tsval_per_connection_offset)
{
	struct sl_tcp_tuple t2 = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, RTE_BE16(555)};
	uint32_t a, b, a2;

	th_init(&h, with_ts);
	th_listen(&h);
	th_inject(
	    &h, &(struct th_spec){.flags = TCP_SYN, .seq = 1, .win = 100, .ts = true, .tsval = 1});
	a = th_last(&h)->o.tsval;
	th_inject(
	    &h, &(struct th_spec){
		    .flags = TCP_SYN, .seq = 1, .win = 100, .ts = true, .tsval = 1, .tuple = &t2});
	b = th_last(&h)->o.tsval;
	cr_assert_neq(a, b, "different offsets: TSval does not reveal uptime or link conns");
	th_advance(&h, 1000000); /* SYN-ACK retransmission carries a later TSval */
	a2 = th_out(&h, th_count(&h) - 2)->o.tsval;
	if (th_out(&h, th_count(&h) - 2)->t.remote_port != h.t.remote_port)
		a2 = th_last(&h)->o.tsval;
	cr_assert_eq(a2 - a, 1000u, "1 ms per tick");
	th_fini(&h);
}

static void expect_dropped(const struct th_spec *sp, const char *counter)
{
	uint64_t before = th_stat(&h, counter);
	struct sl_tcp_conn *c = h.app.conn;

	th_clear(&h);
	th_inject(&h, sp);
	cr_assert_eq(th_stat(&h, counter), before + 1, "%s not counted", counter);
	cr_assert_eq(th_count(&h), 0u, "a malformed segment got an answer");
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
}

Test(tcp_options, d19_malformed_dropped_and_counted)
{
	static const uint8_t len0[] = {1, 1, 30, 0};
	static const uint8_t past[] = {1, 1, 8, 10};
	static const uint8_t trunc[] = {1, 1, 1, 8};
	static const uint8_t mss3[] = {2, 3, 1, 1};

	th_init(&h, NULL);
	th_passive_open(&h, 1, 1460, TH_NO_WS, false);
	struct th_spec base = {
	    .flags = TCP_ACK, .seq = h.pseq, .ack = h.iss + 1, .win = 100, .data = "x", .len = 1};
	struct th_spec sp;

	sp = base;
	sp.raw_opts = len0;
	sp.raw_opts_len = 4;
	expect_dropped(&sp, "bad_options");
	sp.raw_opts = past;
	expect_dropped(&sp, "bad_options");
	sp.raw_opts = trunc;
	expect_dropped(&sp, "bad_options");
	sp.raw_opts = mss3;
	expect_dropped(&sp, "bad_options");
	sp = base;
	sp.doff = 4;
	expect_dropped(&sp, "bad_header");
	sp.doff = 15; /* 60 bytes: past a 21-byte segment */
	expect_dropped(&sp, "bad_header");
	sp = base;
	sp.bad_cksum = true;
	expect_dropped(&sp, "bad_checksum");
	sp = base;
	sp.flags = TCP_SYN | TCP_FIN;
	expect_dropped(&sp, "bad_header");
	sp.flags = TCP_SYN | TCP_RST;
	expect_dropped(&sp, "bad_header");
	cr_assert_eq(h.app.rx_len, 0u);
	/* a runt shorter than a TCP header */
	{
		struct rte_mbuf *m = rte_pktmbuf_alloc(th_pool());

		rte_pktmbuf_append(m, 10);
		memset(rte_pktmbuf_mtod(m, void *), 0, 10);
		sl_tcp_input(h.s, m, &h.t, h.now);
		cr_assert_eq(th_stat(&h, "bad_header"), 5u);
	}
	/* and the connection still works */
	th_peer_data(&h, "ok", 2, h.iss + 1);
	cr_assert_eq(h.app.rx_len, 2u);
	th_fini(&h);
}

Test(tcp_options, d19_unknown_option_skipped)
{
	static const uint8_t opts[] = {99, 4, 1, 2, 2, 4, 0x02, 0x00, 77, 2, 1, 0};

	th_init(&h, NULL);
	th_listen(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN,
					.seq = 1,
					.win = 100,
					.raw_opts = opts,
					.raw_opts_len = sizeof(opts)});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(th_stat(&h, "bad_options"), 0u);
	th_fini(&h);
}
