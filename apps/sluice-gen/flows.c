/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-flow packet templates and expectations. All of this runs once before
 * sending: the data path only copies a prebuilt header and writes the
 * payload, so the IPv4 checksum is computed here, per flow, not per packet.
 */
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "pkt.h"
#include "routes.h"

static void gen_hdr_build(const struct gen_opts *o, unsigned int f,
			  const struct rte_ether_addr *src_mac, const struct gen_dst *dst,
			  struct gen_flow *fl)
{
	uint8_t *hdr = fl->hdr;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)hdr;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t l3_len = (uint16_t)(o->size - GEN_FCS - sizeof(*eth));

	memset(hdr, 0, GEN_HDR_LEN);
	rte_ether_addr_copy(&o->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(src_mac, &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(l3_len);
	ip->packet_id = rte_cpu_to_be_16((uint16_t)f);
	ip->time_to_live = dst->ttl;
	ip->next_proto_id = IPPROTO_UDP;
	/* Flows differ in source address and source port so that both an RSS
	 * hash on addresses only and one on ports spread them. */
	ip->src_addr = rte_cpu_to_be_32(rte_be_to_cpu_32(o->src_ip_be) + f);
	ip->dst_addr = dst->ip_be;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16((uint16_t)(o->src_port + f));
	udp->dst_port = rte_cpu_to_be_16(o->dst_port);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(l3_len - sizeof(*ip)));
	udp->dgram_cksum = 0; /* optional in IPv4; --udp-cksum fills it per packet */

	/* Sums without the length fields: gen_pkt_write adds a packet's own
	 * lengths (and payload) to them. */
	{
		struct rte_ipv4_hdr tmp = *ip;
		uint32_t pseudo[2] = {ip->src_addr, ip->dst_addr};
		uint16_t proto = rte_cpu_to_be_16(IPPROTO_UDP);

		tmp.total_length = 0;
		tmp.hdr_checksum = 0;
		fl->ip_sum_nolen = rte_raw_cksum(&tmp, sizeof(tmp));
		fl->udp_sum_nolen = (uint32_t)rte_raw_cksum(pseudo, sizeof(pseudo)) + proto +
				    rte_raw_cksum(udp, 4); /* the two ports */
	}
}

/* The routes a flow's packets take, for --expect ip4. */
struct flow_routes {
	struct gen_route r[GEN_MAX_ROUTES];
	unsigned int n;
};

static void flow_expect_macswap(const struct gen_opts *o, struct gen_flow *fl,
				const struct rte_ether_addr *src)
{
	fl->exp_dst = *src;
	fl->exp_src = o->dst_mac;
	fl->check_src = 1;
}

/* Pairs as the DUT's default and our wiring: 0<->1, 2<->3. */
static void flow_expect_l2fwd(const struct gen_opts *o, struct gen_flow *fl)
{
	fl->rx_idx = (uint8_t)(fl->tx_idx ^ 1u);
	if (o->expect_dst_mac_set) {
		fl->exp_dst = o->expect_dst_mac;
	} else {
		memset(&fl->exp_dst, 0, sizeof(fl->exp_dst));
		fl->exp_dst.addr_bytes[0] = 0x02;
		fl->exp_dst.addr_bytes[5] = fl->rx_idx;
	}
	if (fl->rx_idx < o->nb_dut_macs) {
		fl->exp_src = o->dut_macs[fl->rx_idx];
		fl->check_src = 1;
	}
}

static void flow_expect_ip4(const struct gen_opts *o, struct gen_flow *fl,
			    const struct gen_dst *dst, const struct flow_routes *routes)
{
	const struct gen_route *r =
	    gen_route_find(routes->r, routes->n, rte_be_to_cpu_32(dst->ip_be));

	if (r == NULL || dst->ttl <= 1) {
		fl->expect_drop = 1;
		return;
	}
	fl->rx_idx = r->port_idx;
	fl->exp_dst = r->mac;
	if (r->port_idx < o->nb_dut_macs) {
		fl->exp_src = o->dut_macs[r->port_idx];
		fl->check_src = 1;
	}
}

/* Flow f: its template, its tx port and queue, and what must come back. */
static int flow_build(const struct gen_opts *o, unsigned int f, const unsigned int *tx_ports,
		      unsigned int nb_tx, const struct rte_ether_addr *port_macs,
		      const struct flow_routes *routes, struct gen_flow *fl, struct sl_error *err)
{
	const struct gen_dst *dst = &o->dsts[f % o->nb_dsts];
	unsigned int tx = tx_ports[f % nb_tx];
	const struct rte_ether_addr *src = o->src_mac_set ? &o->src_mac : &port_macs[tx];

	memset(fl, 0, sizeof(*fl));
	gen_hdr_build(o, f, src, dst, fl);
	fl->tx_idx = (uint8_t)tx;
	fl->rx_idx = (uint8_t)tx;
	/* Flow f on queue f % Q, counting flows per tx port. */
	fl->tx_queue = (uint8_t)((f / nb_tx) % o->queues);
	fl->ttl_back = (uint8_t)(o->ttl_dec >= 0 ? dst->ttl - o->ttl_dec : dst->ttl);
	if (o->expect == GEN_EXPECT_MACSWAP)
		flow_expect_macswap(o, fl, src);
	else if (o->expect == GEN_EXPECT_L2FWD)
		flow_expect_l2fwd(o, fl);
	else if (o->expect == GEN_EXPECT_IP4)
		flow_expect_ip4(o, fl, dst, routes);
	if (!fl->expect_drop && o->rx_mask != 0 && !(o->rx_mask & (1u << fl->rx_idx)))
		return sl_error_set(err,
				    "--rx-port: flow %u should come back on %s, which is not an rx "
				    "port. Fix: add it to --rx-port (or drop --rx-port)",
				    f, o->ports[fl->rx_idx]);
	return 0;
}

int gen_flows_build(const struct gen_opts *o, const struct rte_ether_addr *port_macs,
		    struct gen_flow *flows, struct sl_error *err)
{
	static struct flow_routes routes;
	unsigned int tx_ports[GEN_MAX_PORTS], nb_tx = 0;

	routes.n = 0;
	if (o->expect == GEN_EXPECT_IP4 && gen_routes_load(o, routes.r, &routes.n, err) < 0)
		return -1;
	for (unsigned int i = 0; i < o->nb_ports; i++)
		if (o->tx_mask & (1u << i))
			tx_ports[nb_tx++] = i;
	for (unsigned int f = 0; f < o->flows; f++)
		if (flow_build(o, f, tx_ports, nb_tx, port_macs, &routes, &flows[f], err) < 0)
			return -1;
	return 0;
}
