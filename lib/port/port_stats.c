/* SPDX-License-Identifier: BSD-3-Clause */
/* Port counters that tell the truth: the ethdev's, plus the receive drops a
 * PMD keeps out of imissed.
 *
 * net_af_packet (DPDK 22.11) copies frames out of a TPACKET_V2 ring the
 * kernel fills; when the ring is full the kernel drops the frame and counts
 * it in the socket's PACKET_STATISTICS tp_drops, which the PMD never reads
 * (its imissed stays 0, and it has no xstats of its own). The sockets are
 * the PMD's, but they are file descriptors of this process: find them by
 * their bound interface and read them. Reading PACKET_STATISTICS resets the
 * kernel's counters, so every read adds into a running total here, under a
 * lock (the stats line, telemetry and the final summary read from different
 * threads). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_packet.h>

#include <rte_ethdev.h>
#include <rte_spinlock.h>
#include <rte_string_fns.h>

#include "core/log_priv.h"
#include "port/port_priv.h"
#include "sluice/sl_port.h"

#define MAX_RING_FDS 16 /* af_packet qpairs */
#define MAX_MISSED_XSTATS 8

struct port_drops {
	rte_spinlock_t lock;
	bool probed;	/* driver looked at */
	bool af_packet; /* read tp_drops from the PMD's sockets */
	int ifindex;
	unsigned int nb_fds;
	int fd[MAX_RING_FDS];
	ino_t ino[MAX_RING_FDS]; /* to notice an fd closed and reused */
	uint64_t ring_drops;	 /* tp_drops read so far */
	unsigned int nb_xstats;
	uint64_t xstat_id[MAX_MISSED_XSTATS];
	uint64_t tx_unfixed; /* chains port_tx.c could not make one segment */
};

static struct port_drops drops[RTE_MAX_ETHPORTS];

static void probe_driver(struct port_drops *d, uint16_t port_id)
{
	struct rte_eth_dev_info info;

	d->probed = true;
	if (rte_eth_dev_info_get(port_id, &info) != 0 || info.driver_name == NULL)
		return;
	if (strcmp(info.driver_name, "net_af_packet") == 0 && info.if_index > 0) {
		d->af_packet = true;
		d->ifindex = (int)info.if_index;
	}
}

/* The PMD's sockets: AF_PACKET, TPACKET_V2, bound to the port's interface.
 * One per queue pair (qpairs=N joins them in a fanout group). */
static void find_ring_fds(struct port_drops *d)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;

	d->nb_fds = 0;
	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL && d->nb_fds < MAX_RING_FDS) {
		int fd = atoi(de->d_name), v = 0;
		socklen_t len = sizeof(v);
		struct sockaddr_ll sll;
		socklen_t slen = sizeof(sll);
		struct stat st;

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || fd == dirfd(dir))
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) != 0 || v != AF_PACKET)
			continue;
		memset(&sll, 0, sizeof(sll));
		if (getsockname(fd, (struct sockaddr *)&sll, &slen) != 0 ||
		    sll.sll_ifindex != d->ifindex)
			continue;
		len = sizeof(v);
		if (getsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, &len) != 0 || v != TPACKET_V2)
			continue;
		if (fstat(fd, &st) != 0)
			continue;
		d->fd[d->nb_fds] = fd;
		d->ino[d->nb_fds] = st.st_ino;
		d->nb_fds++;
	}
	closedir(dir);
}

static bool fds_still_ours(const struct port_drops *d)
{
	for (unsigned int i = 0; i < d->nb_fds; i++) {
		struct stat st;

		if (fstat(d->fd[i], &st) != 0 || st.st_ino != d->ino[i])
			return false;
	}
	return true;
}

/* Add the kernel's drops since the last read. Caller holds d->lock. */
static void read_ring_drops(struct port_drops *d)
{
	if (d->nb_fds == 0 || !fds_still_ours(d))
		find_ring_fds(d);
	for (unsigned int i = 0; i < d->nb_fds; i++) {
		struct tpacket_stats st;
		socklen_t len = sizeof(st);

		if (getsockopt(d->fd[i], SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
			d->ring_drops += st.tp_drops;
	}
}

int sl_port_stats_get(uint16_t port_id, struct rte_eth_stats *stats)
{
	struct port_drops *d;
	uint64_t values[MAX_MISSED_XSTATS];
	int rc;

	rc = rte_eth_stats_get(port_id, stats);
	if (rc != 0 || port_id >= RTE_MAX_ETHPORTS)
		return rc;
	d = &drops[port_id];
	rte_spinlock_lock(&d->lock);
	if (!d->probed)
		probe_driver(d, port_id);
	if (d->af_packet)
		read_ring_drops(d);
	stats->imissed += d->ring_drops;
	stats->oerrors += __atomic_load_n(&d->tx_unfixed, __ATOMIC_RELAXED);
	if (d->nb_xstats > 0 && rte_eth_xstats_get_by_id(port_id, d->xstat_id, values,
							 d->nb_xstats) == (int)d->nb_xstats)
		for (unsigned int i = 0; i < d->nb_xstats; i++)
			stats->imissed += values[i];
	rte_spinlock_unlock(&d->lock);
	return 0;
}

int sl_port_stats_missed_xstats(uint16_t port_id, const char *names)
{
	char buf[256], *tok, *save;
	struct port_drops *d;

	if (port_id >= RTE_MAX_ETHPORTS || names == NULL)
		return 0;
	d = &drops[port_id];
	strlcpy(buf, names, sizeof(buf));
	rte_spinlock_lock(&d->lock);
	d->nb_xstats = 0;
	for (tok = strtok_r(buf, " \t,", &save); tok && d->nb_xstats < MAX_MISSED_XSTATS;
	     tok = strtok_r(NULL, " \t,", &save))
		if (rte_eth_xstats_get_id_by_name(port_id, tok, &d->xstat_id[d->nb_xstats]) == 0)
			d->nb_xstats++;
	rte_spinlock_unlock(&d->lock);
	return (int)d->nb_xstats;
}

void sl_port_stats_save(uint16_t port_id)
{
	struct rte_eth_stats st;

	sl_port_stats_get(port_id, &st);
	if (port_id < RTE_MAX_ETHPORTS) {
		rte_spinlock_lock(&drops[port_id].lock);
		drops[port_id].nb_fds = 0; /* the PMD closes them now */
		rte_spinlock_unlock(&drops[port_id].lock);
	}
}

void sl_port_tx_linearize_failed(uint16_t port_id)
{
	if (port_id < RTE_MAX_ETHPORTS)
		__atomic_fetch_add(&drops[port_id].tx_unfixed, 1, __ATOMIC_RELAXED);
}
