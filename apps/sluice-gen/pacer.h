/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's rate pacer (pacer.c). */
#ifndef SLUICE_GEN_PACER_H
#define SLUICE_GEN_PACER_H

#include <stdint.h>

/*
 * Rate pacer over virtual time: `units` (packets, or wire bytes) become due
 * at units_per_s from `start`, and the credit is recomputed from the start
 * each time (128-bit product, no accumulated rounding), so a million
 * packets later the total is exact to one unit: no drift. One division per
 * call, i.e. per burst, never per packet.
 */
struct gen_pacer {
	uint64_t start, hz, spent;
	double units_per_s;
	uint64_t per_s_int;  /* units_per_s when it is an integer (exact path) */
	uint64_t max_credit; /* after a stall, catch up at most this much */
};

void gen_pacer_init(struct gen_pacer *p, double units_per_s, uint64_t hz, uint64_t now,
		    uint64_t max_credit);
/* Units due by `now` and not spent yet. */
uint64_t gen_pacer_avail(struct gen_pacer *p, uint64_t now);
static inline void gen_pacer_spend(struct gen_pacer *p, uint64_t units)
{
	p->spent += units;
}

#endif /* SLUICE_GEN_PACER_H */
