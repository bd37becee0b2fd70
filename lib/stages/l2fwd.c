/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2fwd: fixed port-to-port forwarding. A frame received on one port of a
 * pair leaves by the other, with source MAC = the output port's MAC and
 * destination MAC = the configured peer MAC (default 02:00:00:00:00:<out>),
 * as DPDK's l2fwd sample does. The whole decision is precomputed per input
 * port, so the data path is one table read and a 12-byte copy.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "net/sl_net.h"
#include "sluice/sl_port.h"
#include "sluice/sl_stage.h"

#define L2FWD_COUNTERS(X)                                                                          \
	X(L2FWD_FORWARDED, "forwarded") X(L2FWD_NO_PAIR, "no_pair") X(L2FWD_RUNT, "runt")

enum { L2FWD_COUNTERS(SL_CNT_ENUM) L2FWD_NB_COUNTERS };
static const char *const l2fwd_counters[] = {L2FWD_COUNTERS(SL_CNT_NAME) NULL};
static const char *const l2fwd_args[] = {"pairs", "dst_mac", NULL};

#define L2FWD_PREFETCH 8
/* Separators inside one kvargs value: ',' and '=' belong to rte_kvargs. */
#define L2FWD_LIST_SEP "/"

/* One per input port; the MACs are laid out as in the Ethernet header. */
struct l2fwd_entry {
	struct rte_ether_addr dst;
	struct rte_ether_addr src;
	uint16_t out_port;
	uint16_t valid;
};

static_assert(offsetof(struct l2fwd_entry, src) == RTE_ETHER_ADDR_LEN,
	      "dst and src must be one 12-byte header image");

struct l2fwd_table {
	struct l2fwd_entry in[RTE_MAX_ETHPORTS];
};

static int l2fwd_port(struct sl_stage_init *init, const char *what, const char *name)
{
	int port = sl_port_lookup(name);

	if (port < 0)
		return sl_stage_fail(
		    init,
		    "%s: unknown port '%s'. Fix: use a [port NAME] name or an ethdev "
		    "port id",
		    what, name);
	return port;
}

static int l2fwd_add_pair(struct sl_stage_init *init, int16_t *peer, const char *item)
{
	char buf[2 * SL_PORT_NAME_MAX + 2];
	char *colon;
	int a, b;

	if (strlen(item) >= sizeof(buf) || (colon = strchr(item, ':')) == NULL)
		return sl_stage_fail(
		    init, "pairs: '%s' is not PORT:PORT. Fix: write e.g. pairs=p0:p1/p2:p3", item);
	strcpy(buf, item);
	buf[colon - item] = '\0';
	a = l2fwd_port(init, "pairs", buf);
	if (a < 0)
		return a;
	b = l2fwd_port(init, "pairs", buf + (colon - item) + 1);
	if (b < 0)
		return b;
	if (peer[a] >= 0 || peer[b] >= 0)
		return sl_stage_fail(init,
				     "pairs: port '%s' is in two pairs. Fix: pair each port once",
				     peer[a] >= 0 ? buf : buf + (colon - item) + 1);
	peer[a] = (int16_t)b;
	peer[b] = (int16_t)a;
	return 0;
}

/* Split a '/'-separated kvargs value and call fn on each item. */
static int l2fwd_each(struct sl_stage_init *init, const char *list, void *arg,
		      int (*fn)(struct sl_stage_init *, void *, const char *))
{
	char *copy = strdup(list), *save = NULL, *item;
	int rc = 0;

	if (copy == NULL)
		return sl_stage_fail(init, "out of memory. Fix: give the EAL more memory");
	for (item = strtok_r(copy, L2FWD_LIST_SEP, &save); item != NULL && rc == 0;
	     item = strtok_r(NULL, L2FWD_LIST_SEP, &save))
		rc = fn(init, arg, item);
	free(copy);
	return rc;
}

static int l2fwd_pair_cb(struct sl_stage_init *init, void *arg, const char *item)
{
	return l2fwd_add_pair(init, arg, item);
}

static int l2fwd_dst_cb(struct sl_stage_init *init, void *arg, const char *item)
{
	struct rte_ether_addr *dst = arg;
	char name[SL_PORT_NAME_MAX];
	const char *at = strchr(item, '@');
	size_t len = at != NULL ? (size_t)(at - item) : 0;
	int port;

	if (at == NULL || len == 0 || len >= sizeof(name))
		return sl_stage_fail(init,
				     "dst_mac: '%s' is not PORT@MAC. Fix: write e.g. "
				     "dst_mac=p1@02:00:00:00:01:01/p0@02:00:00:00:00:01",
				     item);
	memcpy(name, item, len);
	name[len] = '\0';
	port = l2fwd_port(init, "dst_mac", name);
	if (port < 0)
		return port;
	if (sl_parse_mac("dst_mac", at + 1, &dst[port], init->err) < 0)
		return -EINVAL;
	return 0;
}

/* Without pairs=, pair ports in ethdev id order: 0<->1, 2<->3, ... */
static void l2fwd_default_pairs(int16_t *peer)
{
	int16_t last = -1;
	uint16_t p;

	RTE_ETH_FOREACH_DEV(p)
	{
		if (last < 0) {
			last = (int16_t)p;
		} else {
			peer[last] = (int16_t)p;
			peer[p] = last;
			last = -1;
		}
	}
}

static int l2fwd_global_init(struct sl_stage_init *init)
{
	const char *pairs = sl_stage_arg(init, "pairs", NULL);
	const char *dst_arg = sl_stage_arg(init, "dst_mac", NULL);
	struct rte_ether_addr dst[RTE_MAX_ETHPORTS];
	int16_t peer[RTE_MAX_ETHPORTS];
	struct l2fwd_table *t;
	unsigned int nb_pairs = 0;
	int rc = 0;

	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		peer[p] = -1;
		memset(&dst[p], 0, sizeof(dst[p]));
		dst[p].addr_bytes[0] = 0x02;
		dst[p].addr_bytes[5] = (uint8_t)p;
	}
	if (pairs != NULL)
		rc = l2fwd_each(init, pairs, peer, l2fwd_pair_cb);
	else
		l2fwd_default_pairs(peer);
	if (rc == 0 && dst_arg != NULL)
		rc = l2fwd_each(init, dst_arg, dst, l2fwd_dst_cb);
	if (rc < 0)
		return rc;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return sl_stage_fail(init, "out of memory. Fix: give the EAL more memory");
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct l2fwd_entry *e = &t->in[p];
		uint16_t out;

		if (peer[p] < 0)
			continue;
		out = (uint16_t)peer[p];
		rc = rte_eth_macaddr_get(out, &e->src);
		if (rc < 0) {
			free(t);
			return sl_stage_fail(init,
					     "cannot read the MAC of port %u: %s. Fix: check "
					     "the port is started",
					     out, strerror(-rc));
		}
		e->dst = dst[out];
		e->out_port = out;
		e->valid = 1;
		nb_pairs++;
	}
	if (nb_pairs == 0) {
		free(t);
		return sl_stage_fail(init,
				     "no port pairs. Fix: give pairs=PORT:PORT/... or run with at "
				     "least 2 ports");
	}
	init->global_state = t;
	return 0;
}

/* Workers read the table for every packet: keep a copy on their node. */
static int l2fwd_node_init(struct sl_stage_init *init)
{
	struct l2fwd_table *t;

	t = rte_malloc_socket("sl_l2fwd", sizeof(*t), RTE_CACHE_LINE_SIZE, init->socket);
	if (t == NULL)
		return sl_stage_fail(
		    init, "cannot allocate %zu bytes on NUMA node %d. Fix: reserve more hugepages",
		    sizeof(*t), init->socket);
	memcpy(t, init->global_state, sizeof(*t));
	init->node_state = t;
	return 0;
}

static void l2fwd_node_fini(void *node_state)
{
	rte_free(node_state);
}

static void l2fwd_global_fini(void *global_state)
{
	free(global_state);
}

static inline void l2fwd_one(const struct l2fwd_table *t, struct rte_mbuf *m, uint16_t *next,
			     uint64_t *drops)
{
	const struct l2fwd_entry *e;

	if (unlikely(m->port >= RTE_MAX_ETHPORTS || !t->in[m->port].valid)) {
		*next = SL_EDGE_DROP;
		drops[0]++;
		return;
	}
	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)) {
		*next = SL_EDGE_DROP;
		drops[1]++;
		return;
	}
	e = &t->in[m->port];
	sl_ether_write_macs(rte_pktmbuf_mtod(m, void *), e);
	m->port = e->out_port;
	*next = SL_EDGE_NEXT;
}

static uint16_t l2fwd_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			      uint16_t *nexts)
{
	const struct l2fwd_table *t = ctx->node_state;
	uint64_t drops[2] = {0, 0};
	uint16_t i;

	for (i = 0; i < n && i < L2FWD_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i + 4 <= n; i += 4) {
		for (uint16_t k = i + L2FWD_PREFETCH; k < n && k < i + L2FWD_PREFETCH + 4; k++)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[k], void *));
		l2fwd_one(t, pkts[i], &nexts[i], drops);
		l2fwd_one(t, pkts[i + 1], &nexts[i + 1], drops);
		l2fwd_one(t, pkts[i + 2], &nexts[i + 2], drops);
		l2fwd_one(t, pkts[i + 3], &nexts[i + 3], drops);
	}
	for (; i < n; i++)
		l2fwd_one(t, pkts[i], &nexts[i], drops);

	ctx->counters[L2FWD_FORWARDED] += n - drops[0] - drops[1];
	ctx->counters[L2FWD_NO_PAIR] += drops[0];
	ctx->counters[L2FWD_RUNT] += drops[1];
	return drops[0] + drops[1] == 0 ? SL_EDGE_NEXT : SL_NEXTS_PER_PACKET;
}

static const struct sl_stage_ops l2fwd_ops = {
    .name = "l2fwd",
    .help = "forward between paired ports, rewriting MACs; "
	    "pairs=PORT:PORT/PORT:PORT (default: ethdev ids 0<->1, 2<->3, ...), "
	    "dst_mac=PORT@MAC/... (default 02:00:00:00:00:<out port id>)",
    .process = l2fwd_process,
    .counters = l2fwd_counters,
    .arg_keys = l2fwd_args,
    .global_init = l2fwd_global_init,
    .node_init = l2fwd_node_init,
    .node_fini = l2fwd_node_fini,
    .global_fini = l2fwd_global_fini,
};

SL_STAGE_REGISTER(l2fwd_ops);
