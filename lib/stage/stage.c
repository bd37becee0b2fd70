/* SPDX-License-Identifier: BSD-3-Clause */
/* Registry of stage types and the helpers of their init callbacks.
 * Registration happens from constructors, before main(), so it must not use
 * DPDK memory or logging: what it refuses is kept for
 * sl_stage_registry_check to report once the app starts. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log_priv.h"
#include "stage/stage_priv.h"

#define SL_STAGE_TYPES_MAX 64

static const struct sl_stage_ops *stage_types[SL_STAGE_TYPES_MAX];
static unsigned int nb_stage_types;

/* The first registration refused, and how many were. */
static struct {
	const struct sl_stage_ops *ops;	  /* refused */
	const struct sl_stage_ops *taken; /* holder of the name, if that was why */
	int why;
	unsigned int count;
} refused;

static int refuse(const struct sl_stage_ops *ops, const struct sl_stage_ops *taken, int why)
{
	if (refused.count++ == 0) {
		refused.ops = ops;
		refused.taken = taken;
		refused.why = why;
	}
	return why;
}

static bool name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= SL_NAME_MAX)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == len;
}

int sl_stage_register(const struct sl_stage_ops *ops)
{
	const struct sl_stage_ops *taken;

	if (ops == NULL)
		return -EINVAL;
	if (ops->name == NULL || !name_ok(ops->name) ||
	    (ops->process == NULL) == (ops->process_vector == NULL))
		return refuse(ops, NULL, -EINVAL);
	taken = sl_stage_find(ops->name);
	if (taken != NULL)
		return refuse(ops, taken, -EEXIST);
	if (nb_stage_types == SL_STAGE_TYPES_MAX)
		return refuse(ops, NULL, -ENOSPC);
	stage_types[nb_stage_types++] = ops;
	return 0;
}

/* The file of the executable or shared object `addr` lives in. */
static const char *object_of(const void *addr, char *buf, size_t size)
{
	struct link_map *map = NULL;
	Dl_info info;
	ssize_t len;

	if (dladdr1(addr, &info, (void **)&map, RTLD_DL_LINKMAP) == 0)
		return "an unknown object";
	if (map != NULL && map->l_name != NULL && map->l_name[0] != '\0')
		return map->l_name;
	/* The main program has no name in its link map: ask the kernel. */
	len = readlink("/proc/self/exe", buf, size - 1);
	if (len <= 0)
		return "the executable";
	buf[len] = '\0';
	return buf;
}

int sl_stage_registry_check(struct sl_error *err)
{
	const struct sl_stage_ops *ops = refused.ops;
	const char *name = ops != NULL && ops->name != NULL ? ops->name : "(null)";
	char more[64] = "", first[PATH_MAX], second[PATH_MAX];

	if (refused.count == 0)
		return 0;
	if (refused.count > 1)
		snprintf(more, sizeof(more), " (and %u more refused)", refused.count - 1);
	if (refused.why == -EEXIST)
		snprintf(err->msg, sizeof(err->msg),
			 "stage type '%s' is registered twice: by %s and by %s%s. Fix: give one "
			 "of them another .name",
			 name, object_of(refused.taken, first, sizeof(first)),
			 object_of(ops, second, sizeof(second)), more);
	else if (refused.why == -ENOSPC)
		snprintf(err->msg, sizeof(err->msg),
			 "stage type '%s' (from %s) not registered: %d stage types at most%s. "
			 "Fix: load fewer stages",
			 name, object_of(ops, first, sizeof(first)), SL_STAGE_TYPES_MAX, more);
	else
		snprintf(err->msg, sizeof(err->msg),
			 "stage type '%s' (from %s) not registered: its name must be "
			 "[a-z0-9_]+ and it needs exactly one of process and process_vector%s. "
			 "Fix: correct its sl_stage_ops",
			 name, object_of(ops, first, sizeof(first)), more);
	return -1;
}

/* "a, b, c" from a NULL-terminated list, or `none`. */
static void print_list(FILE *f, const char *label, const char *const *items, const char *none)
{
	fprintf(f, "    %-10s", label);
	if (items == NULL || items[0] == NULL)
		fprintf(f, "%s", none);
	for (unsigned int i = 0; items != NULL && items[i] != NULL; i++)
		fprintf(f, "%s%s", i ? ", " : "", items[i]);
	fprintf(f, "\n");
}

void sl_stage_list_print(FILE *f)
{
	for (unsigned int i = 0; i < nb_stage_types; i++) {
		const struct sl_stage_ops *ops = stage_types[i];

		fprintf(f, "%s%s\n    %s\n", i ? "\n" : "", ops->name,
			ops->help != NULL ? ops->help : "(no help)");
		print_list(f, "args:", ops->arg_keys, "none");
		print_list(f, "counters:", ops->counters, "none");
		fprintf(f, "    %-10s%s", "edges:", "next, drop");
		for (unsigned int e = 0; ops->extra_edges != NULL && ops->extra_edges[e]; e++)
			fprintf(f, ", %s", ops->extra_edges[e]);
		fprintf(f, "\n    %-10s%s%s%s\n", "kind:",
			ops->process != NULL ? "process (per vector)" : "vector (may hold packets)",
			ops->poll != NULL ? ", polled" : "",
			ops->keeps_port ? ", keeps ports" : "");
	}
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
