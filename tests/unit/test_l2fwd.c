/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_ethdev.h>

#include "eal_fixture.h"

static uint16_t ports[3];
static struct rte_ether_addr macs[3];

static void setup(void)
{
	static const char *const vdevs[] = {"net_null0", "net_null1", "net_null2"};
	static const char *const names[] = {"p0", "p1", "p2"};

	sl_test_eal_setup();
	for (unsigned int i = 0; i < RTE_DIM(ports); i++) {
		ports[i] = sl_test_null_port(vdevs[i], names[i]);
		cr_assert_eq(rte_eth_macaddr_get(ports[i], &macs[i]), 0);
	}
	/* Distinct MACs, or a swapped source would go unnoticed. */
	cr_assert(!rte_is_same_ether_addr(&macs[0], &macs[1]));
}

TestSuite(l2fwd, .init = setup, .fini = sl_test_eal_teardown);

static const struct rte_ether_addr peer_src = {{0x02, 0xee, 0xee, 0xee, 0xee, 0xee}};

/* Send one frame in on `in`; return its output port, or -1 if dropped. */
static int forward(struct sl_test_stage *st, uint16_t in, struct rte_ether_hdr *eth_out)
{
	struct sl_test_pkt spec = {.src_mac = peer_src, .dst_mac = macs[0], .in_port = in};
	struct rte_mbuf *m = sl_test_udp4(&spec), *orig = m;
	uint16_t next;
	int out = -1;

	sl_test_process(st, &m, 1, &next);
	if (next == SL_EDGE_NEXT) {
		*eth_out = *rte_pktmbuf_mtod(orig, struct rte_ether_hdr *);
		cr_assert_eq(eth_out->ether_type, rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4));
		out = orig->port;
		rte_pktmbuf_free(orig);
	}
	return out;
}

static void assert_default_dst(const struct rte_ether_hdr *eth, uint16_t out)
{
	const struct rte_ether_addr want = {{0x02, 0, 0, 0, 0, (uint8_t)out}};

	cr_assert(rte_is_same_ether_addr(&eth->dst_addr, &want),
		  "dst MAC is not 02:00:00:00:00:%02x", out);
}

Test(l2fwd, explicit_pairs_and_dst_mac)
{
	const struct rte_ether_addr custom = {{0x02, 0xaa, 0, 0, 0, 0x01}};
	struct sl_test_stage st;
	struct rte_ether_hdr eth;

	cr_assert_eq(
	    sl_test_stage_open(&st, "l2fwd", "pairs=p0:p2,dst_mac=p2@02:aa:00:00:00:01", 0), 0,
	    "%s", st.err.msg);
	cr_assert_eq(forward(&st, ports[0], &eth), ports[2]);
	cr_assert(rte_is_same_ether_addr(&eth.src_addr, &macs[2]), "src MAC is not p2's");
	cr_assert(rte_is_same_ether_addr(&eth.dst_addr, &custom));

	cr_assert_eq(forward(&st, ports[2], &eth), ports[0]);
	cr_assert(rte_is_same_ether_addr(&eth.src_addr, &macs[0]), "src MAC is not p0's");
	assert_default_dst(&eth, ports[0]);

	cr_assert_eq(forward(&st, ports[1], &eth), -1, "p1 is in no pair");
	cr_assert_eq(forward(&st, 4000, &eth), -1, "an out-of-range input port must not crash");
	cr_assert_eq(sl_test_counter(&st, "forwarded"), 2);
	cr_assert_eq(sl_test_counter(&st, "no_pair"), 2);
	sl_test_stage_close(&st);
}

Test(l2fwd, default_pairs_by_port_id)
{
	struct sl_test_stage st;
	struct rte_ether_hdr eth;

	cr_assert_eq(sl_test_stage_open(&st, "l2fwd", "", 0), 0, "%s", st.err.msg);
	cr_assert_eq(forward(&st, ports[0], &eth), ports[1]);
	cr_assert(rte_is_same_ether_addr(&eth.src_addr, &macs[1]));
	assert_default_dst(&eth, ports[1]);
	cr_assert_eq(forward(&st, ports[1], &eth), ports[0]);
	cr_assert(rte_is_same_ether_addr(&eth.src_addr, &macs[0]));
	/* Three ports: the odd one out has no partner. */
	cr_assert_eq(forward(&st, ports[2], &eth), -1);
	cr_assert_eq(sl_test_counter(&st, "no_pair"), 1);
	sl_test_stage_close(&st);
}

Test(l2fwd, vector_of_mixed_ports)
{
	struct rte_mbuf *pkts[SL_STAGE_VEC_MAX], *orig[SL_STAGE_VEC_MAX];
	uint16_t nexts[SL_STAGE_VEC_MAX], n = SL_STAGE_VEC_MAX - 1;
	struct sl_test_stage st;
	uint64_t fwd = 0;

	cr_assert_eq(sl_test_stage_open(&st, "l2fwd", "pairs=0:1", 0), 0, "%s", st.err.msg);
	for (uint16_t i = 0; i < n; i++) {
		struct sl_test_pkt spec = {.src_mac = peer_src, .in_port = ports[i % 3]};

		pkts[i] = orig[i] = sl_test_udp4(&spec);
	}
	sl_test_process(&st, pkts, n, nexts);
	for (uint16_t i = 0; i < n; i++) {
		uint16_t in = ports[i % 3];

		if (in == ports[2]) {
			cr_assert_eq(nexts[i], SL_EDGE_DROP);
			continue;
		}
		fwd++;
		cr_assert_eq(nexts[i], SL_EDGE_NEXT);
		cr_assert_eq(orig[i]->port, in == ports[0] ? ports[1] : ports[0]);
		cr_assert(rte_is_same_ether_addr(
		    &rte_pktmbuf_mtod(orig[i], struct rte_ether_hdr *)->src_addr,
		    &macs[orig[i]->port]));
	}
	cr_assert_eq(sl_test_counter(&st, "forwarded"), fwd);
	cr_assert_eq(sl_test_counter(&st, "no_pair"), n - fwd);
	sl_test_free(pkts, n);
	sl_test_stage_close(&st);
}

Test(l2fwd, drops_runts)
{
	static const uint8_t frame[10];
	struct rte_mbuf *m = sl_test_raw(frame, sizeof(frame), ports[0]);
	struct sl_test_stage st;
	uint16_t next;

	cr_assert_eq(sl_test_stage_open(&st, "l2fwd", "pairs=p0:p1", 0), 0, "%s", st.err.msg);
	sl_test_process(&st, &m, 1, &next);
	cr_assert_eq(next, SL_EDGE_DROP);
	cr_assert_eq(sl_test_counter(&st, "runt"), 1);
	cr_assert_eq(sl_test_counter(&st, "forwarded"), 0);
	sl_test_stage_close(&st);
}

static void expect_bad_args(const char *args, const char *words)
{
	struct sl_test_stage st;

	cr_assert_lt(sl_test_stage_open(&st, "l2fwd", args, 0), 0, "accepted '%s'", args);
	cr_assert_not_null(strstr(st.err.msg, words), "'%s' does not say '%s'", st.err.msg, words);
	sl_test_stage_close(&st);
}

Test(l2fwd, rejects_bad_args)
{
	expect_bad_args("pairs=p0", "not PORT:PORT");
	expect_bad_args("pairs=p0:p9", "unknown port 'p9'");
	expect_bad_args("pairs=p0:p1/p1:p2", "port 'p1' is in two pairs");
	expect_bad_args("pairs=p0:p1,dst_mac=p1-02:00:00:00:00:01", "not PORT@MAC");
	expect_bad_args("pairs=p0:p1,dst_mac=p1@02:00:zz:00:00:01",
			"dst_mac: '02:00:zz:00:00:01' is not a MAC address");
	expect_bad_args("pairs=p0:p1,dst_mac=p7@02:00:00:00:00:01", "unknown port 'p7'");
}
