/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Internals of sluice's IPv4 host stack (lib/net): one `sl_netif` per
 * worker and tcpip stage instance, holding the interface address, the ARP
 * cache and its hold queue, the output FIFO, the worker's TCP stack and the
 * stage's counters. Nothing here is shared between workers, so nothing is
 * locked. Not installed.
 */
#ifndef SLUICE_NET_PRIV_H
#define SLUICE_NET_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "sluice/sl_echo.h"
#include "sluice/sl_tcp.h"

/*
 * Counters of the tcpip stage, one per drop reason and protocol event. The
 * TCP stack's own SL_TCP_STATS follow them in the stage's counter array
 * (prefixed "tcp_"), copied from the stack on every poll.
 */
#define NET_COUNTERS(X)                                                                            \
	X(NET_ETH_RUNT, "eth_runt")                                                                \
	X(NET_ETH_NOT_US, "eth_not_for_us")                                                        \
	X(NET_ETH_UNKNOWN, "eth_unknown_type")                                                     \
	X(NET_ARP_BAD, "arp_bad")                                                                  \
	X(NET_ARP_REQ_IN, "arp_requests_in")                                                       \
	X(NET_ARP_REPLY_IN, "arp_replies_in")                                                      \
	X(NET_ARP_REPLY_OUT, "arp_replies_out")                                                    \
	X(NET_ARP_REQ_OUT, "arp_requests_out")                                                     \
	X(NET_ARP_GRATUITOUS_OUT, "arp_gratuitous_out")                                            \
	X(NET_ARP_NOT_US, "arp_not_for_us")                                                        \
	X(NET_ARP_HOLD_FULL, "arp_hold_full")                                                      \
	X(NET_ARP_UNRESOLVED, "arp_unresolved")                                                    \
	X(NET_ARP_TABLE_FULL, "arp_table_full")                                                    \
	X(NET_ARP_REQ_LIMITED, "arp_requests_limited")                                             \
	X(NET_IP_BAD_HDR, "ip_bad_header")                                                         \
	X(NET_IP_TRUNCATED, "ip_truncated")                                                        \
	X(NET_IP_BAD_CKSUM, "ip_bad_checksum")                                                     \
	X(NET_IP_FRAG, "ip_fragments_dropped")                                                     \
	X(NET_IP_FRAG_IN, "ip_frag_in")                                                            \
	X(NET_IP_REASSEMBLED, "ip_reassembled")                                                    \
	X(NET_IP_FRAG_TIMEOUT, "ip_frag_timeouts")                                                 \
	X(NET_IP_FRAG_NO_ROOM, "ip_frag_no_room")                                                  \
	X(NET_IP_FRAG_BAD, "ip_frag_bad")                                                          \
	X(NET_IP_FRAG_OFF, "ip_frag_off")                                                          \
	X(NET_IP_FRAGS_OUT, "ip_frags_out")                                                        \
	X(NET_IP_FRAG_OUT_FAIL, "ip_frag_out_failed")                                              \
	X(NET_IP_NOT_US, "ip_not_for_us")                                                          \
	X(NET_IP_BAD_SRC, "ip_bad_source")                                                         \
	X(NET_IP_UNKNOWN_PROTO, "ip_unknown_proto")                                                \
	X(NET_IP_NO_ROUTE, "ip_no_route")                                                          \
	X(NET_ICMP_ECHO_IN, "icmp_echo_requests")                                                  \
	X(NET_ICMP_ECHO_OUT, "icmp_echo_replies")                                                  \
	X(NET_ICMP_LIMITED, "icmp_rate_limited")                                                   \
	X(NET_ICMP_BAD, "icmp_bad")                                                                \
	X(NET_ICMP_IGNORED, "icmp_other_ignored")                                                  \
	X(NET_UDP_ECHO, "udp_echoed")                                                              \
	X(NET_UDP_BAD, "udp_bad")                                                                  \
	X(NET_UDP_NO_PORT, "udp_no_port")                                                          \
	X(NET_TCP_IN, "tcp_segments_in")                                                           \
	X(NET_TCP_BAD, "tcp_short")                                                                \
	X(NET_TCP_OFF, "tcp_disabled")                                                             \
	X(NET_TCP_POOL_LOW, "tcp_pool_low_drops")                                                  \
	X(NET_OUT_FIFO_FULL, "out_fifo_full")                                                      \
	X(NET_NO_MBUF, "no_mbuf")                                                                  \
	X(NET_TX_OUT, "packets_out")                                                               \
	X(NET_TCP_CONNS, "tcp_conns")                                                              \
	X(NET_ECHO_BYTES, "echo_tcp_bytes")                                                        \
	X(NET_ECHO_CONNS, "echo_tcp_accepted")                                                     \
	X(NET_ECHO_IDLE_CLOSED, "echo_tcp_idle_closed")

#define NET_CNT_ENUM(id, name) id,
enum { NET_COUNTERS(NET_CNT_ENUM) NET_NB_COUNTERS };
#undef NET_CNT_ENUM

/** Index of the first TCP stack counter in the stage's counter array. */
#define NET_TCP_STATS_BASE NET_NB_COUNTERS

/** Parsed stage arguments (docs/net.md). Addresses in network order. */
#define NET_SERVICES_MAX 4

struct sl_tcp_service_ops;

struct net_config {
	uint32_t ip, mask, gw;
	uint16_t tcp_echo_port;	 /**< host order; 0 = off */
	uint16_t tcp_echo_ports; /**< ports from tcp_echo_port on (listeners) */
	uint16_t udp_echo_port;	 /**< host order; 0 = off */
	uint32_t max_conns;
	uint32_t syn_backlog;
	uint32_t rto_min_ms;
	uint32_t msl_ms;
	uint32_t rcv_buf, snd_buf;
	uint32_t echo_idle_ms;
	uint32_t icmp_rate; /**< echo replies per second */
	uint32_t arp_timeout_ms;
	uint32_t arp_entries; /**< power of two */
	uint32_t arp_hold;
	uint32_t out_fifo;	  /**< power of two */
	uint32_t frag_flows;	  /**< datagrams in reassembly at once; 0 = no reassembly */
	uint32_t frag_timeout_ms; /**< a datagram not complete by then is dropped */
	uint32_t frag_max_size;	  /**< largest datagram reassembled (IPv4 total length) */
	uint16_t mss;
	uint16_t port_arg; /**< port=N, for use outside a sluice app; UINT16_MAX = unset */
	bool timestamps;
	bool sack;  /* offer/accept RFC 2018 SACK */
	uint8_t cc; /* enum sl_tcp_cc */
	bool tcp;
	/* TCP resource caps, keepalive, RST rate (docs/net.md, docs/tcp.md) */
	uint32_t zw_probes, zw_give_up_ms;
	uint32_t keepalive_ms, keepalive_intvl_ms, keepalive_probes;
	uint32_t tcp_mem, conn_mem; /**< mbufs; 0 = derived */
	uint32_t rst_rate, rst_burst;
	/* tcp_service=NAME:PORT|...: services of sl_tcp_service.h */
	unsigned int nb_services;
	const struct sl_tcp_service_ops *services[NET_SERVICES_MAX];
	uint16_t service_ports[NET_SERVICES_MAX];
};

/* ---- ARP (arp.c) ---- */

enum arp_state {
	ARP_FREE = 0,
	ARP_INCOMPLETE, /**< request sent, no reply yet: packets wait in the hold queue */
	ARP_REACHABLE,	/**< confirmed within arp_timeout */
	ARP_STALE,	/**< timed out: still used, re-confirmed by a (rate-limited) request */
};

/* Ways per bucket: a miss costs at most this many compares. */
#define ARP_WAYS 4
/* Requests for one address before giving up (and dropping what waits). */
#define ARP_MAX_TRIES 3
#define ARP_RETRY_US 1000000u
/* Across all addresses: a flood of unresolvable destinations cannot make us flood. */
#define ARP_REQ_PER_SEC 50u

struct arp_entry {
	uint32_t ip; /**< network order; 0 = free */
	uint8_t state;
	uint8_t tries;
	struct rte_ether_addr mac;
	uint64_t expire_us;   /**< REACHABLE until then */
	uint64_t next_req_us; /**< earliest next request for this address */
};

struct arp_hold_slot {
	struct rte_mbuf *m;
	uint32_t nexthop;
};

struct net_token_bucket {
	uint64_t last_us;
	uint32_t tokens;
	uint32_t rate; /**< per second, also the burst */
};

/* ---- the per-worker interface ---- */

struct sl_netif {
	struct net_config cfg;
	void *service_state[NET_SERVICES_MAX]; /**< per worker, from each service's start */
	uint16_t port;		   /**< where our own packets (TCP, ARP requests) go out */
	struct rte_ether_addr mac; /**< of `port` */
	struct rte_mempool *pool;
	uint64_t *counters;
	unsigned int socket;
	uint64_t now_us;
	/* TSC → us: now_us = (tsc * tsc_mult) >> 32, one multiply per vector. */
	uint64_t tsc_mult;
	unsigned int pool_low; /**< free mbufs below which TCP data is refused */
	bool pool_is_low;      /**< checked once per vector */
	uint16_t ip_id;
	uint16_t mtu; /**< of `port`: turned-around replies above it leave in fragments */
	bool started; /**< gratuitous ARP sent */

	/* Where output goes while a vector or poll runs (NULL outside). */
	struct rte_mbuf **out;
	uint16_t *out_nexts;
	uint16_t out_n, out_cap;

	/* Output produced when `out` is full: sent first on the next poll. */
	struct rte_mbuf **fifo;
	uint32_t fifo_head, fifo_tail, fifo_mask;

	struct arp_entry *arp;
	uint32_t arp_mask; /**< buckets - 1 */
	struct arp_hold_slot *hold;
	uint32_t hold_n;
	uint64_t arp_scan_us;
	struct net_token_bucket arp_req_tb;
	struct net_token_bucket icmp_tb;

	/* IPv4 reassembly (rte_ip_frag), allocated at init; NULL with frag=off. */
	struct rte_ip_frag_tbl *frag_tbl;
	struct rte_ip_frag_death_row *frag_dr;
	uint64_t frag_scan_us; /**< next look for expired datagrams */

	struct sl_tcp_stack *tcp;
	struct sl_echo *echo;
};

/* arp.c */
int arp_init(struct sl_netif *nif);
void arp_fini(struct sl_netif *nif);
/** An ARP frame (data at the Ethernet header). Consumes `m`. */
void arp_input(struct sl_netif *nif, struct rte_mbuf *m);
/** Send `m` (Ethernet header room reserved, IPv4 filled) to `nexthop`. Consumes `m`. */
void arp_output(struct sl_netif *nif, struct rte_mbuf *m, uint32_t nexthop);
/** Retries, expiry; cheap when nothing is due. */
void arp_timers(struct sl_netif *nif);
/** Gratuitous ARP (a request for our own address) announcing ip/mac. */
void arp_announce(struct sl_netif *nif);

/* ip4.c */
/** An IPv4 frame (data at the Ethernet header). Consumes `m`. */
void ip4_input(struct sl_netif *nif, struct rte_mbuf *m);
/** `m` data starts at the L4 header: prepend IPv4 + Ethernet, resolve, send. */
void ip4_output(struct sl_netif *nif, struct rte_mbuf *m, uint8_t proto, uint32_t dst);
/** sl_tcp_output_fn for the worker's TCP stack. */
void ip4_tcp_output(void *ctx, struct rte_mbuf *m, const struct sl_tcp_tuple *t);
/** The reassembly table and death row on the worker's node (frag_flows > 0). */
int ip4_frag_init(struct sl_netif *nif);
void ip4_frag_fini(struct sl_netif *nif);
/** Drop datagrams whose time ran out, then free the death row. */
void ip4_frag_expire(struct sl_netif *nif);

/* Expiry is looked for once a millisecond, not on every poll. */
#define IP4_FRAG_SCAN_US 1000

/** Free what reassembly dropped; after every vector. */
static inline void ip4_frag_flush(struct sl_netif *nif)
{
	if (unlikely(nif->frag_dr != NULL && nif->frag_dr->cnt != 0))
		rte_ip_frag_free_death_row(nif->frag_dr, 0);
}

/** From poll: expiry when due (now_us set). */
static inline void ip4_frag_timers(struct sl_netif *nif)
{
	if (nif->frag_tbl != NULL && nif->now_us >= nif->frag_scan_us)
		ip4_frag_expire(nif);
}

/* out.c */
/** Queue a finished frame for transmit on m->port. Consumes `m`. */
void net_emit(struct sl_netif *nif, struct rte_mbuf *m);
/** Move FIFO contents into the current output array. */
void net_fifo_flush(struct sl_netif *nif);
/** Token bucket: true if one token was taken. */
bool net_tb_take(struct net_token_bucket *tb, uint64_t now_us);

static inline bool net_on_link(const struct sl_netif *nif, uint32_t dst)
{
	return ((dst ^ nif->cfg.ip) & nif->cfg.mask) == 0;
}

#endif /* SLUICE_NET_PRIV_H */
