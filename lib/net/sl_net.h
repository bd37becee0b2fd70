/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Small header-only helpers shared by stages: Ethernet MAC swap, RFC 1624
 * incremental checksum updates, and IPv4 5-tuple extraction.
 *
 * Everything here is inline and allocation-free so it can run on the data
 * path.
 */
#ifndef SLUICE_SL_NET_H
#define SLUICE_SL_NET_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_config.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#if defined(RTE_ARCH_X86) && defined(__SSSE3__)
#include <tmmintrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes from the Ethernet header start to the end of a minimal IPv4 header. */
#define SL_ETH_IP4_MIN_LEN (sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr))

/**
 * Swap destination and source MAC (bytes 0-5 and 6-11) in place.
 * Two word loads and stores instead of six byte-pair moves: this is the
 * whole per-packet work of macswap, so every instruction shows up.
 */
static inline void sl_ether_swap_macs(void *eth_hdr)
{
	uint8_t *p = (uint8_t *)eth_hdr;
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	uint64_t w0, dst, src;
	uint32_t w1;

	memcpy(&w0, p, sizeof(w0));
	memcpy(&w1, p + 8, sizeof(w1));
	dst = w0 & 0xffffffffffffULL;
	src = (w0 >> 48) | ((uint64_t)w1 << 16);
	w0 = src | (dst << 48);
	w1 = (uint32_t)(dst >> 16);
	memcpy(p, &w0, sizeof(w0));
	memcpy(p + 8, &w1, sizeof(w1));
#else
	uint8_t tmp[RTE_ETHER_ADDR_LEN];

	memcpy(tmp, p, RTE_ETHER_ADDR_LEN);
	memmove(p, p + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	memcpy(p + RTE_ETHER_ADDR_LEN, tmp, RTE_ETHER_ADDR_LEN);
#endif
}

/**
 * Same as sl_ether_swap_macs, but one 16-byte load, shuffle and store: the
 * caller guarantees 16 bytes are readable and writable (bytes 12-15 are
 * written back unchanged, so the frame must be at least 16 bytes long or
 * have tailroom).
 */
static inline void sl_ether_swap_macs16(void *eth_hdr)
{
#if defined(RTE_ARCH_X86) && defined(__SSSE3__)
	const __m128i swap = _mm_setr_epi8(6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 12, 13, 14, 15);
	__m128i v = _mm_loadu_si128((const __m128i *)eth_hdr);

	_mm_storeu_si128((__m128i *)eth_hdr, _mm_shuffle_epi8(v, swap));
#else
	sl_ether_swap_macs(eth_hdr);
#endif
}

/**
 * Write 12 bytes (destination then source MAC) over the start of a frame.
 * `macs` is laid out like the header itself, so it is one 8 + 4 byte copy.
 */
static inline void sl_ether_write_macs(void *eth_hdr, const void *macs)
{
	memcpy(eth_hdr, macs, 2 * RTE_ETHER_ADDR_LEN);
}

/**
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one 16-bit field that
 * changed from `old_word` to `new_word`. Works on values as stored in the
 * packet (network order): one's complement addition commutes with byte
 * swapping, so no conversion is needed. Unlike the older RFC 1141 form it
 * never turns a valid checksum into the -0 (0x0000 vs 0xffff) ambiguity.
 */
static inline uint16_t sl_cksum_adjust16(uint16_t cksum, uint16_t old_word, uint16_t new_word)
{
	uint32_t sum = (uint16_t)~cksum;

	sum += (uint16_t)~old_word;
	sum += new_word;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/** RFC 1624 update for a 32-bit field (an address), as stored in the packet. */
static inline uint16_t sl_cksum_adjust32(uint16_t cksum, uint32_t old_val, uint32_t new_val)
{
	uint32_t sum = (uint16_t)~cksum;

	sum += (uint16_t) ~(old_val >> 16) + (uint16_t) ~(old_val & 0xffff);
	sum += (new_val >> 16) + (new_val & 0xffff);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/**
 * Decrement the TTL of an IPv4 header and patch its checksum. The caller
 * checked TTL > 0 (a TTL of 0 would borrow from the protocol byte).
 */
static inline void sl_ipv4_dec_ttl(struct rte_ipv4_hdr *ip)
{
	/*
	 * The TTL is the high byte of its 16-bit word, so that word drops by
	 * 0x0100 and RFC 1624 eqn. 3 reduces to HC' = HC + 0x0100 in one's
	 * complement (as Linux's ip_decrease_ttl). A sum of exactly 0xffff
	 * becomes 0x0000, the value a full recompute gives.
	 */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	/*
	 * TTL, protocol and checksum are bytes 8-11 of the header: one load,
	 * one store. Loaded little endian, the checksum's bytes are swapped,
	 * and one's complement addition commutes with byte swapping, so the
	 * update is C + 1 with the same end-around rule (C = 0xfffe gives
	 * 0x0000, C = 0xffff carries round to 0x0001): no byte swaps.
	 * The caller checked TTL > 0, so its decrement borrows nothing.
	 */
	uint32_t w, c;

	memcpy(&w, &ip->time_to_live, sizeof(w));
	c = w >> 16;
	w = w - 1 + ((1u + (c >= 0xfffe)) << 16);
	memcpy(&ip->time_to_live, &w, sizeof(w));
#else
	uint32_t sum = (uint32_t)rte_be_to_cpu_16(ip->hdr_checksum) + 0x0100;

	ip->time_to_live--;
	ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)(sum + (sum >= 0xffff)));
#endif
}

/**
 * IPv4 flow key, 16 bytes with explicit padding so it can be hashed and
 * compared as raw bytes. Addresses and ports stay in network order.
 */
struct sl_flow4 {
	uint32_t src_addr;
	uint32_t dst_addr;
	uint16_t src_port;
	uint16_t dst_port;
	uint8_t proto;
	uint8_t pad[3];
};

/**
 * Extract the 5-tuple of an untagged Ethernet/IPv4 frame (first segment
 * only). Ports are 0 for protocols other than TCP/UDP/SCTP and for every
 * fragment, so all fragments of a datagram fall into one flow, as RSS hashes
 * them. Returns 0 on success, -1 when the frame is not a well-formed IPv4
 * header.
 */
static inline int sl_flow4_parse(const struct rte_mbuf *m, struct sl_flow4 *key)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	uint32_t len = rte_pktmbuf_data_len(m);
	uint32_t ihl;

	if (len < SL_ETH_IP4_MIN_LEN || eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    (ip->version_ihl >> 4) != 4)
		return -1;
	ihl = (uint32_t)(ip->version_ihl & 0xf) * 4;
	if (ihl < sizeof(*ip))
		return -1;
	memset(key, 0, sizeof(*key));
	key->src_addr = ip->src_addr;
	key->dst_addr = ip->dst_addr;
	key->proto = ip->next_proto_id;
	if ((key->proto == IPPROTO_TCP || key->proto == IPPROTO_UDP ||
	     key->proto == IPPROTO_SCTP) &&
	    (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) ==
		0 &&
	    len >= sizeof(*eth) + ihl + 4) {
		const uint8_t *l4 = (const uint8_t *)ip + ihl;

		memcpy(&key->src_port, l4, sizeof(key->src_port));
		memcpy(&key->dst_port, l4 + 2, sizeof(key->dst_port));
	}
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_NET_H */
