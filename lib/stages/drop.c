/* SPDX-License-Identifier: BSD-3-Clause */
/* drop: a sink. Ends a pipeline whose traffic should be measured, not sent. */
#include "sluice/sl_stage.h"

#define DROP_COUNTERS(X) X(DROP_DROPPED, "dropped")

enum { DROP_COUNTERS(SL_CNT_ENUM) DROP_NB_COUNTERS };
static const char *const drop_counters[] = {DROP_COUNTERS(SL_CNT_NAME) NULL};

static uint16_t drop_process(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n,
			     uint16_t *nexts)
{
	RTE_SET_USED(pkts);
	RTE_SET_USED(nexts);
	ctx->counters[DROP_DROPPED] += n;
	return SL_EDGE_DROP;
}

static const struct sl_stage_ops drop_ops = {
    .name = "drop",
    .help = "free every packet; no args",
    .process = drop_process,
    .counters = drop_counters,
};

SL_STAGE_REGISTER(drop_ops);
