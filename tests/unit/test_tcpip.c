/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpip stage: crafted frames in, frames out. ARP reply and gratuitous ARP,
 * ICMP echo, UDP echo, the IPv4 checks with their counters, and ARP
 * resolution of our own output (a SYN-ACK waits in the hold queue until the
 * ARP reply arrives). The pool teardown check catches leaks.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <rte_arp.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "eal_fixture.h"

#define OUT_CAP 64

static const struct rte_ether_addr peer_mac = {{0x02, 0, 0, 0, 0, 0x01}};
static struct rte_ether_addr our_mac;
static uint16_t port;
static struct sl_test_stage st;
static struct rte_mbuf *out[OUT_CAP];
static uint16_t nexts[OUT_CAP];

static void open_stage(const char *extra)
{
	char args[256];

	port = sl_test_null_port("net_null0", "p0");
	cr_assert_eq(rte_eth_macaddr_get(port, &our_mac), 0);
	snprintf(args, sizeof(args), "ip=10.0.0.2/24,gw=10.0.0.1,port=%u%s", port, extra);
	cr_assert_eq(sl_test_stage_open(&st, "tcpip", args, 0), 0, "%s", st.err.msg);
	/* The first poll announces us (gratuitous ARP): take it out of the way. */
	uint16_t n = st.ops->poll(&st.ctx, out, nexts, OUT_CAP);
	cr_assert_eq(n, 1);
	sl_test_free(out, n);
}

static void setup(void)
{
	sl_test_eal_setup();
}

static void teardown(void)
{
	sl_test_stage_close(&st);
	sl_test_eal_teardown();
}

TestSuite(tcpip, .init = setup, .fini = teardown);

static struct rte_mbuf *arp_frame(uint16_t op, uint32_t sip, uint32_t tip,
				  const struct rte_ether_addr *dst)
{
	uint8_t buf[sizeof(struct rte_ether_hdr) + sizeof(struct rte_arp_hdr)];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eth + 1);

	memset(buf, 0, sizeof(buf));
	eth->dst_addr = *dst;
	eth->src_addr = peer_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = 6;
	a->arp_plen = 4;
	a->arp_opcode = rte_cpu_to_be_16(op);
	a->arp_data.arp_sha = peer_mac;
	a->arp_data.arp_sip = rte_cpu_to_be_32(sip);
	if (op == RTE_ARP_OP_REPLY)
		a->arp_data.arp_tha = our_mac;
	a->arp_data.arp_tip = rte_cpu_to_be_32(tip);
	return sl_test_raw(buf, sizeof(buf), port);
}

static uint16_t run(struct rte_mbuf *m)
{
	return st.ops->process_vector(&st.ctx, &m, 1, out, nexts, OUT_CAP);
}

Test(tcpip, gratuitous_arp_on_first_poll)
{
	uint16_t n;
	const struct rte_arp_hdr *a;
	char args[64];

	port = sl_test_null_port("net_null0", "p0");
	snprintf(args, sizeof(args), "ip=10.0.0.2/24,tcp=off,port=%u", port);
	cr_assert_eq(sl_test_stage_open(&st, "tcpip", args, 0), 0, "%s", st.err.msg);
	n = st.ops->poll(&st.ctx, out, nexts, OUT_CAP);
	cr_assert_eq(n, 1);
	a = rte_pktmbuf_mtod_offset(out[0], const struct rte_arp_hdr *,
				    sizeof(struct rte_ether_hdr));
	cr_assert_eq(a->arp_data.arp_sip, a->arp_data.arp_tip);
	cr_assert_eq(a->arp_data.arp_tip, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2)));
	cr_assert(rte_is_broadcast_ether_addr(
	    &rte_pktmbuf_mtod(out[0], struct rte_ether_hdr *)->dst_addr));
	sl_test_free(out, n);
	cr_assert_eq(st.ops->poll(&st.ctx, out, nexts, OUT_CAP), 0, "only once");
	cr_assert_eq(sl_test_counter(&st, "arp_gratuitous_out"), 1);
}

Test(tcpip, arp_request_answered_in_place)
{
	static const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	const struct rte_arp_hdr *a;
	uint16_t n;

	open_stage(",tcp=off");
	n = run(arp_frame(RTE_ARP_OP_REQUEST, SL_IP4(10, 0, 0, 1), SL_IP4(10, 0, 0, 2), &bcast));
	cr_assert_eq(n, 1);
	cr_assert_eq(nexts[0], SL_EDGE_NEXT);
	cr_assert_eq(out[0]->port, port);
	a = rte_pktmbuf_mtod_offset(out[0], const struct rte_arp_hdr *,
				    sizeof(struct rte_ether_hdr));
	cr_assert_eq(a->arp_opcode, RTE_BE16(RTE_ARP_OP_REPLY));
	cr_assert(rte_is_same_ether_addr(&a->arp_data.arp_sha, &our_mac));
	cr_assert(rte_is_same_ether_addr(&a->arp_data.arp_tha, &peer_mac));
	cr_assert_eq(a->arp_data.arp_sip, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2)));
	cr_assert_eq(a->arp_data.arp_tip, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1)));
	sl_test_free(out, n);
	/* Not for us: counted, no answer. */
	cr_assert_eq(
	    run(arp_frame(RTE_ARP_OP_REQUEST, SL_IP4(10, 0, 0, 1), SL_IP4(10, 0, 0, 3), &bcast)),
	    0);
	cr_assert_eq(sl_test_counter(&st, "arp_replies_out"), 1);
	cr_assert_eq(sl_test_counter(&st, "arp_not_for_us"), 1);
}

/* Ethernet/IPv4/ICMP echo request with `len` bytes of data, checksums right. */
static struct rte_mbuf *icmp_echo(uint16_t len)
{
	uint8_t buf[1514];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	uint16_t tot = (uint16_t)(sizeof(*ip) + sizeof(*icmp) + len);

	memset(buf, 0, sizeof(buf));
	eth->dst_addr = our_mac;
	eth->src_addr = peer_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(tot);
	ip->time_to_live = 7;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	icmp->icmp_ident = RTE_BE16(0x1234);
	for (uint16_t i = 0; i < len; i++)
		((uint8_t *)(icmp + 1))[i] = (uint8_t)i;
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, sizeof(*icmp) + len);
	return sl_test_raw(buf, (uint16_t)(sizeof(*eth) + tot), port);
}

Test(tcpip, icmp_echo_reply)
{
	const struct rte_ipv4_hdr *ip;
	const struct rte_icmp_hdr *icmp;
	uint16_t n;

	open_stage(",tcp=off");
	n = run(icmp_echo(1472));
	cr_assert_eq(n, 1);
	ip = rte_pktmbuf_mtod_offset(out[0], const struct rte_ipv4_hdr *,
				     sizeof(struct rte_ether_hdr));
	icmp = (const struct rte_icmp_hdr *)(ip + 1);
	cr_assert_eq(ip->dst_addr, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1)));
	cr_assert_eq(ip->time_to_live, 64);
	cr_assert_eq(rte_raw_cksum(ip, sizeof(*ip)), 0xffff, "IPv4 checksum");
	cr_assert_eq(icmp->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	cr_assert_eq(rte_raw_cksum(icmp, sizeof(*icmp) + 1472), 0xffff, "ICMP checksum");
	cr_assert(rte_is_same_ether_addr(
	    &rte_pktmbuf_mtod(out[0], struct rte_ether_hdr *)->dst_addr, &peer_mac));
	sl_test_free(out, n);
	cr_assert_eq(sl_test_counter(&st, "icmp_echo_replies"), 1);
}

Test(tcpip, ipv4_checks_count_and_drop)
{
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;

	/* Reassembly off: a fragment is counted and dropped (test_ip4_frag.c has the rest). */
	open_stage(",tcp=off,frag_flows=0");
	m = icmp_echo(8);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->hdr_checksum ^= 1;
	cr_assert_eq(run(m), 0);
	m = icmp_echo(8);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	cr_assert_eq(run(m), 0);
	m = icmp_echo(8);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	ip->total_length = RTE_BE16(400);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	cr_assert_eq(run(m), 0);
	cr_assert_eq(sl_test_counter(&st, "ip_bad_checksum"), 1);
	cr_assert_eq(sl_test_counter(&st, "ip_fragments_dropped"), 1);
	cr_assert_eq(sl_test_counter(&st, "ip_frag_off"), 1);
	cr_assert_eq(sl_test_counter(&st, "ip_truncated"), 1);
}

Test(tcpip, udp_echo_swaps_in_place)
{
	struct sl_test_pkt spec = {
	    .src_mac = peer_mac,
	    .dst_mac = our_mac,
	    .src_ip = SL_IP4(10, 0, 0, 1),
	    .dst_ip = SL_IP4(10, 0, 0, 2),
	    .src_port = 40000,
	    .dst_port = 7,
	    .payload_len = 100,
	};
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint16_t n;

	open_stage(",tcp=off");
	spec.dst_mac = our_mac; /* known once the port exists */
	spec.in_port = port;
	n = run(sl_test_udp4(&spec));
	cr_assert_eq(n, 1);
	ip = rte_pktmbuf_mtod_offset(out[0], const struct rte_ipv4_hdr *,
				     sizeof(struct rte_ether_hdr));
	udp = (const struct rte_udp_hdr *)(ip + 1);
	cr_assert_eq(ip->dst_addr, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 1)));
	cr_assert_eq(udp->dst_port, RTE_BE16(40000));
	cr_assert_eq(udp->src_port, RTE_BE16(7));
	cr_assert_eq(rte_raw_cksum(ip, sizeof(*ip)), 0xffff);
	sl_test_free(out, n);
	spec.dst_port = 9;
	cr_assert_eq(run(sl_test_udp4(&spec)), 0);
	cr_assert_eq(sl_test_counter(&st, "udp_echoed"), 1);
	cr_assert_eq(sl_test_counter(&st, "udp_no_port"), 1);
}

/* A SYN to the echo port: the SYN-ACK waits for ARP, then leaves. */
Test(tcpip, syn_ack_waits_for_arp)
{
	uint8_t buf[sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +
		    sizeof(struct rte_tcp_hdr)];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	const struct rte_arp_hdr *a;
	const struct rte_tcp_hdr *sa;
	uint16_t n;

	open_stage(",tcp_echo=7,max_conns=64,syn_backlog=16");
	memset(buf, 0, sizeof(buf));
	eth->dst_addr = our_mac;
	eth->src_addr = peer_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*th));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 9));
	ip->dst_addr = rte_cpu_to_be_32(SL_IP4(10, 0, 0, 2));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->src_port = RTE_BE16(50000);
	th->dst_port = RTE_BE16(7);
	th->sent_seq = RTE_BE32(1000);
	th->data_off = 5 << 4;
	th->tcp_flags = RTE_TCP_SYN_FLAG;
	th->rx_win = RTE_BE16(65535);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);

	/* Out: only an ARP request for 10.0.0.9; the SYN-ACK is held. */
	n = run(sl_test_raw(buf, sizeof(buf), port));
	cr_assert_eq(n, 1);
	a = rte_pktmbuf_mtod_offset(out[0], const struct rte_arp_hdr *,
				    sizeof(struct rte_ether_hdr));
	cr_assert_eq(a->arp_opcode, RTE_BE16(RTE_ARP_OP_REQUEST));
	cr_assert_eq(a->arp_data.arp_tip, rte_cpu_to_be_32(SL_IP4(10, 0, 0, 9)));
	sl_test_free(out, n);
	cr_assert_eq(sl_test_counter(&st, "arp_requests_out"), 1);

	/* The reply releases the SYN-ACK, addressed to the MAC it gave. */
	n = run(arp_frame(RTE_ARP_OP_REPLY, SL_IP4(10, 0, 0, 9), SL_IP4(10, 0, 0, 2), &our_mac));
	cr_assert_eq(n, 1);
	cr_assert(rte_is_same_ether_addr(
	    &rte_pktmbuf_mtod(out[0], struct rte_ether_hdr *)->dst_addr, &peer_mac));
	sa = rte_pktmbuf_mtod_offset(out[0], const struct rte_tcp_hdr *,
				     sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr));
	cr_assert_eq(sa->tcp_flags, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG);
	cr_assert_eq(sa->recv_ack, RTE_BE32(1001));
	sl_test_free(out, n);
}
