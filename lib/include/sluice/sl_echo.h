/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Echo service (RFC 862) on sluice's TCP and UDP, for the tcpip stage and
 * for apps that embed a worker's sl_tcp_stack themselves.
 *
 * TCP echo is zero copy: the payload mbufs handed to on_data are given back
 * to sl_tcp_send() as they are. What the send buffer cannot take stays in
 * the connection's receive queue (on_data returns how many it took), which
 * closes the receive window and so pushes back on the peer; on_sent offers
 * it again with sl_tcp_recv_resume(). A peer FIN is answered with our FIN
 * once everything received has been echoed.
 *
 * One sl_echo per worker (per TCP stack); nothing in it is shared.
 */
#ifndef SLUICE_SL_ECHO_H
#define SLUICE_SL_ECHO_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "sluice/sl_tcp.h"
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @struct sl_echo
 * Opaque: one echo service on one worker's stack (sl_echo_tcp_create()). */
struct sl_echo;

/** Settings of one TCP echo service (sl_echo_tcp_create()). */
struct sl_echo_config {
	uint16_t port;	    /**< TCP port to listen on, host byte order */
	uint16_t nports;    /**< listen on port .. port + nports - 1 (0 means 1) */
	uint32_t max_conns; /**< connections served at once (state for each is preallocated) */
	uint32_t idle_ms;   /**< close a connection idle this long; 0 = never */
	int socket;	    /**< NUMA node for the service's memory */
};

/** Counters of one echo service, counting up since it was created. */
struct sl_echo_stats {
	uint64_t accepted;    /**< connections accepted */
	uint64_t refused;     /**< connections refused: max_conns reached */
	uint64_t bytes;	      /**< payload bytes handed back to TCP */
	uint64_t idle_closed; /**< connections we closed after idle_ms */
	uint64_t closed;      /**< connections gone (any reason) */
};

/**
 * Listen on cfg->port of stack `s` and echo. NULL with rte_errno set on
 * failure (no memory, port already used).
 */
SL_API struct sl_echo *sl_echo_tcp_create(struct sl_tcp_stack *s, const struct sl_echo_config *cfg);

/**
 * Give the service the time (the same clock as the stack's) and close
 * connections idle longer than idle_ms. Call it from the worker loop; it
 * costs one compare when nothing is due.
 */
SL_API void sl_echo_poll(struct sl_echo *e, uint64_t now_us);

/** The service's counters, updated in place: read them on its worker. */
SL_API const struct sl_echo_stats *sl_echo_get_stats(const struct sl_echo *e);

/** Free the service's memory. Call after sl_tcp_stack_free() of its stack. */
SL_API void sl_echo_free(struct sl_echo *e);

/**
 * UDP echo in place: `m` is an untagged Ethernet/IPv4/UDP frame the caller
 * has validated. Swaps MACs, IPv4 addresses and UDP ports and resets the TTL
 * to `ttl`; the UDP checksum does not change (the pseudo header sum is the
 * same with both addresses and both ports swapped), the IPv4 one is
 * recomputed. The frame can then be sent out of the port it came in on.
 */
SL_API void sl_echo_udp_turnaround(struct rte_mbuf *m, uint8_t ttl);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_ECHO_H */
