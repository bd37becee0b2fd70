/* SPDX-License-Identifier: BSD-3-Clause */
/* Port bring-up: resolve the config's device, apply its profile, ask only
 * for what the device reports it can do, and say once what was not granted. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_bus.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "core/app_priv.h"
#include "sluice/sl_port.h"

/* A Toeplitz key made of one repeated 16-bit pattern hashes (src, dst) and
 * (dst, src) alike, so both directions of a flow meet on one queue. DPDK
 * 22.11 has no symmetric hash function selector, so the key does the job. */
static uint8_t symmetric_rss_key[52];

/* `rel` beside the directory of `file` (a program or a shared object), into
 * buf when that directory exists. */
static bool profiles_beside(const char *file, const char *rel, char *buf, size_t size)
{
	const char *slash = strrchr(file, '/');
	int n;

	if (slash == NULL)
		return false;
	n = snprintf(buf, size, "%.*s/%s", (int)(slash - file), file, rel);
	return n > 0 && (size_t)n < size && access(buf, R_OK | X_OK) == 0;
}

/*
 * Where the port profiles are, first found: [app] profiles_dir,
 * $SLUICE_PROFILE_DIR, beside the running program (installed:
 * <prefix>/bin/../share/sluice/profiles; in the build tree, which meson
 * fills: build/apps/../drivers-config/profiles), beside libsluice.so when the
 * program uses the shared library, then the prefix chosen at build time. No
 * path of the source tree is built in: a copied or relocated install works.
 */
static const char *profile_dir(const struct sl_app *app)
{
	static const char *const rel[] = {"../share/sluice/profiles", "../drivers-config/profiles",
					  "../../share/sluice/profiles",
					  "../../drivers-config/profiles"};
	static char found[PATH_MAX];
	const char *env = getenv("SLUICE_PROFILE_DIR");
	char exe[PATH_MAX];
	Dl_info lib;
	ssize_t len;

	if (app->cfg.profiles_dir[0] != '\0')
		return app->cfg.profiles_dir;
	if (env != NULL && *env != '\0')
		return env;
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		for (unsigned int i = 0; i < RTE_DIM(rel); i++)
			if (profiles_beside(exe, rel[i], found, sizeof(found)))
				return found;
	}
	if (dladdr((const void *)profile_dir, &lib) != 0 && lib.dli_fname != NULL &&
	    strcmp(lib.dli_fname, exe) != 0)
		for (unsigned int i = 0; i < RTE_DIM(rel); i++)
			if (profiles_beside(lib.dli_fname, rel[i], found, sizeof(found)))
				return found;
	return SL_INSTALL_PROFILE_DIR;
}

static uint16_t pick_desc(uint16_t from_conf, uint16_t from_profile);

/* Value of devarg KEY in "name,k=v,k=v" or "k=v,k=v", or 0 when absent. */
static unsigned long devarg_value(const char *args, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = args; p != NULL && *p != '\0'; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return strtoul(p + klen + 1, NULL, 0);
	}
	return 0;
}

/* A PMD whose rings come from a devarg (af_packet's framecnt) and that sluice
 * attaches itself gets the ring rx_desc asks for, unless the devargs say.
 * A vdev's driver is its name without the instance number. */
static void ring_devarg_add(char *args, size_t size, const char *name,
			    const struct sl_port_conf *conf, const char *pdir)
{
	char driver[SL_DEV_MAX];
	struct sl_port_profile prof;
	struct sl_error e;
	size_t len;

	strlcpy(driver, name, sizeof(driver));
	for (len = strlen(driver); len > 0 && driver[len - 1] >= '0' && driver[len - 1] <= '9';)
		driver[--len] = '\0';
	if (sl_profile_load(pdir, conf->profile, driver, &prof, &e) < 0 ||
	    prof.ring_devarg[0] == '\0' || devarg_value(args, prof.ring_devarg) != 0)
		return;
	len = strlen(args);
	snprintf(args + len, size - len, ",%s=%u", prof.ring_devarg,
		 pick_desc(conf->rx_desc, prof.rx_desc));
}

static int resolve_device(struct sl_port *port, const char *path, const char *pdir,
			  struct sl_error *err)
{
	char at[PATH_MAX + 16];
	const struct sl_port_conf *conf = port->conf;
	char args[SL_DEV_MAX + 64];
	char name[SL_DEV_MAX];
	char *comma;
	int rc;

	strlcpy(name, conf->dev, sizeof(name));
	comma = strchr(name, ',');
	if (comma != NULL)
		*comma = '\0';
	if (rte_eth_dev_get_port_by_name(name, &port->port_id) == 0)
		return 0;
	if (comma == NULL && strncmp(name, "net_", 4) != 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s: [port %s] dev: no ethdev '%s'. Fix: give it to the EAL (-a %s or "
			 "--vdev %s) or write full devargs, e.g. dev = net_memif0,role=server",
			 sl_config_at(path, conf->line, at, sizeof(at)), conf->name, name, name,
			 name);
		return -1;
	}
	/* Not probed by the EAL yet: hot-plug it from the devargs. */
	strlcpy(args, comma ? conf->dev : name, sizeof(args));
	ring_devarg_add(args, sizeof(args), name, conf, pdir);
	rc = rte_dev_probe(args);
	if (rc < 0 || rte_eth_dev_get_port_by_name(name, &port->port_id) != 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s: [port %s] dev: cannot attach '%s' (no such driver, bad "
			 "arguments, or the device is missing; rte_dev_probe: %s). Fix: check the "
			 "driver name and its arguments in the PMD's guide, or pass the device to "
			 "the EAL with -a/--vdev",
			 sl_config_at(path, conf->line, at, sizeof(at)), conf->name, conf->dev,
			 rc < 0 ? strerror(-rc) : "no ethdev created");
		return -1;
	}
	port->hotplugged = true;
	return 0;
}

static uint16_t pick_desc(uint16_t from_conf, uint16_t from_profile)
{
	if (from_conf != 0)
		return from_conf;
	return from_profile != 0 ? from_profile : 1024;
}

/* Some PMDs size their rings from a devarg and ignore nb_rx_desc/nb_tx_desc
 * (af_packet: framecnt, 512 frames when absent, for the rx ring and the tx
 * ring alike). Report the size in force, and say once when the config or
 * profile asked for another. */
static void ring_from_devarg(struct sl_port *port)
{
	const struct sl_port_profile *prof = &port->profile;
	const struct rte_devargs *da;
	unsigned long n = 0;
	uint16_t asked = port->rx_desc;

	if (prof->ring_devarg[0] == '\0')
		return;
	da = port->info.device != NULL ? rte_dev_devargs(port->info.device) : NULL;
	if (da != NULL && da->args != NULL)
		n = devarg_value(da->args, prof->ring_devarg);
	if (n == 0 || n > UINT16_MAX)
		n = prof->ring_devarg_default;
	port->rx_desc = port->tx_desc = (uint16_t)n;
	if (asked != n)
		SL_LOG(WARNING,
		       "port %s (%s): its rings are %lu frames (devarg %s), not the %u "
		       "rx_desc asks: the PMD ignores rx_desc and tx_desc. Fix: add %s=%u to the "
		       "device's arguments (--vdev or dev =)",
		       port->conf->name, port->info.driver_name, n, prof->ring_devarg, asked,
		       prof->ring_devarg, asked);
}

int sl_ports_probe(struct sl_app *app, struct sl_error *err)
{
	char at[PATH_MAX + 16];
	for (unsigned int i = 0; i < app->cfg.nb_ports; i++) {
		struct sl_port *port = &app->ports[i];
		int rc;

		memset(port, 0, sizeof(*port));
		port->conf = &app->cfg.ports[i];
		if (resolve_device(port, app->cfg.path, profile_dir(app), err) < 0)
			return -1;
		for (unsigned int j = 0; j < i; j++)
			if (app->ports[j].port_id == port->port_id) {
				snprintf(
				    err->msg, sizeof(err->msg),
				    "%s: [port %s] dev: same device as [port %s]. Fix: one "
				    "[port] section per device",
				    sl_config_at(app->cfg.path, port->conf->line, at, sizeof(at)),
				    port->conf->name, app->ports[j].conf->name);
				return -1;
			}
		rc = rte_eth_dev_info_get(port->port_id, &port->info);
		if (rc != 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "[port %s]: cannot read device info: %s", port->conf->name,
				 strerror(-rc));
			return -1;
		}
		port->socket = rte_eth_dev_socket_id(port->port_id);
		if (port->socket < 0 || port->socket >= RTE_MAX_NUMA_NODES)
			port->socket = -1;
		if (sl_profile_load(profile_dir(app), port->conf->profile, port->info.driver_name,
				    &port->profile, err) < 0)
			return -1;
		port->rx_desc = pick_desc(port->conf->rx_desc, port->profile.rx_desc);
		port->tx_desc = pick_desc(port->conf->tx_desc, port->profile.tx_desc);
		ring_from_devarg(port);
		sl_port_name_set(port->port_id, port->conf->name);
		app->nb_ports++;
	}
	return 0;
}

static void log_not_granted(const struct sl_port *port, const char *dir, uint64_t wanted,
			    uint64_t granted, bool rx)
{
	uint64_t missing = wanted & ~granted;

	for (unsigned int bit = 0; bit < 64; bit++)
		if (missing & (1ULL << bit))
			SL_LOG(WARNING,
			       "port %s (%s): %s offload %s wanted by profile %s, not offered "
			       "by the device: not requested",
			       port->conf->name, port->info.driver_name, dir,
			       rx ? rte_eth_dev_rx_offload_name(1ULL << bit)
				  : rte_eth_dev_tx_offload_name(1ULL << bit),
			       port->profile.name);
}

static int rxq_socket(const struct sl_app *app, unsigned int port_idx, uint16_t queue)
{
	for (unsigned int w = 0; w < app->nb_workers; w++) {
		const struct sl_worker_conf *wc = app->workers[w]->conf;

		for (unsigned int r = 0; r < wc->nb_rxq; r++)
			if (wc->rxq[r].port_idx == port_idx && wc->rxq[r].queue == queue)
				return app->workers[w]->info.socket;
	}
	return rte_socket_id();
}

static int port_configure(struct sl_app *app, unsigned int idx, struct sl_error *err)
{
	char at[PATH_MAX + 16];
	struct sl_port *port = &app->ports[idx];
	const struct sl_port_conf *conf = port->conf;
	struct rte_eth_conf eth_conf;
	enum sl_rss_mode rss = conf->rss != SL_RSS_AUTO ? conf->rss : port->profile.rss;
	uint16_t mtu = conf->mtu ? conf->mtu : port->profile.mtu;
	int rc;

	memset(&eth_conf, 0, sizeof(eth_conf));
	port->nb_rxq = conf->rx_queues;
	port->nb_txq = app->nb_workers;
	if (port->nb_rxq > port->info.max_rx_queues) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s: [port %s] rx_queues: %u asked, device %s has %u. Fix: rx_queues = "
			 "%u or fewer (for memif/af_packet, raise the vdev's queue count too)",
			 sl_config_at(app->cfg.path, conf->line, at, sizeof(at)), conf->name,
			 port->nb_rxq, port->info.driver_name, port->info.max_rx_queues,
			 port->info.max_rx_queues);
		return -1;
	}
	if (port->nb_txq > port->info.max_tx_queues) {
		snprintf(err->msg, sizeof(err->msg),
			 "[port %s]: %u workers need one tx queue each, device %s has %u. Fix: use "
			 "fewer worker lcores, or give the vdev more queues",
			 conf->name, port->nb_txq, port->info.driver_name,
			 port->info.max_tx_queues);
		return -1;
	}

	if (rss != SL_RSS_OFF && port->nb_rxq > 1) {
		uint64_t hf = port->profile.rss_hf & port->info.flow_type_rss_offloads;

		if (hf == 0) {
			SL_LOG(WARNING,
			       "port %s (%s): no RSS on this device; its own logic spreads "
			       "packets over the %u rx queues",
			       conf->name, port->info.driver_name, port->nb_rxq);
		} else {
			eth_conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			eth_conf.rx_adv_conf.rss_conf.rss_hf = hf;
			if (rss == SL_RSS_SYMMETRIC && port->info.hash_key_size > 0 &&
			    port->info.hash_key_size <= sizeof(symmetric_rss_key)) {
				for (unsigned int i = 0; i < sizeof(symmetric_rss_key); i += 2) {
					symmetric_rss_key[i] = 0x6d;
					symmetric_rss_key[i + 1] = 0x5a;
				}
				eth_conf.rx_adv_conf.rss_conf.rss_key = symmetric_rss_key;
				eth_conf.rx_adv_conf.rss_conf.rss_key_len =
				    port->info.hash_key_size;
			}
		}
	}
	eth_conf.rxmode.offloads = port->profile.rx_offloads & port->info.rx_offload_capa;
	eth_conf.txmode.offloads = port->profile.tx_offloads & port->info.tx_offload_capa;
	log_not_granted(port, "rx", port->profile.rx_offloads, eth_conf.rxmode.offloads, true);
	log_not_granted(port, "tx", port->profile.tx_offloads, eth_conf.txmode.offloads, false);

	rc = rte_eth_dev_configure(port->port_id, port->nb_rxq, port->nb_txq, &eth_conf);
	if (rc < 0) {
		snprintf(err->msg, sizeof(err->msg), "[port %s]: rte_eth_dev_configure failed: %s",
			 conf->name, strerror(-rc));
		return -1;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(port->port_id, &port->rx_desc, &port->tx_desc);

	if (mtu != 0) {
		rc = rte_eth_dev_set_mtu(port->port_id, mtu);
		if (rc == -ENOTSUP)
			SL_LOG(WARNING,
			       "port %s: device cannot change its MTU; keeping its default",
			       conf->name);
		else if (rc < 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "%s: [port %s] mtu: %u refused by the device (%s). Fix: use "
				 "%u..%u or 0",
				 sl_config_at(app->cfg.path, conf->line, at, sizeof(at)),
				 conf->name, mtu, strerror(-rc), port->info.min_mtu,
				 port->info.max_mtu);
			return -1;
		}
	}

	for (uint16_t q = 0; q < port->nb_rxq; q++) {
		int socket = rxq_socket(app, idx, q);
		struct rte_eth_rxconf rxconf = port->info.default_rxconf;

		rxconf.offloads = eth_conf.rxmode.offloads;
		rc = rte_eth_rx_queue_setup(port->port_id, q, port->rx_desc, socket, &rxconf,
					    app->pools[socket]);
		if (rc < 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "[port %s]: rx queue %u setup failed: %s", conf->name, q,
				 strerror(-rc));
			return -1;
		}
	}
	for (uint16_t q = 0; q < port->nb_txq; q++) {
		struct rte_eth_txconf txconf = port->info.default_txconf;

		txconf.offloads = eth_conf.txmode.offloads;
		rc = rte_eth_tx_queue_setup(port->port_id, q, port->tx_desc,
					    app->workers[q]->info.socket, &txconf);
		if (rc < 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "[port %s]: tx queue %u setup failed: %s", conf->name, q,
				 strerror(-rc));
			return -1;
		}
		if (port->profile.tx_linearize &&
		    !(port->info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) &&
		    sl_port_tx_linearize(port->port_id, q,
					 app->pools[app->workers[q]->info.socket]) < 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "[port %s]: cannot add the tx callback that makes chained "
				 "frames one segment (profile %s, tx_linearize = on): %s. Fix: a "
				 "DPDK built with RTE_ETHDEV_RXTX_CALLBACKS",
				 conf->name, port->profile.name, rte_strerror(rte_errno));
			return -1;
		}
	}
	return 0;
}

static void port_print(const struct sl_port *port)
{
	struct rte_eth_link link;
	char link_text[RTE_ETH_LINK_MAX_STR_LEN];
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	rte_eth_link_get_nowait(port->port_id, &link);
	rte_eth_link_to_str(link_text, sizeof(link_text), &link);
	rte_ether_format_addr(mac, sizeof(mac), &port->mac);
	printf("port %-6s id %u  %s  driver %s  node %d  mac %s  rxq %u x %u  txq %u x %u  "
	       "profile %s\n       %s\n",
	       port->conf->name, port->port_id, port->conf->dev, port->info.driver_name,
	       port->socket, mac, port->nb_rxq, port->rx_desc, port->nb_txq, port->tx_desc,
	       port->profile.name, link_text);
}

int sl_ports_start(struct sl_app *app, struct sl_error *err)
{
	for (unsigned int i = 0; i < app->nb_ports; i++) {
		struct sl_port *port = &app->ports[i];
		int rc;

		if (port_configure(app, i, err) < 0)
			return -1;
		rc = rte_eth_dev_start(port->port_id);
		if (rc < 0) {
			snprintf(err->msg, sizeof(err->msg), "[port %s]: cannot start: %s",
				 port->conf->name, strerror(-rc));
			return -1;
		}
		port->started = true;
		if (port->conf->promiscuous) {
			rc = rte_eth_promiscuous_enable(port->port_id);
			if (rc < 0 && rc != -ENOTSUP)
				SL_LOG(WARNING, "port %s: promiscuous mode: %s", port->conf->name,
				       strerror(-rc));
		}
		rte_eth_macaddr_get(port->port_id, &port->mac);
		if (port->profile.rx_missed_xstats[0] != '\0' &&
		    sl_port_stats_missed_xstats(port->port_id, port->profile.rx_missed_xstats) == 0)
			SL_LOG(WARNING,
			       "port %s (%s): none of the profile's rx_missed_xstats "
			       "(%s) is an xstat of this device: rx_missed leaves them out",
			       port->conf->name, port->info.driver_name,
			       port->profile.rx_missed_xstats);
		port_print(port);
	}
	return 0;
}

/* Runs on EAL's interrupt thread, after whatever that thread was doing. */
static void ctrl_barrier_reached(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
}

void sl_port_ctrl_barrier(void)
{
	/* EAL alarms fire on the interrupt thread, as PMD control callbacks
	 * (memif's socket handler) do, and that thread runs one callback at a
	 * time: when this alarm has run, a teardown it was doing is over. */
	int reached = 0;
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz();

	if (rte_eal_alarm_set(1, ctrl_barrier_reached, &reached) != 0)
		return;
	while (!__atomic_load_n(&reached, __ATOMIC_ACQUIRE) && rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(1000);
	/* Not run within 1 s: take it back (this waits if it is running right
	 * now), so that it cannot write to this stack frame later. */
	if (!__atomic_load_n(&reached, __ATOMIC_ACQUIRE))
		rte_eal_alarm_cancel(ctrl_barrier_reached, &reached);
}

void sl_ports_stop(struct sl_app *app)
{
	sl_port_ctrl_barrier();
	for (unsigned int i = 0; i < app->nb_ports; i++) {
		struct sl_port *port = &app->ports[i];

		if (port->started) {
			sl_port_stats_save(port->port_id);
			rte_eth_dev_stop(port->port_id);
			port->started = false;
		}
		/* The device is found before the close: closing a vdev releases its
		 * ethdev port, after which its id names nothing. */
		struct rte_eth_dev_info info;
		struct rte_device *dev = NULL;

		if (port->hotplugged && rte_eth_dev_info_get(port->port_id, &info) == 0)
			dev = info.device;
		rte_eth_dev_close(port->port_id);
		if (dev != NULL && rte_dev_remove(dev) != 0)
			SL_LOG(WARNING,
			       "port %s: the device did not detach; a next app cannot "
			       "plug it in again",
			       port->conf->name);
	}
}
