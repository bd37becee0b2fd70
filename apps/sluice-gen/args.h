/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-gen's argument parsing, shared by args.c (the option table),
 * args_values.c (one parser per kind of value) and args_check.c (the checks
 * across options once all are read). */
#ifndef SLUICE_GEN_ARGS_H
#define SLUICE_GEN_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gen.h"

/* What the options say beyond struct gen_opts while they are read: the
 * values that need every option first (--dst-ip needs --ttl, --size-sweep
 * needs --size, --search-min needs --rate). */
struct gen_args {
	struct gen_opts *o;
	struct sl_error *err;
	const char *dst_arg;
	unsigned int ttl;
	bool ttl_given, sweep;
	enum gen_rate_kind search_min_kind;
};

struct gen_opt;

/* Parses `val` for option `opt` into a->o; 0, or -1 with a->err filled. */
typedef int (*gen_opt_parse_fn)(struct gen_args *a, const struct gen_opt *opt, const char *val);

/* One option: its spelling, its value, its bounds and its help, from which
 * both the parser and the usage text are made. */
struct gen_opt {
	const char *section; /* heading printed before it in the usage, or NULL */
	const char *name;    /* with the leading "--" */
	const char *value;   /* the value's placeholder in the usage; NULL: a flag */
	gen_opt_parse_fn parse;
	size_t off;	   /* offsetof(struct gen_opts, field) it fills */
	size_t given_off;  /* offsetof a bool set when the option is given (0: none) */
	uint64_t min, max; /* bounds of an integer value */
	const char *fix;   /* the "Fix:" of a bad value */
	const char *help;  /* usage text; '\n' starts a continuation line */
};

/* ---- value kinds (args_values.c) ---- */

int gen_arg_flag(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_u64(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_uint(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_u16(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_secs(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_pct(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_ip(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_mac(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_text(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_ports(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_rate(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_line_rate(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_size(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_size_sweep(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_search_precision(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_search_min(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_tcp(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_dst_ip(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_ttl(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_expect(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_dut_mac(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_ttl_dec(struct gen_args *a, const struct gen_opt *opt, const char *val);
int gen_arg_max_loss(struct gen_args *a, const struct gen_opt *opt, const char *val);

/* "--NAME VAL: what. Fix: how" into a->err; returns -1. */
int gen_arg_bad(struct gen_args *a, const char *name, const char *val, const char *what,
		const char *fix);

/* The --dst-ip list, once --ttl is known (args_values.c). */
int gen_args_dsts(struct gen_args *a);

/* ---- checks across options (args_check.c) ---- */

int gen_args_check(struct gen_args *a);

#endif /* SLUICE_GEN_ARGS_H */
