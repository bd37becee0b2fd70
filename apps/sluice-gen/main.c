/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen: send numbered UDP packets and check what comes back, or run
 * TCP echo clients over sluice's stack (docs/sluice-gen.md). Our options
 * come after "--", the EAL's before it. Every usage or set-up error leaves
 * as one line "sluice-gen: what. Fix: how" (struct sl_error) and exit 1.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_version.h>
#include <rte_errno.h>

#include "gen.h"
#include "sluice/sl_app.h"

static void on_signal(int sig)
{
	(void)sig;
	gen_request_stop();
}

static int fail(const struct gen_opts *o, const struct sl_error *err)
{
	fprintf(stderr, "%s: %s\n", o->prog, err->msg);
	return GEN_EXIT_USAGE;
}

/* Index of "--" in argv, or argc. */
static int find_separator(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/* --help or -h before any "--": the EAL would answer with its own usage. */
static bool wants_help(int sep, char **argv)
{
	for (int i = 1; i < sep; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/* Set up, run, linger, tear down: a gen_exit code. */
static int run(const struct gen_opts *o)
{
	struct sl_error err = {{0}};
	struct gen *gen = NULL;
	int rc;

	if (gen_create(&gen, o, &err) < 0) {
		rc = fail(o, &err);
	} else {
		rc = gen_run(gen, &err);
		if (err.msg[0] != '\0')
			fail(o, &err);
		gen_linger(gen);
	}
	gen_destroy(gen);
	return rc;
}

int main(int argc, char **argv)
{
	struct gen_opts opts;
	struct sl_error err = {{0}};
	int sep = find_separator(argc, argv), rc;

	gen_opts_default(&opts);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--version") == 0) {
			printf("sluice-gen %s (%s)\n", sl_version(), rte_version());
			return GEN_EXIT_OK;
		}
	if (wants_help(sep, argv)) {
		gen_usage(stdout, opts.prog);
		return GEN_EXIT_OK;
	}
	/* Our options first, before the EAL takes hugepages: usage errors are
	 * reported at once. getopt wants a program name: reuse the "--" slot. */
	if (sep < argc)
		argv[sep] = argv[0];
	switch (gen_parse_args(&opts, sep < argc ? argc - sep : 1, argv + (sep < argc ? sep : 0),
			       &err)) {
	case GEN_PARSE_HELP:
		gen_usage(stdout, opts.prog);
		return GEN_EXIT_OK;
	case GEN_PARSE_ERROR:
		return fail(&opts, &err);
	case GEN_PARSE_OK:
		break;
	}
	if (rte_eal_init(sep, argv) < 0) {
		sl_error_set(
		    &err,
		    "EAL initialisation failed: %s. Fix: check the EAL options (sluice-gen "
		    "--help), e.g. -l 1 --no-pci --in-memory --vdev ...",
		    rte_strerror(rte_errno));
		return fail(&opts, &err);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	sl_crash_report_install();
	rc = run(&opts);
	rte_eal_cleanup();
	return rc;
}
