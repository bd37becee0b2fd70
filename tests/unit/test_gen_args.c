/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's option table: --help, values that parse into the options, and
 * bad values that give one line naming the option and the fix. No EAL. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "gen.h"

static struct gen_opts o;
static struct sl_error err;

/* Parse a NULL-terminated list of options (after "--"). */
static enum gen_parse_result parse(const char *first, ...)
{
	char *argv[32] = {"sluice-gen"};
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a != NULL && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	gen_opts_default(&o);
	memset(&err, 0, sizeof(err));
	return gen_parse_args(&o, argc, argv, &err);
}

Test(gen_args, help)
{
	cr_assert_eq(parse("--help", NULL), GEN_PARSE_HELP);
	cr_assert_eq(parse("-h", NULL), GEN_PARSE_HELP);
	cr_assert_eq(parse("--ports", "p0", "--count", "5", "--help", NULL), GEN_PARSE_HELP);
}

Test(gen_args, values_fill_the_options)
{
	cr_assert_eq(parse("--ports", "a,b", "--tx-port", "b", "--rate", "1.5M", "--size", "64-128",
			   "--size-sweep", "--tcp", "10.0.0.2:7-9", "--conns", "3", "--dst-mac",
			   "02:00:00:00:00:09", "--max-loss", "0.5%", "--trial-s", "0.01", NULL),
		     GEN_PARSE_OK, "%s", err.msg);
	cr_assert_eq(o.nb_ports, 2);
	cr_assert_eq(o.tx_mask, 2u);
	cr_assert_eq(o.rx_mask, 3u);
	cr_assert_eq(o.rate.kind, GEN_RATE_PPS);
	cr_assert_float_eq(o.rate.value, 1.5e6, 1e-6);
	cr_assert_eq(o.size_mode, GEN_SIZE_SWEEP);
	cr_assert_eq(o.size_max, 128);
	cr_assert(o.tcp.enabled);
	cr_assert_eq(o.tcp.dst_port, 7);
	cr_assert_eq(o.tcp.dst_ports, 3);
	cr_assert(o.dst_mac_set);
	cr_assert_eq(o.dst_mac.addr_bytes[5], 9);
	cr_assert_float_eq(o.max_loss_pct, 0.5, 1e-9);
	cr_assert_float_eq(o.trial_s, 0.01, 1e-9);
}

Test(gen_args, defaults)
{
	cr_assert_eq(parse("--ports", "p0", "--count", "1", NULL), GEN_PARSE_OK, "%s", err.msg);
	cr_assert_eq(o.burst, 32);
	cr_assert_eq(o.size, 64);
	cr_assert_eq(o.nb_dsts, 1);
	cr_assert_eq(o.dsts[0].ttl, 64);
	cr_assert_eq(o.ttl_dec, -1);
}

/* Each bad value: rejected, one line, naming the option, with a fix. */
Test(gen_args, bad_values_one_line_with_the_option)
{
	static const char *const bad[][3] = {
	    {"--rate", "fast", "--rate"},
	    {"--rate", "150%", "--rate"},
	    {"--size", "63", "--size"},
	    {"--size", "1000-100", "--size"},
	    {"--flows", "0", "--flows"},
	    {"--count", "12x", "--count"},
	    {"--count", "-1", "--count"},
	    {"--duration", "soon", "--duration"},
	    {"--src-mac", "02:00", "--src-mac"},
	    {"--src-ip", "10.0.0", "--src-ip"},
	    {"--tcp", "10.0.0.2", "--tcp"},
	    {"--tcp", "10.0.0.2:9-7", "--tcp"},
	    {"--tcp", "0.0.0.0:7", "--tcp"},
	    {"--tcp", "255.255.255.255:7", "--tcp"},
	    {"--tcp", "224.0.0.1:7", "--tcp"},
	    {"--tcp", "10.0.0.1:7", "--tcp"}, /* sluice-gen's own default --local-ip */
	    {"--expect", "bridge", "--expect"},
	    {"--max-loss", "200%", "--max-loss"},
	    {"--trial-s", "0", "--trial-s"},
	    {"--linger", "99999", "--linger"},
	    {"--dst-ip", "10.0.0.1:300", "--dst-ip"},
	    {"--frobnicate", "1", "--frobnicate"},
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(parse("--ports", "p0", bad[i][0], bad[i][1], NULL), GEN_PARSE_ERROR,
			     "%s %s accepted", bad[i][0], bad[i][1]);
		cr_assert_neq(strstr(err.msg, bad[i][2]), NULL, "'%s' does not name %s", err.msg,
			      bad[i][2]);
		cr_assert_neq(strstr(err.msg, ". Fix: "), NULL, "'%s' has no fix", err.msg);
		cr_assert_eq(strchr(err.msg, '\n'), NULL, "'%s' is not one line", err.msg);
	}
}

/* Every option the usage lists is one the parser knows. */
Test(gen_args, usage_lists_what_the_parser_takes)
{
	char *text = NULL, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned int seen = 0;

	gen_usage(f, "sluice-gen");
	fclose(f);
	for (char *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64], opt[80];

		/* an option's own line, not a continuation of some help text */
		if (strncmp(line, "  --", 4) != 0 || sscanf(line + 4, "%63s", name) != 1 ||
		    strcmp(name, "help") == 0)
			continue;
		snprintf(opt, sizeof(opt), "--%s", name);
		parse("--ports", "p0", opt, "1", NULL);
		cr_assert_null(strstr(err.msg, "unknown option"), "%s: %s", opt, err.msg);
		seen++;
	}
	cr_assert_geq(seen, 50);
	free(text);
}
