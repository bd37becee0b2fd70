/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's packet builder and size tables: every length field and both
 * checksums checked against DPDK's own rte_ipv4_cksum/rte_ipv4_udptcp_cksum,
 * for fixed and variable sizes; IMIX proportions. No EAL needed. */
#include <string.h>

#include <criterion/criterion.h>

#include "pkt.h"
#include "sizes.h"

static struct sl_error err;

static void opts(struct gen_opts *o, unsigned int flows)
{
	gen_opts_default(o);
	o->nb_ports = 1;
	snprintf(o->ports[0], sizeof(o->ports[0]), "p0");
	o->tx_mask = o->rx_mask = 1;
	o->flows = flows;
	o->nb_dsts = 2;
	o->dsts[0].ip_be = RTE_BE32(RTE_IPV4(192, 168, 1, 1));
	o->dsts[0].ttl = 64;
	o->dsts[1].ip_be = RTE_BE32(RTE_IPV4(10, 200, 3, 4));
	o->dsts[1].ttl = 9;
	o->ttl_dec = -1;
}

/* Build packet `seq` of flow `f` at `size` and check it the slow way. */
static void check_pkt(const struct gen_flow *fl, unsigned int f, unsigned int size, bool fixed,
		      uint32_t seq, uint64_t tsc)
{
	/* Frame buffer zeroed past the payload, as the tx pool guarantees. */
	static uint8_t buf[2048] __rte_aligned(64);
	struct gen_payload pl = {.magic = GEN_MAGIC, .seq = seq, .flow = (uint16_t)f, .tsc = tsc};
	uint16_t len = (uint16_t)(size - GEN_FCS);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct gen_payload got;
	uint16_t ipc, udpc;

	memset(buf, 0, sizeof(buf));
	gen_pkt_write(buf, fl, len, &pl, fixed, true);
	cr_assert_eq(rte_be_to_cpu_16(ip->total_length), len - 14, "size %u", size);
	cr_assert_eq(rte_be_to_cpu_16(udp->dgram_len), len - 34, "size %u", size);
	ipc = ip->hdr_checksum;
	ip->hdr_checksum = 0;
	cr_assert_eq(ipc, rte_ipv4_cksum(ip), "flow %u size %u: IPv4 checksum %04x, want %04x", f,
		     size, ipc, rte_ipv4_cksum(ip));
	ip->hdr_checksum = ipc;
	udpc = udp->dgram_cksum;
	udp->dgram_cksum = 0;
	cr_assert_eq(udpc, rte_ipv4_udptcp_cksum(ip, udp),
		     "flow %u size %u seq %u: UDP checksum %04x, want %04x", f, size, seq, udpc,
		     rte_ipv4_udptcp_cksum(ip, udp));
	udp->dgram_cksum = udpc;
	/* and a receiver verifying the whole datagram gets 0 */
	cr_assert_eq(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
	memcpy(&got, buf + GEN_HDR_LEN, sizeof(got));
	cr_assert_eq(got.magic, GEN_MAGIC);
	cr_assert_eq(got.seq, seq);
	cr_assert_eq(got.flow, f);
	cr_assert_eq(got.tsc, tsc);
}

Test(gen_pkt, fixed_size_checksums)
{
	static struct gen_flow flows[300];
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 0x10}};
	struct gen_opts o;

	opts(&o, 300);
	o.size = o.size_min = o.size_max = 128;
	cr_assert_eq(gen_flows_build(&o, &mac, flows, &err), 0);
	for (unsigned int f = 0; f < 300; f++) {
		const struct rte_ipv4_hdr *ip =
		    (const struct rte_ipv4_hdr *)(flows[f].hdr + sizeof(struct rte_ether_hdr));
		const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);

		/* flows differ in source address and port */
		cr_assert_eq(rte_be_to_cpu_32(ip->src_addr), RTE_IPV4(10, 0, 0, 1) + f);
		cr_assert_eq(rte_be_to_cpu_16(udp->src_port), 1024 + f);
		cr_assert_eq(ip->dst_addr, o.dsts[f % 2].ip_be);
		cr_assert_eq(ip->time_to_live, o.dsts[f % 2].ttl);
		check_pkt(&flows[f], f, 128, true, f * 7919u, 0x123456789abcdefULL + f);
	}
}

Test(gen_pkt, every_size_checksums)
{
	static struct gen_flow flows[3];
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 0x10}};
	struct gen_opts o;

	opts(&o, 3);
	o.size = o.size_min = 64;
	o.size_max = 1518;
	o.size_mode = GEN_SIZE_SWEEP;
	cr_assert_eq(gen_flows_build(&o, &mac, flows, &err), 0);
	for (unsigned int size = 64; size <= 1518; size++)
		for (unsigned int f = 0; f < 3; f++)
			check_pkt(&flows[f], f, size, false, 0xffffffffu - size,
				  (uint64_t)-1 - size);
}

Test(gen_pkt, checksum_zero_becomes_ffff)
{
	/* Try seqs until the computed UDP sum is 0: it must go out as 0xffff. */
	static struct gen_flow fl;
	static uint8_t buf[128];
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 0x10}};
	struct gen_opts o;
	bool seen = false;

	opts(&o, 1);
	cr_assert_eq(gen_flows_build(&o, &mac, &fl, &err), 0);
	for (uint32_t seq = 0; seq < 200000 && !seen; seq++) {
		struct gen_payload pl = {.magic = GEN_MAGIC, .seq = seq};
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(buf + 34);

		memset(buf, 0, sizeof(buf));
		gen_pkt_write(buf, &fl, 60, &pl, true, true);
		cr_assert_neq(udp->dgram_cksum, 0);
		seen = udp->dgram_cksum == 0xffff;
	}
	cr_assert(seen, "no seq gave a zero sum (test needs a wider search)");
}

Test(gen_pkt, no_udp_cksum_leaves_zero)
{
	static struct gen_flow fl;
	static uint8_t buf[128];
	struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 0x10}};
	struct gen_payload pl = {.magic = GEN_MAGIC, .seq = 5};
	struct gen_opts o;

	opts(&o, 1);
	cr_assert_eq(gen_flows_build(&o, &mac, &fl, &err), 0);
	gen_pkt_write(buf, &fl, 60, &pl, true, false);
	cr_assert_eq(((struct rte_udp_hdr *)(buf + 34))->dgram_cksum, 0);
}

Test(gen_sizes, imix_proportions)
{
	static struct gen_sizes t;
	unsigned int small = 0, med = 0, large = 0;

	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_IMIX, 64, 1518, 1), 0);
	cr_assert_eq(t.n, 12);
	/* any 12 consecutive frames of the cyclic table hold exactly 7:4:1 */
	for (unsigned int start = 0; start < t.n; start++) {
		small = med = large = 0;
		for (unsigned int i = 0; i < 12; i++) {
			uint16_t s = t.size[(start + i) % t.n];

			small += s == 64;
			med += s == 594;
			large += s == 1518;
		}
		cr_assert_eq(small, 7);
		cr_assert_eq(med, 4);
		cr_assert_eq(large, 1);
	}
	cr_assert_float_eq(t.avg, (7 * 64 + 4 * 594 + 1518) / 12.0, 1e-9);
}

Test(gen_sizes, fixed_sweep_uniform)
{
	static struct gen_sizes t;
	unsigned int hist[1519] = {0};

	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_FIXED, 256, 256, 1), 0);
	cr_assert_eq(t.n, 1);
	cr_assert_eq(t.size[0], 256);
	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_SWEEP, 64, 1518, 1), 0);
	cr_assert_eq(t.n, 1455);
	for (unsigned int i = 0; i < t.n; i++)
		cr_assert_eq(t.size[i], 64 + i);
	cr_assert_float_eq(t.avg, (64 + 1518) / 2.0, 1e-9);
	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_UNIFORM, 100, 103, 7), 0);
	cr_assert_eq(t.n, GEN_SIZE_TABLE);
	for (unsigned int i = 0; i < t.n; i++) {
		cr_assert(t.size[i] >= 100 && t.size[i] <= 103);
		hist[t.size[i]]++;
	}
	for (unsigned int s = 100; s <= 103; s++) /* 1024 expected each */
		cr_assert(hist[s] > 850 && hist[s] < 1200, "size %u: %u", s, hist[s]);
	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_FIXED, 63, 63, 1), -1);
	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_SWEEP, 200, 100, 1), -1);
	cr_assert_eq(gen_sizes_build(&t, GEN_SIZE_SWEEP, 64, 1519, 1), -1);
}

Test(gen_args, parse_sizes_and_rates)
{
	struct gen_opts o;
	char *a1[] = {"g", "--ports", "x", "--size", "imix", "--rate", "50%", "--count", "5", NULL};
	char *a2[] = {"g",	"--ports", "x",		  "--size", "64-1518", "--size-sweep",
		      "--rate", "2Gbps",   "--line-rate", "25G",    "--count", "5",
		      NULL};
	char *a3[] = {"g",   "--ports",	  "x", "--search", "--search-loss",
		      "0.1", "--trial-s", "1", NULL};

	gen_opts_default(&o);
	cr_assert_eq(gen_parse_args(&o, 9, a1, &err), 0);
	cr_assert_eq(o.size_mode, GEN_SIZE_IMIX);
	cr_assert_eq(o.rate.kind, GEN_RATE_PCT);
	gen_opts_default(&o);
	cr_assert_eq(gen_parse_args(&o, 12, a2, &err), 0);
	cr_assert_eq(o.size_mode, GEN_SIZE_SWEEP);
	cr_assert_eq(o.size_min, 64);
	cr_assert_eq(o.size_max, 1518);
	cr_assert_eq(o.rate.kind, GEN_RATE_BPS);
	cr_assert_float_eq(o.line_rate_bps, 25e9, 1);
	gen_opts_default(&o);
	cr_assert_eq(gen_parse_args(&o, 8, a3, &err), 0);
	cr_assert(o.search);
	/* unpaced search means up to line rate, from 1 % */
	cr_assert_eq(o.rate.kind, GEN_RATE_PCT);
	cr_assert_float_eq(o.rate.value, 100, 1e-9);
	cr_assert_float_eq(o.search_min, 1, 1e-9);
	cr_assert_float_eq(o.search_loss_pct, 0.1, 1e-9);
}
