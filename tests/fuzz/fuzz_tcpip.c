/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: frames into the tcpip stage (Ethernet, ARP, IPv4,
 * ICMP, UDP and TCP with the echo service), the way a worker feeds it.
 * Build and run with tools/fuzz.sh (clang, ASan + UBSan, -Dfuzz=true).
 *
 * Input: records of [flags][len_hi][len_lo][len bytes of frame]. Flag bit 0
 * asks the harness to make the IPv4 header and the TCP/UDP/ICMP checksums
 * right, so the fuzzer gets past checksum validation into the protocol
 * code; bit 1 advances the TCP clock by 100 ms and runs its timers first;
 * bit 2 writes our MAC as the destination. The stack lives across inputs
 * (connections, ARP cache, timers), as it would on a wire; every new ISN is
 * 1000 so handshakes can complete. Whatever the stage sends is freed. ASan
 * does not see inside mbufs (DPDK memory); a stage that leaks mbufs shows
 * when the pool runs dry, which aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "net/net_priv.h"
#include "sluice/sl_stage.h"
#include "tcp/tcp_priv.h"

#define FZ_OUT 512

static const struct sl_stage_ops *ops;
static struct sl_stage_ctx ctx;
static struct sl_worker_info worker;
static uint64_t counters[SL_STAGE_COUNTERS_MAX];
static struct rte_mempool *pool;
static struct rte_ether_addr our_mac;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
	fprintf(stderr, "fuzz_tcpip: %s\n", what);
	exit(1);
}

static void drain(uint16_t n, struct rte_mbuf **out)
{
	for (uint16_t i = 0; i < n; i++)
		rte_pktmbuf_free(out[i]);
}

/* At exit: what the inputs reached (non-zero counters), to see the coverage is real. */
static void report(void)
{
	struct rte_mbuf *out[FZ_OUT];
	uint16_t nexts[FZ_OUT];

	drain(ops->poll(&ctx, out, nexts, FZ_OUT), out); /* (refreshes the TCP counters) */
	fprintf(stderr, "fuzz_tcpip: counters:");
	for (unsigned int i = 0; ops->counters[i] != NULL; i++)
		if (counters[i] != 0)
			fprintf(stderr, " %s=%lu", ops->counters[i], (unsigned long)counters[i]);
	fputc('\n', stderr);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *eal[] = {"fuzz_tcpip",
		       "--no-huge",
		       "-m",
		       "512",
		       "--no-pci",
		       "--no-shconf",
		       "--no-telemetry",
		       "--vdev=net_null0",
		       "--log-level=*:error",
		       NULL};
	static struct sl_error err;
	struct sl_stage_init init = {.instance = "fuzz tcpip", .err = &err};
	struct rte_kvargs *kv;

	(void)argc;
	(void)argv;
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0)
		die("rte_eal_init failed");
	pool = rte_pktmbuf_pool_create("fz_pool", 16383, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	ops = sl_stage_find("tcpip");
	if (pool == NULL || ops == NULL)
		die("no pool or no tcpip stage");
	worker = (struct sl_worker_info){.lcore = rte_lcore_id(), .socket = 0, .pool = pool};
	ctx.worker = &worker;
	ctx.counters = counters;
	ctx.priv = rte_zmalloc("fz_priv", ops->priv_size, RTE_CACHE_LINE_SIZE);
	kv = rte_kvargs_parse("ip=10.0.0.2/24,gw=10.0.0.1,port=0,max_conns=64,syn_backlog=4,"
			      "msl_ms=100,rto_min_ms=10,tcp_echo=7,udp_echo=7,rcv_buf=4096,"
			      "snd_buf=4096,arp_entries=16,arp_hold=8",
			      (const char *const *)ops->arg_keys);
	init.args = kv;
	if (ctx.priv == NULL || kv == NULL || ops->global_init(&init) < 0)
		die(err.msg[0] ? err.msg : "stage global init");
	ctx.global_state = init.global_state;
	if (ops->node_init != NULL && ops->node_init(&init) < 0)
		die(err.msg);
	ctx.node_state = init.node_state;
	init.ctx = &ctx;
	if (ops->worker_init(&init) < 0)
		die(err.msg);
	rte_kvargs_free(kv); /* the stage keeps copies of its arguments */
	atexit(report);
	tcp_test_fix_isn(((struct sl_netif *)ctx.priv)->tcp, 1000);
	if (rte_eth_macaddr_get(0, &our_mac) != 0)
		die("no MAC for port 0");
	return 0;
}

/* IPv4 header checksum and, for TCP/UDP/ICMP, the L4 checksum. */
static void fix_checksums(struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint32_t len = m->data_len, ihl, total;
	uint8_t *l4;

	if (len < sizeof(*eth) + sizeof(*ip) || eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return;
	ihl = (ip->version_ihl & 0xf) * 4u;
	total = rte_be_to_cpu_16(ip->total_length);
	if (ihl < 20 || sizeof(*eth) + ihl > len)
		return;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (total < ihl || sizeof(*eth) + total > len)
		return;
	l4 = (uint8_t *)ip + ihl;
	if (ip->next_proto_id == IPPROTO_TCP && total - ihl >= 20) {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)l4;

		th->cksum = 0;
		th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	} else if (ip->next_proto_id == IPPROTO_UDP && total - ihl >= 8) {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)l4;

		uh->dgram_cksum = 0;
		uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
	} else if (ip->next_proto_id == IPPROTO_ICMP && total - ihl >= 4) {
		l4[2] = l4[3] = 0;
		uint16_t c = (uint16_t)~rte_raw_cksum(l4, total - ihl);

		memcpy(l4 + 2, &c, 2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *out[FZ_OUT];
	uint16_t nexts[FZ_OUT];
	size_t off = 0;

	while (off + 3 <= size) {
		uint8_t flags = data[off];
		size_t len = ((size_t)data[off + 1] << 8 | data[off + 2]);
		struct rte_mbuf *m;
		char *p;

		off += 3;
		if (len > size - off)
			len = size - off;
		if (len > RTE_ETHER_MAX_LEN)
			len = RTE_ETHER_MAX_LEN;
		if (flags & 2) {
			/* Let timers fire: the stage reads the TSC, so move the stack's clock. */
			struct sl_netif *nif = ctx.priv;

			if (nif->tcp != NULL)
				sl_tcp_timers(nif->tcp, nif->tcp->now_us + 100000);
			drain(ops->poll(&ctx, out, nexts, FZ_OUT), out);
		}
		m = rte_pktmbuf_alloc(pool);
		if (m == NULL)
			abort(); /* the stage leaked the pool dry */
		p = rte_pktmbuf_append(m, (uint16_t)len);
		memcpy(p, data + off, len);
		off += len;
		m->port = 0;
		if ((flags & 4) && len >= RTE_ETHER_ADDR_LEN)
			memcpy(p, &our_mac, RTE_ETHER_ADDR_LEN);
		if (flags & 1)
			fix_checksums(m);
		drain(ops->process_vector(&ctx, &m, 1, out, nexts, FZ_OUT), out);
	}
	drain(ops->poll(&ctx, out, nexts, FZ_OUT), out);
	return 0;
}
