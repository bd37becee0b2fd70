/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ttl_guard: a stage plugin. A shared object built against the installed
 * headers, not linked with libsluice: sluice-fwd (or any sluice program)
 * loads it with --plugin PATH or [app] plugins = PATH, and its constructor
 * registers the stage beside the built-in ones.
 *
 * It drops IPv4 packets whose TTL would reach 0 at the next hop ("expired")
 * and passes everything else on ("passed").
 *
 *   sluice-fwd -l 0-1 --vdev net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap -- \
 *       --plugin ./ttl_guard.so --config ttl-guard.ini --duration 1
 */
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <sluice/sl_stage.h>

#define GUARD_COUNTERS(X) X(GUARD_EXPIRED, "expired") X(GUARD_PASSED, "passed")

enum { GUARD_COUNTERS(SL_CNT_ENUM) GUARD_NB_COUNTERS };
static const char *const guard_counters[] = {GUARD_COUNTERS(SL_CNT_NAME) NULL};

/* True for an untagged IPv4 packet with TTL 0 or 1. */
static inline bool expires(const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);

	return m->data_len >= sizeof(*eth) + sizeof(*ip) &&
	       eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) && ip->time_to_live <= 1;
}

static uint16_t guard_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			      uint16_t *nexts)
{
	uint16_t expired = 0;

	for (uint16_t i = 0; i < n; i++) {
		bool drop = expires(pkts[i]);

		nexts[i] = drop ? SL_EDGE_DROP : SL_EDGE_NEXT;
		expired += drop;
	}
	ctx->counters[GUARD_EXPIRED] += expired;
	ctx->counters[GUARD_PASSED] += n - expired;
	return expired == 0 ? SL_EDGE_NEXT : SL_NEXTS_PER_PACKET;
}

static const struct sl_stage_ops guard_ops = {
    .name = "ttl_guard",
    .help = "drop IPv4 packets whose TTL is 0 or 1 (a plugin: examples/plugin)",
    .process = guard_process,
    .counters = guard_counters,
};

SL_STAGE_REGISTER(guard_ops);
