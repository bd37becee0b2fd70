/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "sluice/sl_parse.h"
#include "sluice/sl_port.h"

static char port_names[RTE_MAX_ETHPORTS][SL_PORT_NAME_MAX];

int sl_port_name_set(uint16_t port_id, const char *name)
{
	if (port_id >= RTE_MAX_ETHPORTS || strlen(name) >= SL_PORT_NAME_MAX)
		return -EINVAL;
	strcpy(port_names[port_id], name);
	return 0;
}

const char *sl_port_name(uint16_t port_id)
{
	if (port_id >= RTE_MAX_ETHPORTS || port_names[port_id][0] == '\0')
		return NULL;
	return port_names[port_id];
}

int sl_port_lookup(const char *name_or_id)
{
	struct sl_error err;
	uint64_t id;

	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (port_names[p][0] != '\0' && strcmp(port_names[p], name_or_id) == 0)
			return p;
	/* Not a name: an ethdev port id, or nothing (the caller names the fix). */
	if (sl_parse_u64("port", name_or_id, SL_UNITS_NONE, 0, RTE_MAX_ETHPORTS - 1, &id, &err) ==
		0 &&
	    rte_eth_dev_is_valid_port((uint16_t)id))
		return (int)id;
	return -1;
}
