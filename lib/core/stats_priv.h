/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal: stats read by the printout, the JSON file and telemetry. */
#ifndef SLUICE_CORE_STATS_PRIV_H
#define SLUICE_CORE_STATS_PRIV_H

#include <stdint.h>
#include <stdio.h>

struct sl_worker;
struct sl_app;
struct sl_stage_slot;
struct sl_stage_inst;

struct sl_worker_totals {
	uint64_t rx, tx, tx_dropped, dropped, bad_port;
	uint64_t busy_cycles, busy_loop_cycles, idle_cycles, loops, busy_loops;
};

struct sl_stage_stats {
	uint64_t calls, objs, cycles;
	const struct sl_stage_slot *slot;
	const struct sl_stage_inst *inst;
};

void sl_worker_totals(const struct sl_worker *w, struct sl_worker_totals *t);
int sl_stage_stats_get(const struct sl_worker *w, unsigned int p, unsigned int s,
		       struct sl_stage_stats *st);
void sl_stats_print_final(struct sl_app *app, FILE *f);
/* Stage-specific extra JSON fields (e.g. count's flow list): writes ", ..." or nothing. */
void sl_stats_json_stage_extra(FILE *f, const struct sl_stage_stats *st);

#endif
