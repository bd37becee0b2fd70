/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "eal_fixture.h"
#include "sluice/sl_count.h"

TestSuite(count, .init = sl_test_eal_setup, .fini = sl_test_eal_teardown);

/* Flow f of a test: distinct source address and port per f. */
static struct rte_mbuf *flow_pkt(unsigned int f, uint16_t payload)
{
	struct sl_test_pkt spec = {
	    .src_ip = SL_IP4(10, 0, (f >> 8) & 0xff, f & 0xff),
	    .dst_ip = SL_IP4(10, 9, 9, 9),
	    .src_port = (uint16_t)(1000 + f),
	    .dst_port = 7,
	    .payload_len = payload,
	};

	return sl_test_udp4(&spec);
}

static uint32_t flow_hash(unsigned int f)
{
	return sl_count_flow_hash(rte_cpu_to_be_32(SL_IP4(10, 0, (f >> 8) & 0xff, f & 0xff)),
				  rte_cpu_to_be_32(SL_IP4(10, 9, 9, 9)),
				  rte_cpu_to_be_16((uint16_t)(1000 + f)), rte_cpu_to_be_16(7),
				  IPPROTO_UDP);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Feed `rounds` vectors of `n` packets cycling through flows [first, first + nb). */
static uint64_t feed(struct sl_test_stage *st, unsigned int first, unsigned int nb,
		     unsigned int rounds, uint16_t n)
{
	struct rte_mbuf *pkts[SL_STAGE_VEC_MAX];
	uint16_t nexts[SL_STAGE_VEC_MAX];
	uint64_t bytes = 0;
	unsigned int k = 0;

	for (unsigned int r = 0; r < rounds; r++) {
		for (uint16_t i = 0; i < n; i++, k++) {
			pkts[i] = flow_pkt(first + k % nb, (uint16_t)(18 + k % 7));
			bytes += rte_pktmbuf_pkt_len(pkts[i]);
		}
		sl_test_process(st, pkts, n, nexts);
		for (uint16_t i = 0; i < n; i++)
			cr_assert_eq(nexts[i], SL_EDGE_NEXT);
		sl_test_free(pkts, n);
	}
	return bytes;
}

Test(count, packets_and_bytes)
{
	struct sl_test_stage st;
	uint32_t h;
	uint64_t bytes;

	cr_assert_eq(sl_test_stage_open(&st, "count", "", 0), 0, "%s", st.err.msg);
	bytes = feed(&st, 0, 5, 3, 77);
	cr_assert_eq(sl_test_counter(&st, "packets"), 3 * 77);
	cr_assert_eq(sl_test_counter(&st, "bytes"), bytes);
	cr_assert_eq(sl_test_counter(&st, "flows"), 0, "flow tracking is off by default");
	cr_assert_eq(sl_count_flows(&st.ctx, &h, 1), 0);
	sl_test_stage_close(&st);
}

Test(count, distinct_flows_and_their_hashes)
{
	enum { NB = 100 };
	uint32_t got[NB + 1], want[NB];
	struct sl_test_stage st;

	cr_assert_eq(sl_test_stage_open(&st, "count", "flows=1000", 0), 0, "%s", st.err.msg);
	/* 256-packet vectors (4 bulk-lookup chunks) each seeing every flow 2-3 times. */
	feed(&st, 0, NB, 5, SL_STAGE_VEC_MAX);
	cr_assert_eq(sl_test_counter(&st, "flows"), NB);
	cr_assert_eq(sl_test_counter(&st, "flows_overflow"), 0);
	cr_assert_eq(sl_count_flows(&st.ctx, got, RTE_DIM(got)), NB);
	for (unsigned int f = 0; f < NB; f++)
		want[f] = flow_hash(f);
	qsort(got, NB, sizeof(got[0]), cmp_u32);
	qsort(want, NB, sizeof(want[0]), cmp_u32);
	cr_assert_eq(memcmp(got, want, sizeof(want)), 0,
		     "flow hashes differ from sl_count_flow_hash");
	/* Fewer slots than flows: the total is still reported. */
	cr_assert_eq(sl_count_flows(&st.ctx, got, 3), NB);
	sl_test_stage_close(&st);
}

Test(count, overflow_beyond_n)
{
	struct sl_test_stage st;

	cr_assert_eq(sl_test_stage_open(&st, "count", "flows=8", 0), 0, "%s", st.err.msg);
	/* 20 flows, 2 packets each, in one vector: 8 fit, 12 * 2 packets overflow. */
	feed(&st, 0, 20, 1, 40);
	cr_assert_eq(sl_test_counter(&st, "flows"), 8);
	cr_assert_eq(sl_test_counter(&st, "flows_overflow"), 24);
	cr_assert_eq(sl_test_counter(&st, "packets"), 40);
	sl_test_stage_close(&st);
}

Test(count, non_ipv4_is_counted_but_not_a_flow)
{
	static const uint8_t arp[60] = {[12] = 0x08, [13] = 0x06};
	struct rte_mbuf *pkts[2];
	uint16_t nexts[2];
	struct sl_test_stage st;

	cr_assert_eq(sl_test_stage_open(&st, "count", "flows=16", 0), 0, "%s", st.err.msg);
	pkts[0] = sl_test_raw(arp, sizeof(arp), 0);
	pkts[1] = sl_test_raw(arp, 20, 0);
	sl_test_process(&st, pkts, 2, nexts);
	cr_assert_eq(sl_test_counter(&st, "packets"), 2);
	cr_assert_eq(sl_test_counter(&st, "bytes"), 80);
	cr_assert_eq(sl_test_counter(&st, "flows"), 0);
	sl_test_free(pkts, 2);
	sl_test_stage_close(&st);
}

/* Two workers, disjoint traffic: each lists only its own flows. */
Test(count, per_worker_tables)
{
	struct sl_test_stage w0, w1;
	uint32_t h0[64], h1[64];
	int n0, n1;

	cr_assert_eq(sl_test_stage_open(&w0, "count", "flows=64", 0), 0, "%s", w0.err.msg);
	cr_assert_eq(sl_test_stage_open(&w1, "count", "flows=64", 1), 0, "%s", w1.err.msg);
	feed(&w0, 0, 10, 2, 32);
	feed(&w1, 10, 7, 2, 32);
	n0 = sl_count_flows(&w0.ctx, h0, RTE_DIM(h0));
	n1 = sl_count_flows(&w1.ctx, h1, RTE_DIM(h1));
	cr_assert_eq(n0, 10);
	cr_assert_eq(n1, 7);
	for (int i = 0; i < n0; i++)
		for (int j = 0; j < n1; j++)
			cr_assert_neq(h0[i], h1[j], "a flow shows up on both workers");
	sl_test_stage_close(&w0);
	sl_test_stage_close(&w1);
}

Test(count, rejects_bad_flows_and_foreign_ctx)
{
	struct sl_test_stage st;
	uint32_t h;

	cr_assert_lt(sl_test_stage_open(&st, "count", "flows=abc", 0), 0);
	cr_assert_not_null(strstr(st.err.msg, "flows: 'abc' is not a whole number"), "%s",
			   st.err.msg);
	sl_test_stage_close(&st);
	cr_assert_lt(sl_test_stage_open(&st, "count", "flows=-1", 0), 0);
	sl_test_stage_close(&st);

	cr_assert_eq(sl_test_stage_open(&st, "macswap", "", 0), 0);
	cr_assert_eq(sl_count_flows(&st.ctx, &h, 1), -EINVAL);
	sl_test_stage_close(&st);
}
