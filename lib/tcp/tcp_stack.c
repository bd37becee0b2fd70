/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stack lifetime: configuration defaults, creation (every table and array
 * allocated here, on cfg->socket, so the data path never allocates),
 * teardown, counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "tcp_priv.h"

const char *const sl_tcp_stats_names[] = {
#define SL_TCP_STAT_NAME(name) #name,
    SL_TCP_STATS(SL_TCP_STAT_NAME)
#undef SL_TCP_STAT_NAME
	NULL,
};

void sl_tcp_config_defaults(struct sl_tcp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_conns = 4096;
	cfg->syn_backlog = 256;
	cfg->mss = 1460;
	cfg->wscale = 7;
	cfg->timestamps = true;
	cfg->sack = true;
	cfg->cc = SL_TCP_CC_CUBIC;
	cfg->rcv_buf = 256 * 1024;
	cfg->snd_buf = 256 * 1024;
	cfg->init_cwnd_segs = 10;
	cfg->rto_init_us = 1000000;
	cfg->rto_min_us = 200000; /* Linux's; RFC 6298's 1 s is too slow on a LAN */
	cfg->rto_max_us = 60000000;
	cfg->delack_us = 40000;
	cfg->msl_us = 30000000; /* TIME_WAIT 60 s, as Linux */
	cfg->max_retries = 12;
	cfg->max_syn_retries = 6;
	cfg->zw_probes_max = 8;
	cfg->keepalive_intvl_ms = 75000; /* RFC 1122 leaves it; Linux's */
	cfg->keepalive_probes = 9;
	cfg->rst_rate = 1000;
	cfg->rst_burst = 100;
	for (unsigned int i = 0; i < sizeof(cfg->isn_secret); i += 8) {
		uint64_t r = rte_rand();

		memcpy(cfg->isn_secret + i, &r, 8);
	}
	cfg->socket = SOCKET_ID_ANY;
}

static int config_check(const struct sl_tcp_config *cfg)
{
	if (cfg->pool == NULL || cfg->output == NULL || cfg->max_conns == 0 || cfg->mss < 88 ||
	    cfg->rcv_buf == 0 || cfg->snd_buf == 0 || cfg->init_cwnd_segs == 0 ||
	    cfg->rto_min_us == 0 || cfg->rto_max_us < cfg->rto_min_us || cfg->msl_us == 0 ||
	    cfg->delack_us == 0)
		return -EINVAL;
	return 0;
}

struct sl_tcp_stack *sl_tcp_stack_create(const struct sl_tcp_config *cfg, uint64_t now_us)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp;
	struct sl_tcp_stack *s;
	uint32_t init_val;

	if (config_check(cfg) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (tcp_meta_register() != 0)
		return NULL; /* rte_errno from rte_mbuf_dynfield_register */
	s = rte_zmalloc_socket("sl_tcp_stack", sizeof(*s), RTE_CACHE_LINE_SIZE, cfg->socket);
	if (s == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	s->cfg = *cfg;
	if (s->cfg.wscale > TCP_MAX_WSCALE)
		s->cfg.wscale = TCP_MAX_WSCALE;
	s->now_us = now_us;
	s->conns = rte_zmalloc_socket("sl_tcp_conns", (size_t)cfg->max_conns * sizeof(*s->conns),
				      RTE_CACHE_LINE_SIZE, cfg->socket);
	s->free_slots = rte_malloc_socket("sl_tcp_free", (size_t)cfg->max_conns * sizeof(uint32_t),
					  0, cfg->socket);
	if (s->conns == NULL || s->free_slots == NULL) {
		rte_errno = ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < cfg->max_conns; i++)
		s->free_slots[i] = cfg->max_conns - 1 - i;
	s->nfree = cfg->max_conns;

	/* Seed the hash from the secret: a peer cannot aim tuples at one bucket. */
	memcpy(&init_val, cfg->isn_secret, sizeof(init_val));
	snprintf(name, sizeof(name), "sl_tcp_%" PRIxPTR, (uintptr_t)s);
	memset(&hp, 0, sizeof(hp));
	hp.name = name;
	/* Headroom over max_conns: cuckoo buckets can fill before the table does. */
	hp.entries = RTE_MAX(cfg->max_conns + cfg->max_conns / 4, 64u);
	hp.key_len = sizeof(struct sl_tcp_tuple);
	hp.hash_func = rte_hash_crc;
	hp.hash_func_init_val = init_val;
	hp.socket_id = cfg->socket;
	hp.extra_flag = 0; /* single writer, single reader: the owning worker */
	s->table = rte_hash_create(&hp);
	if (s->table == NULL)
		goto fail;
	s->next_port =
	    (uint16_t)(TCP_EPHEMERAL_LO + init_val % (TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO + 1));
	tcp_wheel_init(&s->wheel, now_us);
	tcp_caps_init(s);
	return s;
fail:
	rte_free(s->free_slots);
	rte_free(s->conns);
	rte_free(s);
	return NULL;
}

void sl_tcp_stack_free(struct sl_tcp_stack *s)
{
	if (s == NULL)
		return;
	for (uint32_t i = 0; i < s->cfg.max_conns; i++)
		if (s->conns[i].state != TCP_CLOSED)
			tcp_conn_close(&s->conns[i], SL_TCP_CLOSED_ABORTED, false);
	rte_hash_free(s->table);
	rte_free(s->free_slots);
	rte_free(s->conns);
	rte_free(s);
}

const struct sl_tcp_stats *sl_tcp_stack_stats(const struct sl_tcp_stack *s)
{
	return &s->st;
}

uint32_t sl_tcp_conn_count(const struct sl_tcp_stack *s)
{
	return s->nconns;
}
