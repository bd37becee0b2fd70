/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's engine state, shared by its parts: engine.c (create, run,
 * destroy), ports.c (ports through lib/port, links), loop.c (the send/receive
 * loop), report.c (interval lines, summary, JSON) and search.c (RFC 2544).
 * Everything the loop touches (flow templates, the sequence bitmap, per-flow
 * state, tx staging) is allocated before it starts.
 */
#ifndef SLUICE_GEN_ENGINE_H
#define SLUICE_GEN_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "gen.h"
#include "hist.h"
#include "pkt.h"
#include "sizes.h"

#define GEN_DESC 1024
#define GEN_MAX_BURST 256
/* Room to hold packets the PMD refused, so they go out later instead of
 * being dropped (and miscounted as loss). */
#define GEN_STAGE (2 * GEN_MAX_BURST)
/* Sequence window for loss and duplicate detection: at least 1 Mi packets,
 * at most 128 Mi (16 MiB of bitmap). Beyond it the bits are reused. */
#define GEN_WIN_MIN (1u << 20)
#define GEN_WIN_MAX (1u << 27)

/* Verification counters, X-macro so the summary and JSON list them once. */
#define GEN_VERIFY(X)                                                                              \
	X(V_WRONG_PORT, "wrong_port")                                                              \
	X(V_DST_MAC, "dst_mac")                                                                    \
	X(V_SRC_MAC, "src_mac")                                                                    \
	X(V_TTL, "ttl")                                                                            \
	X(V_CKSUM, "ip_cksum")                                                                     \
	X(V_UNEXPECTED, "should_have_been_dropped")

#define GEN_ENUM(id, name) id,
enum { GEN_VERIFY(GEN_ENUM) GEN_NB_VERIFY };

struct gen_txq {
	uint16_t n;
	uint16_t port_id;
	uint16_t queue;
	struct rte_mbuf *pkts[GEN_STAGE];
	uint16_t flow[GEN_STAGE];
};

struct gen_counts {
	uint64_t sent, sent_back, sent_drop; /* sent_back: expected to return */
	uint64_t received, unique, dups, reordered, bad, late;
	uint64_t written_off; /* --window: in flight too long, no longer waited for */
	uint64_t built_bytes, unsent_bytes, rx_bytes; /* frame bytes incl. FCS */
	uint64_t verify[GEN_NB_VERIFY];
	uint64_t port_tx[GEN_MAX_PORTS], port_rx[GEN_MAX_PORTS];
	/* Gaps of more than GEN_STALL_US between two turns of the send/receive
	 * loop: the generator's core was taken (a VM's vCPU descheduled, another
	 * thread on the core). They explain a rate short of the target and
	 * latency spikes that are not the DUT's. */
	uint64_t stalls, stall_cycles, stall_max;
};

#define GEN_STALL_US 500
#define GEN_CATCH_UP_US 100 /* least backlog the pacer makes up (gen_loop) */

/* One trial of --search (or the single run otherwise). */
struct gen_trial {
	double rate_value; /* in the unit of opts.rate.kind */
	double target_pps, tx_pps, rx_pps, loss_pct;
	double stalled_ms; /* gaps in the loop: the core was taken (gen_counts) */
	uint64_t sent, lost;
	uint64_t p50, p99, max; /* latency, cycles */
	bool pass;
};
#define GEN_MAX_TRIALS 40

struct gen {
	struct gen_opts o;
	uint16_t port_id[GEN_MAX_PORTS];
	bool started[GEN_MAX_PORTS];
	struct rte_ether_addr port_mac[GEN_MAX_PORTS];
	struct rte_mempool *pool;    /* tx: data rooms zeroed, only our packets */
	struct rte_mempool *rx_pool; /* rx: whatever the peer sends */
	struct gen_flow *flows;
	uint32_t *flow_next; /* per flow: highest seq seen + 1 (0: none yet) */
	uint64_t *seen;	     /* bitmap over seq & win_mask */
	uint32_t win_mask;
	unsigned int nb_txq;
	struct gen_txq *txq; /* [tx port idx * queues + queue] */
	struct gen_counts c;
	struct gen_hist *lat;	   /* whole run (or trial) */
	struct gen_hist *lat_tick; /* current per-second line */
	struct gen_sizes *sizes;
	uint32_t size_idx, flow_cur;
	bool any_drop; /* some flow should be dropped by the DUT */
	struct gen_rate run_rate;
	uint64_t hz, start_tsc, end_send_tsc, end_tsc;
	unsigned int nb_trials;
	struct gen_trial trials[GEN_MAX_TRIALS];
	double found_rate; /* --search result, rate.kind units; < 0 none */
};

/* Set by gen_request_stop (a signal): stop sending. */
extern volatile bool gen_stop;

/* ---- ports (ports.c) ---- */

/* Open every --ports port through lib/port (rx from g->rx_pool). */
int gen_ports_open(struct gen *g, struct sl_error *err);
/* memif links come up only when the peer connects: wait, then --start-delay-ms. */
int gen_links_wait(struct gen *g, struct sl_error *err);
/* Started ports whose link is up. */
unsigned int gen_links_up(const struct gen *g);
void gen_ports_close(struct gen *g);

/* ---- the send/receive loop (loop.c) ---- */

/* Send at `rate` for `duration` s or `count` packets (0: no limit), then
 * drain for --wait-ms. */
void gen_loop(struct gen *g, const struct gen_rate *rate, double duration, uint64_t count);
/* Reset everything a run measures (between --search trials). */
void gen_counts_reset(struct gen *g);
/* Free what is staged and never sent (it does not count as sent). */
void gen_unstage(struct gen *g);

/* ---- results (report.c) ---- */

uint64_t gen_lost(const struct gen *g);
double gen_loss_pct(const struct gen *g);
bool gen_loss_ok(const struct gen *g);
uint64_t gen_verify_failed(const struct gen *g);
double gen_send_s(const struct gen *g);
double gen_us(const struct gen *g, uint64_t cycles);
/* One --stats-interval line; *prev and *prev_tsc move on to now. */
void gen_interval_line(struct gen *g, uint64_t now, struct gen_counts *prev, uint64_t *prev_tsc);
void gen_summary(const struct gen *g, FILE *f, const char *verdict);
/* Why the run failed, on one line of stderr (a result, not a usage error). */
void gen_failed_line(const struct gen *g);
int gen_json(const struct gen *g, const char *path, const char *verdict, struct sl_error *err);

/* ---- RFC 2544 throughput search (search.c) ---- */

void gen_search(struct gen *g);

/* ---- TCP client mode (tcp_run.c) ---- */

/* Runs until --duration or gen_stop on the first port, prints and writes
 * its own results; returns a gen_exit code (err filled on set-up errors). */
int gen_tcp_run(const struct gen_opts *o, uint16_t port_id, struct rte_mempool *pool,
		struct sl_error *err);

#endif /* SLUICE_GEN_ENGINE_H */
