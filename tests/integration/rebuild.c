/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One process, one EAL, four apps in turn, each created, run for a second
 * and destroyed (sl_app_destroy), as an embedding application that rebuilds
 * its pipelines would do, each from one of the three config roads:
 *   round 1: the config file CONFIG (sl_app_opts.config_path)
 *   round 2: the same file's text, held in memory (.config_text)
 *   round 3: the same pipeline built in code (.config, sl_config_add_*)
 *   then a config built in code with a bad stage argument, which
 *   sl_app_create must refuse with the config file's one-line error
 *   round 4: round 3's config again, after the refusal
 * rebuild.sh checks that every round forwarded, that the refusal said what
 * and where, and that no pool reported mbufs still in use.
 *
 *   rebuild [EAL options] -- CONFIG JSON_PREFIX
 * writes JSON_PREFIX-<round>.json, the final stats of each round.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_memory.h>

#include "sluice/sl_app.h"
#include "sluice/sl_config.h"
#include "sluice/sl_stats.h"

static char text[8192];

static int read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return 0;
}

/* The pipeline of rebuild.sh's file, in code; `count_args` for the count stage. */
static int build(struct sl_config *cfg, const char *count_args)
{
	struct sl_error err;

	sl_config_init(cfg, "rebuild-code");
	cfg->stats_interval = 0;
	if (sl_config_add_pipeline(cfg, "main", "macswap count", &err) == NULL ||
	    (count_args != NULL &&
	     sl_config_set_stage_args(cfg, "main", "count", count_args, &err) < 0) ||
	    sl_config_add_port(cfg, "p0", "net_null0", "main", &err) == NULL) {
		fprintf(stderr, "rebuild: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/*
 * sluice/sl_stats.h agrees with itself: every packet a worker received went
 * through the count stage and left on p0; unknown names are refused.
 * rebuild.sh compares the printed figures with the stats JSON.
 */
static int check_stats(const struct sl_app *app, int round)
{
	struct sl_worker_stats ws;
	struct sl_port_stats ps;
	struct sl_stage_stats_sum sum;
	struct sl_pool_stats pool;
	uint64_t counted, rx = 0, v;

	for (unsigned int w = 0; w < sl_stats_nb_workers(app); w++) {
		if (sl_stats_worker(app, w, &ws) < 0)
			return -1;
		rx += ws.rx;
	}
	if (sl_stats_counter(app, "main", "count", "packets", &counted) < 0 ||
	    sl_stats_port(app, "p0", &ps) < 0 || sl_stats_stage(app, "main", "macswap", &sum) < 0) {
		fprintf(stderr, "rebuild: round %d: sl_stats_* found no count, p0 or macswap\n",
			round);
		return -1;
	}
	/* The pool of the worker's node: its rx ring's mbufs at least were out. */
	if (sl_stats_worker(app, 0, &ws) < 0 || sl_stats_pool(app, ws.socket, &pool) < 0 ||
	    pool.in_use_peak == 0 || pool.in_use_peak > pool.size || pool.in_use > pool.size ||
	    sl_stats_pool(app, RTE_MAX_NUMA_NODES, &pool) == 0) {
		fprintf(stderr, "rebuild: round %d: sl_stats_pool: in use %u, peak %u of %u\n",
			round, pool.in_use, pool.in_use_peak, pool.size);
		return -1;
	}
	if (counted != rx || strcmp(sum.type, "macswap") != 0 || sum.workers == 0 ||
	    sl_stats_counter(app, "main", "count", "no_such_counter", &v) == 0 ||
	    sl_stats_counter(app, "main", "nope", "packets", &v) == 0 ||
	    sl_stats_port(app, "p9", &ps) == 0 || sl_stats_worker(app, 99, &ws) == 0) {
		fprintf(stderr,
			"rebuild: round %d: sl_stats_* disagree: count %" PRIu64
			" packets, workers rx %" PRIu64 "\n",
			round, counted, rx);
		return -1;
	}
	printf("rebuild: round %d stats: count.packets %" PRIu64 " workers.rx %" PRIu64 "\n", round,
	       counted, rx);
	return 0;
}

static int run(int round, struct sl_app_opts *opts, const char *json_prefix)
{
	char json[4096];
	struct sl_app *app;

	snprintf(json, sizeof(json), "%s-%d.json", json_prefix, round);
	opts->prog = "rebuild";
	opts->stats_interval = 0;
	opts->duration = 1;
	opts->stats_json = json;
	opts->quiet = true;
	if (sl_app_create(&app, opts) < 0 || sl_app_run(app) < 0) {
		fprintf(stderr, "rebuild: round %d failed\n", round);
		sl_app_fini(app);
		return -1;
	}
	if (check_stats(app, round) < 0) {
		sl_app_fini(app);
		return -1;
	}
	sl_app_destroy(app);
	printf("rebuild: round %d done\n", round);
	return 0;
}

int main(int argc, char **argv)
{
	struct sl_config cfg;
	struct sl_app *app;
	int sep = 1;

	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	if (sep + 2 >= argc) {
		fprintf(stderr, "usage: %s [EAL options] -- CONFIG JSON_PREFIX\n", argv[0]);
		return EXIT_FAILURE;
	}
	if (read_text(argv[sep + 1]) < 0) {
		fprintf(stderr, "rebuild: cannot read %s\n", argv[sep + 1]);
		return EXIT_FAILURE;
	}
	if (rte_eal_init(sep, argv) < 0) {
		fprintf(stderr, "rebuild: EAL initialisation failed\n");
		return EXIT_FAILURE;
	}
	if (run(1, &(struct sl_app_opts){.config_path = argv[sep + 1]}, argv[sep + 2]) < 0 ||
	    run(2, &(struct sl_app_opts){.config_text = text, .config_path = "rebuild-text"},
		argv[sep + 2]) < 0 ||
	    build(&cfg, NULL) < 0 ||
	    run(3, &(struct sl_app_opts){.config = &cfg}, argv[sep + 2]) < 0)
		return EXIT_FAILURE;

	/* A bad argument is the stage's to find, when the app is created. */
	if (build(&cfg, "flows=many") < 0)
		return EXIT_FAILURE;
	if (sl_app_create(&app, &(struct sl_app_opts){.prog = "rebuild", .config = &cfg}) == 0) {
		fprintf(stderr, "rebuild: a bad stage argument was accepted\n");
		return EXIT_FAILURE;
	}
	sl_app_destroy(app);
	printf("rebuild: the bad config was refused\n");

	if (build(&cfg, NULL) < 0 ||
	    run(4, &(struct sl_app_opts){.config = &cfg}, argv[sep + 2]) < 0)
		return EXIT_FAILURE;
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
