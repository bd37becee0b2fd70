/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * macswap: swap destination and source MAC so a frame goes back where it
 * came from. It leaves mbuf->port alone, so transmit bounces it out of the
 * receiving port. This is the baseline benchmarked against testpmd's
 * macswap forwarding mode, so the loop is kept to the bare minimum.
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
 * but not the frame data; 8 ahead covers a DRAM miss at a few cycles per
 * packet of work.
 */
#define MACSWAP_PREFETCH 8

static inline uint16_t macswap_one(struct rte_mbuf *m, uint16_t *next)
{
	*next = SL_EDGE_NEXT;
	/* Any real frame has >= 16 bytes: one SIMD shuffle (measured ~2x the word swap). */
	if (likely(rte_pktmbuf_data_len(m) >= 16)) {
		sl_ether_swap_macs16(rte_pktmbuf_mtod(m, void *));
		return 0;
	}
	if (rte_pktmbuf_data_len(m) >= RTE_ETHER_HDR_LEN) {
		sl_ether_swap_macs(rte_pktmbuf_mtod(m, void *));
		return 0;
	}
	*next = SL_EDGE_DROP;
	return 1;
}

static void macswap_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			    uint16_t *nexts)
{
	uint16_t i, runts = 0;

	for (i = 0; i < n && i < MACSWAP_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));

	for (i = 0; i + 4 <= n; i += 4) {
		if (likely(i + MACSWAP_PREFETCH + 4 <= n)) {
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH], void *));
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH + 1], void *));
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH + 2], void *));
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + MACSWAP_PREFETCH + 3], void *));
		} else {
			for (uint16_t k = i + MACSWAP_PREFETCH;
			     k < n && k < i + MACSWAP_PREFETCH + 4; k++)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[k], void *));
		}
		runts += macswap_one(pkts[i], &nexts[i]);
		runts += macswap_one(pkts[i + 1], &nexts[i + 1]);
		runts += macswap_one(pkts[i + 2], &nexts[i + 2]);
		runts += macswap_one(pkts[i + 3], &nexts[i + 3]);
	}
	for (; i < n; i++)
		runts += macswap_one(pkts[i], &nexts[i]);

	ctx->counters[MACSWAP_SWAPPED] += n - runts;
	ctx->counters[MACSWAP_RUNT] += runts;
}

static const struct sl_stage_ops macswap_ops = {
    .name = "macswap",
    .help = "swap destination and source MAC, send back out of the input port; no args",
    .process = macswap_process,
    .counters = macswap_counters,
};

SL_STAGE_REGISTER(macswap_ops);
