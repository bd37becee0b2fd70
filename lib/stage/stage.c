/* SPDX-License-Identifier: BSD-3-Clause */
/* Registry of stage types and the helpers of their init callbacks.
 * Registration happens from constructors, before main(), so it must not use
 * DPDK memory or logging. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sluice/sl_stage.h"

#define SL_STAGE_TYPES_MAX 64

static const struct sl_stage_ops *stage_types[SL_STAGE_TYPES_MAX];
static unsigned int nb_stage_types;

int sl_stage_register(const struct sl_stage_ops *ops)
{
	if (ops == NULL || ops->name == NULL ||
	    (ops->process == NULL) == (ops->process_vector == NULL))
		return -EINVAL;
	if (sl_stage_find(ops->name) != NULL)
		return -EEXIST;
	if (nb_stage_types == SL_STAGE_TYPES_MAX)
		return -ENOSPC;
	stage_types[nb_stage_types++] = ops;
	return 0;
}

const struct sl_stage_ops *sl_stage_find(const char *name)
{
	for (unsigned int i = 0; i < nb_stage_types; i++)
		if (strcmp(stage_types[i]->name, name) == 0)
			return stage_types[i];
	return NULL;
}

const struct sl_stage_ops *sl_stage_at(unsigned int index)
{
	return index < nb_stage_types ? stage_types[index] : NULL;
}

int sl_stage_fail(struct sl_stage_init *init, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(init->err->msg, sizeof(init->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void sl_stage_note(const struct sl_stage_init *init, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printf("%s: %s\n", init->where != NULL ? init->where : init->instance, text);
}

const char *sl_stage_arg(const struct sl_stage_init *init, const char *key, const char *def)
{
	const struct rte_kvargs *kv = init->args;

	for (unsigned int i = 0; kv != NULL && i < kv->count; i++)
		if (strcmp(kv->pairs[i].key, key) == 0)
			return kv->pairs[i].value;
	return def;
}

int sl_stage_arg_u64(const struct sl_stage_init *init, const char *key, const char *def,
		     enum sl_parse_units units, uint64_t min, uint64_t max, uint64_t *out)
{
	return sl_parse_u64(key, sl_stage_arg(init, key, def), units, min, max, out, init->err) < 0
		   ? -EINVAL
		   : 0;
}

int sl_stage_arg_u32(const struct sl_stage_init *init, const char *key, const char *def,
		     enum sl_parse_units units, uint32_t min, uint32_t max, uint32_t *out)
{
	return sl_parse_u32(key, sl_stage_arg(init, key, def), units, min, max, out, init->err) < 0
		   ? -EINVAL
		   : 0;
}

int sl_stage_arg_bool(const struct sl_stage_init *init, const char *key, const char *def, bool *out)
{
	return sl_parse_bool(key, sl_stage_arg(init, key, def), out, init->err) < 0 ? -EINVAL : 0;
}

int sl_stage_arg_pct(const struct sl_stage_init *init, const char *key, const char *def,
		     double *out)
{
	return sl_parse_pct(key, sl_stage_arg(init, key, def), out, init->err) < 0 ? -EINVAL : 0;
}
