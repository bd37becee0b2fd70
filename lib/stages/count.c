/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * count: packet and byte counters, and optionally the set of distinct IPv4
 * flows each worker saw (flows=N). The flow table is per worker, on the
 * worker's node, and written only by that worker, so it needs neither
 * locks nor rte_hash's multi-writer mode.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "net/sl_net.h"
#include "sluice/sl_count.h"
#include "sluice/sl_stage.h"

#define COUNT_COUNTERS(X)                                                                          \
	X(COUNT_PACKETS, "packets")                                                                \
	X(COUNT_BYTES, "bytes")                                                                    \
	X(COUNT_FLOWS, "flows")                                                                    \
	X(COUNT_FLOWS_OVERFLOW, "flows_overflow")

enum { COUNT_COUNTERS(SL_CNT_ENUM) COUNT_NB_COUNTERS };
static const char *const count_counters[] = {COUNT_COUNTERS(SL_CNT_NAME) NULL};
static const char *const count_args[] = {"flows", NULL};

/* Guards sl_count_flows against a context of another stage. */
#define COUNT_MAGIC 0x636f756eU
/* Upper bound on flows=N: the key store alone is ~40 bytes per entry. */
#define COUNT_FLOWS_MAX (1u << 24)

struct count_priv {
	uint32_t magic;
	uint32_t max_flows;
	struct rte_hash *flows;
};

static unsigned int count_hash_seq;

/*
 * rte_hash_crc() reads the key through uint64_t pointers; on a local
 * struct sl_flow4 that breaks strict aliasing and gcc -O2 drops the stores
 * it depends on. Hash a word copy instead. Same value as rte_hash_crc.
 */
static uint32_t count_key_hash(const struct sl_flow4 *key)
{
	uint64_t w[2];

	static_assert(sizeof(w) == sizeof(*key), "flow key is two words");
	memcpy(w, key, sizeof(w));
	return rte_hash_crc_8byte(w[1], rte_hash_crc_8byte(w[0], 0));
}

uint32_t sl_count_flow_hash(uint32_t src_addr_be, uint32_t dst_addr_be, uint16_t src_port_be,
			    uint16_t dst_port_be, uint8_t proto)
{
	struct sl_flow4 key;

	memset(&key, 0, sizeof(key));
	key.src_addr = src_addr_be;
	key.dst_addr = dst_addr_be;
	key.src_port = src_port_be;
	key.dst_port = dst_port_be;
	key.proto = proto;
	return count_key_hash(&key);
}

static int count_global_init(struct sl_stage_init *init)
{
	uint32_t *max, flows;

	if (sl_stage_arg_u32(init, "flows", "0", SL_UNITS_SI, 0, COUNT_FLOWS_MAX, &flows) < 0)
		return -EINVAL;
	max = malloc(sizeof(*max));
	if (max == NULL)
		return sl_stage_fail(init, "out of memory. Fix: give the EAL more memory");
	*max = flows;
	init->global_state = max;
	return 0;
}

static void count_global_fini(void *global_state)
{
	free(global_state);
}

static int count_worker_init(struct sl_stage_init *init)
{
	struct count_priv *p = init->ctx->priv;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
	    .name = name,
	    .key_len = sizeof(struct sl_flow4),
	    .hash_func = rte_hash_crc,
	    .hash_func_init_val = 0,
	    .socket_id = init->ctx->worker->socket,
	    /* Extendable buckets: exactly max_flows keys fit whatever their hashes. */
	    .extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};

	p->magic = COUNT_MAGIC;
	p->max_flows = *(const uint32_t *)init->global_state;
	p->flows = NULL;
	if (p->max_flows == 0)
		return 0;
	/* rte_hash wants at least one bucket's worth of entries. */
	hp.entries = RTE_MAX(p->max_flows, 8u);
	snprintf(name, sizeof(name), "sl_count%u",
		 __atomic_fetch_add(&count_hash_seq, 1, __ATOMIC_RELAXED));
	p->flows = rte_hash_create(&hp);
	if (p->flows == NULL)
		return sl_stage_fail(init,
				     "cannot create a %u-flow table on NUMA node %d: %s. Fix: "
				     "lower flows= or add memory",
				     p->max_flows, hp.socket_id, rte_strerror(rte_errno));
	return 0;
}

static void count_worker_fini(struct sl_stage_ctx *ctx)
{
	struct count_priv *p = ctx->priv;

	rte_hash_free(p->flows);
	p->flows = NULL;
}

/* Up to RTE_HASH_LOOKUP_BULK_MAX packets: one bulk lookup, then insert the misses. */
static void count_flows_chunk(struct sl_stage_ctx *ctx, struct count_priv *p,
			      struct rte_mbuf **pkts, uint16_t n)
{
	struct sl_flow4 keys[RTE_HASH_LOOKUP_BULK_MAX];
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	int32_t pos[RTE_HASH_LOOKUP_BULK_MAX];
	uint32_t nk = 0;

	for (uint16_t i = 0; i < n; i++)
		if (sl_flow4_parse(pkts[i], &keys[nk]) == 0) {
			kp[nk] = &keys[nk];
			nk++;
		}
	if (nk == 0 || rte_hash_lookup_bulk(p->flows, kp, nk, pos) < 0)
		return;
	for (uint32_t k = 0; k < nk; k++) {
		if (likely(pos[k] >= 0))
			continue;
		/* Missed in the bulk lookup, but an earlier packet of this chunk may have added it.
		 */
		if (rte_hash_lookup(p->flows, kp[k]) >= 0)
			continue;
		if (ctx->counters[COUNT_FLOWS] >= p->max_flows ||
		    rte_hash_add_key(p->flows, kp[k]) < 0) {
			ctx->counters[COUNT_FLOWS_OVERFLOW]++;
			continue;
		}
		ctx->counters[COUNT_FLOWS]++;
	}
}

static uint16_t count_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			      uint16_t *nexts)
{
	struct count_priv *p = ctx->priv;
	uint64_t bytes = 0;

	RTE_SET_USED(nexts);
	for (uint16_t i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	ctx->counters[COUNT_PACKETS] += n;
	ctx->counters[COUNT_BYTES] += bytes;
	if (p->flows != NULL)
		for (uint16_t i = 0; i < n; i += RTE_HASH_LOOKUP_BULK_MAX)
			count_flows_chunk(ctx, p, pkts + i,
					  RTE_MIN(n - i, RTE_HASH_LOOKUP_BULK_MAX));
	return SL_EDGE_NEXT;
}

int sl_count_flows(const struct sl_stage_ctx *ctx, uint32_t *hashes, unsigned int max)
{
	const struct count_priv *p = ctx != NULL ? ctx->priv : NULL;
	const void *key;
	void *data;
	uint32_t iter = 0;
	int total = 0;

	if (p == NULL || p->magic != COUNT_MAGIC)
		return -EINVAL;
	if (p->flows == NULL)
		return 0;
	while (rte_hash_iterate(p->flows, &key, &data, &iter) >= 0) {
		if ((unsigned int)total < max)
			hashes[total] = count_key_hash(key);
		total++;
	}
	return total;
}

static const struct sl_stage_ops count_ops = {
    .name = "count",
    .help = "count packets and bytes; flows=N also tracks up to N distinct IPv4 5-tuples per "
	    "worker (0: off)",
    .process = count_process,
    .priv_size = sizeof(struct count_priv),
    .counters = count_counters,
    .arg_keys = count_args,
    .global_init = count_global_init,
    .global_fini = count_global_fini,
    .worker_init = count_worker_init,
    .worker_fini = count_worker_fini,
    .keeps_port = true,
};

SL_STAGE_REGISTER(count_ops);
