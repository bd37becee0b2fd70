/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * macswap: swap destination and source MAC so a frame goes back where it
 * came from. It leaves mbuf->port alone, so transmit bounces it out of the
 * receiving port. This is the baseline benchmarked against testpmd's
 * macswap forwarding mode, so the loop is kept to the bare minimum: no
 * per-packet edge is written unless a runt shows up.
 */
#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "net/sl_net.h"
#include "sluice/sl_stage.h"

#define MACSWAP_COUNTERS(X) X(MACSWAP_SWAPPED, "swapped") X(MACSWAP_RUNT, "runt")

enum { MACSWAP_COUNTERS(SL_CNT_ENUM) MACSWAP_NB_COUNTERS };
static const char *const macswap_counters[] = {MACSWAP_COUNTERS(SL_CNT_NAME) NULL};

/*
 * Packets ahead to prefetch. The receive path has touched the mbuf headers
 * but not always the frame data (net_null and most vector PMDs do not).
 */
#define MACSWAP_PREFETCH 4

/* Swap one frame's MACs; returns 1 (and leaves it alone) for a runt. */
static inline unsigned int macswap_one(struct rte_mbuf *m)
{
	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN))
		return 1;
	sl_ether_swap_macs(rte_pktmbuf_mtod(m, void *));
	return 0;
}

/*
 * Four frames per step: one data_len test for all four (the shortest of
 * the four, no branch per packet), then each header swapped by one 16-byte
 * load, shuffle and store that writes bytes 12-15 back unchanged. The test
 * asks for 16 bytes of data, so the wide access never leaves the frame; a
 * step holding anything shorter (a runt, or a 14-15 byte frame) goes packet
 * by packet.
 */
static inline unsigned int macswap_four(struct rte_mbuf **m)
{
	uint16_t l01 = RTE_MIN(rte_pktmbuf_data_len(m[0]), rte_pktmbuf_data_len(m[1]));
	uint16_t l23 = RTE_MIN(rte_pktmbuf_data_len(m[2]), rte_pktmbuf_data_len(m[3]));

	if (unlikely(RTE_MIN(l01, l23) < 16))
		return macswap_one(m[0]) + macswap_one(m[1]) + macswap_one(m[2]) +
		       macswap_one(m[3]);
	sl_ether_swap_macs16(rte_pktmbuf_mtod(m[0], void *));
	sl_ether_swap_macs16(rte_pktmbuf_mtod(m[1], void *));
	sl_ether_swap_macs16(rte_pktmbuf_mtod(m[2], void *));
	sl_ether_swap_macs16(rte_pktmbuf_mtod(m[3], void *));
	return 0;
}

static uint16_t macswap_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
				uint16_t *nexts)
{
	unsigned int runts = 0;
	uint16_t i;

	for (i = 0; i < n && i < MACSWAP_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i + 2 * MACSWAP_PREFETCH <= n; i += 4) {
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH], void *));
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH + 1], void *));
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH + 2], void *));
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH + 3], void *));
		runts += macswap_four(pkts + i);
	}
	for (; i + 4 <= n; i += 4)
		runts += macswap_four(pkts + i);
	for (; i < n; i++)
		runts += macswap_one(pkts[i]);

	ctx->counters[MACSWAP_SWAPPED] += n - runts;
	if (likely(runts == 0))
		return SL_EDGE_NEXT;
	/* Rare: send the runts to drop, the rest on. */
	ctx->counters[MACSWAP_RUNT] += runts;
	for (i = 0; i < n; i++)
		nexts[i] =
		    rte_pktmbuf_data_len(pkts[i]) < RTE_ETHER_HDR_LEN ? SL_EDGE_DROP : SL_EDGE_NEXT;
	return SL_NEXTS_PER_PACKET;
}

static const struct sl_stage_ops macswap_ops = {
    .name = "macswap",
    .help = "swap destination and source MAC, send back out of the input port; no args",
    .process = macswap_process,
    .counters = macswap_counters,
    .keeps_port = true,
};

SL_STAGE_REGISTER(macswap_ops);
