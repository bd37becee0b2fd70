/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/core's text helpers shared by parse.c and config.c. Not installed. */
#ifndef SLUICE_CORE_PARSE_PRIV_H
#define SLUICE_CORE_PARSE_PRIV_H

/* Cut leading and trailing white space of `s` in place; returns its start. */
char *sl_trim(char *s);

struct sl_error;
/* sl_ini_check of the file at `path`, its errors naming it `name` (INI text
 * read from a memfd is named by its origin, not /proc/self/fd/N). */
int sl_ini_check_named(const char *path, const char *name, struct sl_error *err);

#endif /* SLUICE_CORE_PARSE_PRIV_H */
