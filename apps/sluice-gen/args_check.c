/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen: the checks across options, once every option is read, and the
 * defaults that depend on other options (tx/rx ports, the search range, the
 * TTL check). One function per concern, each a one-line error. */
#include <arpa/inet.h>
#include <stdio.h>

#include <rte_byteorder.h>

#include "args.h"
#include "sluice/sl_tcp.h"

static int check_ports(struct gen_args *a)
{
	struct gen_opts *o = a->o;
	bool rx_given = o->rx_mask != 0;

	if (o->nb_ports == 0)
		return sl_error_set(
		    a->err, "no port. Fix: add --ports net_memif0 (the name given to --vdev)");
	if (o->tx_mask == 0)
		o->tx_mask = 1u;
	if (o->rx_mask == 0)
		o->rx_mask = (1u << o->nb_ports) - 1;
	if (!o->tx_only)
		return 0;
	if (rx_given || o->expect != GEN_EXPECT_NONE || o->search)
		return sl_error_set(a->err,
				    "--tx-only polls no port, so nothing can be checked. Fix: "
				    "drop --tx-only, or drop --rx-port/--expect/--search");
	o->rx_mask = 0;
	return 0;
}

static int check_sizes(struct gen_args *a)
{
	if (!a->sweep)
		return 0;
	if (a->o->size_mode != GEN_SIZE_UNIFORM)
		return sl_error_set(a->err,
				    "--size-sweep needs a size range. Fix: e.g. --size 64-1518 "
				    "--size-sweep");
	a->o->size_mode = GEN_SIZE_SWEEP;
	return 0;
}

static int check_window(struct gen_args *a)
{
	const struct gen_opts *o = a->o;

	if (o->window == 0)
		return 0;
	if (o->tx_only || o->tcp.enabled)
		return sl_error_set(a->err,
				    "--window counts packets that come back, so it needs UDP "
				    "traffic that is received. Fix: drop --window, or drop "
				    "--tx-only/--tcp");
	if (o->window < o->burst)
		return sl_error_set(
		    a->err,
		    "--window %u is smaller than one burst (%u), so nothing could be "
		    "sent. Fix: --window %u or more, or a smaller --burst",
		    o->window, o->burst, o->burst);
	return 0;
}

static int check_search(struct gen_args *a)
{
	struct gen_opts *o = a->o;

	if (!o->search)
		return 0;
	if (o->rate.kind == GEN_RATE_UNPACED) {
		/* Up to line rate by default. */
		o->rate.kind = GEN_RATE_PCT;
		o->rate.value = 100;
	}
	if (o->search_min < 0)
		o->search_min = o->rate.value / 100;
	else if (a->search_min_kind != o->rate.kind || o->search_min >= o->rate.value)
		return sl_error_set(a->err,
				    "--search-min must be below --rate and in the same unit. "
				    "Fix: e.g. --rate 10M --search-min 100k, or --rate 100%% "
				    "--search-min 1%%");
	return 0;
}

static int check_tcp(struct gen_args *a)
{
	const struct gen_tcp_opts *t = &a->o->tcp;

	if (t->hold && t->msgs_per_conn == 0)
		return sl_error_set(
		    a->err, "--hold needs --msgs-per-conn. Fix: e.g. --msgs-per-conn 1 --hold");
	if (t->enabled) {
		uint32_t dst = rte_be_to_cpu_32(t->dst_ip_be);
		char ip[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &t->dst_ip_be, ip, sizeof(ip));
		/* 0.0.0.0, loopback, multicast and broadcast: no server answers a SYN there. */
		if (dst == 0 || (dst >> 24) == 127 || (dst >> 28) == 0xe || dst == UINT32_MAX)
			return sl_error_set(a->err,
					    "--tcp %s is not a unicast address a server can have. "
					    "Fix: the echo server's address, e.g. --tcp 10.0.0.2:7",
					    ip);
		if (t->dst_ip_be == t->local_ip_be)
			return sl_error_set(
			    a->err,
			    "--tcp %s is sluice-gen's own --local-ip: it would "
			    "connect to itself. Fix: the server's address, or another "
			    "--local-ip",
			    ip);
	}
	/* One local address has SL_TCP_EPHEMERAL_COUNT source ports per server port. */
	if (t->enabled && t->conns > SL_TCP_EPHEMERAL_COUNT * t->dst_ports)
		return sl_error_set(
		    a->err,
		    "--conns %u needs %u server ports (%u source ports each). Fix: "
		    "--tcp IP:FIRST-LAST with at least that many ports, served by the "
		    "peer",
		    t->conns, (t->conns + SL_TCP_EPHEMERAL_COUNT - 1) / SL_TCP_EPHEMERAL_COUNT,
		    SL_TCP_EPHEMERAL_COUNT);
	return 0;
}

static int check_expect(struct gen_args *a)
{
	struct gen_opts *o = a->o;

	if (o->expect == GEN_EXPECT_IP4 && o->routes == NULL)
		return sl_error_set(a->err, "--expect ip4 needs the routes. Fix: add --routes FILE "
					    "(the DUT's routes file)");
	if (o->expect == GEN_EXPECT_L2FWD && o->nb_ports < 2)
		return sl_error_set(a->err,
				    "--expect l2fwd needs two ports. Fix: --ports A,B wired "
				    "to the DUT's paired ports");
	if (o->ttl_dec == -2)
		o->ttl_dec = o->expect == GEN_EXPECT_IP4 ? 1 : -1;
	for (unsigned int i = 0; i < o->nb_dsts; i++)
		if (o->ttl_dec > 0 && o->dsts[i].ttl > 1 && o->dsts[i].ttl < o->ttl_dec)
			return sl_error_set(
			    a->err,
			    "--dst-ip TTL %u is below --expect-ttl-dec %d. Fix: raise "
			    "the TTL",
			    o->dsts[i].ttl, o->ttl_dec);
	return 0;
}

int gen_args_check(struct gen_args *a)
{
	const struct gen_opts *o = a->o;

	if (check_ports(a) < 0 || check_sizes(a) < 0 || check_window(a) < 0 ||
	    check_search(a) < 0 || check_tcp(a) < 0 || check_expect(a) < 0)
		return -1;
	/* Not an error: a run that ends with Ctrl-C is allowed. */
	if (o->count == 0 && o->duration == 0 && !o->search && !o->tcp.enabled)
		fprintf(stderr, "%s: no --count or --duration: sending until Ctrl-C\n", o->prog);
	return 0;
}
