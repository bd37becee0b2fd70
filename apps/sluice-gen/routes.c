/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DUT's routes file, read with the one routes grammar ip4_lpm reads it
 * with (sl_routes_load, sluice/sl_parse.h): a malformed line is an error
 * naming the file and line, never skipped (a route we skipped would make
 * every check of its flows wrong). PORT is the DUT's port name pN (or N):
 * our Nth --ports entry is wired to it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

/* "p1" or "1" -> 1 when below nb_ports; -1 otherwise. */
static int route_port(const char *tok, unsigned int nb_ports)
{
	const char *num = (tok[0] == 'p') ? tok + 1 : tok;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(num, &end, 10);
	if (num[0] == '\0' || *end != '\0' || errno != 0 || v >= nb_ports)
		return -1;
	return (int)v;
}

int gen_routes_load(const struct gen_opts *o, struct gen_route *routes, unsigned int *nb,
		    struct sl_error *err)
{
	struct sl_route *file = NULL;
	unsigned int n = 0;
	int rc = 0;

	*nb = 0;
	if (sl_routes_load(o->routes, &file, &n, err) < 0)
		return sl_error_prefix(err, "--routes ");
	if (n > GEN_MAX_ROUTES)
		rc = sl_error_set(err, "--routes %s: %u routes, more than %u. Fix: fewer routes",
				  o->routes, n, GEN_MAX_ROUTES);
	for (unsigned int i = 0; rc == 0 && i < n; i++) {
		int idx = route_port(file[i].port, o->nb_ports);

		if (idx < 0) {
			rc = sl_error_set(err,
					  "--routes %s:%u: port '%s' is not one of ours (want pN "
					  "with N < %u). Fix: name DUT ports p0..p%u wired to our "
					  "ports in --ports order",
					  o->routes, file[i].line, file[i].port, o->nb_ports,
					  o->nb_ports - 1);
			break;
		}
		routes[i] = (struct gen_route){.prefix = file[i].prefix,
					       .len = file[i].len,
					       .port_idx = (uint8_t)idx,
					       .mac = file[i].mac};
		*nb = i + 1;
	}
	free(file);
	return rc;
}

const struct gen_route *gen_route_find(const struct gen_route *routes, unsigned int nb,
				       uint32_t dst)
{
	const struct gen_route *best = NULL;

	for (unsigned int i = 0; i < nb; i++) {
		uint32_t mask = routes[i].len ? UINT32_MAX << (32 - routes[i].len) : 0;

		if ((dst & mask) == routes[i].prefix && (best == NULL || routes[i].len > best->len))
			best = &routes[i];
	}
	return best;
}
