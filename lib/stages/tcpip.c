/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcpip: an IPv4 host on the pipeline's port. Ethernet in, ARP (replies,
 * cache, resolution), IPv4 validation and local delivery, ICMP echo, UDP
 * echo, and the worker's TCP stack with the TCP echo service on top.
 *
 * Every input packet is consumed: turned around (ARP, ICMP, UDP replies),
 * handed to TCP, or counted and freed. What the stage emits goes out of the
 * NEXT edge with mbuf->port set, so a second `impair` after this stage
 * impairs our outgoing direction. Output made outside a vector (timers,
 * ARP resolution, the gratuitous ARP) leaves from `poll`.
 *
 * Args and counters: docs/net.md. Each worker runs its own instance: its
 * own ARP cache, TCP stack and connection table, nothing shared.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_random.h>

#include "net/net_priv.h"
#include "sluice/sl_echo.h"
#include "sluice/sl_tcp_service.h"
#include "sluice/sl_stage.h"
#include "sluice/sl_tcp.h"
#include "sluice/sl_tcpip.h"

#define NET_CNT_NAME(id, name) name,
#define TCP_CNT_NAME(name) "tcp_" #name,
static const char *const tcpip_counters[] = {NET_COUNTERS(NET_CNT_NAME) SL_TCP_STATS(TCP_CNT_NAME)
						 NULL};

static_assert(NET_TCP_STATS_BASE + sizeof(struct sl_tcp_stats) / sizeof(uint64_t) <=
		  SL_STAGE_COUNTERS_MAX,
	      "raise SL_STAGE_COUNTERS_MAX: tcpip counters do not fit");

/* TCP resource caps, keepalive and RST rate (docs/tcp.md "Resource caps"). */
#define TCPIP_CAPS_ARGS                                                                            \
	"zw_probes", "zw_give_up_ms", "keepalive_ms", "keepalive_intvl_ms", "keepalive_probes",    \
	    "tcp_mem", "conn_mem", "rst_rate", "rst_burst"

static const char *const tcpip_args[] = {"ip",
					 "gw",
					 "tcp_echo",
					 "udp_echo",
					 "max_conns",
					 "syn_backlog",
					 "rto_min_ms",
					 "msl_ms",
					 "timestamps",
					 "sack",
					 "cc",
					 "mss",
					 "rcv_buf",
					 "snd_buf",
					 "echo_idle_ms",
					 "icmp_rate",
					 "arp_timeout_ms",
					 "arp_entries",
					 "arp_hold",
					 "out_fifo",
					 "tcp",
					 "port",
					 "tcp_echo_ports",
					 "frag_flows",
					 "frag_timeout_ms",
					 "frag_max_size",
					 "tcp_service",
					 TCPIP_CAPS_ARGS,
					 NULL};

#define TCPIP_PREFETCH 4

/* ---- args ---- */

static int arg_uint(struct sl_stage_init *init, const char *key, const char *def, uint64_t min,
		    uint64_t max, uint32_t *out)
{
	return sl_stage_arg_u32(init, key, def, SL_UNITS_NONE, (uint32_t)min, (uint32_t)max, out);
}

/* Buffer sizes in bytes: "256k" and "1M" read as KiB and MiB. */
static int arg_bytes(struct sl_stage_init *init, const char *key, uint32_t max, uint32_t *out)
{
	return sl_stage_arg_u32(init, key, "0", SL_UNITS_BYTES, 0, max, out);
}

static int arg_cc(struct sl_stage_init *init, uint8_t *out)
{
	static const char *const names[] = {"cubic", "newreno", "reno", NULL};
	static const uint8_t algo[] = {SL_TCP_CC_CUBIC, SL_TCP_CC_NEWRENO, SL_TCP_CC_NEWRENO};
	unsigned int i;

	if (sl_parse_enum("cc", sl_stage_arg(init, "cc", "cubic"), names, &i, init->err) < 0)
		return -EINVAL;
	*out = algo[i];
	return 0;
}

static int arg_ip_prefix(struct sl_stage_init *init, struct net_config *c)
{
	const char *arg = sl_stage_arg(init, "ip", NULL);
	uint8_t len;

	if (arg == NULL)
		return sl_stage_fail(init, "no address. Fix: add ip=ADDR/LEN, e.g. ip=10.0.0.2/24");
	if (sl_parse_ip4_prefix("ip", arg, 24, &c->ip, &len, init->err) < 0)
		return -EINVAL;
	if (len == 0)
		return sl_stage_fail(init,
				     "ip: '%s' has prefix length 0. Fix: give 1..32, e.g. "
				     "ip=10.0.0.2/24",
				     arg);
	c->mask = rte_cpu_to_be_32(len == 32 ? UINT32_MAX : ~(UINT32_MAX >> len));
	return 0;
}

/* tcp_service=NAME:PORT|NAME:PORT: registered services (sl_tcp_service.h). */
static int arg_services(struct sl_stage_init *init, struct net_config *c)
{
	const char *arg = sl_stage_arg(init, "tcp_service", NULL);
	char list[256], known[256] = "", *tok, *save;

	if (arg == NULL)
		return 0;
	for (unsigned int i = 0; sl_tcp_service_at(i) != NULL; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 i ? ", " : "", sl_tcp_service_at(i)->name);
	if (snprintf(list, sizeof(list), "%s", arg) >= (int)sizeof(list))
		return sl_stage_fail(init, "tcp_service: too long. Fix: fewer services");
	for (tok = strtok_r(list, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save)) {
		char *colon = strchr(tok, ':');
		uint64_t port;

		if (colon == NULL)
			return sl_stage_fail(init,
					     "tcp_service: '%s' has no port. Fix: NAME:PORT, e.g. "
					     "tcp_service=%s:7000",
					     tok, tok);
		*colon = '\0';
		if (c->nb_services == NET_SERVICES_MAX)
			return sl_stage_fail(init, "tcp_service: more than %d services. Fix: fewer",
					     NET_SERVICES_MAX);
		c->services[c->nb_services] = sl_tcp_service_find(tok);
		if (c->services[c->nb_services] == NULL)
			return sl_stage_fail(init,
					     "tcp_service: no TCP service '%s'. Fix: use one of %s "
					     "(registered: SL_TCP_SERVICE_REGISTER, or a plugin)",
					     tok, known[0] ? known : "(none registered)");
		if (sl_parse_u64("tcp_service", colon + 1, SL_UNITS_NONE, 1, 65535, &port,
				 init->err) < 0)
			return -EINVAL;
		c->service_ports[c->nb_services++] = (uint16_t)port;
	}
	return 0;
}

static int tcpip_global_init(struct sl_stage_init *init)
{
	struct net_config c = {0};
	uint32_t v16, mss, port;
	const char *gw;

	if (arg_ip_prefix(init, &c) < 0)
		return -EINVAL;
	gw = sl_stage_arg(init, "gw", NULL);
	if (gw != NULL && sl_parse_ip4("gw", gw, &c.gw, init->err) < 0)
		return -EINVAL;
	if (c.gw != 0 && ((c.gw ^ c.ip) & c.mask) != 0)
		return sl_stage_fail(
		    init, "gw=%s is not in the subnet of ip=%s. Fix: give a gw on that prefix", gw,
		    sl_stage_arg(init, "ip", ""));
	if (arg_uint(init, "tcp_echo", "7", 0, 65535, &v16) < 0)
		return -EINVAL;
	c.tcp_echo_port = (uint16_t)v16;
	if (arg_uint(init, "tcp_echo_ports", "1", 1, 64, &v16) < 0)
		return -EINVAL;
	c.tcp_echo_ports = (uint16_t)v16;
	if (c.tcp_echo_port + c.tcp_echo_ports - 1 > 65535)
		return sl_stage_fail(init,
				     "tcp_echo=%u with tcp_echo_ports=%u runs past port "
				     "65535. Fix: lower either",
				     c.tcp_echo_port, c.tcp_echo_ports);
	if (arg_services(init, &c) < 0)
		return -EINVAL;
	if (arg_uint(init, "udp_echo", "7", 0, 65535, &v16) < 0)
		return -EINVAL;
	c.udp_echo_port = (uint16_t)v16;
	if (arg_uint(init, "max_conns", "65536", 1, 1u << 24, &c.max_conns) < 0 ||
	    arg_uint(init, "syn_backlog", "0", 0, 1u << 24, &c.syn_backlog) < 0 ||
	    arg_uint(init, "rto_min_ms", "200", 1, 60000, &c.rto_min_ms) < 0 ||
	    arg_uint(init, "msl_ms", "30000", 1, 600000, &c.msl_ms) < 0 ||
	    arg_uint(init, "mss", "1460", 88, 9000 - 40, &mss) < 0 ||
	    arg_bytes(init, "rcv_buf", 1u << 30, &c.rcv_buf) < 0 ||
	    arg_bytes(init, "snd_buf", 1u << 30, &c.snd_buf) < 0 ||
	    arg_uint(init, "echo_idle_ms", "0", 0, 86400000, &c.echo_idle_ms) < 0 ||
	    arg_uint(init, "icmp_rate", "1000", 1, 10000000, &c.icmp_rate) < 0 ||
	    arg_uint(init, "arp_timeout_ms", "60000", 1000, 86400000, &c.arp_timeout_ms) < 0 ||
	    arg_uint(init, "arp_entries", "256", ARP_WAYS, 1u << 20, &c.arp_entries) < 0 ||
	    arg_uint(init, "arp_hold", "256", 1, 65536, &c.arp_hold) < 0 ||
	    arg_uint(init, "out_fifo", "8192", 64, 1u << 20, &c.out_fifo) < 0 ||
	    arg_uint(init, "frag_flows", "128", 0, 1u << 16, &c.frag_flows) < 0 ||
	    arg_uint(init, "frag_timeout_ms", "1000", 1, 60000, &c.frag_timeout_ms) < 0 ||
	    arg_uint(init, "frag_max_size", "65535", 576, 65535, &c.frag_max_size) < 0 ||
	    sl_stage_arg_bool(init, "timestamps", "on", &c.timestamps) < 0 ||
	    sl_stage_arg_bool(init, "sack", "on", &c.sack) < 0 || arg_cc(init, &c.cc) < 0 ||
	    sl_stage_arg_bool(init, "tcp", "on", &c.tcp) < 0 ||
	    arg_uint(init, "port", "65535", 0, 65535, &port) < 0)
		return -EINVAL;
	if (arg_uint(init, "zw_probes", "8", 0, 255, &c.zw_probes) < 0 ||
	    arg_uint(init, "zw_give_up_ms", "0", 0, 86400000, &c.zw_give_up_ms) < 0 ||
	    arg_uint(init, "keepalive_ms", "0", 0, 86400000, &c.keepalive_ms) < 0 ||
	    arg_uint(init, "keepalive_intvl_ms", "75000", 1, 86400000, &c.keepalive_intvl_ms) < 0 ||
	    arg_uint(init, "keepalive_probes", "9", 1, 255, &c.keepalive_probes) < 0 ||
	    arg_uint(init, "tcp_mem", "0", 0, 1u << 30, &c.tcp_mem) < 0 ||
	    arg_uint(init, "conn_mem", "0", 0, 1u << 30, &c.conn_mem) < 0 ||
	    arg_uint(init, "rst_rate", "1000", 0, 10000000, &c.rst_rate) < 0 ||
	    arg_uint(init, "rst_burst", "100", 1, 10000000, &c.rst_burst) < 0)
		return -EINVAL;
	c.port_arg = (uint16_t)port;
	c.mss = (uint16_t)mss;
	c.arp_entries = rte_align32pow2(c.arp_entries);
	c.out_fifo = rte_align32pow2(c.out_fifo);

	if (!c.tcp && c.nb_services != 0)
		return sl_stage_fail(init, "tcp_service needs TCP, and tcp=off. Fix: drop either");
	init->global_state = malloc(sizeof(c));
	if (init->global_state == NULL)
		return sl_stage_fail(init, "out of memory. Fix: free some memory");
	memcpy(init->global_state, &c, sizeof(c));
	return 0;
}

static void tcpip_global_fini(void *global_state)
{
	free(global_state);
}

/* ---- per worker ---- */

/*
 * The port our own packets leave from: the first port whose queue this
 * worker polls for the stage's pipeline. Replies always leave from the
 * input port. Outside a sluice app (an embedding app driving the ops, unit
 * tests) no ports are handed in: port=N names it.
 */
static int tcpip_find_port(struct sl_stage_init *init, uint16_t *port_id)
{
	const struct net_config *c = init->global_state;

	if (init->nb_ports > 0) {
		*port_id = init->ports[0];
		return 0;
	}
	if (c->port_arg == UINT16_MAX || !rte_eth_dev_is_valid_port(c->port_arg))
		return -1;
	*port_id = c->port_arg;
	return 0;
}

static inline uint64_t tcpip_now_us(const struct sl_netif *nif)
{
	return (uint64_t)(((unsigned __int128)rte_rdtsc() * nif->tsc_mult) >> 32);
}

static void tcpip_worker_fini(struct sl_stage_ctx *ctx);

/*
 * What this worker's TCP may hold (tcp_mem=0): half the pool, shared with
 * the other workers on the node, so the connections of one worker cannot
 * take the mbufs the rx rings, the other workers and new connections need
 * (docs/architecture.md, mbuf pool sizing).
 */
static uint32_t tcpip_mem_budget(const struct sl_netif *nif, const struct sl_worker_info *w)
{
	if (nif->pool == NULL)
		return 0; /* the stack derives it from its own pool */
	return RTE_MAX(nif->pool->size / 2 / RTE_MAX(w->pool_workers, 1u), 64u);
}

static int tcpip_worker_init(struct sl_stage_init *init)
{
	struct sl_netif *nif = init->ctx->priv;
	const struct sl_worker_info *w = init->ctx->worker;
	struct sl_tcp_config tc;
	struct rte_malloc_socket_stats heap_before, heap_after;

	memset(nif, 0, sizeof(*nif));
	nif->cfg = *(const struct net_config *)init->global_state;
	nif->counters = init->ctx->counters;
	nif->pool = w->pool;
	nif->socket = (unsigned int)(w->socket < 0 ? 0 : w->socket);
	nif->tsc_mult = (uint64_t)(((unsigned __int128)1000000 << 32) / rte_get_tsc_hz());
	nif->now_us = tcpip_now_us(nif);
	/* An eighth of the pool stays for ACKs, ARP and the rx rings' refills. */
	nif->pool_low = nif->pool != NULL ? nif->pool->size / 8 : 0;
	nif->icmp_tb =
	    (struct net_token_bucket){nif->now_us, nif->cfg.icmp_rate, nif->cfg.icmp_rate};
	if (tcpip_find_port(init, &nif->port) < 0)
		return sl_stage_fail(init,
				     "this worker polls no port of the stage's pipeline. Fix: "
				     "map a queue of the pipeline's port to it (outside a sluice "
				     "app: give port=ETHDEV_PORT_ID)");
	if (rte_eth_macaddr_get(nif->port, &nif->mac) != 0)
		return sl_stage_fail(init,
				     "cannot read the MAC address of port %u. Fix: check "
				     "port=N names a started port",
				     nif->port);
	/* Replies above it are fragmented; 1500 when the device cannot say. */
	if (rte_eth_dev_get_mtu(nif->port, &nif->mtu) != 0 || nif->mtu < RTE_ETHER_MIN_MTU)
		nif->mtu = RTE_ETHER_MTU;
	nif->fifo_mask = nif->cfg.out_fifo - 1;
	nif->fifo = rte_zmalloc_socket("sl_net_fifo", nif->cfg.out_fifo * sizeof(nif->fifo[0]),
				       RTE_CACHE_LINE_SIZE, w->socket);
	if (nif->fifo == NULL || arp_init(nif) < 0 || ip4_frag_init(nif) < 0) {
		tcpip_worker_fini(init->ctx);
		return sl_stage_fail(init,
				     "out of memory on NUMA node %d for the output FIFO "
				     "(out_fifo), ARP (arp_entries, arp_hold) or reassembly "
				     "(frag_flows). Fix: lower them or reserve more hugepages",
				     w->socket);
	}
	if (!nif->cfg.tcp)
		return 0;

	/* What the per-connection state really costs: the heap before and after. */
	if (rte_malloc_get_socket_stats(w->socket, &heap_before) < 0)
		memset(&heap_before, 0, sizeof(heap_before));
	sl_tcp_config_defaults(&tc);
	tc.max_conns = nif->cfg.max_conns;
	if (nif->cfg.syn_backlog)
		tc.syn_backlog = nif->cfg.syn_backlog;
	tc.mss = nif->cfg.mss;
	tc.timestamps = nif->cfg.timestamps;
	tc.sack = nif->cfg.sack;
	tc.cc = nif->cfg.cc;
	if (nif->cfg.rcv_buf)
		tc.rcv_buf = nif->cfg.rcv_buf;
	if (nif->cfg.snd_buf)
		tc.snd_buf = nif->cfg.snd_buf;
	tc.rto_min_us = nif->cfg.rto_min_ms * 1000;
	if (tc.rto_init_us < tc.rto_min_us)
		tc.rto_init_us = tc.rto_min_us;
	tc.msl_us = nif->cfg.msl_ms * 1000;
	tc.zw_probes_max = (uint8_t)nif->cfg.zw_probes;
	tc.zw_give_up_ms = nif->cfg.zw_give_up_ms;
	tc.keepalive_idle_ms = nif->cfg.keepalive_ms;
	tc.keepalive_intvl_ms = nif->cfg.keepalive_intvl_ms;
	tc.keepalive_probes = (uint8_t)nif->cfg.keepalive_probes;
	tc.mem_max_mbufs = nif->cfg.tcp_mem != 0 ? nif->cfg.tcp_mem : tcpip_mem_budget(nif, w);
	tc.conn_mem_max_mbufs = nif->cfg.conn_mem;
	tc.rst_rate = nif->cfg.rst_rate;
	tc.rst_burst = nif->cfg.rst_burst;
	for (unsigned int i = 0; i < sizeof(tc.isn_secret); i += sizeof(uint64_t)) {
		uint64_t r = rte_rand();

		memcpy(tc.isn_secret + i, &r, sizeof(r));
	}
	tc.socket = w->socket;
	tc.pool = w->pool;
	tc.output = ip4_tcp_output;
	tc.output_ctx = nif;
	nif->tcp = sl_tcp_stack_create(&tc, nif->now_us);
	if (nif->tcp == NULL) {
		tcpip_worker_fini(init->ctx);
		return sl_stage_fail(init,
				     "cannot create the TCP stack (%s). Fix: lower max_conns "
				     "or reserve more hugepages",
				     rte_strerror(rte_errno));
	}
	if (nif->cfg.tcp_echo_port != 0) {
		struct sl_echo_config ec = {
		    .port = nif->cfg.tcp_echo_port,
		    .nports = nif->cfg.tcp_echo_ports,
		    .max_conns = nif->cfg.max_conns,
		    .idle_ms = nif->cfg.echo_idle_ms,
		    .socket = w->socket,
		};

		nif->echo = sl_echo_tcp_create(nif->tcp, &ec);
		if (nif->echo == NULL) {
			tcpip_worker_fini(init->ctx);
			return sl_stage_fail(
			    init,
			    "cannot start the TCP echo service on port "
			    "%u (%s). Fix: free the ports tcp_echo.. (tcp_echo_ports)",
			    nif->cfg.tcp_echo_port, rte_strerror(rte_errno));
		}
	}
	for (unsigned int i = 0; i < nif->cfg.nb_services; i++) {
		const struct sl_tcp_service_ops *svc = nif->cfg.services[i];

		nif->service_state[i] = svc->start(nif->tcp, nif->cfg.service_ports[i], w->socket);
		if (nif->service_state[i] == NULL) {
			int why = rte_errno;

			tcpip_worker_fini(init->ctx);
			return sl_stage_fail(init,
					     "cannot start TCP service '%s' on port %u (%s). Fix: "
					     "free the port or see the service's needs",
					     svc->name, nif->cfg.service_ports[i],
					     rte_strerror(why));
		}
	}
	if (rte_malloc_get_socket_stats(w->socket, &heap_after) == 0 &&
	    heap_after.heap_allocsz_bytes > heap_before.heap_allocsz_bytes) {
		size_t bytes = heap_after.heap_allocsz_bytes - heap_before.heap_allocsz_bytes;

		sl_stage_note(
		    init,
		    "lcore %u: TCP state for max_conns=%u: %.1f MiB on node %d, %zu B per "
		    "connection (table, timers%s); connections may hold %u mbufs (tcp_mem)",
		    w->lcore, nif->cfg.max_conns, (double)bytes / (1 << 20), w->socket,
		    bytes / nif->cfg.max_conns, nif->echo != NULL ? ", echo" : "",
		    tc.mem_max_mbufs);
	}
	return 0;
}

static void tcpip_worker_fini(struct sl_stage_ctx *ctx)
{
	struct sl_netif *nif = ctx->priv;

	if (nif->tcp != NULL)
		sl_tcp_stack_free(nif->tcp); /* no callbacks: echo state just goes */
	nif->tcp = NULL;
	sl_echo_free(nif->echo);
	nif->echo = NULL;
	/* The stack is gone, and with it every callback into the services. */
	for (unsigned int i = 0; i < nif->cfg.nb_services; i++) {
		if (nif->service_state[i] != NULL && nif->cfg.services[i]->stop != NULL)
			nif->cfg.services[i]->stop(nif->service_state[i]);
		nif->service_state[i] = NULL;
	}
	arp_fini(nif);
	ip4_frag_fini(nif);
	while (nif->fifo != NULL && nif->fifo_head != nif->fifo_tail)
		rte_pktmbuf_free(nif->fifo[nif->fifo_head++ & nif->fifo_mask]);
	rte_free(nif->fifo);
	nif->fifo = NULL;
}

/* ---- data path ---- */

static inline void tcpip_out_begin(struct sl_netif *nif, struct rte_mbuf **out, uint16_t *nexts,
				   uint16_t cap)
{
	nif->now_us = tcpip_now_us(nif);
	nif->out = out;
	nif->out_nexts = nexts;
	nif->out_n = 0;
	nif->out_cap = cap;
	/* What waited goes first: one connection's segments stay in order. */
	net_fifo_flush(nif);
}

static inline uint16_t tcpip_out_end(struct sl_netif *nif)
{
	nif->out = NULL;
	return nif->out_n;
}

static inline void eth_input(struct sl_netif *nif, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eth))) {
		nif->counters[NET_ETH_RUNT]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (unlikely(!rte_is_same_ether_addr(&eth->dst_addr, &nif->mac) &&
		     !rte_is_broadcast_ether_addr(&eth->dst_addr))) {
		nif->counters[NET_ETH_NOT_US]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (likely(eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4)))
		ip4_input(nif, m);
	else if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		arp_input(nif, m);
	else {
		nif->counters[NET_ETH_UNKNOWN]++;
		rte_pktmbuf_free(m);
	}
}

static uint16_t tcpip_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			      struct rte_mbuf **out, uint16_t *nexts, uint16_t cap)
{
	struct sl_netif *nif = ctx->priv;

	tcpip_out_begin(nif, out, nexts, cap);
	/* rte_mempool_avail_count walks the lcore caches: once per vector, not per packet. */
	nif->pool_is_low = nif->tcp != NULL && rte_mempool_avail_count(nif->pool) < nif->pool_low;
	for (uint16_t i = 0; i < n && i < TCPIP_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (uint16_t i = 0; i < n; i++) {
		if (i + TCPIP_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + TCPIP_PREFETCH], void *));
		eth_input(nif, pkts[i]);
	}
	ip4_frag_flush(nif);
	return tcpip_out_end(nif);
}

static uint16_t tcpip_poll(struct sl_stage_ctx *ctx, struct rte_mbuf **out, uint16_t *nexts,
			   uint16_t cap)
{
	struct sl_netif *nif = ctx->priv;

	tcpip_out_begin(nif, out, nexts, cap);
	if (unlikely(!nif->started)) {
		nif->started = true;
		arp_announce(nif);
	}
	arp_timers(nif);
	ip4_frag_timers(nif);
	if (nif->tcp != NULL) {
		if (nif->now_us >= sl_tcp_next_timer(nif->tcp))
			sl_tcp_timers(nif->tcp, nif->now_us);
		if (nif->echo != NULL) {
			const struct sl_echo_stats *es = sl_echo_get_stats(nif->echo);

			sl_echo_poll(nif->echo, nif->now_us);
			nif->counters[NET_ECHO_BYTES] = es->bytes;
			nif->counters[NET_ECHO_CONNS] = es->accepted;
			nif->counters[NET_ECHO_IDLE_CLOSED] = es->idle_closed;
		}
		for (unsigned int i = 0; i < nif->cfg.nb_services; i++)
			if (nif->cfg.services[i]->poll != NULL)
				nif->cfg.services[i]->poll(nif->service_state[i], nif->now_us);
		/* The stack's counters, as the stage's: stats and telemetry show them. */
		memcpy(&nif->counters[NET_TCP_STATS_BASE], sl_tcp_stack_stats(nif->tcp),
		       sizeof(struct sl_tcp_stats));
		nif->counters[NET_TCP_CONNS] = sl_tcp_conn_count(nif->tcp);
	}
	return tcpip_out_end(nif);
}

static const struct sl_stage_ops tcpip_ops = {
    .name = "tcpip",
    .help = "IPv4 host with ARP, ICMP echo, UDP and TCP echo: ip=ADDR/LEN (required),"
	    "gw=ADDR,tcp_echo=PORT (7; 0 off),tcp_service=NAME:PORT|... (sl_tcp_service.h),"
	    "udp_echo=PORT (7; 0 off),max_conns=N (65536),"
	    "syn_backlog=N,rto_min_ms=N (200),msl_ms=N (30000),timestamps=on|off (on),sack=on|off "
	    "(on),cc=cubic|newreno (cubic),"
	    "mss=N (1460),rcv_buf=B,snd_buf=B,echo_idle_ms=N (0 = never),icmp_rate=N/s "
	    "(1000),arp_timeout_ms=N (60000),arp_entries=N (256),arp_hold=N (256),"
	    "out_fifo=N (8192),tcp=on|off,tcp_echo_ports=N (1),frag_flows=N (128; 0 drops "
	    "fragments),frag_timeout_ms=N (1000),frag_max_size=B (65535),zw_probes=N (8; 0 never),"
	    "zw_give_up_ms=N (0 = never),keepalive_ms=N (0 = off),keepalive_intvl_ms=N (75000),"
	    "keepalive_probes=N (9),tcp_mem=MBUFS (0 = half the pool / workers),conn_mem=MBUFS "
	    "(0 = 2 x (rcv_buf+snd_buf)/mss),rst_rate=N/s (1000; 0 = no limit),rst_burst=N (100),"
	    "port=N (only outside sluice apps); "
	    "see docs/net.md",
    .process_vector = tcpip_process,
    .poll = tcpip_poll,
    .priv_size = sizeof(struct sl_netif),
    .counters = tcpip_counters,
    .arg_keys = tcpip_args,
    .global_init = tcpip_global_init,
    .global_fini = tcpip_global_fini,
    .worker_init = tcpip_worker_init,
    .worker_fini = tcpip_worker_fini,
};

SL_STAGE_REGISTER(tcpip_ops);

/* ---- the host outside a pipeline (sluice/sl_tcpip.h) ---- */

struct sl_tcpip {
	struct sl_worker_info worker;
	struct sl_stage_ctx ctx;
	struct rte_kvargs *kv;
	bool worker_inited;
	uint64_t counters[SL_STAGE_COUNTERS_MAX];
	uint16_t nexts[SL_TCPIP_OUT_MAX];
};

struct sl_tcpip *sl_tcpip_create(const char *args, uint16_t port_id, struct rte_mempool *pool,
				 struct sl_error *err)
{
	struct sl_stage_init init = {.instance = "tcpip", .err = err};
	struct sl_tcpip *h = rte_zmalloc("sl_tcpip", sizeof(*h), RTE_CACHE_LINE_SIZE);

	if (h == NULL) {
		sl_error_set(err, "tcpip: out of memory. Fix: more hugepages");
		return NULL;
	}
	h->worker = (struct sl_worker_info){
	    .lcore = rte_lcore_id(), .socket = (int)rte_socket_id(), .pool = pool};
	h->ctx.worker = &h->worker;
	h->ctx.counters = h->counters;
	h->ctx.priv = rte_zmalloc("sl_tcpip_nif", sizeof(struct sl_netif), RTE_CACHE_LINE_SIZE);
	h->kv = rte_kvargs_parse(args, tcpip_args);
	init.args = h->kv;
	if (h->ctx.priv == NULL || h->kv == NULL) {
		sl_error_set(err,
			     "tcpip: cannot take the args '%s' (an unknown key, or out of memory). "
			     "Fix: keys from docs/net.md, as key=value,key=value",
			     args);
		sl_tcpip_free(h);
		return NULL;
	}
	if (tcpip_global_init(&init) == 0) {
		h->ctx.global_state = init.global_state;
		((struct net_config *)init.global_state)->port_arg = port_id;
		init.ctx = &h->ctx;
		if (tcpip_worker_init(&init) == 0) {
			h->worker_inited = true;
			return h;
		}
	}
	sl_tcpip_free(h);
	return NULL;
}

/* Keep what goes to the port (every output of the stage today), free the rest. */
static uint16_t tcpip_host_out(struct sl_tcpip *h, struct rte_mbuf **tx, uint16_t n)
{
	uint16_t k = 0;

	for (uint16_t i = 0; i < n; i++) {
		if (h->nexts[i] == SL_EDGE_NEXT)
			tx[k++] = tx[i];
		else
			rte_pktmbuf_free(tx[i]);
	}
	return k;
}

uint16_t sl_tcpip_input(struct sl_tcpip *h, struct rte_mbuf **pkts, uint16_t n,
			struct rte_mbuf **tx, uint16_t cap)
{
	cap = RTE_MIN(cap, (uint16_t)SL_TCPIP_OUT_MAX);
	return tcpip_host_out(h, tx, tcpip_process(&h->ctx, pkts, n, tx, h->nexts, cap));
}

uint16_t sl_tcpip_poll(struct sl_tcpip *h, struct rte_mbuf **tx, uint16_t cap)
{
	cap = RTE_MIN(cap, (uint16_t)SL_TCPIP_OUT_MAX);
	return tcpip_host_out(h, tx, tcpip_poll(&h->ctx, tx, h->nexts, cap));
}

struct sl_tcp_stack *sl_tcpip_tcp(struct sl_tcpip *h)
{
	return ((struct sl_netif *)h->ctx.priv)->tcp;
}

const char *const *sl_tcpip_counter_names(void)
{
	return tcpip_counters;
}

const uint64_t *sl_tcpip_counters(const struct sl_tcpip *h)
{
	return h->counters;
}

void sl_tcpip_free(struct sl_tcpip *h)
{
	if (h == NULL)
		return;
	if (h->worker_inited)
		tcpip_worker_fini(&h->ctx);
	tcpip_global_fini(h->ctx.global_state);
	rte_kvargs_free(h->kv);
	rte_free(h->ctx.priv);
	rte_free(h);
}
