/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's results: the numbers derived from the counters, the interval
 * line, the summary and the JSON file. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#include "engine.h"
#include "rate.h"
#include "sluice/sl_port.h"

static const char *const gen_verify_names[] = {
#define GEN_NAME(id, name) name,
    GEN_VERIFY(GEN_NAME)
#undef GEN_NAME
};

static const double gen_quantiles[] = {0.5, 0.9, 0.99, 0.999};
static const char *const gen_quantile_names[] = {"p50", "p90", "p99", "p999"};

uint64_t gen_lost(const struct gen *g)
{
	if (g->o.rx_mask == 0)
		return 0; /* tx only: nothing is expected back */
	return g->c.sent_back > g->c.unique ? g->c.sent_back - g->c.unique : 0;
}

static uint64_t gen_sent_bytes(const struct gen *g)
{
	/* Built minus never sent; packets staged right now count as sent (at
	 * most GEN_STAGE per queue, only in the per-second line). */
	return g->c.built_bytes - g->c.unsent_bytes;
}

/* Gbps on the wire: frame bytes plus preamble and inter-frame gap. */
static double gen_wire_gbps(uint64_t bytes, uint64_t pkts, double s)
{
	return s > 0 ? (double)(bytes + pkts * GEN_WIRE_OVERHEAD) * 8 / s / 1e9 : 0;
}

double gen_us(const struct gen *g, uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)g->hz;
}

/* " | stalled N ms (K gaps)" for an interval line, or "" when the loop ran
 * without a gap since `prev`. */
static const char *gen_stall_note(const struct gen *g, const struct gen_counts *prev, char *buf,
				  size_t len)
{
	uint64_t n = g->c.stalls - prev->stalls;

	if (n == 0)
		return "";
	snprintf(buf, len, " | stalled %.1f ms (%" PRIu64 " gaps)",
		 gen_us(g, g->c.stall_cycles - prev->stall_cycles) / 1000, n);
	return buf;
}

void gen_interval_line(struct gen *g, uint64_t now, struct gen_counts *prev, uint64_t *prev_tsc)
{
	double dt = (double)(now - *prev_tsc) / (double)g->hz;
	uint64_t dtx = g->c.sent - prev->sent, drx = g->c.received - prev->received;
	uint64_t dtxb = gen_sent_bytes(g) - (prev->built_bytes - prev->unsent_bytes);
	char stalled[64];

	printf("[%7.1f s] tx %.3f Mpps %.3f Gbps | rx %.3f Mpps %.3f Gbps | lat p50 %.1f p99 "
	       "%.1f us | sent %" PRIu64 " received %" PRIu64 " lost %" PRIu64 " bad %" PRIu64
	       " verify_failed %" PRIu64 "%s\n",
	       (double)(now - g->start_tsc) / (double)g->hz, (double)dtx / dt / 1e6,
	       gen_wire_gbps(dtxb, dtx, dt), (double)drx / dt / 1e6,
	       gen_wire_gbps(g->c.rx_bytes - prev->rx_bytes, drx, dt),
	       gen_us(g, gen_hist_quantile(g->lat_tick, 0.5)),
	       gen_us(g, gen_hist_quantile(g->lat_tick, 0.99)), g->c.sent, g->c.received,
	       gen_lost(g), g->c.bad,
	       g->c.verify[V_WRONG_PORT] + g->c.verify[V_DST_MAC] + g->c.verify[V_SRC_MAC] +
		   g->c.verify[V_TTL] + g->c.verify[V_CKSUM] + g->c.verify[V_UNEXPECTED],
	       gen_stall_note(g, prev, stalled, sizeof(stalled)));
	fflush(stdout);
	gen_hist_reset(g->lat_tick);
	*prev = g->c;
	*prev_tsc = now;
}

uint64_t gen_verify_failed(const struct gen *g)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < GEN_NB_VERIFY; i++)
		n += g->c.verify[i];
	return n;
}

double gen_loss_pct(const struct gen *g)
{
	return g->c.sent_back ? 100.0 * (double)gen_lost(g) / (double)g->c.sent_back : 0;
}

bool gen_loss_ok(const struct gen *g)
{
	if (g->o.rx_mask == 0)
		return true; /* tx only: nothing comes back by design */
	if (g->o.max_loss_pct >= 0)
		return gen_loss_pct(g) <= g->o.max_loss_pct;
	return gen_lost(g) <= g->o.max_loss_pkts;
}

double gen_send_s(const struct gen *g)
{
	return (double)(g->end_send_tsc - g->start_tsc) / (double)g->hz;
}

/* config, tx, rx and stalls lines. */
static void summary_traffic(const struct gen *g, FILE *f)
{
	const struct gen_counts *c = &g->c;
	double send_s = gen_send_s(g);
	char rate[64];

	gen_rate_format(&g->run_rate, rate, sizeof(rate));
	fprintf(f, "%-10s %s, frames %u..%u B incl. FCS (avg %.1f), %u flow(s), burst %u", "config",
		rate, g->o.size_min, g->o.size_max, g->sizes->avg, g->o.flows, g->o.burst);
	if (g->o.window != 0)
		fprintf(f, ", window %u (%" PRIu64 " written off)", g->o.window, c->written_off);
	fputc('\n', f);
	fprintf(f,
		"%-10s %" PRIu64 " pkts in %.3f s = %.3f Mpps, %.3f Gbps on the wire (frame + "
		"%u B preamble/IFG); %" PRIu64 " expected back, %" PRIu64 " expected dropped\n",
		"tx", c->sent, send_s, send_s > 0 ? (double)c->sent / send_s / 1e6 : 0,
		gen_wire_gbps(gen_sent_bytes(g), c->sent, send_s), GEN_WIRE_OVERHEAD, c->sent_back,
		c->sent_drop);
	fprintf(f, "%-10s %" PRIu64 " pkts = %.3f Mpps, %.3f Gbps%s\n", "rx", c->received,
		send_s > 0 ? (double)c->received / send_s / 1e6 : 0,
		gen_wire_gbps(c->rx_bytes, c->received, send_s),
		g->o.rx_mask ? "" : " (tx only: not polled)");
	if (c->stalls == 0)
		fprintf(f, "%-10s none (no gap over %u us in the send/receive loop)\n", "stalls",
			GEN_STALL_US);
	else
		fprintf(f,
			"%-10s %" PRIu64
			" gaps over %u us in the send/receive loop, %.1f ms in all, "
			"longest %.1f ms: this core was taken from the generator (rate and "
			"latency suffer)\n",
			"stalls", c->stalls, GEN_STALL_US, gen_us(g, c->stall_cycles) / 1000,
			gen_us(g, c->stall_max) / 1000);
}

/* sequence, latency (us and cycles) and verify lines. */
static void summary_checks(const struct gen *g, FILE *f)
{
	const struct gen_counts *c = &g->c;
	const struct gen_hist *h = g->lat;
	uint64_t avg = h->count ? h->sum / h->count : 0, min = h->count ? h->min : 0;

	fprintf(f,
		"%-10s unique %" PRIu64 "  lost %" PRIu64 " (%.4f%%)  duplicates %" PRIu64
		"  reordered %" PRIu64 "  bad %" PRIu64 "\n",
		"sequence", c->unique, gen_lost(g), gen_loss_pct(g), c->dups, c->reordered, c->bad);
	fprintf(f, "%-10s %8s %8s", "latency", "min", "avg");
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++)
		fprintf(f, " %8s", gen_quantile_names[i]);
	fprintf(f, " %8s  (%" PRIu64 " samples)\n", "max", h->count);
	fprintf(f, "%-10s %8.2f %8.2f", "  us", gen_us(g, min), gen_us(g, avg));
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++)
		fprintf(f, " %8.2f", gen_us(g, gen_hist_quantile(h, gen_quantiles[i])));
	fprintf(f, " %8.2f\n", gen_us(g, h->max));
	fprintf(f, "%-10s %8" PRIu64 " %8" PRIu64, "  cycles", min, avg);
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++)
		fprintf(f, " %8" PRIu64, gen_hist_quantile(h, gen_quantiles[i]));
	fprintf(f, " %8" PRIu64 "\n", h->max);
	fprintf(f, "verify (%s):", g->o.expect == GEN_EXPECT_NONE ? "off" : "on");
	for (unsigned int i = 0; i < GEN_NB_VERIFY; i++)
		fprintf(f, " %s=%" PRIu64, gen_verify_names[i], c->verify[i]);
	fputc('\n', f);
}

/* One line per port: our counts beside the ethdev's. */
static void summary_ports(const struct gen *g, FILE *f)
{
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		sl_port_stats_get(g->port_id[i], &es);
		fprintf(f,
			"port %-12s tx %" PRIu64 " rx(valid) %" PRIu64 " | ethdev opackets %" PRIu64
			" ipackets %" PRIu64 " imissed %" PRIu64 " oerrors %" PRIu64 "\n",
			g->o.ports[i], g->c.port_tx[i], g->c.port_rx[i], es.opackets, es.ipackets,
			es.imissed, es.oerrors);
	}
}

/* --search: one line per trial and the throughput found. */
static void summary_search(const struct gen *g, FILE *f)
{
	char rate[64];

	fprintf(f, "search (loss <= %.4f%%, %.1f s trials):\n", g->o.search_loss_pct, g->o.trial_s);
	fprintf(f, "  %5s %14s %12s %12s %12s %10s %9s %9s %9s %s\n", "trial", "rate", "target_pps",
		"tx_pps", "rx_pps", "loss_%", "p50_us", "p99_us", "stall_ms", "result");
	for (unsigned int i = 0; i < g->nb_trials; i++) {
		const struct gen_trial *t = &g->trials[i];

		fprintf(f, "  %5u %14.2f %12.0f %12.0f %12.0f %10.4f %9.2f %9.2f %9.1f %s\n", i + 1,
			t->rate_value, t->target_pps, t->tx_pps, t->rx_pps, t->loss_pct,
			gen_us(g, t->p50), gen_us(g, t->p99), t->stalled_ms,
			t->pass ? "pass" : "fail");
	}
	if (g->found_rate >= 0) {
		struct gen_rate r = {.kind = g->o.rate.kind, .value = g->found_rate};

		gen_rate_format(&r, rate, sizeof(rate));
		fprintf(f, "  throughput: %s = %.0f pps\n", rate,
			gen_rate_pps(&r, g->o.line_rate_bps, g->sizes->avg));
	} else {
		fprintf(f, "  throughput: no trial passed\n");
	}
}

void gen_summary(const struct gen *g, FILE *f, const char *verdict)
{
	fprintf(f, "\n=== sluice-gen summary ===\n");
	summary_traffic(g, f);
	summary_checks(g, f);
	summary_ports(g, f);
	if (g->o.search)
		summary_search(g, f);
	fprintf(f, "result: %s\n", verdict);
	fflush(f);
}

static void gen_json_lat(FILE *f, const struct gen *g, bool us)
{
	const struct gen_hist *h = g->lat;
	uint64_t avg = h->count ? h->sum / h->count : 0, min = h->count ? h->min : 0;

	if (us)
		fprintf(f, "{\"min\": %.3f, \"avg\": %.3f", gen_us(g, min), gen_us(g, avg));
	else
		fprintf(f, "{\"min\": %" PRIu64 ", \"avg\": %" PRIu64, min, avg);
	for (unsigned int i = 0; i < RTE_DIM(gen_quantiles); i++) {
		uint64_t v = gen_hist_quantile(h, gen_quantiles[i]);

		if (us)
			fprintf(f, ", \"%s\": %.3f", gen_quantile_names[i], gen_us(g, v));
		else
			fprintf(f, ", \"%s\": %" PRIu64, gen_quantile_names[i], v);
	}
	if (us)
		fprintf(f, ", \"max\": %.3f}", gen_us(g, h->max));
	else
		fprintf(f, ", \"max\": %" PRIu64 ", \"samples\": %" PRIu64 "}", h->max, h->count);
}

static const char *gen_rate_kind_name(enum gen_rate_kind k)
{
	switch (k) {
	case GEN_RATE_PPS:
		return "pps";
	case GEN_RATE_BPS:
		return "bps";
	case GEN_RATE_PCT:
		return "percent";
	default:
		return "unpaced";
	}
}

/* Everything up to the verify counters' object. */
static void json_head(const struct gen *g, FILE *f, const char *verdict)
{
	const struct gen_counts *c = &g->c;
	double send_s = gen_send_s(g);

	fprintf(f,
		"{\n  \"result\": \"%s\",\n  \"mode\": \"%s\",\n  \"tsc_hz\": %" PRIu64
		",\n  \"size\": %u,\n  \"size_min\": %u,\n  \"size_max\": %u,\n"
		"  \"size_avg\": %.3f,\n  \"flows\": %u,\n  \"queues\": %u,\n"
		"  \"burst\": %u,\n  \"window\": %u,\n  \"window_written_off\": %" PRIu64 ",\n"
		"  \"rate\": {\"kind\": \"%s\", \"value\": %.6g, \"target_pps\": %.1f, "
		"\"line_rate_bps\": %.0f},\n"
		"  \"send_s\": %.6f,\n  \"sent\": %" PRIu64 ",\n  \"sent_bytes\": %" PRIu64
		",\n  \"tx_pps\": %.1f,\n  \"tx_gbps_wire\": %.6f,\n  \"rx_pps\": %.1f,\n"
		"  \"rx_gbps_wire\": %.6f,\n"
		"  \"sent_expected_back\": %" PRIu64 ",\n  \"sent_expected_dropped\": %" PRIu64
		",\n  \"received\": %" PRIu64 ",\n  \"unique\": %" PRIu64 ",\n  \"lost\": %" PRIu64
		",\n  \"loss_pct\": %.6f,\n  \"duplicates\": %" PRIu64
		",\n  \"reordered\": %" PRIu64 ",\n  \"bad\": %" PRIu64
		",\n  \"verify_failed\": %" PRIu64 ",\n  \"verify\": {",
		verdict, g->o.search ? "search" : "packet", g->hz, g->o.size, g->o.size_min,
		g->o.size_max, g->sizes->avg, g->o.flows, g->o.queues, g->o.burst, g->o.window,
		c->written_off, gen_rate_kind_name(g->run_rate.kind), g->run_rate.value,
		gen_rate_pps(&g->run_rate, g->o.line_rate_bps, g->sizes->avg), g->o.line_rate_bps,
		send_s, c->sent, gen_sent_bytes(g), send_s > 0 ? (double)c->sent / send_s : 0,
		gen_wire_gbps(gen_sent_bytes(g), c->sent, send_s),
		send_s > 0 ? (double)c->received / send_s : 0,
		gen_wire_gbps(c->rx_bytes, c->received, send_s), c->sent_back, c->sent_drop,
		c->received, c->unique, gen_lost(g), gen_loss_pct(g), c->dups, c->reordered, c->bad,
		gen_verify_failed(g));
}

/* The verify counters, stalls and latency. */
static void json_checks(const struct gen *g, FILE *f)
{
	const struct gen_counts *c = &g->c;

	for (unsigned int i = 0; i < GEN_NB_VERIFY; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", gen_verify_names[i], c->verify[i]);
	fprintf(f,
		"},\n  \"stalls\": {\"count\": %" PRIu64
		", \"total_ms\": %.3f, \"max_ms\": %.3f},\n"
		"  \"latency_cycles\": ",
		c->stalls, gen_us(g, c->stall_cycles) / 1000, gen_us(g, c->stall_max) / 1000);
	gen_json_lat(f, g, false);
	fprintf(f, ",\n  \"latency_us\": ");
	gen_json_lat(f, g, true);
}

static void json_ports(const struct gen *g, FILE *f)
{
	const struct gen_counts *c = &g->c;

	fprintf(f, ",\n  \"ports\": [");
	for (unsigned int i = 0; i < g->o.nb_ports; i++) {
		struct rte_eth_stats es;

		memset(&es, 0, sizeof(es));
		sl_port_stats_get(g->port_id[i], &es);
		fprintf(f,
			"%s\n    {\"name\": \"%s\", \"port_id\": %u, \"tx\": %" PRIu64
			", \"rx\": %" PRIu64 ", \"opackets\": %" PRIu64 ", \"ipackets\": %" PRIu64
			", \"imissed\": %" PRIu64 ", \"oerrors\": %" PRIu64 "}",
			i ? "," : "", g->o.ports[i], g->port_id[i], c->port_tx[i], c->port_rx[i],
			es.opackets, es.ipackets, es.imissed, es.oerrors);
	}
	fprintf(f, "\n  ]");
}

static void json_search(const struct gen *g, FILE *f)
{
	struct gen_rate r = {.kind = g->o.rate.kind, .value = g->found_rate};

	fprintf(f,
		",\n  \"search\": {\"loss_pct_max\": %.6f, \"trial_s\": %.3f, "
		"\"found\": %s, \"rate_value\": %.6g, \"pps\": %.1f, \"trials\": [",
		g->o.search_loss_pct, g->o.trial_s, g->found_rate >= 0 ? "true" : "false",
		g->found_rate >= 0 ? g->found_rate : 0,
		g->found_rate >= 0 ? gen_rate_pps(&r, g->o.line_rate_bps, g->sizes->avg) : 0);
	for (unsigned int i = 0; i < g->nb_trials; i++) {
		const struct gen_trial *t = &g->trials[i];

		fprintf(f,
			"%s\n    {\"rate_value\": %.6g, \"target_pps\": %.1f, \"tx_pps\": "
			"%.1f, \"rx_pps\": %.1f, \"sent\": %" PRIu64 ", \"lost\": %" PRIu64
			", \"loss_pct\": %.6f, \"latency_us\": {\"p50\": %.3f, \"p99\": "
			"%.3f, \"max\": %.3f}, \"stalled_ms\": %.3f, \"pass\": %s}",
			i ? "," : "", t->rate_value, t->target_pps, t->tx_pps, t->rx_pps, t->sent,
			t->lost, t->loss_pct, gen_us(g, t->p50), gen_us(g, t->p99),
			gen_us(g, t->max), t->stalled_ms, t->pass ? "true" : "false");
	}
	fprintf(f, "\n  ]}");
}

int gen_json(const struct gen *g, const char *path, const char *verdict, struct sl_error *err)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return sl_error_set(err, "--json %s: cannot write it: %s. Fix: a writable path",
				    path, strerror(errno));
	json_head(g, f, verdict);
	json_checks(g, f);
	json_ports(g, f);
	if (g->o.search)
		json_search(g, f);
	fprintf(f, "\n}\n");
	if (fclose(f) != 0)
		return sl_error_set(err, "--json %s: cannot write it: %s. Fix: a writable path",
				    path, strerror(errno));
	return 0;
}

void gen_failed_line(const struct gen *g)
{
	if (g->o.search) {
		fprintf(stderr, "%s: FAILED: no trial passed (loss <= %.4f%%)\n", g->o.prog,
			g->o.search_loss_pct);
		return;
	}
	fprintf(stderr, "%s: FAILED:", g->o.prog);
	if (!gen_loss_ok(g))
		fprintf(stderr, " lost %" PRIu64 " of %" PRIu64 " (allowed: --max-loss);",
			gen_lost(g), g->c.sent_back);
	if (g->c.bad)
		fprintf(stderr, " %" PRIu64 " bad packets;", g->c.bad);
	if (g->c.dups)
		fprintf(stderr, " %" PRIu64 " duplicates;", g->c.dups);
	if (gen_verify_failed(g))
		fprintf(stderr, " %" PRIu64 " failed checks (see verify above);",
			gen_verify_failed(g));
	fputc('\n', stderr);
}
