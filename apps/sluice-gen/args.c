/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-gen's options: one table (name, value, bounds, help) that both the
 * parser (getopt_long's option list is built from it) and the usage text are
 * made from. Every error is one line: what is wrong, then "Fix:".
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>

#include "args.h"
#include "pkt.h"

#define OFF(field) offsetof(struct gen_opts, field)
#define STR_(x) #x
#define STR(x) STR_(x)

/* clang-format off */
static const struct gen_opt gen_opts_table[] = {
    {"Ports (ethdev names as given to --vdev/-a; set up with 1..Q queues each):",
     "--ports", "A[,B...]", gen_arg_ports, 0, 0, 0, 0, NULL,
     "all ports; by default tx on the first, rx on all"},
    {NULL, "--tx-port", "A[,B]", gen_arg_ports, OFF(tx_mask), 0, 0, 0, NULL,
     "send on these (flows alternate between them)"},
    {NULL, "--rx-port", "A[,B]", gen_arg_ports, OFF(rx_mask), 0, 0, 0, NULL, "poll these"},
    {"Traffic:", "--count", "N", gen_arg_u64, OFF(count), 0, 0, UINT32_MAX,
     NULL,
     "packets to send (0: until --duration or Ctrl-C)"},
    {NULL, "--rate", "R", gen_arg_rate, OFF(rate), 0, 0, 0,
     NULL,
     "total rate over all tx ports, TSC-paced:\n"
     "PPS with k/M/G suffix (250000, 1.5M), bits/s on the\n"
     "wire (5Gbps, 800Mbps: frame + 20 B preamble/IFG),\n"
     "percent of --line-rate (50%), 0 = unpaced (default)"},
    {NULL, "--line-rate", "BPS", gen_arg_line_rate, OFF(line_rate_bps), 0, 0, 0,
     NULL,
     "line rate for percentages, 1M..1T (default 10G)"},
    {NULL, "--duration", "S", gen_arg_secs, OFF(duration), 0, 0, 0,
     NULL, "stop sending after S seconds (decimals allowed)"},
    {NULL, "--size", "N|A-B|imix", gen_arg_size, 0, 0, 0, 0,
     "give a frame size including the FCS, 64..1518, a range A-B with 64 <= A <= B <= 1518, "
     "or imix",
     "frame size INCLUDING the 4-byte FCS, 64..1518\n"
     "(64 = 60 bytes handed to the PMD); A-B: uniform\n"
     "random (--seed), or A, A+1, ..B with --size-sweep;\n"
     "imix: 7:4:1 of 64/594/1518 (IP 40/576/1500)"},
    {NULL, "--size-sweep", NULL, gen_arg_size_sweep, 0, 0, 0, 0, NULL,
     "step through the A-B range instead of random"},
    {NULL, "--seed", "N", gen_arg_u64, OFF(seed), 0, 0, UINT64_MAX, NULL,
     "seed of the random sizes (default 1)"},
    {NULL, "--udp-cksum", NULL, gen_arg_flag, OFF(udp_cksum), 0, 0, 0, NULL,
     "fill the UDP checksum (default 0 = none, as IPv4\n"
     "allows; costs a few cycles per packet)"},
    {NULL, "--tx-only", NULL, gen_arg_flag, OFF(tx_only), 0, 0, 0, NULL,
     "send only, poll no rx queue (the peer drops)"},
    {NULL, "--flows", "N", gen_arg_uint, OFF(flows), 0, 1, GEN_MAX_FLOWS,
     NULL, "1.." STR(GEN_MAX_FLOWS) "; flow f has src IP + f and UDP src port + f"},
    {NULL, "--queues", "Q", gen_arg_uint, OFF(queues), 0, 1, GEN_MAX_QUEUES,
     NULL, "tx/rx queues per port; flow f goes on tx queue f % Q"},
    {NULL, "--burst", "N", gen_arg_uint, OFF(burst), 0, 1, 256, NULL,
     "packets per tx burst (default 32)"},
    {NULL, "--window", "N", gen_arg_uint, OFF(window), 0, 0, 1u << 20, NULL,
     "closed loop: at most N packets in flight (sent,\n"
     "not back yet); whole bursts only, so --window\n"
     "equal to --burst keeps one burst in flight. A\n"
     "packet not back within --wait-ms is written off\n"
     "(default 0: no limit)"},
    {NULL, "--src-mac", "MAC", gen_arg_mac, OFF(src_mac), OFF(src_mac_set), 0, 0, NULL,
     "default: the tx port's MAC"},
    {NULL, "--dst-mac", "MAC", gen_arg_mac, OFF(dst_mac), OFF(dst_mac_set), 0, 0, NULL,
     "default 02:00:00:00:00:01"},
    {NULL, "--src-ip", "IP", gen_arg_ip, OFF(src_ip_be), 0, 0, 0, NULL,
     "first source address (default 10.0.0.1)"},
    {NULL, "--dst-ip", "IP[:TTL][,...]", gen_arg_dst_ip, 0, 0, 0, 0, NULL,
     "destinations, flow f to the (f % n)th (default\n192.168.1.1, TTL 64)"},
    {NULL, "--ttl", "T", gen_arg_ttl, 0, 0, 0, 255, NULL,
     "default TTL for --dst-ip entries without one"},
    {NULL, "--sport", "P", gen_arg_u16, OFF(src_port), 0, 0, 65535, NULL,
     "UDP source port (default 1024)"},
    {NULL, "--dport", "P", gen_arg_u16, OFF(dst_port), 0, 0, 65535, NULL,
     "UDP destination port (default 5000)"},
    {"Checks:", "--expect", "MODE", gen_arg_expect, 0, 0, 0, 0,
     "use none, macswap, l2fwd or ip4",
     "none | macswap | l2fwd | ip4 (default none)\n"
     "macswap: back on the tx port, dst = our src MAC,\n"
     "  src = the dst MAC we sent\n"
     "l2fwd: back on the paired port (0<->1, 2<->3), dst =\n"
     "  02:00:00:00:00:<that port's index>, src = --dut-mac\n"
     "ip4: port and next-hop MAC from --routes, TTL-1,\n"
     "  valid checksum; TTL<=1 and unroutable flows must\n"
     "  not come back"},
    {NULL, "--routes", "FILE", gen_arg_text, OFF(routes), 0, 0, 0, NULL,
     "the DUT's routes file; its port pN is our Nth port"},
    {NULL, "--dut-mac", "MAC[,MAC]", gen_arg_dut_mac, 0, 0, 0, 0,
     "e.g. --dut-mac 02:00:00:00:aa:00,02:00:00:00:aa:01",
     "MACs of the DUT ports wired to ours (checks src MAC)"},
    {NULL, "--expect-dst-mac", "MAC", gen_arg_mac, OFF(expect_dst_mac), OFF(expect_dst_mac_set),
     0, 0, NULL, "l2fwd: the dst MAC the DUT writes"},
    {NULL, "--expect-ttl-dec", "N", gen_arg_ttl_dec, 0, 0, 0, 255, NULL,
     "TTL must have dropped by N (ip4 default 1) and the\nIPv4 checksum must be valid"},
    {NULL, "--max-loss", "N|P%", gen_arg_max_loss, 0, 0, 0, 0,
     NULL,
     "allowed loss (default 0)"},
    {NULL, "--wait-ms", "M", gen_arg_uint, OFF(wait_ms), 0, 0, 3600000,
     NULL, "keep receiving M ms after the last send (default 500)"},
    {NULL, "--link-wait", "S", gen_arg_uint, OFF(link_wait_s), 0, 0, 3600,
     NULL, "wait S s for links to come up (default 10)"},
    {NULL, "--linger", "S", gen_arg_uint, OFF(linger_s), 0, 0, 3600, NULL,
     "after the run, keep the ports open (not polled)\n"
     "until the peer leaves, at most S s or Ctrl-C\n"
     "(default 0). memif: lets the peer stop polling\n"
     "before we disconnect (docs/sluice-gen.md)"},
    {NULL, "--start-delay-ms", "M", gen_arg_uint, OFF(start_delay_ms), 0, 0, 600000,
     NULL,
     "then wait M ms before sending (a peer such as\n"
     "testpmd flushes its rx queues when it starts)"},
    {"RFC 2544 throughput search:", "--search", NULL, gen_arg_flag, OFF(search), 0, 0, 0, NULL,
     "binary search for the highest rate with loss <=\n"
     "--search-loss, between --search-min and --rate\n"
     "(default 100% of --line-rate)"},
    {NULL, "--search-loss", "PCT", gen_arg_pct, OFF(search_loss_pct), 0, 0, 0, NULL,
     "allowed loss per trial, percent (default 0)"},
    {NULL, "--search-min", "R", gen_arg_search_min, 0, 0, 0, 0,
     "give it in the same unit as --rate, e.g. 100k, 1Gbps or 5%",
     "lower bound, same unit as --rate (default rate/100)"},
    {NULL, "--search-precision", "PCT", gen_arg_search_precision, 0, 0, 0, 0,
     "give a percentage above 0, e.g. 1", "stop when the bounds are this close (default 1)"},
    /* min in hundredths of a second: 0.01 */
    {NULL, "--trial-s", "S", gen_arg_secs, OFF(trial_s), 0, 1, 0, NULL,
     "seconds per trial (default 2)"},
    {NULL, "--search-warmup", "S", gen_arg_secs, OFF(search_warmup_s), 0, 0, 0,
     NULL,
     "before the first trial, send at --rate for S\nseconds, not counted (default 0.5; 0: none)"},
    {"TCP client mode (over the sluice TCP stack; see docs/sluice-gen.md):", "--tcp",
     "IP:PORT[-PORT]", gen_arg_tcp, 0, 0, 0, 0, "e.g. --tcp 10.0.0.2:7",
     "connect to this echo server instead of sending UDP\n"
     "(a port range spreads the connections over it)"},
    {NULL, "--local-ip", "IP", gen_arg_ip, OFF(tcp.local_ip_be), 0, 0, 0, NULL,
     "our address (default 10.0.0.1)"},
    {NULL, "--gateway", "IP", gen_arg_ip, OFF(tcp.gw_ip_be), 0, 0, 0, NULL,
     "next hop when the server is not on-link"},
    {NULL, "--conns", "N", gen_arg_uint, OFF(tcp.conns), 0, 1, 1000000,
     NULL, "connections (default 1; up to 1000000)"},
    {NULL, "--msg", "BYTES", gen_arg_uint, OFF(tcp.msg), 0, 1, 1 << 20, NULL,
     "request size (default 64)"},
    {NULL, "--depth", "N", gen_arg_uint, OFF(tcp.depth), 0, 1, 256,
     NULL, "requests in flight per connection (default 1)"},
    {NULL, "--msgs-per-conn", "N", gen_arg_uint, OFF(tcp.msgs_per_conn), 0, 0, UINT32_MAX,
     NULL,
     "reconnect after N transactions (default 0: never)"},
    {NULL, "--hold", NULL, gen_arg_flag, OFF(tcp.hold), 0, 0, 0, NULL,
     "with --msgs-per-conn: keep the connection open and\nidle instead (hold N connections)"},
    {"Output:", "--stats-interval", "S", gen_arg_uint, OFF(stats_interval), 0, 0, 3600,
     NULL, "per-interval line every S s (0: none; default 1)"},
    {NULL, "--quiet", NULL, gen_arg_flag, OFF(quiet), 0, 0, 0, NULL,
     "same as --stats-interval 0"},
    {NULL, "--json", "FILE", gen_arg_text, OFF(json), 0, 0, 0, NULL,
     "write the final counters as JSON"},
    {NULL, "--help", NULL, NULL, 0, 0, 0, 0, NULL, "this text (also -h)"},
    {NULL, "--version", NULL, NULL, 0, 0, 0, 0, NULL, "the versions of sluice-gen and DPDK"},
};
/* clang-format on */

#define GEN_NB_OPTS RTE_DIM(gen_opts_table)

/* One option's lines: "  --name VALUE" in a 26-column field, then its help. */
static void usage_opt(FILE *f, const struct gen_opt *opt)
{
	char head[64];
	const char *h = opt->help;

	snprintf(head, sizeof(head), "%s%s%s", opt->name, opt->value ? " " : "",
		 opt->value ? opt->value : "");
	fprintf(f, "  %-22s ", head);
	if (strlen(head) > 22)
		fprintf(f, "\n  %-22s ", "");
	for (;;) {
		const char *nl = strchr(h, '\n');

		fprintf(f, "%.*s\n", (int)(nl ? nl - h : (long)strlen(h)), h);
		if (nl == NULL)
			break;
		fprintf(f, "  %-22s ", "");
		h = nl + 1;
	}
}

void gen_usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [EAL options] -- --ports DEV[,DEV] [options]\n", prog);
	for (unsigned int i = 0; i < GEN_NB_OPTS; i++) {
		if (gen_opts_table[i].section != NULL)
			fprintf(f, "%s%s\n", i == 0 ? "\n" : "", gen_opts_table[i].section);
		usage_opt(f, &gen_opts_table[i]);
	}
	fprintf(f,
		"\nExit code: 0 pass, 2 verification failed or loss > --max-loss, 1 usage error.\n"
		"Example: %s -l 1 --no-pci --in-memory --file-prefix g --vdev "
		"net_memif0,role=client,socket=/tmp/m.sock -- --ports net_memif0 --count 20000 "
		"--rate 200000 --expect macswap\n",
		prog);
}

void gen_opts_default(struct gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->prog = "sluice-gen";
	o->size = GEN_MIN_SIZE;
	o->size_min = o->size_max = GEN_MIN_SIZE;
	o->seed = 1;
	o->line_rate_bps = 10e9;
	o->search_precision = 0.01;
	o->trial_s = 2;
	o->search_warmup_s = 0.5;
	o->search_min = -1;
	o->tcp.conns = 1;
	o->tcp.dst_ports = 1;
	o->tcp.msg = 64;
	o->tcp.depth = 1;
	o->tcp.local_ip_be = RTE_BE32(RTE_IPV4(10, 0, 0, 1));
	o->flows = 1;
	o->queues = 1;
	o->burst = 32;
	o->wait_ms = 500;
	o->link_wait_s = 10;
	o->stats_interval = 1;
	o->src_ip_be = RTE_BE32(RTE_IPV4(10, 0, 0, 1));
	o->src_port = 1024;
	o->dst_port = 5000;
	o->dst_mac = (struct rte_ether_addr){{0x02, 0, 0, 0, 0, 0x01}};
	o->ttl_dec = -2; /* -2: not given; resolved after parsing */
	o->max_loss_pct = -1;
}

/* getopt_long's list, from the table: option i returns i. */
static void longopts_build(struct option *lo)
{
	for (unsigned int i = 0; i < GEN_NB_OPTS; i++)
		lo[i] = (struct option){gen_opts_table[i].name + 2,
					gen_opts_table[i].value ? required_argument : no_argument,
					NULL, (int)i};
	lo[GEN_NB_OPTS] = (struct option){NULL, 0, NULL, 0};
}

/* Read every option into a; GEN_PARSE_HELP stops at --help. */
static enum gen_parse_result parse_options(struct gen_args *a, int argc, char **argv)
{
	struct option lo[GEN_NB_OPTS + 1];
	const char *prog = a->o->prog;
	int opt;

	longopts_build(lo);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		const struct gen_opt *o;

		if (opt == ':')
			return sl_error_set(a->err, "%s: needs a value. Fix: see %s --help",
					    argv[optind - 1], prog);
		if (opt == '?')
			return sl_error_set(a->err, "%s: unknown option. Fix: see %s --help",
					    argv[optind - 1], prog);
		if (opt == 'h')
			return GEN_PARSE_HELP;
		o = &gen_opts_table[opt];
		if (o->parse == NULL)
			return GEN_PARSE_HELP;
		if (o->parse(a, o, optarg) < 0)
			return GEN_PARSE_ERROR;
	}
	if (optind < argc)
		return sl_error_set(a->err, "%s: unexpected argument. Fix: see %s --help",
				    argv[optind], prog);
	return GEN_PARSE_OK;
}

enum gen_parse_result gen_parse_args(struct gen_opts *o, int argc, char **argv,
				     struct sl_error *err)
{
	struct gen_args a = {.o = o, .err = err, .ttl = 64};
	enum gen_parse_result rc = parse_options(&a, argc, argv);

	if (rc != GEN_PARSE_OK)
		return rc;
	if (gen_args_dsts(&a) < 0 || gen_args_check(&a) < 0)
		return GEN_PARSE_ERROR;
	return GEN_PARSE_OK;
}
