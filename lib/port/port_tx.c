/* SPDX-License-Identifier: BSD-3-Clause */
/* One-segment frames for PMDs that cannot send a chain.
 *
 * The TCP stack sends a segment as a header mbuf chained to indirect mbufs
 * over the queued payload (zero copy). DPDK 22.11's net_af_xdp does not
 * offer RTE_ETH_TX_OFFLOAD_MULTI_SEGS and copies pkt_len bytes from the
 * first segment alone, so a chain leaves as a frame of garbage with a bad
 * checksum. A profile with tx_linearize = on gets this ethdev tx callback:
 * chains are copied into their first segment (or a fresh mbuf when it has
 * no room or is shared) just before the PMD's burst. Frames of one segment
 * pass untouched; the PMD copies every frame into its umem anyway. */
#include <stdbool.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "core/log_priv.h"
#include "port/port_priv.h"

static void copy_segs(uint8_t *dst, const struct rte_mbuf *seg)
{
	for (; seg != NULL; seg = seg->next) {
		rte_memcpy(dst, rte_pktmbuf_mtod(seg, const void *), seg->data_len);
		dst += seg->data_len;
	}
}

/* 0, or -1 when no mbuf could hold the frame (the chain is left as it is). */
static int linearize(struct rte_mbuf **pm, struct rte_mempool *pool)
{
	struct rte_mbuf *m = *pm, *n;
	uint32_t rest = m->pkt_len - m->data_len;

	if (RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 && rte_pktmbuf_tailroom(m) >= rest) {
		copy_segs(rte_pktmbuf_mtod_offset(m, uint8_t *, m->data_len), m->next);
		rte_pktmbuf_free(m->next);
		m->next = NULL;
		m->nb_segs = 1;
		m->data_len = (uint16_t)m->pkt_len;
		return 0;
	}
	n = rte_pktmbuf_alloc(pool);
	if (n == NULL || rte_pktmbuf_tailroom(n) < m->pkt_len) {
		rte_pktmbuf_free(n);
		return -1;
	}
	copy_segs(rte_pktmbuf_mtod(n, uint8_t *), m);
	n->data_len = (uint16_t)m->pkt_len;
	n->pkt_len = m->pkt_len;
	n->port = m->port;
	n->ol_flags = m->ol_flags;
	n->tx_offload = m->tx_offload;
	n->packet_type = m->packet_type;
	rte_pktmbuf_free(m);
	*pm = n;
	return 0;
}

static uint16_t tx_linearize_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
				uint16_t nb, void *arg)
{
	RTE_SET_USED(queue);
	for (uint16_t i = 0; i < nb; i++)
		/* Dropping here would leave the caller a stale pointer (it
		 * frees what the burst did not send), so a frame that cannot
		 * be made whole still goes, and is counted as a tx error. */
		if (unlikely(pkts[i]->nb_segs > 1) && linearize(&pkts[i], arg) < 0)
			sl_port_tx_linearize_failed(port_id);
	return nb;
}

int sl_port_tx_linearize(uint16_t port_id, uint16_t queue, struct rte_mempool *pool)
{
	return rte_eth_add_tx_callback(port_id, queue, tx_linearize_cb, pool) != NULL ? 0 : -1;
}
