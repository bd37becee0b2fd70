/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * sluice's userspace TCP: one independent stack per worker, no locks.
 *
 * The protocol code takes its clock and its output path as parameters: it
 * never reads the TSC and never calls tx_burst. The IP layer (lib/net) hands
 * it segments with sl_tcp_input() and drives its timers with
 * sl_tcp_timers(); it hands back segments through the output callback. So
 * the same code runs on a worker and, with a virtual clock, in unit tests.
 *
 * Zero copy: payload reaches the app as the received mbufs (headers
 * trimmed); sl_tcp_send() takes mbufs whose data is payload and prepends
 * headers in their headroom. The retransmission queue holds references
 * to those mbufs, never copies.
 *
 * All addresses and ports in this API are in network byte order.
 */
#ifndef SLUICE_SL_TCP_H
#define SLUICE_SL_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @struct sl_tcp_stack
 * Opaque: one worker's TCP stack (sl_tcp_stack_create()); used by that worker only. */
struct sl_tcp_stack;
/** @struct sl_tcp_conn
 * Opaque: one connection of a stack; valid until its on_closed callback returns. */
struct sl_tcp_conn;

/** A connection's addresses as seen from this host (network byte order). */
struct sl_tcp_tuple {
	uint32_t local_ip;    /**< our IPv4 address */
	uint32_t remote_ip;   /**< the peer's IPv4 address */
	uint16_t local_port;  /**< our TCP port */
	uint16_t remote_port; /**< the peer's TCP port */
};

/** Source ports sl_tcp_connect picks from when the caller gives none. */
#define SL_TCP_EPHEMERAL_FIRST 49152u
/** Last source port of that range (host byte order, inclusive). */
#define SL_TCP_EPHEMERAL_LAST 65535u
/** How many source ports the range holds. */
#define SL_TCP_EPHEMERAL_COUNT (SL_TCP_EPHEMERAL_LAST - SL_TCP_EPHEMERAL_FIRST + 1)

/**
 * Output: `m` holds one TCP segment, data starting at the TCP header, with
 * the TCP checksum already filled (over the pseudo header). The IP layer
 * prepends IPv4 and Ethernet headers in the headroom and transmits or
 * frees it; it owns `m` from here on.
 */
typedef void (*sl_tcp_output_fn)(void *ctx, struct rte_mbuf *m, const struct sl_tcp_tuple *t);

/** Congestion control (sl_tcp_config.cc). */
enum sl_tcp_cc {
	SL_TCP_CC_NEWRENO = 0, /**< RFC 5681: halve at a loss, one MSS per window */
	SL_TCP_CC_CUBIC,       /**< RFC 9438: back to 0.7 at a loss, cubic growth in time */
};

/**
 * Settings of one stack, read by sl_tcp_stack_create(); start from
 * sl_tcp_config_defaults(). Times in the unit their name ends with.
 */
struct sl_tcp_config {
	uint32_t max_conns;	  /**< connection table size (all states) */
	uint32_t syn_backlog;	  /**< half-open connections before SYN cookies */
	uint16_t mss;		  /**< our MSS (MTU - 40) */
	uint8_t wscale;		  /**< our window scale shift (0..14) */
	bool timestamps;	  /**< offer/accept RFC 7323 timestamps */
	uint32_t rcv_buf;	  /**< per connection receive buffer, bytes (window) */
	uint32_t snd_buf;	  /**< per connection send buffer, bytes (unacked+unsent) */
	uint32_t init_cwnd_segs;  /**< initial window in MSS (RFC 6928: 10) */
	uint32_t rto_init_us;	  /**< RFC 6298 initial RTO (1 s) */
	uint32_t rto_min_us;	  /**< lower bound (RFC 6298: 1 s; Linux: 200 ms) */
	uint32_t rto_max_us;	  /**< upper bound (>= 60 s) */
	uint32_t delack_us;	  /**< delayed ACK timeout (<= 500 ms; typically 40 ms) */
	uint32_t msl_us;	  /**< TIME_WAIT lasts 2 * msl_us */
	uint8_t max_retries;	  /**< data retransmissions before abort */
	uint8_t max_syn_retries;  /**< SYN / SYN-ACK retransmissions before giving up */
	bool sack;		  /**< offer/accept RFC 2018 SACK (RFC 6675 recovery) */
	uint8_t isn_secret[16];	  /**< RFC 6528 key; random at start */
	int socket;		  /**< NUMA node for the stack's memory */
	struct rte_mempool *pool; /**< mbufs for ACKs, RSTs, SYNs, copies */
	sl_tcp_output_fn output;  /**< where the stack's segments go (the IP layer) */
	void *output_ctx;	  /**< first argument of `output` */

	/* Resource caps, keepalive, rate limits (docs/tcp.md "Resource caps"). */
	uint8_t zw_probes_max;	/**< unanswered zero-window probes before abort (8; 0 never) */
	uint32_t zw_give_up_ms; /**< abort a window closed this long, even if answered (0 never) */
	uint32_t keepalive_idle_ms;  /**< RFC 1122 keepalive after this idle time (0: off) */
	uint32_t keepalive_intvl_ms; /**< between unanswered keepalive probes (75000) */
	uint8_t keepalive_probes;    /**< unanswered probes before abort (9) */
	uint32_t mem_max_mbufs;	     /**< mbufs all connections may hold (0: half of pool) */
	uint32_t conn_mem_max_mbufs; /**< mbufs one connection may hold (0: no cap of its own) */
	uint32_t rst_rate;  /**< RSTs a second to segments of no connection (0: no limit) */
	uint32_t rst_burst; /**< RSTs sent back to back before the rate applies */
	uint8_t cc;	    /**< enum sl_tcp_cc (CUBIC) */
};

/** Fill `cfg` with sane defaults (the values in the field comments). */
SL_API void sl_tcp_config_defaults(struct sl_tcp_config *cfg);

/** Why a connection ended (on_closed). */
enum sl_tcp_close_reason {
	SL_TCP_CLOSED_NORMAL = 0, /**< both FINs exchanged and acknowledged */
	SL_TCP_CLOSED_RESET,	  /**< peer sent an acceptable RST */
	SL_TCP_CLOSED_TIMEOUT,	  /**< retransmissions exhausted */
	SL_TCP_CLOSED_ABORTED,	  /**< we aborted (sl_tcp_abort or close with unread data) */
	SL_TCP_CLOSED_REFUSED,	  /**< active open answered by RST */
};

/**
 * App callbacks, all called on the worker that owns the connection, from
 * inside sl_tcp_input() / sl_tcp_timers(). They may call sl_tcp_send(),
 * sl_tcp_shutdown(), sl_tcp_close(), sl_tcp_abort() on their connection.
 */
struct sl_tcp_callbacks {
	/** A passive open completed. Return 0 to keep it; set *conn_arg. */
	int (*on_accept)(struct sl_tcp_conn *c, void *listen_arg, void **conn_arg);
	/** An active open completed. */
	void (*on_connected)(struct sl_tcp_conn *c, void *arg);
	/**
	 * In-order payload, as mbufs whose data is payload only. Return how
	 * many of the n mbufs the app took (it then owns and frees or sends
	 * them); the rest stay queued in the connection, count against the
	 * receive window, and are offered again after sl_tcp_recv_resume().
	 */
	uint16_t (*on_data)(struct sl_tcp_conn *c, void *arg, struct rte_mbuf **m, uint16_t n);
	/** The peer acknowledged `bytes` more; send space grew. */
	void (*on_sent)(struct sl_tcp_conn *c, void *arg, uint32_t bytes);
	/** The peer sent FIN: no more data will come (half-close). */
	void (*on_peer_fin)(struct sl_tcp_conn *c, void *arg);
	/** The connection is gone; `c` is invalid after this returns. */
	void (*on_closed)(struct sl_tcp_conn *c, void *arg, enum sl_tcp_close_reason why);
};

/**
 * Counters of one stack. Names in sl_tcp_stats_names (same order). All
 * count up, except mem_held_mbufs: a gauge, the mbufs the connections hold
 * now (receive, out-of-order and send queues).
 */
/* clang-format off */
#define SL_TCP_STATS(X) \
	X(segs_in) \
	X(segs_out) \
	X(bytes_in) \
	X(bytes_out) \
	X(active_opens) \
	X(passive_opens) \
	X(conns_established) \
	X(conns_closed) \
	X(conns_reset) \
	X(conns_timeout) \
	X(conn_table_full) \
	X(retransmits) \
	X(rto_expired) \
	X(fast_retransmits) \
	X(dup_acks_in) \
	X(partial_acks) \
	X(ooo_segs) \
	X(ooo_dropped) \
	X(dup_segs) \
	X(rst_sent) \
	X(rst_received) \
	X(rst_ignored) \
	X(challenge_acks) \
	X(syn_cookies_sent) \
	X(syn_cookies_ok) \
	X(syn_cookies_bad) \
	X(syn_backlog_full) \
	X(bad_checksum) \
	X(bad_header) \
	X(bad_options) \
	X(out_of_window) \
	X(ack_unsent_data) \
	X(paws_dropped) \
	X(zero_window_probes) \
	X(persist_timeouts) \
	X(delayed_acks) \
	X(no_mbuf) \
	X(snd_buf_full) \
	X(time_wait_reused) \
	X(closed_port_rst) \
	X(sack_recoveries) \
	X(sack_blocks_in) \
	X(sack_blocks_bad) \
	X(dsack_in) \
	X(sack_blocks_out) \
	X(lost_retransmits) \
	X(tlp_probes) \
	X(zero_window_give_up) \
	X(keepalive_probes) \
	X(keepalive_timeouts) \
	X(pressure_window_held) \
	X(pressure_data_dropped) \
	X(conn_cap_data_dropped) \
	X(conns_shed) \
	X(rst_rate_limited) \
	X(listen_no_syn_dropped) \
	X(mem_held_mbufs) \
	X(oow_acks_limited) \
	X(rack_marked) \
	X(dsack_undo)
/* clang-format on */

/** A stack's counters: one uint64_t per SL_TCP_STATS entry, in that order. */
struct sl_tcp_stats {
/** One field of struct sl_tcp_stats (defined for the struct only). */
#define SL_TCP_STAT_FIELD(name) uint64_t name;
	SL_TCP_STATS(SL_TCP_STAT_FIELD)
#undef SL_TCP_STAT_FIELD
};
/** The counters' names, in the order of struct sl_tcp_stats, NULL terminated. */
SL_API extern const char *const sl_tcp_stats_names[];

/* ---- stack (driven by the IP layer) ---- */

/** Create a stack on cfg->socket. NULL with rte_errno set on failure. */
SL_API struct sl_tcp_stack *sl_tcp_stack_create(const struct sl_tcp_config *cfg, uint64_t now_us);
/** Abort every connection (no callbacks) and free the stack. */
SL_API void sl_tcp_stack_free(struct sl_tcp_stack *s);

/**
 * One received segment: `m` data starts at the TCP header and its pkt_len
 * is the TCP length (IP padding already trimmed). The stack owns `m`.
 * The TCP checksum is verified here unless m->ol_flags says the NIC did.
 */
SL_API void sl_tcp_input(struct sl_tcp_stack *s, struct rte_mbuf *m, const struct sl_tcp_tuple *t,
			 uint64_t now_us);

/**
 * Run due timers (retransmit, delayed ACK, persist, keepalive, TIME_WAIT)
 * and, under memory pressure, shed the connections that pin the most.
 */
SL_API void sl_tcp_timers(struct sl_tcp_stack *s, uint64_t now_us);

/**
 * No timer is due before this time (UINT64_MAX: none runs). A lower bound,
 * at most one 1 ms tick early, in O(1): cheap enough to check every poll.
 */
SL_API uint64_t sl_tcp_next_timer(const struct sl_tcp_stack *s);

/** The stack's counters, updated in place: read them on its worker (no copy). */
SL_API const struct sl_tcp_stats *sl_tcp_stack_stats(const struct sl_tcp_stack *s);
/** Connections in the table, all states (TIME_WAIT included). */
SL_API uint32_t sl_tcp_conn_count(const struct sl_tcp_stack *s);

/* ---- app API ---- */

/**
 * Accept connections on local port `port` (network order, any local
 * address). 0, or -EINVAL (port 0, no callbacks, already listening) or
 * -ENOSPC (every listener slot taken).
 */
SL_API int sl_tcp_listen(struct sl_tcp_stack *s, uint16_t port, const struct sl_tcp_callbacks *cb,
			 void *listen_arg);
/**
 * Keepalive (RFC 1122 4.2.3.6) for connections accepted on `port` from now
 * on: after `idle_ms` without a segment from the peer, probe every
 * `intvl_ms`; abort after `probes` unanswered ones. idle_ms 0 turns it off
 * for this listener. Without this call a listener uses the stack's
 * keepalive_* config. 0, or -ENOENT (not listening on `port`).
 */
SL_API int sl_tcp_listen_keepalive(struct sl_tcp_stack *s, uint16_t port, uint32_t idle_ms,
				   uint32_t intvl_ms, uint8_t probes);
/** The same for one connection (idle_ms 0: off); restarts its idle time. */
SL_API void sl_tcp_conn_keepalive(struct sl_tcp_conn *c, uint32_t idle_ms, uint32_t intvl_ms,
				  uint8_t probes);

/** Stop accepting on `port`; connections already accepted go on. -ENOENT if none. */
SL_API int sl_tcp_unlisten(struct sl_tcp_stack *s, uint16_t port);

/**
 * Active open. local_port 0 picks one (the caller may pick one whose RSS
 * hash lands on this worker). NULL with rte_errno on failure.
 */
SL_API struct sl_tcp_conn *sl_tcp_connect(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t,
					  const struct sl_tcp_callbacks *cb, void *arg,
					  uint64_t now_us);

/**
 * Queue payload mbufs (each may be a chain) for sending. Returns how many
 * were taken; the rest do not fit the send buffer (the app keeps them and
 * retries after on_sent). Segments larger than the peer's MSS are split.
 */
SL_API uint16_t sl_tcp_send(struct sl_tcp_conn *c, struct rte_mbuf **m, uint16_t n);

/** Bytes sl_tcp_send would take now. */
SL_API uint32_t sl_tcp_send_space(const struct sl_tcp_conn *c);

/** Offer queued received data to on_data again (after the app could not take it). */
SL_API void sl_tcp_recv_resume(struct sl_tcp_conn *c);

/** Send FIN after the queued data (half-close); receiving goes on. */
SL_API int sl_tcp_shutdown(struct sl_tcp_conn *c);

/** Close: FIN after queued data; RST instead if received data is unread. */
SL_API int sl_tcp_close(struct sl_tcp_conn *c);

/** Send RST and free at once; on_closed(ABORTED) is called. */
SL_API void sl_tcp_abort(struct sl_tcp_conn *c);

/** The connection's addresses and ports; valid as long as the connection. */
SL_API const struct sl_tcp_tuple *sl_tcp_conn_tuple(const struct sl_tcp_conn *c);
/** RFC 9293 state name ("ESTABLISHED", ...). */
SL_API const char *sl_tcp_conn_state(const struct sl_tcp_conn *c);
/**
 * One line of the connection's internals for diagnostics (like `ss -ti`):
 * state, send/receive sequence offsets from the ISNs, windows, cwnd,
 * queues and armed timers. Returns what snprintf returns.
 */
SL_API int sl_tcp_conn_describe(const struct sl_tcp_conn *c, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_TCP_H */
