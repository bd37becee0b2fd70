/* SPDX-License-Identifier: BSD-3-Clause */
/* The DUT's routes file as sluice-gen reads it for --expect ip4 (routes.c). */
#ifndef SLUICE_GEN_ROUTES_H
#define SLUICE_GEN_ROUTES_H

#include <stdint.h>

#include <rte_ether.h>

#include "gen.h"

#define GEN_MAX_ROUTES 256

struct gen_route {
	uint32_t prefix; /* host order */
	uint8_t len;
	uint8_t port_idx; /* the DUT's pN: our Nth port */
	struct rte_ether_addr mac;
};

/* Read o->routes (sl_routes_load: 'A.B.C.D/LEN pN MAC' per line, '#'
 * comments). 0, or -1 with err naming FILE:LINE. */
int gen_routes_load(const struct gen_opts *o, struct gen_route *routes, unsigned int *nb,
		    struct sl_error *err);

/* Longest prefix match by linear scan: a handful of routes, once per flow. */
const struct gen_route *gen_route_find(const struct gen_route *routes, unsigned int nb,
				       uint32_t dst);

#endif /* SLUICE_GEN_ROUTES_H */
