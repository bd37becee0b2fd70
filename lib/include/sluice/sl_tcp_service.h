/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * TCP services of your own on the tcpip stage's stack: register one by
 * name, and a pipeline's tcpip stage runs it on every worker with
 * tcp_service=NAME:PORT (several: NAME:PORT|NAME2:PORT2), beside or instead
 * of the built-in echo (tcp_echo=0). A service is the sl_tcp.h callbacks
 * of its listener: it sees in-order payload as mbufs, sends mbufs, closes;
 * ARP, IPv4, ICMP, retransmission and the rest are the stage's.
 *
 *   static void *upper_start(struct sl_tcp_stack *tcp, uint16_t port, int socket)
 *   {   ...allocate per-worker state on `socket`...
 *       if (sl_tcp_listen(tcp, rte_cpu_to_be_16(port), &upper_callbacks, state) < 0)
 *           return NULL;
 *       return state;
 *   }
 *   static const struct sl_tcp_service_ops upper = {
 *       .name = "upper", .help = "...", .start = upper_start, .stop = upper_stop};
 *   SL_TCP_SERVICE_REGISTER(upper);
 *
 * Everything runs on the worker that owns the stack: start, poll and the
 * callbacks of one worker's connections; state is per worker, nothing is
 * shared. examples/tcp-service is a whole one.
 */
#ifndef SLUICE_SL_TCP_SERVICE_H
#define SLUICE_SL_TCP_SERVICE_H

#include <stdint.h>

#include "sluice/sl_api.h"
#include "sluice/sl_tcp.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A TCP service the tcpip stage can run on each worker's stack: its name
 * and the calls it makes on each worker. Registered with
 * SL_TCP_SERVICE_REGISTER; it must outlive the apps that run it.
 */
struct sl_tcp_service_ops {
	const char *name; /**< [a-z0-9_]+, as tcp_service= names it */
	const char *help; /**< one line, for --list-stages */
	/**
	 * On each worker running the stage, once its stack exists: listen on
	 * `port` (host order; sl_tcp_listen() takes it in network order:
	 * rte_cpu_to_be_16(port)) of `tcp` and return the
	 * service's state for this worker, allocated on NUMA node `socket`.
	 * NULL (rte_errno set) stops the app from starting, with the reason.
	 */
	void *(*start)(struct sl_tcp_stack *tcp, uint16_t port, int socket);
	/** Optional: every poll of the stage, with the stack's clock (us). */
	void (*poll)(void *state, uint64_t now_us);
	/** After the worker's stack is freed (no callback comes any more). */
	void (*stop)(void *state);
};

/**
 * Register a service (usually through SL_TCP_SERVICE_REGISTER, before
 * main). Returns 0, -EEXIST for a name taken, -EINVAL for a bad name or a
 * missing start, -ENOSPC past 16 services; the refusal is also printed.
 */
SL_API int sl_tcp_service_register(const struct sl_tcp_service_ops *ops);

/** The service registered as `name`, or NULL. */
SL_API const struct sl_tcp_service_ops *sl_tcp_service_find(const char *name);

/** The index-th registered service (0-based), or NULL past the last. */
SL_API const struct sl_tcp_service_ops *sl_tcp_service_at(unsigned int index);

/** Register `ops` (a struct sl_tcp_service_ops) when the program or plugin loads. */
#define SL_TCP_SERVICE_REGISTER(ops)                                                               \
	RTE_INIT(sl_tcp_service_register_##ops)                                                    \
	{                                                                                          \
		sl_tcp_service_register(&(ops));                                                   \
	}

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_TCP_SERVICE_H */
