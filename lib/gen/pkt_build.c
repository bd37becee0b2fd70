/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-flow packet templates and expectations. All of this runs once before
 * sending: the data path only copies a prebuilt header and writes the
 * payload, so the IPv4 checksum is computed here, per flow, not per packet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "gen_priv.h"

struct gen_route {
	uint32_t prefix; /* host order */
	uint8_t len;
	uint8_t port_idx;
	struct rte_ether_addr mac;
};

#define GEN_MAX_ROUTES 256

/* The DUT's routes file names its ports ("p1" or "1"); we take the number as
 * the index of our own port wired to that DUT port. */
static int gen_route_port(const char *tok, unsigned int nb_ports)
{
	const char *num = (tok[0] == 'p') ? tok + 1 : tok;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(num, &end, 10);
	if (num[0] == '\0' || *end != '\0' || errno != 0 || v >= nb_ports)
		return -1;
	return (int)v;
}

static int gen_routes_load(const struct sl_gen_opts *o, struct gen_route *routes, unsigned int *nb)
{
	char line[512];
	unsigned int lineno = 0;
	FILE *f = fopen(o->routes, "r");

	*nb = 0;
	if (f == NULL) {
		fprintf(stderr, "%s: --routes %s: %s. Fix: give the DUT's routes file\n", o->prog,
			o->routes, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char pfx[64], port[32], mac[32], *slash;
		struct gen_route *r = &routes[*nb];
		struct in_addr in;
		unsigned int len;
		int idx;

		lineno++;
		line[strcspn(line, "#")] = '\0';
		if (sscanf(line, "%63s %31s %31s", pfx, port, mac) != 3)
			continue; /* blank or comment; the DUT rejects malformed lines itself */
		slash = strchr(pfx, '/');
		idx = gen_route_port(port, o->nb_ports);
		if (slash == NULL || sscanf(slash + 1, "%u", &len) != 1 || len > 32 ||
		    (*slash = '\0', inet_pton(AF_INET, pfx, &in)) != 1 || idx < 0 ||
		    rte_ether_unformat_addr(mac, &r->mac) < 0 || *nb == GEN_MAX_ROUTES) {
			fprintf(
			    stderr,
			    "%s: %s:%u: cannot use this route (want 'A.B.C.D/LEN pN MAC' with N "
			    "< %u, at most %u routes). Fix: name DUT ports p0..p%u wired to our "
			    "ports in --ports order\n",
			    o->prog, o->routes, lineno, o->nb_ports, GEN_MAX_ROUTES,
			    o->nb_ports - 1);
			fclose(f);
			return -1;
		}
		r->prefix = ntohl(in.s_addr);
		r->len = (uint8_t)len;
		r->port_idx = (uint8_t)idx;
		(*nb)++;
	}
	fclose(f);
	return 0;
}

/* Longest prefix match by linear scan: a handful of routes, once per flow. */
static const struct gen_route *gen_route_find(const struct gen_route *routes, unsigned int nb,
					      uint32_t dst)
{
	const struct gen_route *best = NULL;

	for (unsigned int i = 0; i < nb; i++) {
		uint32_t mask = routes[i].len ? UINT32_MAX << (32 - routes[i].len) : 0;

		if ((dst & mask) == routes[i].prefix && (best == NULL || routes[i].len > best->len))
			best = &routes[i];
	}
	return best;
}

static void gen_hdr_build(const struct sl_gen_opts *o, unsigned int f,
			  const struct rte_ether_addr *src_mac, const struct sl_gen_dst *dst,
			  struct sl_gen_flow *fl)
{
	uint8_t *hdr = fl->hdr;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)hdr;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t l3_len = (uint16_t)(o->size - SL_GEN_FCS - sizeof(*eth));

	memset(hdr, 0, SL_GEN_HDR_LEN);
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

	/* Sums without the length fields: sl_gen_pkt_write adds a packet's own
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

int sl_gen_flows_build(const struct sl_gen_opts *o, const struct rte_ether_addr *port_macs,
		       struct sl_gen_flow *flows)
{
	static struct gen_route routes[GEN_MAX_ROUTES];
	unsigned int nb_routes = 0, tx_ports[SL_GEN_MAX_PORTS], nb_tx = 0;

	if (o->expect == SL_GEN_EXPECT_IP4 && gen_routes_load(o, routes, &nb_routes) < 0)
		return -1;
	for (unsigned int i = 0; i < o->nb_ports; i++)
		if (o->tx_mask & (1u << i))
			tx_ports[nb_tx++] = i;

	for (unsigned int f = 0; f < o->flows; f++) {
		struct sl_gen_flow *fl = &flows[f];
		const struct sl_gen_dst *dst = &o->dsts[f % o->nb_dsts];
		unsigned int tx = tx_ports[f % nb_tx];
		const struct rte_ether_addr *src = o->src_mac_set ? &o->src_mac : &port_macs[tx];

		memset(fl, 0, sizeof(*fl));
		gen_hdr_build(o, f, src, dst, fl);
		fl->tx_idx = (uint8_t)tx;
		/* Flow f on queue f % Q, counting flows per tx port. */
		fl->tx_queue = (uint8_t)((f / nb_tx) % o->queues);
		fl->ttl_back = (uint8_t)(o->ttl_dec >= 0 ? dst->ttl - o->ttl_dec : dst->ttl);

		switch (o->expect) {
		case SL_GEN_EXPECT_NONE:
			fl->rx_idx = (uint8_t)tx;
			break;
		case SL_GEN_EXPECT_MACSWAP:
			fl->rx_idx = (uint8_t)tx;
			fl->exp_dst = *src;
			fl->exp_src = o->dst_mac;
			fl->check_src = 1;
			break;
		case SL_GEN_EXPECT_L2FWD:
			/* Pairs as the DUT's default and our wiring: 0<->1, 2<->3. */
			fl->rx_idx = (uint8_t)(tx ^ 1u);
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
			break;
		case SL_GEN_EXPECT_IP4: {
			const struct gen_route *r =
			    gen_route_find(routes, nb_routes, rte_be_to_cpu_32(dst->ip_be));

			if (r == NULL || dst->ttl <= 1) {
				fl->expect_drop = 1;
				break;
			}
			fl->rx_idx = r->port_idx;
			fl->exp_dst = r->mac;
			if (r->port_idx < o->nb_dut_macs) {
				fl->exp_src = o->dut_macs[r->port_idx];
				fl->check_src = 1;
			}
			break;
		}
		}
		if (!fl->expect_drop && o->rx_mask != 0 && !(o->rx_mask & (1u << fl->rx_idx))) {
			fprintf(stderr,
				"%s: flow %u should come back on %s, which is not an rx port. Fix: "
				"add it to --rx-port (or drop --rx-port)\n",
				o->prog, f, o->ports[fl->rx_idx]);
			return -1;
		}
	}
	return 0;
}
