/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_ethdev.h>
#include <rte_ip.h>

#include "eal_fixture.h"
#include "sluice/sl_port.h"

static uint16_t port0, port1;

static void setup(void)
{
	sl_test_eal_setup();
	port0 = sl_test_null_port("net_null0", "p0");
	port1 = sl_test_null_port("net_null1", "p1");
}

TestSuite(ip4_lpm, .init = setup, .fini = sl_test_eal_teardown);

static const char routes_text[] = "# test routes\n"
				  "\n"
				  "10.1.0.0/16   p1 02:00:00:00:01:01\n"
				  "10.1.2.0/24   p0 02:00:00:00:00:02  # more specific\n"
				  "10.2.0.0/16   1  02:00:00:00:01:03\n"
				  "10.3.3.128/25 p1 02:00:00:00:01:04\n"
				  "\t192.0.2.7/32 p0 02:00:00:00:00:05\n";

struct expect {
	int port; /* -1: no route */
	uint8_t dst_mac_last;
};

static struct expect reference_route(uint32_t dst)
{
	if (dst == SL_IP4(192, 0, 2, 7))
		return (struct expect){port0, 0x05};
	if ((dst & 0xffffff80) == SL_IP4(10, 3, 3, 128))
		return (struct expect){port1, 0x04};
	if ((dst & 0xffffff00) == SL_IP4(10, 1, 2, 0))
		return (struct expect){port0, 0x02};
	if ((dst & 0xffff0000) == SL_IP4(10, 1, 0, 0))
		return (struct expect){port1, 0x01};
	if ((dst & 0xffff0000) == SL_IP4(10, 2, 0, 0))
		return (struct expect){port1, 0x03};
	return (struct expect){-1, 0};
}

static void open_routes(struct sl_test_stage *st, const char *text)
{
	char args[128];

	snprintf(args, sizeof(args), "routes=%s", sl_test_write_file(text));
	cr_assert_eq(sl_test_stage_open(st, "ip4_lpm", args, 0), 0, "%s", st->err.msg);
}

static struct rte_ipv4_hdr *ip_of(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
}

/* The incrementally updated checksum must equal a from-scratch one. */
static void assert_cksum(struct rte_ipv4_hdr *ip)
{
	uint16_t got = ip->hdr_checksum;

	ip->hdr_checksum = 0;
	cr_assert_eq(got, rte_ipv4_cksum(ip), "checksum 0x%04x, full recompute 0x%04x", got,
		     rte_ipv4_cksum(ip));
	ip->hdr_checksum = got;
}

static void route_vector(uint16_t n, uint32_t salt)
{
	static const uint32_t dsts[] = {
	    SL_IP4(10, 1, 0, 1),     SL_IP4(10, 1, 2, 200), SL_IP4(10, 1, 3, 4),
	    SL_IP4(10, 2, 9, 9),     SL_IP4(10, 3, 3, 129), SL_IP4(10, 3, 3, 127),
	    SL_IP4(192, 0, 2, 7),    SL_IP4(192, 0, 2, 8),  SL_IP4(11, 0, 0, 1),
	    SL_IP4(10, 1, 255, 255),
	};
	struct rte_mbuf *pkts[SL_STAGE_VEC_MAX], *orig[SL_STAGE_VEC_MAX];
	uint16_t nexts[SL_STAGE_VEC_MAX];
	struct rte_ether_addr mac0, mac1;
	struct sl_test_stage st;
	uint64_t fwd = 0, none = 0;

	cr_assert_eq(rte_eth_macaddr_get(port0, &mac0), 0);
	cr_assert_eq(rte_eth_macaddr_get(port1, &mac1), 0);
	open_routes(&st, routes_text);
	for (uint16_t i = 0; i < n; i++) {
		struct sl_test_pkt spec = {
		    .dst_ip = dsts[(i + salt) % RTE_DIM(dsts)],
		    .src_ip = SL_IP4(172, 16, (i * 7 + salt) & 0xff, i & 0xff),
		    .ttl = (uint8_t)(2 + (i * 13 + salt) % 254),
		    .payload_len = (uint16_t)(18 + i % 50),
		    .in_port = port0,
		};
		pkts[i] = orig[i] = sl_test_udp4(&spec);
	}
	sl_test_process(&st, pkts, n, nexts);
	for (uint16_t i = 0; i < n; i++) {
		uint32_t dst = dsts[(i + salt) % RTE_DIM(dsts)];
		struct expect e = reference_route(dst);
		struct rte_ether_hdr *eth;
		struct rte_ipv4_hdr *ip;

		if (e.port < 0) {
			cr_assert_eq(nexts[i], SL_EDGE_DROP, "pkt %u to %08x should have no route",
				     i, dst);
			none++;
			continue;
		}
		cr_assert_eq(nexts[i], SL_EDGE_NEXT, "pkt %u to %08x was dropped", i, dst);
		eth = rte_pktmbuf_mtod(orig[i], struct rte_ether_hdr *);
		ip = ip_of(orig[i]);
		cr_assert_eq(orig[i]->port, e.port, "pkt %u: port %u, want %d", i, orig[i]->port,
			     e.port);
		cr_assert_eq(eth->dst_addr.addr_bytes[5], e.dst_mac_last);
		cr_assert_eq(eth->dst_addr.addr_bytes[0], 0x02);
		cr_assert(rte_is_same_ether_addr(&eth->src_addr, e.port == port0 ? &mac0 : &mac1),
			  "pkt %u: source MAC is not the output port's", i);
		cr_assert_eq(ip->time_to_live, (uint8_t)(1 + (i * 13 + salt) % 254));
		assert_cksum(ip);
		fwd++;
	}
	cr_assert_eq(sl_test_counter(&st, "forwarded"), fwd);
	cr_assert_eq(sl_test_counter(&st, "no_route"), none);
	for (uint16_t i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
	sl_test_stage_close(&st);
}

Test(ip4_lpm, routes_rewrites_and_fixes_checksum)
{
	for (uint16_t n = 1; n <= 9; n++)
		route_vector(n, n);
	route_vector(SL_STAGE_VEC_MAX, 0);
	route_vector(SL_STAGE_VEC_MAX - 3, 17);
}

/* Many header variants: the RFC 1624 update must match a full recompute every time. */
Test(ip4_lpm, incremental_checksum_matches_recompute)
{
	struct sl_test_stage st;
	uint32_t x = 12345;

	open_routes(&st, "0.0.0.0/0 p0 02:00:00:00:00:09\n");
	for (unsigned int round = 0; round < 200; round++) {
		struct rte_mbuf *pkts[64], *orig[64];
		uint16_t nexts[64];

		for (unsigned int i = 0; i < RTE_DIM(pkts); i++) {
			struct sl_test_pkt spec = {.in_port = port1};
			struct rte_ipv4_hdr *ip;

			x = x * 1103515245 + 12345;
			spec.src_ip = x;
			x = x * 1103515245 + 12345;
			spec.dst_ip = x | 1;
			spec.ttl = (uint8_t)(2 + (x >> 8) % 254);
			pkts[i] = orig[i] = sl_test_udp4(&spec);
			ip = ip_of(pkts[i]);
			ip->packet_id = (uint16_t)(x >> 16);
			ip->fragment_offset = (uint16_t)(x & 0x40);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
		sl_test_process(&st, pkts, RTE_DIM(pkts), nexts);
		for (unsigned int i = 0; i < RTE_DIM(pkts); i++) {
			cr_assert_eq(nexts[i], SL_EDGE_NEXT);
			cr_assert_eq(orig[i]->port, port0);
			assert_cksum(ip_of(orig[i]));
		}
		sl_test_free(pkts, RTE_DIM(pkts));
	}
	cr_assert_eq(sl_test_counter(&st, "forwarded"), 200 * 64);
	sl_test_stage_close(&st);
}

/*
 * The carry cases of the TTL update: the checksum field (host order) just
 * below, at, and above the values where adding 0x0100 wraps or lands on
 * 0xffff. Random headers hit them about once in 65536; here the IP id is
 * searched for a header whose checksum is each value.
 */
Test(ip4_lpm, checksum_carry_edges)
{
	static const uint16_t wanted[] = {0xfdff, 0xfe00, 0xfeff, 0xff00,
					  0xff01, 0xfffe, 0x0000, 0xffff};
	struct sl_test_stage st;
	unsigned int found = 0;

	open_routes(&st, "0.0.0.0/0 p0 02:00:00:00:00:09\n");
	for (unsigned int w = 0; w < RTE_DIM(wanted); w++) {
		struct sl_test_pkt spec = {.in_port = port1, .dst_ip = SL_IP4(10, 9, 8, 7)};
		struct rte_mbuf *m = sl_test_udp4(&spec);
		struct rte_ipv4_hdr *ip = ip_of(m);
		uint16_t next;
		uint32_t id;

		for (id = 0; id <= UINT16_MAX; id++) {
			ip->packet_id = rte_cpu_to_be_16((uint16_t)id);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			if (rte_be_to_cpu_16(ip->hdr_checksum) == wanted[w])
				break;
		}
		if (id <= UINT16_MAX) {
			found++;
			sl_test_process(&st, &m, 1, &next);
			cr_assert_eq(next, SL_EDGE_NEXT);
			assert_cksum(ip);
		}
		rte_pktmbuf_free(m);
	}
	/* A full recompute never yields 0xffff (the one's complement sum of a
	 * header that is not all zero is never zero), so that one has no id;
	 * the others all do. */
	cr_assert_eq(found, RTE_DIM(wanted) - 1, "found headers for %u of the checksums", found);
	sl_test_stage_close(&st);
}

Test(ip4_lpm, forwards_ip_options_and_ttl_2)
{
	struct sl_test_pkt spec = {.dst_ip = SL_IP4(10, 1, 0, 1), .ttl = 2};
	struct rte_mbuf *m = sl_test_udp4(&spec);
	struct rte_ipv4_hdr *ip = ip_of(m);
	struct sl_test_stage st;
	uint16_t next;

	/* Claim 4 bytes of options (the first 4 UDP bytes stand in for them). */
	ip->version_ihl = 0x46;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	open_routes(&st, routes_text);
	sl_test_process(&st, &m, 1, &next);
	cr_assert_eq(next, SL_EDGE_NEXT);
	cr_assert_eq(ip->time_to_live, 1);
	assert_cksum(ip);
	cr_assert_eq(sl_test_counter(&st, "forwarded"), 1);
	rte_pktmbuf_free(m);
	sl_test_stage_close(&st);
}

/*
 * A frame whose IPv4 packet runs on into a second segment: the short path
 * only takes packets that fit the first one, so this goes the slow way and
 * must still be forwarded (total length fits pkt_len), or dropped as
 * bad_length once it claims more than the whole chain holds.
 */
Test(ip4_lpm, two_segment_frames)
{
	struct sl_test_stage st;

	open_routes(&st, routes_text);
	for (int claim_too_much = 0; claim_too_much <= 1; claim_too_much++) {
		struct sl_test_pkt spec = {.dst_ip = SL_IP4(10, 1, 0, 1), .payload_len = 64};
		struct rte_mbuf *m = sl_test_udp4(&spec);
		struct rte_mbuf *tail = rte_pktmbuf_alloc(sl_test_pool());
		struct rte_ipv4_hdr *ip = ip_of(m);
		uint16_t next, moved = 40;

		cr_assert_not_null(tail);
		/* Move the last 40 bytes of the frame into a second segment. */
		memcpy(rte_pktmbuf_append(tail, moved),
		       rte_pktmbuf_mtod_offset(m, void *, m->data_len - moved), moved);
		rte_pktmbuf_trim(m, moved);
		cr_assert_eq(rte_pktmbuf_chain(m, tail), 0);
		cr_assert_gt(rte_be_to_cpu_16(ip->total_length) + RTE_ETHER_HDR_LEN, m->data_len);
		if (claim_too_much) {
			ip->total_length = rte_cpu_to_be_16(m->pkt_len - RTE_ETHER_HDR_LEN + 1);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
		sl_test_process(&st, &m, 1, &next);
		if (claim_too_much) {
			cr_assert_eq(next, SL_EDGE_DROP);
			cr_assert_eq(sl_test_counter(&st, "bad_length"), 1);
			continue; /* sl_test_process freed it */
		}
		cr_assert_eq(next, SL_EDGE_NEXT);
		cr_assert_eq(ip->time_to_live, 63);
		assert_cksum(ip);
		cr_assert_eq(sl_test_counter(&st, "forwarded"), 1);
		rte_pktmbuf_free(m);
	}
	sl_test_stage_close(&st);
}

enum damage {
	D_TTL1,
	D_TTL0,
	D_IHL4,
	D_VERSION6,
	D_RUNT,
	D_TOO_LONG,
	D_TOO_SHORT,
	D_ARP,
	D_NO_ROUTE,
	D_GOOD,
	D_COUNT,
};

static const char *const damage_counter[D_COUNT] = {
    [D_TTL1] = "ttl_exceeded",	  [D_TTL0] = "ttl_exceeded", [D_IHL4] = "bad_header",
    [D_VERSION6] = "bad_header",  [D_RUNT] = "runt",	     [D_TOO_LONG] = "bad_length",
    [D_TOO_SHORT] = "bad_length", [D_ARP] = "not_ipv4",	     [D_NO_ROUTE] = "no_route",
    [D_GOOD] = "forwarded",
};

static struct rte_mbuf *damaged(enum damage d)
{
	struct sl_test_pkt spec = {.dst_ip = SL_IP4(10, 2, 0, 1)};
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;

	if (d == D_NO_ROUTE)
		spec.dst_ip = SL_IP4(203, 0, 113, 1);
	if (d == D_TTL1 || d == D_TTL0)
		spec.ttl = 1;
	m = sl_test_udp4(&spec);
	ip = ip_of(m);
	switch (d) {
	case D_TTL0:
		ip->time_to_live = 0;
		break;
	case D_IHL4:
		ip->version_ihl = 0x44;
		break;
	case D_VERSION6:
		ip->version_ihl = 0x65;
		break;
	case D_RUNT:
		rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (14 + 20 - 1));
		break;
	case D_TOO_LONG:
		ip->total_length = rte_cpu_to_be_16(rte_pktmbuf_pkt_len(m) - 14 + 1);
		break;
	case D_TOO_SHORT:
		ip->total_length = rte_cpu_to_be_16(19);
		break;
	case D_ARP:
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->ether_type =
		    rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
		break;
	default:
		break;
	}
	return m;
}

Test(ip4_lpm, drops_bad_packets_with_the_right_counter)
{
	static const char *const names[] = {"forwarded",  "runt",	  "not_ipv4", "bad_header",
					    "bad_length", "ttl_exceeded", "no_route"};
	struct sl_test_stage st;

	open_routes(&st, routes_text);
	for (int d = 0; d < D_COUNT; d++) {
		/* Alone, and in a vector of four (the batched path) with good ones around it. */
		for (unsigned int where = 0; where < 5; where++) {
			struct rte_mbuf *pkts[5];
			uint64_t before[RTE_DIM(names)];
			uint16_t nexts[5], n = where == 4 ? 1 : 5;

			for (unsigned int k = 0; k < RTE_DIM(names); k++)
				before[k] = sl_test_counter(&st, names[k]);
			for (unsigned int i = 0; i < n; i++)
				pkts[i] = damaged(i == where || n == 1 ? (enum damage)d : D_GOOD);
			sl_test_process(&st, pkts, n, nexts);
			for (unsigned int i = 0; i < n; i++) {
				bool bad = (i == where || n == 1) && d != D_GOOD;

				cr_assert_eq(nexts[i], bad ? SL_EDGE_DROP : SL_EDGE_NEXT,
					     "damage %d at %u", d, i);
			}
			for (unsigned int k = 0; k < RTE_DIM(names); k++) {
				uint64_t want = before[k];

				if (strcmp(names[k], damage_counter[d]) == 0)
					want++;
				if (strcmp(names[k], "forwarded") == 0)
					want += n - 1;
				cr_assert_eq(sl_test_counter(&st, names[k]), want,
					     "damage %d: counter %s is %lu, want %lu", d, names[k],
					     sl_test_counter(&st, names[k]), want);
			}
			for (unsigned int i = 0; i < n; i++)
				rte_pktmbuf_free(pkts[i]);
		}
	}
	sl_test_stage_close(&st);
}

/* A routes file must fail with a message naming file:line and the fix. */
static void expect_bad_routes(const char *text, unsigned int line, const char *words)
{
	struct sl_test_stage st;
	char args[128], where[128];
	const char *file = sl_test_write_file(text);

	snprintf(args, sizeof(args), "routes=%s", file);
	snprintf(where, sizeof(where), "%s:%u:", file, line);
	cr_assert_lt(sl_test_stage_open(&st, "ip4_lpm", args, 0), 0, "accepted: %s", text);
	cr_assert_not_null(strstr(st.err.msg, where), "'%s' does not name %s", st.err.msg, where);
	cr_assert_not_null(strstr(st.err.msg, words), "'%s' does not say '%s'", st.err.msg, words);
	sl_test_stage_close(&st);
}

Test(ip4_lpm, rejects_bad_route_files)
{
	expect_bad_routes("10.1.0/16 p0 02:00:00:00:00:01\n", 1,
			  "prefix: '10.1.0/16' is not an IPv4 prefix");
	expect_bad_routes("# c\n10.1.0.0/33 p0 02:00:00:00:00:01\n", 2, "is not an IPv4 prefix");
	expect_bad_routes("10.1.0.0 p0 02:00:00:00:00:01\n", 1, "is not an IPv4 prefix");
	expect_bad_routes("10.1.0.1/16 p0 02:00:00:00:00:01\n", 1, "write 10.1.0.0/16");
	expect_bad_routes("\n\n10.1.0.0/16 p9 02:00:00:00:00:01\n", 3, "unknown port 'p9'");
	expect_bad_routes("10.1.0.0/16 77 02:00:00:00:00:01\n", 1, "unknown port '77'");
	expect_bad_routes("10.1.0.0/16 p0 02:00:zz:00:00:01\n", 1, "is not a MAC address");
	expect_bad_routes("10.1.0.0/16 p0\n", 1, "not 'PREFIX/LEN PORT NEXTHOP_MAC'");
	expect_bad_routes("10.1.0.0/16 p0 02:00:00:00:00:01 extra\n", 1, "Fix: write e.g.");
	expect_bad_routes("10.1.0.0/16 p0 02:00:00:00:00:01\n10.1.0.0/16 p1 02:00:00:00:00:02\n", 2,
			  "already given at line 1");
	expect_bad_routes("# nothing here\n", 1, "no routes");
}

Test(ip4_lpm, rejects_missing_file_and_arg)
{
	struct sl_test_stage st;

	cr_assert_lt(sl_test_stage_open(&st, "ip4_lpm", "routes=/nonexistent/sl-routes.txt", 0), 0);
	cr_assert_not_null(strstr(st.err.msg, "/nonexistent/sl-routes.txt"), "%s", st.err.msg);
	cr_assert_not_null(strstr(st.err.msg, "No such file"), "%s", st.err.msg);
	sl_test_stage_close(&st);

	cr_assert_lt(sl_test_stage_open(&st, "ip4_lpm", "", 0), 0);
	cr_assert_not_null(strstr(st.err.msg, "routes=FILE"), "%s", st.err.msg);
	sl_test_stage_close(&st);
}
