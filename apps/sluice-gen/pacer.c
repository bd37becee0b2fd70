/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's rate pacer: credit recomputed from the start, no drift. */
#include <math.h>
#include <string.h>

#include "pacer.h"

void gen_pacer_init(struct gen_pacer *p, double units_per_s, uint64_t hz, uint64_t now,
		    uint64_t max_credit)
{
	memset(p, 0, sizeof(*p));
	p->start = now;
	p->hz = hz;
	p->units_per_s = units_per_s;
	if (units_per_s >= 1 && units_per_s < 1e15 && floor(units_per_s) == units_per_s)
		p->per_s_int = (uint64_t)units_per_s;
	p->max_credit = max_credit ? max_credit : UINT64_MAX;
}

uint64_t gen_pacer_avail(struct gen_pacer *p, uint64_t now)
{
	uint64_t due, avail;

	if (now <= p->start)
		return 0;
	if (p->per_s_int)
		due = (uint64_t)((unsigned __int128)(now - p->start) * p->per_s_int / p->hz);
	else
		due = (uint64_t)((long double)(now - p->start) * p->units_per_s / p->hz);
	if (due <= p->spent)
		return 0;
	avail = due - p->spent;
	if (avail > p->max_credit) {
		/* We fell behind (pool empty, PMD full): forget the backlog
		 * beyond max_credit instead of bursting it out at once. */
		p->spent = due - p->max_credit;
		avail = p->max_credit;
	}
	return avail;
}
