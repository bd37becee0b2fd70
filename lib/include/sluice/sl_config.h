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

/** Most [port] sections in one config. */
#define SL_MAX_PORTS 16
/** Most [pipeline] sections in one config. */
#define SL_MAX_PIPELINES 8
/** Most stages in one pipeline. */
#define SL_MAX_STAGES 16
/** Most worker lcores. */
#define SL_MAX_WORKERS 64
/** Most (port, queue) pairs one worker polls. */
#define SL_MAX_RXQ_PER_WORKER 32
/** Size of a name (port, pipeline, stage type or label), with its NUL. */
#define SL_NAME_MAX 32
/** Size of a stage's argument list or of [app] plugins, with its NUL. */
#define SL_ARGS_MAX 512
/** Size of a port's dev = value (ethdev name, PCI address or devargs), with its NUL. */
#define SL_DEV_MAX 256

/** A port's rss = setting: how received packets are spread over its rx queues. */
enum sl_rss_mode {
	SL_RSS_AUTO = 0,  /**< what the profile says */
	SL_RSS_OFF,	  /**< no RSS: everything to queue 0 */
	SL_RSS_ON,	  /**< RSS with the profile's hash fields */
	SL_RSS_SYMMETRIC, /**< RSS with a symmetric key: both directions of a flow on one queue */
};

/** One [port NAME] section. */
struct sl_port_conf {
	char name[SL_NAME_MAX];	    /**< NAME: how pipelines, maps and stats call the port */
	char dev[SL_DEV_MAX];	    /**< ethdev name, PCI address, or devargs to hot-plug */
	char profile[SL_NAME_MAX];  /**< "auto" or a profile file name without .ini */
	uint16_t rx_queues;	    /**< rx queues to set up (1 by default) */
	uint16_t rx_desc;	    /**< 0 = profile default */
	uint16_t tx_desc;	    /**< 0 = profile default */
	uint16_t mtu;		    /**< 0 = leave as is */
	enum sl_rss_mode rss;	    /**< how packets are spread over the rx queues */
	bool promiscuous;	    /**< receive frames for any MAC (on by default) */
	char pipeline[SL_NAME_MAX]; /**< the pipeline packets received here go through */
	/** index of that pipeline in sl_config.pipelines (set by the checks) */
	unsigned int pipeline_idx;
	unsigned int line; /**< line of the [port NAME] header */
};

/** One stage of a pipeline: its type, label and argument list. */
struct sl_stage_conf {
	char type[SL_NAME_MAX];	 /**< registered stage type (sl_stage_ops.name) */
	char label[SL_NAME_MAX]; /**< unique in the pipeline: "type:label"'s, or the type */
	char args[SL_ARGS_MAX]; /**< "key=value,...", from the pipeline's LABEL = line; "" = none */
	unsigned int line;	/**< line of the args (or stages =) line, for errors; 0 in code */
};

/** One [pipeline NAME] section: stages in order. */
struct sl_pipeline_conf {
	char name[SL_NAME_MAX];			    /**< NAME, as ports name it */
	unsigned int nb_stages;			    /**< stages used in `stages` */
	struct sl_stage_conf stages[SL_MAX_STAGES]; /**< in the order packets go through them */
	unsigned int line; /**< line of the [pipeline NAME] header; 0 in code */
};

/** One (port, rx queue) pair a worker polls. */
struct sl_rxq_ref {
	uint16_t port_idx; /**< index into sl_config.ports */
	uint16_t queue;	   /**< rx queue of that port */
};

/** One worker lcore and the rx queues it polls ([workers] section). */
struct sl_worker_conf {
	unsigned int lcore;			      /**< EAL lcore id */
	unsigned int nb_rxq;			      /**< pairs used in `rxq` */
	struct sl_rxq_ref rxq[SL_MAX_RXQ_PER_WORKER]; /**< (port, queue) pairs, polled in turn */
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

/** A whole config: the [app] settings, ports, pipelines and workers. */
struct sl_config {
	char path[PATH_MAX]; /**< the file, or the origin of text or code: named in errors */
	unsigned int burst;  /**< rx burst per (port, queue) poll, 1..SL_STAGE_VEC_MAX */
	unsigned int vector; /**< most packets per graph walk; 0 = one burst */
	unsigned int stats_interval; /**< seconds between stats lines; 0 = only at exit */
	unsigned int tx_retry;	     /**< extra tx_burst attempts before counting a tx drop */
	uint8_t graph_stats;	     /**< SL_GRAPH_STATS_*: per-stage calls/objs/cycles */
	unsigned int stage_mbufs;    /**< per worker, mbufs stages may hold (added to the pool) */
	/** [app] profiles: where port profiles are read; "" = found (docs/config.md) */
	char profiles_dir[PATH_MAX];
	/** [app] plugins: stage plugins (.so) to load, comma separated; relative
	 *  paths are from the config file's directory (sl_plugin_load) */
	char plugins[SL_ARGS_MAX];

	unsigned int nb_ports;				     /**< ports used in `ports` */
	struct sl_port_conf ports[SL_MAX_PORTS];	     /**< in the order of the file */
	unsigned int nb_pipelines;			     /**< pipelines used in `pipelines` */
	struct sl_pipeline_conf pipelines[SL_MAX_PIPELINES]; /**< the [pipeline] sections */

	bool auto_map;		 /**< map = auto: filled in by sl_config_map_workers */
	unsigned int nb_workers; /**< 0 until lcores are known */
	struct sl_worker_conf workers[SL_MAX_WORKERS]; /**< one per worker lcore */
	unsigned int workers_line;		       /**< line of [workers], for errors */
};

/**
 * Parse a config file. Needs no running EAL (unit tests call it bare).
 * Worker lcores named in the file are checked against `lcore_ok` when given
 * (NULL: any number accepted). Returns 0, or -1 with `err` filled.
 */
SL_API int sl_config_load(struct sl_config *cfg, const char *path,
			  bool (*lcore_ok)(unsigned int lcore), struct sl_error *err);

/**
 * Parse INI text held in memory: the same grammar, checks and one-line errors
 * as sl_config_load(), with `origin` (e.g. "main.c" or "inline"; NULL:
 * "inline") in place of the file name: "main.c:3: [port p0] dev: ...".
 * The text is not kept.
 */
SL_API int sl_config_load_text(struct sl_config *cfg, const char *text, const char *origin,
			       bool (*lcore_ok)(unsigned int lcore), struct sl_error *err);

/**
 * Start a config to be built in code: no ports, no pipelines, the defaults
 * of a file's [app] section (burst 32, stats every second), workers mapped
 * automatically. `origin` names the config in errors (NULL: "inline").
 * Then sl_config_add_pipeline(), sl_config_set_stage_args(),
 * sl_config_add_port(), any field of the returned structs (rx_queues,
 * rx_desc, ...) and of cfg's [app] fields, and sl_config_check():
 *
 *   struct sl_config cfg;
 *   struct sl_error err;
 *   sl_config_init(&cfg, "my-app");
 *   if (sl_config_add_pipeline(&cfg, "main", "udp_port_filter:filter count", &err) == NULL ||
 *       sl_config_set_stage_args(&cfg, "main", "filter", "port=9", &err) < 0 ||
 *       sl_config_add_port(&cfg, "p0", "net_memif0", "main", &err) == NULL)
 *           fail(err.msg);
 *
 * A stage's arguments are checked by the stage when the app is created, as
 * for a file.
 */
SL_API void sl_config_init(struct sl_config *cfg, const char *origin);

/**
 * Add pipeline `name` with `stages`, written as in a file's stages = line:
 * "type[:label] ..." separated by spaces or commas. The stage types must be
 * registered. Returns the pipeline, or NULL with `err` set ("my-app:
 * [pipeline main] stages: no stage type 'cuont'. Fix: use one of ...") and
 * cfg unchanged.
 */
SL_API struct sl_pipeline_conf *sl_config_add_pipeline(struct sl_config *cfg, const char *name,
						       const char *stages, struct sl_error *err);

/** A stage's argument list ("key=value,..."), as a file's LABEL = line. */
SL_API int sl_config_set_stage_args(struct sl_config *cfg, const char *pipeline, const char *label,
				    const char *args, struct sl_error *err);

/**
 * Add port `name` on device `dev` (an ethdev name, PCI address or vdev
 * devargs, as a file's dev = line) running `pipeline`, with a file's
 * defaults (one rx queue, promiscuous, profile auto). Returns the port to
 * adjust, or NULL with `err` set and cfg unchanged.
 */
SL_API struct sl_port_conf *sl_config_add_port(struct sl_config *cfg, const char *name,
					       const char *dev, const char *pipeline,
					       struct sl_error *err);

/**
 * The checks that end sl_config_load(), for a config built or changed in
 * code: at least one port, every port's pipeline exists, every stage type is
 * registered, workers (if given) are lcores `lcore_ok` accepts and poll every
 * queue once. Returns 0, or -1 with `err` set.
 */
SL_API int sl_config_check(struct sl_config *cfg, bool (*lcore_ok)(unsigned int lcore),
			   struct sl_error *err);

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
