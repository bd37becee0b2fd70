/* SPDX-License-Identifier: BSD-3-Clause */
/* Bootstrap: EAL args, then sluice's own args after "--", then everything
 * that must be checked before a worker starts. Errors are one line: what is
 * wrong and how to fix it. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_version.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "core/app_priv.h"
#include "sl_version.h"
#include "sluice/sl_tcp_service.h"
#include "stats_priv.h"

static const char *usage_prog = "sluice";
static const char *usage_what;
static const char *usage_example =
    "-l 0-1 --vdev net_memif0,role=client -- --config drivers-config/examples/l2-macswap.ini";

void sl_app_describe(const char *what, const char *example)
{
	usage_what = what;
	if (example != NULL)
		usage_example = example;
}

void sl_app_usage(FILE *f, const char *prog)
{
	if (usage_what != NULL)
		fprintf(f, "%s: %s\n\n", prog, usage_what);
	fprintf(
	    f,
	    "Usage: %s [EAL options] -- --config FILE [options]\n"
	    "\n"
	    "sluice options (after --):\n"
	    "  -c, --config FILE         pipeline/port config (INI, see docs/config.md)\n"
	    "  -s, --stats-interval S    print rates every S seconds (0: only at exit;\n"
	    "                            default: the config's [app] stats_interval, else 1)\n"
	    "  -d, --duration S          stop after S seconds (default: run until Ctrl-C)\n"
	    "  -j, --stats-json FILE     write the final stats as JSON to FILE\n"
	    "  -q, --quiet               no per-interval lines\n"
	    "  -h, --help                this text and the EAL options\n"
	    "      --plugin PATH         load a stage plugin (.so; also [app] plugins =)\n"
	    "      --list-stages         every stage type with its help, args and counters\n"
	    "      --version             the versions of this program and DPDK\n"
	    "\n"
	    "Example: %s %s\n"
	    "Telemetry: dpdk-telemetry.py, then /sluice/ports, /sluice/workers, /sluice/stages\n",
	    prog, prog, usage_example);
}

const char *sl_version(void)
{
	return SL_VERSION_STRING;
}

static void usage_hook(const char *prog)
{
	sl_app_usage(stdout, prog ? prog : usage_prog);
	printf("\n");
}

static void on_signal(int sig)
{
	RTE_SET_USED(sig);
	sl_app_request_stop();
}

static int parse_seconds(const char *opt, const char *value, unsigned long max, unsigned long *out)
{
	struct sl_error err;
	uint64_t v;

	if (sl_parse_u64(opt, value, SL_UNITS_NONE, 0, max, &v, &err) < 0) {
		fprintf(stderr, "%s: %s\n", usage_prog, err.msg);
		return -1;
	}
	*out = (unsigned long)v;
	return 0;
}

/* After the stages: the TCP services the tcpip stage can run. */
static void services_print(FILE *f)
{
	const struct sl_tcp_service_ops *svc;

	fprintf(f, "\nTCP services (the tcpip stage's tcp_service=NAME:PORT):\n");
	for (unsigned int i = 0; (svc = sl_tcp_service_at(i)) != NULL; i++)
		fprintf(f, "    %s: %s\n", svc->name, svc->help != NULL ? svc->help : "(no help)");
	if (sl_tcp_service_at(0) == NULL)
		fprintf(f, "    none registered (sluice/sl_tcp_service.h)\n");
}

static int load_plugin(const char *path)
{
	struct sl_error err;

	if (sl_plugin_load(path, &err) < 0) {
		fprintf(stderr, "%s: --plugin: %s\n", usage_prog, err.msg);
		return -1;
	}
	return 0;
}

/* --plugin PATH and --plugin=PATH anywhere: for --list-stages, before the EAL. */
static int load_plugins_early(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--plugin") && i + 1 < argc) {
			if (load_plugin(argv[++i]) < 0)
				return -1;
		} else if (!strncmp(argv[i], "--plugin=", 9) && load_plugin(argv[i] + 9) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Parse the args after "--". Returns 0, 1 for --help, -1 on error. */
static int parse_app_args(struct sl_app_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"stats-interval", required_argument, NULL, 's'},
	    {"duration", required_argument, NULL, 'd'},
	    {"stats-json", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"plugin", required_argument, NULL, 'P'},
	    {NULL, 0, NULL, 0},
	};
	unsigned long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:s:d:j:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->config_path = optarg;
			break;
		case 's':
			if (parse_seconds("--stats-interval", optarg, 3600, &v) < 0)
				return -1;
			o->stats_interval = (int)v;
			break;
		case 'd':
			if (parse_seconds("--duration", optarg, 365UL * 86400, &v) < 0)
				return -1;
			o->duration = v;
			break;
		case 'j':
			o->stats_json = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'P':
			if (load_plugin(optarg) < 0)
				return -1;
			break;
		case 'h':
			return 1;
		case ':':
			fprintf(stderr, "%s: option %s needs a value. Fix: see %s -- --help\n",
				usage_prog, argv[optind - 1], usage_prog);
			return -1;
		default:
			fprintf(stderr, "%s: unknown option '%s'. Fix: see %s -- --help\n",
				usage_prog, argv[optind - 1], usage_prog);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'. Fix: see %s -- --help\n", usage_prog,
			argv[optind], usage_prog);
		return -1;
	}
	if (o->config_path == NULL) {
		fprintf(stderr,
			"%s: no config file. Fix: add -- --config FILE (examples in "
			"drivers-config/examples/)\n",
			usage_prog);
		return -1;
	}
	return 0;
}

static bool is_worker_lcore(unsigned int lcore)
{
	return lcore < RTE_MAX_LCORE && rte_lcore_is_enabled(lcore) &&
	       lcore != rte_get_main_lcore();
}

static int lcore_socket_cb(unsigned int lcore)
{
	return sl_lcore_socket(lcore);
}

static int workers_alloc(struct sl_app *app, struct sl_error *err)
{
	struct sl_config *cfg = &app->cfg;

	if (cfg->nb_workers == 0) {
		unsigned int lcore;

		RTE_LCORE_FOREACH_WORKER(lcore)
		{
			if (cfg->nb_workers == SL_MAX_WORKERS)
				break;
			memset(&cfg->workers[cfg->nb_workers], 0, sizeof(cfg->workers[0]));
			cfg->workers[cfg->nb_workers++].lcore = lcore;
		}
	}
	if (cfg->nb_workers == 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "no worker lcore. Fix: give the EAL two or more lcores, e.g. -l 0-1 (the "
			 "first is the main lcore, the others run workers)");
		return -1;
	}
	for (unsigned int i = 0; i < cfg->nb_workers; i++) {
		struct sl_worker *w;
		unsigned int lcore = cfg->workers[i].lcore;

		w = rte_zmalloc_socket("sl_worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
				       sl_lcore_socket(lcore));
		if (w == NULL) {
			snprintf(err->msg, sizeof(err->msg), "out of memory for worker %u", lcore);
			return -1;
		}
		w->app = app;
		w->conf = &cfg->workers[i];
		w->info.lcore = lcore;
		w->info.index = i;
		w->info.socket = sl_lcore_socket(lcore);
		w->graph_id = RTE_GRAPH_ID_INVALID;
		app->workers[app->nb_workers++] = w;
	}
	return 0;
}

/* The config: built in code, INI text, or a file (sl_app_opts). */
static int config_take(struct sl_app *app, struct sl_error *err)
{
	const struct sl_app_opts *o = &app->opts;

	if ((o->config != NULL) + (o->config_text != NULL) > 1)
		return sl_error_set(err, "sl_app_opts: both config and config_text are set. Fix: "
					 "give one (config_path then only names config_text)");
	if (o->config != NULL) {
		app->cfg = *o->config;
		return sl_config_check(&app->cfg, is_worker_lcore, err);
	}
	if (o->config_text != NULL)
		return sl_config_load_text(&app->cfg, o->config_text, o->config_path,
					   is_worker_lcore, err);
	if (o->config_path == NULL)
		return sl_error_set(err, "no config. Fix: set sl_app_opts.config_path (a file), "
					 ".config_text (INI text) or .config (built in code)");
	return sl_config_load(&app->cfg, o->config_path, is_worker_lcore, err);
}

static int app_build(struct sl_app *app, struct sl_error *err)
{
	int port_socket[SL_MAX_PORTS];

	if (sl_stage_registry_check(err) < 0)
		return -1;
	if (config_take(app, err) < 0)
		return -1;
	if (app->opts.stats_interval < 0)
		app->opts.stats_interval = (int)app->cfg.stats_interval;
	if (sl_topology_init(app) < 0)
		SL_LOG(WARNING, "hwloc could not read the topology; NUMA checks limited to DPDK's");
	if (sl_ports_probe(app, err) < 0)
		return -1;
	for (unsigned int i = 0; i < app->nb_ports; i++)
		port_socket[i] = app->ports[i].socket;
	if (app->cfg.nb_workers == 0)
		app->cfg.auto_map = true;
	if (workers_alloc(app, err) < 0)
		return -1;
	if (sl_config_map_workers(&app->cfg, port_socket, lcore_socket_cb, err) < 0)
		return -1;
	sl_topology_print(app);
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker_conf *wc = app->workers[w]->conf;

		printf("worker lcore %u (node %d):", wc->lcore, app->workers[w]->info.socket);
		for (unsigned int r = 0; r < wc->nb_rxq; r++)
			printf(" %s:%u", app->cfg.ports[wc->rxq[r].port_idx].name,
			       wc->rxq[r].queue);
		printf("%s\n", wc->nb_rxq ? "" : " (no queues)");
	}
	if (sl_pools_create(app, err) < 0)
		return -1;
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		struct sl_worker_info *info = &app->workers[w]->info;

		info->pool = app->pools[info->socket];
		info->pool_workers = RTE_MAX(app->pool_plans[info->socket].workers, 1u);
	}
	if (sl_ports_start(app, err) < 0)
		return -1;
	if (sl_pipelines_setup(app, err) < 0)
		return -1;
	if (sl_graphs_create(app, err) < 0)
		return -1;
	if (sl_telemetry_register(app) < 0)
		SL_LOG(WARNING, "telemetry commands could not be registered");
	return 0;
}

int sl_app_create(struct sl_app **out, const struct sl_app_opts *opts)
{
	struct sl_app *app;
	struct sl_error err = {.msg = ""};

	*out = NULL;
	/* A stop asked of an earlier app in this process is not this one's. */
	sl_app_stop_clear();
	app = rte_zmalloc("sl_app", sizeof(*app), RTE_CACHE_LINE_SIZE);
	if (app == NULL) {
		fprintf(stderr,
			"%s: out of memory for the app state. Fix: give the EAL more memory\n",
			opts->prog);
		return -1;
	}
	app->opts = *opts;
	if (app_build(app, &err) < 0) {
		fprintf(stderr, "%s: %s\n", opts->prog, err.msg);
		*out = app;
		return -1;
	}
	*out = app;
	return 0;
}

int sl_app_init(struct sl_app **out, int argc, char **argv)
{
	struct sl_app_opts opts = {.prog = argv[0], .stats_interval = -1};
	int sep = -1, rc, eal_argc;
	const char *slash = strrchr(argv[0], '/');

	*out = NULL;
	/* Stats lines must reach a pipe or a log file as they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	usage_prog = slash ? slash + 1 : argv[0];
	opts.prog = usage_prog;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	/* --version and --list-stages anywhere, without starting the EAL. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("%s %s (%s)\n", usage_prog, sl_version(), rte_version());
			return 1;
		}
		if (!strcmp(argv[i], "--list-stages")) {
			if (load_plugins_early(argc, argv) < 0)
				return -1;
			sl_stage_list_print(stdout);
			services_print(stdout);
			return 1;
		}
	}
	/* --help after "--": let the EAL print both usages and exit 0. */
	if (sep > 0)
		for (int i = sep + 1; i < argc; i++)
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				sl_app_usage(stdout, usage_prog);
				printf(
				    "\nEAL options: run '%s --help' (before --) for the full "
				    "list;\n"
				    "common ones: -l CORES, --lcores MAP, -a PCI, --vdev DEVARGS, "
				    "--file-prefix NAME,\n  --in-memory, --no-huge, -m MB, "
				    "--log-level LEVEL\n",
				    usage_prog);
				return 1;
			}
	rte_set_application_usage_hook(usage_hook);
	eal_argc = sep > 0 ? sep : argc;
	rc = rte_eal_init(eal_argc, argv);
	if (rc < 0) {
		/* Some EAL failures (another process holding the file prefix's
		 * lock) leave rte_errno at 0: "Success" would mislead. */
		fprintf(stderr,
			"%s: EAL initialisation failed: %s. Fix: check the EAL options above (see "
			"%s --help); another process with the same --file-prefix: give this one "
			"its own; hugepages: tools/hugepages.sh, or add --no-huge\n",
			usage_prog,
			rte_errno != 0 ? rte_strerror(rte_errno) : "see the EAL's message above",
			usage_prog);
		return -1;
	}
	if (sep > 0) {
		/* getopt wants argv[0] first: reuse the "--" slot. */
		argv[sep] = argv[0];
		rc = parse_app_args(&opts, argc - sep, argv + sep);
	} else {
		rc = parse_app_args(&opts, 1, argv);
	}
	if (rc != 0) {
		if (rc == 1) {
			sl_app_usage(stdout, usage_prog);
			rte_eal_cleanup();
			return 1;
		}
		rte_eal_cleanup();
		return -1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	sl_crash_report_install();
	if (sl_app_create(out, &opts) < 0) {
		sl_app_fini(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int sl_app_run(struct sl_app *app)
{
	struct sl_error err = {.msg = ""};
	uint64_t hz = rte_get_tsc_hz();
	uint64_t next_stats, deadline;
	unsigned int interval =
	    app->opts.stats_interval > 0 ? (unsigned)app->opts.stats_interval : 0;

	app->start_tsc = rte_rdtsc();
	sl_stats_snapshot_print(app, false); /* baseline for the first interval */
	if (sl_workers_launch(app, &err) < 0) {
		fprintf(stderr, "%s: %s\n", app->opts.prog, err.msg);
		return -1;
	}
	printf("running: %u worker(s); Ctrl-C to stop\n", app->nb_workers);
	fflush(stdout);
	next_stats = app->start_tsc + interval * hz;
	deadline = app->opts.duration ? app->start_tsc + app->opts.duration * hz : UINT64_MAX;
	for (unsigned int tick = 0; !sl_app_stop_requested(); tick++) {
		uint64_t now;

		rte_delay_us_sleep(10 * 1000);
		now = rte_rdtsc();
		if (tick % 10 == 0)
			sl_pools_sample(app);
		if (interval && !app->opts.quiet && now >= next_stats) {
			sl_stats_snapshot_print(app, false);
			next_stats += interval * hz;
		}
		if (now >= deadline)
			break;
	}
	sl_pools_sample(app);
	sl_workers_stop(app);
	sl_stats_snapshot_print(app, true);
	if (app->opts.stats_json != NULL) {
		FILE *f = fopen(app->opts.stats_json, "w");

		if (f == NULL) {
			fprintf(stderr, "%s: cannot write %s: %s\n", app->opts.prog,
				app->opts.stats_json, strerror(errno));
			return -1;
		}
		sl_stats_write_json(app, f);
		fclose(f);
	}
	return 0;
}

void sl_app_destroy(struct sl_app *app)
{
	if (app == NULL)
		return;
	sl_telemetry_unregister(app);
	sl_workers_stop(app);
	sl_graphs_destroy(app);
	sl_pipelines_teardown(app);
	sl_ports_stop(app);
	sl_pools_free(app);
	sl_topology_fini(app);
	for (unsigned int w = 0; w < app->nb_workers; w++)
		rte_free(app->workers[w]);
	rte_free(app);
}

void sl_app_fini(struct sl_app *app)
{
	sl_app_destroy(app);
	rte_eal_cleanup();
}
