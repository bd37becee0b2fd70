/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (RFC 826) for one worker: replies for our address, a small cache with
 * timeouts, resolution with a bounded hold queue, rate-limited requests and
 * a gratuitous announcement at start.
 *
 * The cache is set-associative (ARP_WAYS entries per bucket) instead of an
 * rte_hash: a host talks to a handful of neighbours (the gateway and its
 * own subnet), so a fixed array with at most four compares per lookup is
 * cheaper, and eviction of the least useful way in a full bucket is simple.
 * Each worker keeps its own cache and resolves what it needs (RSS may put
 * the reply on another worker: that worker learns it too, and this one
 * retries until its own request is answered on its queue or the kernel's
 * request reaches it — see docs/net.md).
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_malloc.h>

#include "net_priv.h"

static const struct rte_ether_addr eth_bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static inline uint32_t arp_bucket(const struct sl_netif *nif, uint32_t ip)
{
	/* Fibonacci hashing of the host-order address: neighbours differ in low bits. */
	return ((rte_be_to_cpu_32(ip) * UINT32_C(2654435761)) >> 12) & nif->arp_mask;
}

static struct arp_entry *arp_find(struct sl_netif *nif, uint32_t ip)
{
	struct arp_entry *b = &nif->arp[arp_bucket(nif, ip) * ARP_WAYS];

	for (unsigned int i = 0; i < ARP_WAYS; i++)
		if (b[i].state != ARP_FREE && b[i].ip == ip)
			return &b[i];
	return NULL;
}

/* A free way, else the stale or reachable one closest to expiry. Never an
 * incomplete entry: packets wait on it. */
static struct arp_entry *arp_alloc(struct sl_netif *nif, uint32_t ip)
{
	struct arp_entry *b = &nif->arp[arp_bucket(nif, ip) * ARP_WAYS], *victim = NULL;

	for (unsigned int i = 0; i < ARP_WAYS; i++) {
		if (b[i].state == ARP_FREE) {
			victim = &b[i];
			break;
		}
		if (b[i].state == ARP_INCOMPLETE)
			continue;
		if (victim == NULL || b[i].expire_us < victim->expire_us)
			victim = &b[i];
	}
	if (victim == NULL) {
		nif->counters[NET_ARP_TABLE_FULL]++;
		return NULL;
	}
	memset(victim, 0, sizeof(*victim));
	victim->ip = ip;
	return victim;
}

static void arp_fill(struct rte_arp_hdr *a, uint16_t op, const struct rte_ether_addr *sha,
		     uint32_t sip, const struct rte_ether_addr *tha, uint32_t tip)
{
	a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = RTE_ETHER_ADDR_LEN;
	a->arp_plen = sizeof(uint32_t);
	a->arp_opcode = rte_cpu_to_be_16(op);
	rte_ether_addr_copy(sha, &a->arp_data.arp_sha);
	a->arp_data.arp_sip = sip;
	rte_ether_addr_copy(tha, &a->arp_data.arp_tha);
	a->arp_data.arp_tip = tip;
}

/* A request from us for `tip`, broadcast. sip == tip makes it gratuitous. */
static int arp_send_request(struct sl_netif *nif, uint32_t sip, uint32_t tip)
{
	static const struct rte_ether_addr zero;
	struct rte_mbuf *m = rte_pktmbuf_alloc(nif->pool);
	struct rte_ether_hdr *eth;

	if (m == NULL) {
		nif->counters[NET_NO_MBUF]++;
		return -1;
	}
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
							 sizeof(*eth) + sizeof(struct rte_arp_hdr));
	rte_ether_addr_copy(&eth_bcast, &eth->dst_addr);
	rte_ether_addr_copy(&nif->mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp_fill((struct rte_arp_hdr *)(eth + 1), RTE_ARP_OP_REQUEST, &nif->mac, sip, &zero, tip);
	m->port = nif->port;
	net_emit(nif, m);
	return 0;
}

/* Ask for e->ip if the per-address and the global rate limits allow. */
static void arp_request(struct sl_netif *nif, struct arp_entry *e)
{
	if (nif->now_us < e->next_req_us)
		return;
	if (!net_tb_take(&nif->arp_req_tb, nif->now_us)) {
		nif->counters[NET_ARP_REQ_LIMITED]++;
		return;
	}
	if (arp_send_request(nif, nif->cfg.ip, e->ip) == 0) {
		nif->counters[NET_ARP_REQ_OUT]++;
		e->tries++;
		e->next_req_us = nif->now_us + ARP_RETRY_US;
	}
}

void arp_announce(struct sl_netif *nif)
{
	if (arp_send_request(nif, nif->cfg.ip, nif->cfg.ip) == 0)
		nif->counters[NET_ARP_GRATUITOUS_OUT]++;
}

static inline void arp_write_macs(struct sl_netif *nif, struct rte_mbuf *m,
				  const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(&nif->mac, &eth->src_addr);
	m->port = nif->port;
}

/* Send (mac != NULL) or drop every held packet for `ip`, keeping the order
 * of the others. */
static void arp_hold_release(struct sl_netif *nif, uint32_t ip, const struct rte_ether_addr *mac)
{
	uint32_t keep = 0;

	for (uint32_t i = 0; i < nif->hold_n; i++) {
		struct arp_hold_slot *h = &nif->hold[i];

		if (h->nexthop != ip) {
			nif->hold[keep++] = *h;
			continue;
		}
		if (mac != NULL) {
			arp_write_macs(nif, h->m, mac);
			net_emit(nif, h->m);
		} else {
			nif->counters[NET_ARP_UNRESOLVED]++;
			rte_pktmbuf_free(h->m);
		}
	}
	nif->hold_n = keep;
}

static void arp_confirm(struct sl_netif *nif, struct arp_entry *e, const struct rte_ether_addr *mac)
{
	bool was_incomplete = e->state == ARP_INCOMPLETE;

	rte_ether_addr_copy(mac, &e->mac);
	e->state = ARP_REACHABLE;
	e->tries = 0;
	e->next_req_us = 0;
	e->expire_us = nif->now_us + (uint64_t)nif->cfg.arp_timeout_ms * 1000;
	if (was_incomplete)
		arp_hold_release(nif, e->ip, mac);
}

void arp_output(struct sl_netif *nif, struct rte_mbuf *m, uint32_t nexthop)
{
	struct arp_entry *e = arp_find(nif, nexthop);

	if (likely(e != NULL && e->state != ARP_INCOMPLETE)) {
		if (unlikely(e->state == ARP_STALE) && e->tries < ARP_MAX_TRIES)
			arp_request(nif, e); /* keep using the old MAC meanwhile */
		arp_write_macs(nif, m, &e->mac);
		net_emit(nif, m);
		return;
	}
	if (e == NULL) {
		e = arp_alloc(nif, nexthop);
		if (e == NULL) {
			rte_pktmbuf_free(m);
			return;
		}
		e->state = ARP_INCOMPLETE;
		arp_request(nif, e);
	}
	if (nif->hold_n == nif->cfg.arp_hold) {
		nif->counters[NET_ARP_HOLD_FULL]++;
		rte_pktmbuf_free(m);
		return;
	}
	nif->hold[nif->hold_n++] = (struct arp_hold_slot){m, nexthop};
}

void arp_input(struct sl_netif *nif, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eth + 1);
	struct arp_entry *e;
	uint32_t sip, tip;
	uint16_t op;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*a) ||
	    a->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    a->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) || a->arp_hlen != RTE_ETHER_ADDR_LEN ||
	    a->arp_plen != sizeof(uint32_t) || rte_is_multicast_ether_addr(&a->arp_data.arp_sha)) {
		nif->counters[NET_ARP_BAD]++;
		rte_pktmbuf_free(m);
		return;
	}
	op = rte_be_to_cpu_16(a->arp_opcode);
	sip = a->arp_data.arp_sip;
	tip = a->arp_data.arp_tip;
	if (op == RTE_ARP_OP_REQUEST)
		nif->counters[NET_ARP_REQ_IN]++;
	else if (op == RTE_ARP_OP_REPLY)
		nif->counters[NET_ARP_REPLY_IN]++;
	else {
		nif->counters[NET_ARP_BAD]++;
		rte_pktmbuf_free(m);
		return;
	}

	/* RFC 826 merge: refresh a sender we already know, whatever the target. */
	e = sip != 0 && sip != nif->cfg.ip ? arp_find(nif, sip) : NULL;
	if (e != NULL)
		arp_confirm(nif, e, &a->arp_data.arp_sha);
	if (tip != nif->cfg.ip) {
		nif->counters[NET_ARP_NOT_US]++;
		rte_pktmbuf_free(m);
		return;
	}
	/* Addressed to us: learn the sender (not a 0.0.0.0 probe, RFC 5227). */
	if (e == NULL && sip != 0 && sip != nif->cfg.ip && net_on_link(nif, sip)) {
		e = arp_alloc(nif, sip);
		if (e != NULL)
			arp_confirm(nif, e, &a->arp_data.arp_sha);
	}
	if (op != RTE_ARP_OP_REQUEST) {
		rte_pktmbuf_free(m);
		return;
	}
	/* Reply in the request's own mbuf, out of the port it came in on. */
	rte_ether_addr_copy(&a->arp_data.arp_sha, &eth->dst_addr);
	rte_ether_addr_copy(&nif->mac, &eth->src_addr);
	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&a->arp_data.arp_sha, &a->arp_data.arp_tha);
	a->arp_data.arp_tip = sip;
	rte_ether_addr_copy(&nif->mac, &a->arp_data.arp_sha);
	a->arp_data.arp_sip = nif->cfg.ip;
	nif->counters[NET_ARP_REPLY_OUT]++;
	net_emit(nif, m);
}

void arp_timers(struct sl_netif *nif)
{
	uint32_t n = (nif->arp_mask + 1) * ARP_WAYS;

	/* Retries are a second apart and timeouts a minute: 100 ms is plenty. */
	if (nif->now_us < nif->arp_scan_us)
		return;
	nif->arp_scan_us = nif->now_us + 100000;
	for (uint32_t i = 0; i < n; i++) {
		struct arp_entry *e = &nif->arp[i];

		switch (e->state) {
		case ARP_INCOMPLETE:
			if (nif->now_us < e->next_req_us)
				break;
			if (e->tries >= ARP_MAX_TRIES) {
				arp_hold_release(nif, e->ip, NULL);
				e->state = ARP_FREE;
			} else {
				arp_request(nif, e);
			}
			break;
		case ARP_REACHABLE:
			if (nif->now_us >= e->expire_us) {
				e->state = ARP_STALE;
				e->tries = 0;
			}
			break;
		case ARP_STALE:
			/* Asked ARP_MAX_TRIES times in use and never answered: forget it. */
			if (e->tries >= ARP_MAX_TRIES && nif->now_us >= e->next_req_us)
				e->state = ARP_FREE;
			break;
		default:
			break;
		}
	}
}

int arp_init(struct sl_netif *nif)
{
	uint32_t entries = nif->cfg.arp_entries;

	nif->arp_mask = entries / ARP_WAYS - 1;
	nif->arp = rte_zmalloc_socket("sl_arp", entries * sizeof(nif->arp[0]), RTE_CACHE_LINE_SIZE,
				      (int)nif->socket);
	nif->hold = rte_zmalloc_socket("sl_arp_hold", nif->cfg.arp_hold * sizeof(nif->hold[0]),
				       RTE_CACHE_LINE_SIZE, (int)nif->socket);
	nif->arp_req_tb = (struct net_token_bucket){0, ARP_REQ_PER_SEC, ARP_REQ_PER_SEC};
	if (nif->arp == NULL || nif->hold == NULL) {
		arp_fini(nif);
		return -1;
	}
	return 0;
}

void arp_fini(struct sl_netif *nif)
{
	for (uint32_t i = 0; nif->hold != NULL && i < nif->hold_n; i++)
		rte_pktmbuf_free(nif->hold[i].m);
	nif->hold_n = 0;
	rte_free(nif->hold);
	rte_free(nif->arp);
	nif->hold = NULL;
	nif->arp = NULL;
}
