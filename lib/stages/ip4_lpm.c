/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ip4_lpm: IPv4 router data path on rte_lpm. Routes come from a text file
 * read once at start; each NUMA node gets its own LPM table and next-hop
 * array so lookups never cross the interconnect.
 *
 * The header checksum is not verified in software (DPDK's l3fwd does not
 * either): that costs a 20-byte sum per packet, and the RFC 1624 update
 * below keeps a bad checksum bad, so the next hop still sees the damage.
 * NICs that verify it can drop such frames in hardware.
 *
 * The vector goes through three passes: checks that only read the frames,
 * route lookups, and a last pass that does every write to a frame (TTL,
 * checksum, MACs). Keeping the stores out of the first pass measured about
 * a cycle per packet: the header loads of the next frames no longer queue
 * behind stores to the frame before (docs/PERFORMANCE.md).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lpm.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "net/sl_net.h"
#include "sluice/sl_parse.h"
#include "sluice/sl_port.h"
#include "sluice/sl_stage.h"

/* The order matters: the first counters double as verdicts of ip4_check(). */
#define IP4_COUNTERS(X)                                                                            \
	X(IP4_FORWARDED, "forwarded")                                                              \
	X(IP4_RUNT, "runt")                                                                        \
	X(IP4_NOT_IPV4, "not_ipv4")                                                                \
	X(IP4_BAD_HEADER, "bad_header")                                                            \
	X(IP4_BAD_LENGTH, "bad_length")                                                            \
	X(IP4_TTL_EXCEEDED, "ttl_exceeded")                                                        \
	X(IP4_NO_ROUTE, "no_route")

enum { IP4_COUNTERS(SL_CNT_ENUM) IP4_NB_COUNTERS };
_Static_assert(IP4_FORWARDED == 0, "ip4_process ORs the verdicts of a vector: 0 must be forwarded");
static const char *const ip4_counters[] = {IP4_COUNTERS(SL_CNT_NAME) NULL};
static const char *const ip4_args[] = {"routes", NULL};

/* rte_lpm keeps 24 bits of next hop; a far smaller cap keeps the table in cache. */
#define IP4_MAX_HOPS 4096

/* What the data path writes for a route: the Ethernet MACs, then the port. */
struct ip4_hop {
	struct rte_ether_addr dst;
	struct rte_ether_addr src;
	uint16_t port;
	uint16_t pad;
};

struct ip4_route {
	uint32_t prefix; /* host order */
	uint8_t len;
	uint32_t hop;
	unsigned int line;
};

struct ip4_global {
	char file[256];
	uint32_t default_hop; /* RTE_LPM_LOOKUP_SUCCESS | hop, or 0 */
	struct ip4_route *routes;
	unsigned int nb_routes;
	unsigned int nb_long; /* routes longer than /24: each may need a tbl8 group */
	struct ip4_hop hops[IP4_MAX_HOPS];
	unsigned int nb_hops;
};

/* No route (and no /0 route): a value no next-hop index takes. */
#define IP4_NO_HOP UINT32_MAX

struct ip4_node {
	struct rte_lpm *lpm;
	/* rte_lpm takes depths 1..32, so a /0 route is the miss value instead:
	 * its next-hop index, or IP4_NO_HOP. */
	uint32_t miss_hop;
	struct ip4_hop hops[];
};

static unsigned int ip4_lpm_seq;

static int ip4_hop_index(struct sl_stage_init *init, struct ip4_global *g, uint16_t port,
			 const struct rte_ether_addr *dst, unsigned int line, uint32_t *index)
{
	struct ip4_hop *h;
	int rc;

	for (unsigned int i = 0; i < g->nb_hops; i++)
		if (g->hops[i].port == port && rte_is_same_ether_addr(&g->hops[i].dst, dst)) {
			*index = i;
			return 0;
		}
	if (g->nb_hops == IP4_MAX_HOPS)
		return sl_stage_fail(init,
				     "%s:%u: more than %u distinct (port, MAC) next hops. Fix: use "
				     "fewer distinct next hops",
				     g->file, line, IP4_MAX_HOPS);
	h = &g->hops[g->nb_hops];
	rc = rte_eth_macaddr_get(port, &h->src);
	if (rc < 0)
		return sl_stage_fail(
		    init,
		    "%s:%u: cannot read the MAC of port %u: %s. Fix: check the port is started",
		    g->file, line, port, strerror(-rc));
	h->dst = *dst;
	h->port = port;
	*index = g->nb_hops++;
	return 0;
}

/* The grammar is sl_routes_load's; what is ours is resolving ports to hops. */
static int ip4_add_routes(struct sl_stage_init *init, struct ip4_global *g,
			  const struct sl_route *routes, unsigned int nb)
{
	g->routes = calloc(nb, sizeof(*g->routes));
	if (g->routes == NULL)
		return sl_stage_fail(init, "out of memory. Fix: give the EAL more memory");
	for (unsigned int i = 0; i < nb; i++) {
		struct ip4_route *r = &g->routes[i];
		int port = sl_port_lookup(routes[i].port);

		if (port < 0)
			return sl_stage_fail(
			    init,
			    "%s:%u: port: unknown port '%s'. Fix: use a [port NAME] "
			    "name or an ethdev port id",
			    g->file, routes[i].line, routes[i].port);
		r->prefix = routes[i].prefix;
		r->len = routes[i].len;
		r->line = routes[i].line;
		if (ip4_hop_index(init, g, (uint16_t)port, &routes[i].mac, r->line, &r->hop) < 0)
			return -EINVAL;
		g->nb_long += r->len > 24;
		if (r->len == 0)
			g->default_hop = RTE_LPM_LOOKUP_SUCCESS | r->hop;
		g->nb_routes++;
	}
	return 0;
}

static void ip4_global_fini(void *global_state)
{
	struct ip4_global *g = global_state;

	if (g != NULL)
		free(g->routes);
	free(g);
}

static int ip4_global_init(struct sl_stage_init *init)
{
	const char *file = sl_stage_arg(init, "routes", NULL);
	struct ip4_global *g;
	struct sl_route *routes;
	unsigned int nb;
	int rc;

	if (file == NULL || file[0] == '\0')
		return sl_stage_fail(init, "missing routes=FILE. Fix: add routes=FILE (one "
					   "'PREFIX/LEN PORT MAC' per line)");
	g = calloc(1, sizeof(*g));
	if (g == NULL)
		return sl_stage_fail(init, "out of memory. Fix: give the EAL more memory");
	snprintf(g->file, sizeof(g->file), "%s", file);
	if (sl_routes_load(file, &routes, &nb, init->err) < 0) {
		ip4_global_fini(g);
		return -EINVAL;
	}
	rc = ip4_add_routes(init, g, routes, nb);
	free(routes);
	if (rc < 0) {
		ip4_global_fini(g);
		return rc;
	}
	init->global_state = g;
	return 0;
}

static void ip4_node_fini(void *node_state)
{
	struct ip4_node *nd = node_state;

	if (nd != NULL)
		rte_lpm_free(nd->lpm);
	rte_free(nd);
}

static int ip4_node_init(struct sl_stage_init *init)
{
	const struct ip4_global *g = init->global_state;
	struct rte_lpm_config cfg = {
	    .max_rules = g->nb_routes,
	    .number_tbl8s = RTE_MAX(g->nb_long, 1u),
	};
	size_t sz = sizeof(struct ip4_node) + g->nb_hops * sizeof(struct ip4_hop);
	char name[RTE_LPM_NAMESIZE];
	struct ip4_node *nd;

	nd = rte_zmalloc_socket("sl_ip4_lpm", sz, RTE_CACHE_LINE_SIZE, init->socket);
	if (nd == NULL)
		return sl_stage_fail(
		    init, "cannot allocate %zu bytes on NUMA node %d. Fix: reserve more hugepages",
		    sz, init->socket);
	memcpy(nd->hops, g->hops, g->nb_hops * sizeof(struct ip4_hop));
	/* LPM names are global to the process: one per instance and node. */
	snprintf(name, sizeof(name), "sl_lpm%u_%d",
		 __atomic_fetch_add(&ip4_lpm_seq, 1, __ATOMIC_RELAXED), init->socket);
	nd->lpm = rte_lpm_create(name, init->socket, &cfg);
	if (nd->lpm == NULL) {
		rte_free(nd);
		return sl_stage_fail(init,
				     "rte_lpm_create(%u rules) on NUMA node %d: %s. Fix: "
				     "reserve more hugepages (-m)",
				     g->nb_routes, init->socket, rte_strerror(rte_errno));
	}
	nd->miss_hop =
	    (g->default_hop & RTE_LPM_LOOKUP_SUCCESS) ? g->default_hop & 0x00ffffff : IP4_NO_HOP;
	for (unsigned int i = 0; i < g->nb_routes; i++) {
		const struct ip4_route *r = &g->routes[i];
		int rc;

		if (r->len == 0)
			continue;
		rc = rte_lpm_add(nd->lpm, r->prefix, r->len, r->hop);
		if (rc < 0) {
			ip4_node_fini(nd);
			return sl_stage_fail(init, "%s:%u: rte_lpm_add: %s. Fix: check this route",
					     g->file, r->line, strerror(-rc));
		}
	}
	init->node_state = nd;
	return 0;
}

/*
 * Validate one frame without writing to it; on success store the
 * destination (host order) and return IP4_FORWARDED, else return the drop
 * counter.
 * Every case: header options, and each way a frame can be bad.
 */
static unsigned int ip4_check_slow(struct rte_mbuf *m, uint32_t *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint32_t ihl_bytes, total;

	*dst = 0;
	if (unlikely(rte_pktmbuf_data_len(m) < SL_ETH_IP4_MIN_LEN))
		return IP4_RUNT;
	if (unlikely(eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		return IP4_NOT_IPV4;
	if (unlikely((ip->version_ihl >> 4) != 4 || (ip->version_ihl & 0xf) < 5))
		return IP4_BAD_HEADER;
	ihl_bytes = (uint32_t)(ip->version_ihl & 0xf) * 4;
	total = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(total < ihl_bytes || total > rte_pktmbuf_pkt_len(m) - RTE_ETHER_HDR_LEN))
		return IP4_BAD_LENGTH;
	if (unlikely(ip->time_to_live <= 1))
		return IP4_TTL_EXCEEDED;
	*dst = rte_be_to_cpu_32(ip->dst_addr);
	return IP4_FORWARDED;
}

/*
 * The same verdicts, with the usual frame on a short path: long enough,
 * IPv4 with a 20-byte header (EtherType and version/IHL in one 32-bit
 * compare), a total length that fits the first segment, TTL above 1.
 * Anything else takes ip4_check_slow, which sorts it out.
 */
static inline unsigned int ip4_check(struct rte_mbuf *m, uint32_t *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint32_t lead;

	if (likely(rte_pktmbuf_data_len(m) >= SL_ETH_IP4_MIN_LEN)) {
		memcpy(&lead, &eth->ether_type, sizeof(lead));
		/*
		 * total - 20 <= data_len - 34 holds for 20 <= total <= data_len -
		 * 14: the packet fits the first segment (a longer one is checked
		 * against pkt_len by the slow path).
		 */
		if (likely((lead & RTE_BE32(0xffffff00)) == RTE_BE32(0x08004500) &&
			   (uint32_t)rte_be_to_cpu_16(ip->total_length) - 20u <=
			       rte_pktmbuf_data_len(m) - (uint32_t)SL_ETH_IP4_MIN_LEN &&
			   ip->time_to_live > 1)) {
			*dst = rte_be_to_cpu_32(ip->dst_addr);
			return IP4_FORWARDED;
		}
	}
	return ip4_check_slow(m, dst);
}

/* Send a checked frame to its next hop: TTL and checksum, MACs, output port. */
static inline void ip4_rewrite(const struct ip4_node *nd, struct rte_mbuf *m, uint32_t hop)
{
	const struct ip4_hop *h = &nd->hops[hop];
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	sl_ipv4_dec_ttl((struct rte_ipv4_hdr *)(eth + 1));
	sl_ether_write_macs(eth, h);
	m->port = h->port;
}

static inline unsigned int ip4_finish(struct sl_stage_ctx *ctx, const struct ip4_node *nd,
				      struct rte_mbuf *m, unsigned int verdict, uint32_t hop,
				      uint16_t *next)
{
	/*
	 * Drops are rare and counted in place; forwarded packets are counted
	 * once per vector, since a per-packet increment through ctx->counters
	 * would chain every packet on a store-to-load round trip.
	 */
	if (unlikely(verdict != IP4_FORWARDED)) {
		ctx->counters[verdict]++;
		*next = SL_EDGE_DROP;
		return 0;
	}
	if (unlikely(hop == IP4_NO_HOP)) {
		ctx->counters[IP4_NO_ROUTE]++;
		*next = SL_EDGE_DROP;
		return 0;
	}
	ip4_rewrite(nd, m, hop);
	*next = SL_EDGE_NEXT;
	return 1;
}

/*
 * Four addresses into one vector register, by one 16-byte load. The first
 * pass stored them a whole vector earlier, so the load does not wait on
 * store-to-load forwarding (which fails for four 4-byte stores read back
 * as one 16-byte load).
 */
static inline xmm_t ip4_vec(const uint32_t *ips)
{
	xmm_t x;

	memcpy(&x, ips, sizeof(x));
	return x;
}

static uint16_t ip4_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			    uint16_t *nexts)
{
	const struct ip4_node *nd = ctx->node_state;
	alignas(16) uint32_t ips[SL_STAGE_VEC_MAX];
	alignas(16) uint32_t hops[SL_STAGE_VEC_MAX];
	uint8_t verdict[SL_STAGE_VEC_MAX];
	unsigned int fwd = 0, bad = 0;
	uint16_t i;

	/*
	 * Three passes over the vector, as in DPDK's l3fwd: check every
	 * header, then look every destination up, then rewrite. Each loop
	 * keeps few values live, and the lookups of one pass overlap. A packet
	 * that failed its check looks up 0.0.0.0 and is dropped by its verdict.
	 *
	 * No prefetch (nor in l3fwd's SSE path): the checks of one packet do
	 * not wait on those of the one before, so the out-of-order core already
	 * overlaps the header loads of several packets. A prefetch pass cost
	 * 1.2 cycles/packet on net_pcap, whose frames are in cache (docs/
	 * PERFORMANCE.md); frames a NIC wrote to the LLC were not measurable
	 * here.
	 */
	for (i = 0; i < n; i++) {
		verdict[i] = (uint8_t)ip4_check(pkts[i], &ips[i]);
		bad |= verdict[i];
	}
	for (i = 0; i + 4 <= n; i += 4)
		rte_lpm_lookupx4(nd->lpm, ip4_vec(&ips[i]), &hops[i], nd->miss_hop);
	for (; i < n; i++)
		if (rte_lpm_lookup(nd->lpm, ips[i], &hops[i]) != 0)
			hops[i] = nd->miss_hop;
	i = 0;
	if (likely(bad == IP4_FORWARDED)) {
		/* Every header passed: rewrite until a packet has no route. */
		for (; i < n && hops[i] != IP4_NO_HOP; i++)
			ip4_rewrite(nd, pkts[i], hops[i]);
		if (likely(i == n)) {
			ctx->counters[IP4_FORWARDED] += n;
			return SL_EDGE_NEXT;
		}
		for (uint16_t k = 0; k < i; k++)
			nexts[k] = SL_EDGE_NEXT;
		fwd = i;
	}
	for (; i < n; i++)
		fwd += ip4_finish(ctx, nd, pkts[i], verdict[i], hops[i], &nexts[i]);
	ctx->counters[IP4_FORWARDED] += fwd;
	return fwd == n ? SL_EDGE_NEXT : SL_NEXTS_PER_PACKET;
}

static const struct sl_stage_ops ip4_lpm_ops = {
    .name = "ip4_lpm",
    .help = "IPv4 forwarding by longest prefix match; routes=FILE with lines "
	    "'PREFIX/LEN PORT NEXTHOP_MAC' (see docs/stages.md)",
    .process = ip4_process,
    .counters = ip4_counters,
    .arg_keys = ip4_args,
    .global_init = ip4_global_init,
    .node_init = ip4_node_init,
    .node_fini = ip4_node_fini,
    .global_fini = ip4_global_fini,
};

SL_STAGE_REGISTER(ip4_lpm_ops);
