/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice/sl_parse.h: every parser takes its good spellings and refuses bad
 * ones (trailing garbage included) with the one wording
 * "KEY: 'VALUE' is not WHAT. Fix: HOW"; the INI shape check and the routes
 * grammar name FILE:LINE. No EAL: the parsers must work before it. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "sluice/sl_config.h"
#include "sluice/sl_parse.h"

/* The one style of a parser's message: "KEY: 'VALUE' is not .... Fix: ...". */
static void expect_style(const struct sl_error *err, const char *key, const char *value)
{
	char head[256];

	snprintf(head, sizeof(head), "%s: '%s' ", key, value);
	cr_expect_eq(strncmp(err->msg, head, strlen(head)), 0, "'%s' does not start with \"%s\"",
		     err->msg, head);
	cr_expect_not_null(strstr(err->msg, ". Fix: "), "'%s' names no fix", err->msg);
	cr_expect_null(strchr(err->msg, '\n'), "'%s' is not one line", err->msg);
}

static void u64_ok(const char *v, enum sl_parse_units u, uint64_t want)
{
	struct sl_error err = {.msg = ""};
	uint64_t got = 0;

	cr_assert_eq(sl_parse_u64("n", v, u, 0, UINT64_MAX, &got, &err), 0, "'%s': %s", v, err.msg);
	cr_expect_eq(got, want, "'%s' gave %lu, want %lu", v, got, want);
}

static void u64_bad(const char *v, enum sl_parse_units u, uint64_t min, uint64_t max)
{
	struct sl_error err = {.msg = ""};
	uint64_t got = 12345;

	cr_assert_eq(sl_parse_u64("n", v, u, min, max, &got, &err), -1, "accepted '%s'", v);
	cr_expect_eq(got, 12345, "'%s' wrote the output", v);
	expect_style(&err, "n", v);
}

Test(parse, unsigned_integers)
{
	u64_ok("0", SL_UNITS_NONE, 0);
	u64_ok("42", SL_UNITS_NONE, 42);
	u64_ok("0x10", SL_UNITS_NONE, 16);
	u64_ok("010", SL_UNITS_NONE, 10); /* decimal, not octal */
	u64_ok("18446744073709551615", SL_UNITS_NONE, UINT64_MAX);
	u64_ok("4k", SL_UNITS_SI, 4000);
	u64_ok("2M", SL_UNITS_SI, 2000000);
	u64_ok("1G", SL_UNITS_SI, 1000000000);
	u64_ok("4k", SL_UNITS_BYTES, 4096);
	u64_ok("64KiB", SL_UNITS_BYTES, 65536);
	u64_ok("1M", SL_UNITS_BYTES, 1 << 20);
	u64_ok("512B", SL_UNITS_BYTES, 512);

	u64_bad("", SL_UNITS_NONE, 0, 100);
	u64_bad(" 5", SL_UNITS_NONE, 0, 100);
	u64_bad("5 ", SL_UNITS_NONE, 0, 100);
	u64_bad("+5", SL_UNITS_NONE, 0, 100);
	u64_bad("-1", SL_UNITS_NONE, 0, 100);
	u64_bad("12x", SL_UNITS_NONE, 0, 100);
	u64_bad("1.5", SL_UNITS_NONE, 0, 100);
	u64_bad("0x", SL_UNITS_NONE, 0, 100);
	u64_bad("101", SL_UNITS_NONE, 0, 100);
	u64_bad("4", SL_UNITS_NONE, 5, 100);
	u64_bad("4k", SL_UNITS_NONE, 0, UINT64_MAX);
	u64_bad("4kB", SL_UNITS_SI, 0, UINT64_MAX);
	u64_bad("4T", SL_UNITS_SI, 0, UINT64_MAX);
	u64_bad("99999999999999999999", SL_UNITS_NONE, 0, UINT64_MAX);
	u64_bad("20000000000G", SL_UNITS_SI, 0, UINT64_MAX); /* overflows when scaled */
}

Test(parse, u32_and_signed)
{
	struct sl_error err = {.msg = ""};
	uint32_t u = 0;
	int64_t i = 0;

	cr_assert_eq(sl_parse_u32("mss", "1460", SL_UNITS_NONE, 88, 8960, &u, &err), 0);
	cr_expect_eq(u, 1460);
	cr_assert_eq(sl_parse_u32("mss", "1460.5", SL_UNITS_NONE, 88, 8960, &u, &err), -1);
	expect_style(&err, "mss", "1460.5");
	cr_expect_not_null(strstr(err.msg, "88..8960"), "%s", err.msg);

	cr_assert_eq(sl_parse_i64("off", "-5", -10, 10, &i, &err), 0);
	cr_expect_eq(i, -5);
	cr_assert_eq(sl_parse_i64("off", "7", -10, 10, &i, &err), 0);
	cr_expect_eq(i, 7);
	cr_assert_eq(sl_parse_i64("off", "--5", -10, 10, &i, &err), -1);
	expect_style(&err, "off", "--5");
	cr_assert_eq(sl_parse_i64("off", "5x", -10, 10, &i, &err), -1);
	cr_assert_eq(sl_parse_i64("off", "-11", -10, 10, &i, &err), -1);
}

Test(parse, reals)
{
	struct sl_error err = {.msg = ""};
	double d = 0;
	static const char *const bad[] = {"nan", "inf", "1e", "0x1p3", "1.5.3", "", " 1", "2.5"};

	cr_assert_eq(sl_parse_double("x", "1.5", 0, 2, &d, &err), 0);
	cr_expect_float_eq(d, 1.5, 1e-12);
	cr_assert_eq(sl_parse_double("x", ".5", 0, 2, &d, &err), 0);
	cr_assert_eq(sl_parse_double("x", "-0.5", -1, 2, &d, &err), 0);
	cr_expect_float_eq(d, -0.5, 1e-12);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(sl_parse_double("x", bad[i], 0, 2, &d, &err), -1, "accepted '%s'",
			     bad[i]);
		expect_style(&err, "x", bad[i]);
	}
}

Test(parse, booleans_one_spelling_set)
{
	static const char *const yes[] = {"on", "yes", "true", "1", "ON", "Yes", "TRUE"};
	static const char *const no[] = {"off", "no", "false", "0", "OFF", "No", "False"};
	static const char *const bad[] = {"maybe", "on please", "2", "", "enabled", "y", " on"};
	struct sl_error err = {.msg = ""};
	bool b;

	for (unsigned int i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		cr_expect_eq(sl_parse_bool("sack", yes[i], &b, &err), 0, "'%s'", yes[i]);
		cr_expect(b, "'%s' read as off", yes[i]);
		b = true;
		cr_expect_eq(sl_parse_bool("sack", no[i], &b, &err), 0, "'%s'", no[i]);
		cr_expect(!b, "'%s' read as on", no[i]);
	}
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(sl_parse_bool("sack", bad[i], &b, &err), -1, "accepted '%s'", bad[i]);
		expect_style(&err, "sack", bad[i]);
	}
}

Test(parse, word_sets)
{
	static const char *const modes[] = {"auto", "off", "on", "symmetric", NULL};
	struct sl_error err = {.msg = ""};
	unsigned int i = 99;

	cr_assert_eq(sl_parse_enum("rss", "symmetric", modes, &i, &err), 0);
	cr_expect_eq(i, 3);
	cr_assert_eq(sl_parse_enum("rss", "Symmetric", modes, &i, &err), -1);
	expect_style(&err, "rss", "Symmetric");
	cr_expect_not_null(strstr(err.msg, "auto, off, on or symmetric"), "%s", err.msg);
	cr_assert_eq(sl_parse_enum("rss", "on ", modes, &i, &err), -1);
}

Test(parse, percentages)
{
	static const char *const bad[] = {"101", "-1", "5%%", "abc", "%", "", "50 %", "1e1x"};
	struct sl_error err = {.msg = ""};
	double p = -1;

	cr_assert_eq(sl_parse_pct("loss", "3", &p, &err), 0);
	cr_expect_float_eq(p, 3.0, 1e-12);
	cr_assert_eq(sl_parse_pct("loss", "0.5", &p, &err), 0);
	cr_assert_eq(sl_parse_pct("loss", "12.5%", &p, &err), 0);
	cr_expect_float_eq(p, 12.5, 1e-12);
	cr_assert_eq(sl_parse_pct("loss", "100", &p, &err), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(sl_parse_pct("loss", bad[i], &p, &err), -1, "accepted '%s'", bad[i]);
		expect_style(&err, "loss", bad[i]);
	}
}

Test(parse, sizes_and_durations)
{
	struct sl_error err = {.msg = ""};
	uint64_t sz = 0;
	double s = 0;

	cr_assert_eq(sl_parse_size("rcv_buf", "64k", 0, 1 << 30, &sz, &err), 0);
	cr_expect_eq(sz, 65536);
	cr_assert_eq(sl_parse_size("rcv_buf", "2G", 0, 1 << 30, &sz, &err), -1);
	expect_style(&err, "rcv_buf", "2G");
	cr_assert_eq(sl_parse_size("rcv_buf", "64q", 0, 1 << 30, &sz, &err), -1);

	cr_assert_eq(sl_parse_duration("t", "1.5", 0, 3600, &s, &err), 0);
	cr_expect_float_eq(s, 1.5, 1e-12);
	cr_assert_eq(sl_parse_duration("t", "250ms", 0, 3600, &s, &err), 0);
	cr_expect_float_eq(s, 0.25, 1e-12);
	cr_assert_eq(sl_parse_duration("t", "10us", 0, 3600, &s, &err), 0);
	cr_expect_float_eq(s, 10e-6, 1e-15);
	cr_assert_eq(sl_parse_duration("t", "2m", 0, 3600, &s, &err), 0);
	cr_expect_float_eq(s, 120.0, 1e-12);
	cr_assert_eq(sl_parse_duration("t", "1h", 0, 3600, &s, &err), 0);
	cr_assert_eq(sl_parse_duration("t", "2h", 0, 3600, &s, &err), -1);
	cr_assert_eq(sl_parse_duration("t", "5x", 0, 3600, &s, &err), -1);
	expect_style(&err, "t", "5x");
	cr_assert_eq(sl_parse_duration("t", "-1", 0, 3600, &s, &err), -1);
	cr_assert_eq(sl_parse_duration("t", "1 s", 0, 3600, &s, &err), -1);
}

static void rate_ok(const char *v, enum sl_rate_kind kind, double value)
{
	struct sl_error err = {.msg = ""};
	struct sl_rate r = {0};

	cr_assert_eq(sl_parse_rate("rate", v, &r, &err), 0, "'%s': %s", v, err.msg);
	cr_expect_eq(r.kind, kind, "'%s'", v);
	cr_expect_float_eq(r.value, value, value * 1e-12 + 1e-12, "'%s' gave %g", v, r.value);
}

Test(parse, rates)
{
	static const char *const bad[] = {"10Gbs", "150%", "0%",     "-1",	"5xpps",
					  "2G",	   "",	   "1.5.3M", "10 Gbps", "100bps"};
	struct sl_error err = {.msg = ""};
	struct sl_rate r;

	rate_ok("1000000", SL_RATE_PPS, 1e6);
	rate_ok("14.88M", SL_RATE_PPS, 14.88e6);
	rate_ok("500kpps", SL_RATE_PPS, 5e5);
	rate_ok("0", SL_RATE_PPS, 0);
	rate_ok("10Gbps", SL_RATE_BPS, 1e10);
	rate_ok("50%", SL_RATE_PCT, 50);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(sl_parse_rate("rate", bad[i], &r, &err), -1, "accepted '%s'", bad[i]);
		expect_style(&err, "rate", bad[i]);
	}
}

Test(parse, ipv4_addresses_and_prefixes)
{
	static const char *const bad_ip[] = {"10.0.0", "10.0.0.256",  "10.0.0.1x",
					     "",       "10.0.0.1/24", " 10.0.0.1"};
	static const char *const bad_pfx[] = {"10.0.0.0/33", "10.0.0.0/",   "10.0.0.0/2x",
					      "10.0.0/8",    "10.0.0.0/-1", "/8"};
	struct sl_error err = {.msg = ""};
	uint32_t a = 0;
	uint8_t len = 0;

	cr_assert_eq(sl_parse_ip4("gw", "10.0.0.2", &a, &err), 0);
	cr_expect_eq(a, htonl(0x0a000002));
	for (unsigned int i = 0; i < sizeof(bad_ip) / sizeof(bad_ip[0]); i++) {
		cr_expect_eq(sl_parse_ip4("gw", bad_ip[i], &a, &err), -1, "accepted '%s'",
			     bad_ip[i]);
		expect_style(&err, "gw", bad_ip[i]);
	}

	cr_assert_eq(
	    sl_parse_ip4_prefix("ip", "10.1.0.0/16", SL_PARSE_LEN_REQUIRED, &a, &len, &err), 0);
	cr_expect_eq(a, htonl(0x0a010000));
	cr_expect_eq(len, 16);
	cr_assert_eq(sl_parse_ip4_prefix("ip", "10.0.0.2", 24, &a, &len, &err), 0);
	cr_expect_eq(len, 24);
	cr_assert_eq(sl_parse_ip4_prefix("ip", "0.0.0.0/0", SL_PARSE_LEN_REQUIRED, &a, &len, &err),
		     0);
	cr_expect_eq(len, 0);
	cr_assert_eq(sl_parse_ip4_prefix("ip", "10.0.0.2", SL_PARSE_LEN_REQUIRED, &a, &len, &err),
		     -1);
	expect_style(&err, "ip", "10.0.0.2");
	for (unsigned int i = 0; i < sizeof(bad_pfx) / sizeof(bad_pfx[0]); i++) {
		cr_expect_eq(sl_parse_ip4_prefix("ip", bad_pfx[i], 24, &a, &len, &err), -1,
			     "accepted '%s'", bad_pfx[i]);
		expect_style(&err, "ip", bad_pfx[i]);
	}
}

Test(parse, macs)
{
	static const char *const bad[] = {"02:00:00:00:00", "02:00:00:00:00:01x",
					  "zz:00:00:00:00:01", "", "02:00:00:00:00:01:02"};
	struct sl_error err = {.msg = ""};
	struct rte_ether_addr m;

	cr_assert_eq(sl_parse_mac("mac", "02:00:00:00:01:0a", &m, &err), 0);
	cr_expect_eq(m.addr_bytes[0], 0x02);
	cr_expect_eq(m.addr_bytes[5], 0x0a);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(sl_parse_mac("mac", bad[i], &m, &err), -1, "accepted '%s'", bad[i]);
		expect_style(&err, "mac", bad[i]);
	}
}

Test(parse, lcore_lists)
{
	static const char *const bad[] = {"4-2", "1,1", "a", "1-", "200", "", "1,2x", "1-3,2"};
	struct sl_error err = {.msg = ""};
	unsigned int l[8], nb = 0;

	cr_assert_eq(sl_parse_lcores("lcores", "1,2,4-6", 128, l, 8, &nb, &err), 0, "%s", err.msg);
	cr_assert_eq(nb, 5);
	cr_expect(l[0] == 1 && l[1] == 2 && l[2] == 4 && l[3] == 5 && l[4] == 6);
	cr_assert_eq(sl_parse_lcores("lcores", "3 7", 128, l, 8, &nb, &err), 0);
	cr_expect(nb == 2 && l[1] == 7);
	cr_assert_eq(sl_parse_lcores("lcores", "0-8", 128, l, 8, &nb, &err), -1);
	expect_style(&err, "lcores", "0-8");
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(sl_parse_lcores("lcores", bad[i], 128, l, 8, &nb, &err), -1,
			     "accepted '%s'", bad[i]);
		expect_style(&err, "lcores", bad[i]);
	}
}

Test(parse, error_prefix)
{
	struct sl_error err = {.msg = ""};
	bool b;

	sl_parse_bool("sack", "maybe", &b, &err);
	cr_assert_eq(sl_error_prefix(&err, "%s:%u: [%s] ", "a.ini", 7u, "pipeline e"), -1);
	cr_expect_eq(
	    strncmp(err.msg, "a.ini:7: [pipeline e] sack: 'maybe' is not on or off. Fix: ", 59), 0,
	    "%s", err.msg);
}

static char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/sl-unit-parse-%d.txt", getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Arrays, not pointers: each Criterion case runs in its own process. */
struct file_case {
	char text[200];
	unsigned int line;
	char words[96];
};

ParameterizedTestParameters(parse, ini_shape)
{
	static struct file_case cases[] = {
	    {"[pipeline e]\nstages = count\ncount flows 1024\n", 3,
	     "[pipeline e] 'count flows 1024' has no '='. Fix: write key = value, e.g. count = "},
	    {"[app]\nburst = 1\n\n[app]\n", 4, "[app]: section given twice (first at line 1)"},
	    {"[port  p0]\n[port p0]\n", 2, "[port p0]: section given twice"},
	    {"[app]\nburst = 1\nburst = 2\n", 3, "[app] burst: key given twice in this section"},
	    {"burst = 1\n[app]\n", 1, "comes before any [section]"},
	    {"[app\n", 1, "is not a section header"},
	    {"[app] x\n", 1, "is not a section header"},
	    {"[app]\n= 5\n", 2, "has no key"},
	    {"[app]\nword\n", 2, "'word' has no '='. Fix: write key = value"},
	};

	return cr_make_param_array(struct file_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct file_case *c, parse, ini_shape)
{
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp(c->text);
	char where[96];

	snprintf(where, sizeof(where), "%s:%u: ", path, c->line);
	cr_assert_eq(sl_ini_check(path, &err), -1, "accepted:\n%s", c->text);
	cr_expect_eq(strncmp(err.msg, where, strlen(where)), 0, "'%s' does not start with %s",
		     err.msg, where);
	cr_expect_not_null(strstr(err.msg, c->words), "'%s' lacks '%s'", err.msg, c->words);
	cr_expect_not_null(strstr(err.msg, "Fix: "), "%s", err.msg);
	unlink(path);
}

Test(parse, ini_good_and_line_of)
{
	struct sl_error err = {.msg = ""};
	const char *path = write_tmp("; comment\n# another\n[app]\nburst = 32 ; trailing\n\n"
				     "[port p0]\ndev = x\nburst = 1\n[pipeline e]\nstages =\n");

	cr_assert_eq(sl_ini_check(path, &err), 0, "%s", err.msg);
	cr_expect_eq(sl_config_line_of(path, "app", "burst"), 4);
	cr_expect_eq(sl_config_line_of(path, "port p0", "burst"), 8);
	cr_expect_eq(sl_config_line_of(path, "port p0", "nothere"), 6);
	cr_expect_eq(sl_config_line_of(path, "pipeline e", NULL), 9);
	cr_expect_eq(sl_config_line_of(path, "nosuch", NULL), 0);
	unlink(path);
}

Test(parse, routes_good)
{
	struct sl_error err = {.msg = ""};
	struct sl_route *r = NULL;
	unsigned int nb = 0;
	const char *path = write_tmp("# dst port mac\n\n10.1.0.0/16 p1 02:00:00:00:01:01\n"
				     "0.0.0.0/0 0 02:00:00:00:00:01  # default\n");

	cr_assert_eq(sl_routes_load(path, &r, &nb, &err), 0, "%s", err.msg);
	cr_assert_eq(nb, 2);
	cr_expect_eq(r[0].prefix, 0x0a010000);
	cr_expect_eq(r[0].len, 16);
	cr_expect_str_eq(r[0].port, "p1");
	cr_expect_eq(r[0].mac.addr_bytes[5], 1);
	cr_expect_eq(r[0].line, 3);
	cr_expect_eq(r[1].len, 0);
	cr_expect_str_eq(r[1].port, "0");
	cr_expect_eq(r[1].line, 4);
	free(r);
	unlink(path);
}

ParameterizedTestParameters(parse, routes_bad)
{
	static struct file_case cases[] = {
	    {"10.1.0/16 p0 02:00:00:00:00:01\n", 1, "prefix: '10.1.0/16' is not an IPv4 prefix"},
	    {"# c\n10.1.0.0/33 p0 02:00:00:00:00:01\n", 2, "is not an IPv4 prefix"},
	    {"10.1.0.0 p0 02:00:00:00:00:01\n", 1, "prefix: '10.1.0.0' is not an IPv4 prefix"},
	    {"10.1.0.1/16 p0 02:00:00:00:00:01\n", 1, "has host bits set. Fix: write 10.1.0.0/16"},
	    {"10.1.0.0/16 p0 02:00:zz:00:00:01\n", 1, "next hop: '02:00:zz:00:00:01' is not a MAC"},
	    {"10.1.0.0/16 p0\n", 1, "not 'PREFIX/LEN PORT NEXTHOP_MAC'"},
	    {"10.1.0.0/16 p0 02:00:00:00:00:01 extra\n", 1, "Fix: write e.g."},
	    {"10.1.0.0/16 p0 02:00:00:00:00:01\n10.1.0.0/16 p1 02:00:00:00:00:02\n", 2,
	     "duplicate route, already given at line 1"},
	    {"# nothing here\n", 1, "no routes"},
	};

	return cr_make_param_array(struct file_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct file_case *c, parse, routes_bad)
{
	struct sl_error err = {.msg = ""};
	struct sl_route *r = (struct sl_route *)1;
	unsigned int nb = 7;
	const char *path = write_tmp(c->text);
	char where[96];

	snprintf(where, sizeof(where), "%s:%u: ", path, c->line);
	cr_assert_eq(sl_routes_load(path, &r, &nb, &err), -1, "accepted:\n%s", c->text);
	cr_expect_null(r);
	cr_expect_eq(nb, 0);
	cr_expect_eq(strncmp(err.msg, where, strlen(where)), 0, "'%s' does not start with %s",
		     err.msg, where);
	cr_expect_not_null(strstr(err.msg, c->words), "'%s' lacks '%s'", err.msg, c->words);
	unlink(path);
}

Test(parse, routes_missing_file)
{
	struct sl_error err = {.msg = ""};
	struct sl_route *r;
	unsigned int nb;

	cr_assert_eq(sl_routes_load("/nonexistent/sl-routes", &r, &nb, &err), -1);
	cr_expect_not_null(strstr(err.msg, "/nonexistent/sl-routes:0: cannot open"), "%s", err.msg);
}
