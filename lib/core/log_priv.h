/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice's log type and SL_LOG, for every lib/ module. Not installed. */
#ifndef SLUICE_CORE_LOG_PRIV_H
#define SLUICE_CORE_LOG_PRIV_H

#include <rte_log.h>

extern int sl_logtype;
#define SL_LOG(level, fmt, ...)                                                                    \
	rte_log(RTE_LOG_##level, sl_logtype, "sluice: " fmt "\n", ##__VA_ARGS__)

#endif /* SLUICE_CORE_LOG_PRIV_H */
