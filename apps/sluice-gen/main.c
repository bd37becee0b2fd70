/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen: send numbered UDP packets, check what comes back (lib/gen/). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "sluice/sl_app.h"
#include "sluice/sl_gen.h"

static void on_signal(int sig)
{
	(void)sig;
	sl_gen_request_stop();
}

int main(int argc, char **argv)
{
	struct sl_gen_opts opts;
	struct sl_gen *gen = NULL;
	int sep = argc, rc;

	sl_gen_opts_default(&opts);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	/* Our options first, before the EAL takes hugepages: usage errors are
	 * reported at once. getopt wants a program name: reuse the "--" slot. */
	if (sep < argc)
		argv[sep] = argv[0];
	rc = sl_gen_parse_args(&opts, sep < argc ? argc - sep : 1, argv + (sep < argc ? sep : 0));
	if (rc != 0)
		return rc > 0 ? SL_GEN_EXIT_OK : SL_GEN_EXIT_USAGE;
	if (rte_eal_init(sep, argv) < 0) {
		fprintf(stderr,
			"sluice-gen: EAL initialisation failed: %s. Fix: check the EAL options "
			"(sluice-gen --help), e.g. -l 1 --no-pci --in-memory --vdev ...\n",
			rte_strerror(rte_errno));
		return SL_GEN_EXIT_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	sl_crash_report_install();
	if (sl_gen_create(&gen, &opts) < 0)
		rc = SL_GEN_EXIT_USAGE;
	else {
		rc = sl_gen_run(gen);
		sl_gen_linger(gen);
	}
	sl_gen_destroy(gen);
	rte_eal_cleanup();
	return rc;
}
