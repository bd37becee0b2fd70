/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <criterion/criterion.h>

#include "eal_fixture.h"

TestSuite(macswap, .init = sl_test_eal_setup, .fini = sl_test_eal_teardown);

static const struct rte_ether_addr mac_a = {{0x02, 0x00, 0x00, 0x00, 0x00, 0xaa}};
static const struct rte_ether_addr mac_b = {{0x02, 0x11, 0x22, 0x33, 0x44, 0xbb}};

/* Lengths that exercise the loop of four and every tail length. */
static void check_vector(uint16_t n)
{
	struct rte_mbuf *pkts[SL_STAGE_VEC_MAX], *orig[SL_STAGE_VEC_MAX];
	uint16_t nexts[SL_STAGE_VEC_MAX];
	uint8_t before[SL_STAGE_VEC_MAX][64];
	struct sl_test_stage st;

	cr_assert_eq(sl_test_stage_open(&st, "macswap", "", 0), 0, "%s", st.err.msg);
	for (uint16_t i = 0; i < n; i++) {
		struct sl_test_pkt spec = {.src_mac = mac_a, .dst_mac = mac_b, .in_port = 3};

		spec.src_mac.addr_bytes[4] = (uint8_t)i; /* a different frame each */
		pkts[i] = orig[i] = sl_test_udp4(&spec);
		memcpy(before[i], rte_pktmbuf_mtod(pkts[i], void *), sizeof(before[i]));
	}
	sl_test_process(&st, pkts, n, nexts);
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *after = rte_pktmbuf_mtod(orig[i], const uint8_t *);

		cr_assert_eq(nexts[i], SL_EDGE_NEXT);
		cr_assert_eq(memcmp(after, before[i] + 6, 6), 0, "pkt %u: dst is not the old src",
			     i);
		cr_assert_eq(memcmp(after + 6, before[i], 6), 0, "pkt %u: src is not the old dst",
			     i);
		cr_assert_eq(memcmp(after + 12, before[i] + 12, sizeof(before[i]) - 12), 0,
			     "pkt %u: bytes after the MACs changed", i);
		cr_assert_eq(orig[i]->port, 3, "macswap must not touch mbuf->port");
	}
	cr_assert_eq(sl_test_counter(&st, "swapped"), n);
	cr_assert_eq(sl_test_counter(&st, "runt"), 0);
	sl_test_free(pkts, n);
	sl_test_stage_close(&st);
}

Test(macswap, swaps_every_length)
{
	for (uint16_t n = 1; n <= 13; n++)
		check_vector(n);
	check_vector(SL_STAGE_VEC_MAX);
}

Test(macswap, twice_is_identity)
{
	struct sl_test_pkt spec = {.src_mac = mac_a, .dst_mac = mac_b};
	struct rte_mbuf *m = sl_test_udp4(&spec);
	struct sl_test_stage st;
	uint16_t next;
	uint8_t before[42];

	cr_assert_eq(sl_test_stage_open(&st, "macswap", "", 0), 0);
	memcpy(before, rte_pktmbuf_mtod(m, void *), sizeof(before));
	sl_test_process(&st, &m, 1, &next);
	cr_assert_neq(memcmp(before, rte_pktmbuf_mtod(m, void *), sizeof(before)), 0);
	sl_test_process(&st, &m, 1, &next);
	cr_assert_eq(memcmp(before, rte_pktmbuf_mtod(m, void *), sizeof(before)), 0);
	cr_assert_eq(sl_test_counter(&st, "swapped"), 2);
	rte_pktmbuf_free(m);
	sl_test_stage_close(&st);
}

Test(macswap, drops_runts)
{
	static const uint8_t short_frame[13] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
	struct sl_test_pkt spec = {.src_mac = mac_a, .dst_mac = mac_b};
	struct rte_mbuf *pkts[3];
	uint16_t nexts[3];
	struct sl_test_stage st;

	cr_assert_eq(sl_test_stage_open(&st, "macswap", "", 0), 0);
	pkts[0] = sl_test_udp4(&spec);
	pkts[1] = sl_test_raw(short_frame, sizeof(short_frame), 0);
	pkts[2] = sl_test_raw(short_frame, 0, 0);
	sl_test_process(&st, pkts, 3, nexts);
	cr_assert_eq(nexts[0], SL_EDGE_NEXT);
	cr_assert_eq(nexts[1], SL_EDGE_DROP);
	cr_assert_eq(nexts[2], SL_EDGE_DROP);
	cr_assert_eq(sl_test_counter(&st, "swapped"), 1);
	cr_assert_eq(sl_test_counter(&st, "runt"), 2);
	rte_pktmbuf_free(pkts[0]);
	sl_test_stage_close(&st);
}

/* Runts and 14-15 byte frames inside the four-at-a-time loop: the step
 * holding one falls back to one packet at a time, and the shortest frame
 * that still has a whole Ethernet header is swapped without touching
 * anything past its 14 bytes. */
Test(macswap, short_frames_inside_a_step_of_four)
{
	static const uint8_t runt[13] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
	static const uint8_t hdr14[16] = {1, 2,	 3,  4,	 5,  6,	 7,    8,
					  9, 10, 11, 12, 13, 14, 0xee, 0xff};
	struct sl_test_pkt spec = {.src_mac = mac_a, .dst_mac = mac_b};
	struct rte_mbuf *pkts[12], *orig[12];
	uint16_t nexts[12];
	struct sl_test_stage st;

	cr_assert_eq(sl_test_stage_open(&st, "macswap", "", 0), 0);
	for (unsigned int i = 0; i < 12; i++)
		pkts[i] = sl_test_udp4(&spec);
	rte_pktmbuf_free(pkts[5]);
	pkts[5] = sl_test_raw(runt, sizeof(runt), 0);
	rte_pktmbuf_free(pkts[9]);
	pkts[9] = sl_test_raw(hdr14, sizeof(hdr14), 0);
	rte_pktmbuf_trim(pkts[9], 2); /* 14 bytes of data; 0xee 0xff stay in the buffer */
	memcpy(orig, pkts, sizeof(orig));
	sl_test_process(&st, pkts, 12, nexts);
	for (unsigned int i = 0; i < 12; i++) {
		const uint8_t *d;

		if (i == 5) {
			cr_assert_eq(nexts[i], SL_EDGE_DROP); /* freed by sl_test_process */
			continue;
		}
		d = rte_pktmbuf_mtod(orig[i], const uint8_t *);
		cr_assert_eq(nexts[i], SL_EDGE_NEXT, "pkt %u", i);
		if (i == 9) {
			static const uint8_t want[16] = {7, 8, 9, 10, 11, 12, 1,    2,
							 3, 4, 5, 6,  13, 14, 0xee, 0xff};

			cr_assert_eq(memcmp(d, want, sizeof(want)), 0,
				     "14-byte frame swapped wrong");
			continue;
		}
		cr_assert_eq(memcmp(d, mac_a.addr_bytes, 6), 0, "pkt %u: dst is not the old src",
			     i);
		cr_assert_eq(memcmp(d + 6, mac_b.addr_bytes, 6), 0,
			     "pkt %u: src is not the old dst", i);
	}
	cr_assert_eq(sl_test_counter(&st, "swapped"), 11);
	cr_assert_eq(sl_test_counter(&st, "runt"), 1);
	for (unsigned int i = 0; i < 12; i++)
		if (nexts[i] == SL_EDGE_NEXT)
			rte_pktmbuf_free(orig[i]);
	sl_test_stage_close(&st);
}
