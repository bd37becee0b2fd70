/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp-service: a TCP service of your own on sluice's stack. "upper" sends
 * back what it receives in capitals. The tcpip stage does ARP, IPv4, ICMP
 * and TCP itself; the service is only the callbacks of its listener
 * (sluice/sl_tcp.h), registered by name (sluice/sl_tcp_service.h) and
 * named in the stage's args: tcpip = ip=...,tcp_service=upper:7000.
 *
 *   tcp-service -l 0-1 --vdev net_tap0,iface=sltap0 -- --config tcp-service.ini
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_byteorder.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <sluice/sl_app.h>
#include <sluice/sl_tcp_service.h>

/* One per worker: the service's state is never shared. */
struct upper {
	uint64_t conns, bytes;
};

static int upper_accept(struct sl_tcp_conn *c, void *listen_arg, void **conn_arg)
{
	struct upper *u = listen_arg;

	RTE_SET_USED(c);
	u->conns++;
	*conn_arg = u;
	return 0;
}

/* Capitals in place, then the same mbufs go back: no copy. */
static uint16_t upper_data(struct sl_tcp_conn *c, void *arg, struct rte_mbuf **m, uint16_t n)
{
	struct upper *u = arg;

	for (uint16_t i = 0; i < n; i++) {
		for (struct rte_mbuf *seg = m[i]; seg != NULL; seg = seg->next) {
			char *p = rte_pktmbuf_mtod(seg, char *);

			for (uint16_t k = 0; k < seg->data_len; k++)
				p[k] = (char)toupper((unsigned char)p[k]);
		}
		u->bytes += m[i]->pkt_len;
	}
	/*
	 * What the send buffer cannot take stays queued in the connection and
	 * is offered again after sl_tcp_recv_resume() (capitals twice: harmless;
	 * its bytes are counted twice too).
	 */
	return sl_tcp_send(c, m, n);
}

static void upper_sent(struct sl_tcp_conn *c, void *arg, uint32_t bytes)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(bytes);
	sl_tcp_recv_resume(c);
}

/*
 * The peer is done sending: so are we, once what we hold has gone. (Data
 * still queued unsent at this point would not be answered; the echo service
 * waits for it, sluice/sl_echo.h.)
 */
static void upper_peer_fin(struct sl_tcp_conn *c, void *arg)
{
	RTE_SET_USED(arg);
	sl_tcp_shutdown(c);
}

static const struct sl_tcp_callbacks upper_callbacks = {
    .on_accept = upper_accept,
    .on_data = upper_data,
    .on_sent = upper_sent,
    .on_peer_fin = upper_peer_fin,
};

static void *upper_start(struct sl_tcp_stack *tcp, uint16_t port, int socket)
{
	struct upper *u = rte_zmalloc_socket("upper", sizeof(*u), 0, socket);

	if (u == NULL)
		return NULL; /* rte_errno: ENOMEM */
	if (sl_tcp_listen(tcp, rte_cpu_to_be_16(port), &upper_callbacks, u) < 0) {
		rte_free(u);
		rte_errno = EADDRINUSE;
		return NULL;
	}
	return u;
}

static void upper_stop(void *state)
{
	struct upper *u = state;

	printf("upper: %" PRIu64 " connections, %" PRIu64 " bytes\n", u->conns, u->bytes);
	rte_free(u);
}

static const struct sl_tcp_service_ops upper_ops = {
    .name = "upper",
    .help = "sends back what it receives, in capitals",
    .start = upper_start,
    .stop = upper_stop,
};

SL_TCP_SERVICE_REGISTER(upper_ops);

int main(int argc, char **argv)
{
	struct sl_app *app;
	int rc = sl_app_init(&app, argc, argv);

	if (rc != 0)
		return rc > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	rc = sl_app_run(app);
	sl_app_fini(app);
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
