/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test harness for lib/tcp: one small EAL per test process, a stack on a
 * virtual clock whose output segments are captured and parsed, a builder
 * for crafted input segments, and an app that records its callbacks.
 * A second stack can be wired to the first ("pair") for end-to-end runs
 * with scripted loss.
 */
#ifndef SLUICE_TEST_TCP_HARNESS_H
#define SLUICE_TEST_TCP_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sluice/sl_tcp.h"
#include "tcp/tcp_priv.h"

#define TH_MAX_OUT 8192
#define TH_LOCAL_IP RTE_BE32(0x0a000001)  /* 10.0.0.1 */
#define TH_REMOTE_IP RTE_BE32(0x0a000002) /* 10.0.0.2 */
#define TH_LOCAL_PORT RTE_BE16(80)
#define TH_REMOTE_PORT RTE_BE16(40000)
#define TH_T0 1000000000ull /* virtual clock start, us */

/** One segment the stack sent, parsed. */
struct th_seg {
	uint32_t seq, ack;
	uint16_t win;
	uint8_t flags;
	uint16_t hlen;
	uint32_t len; /* payload bytes */
	uint8_t *data;
	struct tcp_opts o;
	uint8_t raw_opts[40];
	uint8_t raw_opts_len;
	bool cksum_ok;
	uint16_t nb_segs;
	uint64_t at_us;
	struct sl_tcp_tuple t;
};

/** A segment to inject (as if from the peer). Zero fields: no option. */
struct th_spec {
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t win; /* raw field */
	const void *data;
	uint32_t len;
	uint16_t mss; /* 0: no MSS option */
	int ws;	      /* -1 or 0..255 (raw shift); use TH_NO_WS */
	bool ts;
	uint32_t tsval, tsecr;
	bool sack_perm;
	uint8_t nsack; /* SACK blocks to carry (after TS) */
	struct tcp_sack_block sack[TCP_SACK_MAX_BLOCKS];
	const uint8_t *raw_opts; /* replaces all options when set */
	uint8_t raw_opts_len;
	int doff; /* data offset words override (0: computed) */
	bool bad_cksum;
	const struct sl_tcp_tuple *tuple; /* default: the harness tuple */
};
#define TH_NO_WS (-1)

struct th;
typedef void (*th_cfg_fn)(struct sl_tcp_config *cfg);

/** Recording app, one per stack. */
struct th_app {
	struct sl_tcp_conn *conn; /* last accepted / connected */
	unsigned int accepts, connects, peer_fins, closes, sent_calls;
	enum sl_tcp_close_reason reason;
	uint64_t acked_bytes;
	uint8_t *rx;
	size_t rx_len, rx_cap;
	unsigned int data_calls;
	int take;	      /* mbufs on_data takes per call; -1: all */
	bool reject;	      /* on_accept returns -1 */
	bool close_in_closed; /* try sl_tcp_close inside on_closed (must fail) */
	/*
	 * on_sent queues as many new pattern bytes as were acknowledged (from
	 * stream offset refill_off on), in refill_chunk pieces: like the echo
	 * service, which sends from inside on_sent (via sl_tcp_recv_resume).
	 */
	bool refill;
	uint32_t refill_off, refill_chunk;
};

struct th {
	struct sl_tcp_stack *s;
	struct sl_tcp_config cfg;
	uint64_t now;
	struct sl_tcp_tuple t; /* local view */
	struct th_seg out[TH_MAX_OUT];
	unsigned int nout;
	unsigned int seen; /* th_next() cursor */
	bool hold;	   /* keep output mbufs (pretend a NIC ring holds them) */
	struct rte_mbuf *held[TH_MAX_OUT];
	unsigned int nheld;
	struct th_app app;
	struct sl_tcp_callbacks cb;
	/* pair mode: output goes to the other side's wire queue */
	struct th *peer;
	struct rte_mbuf *wire[TH_MAX_OUT];
	struct sl_tcp_tuple wire_t[TH_MAX_OUT];
	unsigned int wire_n;
	/* handshake bookkeeping of the crafted peer */
	uint32_t iss, irs; /* ours, the peer's */
	uint32_t pseq;	   /* next sequence the peer sends */
	bool peer_sack;	   /* th_passive_open's SYN offers SACK-permitted */
};

void th_eal(void);
void th_eal_done(void);
struct rte_mempool *th_pool(void);

/** Create a stack (cfg tweaked by fn, may be NULL) on the virtual clock. */
void th_init(struct th *h, th_cfg_fn fn);
void th_fini(struct th *h);
void th_inject(struct th *h, const struct th_spec *sp);
/** Advance the virtual clock by `us` and run timers. */
void th_advance(struct th *h, uint64_t us);
/** Run timers event by event until `until` (absolute). */
void th_run_until(struct th *h, uint64_t until);
/** Segments sent since the last th_clear / th_take. */
unsigned int th_count(const struct th *h);
struct th_seg *th_out(struct th *h, unsigned int i);
struct th_seg *th_last(struct th *h);
void th_clear(struct th *h);
/** Free what `hold` kept. */
void th_release(struct th *h);
uint64_t th_stat(const struct th *h, const char *name);

/** Listen on TH_LOCAL_PORT with the recording app. */
void th_listen(struct th *h);
/** SYN from the peer (isn), SYN-ACK checked, final ACK: ESTABLISHED. */
void th_passive_open(struct th *h, uint32_t peer_isn, uint16_t mss, int ws, bool ts);
/** The config most tests use: MSS 1000. */
void th_mss1000(struct sl_tcp_config *cfg);
/** th_init with `fn` (NULL: th_mss1000), a passive open (peer MSS 1000, no WS/TS), output cleared.
 */
struct sl_tcp_conn *th_open_server(struct th *h, th_cfg_fn fn);
/** connect(), SYN checked, SYN-ACK from the peer, ACK checked. */
void th_active_open(struct th *h, uint32_t peer_isn, uint16_t mss, int ws, bool ts);
/** A data segment from the peer at h->pseq (advances pseq); ACKs our snd side at `ack`. */
void th_peer_data(struct th *h, const void *data, uint32_t len, uint32_t ack);
/** A pure ACK from the peer with window `win`. */
void th_peer_ack(struct th *h, uint32_t ack, uint16_t win);
/** Queue `len` bytes (pattern from `base`) in mbufs of `chunk` bytes; returns bytes taken. */
uint32_t th_send_pattern(struct th *h, uint32_t base, uint32_t len, uint32_t chunk);
/** Expected pattern byte for stream offset i. */
static inline uint8_t th_pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + (i >> 8));
}

/* Pair mode: two stacks connected by a wire held in the harness. */
void th_pair(struct th *a, struct th *b, th_cfg_fn fa, th_cfg_fn fb);
/** Deliver queued segments both ways; `drop` decides per segment (NULL: none). */
typedef bool (*th_drop_fn)(void *ctx, const struct th *from, const struct th_seg *seg);
unsigned int th_pair_pump(struct th *a, struct th *b, th_drop_fn drop, void *ctx);
/** Advance both clocks and run both timers. */
void th_pair_advance(struct th *a, struct th *b, uint64_t us);

#endif /* SLUICE_TEST_TCP_HARNESS_H */
