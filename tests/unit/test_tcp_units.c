/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pure pieces of lib/tcp on their own: sequence arithmetic, the RFC 6298
 * estimator, option parsing (malformed included), the reassembly queue,
 * SYN cookies, ISNs and the checksum.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_seq);
TestSuite(tcp_rto);
TestSuite(tcp_opts);
TestSuite(tcp_cookie);
TestSuite(tcp_reass, .init = th_eal, .fini = th_eal_done);

Test(tcp_seq, compare_across_wrap)
{
	cr_assert(seq_lt(0xffffff00u, 0x10u));
	cr_assert(seq_gt(0x10u, 0xffffff00u));
	cr_assert(seq_leq(5u, 5u));
	cr_assert(!seq_lt(5u, 5u));
	cr_assert(seq_geq(0x7fffffffu, 0u));
	cr_assert(seq_lt(0x80000001u, 0u)); /* more than 2^31 ahead reads as behind */
	cr_assert_eq(seq_max(0xfffffff0u, 0x20u), 0x20u);
	cr_assert_eq(seq_min(0xfffffff0u, 0x20u), 0xfffffff0u);
}

Test(tcp_seq, in_window_wraps)
{
	cr_assert(seq_in(0xfffffffeu, 0xfffffff0u, 0x10u));
	cr_assert(seq_in(0x5u, 0xfffffff0u, 0x10u));
	cr_assert(!seq_in(0x10u, 0xfffffff0u, 0x10u)); /* hi is exclusive */
	cr_assert(!seq_in(0xffffffefu, 0xfffffff0u, 0x10u));
	cr_assert(!seq_in(7u, 7u, 7u)); /* empty window */
}

static struct sl_tcp_config rto_cfg(void)
{
	struct sl_tcp_config c;

	memset(&c, 0, sizeof(c));
	c.rto_init_us = 1000000;
	c.rto_min_us = 200000;
	c.rto_max_us = 60000000;
	return c;
}

Test(tcp_rto, first_sample_and_smoothing)
{
	struct sl_tcp_config cfg = rto_cfg();
	struct tcp_rtt r;

	tcp_rtt_init(&r, &cfg);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 1000000u, "RFC 6298 2.1 initial RTO");
	tcp_rtt_sample(&r, 100000, &cfg);
	/* 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 300 ms */
	cr_assert_eq(r.srtt_us, 100000u);
	cr_assert_eq(r.rttvar_us, 50000u);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 300000u);
	tcp_rtt_sample(&r, 200000, &cfg);
	/* 2.3: RTTVAR = 3/4*50000 + 1/4*|100000-200000| = 62500; SRTT = 112500 */
	cr_assert_eq(r.rttvar_us, 62500u);
	cr_assert_eq(r.srtt_us, 112500u);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 112500u + 4 * 62500u);
}

Test(tcp_rto, bounds_and_backoff)
{
	struct sl_tcp_config cfg = rto_cfg();
	struct tcp_rtt r;

	tcp_rtt_init(&r, &cfg);
	tcp_rtt_sample(&r, 10, &cfg);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 200000u, "clamped to rto_min");
	tcp_rtt_backoff(&r);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 400000u, "doubles (5.5)");
	tcp_rtt_backoff(&r);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 800000u);
	for (int i = 0; i < 40; i++)
		tcp_rtt_backoff(&r);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 60000000u, "capped at rto_max");
	tcp_rtt_sample(&r, 10, &cfg);
	cr_assert_eq(r.backoff, 0, "a valid sample ends the backoff (Karn)");
	tcp_rtt_sample(&r, 100000000, &cfg);
	cr_assert_eq(tcp_rtt_rto(&r, &cfg), 60000000u);
}

Test(tcp_opts, parse_all_known)
{
	const uint8_t o[] = {2,	 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 8,
			     10, 0, 0,	  0,	1, 0, 0, 0, 2, 0, 0};
	struct tcp_opts p;

	cr_assert_eq(tcp_opts_parse(o, sizeof(o), &p, false), 0);
	cr_assert(p.has_mss && p.mss == 1460);
	cr_assert(p.has_ws && p.wscale == 7);
	cr_assert(p.has_sack_perm);
	cr_assert(p.has_ts && p.tsval == 1 && p.tsecr == 2);
}

Test(tcp_opts, wscale_clamped_unknown_skipped_eol_stops)
{
	const uint8_t o[] = {30, 4, 9, 9, 3, 3, 15, 0, 2, 4, 1, 1};
	struct tcp_opts p;

	cr_assert_eq(tcp_opts_parse(o, sizeof(o), &p, false), 0);
	cr_assert(p.has_ws);
	cr_assert_eq(p.wscale, 14, "RFC 7323 2.3: > 14 used as 14");
	cr_assert(!p.has_mss, "after EOL nothing is parsed");
}

Test(tcp_opts, malformed_rejected)
{
	const uint8_t zero_len[] = {2, 0, 1, 1};
	const uint8_t one_len[] = {30, 1, 1, 1};
	const uint8_t past_end[] = {1, 1, 8, 10, 0, 0, 0, 1};
	const uint8_t truncated[] = {1, 1, 1, 2};
	const uint8_t bad_mss_len[] = {2, 3, 5, 1};
	const uint8_t bad_ts_len[] = {8, 6, 0, 0, 0, 0, 1, 1};
	const uint8_t bad_ws_len[] = {3, 4, 1, 1};
	struct tcp_opts p;

	cr_assert_eq(tcp_opts_parse(zero_len, sizeof(zero_len), &p, false), -1,
		     "length 0 would loop");
	cr_assert_eq(tcp_opts_parse(one_len, sizeof(one_len), &p, false), -1);
	cr_assert_eq(tcp_opts_parse(past_end, sizeof(past_end), &p, false), -1);
	cr_assert_eq(tcp_opts_parse(truncated, sizeof(truncated), &p, false), -1,
		     "kind without length");
	cr_assert_eq(tcp_opts_parse(bad_mss_len, sizeof(bad_mss_len), &p, false), -1);
	cr_assert_eq(tcp_opts_parse(bad_ts_len, sizeof(bad_ts_len), &p, false), -1);
	cr_assert_eq(tcp_opts_parse(bad_ws_len, sizeof(bad_ws_len), &p, false), -1);
}

Test(tcp_opts, write_roundtrip)
{
	struct tcp_opts_out w = {.mss = 1400, .wscale = 9, .ts = true, .tsval = 77, .tsecr = 88};
	uint8_t buf[40];
	struct tcp_opts p;
	unsigned int n = tcp_opts_write(buf, &w);

	cr_assert_eq(n, tcp_opts_len(&w));
	cr_assert_eq(n % 4, 0u);
	cr_assert_eq(n, 20u);
	cr_assert_eq(tcp_opts_parse(buf, n, &p, false), 0);
	cr_assert(p.mss == 1400 && p.wscale == 9 && p.tsval == 77 && p.tsecr == 88);
	cr_assert(!p.has_sack_perm, "SACK-permitted only when asked for");
}

static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const struct sl_tcp_tuple tup = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, TH_REMOTE_PORT};

Test(tcp_cookie, roundtrip_mss_and_wscale)
{
	uint64_t now = 5000000000ull;

	for (int ws = -1; ws <= 14; ws++) {
		uint32_t c = tcp_cookie_make(key, &tup, 12345, 1460, ws, now);
		uint16_t mss;
		int w;

		cr_assert_eq(tcp_cookie_check(key, &tup, 12345, c, now + 1000, &mss, &w), 0);
		cr_assert_eq(mss, 1460);
		cr_assert_eq(w, ws);
	}
	{
		uint32_t c = tcp_cookie_make(key, &tup, 1, 1000, 3, now);
		uint16_t mss;
		int w;

		cr_assert_eq(tcp_cookie_check(key, &tup, 1, c, now, &mss, &w), 0);
		cr_assert_eq(mss, 536, "rounded down to a table entry");
	}
}

Test(tcp_cookie, rejects_forgery_age_and_other_tuples)
{
	uint64_t now = 5000000000ull;
	uint32_t c = tcp_cookie_make(key, &tup, 777, 1460, 7, now);
	struct sl_tcp_tuple other = tup;
	uint8_t key2[16] = {0};
	uint16_t mss;
	int w;

	other.remote_port ^= 1;
	cr_assert_neq(tcp_cookie_check(key, &other, 777, c, now, &mss, &w), 0);
	cr_assert_neq(tcp_cookie_check(key, &tup, 778, c, now, &mss, &w), 0, "peer ISN bound");
	cr_assert_neq(tcp_cookie_check(key2, &tup, 777, c, now, &mss, &w), 0, "key bound");
	cr_assert_neq(tcp_cookie_check(key, &tup, 777, c ^ (1u << 24), now, &mss, &w), 0,
		      "MSS bits are authenticated");
	cr_assert_neq(tcp_cookie_check(key, &tup, 777, c ^ 1u, now, &mss, &w), 0);
	cr_assert_eq(tcp_cookie_check(key, &tup, 777, c, now + TCP_COOKIE_PERIOD_US, &mss, &w), 0,
		     "one period later still fine");
	cr_assert_neq(
	    tcp_cookie_check(key, &tup, 777, c, now + 3ull * TCP_COOKIE_PERIOD_US, &mss, &w), 0,
	    "expired");
}

Test(tcp_cookie, isn_keyed_and_clocked)
{
	uint32_t a = tcp_isn(key, &tup, 0);
	uint32_t b = tcp_isn(key, &tup, 4000);
	struct sl_tcp_tuple other = tup;

	cr_assert_eq(b - a, 1000u, "RFC 6528: M ticks once per 4 us");
	other.remote_port ^= 1;
	cr_assert_neq(tcp_isn(key, &other, 0), a, "F depends on the tuple");
	cr_assert_neq(tcp_ts_offset(key, &tup), tcp_ts_offset(key, &other));
}

Test(tcp_cookie, siphash_reference_vector)
{
	/* SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e -> a129ca6149be45e5 */
	uint8_t k[16], msg[15];

	for (int i = 0; i < 16; i++)
		k[i] = (uint8_t)i;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	cr_assert_eq(tcp_siphash(k, msg, sizeof(msg)), 0xa129ca6149be45e5ull);
}

static struct rte_mbuf *payload(uint32_t len, uint8_t fill)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(th_pool());
	uint8_t *p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);

	memset(p, fill, len);
	return m;
}

static void reass_setup(void)
{
	cr_assert_eq(tcp_meta_register(), 0);
}

Test(tcp_reass, ordered_pop_and_first_bytes_win)
{
	struct tcp_reass q = {0};
	bool dropped;
	struct rte_mbuf *m;

	reass_setup();
	cr_assert_eq(tcp_reass_insert(&q, payload(100, 'B'), 1100, th_pool(), false, &dropped),
		     100u);
	cr_assert_eq(tcp_reass_insert(&q, payload(100, 'D'), 1300, th_pool(), false, &dropped),
		     100u);
	/* overlaps both: only the gap [1200,1300) and the tail [1400,1450) are new */
	cr_assert_eq(tcp_reass_insert(&q, payload(350, 'x'), 1100, th_pool(), false, &dropped),
		     150u);
	cr_assert_eq(q.bytes, 350u);
	cr_assert_null(tcp_reass_pop(&q, 1000), "hole at 1000");
	cr_assert_eq(tcp_reass_insert(&q, payload(100, 'A'), 1000, th_pool(), false, &dropped),
		     100u);
	{
		const char expect[] = "ABxDx";
		const uint32_t lens[] = {100, 100, 100, 100, 50};
		uint32_t seq = 1000;

		for (int i = 0; i < 5; i++) {
			m = tcp_reass_pop(&q, seq);
			cr_assert_not_null(m, "piece %d", i);
			cr_assert_eq(m->pkt_len, lens[i]);
			cr_assert_eq(*rte_pktmbuf_mtod(m, char *), expect[i], "piece %d", i);
			seq += m->pkt_len;
			rte_pktmbuf_free(m);
		}
	}
	cr_assert_eq(q.count, 0);
	cr_assert_eq(q.bytes, 0u);
}

Test(tcp_reass, duplicate_dropped_and_bounded)
{
	struct tcp_reass q = {0};
	bool dropped;

	reass_setup();
	cr_assert_eq(tcp_reass_insert(&q, payload(10, 'a'), 0, th_pool(), false, &dropped), 10u);
	cr_assert_eq(tcp_reass_insert(&q, payload(10, 'b'), 0, th_pool(), false, &dropped), 0u);
	cr_assert_eq(tcp_reass_insert(&q, payload(5, 'b'), 3, th_pool(), false, &dropped), 0u);
	rte_pktmbuf_free(tcp_reass_pop(&q, 0));
	for (uint32_t i = 0; i < TCP_OOO_MAX_SEGS; i++)
		tcp_reass_insert(&q, payload(1, 'c'), 100 + 2 * i, th_pool(), false, &dropped);
	cr_assert_eq(q.count, TCP_OOO_MAX_SEGS);
	tcp_reass_insert(&q, payload(1, 'd'), 100000, th_pool(), false, &dropped);
	cr_assert(dropped, "full queue drops");
	cr_assert_eq(q.count, TCP_OOO_MAX_SEGS);
	tcp_reass_insert(&q, payload(1, 'd'), 50, th_pool(), false, &dropped);
	cr_assert(dropped, "full queue drops out-of-order data at the front too");
	tcp_reass_insert(&q, payload(1, 'e'), 50, th_pool(), true, &dropped);
	cr_assert(!dropped, "the in-order front segment is always taken");
	cr_assert_eq(q.count, TCP_OOO_MAX_SEGS + 1);
	tcp_reass_free(&q);
	cr_assert_eq(q.count, 0);
}

Test(tcp_reass, trim_helpers_on_chains)
{
	struct rte_mbuf *a = payload(100, 1), *b = payload(100, 2);

	reass_setup();
	cr_assert_eq(rte_pktmbuf_chain(a, b), 0);
	tcp_mbuf_trim_front(a, 150);
	cr_assert_eq(a->pkt_len, 50u);
	cr_assert_eq(a->data_len, 0);
	cr_assert_eq(b->data_len, 50);
	tcp_mbuf_trim_back(a, 20);
	cr_assert_eq(a->pkt_len, 30u);
	cr_assert_eq(b->data_len, 30);
	rte_pktmbuf_free(a);
}

Test(tcp_reass, checksum_matches_dpdk)
{
	struct rte_mbuf *m;
	uint8_t *p;

	th_eal();
	m = payload(41, 0);
	p = rte_pktmbuf_mtod(m, uint8_t *);
	for (int i = 0; i < 41; i++)
		p[i] = (uint8_t)(i * 13);
	p[16] = p[17] = 0;
	{
		uint16_t ck = tcp_cksum(m, 41, TH_LOCAL_IP, TH_REMOTE_IP);

		memcpy(p + 16, &ck, 2);
		cr_assert_eq(tcp_cksum(m, 41, TH_LOCAL_IP, TH_REMOTE_IP), 0, "verifies to zero");
		p[3] ^= 1;
		cr_assert_neq(tcp_cksum(m, 41, TH_LOCAL_IP, TH_REMOTE_IP), 0);
	}
	rte_pktmbuf_free(m);
}

/*
 * A chain whose pieces start at odd offsets (zero-copy echo of odd-sized
 * received segments) must sum like the same bytes in one buffer. DPDK
 * 22.11's rte_raw_cksum_mbuf gets this wrong (it drops the carries of an
 * odd-offset piece), which is why tcp_cksum has its own chain walk.
 */
Test(tcp_reass, checksum_chain_odd_offsets)
{
	static const uint16_t lens[] = {21, 375, 4, 1, 999, 47}; /* 1447 bytes */
	struct rte_mbuf *flat, *head = NULL, *tail = NULL;
	uint32_t total = 0, off = 0;
	uint8_t *fp;

	th_eal();
	for (unsigned int i = 0; i < RTE_DIM(lens); i++)
		total += lens[i];
	flat = payload(total, 0);
	fp = rte_pktmbuf_mtod(flat, uint8_t *);
	for (uint32_t i = 0; i < total; i++)
		fp[i] = (uint8_t)(0xF0 + i * 31); /* high bytes: many carries per piece */
	for (unsigned int i = 0; i < RTE_DIM(lens); i++) {
		struct rte_mbuf *m = payload(lens[i], 0);

		memcpy(rte_pktmbuf_mtod(m, uint8_t *), fp + off, lens[i]);
		off += lens[i];
		if (head == NULL) {
			head = tail = m;
		} else {
			tail->next = m;
			tail = m;
			head->nb_segs++;
			head->pkt_len += m->pkt_len;
		}
	}
	cr_assert_eq(head->pkt_len, total);
	cr_assert_eq(tcp_cksum(head, total, TH_LOCAL_IP, TH_REMOTE_IP),
		     tcp_cksum(flat, total, TH_LOCAL_IP, TH_REMOTE_IP));
	rte_pktmbuf_free(head);
	rte_pktmbuf_free(flat);
}
