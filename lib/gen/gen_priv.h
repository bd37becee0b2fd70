/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of sluice-gen shared by args.c, pkt_build.c and gen.c. */
#ifndef SLUICE_GEN_PRIV_H
#define SLUICE_GEN_PRIV_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "sluice/sl_gen.h"

/* Frame sizes count the 4-byte FCS the wire adds (RFC 2544 convention): a
 * 64-byte frame is 60 bytes in the mbuf. */
#define SL_GEN_FCS 4
#define SL_GEN_MIN_SIZE 64
#define SL_GEN_MAX_SIZE 1518
#define SL_GEN_HDR_LEN                                                                             \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr))

/*
 * Payload right after the UDP header. Packed to 18 bytes so that it fits in
 * a 64-byte frame (60 - 42 = 18): the seq is 32 bits (the receiver's window
 * is far smaller than 2^32 anyway) and the flow id 16 bits.
 */
struct sl_gen_payload {
	uint32_t magic;
	uint32_t seq;
	uint16_t flow;
	uint64_t tsc;
} __attribute__((packed));

#define SL_GEN_MAGIC 0x736c6765U /* "slge" */

_Static_assert(SL_GEN_HDR_LEN + sizeof(struct sl_gen_payload) <= SL_GEN_MIN_SIZE - SL_GEN_FCS,
	       "the payload must fit in a minimum-size frame");

/* What a flow's packets look like (headers prebuilt once, copied per packet)
 * and what must come back. */
struct sl_gen_flow {
	uint8_t hdr[SL_GEN_HDR_LEN];
	/* Partial one's complement sums of the template without its length
	 * fields (and checksums), so a packet of any size gets valid checksums
	 * by adding its lengths and payload (RFC 1624 arithmetic). */
	uint32_t ip_sum_nolen;
	uint32_t udp_sum_nolen; /* pseudo header addresses + proto + ports */
	uint8_t tx_idx;		/* index into opts.ports */
	uint8_t tx_queue;
	uint8_t expect_drop; /* the DUT should drop it (TTL, no route) */
	uint8_t rx_idx;	     /* where it must come back */
	uint8_t check_src;   /* exp_src is known */
	uint8_t ttl_back;    /* TTL it must come back with (when ttl_dec >= 0) */
	struct rte_ether_addr exp_dst;
	struct rte_ether_addr exp_src;
};

/* Verification counters, X-macro so the summary and JSON list them once. */
#define SL_GEN_VERIFY(X)                                                                           \
	X(V_WRONG_PORT, "wrong_port")                                                              \
	X(V_DST_MAC, "dst_mac")                                                                    \
	X(V_SRC_MAC, "src_mac")                                                                    \
	X(V_TTL, "ttl")                                                                            \
	X(V_CKSUM, "ip_cksum")                                                                     \
	X(V_UNEXPECTED, "should_have_been_dropped")

#define SL_GEN_ENUM(id, name) id,
enum { SL_GEN_VERIFY(SL_GEN_ENUM) SL_GEN_NB_VERIFY };

/* Fill flows[0..o->flows-1]; port_macs[i] is the MAC of opts.ports[i]. */
int sl_gen_flows_build(const struct sl_gen_opts *o, const struct rte_ether_addr *port_macs,
		       struct sl_gen_flow *flows);

/* TCP client mode (tcp.c): runs until --duration or *stop, prints and
 * writes its own results; returns an sl_gen_exit code. */
int sl_gen_tcp_run(const struct sl_gen_opts *o, uint16_t port_id, struct rte_mempool *pool,
		   volatile bool *stop);

/* ---- pure helpers (gen_util.c), unit-tested without an EAL loop ---- */

/* Ethernet preamble + SFD (8) and the minimum inter-frame gap (12): what a
 * frame costs on the wire beyond its own bytes, for Gbps and line rate. */
#define SL_GEN_WIRE_OVERHEAD 20

/*
 * Latency histogram, log-linear like HdrHistogram: values below 2^SUB are
 * exact, above that each power of two is split into 2^SUB equal buckets,
 * so a reported value (the bucket's midpoint) is within 1/2^(SUB+1) of the
 * truth (0.4 % with SUB = 7). Fixed memory (no malloc while recording),
 * O(1) record: one bsr, a shift and an add.
 */
#define SL_GEN_HIST_SUB 7
#define SL_GEN_HIST_MAX_LOG 42 /* values up to 2^42 cycles: > 20 min at 3 GHz */
#define SL_GEN_HIST_BUCKETS ((SL_GEN_HIST_MAX_LOG - SL_GEN_HIST_SUB + 1) << SL_GEN_HIST_SUB)

struct sl_gen_hist {
	uint64_t count, sum, min, max;
	uint64_t b[SL_GEN_HIST_BUCKETS];
};

void sl_gen_hist_reset(struct sl_gen_hist *h);
/* Value at quantile q (0..1): the midpoint of the bucket holding the
 * ceil(q * count)-th value, clamped to [min, max]. 0 when empty. */
uint64_t sl_gen_hist_quantile(const struct sl_gen_hist *h, double q);
/* Lowest and highest value that land in the same bucket as v. */
void sl_gen_hist_bucket_range(uint64_t v, uint64_t *lo, uint64_t *hi);
void sl_gen_hist_merge(struct sl_gen_hist *dst, const struct sl_gen_hist *src);

static inline unsigned int sl_gen_hist_index(uint64_t v)
{
	unsigned int shift;

	if (v >= (1ULL << SL_GEN_HIST_MAX_LOG))
		v = (1ULL << SL_GEN_HIST_MAX_LOG) - 1;
	shift = v < (1u << SL_GEN_HIST_SUB)
		    ? 0
		    : 63u - (unsigned int)__builtin_clzll(v) - SL_GEN_HIST_SUB;
	return (shift << SL_GEN_HIST_SUB) + (unsigned int)(v >> shift);
}

static inline void sl_gen_hist_record(struct sl_gen_hist *h, uint64_t v)
{
	h->b[sl_gen_hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (unlikely(v < h->min))
		h->min = v;
	if (unlikely(v > h->max))
		h->max = v;
}

/*
 * Rate pacer over virtual time: `units` (packets, or wire bytes) become due
 * at units_per_s from `start`, and the credit is recomputed from the start
 * each time (128-bit product, no accumulated rounding), so a million
 * packets later the total is exact to one unit: no drift. One division per
 * call, i.e. per burst, never per packet.
 */
struct sl_gen_pacer {
	uint64_t start, hz, spent;
	double units_per_s;
	uint64_t per_s_int;  /* units_per_s when it is an integer (exact path) */
	uint64_t max_credit; /* after a stall, catch up at most this much */
};

void sl_gen_pacer_init(struct sl_gen_pacer *p, double units_per_s, uint64_t hz, uint64_t now,
		       uint64_t max_credit);
/* Units due by `now` and not spent yet. */
uint64_t sl_gen_pacer_avail(struct sl_gen_pacer *p, uint64_t now);
static inline void sl_gen_pacer_spend(struct sl_gen_pacer *p, uint64_t units)
{
	p->spent += units;
}

/* Frame sizes: a precomputed cyclic table, so a packet's size costs one
 * load and an index wrap (no division, no PRNG call in the loop). */
#define SL_GEN_SIZE_TABLE 4096
#define SL_GEN_IMIX_SMALL 64
#define SL_GEN_IMIX_MEDIUM 594 /* 576-byte IP datagram + 18 B Ethernet header and FCS */
#define SL_GEN_IMIX_LARGE 1518
struct sl_gen_sizes {
	uint32_t n;
	uint16_t size[SL_GEN_SIZE_TABLE]; /* frame sizes incl. FCS */
	double avg;
};

int sl_gen_sizes_build(struct sl_gen_sizes *t, enum sl_gen_size_mode mode, unsigned int min,
		       unsigned int max, uint64_t seed);

/* Parse --rate ("0", "250000", "1.5M", "5Gbps", "800Mbps", "50%"): 0 or -1. */
int sl_gen_rate_parse(const char *s, struct sl_gen_rate *r);
/* Parse a bit rate for --line-rate ("10G", "25Gbps", "100M"): 0 or -1. */
int sl_gen_bps_parse(const char *s, double *bps);
/* The rate as units for the pacer: packets/s (PPS) or wire bytes/s (BPS,
 * PCT). 0: unpaced. *in_bytes tells which. */
double sl_gen_rate_units(const struct sl_gen_rate *r, double line_bps, bool *in_bytes);
/* Packets/s the rate means at an average frame size. */
double sl_gen_rate_pps(const struct sl_gen_rate *r, double line_bps, double avg_size);
void sl_gen_rate_format(const struct sl_gen_rate *r, char *buf, size_t len);

/* Fold a 32-bit one's complement sum to 16 bits. */
static inline uint16_t sl_gen_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Write one packet of flow `fl` into `p`: frame_len bytes without the FCS,
 * lengths and IPv4 checksum for that size, the payload, and with udp_cksum
 * the UDP checksum (else 0, allowed in IPv4). The bytes past the payload
 * must already be zero (the tx pool's data rooms are zeroed once and only
 * ever hold our own packets), which the UDP checksum relies on.
 */
static inline void sl_gen_pkt_write(uint8_t *p, const struct sl_gen_flow *fl, uint16_t frame_len,
				    const struct sl_gen_payload *pl, bool fixed_len, bool udp_cksum)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memcpy(p, fl->hdr, SL_GEN_HDR_LEN);
	memcpy(p + SL_GEN_HDR_LEN, pl, sizeof(*pl));
	if (!fixed_len) {
		uint16_t l3 =
		    rte_cpu_to_be_16((uint16_t)(frame_len - sizeof(struct rte_ether_hdr)));
		uint16_t l4 = rte_cpu_to_be_16(
		    (uint16_t)(frame_len - sizeof(struct rte_ether_hdr) - sizeof(*ip)));

		ip->total_length = l3;
		ip->hdr_checksum = (uint16_t)~sl_gen_fold(fl->ip_sum_nolen + l3);
		udp->dgram_len = l4;
	}
	if (udp_cksum) {
		/* The UDP length counts twice: pseudo header and UDP header. */
		uint32_t sum =
		    fl->udp_sum_nolen + 2u * udp->dgram_len + rte_raw_cksum(pl, sizeof(*pl));
		uint16_t c = (uint16_t)~sl_gen_fold(sum);

		udp->dgram_cksum = c == 0 ? 0xffff : c;
	}
}

#endif /* SLUICE_GEN_PRIV_H */
