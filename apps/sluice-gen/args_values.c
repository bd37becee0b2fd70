/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One parser per kind of option value. Each fills the field the option table
 * names (struct gen_opt .off) with lib/core's shared parsers
 * (sluice/sl_parse.h), so a value is spelled as in the config and stage args
 * and a bad one gives the same line: "--OPTION: 'VALUE' is not WHAT. Fix: HOW".
 * Only the generator's compound values (port lists, N|A-B|imix, IP:PORT-PORT,
 * IP:TTL lists, N|P%) are split here, each part read by a shared parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "args.h"
#include "pkt.h"
#include "rate.h"
#include "sizes.h"

#define FIELD(a, opt, type) ((type *)((char *)(a)->o + (opt)->off))

int gen_arg_bad(struct gen_args *a, const char *name, const char *val, const char *what,
		const char *fix)
{
	return sl_error_set(a->err, "%s: '%s' is %s. Fix: %s", name, val, what, fix);
}

static int parse_uint(struct gen_args *a, const char *name, const char *val, unsigned int min,
		      unsigned int max, unsigned int *out)
{
	uint32_t v = 0;

	if (sl_parse_u32(name, val, SL_UNITS_NONE, min, max, &v, a->err) < 0)
		return -1;
	*out = v;
	return 0;
}

/* Split a comma list in place into at most `max` items. Returns the count,
 * or -1 when there are more. */
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

static void mark_given(struct gen_args *a, const struct gen_opt *opt)
{
	if (opt->given_off != 0)
		*(bool *)((char *)a->o + opt->given_off) = true;
}

int gen_arg_flag(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	(void)val;
	*FIELD(a, opt, bool) = true;
	return 0;
}

/* Counts may carry k/M/G: --count 1M. */
int gen_arg_u64(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return sl_parse_u64(opt->name, val, SL_UNITS_SI, opt->min, opt->max,
			    FIELD(a, opt, uint64_t), a->err);
}

int gen_arg_uint(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return parse_uint(a, opt->name, val, (unsigned int)opt->min, (unsigned int)opt->max,
			  FIELD(a, opt, unsigned int));
}

int gen_arg_u16(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	unsigned int v = 0;

	if (parse_uint(a, opt->name, val, (unsigned int)opt->min, (unsigned int)opt->max, &v) < 0)
		return -1;
	*FIELD(a, opt, uint16_t) = (uint16_t)v;
	return 0;
}

/* A duration (seconds when no unit, or 250ms, 2m ...) in [min, 1e7) s;
 * min is opt->min hundredths of a second. */
int gen_arg_secs(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return sl_parse_duration(opt->name, val, (double)opt->min / 100, 1e7 - 1,
				 FIELD(a, opt, double), a->err);
}

int gen_arg_pct(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return sl_parse_pct(opt->name, val, FIELD(a, opt, double), a->err);
}

int gen_arg_ip(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return sl_parse_ip4(opt->name, val, FIELD(a, opt, uint32_t), a->err);
}

int gen_arg_mac(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	mark_given(a, opt);
	return sl_parse_mac(opt->name, val, FIELD(a, opt, struct rte_ether_addr), a->err);
}

int gen_arg_text(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	*FIELD(a, opt, const char *) = val;
	return 0;
}

static int port_index(struct gen_opts *o, const char *name)
{
	for (unsigned int i = 0; i < o->nb_ports; i++)
		if (strcmp(o->ports[i], name) == 0)
			return (int)i;
	if (o->nb_ports == GEN_MAX_PORTS || strlen(name) >= GEN_NAME_MAX)
		return -1;
	snprintf(o->ports[o->nb_ports], GEN_NAME_MAX, "%s", name);
	return (int)o->nb_ports++;
}

/* --ports, --tx-port, --rx-port: names added to the port list; the last two
 * also set their mask (off: the uint32_t mask, or 0 for --ports). */
int gen_arg_ports(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	char buf[512], *items[GEN_MAX_PORTS];
	int n;

	snprintf(buf, sizeof(buf), "%s", val);
	n = split(buf, items, GEN_MAX_PORTS);
	if (n <= 0)
		return gen_arg_bad(a, opt->name, val, "not a list of 1 to 4 port names",
				   "e.g. --ports net_memif0,net_memif1 (the --vdev names)");
	for (int i = 0; i < n; i++) {
		int idx = port_index(a->o, items[i]);

		if (idx < 0)
			return gen_arg_bad(a, opt->name, val, "too many ports or a name too long",
					   "give at most 4 ports in total");
		if (opt->off != 0)
			*FIELD(a, opt, uint32_t) |= 1u << idx;
	}
	return 0;
}

int gen_arg_rate(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return gen_rate_parse(opt->name, val, FIELD(a, opt, struct gen_rate), a->err);
}

int gen_arg_line_rate(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	return gen_bps_parse(opt->name, val, FIELD(a, opt, double), a->err);
}

static void size_set(struct gen_opts *o, enum gen_size_mode mode, unsigned int min,
		     unsigned int max)
{
	o->size_mode = mode;
	o->size_min = min;
	o->size_max = max;
	o->size = min;
}

/* --size N | A-B | imix */
int gen_arg_size(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	const char *dash = strchr(val, '-');
	unsigned int lo, hi;
	char buf[32];

	if (strcasecmp(val, "imix") == 0) {
		size_set(a->o, GEN_SIZE_IMIX, GEN_IMIX_SMALL, GEN_IMIX_LARGE);
		return 0;
	}
	if (dash == NULL || dash == val) {
		if (parse_uint(a, opt->name, val, GEN_MIN_SIZE, GEN_MAX_SIZE, &lo) < 0)
			return -1;
		size_set(a->o, GEN_SIZE_FIXED, lo, lo);
		return 0;
	}
	if ((size_t)(dash - val) >= sizeof(buf))
		return gen_arg_bad(a, opt->name, val, "not a size range", opt->fix);
	snprintf(buf, sizeof(buf), "%.*s", (int)(dash - val), val);
	if (parse_uint(a, opt->name, buf, GEN_MIN_SIZE, GEN_MAX_SIZE, &lo) < 0 ||
	    parse_uint(a, opt->name, dash + 1, GEN_MIN_SIZE, GEN_MAX_SIZE, &hi) < 0)
		return gen_arg_bad(a, opt->name, val, "not a range A-B of sizes 64..1518",
				   opt->fix);
	if (lo > hi)
		return gen_arg_bad(a, opt->name, val, "a range whose start is above its end",
				   opt->fix);
	size_set(a->o, lo == hi ? GEN_SIZE_FIXED : GEN_SIZE_UNIFORM, lo, hi);
	return 0;
}

int gen_arg_size_sweep(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	(void)opt;
	(void)val;
	a->sweep = true;
	return 0;
}

int gen_arg_search_precision(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	double p = 0;

	if (sl_parse_pct(opt->name, val, &p, a->err) < 0)
		return -1;
	if (p <= 0)
		return gen_arg_bad(a, opt->name, val, "not a percentage above 0", opt->fix);
	a->o->search_precision = p / 100;
	return 0;
}

int gen_arg_search_min(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	struct gen_rate r;

	if (gen_rate_parse(opt->name, val, &r, a->err) < 0)
		return -1;
	if (r.kind == GEN_RATE_UNPACED)
		return gen_arg_bad(a, opt->name, val, "not a rate above 0", opt->fix);
	a->search_min_kind = r.kind;
	a->o->search_min = r.value;
	return 0;
}

/* --tcp A.B.C.D:PORT[-PORT] */
int gen_arg_tcp(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	char host[64], ports[16];
	const char *colon = strrchr(val, ':');
	char *dash;
	unsigned int port, last;
	struct gen_tcp_opts *t = &a->o->tcp;

	if (colon == NULL || (size_t)(colon - val) >= sizeof(host) ||
	    strlen(colon + 1) >= sizeof(ports))
		return gen_arg_bad(a, opt->name, val, "not IP:PORT", opt->fix);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - val), val);
	snprintf(ports, sizeof(ports), "%s", colon + 1);
	dash = strchr(ports, '-');
	if (dash != NULL)
		*dash = '\0';
	if (sl_parse_ip4("--tcp", host, &t->dst_ip_be, a->err) < 0 ||
	    parse_uint(a, "--tcp port", ports, 1, 65535, &port) < 0)
		return -1;
	last = port;
	if (dash != NULL && parse_uint(a, "--tcp last port", dash + 1, port, 65535, &last) < 0)
		return -1;
	t->dst_port = (uint16_t)port;
	t->dst_ports = (uint16_t)(last - port + 1);
	t->enabled = true;
	return 0;
}

/* --dst-ip is read once every option is known (its TTLs default to --ttl). */
int gen_arg_dst_ip(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	(void)opt;
	a->dst_arg = val;
	return 0;
}

int gen_arg_ttl(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	a->ttl_given = true;
	return parse_uint(a, opt->name, val, (unsigned int)opt->min, (unsigned int)opt->max,
			  &a->ttl);
}

int gen_args_dsts(struct gen_args *a)
{
	char buf[1024], *items[GEN_MAX_DSTS];
	struct gen_opts *o = a->o;
	int n;

	if (a->dst_arg == NULL) {
		o->nb_dsts = 1;
		o->dsts[0].ip_be = RTE_BE32(RTE_IPV4(192, 168, 1, 1));
		o->dsts[0].ttl = (uint8_t)a->ttl;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", a->dst_arg);
	n = split(buf, items, GEN_MAX_DSTS);
	if (n <= 0)
		return gen_arg_bad(a, "--dst-ip", a->dst_arg, "not a list of 1 to 16 destinations",
				   "e.g. --dst-ip 10.1.0.1,10.2.0.1:1 (':TTL' optional)");
	for (int i = 0; i < n; i++) {
		char *colon = strchr(items[i], ':');
		unsigned int ttl = a->ttl;

		if (colon != NULL) {
			*colon = '\0';
			if (parse_uint(a, "--dst-ip TTL", colon + 1, 0, 255, &ttl) < 0)
				return -1;
		}
		if (sl_parse_ip4("--dst-ip", items[i], &o->dsts[i].ip_be, a->err) < 0)
			return -1;
		o->dsts[i].ttl = (uint8_t)ttl;
	}
	o->nb_dsts = (unsigned int)n;
	return 0;
}

int gen_arg_expect(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	static const char *const names[] = {
	    [GEN_EXPECT_NONE] = "none",
	    [GEN_EXPECT_MACSWAP] = "macswap",
	    [GEN_EXPECT_L2FWD] = "l2fwd",
	    [GEN_EXPECT_IP4] = "ip4",
	    NULL,
	};
	unsigned int i;

	if (sl_parse_enum(opt->name, val, names, &i, a->err) < 0)
		return -1;
	a->o->expect = (enum gen_expect)i;
	return 0;
}

int gen_arg_dut_mac(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	char buf[256], *items[GEN_MAX_PORTS];
	int n;

	snprintf(buf, sizeof(buf), "%s", val);
	n = split(buf, items, GEN_MAX_PORTS);
	if (n <= 0)
		return gen_arg_bad(a, opt->name, val, "not a list of 1 to 4 MACs", opt->fix);
	for (int i = 0; i < n; i++)
		if (sl_parse_mac(opt->name, items[i], &a->o->dut_macs[i], a->err) < 0)
			return -1;
	a->o->nb_dut_macs = (unsigned int)n;
	return 0;
}

int gen_arg_ttl_dec(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	unsigned int v = 0;

	if (parse_uint(a, opt->name, val, (unsigned int)opt->min, (unsigned int)opt->max, &v) < 0)
		return -1;
	a->o->ttl_dec = (int)v;
	return 0;
}

/* --max-loss N (packets) or P% */
int gen_arg_max_loss(struct gen_args *a, const struct gen_opt *opt, const char *val)
{
	size_t len = strlen(val);

	if (len > 1 && val[len - 1] == '%')
		return sl_parse_pct(opt->name, val, &a->o->max_loss_pct, a->err);
	return sl_parse_u64(opt->name, val, SL_UNITS_SI, 0, UINT64_MAX, &a->o->max_loss_pkts,
			    a->err);
}
