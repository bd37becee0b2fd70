/* SPDX-License-Identifier: BSD-3-Clause */
/* sluice-fwd: run the pipelines of a config file on the EAL's ports. */
#include <stdlib.h>

#include "sluice/sl_app.h"

int main(int argc, char **argv)
{
	struct sl_app *app;
	int rc;

	sl_app_describe(
	    "run the pipelines of a config file on the EAL's ports (stages: --list-stages)", NULL);
	rc = sl_app_init(&app, argc, argv);

	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	rc = sl_app_run(app);
	sl_app_fini(app);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
