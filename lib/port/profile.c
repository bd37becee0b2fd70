/* SPDX-License-Identifier: BSD-3-Clause */
/* Port profiles: per-PMD defaults in drivers-config/profiles/NAME.ini, chosen
 * by the PMD's driver name. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <rte_cfgfile.h>
#include <rte_ethdev.h>
#include <rte_string_fns.h>

#include "sl_priv.h"

#define PROFILE_SECTION "profile"

static bool word_in_list(const char *list, const char *word)
{
	char buf[CFG_VALUE_LEN], *tok, *save;

	strlcpy(buf, list, sizeof(buf));
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save))
		if (!strcmp(tok, word))
			return true;
	return false;
}

static int parse_offloads(const char *list, bool rx, uint64_t *out, const char *file,
			  struct sl_error *err)
{
	char buf[CFG_VALUE_LEN], *tok, *save;

	*out = 0;
	strlcpy(buf, list, sizeof(buf));
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		bool found = false;

		for (unsigned int bit = 0; bit < 64 && !found; bit++) {
			uint64_t flag = 1ULL << bit;
			const char *name = rx ? rte_eth_dev_rx_offload_name(flag)
					      : rte_eth_dev_tx_offload_name(flag);

			if (name != NULL && strcasecmp(name, tok) == 0) {
				*out |= flag;
				found = true;
			}
		}
		if (!found) {
			snprintf(
			    err->msg, sizeof(err->msg),
			    "%s:%u: [profile] %s_offloads: unknown offload '%s'. Fix: use DPDK "
			    "offload names such as ipv4_cksum, udp_cksum, tcp_cksum%s",
			    file,
			    sl_config_line_of(file, PROFILE_SECTION,
					      rx ? "rx_offloads" : "tx_offloads"),
			    rx ? "rx" : "tx", tok, rx ? "" : ", mbuf_fast_free, multi_segs");
			return -1;
		}
	}
	return 0;
}

static int parse_profile(const char *file, struct sl_port_profile *prof, struct sl_error *err)
{
	struct rte_cfgfile *ini = rte_cfgfile_load(file, CFG_FLAG_EMPTY_VALUES);
	const char *v;
	int rc = 0;

	if (ini == NULL) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s: cannot parse profile. Fix: check its syntax", file);
		return -1;
	}
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rx_desc")) != NULL)
		prof->rx_desc = atoi(v);
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "tx_desc")) != NULL)
		prof->tx_desc = atoi(v);
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "mtu")) != NULL)
		prof->mtu = atoi(v);
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rss")) != NULL) {
		if (!strcmp(v, "off"))
			prof->rss = SL_RSS_OFF;
		else if (!strcmp(v, "on"))
			prof->rss = SL_RSS_ON;
		else if (!strcmp(v, "symmetric"))
			prof->rss = SL_RSS_SYMMETRIC;
		else {
			snprintf(err->msg, sizeof(err->msg),
				 "%s:%u: [profile] rss: '%s' is not off, on or symmetric", file,
				 sl_config_line_of(file, PROFILE_SECTION, "rss"), v);
			rc = -1;
		}
	}
	prof->rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rss_hf")) != NULL) {
		prof->rss_hf = 0;
		if (word_in_list(v, "ip"))
			prof->rss_hf |= RTE_ETH_RSS_IP;
		if (word_in_list(v, "tcp"))
			prof->rss_hf |= RTE_ETH_RSS_TCP;
		if (word_in_list(v, "udp"))
			prof->rss_hf |= RTE_ETH_RSS_UDP;
	}
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "ring_devarg")) != NULL)
		strlcpy(prof->ring_devarg, v, sizeof(prof->ring_devarg));
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "ring_devarg_default")) != NULL)
		prof->ring_devarg_default = atoi(v);
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rx_missed_xstats")) != NULL)
		strlcpy(prof->rx_missed_xstats, v, sizeof(prof->rx_missed_xstats));
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "tx_linearize")) != NULL)
		prof->tx_linearize = !strcmp(v, "on");
	if (rc == 0 && prof->ring_devarg[0] != '\0' && prof->ring_devarg_default == 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s:%u: [profile] ring_devarg = %s without ring_devarg_default. Fix: give "
			 "the ring size the PMD uses when %s is absent",
			 file, sl_config_line_of(file, PROFILE_SECTION, "ring_devarg"),
			 prof->ring_devarg, prof->ring_devarg);
		rc = -1;
	}
	if (rc == 0 && (v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rx_offloads")) != NULL)
		rc = parse_offloads(v, true, &prof->rx_offloads, file, err);
	if (rc == 0 && (v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "tx_offloads")) != NULL)
		rc = parse_offloads(v, false, &prof->tx_offloads, file, err);
	rte_cfgfile_close(ini);
	return rc;
}

/* The profile whose `drivers` list names the driver, else default.ini. */
static int find_profile_for_driver(const char *dir, const char *driver, char *path, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = -1;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && found < 0) {
		size_t len = strlen(de->d_name);
		struct rte_cfgfile *ini;
		const char *drivers;

		if (len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		snprintf(path, size, "%s/%s", dir, de->d_name);
		ini = rte_cfgfile_load(path, CFG_FLAG_EMPTY_VALUES);
		if (ini == NULL)
			continue;
		drivers = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "drivers");
		if (drivers != NULL && word_in_list(drivers, driver))
			found = 0;
		rte_cfgfile_close(ini);
	}
	closedir(d);
	if (found < 0)
		snprintf(path, size, "%s/default.ini", dir);
	return 0;
}

int sl_profile_load(const char *dir, const char *name, const char *driver,
		    struct sl_port_profile *prof, struct sl_error *err)
{
	char path[PATH_MAX + 300];

	memset(prof, 0, sizeof(*prof));
	if (!strcmp(name, "auto")) {
		if (find_profile_for_driver(dir, driver, path, sizeof(path)) < 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "cannot read profile directory %s: %s. Fix: set [app] profiles = "
				 "<path to drivers-config/profiles>",
				 dir, strerror(errno));
			return -1;
		}
	} else {
		snprintf(path, sizeof(path), "%s/%s.ini", dir, name);
	}
	if (access(path, R_OK) != 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "profile %s not found. Fix: use profile = auto or one of the files in %s",
			 path, dir);
		return -1;
	}
	{
		const char *base = strrchr(path, '/');

		strlcpy(prof->name, base ? base + 1 : path, sizeof(prof->name));
		char *dot = strrchr(prof->name, '.');
		if (dot)
			*dot = '\0';
	}
	return parse_profile(path, prof, err);
}
