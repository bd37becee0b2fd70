/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One process, one EAL, three apps in turn: each is created from the config,
 * runs for a second, and is destroyed (sl_app_destroy), as an embedding
 * application that rebuilds its pipelines would do. rebuild.sh checks that
 * every round forwarded and that no pool reported mbufs still in use.
 *
 *   rebuild [EAL options] -- CONFIG JSON_PREFIX
 * writes JSON_PREFIX-<round>.json, the final stats of each round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>

#include "sluice/sl_app.h"

#define ROUNDS 3

int main(int argc, char **argv)
{
	char json[4096];
	int sep = 1;

	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	if (sep + 2 >= argc) {
		fprintf(stderr, "usage: %s [EAL options] -- CONFIG JSON_PREFIX\n", argv[0]);
		return EXIT_FAILURE;
	}
	if (rte_eal_init(sep, argv) < 0) {
		fprintf(stderr, "rebuild: EAL initialisation failed\n");
		return EXIT_FAILURE;
	}
	for (int round = 1; round <= ROUNDS; round++) {
		struct sl_app_opts opts = {
		    .prog = "rebuild",
		    .config_path = argv[sep + 1],
		    .stats_interval = 0,
		    .duration = 1,
		    .stats_json = json,
		    .quiet = true,
		};
		struct sl_app *app;

		snprintf(json, sizeof(json), "%s-%d.json", argv[sep + 2], round);
		if (sl_app_create(&app, &opts) < 0 || sl_app_run(app) < 0) {
			fprintf(stderr, "rebuild: round %d failed\n", round);
			sl_app_fini(app);
			return EXIT_FAILURE;
		}
		sl_app_destroy(app);
		printf("rebuild: round %d done\n", round);
	}
	rte_eal_cleanup();
	return EXIT_SUCCESS;
}
