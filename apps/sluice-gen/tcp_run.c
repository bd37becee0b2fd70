/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen TCP mode's run: set up the host (sluice/sl_tcpip.h), loop
 * until --duration or a stop, drain, report. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "engine.h"
#include "tcp.h"

/* What the host stage is asked for. No echo service on our side. We close
 * actively, so our side holds TIME_WAIT: a short MSL and a big table keep
 * reconnect loops going (a load client, not a host that must survive old
 * duplicates). */
static void tcp_host_args(const struct gen_opts *o, char *args, size_t len)
{
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN + 8] = "";

	inet_ntop(AF_INET, &o->tcp.local_ip_be, ip, sizeof(ip));
	if (o->tcp.gw_ip_be) {
		char g[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &o->tcp.gw_ip_be, g, sizeof(g));
		snprintf(gw, sizeof(gw), ",gw=%s", g);
	}
	snprintf(args, len,
		 "ip=%s/24%s,tcp_echo=0,udp_echo=0,max_conns=%u,rto_min_ms=200,msl_ms=500,"
		 "timestamps=on,mss=1460",
		 ip, gw, RTE_MAX(65536u, rte_align32pow2(o->tcp.conns + o->tcp.conns / 4)));
}

static int tcp_setup(struct tcpg *t, const struct gen_opts *o, uint16_t port_id,
		     struct rte_mempool *pool, struct sl_error *err)
{
	char args[256];
	struct sl_error host_err;

	memset(t, 0, sizeof(*t));
	t->o = o;
	t->port_id = port_id;
	t->pool = pool;
	t->hz = rte_get_tsc_hz();
	t->tsc_mult = (uint64_t)(((unsigned __int128)1000000 << 32) / t->hz);
	t->conns = rte_zmalloc("gen_tcp", o->tcp.conns * sizeof(*t->conns), RTE_CACHE_LINE_SIZE);
	t->lat = rte_zmalloc("gen_tlat", sizeof(*t->lat), RTE_CACHE_LINE_SIZE);
	t->conn_lat = rte_zmalloc("gen_clat", sizeof(*t->conn_lat), RTE_CACHE_LINE_SIZE);
	if (t->conns == NULL || t->lat == NULL || t->conn_lat == NULL || tcpg_pat_init() < 0)
		return sl_error_set(err,
				    "--conns %u: out of memory. Fix: more hugepages or fewer "
				    "--conns",
				    o->tcp.conns);
	gen_hist_reset(t->lat);
	gen_hist_reset(t->conn_lat);
	tcp_host_args(o, args, sizeof(args));
	t->host = sl_tcpip_create(args, port_id, pool, &host_err);
	if (t->host == NULL)
		return sl_error_set(err, "--local-ip/--gateway: %s", host_err.msg);
	t->stack = sl_tcpip_tcp(t->host);
	return 0;
}

static void tcp_teardown(struct tcpg *t)
{
	sl_tcpip_free(t->host);
	rte_free(t->conns);
	tcpg_pat_fini();
	rte_free(t->lat);
	rte_free(t->conn_lat);
}

/* Send what the host put out; a few retries: memif refuses only while its
 * ring is full. */
static void tcp_tx(struct tcpg *t, struct rte_mbuf **tx, uint16_t ntx)
{
	uint16_t sent = 0;

	for (int r = 0; r < 64 && sent < ntx; r++)
		sent += rte_eth_tx_burst(t->port_id, 0, tx + sent, ntx - sent);
	if (sent < ntx) {
		t->tx_drops += ntx - sent;
		rte_pktmbuf_free_bulk(tx + sent, ntx - sent);
	}
}

/* One turn: receive, run the host's timers, transmit. */
static void tcp_turn(struct tcpg *t)
{
	struct rte_mbuf *pkts[TCPG_BURST], *tx[TCPG_OUT];
	uint16_t n = rte_eth_rx_burst(t->port_id, 0, pkts, TCPG_BURST);

	if (n)
		tcp_tx(t, tx, sl_tcpip_input(t->host, pkts, n, tx, TCPG_OUT));
	tcp_tx(t, tx, sl_tcpip_poll(t->host, tx, TCPG_OUT));
}

static void tcp_interval_line(const struct tcpg *t, uint64_t now, uint64_t start)
{
	double s = (double)(now - start) / (double)t->hz;

	printf("[%7.1f s] conns %" PRIu64 " transactions %" PRIu64 " (%.0f/s avg) verified %" PRIu64
	       " B verify_errors %" PRIu64 " failed %" PRIu64 "\n",
	       s, t->established, t->transactions, (double)t->transactions / s, t->bytes_verified,
	       t->verify_errors, t->failed + t->reset);
	fflush(stdout);
}

/* Run until --duration or a stop, then close every connection after its
 * in-flight echoes. Returns the measured seconds. */
static double tcp_loop(struct tcpg *t)
{
	const struct gen_opts *o = t->o;
	uint64_t start = rte_rdtsc(), end = start, drain_until = UINT64_MAX;
	uint64_t deadline =
	    o->duration > 0 ? start + (uint64_t)(o->duration * (double)t->hz) : UINT64_MAX;
	uint64_t next_line = start + t->hz;
	struct rte_mbuf *tx[TCPG_OUT];

	/* Let the host announce itself (gratuitous ARP) before the SYNs. */
	tcp_tx(t, tx, sl_tcpip_poll(t->host, tx, TCPG_OUT));
	for (;;) {
		uint64_t now = rte_rdtsc();

		tcp_turn(t);
		if (!t->stopping && (now >= deadline || gen_stop)) {
			t->stopping = true;
			t->open_at_stop = t->open_now;
			end = now;
			/* Long enough for RTO backoff after a few drops on the
			 * wire (200 ms, 400, 800, 1.6 s, ...): an echo that is
			 * merely late must not count as failed; one that never
			 * comes back still does. When no handshake has finished
			 * in the whole run, nothing answers: one SYN timeout
			 * (1 s) is all the wait (--duration 2 against a silent
			 * target took 12.5 s). */
			drain_until = now + (t->established != 0 ? 10 : 1) * t->hz;
		}
		tcpg_slice(t);
		if (t->stopping && ((t->open_now == 0 && t->connecting == 0) || now >= drain_until))
			break;
		if (!o->quiet && o->stats_interval && now >= next_line) {
			tcp_interval_line(t, now, start);
			next_line += t->hz * o->stats_interval;
		}
	}
	return (double)(end - start) / (double)t->hz;
}

/* Connections still open after the drain: an echo never came back, or the
 * handshake never finished. A few are enough to see the pattern. */
static void tcp_report_stuck(struct tcpg *t)
{
	for (unsigned int i = 0; i < t->o->tcp.conns; i++) {
		struct tcpg_conn *tc = &t->conns[i];
		char d[512];

		if (tc->c == NULL || (!tc->inflight && tc->open))
			continue;
		if (t->failed++ >= 8)
			continue;
		sl_tcp_conn_describe(tc->c, d, sizeof(d));
		if (tc->open)
			fprintf(stderr, "%s: conn %u: %u echo(es) never came back: %s\n",
				t->o->prog, i, tc->inflight, d);
		else
			fprintf(stderr, "%s: conn %u: handshake never finished: %s\n", t->o->prog,
				i, d);
	}
}

/* What the stack saw, for the post-mortem. */
static void tcp_report_counters(const struct tcpg *t)
{
	const char *const *names = sl_tcpip_counter_names();
	const uint64_t *v = sl_tcpip_counters(t->host);

	fprintf(stderr, "%s: tcpip counters:", t->o->prog);
	for (unsigned int i = 0; names[i] != NULL; i++)
		if (v[i] != 0)
			fprintf(stderr, " %s=%" PRIu64, names[i], v[i]);
	fputc('\n', stderr);
}

static const double tcp_quantiles[] = {0.5, 0.9, 0.99, 0.999};
static const char *const tcp_quantile_names[] = {"p50", "p90", "p99", "p999"};

static double tcp_per_s(uint64_t n, double secs)
{
	return secs > 0 ? (double)n / secs : 0;
}

static void tcp_report_json(const struct tcpg *t, double secs, FILE *f, const char *verdict)
{
	const struct gen_hist *h = t->lat;
	double us = 1e6 / (double)t->hz;

	fprintf(f,
		"{\n  \"result\": \"%s\",\n  \"mode\": \"tcp\",\n  \"conns\": %u,\n  \"msg\": "
		"%u,\n  \"depth\": %u,\n  \"duration_s\": %.6f,\n  \"conns_opened\": %" PRIu64
		",\n  \"conns_established\": %" PRIu64 ",\n  \"conns_closed_ok\": %" PRIu64
		",\n  \"conns_failed\": %" PRIu64 ",\n  \"conns_reset\": %" PRIu64
		",\n  \"conns_open_peak\": %" PRIu64 ",\n  \"conns_open_at_stop\": %" PRIu64
		",\n  \"conns_per_s\": %.1f,\n  \"transactions\": %" PRIu64
		",\n  \"transactions_per_s\": %.1f,\n  \"bytes_verified\": %" PRIu64
		",\n  \"goodput_gbps\": %.6f,\n  \"verify_errors\": %" PRIu64
		",\n  \"connect_errors\": %" PRIu64 ",\n  \"errors\": %" PRIu64
		",\n  \"latency_us\": {\"min\": %.3f, \"avg\": %.3f",
		verdict, t->o->tcp.conns, t->o->tcp.msg, t->o->tcp.depth, secs, t->opened,
		t->established, t->closed_ok, t->failed, t->reset, t->open_peak, t->open_at_stop,
		tcp_per_s(t->established, secs), t->transactions, tcp_per_s(t->transactions, secs),
		t->bytes_verified, tcp_per_s(t->bytes_verified, secs) * 8 / 1e9, t->verify_errors,
		t->connect_errors, t->failed + t->reset + t->send_short + t->tx_drops,
		h->count ? (double)h->min * us : 0,
		h->count ? (double)h->sum / (double)h->count * us : 0);
	for (unsigned int i = 0; i < RTE_DIM(tcp_quantiles); i++)
		fprintf(f, ", \"%s\": %.3f", tcp_quantile_names[i],
			(double)gen_hist_quantile(h, tcp_quantiles[i]) * us);
	fprintf(f, ", \"max\": %.3f, \"samples\": %" PRIu64 "}\n}\n", (double)h->max * us,
		h->count);
}

static void tcp_report_text(const struct tcpg *t, double secs, FILE *f, const char *verdict)
{
	const struct gen_hist *h = t->lat;
	double us = 1e6 / (double)t->hz;

	fprintf(f, "\n=== sluice-gen TCP summary ===\n");
	fprintf(f,
		"connections  opened %" PRIu64 " established %" PRIu64
		" (%.1f/s) closed ok %" PRIu64 " failed %" PRIu64 " reset/refused %" PRIu64
		"; connect p50 %.1f us\n",
		t->opened, t->established, tcp_per_s(t->established, secs), t->closed_ok, t->failed,
		t->reset, (double)gen_hist_quantile(t->conn_lat, 0.5) * us);
	fprintf(f, "             open at most %" PRIu64 " at once, %" PRIu64 " when stopping\n",
		t->open_peak, t->open_at_stop);
	fprintf(f, "transactions %" PRIu64 " in %.3f s = %.1f/s, %u B each, depth %u, %u conns\n",
		t->transactions, secs, tcp_per_s(t->transactions, secs), t->o->tcp.msg,
		t->o->tcp.depth, t->o->tcp.conns);
	fprintf(f, "goodput      %" PRIu64 " bytes verified = %.3f Gbps (echoed payload)\n",
		t->bytes_verified, tcp_per_s(t->bytes_verified, secs) * 8 / 1e9);
	fprintf(f, "latency us   min %.1f avg %.1f", h->count ? (double)h->min * us : 0,
		h->count ? (double)h->sum / (double)h->count * us : 0);
	for (unsigned int i = 0; i < RTE_DIM(tcp_quantiles); i++)
		fprintf(f, " %s %.1f", tcp_quantile_names[i],
			(double)gen_hist_quantile(h, tcp_quantiles[i]) * us);
	fprintf(f, " max %.1f (%" PRIu64 " samples)\n", (double)h->max * us, h->count);
	fprintf(f, "errors       verify %" PRIu64, t->verify_errors);
	if (t->verify_errors)
		fprintf(f, " (first: conn %u offset %" PRIu64 ")", t->first_bad_conn,
			t->first_bad_off);
	fprintf(f, " send_short %" PRIu64 " tx_drops %" PRIu64, t->send_short, t->tx_drops);
	if (t->connect_errors)
		fprintf(f, " connect_refused_locally %" PRIu64 " (first: %s)", t->connect_errors,
			rte_strerror(t->first_connect_errno));
	fputc('\n', f);
	fprintf(f, "result: %s\n", verdict);
	fflush(f);
}

/* The verdict, the summary, --json and the FAILED line: a gen_exit code. */
static int tcp_result(struct tcpg *t, double secs, struct sl_error *err)
{
	bool pass = t->verify_errors == 0 && t->transactions > 0 && t->failed == 0 &&
		    t->reset == 0 && t->send_short == 0;
	const char *verdict = pass ? "pass" : "fail";
	FILE *f;

	tcp_report_text(t, secs, stdout, verdict);
	if (!pass)
		fprintf(stderr,
			"%s: FAILED: %" PRIu64 " verify errors, %" PRIu64 " failed and %" PRIu64
			" reset connections, %" PRIu64 " transactions\n",
			t->o->prog, t->verify_errors, t->failed, t->reset, t->transactions);
	if (t->o->json == NULL)
		return pass ? GEN_EXIT_OK : GEN_EXIT_FAILED;
	f = fopen(t->o->json, "w");
	if (f == NULL) {
		sl_error_set(err, "--json %s: cannot write it: %s. Fix: a writable path",
			     t->o->json, strerror(errno));
		return GEN_EXIT_FAILED;
	}
	tcp_report_json(t, secs, f, verdict);
	fclose(f);
	return pass ? GEN_EXIT_OK : GEN_EXIT_FAILED;
}

int gen_tcp_run(const struct gen_opts *o, uint16_t port_id, struct rte_mempool *pool,
		struct sl_error *err)
{
	struct tcpg t;
	double secs;
	int rc = GEN_EXIT_USAGE;

	if (tcp_setup(&t, o, port_id, pool, err) == 0) {
		char ip[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &o->tcp.local_ip_be, ip, sizeof(ip));
		inet_ntop(AF_INET, &o->tcp.dst_ip_be, dst, sizeof(dst));
		printf("tcp: %s -> %s:%u, %u conns, %u B messages, depth %u, %.1f s\n", ip, dst,
		       o->tcp.dst_port, o->tcp.conns, o->tcp.msg, o->tcp.depth, o->duration);
		fflush(stdout);
		secs = tcp_loop(&t);
		tcp_report_stuck(&t);
		if (t.failed + t.reset > 0)
			tcp_report_counters(&t);
		rc = tcp_result(&t, secs, err);
	}
	tcp_teardown(&t);
	return rc;
}
