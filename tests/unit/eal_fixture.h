/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the unit tests: a small EAL (no hugepages, no PCI, one lcore),
 * an mbuf pool, packet builders, and a harness that runs a stage through its
 * ops the way a worker would, without a pipeline.
 *
 * Criterion runs each test in its own process, so every test suite calls
 * sl_test_eal_setup from its .init and gets a fresh EAL.
 */
#ifndef SLUICE_TEST_EAL_FIXTURE_H
#define SLUICE_TEST_EAL_FIXTURE_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_kvargs.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "sluice/sl_stage.h"

#define SL_TEST_POOL_SIZE 8191

/* RTE_IPV4 shifts a signed int (undefined behaviour for a >= 128 under UBSan). */
#define SL_IP4(a, b, c, d)                                                                         \
	(((uint32_t)(a)&0xff) << 24 | ((uint32_t)(b)&0xff) << 16 | ((uint32_t)(c)&0xff) << 8 |     \
	 ((uint32_t)(d)&0xff))

/* Start the EAL once per process and create the pool; asserts on failure. */
void sl_test_eal_setup(void);
/* Check nothing leaked from the pool, then stop the EAL. */
void sl_test_eal_teardown(void);
struct rte_mempool *sl_test_pool(void);

/* What sl_test_udp4 builds; zero fields get sensible defaults. */
struct sl_test_pkt {
	struct rte_ether_addr src_mac, dst_mac;
	uint32_t src_ip, dst_ip; /* host order */
	uint16_t src_port, dst_port;
	uint8_t ttl;	      /* default 64 */
	uint16_t payload_len; /* UDP payload bytes */
	uint16_t in_port;     /* mbuf->port */
};

/* Ethernet/IPv4/UDP frame with a correct IPv4 header checksum. */
struct rte_mbuf *sl_test_udp4(const struct sl_test_pkt *spec);
/* A frame with exactly these bytes. */
struct rte_mbuf *sl_test_raw(const void *data, uint16_t len, uint16_t in_port);
void sl_test_free(struct rte_mbuf **pkts, unsigned int n);

/* A stage instance on one pretend worker. */
struct sl_test_stage {
	const struct sl_stage_ops *ops;
	struct rte_kvargs *kv;
	struct sl_worker_info worker;
	struct sl_stage_ctx ctx;
	struct sl_error err;
	uint64_t counters[SL_STAGE_COUNTERS_MAX];
	int tiers; /* how many init tiers succeeded, to undo exactly those */
};

/*
 * Look up stage `name`, parse `args` ("k=v,k=v" or "") against its keys and
 * run global, node and worker init as worker `worker_index`. Returns the
 * first init failure (st->err.msg says why) or 0.
 */
int sl_test_stage_open(struct sl_test_stage *st, const char *name, const char *args,
		       unsigned int worker_index);
void sl_test_stage_close(struct sl_test_stage *st);
/* A counter by name; fails the test when the stage has no such counter. */
uint64_t sl_test_counter(const struct sl_test_stage *st, const char *name);
/* Run `process` on a vector and free what it sent to the drop edge, as the framework would. */
void sl_test_process(struct sl_test_stage *st, struct rte_mbuf **pkts, uint16_t n, uint16_t *nexts);

/* Write `text` to a fresh temporary file and return its path (static buffer). */
const char *sl_test_write_file(const char *text);

/* Create a net_null vdev named `vdev` with config name `name`; returns its port id. */
uint16_t sl_test_null_port(const char *vdev, const char *name);

#endif /* SLUICE_TEST_EAL_FIXTURE_H */
