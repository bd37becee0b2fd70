/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's frame size tables: fixed, uniform (seeded), sweep, IMIX. */
#include <string.h>

#include <rte_common.h>

#include "pkt.h"
#include "sizes.h"

/* splitmix64: a seeded, portable PRNG for the uniform size table. */
static uint64_t gen_splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int gen_sizes_build(struct gen_sizes *t, enum gen_size_mode mode, unsigned int min,
		    unsigned int max, uint64_t seed)
{
	/* IMIX interleaved so that short windows already have the mix:
	 * 7 small, 4 medium, 1 large per 12 frames. */
	static const uint16_t imix[12] = {
	    GEN_IMIX_SMALL,  GEN_IMIX_MEDIUM, GEN_IMIX_SMALL,  GEN_IMIX_SMALL,
	    GEN_IMIX_MEDIUM, GEN_IMIX_SMALL,  GEN_IMIX_LARGE,  GEN_IMIX_SMALL,
	    GEN_IMIX_MEDIUM, GEN_IMIX_SMALL,  GEN_IMIX_MEDIUM, GEN_IMIX_SMALL,
	};
	double sum = 0;

	memset(t, 0, sizeof(*t));
	if (min < GEN_MIN_SIZE || max > GEN_MAX_SIZE || min > max)
		return -1;
	switch (mode) {
	case GEN_SIZE_FIXED:
		t->n = 1;
		t->size[0] = (uint16_t)min;
		break;
	case GEN_SIZE_IMIX:
		t->n = RTE_DIM(imix);
		memcpy(t->size, imix, sizeof(imix));
		break;
	case GEN_SIZE_SWEEP:
		t->n = max - min + 1;
		for (unsigned int i = 0; i < t->n; i++)
			t->size[i] = (uint16_t)(min + i);
		break;
	case GEN_SIZE_UNIFORM:
		t->n = GEN_SIZE_TABLE;
		for (unsigned int i = 0; i < t->n; i++)
			t->size[i] = (uint16_t)(min + gen_splitmix(&seed) % (max - min + 1));
		break;
	default:
		return -1;
	}
	for (unsigned int i = 0; i < t->n; i++)
		sum += t->size[i];
	t->avg = sum / t->n;
	return 0;
}
