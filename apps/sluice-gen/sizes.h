/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's frame size table (sizes.c). */
#ifndef SLUICE_GEN_SIZES_H
#define SLUICE_GEN_SIZES_H

#include <stdint.h>

#include "gen.h"

/* Frame sizes: a precomputed cyclic table, so a packet's size costs one
 * load and an index wrap (no division, no PRNG call in the loop). */
#define GEN_SIZE_TABLE 4096
#define GEN_IMIX_SMALL 64
#define GEN_IMIX_MEDIUM 594 /* 576-byte IP datagram + 18 B Ethernet header and FCS */
#define GEN_IMIX_LARGE 1518
struct gen_sizes {
	uint32_t n;
	uint16_t size[GEN_SIZE_TABLE]; /* frame sizes incl. FCS */
	double avg;
};

int gen_sizes_build(struct gen_sizes *t, enum gen_size_mode mode, unsigned int min,
		    unsigned int max, uint64_t seed);

#endif /* SLUICE_GEN_SIZES_H */
