/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The tcpip stage as a host an application drives from its own loop: the
 * same ARP, IPv4, ICMP, UDP and TCP code the stage runs in a pipeline
 * (docs/net.md), on one port the application polls itself (sluice-gen's TCP
 * client does this). One host per lcore; nothing here is thread-safe.
 *
 *   struct sl_tcpip *h = sl_tcpip_create("ip=10.0.0.1/24,tcp_echo=0", port, pool, &err);
 *   struct sl_tcp_stack *tcp = sl_tcpip_tcp(h);     // sl_tcp_connect(tcp, ...)
 *   loop:
 *     n = rte_eth_rx_burst(port, 0, pkts, 32);
 *     k = sl_tcpip_input(h, pkts, n, tx, cap);     // then rte_eth_tx_burst(tx, k)
 *     k = sl_tcpip_poll(h, tx, cap);               // timers, ARP: transmit these too
 *   sl_tcpip_free(h);
 */
#ifndef SLUICE_SL_TCPIP_H
#define SLUICE_SL_TCPIP_H

#include <stdint.h>
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_mbuf;
struct rte_mempool;
struct sl_error;
struct sl_tcp_stack;
/** @struct sl_tcpip
 * Opaque: one host (ARP, IPv4, ICMP, UDP, TCP) on one port, used by one lcore. */
struct sl_tcpip;

/** Most packets one sl_tcpip_input() or sl_tcpip_poll() call hands back. */
#define SL_TCPIP_OUT_MAX 256

/**
 * Create a host on ethdev `port_id` (started: its MAC is read here), its
 * mbufs from `pool`, on the calling lcore's NUMA node. `args` are the
 * stage's key=value args, comma separated (docs/net.md; port= is not
 * needed). Returns NULL with err filled ("tcpip: what. Fix: how").
 */
SL_API struct sl_tcpip *sl_tcpip_create(const char *args, uint16_t port_id,
					struct rte_mempool *pool, struct sl_error *err);

/**
 * Take n received frames (all consumed) and put at most `cap` frames to
 * transmit on the port in tx[] (what does not fit waits for the next call).
 * Returns how many.
 */
SL_API uint16_t sl_tcpip_input(struct sl_tcpip *h, struct rte_mbuf **pkts, uint16_t n,
			       struct rte_mbuf **tx, uint16_t cap);

/** Run timers (TCP, ARP, reassembly) and hand back what they send, as sl_tcpip_input(). */
SL_API uint16_t sl_tcpip_poll(struct sl_tcpip *h, struct rte_mbuf **tx, uint16_t cap);

/** The host's TCP stack (sluice/sl_tcp.h), or NULL with tcp=off. */
SL_API struct sl_tcp_stack *sl_tcpip_tcp(struct sl_tcpip *h);

/** Counter names, NULL terminated (the stage's, docs/net.md). */
SL_API const char *const *sl_tcpip_counter_names(void);

/** Counter values, in the order of sl_tcpip_counter_names(). */
SL_API const uint64_t *sl_tcpip_counters(const struct sl_tcpip *h);

/** Free the host and its connections (no callbacks). NULL is fine. */
SL_API void sl_tcpip_free(struct sl_tcpip *h);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_TCPIP_H */
