/* SPDX-License-Identifier: BSD-3-Clause */
/* Checklist E (data and flow control). */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_data, .init = th_eal, .fini = th_eal_done);

static struct th h;

static struct sl_tcp_conn *open_server(th_cfg_fn fn)
{
	return th_open_server(&h, fn);
}

static void seg_at(uint32_t off, const void *data, uint32_t len, uint8_t extra)
{
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK | extra,
					.seq = h.pseq + off,
					.ack = h.iss + 1,
					.win = 65535,
					.data = data,
					.len = len});
}

Test(tcp_data, e20_reverse_order_dup_acks_then_fill)
{
	char a[100], b[100], c3[100];

	open_server(NULL);
	memset(a, 'a', 100);
	memset(b, 'b', 100);
	memset(c3, 'c', 100);
	seg_at(200, c3, 100, 0);
	cr_assert_eq(th_count(&h), 1u, "immediate dup ACK");
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	seg_at(100, b, 100, 0);
	cr_assert_eq(th_count(&h), 2u, "immediate dup ACK");
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	cr_assert_eq(h.app.rx_len, 0u);
	cr_assert_eq(th_stat(&h, "ooo_segs"), 2u);
	seg_at(0, a, 100, 0);
	cr_assert_eq(th_count(&h), 3u, "immediate ACK when the hole fills");
	cr_assert_eq(th_last(&h)->ack, h.pseq + 300);
	cr_assert_eq(h.app.rx_len, 300u);
	cr_assert_eq(h.app.rx[0], 'a');
	cr_assert_eq(h.app.rx[100], 'b');
	cr_assert_eq(h.app.rx[299], 'c');
	th_fini(&h);
}

Test(tcp_data, e21_overlap_first_received_bytes_win)
{
	char buf[200];

	open_server(NULL);
	memset(buf, 'B', 100);
	seg_at(100, buf, 100, 0); /* [100,200) B */
	memset(buf, 'X', 200);
	seg_at(50, buf, 200, 0); /* [50,250) X: only [50,100) and [200,250) are new */
	memset(buf, 'A', 100);
	seg_at(0, buf, 100, 0); /* [0,100) A: only [0,50) is new */
	cr_assert_eq(h.app.rx_len, 250u);
	for (int i = 0; i < 250; i++) {
		char want = i < 50 ? 'A' : i < 100 ? 'X' : i < 200 ? 'B' : 'X';

		cr_assert_eq(h.app.rx[i], want, "byte %d: %c, want %c", i, h.app.rx[i], want);
	}
	/* in order, then a retransmission overlapping delivered bytes */
	memset(buf, 'Z', 200);
	seg_at(150, buf, 200, 0); /* [150,350) over delivered [150,250) */
	cr_assert_eq(h.app.rx_len, 350u);
	cr_assert_eq(h.app.rx[249], 'X', "delivered bytes are never rewritten");
	cr_assert_eq(h.app.rx[250], 'Z');
	th_fini(&h);
}

static void buf4000(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->rcv_buf = 4000;
}

Test(tcp_data, e22_right_edge_trim)
{
	char buf[1000];
	struct sl_tcp_conn *c = open_server(buf4000);

	memset(buf, 'q', sizeof(buf));
	h.app.take = 0;
	for (int i = 0; i < 3; i++)
		seg_at((uint32_t)i * 1000, buf, 1000, 0);
	seg_at(3000, buf, 500, 0);
	th_clear(&h);
	seg_at(3500, buf, 1000, 0); /* crosses the edge at 4000 */
	cr_assert_eq(c->rq_bytes, 4000u, "the excess is not queued");
	cr_assert_eq(th_stat(&h, "out_of_window"), 1u);
	cr_assert_eq(c->ooo.count, 0);
	cr_assert_eq(th_count(&h), 1u, "trimmed: ACK now");
	cr_assert_eq(th_last(&h)->ack, h.pseq + 4000);
	cr_assert_eq(th_last(&h)->win, 0);
	/* beyond the edge entirely: dropped, ACKed */
	seg_at(4000, buf, 100, 0);
	cr_assert_eq(c->rq_bytes, 4000u);
	cr_assert_eq(th_stat(&h, "out_of_window"), 2u);
	th_fini(&h);
}

Test(tcp_data, e23_zero_window_persist_never_times_out)
{
	struct sl_tcp_conn *c = open_server(NULL);
	uint64_t last = 0, gap = 0;
	unsigned int probes = 0;

	th_peer_ack(&h, h.iss + 1, 0); /* the peer's window closes */
	cr_assert_eq(c->snd_wnd, 0u);
	cr_assert_eq(th_send_pattern(&h, 0, 3000, 1000), 3000u);
	cr_assert_eq(th_count(&h), 0u, "nothing sent into a zero window");
	/*
	 * Half an hour. The peer is there: it answers every probe, its window
	 * still closed (an unanswered probe counts towards the zero-window
	 * give-up, test_tcp_caps.c).
	 */
	for (uint64_t end = h.now + 30ull * 60 * 1000000, answered = 0; h.now < end;) {
		uint64_t next = sl_tcp_next_timer(h.s);

		th_run_until(&h, next < end ? next : end);
		if (th_count(&h) > answered) {
			answered = th_count(&h);
			th_peer_ack(&h, h.iss + 1, 0);
		}
	}
	for (unsigned int i = 0; i < th_count(&h); i++) {
		struct th_seg *g = th_out(&h, i);

		cr_assert_eq(g->len, 0u);
		cr_assert_eq(g->seq, h.iss, "probe at SND.UNA - 1");
		if (last != 0) {
			cr_assert_geq(g->at_us - last, gap, "backoff never shrinks");
			gap = g->at_us - last;
		}
		last = g->at_us;
		probes++;
	}
	cr_assert_geq(probes, 10u);
	cr_assert_eq(gap, h.cfg.rto_max_us, "capped at rto_max");
	cr_assert_eq(th_stat(&h, "zero_window_probes"), probes);
	cr_assert_eq(th_stat(&h, "conns_timeout"), 0u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	/* the window update was lost; the next probe's answer opens it */
	th_clear(&h);
	th_run_until(&h, h.now + h.cfg.rto_max_us);
	cr_assert_eq(th_count(&h), 1u, "one probe per rto_max at most");
	th_peer_ack(&h, h.iss + 1, 10000);
	cr_assert_eq(th_count(&h), 4u, "data flows after the probe's answer");
	cr_assert_eq(th_last(&h)->seq + th_last(&h)->len, h.iss + 3001);
	th_fini(&h);
}

/* Every data segment and every pure ACK since the last th_clear stays within `edge`. */
static void assert_within(uint32_t edge)
{
	for (unsigned int i = 0; i < th_count(&h); i++) {
		struct th_seg *g = th_out(&h, i);

		cr_assert(seq_leq(g->seq + g->len, edge),
			  "segment %u [%u, +%u) past the peer's right edge %u", i, g->seq - h.iss,
			  g->len, edge - h.iss);
	}
}

/*
 * The echo bug behind echo-tcp-zero-window's RTOs and the 4 KiB SO_RCVBUF
 * stall: an ACK that moves SND.UNA *and* closes the window in one segment
 * (Linux: "ack everything, window 0"). on_sent queues more data at once
 * (the echo does, through sl_tcp_recv_resume); it must be sent against the
 * window this ACK announced, not the previous one.
 */
Test(tcp_data, e23_ack_closing_window_no_send_past_edge_from_on_sent)
{
	struct sl_tcp_conn *c = open_server(NULL);

	th_peer_ack(&h, h.iss + 1, 2000);
	cr_assert_eq(th_send_pattern(&h, 0, 2000, 1000), 2000u);
	cr_assert_eq(th_count(&h), 2u);
	h.app.refill = true;
	h.app.refill_off = 2000;
	th_clear(&h);
	th_peer_ack(&h, h.iss + 2001, 0); /* right edge stays at iss + 2001 */
	cr_assert_eq(h.app.acked_bytes, 2000u);
	cr_assert_eq(c->sq_bytes, 2000u, "on_sent queued 2000 more");
	assert_within(h.iss + 2001);
	cr_assert_eq(th_count(&h), 0u, "nothing goes into a zero window");
	/* persist, not retransmission: probes at SND.UNA - 1 */
	th_run_until(&h, h.now + 5000000);
	cr_assert_geq(th_stat(&h, "zero_window_probes"), 3u);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u);
	cr_assert_eq(th_stat(&h, "retransmits"), 0u);
	for (unsigned int i = 0; i < th_count(&h); i++)
		cr_assert_eq(th_out(&h, i)->seq, h.iss + 2000);
	/* window < 2 MSS, opening by less than one segment at a time */
	th_clear(&h);
	h.app.refill = false;
	th_peer_ack(&h, h.iss + 2001, 1500);
	assert_within(h.iss + 3501);
	cr_assert_eq(th_count(&h), 1u, "one full segment; 500 B wait (sender SWS)");
	th_clear(&h);
	th_peer_ack(&h, h.iss + 3001, 1000); /* edge + 500 */
	assert_within(h.iss + 4001);
	cr_assert_eq(th_last(&h)->seq + th_last(&h)->len, h.iss + 4001);
	cr_assert_eq(th_stat(&h, "retransmits"), 0u);
	cr_assert_eq(th_stat(&h, "fast_retransmits"), 0u);
	th_fini(&h);
}

/*
 * The same with a window that opens by less than what was acknowledged
 * (Linux with SO_RCVBUF 4 KiB: ACK of two segments, window 1448): the
 * on_sent refill may fill exactly the new edge.
 */
Test(tcp_data, e23_small_window_refill_from_on_sent_stays_inside)
{
	open_server(NULL);
	th_peer_ack(&h, h.iss + 1, 2000);
	cr_assert_eq(th_send_pattern(&h, 0, 2000, 1000), 2000u);
	h.app.refill = true;
	h.app.refill_off = 2000;
	th_clear(&h);
	for (uint32_t k = 0; k < 50; k++) {
		uint32_t una = h.iss + 1 + 2000 + k * 1000;

		/* ACK up to one segment behind SND.NXT, window one segment */
		th_peer_ack(&h, una, 1000);
		assert_within(una + 1000);
		th_clear(&h);
	}
	cr_assert_eq(th_stat(&h, "retransmits"), 0u);
	cr_assert_eq(th_stat(&h, "challenge_acks"), 0u);
	cr_assert_eq(th_stat(&h, "ack_unsent_data"), 0u);
	th_fini(&h);
}

/*
 * RFC 9293 3.8.6: the peer shrinks its window to zero with data in flight
 * beyond the new edge. No RTO and no timeout for the bytes beyond it; the
 * zero window is probed (persist), duplicate ACKs of a zero window are not
 * a loss signal, and our ACKs carry a sequence number the peer accepts.
 */
Test(tcp_data, e23_window_shrinks_to_zero_with_data_in_flight)
{
	struct sl_tcp_conn *c = open_server(NULL);

	th_peer_ack(&h, h.iss + 1, 3000);
	cr_assert_eq(th_send_pattern(&h, 0, 5000, 1000), 5000u);
	cr_assert_eq(th_count(&h), 3u);
	th_clear(&h);
	th_peer_ack(&h, h.iss + 1001, 0); /* edge iss+3001 -> iss+1001 */
	cr_assert_eq(c->snd_nxt, h.iss + 1001, "SND.NXT back at the closed edge");
	for (int i = 0; i < 4; i++)
		th_peer_ack(&h, h.iss + 1001, 0);
	cr_assert_eq(th_stat(&h, "fast_retransmits"), 0u, "zero-window ACKs are not dup ACKs");
	/* the peer still sends (window 0 for us): our ACK must be acceptable to it */
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK | TCP_PSH,
					.seq = h.pseq,
					.ack = h.iss + 1001,
					.data = "hello",
					.len = 5});
	h.pseq += 5;
	th_advance(&h, h.cfg.delack_us);
	cr_assert_geq(th_count(&h), 1u);
	assert_within(h.iss + 1001);
	th_clear(&h);
	th_run_until(&h, h.now + 60ull * 1000000);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u);
	cr_assert_eq(th_stat(&h, "conns_timeout"), 0u);
	cr_assert_geq(th_stat(&h, "zero_window_probes"), 4u);
	assert_within(h.iss + 1001);
	th_clear(&h);
	th_peer_ack(&h, h.iss + 1001, 10000);
	cr_assert_eq(th_count(&h), 4u, "everything after SND.UNA is sent again");
	cr_assert_eq(th_out(&h, 0)->seq, h.iss + 1001);
	cr_assert_eq(th_last(&h)->seq + th_last(&h)->len, h.iss + 5001);
	th_peer_ack(&h, h.iss + 5001, 10000);
	cr_assert_eq(c->sq_bytes, 0u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	th_fini(&h);
}

Test(tcp_data, e25_delayed_ack_every_second_segment_or_timer)
{
	char buf[1000];

	memset(buf, 'd', sizeof(buf));
	open_server(NULL);
	th_peer_data(&h, buf, 1000, h.iss + 1);
	cr_assert_eq(th_count(&h), 0u, "one segment: ACK delayed");
	th_peer_data(&h, buf, 1000, h.iss + 1);
	cr_assert_eq(th_count(&h), 1u, "second full segment: ACK now");
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	th_clear(&h);
	th_peer_data(&h, buf, 10, h.iss + 1);
	th_advance(&h, h.cfg.delack_us - 1);
	cr_assert_eq(th_count(&h), 0u);
	th_advance(&h, 1);
	cr_assert_eq(th_count(&h), 1u, "never later than delack_us");
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	cr_assert_eq(th_stat(&h, "delayed_acks"), 1u);
	th_fini(&h);
}

static void sndbuf4000(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->snd_buf = 4000;
}

Test(tcp_data, e26_send_buffer_full_then_resume)
{
	struct sl_tcp_conn *c = open_server(sndbuf4000);
	struct rte_mbuf *m[5];
	uint16_t n;

	for (int i = 0; i < 5; i++) {
		m[i] = rte_pktmbuf_alloc(th_pool());
		memset(rte_pktmbuf_append(m[i], 1000), 'a' + i, 1000);
	}
	n = sl_tcp_send(c, m, 5);
	cr_assert_eq(n, 4, "what does not fit is handed back");
	cr_assert_eq(sl_tcp_send_space(c), 0u);
	cr_assert_eq(th_stat(&h, "snd_buf_full"), 1u);
	th_peer_ack(&h, h.iss + 2001, 65535);
	cr_assert_eq(h.app.sent_calls, 1u);
	cr_assert_eq(h.app.acked_bytes, 2000u);
	cr_assert_eq(sl_tcp_send_space(c), 2000u);
	cr_assert_eq(sl_tcp_send(c, &m[4], 1), 1);
	cr_assert_eq(th_last(&h)->seq, h.iss + 4001);
	cr_assert_eq(th_last(&h)->data[0], 'e');
	th_fini(&h);
}

Test(tcp_data, zero_copy_payload_by_reference)
{
	struct sl_tcp_conn *c = open_server(NULL);
	struct rte_mbuf *m = rte_pktmbuf_alloc(th_pool());

	memset(rte_pktmbuf_append(m, 1000), 'p', 1000);
	h.hold = true; /* like a NIC ring still holding the sent mbufs */
	cr_assert_eq(sl_tcp_send(c, &m, 1), 1);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->nb_segs, 2, "header mbuf + indirect payload");
	cr_assert_eq(rte_mbuf_refcnt_read(m), 2, "queued once, referenced by the clone");
	/* RTO while the first copy is still 'in the NIC': nothing rewritten */
	th_advance(&h, 1000000);
	cr_assert_eq(th_count(&h), 2u);
	cr_assert_eq(th_last(&h)->seq, th_out(&h, 0)->seq);
	cr_assert_eq(memcmp(th_last(&h)->data, th_out(&h, 0)->data, 1000), 0);
	cr_assert_eq(rte_mbuf_refcnt_read(m), 3);
	th_peer_ack(&h, h.iss + 1001, 65535);
	cr_assert_eq(rte_mbuf_refcnt_read(m), 2, "the queue dropped its reference");
	th_release(&h);
	th_fini(&h);
}

/* ---- e24: pair run across the sequence wrap ---- */

struct wrap_drop {
	uint32_t data_segs;
	uint32_t drop_fr;    /* drop this data segment once: fast retransmit */
	uint32_t outage_at;  /* from this data segment ... */
	uint64_t outage_end; /* ... drop everything until then: RTO */
	bool fr_done;
};

static bool wrap_dropper(void *ctx, const struct th *from, const struct th_seg *g)
{
	struct wrap_drop *d = ctx;

	if (d->outage_end != 0 && from->now < d->outage_end)
		return true;
	if (g->len == 0)
		return false;
	d->data_segs++;
	if (!d->fr_done && d->data_segs == d->drop_fr) {
		d->fr_done = true;
		return true;
	}
	if (d->data_segs == d->outage_at) {
		d->outage_end = from->now + 500000; /* a 500 ms outage */
		return true;
	}
	return false;
}

static struct th a, b;

static void wrapcfg(struct sl_tcp_config *c)
{
	c->rto_min_us = 200000;
	c->snd_buf = 128 * 1024;
	c->rcv_buf = 256 * 1024;
}

Test(tcp_data, e24_sequence_wrap_8mib_fr_and_rto)
{
	const uint32_t total = 8u << 20;
	struct wrap_drop d = {.drop_fr = 300, .outage_at = 4000};
	uint32_t sent = 0;
	struct sl_tcp_conn *ca;

	th_pair(&a, &b, wrapcfg, wrapcfg);
	tcp_test_fix_isn(a.s, 0xffffff00u);
	tcp_test_fix_isn(b.s, 0xffffff00u);
	cr_assert_eq(sl_tcp_listen(b.s, b.t.local_port, &b.cb, &b), 0);
	ca = sl_tcp_connect(a.s, &a.t, &a.cb, &a, a.now);
	cr_assert_not_null(ca);
	th_pair_pump(&a, &b, NULL, NULL);
	cr_assert_eq(a.app.connects, 1u);
	cr_assert_eq(b.app.accepts, 1u);
	for (int iter = 0; iter < 2000000 && b.app.rx_len < total; iter++) {
		uint32_t space = sl_tcp_send_space(ca);

		if (sent < total && space >= 1448) {
			uint32_t k = RTE_MIN(space, total - sent);

			sent += th_send_pattern(&a, sent, k - k % 1448 ? k - k % 1448 : k, 1448);
		}
		if (th_pair_pump(&a, &b, wrap_dropper, &d) == 0) {
			uint64_t next = RTE_MIN(sl_tcp_next_timer(a.s), sl_tcp_next_timer(b.s));

			if (next == UINT64_MAX) {
				struct sl_tcp_conn *cb = b.app.conn;

				fprintf(
				    stderr,
				    "A: st %d una %u nxt %u max %u sq_seq %u sq_bytes %u wnd %u "
				    "cwnd %u persist %d rec %d tmr %lu %lu %lu %lu sent %u\n",
				    ca->state, ca->snd_una, ca->snd_nxt, ca->snd_max, ca->sq_seq,
				    ca->sq_bytes, ca->snd_wnd, ca->cwnd, ca->in_persist,
				    ca->in_recovery, ca->tmr[0], ca->tmr[1], ca->tmr[2], ca->tmr[3],
				    sent);
				fprintf(stderr, "B: rcv_nxt %u adv %u rq %u ooo %u blocked %d\n",
					cb->rcv_nxt, cb->rcv_adv, cb->rq_bytes, cb->ooo.count,
					cb->rcv_blocked);
			}
			cr_assert_neq(next, UINT64_MAX, "stalled at %zu bytes", b.app.rx_len);
			th_pair_advance(&a, &b, next > a.now ? next - a.now : 1);
		} else {
			th_pair_advance(&a, &b, 100);
		}
	}
	cr_assert_eq(b.app.rx_len, total);
	for (uint32_t i = 0; i < total; i++)
		if (b.app.rx[i] != th_pattern(i))
			cr_assert_fail("byte %u differs", i);
	cr_assert_eq(ca->iss, 0xffffff00u);
	cr_assert_eq(ca->snd_una - ca->iss, total + 1, "all acked across the wrap");
	cr_assert_lt(ca->snd_una, ca->iss, "the sequence wrapped");
	cr_assert_geq(th_stat(&a, "fast_retransmits"), 1u);
	cr_assert_geq(th_stat(&a, "rto_expired"), 1u);
	cr_assert_eq(th_stat(&b, "bad_checksum"), 0u);
	th_fini(&a);
	th_fini(&b);
}
