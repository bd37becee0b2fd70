/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * library-mode: the application owns the port, the pool and the loop; a
 * sluice pipeline only classifies and transforms the bursts it is handed
 * (sluice/sl_pipeline.h). Here the pipeline, built in code, counts and
 * swaps MAC addresses; the application receives, calls the pipeline, and
 * transmits what it passed back out of the port.
 *
 *   library-mode -l 0 --vdev net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap -- SECONDS [STAGES]
 *
 * STAGES (default "count:seen macswap") is the pipeline's stage list.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <sluice/sl_config.h>
#include <sluice/sl_pipeline.h>

#define BURST 32

/* The application's own port set-up: one queue each way. */
static int port_init(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf = {0};

	if (rte_eth_dev_configure(port, 1, 1, &conf) < 0 ||
	    rte_eth_rx_queue_setup(port, 0, 512, rte_eth_dev_socket_id(port), NULL, pool) < 0 ||
	    rte_eth_tx_queue_setup(port, 0, 512, rte_eth_dev_socket_id(port), NULL) < 0 ||
	    rte_eth_dev_start(port) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct rte_mbuf *pkts[BURST];
	struct sl_pipeline_env env;
	struct sl_pipeline *p;
	struct rte_mempool *pool;
	struct sl_config cfg;
	struct sl_error err;
	uint64_t rx = 0, passed = 0, cycles = 0, seen = 0, end;
	uint16_t port = 0;
	int n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "library-mode: EAL: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= n;
	argv += n;
	if (argc < 2 || rte_eth_dev_count_avail() == 0) {
		fprintf(stderr,
			"usage: library-mode [EAL options, one port] -- SECONDS [STAGES]\n");
		return EXIT_FAILURE;
	}
	pool = rte_pktmbuf_pool_create("app_pool", 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL || port_init(port, pool) < 0) {
		fprintf(stderr, "library-mode: cannot set up port %u: %s\n", port,
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}

	/* The pipeline, in code, then built for this thread. */
	sl_config_init(&cfg, "library-mode");
	env = (struct sl_pipeline_env){.pool = pool,
				       .socket = (int)rte_socket_id(),
				       .lcore = rte_lcore_id(),
				       .ports = &port,
				       .nb_ports = 1};
	if (sl_config_add_pipeline(&cfg, "main", argc > 2 ? argv[2] : "count:seen macswap", &err) ==
		NULL ||
	    (p = sl_pipeline_create(&cfg, "main", &env, &err)) == NULL) {
		fprintf(stderr, "library-mode: %s\n", err.msg);
		return EXIT_FAILURE;
	}

	end = rte_get_tsc_cycles() + (uint64_t)atoi(argv[1]) * rte_get_tsc_hz();
	while (rte_get_tsc_cycles() < end) {
		uint16_t got = rte_eth_rx_burst(port, 0, pkts, BURST), out, sent;
		uint64_t t0;

		if (got == 0)
			continue;
		rx += got;
		t0 = rte_rdtsc();
		out = sl_pipeline_process(p, pkts, got);
		cycles += rte_rdtsc() - t0;
		passed += out;
		sent = rte_eth_tx_burst(port, 0, pkts, out);
		if (sent < out)
			rte_pktmbuf_free_bulk(pkts + sent, out - sent);
	}

	sl_pipeline_counter(p, "seen", "packets", &seen);
	printf("library-mode: rx %" PRIu64 " passed %" PRIu64 " dropped %" PRIu64 " seen %" PRIu64
	       " pipeline cycles/packet %.1f\n",
	       rx, passed, sl_pipeline_dropped(p), seen, rx ? (double)cycles / rx : 0.0);
	sl_pipeline_destroy(p);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
