/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP options: MSS (RFC 9293 3.7.1), window scale (RFC 7323 2), timestamps
 * (RFC 7323 3). SACK is not implemented, so SACK-permitted is parsed (to be
 * skipped cleanly) but never sent.
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

int tcp_opts_parse(const uint8_t *p, unsigned int len, struct tcp_opts *o)
{
	unsigned int i = 0;

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
			return -1;
		olen = p[i + 1];
		if (olen < 2 || i + olen > len)
			return -1;
		switch (kind) {
		case TCP_OPT_MSS:
			if (olen != 4)
				return -1;
			o->has_mss = true;
			o->mss = (uint16_t)((p[i + 2] << 8) | p[i + 3]);
			break;
		case TCP_OPT_WS:
			if (olen != 3)
				return -1;
			o->has_ws = true;
			/* RFC 7323 2.3: a shift over 14 is used as 14. */
			o->wscale = p[i + 2] > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : p[i + 2];
			break;
		case TCP_OPT_SACK_PERM:
			if (olen != 2)
				return -1;
			o->has_sack_perm = true;
			break;
		case TCP_OPT_TS:
			if (olen != 10)
				return -1;
			o->has_ts = true;
			o->tsval = rd32(p + i + 2);
			o->tsecr = rd32(p + i + 6);
			break;
		default:
			break; /* unknown, or SACK blocks we do not use: skip */
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
	return n;
}
