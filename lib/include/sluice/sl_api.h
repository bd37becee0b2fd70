/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * SL_API marks sluice's public functions. libsluice is built with
 * -fvisibility=hidden, so only what these headers declare with SL_API is
 * exported from libsluice.so; everything else stays inside the library.
 */
#ifndef SLUICE_SL_API_H
#define SLUICE_SL_API_H

/** Exports the function or variable it precedes from libsluice.so. */
#define SL_API __attribute__((visibility("default")))

#endif /* SLUICE_SL_API_H */
