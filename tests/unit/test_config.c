/* SPDX-License-Identifier: BSD-3-Clause */
/* Config parsing: good files parse into the right structs; every kind of
 * bad file fails with a message naming the file, the line and a fix. No EAL
 * is needed: the parser runs before rte_eal_init's resources matter. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "mem/mem_priv.h"
#include "sluice/sl_config.h"

static char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/sl-unit-cfg-%d.ini", getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

Test(config, good_full_file)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp("; comment\n"
				     "[app]\n"
				     "burst = 64\n"
				     "stats_interval = 2\n"
				     "\n"
				     "[port p0]\n"
				     "dev = net_memif0,role=server\n"
				     "rx_queues = 2\n"
				     "rx_desc = 512\n"
				     "rss = symmetric\n"
				     "pipeline = echo\n"
				     "[port p1]\n"
				     "dev = net_ring0\n"
				     "pipeline = fwd\n"
				     "promiscuous = off\n"
				     "[pipeline echo]\n"
				     "stages = macswap count:c1\n"
				     "c1 = flows=16\n"
				     "[pipeline fwd]\n"
				     "stages = l2fwd\n"
				     "[workers]\n"
				     "lcore1 = p0:0 p1:0\n"
				     "lcore2 = p0:1\n");

	cr_assert_eq(sl_config_load(&cfg, path, NULL, &err), 0, "%s", err.msg);
	cr_expect_eq(cfg.burst, 64);
	cr_expect_eq(cfg.stats_interval, 2);
	cr_assert_eq(cfg.nb_ports, 2);
	cr_expect_str_eq(cfg.ports[0].dev, "net_memif0,role=server");
	cr_expect_eq(cfg.ports[0].rx_queues, 2);
	cr_expect_eq(cfg.ports[0].rx_desc, 512);
	cr_expect_eq(cfg.ports[0].rss, SL_RSS_SYMMETRIC);
	cr_expect(cfg.ports[0].promiscuous);
	cr_expect_not(cfg.ports[1].promiscuous);
	cr_expect_eq(cfg.ports[1].pipeline_idx, 1);
	cr_assert_eq(cfg.nb_pipelines, 2);
	cr_assert_eq(cfg.pipelines[0].nb_stages, 2);
	cr_expect_str_eq(cfg.pipelines[0].stages[1].type, "count");
	cr_expect_str_eq(cfg.pipelines[0].stages[1].label, "c1");
	cr_expect_str_eq(cfg.pipelines[0].stages[1].args, "flows=16");
	cr_expect_not(cfg.auto_map);
	cr_assert_eq(cfg.nb_workers, 2);
	cr_expect_eq(cfg.workers[0].lcore, 1);
	cr_expect_eq(cfg.workers[0].nb_rxq, 2);
	cr_expect_eq(cfg.workers[1].rxq[0].queue, 1);
	unlink(path);
}

Test(config, graph_stats_modes)
{
	static const struct {
		const char *value;
		uint8_t want;
	} modes[] = {{"sampled", SL_GRAPH_STATS_SAMPLED},
		     {"on", SL_GRAPH_STATS_ON},
		     {"off", SL_GRAPH_STATS_OFF},
		     {"yes", SL_GRAPH_STATS_ON},
		     {"0", SL_GRAPH_STATS_OFF}};

	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct sl_config cfg;
		struct sl_error err = {.msg = ""};
		char text[256];
		const char *path;

		snprintf(text, sizeof(text),
			 "[app]\ngraph_stats = %s\n[port p0]\ndev = net_null0\npipeline = x\n"
			 "[pipeline x]\nstages = macswap\n",
			 modes[i].value);
		path = write_tmp(text);
		cr_assert_eq(sl_config_load(&cfg, path, NULL, &err), 0, "%s", err.msg);
		cr_expect_eq(cfg.graph_stats, modes[i].want, "graph_stats = %s", modes[i].value);
		unlink(path);
	}
}

Test(config, defaults_and_auto_map)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp("[port p0]\ndev = net_null0\npipeline = x\n"
				     "[pipeline x]\nstages = macswap\n");

	cr_assert_eq(sl_config_load(&cfg, path, NULL, &err), 0, "%s", err.msg);
	cr_expect_eq(cfg.burst, 32);
	cr_expect_eq(cfg.stats_interval, 1);
	cr_expect_eq(cfg.graph_stats, SL_GRAPH_STATS_SAMPLED);
	cr_expect(cfg.auto_map);
	cr_expect_eq(cfg.ports[0].rx_queues, 1);
	unlink(path);
}

static int socket_of_lcore(unsigned int lcore)
{
	return lcore >= 4 ? 1 : 0; /* lcores 4+ on node 1 */
}

Test(config, auto_map_spreads_nic_local_first)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp("[port a]\ndev = net_null0\nrx_queues = 2\npipeline = x\n"
				     "[port b]\ndev = net_null1\nrx_queues = 2\npipeline = x\n"
				     "[pipeline x]\nstages = macswap\n"
				     "[workers]\nlcores = 1,2,4,5\nmap = auto\n");
	int port_socket[] = {0, 1};

	cr_assert_eq(sl_config_load(&cfg, path, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(sl_config_map_workers(&cfg, port_socket, socket_of_lcore, &err), 0, "%s",
		     err.msg);
	/* Every queue exactly once, each on a worker of its port's node. */
	for (unsigned int w = 0; w < cfg.nb_workers; w++) {
		cr_expect_eq(cfg.workers[w].nb_rxq, 1, "lcore %u has %u queues",
			     cfg.workers[w].lcore, cfg.workers[w].nb_rxq);
		for (unsigned int r = 0; r < cfg.workers[w].nb_rxq; r++)
			cr_expect_eq(port_socket[cfg.workers[w].rxq[r].port_idx],
				     socket_of_lcore(cfg.workers[w].lcore));
	}
	unlink(path);
}

/* Arrays, not pointers: Criterion runs each case in a fresh process, where a
 * position-independent binary's static strings may sit at other addresses. */
struct bad_case {
	char text[256];
	char must_contain[128]; /* part of the fix or of the what */
	unsigned int line;	/* the line the message must name */
};

static struct bad_case bad_cases[] = {
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n[bogus]\n",
     "unknown section", 6},
    {"[port p0]\ndev = x\npipeline = e\ncolour = red\n[pipeline e]\nstages = macswap\n",
     "unknown key", 4},
    {"[port p0]\ndev = x\npipeline = e\nrx_queues = lots\n[pipeline e]\nstages = macswap\n",
     "not a whole number", 4},
    {"[port p0]\ndev = x\npipeline = e\nrx_queues = 0\n[pipeline e]\nstages = macswap\n",
     "not a whole number in 1..", 4},
    {"[port p0]\ndev = x\npipeline = e\nrx_desc = 1000\n[pipeline e]\nstages = macswap\n",
     "power of two", 4},
    {"[port p0]\ndev = x\npipeline = e\nmtu = 20\n[pipeline e]\nstages = macswap\n", "below IPv4",
     4},
    {"[port p0]\ndev = x\npipeline = e\nrss = maybe\n[pipeline e]\nstages = macswap\n",
     "not one of auto, off, on or symmetric", 4},
    {"[port p0]\ndev = x\npipeline = e\npromiscuous = perhaps\n[pipeline e]\nstages = "
     "macswap\n",
     "is not on or off", 4},
    {"[port p0]\npipeline = e\n[pipeline e]\nstages = macswap\n", "no dev", 1},
    {"[port p0]\ndev = x\n[pipeline e]\nstages = macswap\n", "no pipeline", 1},
    {"[port p0]\ndev = x\npipeline = nope\n[pipeline e]\nstages = macswap\n",
     "no [pipeline nope] section", 3},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap teleport\n",
     "no stage type 'teleport'", 5},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\n", "no stages", 4},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = count count\n", "used twice", 5},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\nfoo = a=b\n",
     "no stage labelled 'foo'", 6},
    {"[port p0]\ndev = x\npipeline = e\n[port p0]\ndev = y\npipeline = e\n[pipeline "
     "e]\nstages = macswap\n",
     "section given twice (first at line 1)", 4},
    {"[port bad name!]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n", "not valid", 1},
    {"[pipeline e]\nstages = macswap\n", "no [port NAME] section", 0},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n[workers]\n"
     "lcore1 = p0:3\n",
     "not a whole number in 0..0", 7},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n[workers]\n"
     "lcore1 = p9:0\n",
     "no port named 'p9'", 7},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n[workers]\n"
     "lcore1 = p0\n",
     "not port:queue", 7},
    {"[port p0]\ndev = x\nrx_queues = 2\npipeline = e\n[pipeline e]\nstages = "
     "macswap\n[workers]\nlcore1 = p0:0\n",
     "polled by 0 workers", 7},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n[workers]\n"
     "map = sideways\n",
     "map = auto", 7},
    {"[app]\nburst = 100000\n[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = "
     "macswap\n",
     "not a whole number in 1..256", 2},
    {"[app]\ngraph_stats = sometimes\n[port p0]\ndev = x\npipeline = e\n[pipeline "
     "e]\nstages = macswap\n",
     "not sampled, on or off", 2},
    {"[port p0\ndev = x\n", "is not a section header", 1},
    {"[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = count\ncount flows 1024\n",
     "'count flows 1024' has no '='. Fix: write key = value, e.g. count = flows 1024", 6},
    {"[port p0]\ndev = x\npipeline = e\ndev = y\n[pipeline e]\nstages = macswap\n",
     "dev: key given twice in this section (first at line 2)", 4},
    {"[workers]\nmap = auto\n[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = "
     "macswap\n[workers]\nmap = auto\n",
     "[workers]: section given twice (first at line 1)", 8},
    {"[app]\nburst = 32\n[app]\nburst = 64\n[port p0]\ndev = x\npipeline = e\n[pipeline "
     "e]\nstages = macswap\n",
     "[app]: section given twice", 3},
    {"burst = 32\n[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = macswap\n",
     "comes before any [section]", 1},
};

ParameterizedTestParameters(config, bad_files)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

/*
 * What every bad config, file or text, must get: refused with one message
 * that says what (must_contain), names `name` (the file or the origin) and
 * the line, and gives a fix. False for the cases that only must not crash.
 */
static bool expect_refused(const struct bad_case *c, int rc, const struct sl_error *err,
			   const char *name)
{
	char where[PATH_MAX + 16];

	if (c->must_contain[0] == '\0') {
		/* Only "no crash, and an error or a sane result". */
		cr_expect(rc == 0 || err->msg[0] != '\0');
		return false;
	}
	cr_assert_eq(rc, -1, "accepted a bad config:\n%s", c->text);
	cr_expect(strstr(err->msg, c->must_contain) != NULL, "message '%s' lacks '%s'", err->msg,
		  c->must_contain);
	cr_expect(strstr(err->msg, name) != NULL, "message '%s' does not name %s", err->msg, name);
	if (c->line > 0) {
		snprintf(where, sizeof(where), "%s:%u:", name, c->line);
		cr_expect(strstr(err->msg, where) != NULL, "message '%s' does not name line %u",
			  err->msg, c->line);
	}
	cr_expect(strstr(err->msg, "Fix") != NULL || strstr(err->msg, "fix") != NULL,
		  "message '%s' names no fix", err->msg);
	return true;
}

ParameterizedTest(struct bad_case *c, config, bad_files)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp(c->text);
	int rc = sl_config_load(&cfg, path, NULL, &err);

	expect_refused(c, rc, &err, path);
	unlink(path);
}

/* The same bad configs as INI text: the same errors, named by the origin. */
ParameterizedTestParameters(config, bad_texts)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, config, bad_texts)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};
	int rc = sl_config_load_text(&cfg, c->text, "app.c", NULL, &err);

	if (!expect_refused(c, rc, &err, "app.c"))
		return;
	cr_expect(strncmp(err.msg, "app.c", 5) == 0, "message '%s' does not start with the origin",
		  err.msg);
	cr_expect(strstr(err.msg, "/proc/self/fd") == NULL, "message '%s' names the memfd",
		  err.msg);
}

Test(config, text_parses_like_a_file)
{
	static const char text[] = "[app]\nburst = 64\n[port p0]\ndev = net_null0\npipeline = "
				   "e\nrx_queues = 2\n[pipeline e]\nstages = count:c macswap\n"
				   "c = flows=16\n";
	struct sl_config a, b;
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp(text);

	cr_assert_eq(sl_config_load(&a, path, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(sl_config_load_text(&b, text, "inline", NULL, &err), 0, "%s", err.msg);
	cr_expect_str_eq(b.path, "inline");
	cr_expect_eq(b.burst, 64u);
	cr_expect_eq(b.ports[0].rx_queues, 2u);
	cr_expect_eq(b.ports[0].line, a.ports[0].line);
	cr_expect_str_eq(b.pipelines[0].stages[0].args, "flows=16");
	cr_expect_eq(b.pipelines[0].stages[0].line, 9u);
	strcpy(b.path, a.path);
	cr_expect(memcmp(&a, &b, sizeof(a)) == 0, "file and text give different structs");
	unlink(path);
}

Test(config, built_in_code_equals_the_file)
{
	static const char text[] = "[port p0]\ndev = net_null0\npipeline = e\n[pipeline e]\n"
				   "stages = count:c macswap\nc = flows=16\n";
	struct sl_config file, code;
	struct sl_error err = {.msg = ""};
	struct sl_port_conf *port;

	cr_assert_eq(sl_config_load_text(&file, text, "x", NULL, &err), 0, "%s", err.msg);
	sl_config_init(&code, "x");
	cr_assert_not_null(sl_config_add_pipeline(&code, "e", "count:c macswap", &err), "%s",
			   err.msg);
	cr_assert_eq(sl_config_set_stage_args(&code, "e", "c", "flows=16", &err), 0, "%s", err.msg);
	port = sl_config_add_port(&code, "p0", "net_null0", "e", &err);
	cr_assert_not_null(port, "%s", err.msg);
	cr_assert_eq(sl_config_check(&code, NULL, &err), 0, "%s", err.msg);
	/* The same structs but for the line numbers, which code has none of. */
	cr_expect_str_eq(code.pipelines[0].stages[1].type, "macswap");
	cr_expect_str_eq(code.pipelines[0].stages[0].label, "c");
	cr_expect_str_eq(code.pipelines[0].stages[0].args, "flows=16");
	cr_expect_eq(code.ports[0].rx_queues, file.ports[0].rx_queues);
	cr_expect_eq(code.ports[0].promiscuous, file.ports[0].promiscuous);
	cr_expect_str_eq(code.ports[0].profile, file.ports[0].profile);
	cr_expect_eq(code.ports[0].pipeline_idx, 0u);
	cr_expect_eq(code.burst, file.burst);
	cr_expect_eq(code.stats_interval, file.stats_interval);
	cr_expect_eq(code.graph_stats, file.graph_stats);
	cr_expect(code.auto_map);
}

Test(config, built_in_code_errors)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};

	sl_config_init(&cfg, "my-app");
	cr_assert_null(sl_config_add_pipeline(&cfg, "main", "count cuont", &err));
	cr_expect(strstr(err.msg, "my-app: [pipeline main] stages: no stage type 'cuont'. Fix: "
				  "use one of ") == err.msg,
		  "%s", err.msg);
	cr_expect_eq(cfg.nb_pipelines, 0u, "a refused pipeline is not kept");
	cr_assert_not_null(sl_config_add_pipeline(&cfg, "main", "count", &err));
	cr_assert_null(sl_config_add_pipeline(&cfg, "main", "macswap", &err));
	cr_expect(strstr(err.msg, "my-app: [pipeline main]: pipeline 'main' is defined twice") ==
		      err.msg,
		  "%s", err.msg);
	cr_assert_eq(sl_config_set_stage_args(&cfg, "main", "nope", "a=1", &err), -1);
	cr_expect(strstr(err.msg, "no stage labelled 'nope'") != NULL, "%s", err.msg);
	cr_assert_eq(sl_config_set_stage_args(&cfg, "other", "count", "a=1", &err), -1);
	cr_expect(strstr(err.msg, "[pipeline other]: no such pipeline") != NULL, "%s", err.msg);
	cr_assert_null(sl_config_add_port(&cfg, "p0", "", "main", &err));
	cr_expect(strstr(err.msg, "my-app: [port p0] dev: empty device") == err.msg, "%s", err.msg);
	cr_expect_eq(cfg.nb_ports, 0u);
	cr_assert_eq(sl_config_check(&cfg, NULL, &err), -1);
	cr_expect(strstr(err.msg, "no [port NAME] section") != NULL, "%s", err.msg);
	cr_assert_not_null(sl_config_add_port(&cfg, "p0", "net_null0", "elsewhere", &err));
	cr_assert_eq(sl_config_check(&cfg, NULL, &err), -1);
	cr_expect(strstr(err.msg, "my-app: [port p0] pipeline: no [pipeline elsewhere]") == err.msg,
		  "%s", err.msg);
}

Test(config, missing_file)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};

	cr_assert_eq(sl_config_load(&cfg, "/nonexistent/sluice.ini", NULL, &err), -1);
	cr_expect(strstr(err.msg, "/nonexistent/sluice.ini") != NULL);
	cr_expect(strstr(err.msg, "Fix") != NULL);
}

static bool only_lcore_1(unsigned int lcore)
{
	return lcore == 1;
}

Test(config, lcore_not_in_eal)
{
	struct sl_config cfg;
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp("[port p0]\ndev = x\npipeline = e\n[pipeline e]\nstages = "
				     "macswap\n[workers]\nlcores = 1,3\n");

	cr_assert_eq(sl_config_load(&cfg, path, only_lcore_1, &err), -1);
	cr_expect(strstr(err.msg, "lcore 3 is not an EAL worker lcore") != NULL, "%s", err.msg);
	unlink(path);
}

/* The pool-size formula of docs/architecture.md, with its numbers. */
Test(pool, formula)
{
	struct sl_pool_plan p = {
	    .rx_tx_desc = 2 * 1024 + 2 * 1024,
	    .lcores = 3,
	    .cache = 256,
	    .burst = 32,
	    .workers = 2,
	    .in_flight = 4608,
	    .headroom = 1024,
	};
	unsigned int raw = 4096 + 3 * (256 + 32) + 2 * 4608 + 1024;

	sl_pool_plan_compute(&p);
	cr_expect_geq(p.nb_mbufs, raw);
	cr_expect_eq((p.nb_mbufs + 1) & p.nb_mbufs, 0, "%u is not 2^k-1", p.nb_mbufs);
	cr_expect_lt(p.nb_mbufs, 2 * raw, "rounded up too far: %u for %u", p.nb_mbufs, raw);
}

Test(pool, formula_exact_power)
{
	struct sl_pool_plan p = {.rx_tx_desc = 1023};

	sl_pool_plan_compute(&p);
	cr_expect_eq(p.nb_mbufs, 1023);
	p.rx_tx_desc = 1024;
	sl_pool_plan_compute(&p);
	cr_expect_eq(p.nb_mbufs, 2047);
}
