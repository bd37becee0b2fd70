/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's options and its engine's entry points (private to this app).
 *
 * One lcore sends paced bursts and polls every rx queue in the same loop, so
 * on a 2-core machine the generator takes one core and the device under test
 * the other. Every packet carries a magic, a sequence number, a flow id and
 * the TSC at send time; the receiver counts loss, duplicates, reordering,
 * bad packets and latency, and checks what the device under test should have
 * done to each packet (--expect macswap|l2fwd|ip4). main.c: parse the options
 * (args.c), start the EAL, gen_create, gen_run, gen_linger, gen_destroy.
 */
#ifndef SLUICE_GEN_GEN_H
#define SLUICE_GEN_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#include "sluice/sl_parse.h" /* struct sl_error, sl_error_set */

#define GEN_MAX_PORTS 4
#define GEN_MAX_DSTS 16
#define GEN_MAX_FLOWS 65536
#define GEN_MAX_QUEUES 16
#define GEN_NAME_MAX 64

/** Exit codes of sluice-gen (and return values of gen_run). */
enum gen_exit {
	GEN_EXIT_OK = 0,
	GEN_EXIT_USAGE = 1,
	GEN_EXIT_FAILED = 2, /**< verification failed or loss > --max-loss */
};

/** What the device under test does to our packets. */
enum gen_expect {
	GEN_EXPECT_NONE = 0,
	GEN_EXPECT_MACSWAP, /**< back on the tx port, MACs swapped */
	GEN_EXPECT_L2FWD,   /**< out of the paired port (0<->1, 2<->3), new MACs */
	GEN_EXPECT_IP4,	    /**< routed by --routes, TTL-1, valid checksum */
};

/** How --rate was given. */
enum gen_rate_kind {
	GEN_RATE_UNPACED = 0, /**< 0: as fast as the PMD takes packets */
	GEN_RATE_PPS,	      /**< packets per second */
	GEN_RATE_BPS,	      /**< bits per second on the wire (frame + 20 B preamble/IFG) */
	GEN_RATE_PCT,	      /**< percent of --line-rate, on the wire like BPS */
};

struct gen_rate {
	enum gen_rate_kind kind;
	double value; /**< pps, bit/s or percent */
};

/** How frame sizes are chosen (--size). */
enum gen_size_mode {
	GEN_SIZE_FIXED = 0, /**< --size N */
	GEN_SIZE_UNIFORM,   /**< --size A-B: uniform random in [A, B] (seeded) */
	GEN_SIZE_SWEEP,	    /**< --size A-B --size-sweep: A, A+1, ..., B, A, ... */
	GEN_SIZE_IMIX,	    /**< --size imix: 7:4:1 of 64/594/1518 */
};

/** TCP client mode (--tcp HOST:PORT). */
struct gen_tcp_opts {
	bool enabled;
	uint32_t dst_ip_be;
	uint16_t dst_port;  /**< host order; the first of dst_ports */
	uint16_t dst_ports; /**< connection i goes to dst_port + i % dst_ports */
	uint32_t local_ip_be;
	uint32_t gw_ip_be;	    /**< 0: the server is on-link */
	unsigned int conns;	    /**< connections kept open */
	unsigned int msg;	    /**< bytes per request (echoed back) */
	unsigned int depth;	    /**< requests in flight per connection */
	unsigned int msgs_per_conn; /**< close and reopen after this many (0: never) */
	bool hold;		    /**< after msgs_per_conn: stay open and idle */
};

/** One destination; flow f goes to dsts[f % nb_dsts]. */
struct gen_dst {
	uint32_t ip_be;
	uint8_t ttl;
};

struct gen_opts {
	const char *prog;
	unsigned int nb_ports;
	char ports[GEN_MAX_PORTS][GEN_NAME_MAX]; /**< ethdev names (net_memif0) */
	uint32_t tx_mask;			 /**< bit i: send on ports[i] */
	uint32_t rx_mask;			 /**< bit i: poll ports[i] */
	uint64_t count;				 /**< packets to send; 0 = no limit */
	struct gen_rate rate;			 /**< over all tx ports */
	double line_rate_bps;			 /**< --line-rate, for GEN_RATE_PCT */
	unsigned int size;			 /**< frame size including the 4-byte FCS */
	enum gen_size_mode size_mode;
	unsigned int size_min, size_max; /**< range modes; size = size_min */
	uint64_t seed;			 /**< random sizes */
	bool udp_cksum;			 /**< fill the UDP checksum per packet */
	bool tx_only;			 /**< poll no rx queue (peer just drops) */
	bool search;			 /**< RFC 2544 throughput search */
	double search_loss_pct;		 /**< highest loss a passing trial may have */
	double search_min;		 /**< lower bound, same unit as rate.value */
	double search_precision;	 /**< stop when (hi - lo) / hi below this (fraction) */
	double trial_s;			 /**< seconds per trial */
	double search_warmup_s;		 /**< uncounted sending at rate before the first trial */
	struct gen_tcp_opts tcp;
	unsigned int flows;
	unsigned int queues;
	double duration;      /**< seconds of sending; 0 = no limit */
	unsigned int wait_ms; /**< keep receiving this long after the last send */
	unsigned int burst;
	unsigned int window; /**< most packets in flight (sent, not yet back); 0 = no limit */
	unsigned int link_wait_s;
	unsigned int start_delay_ms; /**< after link up, before the first packet */
	unsigned int linger_s;	     /**< after the run, hold the ports until the peer leaves */
	bool src_mac_set, dst_mac_set;
	struct rte_ether_addr src_mac, dst_mac;
	uint32_t src_ip_be;
	uint16_t src_port, dst_port;
	unsigned int nb_dsts;
	struct gen_dst dsts[GEN_MAX_DSTS];
	enum gen_expect expect;
	int ttl_dec; /**< -1: TTL not checked */
	const char *routes;
	unsigned int nb_dut_macs; /**< MACs of the DUT's ports, in our port order */
	struct rte_ether_addr dut_macs[GEN_MAX_PORTS];
	bool expect_dst_mac_set;
	struct rte_ether_addr expect_dst_mac;
	uint64_t max_loss_pkts;
	double max_loss_pct; /**< < 0: use max_loss_pkts */
	unsigned int stats_interval;
	bool quiet;
	const char *json;
};

/** Fill the defaults (1 flow, 1 queue, 64 B, unpaced, wait 500 ms ...). */
void gen_opts_default(struct gen_opts *o);

/** What gen_parse_args found. */
enum gen_parse_result {
	GEN_PARSE_OK = 0,
	GEN_PARSE_HELP = 1,   /**< --help: print gen_usage and exit 0 */
	GEN_PARSE_ERROR = -1, /**< err holds one line: "what. Fix: how" */
};

/**
 * Parse sluice-gen's options (argv[0] is the program name, the rest are the
 * options after "--"). Table-driven (args.c): the same table prints the usage.
 */
enum gen_parse_result gen_parse_args(struct gen_opts *o, int argc, char **argv,
				     struct sl_error *err);

/** Print the options, from the option table, to `f`. */
void gen_usage(FILE *f, const char *prog);

struct gen;

/**
 * Set up ports (lib/port), pools and tables (the EAL must be initialised).
 * Waits up to link_wait_s for every port's link. 0, or -1 with err filled.
 */
int gen_create(struct gen **gen, const struct gen_opts *o, struct sl_error *err);

/**
 * Send and receive on the calling lcore until --count/--duration are done
 * (or gen_request_stop), drain for --wait-ms, print the summary and write
 * --json. @return a gen_exit code; err is filled (msg not empty) when a
 * set-up step or the --json file failed.
 */
int gen_run(struct gen *gen, struct sl_error *err);

/** Stop sending and start draining (async-signal-safe). */
void gen_request_stop(void);

/**
 * With --linger: keep the ports open, polling nothing, until every port's
 * link is down (the peer closed its side), linger_s passes, or a stop is
 * requested after this call began. A memif peer that is still polling when
 * we disconnect can be hit by DPDK's memif PMD unmapping the rings under a
 * burst in progress; lingering lets the peer stop first. No-op without it.
 */
void gen_linger(struct gen *gen);

/** Stop ports and free everything (not the EAL). NULL is fine. */
void gen_destroy(struct gen *gen);

#endif /* SLUICE_GEN_GEN_H */
