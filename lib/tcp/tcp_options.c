/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP options: MSS (RFC 9293 3.7.1), window scale (RFC 7323 2), timestamps
 * (RFC 7323 3), SACK-permitted and SACK blocks (RFC 2018).
 */
#include <string.h>

#include <rte_byteorder.h>

#include "tcp_priv.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

static void wr32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, sizeof(v));
}

int tcp_opts_parse(const uint8_t *p, unsigned int len, struct tcp_opts *o, bool lenient)
{
	unsigned int i = 0;
	int bad = lenient ? 0 : -1;

	memset(o, 0, sizeof(*o));
	while (i < len) {
		uint8_t kind = p[i];
		uint8_t olen;

		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		/* Every other option has a length byte that must fit and be >= 2. */
		if (i + 1 >= len)
			return bad;
		olen = p[i + 1];
		if (olen < 2 || i + olen > len)
			return bad;
		switch (kind) {
		case TCP_OPT_MSS:
			if (olen != 4) {
				if (!lenient)
					return -1;
				break; /* a known option of the wrong size: skipped */
			}
			o->has_mss = true;
			o->mss = (uint16_t)((p[i + 2] << 8) | p[i + 3]);
			break;
		case TCP_OPT_WS:
			if (olen != 3) {
				if (!lenient)
					return -1;
				break; /* a known option of the wrong size: skipped */
			}
			o->has_ws = true;
			/* RFC 7323 2.3: a shift over 14 is used as 14. */
			o->wscale = p[i + 2] > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : p[i + 2];
			break;
		case TCP_OPT_SACK_PERM:
			if (olen != 2) {
				if (!lenient)
					return -1;
				break; /* a known option of the wrong size: skipped */
			}
			o->has_sack_perm = true;
			break;
		case TCP_OPT_SACK:
			if (olen < 10 || (olen - 2) % 8 != 0) {
				if (!lenient)
					return -1;
				break; /* a known option of the wrong size: skipped */
			}
			for (unsigned int k = 0; k < (olen - 2u) / 8u && k < TCP_SACK_MAX_BLOCKS;
			     k++) {
				o->sack[k].start = rd32(p + i + 2 + 8 * k);
				o->sack[k].end = rd32(p + i + 6 + 8 * k);
				o->nsack = (uint8_t)(k + 1);
			}
			break;
		case TCP_OPT_TS:
			if (olen != 10) {
				if (!lenient)
					return -1;
				break; /* a known option of the wrong size: skipped */
			}
			o->has_ts = true;
			o->tsval = rd32(p + i + 2);
			o->tsecr = rd32(p + i + 6);
			break;
		default:
			break; /* unknown: skip */
		}
		i += olen;
	}
	return 0;
}

unsigned int tcp_opts_len(const struct tcp_opts_out *o)
{
	unsigned int n = 0;

	if (o->mss != 0)
		n += 4;
	if (o->wscale >= 0)
		n += 4;
	if (o->ts)
		n += TCP_TS_OPT_LEN;
	if (o->sack_perm)
		n += 4;
	if (o->nsack != 0)
		n += 4 + 8u * o->nsack;
	return n;
}

unsigned int tcp_opts_write(uint8_t *p, const struct tcp_opts_out *o)
{
	unsigned int n = 0;

	if (o->mss != 0) {
		p[n++] = TCP_OPT_MSS;
		p[n++] = 4;
		p[n++] = (uint8_t)(o->mss >> 8);
		p[n++] = (uint8_t)o->mss;
	}
	if (o->wscale >= 0) {
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_WS;
		p[n++] = 3;
		p[n++] = (uint8_t)o->wscale;
	}
	if (o->ts) {
		/* The NOP NOP TS layout of RFC 7323 appendix A: 4-byte aligned fields. */
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_TS;
		p[n++] = 10;
		wr32(p + n, o->tsval);
		wr32(p + n + 4, o->tsecr);
		n += 8;
	}
	if (o->sack_perm) {
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_SACK_PERM;
		p[n++] = 2;
	}
	if (o->nsack != 0) {
		/* NOP NOP SACK: the blocks start 4-byte aligned (RFC 2018 appendix). */
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_NOP;
		p[n++] = TCP_OPT_SACK;
		p[n++] = (uint8_t)(2 + 8 * o->nsack);
		for (unsigned int k = 0; k < o->nsack; k++) {
			wr32(p + n, o->sack[k].start);
			wr32(p + n + 4, o->sack[k].end);
			n += 8;
		}
	}
	return n;
}
