/* SPDX-License-Identifier: BSD-3-Clause */
/* Checklist F (loss recovery). */
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_loss, .init = th_eal, .fini = th_eal_done);

static struct th h;

static struct sl_tcp_conn *open_server(th_cfg_fn fn)
{
	return th_open_server(&h, fn);
}

/* The peer's ACK for stream offset `off` (bytes) with a big window. */
static void ack_off(uint32_t off)
{
	th_peer_ack(&h, h.iss + 1 + off, 65535);
}

Test(tcp_loss, f27_fast_retransmit_after_exactly_three_dupacks)
{
	struct sl_tcp_conn *c = open_server(NULL);

	cr_assert_eq(th_send_pattern(&h, 0, 6000, 1000), 6000u);
	cr_assert_eq(th_count(&h), 6u);
	ack_off(1000); /* segment 2 is lost */
	th_clear(&h);
	ack_off(1000);
	ack_off(1000);
	cr_assert_eq(th_count(&h), 0u, "two dup ACKs: nothing yet");
	ack_off(1000);
	cr_assert_eq(th_count(&h), 1u, "third dup ACK: fast retransmit");
	cr_assert_eq(th_last(&h)->seq, h.iss + 1001);
	cr_assert_eq(th_last(&h)->len, 1000u);
	cr_assert_eq(th_last(&h)->data[0], th_pattern(1000));
	cr_assert(c->in_recovery);
	cr_assert_eq(c->ssthresh, 2500u, "max(FlightSize/2, 2*MSS) with 5000 in flight");
	cr_assert_eq(c->cwnd, 2500u + 3000u);
	cr_assert_eq(th_stat(&h, "fast_retransmits"), 1u);
	cr_assert_eq(th_stat(&h, "dup_acks_in"), 3u);
	ack_off(1000); /* a 4th dup ACK inflates cwnd, sends no retransmission */
	cr_assert_eq(c->cwnd, 6500u);
	ack_off(6000);
	cr_assert(!c->in_recovery);
	cr_assert_eq(c->cwnd, 2500u, "after recovery cwnd = ssthresh");
	cr_assert_eq(c->ssthresh, 2500u);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u);
	cr_assert_eq(th_stat(&h, "retransmits"), 1u);
	th_fini(&h);
}

Test(tcp_loss, f27_ssthresh_floor_two_mss)
{
	struct sl_tcp_conn *c = open_server(NULL);

	th_send_pattern(&h, 0, 4000, 1000);
	ack_off(1000);
	/* 3000 in flight: FlightSize/2 = 1500 < 2 MSS */
	ack_off(1000);
	ack_off(1000);
	ack_off(1000);
	cr_assert_eq(c->ssthresh, 2000u);
	th_fini(&h);
}

Test(tcp_loss, f28_newreno_partial_acks_repair_every_hole)
{
	struct sl_tcp_conn *c = open_server(NULL);

	cr_assert_eq(th_send_pattern(&h, 0, 10000, 1000), 10000u);
	cr_assert_eq(th_count(&h), 10u);
	/* segments 2, 5 and 8 (offsets 1000, 4000, 7000) are lost */
	ack_off(1000);
	th_clear(&h);
	for (int i = 0; i < 6; i++) /* from segments 3, 4, 6, 7, 9, 10 */
		ack_off(1000);
	cr_assert_eq(th_stat(&h, "fast_retransmits"), 1u);
	cr_assert_eq(th_out(&h, 0)->seq, h.iss + 1 + 1000);
	th_clear(&h);
	ack_off(4000); /* partial: the next hole is at 4000 */
	cr_assert(c->in_recovery);
	cr_assert_eq(th_stat(&h, "partial_acks"), 1u);
	cr_assert_geq(th_count(&h), 1u);
	cr_assert_eq(th_out(&h, 0)->seq, h.iss + 1 + 4000, "hole 2 resent at once");
	th_clear(&h);
	ack_off(7000);
	cr_assert_eq(th_stat(&h, "partial_acks"), 2u);
	cr_assert_eq(th_out(&h, 0)->seq, h.iss + 1 + 7000, "hole 3 resent at once");
	ack_off(10000);
	cr_assert(!c->in_recovery);
	cr_assert_eq(c->cwnd, c->ssthresh);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u, "no RTO");
	cr_assert_eq(th_stat(&h, "fast_retransmits"), 1u, "one recovery episode");
	th_fini(&h);
}

static void rto_cfg(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->rto_min_us = 10000;
}

Test(tcp_loss, f29_rto_estimate_backoff_karn_cwnd)
{
	struct sl_tcp_conn *c;
	uint64_t t0;

	th_init(&h, rto_cfg);
	th_listen(&h);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_SYN, .seq = 1000, .win = 65535, .mss = 1000, .ws = TH_NO_WS});
	h.iss = th_last(&h)->seq;
	h.pseq = 1001;
	h.now += 100000; /* the handshake takes 100 ms: SRTT 100, RTTVAR 50 */
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_ACK, .seq = 1001, .ack = h.iss + 1, .win = 65535});
	c = h.app.conn;
	cr_assert_eq(c->rtt.srtt_us, 100000u);
	cr_assert_eq(c->rtt.rttvar_us, 50000u);
	th_clear(&h);
	th_send_pattern(&h, 0, 3000, 1000);
	t0 = h.now;
	cr_assert_eq(th_count(&h), 3u);
	th_clear(&h);
	th_run_until(&h, t0 + 300000 - 1);
	cr_assert_eq(th_count(&h), 0u);
	th_advance(&h, 1);
	cr_assert_eq(th_count(&h), 1u, "RTO = SRTT + 4 RTTVAR = 300 ms");
	cr_assert_eq(th_last(&h)->seq, h.iss + 1);
	cr_assert_eq(c->cwnd, 1000u, "cwnd = 1 MSS after an RTO");
	cr_assert_eq(c->ssthresh, 2000u, "max(3000/2, 2 MSS)");
	/* the retransmission is lost too: the timer doubles */
	th_run_until(&h, t0 + 300000 + 600000 - 1);
	cr_assert_eq(th_count(&h), 1u);
	th_advance(&h, 1);
	cr_assert_eq(th_count(&h), 2u, "doubled to 600 ms");
	cr_assert_eq(c->ssthresh, 2000u, "ssthresh set once per loss episode");
	cr_assert_eq(th_stat(&h, "rto_expired"), 2u);
	/* an ACK for the retransmitted data gives no RTT sample (Karn) */
	h.now += 5000;
	ack_off(1000);
	cr_assert_eq(c->rtt.srtt_us, 100000u);
	cr_assert_eq(c->rtt.rttvar_us, 50000u);
	cr_assert_eq(c->rtt.backoff, 2, "backoff kept until a valid sample");
	cr_assert_eq(c->cwnd, 2000u, "slow start from 1 MSS");
	th_fini(&h);
}

static void retries3(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->max_retries = 3;
}

Test(tcp_loss, f30_retries_exhausted_abort)
{
	open_server(retries3);
	th_send_pattern(&h, 0, 2000, 1000);
	th_clear(&h);
	th_run_until(&h, h.now + 3600ull * 1000000);
	cr_assert_eq(th_count(&h), 3u, "exactly max_retries retransmissions");
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_TIMEOUT);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_eq(th_stat(&h, "conns_timeout"), 1u);
	cr_assert_eq(sl_tcp_next_timer(h.s), UINT64_MAX, "no timer left behind");
	th_fini(&h);
}

Test(tcp_loss, f31_initial_window_exact)
{
	open_server(NULL);
	cr_assert_eq(th_send_pattern(&h, 0, 20000, 1000), 20000u);
	cr_assert_eq(th_count(&h), 10u, "init_cwnd_segs segments, no more");
	for (unsigned int i = 0; i < 10; i++)
		cr_assert_eq(th_out(&h, i)->len, 1000u);
	th_fini(&h);
}

static void iw4(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->init_cwnd_segs = 4;
}

Test(tcp_loss, f31_initial_window_configurable_and_slow_start)
{
	open_server(iw4);
	th_send_pattern(&h, 0, 20000, 1000);
	cr_assert_eq(th_count(&h), 4u);
	th_clear(&h);
	ack_off(1000);
	cr_assert_eq(th_count(&h), 2u, "slow start: one ACK of 1 MSS opens 2 segments");
	th_fini(&h);
}

static struct rte_mempool *tiny;

static void tiny_pool(struct sl_tcp_config *c)
{
	c->mss = 1000;
	tiny =
	    rte_pktmbuf_pool_create("th_tiny", 8, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cr_assert_not_null(tiny);
	c->pool = tiny;
}

Test(tcp_loss, i38_mbuf_pool_empty_then_recovers)
{
	struct sl_tcp_conn *c = open_server(tiny_pool);

	h.hold = true; /* outputs stay "in the NIC": the tiny pool runs dry */
	cr_assert_eq(th_send_pattern(&h, 0, 8000, 1000), 8000u, "queueing needs no mbufs");
	cr_assert_lt(th_count(&h), 8u);
	cr_assert_gt(th_stat(&h, "no_mbuf"), 0u);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	th_release(&h); /* the "NIC" frees them */
	th_clear(&h);
	h.hold = false;
	/* the retransmission timer picks up what could not be sent */
	th_run_until(&h, sl_tcp_next_timer(h.s));
	for (int i = 0; i < 20 && c->snd_una != h.iss + 8001; i++) {
		ack_off(th_last(&h)->seq + th_last(&h)->len - h.iss - 1);
		if (th_count(&h) == 0 || th_last(&h)->seq + th_last(&h)->len == c->snd_una)
			th_run_until(&h, sl_tcp_next_timer(h.s));
	}
	cr_assert_eq(c->snd_una, h.iss + 8001, "all data got out after the pool refilled");
	th_fini(&h);
	cr_assert_eq(rte_mempool_in_use_count(tiny), 0u);
	rte_mempool_free(tiny);
}

/*
 * Found by test_tcp_soak: the last transmission was short (the peer's
 * window took only 500 bytes); the retransmission timeout must resend
 * those 500 bytes, not a full MSS from SND.UNA: the extra bytes would leave
 * without moving SND.MAX, and the peer's ACK of them would be dropped as
 * an ACK of unsent data, for ever.
 */
Test(tcp_loss, f29_rto_resends_no_byte_beyond_snd_max)
{
	struct sl_tcp_conn *c = open_server(NULL);

	th_peer_ack(&h, h.iss + 1, 500); /* the window shrinks to 500 before we send */
	cr_assert_eq(th_send_pattern(&h, 0, 3000, 1000), 3000u);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->len, 500u, "the window takes 500");
	th_clear(&h);
	th_advance(&h, 1100000); /* past the initial RTO (1 s) */
	cr_assert_geq(th_stat(&h, "rto_expired"), 1u);
	cr_assert_geq(th_count(&h), 1u);
	cr_assert_eq(th_out(&h, 0)->seq, h.iss + 1);
	cr_assert_eq(th_out(&h, 0)->len, 500u, "resent only what was sent (got %u)",
		     th_out(&h, 0)->len);
	cr_assert_eq(c->snd_max, h.iss + 1 + 500);
	th_clear(&h);
	ack_off(500); /* the peer's ACK of all that was sent is accepted */
	cr_assert_eq(c->snd_una, h.iss + 1 + 500);
	cr_assert_eq(th_stat(&h, "ack_unsent_data"), 0u);
	th_fini(&h);
}

/*
 * Found by test_tcp_soak: after a timeout SND.NXT goes back to SND.UNA, but
 * the peer may hold everything up to SND.MAX. An ACK we send then must carry
 * SND.MAX: with the pulled-back number it lies left of the peer's RCV.NXT,
 * is unacceptable (RFC 9293 3.10.7.4), and its ACK is thrown away.
 */
Test(tcp_loss, f29_ack_after_go_back_carries_snd_max)
{
	struct sl_tcp_conn *c = open_server(NULL);
	const uint8_t byte = 'x';

	cr_assert_eq(th_send_pattern(&h, 0, 3000, 1000), 3000u);
	cr_assert_eq(th_count(&h), 3u);
	th_advance(&h, 1100000);
	cr_assert_eq(c->snd_nxt, h.iss + 1 + 1000, "went back: one segment resent");
	th_clear(&h);
	h.pseq += 10; /* out of order: answered at once with a (dup) ACK */
	th_peer_data(&h, &byte, 1, h.iss + 1);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->len, 0u);
	cr_assert_eq(th_last(&h)->seq, h.iss + 1 + 3000, "ACK carries SND.MAX, not SND.NXT");
	th_fini(&h);
}
