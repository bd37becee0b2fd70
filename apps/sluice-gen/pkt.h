/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's packets: the frame layout, per-flow templates (flows.c) and the
 * inline writer the send loop uses. */
#ifndef SLUICE_GEN_PKT_H
#define SLUICE_GEN_PKT_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "gen.h"

/* Frame sizes count the 4-byte FCS the wire adds (RFC 2544 convention): a
 * 64-byte frame is 60 bytes in the mbuf. */
#define GEN_FCS 4
#define GEN_MIN_SIZE 64
#define GEN_MAX_SIZE 1518
#define GEN_HDR_LEN                                                                                \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

/*
 * Payload right after the UDP header. Packed to 18 bytes so that it fits in
 * a 64-byte frame (60 - 42 = 18): the seq is 32 bits (the receiver's window
 * is far smaller than 2^32 anyway) and the flow id 16 bits.
 */
struct gen_payload {
	uint32_t magic;
	uint32_t seq;
	uint16_t flow;
	uint64_t tsc;
} __attribute__((packed));

#define GEN_MAGIC 0x736c6765U /* "slge" */

_Static_assert(GEN_HDR_LEN + sizeof(struct gen_payload) <= GEN_MIN_SIZE - GEN_FCS,
	       "the payload must fit in a minimum-size frame");

/* What a flow's packets look like (headers prebuilt once, copied per packet)
 * and what must come back. */
struct gen_flow {
	uint8_t hdr[GEN_HDR_LEN];
	/* Partial one's complement sums of the template without its length
	 * fields (and checksums), so a packet of any size gets valid checksums
	 * by adding its lengths and payload (RFC 1624 arithmetic). */
	uint32_t ip_sum_nolen;
	uint32_t udp_sum_nolen; /* pseudo header addresses + proto + ports */
	uint8_t tx_idx;		/* index into opts.ports */
	uint8_t tx_queue;
	uint8_t expect_drop; /* the DUT should drop it (TTL, no route) */
	uint8_t rx_idx;	     /* where it must come back */
	uint8_t check_src;   /* exp_src is known */
	uint8_t ttl_back;    /* TTL it must come back with (when ttl_dec >= 0) */
	struct rte_ether_addr exp_dst;
	struct rte_ether_addr exp_src;
};

/* Fill flows[0..o->flows-1] (flows.c); port_macs[i] is the MAC of
 * opts.ports[i]. 0, or -1 with err filled. */
int gen_flows_build(const struct gen_opts *o, const struct rte_ether_addr *port_macs,
		    struct gen_flow *flows, struct sl_error *err);

/* Fold a 32-bit one's complement sum to 16 bits. */
static inline uint16_t gen_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Write one packet of flow `fl` into `p`: frame_len bytes without the FCS,
 * lengths and IPv4 checksum for that size, the payload, and with udp_cksum
 * the UDP checksum (else 0, allowed in IPv4). The bytes past the payload
 * must already be zero (the tx pool's data rooms are zeroed once and only
 * ever hold our own packets), which the UDP checksum relies on.
 */
static inline void gen_pkt_write(uint8_t *p, const struct gen_flow *fl, uint16_t frame_len,
				 const struct gen_payload *pl, bool fixed_len, bool udp_cksum)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memcpy(p, fl->hdr, GEN_HDR_LEN);
	memcpy(p + GEN_HDR_LEN, pl, sizeof(*pl));
	if (!fixed_len) {
		uint16_t l3 =
		    rte_cpu_to_be_16((uint16_t)(frame_len - sizeof(struct rte_ether_hdr)));
		uint16_t l4 = rte_cpu_to_be_16(
		    (uint16_t)(frame_len - sizeof(struct rte_ether_hdr) - sizeof(*ip)));

		ip->total_length = l3;
		ip->hdr_checksum = (uint16_t)~gen_fold(fl->ip_sum_nolen + l3);
		udp->dgram_len = l4;
	}
	if (udp_cksum) {
		/* The UDP length counts twice: pseudo header and UDP header. */
		uint32_t sum =
		    fl->udp_sum_nolen + 2u * udp->dgram_len + rte_raw_cksum(pl, sizeof(*pl));
		uint16_t c = (uint16_t)~gen_fold(sum);

		udp->dgram_cksum = c == 0 ? 0xffff : c;
	}
}

#endif /* SLUICE_GEN_PKT_H */
