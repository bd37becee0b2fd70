/* SPDX-License-Identifier: BSD-3-Clause */
/* The value parsers of sluice/sl_parse.h: one spelling of each kind of value
 * and one wording of each error, for the config, stage args and apps. None of
 * them needs the EAL; none keeps state. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_cfgfile.h>
#include <rte_ether.h>

#include "parse_priv.h"
#include "sluice/sl_parse.h"

int sl_error_set(struct sl_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int sl_error_prefix(struct sl_error *err, const char *fmt, ...)
{
	char head[sizeof(err->msg)], tail[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(tail, err->msg, sizeof(tail));
	tail[sizeof(tail) - 1] = '\0';
	snprintf(err->msg, sizeof(err->msg), "%s%s", head, tail);
	return -1;
}

/* ---- numbers ---- */

/* 1, or the multiplier of the suffix at *s (advanced past it); 0: not a suffix. */
static uint64_t unit_multiplier(const char **s, enum sl_parse_units units)
{
	uint64_t base = units == SL_UNITS_BYTES ? 1024 : 1000, mult = 1;

	if (units == SL_UNITS_NONE)
		return **s == '\0' ? 1 : 0;
	switch (**s) {
	case 'k':
	case 'K':
		mult = base;
		break;
	case 'm':
	case 'M':
		mult = base * base;
		break;
	case 'g':
	case 'G':
		mult = base * base * base;
		break;
	default:
		break;
	}
	if (mult != 1)
		(*s)++;
	if (units == SL_UNITS_BYTES) {
		if (mult != 1 && **s == 'i' && (*s)[1] == 'B')
			*s += 2;
		else if (**s == 'B')
			(*s)++;
	}
	return **s == '\0' ? mult : 0;
}

static const char *units_hint(enum sl_parse_units units)
{
	switch (units) {
	case SL_UNITS_SI:
		return " (k, M, G allowed)";
	case SL_UNITS_BYTES:
		return " (bytes; k, M, G = KiB, MiB, GiB allowed)";
	default:
		return "";
	}
}

/* Digits only at the start: strtoull would take " 5", "+5" and "-5". */
static bool starts_with_digit(const char *s)
{
	return isdigit((unsigned char)s[0]);
}

int sl_parse_u64(const char *key, const char *value, enum sl_parse_units units, uint64_t min,
		 uint64_t max, uint64_t *out, struct sl_error *err)
{
	const char *rest;
	char *end;
	unsigned long long v;
	uint64_t mult;
	int base = 10;

	if (value == NULL)
		value = "";
	/* Base 10 unless 0x: "010" is ten, not octal eight. */
	if (value[0] == '0' && (value[1] == 'x' || value[1] == 'X') &&
	    isxdigit((unsigned char)value[2]))
		base = 16;
	if (!starts_with_digit(value))
		goto bad;
	errno = 0;
	v = strtoull(value, &end, base);
	if (errno != 0 || end == value)
		goto bad;
	rest = end;
	mult = unit_multiplier(&rest, units);
	if (mult == 0 || (mult > 1 && v > UINT64_MAX / mult))
		goto bad;
	v *= mult;
	if (v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return sl_error_set(err,
			    "%s: '%s' is not a whole number in %llu..%llu%s. Fix: write one, "
			    "e.g. %llu",
			    key, value, (unsigned long long)min, (unsigned long long)max,
			    units_hint(units), (unsigned long long)(min == 0 && max > 0 ? 1 : min));
}

int sl_parse_u32(const char *key, const char *value, enum sl_parse_units units, uint32_t min,
		 uint32_t max, uint32_t *out, struct sl_error *err)
{
	uint64_t v;

	if (sl_parse_u64(key, value, units, min, max, &v, err) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int sl_parse_i64(const char *key, const char *value, int64_t min, int64_t max, int64_t *out,
		 struct sl_error *err)
{
	char *end;
	long long v;

	if (value == NULL)
		value = "";
	if (!starts_with_digit(value) && !(value[0] == '-' && starts_with_digit(value + 1)))
		goto bad;
	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return sl_error_set(err,
			    "%s: '%s' is not a whole number in %lld..%lld. Fix: write one, "
			    "e.g. %lld",
			    key, value, (long long)min, (long long)max,
			    min <= 0 && max >= 0 ? 0LL : (long long)min);
}

/* A decimal number at the start of s ("1", "0.5", ".5", "-2"), end in *end. */
static bool leading_real(const char *s, double *v, char **end)
{
	const char *digits = s[0] == '-' ? s + 1 : s;

	if (!starts_with_digit(digits) && !(digits[0] == '.' && starts_with_digit(digits + 1)))
		return false; /* refuses nan, inf, spaces and '+' */
	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
		return false; /* strtod's hex floats are no one's intent */
	errno = 0;
	*v = strtod(s, end);
	return errno == 0 && *end != s && isfinite(*v);
}

int sl_parse_double(const char *key, const char *value, double min, double max, double *out,
		    struct sl_error *err)
{
	char *end;
	double v;

	if (value == NULL)
		value = "";
	if (!leading_real(value, &v, &end) || *end != '\0' || !(v >= min && v <= max))
		return sl_error_set(err,
				    "%s: '%s' is not a number in %g..%g. Fix: write one, e.g. "
				    "%g",
				    key, value, min, max, min);
	*out = v;
	return 0;
}

int sl_parse_pct(const char *key, const char *value, double *out, struct sl_error *err)
{
	char *end;
	double v;

	if (value == NULL)
		value = "";
	if (!leading_real(value, &v, &end) || (*end == '%' && *++end != '\0') || *end != '\0' ||
	    !(v >= 0.0 && v <= 100.0))
		return sl_error_set(err,
				    "%s: '%s' is not a percentage 0..100. Fix: write e.g. 3, 0.5 "
				    "or 12.5%%",
				    key, value);
	*out = v;
	return 0;
}

int sl_parse_size(const char *key, const char *value, uint64_t min, uint64_t max, uint64_t *out,
		  struct sl_error *err)
{
	return sl_parse_u64(key, value, SL_UNITS_BYTES, min, max, out, err);
}

int sl_parse_duration(const char *key, const char *value, double min_s, double max_s,
		      double *seconds, struct sl_error *err)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"m", 60}, {"h", 3600}};
	char *end;
	double v;

	if (value == NULL)
		value = "";
	if (value[0] != '-' && leading_real(value, &v, &end))
		for (unsigned int i = 0; i < RTE_DIM(units); i++)
			if (strcmp(end, units[i].unit) == 0) {
				v *= units[i].scale;
				if (!(v >= min_s && v <= max_s))
					break;
				*seconds = v;
				return 0;
			}
	return sl_error_set(err,
			    "%s: '%s' is not a duration in %g..%g s. Fix: write seconds, or a "
			    "number with us, ms, s, m or h, e.g. 1.5 or 250ms",
			    key, value, min_s, max_s);
}

int sl_parse_rate(const char *key, const char *value, struct sl_rate *out, struct sl_error *err)
{
	const char *rest;
	char *end;
	double v;
	uint64_t mult;

	if (value == NULL)
		value = "";
	if (value[0] == '-' || !leading_real(value, &v, &end))
		goto bad;
	if (strcmp(end, "%") == 0) {
		if (!(v > 0.0 && v <= 100.0))
			goto bad;
		out->kind = SL_RATE_PCT;
		out->value = v;
		return 0;
	}
	rest = end;
	mult = 1;
	if (*rest == 'k' || *rest == 'K')
		mult = 1000, rest++;
	else if (*rest == 'M' || *rest == 'm')
		mult = 1000000, rest++;
	else if (*rest == 'G' || *rest == 'g')
		mult = 1000000000, rest++;
	v *= (double)mult;
	if (strcasecmp(rest, "bps") == 0) {
		if (!(v >= 1e3 && v <= 1e12))
			goto bad;
		out->kind = SL_RATE_BPS;
	} else if (*rest == '\0' || strcasecmp(rest, "pps") == 0) {
		if (!(v <= 1e9))
			goto bad;
		out->kind = SL_RATE_PPS;
	} else {
		goto bad;
	}
	out->value = v;
	return 0;
bad:
	return sl_error_set(err,
			    "%s: '%s' is not a rate. Fix: write packets per second (e.g. 14.88M "
			    "or 500kpps, at most 1G), bits per second (e.g. 10Gbps, 1k..1T) or a "
			    "percentage of the line rate (e.g. 50%%)",
			    key, value);
}

/* ---- words ---- */

int sl_parse_bool(const char *key, const char *value, bool *out, struct sl_error *err)
{
	static const char *const yes[] = {"on", "yes", "true", "1"};
	static const char *const no[] = {"off", "no", "false", "0"};

	if (value == NULL)
		value = "";
	for (unsigned int i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return sl_error_set(err,
			    "%s: '%s' is not on or off. Fix: write on or off (yes/no, "
			    "true/false and 1/0 also work)",
			    key, value);
}

int sl_parse_enum(const char *key, const char *value, const char *const *names, unsigned int *index,
		  struct sl_error *err)
{
	char list[256] = "";
	size_t used = 0;

	if (value == NULL)
		value = "";
	for (unsigned int i = 0; names[i] != NULL; i++)
		if (strcmp(value, names[i]) == 0) {
			*index = i;
			return 0;
		}
	for (unsigned int i = 0; names[i] != NULL && used < sizeof(list); i++)
		used += snprintf(list + used, sizeof(list) - used, "%s%s",
				 i == 0 ? "" : (names[i + 1] == NULL ? " or " : ", "), names[i]);
	return sl_error_set(err, "%s: '%s' is not one of %s. Fix: write one of them, e.g. %s", key,
			    value, list, names[0]);
}

int sl_parse_ip4(const char *key, const char *value, uint32_t *addr_be, struct sl_error *err)
{
	struct in_addr in;

	/* inet_pton takes exactly four dotted decimals: no "10.1", no trailing text. */
	if (value == NULL || inet_pton(AF_INET, value, &in) != 1)
		return sl_error_set(err,
				    "%s: '%s' is not an IPv4 address. Fix: write A.B.C.D, e.g. "
				    "10.0.0.2",
				    key, value ? value : "");
	*addr_be = in.s_addr;
	return 0;
}

int sl_parse_ip4_prefix(const char *key, const char *value, int default_len, uint32_t *addr_be,
			uint8_t *len, struct sl_error *err)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash;
	struct in_addr in;
	unsigned long l = (unsigned long)default_len;
	char *end;

	if (value == NULL)
		value = "";
	slash = strchr(value, '/');
	if (slash == NULL) {
		if (default_len < 0 ||
		    (size_t)snprintf(addr, sizeof(addr), "%s", value) >= sizeof(addr))
			goto bad;
	} else {
		if ((size_t)(slash - value) >= sizeof(addr) || !starts_with_digit(slash + 1))
			goto bad;
		memcpy(addr, value, slash - value);
		addr[slash - value] = '\0';
		errno = 0;
		l = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || l > 32)
			goto bad;
	}
	if (inet_pton(AF_INET, addr, &in) != 1)
		goto bad;
	*addr_be = in.s_addr;
	*len = (uint8_t)l;
	return 0;
bad:
	return sl_error_set(err,
			    "%s: '%s' is not an IPv4 prefix. Fix: write A.B.C.D/LEN with LEN "
			    "0..32, e.g. 10.0.0.0/24",
			    key, value);
}

int sl_parse_mac(const char *key, const char *value, struct rte_ether_addr *mac,
		 struct sl_error *err)
{
	if (value == NULL || rte_ether_unformat_addr(value, mac) < 0)
		return sl_error_set(err,
				    "%s: '%s' is not a MAC address. Fix: write XX:XX:XX:XX:XX:XX, "
				    "e.g. 02:00:00:00:00:01",
				    key, value ? value : "");
	return 0;
}

int sl_parse_lcores(const char *key, const char *value, unsigned int max_lcore,
		    unsigned int *lcores, unsigned int cap, unsigned int *nb, struct sl_error *err)
{
	char buf[1024], *tok, *save = NULL;
	unsigned int n = 0;

	if (value == NULL || snprintf(buf, sizeof(buf), "%s", value) >= (int)sizeof(buf))
		goto bad;
	for (tok = strtok_r(buf, ", \t", &save); tok != NULL; tok = strtok_r(NULL, ", \t", &save)) {
		unsigned long lo, hi;
		char *end;

		if (!starts_with_digit(tok))
			goto bad;
		lo = strtoul(tok, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (!starts_with_digit(end + 1))
				goto bad;
			hi = strtoul(end + 1, &end, 10);
		}
		if (*end != '\0' || lo > hi || hi >= max_lcore)
			goto bad;
		for (unsigned long l = lo; l <= hi; l++) {
			for (unsigned int i = 0; i < n; i++)
				if (lcores[i] == l)
					return sl_error_set(err,
							    "%s: '%s' names lcore %lu twice. Fix: "
							    "name each lcore once",
							    key, value, l);
			if (n == cap)
				return sl_error_set(err,
						    "%s: '%s' names more than %u lcores. Fix: "
						    "name fewer",
						    key, value, cap);
			lcores[n++] = (unsigned int)l;
		}
	}
	if (n == 0)
		goto bad;
	*nb = n;
	return 0;
bad:
	return sl_error_set(err,
			    "%s: '%s' is not a list of lcores below %u. Fix: write ids and ranges, "
			    "e.g. 1,2,4-6",
			    key, value ? value : "", max_lcore);
}

/* ---- files ---- */

char *sl_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* "port  p0" and "port p0" are one section for rte_cfgfile's users. */
static void squeeze_spaces(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++)
		if (!isspace((unsigned char)*r) || (w > s && !isspace((unsigned char)w[-1])))
			*w++ = isspace((unsigned char)*r) ? ' ' : *r;
	*w = '\0';
}

struct ini_seen {
	char name[CFG_NAME_LEN];
	unsigned int section; /* index of the section a key belongs to */
	unsigned int line;
};

struct ini_state {
	struct ini_seen *sections, *keys;
	unsigned int nb_sections, nb_keys, cap_sections, cap_keys;
};

static int ini_remember(struct ini_seen **arr, unsigned int *nb, unsigned int *cap,
			const char *name, unsigned int section, unsigned int line)
{
	if (*nb == *cap) {
		unsigned int ncap = *cap ? 2 * *cap : 32;
		struct ini_seen *n = realloc(*arr, ncap * sizeof(*n));

		if (n == NULL)
			return -1;
		*arr = n;
		*cap = ncap;
	}
	snprintf((*arr)[*nb].name, sizeof((*arr)[*nb].name), "%s", name);
	(*arr)[*nb].section = section;
	(*arr)[*nb].line = line;
	(*nb)++;
	return 0;
}

static int ini_line(struct ini_state *st, const char *path, char *text, unsigned int line,
		    struct sl_error *err)
{
	char *s = sl_trim(text), *eq, *key, *value;
	const char *section = st->nb_sections ? st->sections[st->nb_sections - 1].name : NULL;

	/* rte_cfgfile ends a line at ';'; a line starting with '#' is a comment too. */
	s[strcspn(s, ";")] = '\0';
	s = sl_trim(s);
	if (*s == '\0' || *s == '#')
		return 0;
	if (*s == '[') {
		char *close = strchr(s, ']');
		char *name;

		if (close == NULL || sl_trim(close + 1)[0] != '\0')
			return sl_error_set(err,
					    "%s:%u: '%s' is not a section header. Fix: write "
					    "[name] alone on the line",
					    path, line, s);
		*close = '\0';
		name = sl_trim(s + 1);
		squeeze_spaces(name);
		if (*name == '\0' || strlen(name) >= CFG_NAME_LEN)
			return sl_error_set(err,
					    "%s:%u: section name is empty or longer than %d "
					    "characters. Fix: name it, e.g. [port p0]",
					    path, line, CFG_NAME_LEN - 1);
		for (unsigned int i = 0; i < st->nb_sections; i++)
			if (strcmp(st->sections[i].name, name) == 0)
				return sl_error_set(err,
						    "%s:%u: [%s]: section given twice (first at "
						    "line %u). Fix: merge the two into one [%s] "
						    "section",
						    path, line, name, st->sections[i].line, name);
		return ini_remember(&st->sections, &st->nb_sections, &st->cap_sections, name, 0,
				    line) < 0
			   ? sl_error_set(err, "%s: out of memory", path)
			   : 0;
	}
	eq = strchr(s, '=');
	if (section == NULL)
		return sl_error_set(err,
				    "%s:%u: '%s' comes before any [section]. Fix: move it under "
				    "[app], [port NAME], [pipeline NAME] or [workers]",
				    path, line, s);
	if (eq == NULL) {
		size_t word = strcspn(s, " \t");

		if (s[word] != '\0')
			return sl_error_set(err,
					    "%s:%u: [%s] '%s' has no '='. Fix: write key = value, "
					    "e.g. %.*s = %s",
					    path, line, section, s, (int)word, s,
					    sl_trim(s + word));
		return sl_error_set(err, "%s:%u: [%s] '%s' has no '='. Fix: write key = value",
				    path, line, section, s);
	}
	*eq = '\0';
	key = sl_trim(s);
	value = sl_trim(eq + 1);
	if (*key == '\0')
		return sl_error_set(err, "%s:%u: [%s] '= %s' has no key. Fix: write key = value",
				    path, line, section, value);
	if (strlen(key) >= CFG_NAME_LEN)
		return sl_error_set(err,
				    "%s:%u: [%s] %s: key longer than %d characters. Fix: shorten "
				    "it",
				    path, line, section, key, CFG_NAME_LEN - 1);
	if (strlen(value) >= CFG_VALUE_LEN)
		return sl_error_set(err,
				    "%s:%u: [%s] %s: value longer than %d characters. Fix: shorten "
				    "it",
				    path, line, section, key, CFG_VALUE_LEN - 1);
	for (unsigned int i = 0; i < st->nb_keys; i++)
		if (st->keys[i].section == st->nb_sections - 1 &&
		    strcmp(st->keys[i].name, key) == 0)
			return sl_error_set(err,
					    "%s:%u: [%s] %s: key given twice in this section "
					    "(first at line %u). Fix: keep one of the two lines",
					    path, line, section, key, st->keys[i].line);
	return ini_remember(&st->keys, &st->nb_keys, &st->cap_keys, key, st->nb_sections - 1,
			    line) < 0
		   ? sl_error_set(err, "%s: out of memory", path)
		   : 0;
}

int sl_ini_check(const char *path, struct sl_error *err)
{
	return sl_ini_check_named(path, path, err);
}

int sl_ini_check_named(const char *path, const char *name, struct sl_error *err)
{
	struct ini_state st = {0};
	char text[2048];
	unsigned int line = 0;
	int rc = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return sl_error_set(err,
				    "%s: cannot open: %s. Fix: give an existing, readable file",
				    name, strerror(errno));
	while (rc == 0 && fgets(text, sizeof(text), f) != NULL) {
		line++;
		if (strchr(text, '\n') == NULL && !feof(f))
			rc = sl_error_set(err,
					  "%s:%u: line longer than %zu characters. Fix: "
					  "shorten it",
					  name, line, sizeof(text) - 2);
		else
			rc = ini_line(&st, name, text, line, err);
	}
	if (rc == 0 && ferror(f))
		rc = sl_error_set(err, "%s:%u: read error. Fix: check the file", name, line);
	fclose(f);
	free(st.sections);
	free(st.keys);
	return rc;
}

/* Find the line of a key (or of the section header when key is NULL). This
 * only locates text for error messages; rte_cfgfile did the parsing. */
const char *sl_config_at(const char *path, unsigned int line, char *buf, size_t size)
{
	if (line != 0)
		snprintf(buf, size, "%s:%u", path, line);
	else
		snprintf(buf, size, "%s", path);
	return buf;
}

unsigned int sl_config_line_of(const char *path, const char *section, const char *key)
{
	char buf[1024], want[128];
	unsigned int line = 0, found = 0;
	bool in_section = section == NULL;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	snprintf(want, sizeof(want), "%s", section ? section : "");
	squeeze_spaces(want);
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s = sl_trim(buf);

		line++;
		if (*s == '[') {
			char *close = strchr(s, ']');
			char *name;

			if (close != NULL)
				*close = '\0';
			name = sl_trim(s + 1);
			squeeze_spaces(name);
			in_section = strcmp(name, want) == 0;
			if (in_section && key == NULL) {
				found = line;
				break;
			}
			continue;
		}
		if (in_section && key != NULL) {
			size_t klen = strlen(key);

			if (strncmp(s, key, klen) == 0 &&
			    (s[klen] == '=' || isspace((unsigned char)s[klen]))) {
				found = line;
				break;
			}
		}
	}
	fclose(f);
	if (found == 0 && key != NULL)
		return sl_config_line_of(path, section, NULL);
	return found;
}

/* ---- routes file ---- */

#define ROUTE_LINE_MAX 512

static int route_cmp(const void *a, const void *b)
{
	const struct sl_route *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->line < y->line ? -1 : (x->line > y->line);
}

static int route_line_cmp(const void *a, const void *b)
{
	const struct sl_route *x = a, *y = b;

	return x->line < y->line ? -1 : (x->line > y->line);
}

/* One line into *r; 1 when the line holds a route, 0 when blank. */
static int route_parse_line(char *text, struct sl_route *r, struct sl_error *err)
{
	char *save = NULL, *tok[4];
	unsigned int nb = 0;
	uint32_t addr_be;

	text[strcspn(text, "#")] = '\0';
	for (char *t = strtok_r(text, " \t\r\n", &save); t != NULL && nb < 4;
	     t = strtok_r(NULL, " \t\r\n", &save))
		tok[nb++] = t;
	if (nb == 0)
		return 0;
	if (nb != 3)
		return sl_error_set(err, "not 'PREFIX/LEN PORT NEXTHOP_MAC'. Fix: write e.g. "
					 "'10.1.0.0/16 p1 02:00:00:00:01:01'");
	if (sl_parse_ip4_prefix("prefix", tok[0], SL_PARSE_LEN_REQUIRED, &addr_be, &r->len, err) <
	    0)
		return -1;
	r->prefix = ntohl(addr_be);
	if (r->len < 32 && (r->prefix & (UINT32_MAX >> r->len)) != 0) {
		uint32_t net = htonl(r->prefix & ~(UINT32_MAX >> r->len));
		char buf[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &net, buf, sizeof(buf));
		return sl_error_set(err, "prefix: '%s' has host bits set. Fix: write %s/%u", tok[0],
				    buf, r->len);
	}
	if (strlen(tok[1]) >= sizeof(r->port))
		return sl_error_set(err,
				    "port: '%s' is longer than %zu characters. Fix: use a "
				    "[port NAME] name or an ethdev port id",
				    tok[1], sizeof(r->port) - 1);
	strcpy(r->port, tok[1]);
	if (sl_parse_mac("next hop", tok[2], &r->mac, err) < 0)
		return -1;
	return 1;
}

static int routes_read(const char *path, FILE *f, struct sl_route **routes, unsigned int *nb,
		       struct sl_error *err)
{
	char text[ROUTE_LINE_MAX];
	unsigned int line = 0, cap = 0;

	while (fgets(text, sizeof(text), f) != NULL) {
		int rc;

		line++;
		if (strchr(text, '\n') == NULL && !feof(f))
			return sl_error_set(err,
					    "%s:%u: line longer than %d characters. Fix: "
					    "shorten it",
					    path, line, ROUTE_LINE_MAX - 2);
		if (*nb == cap) {
			struct sl_route *r;

			cap = cap != 0 ? 2 * cap : 64;
			r = realloc(*routes, cap * sizeof(*r));
			if (r == NULL)
				return sl_error_set(err, "%s:%u: out of memory", path, line);
			*routes = r;
		}
		memset(&(*routes)[*nb], 0, sizeof(**routes));
		rc = route_parse_line(text, &(*routes)[*nb], err);
		if (rc < 0)
			return sl_error_prefix(err, "%s:%u: ", path, line);
		if (rc > 0)
			(*routes)[(*nb)++].line = line;
	}
	if (ferror(f))
		return sl_error_set(err, "%s:%u: read error. Fix: check the file", path, line);
	if (*nb == 0)
		return sl_error_set(err,
				    "%s:%u: no routes. Fix: add at least one line 'PREFIX/LEN PORT "
				    "MAC' (0.0.0.0/0 for a default route)",
				    path, line);
	/* A later line would silently win over an earlier one in any LPM table. */
	qsort(*routes, *nb, sizeof(**routes), route_cmp);
	for (unsigned int i = 1; i < *nb; i++)
		if ((*routes)[i].prefix == (*routes)[i - 1].prefix &&
		    (*routes)[i].len == (*routes)[i - 1].len)
			return sl_error_set(err,
					    "%s:%u: duplicate route, already given at line %u. "
					    "Fix: remove one",
					    path, (*routes)[i].line, (*routes)[i - 1].line);
	qsort(*routes, *nb, sizeof(**routes), route_line_cmp);
	return 0;
}

int sl_routes_load(const char *path, struct sl_route **routes, unsigned int *nb,
		   struct sl_error *err)
{
	FILE *f = fopen(path, "r");
	int rc;

	*routes = NULL;
	*nb = 0;
	if (f == NULL)
		return sl_error_set(err,
				    "%s:0: cannot open routes file: %s. Fix: give the path of an "
				    "existing file",
				    path, strerror(errno));
	rc = routes_read(path, f, routes, nb, err);
	fclose(f);
	if (rc < 0) {
		free(*routes);
		*routes = NULL;
		*nb = 0;
	}
	return rc;
}
