/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SACK on the virtual clock: blocks we report (RFC 2018), an out-of-order
 * queue of a whole window, and loss recovery from the peer's blocks (RFC
 * 6675 with RFC 6937 PRR), lost resends, tail loss probes (RFC 8985 7),
 * timeouts that skip SACKed data, D-SACK, and a SYN with a broken option.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_sack, .init = th_eal, .fini = th_eal_done);

static struct th h;

static void mss1000_ts(struct sl_tcp_config *c)
{
	c->mss = 1000;
	c->timestamps = true;
}

/* A passive connection whose peer offered SACK (no timestamps: 4 blocks fit). */
static struct sl_tcp_conn *open_sack(void)
{
	th_init(&h, th_mss1000);
	h.peer_sack = true;
	th_passive_open(&h, 1000, 1000, TH_NO_WS, false);
	th_clear(&h);
	cr_assert(h.app.conn->sack_on, "SACK negotiated");
	return h.app.conn;
}

/* Stream offset -> our sequence number. */
static uint32_t off(uint32_t o)
{
	return h.iss + 1 + o;
}

/* The peer ACKs stream offset `ack` and SACKs n blocks of stream offsets. */
static void sack_ack(uint32_t ack, unsigned int n, const uint32_t blk[][2])
{
	struct th_spec sp = {.flags = TCP_ACK, .seq = h.pseq, .ack = off(ack), .win = 65535};

	sp.nsack = (uint8_t)n;
	for (unsigned int i = 0; i < n; i++) {
		sp.sack[i].start = off(blk[i][0]);
		sp.sack[i].end = off(blk[i][1]);
	}
	th_inject(&h, &sp);
}

/* Peer payload at stream offset o (its own sequence space), len bytes of 'a' + o. */
static void peer_data_at(uint32_t o, uint32_t len)
{
	static uint8_t buf[2000];

	memset(buf, 'a' + (int)(o / 100 % 20), len);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = h.pseq + o,
					.ack = off(0),
					.win = 65535,
					.data = buf,
					.len = len});
}

/* Segments with data sent since the last th_clear, as stream offsets. */
static unsigned int data_offsets(uint32_t *o, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < th_count(&h) && n < max; i++)
		if (th_out(&h, i)->len > 0)
			o[n++] = th_out(&h, i)->seq - off(0);
	return n;
}

Test(tcp_sack, syn_ack_offers_sack_only_when_asked)
{
	struct sl_tcp_conn *c = open_sack();

	cr_assert(c->sack_on);
	th_fini(&h);
	th_init(&h, th_mss1000);
	th_passive_open(&h, 1000, 1000, TH_NO_WS, false);
	cr_assert(!h.app.conn->sack_on, "no SACK-permitted in the SYN: no SACK");
	th_fini(&h);
}

Test(tcp_sack, receiver_reports_most_recent_block_first)
{
	struct sl_tcp_conn *c = open_sack();
	struct th_seg *a;

	peer_data_at(0, 100);
	th_clear(&h);
	peer_data_at(200, 100); /* hole [100, 200) */
	a = th_last(&h);
	cr_assert_eq(a->ack, h.pseq + 100, "immediate duplicate ACK");
	cr_assert_eq(a->o.nsack, 1);
	cr_assert_eq(a->o.sack[0].start, h.pseq + 200);
	cr_assert_eq(a->o.sack[0].end, h.pseq + 300);
	peer_data_at(400, 100); /* a second block */
	a = th_last(&h);
	cr_assert_eq(a->o.nsack, 2);
	cr_assert_eq(a->o.sack[0].start, h.pseq + 400, "the newest block first (RFC 2018 4)");
	cr_assert_eq(a->o.sack[1].start, h.pseq + 200);
	peer_data_at(300, 100); /* joins both */
	a = th_last(&h);
	cr_assert_eq(a->o.nsack, 1);
	cr_assert_eq(a->o.sack[0].start, h.pseq + 200);
	cr_assert_eq(a->o.sack[0].end, h.pseq + 500);
	for (uint32_t o = 600; o < 1400; o += 200)
		peer_data_at(o, 100); /* five blocks in all: four reported */
	a = th_last(&h);
	cr_assert_eq(a->o.nsack, 4, "no timestamps: four blocks fit");
	cr_assert_eq(a->o.sack[0].start, h.pseq + 1200);
	th_clear(&h);
	peer_data_at(100, 100); /* the first hole fills */
	a = th_last(&h);
	cr_assert_eq(a->ack, h.pseq + 500);
	cr_assert_eq(a->o.nsack, 4, "the holes above still reported");
	for (unsigned int i = 0; i < a->o.nsack; i++)
		cr_assert(seq_gt(a->o.sack[i].start, a->ack), "no block at or below the ACK");
	cr_assert_gt(th_stat(&h, "sack_blocks_out"), 0u);
	cr_assert_eq(c->ooo.count, 4u);
	th_fini(&h);
}

Test(tcp_sack, three_blocks_with_timestamps)
{
	th_init(&h, mss1000_ts);
	h.peer_sack = true;
	th_passive_open(&h, 1000, 1000, TH_NO_WS, true);
	for (uint32_t o = 100; o < 1000; o += 200)
		th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
						.seq = h.pseq + o,
						.ack = off(0),
						.win = 65535,
						.data = "0123456789",
						.len = 10,
						.ts = true,
						.tsval = 2000});
	cr_assert(th_last(&h)->o.has_ts);
	cr_assert_eq(th_last(&h)->o.nsack, 3, "12 B of timestamps leave room for three");
	th_fini(&h);
}

Test(tcp_sack, ooo_queue_holds_a_whole_window)
{
	struct sl_tcp_conn *c;

	th_init(&h, th_mss1000);
	h.peer_sack = true;
	th_passive_open(&h, 1000, 1000, 7, false); /* scaled: a 256 KiB window */
	c = h.app.conn;

	/* 300 segments behind a hole: far more than the old 64-mbuf bound. */
	for (uint32_t i = 0; i < 300; i++)
		peer_data_at(500 + 500 * i, 500);
	cr_assert_eq(th_stat(&h, "ooo_dropped"), 0u);
	cr_assert_eq(c->ooo.count, 300u);
	peer_data_at(0, 500);
	cr_assert_eq(h.app.rx_len, 500u * 301u, "every byte reached the app");
	cr_assert_eq(c->ooo.count, 0u);
	cr_assert_eq(th_last(&h)->o.nsack, 0, "no hole, no block");
	th_fini(&h);
}

Test(tcp_sack, loss_found_from_blocks_before_three_dupacks)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t b[][2] = {{1000, 4000}};

	cr_assert_eq(th_send_pattern(&h, 0, 10000, 1000), 10000u);
	th_clear(&h);
	sack_ack(0, 1, b); /* one ACK, 3 MSS SACKed above the hole: IsLost */
	cr_assert(c->in_recovery);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->seq, off(0));
	cr_assert_eq(th_last(&h)->len, 1000u);
	cr_assert_eq(th_last(&h)->data[0], th_pattern(0));
	cr_assert_eq(c->ssthresh, 5000u, "FlightSize / 2");
	cr_assert_eq(th_stat(&h, "sack_recoveries"), 1u);
	cr_assert_eq(th_stat(&h, "dup_acks_in"), 1u);
	th_fini(&h);
}

Test(tcp_sack, holes_resent_sacked_bytes_never)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t b1[][2] = {{1000, 4000}, {5000, 10000}};
	static const uint32_t b2[][2] = {{5000, 10000}};
	uint32_t o[16];

	th_send_pattern(&h, 0, 10000, 1000);
	th_clear(&h);
	sack_ack(0, 2, b1);
	sack_ack(4000, 1, b2); /* the resend of [0, 1000) arrived */
	cr_assert_eq(data_offsets(o, 16), 2u);
	cr_assert_eq(o[0], 0u);
	cr_assert_eq(o[1], 4000u, "the second hole, once the first is repaired");
	sack_ack(10000, 0, NULL);
	cr_assert(!c->in_recovery);
	cr_assert_eq(c->cwnd, c->ssthresh, "RFC 6675: cwnd = ssthresh after recovery");
	cr_assert_eq(th_stat(&h, "retransmits"), 2u);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u);
	th_fini(&h);
}

Test(tcp_sack, prr_sends_half_of_what_is_delivered)
{
	struct sl_tcp_conn *c = open_sack();
	uint32_t blk[1][2] = {{1000, 0}};
	uint32_t o[64], n;

	th_send_pattern(&h, 0, 30000, 1000);
	cr_assert_eq(c->snd_max - c->snd_una, 10000u, "initial window: 10 segments");
	th_clear(&h);
	/* Segment 0 lost; each ACK SACKs one more of the nine behind it. */
	for (uint32_t k = 2; k <= 10; k++) {
		blk[0][1] = 1000 * k;
		sack_ack(0, 1, (const uint32_t(*)[2])blk);
	}
	n = data_offsets(o, 64);
	cr_assert(c->in_recovery);
	cr_assert_eq(o[0], 0u, "the fast retransmit, on the third block");
	/*
	 * RecoverFS 10000, ssthresh 5000. The 5th and 6th ACKs: pipe (6000,
	 * then 5000) is not below ssthresh, PRR's share is ceil(delivered / 2)
	 * less the resend: nothing new. From the 7th on pipe is below
	 * ssthresh and PRR-SSRB sends one segment per segment delivered,
	 * bringing pipe up to ssthresh and no further.
	 */
	cr_assert_eq(n, 5u, "resend + 4 new segments, got %u", n);
	for (unsigned int i = 1; i < n; i++)
		cr_assert_eq(o[i], 9000u + 1000u * i);
	cr_assert_eq(tcp_sb_pipe(&c->sb, c->snd_una, c->snd_max, 1000), 5000u,
		     "pipe reaches ssthresh");
	cr_assert_eq(c->prr_out, 5000u);
	cr_assert_eq(c->prr_delivered, 6000u);
	sack_ack(14000, 0, NULL);
	cr_assert(!c->in_recovery);
	cr_assert_eq(c->cwnd, 5000u);
	th_fini(&h);
}

Test(tcp_sack, lost_resend_sent_again_without_rto)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t a1[][2] = {{1000, 4000}};
	static const uint32_t a2[][2] = {{1000, 4000}, {5000, 7000}};
	static const uint32_t a3[][2] = {{1000, 4000}, {5000, 8000}};
	static const uint32_t a4[][2] = {{1000, 8000}};
	uint32_t o[32], n;

	th_send_pattern(&h, 0, 20000, 1000);
	th_clear(&h);
	sack_ack(0, 1, a1); /* recovery: [0, 1000) resent */
	sack_ack(0, 2, a2);
	sack_ack(0, 2, a3); /* [4000, 5000) lost now too: resent */
	n = data_offsets(o, 32);
	cr_assert_geq(n, 2u);
	cr_assert_eq(o[0], 0u);
	cr_assert_eq(o[1], 4000u);
	th_clear(&h);
	/* The resend of [4000, 5000) arrived, the earlier one of [0, 1000) did not. */
	sack_ack(0, 1, a4);
	n = data_offsets(o, 32);
	cr_assert_geq(n, 1u);
	cr_assert_eq(o[0], 0u, "[0, 1000) sent a third time, at once");
	cr_assert_eq(th_stat(&h, "lost_retransmits"), 1u);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u);
	cr_assert(c->in_recovery);
	th_fini(&h);
}

Test(tcp_sack, tail_loss_probe_turns_a_lost_tail_into_recovery)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t b[][2] = {{4000, 5000}};
	uint32_t o[8];

	cr_assert(c->rtt.has_sample, "the handshake gave an RTT sample");
	th_send_pattern(&h, 0, 5000, 1000);
	sack_ack(3000, 0, NULL); /* the last two segments are lost */
	th_clear(&h);
	cr_assert(c->tlp_armed);
	th_advance(&h, TCP_TLP_MIN_US);
	cr_assert_eq(th_stat(&h, "tlp_probes"), 1u);
	cr_assert_eq(data_offsets(o, 8), 1u);
	cr_assert_eq(o[0], 4000u, "the probe is the last segment");
	th_clear(&h);
	sack_ack(3000, 1, b); /* the probe got through, [3000, 4000) did not */
	cr_assert(c->in_recovery);
	cr_assert_eq(data_offsets(o, 8), 1u);
	cr_assert_eq(o[0], 3000u);
	sack_ack(5000, 0, NULL);
	cr_assert_eq(th_stat(&h, "rto_expired"), 0u, "no timeout");
	cr_assert(!c->in_recovery);
	th_fini(&h);
}

Test(tcp_sack, timeout_goes_back_over_holes_only)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t b[][2] = {{5000, 6000}};
	uint32_t acked = 0;

	th_send_pattern(&h, 0, 10000, 1000);
	sack_ack(0, 1, b); /* one block: not enough to call anything lost */
	cr_assert(!c->in_recovery);
	th_clear(&h);
	th_run_until(&h, h.now + 2000000); /* probe, then the RTO */
	cr_assert_geq(th_stat(&h, "rto_expired"), 1u);
	/* The peer acknowledges what arrives; it already holds [5000, 6000). */
	for (int guard = 0; guard < 100 && acked < 10000; guard++) {
		for (unsigned int i = 0; i < th_count(&h); i++) {
			struct th_seg *s = th_out(&h, i);

			if (s->len > 0 && s->seq != off(9000))
				cr_assert_neq(s->seq, off(5000), "a SACKed segment was resent");
			if (s->len > 0 && s->seq == off(acked))
				acked += s->len;
			if (acked == 5000)
				acked = 6000;
		}
		th_clear(&h);
		sack_ack(acked, acked < 5000 ? 1 : 0, b);
	}
	cr_assert_eq(acked, 10000u);
	th_fini(&h);
}

Test(tcp_sack, dsack_counted_bad_blocks_ignored)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t dup[][2] = {{0, 1000}};
	static const uint32_t past[][2] = {{3000, 9000}};

	th_send_pattern(&h, 0, 3000, 1000);
	sack_ack(1000, 1, dup);
	cr_assert_eq(th_stat(&h, "dsack_in"), 1u);
	sack_ack(1000, 1, past);
	cr_assert_eq(th_stat(&h, "sack_blocks_bad"), 1u, "a block past SND.MAX");
	cr_assert_eq(c->sb.n, 0u);
	cr_assert(!c->in_recovery);
	th_fini(&h);
}

Test(tcp_sack, syn_with_a_broken_option_still_connects)
{
	/* MSS 1200, then a timestamp option whose length byte is 0. */
	static const uint8_t opts[] = {2, 4, 0x04, 0xb0, 8, 0, 0, 0};
	struct th_seg *sa;

	th_init(&h, NULL);
	th_listen(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN,
					.seq = 5000,
					.win = 65535,
					.raw_opts = opts,
					.raw_opts_len = sizeof(opts)});
	cr_assert_eq(th_count(&h), 1u, "Linux answers such a SYN; so do we");
	sa = th_last(&h);
	cr_assert_eq(sa->flags, TCP_SYN | TCP_ACK);
	cr_assert(!sa->o.has_ts, "nothing after the broken option is taken");
	cr_assert_eq(th_stat(&h, "bad_options"), 0u);
	th_inject(
	    &h, &(struct th_spec){.flags = TCP_ACK, .seq = 5001, .ack = sa->seq + 1, .win = 65535});
	cr_assert_not_null(h.app.conn);
	cr_assert_eq(h.app.conn->snd_mss, 1200u, "the MSS before the broken option counts");
	th_fini(&h);
}

Test(tcp_sack, scoreboard_merges_and_forgets_the_highest)
{
	struct tcp_scoreboard sb;
	uint32_t room;

	memset(&sb, 0, sizeof(sb));
	tcp_sb_add(&sb, 1010, 1020);
	tcp_sb_add(&sb, 1030, 1040);
	tcp_sb_add(&sb, 1020, 1030); /* fills the gap: one range */
	cr_assert_eq(sb.n, 1u);
	cr_assert_eq(sb.sacked, 30u);
	for (uint32_t i = 0; i < TCP_SB_MAX + 2; i++)
		tcp_sb_add(&sb, 2000 + 100 * i, 2050 + 100 * i);
	cr_assert_eq(sb.n, TCP_SB_MAX, "bounded");
	cr_assert_eq(sb.r[0].start, 1010u, "the lowest ranges are kept");
	cr_assert_eq(tcp_sb_skip(&sb, 1015, &room), 1040u);
	cr_assert_eq(room, 2000u - 1040u);
	/* Three ranges above 1000: everything open below the third from the top is lost. */
	cr_assert_eq(tcp_sb_lost_edge(&sb, 1000, 1000), sb.r[sb.n - 3].start);
	tcp_sb_ack(&sb, 1035);
	cr_assert_eq(sb.r[0].start, 1035u);
	cr_assert_eq(sb.sacked, 5u + 50u * (TCP_SB_MAX - 1u));
	/* SND.UNA wraps: the arithmetic is modulo 2^32. */
	memset(&sb, 0, sizeof(sb));
	sb.high_rxt = sb.rack_lost = 0xffffffe0u; /* nothing resent, nothing probed */
	tcp_sb_add(&sb, 0xfffffff0u, 0x10u);
	cr_assert_eq(sb.sacked, 0x20u);
	cr_assert_eq(tcp_sb_pipe(&sb, 0xffffffe0u, 0x20u, 1000), 0x20u, "holes below and above");
}

Test(tcp_sack, receiver_blocks_merge_and_trim)
{
	struct tcp_sack_rcv r;

	memset(&r, 0, sizeof(r));
	tcp_sack_rcv_add(&r, 100, 200);
	tcp_sack_rcv_add(&r, 300, 400);
	tcp_sack_rcv_add(&r, 500, 600);
	tcp_sack_rcv_add(&r, 700, 800);
	tcp_sack_rcv_add(&r, 900, 1000);
	cr_assert_eq(r.n, TCP_SACK_MAX_BLOCKS);
	cr_assert_eq(r.blk[0].start, 900u, "newest first");
	tcp_sack_rcv_add(&r, 400, 500); /* joins [300, 400) and [500, 600) */
	cr_assert_eq(r.blk[0].start, 300u);
	cr_assert_eq(r.blk[0].end, 600u);
	tcp_sack_rcv_trim(&r, 700);
	for (unsigned int i = 0; i < r.n; i++)
		cr_assert_geq(r.blk[i].start, 700u);
}

Test(tcp_sack, recovery_undone_when_every_resend_is_dsacked)
{
	struct sl_tcp_conn *c = open_sack();
	static const uint32_t b[][2] = {{1000, 4000}};
	static const uint32_t dup[][2] = {{0, 1000}};
	uint32_t cwnd0;

	th_send_pattern(&h, 0, 10000, 1000);
	cwnd0 = c->cwnd;
	sack_ack(0, 1, b); /* [0, 1000) looks lost: recovery, one resend */
	cr_assert(c->in_recovery);
	cr_assert_lt(c->cwnd, cwnd0);
	/* It was only late: the peer reports our resend as a duplicate. */
	sack_ack(10000, 1, dup);
	cr_assert_eq(th_stat(&h, "dsack_in"), 1u);
	cr_assert_eq(th_stat(&h, "dsack_undo"), 1u);
	cr_assert(!c->in_recovery);
	cr_assert_geq(c->cwnd, cwnd0, "the window the episode took is given back");
	th_fini(&h);
}
