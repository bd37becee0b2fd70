/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * impair: seeded fault injection (loss, duplication, reordering, delay,
 * corruption) to put between the wire and a protocol stack, since netem is
 * not available where the tests run.
 *
 * Every decision comes from a per-worker PRNG seeded with seed ^ worker
 * index, drawn in a fixed order per packet, so one seed and one input
 * sequence give the same decisions on every run. Only the moment a delayed
 * or held packet leaves depends on the clock.
 *
 * Per packet, in order: loss (drop); duplication (a copy follows the
 * original at once); corruption (one bit of one byte after the Ethernet
 * header); then either reorder (hold it until the next packet has gone out)
 * or delay (hold it delay_us in a FIFO). Packets none of these touched count
 * as "passed".
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "sluice/sl_stage.h"

#define IMPAIR_COUNTERS(X)                                                                         \
	X(IMPAIR_PASSED, "passed")                                                                 \
	X(IMPAIR_LOST, "lost")                                                                     \
	X(IMPAIR_DUPLICATED, "duplicated")                                                         \
	X(IMPAIR_DUP_NOMEM, "dup_nomem")                                                           \
	X(IMPAIR_REORDERED, "reordered")                                                           \
	X(IMPAIR_DELAYED, "delayed")                                                               \
	X(IMPAIR_DELAY_FULL, "delay_full")                                                         \
	X(IMPAIR_CORRUPTED, "corrupted")                                                           \
	X(IMPAIR_CORRUPT_NOMEM, "corrupt_nomem")                                                   \
	X(IMPAIR_OUT_FULL, "out_full")

enum { IMPAIR_COUNTERS(SL_CNT_ENUM) IMPAIR_NB_COUNTERS };
static const char *const impair_counters[] = {IMPAIR_COUNTERS(SL_CNT_NAME) NULL};
static const char *const impair_args[] = {"loss",    "dup",  "reorder",	    "delay_us", "delay_pct",
					  "corrupt", "seed", "delay_slots", NULL};

/* A packet held for reordering leaves on the next poll after this long. */
#define IMPAIR_REORDER_MAX_US 50
#define IMPAIR_DELAY_SLOTS_DEFAULT 4096
#define IMPAIR_DELAY_SLOTS_MAX (1u << 20)
#define IMPAIR_DELAY_US_MAX 10000000UL

/* Probabilities as thresholds on a 32-bit draw: hit when draw < threshold. */
#define IMPAIR_P_ONE (UINT64_C(1) << 32)

struct impair_cfg {
	uint64_t loss, dup, reorder, delay, corrupt;
	uint64_t delay_us;
	uint64_t seed;
	uint32_t delay_slots;
	bool any;
};

struct impair_slot {
	struct rte_mbuf *m;
	uint64_t due;
};

struct impair_priv {
	struct impair_cfg cfg;
	uint64_t rng;
	uint64_t delay_tsc;
	uint64_t reorder_tsc;
	struct rte_mbuf *held;
	uint64_t held_since;
	struct impair_slot *fifo;
	uint32_t head, tail, mask; /* free-running indexes */
};

/* Where a vector callback writes its output. */
struct impair_out {
	struct rte_mbuf **pkts;
	uint16_t *nexts;
	uint16_t n, cap;
	uint64_t *counters;
};

/*
 * splitmix64 (Steele, Lea, Flood 2014): one add and three xor-shift-
 * multiplies, passes BigCrush, and any seed (0 included) is a good state,
 * so seed ^ worker index needs no conditioning.
 */
static inline uint64_t impair_rand(struct impair_priv *p)
{
	uint64_t z = (p->rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline bool impair_hit(struct impair_priv *p, uint64_t threshold)
{
	return threshold != 0 && (impair_rand(p) >> 32) < threshold;
}

static int impair_pct(struct sl_stage_init *init, const char *key, uint64_t *threshold)
{
	double v;

	if (sl_stage_arg_pct(init, key, "0", &v) < 0)
		return -EINVAL;
	*threshold = (uint64_t)llround(v / 100.0 * (double)IMPAIR_P_ONE);
	return 0;
}

static int impair_global_init(struct sl_stage_init *init)
{
	struct impair_cfg c = {0};
	uint64_t slots;

	if (impair_pct(init, "loss", &c.loss) < 0 || impair_pct(init, "dup", &c.dup) < 0 ||
	    impair_pct(init, "reorder", &c.reorder) < 0 ||
	    impair_pct(init, "corrupt", &c.corrupt) < 0 ||
	    sl_stage_arg_u64(init, "delay_us", "0", SL_UNITS_NONE, 0, IMPAIR_DELAY_US_MAX,
			     &c.delay_us) < 0 ||
	    sl_stage_arg_u64(init, "seed", "0", SL_UNITS_NONE, 0, UINT64_MAX, &c.seed) < 0 ||
	    sl_stage_arg_u64(init, "delay_slots", "4096", SL_UNITS_SI, 1, IMPAIR_DELAY_SLOTS_MAX,
			     &slots) < 0)
		return -EINVAL;
	/* delay_us alone means: delay every packet. */
	if (impair_pct(init, "delay_pct", &c.delay) < 0)
		return -EINVAL;
	if (sl_stage_arg(init, "delay_pct", NULL) == NULL && c.delay_us > 0)
		c.delay = IMPAIR_P_ONE;
	if (c.delay_us == 0)
		c.delay = 0;
	c.delay_slots = rte_align32pow2((uint32_t)slots);
	c.any = c.loss || c.dup || c.reorder || c.delay || c.corrupt;

	init->global_state = malloc(sizeof(c));
	if (init->global_state == NULL)
		return sl_stage_fail(init, "out of memory. Fix: give the EAL more memory");
	memcpy(init->global_state, &c, sizeof(c));
	return 0;
}

static void impair_global_fini(void *global_state)
{
	free(global_state);
}

static int impair_worker_init(struct sl_stage_init *init)
{
	struct impair_priv *p = init->ctx->priv;
	const struct sl_worker_info *w = init->ctx->worker;
	uint64_t hz = rte_get_tsc_hz();

	memset(p, 0, sizeof(*p));
	p->cfg = *(const struct impair_cfg *)init->global_state;
	p->rng = p->cfg.seed ^ w->index;
	p->delay_tsc = hz / 1000000 * p->cfg.delay_us + hz % 1000000 * p->cfg.delay_us / 1000000;
	p->reorder_tsc = hz / 1000000 * IMPAIR_REORDER_MAX_US;
	if (p->cfg.delay == 0)
		return 0;
	p->fifo = rte_zmalloc_socket("sl_impair", p->cfg.delay_slots * sizeof(p->fifo[0]),
				     RTE_CACHE_LINE_SIZE, w->socket);
	if (p->fifo == NULL)
		return sl_stage_fail(init,
				     "cannot allocate %u delay slots on NUMA node %d. Fix: lower "
				     "delay_slots",
				     p->cfg.delay_slots, w->socket);
	p->mask = p->cfg.delay_slots - 1;
	return 0;
}

static void impair_worker_fini(struct sl_stage_ctx *ctx)
{
	struct impair_priv *p = ctx->priv;

	rte_pktmbuf_free(p->held);
	p->held = NULL;
	for (; p->fifo != NULL && p->head != p->tail; p->head++)
		rte_pktmbuf_free(p->fifo[p->head & p->mask].m);
	rte_free(p->fifo);
	p->fifo = NULL;
}

static inline void impair_push(struct impair_out *o, struct rte_mbuf *m, uint16_t edge)
{
	if (unlikely(o->n == o->cap)) {
		rte_pktmbuf_free(m);
		o->counters[IMPAIR_OUT_FULL]++;
		return;
	}
	o->pkts[o->n] = m;
	o->nexts[o->n++] = edge;
}

/* Send a packet on; a packet held for reordering goes right behind it. */
static inline void impair_send(struct impair_priv *p, struct impair_out *o, struct rte_mbuf *m)
{
	impair_push(o, m, SL_EDGE_NEXT);
	if (p->held != NULL) {
		impair_push(o, p->held, SL_EDGE_NEXT);
		p->held = NULL;
	}
}

/*
 * Release delayed packets that are due, filling at most `limit` output
 * slots (one may go to a packet held for reordering).
 */
static void impair_release_due(struct impair_priv *p, struct impair_out *o, uint64_t now,
			       uint16_t limit)
{
	uint16_t end = (uint16_t)RTE_MIN((uint32_t)o->cap, (uint32_t)o->n + limit);

	while (p->head != p->tail && o->n + 1 < end) {
		struct impair_slot *s = &p->fifo[p->head & p->mask];

		if ((int64_t)(now - s->due) < 0)
			break;
		p->head++;
		impair_send(p, o, s->m);
	}
}

/*
 * Flip one bit after the Ethernet header. The data may be shared (a clone,
 * or a TCP retransmit queue's reference), so corrupt a private copy then.
 */
static struct rte_mbuf *impair_corrupt(struct sl_stage_ctx *ctx, struct impair_priv *p,
				       struct rte_mbuf *m, bool *done)
{
	uint64_t r = impair_rand(p);
	uint32_t span, off;

	if (rte_pktmbuf_data_len(m) <= RTE_ETHER_HDR_LEN)
		return m;
	if (RTE_MBUF_CLONED(m) || rte_mbuf_refcnt_read(m) > 1 || RTE_MBUF_HAS_EXTBUF(m)) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, ctx->worker->pool, 0, UINT32_MAX);

		if (c == NULL) {
			ctx->counters[IMPAIR_CORRUPT_NOMEM]++;
			return m;
		}
		rte_pktmbuf_free(m);
		m = c;
		if (rte_pktmbuf_data_len(m) <= RTE_ETHER_HDR_LEN)
			return m;
	}
	span = rte_pktmbuf_data_len(m) - RTE_ETHER_HDR_LEN;
	off = RTE_ETHER_HDR_LEN + (uint32_t)(((r >> 32) * span) >> 32);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, off) ^= (uint8_t)(1u << (r & 7));
	ctx->counters[IMPAIR_CORRUPTED]++;
	*done = true;
	return m;
}

static void impair_one(struct sl_stage_ctx *ctx, struct impair_priv *p, struct impair_out *o,
		       struct rte_mbuf *m, uint64_t now)
{
	const struct impair_cfg *c = &p->cfg;
	struct rte_mbuf *dup = NULL;
	bool touched = false;

	if (impair_hit(p, c->loss)) {
		ctx->counters[IMPAIR_LOST]++;
		impair_push(o, m, SL_EDGE_DROP);
		return;
	}
	if (impair_hit(p, c->dup)) {
		/* Copied before corruption: the duplicate arrives intact. */
		dup = rte_pktmbuf_copy(m, ctx->worker->pool, 0, UINT32_MAX);
		ctx->counters[dup != NULL ? IMPAIR_DUPLICATED : IMPAIR_DUP_NOMEM]++;
		touched = dup != NULL;
	}
	if (impair_hit(p, c->corrupt))
		m = impair_corrupt(ctx, p, m, &touched);
	if (p->held == NULL && impair_hit(p, c->reorder)) {
		p->held = m;
		p->held_since = now;
		ctx->counters[IMPAIR_REORDERED]++;
	} else if (impair_hit(p, c->delay)) {
		if (p->tail - p->head > p->mask) {
			ctx->counters[IMPAIR_DELAY_FULL]++;
			impair_push(o, m, SL_EDGE_DROP);
		} else {
			p->fifo[p->tail & p->mask] = (struct impair_slot){m, now + p->delay_tsc};
			p->tail++;
			ctx->counters[IMPAIR_DELAYED]++;
		}
	} else {
		ctx->counters[IMPAIR_PASSED] += !touched;
		impair_send(p, o, m);
	}
	/* Pushed, not sent: a duplicate must not release the held packet early. */
	if (dup != NULL)
		impair_push(o, dup, SL_EDGE_NEXT);
}

static uint16_t impair_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			       struct rte_mbuf **out, uint16_t *nexts, uint16_t cap)
{
	struct impair_priv *p = ctx->priv;
	struct impair_out o = {out, nexts, 0, cap, ctx->counters};
	uint64_t now;

	if (!p->cfg.any) {
		for (uint16_t i = 0; i < n; i++)
			impair_push(&o, pkts[i], SL_EDGE_NEXT);
		ctx->counters[IMPAIR_PASSED] += n;
		return o.n;
	}
	now = rte_rdtsc();
	/*
	 * Packets that waited their time go before the ones arriving now, but
	 * only into room the new ones cannot need (each input makes at most
	 * two outputs, plus one held packet); poll releases the rest.
	 */
	if (p->fifo != NULL && cap > 2 * n + 1)
		impair_release_due(p, &o, now, (uint16_t)(cap - 2 * n - 1));
	for (uint16_t i = 0; i < n; i++)
		impair_one(ctx, p, &o, pkts[i], now);
	return o.n;
}

static uint16_t impair_poll(struct sl_stage_ctx *ctx, struct rte_mbuf **out, uint16_t *nexts,
			    uint16_t cap)
{
	struct impair_priv *p = ctx->priv;
	struct impair_out o = {out, nexts, 0, cap, ctx->counters};
	uint64_t now;

	if (p->held == NULL && p->head == p->tail)
		return 0;
	now = rte_rdtsc();
	if (p->fifo != NULL)
		impair_release_due(p, &o, now, cap);
	if (p->held != NULL && now - p->held_since >= p->reorder_tsc && o.n < o.cap) {
		impair_push(&o, p->held, SL_EDGE_NEXT);
		p->held = NULL;
	}
	return o.n;
}

static const struct sl_stage_ops impair_ops = {
    .name = "impair",
    .help = "seeded fault injection: loss=PCT,dup=PCT,reorder=PCT,corrupt=PCT,delay_us=N,"
	    "delay_pct=PCT (default 100 when delay_us is set),delay_slots=N (4096),seed=N (0)",
    .process_vector = impair_process,
    .poll = impair_poll,
    .priv_size = sizeof(struct impair_priv),
    .counters = impair_counters,
    .arg_keys = impair_args,
    .global_init = impair_global_init,
    .global_fini = impair_global_fini,
    .worker_init = impair_worker_init,
    .worker_fini = impair_worker_fini,
};

SL_STAGE_REGISTER(impair_ops);
