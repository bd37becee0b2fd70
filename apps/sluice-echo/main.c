/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sluice-echo: the echo service (TCP, UDP, ICMP) on sluice's IPv4/TCP
 * stack. The stack is the `tcpip` stage, so the config decides everything:
 * address, ports, and whether an `impair` stage sits in front of it or
 * behind it. Examples: drivers-config/examples/echo-*.ini, docs/net.md.
 *
 *   sluice-echo -l 0-1 --vdev net_tap0,iface=dtap0 -- \
 *       --config drivers-config/examples/echo-tap.ini
 */
#include <stdlib.h>

#include "sluice/sl_app.h"

int main(int argc, char **argv)
{
	struct sl_app *app;
	int rc;

	sl_app_describe(
	    "the echo service (TCP, UDP, ICMP) on sluice's IPv4/TCP stack, the config's tcpip "
	    "stage",
	    "-l 0-1 --vdev net_tap0,iface=dtap0 -- --config drivers-config/examples/echo-tap.ini");
	rc = sl_app_init(&app, argc, argv);

	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	rc = sl_app_run(app);
	sl_app_fini(app);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
