/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen TCP mode's pattern: connection `id`'s stream is a 1 MiB pseudo-random block read
 * from position (off + id * 7919) mod TCPG_PAT_LEN. Connections start at
 * different places, and the period (a prime just under 1 MiB) is longer
 * than any window, so a misplaced, duplicated or foreign segment shows.
 * Filling and checking are memcpy and memcmp (tens of bytes per cycle):
 * computing a pattern byte by byte capped the client near 5 Gbps.
 */
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "tcp.h"

#define TCPG_PAT_LEN 1048573u

static uint8_t *tcpg_pat_block;

int tcpg_pat_init(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (tcpg_pat_block != NULL)
		return 0;
	tcpg_pat_block = rte_malloc("gen_pat", TCPG_PAT_LEN, RTE_CACHE_LINE_SIZE);
	if (tcpg_pat_block == NULL)
		return -1;
	for (uint32_t i = 0; i < TCPG_PAT_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		tcpg_pat_block[i] = (uint8_t)(x >> 24);
	}
	return 0;
}

void tcpg_pat_fini(void)
{
	rte_free(tcpg_pat_block);
	tcpg_pat_block = NULL;
}

static inline uint32_t tcpg_pat_pos(uint32_t id, uint64_t off)
{
	return (uint32_t)((off + (uint64_t)id * 7919u) % TCPG_PAT_LEN);
}

/* Bytes [off, off + len) of connection id's stream into dst. */
void tcpg_pat_copy(uint32_t id, uint64_t off, uint8_t *dst, uint32_t len)
{
	uint32_t pos = tcpg_pat_pos(id, off);

	while (len > 0) {
		uint32_t k = RTE_MIN(len, TCPG_PAT_LEN - pos);

		memcpy(dst, tcpg_pat_block + pos, k);
		dst += k;
		len -= k;
		pos = 0;
	}
}

/* How many of p[0..len) differ from the stream at off; *first: the first one. */
uint32_t tcpg_pat_check(uint32_t id, uint64_t off, const uint8_t *p, uint32_t len, uint64_t *first)
{
	uint32_t pos = tcpg_pat_pos(id, off), bad = 0, done = 0;

	while (done < len) {
		uint32_t k = RTE_MIN(len - done, TCPG_PAT_LEN - pos);

		if (unlikely(memcmp(p + done, tcpg_pat_block + pos, k) != 0)) {
			for (uint32_t i = 0; i < k; i++)
				if (p[done + i] != tcpg_pat_block[pos + i] && bad++ == 0)
					*first = off + done + i;
		}
		done += k;
		pos = 0;
	}
	return bad;
}
