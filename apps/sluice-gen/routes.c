/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DUT's routes file, read the way ip4_lpm reads it: a line is blank, a
 * '#' comment, or 'A.B.C.D/LEN PORT MAC'; anything else is an error naming
 * the file and line (a route we skipped would make every check of its flows
 * wrong). PORT is the DUT's port name pN (or N): our Nth --ports entry is
 * wired to it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

#define ROUTES_LINE_MAX 512

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

/* "A.B.C.D/LEN" with no host bits set. */
static int route_prefix(char *tok, struct gen_route *r)
{
	char *slash = strchr(tok, '/'), *end;
	struct in_addr in;
	unsigned long len;

	if (slash == NULL)
		return -1;
	*slash = '\0';
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || errno != 0 || len > 32 ||
	    inet_pton(AF_INET, tok, &in) != 1)
		return -1;
	r->prefix = ntohl(in.s_addr);
	r->len = (uint8_t)len;
	if (len < 32 && (r->prefix & (UINT32_MAX >> len)) != 0)
		return -1;
	return 0;
}

/* One line into *r: 1 a route, 0 blank or comment, -1 with err filled. */
static int route_line(const struct gen_opts *o, char *text, unsigned int line, struct gen_route *r,
		      struct sl_error *err)
{
	char *save = NULL, *tok[4];
	unsigned int nb = 0;
	int idx;

	text[strcspn(text, "#")] = '\0';
	for (char *t = strtok_r(text, " \t\r\n", &save); t != NULL && nb < 4;
	     t = strtok_r(NULL, " \t\r\n", &save))
		tok[nb++] = t;
	if (nb == 0)
		return 0;
	if (nb != 3)
		return gen_error(err,
				 "--routes %s:%u: not 'PREFIX/LEN PORT NEXTHOP_MAC'. Fix: write "
				 "e.g. '10.1.0.0/16 p1 02:00:00:00:01:01'",
				 o->routes, line);
	if (route_prefix(tok[0], r) < 0)
		return gen_error(err,
				 "--routes %s:%u: bad prefix '%s'. Fix: write A.B.C.D/LEN, LEN "
				 "0..32, no host bits",
				 o->routes, line, tok[0]);
	idx = route_port(tok[1], o->nb_ports);
	if (idx < 0)
		return gen_error(err,
				 "--routes %s:%u: port '%s' is not one of ours (want pN with N < "
				 "%u). Fix: name DUT ports p0..p%u wired to our ports in --ports "
				 "order",
				 o->routes, line, tok[1], o->nb_ports, o->nb_ports - 1);
	r->port_idx = (uint8_t)idx;
	if (rte_ether_unformat_addr(tok[2], &r->mac) < 0)
		return gen_error(err, "--routes %s:%u: bad MAC '%s'. Fix: write XX:XX:XX:XX:XX:XX",
				 o->routes, line, tok[2]);
	return 1;
}

int gen_routes_load(const struct gen_opts *o, struct gen_route *routes, unsigned int *nb,
		    struct sl_error *err)
{
	char text[ROUTES_LINE_MAX];
	unsigned int line = 0;
	FILE *f = fopen(o->routes, "r");
	int rc = 0;

	*nb = 0;
	if (f == NULL)
		return gen_error(err, "--routes %s: %s. Fix: give the DUT's routes file", o->routes,
				 strerror(errno));
	while (rc >= 0 && fgets(text, sizeof(text), f) != NULL) {
		struct gen_route r;

		rc = route_line(o, text, ++line, &r, err);
		if (rc > 0 && *nb == GEN_MAX_ROUTES)
			rc =
			    gen_error(err, "--routes %s:%u: more than %u routes. Fix: fewer routes",
				      o->routes, line, GEN_MAX_ROUTES);
		else if (rc > 0)
			routes[(*nb)++] = r;
	}
	fclose(f);
	return rc < 0 ? -1 : 0;
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
