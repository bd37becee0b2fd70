/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * custom-stage: a stage of its own beside sluice's built-in ones.
 *
 * udp_port_filter drops UDP datagrams sent to one destination port (counted
 * as "filtered") and passes everything else on ("passed"). The pipeline in
 * custom-stage.ini runs it before the built-in count stage; sluice's workers
 * poll the ports, run the pipeline and transmit, exactly as for sluice-fwd.
 *
 *   custom-stage -l 0-1 --vdev net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap -- \
 *       --config custom-stage.ini --duration 2 --stats-json stats.json
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include <sluice/sl_app.h>
#include <sluice/sl_stage.h>

#define FILTER_COUNTERS(X) X(FILTER_FILTERED, "filtered") X(FILTER_PASSED, "passed")

enum { FILTER_COUNTERS(SL_CNT_ENUM) FILTER_NB_COUNTERS };
static const char *const filter_counters[] = {FILTER_COUNTERS(SL_CNT_NAME) NULL};
static const char *const filter_args[] = {"port", NULL};

/* Set once per pipeline slot by global_init, read by every worker. */
struct filter_conf {
	rte_be16_t port; /* network order, compared as it is in the header */
};

static int filter_global_init(struct sl_stage_init *init)
{
	const char *text = sl_stage_arg(init, "port", NULL);
	struct filter_conf *conf;
	char *end;
	long port;

	if (text == NULL)
		return sl_stage_fail(init, "needs port=N. Fix: args = port=9");
	errno = 0;
	port = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || port < 1 || port > 65535)
		return sl_stage_fail(init, "port '%s' is not 1..65535. Fix: args = port=9", text);
	conf = malloc(sizeof(*conf));
	if (conf == NULL)
		return sl_stage_fail(init, "out of memory");
	conf->port = rte_cpu_to_be_16((uint16_t)port);
	init->global_state = conf;
	return 0;
}

static void filter_global_fini(void *global_state)
{
	free(global_state);
}

/* True for an untagged IPv4/UDP frame to `port`. */
static inline bool to_port(const struct rte_mbuf *m, rte_be16_t port)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct rte_udp_hdr *udp;
	uint32_t ihl;

	if (m->data_len < sizeof(*eth) + sizeof(*ip) + sizeof(*udp) ||
	    eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    ip->next_proto_id != IPPROTO_UDP)
		return false;
	ihl = (ip->version_ihl & 0x0f) * 4u;
	if (m->data_len < sizeof(*eth) + ihl + sizeof(*udp))
		return false;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + ihl);
	return udp->dst_port == port;
}

static uint16_t filter_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			       uint16_t *nexts)
{
	const struct filter_conf *conf = ctx->global_state;
	uint16_t filtered = 0;

	for (uint16_t i = 0; i < n; i++) {
		bool drop = to_port(pkts[i], conf->port);

		nexts[i] = drop ? SL_EDGE_DROP : SL_EDGE_NEXT;
		filtered += drop;
	}
	ctx->counters[FILTER_FILTERED] += filtered;
	ctx->counters[FILTER_PASSED] += n - filtered;
	/* The whole vector one way: say so, the framework then moves it as is. */
	if (filtered == 0)
		return SL_EDGE_NEXT;
	if (filtered == n)
		return SL_EDGE_DROP;
	return SL_NEXTS_PER_PACKET;
}

static const struct sl_stage_ops filter_ops = {
    .name = "udp_port_filter",
    .help = "drop UDP datagrams to one destination port; args: port=N",
    .process = filter_process,
    .counters = filter_counters,
    .arg_keys = filter_args,
    .global_init = filter_global_init,
    .global_fini = filter_global_fini,
    .keeps_port = true,
};

SL_STAGE_REGISTER(filter_ops);

int main(int argc, char **argv)
{
	struct sl_app *app;
	int rc = sl_app_init(&app, argc, argv);

	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	rc = sl_app_run(app);
	sl_app_fini(app);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
