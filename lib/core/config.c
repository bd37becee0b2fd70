/* SPDX-License-Identifier: BSD-3-Clause */
/* Config file → plain structs. The INI syntax is rte_cfgfile's; this file
 * only gives meaning to sections and keys and says precisely what is wrong. */
#define _GNU_SOURCE /* memfd_create */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_cfgfile.h>
#include <rte_common.h>
#include <rte_string_fns.h>

#include "parse_priv.h"
#include "sluice/sl_config.h"
#include "sluice/sl_stage.h"

#define MAX_SECTIONS 64
#define MAX_ENTRIES 64

struct parse {
	struct sl_config *cfg;
	struct rte_cfgfile *ini;
	struct sl_error *err;
	bool (*lcore_ok)(unsigned int lcore);
	/* The file lines are looked up in: cfg->path, the memfd holding INI text
	 * (sl_config_load_text), or NULL for a config built in code (no lines). */
	const char *src;
	/* A file's stage types are checked once its [app] plugins are loaded. */
	bool defer_types;
	bool from_file; /* relative plugin paths are from the file's directory */
};

static unsigned int line_of(const struct parse *p, const char *section, const char *key)
{
	return p->src != NULL ? sl_config_line_of(p->src, section, key) : 0;
}

/* "ORIGIN:LINE: " or, without a line (built in code), "ORIGIN: ". */
static void where(const struct parse *p, unsigned int line, char *buf, size_t size)
{
	if (line != 0)
		snprintf(buf, size, "%s:%u: ", p->cfg->path, line);
	else
		snprintf(buf, size, "%s: ", p->cfg->path);
}

static int __rte_format_printf(4, 5)
    fail(struct parse *p, const char *section, const char *key, const char *fmt, ...)
{
	char what[384], at[PATH_MAX + 16];
	va_list ap;

	where(p, line_of(p, section, key), at, sizeof(at));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (key != NULL)
		snprintf(p->err->msg, sizeof(p->err->msg), "%s[%s] %s: %s", at, section, key, what);
	else
		snprintf(p->err->msg, sizeof(p->err->msg), "%s[%s]: %s", at, section, what);
	return -1;
}

/* A parser's "key: what. Fix: how" becomes "FILE:LINE: [section] key: ...". */
static int place(struct parse *p, const char *section, const char *key)
{
	char at[PATH_MAX + 16];

	where(p, line_of(p, section, key), at, sizeof(at));
	return sl_error_prefix(p->err, "%s[%s] ", at, section);
}

static int parse_uint(struct parse *p, const char *section, const char *key, const char *value,
		      unsigned long min, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (sl_parse_u64(key, value, SL_UNITS_NONE, min, max, &v, p->err) < 0) {
		place(p, section, key);
		return -1;
	}
	*out = (unsigned long)v;
	return 0;
}

static int parse_bool(struct parse *p, const char *section, const char *key, const char *value,
		      bool *out)
{
	if (sl_parse_bool(key, value, out, p->err) < 0)
		return place(p, section, key);
	return 0;
}

static int parse_enum(struct parse *p, const char *section, const char *key, const char *value,
		      const char *const *names, unsigned int *index)
{
	if (sl_parse_enum(key, value, names, index, p->err) < 0)
		return place(p, section, key);
	return 0;
}

static bool valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) >= SL_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static int copy_value(struct parse *p, const char *section, const char *key, const char *value,
		      char *dst, size_t size)
{
	if (strlcpy(dst, value, size) >= size)
		return fail(p, section, key, "value is longer than %zu characters. Fix: shorten it",
			    size - 1);
	return 0;
}

static int parse_app(struct parse *p, const char *section, struct rte_cfgfile_entry *e, int n)
{
	struct sl_config *cfg = p->cfg;
	unsigned long v;

	for (int i = 0; i < n; i++) {
		const char *k = e[i].name, *val = e[i].value;

		if (!strcmp(k, "burst")) {
			if (parse_uint(p, section, k, val, 1, SL_STAGE_VEC_MAX, &v))
				return -1;
			cfg->burst = v;
		} else if (!strcmp(k, "vector")) {
			if (parse_uint(p, section, k, val, 1, SL_STAGE_VEC_MAX, &v))
				return -1;
			cfg->vector = v;
		} else if (!strcmp(k, "stats_interval")) {
			if (parse_uint(p, section, k, val, 0, 3600, &v))
				return -1;
			cfg->stats_interval = v;
		} else if (!strcmp(k, "tx_retry")) {
			if (parse_uint(p, section, k, val, 0, 1000, &v))
				return -1;
			cfg->tx_retry = v;
		} else if (!strcmp(k, "graph_stats")) {
			bool on;

			/* sampled, or a boolean: on times every walk, off none. */
			if (!strcmp(val, "sampled"))
				cfg->graph_stats = SL_GRAPH_STATS_SAMPLED;
			else if (sl_parse_bool(k, val, &on, p->err) == 0)
				cfg->graph_stats = on ? SL_GRAPH_STATS_ON : SL_GRAPH_STATS_OFF;
			else
				return fail(
				    p, section, k,
				    "'%s' is not sampled, on or off. Fix: write %s = sampled "
				    "(the default), on (time every walk) or off",
				    val, k);
		} else if (!strcmp(k, "stage_mbufs")) {
			uint64_t n;

			if (sl_parse_u64(k, val, SL_UNITS_SI, 0, 1u << 24, &n, p->err) < 0) {
				place(p, section, k);
				return -1;
			}
			v = (unsigned long)n;
			cfg->stage_mbufs = v;
		} else if (!strcmp(k, "plugins")) {
			if (copy_value(p, section, k, val, cfg->plugins, sizeof(cfg->plugins)))
				return -1;
		} else if (!strcmp(k, "profiles")) {
			if (copy_value(p, section, k, val, cfg->profiles_dir,
				       sizeof(cfg->profiles_dir)))
				return -1;
		} else {
			return fail(
			    p, section, k,
			    "unknown key. Fix: use one of burst, vector, stats_interval, tx_retry, "
			    "graph_stats, stage_mbufs, profiles, plugins");
		}
	}
	return 0;
}

/* A new port with its defaults, its name checked; NULL with the error set. */
static struct sl_port_conf *port_new(struct parse *p, const char *section, const char *name)
{
	struct sl_config *cfg = p->cfg;
	struct sl_port_conf *port;

	if (!valid_name(name)) {
		fail(p, section, NULL,
		     "port name '%s' is not valid. Fix: use letters, digits, '_' or '-' "
		     "(at most %d), e.g. [port p0]",
		     name, SL_NAME_MAX - 1);
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->nb_ports; i++)
		if (!strcmp(cfg->ports[i].name, name)) {
			fail(p, section, NULL,
			     "port '%s' is defined twice. Fix: give each port its own name", name);
			return NULL;
		}
	if (cfg->nb_ports == SL_MAX_PORTS) {
		fail(p, section, NULL, "more than %d ports. Fix: remove a [port] section",
		     SL_MAX_PORTS);
		return NULL;
	}
	port = &cfg->ports[cfg->nb_ports++];
	memset(port, 0, sizeof(*port));
	strcpy(port->name, name);
	strcpy(port->profile, "auto");
	port->rx_queues = 1;
	port->promiscuous = true;
	port->line = line_of(p, section, NULL);
	return port;
}

static int port_set_dev(struct parse *p, const char *section, struct sl_port_conf *port,
			const char *val)
{
	if (*val == '\0')
		return fail(p, section, "dev",
			    "empty device. Fix: dev = net_memif0 or dev = 0000:3b:00.0");
	return copy_value(p, section, "dev", val, port->dev, sizeof(port->dev));
}

static int port_set_pipeline(struct parse *p, const char *section, struct sl_port_conf *port,
			     const char *val)
{
	if (!valid_name(val))
		return fail(p, section, "pipeline",
			    "'%s' is not a pipeline name. Fix: name a [pipeline NAME] section",
			    val);
	strcpy(port->pipeline, val);
	return 0;
}

static int parse_port(struct parse *p, const char *section, const char *name,
		      struct rte_cfgfile_entry *e, int n)
{
	struct sl_port_conf *port = port_new(p, section, name);
	unsigned long v;

	if (port == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *k = e[i].name, *val = e[i].value;

		if (!strcmp(k, "dev")) {
			if (port_set_dev(p, section, port, val) < 0)
				return -1;
		} else if (!strcmp(k, "profile")) {
			if (!valid_name(val))
				return fail(p, section, k,
					    "'%s' is not a profile name. Fix: profile = auto or a "
					    "file name from drivers-config/profiles without .ini",
					    val);
			strcpy(port->profile, val);
		} else if (!strcmp(k, "rx_queues")) {
			if (parse_uint(p, section, k, val, 1, SL_MAX_RXQ_PER_WORKER, &v))
				return -1;
			port->rx_queues = v;
		} else if (!strcmp(k, "rx_desc") || !strcmp(k, "tx_desc")) {
			if (parse_uint(p, section, k, val, 0, 32768, &v))
				return -1;
			if (v != 0 && (v & (v - 1)) != 0)
				return fail(p, section, k,
					    "%lu is not a power of two. Fix: use e.g. 512, 1024 "
					    "or 2048 (0 = profile default)",
					    v);
			if (k[0] == 'r')
				port->rx_desc = v;
			else
				port->tx_desc = v;
		} else if (!strcmp(k, "mtu")) {
			if (parse_uint(p, section, k, val, 0, 16000, &v))
				return -1;
			if (v != 0 && v < 68)
				return fail(p, section, k,
					    "MTU %lu is below IPv4's minimum 68. Fix: 0 (device "
					    "default) or 68..16000",
					    v);
			port->mtu = v;
		} else if (!strcmp(k, "rss")) {
			static const char *const modes[] = {[SL_RSS_AUTO] = "auto",
							    [SL_RSS_OFF] = "off",
							    [SL_RSS_ON] = "on",
							    [SL_RSS_SYMMETRIC] = "symmetric",
							    NULL};
			unsigned int mode;

			if (parse_enum(p, section, k, val, modes, &mode))
				return -1;
			port->rss = (enum sl_rss_mode)mode;
		} else if (!strcmp(k, "promiscuous")) {
			if (parse_bool(p, section, k, val, &port->promiscuous))
				return -1;
		} else if (!strcmp(k, "pipeline")) {
			if (port_set_pipeline(p, section, port, val) < 0)
				return -1;
		} else {
			return fail(
			    p, section, k,
			    "unknown key. Fix: use one of dev, profile, rx_queues, rx_desc, "
			    "tx_desc, mtu, rss, promiscuous, pipeline");
		}
	}
	if (port->dev[0] == '\0')
		return fail(p, section, NULL,
			    "no dev. Fix: add dev = <ethdev name, PCI address or vdev devargs>");
	if (port->pipeline[0] == '\0')
		return fail(p, section, NULL,
			    "no pipeline. Fix: add pipeline = <name of a [pipeline NAME] section>");
	return 0;
}

/* A new, empty pipeline, its name checked; NULL with the error set. */
static struct sl_pipeline_conf *pipeline_new(struct parse *p, const char *section, const char *name)
{
	struct sl_config *cfg = p->cfg;
	struct sl_pipeline_conf *pl;

	if (!valid_name(name)) {
		fail(p, section, NULL,
		     "pipeline name '%s' is not valid. Fix: use letters, digits, '_' or "
		     "'-', e.g. [pipeline echo]",
		     name);
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->nb_pipelines; i++)
		if (!strcmp(cfg->pipelines[i].name, name)) {
			fail(p, section, NULL, "pipeline '%s' is defined twice. Fix: rename one",
			     name);
			return NULL;
		}
	if (cfg->nb_pipelines == SL_MAX_PIPELINES) {
		fail(p, section, NULL, "more than %d pipelines. Fix: remove a [pipeline] section",
		     SL_MAX_PIPELINES);
		return NULL;
	}
	pl = &cfg->pipelines[cfg->nb_pipelines++];
	memset(pl, 0, sizeof(*pl));
	strcpy(pl->name, name);
	pl->line = line_of(p, section, NULL);
	return pl;
}

static int unknown_type(struct parse *p, const char *section, const char *type)
{
	char known[256] = "";

	for (unsigned int j = 0; sl_stage_at(j) != NULL; j++) {
		if (j > 0)
			strlcat(known, ", ", sizeof(known));
		strlcat(known, sl_stage_at(j)->name, sizeof(known));
	}
	return fail(p, section, "stages",
		    "no stage type '%s'. Fix: use one of %s, or load the plugin that has it "
		    "([app] plugins = PATH.so)",
		    type, known);
}

/* Every stage type of every pipeline is registered (plugins loaded). */
static int check_stage_types(struct parse *p)
{
	for (unsigned int i = 0; i < p->cfg->nb_pipelines; i++) {
		const struct sl_pipeline_conf *pl = &p->cfg->pipelines[i];
		char section[SL_NAME_MAX + 12];

		snprintf(section, sizeof(section), "pipeline %s", pl->name);
		for (unsigned int j = 0; j < pl->nb_stages; j++)
			if (sl_stage_find(pl->stages[j].type) == NULL)
				return unknown_type(p, section, pl->stages[j].type);
	}
	return 0;
}

/* [app] plugins: each loaded, a relative path from the config file's directory. */
static int load_plugins(struct parse *p)
{
	char list[SL_ARGS_MAX], path[PATH_MAX], *tok, *save;
	const char *slash = strrchr(p->cfg->path, '/');

	strlcpy(list, p->cfg->plugins, sizeof(list));
	for (tok = strtok_r(list, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		if (tok[0] != '/' && p->from_file && slash != NULL)
			snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - p->cfg->path),
				 p->cfg->path, tok);
		else
			strlcpy(path, tok, sizeof(path));
		if (sl_plugin_load(path, p->err) < 0) {
			sl_error_prefix(p->err, "plugins: ");
			place(p, "app", "plugins");
			return -1;
		}
	}
	return 0;
}

/* "type[:label] ..." (spaces, tabs or commas between) appended to pl. */
static int pipeline_stages(struct parse *p, const char *section, struct sl_pipeline_conf *pl,
			   const char *stages)
{
	char list[SL_ARGS_MAX], *tok, *save;

	if (stages == NULL || *stages == '\0')
		return fail(p, section, NULL,
			    "no stages. Fix: add stages = <stage> [<stage>...], e.g. stages = "
			    "macswap");
	if (strlcpy(list, stages, sizeof(list)) >= sizeof(list))
		return fail(p, section, "stages",
			    "longer than %zu characters. Fix: shorten the pipeline",
			    sizeof(list) - 1);
	for (tok = strtok_r(list, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		struct sl_stage_conf *st;
		char *colon = strchr(tok, ':');

		if (pl->nb_stages == SL_MAX_STAGES)
			return fail(p, section, "stages",
				    "more than %d stages. Fix: shorten the pipeline",
				    SL_MAX_STAGES);
		st = &pl->stages[pl->nb_stages++];
		memset(st, 0, sizeof(*st));
		st->line = line_of(p, section, "stages");
		if (colon != NULL)
			*colon = '\0';
		if (!valid_name(tok) || (colon != NULL && !valid_name(colon + 1)))
			return fail(p, section, "stages",
				    "'%s' is not a stage name. Fix: write type or type:label", tok);
		if (!p->defer_types && sl_stage_find(tok) == NULL)
			return unknown_type(p, section, tok);
		strcpy(st->type, tok);
		strcpy(st->label, colon ? colon + 1 : tok);
		for (unsigned int j = 0; j + 1 < pl->nb_stages; j++)
			if (!strcmp(pl->stages[j].label, st->label))
				return fail(
				    p, section, "stages",
				    "stage label '%s' used twice. Fix: label the second one, "
				    "e.g. %s:%s2",
				    st->label, st->type, st->type);
	}
	return 0;
}

/* The argument list of the stage labelled `label`. */
static int stage_args(struct parse *p, const char *section, struct sl_pipeline_conf *pl,
		      const char *label, const char *args)
{
	struct sl_stage_conf *st = NULL;

	for (unsigned int j = 0; j < pl->nb_stages; j++)
		if (!strcmp(pl->stages[j].label, label))
			st = &pl->stages[j];
	if (st == NULL)
		return fail(p, section, label,
			    "no stage labelled '%s' in this pipeline. Fix: add it to stages "
			    "or remove this line",
			    label);
	if (copy_value(p, section, label, args, st->args, sizeof(st->args)))
		return -1;
	st->line = line_of(p, section, label);
	return 0;
}

static int parse_pipeline(struct parse *p, const char *section, const char *name,
			  struct rte_cfgfile_entry *e, int n)
{
	struct sl_pipeline_conf *pl = pipeline_new(p, section, name);
	const char *stages = NULL;

	if (pl == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(e[i].name, "stages"))
			stages = e[i].value;
	if (pipeline_stages(p, section, pl, stages) < 0)
		return -1;
	/* Every other key is the argument list of the stage with that label. */
	for (int i = 0; i < n; i++)
		if (strcmp(e[i].name, "stages") != 0 &&
		    stage_args(p, section, pl, e[i].name, e[i].value) < 0)
			return -1;
	return 0;
}

static int find_port(const struct sl_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->nb_ports; i++)
		if (!strcmp(cfg->ports[i].name, name))
			return (int)i;
	return -1;
}

static struct sl_worker_conf *worker_for_lcore(struct sl_config *cfg, unsigned int lcore,
					       bool create)
{
	for (unsigned int i = 0; i < cfg->nb_workers; i++)
		if (cfg->workers[i].lcore == lcore)
			return &cfg->workers[i];
	if (!create || cfg->nb_workers == SL_MAX_WORKERS)
		return NULL;
	memset(&cfg->workers[cfg->nb_workers], 0, sizeof(cfg->workers[0]));
	cfg->workers[cfg->nb_workers].lcore = lcore;
	return &cfg->workers[cfg->nb_workers++];
}

static int check_lcore(struct parse *p, const char *section, const char *key, unsigned long lcore)
{
	if (p->lcore_ok != NULL && !p->lcore_ok(lcore))
		return fail(
		    p, section, key,
		    "lcore %lu is not an EAL worker lcore. Fix: add it to the EAL -l/--lcores "
		    "list (and keep it off the main lcore)",
		    lcore);
	return 0;
}

static int parse_workers(struct parse *p, const char *section, struct rte_cfgfile_entry *e, int n)
{
	struct sl_config *cfg = p->cfg;
	bool explicit_map = false;

	cfg->workers_line = line_of(p, section, NULL);
	for (int i = 0; i < n; i++) {
		const char *k = e[i].name;
		char list[SL_ARGS_MAX], *tok, *save;
		unsigned long lcore;

		if (!strcmp(k, "map")) {
			if (strcmp(e[i].value, "auto") != 0)
				return fail(
				    p, section, k,
				    "'%s' is not a mapping. Fix: map = auto, or one line per "
				    "worker: lcore1 = p0:0 p1:0",
				    e[i].value);
			cfg->auto_map = true;
			continue;
		}
		if (!strcmp(k, "lcores")) {
			unsigned int lcores[SL_MAX_WORKERS], nb;

			if (sl_parse_lcores(k, e[i].value, RTE_MAX_LCORE, lcores, SL_MAX_WORKERS,
					    &nb, p->err) < 0) {
				place(p, section, k);
				return -1;
			}
			for (unsigned int l = 0; l < nb; l++) {
				if (check_lcore(p, section, k, lcores[l]))
					return -1;
				worker_for_lcore(cfg, lcores[l], true);
			}
			continue;
		}
		if (strncmp(k, "lcore", 5) != 0)
			return fail(p, section, k,
				    "unknown key. Fix: use lcores = 1,2, map = auto, or lcoreN = "
				    "port:queue ...");
		if (parse_uint(p, section, k, k + 5, 0, RTE_MAX_LCORE - 1, &lcore) ||
		    check_lcore(p, section, k, lcore))
			return -1;
		explicit_map = true;
		struct sl_worker_conf *w = worker_for_lcore(cfg, lcore, true);

		if (w == NULL)
			return fail(p, section, k, "too many workers (max %d)", SL_MAX_WORKERS);
		strlcpy(list, e[i].value, sizeof(list));
		for (tok = strtok_r(list, " \t,", &save); tok;
		     tok = strtok_r(NULL, " \t,", &save)) {
			char *colon = strchr(tok, ':');
			unsigned long q;
			int port;

			if (colon == NULL)
				return fail(p, section, k,
					    "'%s' is not port:queue. Fix: write e.g. p0:0", tok);
			*colon = '\0';
			port = find_port(cfg, tok);
			if (port < 0)
				return fail(p, section, k,
					    "no port named '%s'. Fix: name a [port %s] section",
					    tok, tok);
			if (parse_uint(p, section, k, colon + 1, 0, cfg->ports[port].rx_queues - 1,
				       &q))
				return -1;
			if (w->nb_rxq == SL_MAX_RXQ_PER_WORKER)
				return fail(p, section, k, "more than %d queues for one worker",
					    SL_MAX_RXQ_PER_WORKER);
			w->rxq[w->nb_rxq].port_idx = port;
			w->rxq[w->nb_rxq].queue = q;
			w->nb_rxq++;
		}
	}
	if (explicit_map && cfg->auto_map)
		return fail(p, section, "map",
			    "map = auto and explicit lcoreN lines together. Fix: keep one of them");
	if (!explicit_map)
		cfg->auto_map = true;
	return 0;
}

/* Cross-section checks: references resolve, every rx queue is polled once. */
static int check_references(struct parse *p)
{
	struct sl_config *cfg = p->cfg;
	char section[SL_NAME_MAX + 8];

	if (cfg->nb_ports == 0) {
		snprintf(p->err->msg, sizeof(p->err->msg),
			 "%s: no [port NAME] section. Fix: add one, e.g. [port p0] with dev = "
			 "net_memif0 and pipeline = echo",
			 cfg->path);
		return -1;
	}
	for (unsigned int i = 0; i < cfg->nb_ports; i++) {
		struct sl_port_conf *port = &cfg->ports[i];
		bool found = false;

		for (unsigned int j = 0; j < cfg->nb_pipelines; j++)
			if (!strcmp(cfg->pipelines[j].name, port->pipeline)) {
				port->pipeline_idx = j;
				found = true;
			}
		snprintf(section, sizeof(section), "port %s", port->name);
		if (!found)
			return fail(p, section, "pipeline",
				    "no [pipeline %s] section. Fix: add it or name an existing one",
				    port->pipeline);
	}
	if (cfg->auto_map)
		return 0;
	for (unsigned int i = 0; i < cfg->nb_ports; i++) {
		for (unsigned int q = 0; q < cfg->ports[i].rx_queues; q++) {
			unsigned int owners = 0;

			for (unsigned int w = 0; w < cfg->nb_workers; w++)
				for (unsigned int r = 0; r < cfg->workers[w].nb_rxq; r++)
					owners += cfg->workers[w].rxq[r].port_idx == i &&
						  cfg->workers[w].rxq[r].queue == q;
			if (owners != 1)
				return fail(p, "workers", NULL,
					    "queue %s:%u is polled by %u workers. Fix: give each "
					    "(port, queue) exactly one lcoreN line, or map = auto",
					    cfg->ports[i].name, q, owners);
		}
	}
	return 0;
}

static int parse_sections(struct parse *p)
{
	char *names[MAX_SECTIONS];
	char storage[MAX_SECTIONS][CFG_NAME_LEN];
	struct rte_cfgfile_entry *entries;
	int nsec, rc = 0;
	bool have_workers = false;

	for (int i = 0; i < MAX_SECTIONS; i++)
		names[i] = storage[i];
	nsec = rte_cfgfile_num_sections(p->ini, NULL, 0);
	if (nsec > MAX_SECTIONS) {
		snprintf(p->err->msg, sizeof(p->err->msg),
			 "%s: %d sections, at most %d are supported. Fix: remove some",
			 p->cfg->path, nsec, MAX_SECTIONS);
		return -1;
	}
	nsec = rte_cfgfile_sections(p->ini, names, MAX_SECTIONS);
	entries = calloc(MAX_ENTRIES, sizeof(*entries));
	if (entries == NULL)
		return -1;

	/* Pipelines first so that ports can be checked against them in any order. */
	for (int pass = 0; pass < 3 && rc == 0; pass++) {
		for (int i = 0; i < nsec && rc == 0; i++) {
			const char *sec = names[i];
			int n = rte_cfgfile_section_num_entries(p->ini, sec);
			bool is_pipeline = !strncmp(sec, "pipeline ", 9);
			bool is_port = !strncmp(sec, "port ", 5);
			bool is_workers = !strcmp(sec, "workers");

			if ((pass == 0) != is_pipeline || (pass == 2) != is_workers)
				continue;
			if (n > MAX_ENTRIES) {
				rc = fail(p, sec, NULL, "more than %d keys. Fix: remove some",
					  MAX_ENTRIES);
				break;
			}
			n = rte_cfgfile_section_entries(p->ini, sec, entries, MAX_ENTRIES);
			if (is_pipeline) {
				char name[CFG_NAME_LEN];

				strlcpy(name, sec + 9, sizeof(name));
				rc = parse_pipeline(p, sec, sl_trim(name), entries, n);
			} else if (is_port) {
				char name[CFG_NAME_LEN];

				strlcpy(name, sec + 5, sizeof(name));
				rc = parse_port(p, sec, sl_trim(name), entries, n);
			} else if (is_workers) {
				have_workers = true;
				rc = parse_workers(p, sec, entries, n);
			} else if (!strcmp(sec, "app")) {
				rc = parse_app(p, sec, entries, n);
			} else {
				rc = fail(p, sec, NULL,
					  "unknown section. Fix: use [app], [port NAME], [pipeline "
					  "NAME] or [workers]");
			}
		}
	}
	free(entries);
	if (rc == 0 && !have_workers)
		p->cfg->auto_map = true;
	return rc;
}

void sl_config_init(struct sl_config *cfg, const char *origin)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->burst = 32;
	cfg->vector = 0; /* one burst: see docs/config.md */
	cfg->stats_interval = 1;
	cfg->graph_stats = SL_GRAPH_STATS_SAMPLED;
	strlcpy(cfg->path, origin != NULL && *origin != '\0' ? origin : "inline",
		sizeof(cfg->path));
}

/* The INI file at p->src, named cfg->path in errors. */
static int config_read(struct parse *p)
{
	int rc;

	/* rte_cfgfile keeps the last of two equal keys and reads only the first of
	 * two equal sections without a word: refuse both, and lines without '='. */
	if (sl_ini_check_named(p->src, p->cfg->path, p->err) < 0)
		return -1;
	p->ini = rte_cfgfile_load(p->src, CFG_FLAG_EMPTY_VALUES);
	if (p->ini == NULL) {
		snprintf(p->err->msg, sizeof(p->err->msg),
			 "%s: not a valid INI file (the line is named above). Fix: sections are "
			 "[name], entries key = value, comments start with ; or #",
			 p->cfg->path);
		return -1;
	}
	p->defer_types = true;
	rc = parse_sections(p);
	if (rc == 0)
		rc = load_plugins(p);
	if (rc == 0)
		rc = check_stage_types(p);
	if (rc == 0)
		rc = check_references(p);
	rte_cfgfile_close(p->ini);
	p->ini = NULL;
	return rc;
}

int sl_config_load(struct sl_config *cfg, const char *path, bool (*lcore_ok)(unsigned int lcore),
		   struct sl_error *err)
{
	struct parse p = {
	    .cfg = cfg, .err = err, .lcore_ok = lcore_ok, .src = path, .from_file = true};
	FILE *f;

	sl_config_init(cfg, path);
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err->msg, sizeof(err->msg),
			 "cannot open config file %s: %s. Fix: pass an existing file with --config",
			 path, strerror(errno));
		return -1;
	}
	fclose(f);
	return config_read(&p);
}

int sl_config_load_text(struct sl_config *cfg, const char *text, const char *origin,
			bool (*lcore_ok)(unsigned int lcore), struct sl_error *err)
{
	struct parse p = {.cfg = cfg, .err = err, .lcore_ok = lcore_ok};
	char src[64];
	size_t len = text != NULL ? strlen(text) : 0, off = 0;
	int fd, rc;

	sl_config_init(cfg, origin);
	if (text == NULL)
		return sl_error_set(err, "%s: no config text. Fix: pass the INI text", cfg->path);
	/* rte_cfgfile reads files only: the text goes to an anonymous memory file. */
	fd = memfd_create("sluice-config", MFD_CLOEXEC);
	if (fd < 0)
		return sl_error_set(err, "%s: memfd_create: %s", cfg->path, strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w <= 0) {
			rc = sl_error_set(err, "%s: writing the config text to a memfd: %s",
					  cfg->path, strerror(errno));
			close(fd);
			return rc;
		}
		off += (size_t)w;
	}
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	p.src = src;
	rc = config_read(&p);
	close(fd);
	return rc;
}

struct sl_port_conf *sl_config_add_port(struct sl_config *cfg, const char *name, const char *dev,
					const char *pipeline, struct sl_error *err)
{
	struct parse p = {.cfg = cfg, .err = err};
	char section[SL_NAME_MAX + 8];
	struct sl_port_conf *port;

	snprintf(section, sizeof(section), "port %s", name != NULL ? name : "");
	port = port_new(&p, section, name != NULL ? name : "");
	if (port == NULL)
		return NULL;
	if (port_set_dev(&p, section, port, dev != NULL ? dev : "") < 0 ||
	    port_set_pipeline(&p, section, port, pipeline != NULL ? pipeline : "") < 0) {
		cfg->nb_ports--;
		return NULL;
	}
	return port;
}

struct sl_pipeline_conf *sl_config_add_pipeline(struct sl_config *cfg, const char *name,
						const char *stages, struct sl_error *err)
{
	struct parse p = {.cfg = cfg, .err = err};
	char section[SL_NAME_MAX + 12];
	struct sl_pipeline_conf *pl;

	snprintf(section, sizeof(section), "pipeline %s", name != NULL ? name : "");
	pl = pipeline_new(&p, section, name != NULL ? name : "");
	if (pl == NULL)
		return NULL;
	if (pipeline_stages(&p, section, pl, stages) < 0) {
		cfg->nb_pipelines--;
		return NULL;
	}
	return pl;
}

int sl_config_set_stage_args(struct sl_config *cfg, const char *pipeline, const char *label,
			     const char *args, struct sl_error *err)
{
	struct parse p = {.cfg = cfg, .err = err};
	char section[SL_NAME_MAX + 12];

	snprintf(section, sizeof(section), "pipeline %s", pipeline != NULL ? pipeline : "");
	for (unsigned int i = 0; i < cfg->nb_pipelines; i++)
		if (pipeline != NULL && !strcmp(cfg->pipelines[i].name, pipeline))
			return stage_args(&p, section, &cfg->pipelines[i],
					  label != NULL ? label : "", args != NULL ? args : "");
	return fail(&p, section, NULL, "no such pipeline. Fix: sl_config_add_pipeline() it first");
}

int sl_config_check(struct sl_config *cfg, bool (*lcore_ok)(unsigned int lcore),
		    struct sl_error *err)
{
	struct parse p = {.cfg = cfg, .err = err, .lcore_ok = lcore_ok};

	for (unsigned int i = 0; i < cfg->nb_pipelines; i++) {
		const struct sl_pipeline_conf *pl = &cfg->pipelines[i];
		char section[SL_NAME_MAX + 12];

		snprintf(section, sizeof(section), "pipeline %s", pl->name);
		if (pl->nb_stages == 0)
			return fail(&p, section, NULL,
				    "no stages. Fix: give sl_config_add_pipeline() a stage list");
	}
	if (load_plugins(&p) < 0 || check_stage_types(&p) < 0)
		return -1;
	for (unsigned int w = 0; w < cfg->nb_workers; w++)
		if (lcore_ok != NULL && !lcore_ok(cfg->workers[w].lcore))
			return fail(&p, "workers", NULL,
				    "lcore %u is not a worker lcore of this EAL. Fix: start the "
				    "EAL with it (-l/--lcores) or leave the workers to map = auto",
				    cfg->workers[w].lcore);
	if (cfg->nb_workers == 0)
		cfg->auto_map = true;
	return check_references(&p);
}

int sl_config_map_workers(struct sl_config *cfg, const int *port_socket,
			  int (*lcore_socket)(unsigned int lcore), struct sl_error *err)
{
	if (!cfg->auto_map)
		return 0;
	if (cfg->nb_workers == 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "%s: no worker lcores. Fix: give the EAL at least two lcores (-l 0-1: "
			 "lcore 0 is the main lcore, 1 a worker)",
			 cfg->path);
		return -1;
	}
	for (unsigned int w = 0; w < cfg->nb_workers; w++)
		cfg->workers[w].nb_rxq = 0;
	/* Queue by queue, pick the least-loaded worker, NIC-local ones first. */
	for (unsigned int q = 0; q < SL_MAX_RXQ_PER_WORKER; q++) {
		for (unsigned int i = 0; i < cfg->nb_ports; i++) {
			struct sl_worker_conf *best = NULL;
			bool best_local = false;

			if (q >= cfg->ports[i].rx_queues)
				continue;
			for (unsigned int w = 0; w < cfg->nb_workers; w++) {
				struct sl_worker_conf *cand = &cfg->workers[w];
				bool local = port_socket == NULL || port_socket[i] < 0 ||
					     lcore_socket == NULL ||
					     lcore_socket(cand->lcore) == port_socket[i];

				if (cand->nb_rxq == SL_MAX_RXQ_PER_WORKER)
					continue;
				if (best == NULL || (local && !best_local) ||
				    (local == best_local && cand->nb_rxq < best->nb_rxq)) {
					best = cand;
					best_local = local;
				}
			}
			if (best == NULL) {
				snprintf(err->msg, sizeof(err->msg),
					 "%s: more rx queues than workers can poll (%d each). Fix: "
					 "add worker lcores or lower rx_queues",
					 cfg->path, SL_MAX_RXQ_PER_WORKER);
				return -1;
			}
			best->rxq[best->nb_rxq].port_idx = i;
			best->rxq[best->nb_rxq].queue = q;
			best->nb_rxq++;
		}
	}
	return 0;
}
