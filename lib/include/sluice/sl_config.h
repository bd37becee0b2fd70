/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * The sluice configuration file (format: docs/config.md), parsed into plain
 * structs with DPDK's rte_cfgfile. Every error names the file, the line,
 * the section/key and the fix.
 */
#ifndef SLUICE_SL_CONFIG_H
#define SLUICE_SL_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "sluice/sl_parse.h"
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_MAX_PORTS 16
#define SL_MAX_PIPELINES 8
#define SL_MAX_STAGES 16
#define SL_MAX_WORKERS 64
#define SL_MAX_RXQ_PER_WORKER 32
#define SL_NAME_MAX 32
#define SL_ARGS_MAX 512
#define SL_DEV_MAX 256

enum sl_rss_mode {
	SL_RSS_AUTO = 0, /**< what the profile says */
	SL_RSS_OFF,
	SL_RSS_ON,
	SL_RSS_SYMMETRIC,
};

struct sl_port_conf {
	char name[SL_NAME_MAX];
	char dev[SL_DEV_MAX];
	char profile[SL_NAME_MAX]; /**< "auto" or a profile file name without .ini */
	uint16_t rx_queues;
	uint16_t rx_desc; /**< 0 = profile default */
	uint16_t tx_desc;
	uint16_t mtu; /**< 0 = leave as is */
	enum sl_rss_mode rss;
	bool promiscuous;
	char pipeline[SL_NAME_MAX];
	unsigned int pipeline_idx;
	unsigned int line; /**< line of the [port NAME] header */
};

struct sl_stage_conf {
	char type[SL_NAME_MAX];
	char label[SL_NAME_MAX];
	char args[SL_ARGS_MAX];
	unsigned int line;
};

struct sl_pipeline_conf {
	char name[SL_NAME_MAX];
	unsigned int nb_stages;
	struct sl_stage_conf stages[SL_MAX_STAGES];
	unsigned int line;
};

struct sl_rxq_ref {
	uint16_t port_idx; /**< index into sl_config.ports */
	uint16_t queue;
};

struct sl_worker_conf {
	unsigned int lcore;
	unsigned int nb_rxq;
	struct sl_rxq_ref rxq[SL_MAX_RXQ_PER_WORKER];
};

/**
 * How workers time their stages for the per-stage statistics. Calls and
 * packets are counted on every graph walk in every mode but off; what
 * differs is how often the two TSC reads around each stage call happen.
 */
enum sl_graph_stats {
	SL_GRAPH_STATS_OFF,	/**< no per-stage calls/objs/cycles (stage counters still count) */
	SL_GRAPH_STATS_SAMPLED, /**< time one walk in SL_GRAPH_STATS_SAMPLE_EVERY (default) */
	SL_GRAPH_STATS_ON,	/**< time every walk (rte_graph_walk's own statistics) */
};

/** With SL_GRAPH_STATS_SAMPLED, about one walk in this many is timed. */
#define SL_GRAPH_STATS_SAMPLE_EVERY 16

struct sl_config {
	char path[PATH_MAX];
	unsigned int burst;
	unsigned int vector;
	unsigned int stats_interval;
	unsigned int tx_retry;
	uint8_t graph_stats;	  /**< SL_GRAPH_STATS_*: per-stage calls/objs/cycles */
	unsigned int stage_mbufs; /**< per worker, mbufs stages may hold (added to the pool) */
	char profiles_dir[PATH_MAX];

	unsigned int nb_ports;
	struct sl_port_conf ports[SL_MAX_PORTS];
	unsigned int nb_pipelines;
	struct sl_pipeline_conf pipelines[SL_MAX_PIPELINES];

	bool auto_map;		 /**< map = auto: filled in by sl_config_map_workers */
	unsigned int nb_workers; /**< 0 until lcores are known */
	struct sl_worker_conf workers[SL_MAX_WORKERS];
	unsigned int workers_line; /**< line of [workers], for errors */
};

/**
 * Parse a config file. Needs no running EAL (unit tests call it bare).
 * Worker lcores named in the file are checked against `lcore_ok` when given
 * (NULL: any number accepted). Returns 0, or -1 with `err` filled.
 */
SL_API int sl_config_load(struct sl_config *cfg, const char *path,
			  bool (*lcore_ok)(unsigned int lcore), struct sl_error *err);

/**
 * With map = auto, spread every (port, queue) pair over the workers,
 * preferring workers on the port's NUMA node. `port_socket[i]` is the node of
 * cfg->ports[i] (or -1 for any) and `lcore_socket(l)` the node of lcore l.
 */
SL_API int sl_config_map_workers(struct sl_config *cfg, const int *port_socket,
				 int (*lcore_socket)(unsigned int lcore), struct sl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_CONFIG_H */
