/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 4987 section 3.6 SYN cookies. The SYN-ACK's ISN carries everything
 * needed to build the connection when the final ACK comes back, so a SYN
 * flood fills no table. What a cookie cannot carry: timestamps are decided
 * from the ACK (a peer only sends TS if both SYNs had it), SACK is never
 * offered anyway.
 */
#include <string.h>

#include "tcp_priv.h"

/* Common MSS values; a peer's MSS is rounded down to the nearest entry. */
const uint16_t tcp_cookie_mss_table[8] = {536, 1220, 1360, 1400, 1440, 1460, 4312, 8960};

#define COOKIE_MAC_BITS 20u
#define COOKIE_MAC_MASK ((1u << COOKIE_MAC_BITS) - 1)
#define WS_NONE 15u

struct cookie_input {
	struct sl_tcp_tuple t;
	uint32_t peer_isn;
	uint32_t counter;
	uint32_t params; /* MSS index and wscale: authenticated, not just carried */
};

static uint32_t cookie_mac(const uint8_t key[16], const struct sl_tcp_tuple *t, uint32_t peer_isn,
			   uint32_t counter, uint32_t params)
{
	struct cookie_input in;

	memset(&in, 0, sizeof(in));
	in.t = *t;
	in.peer_isn = peer_isn;
	in.counter = counter;
	in.params = params;
	return (uint32_t)tcp_siphash(key, &in, sizeof(in)) & COOKIE_MAC_MASK;
}

uint32_t tcp_cookie_make(const uint8_t key[16], const struct sl_tcp_tuple *t, uint32_t peer_isn,
			 uint16_t peer_mss, int peer_wscale, uint64_t now_us)
{
	uint32_t counter = (uint32_t)(now_us / TCP_COOKIE_PERIOD_US);
	uint32_t mi = 0, ws, params;

	for (uint32_t i = 0; i < RTE_DIM(tcp_cookie_mss_table); i++)
		if (tcp_cookie_mss_table[i] <= peer_mss)
			mi = i;
	ws = peer_wscale < 0 ? WS_NONE : (uint32_t)peer_wscale;
	params = (mi << 4) | ws;
	return ((counter & 0x1f) << 27) | (mi << 24) | (ws << 20) |
	       cookie_mac(key, t, peer_isn, counter, params);
}

int tcp_cookie_check(const uint8_t key[16], const struct sl_tcp_tuple *t, uint32_t peer_isn,
		     uint32_t cookie, uint64_t now_us, uint16_t *mss, int *wscale)
{
	uint32_t now_counter = (uint32_t)(now_us / TCP_COOKIE_PERIOD_US);
	uint32_t age = (now_counter - (cookie >> 27)) & 0x1f;
	uint32_t mi = (cookie >> 24) & 7, ws = (cookie >> 20) & 0xf;
	uint32_t params = (mi << 4) | ws;

	/* RFC 4987: a cookie lives for a bounded time; here 2 periods (64-128 s). */
	if (age > 1 || (ws > TCP_MAX_WSCALE && ws != WS_NONE))
		return -1;
	if (cookie_mac(key, t, peer_isn, now_counter - age, params) != (cookie & COOKIE_MAC_MASK))
		return -1;
	*mss = tcp_cookie_mss_table[mi];
	*wscale = ws == WS_NONE ? -1 : (int)ws;
	return 0;
}
