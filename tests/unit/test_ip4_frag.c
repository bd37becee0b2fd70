/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 reassembly in the tcpip stage: datagrams cut into crafted fragments
 * go in (in order, reversed, overlapping, duplicated, incomplete, more than
 * the table holds) and what comes out is checked byte for byte: the echo
 * reply, itself in fragments no larger than the MTU, each one segment, put
 * back together here. The counters say why anything was dropped; the pool
 * teardown check catches a fragment left behind.
 */
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "eal_fixture.h"

#define OUT_CAP 64
#define MTU 1500
#define MAX_DGRAM 8192

static const struct rte_ether_addr peer_mac = {{0x02, 0, 0, 0, 0, 0x01}};
static struct rte_ether_addr our_mac;
static uint16_t port;
static struct sl_test_stage st;
static struct rte_mbuf *out[OUT_CAP];
static uint16_t nexts[OUT_CAP];

static void setup(void)
{
	sl_test_eal_setup();
}

static void teardown(void)
{
	sl_test_stage_close(&st);
	sl_test_eal_teardown();
}

TestSuite(ip4_frag, .init = setup, .fini = teardown);

static void open_stage(const char *extra)
{
	char args[256];
	uint16_t n, mtu;

	port = sl_test_null_port("net_null0", "p0");
	cr_assert_eq(rte_eth_macaddr_get(port, &our_mac), 0);
	cr_assert_eq(rte_eth_dev_get_mtu(port, &mtu), 0);
	cr_assert_eq(mtu, MTU, "net_null's MTU is %u", mtu);
	snprintf(args, sizeof(args), "ip=10.0.0.2/24,gw=10.0.0.1,port=%u%s", port, extra);
	cr_assert_eq(sl_test_stage_open(&st, "tcpip", args, 0), 0, "%s", st.err.msg);
	n = st.ops->poll(&st.ctx, out, nexts, OUT_CAP); /* the gratuitous ARP */
	cr_assert_eq(n, 1);
	sl_test_free(out, n);
}

/* A whole datagram: IPv4 header (no options) and `len` bytes of L4 message. */
struct dgram {
	uint8_t proto;
	uint16_t id;
	uint16_t len; /* L4 bytes */
	uint8_t l4[MAX_DGRAM];
};

/* ICMP echo request with `data` bytes of data (a pattern), checksum right. */
static void make_icmp(struct dgram *d, uint16_t id, uint16_t data)
{
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)d->l4;

	memset(d, 0, sizeof(*d));
	d->proto = IPPROTO_ICMP;
	d->id = id;
	d->len = (uint16_t)(sizeof(*icmp) + data);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	icmp->icmp_ident = RTE_BE16(0x77);
	icmp->icmp_seq_nb = rte_cpu_to_be_16(id);
	for (uint16_t i = 0; i < data; i++)
		d->l4[sizeof(*icmp) + i] = (uint8_t)(i * 7 + id);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, d->len);
}

static void pseudo_ip(const struct dgram *d, struct rte_ipv4_hdr *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + d->len));
	ip->packet_id = rte_cpu_to_be_16(d->id);
	ip->time_to_live = 64;
	ip->next_proto_id = d->proto;
	ip->src_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2));
}

/* UDP datagram to port 7 with `data` bytes, checksum right. */
static void make_udp(struct dgram *d, uint16_t id, uint16_t data)
{
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)d->l4;
	struct rte_ipv4_hdr ip;

	memset(d, 0, sizeof(*d));
	d->proto = IPPROTO_UDP;
	d->id = id;
	d->len = (uint16_t)(sizeof(*udp) + data);
	udp->src_port = RTE_BE16(40000);
	udp->dst_port = RTE_BE16(7);
	udp->dgram_len = rte_cpu_to_be_16(d->len);
	for (uint16_t i = 0; i < data; i++)
		d->l4[sizeof(*udp) + i] = (uint8_t)(i * 13 + 1);
	pseudo_ip(d, &ip);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(&ip, udp);
}

/* Bytes [off, off + len) of `d` as a fragment (MF as given), IPv4 checksum right. */
static struct rte_mbuf *frag(const struct dgram *d, uint16_t off, uint16_t len, bool mf)
{
	uint8_t buf[RTE_ETHER_HDR_LEN + MTU];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

	cr_assert(len <= MTU - sizeof(*ip) && off + len <= d->len && off % 8 == 0);
	eth->dst_addr = our_mac;
	eth->src_addr = peer_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	pseudo_ip(d, ip);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + len));
	ip->fragment_offset =
	    rte_cpu_to_be_16((uint16_t)((off / 8) | (mf ? RTE_IPV4_HDR_MF_FLAG : 0)));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	memcpy(ip + 1, d->l4 + off, len);
	return sl_test_raw(buf, (uint16_t)(sizeof(*eth) + sizeof(*ip) + len), port);
}

/* `d` cut at 1480-byte boundaries (what a 1500-byte MTU gives), in order. */
static uint16_t cut(const struct dgram *d, struct rte_mbuf **f)
{
	uint16_t n = 0;

	for (uint16_t off = 0; off < d->len; off += 1480) {
		uint16_t len = (uint16_t)RTE_MIN(1480, d->len - off);

		f[n++] = frag(d, off, len, off + len < d->len);
	}
	return n;
}

static uint16_t run(struct rte_mbuf **pkts, uint16_t n)
{
	return st.ops->process_vector(&st.ctx, pkts, n, out, nexts, OUT_CAP);
}

static uint16_t run1(struct rte_mbuf *m)
{
	return run(&m, 1);
}

/*
 * Put the `n` frames in `out` back together as the peer would: each one
 * segment, at most the MTU, IPv4 checksum right, from us to the peer, one
 * datagram id; pieces in place by offset, no hole, the last without MF.
 * Returns the L4 bytes in `l4` and their number; frees the frames.
 */
static uint16_t collect(uint16_t n, uint8_t *l4, uint16_t *id)
{
	uint32_t have = 0, total = 0;

	cr_assert(n >= 1);
	for (uint16_t i = 0; i < n; i++) {
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(out[i], struct rte_ether_hdr *);
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
		uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
		uint16_t off = (uint16_t)((fo & RTE_IPV4_HDR_OFFSET_MASK) * 8);
		uint16_t len = (uint16_t)(rte_be_to_cpu_16(ip->total_length) - sizeof(*ip));

		cr_assert_eq(nexts[i], SL_EDGE_NEXT);
		cr_assert_eq(out[i]->nb_segs, 1, "frame %u is a chain of %u", i, out[i]->nb_segs);
		cr_assert_leq(rte_pktmbuf_pkt_len(out[i]), RTE_ETHER_HDR_LEN + MTU);
		cr_assert_eq(rte_pktmbuf_pkt_len(out[i]), RTE_ETHER_HDR_LEN + sizeof(*ip) + len);
		cr_assert_eq(out[i]->port, port);
		cr_assert(rte_is_same_ether_addr(&eth->dst_addr, &peer_mac));
		cr_assert(rte_is_same_ether_addr(&eth->src_addr, &our_mac));
		cr_assert_eq(rte_raw_cksum(ip, sizeof(*ip)), 0xffff, "IPv4 checksum of frame %u",
			     i);
		cr_assert_eq(ip->dst_addr, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1)));
		cr_assert_eq(ip->src_addr, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2)));
		cr_assert_eq(fo & RTE_IPV4_HDR_DF_FLAG, 0);
		if (i == 0)
			*id = rte_be_to_cpu_16(ip->packet_id);
		cr_assert_eq(rte_be_to_cpu_16(ip->packet_id), *id);
		if (n > 1 && (fo & RTE_IPV4_HDR_MF_FLAG))
			cr_assert_eq(len % 8, 0);
		if (!(fo & RTE_IPV4_HDR_MF_FLAG))
			total = (uint32_t)off + len;
		cr_assert_leq((uint32_t)off + len, MAX_DGRAM);
		memcpy(l4 + off, ip + 1, len);
		have += len;
	}
	sl_test_free(out, n);
	cr_assert_neq(total, 0, "no last fragment");
	cr_assert_eq(have, total, "pieces add up to %u of %u bytes", have, total);
	return (uint16_t)total;
}

/* The echo reply to `d`: the same message with type 0 and a valid checksum. */
static void expect_icmp_reply(uint16_t n, const struct dgram *d)
{
	static uint8_t l4[MAX_DGRAM];
	uint16_t id, len = collect(n, l4, &id);

	cr_assert_eq(len, d->len);
	cr_assert_eq(id, d->id);
	cr_assert_eq(l4[0], RTE_IP_ICMP_ECHO_REPLY);
	cr_assert_eq(rte_raw_cksum(l4, len), 0xffff, "ICMP checksum of the reply");
	cr_assert_eq(memcmp(l4 + 4, d->l4 + 4, len - 4), 0, "echo data differs");
}

Test(ip4_frag, icmp_in_order_reply_fragmented)
{
	static struct dgram d;
	struct rte_mbuf *f[8];
	uint16_t n;

	open_stage(",tcp=off");
	make_icmp(&d, 1, 4000); /* 4008 B of ICMP: fragments of 1480, 1480, 1048 */
	n = cut(&d, f);
	cr_assert_eq(n, 3);
	cr_assert_eq(run(f, 2), 0, "nothing before the last piece");
	n = run1(f[2]);
	cr_assert_eq(n, 3, "a 4028-byte reply in %u frames", n);
	expect_icmp_reply(n, &d);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_in"), 3);
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 1);
	cr_assert_eq(sl_test_counter(&st, "ip_frags_out"), 3);
	cr_assert_eq(sl_test_counter(&st, "icmp_echo_replies"), 1);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 0);
}

Test(ip4_frag, icmp_reversed_and_small_pieces)
{
	static struct dgram d;
	struct rte_mbuf *f[8];
	uint16_t n;

	open_stage(",tcp=off");
	make_icmp(&d, 2, 2000); /* 2008 B: 1480 + 528 */
	n = cut(&d, f);
	cr_assert_eq(n, 2);
	cr_assert_eq(run1(f[1]), 0);
	n = run1(f[0]);
	cr_assert_eq(n, 2);
	expect_icmp_reply(n, &d);

	/* Eight pieces (the library's most), last first, the rest backwards. */
	make_icmp(&d, 3, 600); /* 608 B = 7 x 80 + 48 */
	for (int i = 7; i >= 0; i--)
		f[i] = frag(&d, (uint16_t)(i * 80), (uint16_t)(i == 7 ? 48 : 80), i != 7);
	cr_assert_eq(run1(f[7]), 0);
	for (int i = 6; i > 0; i--)
		cr_assert_eq(run1(f[i]), 0);
	n = run1(f[0]);
	cr_assert_eq(n, 1, "a reassembled 628-byte datagram is answered in one frame");
	expect_icmp_reply(n, &d);
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 2);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_in"), 10);
	cr_assert_eq(sl_test_counter(&st, "ip_frags_out"), 2);
}

Test(ip4_frag, udp_echo_byte_exact)
{
	static struct dgram d;
	static uint8_t l4[MAX_DGRAM];
	struct rte_mbuf *f[8];
	struct rte_ipv4_hdr ip;
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)l4;
	uint16_t n, id, len;

	open_stage(",tcp=off");
	make_udp(&d, 7, 3000);
	n = cut(&d, f);
	cr_assert_eq(n, 3);
	n = run(f, 3);
	cr_assert_eq(n, 3);
	len = collect(n, l4, &id);
	cr_assert_eq(len, d.len);
	cr_assert_eq(udp->dst_port, RTE_BE16(40000));
	cr_assert_eq(udp->src_port, RTE_BE16(7));
	cr_assert_eq(memcmp(l4 + 8, d.l4 + 8, 3000), 0, "echoed payload differs");
	/* The checksum over the pseudo-header of the reply's direction. */
	pseudo_ip(&d, &ip);
	ip.src_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2));
	ip.dst_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1));
	cr_assert_eq(rte_ipv4_udptcp_cksum_verify(&ip, l4), 0, "UDP checksum of the reply");
	cr_assert_eq(sl_test_counter(&st, "udp_echoed"), 1);
	cr_assert_eq(sl_test_counter(&st, "udp_bad"), 0);
}

Test(ip4_frag, overlap_drops_the_datagram)
{
	static struct dgram d;
	struct rte_mbuf *f[3];

	open_stage(",tcp=off");
	make_udp(&d, 9, 100); /* 108 B */
	f[0] = frag(&d, 0, 64, true);
	f[1] = frag(&d, 48, 48, true); /* overlaps [48, 64) */
	f[2] = frag(&d, 96, 12, false);
	cr_assert_eq(run(f, 3), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_bad"), 3);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 3);
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 0);
	cr_assert_eq(sl_test_counter(&st, "udp_echoed"), 0);
	/* Sent again without the overlap, the same datagram comes back. */
	f[0] = frag(&d, 0, 64, true);
	f[1] = frag(&d, 64, 32, true);
	f[2] = frag(&d, 96, 12, false);
	cr_assert_eq(run(f, 3), 1);
	sl_test_free(out, 1);
	cr_assert_eq(sl_test_counter(&st, "udp_echoed"), 1);
}

Test(ip4_frag, duplicates)
{
	static struct dgram d;
	struct rte_mbuf *f[4];

	open_stage(",tcp=off");
	make_udp(&d, 11, 100);
	/* A duplicated first fragment discards what was held (rte_ip_frag). */
	f[0] = frag(&d, 0, 64, true);
	f[1] = frag(&d, 0, 64, true);
	cr_assert_eq(run(f, 2), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_bad"), 2);
	/* A duplicated middle fragment: the bytes exceed the datagram, dropped. */
	d.id = 12;
	f[0] = frag(&d, 0, 48, true);
	f[1] = frag(&d, 48, 48, true);
	f[2] = frag(&d, 48, 48, true);
	f[3] = frag(&d, 96, 12, false);
	cr_assert_eq(run(f, 4), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_bad"), 6);
	/* A duplicate after completion starts a new datagram that never completes. */
	d.id = 13;
	f[0] = frag(&d, 0, 96, true);
	f[1] = frag(&d, 96, 12, false);
	f[2] = frag(&d, 96, 12, false);
	cr_assert_eq(run(f, 3), 1);
	sl_test_free(out, 1);
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 1);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 6);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_in"), 9);
}

Test(ip4_frag, missing_piece_times_out)
{
	static struct dgram d;
	struct rte_mbuf *f[8];
	uint16_t n;

	open_stage(",tcp=off,frag_timeout_ms=50");
	make_icmp(&d, 21, 4000);
	n = cut(&d, f);
	cr_assert_eq(n, 3);
	rte_pktmbuf_free(f[1]); /* lost on the way */
	cr_assert_eq(run1(f[0]), 0);
	cr_assert_eq(run1(f[2]), 0);
	usleep(150 * 1000);
	cr_assert_eq(st.ops->poll(&st.ctx, out, nexts, OUT_CAP), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_timeouts"), 2);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 2);
	/* The missing piece alone, late: held, then timed out in its turn. */
	f[1] = frag(&d, 1480, 1480, true);
	cr_assert_eq(run1(f[1]), 0);
	usleep(150 * 1000);
	cr_assert_eq(st.ops->poll(&st.ctx, out, nexts, OUT_CAP), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_timeouts"), 3);
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 0);
}

Test(ip4_frag, table_full_and_bad_fragments)
{
	static struct dgram a, b;
	struct rte_mbuf *f[2];

	open_stage(",tcp=off,frag_flows=1,frag_max_size=1000");
	make_udp(&a, 31, 100);
	make_udp(&b, 32, 100);
	cr_assert_eq(run1(frag(&a, 0, 64, true)), 0);
	cr_assert_eq(run1(frag(&b, 0, 64, true)), 0, "no room for a second datagram");
	cr_assert_eq(sl_test_counter(&st, "ip_frag_no_room"), 1);
	cr_assert_eq(run1(frag(&a, 64, 44, false)), 1, "the first completes");
	sl_test_free(out, 1);
	/* A non-final piece not a multiple of 8 bytes; one beyond frag_max_size. */
	f[0] = frag(&b, 0, 64, true);
	f[0]->data_len = f[0]->pkt_len = (uint16_t)(f[0]->pkt_len - 4);
	{
		struct rte_ipv4_hdr *ip =
		    rte_pktmbuf_mtod_offset(f[0], struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);

		ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + 60));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	make_udp(&b, 33, 2000);
	f[1] = frag(&b, 984, 24, false);
	cr_assert_eq(run(f, 2), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_bad"), 2);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 3);
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 1);
}

Test(ip4_frag, off_counts_and_drops)
{
	static struct dgram d;
	struct rte_mbuf *f[8];
	uint16_t n;

	open_stage(",tcp=off,frag_flows=0");
	make_icmp(&d, 41, 2000);
	n = cut(&d, f);
	cr_assert_eq(run(f, n), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_off"), 2);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 2);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_in"), 0);
}

/* A TCP SYN in two fragments reaches TCP; one whose header straddles them does not. */
Test(ip4_frag, tcp_in_fragments)
{
	static struct dgram d;
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)d.l4;
	struct rte_ipv4_hdr ip;
	struct rte_mbuf *f[2];

	open_stage("");
	memset(&d, 0, sizeof(d));
	d.proto = IPPROTO_TCP;
	d.id = 51;
	d.len = 32; /* 20-byte header, 12 bytes of options (NOPs) */
	th->src_port = RTE_BE16(40001);
	th->dst_port = RTE_BE16(7);
	th->sent_seq = RTE_BE32(1000);
	th->data_off = (uint8_t)((32 / 4) << 4);
	th->tcp_flags = RTE_TCP_SYN_FLAG;
	th->rx_win = RTE_BE16(65535);
	memset(d.l4 + 20, 1, 12);
	pseudo_ip(&d, &ip);
	th->cksum = rte_ipv4_udptcp_cksum(&ip, th);
	f[0] = frag(&d, 0, 32 - 8, true); /* header and part of the options */
	f[1] = frag(&d, 24, 8, false);
	sl_test_free(out, run(f, 2));
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 1);
	cr_assert_eq(sl_test_counter(&st, "tcp_short"), 1, "options not in the first mbuf");
	cr_assert_eq(sl_test_counter(&st, "tcp_segments_in"), 0);

	d.id = 52;
	th->data_off = (uint8_t)((20 / 4) << 4);
	d.len = 32; /* 20-byte header, 12 bytes of data: the SYN carries data */
	th->cksum = 0;
	th->cksum = rte_ipv4_udptcp_cksum(&ip, th);
	f[0] = frag(&d, 0, 24, true);
	f[1] = frag(&d, 24, 8, false);
	sl_test_free(out, run(f, 2));
	sl_test_free(out, st.ops->poll(&st.ctx, out, nexts, OUT_CAP)); /* copies TCP's counters */
	cr_assert_eq(sl_test_counter(&st, "ip_reassembled"), 2);
	cr_assert_eq(sl_test_counter(&st, "tcp_segments_in"), 1);
	cr_assert_eq(sl_test_counter(&st, "tcp_bad_checksum"), 0);
}
