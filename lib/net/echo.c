/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Echo service (RFC 862) over sluice's TCP and UDP. See sl_echo.h for the
 * contract; the point of this file is that echo needs no buffer of its own:
 * received mbufs go straight back into sl_tcp_send(), and what does not fit
 * waits in TCP's receive queue, where it also closes the advertised window.
 *
 * Per-connection state is 40 bytes from an array preallocated on the
 * worker's node (a free list, no malloc per connection), linked in an LRU
 * list so idle connections are found without scanning.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_udp.h>

#include "net/sl_net.h"
#include "sluice/sl_echo.h"

#define ECHO_NIL UINT32_MAX

struct echo_conn {
	struct sl_tcp_conn *c;
	struct sl_echo *svc;
	uint64_t last_us;
	uint32_t prev, next; /* LRU list, oldest at head; also the free list (next) */
	uint8_t stalled;     /* on_data left mbufs queued in TCP */
	uint8_t peer_fin;
	uint8_t closing; /* we called sl_tcp_close */
	uint8_t used;
	uint8_t in_lru;
};

struct sl_echo {
	struct sl_tcp_stack *stack;
	struct sl_echo_config cfg;
	struct sl_echo_stats stats;
	uint64_t now_us;
	uint64_t idle_us;
	uint32_t free_head;
	uint32_t lru_head, lru_tail;
	struct echo_conn *conns;
};

static inline uint32_t echo_index(const struct sl_echo *e, const struct echo_conn *ec)
{
	return (uint32_t)(ec - e->conns);
}

static void lru_unlink(struct sl_echo *e, struct echo_conn *ec)
{
	if (!ec->in_lru)
		return;
	ec->in_lru = 0;
	if (ec->prev != ECHO_NIL)
		e->conns[ec->prev].next = ec->next;
	else
		e->lru_head = ec->next;
	if (ec->next != ECHO_NIL)
		e->conns[ec->next].prev = ec->prev;
	else
		e->lru_tail = ec->prev;
	ec->prev = ec->next = ECHO_NIL;
}

static void lru_append(struct sl_echo *e, struct echo_conn *ec)
{
	uint32_t i = echo_index(e, ec);

	ec->in_lru = 1;
	ec->prev = e->lru_tail;
	ec->next = ECHO_NIL;
	if (e->lru_tail != ECHO_NIL)
		e->conns[e->lru_tail].next = i;
	else
		e->lru_head = i;
	e->lru_tail = i;
}

/* Activity: the connection becomes the youngest. Only when idle_ms is on. */
static inline void echo_touch(struct sl_echo *e, struct echo_conn *ec)
{
	ec->last_us = e->now_us;
	if (e->idle_us != 0 && ec->in_lru && e->lru_tail != echo_index(e, ec)) {
		lru_unlink(e, ec);
		lru_append(e, ec);
	}
}

/* FIN once everything received has gone back into the send queue. */
static inline void echo_maybe_close(struct echo_conn *ec)
{
	if (ec->peer_fin && !ec->stalled && !ec->closing) {
		ec->closing = 1;
		sl_tcp_close(ec->c); /* may call on_closed: ec is not touched after */
	}
}

static int echo_on_accept(struct sl_tcp_conn *c, void *listen_arg, void **conn_arg)
{
	struct sl_echo *e = listen_arg;
	struct echo_conn *ec;

	if (e->free_head == ECHO_NIL) {
		e->stats.refused++;
		return -1;
	}
	ec = &e->conns[e->free_head];
	e->free_head = ec->next;
	memset(ec, 0, sizeof(*ec));
	ec->c = c;
	ec->svc = e;
	ec->used = 1;
	ec->last_us = e->now_us;
	lru_append(e, ec);
	e->stats.accepted++;
	*conn_arg = ec;
	return 0;
}

static uint16_t echo_on_data(struct sl_tcp_conn *c, void *arg, struct rte_mbuf **m, uint16_t n)
{
	struct echo_conn *ec = arg;
	uint16_t taken;

	if (unlikely(ec->closing)) {
		/* We sent our FIN (idle close): data can no longer go back. */
		rte_pktmbuf_free_bulk(m, n);
		return n;
	}
	taken = sl_tcp_send(c, m, n);
	ec->stalled = taken < n;
	for (uint16_t i = 0; i < taken; i++)
		ec->svc->stats.bytes += rte_pktmbuf_pkt_len(m[i]);
	echo_touch(ec->svc, ec);
	return taken;
}

static void echo_on_sent(struct sl_tcp_conn *c, void *arg, uint32_t bytes)
{
	struct echo_conn *ec = arg;

	RTE_SET_USED(bytes);
	echo_touch(ec->svc, ec);
	if (ec->stalled && !ec->closing) {
		/* on_data runs again from here and updates ec->stalled. */
		sl_tcp_recv_resume(c);
	}
	echo_maybe_close(ec);
}

static void echo_on_peer_fin(struct sl_tcp_conn *c, void *arg)
{
	struct echo_conn *ec = arg;

	RTE_SET_USED(c);
	ec->peer_fin = 1;
	echo_maybe_close(ec);
}

static void echo_on_closed(struct sl_tcp_conn *c, void *arg, enum sl_tcp_close_reason why);

static const struct sl_tcp_callbacks echo_callbacks = {
    .on_accept = echo_on_accept,
    .on_data = echo_on_data,
    .on_sent = echo_on_sent,
    .on_peer_fin = echo_on_peer_fin,
    .on_closed = echo_on_closed,
};

static void echo_on_closed(struct sl_tcp_conn *c, void *arg, enum sl_tcp_close_reason why)
{
	struct echo_conn *ec = arg;
	struct sl_echo *e = ec->svc;

	RTE_SET_USED(c);
	RTE_SET_USED(why);
	if (!ec->used)
		return;
	lru_unlink(e, ec);
	ec->used = 0;
	ec->c = NULL;
	ec->next = e->free_head;
	e->free_head = echo_index(e, ec);
	e->stats.closed++;
}

struct sl_echo *sl_echo_tcp_create(struct sl_tcp_stack *s, const struct sl_echo_config *cfg)
{
	uint32_t nports = cfg != NULL && cfg->nports > 1 ? cfg->nports : 1;
	struct sl_echo *e;

	if (s == NULL || cfg == NULL || cfg->port == 0 || cfg->max_conns == 0 ||
	    cfg->max_conns >= ECHO_NIL || (uint32_t)cfg->port + nports - 1 > 65535) {
		rte_errno = EINVAL;
		return NULL;
	}
	e = rte_zmalloc_socket("sl_echo", sizeof(*e), RTE_CACHE_LINE_SIZE, cfg->socket);
	if (e == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	e->conns = rte_zmalloc_socket("sl_echo_conns", (size_t)cfg->max_conns * sizeof(e->conns[0]),
				      RTE_CACHE_LINE_SIZE, cfg->socket);
	if (e->conns == NULL) {
		rte_free(e);
		rte_errno = ENOMEM;
		return NULL;
	}
	e->stack = s;
	e->cfg = *cfg;
	e->idle_us = (uint64_t)cfg->idle_ms * 1000;
	e->lru_head = e->lru_tail = ECHO_NIL;
	for (uint32_t i = 0; i < cfg->max_conns; i++) {
		e->conns[i].prev = ECHO_NIL;
		e->conns[i].next = i + 1 < cfg->max_conns ? i + 1 : ECHO_NIL;
	}
	e->free_head = 0;
	for (uint32_t i = 0; i < nports; i++) {
		int rc = sl_tcp_listen(s, rte_cpu_to_be_16((uint16_t)(cfg->port + i)),
				       &echo_callbacks, e);

		if (rc < 0) {
			/* Leave no listener behind that points at the freed service. */
			while (i-- > 0)
				sl_tcp_unlisten(s, rte_cpu_to_be_16((uint16_t)(cfg->port + i)));
			sl_echo_free(e);
			rte_errno = rc == -EINVAL ? EADDRINUSE : -rc;
			return NULL;
		}
	}
	return e;
}

void sl_echo_poll(struct sl_echo *e, uint64_t now_us)
{
	e->now_us = now_us;
	if (e->idle_us == 0)
		return;
	while (e->lru_head != ECHO_NIL) {
		struct echo_conn *ec = &e->conns[e->lru_head];

		if (now_us - ec->last_us < e->idle_us)
			break;
		/* Whatever happens in close, it leaves the head of the list. */
		lru_unlink(e, ec);
		if (!ec->closing) {
			ec->closing = 1;
			e->stats.idle_closed++;
			sl_tcp_close(ec->c);
		}
	}
}

const struct sl_echo_stats *sl_echo_get_stats(const struct sl_echo *e)
{
	return &e->stats;
}

void sl_echo_free(struct sl_echo *e)
{
	if (e == NULL)
		return;
	rte_free(e->conns);
	rte_free(e);
}

void sl_echo_udp_turnaround(struct rte_mbuf *m, uint8_t ttl)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp =
	    (struct rte_udp_hdr *)((uint8_t *)ip + (ip->version_ihl & 0xf) * 4);
	uint32_t a = ip->src_addr;
	uint16_t p = udp->src_port;

	sl_ether_swap_macs(eth);
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	udp->src_port = udp->dst_port;
	udp->dst_port = p;
	ip->time_to_live = ttl;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}
