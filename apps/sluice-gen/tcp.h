/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's TCP client mode: N connections to an echo server over
 * sluice's own stack, each keeping --depth requests of --msg bytes in
 * flight, every echoed byte checked against a pattern keyed by connection
 * id and stream offset.
 *
 * Structure: the client drives the tcpip stage's host interface
 * (sluice/sl_tcpip.h) on its one lcore: rx burst -> sl_tcpip_input -> tx
 * burst, then sl_tcpip_poll (ARP and TCP timers) -> tx. The client is an
 * app on that host's TCP stack (sl_tcp_connect and callbacks), so ARP, IPv4
 * and TCP are exactly the code sluice-echo runs. tcp_pattern.c: the byte
 * pattern; tcp_client.c: connections and their callbacks; tcp_run.c: set-up,
 * loop and report.
 */
#ifndef SLUICE_GEN_TCP_H
#define SLUICE_GEN_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "gen.h"
#include "hist.h"
#include "sluice/sl_tcp.h"
#include "sluice/sl_tcpip.h"

#define TCPG_BURST 32
#define TCPG_OUT 256
#define TCPG_MAX_DEPTH 256
#define TCPG_SEG 1400	    /* payload per mbuf: fits an MSS of 1460 */
#define TCPG_SLICE 256	    /* connection slots looked at per loop */
#define TCPG_CONNECTING 256 /* SYNs (and FINs when stopping) outstanding at most */

struct tcpg_conn {
	struct sl_tcp_conn *c;
	struct tcpg *t;
	uint32_t id; /* unique per connection attempt: keys the pattern */
	bool open, closing;
	uint64_t tx_off, rx_off; /* stream offsets: queued, verified */
	uint32_t inflight, msgs_queued;
	uint64_t msgs_done;
	uint32_t head, tail; /* ring of send TSCs, one per message in flight */
	uint64_t sent_tsc[TCPG_MAX_DEPTH];
	uint64_t connect_tsc;
	uint64_t retry_tsc; /* after a refused sl_tcp_connect, not before */
};

struct tcpg {
	const struct gen_opts *o;
	uint16_t port_id;
	struct rte_mempool *pool;
	struct sl_tcpip *host;
	struct sl_tcp_stack *stack;
	uint64_t hz, tsc_mult;
	bool stopping;
	uint32_t next_id;
	uint32_t cursor;      /* next connection slot the main loop looks at */
	uint32_t connecting;  /* SYN sent, not yet established or failed */
	uint32_t closing_now; /* close() called, on_closed not yet */
	uint64_t open_now, open_peak, open_at_stop;
	struct tcpg_conn *conns;
	struct gen_hist *lat, *conn_lat;
	/* counters */
	uint64_t opened, established, closed_ok, failed, reset, verify_errors, bytes_verified,
	    transactions, send_short, tx_drops, connect_errors;
	int first_connect_errno;
	uint64_t first_bad_off;
	uint32_t first_bad_conn;
};

/* ---- the pattern (tcp_pattern.c) ---- */

int tcpg_pat_init(void);
void tcpg_pat_fini(void);
/* Bytes [off, off + len) of connection id's stream into dst. */
void tcpg_pat_copy(uint32_t id, uint64_t off, uint8_t *dst, uint32_t len);
/* How many of p[0..len) differ from the stream at off; *first: the first one. */
uint32_t tcpg_pat_check(uint32_t id, uint64_t off, const uint8_t *p, uint32_t len, uint64_t *first);

/* ---- connections (tcp_client.c) ---- */

/* (Re)open connection slot tc (not before its retry time). */
void tcpg_connect(struct tcpg *t, struct tcpg_conn *tc);
void tcpg_close(struct tcpg_conn *tc);
/* One turn over TCPG_SLICE slots: open what is closed, or close when stopping. */
void tcpg_slice(struct tcpg *t);

#endif /* SLUICE_GEN_TCP_H */
