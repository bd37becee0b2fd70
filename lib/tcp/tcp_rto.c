/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 6298 retransmission timer estimator. Times are microseconds; the
 * clock is whatever the caller passes (a virtual one in tests), so the
 * clock granularity G is 1 us.
 */
#include "tcp_priv.h"

static uint32_t clamp_rto(uint64_t v, const struct sl_tcp_config *cfg)
{
	if (v < cfg->rto_min_us)
		return cfg->rto_min_us;
	if (v > cfg->rto_max_us)
		return cfg->rto_max_us;
	return (uint32_t)v;
}

void tcp_rtt_init(struct tcp_rtt *r, const struct sl_tcp_config *cfg)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	/* RFC 6298 2.1: RTO = 1 s until a sample exists (here: rto_init_us). */
	r->rto_us = cfg->rto_init_us > cfg->rto_max_us ? cfg->rto_max_us : cfg->rto_init_us;
	r->backoff = 0;
	r->has_sample = false;
}

void tcp_rtt_sample(struct tcp_rtt *r, uint32_t rtt_us, const struct sl_tcp_config *cfg)
{
	if (!r->has_sample) {
		/* 2.2: first measurement R: SRTT = R, RTTVAR = R/2. */
		r->srtt_us = rtt_us;
		r->rttvar_us = rtt_us / 2;
		r->has_sample = true;
	} else {
		/* 2.3 with alpha = 1/8, beta = 1/4; RTTVAR first, from the old SRTT. */
		uint32_t err = r->srtt_us > rtt_us ? r->srtt_us - rtt_us : rtt_us - r->srtt_us;

		r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 + err / 4;
		r->srtt_us = r->srtt_us - r->srtt_us / 8 + rtt_us / 8;
	}
	/* RTO = SRTT + max(G, 4 * RTTVAR), then 2.4/2.5 bounds. */
	r->rto_us = clamp_rto(
	    (uint64_t)r->srtt_us + (r->rttvar_us == 0 ? 1 : 4 * (uint64_t)r->rttvar_us), cfg);
	/* Karn: a valid sample (never from a retransmission) ends the backoff. */
	r->backoff = 0;
}

uint32_t tcp_rtt_rto(const struct tcp_rtt *r, const struct sl_tcp_config *cfg)
{
	uint64_t v = (uint64_t)r->rto_us << (r->backoff > 31 ? 31 : r->backoff);

	return clamp_rto(v, cfg);
}

void tcp_rtt_backoff(struct tcp_rtt *r)
{
	if (r->backoff < 31)
		r->backoff++;
}
