/* SPDX-License-Identifier: BSD-3-Clause */
/* The registry of TCP services the tcpip stage can run (sl_tcp_service.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sluice/sl_tcp_service.h"

#define SL_TCP_SERVICES_MAX 16

static const struct sl_tcp_service_ops *services[SL_TCP_SERVICES_MAX];
static unsigned int nb_services;

static int refuse(const struct sl_tcp_service_ops *ops, int why, const char *what)
{
	fprintf(stderr, "sluice: TCP service '%s' not registered: %s\n",
		ops != NULL && ops->name != NULL ? ops->name : "(null)", what);
	return why;
}

int sl_tcp_service_register(const struct sl_tcp_service_ops *ops)
{
	size_t len;

	if (ops == NULL || ops->name == NULL || ops->start == NULL)
		return refuse(ops, -EINVAL, "it needs a name and start");
	len = strlen(ops->name);
	if (len == 0 || len >= 32 ||
	    strspn(ops->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
		return refuse(ops, -EINVAL, "its name must be [a-z0-9_]+, under 32 characters");
	if (sl_tcp_service_find(ops->name) != NULL)
		return refuse(ops, -EEXIST, "the name is taken");
	if (nb_services == SL_TCP_SERVICES_MAX)
		return refuse(ops, -ENOSPC, "16 services at most");
	services[nb_services++] = ops;
	return 0;
}

const struct sl_tcp_service_ops *sl_tcp_service_find(const char *name)
{
	for (unsigned int i = 0; name != NULL && i < nb_services; i++)
		if (strcmp(services[i]->name, name) == 0)
			return services[i];
	return NULL;
}

const struct sl_tcp_service_ops *sl_tcp_service_at(unsigned int index)
{
	return index < nb_services ? services[index] : NULL;
}
