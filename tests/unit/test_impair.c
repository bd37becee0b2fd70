/* SPDX-License-Identifier: BSD-3-Clause */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_cycles.h>
#include <rte_udp.h>

#include "eal_fixture.h"

TestSuite(impair, .init = sl_test_eal_setup, .fini = sl_test_eal_teardown);

#define BATCH 32
#define OUT_CAP (2 * BATCH)
#define SEQ_OFF                                                                                    \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

static struct rte_mbuf *seq_pkt(uint32_t seq)
{
	struct sl_test_pkt spec = {.payload_len = 32};
	struct rte_mbuf *m = sl_test_udp4(&spec);

	memcpy(rte_pktmbuf_mtod_offset(m, void *, SEQ_OFF), &seq, sizeof(seq));
	return m;
}

static uint32_t seq_of(const struct rte_mbuf *m)
{
	uint32_t seq;

	memcpy(&seq, rte_pktmbuf_mtod_offset(m, const void *, SEQ_OFF), sizeof(seq));
	return seq;
}

/* What came out: seq per packet and its edge, in order. */
struct trace {
	uint32_t *seq;
	uint16_t *edge;
	unsigned int n, cap;
};

static void trace_add(struct trace *t, struct rte_mbuf **out, const uint16_t *nexts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		cr_assert(nexts[i] == SL_EDGE_NEXT || nexts[i] == SL_EDGE_DROP);
		if (t != NULL) {
			cr_assert_lt(t->n, t->cap);
			t->seq[t->n] = seq_of(out[i]);
			t->edge[t->n++] = nexts[i];
		}
		rte_pktmbuf_free(out[i]);
	}
}

static void trace_init(struct trace *t, unsigned int cap)
{
	t->seq = calloc(cap, sizeof(*t->seq));
	t->edge = calloc(cap, sizeof(*t->edge));
	t->n = 0;
	t->cap = cap;
	cr_assert(t->seq != NULL && t->edge != NULL);
}

static void trace_fini(struct trace *t)
{
	free(t->seq);
	free(t->edge);
}

/* Push `total` packets (seq 0..total-1) through in batches; free whatever comes out. */
static void run(struct sl_test_stage *st, uint32_t total, struct trace *t)
{
	struct rte_mbuf *in[BATCH], *out[OUT_CAP];
	uint16_t nexts[OUT_CAP];

	for (uint32_t seq = 0; seq < total;) {
		uint16_t n = 0, got;

		while (n < BATCH && seq < total)
			in[n++] = seq_pkt(seq++);
		got = st->ops->process_vector(&st->ctx, in, n, out, nexts, OUT_CAP);
		cr_assert_leq(got, OUT_CAP);
		trace_add(t, out, nexts, got);
	}
}

/* Observed count within 4 sigma of a binomial(n, p). */
static void assert_binomial(uint64_t got, uint64_t n, double pct, const char *what)
{
	double p = pct / 100.0, mean = n * p, sigma = sqrt(n * p * (1 - p));

	cr_assert(fabs((double)got - mean) <= 4 * sigma + 1,
		  "%s: %lu of %lu, expected %.0f +- %.0f", what, got, n, mean, 4 * sigma);
}

static void open_ok(struct sl_test_stage *st, const char *args, unsigned int worker)
{
	cr_assert_eq(sl_test_stage_open(st, "impair", args, worker), 0, "%s", st->err.msg);
}

Test(impair, all_zero_passes_everything_unchanged)
{
	struct rte_mbuf *in[BATCH], *out[OUT_CAP];
	uint8_t before[BATCH][80];
	uint16_t nexts[OUT_CAP], got;
	struct sl_test_stage st;

	open_ok(&st, "loss=0,dup=0,reorder=0,delay_us=0,delay_pct=0,corrupt=0,seed=7", 0);
	for (unsigned int round = 0; round < 100; round++) {
		for (uint16_t i = 0; i < BATCH; i++) {
			in[i] = seq_pkt(round * BATCH + i);
			memcpy(before[i], rte_pktmbuf_mtod(in[i], void *),
			       rte_pktmbuf_data_len(in[i]));
		}
		got = st.ops->process_vector(&st.ctx, in, BATCH, out, nexts, OUT_CAP);
		cr_assert_eq(got, BATCH);
		for (uint16_t i = 0; i < BATCH; i++) {
			cr_assert_eq(out[i], in[i], "order or identity changed");
			cr_assert_eq(nexts[i], SL_EDGE_NEXT);
			cr_assert_eq(memcmp(before[i], rte_pktmbuf_mtod(out[i], void *),
					    rte_pktmbuf_data_len(out[i])),
				     0);
		}
		sl_test_free(out, got);
		cr_assert_eq(st.ops->poll(&st.ctx, out, nexts, OUT_CAP), 0);
	}
	cr_assert_eq(sl_test_counter(&st, "passed"), 100 * BATCH);
	sl_test_stage_close(&st);
}

Test(impair, loss_rate)
{
	enum { N = 100000 };
	struct sl_test_stage st;
	struct trace t;
	unsigned int dropped = 0;

	trace_init(&t, N);
	open_ok(&st, "loss=3,seed=42", 0);
	run(&st, N, &t);
	cr_assert_eq(t.n, N, "every packet comes out, lost ones on the drop edge");
	for (unsigned int i = 0; i < t.n; i++) {
		cr_assert_eq(t.seq[i], i, "loss alone must not reorder");
		dropped += t.edge[i] == SL_EDGE_DROP;
	}
	cr_assert_eq(sl_test_counter(&st, "lost"), dropped);
	cr_assert_eq(sl_test_counter(&st, "passed"), N - dropped);
	assert_binomial(dropped, N, 3, "lost");
	sl_test_stage_close(&st);
	trace_fini(&t);
}

Test(impair, dup_rate_and_copies_follow_originals)
{
	enum { N = 100000 };
	struct sl_test_stage st;
	struct trace t;
	uint64_t dups;

	trace_init(&t, 2 * N);
	open_ok(&st, "dup=5,seed=1", 0);
	run(&st, N, &t);
	dups = sl_test_counter(&st, "duplicated");
	cr_assert_eq(t.n, N + dups);
	cr_assert_eq(sl_test_counter(&st, "dup_nomem"), 0);
	/* Sequence: each seq once or twice in a row, increasing, never dropped. */
	for (unsigned int i = 0, want = 0; i < t.n; want++) {
		cr_assert_eq(t.seq[i], want);
		cr_assert_eq(t.edge[i], SL_EDGE_NEXT);
		i++;
		if (i < t.n && t.seq[i] == want)
			i++;
	}
	assert_binomial(dups, N, 5, "duplicated");
	sl_test_stage_close(&st);
	trace_fini(&t);
}

Test(impair, corrupt_flips_one_bit_after_ethernet)
{
	enum { N = 100000 };
	struct rte_mbuf *in[BATCH], *ref[BATCH], *out[OUT_CAP];
	uint16_t nexts[OUT_CAP];
	struct sl_test_stage st;
	uint64_t flipped = 0;

	open_ok(&st, "corrupt=2,seed=9", 0);
	for (uint32_t seq = 0; seq < N; seq += BATCH) {
		uint16_t got;

		for (uint16_t i = 0; i < BATCH; i++) {
			in[i] = seq_pkt(seq + i);
			ref[i] = rte_pktmbuf_copy(in[i], sl_test_pool(), 0, UINT32_MAX);
			cr_assert_not_null(ref[i]);
		}
		got = st.ops->process_vector(&st.ctx, in, BATCH, out, nexts, OUT_CAP);
		cr_assert_eq(got, BATCH);
		for (uint16_t i = 0; i < BATCH; i++) {
			const uint8_t *a = rte_pktmbuf_mtod(out[i], const uint8_t *);
			const uint8_t *b = rte_pktmbuf_mtod(ref[i], const uint8_t *);
			unsigned int bits = 0;

			cr_assert_eq(rte_pktmbuf_data_len(out[i]), rte_pktmbuf_data_len(ref[i]));
			for (unsigned int k = 0; k < rte_pktmbuf_data_len(ref[i]); k++) {
				if (a[k] != b[k])
					cr_assert_geq(k, RTE_ETHER_HDR_LEN,
						      "Ethernet header changed");
				bits += __builtin_popcount(a[k] ^ b[k]);
			}
			cr_assert_leq(bits, 1);
			flipped += bits;
		}
		sl_test_free(out, got);
		sl_test_free(ref, BATCH);
	}
	cr_assert_eq(sl_test_counter(&st, "corrupted"), flipped);
	cr_assert_eq(sl_test_counter(&st, "passed"), N - flipped);
	assert_binomial(flipped, N, 2, "corrupted");
	sl_test_stage_close(&st);
}

/* A packet someone else also references must not be corrupted in place. */
Test(impair, corrupt_copies_shared_packets)
{
	struct rte_mbuf *m = seq_pkt(5), *out[4];
	uint8_t before[80];
	uint16_t nexts[4];
	struct sl_test_stage st;

	open_ok(&st, "corrupt=100", 0);
	memcpy(before, rte_pktmbuf_mtod(m, void *), rte_pktmbuf_data_len(m));
	rte_pktmbuf_refcnt_update(m, 1); /* like a retransmit queue's reference */
	cr_assert_eq(st.ops->process_vector(&st.ctx, &m, 1, out, nexts, 4), 1);
	cr_assert_neq(out[0], m);
	cr_assert_eq(memcmp(before, rte_pktmbuf_mtod(m, void *), rte_pktmbuf_data_len(m)), 0,
		     "the shared original was modified");
	cr_assert_neq(memcmp(before, rte_pktmbuf_mtod(out[0], void *), rte_pktmbuf_data_len(m)), 0);
	cr_assert_eq(rte_mbuf_refcnt_read(m), 1, "impair must drop its reference to the original");
	rte_pktmbuf_free(out[0]);
	rte_pktmbuf_free(m);
	sl_test_stage_close(&st);
}

static unsigned int counter_index(const char *name)
{
	const char *const *names = sl_stage_find("impair")->counters;

	for (unsigned int i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	cr_assert_fail("no counter %s", name);
	return 0;
}

static void run_trace(const char *args, unsigned int worker, uint32_t total, struct trace *t,
		      uint64_t *counters)
{
	struct sl_test_stage st;
	struct rte_mbuf *out[OUT_CAP];
	uint16_t nexts[OUT_CAP], got;

	open_ok(&st, args, worker);
	run(&st, total, t);
	/* Wait out the reorder hold (50 us) so the last held packet comes out too. */
	rte_delay_us_block(200);
	got = st.ops->poll(&st.ctx, out, nexts, OUT_CAP);
	trace_add(t, out, nexts, got);
	memcpy(counters, st.counters, sizeof(st.counters));
	sl_test_stage_close(&st);
}

Test(impair, same_seed_same_decisions)
{
	static const char args[] = "loss=2,dup=2,reorder=3,corrupt=1,seed=1234";
	uint64_t c1[SL_STAGE_COUNTERS_MAX], c2[SL_STAGE_COUNTERS_MAX], c3[SL_STAGE_COUNTERS_MAX];
	struct trace t1, t2, t3;

	trace_init(&t1, 40000);
	trace_init(&t2, 40000);
	trace_init(&t3, 40000);
	run_trace(args, 0, 20000, &t1, c1);
	run_trace(args, 0, 20000, &t2, c2);
	run_trace(args, 1, 20000, &t3, c3);
	cr_assert_eq(t1.n, t2.n);
	cr_assert_eq(memcmp(t1.seq, t2.seq, t1.n * sizeof(t1.seq[0])), 0);
	cr_assert_eq(memcmp(t1.edge, t2.edge, t1.n * sizeof(t1.edge[0])), 0);
	cr_assert_eq(memcmp(c1, c2, sizeof(c1)), 0);
	/* Worker 1 seeds with seed ^ 1: a different stream. */
	cr_assert(t3.n != t1.n || memcmp(t1.seq, t3.seq, t1.n * sizeof(t1.seq[0])) != 0 ||
		  memcmp(t1.edge, t3.edge, t1.n * sizeof(t1.edge[0])) != 0);
	trace_fini(&t1);
	trace_fini(&t2);
	trace_fini(&t3);
}

Test(impair, reorder_swaps_with_the_next_packet)
{
	enum { N = 20000 };
	uint64_t c[SL_STAGE_COUNTERS_MAX];
	struct trace t;
	unsigned int swapped = 0;
	uint8_t *seen = calloc(N, 1);

	trace_init(&t, N);
	run_trace("reorder=10,seed=3", 0, N, &t, c);
	cr_assert_eq(t.n, N, "every held packet must come out");
	for (unsigned int i = 0; i < t.n; i++) {
		cr_assert_eq(t.edge[i], SL_EDGE_NEXT);
		cr_assert_lt(t.seq[i], N);
		cr_assert_eq(seen[t.seq[i]], 0, "seq %u twice", t.seq[i]);
		seen[t.seq[i]] = 1;
		/* A held packet leaves right after the one that overtook it. */
		cr_assert(t.seq[i] + 1 >= i && t.seq[i] <= i + 1, "seq %u at %u moved too far",
			  t.seq[i], i);
		swapped += t.seq[i] == i + 1;
	}
	/* Each held packet is overtaken once, but the very last one may leave by poll instead. */
	cr_assert(swapped == c[counter_index("reordered")] ||
		  swapped + 1 == c[counter_index("reordered")]);
	/* While one packet is held the next is not eligible: rate p / (1 + p). */
	assert_binomial(swapped, N, 100 * 0.1 / 1.1, "reordered");
	free(seen);
	trace_fini(&t);
}

Test(impair, delay_holds_until_due_then_releases_in_order)
{
	struct rte_mbuf *in[11], *out[OUT_CAP];
	uint16_t nexts[OUT_CAP], got;
	struct sl_test_stage st;

	open_ok(&st, "delay_us=1000", 0);
	for (uint16_t i = 0; i < 11; i++)
		in[i] = seq_pkt(i);
	cr_assert_eq(st.ops->process_vector(&st.ctx, in, 10, out, nexts, OUT_CAP), 0,
		     "delay_us alone delays every packet");
	cr_assert_eq(sl_test_counter(&st, "delayed"), 10);
	rte_delay_us_block(3000);
	/* Due packets leave ahead of new input, which is delayed in turn. */
	got = st.ops->process_vector(&st.ctx, &in[10], 1, out, nexts, OUT_CAP);
	cr_assert_eq(got, 10);
	for (uint16_t i = 0; i < got; i++) {
		cr_assert_eq(seq_of(out[i]), i);
		cr_assert_eq(nexts[i], SL_EDGE_NEXT);
	}
	sl_test_free(out, got);
	rte_delay_us_block(3000);
	/* With no traffic, poll releases it. */
	got = st.ops->poll(&st.ctx, out, nexts, OUT_CAP);
	cr_assert_eq(got, 1);
	cr_assert_eq(seq_of(out[0]), 10);
	sl_test_free(out, got);
	cr_assert_eq(st.ops->poll(&st.ctx, out, nexts, OUT_CAP), 0);
	cr_assert_eq(sl_test_counter(&st, "delayed"), 11);
	sl_test_stage_close(&st);
}

Test(impair, delay_fifo_full_drops_and_fini_frees_held)
{
	struct rte_mbuf *in[40], *out[OUT_CAP];
	uint16_t nexts[OUT_CAP], got;
	struct sl_test_stage st;

	/* A 10 s delay: nothing becomes due during the test. */
	open_ok(&st, "delay_us=10000000,delay_pct=100,delay_slots=16,reorder=0", 0);
	for (uint16_t i = 0; i < 40; i++)
		in[i] = seq_pkt(i);
	got = st.ops->process_vector(&st.ctx, in, 40, out, nexts, OUT_CAP);
	cr_assert_eq(got, 24);
	for (uint16_t i = 0; i < got; i++)
		cr_assert_eq(nexts[i], SL_EDGE_DROP);
	sl_test_free(out, got);
	cr_assert_eq(sl_test_counter(&st, "delayed"), 16);
	cr_assert_eq(sl_test_counter(&st, "delay_full"), 24);
	cr_assert_eq(rte_mempool_in_use_count(sl_test_pool()), 16);
	/* worker_fini must give the 16 held packets back (teardown checks the pool). */
	sl_test_stage_close(&st);
	cr_assert_eq(rte_mempool_in_use_count(sl_test_pool()), 0);
}

Test(impair, dup_without_memory_passes_the_original)
{
	struct rte_mempool *tiny;
	struct rte_mbuf *in[8], *out[16], *hog;
	uint16_t nexts[16];
	struct sl_test_stage st;

	tiny =
	    rte_pktmbuf_pool_create("sl_tiny", 1, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cr_assert_not_null(tiny);
	hog = rte_pktmbuf_alloc(tiny);
	cr_assert_not_null(hog);
	open_ok(&st, "dup=100", 0);
	st.worker.pool = tiny;
	for (uint16_t i = 0; i < 8; i++)
		in[i] = seq_pkt(i);
	cr_assert_eq(st.ops->process_vector(&st.ctx, in, 8, out, nexts, 16), 8);
	for (uint16_t i = 0; i < 8; i++)
		cr_assert_eq(out[i], in[i]);
	cr_assert_eq(sl_test_counter(&st, "dup_nomem"), 8);
	cr_assert_eq(sl_test_counter(&st, "duplicated"), 0);
	sl_test_free(out, 8);
	sl_test_stage_close(&st);
	rte_pktmbuf_free(hog);
	rte_mempool_free(tiny);
}

Test(impair, output_full_is_counted_not_leaked)
{
	struct rte_mbuf *in[8], *out[8];
	uint16_t nexts[8], got;
	struct sl_test_stage st;

	open_ok(&st, "dup=100", 0);
	for (uint16_t i = 0; i < 8; i++)
		in[i] = seq_pkt(i);
	got = st.ops->process_vector(&st.ctx, in, 8, out, nexts, 8);
	cr_assert_eq(got, 8);
	cr_assert_eq(sl_test_counter(&st, "out_full"), 8);
	sl_test_free(out, got);
	sl_test_stage_close(&st);
}

static void expect_bad_args(const char *args, const char *words)
{
	struct sl_test_stage st;

	cr_assert_lt(sl_test_stage_open(&st, "impair", args, 0), 0, "accepted '%s'", args);
	cr_assert_not_null(strstr(st.err.msg, words), "'%s' does not say '%s'", st.err.msg, words);
	sl_test_stage_close(&st);
}

Test(impair, rejects_bad_args)
{
	expect_bad_args("loss=101", "loss: '101' is not a percentage 0..100");
	expect_bad_args("dup=abc", "percentage");
	expect_bad_args("corrupt=-1", "percentage");
	expect_bad_args("seed=-3", "seed: '-3' is not a whole number");
	expect_bad_args("delay_us=1x", "delay_us: '1x' is not a whole number");
	expect_bad_args("delay_slots=0", "delay_slots");
}
