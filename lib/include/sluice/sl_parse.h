/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * One set of value parsers for the config file, every stage's args, the
 * apps' command lines and custom stages, so a value is spelled the same way
 * everywhere and a bad one is reported the same way everywhere.
 *
 * Every parser takes the name the user wrote the value under (`key`: a config
 * key, a stage arg, "--duration"), the text, its bounds and a struct
 * sl_error. It accepts the whole text or nothing: trailing garbage ("12x",
 * "1.5.3", "on please") is an error, never a silent prefix as with atoi().
 * On error it returns -1 and writes one line to `err`:
 *
 *     KEY: 'VALUE' is not WHAT. Fix: HOW
 *
 * The caller that knows where the value came from puts the place in front
 * with sl_error_prefix(), giving the one style of every sluice error:
 *
 *     FILE:LINE: [section] KEY: 'VALUE' is not WHAT. Fix: HOW
 *
 * Accepted spellings (docs/config.md):
 * - booleans: on/off, yes/no, true/false, 1/0 (any case);
 * - integers: decimal or 0x hex; with a unit set, a k/M/G suffix (1000-based
 *   for counts and rates, 1024-based for sizes in bytes);
 * - percentages: 0..100 with an optional trailing '%';
 * - rates: a number with an optional k/M/G and pps (default) or bps, or a
 *   percentage of the line rate ending in '%';
 * - durations: a number with us, ms, s (default), m or h;
 * - IPv4: dotted quad; prefixes A.B.C.D/LEN; MACs XX:XX:XX:XX:XX:XX;
 * - lcore lists: 1,2,4-6 (commas or spaces).
 *
 * The parsers need no EAL and keep no state: they may be called before
 * rte_eal_init() and from any thread.
 */
#ifndef SLUICE_SL_PARSE_H
#define SLUICE_SL_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * One error, one line: "FILE:LINE: [section] key: what. Fix: how" once the
 * place is known, "key: what. Fix: how" from a parser. The config reader,
 * the port set-up, stage init callbacks and the apps all report through it.
 */
struct sl_error {
	char msg[512]; /**< the message: one line, NUL terminated */
};

/** printf into `err` (replacing what it held). Returns -1, for `return sl_error_set(...)`. */
SL_API int sl_error_set(struct sl_error *err, const char *fmt, ...) __rte_format_printf(2, 3);

/** Put printf text in front of the message already in `err`. Returns -1. */
SL_API int sl_error_prefix(struct sl_error *err, const char *fmt, ...) __rte_format_printf(2, 3);

/** Unit suffixes an integer may carry. */
enum sl_parse_units {
	SL_UNITS_NONE = 0, /**< digits only */
	SL_UNITS_SI,	   /**< k, M, G = 10^3, 10^6, 10^9 (counts, packets) */
	SL_UNITS_BYTES,	   /**< k, M, G = 2^10, 2^20, 2^30, optional trailing B or iB */
};

/**
 * An unsigned integer in min..max, decimal or 0x hex, with the suffixes
 * `units` allows. "-1", "", " 5", "5 ", "12x" and overflow are errors.
 */
SL_API int sl_parse_u64(const char *key, const char *value, enum sl_parse_units units, uint64_t min,
			uint64_t max, uint64_t *out, struct sl_error *err);

/** sl_parse_u64 for a 32-bit destination (max is clamped to UINT32_MAX). */
SL_API int sl_parse_u32(const char *key, const char *value, enum sl_parse_units units, uint32_t min,
			uint32_t max, uint32_t *out, struct sl_error *err);

/** A signed decimal integer in min..max (no units). */
SL_API int sl_parse_i64(const char *key, const char *value, int64_t min, int64_t max, int64_t *out,
			struct sl_error *err);

/** A real number in min..max (plain decimal notation; no nan, no inf). */
SL_API int sl_parse_double(const char *key, const char *value, double min, double max, double *out,
			   struct sl_error *err);

/** A boolean: on/off, yes/no, true/false, 1/0, in any case. */
SL_API int sl_parse_bool(const char *key, const char *value, bool *out, struct sl_error *err);

/**
 * One word of a fixed set, compared exactly: `names` is NULL terminated and
 * *index is set to the position of the match. The error lists the set.
 */
SL_API int sl_parse_enum(const char *key, const char *value, const char *const *names,
			 unsigned int *index, struct sl_error *err);

/** A percentage 0..100 ("3", "0.5", "12.5%"). */
SL_API int sl_parse_pct(const char *key, const char *value, double *out, struct sl_error *err);

/** Size in bytes with SL_UNITS_BYTES suffixes ("2048", "64k", "1MiB"), in min..max. */
SL_API int sl_parse_size(const char *key, const char *value, uint64_t min, uint64_t max,
			 uint64_t *out, struct sl_error *err);

/** A duration ("250ms", "1.5", "2m"; seconds when no unit) in min_s..max_s seconds. */
SL_API int sl_parse_duration(const char *key, const char *value, double min_s, double max_s,
			     double *seconds, struct sl_error *err);

/** What a rate is counted in. */
enum sl_rate_kind {
	SL_RATE_PPS = 0, /**< packets per second ("10M", "500kpps"); 0 = unpaced */
	SL_RATE_BPS,	 /**< bits per second on the wire ("10Gbps") */
	SL_RATE_PCT,	 /**< percent of the line rate ("50%") */
};

/** A rate: the value is in the unit its kind says. */
struct sl_rate {
	enum sl_rate_kind kind; /**< packets, bits or percent */
	double value;		/**< packets/s, bits/s or percent of the line rate */
};

/**
 * A packet or bit rate: "1000000", "14.88M", "500kpps", "10Gbps" (1e3..1e12
 * bit/s), "50%" (0 < p <= 100). Packet rates are 0..1e9 (0: as fast as
 * possible, for the caller to allow or refuse).
 */
SL_API int sl_parse_rate(const char *key, const char *value, struct sl_rate *out,
			 struct sl_error *err);

/** An IPv4 address "A.B.C.D", in network byte order. */
SL_API int sl_parse_ip4(const char *key, const char *value, uint32_t *addr_be,
			struct sl_error *err);

/** Pass as default_len to sl_parse_ip4_prefix when "/LEN" must be written. */
#define SL_PARSE_LEN_REQUIRED (-1)

/**
 * An IPv4 prefix "A.B.C.D/LEN", LEN 0..32 (an interface address such as
 * 10.0.0.2/24 is accepted: host bits are the caller's business). Without
 * "/LEN", default_len is used, or it is an error with SL_PARSE_LEN_REQUIRED.
 */
SL_API int sl_parse_ip4_prefix(const char *key, const char *value, int default_len,
			       uint32_t *addr_be, uint8_t *len, struct sl_error *err);

/** A MAC address "XX:XX:XX:XX:XX:XX" (also XXXX.XXXX.XXXX, as rte_ether_unformat_addr). */
SL_API int sl_parse_mac(const char *key, const char *value, struct rte_ether_addr *mac,
			struct sl_error *err);

/**
 * A list of lcore ids "1,2,4-6" (commas and/or spaces), each < max_lcore,
 * none twice, at most `cap` of them, written in order to lcores[].
 */
SL_API int sl_parse_lcores(const char *key, const char *value, unsigned int max_lcore,
			   unsigned int *lcores, unsigned int cap, unsigned int *nb,
			   struct sl_error *err);

/* ---- files ---- */

/**
 * Check the shape of an INI file before rte_cfgfile reads it: every line is
 * blank, a comment (; or #), a [section] header or key = value; no section
 * header appears twice; no key appears twice in one section. The first
 * offence is reported as "FILE:LINE: ... Fix: ...".
 */
SL_API int sl_ini_check(const char *path, struct sl_error *err);

/** Line of `key` inside `[section]` of `path`, or of the header when key is NULL (0: not found). */
SL_API unsigned int sl_config_line_of(const char *path, const char *section, const char *key);

/**
 * Where an error is: "PATH:LINE", or "PATH" alone when `line` is 0 (a config
 * built in code has no lines). Returns `buf`.
 */
SL_API const char *sl_config_at(const char *path, unsigned int line, char *buf, size_t size);

/** Longest route name of a port in a routes file (a [port NAME] name or an ethdev id). */
#define SL_ROUTE_PORT_MAX 32

/** One line of a routes file: PREFIX/LEN PORT NEXTHOP_MAC. */
struct sl_route {
	uint32_t prefix;	      /**< host byte order, host bits clear */
	uint8_t len;		      /**< 0..32; 0.0.0.0/0 is the default route */
	char port[SL_ROUTE_PORT_MAX]; /**< output port: [port NAME] name or ethdev id, as written */
	struct rte_ether_addr mac;    /**< next hop's MAC: the frame's new destination */
	unsigned int line;	      /**< in the file, for the caller's own errors */
};

/**
 * Read a routes file, one "PREFIX/LEN PORT NEXTHOP_MAC" per line, '#' starts
 * a comment, blank lines allowed. Refuses a malformed line, a prefix with
 * host bits set, a prefix given twice and a file with no route, naming
 * FILE:LINE. On success *routes is a malloc'ed array of *nb (free() it),
 * in file order; resolving the PORT names is the caller's.
 */
SL_API int sl_routes_load(const char *path, struct sl_route **routes, unsigned int *nb,
			  struct sl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_PARSE_H */
