/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's options. Every error is one line: what is wrong, then "Fix:". */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen_priv.h"
#include "sluice/sl_tcp.h"

void sl_gen_usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [EAL options] -- --ports DEV[,DEV] [options]\n"
		"\n"
		"Ports (ethdev names as given to --vdev/-a; set up with 1..Q queues each):\n"
		"  --ports A[,B...]        all ports; by default tx on the first, rx on all\n"
		"  --tx-port A[,B]         send on these (flows alternate between them)\n"
		"  --rx-port A[,B]         poll these\n"
		"Traffic:\n"
		"  --count N               packets to send (0: until --duration or Ctrl-C)\n"
		"  --rate R                total rate over all tx ports, TSC-paced:\n"
		"                          PPS with k/M/G suffix (250000, 1.5M), bits/s on the\n"
		"                          wire (5Gbps, 800Mbps: frame + 20 B preamble/IFG),\n"
		"                          percent of --line-rate (50%%), 0 = unpaced (default)\n"
		"  --line-rate BPS         line rate for percentages (default 10G)\n"
		"  --duration S            stop sending after S seconds (decimals allowed)\n"
		"  --size N|A-B|imix       frame size INCLUDING the 4-byte FCS, 64..1518\n"
		"                          (64 = 60 bytes handed to the PMD); A-B: uniform\n"
		"                          random (--seed), or A, A+1, ..B with --size-sweep;\n"
		"                          imix: 7:4:1 of 64/594/1518 (IP 40/576/1500)\n"
		"  --size-sweep            step through the A-B range instead of random\n"
		"  --seed N                seed of the random sizes (default 1)\n"
		"  --udp-cksum             fill the UDP checksum (default 0 = none, as IPv4\n"
		"                          allows; costs a few cycles per packet)\n"
		"  --tx-only               send only, poll no rx queue (the peer drops)\n"
		"  --flows N               1..%u; flow f has src IP + f and UDP src port + f\n"
		"  --queues Q              tx/rx queues per port; flow f goes on tx queue f %% Q\n"
		"  --burst N               packets per tx burst (default 32)\n"
		"  --window N              closed loop: at most N packets in flight (sent,\n"
		"                          not back yet); whole bursts only, so --window\n"
		"                          equal to --burst keeps one burst in flight. A\n"
		"                          packet not back within --wait-ms is written off\n"
		"                          (default 0: no limit)\n"
		"  --src-mac MAC           default: the tx port's MAC\n"
		"  --dst-mac MAC           default 02:00:00:00:00:01\n"
		"  --src-ip IP             first source address (default 10.0.0.1)\n"
		"  --dst-ip IP[:TTL][,...] destinations, flow f to the (f %% n)th (default\n"
		"                          192.168.1.1, TTL 64)\n"
		"  --ttl T                 default TTL for --dst-ip entries without one\n"
		"  --sport P / --dport P   UDP ports (default 1024 / 5000)\n"
		"Checks:\n"
		"  --expect MODE           none | macswap | l2fwd | ip4 (default none)\n"
		"                          macswap: back on the tx port, dst = our src MAC,\n"
		"                            src = the dst MAC we sent\n"
		"                          l2fwd: back on the paired port (0<->1, 2<->3), dst =\n"
		"                            02:00:00:00:00:<that port's index>, src = --dut-mac\n"
		"                          ip4: port and next-hop MAC from --routes, TTL-1,\n"
		"                            valid checksum; TTL<=1 and unroutable flows must\n"
		"                            not come back\n"
		"  --routes FILE           the DUT's routes file; its port pN is our Nth port\n"
		"  --dut-mac MAC[,MAC]     MACs of the DUT ports wired to ours (checks src MAC)\n"
		"  --expect-dst-mac MAC    l2fwd: the dst MAC the DUT writes\n"
		"  --expect-ttl-dec N      TTL must have dropped by N (ip4 default 1) and the\n"
		"                          IPv4 checksum must be valid\n"
		"  --max-loss N|P%%         allowed loss (default 0)\n"
		"  --wait-ms M             keep receiving M ms after the last send (default 500)\n"
		"  --link-wait S           wait S s for links to come up (default 10)\n"
		"  --linger S              after the run, keep the ports open (not polled)\n"
		"                          until the peer leaves, at most S s or Ctrl-C\n"
		"                          (default 0). memif: lets the peer stop polling\n"
		"                          before we disconnect (docs/sluice-gen.md)\n"
		"  --start-delay-ms M      then wait M ms before sending (a peer such as\n"
		"                          testpmd flushes its rx queues when it starts)\n"
		"RFC 2544 throughput search:\n"
		"  --search                binary search for the highest rate with loss <=\n"
		"                          --search-loss, between --search-min and --rate\n"
		"                          (default 100%% of --line-rate)\n"
		"  --search-loss PCT       allowed loss per trial, percent (default 0)\n"
		"  --search-min R          lower bound, same unit as --rate (default rate/100)\n"
		"  --search-precision PCT  stop when the bounds are this close (default 1)\n"
		"  --trial-s S             seconds per trial (default 2)\n"
		"  --search-warmup S       before the first trial, send at --rate for S\n"
		"                          seconds, not counted (default 0.5; 0: none)\n"
		"TCP client mode (over the sluice TCP stack; see docs/sluice-gen.md):\n"
		"  --tcp IP:PORT[-PORT]    connect to this echo server instead of sending UDP\n"
		"                          (a port range spreads the connections over it)\n"
		"  --local-ip IP           our address (default 10.0.0.1)\n"
		"  --gateway IP            next hop when the server is not on-link\n"
		"  --conns N               connections (default 1; up to 1000000)\n"
		"  --msg BYTES             request size (default 64)\n"
		"  --depth N               requests in flight per connection (default 1)\n"
		"  --msgs-per-conn N       reconnect after N transactions (default 0: never)\n"
		"  --hold                  with --msgs-per-conn: keep the connection open and\n"
		"                          idle instead (hold N connections)\n"
		"Output:\n"
		"  --stats-interval S      per-interval line every S s (0: none; default 1)\n"
		"  --quiet                 same as --stats-interval 0\n"
		"  --json FILE             write the final counters as JSON\n"
		"  --help\n"
		"\n"
		"Exit code: 0 pass, 2 verification failed or loss > --max-loss, 1 usage error.\n"
		"Example: %s -l 1 --no-pci --in-memory --file-prefix g --vdev "
		"net_memif0,role=client,socket=/tmp/m.sock -- --ports net_memif0 --count 20000 "
		"--rate 200000 --expect macswap\n",
		prog, SL_GEN_MAX_FLOWS, prog);
}

void sl_gen_opts_default(struct sl_gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->prog = "sluice-gen";
	o->size = SL_GEN_MIN_SIZE;
	o->size_min = o->size_max = SL_GEN_MIN_SIZE;
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

static int bad(const struct sl_gen_opts *o, const char *opt, const char *val, const char *what,
	       const char *fix)
{
	fprintf(stderr, "%s: %s '%s' is %s. Fix: %s\n", o->prog, opt, val, what, fix);
	return -1;
}

static int parse_u64(const struct sl_gen_opts *o, const char *opt, const char *val, uint64_t min,
		     uint64_t max, const char *fix, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (val[0] == '\0' || val[0] == '-' || *end != '\0' || errno != 0)
		return bad(o, opt, val, "not a number", fix);
	if (v < min || v > max) {
		char what[96];

		snprintf(what, sizeof(what), "out of range %llu..%llu", (unsigned long long)min,
			 (unsigned long long)max);
		return bad(o, opt, val, what, fix);
	}
	*out = v;
	return 0;
}

static int parse_uint(const struct sl_gen_opts *o, const char *opt, const char *val,
		      unsigned int min, unsigned int max, const char *fix, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(o, opt, val, min, max, fix, &v) < 0)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_mac(const struct sl_gen_opts *o, const char *opt, const char *val,
		     struct rte_ether_addr *mac)
{
	if (rte_ether_unformat_addr(val, mac) < 0)
		return bad(o, opt, val, "not a MAC address", "write XX:XX:XX:XX:XX:XX");
	return 0;
}

static int parse_ip(const struct sl_gen_opts *o, const char *opt, const char *val, uint32_t *ip)
{
	struct in_addr in;

	if (inet_pton(AF_INET, val, &in) != 1)
		return bad(o, opt, val, "not an IPv4 address", "write A.B.C.D");
	*ip = in.s_addr;
	return 0;
}

/* Split a comma list in place into at most `max` items. Returns the count. */
static int split(char *s, char **items, int max)
{
	int n = 0;

	for (char *save = NULL, *t = strtok_r(s, ",", &save); t != NULL;
	     t = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		items[n++] = t;
	}
	return n;
}

static int port_index(struct sl_gen_opts *o, const char *name, bool add)
{
	for (unsigned int i = 0; i < o->nb_ports; i++)
		if (strcmp(o->ports[i], name) == 0)
			return (int)i;
	if (!add || o->nb_ports == SL_GEN_MAX_PORTS || strlen(name) >= SL_GEN_NAME_MAX)
		return -1;
	snprintf(o->ports[o->nb_ports], SL_GEN_NAME_MAX, "%s", name);
	return (int)o->nb_ports++;
}

static int parse_ports(struct sl_gen_opts *o, const char *opt, const char *val, uint32_t *mask)
{
	char buf[512], *items[SL_GEN_MAX_PORTS];
	int n;

	snprintf(buf, sizeof(buf), "%s", val);
	n = split(buf, items, SL_GEN_MAX_PORTS);
	if (n <= 0)
		return bad(o, opt, val, "not a list of 1 to 4 port names",
			   "e.g. --ports net_memif0,net_memif1 (the --vdev names)");
	for (int i = 0; i < n; i++) {
		int idx = port_index(o, items[i], true);

		if (idx < 0)
			return bad(o, opt, val, "too many ports or a name too long",
				   "give at most 4 ports in total");
		if (mask != NULL)
			*mask |= 1u << idx;
	}
	return 0;
}

static int parse_dsts(struct sl_gen_opts *o, const char *val, unsigned int def_ttl, bool ttl_given)
{
	char buf[1024], *items[SL_GEN_MAX_DSTS];
	int n;

	snprintf(buf, sizeof(buf), "%s", val);
	n = split(buf, items, SL_GEN_MAX_DSTS);
	if (n <= 0)
		return bad(o, "--dst-ip", val, "not a list of 1 to 16 destinations",
			   "e.g. --dst-ip 10.1.0.1,10.2.0.1:1 (':TTL' optional)");
	for (int i = 0; i < n; i++) {
		char *colon = strchr(items[i], ':');
		unsigned int ttl = def_ttl;

		if (colon != NULL) {
			*colon = '\0';
			if (parse_uint(o, "--dst-ip TTL", colon + 1, 0, 255,
				       "write IP:TTL with TTL 0..255", &ttl) < 0)
				return -1;
		} else if (ttl_given) {
			ttl = def_ttl;
		}
		if (parse_ip(o, "--dst-ip", items[i], &o->dsts[i].ip_be) < 0)
			return -1;
		o->dsts[i].ttl = (uint8_t)ttl;
	}
	o->nb_dsts = (unsigned int)n;
	return 0;
}

enum {
	OPT_PORTS = 256,
	OPT_TX_PORT,
	OPT_RX_PORT,
	OPT_COUNT,
	OPT_RATE,
	OPT_DURATION,
	OPT_SIZE,
	OPT_FLOWS,
	OPT_QUEUES,
	OPT_BURST,
	OPT_WINDOW,
	OPT_SRC_MAC,
	OPT_DST_MAC,
	OPT_SRC_IP,
	OPT_DST_IP,
	OPT_TTL,
	OPT_SPORT,
	OPT_DPORT,
	OPT_EXPECT,
	OPT_ROUTES,
	OPT_DUT_MAC,
	OPT_EXPECT_DST_MAC,
	OPT_EXPECT_TTL_DEC,
	OPT_MAX_LOSS,
	OPT_WAIT_MS,
	OPT_LINK_WAIT,
	OPT_START_DELAY,
	OPT_LINGER,
	OPT_STATS_INTERVAL,
	OPT_QUIET,
	OPT_JSON,
	OPT_HELP,
	OPT_LINE_RATE,
	OPT_SIZE_SWEEP,
	OPT_SEED,
	OPT_UDP_CKSUM,
	OPT_TX_ONLY,
	OPT_SEARCH,
	OPT_SEARCH_LOSS,
	OPT_SEARCH_MIN,
	OPT_SEARCH_PREC,
	OPT_TRIAL_S,
	OPT_SEARCH_WARMUP,
	OPT_TCP,
	OPT_LOCAL_IP,
	OPT_GATEWAY,
	OPT_CONNS,
	OPT_MSG,
	OPT_DEPTH,
	OPT_MSGS_PER_CONN,
	OPT_HOLD,
};

static const struct option gen_longopts[] = {
    {"ports", required_argument, NULL, OPT_PORTS},
    {"tx-port", required_argument, NULL, OPT_TX_PORT},
    {"rx-port", required_argument, NULL, OPT_RX_PORT},
    {"count", required_argument, NULL, OPT_COUNT},
    {"rate", required_argument, NULL, OPT_RATE},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"size", required_argument, NULL, OPT_SIZE},
    {"flows", required_argument, NULL, OPT_FLOWS},
    {"queues", required_argument, NULL, OPT_QUEUES},
    {"burst", required_argument, NULL, OPT_BURST},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"src-mac", required_argument, NULL, OPT_SRC_MAC},
    {"dst-mac", required_argument, NULL, OPT_DST_MAC},
    {"src-ip", required_argument, NULL, OPT_SRC_IP},
    {"dst-ip", required_argument, NULL, OPT_DST_IP},
    {"ttl", required_argument, NULL, OPT_TTL},
    {"sport", required_argument, NULL, OPT_SPORT},
    {"dport", required_argument, NULL, OPT_DPORT},
    {"expect", required_argument, NULL, OPT_EXPECT},
    {"routes", required_argument, NULL, OPT_ROUTES},
    {"dut-mac", required_argument, NULL, OPT_DUT_MAC},
    {"expect-dst-mac", required_argument, NULL, OPT_EXPECT_DST_MAC},
    {"expect-ttl-dec", required_argument, NULL, OPT_EXPECT_TTL_DEC},
    {"max-loss", required_argument, NULL, OPT_MAX_LOSS},
    {"wait-ms", required_argument, NULL, OPT_WAIT_MS},
    {"link-wait", required_argument, NULL, OPT_LINK_WAIT},
    {"start-delay-ms", required_argument, NULL, OPT_START_DELAY},
    {"linger", required_argument, NULL, OPT_LINGER},
    {"stats-interval", required_argument, NULL, OPT_STATS_INTERVAL},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"json", required_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, OPT_HELP},
    {"line-rate", required_argument, NULL, OPT_LINE_RATE},
    {"size-sweep", no_argument, NULL, OPT_SIZE_SWEEP},
    {"seed", required_argument, NULL, OPT_SEED},
    {"udp-cksum", no_argument, NULL, OPT_UDP_CKSUM},
    {"tx-only", no_argument, NULL, OPT_TX_ONLY},
    {"search", no_argument, NULL, OPT_SEARCH},
    {"search-loss", required_argument, NULL, OPT_SEARCH_LOSS},
    {"search-min", required_argument, NULL, OPT_SEARCH_MIN},
    {"search-precision", required_argument, NULL, OPT_SEARCH_PREC},
    {"trial-s", required_argument, NULL, OPT_TRIAL_S},
    {"search-warmup", required_argument, NULL, OPT_SEARCH_WARMUP},
    {"tcp", required_argument, NULL, OPT_TCP},
    {"local-ip", required_argument, NULL, OPT_LOCAL_IP},
    {"gateway", required_argument, NULL, OPT_GATEWAY},
    {"conns", required_argument, NULL, OPT_CONNS},
    {"msg", required_argument, NULL, OPT_MSG},
    {"depth", required_argument, NULL, OPT_DEPTH},
    {"msgs-per-conn", required_argument, NULL, OPT_MSGS_PER_CONN},
    {"hold", no_argument, NULL, OPT_HOLD},
    {NULL, 0, NULL, 0},
};

static int parse_max_loss(struct sl_gen_opts *o, const char *val)
{
	size_t len = strlen(val);

	if (len > 1 && val[len - 1] == '%') {
		char buf[64], *end;
		double p;

		snprintf(buf, sizeof(buf), "%.*s", (int)(len - 1), val);
		p = strtod(buf, &end);
		if (*end != '\0' || !(p >= 0 && p <= 100))
			return bad(o, "--max-loss", val, "not a percentage 0..100",
				   "e.g. --max-loss 0.1%");
		o->max_loss_pct = p;
		return 0;
	}
	return parse_u64(o, "--max-loss", val, 0, UINT64_MAX,
			 "give a packet count or a percentage, e.g. --max-loss 10 or 0.1%",
			 &o->max_loss_pkts);
}

static int parse_secs(const struct sl_gen_opts *o, const char *opt, const char *arg, double min,
		      const char *fix, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || !(v >= min && v < 1e7))
		return bad(o, opt, arg, "not a number of seconds", fix);
	*out = v;
	return 0;
}

static int parse_pct(const struct sl_gen_opts *o, const char *opt, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (*end == '%')
		end++;
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || !(v >= 0 && v <= 100))
		return bad(o, opt, arg, "not a percentage 0..100", "e.g. 0.1");
	*out = v;
	return 0;
}

/* --size N | A-B | imix */
static int parse_size(struct sl_gen_opts *o, const char *arg)
{
	static const char fix[] = "give a frame size including the FCS, 64..1518, a range "
				  "A-B with 64 <= A <= B <= 1518, or imix";
	const char *dash = strchr(arg, '-');

	if (strcasecmp(arg, "imix") == 0) {
		o->size_mode = SL_GEN_SIZE_IMIX;
		o->size_min = SL_GEN_IMIX_SMALL;
		o->size_max = SL_GEN_IMIX_LARGE;
		o->size = o->size_min;
		return 0;
	}
	if (dash != NULL && dash != arg) {
		char lo[32];

		if ((size_t)(dash - arg) >= sizeof(lo))
			return bad(o, "--size", arg, "not a size range", fix);
		snprintf(lo, sizeof(lo), "%.*s", (int)(dash - arg), arg);
		if (parse_uint(o, "--size", lo, SL_GEN_MIN_SIZE, SL_GEN_MAX_SIZE, fix,
			       &o->size_min) < 0 ||
		    parse_uint(o, "--size", dash + 1, SL_GEN_MIN_SIZE, SL_GEN_MAX_SIZE, fix,
			       &o->size_max) < 0)
			return -1;
		if (o->size_min > o->size_max)
			return bad(o, "--size", arg, "a range whose start is above its end", fix);
		o->size_mode = o->size_min == o->size_max ? SL_GEN_SIZE_FIXED : SL_GEN_SIZE_UNIFORM;
		o->size = o->size_min;
		return 0;
	}
	if (parse_uint(o, "--size", arg, SL_GEN_MIN_SIZE, SL_GEN_MAX_SIZE, fix, &o->size) < 0)
		return -1;
	o->size_mode = SL_GEN_SIZE_FIXED;
	o->size_min = o->size_max = o->size;
	return 0;
}

/* --tcp A.B.C.D:PORT[-PORT] */
static int parse_tcp_target(struct sl_gen_opts *o, const char *arg)
{
	char host[64], ports[16];
	const char *colon = strrchr(arg, ':');
	char *dash;
	unsigned int port, last;

	if (colon == NULL || (size_t)(colon - arg) >= sizeof(host) ||
	    strlen(colon + 1) >= sizeof(ports))
		return bad(o, "--tcp", arg, "not IP:PORT", "e.g. --tcp 10.0.0.2:7");
	snprintf(host, sizeof(host), "%.*s", (int)(colon - arg), arg);
	snprintf(ports, sizeof(ports), "%s", colon + 1);
	dash = strchr(ports, '-');
	if (dash != NULL)
		*dash = '\0';
	if (parse_ip(o, "--tcp", host, &o->tcp.dst_ip_be) < 0 ||
	    parse_uint(o, "--tcp port", ports, 1, 65535, "give a TCP port 1..65535", &port) < 0)
		return -1;
	last = port;
	if (dash != NULL &&
	    parse_uint(o, "--tcp last port", dash + 1, port, 65535,
		       "give a range FIRST-LAST with FIRST <= LAST <= 65535", &last) < 0)
		return -1;
	o->tcp.dst_port = (uint16_t)port;
	o->tcp.dst_ports = (uint16_t)(last - port + 1);
	o->tcp.enabled = true;
	return 0;
}

static int parse_one(struct sl_gen_opts *o, int opt, const char *arg, const char **dst_arg,
		     unsigned int *ttl, bool *ttl_given, bool *tx_given, bool *rx_given,
		     bool *sweep, enum sl_gen_rate_kind *search_min_kind)
{
	switch (opt) {
	case OPT_PORTS:
		return parse_ports(o, "--ports", arg, NULL);
	case OPT_TX_PORT:
		*tx_given = true;
		return parse_ports(o, "--tx-port", arg, &o->tx_mask);
	case OPT_RX_PORT:
		*rx_given = true;
		return parse_ports(o, "--rx-port", arg, &o->rx_mask);
	case OPT_COUNT:
		return parse_u64(o, "--count", arg, 0, UINT32_MAX,
				 "give a packet count, e.g. --count 20000 (0: no limit)",
				 &o->count);
	case OPT_RATE:
		if (sl_gen_rate_parse(arg, &o->rate) < 0)
			return bad(o, "--rate", arg, "not a rate",
				   "give pps (1..1G, e.g. 250000 or 1.5M), wire bits/s (1kbps.."
				   "1000Gbps, e.g. 5Gbps), a percentage of --line-rate (0..100%, "
				   "e.g. 50%) or 0 for unpaced");
		return 0;
	case OPT_LINE_RATE:
		if (sl_gen_bps_parse(arg, &o->line_rate_bps) < 0)
			return bad(o, "--line-rate", arg, "not a bit rate",
				   "give bits/s 1M..10T with an optional k/M/G suffix, e.g. 10G "
				   "or 25Gbps");
		return 0;
	case OPT_DURATION:
		return parse_secs(o, "--duration", arg, 0, "e.g. --duration 2.5 (0: no limit)",
				  &o->duration);
	case OPT_TRIAL_S:
		return parse_secs(o, "--trial-s", arg, 0.01, "e.g. --trial-s 2", &o->trial_s);
	case OPT_SEARCH_WARMUP:
		return parse_secs(o, "--search-warmup", arg, 0,
				  "e.g. --search-warmup 0.5 (0: none)", &o->search_warmup_s);
	case OPT_SIZE:
		return parse_size(o, arg);
	case OPT_SIZE_SWEEP:
		*sweep = true;
		return 0;
	case OPT_SEED:
		return parse_u64(o, "--seed", arg, 0, UINT64_MAX, "give an integer", &o->seed);
	case OPT_UDP_CKSUM:
		o->udp_cksum = true;
		return 0;
	case OPT_TX_ONLY:
		o->tx_only = true;
		return 0;
	case OPT_SEARCH:
		o->search = true;
		return 0;
	case OPT_SEARCH_LOSS:
		return parse_pct(o, "--search-loss", arg, &o->search_loss_pct);
	case OPT_SEARCH_PREC: {
		double p;

		if (parse_pct(o, "--search-precision", arg, &p) < 0)
			return -1;
		if (p <= 0)
			return bad(o, "--search-precision", arg, "zero",
				   "give a percentage above 0, e.g. 1");
		o->search_precision = p / 100;
		return 0;
	}
	case OPT_SEARCH_MIN: {
		struct sl_gen_rate r;

		if (sl_gen_rate_parse(arg, &r) < 0 || r.kind == SL_GEN_RATE_UNPACED)
			return bad(o, "--search-min", arg, "not a rate above 0",
				   "give it in the same unit as --rate, e.g. 100k, 1Gbps or 5%");
		*search_min_kind = r.kind;
		o->search_min = r.value;
		return 0;
	}
	case OPT_TCP:
		return parse_tcp_target(o, arg);
	case OPT_LOCAL_IP:
		return parse_ip(o, "--local-ip", arg, &o->tcp.local_ip_be);
	case OPT_GATEWAY:
		return parse_ip(o, "--gateway", arg, &o->tcp.gw_ip_be);
	case OPT_CONNS:
		return parse_uint(o, "--conns", arg, 1, 1000000, "give 1..1000000 connections",
				  &o->tcp.conns);
	case OPT_MSG:
		return parse_uint(o, "--msg", arg, 1, 1 << 20, "give 1..1048576 bytes",
				  &o->tcp.msg);
	case OPT_DEPTH:
		return parse_uint(o, "--depth", arg, 1, 256, "give 1..256 requests in flight",
				  &o->tcp.depth);
	case OPT_MSGS_PER_CONN:
		return parse_uint(o, "--msgs-per-conn", arg, 0, UINT32_MAX,
				  "give a number of transactions (0: never reconnect)",
				  &o->tcp.msgs_per_conn);
	case OPT_HOLD:
		o->tcp.hold = true;
		return 0;
	case OPT_FLOWS:
		return parse_uint(o, "--flows", arg, 1, SL_GEN_MAX_FLOWS, "give 1..65536 flows",
				  &o->flows);
	case OPT_QUEUES:
		return parse_uint(o, "--queues", arg, 1, SL_GEN_MAX_QUEUES,
				  "give 1..16 queues per port", &o->queues);
	case OPT_BURST:
		return parse_uint(o, "--burst", arg, 1, 256, "give 1..256", &o->burst);
	case OPT_WINDOW:
		return parse_uint(o, "--window", arg, 0, 1u << 20, "give packets, e.g. 32",
				  &o->window);
	case OPT_SRC_MAC:
		o->src_mac_set = true;
		return parse_mac(o, "--src-mac", arg, &o->src_mac);
	case OPT_DST_MAC:
		o->dst_mac_set = true;
		return parse_mac(o, "--dst-mac", arg, &o->dst_mac);
	case OPT_SRC_IP:
		return parse_ip(o, "--src-ip", arg, &o->src_ip_be);
	case OPT_DST_IP:
		*dst_arg = arg;
		return 0;
	case OPT_TTL:
		*ttl_given = true;
		return parse_uint(o, "--ttl", arg, 0, 255, "give a TTL 0..255", ttl);
	case OPT_SPORT:
	case OPT_DPORT: {
		unsigned int v;

		if (parse_uint(o, opt == OPT_SPORT ? "--sport" : "--dport", arg, 0, 65535,
			       "give a UDP port 0..65535", &v) < 0)
			return -1;
		*(opt == OPT_SPORT ? &o->src_port : &o->dst_port) = (uint16_t)v;
		return 0;
	}
	case OPT_EXPECT:
		if (!strcmp(arg, "none"))
			o->expect = SL_GEN_EXPECT_NONE;
		else if (!strcmp(arg, "macswap"))
			o->expect = SL_GEN_EXPECT_MACSWAP;
		else if (!strcmp(arg, "l2fwd"))
			o->expect = SL_GEN_EXPECT_L2FWD;
		else if (!strcmp(arg, "ip4"))
			o->expect = SL_GEN_EXPECT_IP4;
		else
			return bad(o, "--expect", arg, "not a known mode",
				   "use none, macswap, l2fwd or ip4");
		return 0;
	case OPT_ROUTES:
		o->routes = arg;
		return 0;
	case OPT_DUT_MAC: {
		char buf[256], *items[SL_GEN_MAX_PORTS];
		int n;

		snprintf(buf, sizeof(buf), "%s", arg);
		n = split(buf, items, SL_GEN_MAX_PORTS);
		if (n <= 0)
			return bad(o, "--dut-mac", arg, "not a list of 1 to 4 MACs",
				   "e.g. --dut-mac 02:00:00:00:aa:00,02:00:00:00:aa:01");
		for (int i = 0; i < n; i++)
			if (parse_mac(o, "--dut-mac", items[i], &o->dut_macs[i]) < 0)
				return -1;
		o->nb_dut_macs = (unsigned int)n;
		return 0;
	}
	case OPT_EXPECT_DST_MAC:
		o->expect_dst_mac_set = true;
		return parse_mac(o, "--expect-dst-mac", arg, &o->expect_dst_mac);
	case OPT_EXPECT_TTL_DEC: {
		unsigned int v;

		if (parse_uint(o, "--expect-ttl-dec", arg, 0, 255, "give 0..255", &v) < 0)
			return -1;
		o->ttl_dec = (int)v;
		return 0;
	}
	case OPT_MAX_LOSS:
		return parse_max_loss(o, arg);
	case OPT_WAIT_MS:
		return parse_uint(o, "--wait-ms", arg, 0, 3600000, "give milliseconds, e.g. 500",
				  &o->wait_ms);
	case OPT_LINK_WAIT:
		return parse_uint(o, "--link-wait", arg, 0, 3600, "give seconds, e.g. 10",
				  &o->link_wait_s);
	case OPT_START_DELAY:
		return parse_uint(o, "--start-delay-ms", arg, 0, 600000,
				  "give milliseconds, e.g. 1000", &o->start_delay_ms);
	case OPT_LINGER:
		return parse_uint(o, "--linger", arg, 0, 3600, "give seconds, e.g. 30",
				  &o->linger_s);
	case OPT_STATS_INTERVAL:
		return parse_uint(o, "--stats-interval", arg, 0, 3600, "give seconds, e.g. 1",
				  &o->stats_interval);
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_JSON:
		o->json = arg;
		return 0;
	}
	return -1;
}

/* Cross-option checks once everything is known. */
static int gen_check(struct sl_gen_opts *o, bool tx_given, bool rx_given,
		     enum sl_gen_rate_kind search_min_kind)
{
	if (o->nb_ports == 0) {
		fprintf(stderr,
			"%s: no port. Fix: add --ports net_memif0 (the name given to "
			"--vdev)\n",
			o->prog);
		return -1;
	}
	if (!tx_given)
		o->tx_mask = 1u;
	if (!rx_given)
		o->rx_mask = (1u << o->nb_ports) - 1;
	if (o->tx_only) {
		if (rx_given || o->expect != SL_GEN_EXPECT_NONE || o->search) {
			fprintf(stderr,
				"%s: --tx-only polls no port, so nothing can be checked. Fix: drop "
				"--tx-only, or drop --rx-port/--expect/--search\n",
				o->prog);
			return -1;
		}
		o->rx_mask = 0;
	}
	if (o->window != 0 && (o->tx_only || o->tcp.enabled)) {
		fprintf(stderr,
			"%s: --window counts packets that come back, so it needs UDP traffic that "
			"is received. Fix: drop --window, or drop --tx-only/--tcp\n",
			o->prog);
		return -1;
	}
	if (o->window != 0 && o->window < o->burst) {
		fprintf(stderr,
			"%s: --window %u is smaller than one burst (%u), so nothing could be sent. "
			"Fix: --window %u or more, or a smaller --burst\n",
			o->prog, o->window, o->burst, o->burst);
		return -1;
	}
	if (o->search) {
		if (o->rate.kind == SL_GEN_RATE_UNPACED) {
			/* Up to line rate by default. */
			o->rate.kind = SL_GEN_RATE_PCT;
			o->rate.value = 100;
		}
		if (o->search_min < 0) {
			o->search_min = o->rate.value / 100;
		} else if (search_min_kind != o->rate.kind || o->search_min >= o->rate.value) {
			fprintf(stderr,
				"%s: --search-min must be below --rate and in the same unit. Fix: "
				"e.g. --rate 10M --search-min 100k, or --rate 100%% --search-min "
				"1%%\n",
				o->prog);
			return -1;
		}
	}
	if (o->tcp.hold && o->tcp.msgs_per_conn == 0) {
		fprintf(stderr,
			"%s: --hold needs --msgs-per-conn. Fix: e.g. --msgs-per-conn 1 --hold\n",
			o->prog);
		return -1;
	}
	/* One local address has SL_TCP_EPHEMERAL_COUNT source ports per server port. */
	if (o->tcp.enabled && o->tcp.conns > SL_TCP_EPHEMERAL_COUNT * o->tcp.dst_ports) {
		fprintf(stderr,
			"%s: %u connections need %u server ports (%u source ports each). Fix: "
			"--tcp IP:FIRST-LAST with at least that many ports, served by the peer\n",
			o->prog, o->tcp.conns,
			(o->tcp.conns + SL_TCP_EPHEMERAL_COUNT - 1) / SL_TCP_EPHEMERAL_COUNT,
			SL_TCP_EPHEMERAL_COUNT);
		return -1;
	}
	if (o->count == 0 && o->duration == 0 && !o->search && !o->tcp.enabled)
		fprintf(stderr, "%s: no --count or --duration: sending until Ctrl-C\n", o->prog);
	if (o->expect == SL_GEN_EXPECT_IP4 && o->routes == NULL) {
		fprintf(stderr,
			"%s: --expect ip4 needs the routes. Fix: add --routes FILE (the "
			"DUT's routes file)\n",
			o->prog);
		return -1;
	}
	if (o->expect == SL_GEN_EXPECT_L2FWD && o->nb_ports < 2) {
		fprintf(stderr,
			"%s: --expect l2fwd needs two ports. Fix: --ports A,B wired to "
			"the DUT's paired ports\n",
			o->prog);
		return -1;
	}
	if (o->ttl_dec == -2)
		o->ttl_dec = o->expect == SL_GEN_EXPECT_IP4 ? 1 : -1;
	for (unsigned int i = 0; i < o->nb_dsts; i++)
		if (o->ttl_dec > 0 && o->dsts[i].ttl > 1 && o->dsts[i].ttl < o->ttl_dec) {
			fprintf(stderr,
				"%s: --dst-ip TTL %u is below --expect-ttl-dec %d. Fix: "
				"raise the TTL\n",
				o->prog, o->dsts[i].ttl, o->ttl_dec);
			return -1;
		}
	return 0;
}

int sl_gen_parse_args(struct sl_gen_opts *o, int argc, char **argv)
{
	const char *dst_arg = NULL;
	unsigned int ttl = 64;
	bool ttl_given = false, tx_given = false, rx_given = false, sweep = false;
	enum sl_gen_rate_kind search_min_kind = SL_GEN_RATE_UNPACED;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", gen_longopts, NULL)) != -1) {
		if (opt == 'h' || opt == OPT_HELP) {
			sl_gen_usage(stdout, o->prog);
			return 1;
		}
		if (opt == ':') {
			fprintf(stderr, "%s: option %s needs a value. Fix: see %s -- --help\n",
				o->prog, argv[optind - 1], o->prog);
			return -1;
		}
		if (opt == '?') {
			fprintf(stderr, "%s: unknown option '%s'. Fix: see %s -- --help\n", o->prog,
				argv[optind - 1], o->prog);
			return -1;
		}
		if (parse_one(o, opt, optarg, &dst_arg, &ttl, &ttl_given, &tx_given, &rx_given,
			      &sweep, &search_min_kind) < 0)
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'. Fix: see %s -- --help\n", o->prog,
			argv[optind], o->prog);
		return -1;
	}
	if (dst_arg != NULL) {
		if (parse_dsts(o, dst_arg, ttl, ttl_given) < 0)
			return -1;
	} else {
		o->nb_dsts = 1;
		o->dsts[0].ip_be = RTE_BE32(RTE_IPV4(192, 168, 1, 1));
		o->dsts[0].ttl = (uint8_t)ttl;
	}
	if (sweep) {
		if (o->size_mode != SL_GEN_SIZE_UNIFORM) {
			fprintf(stderr,
				"%s: --size-sweep needs a size range. Fix: e.g. --size 64-1518 "
				"--size-sweep\n",
				o->prog);
			return -1;
		}
		o->size_mode = SL_GEN_SIZE_SWEEP;
	}
	return gen_check(o, tx_given, rx_given, search_min_kind);
}
