/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of sluice-gen shared by args.c, pkt_build.c and gen.c. */
#ifndef SLUICE_GEN_PRIV_H
#define SLUICE_GEN_PRIV_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "sluice/sl_gen.h"

/* Frame sizes count the 4-byte FCS the wire adds (RFC 2544 convention): a
 * 64-byte frame is 60 bytes in the mbuf. */
#define SL_GEN_FCS 4
#define SL_GEN_MIN_SIZE 64
#define SL_GEN_MAX_SIZE 1518
#define SL_GEN_HDR_LEN                                                                             \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

/*
 * Payload right after the UDP header. Packed to 18 bytes so that it fits in
 * a 64-byte frame (60 - 42 = 18): the seq is 32 bits (the receiver's window
 * is far smaller than 2^32 anyway) and the flow id 16 bits.
 */
struct sl_gen_payload {
	uint32_t magic;
	uint32_t seq;
	uint16_t flow;
	uint64_t tsc;
} __attribute__((packed));

#define SL_GEN_MAGIC 0x736c6765U /* "slge" */

_Static_assert(SL_GEN_HDR_LEN + sizeof(struct sl_gen_payload) <= SL_GEN_MIN_SIZE - SL_GEN_FCS,
	       "the payload must fit in a minimum-size frame");

/* What a flow's packets look like (headers prebuilt once, copied per packet)
 * and what must come back. */
struct sl_gen_flow {
	uint8_t hdr[SL_GEN_HDR_LEN];
	uint8_t tx_idx; /* index into opts.ports */
	uint8_t tx_queue;
	uint8_t expect_drop; /* the DUT should drop it (TTL, no route) */
	uint8_t rx_idx;	     /* where it must come back */
	uint8_t check_src;   /* exp_src is known */
	uint8_t ttl_back;    /* TTL it must come back with (when ttl_dec >= 0) */
	struct rte_ether_addr exp_dst;
	struct rte_ether_addr exp_src;
};

/* Verification counters, X-macro so the summary and JSON list them once. */
#define SL_GEN_VERIFY(X)                                                                           \
	X(V_WRONG_PORT, "wrong_port")                                                              \
	X(V_DST_MAC, "dst_mac")                                                                    \
	X(V_SRC_MAC, "src_mac")                                                                    \
	X(V_TTL, "ttl")                                                                            \
	X(V_CKSUM, "ip_cksum")                                                                     \
	X(V_UNEXPECTED, "should_have_been_dropped")

#define SL_GEN_ENUM(id, name) id,
enum { SL_GEN_VERIFY(SL_GEN_ENUM) SL_GEN_NB_VERIFY };

/* Fill flows[0..o->flows-1]; port_macs[i] is the MAC of opts.ports[i]. */
int sl_gen_flows_build(const struct sl_gen_opts *o, const struct rte_ether_addr *port_macs,
		       struct sl_gen_flow *flows);

/* Write one packet of `flow` into an mbuf from the pool. */
static inline void sl_gen_pkt_fill(struct rte_mbuf *m, const struct sl_gen_flow *fl,
				   uint16_t data_len, uint32_t seq, uint16_t flow, uint64_t tsc)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	struct sl_gen_payload pl = {.magic = SL_GEN_MAGIC, .seq = seq, .flow = flow, .tsc = tsc};

	memcpy(p, fl->hdr, SL_GEN_HDR_LEN);
	memcpy(p + SL_GEN_HDR_LEN, &pl, sizeof(pl));
	m->data_len = data_len;
	m->pkt_len = data_len;
}

#endif /* SLUICE_GEN_PRIV_H */
