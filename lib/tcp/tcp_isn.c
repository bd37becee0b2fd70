/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Keyed hashing for initial sequence numbers (RFC 6528), timestamp offsets
 * and SYN cookies. SipHash-2-4 is written here from its paper because
 * rte_hash_crc is not keyed in any cryptographic sense: a peer who sees a
 * few ISNs could predict the next ones.
 */
#include <string.h>

#include "tcp_priv.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline void sip_round(uint64_t *v0, uint64_t *v1, uint64_t *v2, uint64_t *v3)
{
	*v0 += *v1;
	*v1 = ROTL(*v1, 13);
	*v1 ^= *v0;
	*v0 = ROTL(*v0, 32);
	*v2 += *v3;
	*v3 = ROTL(*v3, 16);
	*v3 ^= *v2;
	*v0 += *v3;
	*v3 = ROTL(*v3, 21);
	*v3 ^= *v0;
	*v2 += *v1;
	*v1 = ROTL(*v1, 17);
	*v1 ^= *v2;
	*v2 = ROTL(*v2, 32);
}

static inline uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t tcp_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
	uint64_t v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)len << 56;
	size_t whole = len - len % 8;
	uint8_t tail[8] = {0};

	for (size_t i = 0; i < whole; i += 8) {
		uint64_t m = le64(in + i);

		v3 ^= m;
		sip_round(&v0, &v1, &v2, &v3);
		sip_round(&v0, &v1, &v2, &v3);
		v0 ^= m;
	}
	memcpy(tail, in + whole, len % 8);
	b |= le64(tail);
	v3 ^= b;
	sip_round(&v0, &v1, &v2, &v3);
	sip_round(&v0, &v1, &v2, &v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(&v0, &v1, &v2, &v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

struct isn_input {
	struct sl_tcp_tuple t;
	uint32_t purpose; /* domain separation between ISN and TS offset */
};

uint32_t tcp_isn(const uint8_t key[16], const struct sl_tcp_tuple *t, uint64_t now_us)
{
	struct isn_input in;

	memset(&in, 0, sizeof(in));
	in.t = *t;
	in.purpose = 1;
	/* ISN = M + F(4-tuple, key); M runs at 250 kHz (RFC 6528 section 3). */
	return (uint32_t)(now_us / 4) + (uint32_t)tcp_siphash(key, &in, sizeof(in));
}

uint32_t tcp_ts_offset(const uint8_t key[16], const struct sl_tcp_tuple *t)
{
	struct isn_input in;

	memset(&in, 0, sizeof(in));
	in.t = *t;
	in.purpose = 2;
	return (uint32_t)tcp_siphash(key, &in, sizeof(in));
}
