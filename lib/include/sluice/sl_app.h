/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Application bootstrap: EAL, sluice's own arguments, config, ports, pools,
 * per-worker graphs, launch, stats, clean stop. A sluice app is:
 *
 *   struct sl_app *app;
 *   int rc = sl_app_init(&app, argc, argv);  // EAL args, then -- --config FILE ...
 *   if (rc != 0) return rc < 0;              // 1: --help or --version was printed
 *   rc = sl_app_run(app);                    // until SIGINT/SIGTERM or --duration
 *   sl_app_fini(app);
 *
 * An app that runs its own rte_eal_init() calls sl_app_create() instead, with
 * the config from a file (sl_app_opts.config_path), INI text in memory
 * (.config_text) or a struct built in code (.config, sluice/sl_config.h);
 * sl_app_destroy() then leaves the EAL up for the next app. docs/embedding.md
 * walks through all three.
 */
#ifndef SLUICE_SL_APP_H
#define SLUICE_SL_APP_H

#include <stdbool.h>
#include <stdio.h>
#include "sluice/sl_api.h"
#include "sluice/sl_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @struct sl_app
 * Opaque: one running app (config, ports, pools, workers), from sl_app_init()
 * or sl_app_create(). */
struct sl_app;

/** sluice's own options (the arguments after "--"). */
struct sl_app_opts {
	const char *prog;	 /**< names the app in errors */
	const char *config_path; /**< an INI file; with config_text, the text's name in errors */
	const char *config_text; /**< INI text (sl_config_load_text); NULL: read config_path */
	const struct sl_config *config; /**< built in code (sl_config_init); copied, then checked */
	int stats_interval;		/**< -1: from config */
	unsigned int duration;		/**< seconds; 0 = until a signal */
	const char *stats_json;		/**< write final stats as JSON here */
	bool quiet;			/**< no per-interval lines */
};

/**
 * Initialise the EAL with argv, parse sluice options after "--", load the
 * config and bring everything up to the point of launching workers.
 * On error, prints one line saying what and how to fix it, and returns <0;
 * returns 1 when --help was printed (exit 0).
 */
SL_API int sl_app_init(struct sl_app **app, int argc, char **argv);

/** Create from an already-initialised EAL and explicit options. */
SL_API int sl_app_create(struct sl_app **app, const struct sl_app_opts *opts);

/** Launch workers, print stats every interval, stop on signal/duration. */
SL_API int sl_app_run(struct sl_app *app);

/** Ask a running app to stop (async-signal-safe). */
SL_API void sl_app_request_stop(void);

/**
 * Stop the workers, close the ports, free the pipelines, graphs and pools:
 * everything sl_app_create() built. The EAL stays up, so the process may
 * create, run and destroy another app (the same config or another) as often
 * as it likes. Ports the app hot-plugged from devargs in its config are
 * removed and plugged again by the next app; ports the EAL created (--vdev,
 * -a) are closed here and cannot be used again, so an app that rebuilds
 * names its ports by devargs in the config. A pool that still has mbufs in
 * use at this point is reported (a leak) before it is freed.
 */
SL_API void sl_app_destroy(struct sl_app *app);

/** sl_app_destroy(), then rte_eal_cleanup(): the end of a sluice process. */
SL_API void sl_app_fini(struct sl_app *app);

/** Print sluice's options to `f`. */
SL_API void sl_app_usage(FILE *f, const char *prog);

/**
 * What this program is and one example command line, for --help (call
 * before sl_app_init; the strings are kept, not copied). Without it, --help
 * shows sluice-fwd's macswap example.
 */
SL_API void sl_app_describe(const char *what, const char *example);

/** The library's version: "git describe" of its build, or the release's. */
SL_API const char *sl_version(void);

/**
 * On SIGSEGV, SIGBUS, SIGFPE or SIGILL, print the signal, the fault address
 * and a backtrace to stderr, then die of the signal as before. sl_app_init()
 * installs it; an app of your own may call it after rte_eal_init().
 */
SL_API void sl_crash_report_install(void);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_APP_H */
