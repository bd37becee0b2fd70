/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_log.h>

#include "core/log_priv.h"

int sl_logtype;

RTE_INIT(sl_log_init)
{
	sl_logtype = rte_log_register("sluice");
	if (sl_logtype < 0)
		sl_logtype = RTE_LOGTYPE_USER1;
	else
		rte_log_set_level(sl_logtype, RTE_LOG_INFO);
}
