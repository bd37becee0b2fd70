/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output of the host stack. While a vector or a poll runs, frames go
 * straight into the stage's output array; TCP can produce more than that
 * array holds (an ACK that opens a window releases a burst of data), and
 * timers produce output between vectors, so the rest waits in a bounded
 * per-worker FIFO that the next poll drains first. Once anything waits
 * there, new frames queue behind it: segments of one connection must not
 * overtake each other.
 */
#include "net_priv.h"
#include "sluice/sl_stage.h"

void net_emit(struct sl_netif *nif, struct rte_mbuf *m)
{
	if (likely(nif->fifo_head == nif->fifo_tail && nif->out != NULL &&
		   nif->out_n < nif->out_cap)) {
		nif->out[nif->out_n] = m;
		nif->out_nexts[nif->out_n++] = SL_EDGE_NEXT;
		nif->counters[NET_TX_OUT]++;
		return;
	}
	if (unlikely(nif->fifo_tail - nif->fifo_head > nif->fifo_mask)) {
		nif->counters[NET_OUT_FIFO_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	nif->fifo[nif->fifo_tail++ & nif->fifo_mask] = m;
}

void net_fifo_flush(struct sl_netif *nif)
{
	while (nif->fifo_head != nif->fifo_tail && nif->out_n < nif->out_cap) {
		nif->out[nif->out_n] = nif->fifo[nif->fifo_head++ & nif->fifo_mask];
		nif->out_nexts[nif->out_n++] = SL_EDGE_NEXT;
		nif->counters[NET_TX_OUT]++;
	}
}

bool net_tb_take(struct net_token_bucket *tb, uint64_t now_us)
{
	uint64_t add = (now_us - tb->last_us) * tb->rate / 1000000;

	if (add > 0) {
		tb->tokens = (uint32_t)RTE_MIN((uint64_t)tb->rate, tb->tokens + add);
		tb->last_us = now_us;
	}
	if (tb->tokens == 0)
		return false;
	tb->tokens--;
	return true;
}
