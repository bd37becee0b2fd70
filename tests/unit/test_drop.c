/* SPDX-License-Identifier: BSD-3-Clause */
#include <criterion/criterion.h>

#include "eal_fixture.h"

TestSuite(drop, .init = sl_test_eal_setup, .fini = sl_test_eal_teardown);

Test(drop, drops_everything)
{
	struct rte_mbuf *pkts[37];
	uint16_t nexts[37];
	struct sl_test_stage st;
	struct sl_test_pkt spec = {0};

	cr_assert_eq(sl_test_stage_open(&st, "drop", "", 0), 0);
	for (unsigned int i = 0; i < RTE_DIM(pkts); i++)
		pkts[i] = sl_test_udp4(&spec);
	sl_test_process(&st, pkts, RTE_DIM(pkts), nexts);
	for (unsigned int i = 0; i < RTE_DIM(pkts); i++)
		cr_assert_eq(nexts[i], SL_EDGE_DROP);
	cr_assert_eq(sl_test_counter(&st, "dropped"), RTE_DIM(pkts));
	/* sl_test_process freed them as the framework would: the pool is whole again. */
	cr_assert_eq(rte_mempool_in_use_count(sl_test_pool()), 0);
	sl_test_stage_close(&st);
}
