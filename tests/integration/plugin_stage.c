/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stage plugin for test plugin.sh: counts what passes ("seen") and sends
 * it on. Built twice: as plugin_mark.so, and with PLUGIN_STAGE_NAME
 * "macswap" as plugin_dup.so, whose name is taken by a built-in stage.
 * Built with shared_module() and not linked with libsluice: its references
 * bind to the program's copy.
 */
#include <sluice/sl_stage.h>

#ifndef PLUGIN_STAGE_NAME
#define PLUGIN_STAGE_NAME "plugin_mark"
#endif

static const char *const mark_counters[] = {"seen", NULL};

static uint16_t mark_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			     uint16_t *nexts)
{
	RTE_SET_USED(pkts);
	RTE_SET_USED(nexts);
	ctx->counters[0] += n;
	return SL_EDGE_NEXT;
}

static const struct sl_stage_ops mark_ops = {
    .name = PLUGIN_STAGE_NAME,
    .help = "a test plugin: counts packets (seen) and passes them on",
    .process = mark_process,
    .counters = mark_counters,
};

SL_STAGE_REGISTER(mark_ops);
