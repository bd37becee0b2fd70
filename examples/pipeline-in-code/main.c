/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pipeline-in-code: an application that starts its own EAL and gives sluice
 * a pipeline built in code, with no config file. sluice's workers then poll
 * the port, run the pipeline and transmit, as for sluice-fwd.
 *
 *   pipeline-in-code -l 0-1 --vdev net_null0 -- net_null0 2 stats.json
 *   pipeline-in-code -l 0-1 -- net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap 1 stats.json
 *
 * The port is DEVICE: an ethdev the EAL made (--vdev, -a) or devargs that
 * sluice hot-plugs. The pipeline counts what it receives and sends it back
 * with the MAC addresses swapped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include <sluice/sl_app.h>
#include <sluice/sl_config.h>
#include <sluice/sl_stats.h>

static int build_config(struct sl_config *cfg, const char *device)
{
	struct sl_error err;

	sl_config_init(cfg, "pipeline-in-code"); /* names the config in errors */
	cfg->stats_interval = 0;
	if (sl_config_add_pipeline(cfg, "main", "count:seen macswap", &err) == NULL ||
	    sl_config_set_stage_args(cfg, "main", "seen", "flows=64", &err) < 0 ||
	    sl_config_add_port(cfg, "p0", device, "main", &err) == NULL) {
		fprintf(stderr, "pipeline-in-code: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* The counters, read in process (sluice/sl_stats.h): no text to parse. */
static void print_counts(const struct sl_app *app)
{
	struct sl_port_stats port;
	uint64_t seen;

	if (sl_stats_counter(app, "main", "seen", "packets", &seen) == 0 &&
	    sl_stats_port(app, "p0", &port) == 0)
		printf("pipeline-in-code: seen %" PRIu64 " packets; p0 rx %" PRIu64 " tx %" PRIu64
		       " rx_missed %" PRIu64 "\n",
		       seen, port.rx, port.tx, port.rx_missed);
}

int main(int argc, char **argv)
{
	struct sl_config cfg;
	struct sl_app *app;
	int n, rc;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "pipeline-in-code: EAL: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= n; /* the EAL's arguments and "--" are behind us */
	argv += n;
	if (argc != 4) {
		fprintf(stderr,
			"usage: pipeline-in-code [EAL options] -- DEVICE SECONDS STATS_JSON\n");
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	if (build_config(&cfg, argv[1]) < 0) {
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}

	struct sl_app_opts opts = {
	    .prog = "pipeline-in-code",
	    .config = &cfg, /* copied and checked by sl_app_create */
	    .stats_interval = 0,
	    .duration = (unsigned int)atoi(argv[2]),
	    .stats_json = argv[3],
	    .quiet = true,
	};
	rc = sl_app_create(&app, &opts);
	if (rc == 0)
		rc = sl_app_run(app);
	if (rc == 0)
		print_counts(app);
	sl_app_destroy(app); /* the EAL stays up: another app could follow */
	rte_eal_cleanup();
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
