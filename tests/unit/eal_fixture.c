/* SPDX-License-Identifier: BSD-3-Clause */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_udp.h>

#include "eal_fixture.h"
#include "sluice/sl_port.h"

static struct rte_mempool *test_pool;
static char test_file[64];

void sl_test_eal_setup(void)
{
	char prefix[64];
	/*
	 * LPM's tbl24 alone is 64 MiB, hence -m 256 over the 64 MiB --no-huge
	 * default. DPDK 22.11 refuses --in-memory with --no-huge; --no-shconf
	 * gives the same "no shared files" effect there.
	 */
	char *argv[] = {
	    "sluice-unit", "--no-huge", "-m", "256",	  "--no-shconf",    "--file-prefix",
	    prefix,	   "-l",	"0",  "--no-pci", "--no-telemetry", "--log-level=error",
	    NULL};
	int argc = (int)RTE_DIM(argv) - 1;

	if (test_pool != NULL)
		return;
	snprintf(prefix, sizeof(prefix), "sl-unit-%d", (int)getpid());
	cr_assert_geq(rte_eal_init(argc, argv), 0, "rte_eal_init failed: %s",
		      rte_strerror(rte_errno));
	test_pool = rte_pktmbuf_pool_create("sl_test_pool", SL_TEST_POOL_SIZE, 32, 0,
					    RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cr_assert_not_null(test_pool, "mbuf pool: %s", rte_strerror(rte_errno));
}

void sl_test_eal_teardown(void)
{
	char runtime_dir[PATH_MAX];

	if (test_file[0] != '\0')
		unlink(test_file);
	if (test_pool == NULL)
		return;
	cr_expect_eq(rte_mempool_in_use_count(test_pool), 0, "%u mbufs leaked",
		     rte_mempool_in_use_count(test_pool));
	rte_mempool_free(test_pool);
	test_pool = NULL;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	/* EAL leaves its (empty with --no-shconf) runtime directory behind. */
	rmdir(runtime_dir);
}

struct rte_mempool *sl_test_pool(void)
{
	return test_pool;
}

struct rte_mbuf *sl_test_udp4(const struct sl_test_pkt *s)
{
	uint16_t payload = s->payload_len != 0 ? s->payload_len : 18;
	uint16_t len = (uint16_t)(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +
				  sizeof(struct rte_udp_hdr) + payload);
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *data;

	cr_assert_not_null(m, "pool empty");
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	cr_assert_not_null(eth);
	eth->dst_addr = s->dst_mac;
	eth->src_addr = s->src_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - sizeof(*eth)));
	ip->packet_id = rte_cpu_to_be_16(0x1234);
	ip->time_to_live = s->ttl != 0 ? s->ttl : 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(s->src_ip != 0 ? s->src_ip : SL_IP4(192, 168, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(s->dst_ip != 0 ? s->dst_ip : SL_IP4(10, 0, 0, 1));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(s->src_port != 0 ? s->src_port : 1024);
	udp->dst_port = rte_cpu_to_be_16(s->dst_port != 0 ? s->dst_port : 7);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + payload));
	udp->dgram_cksum = 0;
	data = (uint8_t *)(udp + 1);
	for (uint16_t i = 0; i < payload; i++)
		data[i] = (uint8_t)i;
	m->port = s->in_port;
	return m;
}

struct rte_mbuf *sl_test_raw(const void *bytes, uint16_t len, uint16_t in_port)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_pool);
	void *d;

	cr_assert_not_null(m, "pool empty");
	d = rte_pktmbuf_append(m, len);
	cr_assert(len == 0 || d != NULL);
	if (len != 0)
		memcpy(d, bytes, len);
	m->port = in_port;
	return m;
}

void sl_test_free(struct rte_mbuf **pkts, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
}

int sl_test_stage_open(struct sl_test_stage *st, const char *name, const char *args,
		       unsigned int worker_index)
{
	struct sl_stage_init init;
	int rc;

	memset(st, 0, sizeof(*st));
	st->ops = sl_stage_find(name);
	cr_assert_not_null(st->ops, "stage %s is not registered", name);
	st->kv = rte_kvargs_parse(args, (const char *const *)st->ops->arg_keys);
	cr_assert_not_null(st->kv, "%s: bad args '%s'", name, args);
	st->worker = (struct sl_worker_info){
	    .lcore = rte_lcore_id(),
	    .index = worker_index,
	    .socket = (int)rte_socket_id(),
	    .pool = test_pool,
	};
	st->ctx.counters = st->counters;
	st->ctx.worker = &st->worker;
	if (st->ops->priv_size != 0) {
		st->ctx.priv = rte_zmalloc("sl_test_priv", st->ops->priv_size, RTE_CACHE_LINE_SIZE);
		cr_assert_not_null(st->ctx.priv);
	}

	memset(&init, 0, sizeof(init));
	init.instance = st->ops->name;
	init.args = st->kv;
	init.err = &st->err;
	init.socket = st->worker.socket;
	if (st->ops->global_init != NULL && (rc = st->ops->global_init(&init)) < 0)
		return rc;
	st->ctx.global_state = init.global_state;
	st->tiers = 1;
	if (st->ops->node_init != NULL && (rc = st->ops->node_init(&init)) < 0)
		return rc;
	st->ctx.node_state = init.node_state;
	st->tiers = 2;
	init.ctx = &st->ctx;
	if (st->ops->worker_init != NULL && (rc = st->ops->worker_init(&init)) < 0)
		return rc;
	st->tiers = 3;
	return 0;
}

void sl_test_stage_close(struct sl_test_stage *st)
{
	if (st->ops == NULL)
		return;
	if (st->tiers >= 3 && st->ops->worker_fini != NULL)
		st->ops->worker_fini(&st->ctx);
	if (st->tiers >= 2 && st->ops->node_fini != NULL && st->ctx.node_state != NULL)
		st->ops->node_fini(st->ctx.node_state);
	if (st->tiers >= 1 && st->ops->global_fini != NULL && st->ctx.global_state != NULL)
		st->ops->global_fini(st->ctx.global_state);
	rte_free(st->ctx.priv);
	rte_kvargs_free(st->kv);
	st->ops = NULL;
}

uint64_t sl_test_counter(const struct sl_test_stage *st, const char *name)
{
	for (unsigned int i = 0; st->ops->counters != NULL && st->ops->counters[i] != NULL; i++)
		if (strcmp(st->ops->counters[i], name) == 0)
			return st->counters[i];
	cr_assert_fail("stage %s has no counter '%s'", st->ops->name, name);
	return 0;
}

void sl_test_process(struct sl_test_stage *st, struct rte_mbuf **pkts, uint16_t n, uint16_t *nexts)
{
	cr_assert_not_null(st->ops->process);
	uint16_t edge;

	for (uint16_t i = 0; i < n; i++)
		nexts[i] = 0xfffe; /* per-packet mode must set every one */
	edge = st->ops->process(&st->ctx, pkts, n, nexts);
	/* One edge for the vector: expand it, as the framework's stream move does. */
	if (edge != SL_NEXTS_PER_PACKET)
		for (uint16_t i = 0; i < n; i++)
			nexts[i] = edge;
	for (uint16_t i = 0; i < n; i++) {
		cr_assert(nexts[i] == SL_EDGE_NEXT || nexts[i] == SL_EDGE_DROP,
			  "%s: packet %u got edge %u", st->ops->name, i, nexts[i]);
		if (nexts[i] == SL_EDGE_DROP) {
			rte_pktmbuf_free(pkts[i]);
			pkts[i] = NULL;
		}
	}
}

const char *sl_test_write_file(const char *text)
{
	int fd;
	FILE *f;

	if (test_file[0] != '\0')
		unlink(test_file);
	snprintf(test_file, sizeof(test_file), "/tmp/sl-unit-XXXXXX");
	fd = mkstemp(test_file);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return test_file;
}

uint16_t sl_test_null_port(const char *vdev, const char *name)
{
	uint16_t port;

	/* Through EAL hotplug: rte_vdev_init lives in a bus library libdpdk.pc does not link. */
	cr_assert_eq(rte_eal_hotplug_add("vdev", vdev, ""), 0, "cannot create vdev %s", vdev);
	cr_assert_eq(rte_eth_dev_get_port_by_name(vdev, &port), 0);
	if (name != NULL)
		cr_assert_eq(sl_port_name_set(port, name), 0);
	return port;
}
