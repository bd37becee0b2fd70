/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/core's text helpers shared by parse.c and config.c. Not installed. */
#ifndef SLUICE_CORE_PARSE_PRIV_H
#define SLUICE_CORE_PARSE_PRIV_H

/* Cut leading and trailing white space of `s` in place; returns its start. */
char *sl_trim(char *s);

#endif /* SLUICE_CORE_PARSE_PRIV_H */
