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

#include "core/log_priv.h"
#include "port/port_priv.h"
#include "sluice/sl_parse.h"

#define PROFILE_SECTION "profile"

/* "FILE:LINE: [profile] " in front of a parser's "key: what. Fix: how". */
static int profile_fail(const char *file, const char *key, struct sl_error *err)
{
	return sl_error_prefix(err, "%s:%u: [%s] ", file,
			       sl_config_line_of(file, PROFILE_SECTION, key), PROFILE_SECTION);
}

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
			sl_error_set(
			    err,
			    "%s_offloads: '%s' is not a DPDK %s offload name. Fix: use names "
			    "such as ipv4_cksum, udp_cksum, tcp_cksum%s",
			    rx ? "rx" : "tx", tok, rx ? "rx" : "tx",
			    rx ? "" : ", mbuf_fast_free, multi_segs");
			return profile_fail(file, rx ? "rx_offloads" : "tx_offloads", err);
		}
	}
	return 0;
}

static int profile_u16(struct rte_cfgfile *ini, const char *file, const char *key, uint16_t max,
		       uint16_t *out, struct sl_error *err)
{
	const char *v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, key);
	uint32_t n;

	if (v == NULL)
		return 0;
	if (sl_parse_u32(key, v, SL_UNITS_NONE, 0, max, &n, err) < 0)
		return profile_fail(file, key, err);
	*out = (uint16_t)n;
	return 0;
}

/* rss_hf: any of ip, tcp, udp. */
static int parse_rss_hf(const char *list, const char *file, uint64_t *out, struct sl_error *err)
{
	static const char *const names[] = {"ip", "tcp", "udp", NULL};
	static const uint64_t bits[] = {RTE_ETH_RSS_IP, RTE_ETH_RSS_TCP, RTE_ETH_RSS_UDP};
	char buf[CFG_VALUE_LEN], *tok, *save;
	unsigned int i;

	*out = 0;
	strlcpy(buf, list, sizeof(buf));
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		if (sl_parse_enum("rss_hf", tok, names, &i, err) < 0)
			return profile_fail(file, "rss_hf", err);
		*out |= bits[i];
	}
	return 0;
}

static int parse_profile_entries(struct rte_cfgfile *ini, const char *file,
				 struct sl_port_profile *prof, struct sl_error *err)
{
	/* No "auto" here: a profile is what auto asks. */
	static const char *const rss_modes[] = {"off", "on", "symmetric", NULL};
	static const enum sl_rss_mode rss_mode[] = {SL_RSS_OFF, SL_RSS_ON, SL_RSS_SYMMETRIC};
	const char *v;

	if (profile_u16(ini, file, "rx_desc", 32768, &prof->rx_desc, err) < 0 ||
	    profile_u16(ini, file, "tx_desc", 32768, &prof->tx_desc, err) < 0 ||
	    profile_u16(ini, file, "mtu", 16000, &prof->mtu, err) < 0 ||
	    profile_u16(ini, file, "ring_devarg_default", UINT16_MAX, &prof->ring_devarg_default,
			err) < 0)
		return -1;
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rss")) != NULL) {
		unsigned int mode;

		if (sl_parse_enum("rss", v, rss_modes, &mode, err) < 0)
			return profile_fail(file, "rss", err);
		prof->rss = rss_mode[mode];
	}
	prof->rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rss_hf")) != NULL &&
	    parse_rss_hf(v, file, &prof->rss_hf, err) < 0)
		return -1;
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "ring_devarg")) != NULL)
		strlcpy(prof->ring_devarg, v, sizeof(prof->ring_devarg));
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rx_missed_xstats")) != NULL)
		strlcpy(prof->rx_missed_xstats, v, sizeof(prof->rx_missed_xstats));
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "tx_linearize")) != NULL &&
	    sl_parse_bool("tx_linearize", v, &prof->tx_linearize, err) < 0)
		return profile_fail(file, "tx_linearize", err);
	if (prof->ring_devarg[0] != '\0' && prof->ring_devarg_default == 0)
		return sl_error_set(
		    err,
		    "%s:%u: [profile] ring_devarg: '%s' without ring_devarg_default. "
		    "Fix: give the ring size the PMD uses when %s is absent",
		    file, sl_config_line_of(file, PROFILE_SECTION, "ring_devarg"),
		    prof->ring_devarg, prof->ring_devarg);
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "rx_offloads")) != NULL &&
	    parse_offloads(v, true, &prof->rx_offloads, file, err) < 0)
		return -1;
	if ((v = rte_cfgfile_get_entry(ini, PROFILE_SECTION, "tx_offloads")) != NULL &&
	    parse_offloads(v, false, &prof->tx_offloads, file, err) < 0)
		return -1;
	return 0;
}

static int parse_profile(const char *file, struct sl_port_profile *prof, struct sl_error *err)
{
	struct rte_cfgfile *ini;
	int rc;

	if (sl_ini_check(file, err) < 0)
		return -1;
	ini = rte_cfgfile_load(file, CFG_FLAG_EMPTY_VALUES);
	if (ini == NULL)
		return sl_error_set(err, "%s: cannot parse profile. Fix: check its syntax", file);
	rc = parse_profile_entries(ini, file, prof, err);
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
