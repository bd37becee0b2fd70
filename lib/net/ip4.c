/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 for the host stack: header validation and local delivery to ICMP
 * echo, UDP echo and TCP; output of our own datagrams (TCP segments) with
 * an IPv4 and an Ethernet header prepended in the mbuf's headroom.
 *
 * Replies that turn a received frame around (ICMP echo, UDP echo) are
 * written in place into the received mbuf and leave from the port it came
 * in on, to the MAC it came from: no ARP lookup, no copy.
 *
 * Fragments for us are reassembled with DPDK's rte_ip_frag (docs/net.md): a
 * per-worker table allocated at init on the worker's node, bounded in
 * datagrams (frag_flows), fragments per datagram (the library's
 * RTE_LIBRTE_IP_FRAG_MAX_FRAG), bytes (frag_max_size) and time
 * (frag_timeout_ms), so a sender cannot make it grow; whatever it drops is
 * counted by reason. A reassembled datagram is an mbuf chain, and a reply
 * to it above the MTU leaves in fragments.
 */
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_malloc.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "net/sl_net.h"
#include "net_priv.h"

#define NET_TTL 64

static inline void net_drop(struct sl_netif *nif, struct rte_mbuf *m, unsigned int counter)
{
	nif->counters[counter]++;
	rte_pktmbuf_free(m);
}

/* Martian sources (RFC 1122 3.2.1.3, RFC 1812 5.3.7): never answer them. */
static inline bool ip4_bad_source(const struct sl_netif *nif, uint32_t src)
{
	uint32_t h = rte_be_to_cpu_32(src);

	return h == 0 || h == UINT32_MAX || (h >> 28) == 0xe || (h >> 24) == 127 ||
	       src == nif->cfg.ip || (net_on_link(nif, src) && (src | nif->cfg.mask) == UINT32_MAX);
}

/* Received frame → reply to its sender: MACs and addresses swapped, fresh TTL. */
static inline void ip4_turn_around(struct sl_netif *nif, struct rte_ether_hdr *eth,
				   struct rte_ipv4_hdr *ip)
{
	uint32_t a = ip->src_addr;

	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&nif->mac, &eth->src_addr);
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->time_to_live = NET_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/*
 * Fragments one reply may be cut into. A reassembled datagram is at most
 * RTE_LIBRTE_IP_FRAG_MAX_FRAG one-mbuf fragments (2 KiB buffers: under 16
 * KB), so at a 1500-byte MTU it needs 11; a reply that would need more than
 * this (a tiny MTU) is a counted failure.
 */
#define IP4_FRAGS_OUT_MAX 64

/*
 * A turned-around datagram above the MTU: cut into fragments by
 * rte_ipv4_fragment_packet, each made one segment again (indirect mbufs
 * copied into the fragment's own buffer) so that every PMD can send it,
 * then given the reply's Ethernet header. Rare, so the copy is cheap
 * compared to teaching every transmit path about chains.
 */
static void ip4_fragment_reply(struct sl_netif *nif, struct rte_mbuf *m)
{
	struct rte_mbuf *frags[IP4_FRAGS_OUT_MAX];
	struct rte_ether_hdr eth = *rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip;
	uint16_t port = m->port;
	uint32_t ihl, mtu;
	int32_t n;

	rte_pktmbuf_adj(m, sizeof(eth));
	ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	ihl = (uint32_t)(ip->version_ihl & 0xf) * 4;
	/* Our reply, so our flags: DF copied from the request would forbid this. */
	ip->fragment_offset = 0;
	/* Fragment payloads are multiples of 8 bytes (RFC 791). */
	mtu = ihl + RTE_ALIGN_FLOOR(nif->mtu - ihl, 8u);
	n = rte_ipv4_fragment_packet(m, frags, IP4_FRAGS_OUT_MAX, (uint16_t)mtu, nif->pool,
				     nif->pool);
	/* The fragments hold references to m's buffers where they need them. */
	rte_pktmbuf_free(m);
	if (n < 0) {
		nif->counters[NET_IP_FRAG_OUT_FAIL]++;
		return;
	}
	for (int32_t i = 0; i < n; i++) {
		struct rte_mbuf *f = frags[i];
		struct rte_ether_hdr *e;

		if (rte_pktmbuf_linearize(f) != 0 ||
		    (e = (struct rte_ether_hdr *)rte_pktmbuf_prepend(f, sizeof(eth))) == NULL) {
			nif->counters[NET_IP_FRAG_OUT_FAIL]++;
			rte_pktmbuf_free(f);
			continue;
		}
		*e = eth;
		ip = (struct rte_ipv4_hdr *)(e + 1);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		f->port = port;
		f->l2_len = sizeof(eth);
		f->l3_len = ihl;
		f->ol_flags = 0;
		nif->counters[NET_IP_FRAGS_OUT]++;
		net_emit(nif, f);
	}
}

/*
 * Send a reply made in place from a received datagram. Only a reassembled
 * datagram can be a chain or exceed the MTU; either way each frame leaves
 * as one segment.
 */
static inline void ip4_emit_reply(struct sl_netif *nif, struct rte_mbuf *m)
{
	if (likely(m->nb_segs == 1 &&
		   rte_pktmbuf_pkt_len(m) <= sizeof(struct rte_ether_hdr) + nif->mtu))
		return net_emit(nif, m);
	if (rte_pktmbuf_pkt_len(m) > sizeof(struct rte_ether_hdr) + nif->mtu)
		return ip4_fragment_reply(nif, m);
	if (rte_pktmbuf_linearize(m) != 0)
		return net_drop(nif, m, NET_NO_MBUF);
	net_emit(nif, m);
}

/* One's complement sum of the ICMP message; 0xffff when its checksum is right. */
static inline uint16_t icmp_sum(const struct rte_mbuf *m, const void *icmp, uint32_t off,
				uint32_t len)
{
	uint16_t sum;

	if (likely(m->nb_segs == 1))
		return rte_raw_cksum(icmp, len);
	if (rte_raw_cksum_mbuf(m, off, len, &sum) != 0)
		return 0;
	return sum;
}

static void icmp_input(struct sl_netif *nif, struct rte_mbuf *m, struct rte_ether_hdr *eth,
		       struct rte_ipv4_hdr *ip, uint32_t ihl, uint32_t len)
{
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + ihl);

	if (len < sizeof(*icmp) || rte_pktmbuf_data_len(m) < sizeof(*eth) + ihl + sizeof(*icmp))
		return net_drop(nif, m, NET_ICMP_BAD);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		return net_drop(nif, m, NET_ICMP_IGNORED);
	nif->counters[NET_ICMP_ECHO_IN]++;
	/* Whole ICMP message: header and data (RFC 792). */
	if (icmp_sum(m, icmp, sizeof(*eth) + ihl, len) != 0xffff)
		return net_drop(nif, m, NET_ICMP_BAD);
	if (!net_tb_take(&nif->icmp_tb, nif->now_us))
		return net_drop(nif, m, NET_ICMP_LIMITED);
	ip4_turn_around(nif, eth, ip);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	/* Type 8 → 0 in the first 16-bit word: patch, do not re-sum the data. */
	icmp->icmp_cksum =
	    sl_cksum_adjust16(icmp->icmp_cksum, RTE_BE16(RTE_IP_ICMP_ECHO_REQUEST << 8),
			      RTE_BE16(RTE_IP_ICMP_ECHO_REPLY << 8));
	nif->counters[NET_ICMP_ECHO_OUT]++;
	ip4_emit_reply(nif, m);
}

static void udp_input(struct sl_netif *nif, struct rte_mbuf *m, struct rte_ether_hdr *eth,
		      struct rte_ipv4_hdr *ip, uint32_t ihl, uint32_t len)
{
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)((uint8_t *)ip + ihl);
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	if (len < sizeof(*udp) || rte_pktmbuf_data_len(m) < sizeof(*eth) + ihl + sizeof(*udp) ||
	    rte_be_to_cpu_16(udp->dgram_len) != len)
		return net_drop(nif, m, NET_UDP_BAD);
	/* Checksum 0 = none (RFC 768). Trust the NIC's verdict when it gave one. */
	if (udp->dgram_cksum != 0 && ck != RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	    (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD ||
	     (m->nb_segs == 1 ? rte_ipv4_udptcp_cksum_verify(ip, udp)
			      : rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, sizeof(*eth) + ihl)) != 0))
		return net_drop(nif, m, NET_UDP_BAD);
	if (nif->cfg.udp_echo_port == 0 ||
	    udp->dst_port != rte_cpu_to_be_16(nif->cfg.udp_echo_port))
		return net_drop(nif, m, NET_UDP_NO_PORT);
	sl_echo_udp_turnaround(m, NET_TTL);
	/* It may have come to a broadcast MAC: answer from ours. */
	rte_ether_addr_copy(&nif->mac, &eth->src_addr);
	nif->counters[NET_UDP_ECHO]++;
	ip4_emit_reply(nif, m);
}

/*
 * With few free mbufs left, refuse payload but keep the ACK: send queues
 * full of unacknowledged echo data could otherwise take the last mbufs,
 * and the ACKs that free them could no longer be taken in. The segment
 * goes on as a pure ACK (payload and FIN cut, the peer retransmits them),
 * its checksum verified here first since it no longer matches.
 */
static int tcp_strip_payload(struct sl_netif *nif, struct rte_mbuf *m, struct rte_ipv4_hdr *ip,
			     const struct rte_tcp_hdr *th, uint32_t *len)
{
	uint32_t hl = (uint32_t)(th->data_off >> 4) * 4;
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	if (hl < sizeof(*th) || hl >= *len)
		return 0; /* no payload, or malformed: TCP judges it */
	if (ck != RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	    (ck == RTE_MBUF_F_RX_L4_CKSUM_BAD || m->nb_segs != 1 ||
	     rte_ipv4_udptcp_cksum_verify(ip, th) != 0))
		return 0; /* TCP counts the bad checksum */
	if (rte_pktmbuf_trim(m, (uint16_t)(*len - hl)) != 0)
		return -1;
	((struct rte_tcp_hdr *)(uintptr_t)th)->tcp_flags &=
	    (uint8_t) ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_URG_FLAG);
	m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_RX_L4_CKSUM_MASK) | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	*len = hl;
	nif->counters[NET_TCP_POOL_LOW]++;
	return 0;
}

static void tcp_input(struct sl_netif *nif, struct rte_mbuf *m, struct rte_ipv4_hdr *ip,
		      uint32_t ihl, uint32_t len)
{
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)((uint8_t *)ip + ihl);
	struct sl_tcp_tuple t;

	if (nif->tcp == NULL)
		return net_drop(nif, m, NET_TCP_OFF);
	if (len < sizeof(*th) ||
	    rte_pktmbuf_data_len(m) < sizeof(struct rte_ether_hdr) + ihl + sizeof(*th))
		return net_drop(nif, m, NET_TCP_BAD);
	/* A reassembled segment: TCP reads its header from the first mbuf only. */
	if (unlikely(m->nb_segs > 1) &&
	    rte_pktmbuf_data_len(m) <
		sizeof(struct rte_ether_hdr) + ihl + (uint32_t)(th->data_off >> 4) * 4)
		return net_drop(nif, m, NET_TCP_BAD);
	if (unlikely(nif->pool_is_low) && tcp_strip_payload(nif, m, ip, th, &len) < 0)
		return net_drop(nif, m, NET_TCP_POOL_LOW);
	t.local_ip = ip->dst_addr;
	t.remote_ip = ip->src_addr;
	t.local_port = th->dst_port;
	t.remote_port = th->src_port;
	rte_pktmbuf_adj(m, (uint16_t)(sizeof(struct rte_ether_hdr) + ihl));
	nif->counters[NET_TCP_IN]++;
	sl_tcp_input(nif->tcp, m, &t, nif->now_us);
}

/* ---- reassembly ---- */

static inline void ip4_frag_drop(struct sl_netif *nif, struct rte_mbuf *m, unsigned int counter)
{
	nif->counters[NET_IP_FRAG]++;
	net_drop(nif, m, counter);
}

/*
 * What the library put on the death row during one call, by reason. It
 * says nothing itself, but what it did shows: when the new fragment is not
 * among the mbufs it dropped, they were a timed-out datagram whose slot it
 * reused; when the fragment was dropped alone, there was no slot for it (the
 * table or both its hash buckets full); otherwise its whole datagram was
 * thrown away (overlap, duplicate, too many fragments, a hole).
 */
static void ip4_frag_account(struct sl_netif *nif, const struct rte_mbuf *m, uint32_t before)
{
	const struct rte_ip_frag_death_row *dr = nif->frag_dr;
	uint32_t added = dr->cnt - before;
	bool self = false;

	for (uint32_t i = before; i < dr->cnt; i++)
		self |= dr->row[i] == m;
	if (!self)
		nif->counters[NET_IP_FRAG_TIMEOUT] += added;
	else if (added == 1)
		nif->counters[NET_IP_FRAG_NO_ROOM]++;
	else
		nif->counters[NET_IP_FRAG_BAD] += added;
	nif->counters[NET_IP_FRAG] += added;
}

/*
 * A fragment for us (header checked, padding trimmed): held until its
 * datagram is complete. Returns the reassembled datagram (data at the
 * Ethernet header, a chain of the fragments' mbufs) or NULL.
 */
static struct rte_mbuf *ip4_reassemble(struct sl_netif *nif, struct rte_mbuf *m,
				       struct rte_ipv4_hdr *ip, uint32_t ihl, uint32_t tot)
{
	uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
	uint32_t off = (uint32_t)(fo & RTE_IPV4_HDR_OFFSET_MASK) * RTE_IPV4_HDR_OFFSET_UNITS;
	uint32_t len = tot - ihl, before;
	struct rte_mbuf *r;

	if (nif->frag_tbl == NULL) {
		ip4_frag_drop(nif, m, NET_IP_FRAG_OFF);
		return NULL;
	}
	nif->counters[NET_IP_FRAG_IN]++;
	/*
	 * Empty fragments, a non-final one that is not a multiple of 8 bytes
	 * (RFC 791), one that runs past frag_max_size, or one that does not
	 * sit in one mbuf: none of them can be part of a datagram we take.
	 */
	if (len == 0 || ((fo & RTE_IPV4_HDR_MF_FLAG) && (len & 7) != 0) ||
	    ihl + off + len > nif->cfg.frag_max_size || m->nb_segs != 1) {
		ip4_frag_drop(nif, m, NET_IP_FRAG_BAD);
		return NULL;
	}
	/*
	 * Held fragments are pool mbufs: never take the last ones TCP needs.
	 * Without TCP nobody measured the pool for this vector; fragments are
	 * rare enough to look here.
	 */
	if (unlikely(nif->tcp != NULL ? nif->pool_is_low
				      : nif->pool != NULL &&
					    rte_mempool_avail_count(nif->pool) < nif->pool_low)) {
		ip4_frag_drop(nif, m, NET_IP_FRAG_NO_ROOM);
		return NULL;
	}
	m->l2_len = sizeof(struct rte_ether_hdr);
	m->l3_len = ihl;
	before = nif->frag_dr->cnt;
	r = rte_ipv4_frag_reassemble_packet(nif->frag_tbl, nif->frag_dr, m, nif->now_us, ip);
	if (nif->frag_dr->cnt != before)
		ip4_frag_account(nif, m, before);
	/* Room for the worst one call can add: a stale datagram and a bad one. */
	if (nif->frag_dr->cnt >
	    RTE_IP_FRAG_DEATH_ROW_MBUF_LEN - 2 * (RTE_LIBRTE_IP_FRAG_MAX_FRAG + 1))
		rte_ip_frag_free_death_row(nif->frag_dr, 0);
	if (r == NULL)
		return NULL;
	nif->counters[NET_IP_REASSEMBLED]++;
	/* The header changed and no device saw the whole datagram. */
	r->ol_flags &= ~(RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK);
	return r;
}

int ip4_frag_init(struct sl_netif *nif)
{
	uint32_t flows = nif->cfg.frag_flows;

	if (flows == 0)
		return 0;
	nif->frag_dr = rte_zmalloc_socket("sl_frag_dr", sizeof(*nif->frag_dr), RTE_CACHE_LINE_SIZE,
					  (int)nif->socket);
	/*
	 * 4-way buckets, two candidate buckets per key, twice as many slots as
	 * flows: a datagram is refused for lack of room only when the table
	 * is really full or both its buckets are. The timestamps are the
	 * stage's microseconds, so the timeout is given in microseconds too.
	 */
	nif->frag_tbl =
	    rte_ip_frag_table_create(RTE_MAX(flows / 4, 1u), 4, flows,
				     (uint64_t)nif->cfg.frag_timeout_ms * 1000, (int)nif->socket);
	if (nif->frag_dr == NULL || nif->frag_tbl == NULL) {
		ip4_frag_fini(nif);
		return -1;
	}
	return 0;
}

void ip4_frag_fini(struct sl_netif *nif)
{
	if (nif->frag_dr != NULL)
		rte_ip_frag_free_death_row(nif->frag_dr, 0);
	if (nif->frag_tbl != NULL)
		rte_ip_frag_table_destroy(nif->frag_tbl); /* frees what it holds */
	rte_free(nif->frag_dr);
	nif->frag_dr = NULL;
	nif->frag_tbl = NULL;
}

void ip4_frag_expire(struct sl_netif *nif)
{
	uint32_t before;

	nif->frag_scan_us = nif->now_us + IP4_FRAG_SCAN_US;
	/* Oldest first: it stops at the first datagram still in time. */
	before = nif->frag_dr->cnt;
	rte_ip_frag_table_del_expired_entries(nif->frag_tbl, nif->frag_dr, nif->now_us);
	nif->counters[NET_IP_FRAG_TIMEOUT] += nif->frag_dr->cnt - before;
	nif->counters[NET_IP_FRAG] += nif->frag_dr->cnt - before;
	ip4_frag_flush(nif);
}

void ip4_input(struct sl_netif *nif, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint64_t ck = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	uint32_t ihl, tot, have;

	if (unlikely(rte_pktmbuf_data_len(m) < SL_ETH_IP4_MIN_LEN))
		return net_drop(nif, m, NET_IP_BAD_HDR);
	ihl = (uint32_t)(ip->version_ihl & 0xf) * 4;
	tot = rte_be_to_cpu_16(ip->total_length);
	have = rte_pktmbuf_pkt_len(m) - sizeof(*eth);
	if (unlikely((ip->version_ihl >> 4) != 4 || ihl < sizeof(*ip) ||
		     rte_pktmbuf_data_len(m) < sizeof(*eth) + ihl || tot < ihl))
		return net_drop(nif, m, NET_IP_BAD_HDR);
	/*
	 * Less than the header says: cut on the way, or, on net_af_packet, a
	 * datagram the kernel reassembled (the PMD asks it to) that is larger
	 * than the ring's frames (docs/net.md).
	 */
	if (unlikely(tot > have))
		return net_drop(nif, m, NET_IP_TRUNCATED);
	if (ck != RTE_MBUF_F_RX_IP_CKSUM_GOOD &&
	    (ck == RTE_MBUF_F_RX_IP_CKSUM_BAD || rte_raw_cksum(ip, ihl) != 0xffff))
		return net_drop(nif, m, NET_IP_BAD_CKSUM);
	if (unlikely(ip->dst_addr != nif->cfg.ip))
		return net_drop(nif, m, NET_IP_NOT_US);
	if (unlikely(ip4_bad_source(nif, ip->src_addr)))
		return net_drop(nif, m, NET_IP_BAD_SRC);
	/* Ethernet pads short frames: the datagram ends where IPv4 says. */
	if (tot < have)
		rte_pktmbuf_trim(m, (uint16_t)(have - tot));
	if (unlikely(ip->fragment_offset &
		     RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))) {
		m = ip4_reassemble(nif, m, ip, ihl, tot);
		if (m == NULL)
			return;
		eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
		ip = (struct rte_ipv4_hdr *)(eth + 1);
		tot = rte_be_to_cpu_16(ip->total_length);
	}

	switch (ip->next_proto_id) {
	case IPPROTO_TCP:
		return tcp_input(nif, m, ip, ihl, tot - ihl);
	case IPPROTO_UDP:
		return udp_input(nif, m, eth, ip, ihl, tot - ihl);
	case IPPROTO_ICMP:
		return icmp_input(nif, m, eth, ip, ihl, tot - ihl);
	default:
		return net_drop(nif, m, NET_IP_UNKNOWN_PROTO);
	}
}

void ip4_output(struct sl_netif *nif, struct rte_mbuf *m, uint8_t proto, uint32_t dst)
{
	uint32_t l4len = rte_pktmbuf_pkt_len(m);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	uint32_t nexthop;

	if (net_on_link(nif, dst))
		nexthop = dst;
	else if (nif->cfg.gw != 0)
		nexthop = nif->cfg.gw;
	else
		return net_drop(nif, m, NET_IP_NO_ROUTE);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(*eth) + sizeof(*ip));
	if (unlikely(eth == NULL || l4len + sizeof(*ip) > UINT16_MAX))
		return net_drop(nif, m, NET_NO_MBUF);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(l4len + sizeof(*ip)));
	ip->packet_id = rte_cpu_to_be_16(nif->ip_id++);
	/* DF, as Linux sends TCP: our MSS already fits the MTU. */
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = NET_TTL;
	ip->next_proto_id = proto;
	ip->src_addr = nif->cfg.ip;
	ip->dst_addr = dst;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	m->l2_len = sizeof(*eth);
	m->l3_len = sizeof(*ip);
	arp_output(nif, m, nexthop);
}

void ip4_tcp_output(void *ctx, struct rte_mbuf *m, const struct sl_tcp_tuple *t)
{
	ip4_output(ctx, m, IPPROTO_TCP, t->remote_ip);
}
