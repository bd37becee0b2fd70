/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage plugins: a .so whose constructors call sl_stage_register
 * (SL_STAGE_REGISTER), loaded by path from [app] plugins, --plugin or the
 * app's own sl_plugin_load(). Its references to sluice bind to the program's
 * copy of the library: libsluice.so, or a program that links libsluice
 * statically and exports its symbols (-Wl,--export-dynamic; sluice-fwd and
 * sluice-echo do). A plugin is never unloaded: the registry keeps pointers to
 * its sl_stage_ops.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/log_priv.h"
#include "stage/stage_priv.h"
#include "sluice/sl_stage.h"

#define SL_PLUGINS_MAX 32

static void *loaded[SL_PLUGINS_MAX];
static unsigned int nb_loaded;

static unsigned int nb_types(void)
{
	unsigned int n = 0;

	while (sl_stage_at(n) != NULL)
		n++;
	return n;
}

int sl_plugin_load(const char *path, struct sl_error *err)
{
	char buf[PATH_MAX];
	unsigned int before = nb_types();
	void *h;

	if (path == NULL || *path == '\0')
		return sl_error_set(err, "plugin: empty path. Fix: give the path of a .so");
	/* A bare name would be searched for in the system's library directories. */
	if (snprintf(buf, sizeof(buf), "%s%s", strchr(path, '/') ? "" : "./", path) >=
	    (int)sizeof(buf))
		return sl_error_set(err, "plugin %s: path too long. Fix: shorten it", path);
	/* RTLD_NOW: a symbol the program does not provide fails here, not mid-run. */
	h = dlopen(buf, RTLD_NOW | RTLD_GLOBAL);
	if (h == NULL)
		return sl_error_set(err,
				    "cannot load plugin %s: %s. Fix: give the path of a .so built "
				    "against this sluice's headers; a program that links libsluice "
				    "statically must export its symbols (-Wl,--export-dynamic)",
				    path, dlerror());
	for (unsigned int i = 0; i < nb_loaded; i++)
		if (loaded[i] == h)
			return 0; /* loaded before: its stages are registered */
	if (nb_loaded == SL_PLUGINS_MAX)
		return sl_error_set(err, "plugin %s: more than %d plugins. Fix: load fewer", path,
				    SL_PLUGINS_MAX);
	loaded[nb_loaded++] = h;
	/* A name taken twice, an invalid sl_stage_ops: said now, naming both objects. */
	if (sl_stage_registry_check(err) < 0)
		return -1;
	if (nb_types() == before)
		SL_LOG(WARNING,
		       "plugin %s registered no stage type (if it registers stages, they went "
		       "to another copy of libsluice: link the program with "
		       "-Wl,--export-dynamic, or the plugin without -lsluice)",
		       path);
	return 0;
}
