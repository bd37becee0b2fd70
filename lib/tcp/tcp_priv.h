/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Internals of sluice's TCP (lib/tcp). Not installed; unit tests include it
 * to check pure pieces (sequence arithmetic, RTO, options, cookies,
 * reassembly) on their own.
 */
#ifndef SLUICE_TCP_PRIV_H
#define SLUICE_TCP_PRIV_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_tcp.h>

#include "sluice/sl_tcp.h"
#include "tcp_seq.h"

/* ---- constants ---- */

#define TCP_HDR_LEN 20u
#define TCP_MAX_HDR_LEN 60u
#define TCP_DEFAULT_MSS 536u  /* RFC 9293 3.7.1: when the peer sends no MSS */
#define TCP_MAX_WSCALE 14u    /* RFC 7323 2.3 */
#define TCP_MAX_LISTENERS 64u /* listening ports per stack (linear scan: few) */
#define TCP_OOO_MAX_SEGS 64u  /* reassembly queue bound when none is set (tcp_reass.max) */
#define TCP_CHACK_PER_SEC 10u /* RFC 5961 7: challenge ACKs per connection per second */
#define TCP_TS_OPT_LEN 12u    /* NOP NOP TS(10): what every segment carries with TS on */
#define TCP_TX_MAX_SEGS 16u   /* mbufs in one output segment (header + payload pieces) */
#define TCP_TX_COPY_MAX 128u  /* payload this small is copied, not cloned (see tcp_output.c) */
#define TCP_COOKIE_PERIOD_US (64u * 1000000u) /* RFC 4987 counter t: 64 s */
#define TCP_EPHEMERAL_LO SL_TCP_EPHEMERAL_FIRST
#define TCP_EPHEMERAL_HI SL_TCP_EPHEMERAL_LAST

/* Option kinds (RFC 9293, 7323, 2018). */
#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_WS 3
#define TCP_OPT_SACK_PERM 4
#define TCP_OPT_SACK 5
#define TCP_OPT_TS 8

#define TCP_FIN RTE_TCP_FIN_FLAG
#define TCP_SYN RTE_TCP_SYN_FLAG
#define TCP_RST RTE_TCP_RST_FLAG
#define TCP_PSH RTE_TCP_PSH_FLAG
#define TCP_ACK RTE_TCP_ACK_FLAG
#define TCP_URG RTE_TCP_URG_FLAG

/** RFC 9293 3.3.2 states; TCP_CLOSED also marks a free slot. */
enum tcp_state {
	TCP_CLOSED = 0,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RCVD,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_NSTATES
};

/** Per-connection timers; each holds an absolute deadline in us, 0 = off. */
enum tcp_timer_id {
	TCP_T_RTX = 0, /* retransmission: SYN, SYN-ACK, data, FIN */
	TCP_T_PERSIST, /* zero-window probe */
	TCP_T_DELACK,  /* delayed ACK */
	TCP_T_2MSL,    /* TIME_WAIT, and FIN_WAIT_2 after close() */

	TCP_T_KEEPALIVE, /* RFC 1122 4.2.3.6 idle probe (tcp_caps.c) */
	TCP_T_N
};

/* ---- options (tcp_options.c) ---- */

#define TCP_SACK_MAX_BLOCKS 4u /* what fits in 40 B of options (RFC 2018 3) */

/** One SACK block: sequence space [start, end). */
struct tcp_sack_block {
	uint32_t start;
	uint32_t end;
};

/** Options of one received segment, as parsed. */
struct tcp_opts {
	uint16_t mss;
	uint8_t wscale;
	bool has_mss;
	bool has_ws;
	bool has_sack_perm;
	bool has_ts;
	uint8_t nsack; /* SACK blocks, as they came (not yet checked against our state) */
	uint32_t tsval;
	uint32_t tsecr;
	struct tcp_sack_block sack[TCP_SACK_MAX_BLOCKS];
};

/** What to put in an outgoing segment's options. */
struct tcp_opts_out {
	uint16_t mss;  /* 0: none */
	int8_t wscale; /* -1: none */
	bool ts;
	bool sack_perm;
	uint8_t nsack;
	uint32_t tsval;
	uint32_t tsecr;
	const struct tcp_sack_block *sack; /* nsack blocks */
};

/**
 * Parse the options area `p[0..len)`. Returns 0, or -1 if malformed: a
 * length byte < 2 (0 would loop forever, 1 cannot hold kind+length), an
 * option running past the header, or a known option with the wrong length
 * (RFC 9293 3.1 lets us drop those). Unknown kinds are skipped.
 * With `lenient` (used for SYNs, as Linux parses every segment) a malformed
 * option ends the parse instead: what was valid before it is kept and 0 is
 * returned, so a peer with one broken option can still connect.
 */
int tcp_opts_parse(const uint8_t *p, unsigned int len, struct tcp_opts *o, bool lenient);
/** Write options for `o` into p (room for 40 B); returns bytes, a multiple of 4. */
unsigned int tcp_opts_write(uint8_t *p, const struct tcp_opts_out *o);
/** Bytes tcp_opts_write would produce. */
unsigned int tcp_opts_len(const struct tcp_opts_out *o);

/* ---- RTO estimator (tcp_rto.c, RFC 6298) ---- */

struct tcp_rtt {
	uint32_t srtt_us;
	uint32_t rttvar_us;
	uint32_t rto_us; /* before backoff, already within [min, max] */
	uint8_t backoff; /* timeouts since the last valid sample */
	bool has_sample;
};

void tcp_rtt_init(struct tcp_rtt *r, const struct sl_tcp_config *cfg);
/** One RTT measurement (RFC 6298 2.2/2.3); clears the backoff (Karn). */
void tcp_rtt_sample(struct tcp_rtt *r, uint32_t rtt_us, const struct sl_tcp_config *cfg);
/** The timer value now: rto << backoff, capped at rto_max (RFC 6298 5.5). */
uint32_t tcp_rtt_rto(const struct tcp_rtt *r, const struct sl_tcp_config *cfg);
/** A timeout happened: double (RFC 6298 5.5). */
void tcp_rtt_backoff(struct tcp_rtt *r);

/* ---- keyed hash, ISN, cookies ---- */

/** SipHash-2-4 of `len` bytes under a 128-bit key (Aumasson & Bernstein). */
uint64_t tcp_siphash(const uint8_t key[16], const void *data, size_t len);
/** RFC 6528: F(4-tuple, key) + M, M ticking once per 4 us. */
uint32_t tcp_isn(const uint8_t key[16], const struct sl_tcp_tuple *t, uint64_t now_us);
/** Per-connection RFC 7323 TSval offset, so TSvals do not leak uptime. */
uint32_t tcp_ts_offset(const uint8_t key[16], const struct sl_tcp_tuple *t);

/** MSS values a cookie can carry (3 bits). */
extern const uint16_t tcp_cookie_mss_table[8];
/**
 * RFC 4987 SYN cookie: our ISN for a SYN we keep no state for. Layout:
 * [31:27] time counter (64 s) mod 32, [26:24] MSS index, [23:20] peer
 * wscale (15 = peer sent none), [19:0] MAC over all of it, the tuple and
 * the peer's ISN.
 */
uint32_t tcp_cookie_make(const uint8_t key[16], const struct sl_tcp_tuple *t, uint32_t peer_isn,
			 uint16_t peer_mss, int peer_wscale, uint64_t now_us);
/**
 * Check the cookie an ACK returns (SEG.ACK - 1) against SEG.SEQ - 1.
 * Returns 0 and fills *mss, *wscale (-1: none) if it is ours and at most two
 * periods old; -1 otherwise.
 */
int tcp_cookie_check(const uint8_t key[16], const struct sl_tcp_tuple *t, uint32_t peer_isn,
		     uint32_t cookie, uint64_t now_us, uint16_t *mss, int *wscale);

/* ---- mbuf metadata (dynamic field) ---- */

/** Per-mbuf data while an mbuf sits in a receive queue. */
struct tcp_mbuf_meta {
	struct rte_mbuf *qnext; /* next packet in the queue */
	uint32_t seq;		/* sequence number of its first payload byte */
};

extern int tcp_meta_offset;
int tcp_meta_register(void);

static inline struct tcp_mbuf_meta *tcp_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, tcp_meta_offset, struct tcp_mbuf_meta *);
}

/* ---- reassembly queue (tcp_reass.c) ---- */

/** Out-of-order segments, sorted by sequence, never overlapping. */
struct tcp_reass {
	struct rte_mbuf *head;
	struct rte_mbuf *tail; /* last segment: most arrivals after a hole go after it */
	uint32_t bytes;
	uint16_t count;
	uint16_t max; /* segments it may hold; 0: TCP_OOO_MAX_SEGS */
};

/**
 * Insert payload mbuf `m` starting at `seq`. Bytes already queued win
 * (first received, RFC 9293 3.10.7.4 leaves the choice; keeping the first
 * copy is what stops an injected overlap from rewriting data): `m` is cut
 * around them, with an indirect clone from `pool` when it spans a queued
 * segment. Returns payload bytes newly queued; frees what it did not keep.
 * A queue holding `max` segments takes nothing more (*dropped set) except a
 * segment at its front when `in_order` (seq == RCV.NXT).
 */
uint32_t tcp_reass_insert(struct tcp_reass *q, struct rte_mbuf *m, uint32_t seq,
			  struct rte_mempool *pool, bool in_order, bool *dropped);
/** Pop the head if it starts at `seq`; NULL otherwise. */
struct rte_mbuf *tcp_reass_pop(struct tcp_reass *q, uint32_t seq);
void tcp_reass_free(struct tcp_reass *q);

/* ---- SACK (tcp_sack.c; RFC 2018, RFC 6675) ---- */

#define TCP_SB_MAX 8u	      /* SACKed ranges a sender remembers above SND.UNA */
#define TCP_DUPTHRESH 3u      /* RFC 5681 / 6675 DupThresh */
#define TCP_TLP_MIN_US 10000u /* tail loss probe timeout floor (RFC 8985 7.2 leaves it open) */

/** Receiver: the blocks we report, the most recently changed first (RFC 2018 4). */
struct tcp_sack_rcv {
	struct tcp_sack_block blk[TCP_SACK_MAX_BLOCKS];
	uint8_t n;
};

/** Sender: what the peer said it holds above SND.UNA (the RFC 6675 scoreboard). */
struct tcp_scoreboard {
	struct tcp_sack_block r[TCP_SB_MAX]; /* ascending, disjoint, never touching */
	uint8_t n;
	uint32_t sacked;    /* bytes in r[] */
	uint32_t high_rxt;  /* RFC 6675 HighRxt: holes below it were resent this recovery */
	uint32_t rxt_fence; /* SND.MAX when the hole at SND.UNA was last resent */
	uint32_t rerxt_nxt; /* resending lost resends: next byte to look at */
	uint32_t rerxt_end; /* ... up to here (== rerxt_nxt: nothing to resend again) */
	uint32_t tlp_seq;   /* first byte of the last tail loss probe (when tlp_out) */
	uint32_t rack_lost; /* holes below are lost: a later probe got through (RFC 8985) */
};

/** The peer's segment [start, end) went into our out-of-order queue. */
void tcp_sack_rcv_add(struct tcp_sack_rcv *r, uint32_t start, uint32_t end);
/** RCV.NXT moved: forget blocks it reached. */
void tcp_sack_rcv_trim(struct tcp_sack_rcv *r, uint32_t rcv_nxt);

/** Record [start, end) as SACKed (the caller checked SND.UNA < start < end <= SND.MAX). */
void tcp_sb_add(struct tcp_scoreboard *sb, uint32_t start, uint32_t end);
/** SND.UNA moved to `una`: drop what it covers. */
void tcp_sb_ack(struct tcp_scoreboard *sb, uint32_t una);
void tcp_sb_clear(struct tcp_scoreboard *sb);
/** Out of recovery: nothing resent, nothing to resend again, nothing marked lost, from `una`. */
void tcp_sb_marks_reset(struct tcp_scoreboard *sb, uint32_t una);
/**
 * RFC 6675 IsLost as one edge: every unSACKed byte below the returned
 * sequence is lost (DupThresh SACKed ranges, or more than (DupThresh - 1)
 * MSS SACKed, above it). `una` when nothing is lost.
 */
uint32_t tcp_sb_lost_edge(const struct tcp_scoreboard *sb, uint32_t una, uint32_t mss);
/** RFC 6675 SetPipe: bytes in flight over [una, snd_max). */
uint32_t tcp_sb_pipe(const struct tcp_scoreboard *sb, uint32_t una, uint32_t snd_max, uint32_t mss);
/**
 * RFC 6675 NextSeg rule 1: the first lost, unSACKed byte at or above
 * max(HighRxt, una); its run (up to the next SACKed range or the lost edge)
 * in *len. False when there is none.
 */
bool tcp_sb_next_lost(const struct tcp_scoreboard *sb, uint32_t una, uint32_t mss, uint32_t *seq,
		      uint32_t *len);
/**
 * The first unSACKed byte at or after `seq` (skipping a SACKed range it is
 * in); *room = bytes from there to the next SACKed range (UINT32_MAX: none).
 */
uint32_t tcp_sb_skip(const struct tcp_scoreboard *sb, uint32_t seq, uint32_t *room);

/** Drop the first n payload bytes of a packet (works across segments). */
void tcp_mbuf_trim_front(struct rte_mbuf *m, uint32_t n);
/** Drop the last n payload bytes of a packet, freeing emptied segments. */
void tcp_mbuf_trim_back(struct rte_mbuf *m, uint32_t n);

/* ---- connection ---- */

struct sl_tcp_conn {
	/* hot: looked at for every segment */
	struct sl_tcp_stack *stack;
	const struct sl_tcp_callbacks *cb;
	void *arg;
	struct sl_tcp_tuple tuple __rte_aligned(8); /* a hash key: see tcp_conn_lookup */
	uint8_t state;
	uint8_t snd_wscale; /* peer's shift, applied to its window */
	uint8_t rcv_wscale; /* ours, applied to what we advertise */
	uint8_t dupacks;
	uint16_t busy;	  /* nesting of entry points: frees wait until 0 */
	uint16_t snd_mss; /* peer's MSS (payload + options limit) */

	uint32_t ts_on : 1;	   /* RFC 7323 timestamps negotiated */
	uint32_t ws_on : 1;	   /* RFC 7323 window scaling negotiated */
	uint32_t passive : 1;	   /* came from a listener */
	uint32_t app_owned : 1;	   /* the app knows it (connect, or on_accept ok) */
	uint32_t half_open : 1;	   /* counted in stack->half_open */
	uint32_t in_hash : 1;	   /* in the connection table */
	uint32_t free_pending : 1; /* free once busy drops to 0 */
	uint32_t fin_queued : 1;   /* shutdown/close asked: FIN after the data */
	uint32_t fin_sent : 1;	   /* FIN has been sent at least once */
	uint32_t app_closed : 1;   /* close(): the app reads nothing more */
	uint32_t in_recovery : 1;  /* RFC 6582 fast recovery */
	uint32_t rtt_timing : 1;   /* rtt_seq is being timed */
	uint32_t rcv_blocked : 1;  /* the app left data: wait for recv_resume */
	uint32_t fin_rcvd : 1;	   /* a FIN is known at rcv_fin_seq (maybe not in order yet) */
	uint32_t syn_rexmit : 1;   /* our SYN / SYN-ACK was retransmitted (Karn) */
	uint32_t ack_now : 1;	   /* send an ACK before returning */
	uint32_t in_persist : 1;   /* zero window: probing */
	uint32_t rto_seen : 1;	   /* an RTO hit since the last new ACK (ssthresh once) */
	uint32_t fin_in_order : 1; /* the peer's FIN is consumed (rcv_nxt past it) */
	uint32_t fin_told : 1;	   /* on_peer_fin was called */
	uint32_t sack_on : 1;	   /* RFC 2018 SACK negotiated (both SYNs had SACK-permitted) */
	uint32_t tlp_armed : 1;	   /* TCP_T_RTX is a tail loss probe (RFC 8985 7), not the RTO */
	uint32_t tlp_out : 1;	   /* a probe is out: sb.tlp_seq is its first byte */

	/* send sequence space (RFC 9293 3.3.1); snd_max = highest ever sent */
	uint32_t iss, snd_una, snd_nxt, snd_max;
	uint32_t snd_wnd, max_snd_wnd, snd_wl1, snd_wl2;
	/* congestion control (RFC 5681, 6582) */
	uint32_t cwnd, ssthresh, recover, bytes_acked;
	/* send queue: the app's mbufs linked through ->next, unacked + unsent */
	struct rte_mbuf *sq_head, *sq_tail;
	uint32_t sq_seq;   /* sequence of the first queued byte */
	uint32_t sq_bytes; /* queued bytes from sq_seq */
	uint16_t sq_head_off;
	uint16_t sq_cur_off;
	struct rte_mbuf *sq_cur; /* cursor: segment holding sq_cur_seq */
	uint32_t sq_cur_seq;
	/* RTT (RFC 6298) */
	struct tcp_rtt rtt;
	uint32_t rtt_seq;
	uint8_t retries;
	uint8_t persist_backoff;
	uint16_t chack_count;
	uint64_t rtt_start_us;

	/* receive sequence space */
	uint32_t irs, rcv_nxt;
	uint32_t rcv_adv;	/* right edge we advertised: never moves left */
	uint32_t rcv_fin_seq;	/* the peer's FIN, when fin_rcvd */
	uint32_t rq_bytes;	/* in-order bytes the app has not taken */
	uint32_t unacked_bytes; /* in-order bytes received since our last ACK */
	uint16_t rcv_mss_est;	/* largest segment seen: "full-sized" for delayed ACK */
	uint16_t pad0;
	struct rte_mbuf *rq_head, *rq_tail; /* in-order, not taken by on_data */
	struct tcp_reass ooo;

	/* timestamps (RFC 7323) */
	uint32_t ts_recent, ts_offset, last_ack_sent;
	uint64_t chack_start_us; /* challenge ACK rate window start */

	/* timers */
	uint64_t tmr[TCP_T_N];
	uint64_t deadline; /* min of tmr[], the wheel key; 0 = not in the wheel */
	LIST_ENTRY(sl_tcp_conn) wheel_link;
	uint32_t index; /* slot in stack->conns */

	/* SACK: cold unless a segment is lost or reordered */
	uint32_t prr_delivered; /* RFC 6937 */
	uint32_t prr_out;
	uint32_t recover_fs;  /* RFC 6937 RecoverFS: flight when recovery began */
	uint32_t sack_credit; /* bytes PRR lets us send now (SACK recovery) */
	struct tcp_sack_rcv sack_rcv;
	struct tcp_scoreboard sb;
	/* CUBIC (tcp_cc.c, RFC 9438) */
	uint32_t cc_wmax;     /* W_max, bytes */
	uint32_t cc_west;     /* W_est, bytes */
	uint64_t cc_epoch_us; /* start of this congestion-avoidance epoch (0: none) */
	float cc_west_frac;   /* bytes of W_est growth not yet applied */
	float cc_grow_frac;   /* bytes of cwnd growth not yet applied */
	/* undo of a recovery the peer's D-SACKs show was not needed (tcp_input.c) */
	uint32_t undo_cwnd;
	uint32_t undo_ssthresh;
	uint16_t undo_retrans; /* resends of the last episode not yet D-SACKed */
	uint16_t undo_valid;   /* the last episode can still be undone */

	/* resource caps, keepalive, zero-window give-up (tcp_caps.c) */
	uint32_t rq_mbufs;    /* mbufs in rq_head.. (nb_segs of each packet) */
	uint32_t sq_mbufs;    /* mbufs in sq_head.. */
	uint32_t mem_charged; /* what stack->mem_held counts for this conn */
	uint32_t ka_idle_ms;  /* keepalive: 0 = off */
	uint32_t ka_intvl_ms;
	uint8_t ka_probes_max;
	uint8_t ka_probes; /* keepalive probes unanswered */
	uint8_t zw_probes; /* zero-window probes unanswered */
	uint8_t pad1;
	uint32_t persist_start_ms;	  /* first probe of this closed window (ms clock, wraps) */
	uint64_t rcv_tstamp_us;		  /* last acceptable segment with ACK from the peer */
	LIST_ENTRY(sl_tcp_conn) mem_link; /* in stack->mem_conns while mem_charged > 0 */
};

/*
 * The whole per-connection state is this struct (plus an rte_hash entry);
 * docs/tcp.md quotes the number. The hot part stays within 6 cache lines;
 * the SACK state after `index` is touched only around losses.
 */
static_assert(sizeof(struct sl_tcp_conn) == 328 + 152 + 64 + 24 + 8,
	      "sl_tcp_conn changed size: update docs/tcp.md");

/* ---- timer wheel (tcp_timer.c) ---- */

#define TCP_WHEEL_TICK_US 1000u
#define TCP_WHEEL_SLOTS 4096u /* power of two: 4.096 s per turn at 1 ms */

LIST_HEAD(tcp_wheel_slot, sl_tcp_conn);

struct tcp_wheel {
	uint64_t cur_tick; /* slots before this one have been run */
	uint32_t count;	   /* connections in the wheel */
	uint64_t hint;	   /* no deadline is earlier than this (UINT64_MAX: empty) */
	struct tcp_wheel_slot slot[TCP_WHEEL_SLOTS];
};

void tcp_wheel_init(struct tcp_wheel *w, uint64_t now_us);
/** Re-key `c` after its tmr[] changed. */
void tcp_timer_update(struct sl_tcp_conn *c);
void tcp_timer_set(struct sl_tcp_conn *c, enum tcp_timer_id id, uint64_t at_us);
void tcp_timer_stop(struct sl_tcp_conn *c, enum tcp_timer_id id);
void tcp_timer_stop_all(struct sl_tcp_conn *c);

/* ---- stack ---- */

struct tcp_listener {
	uint16_t port; /* network order; 0 = free */
	const struct sl_tcp_callbacks *cb;
	void *arg;
	bool ka_set; /* keepalive below, not the stack's (sl_tcp_listen_keepalive) */
	uint8_t ka_probes;
	uint32_t ka_idle_ms, ka_intvl_ms;
};

LIST_HEAD(tcp_conn_list, sl_tcp_conn);

struct sl_tcp_stack {
	struct sl_tcp_config cfg;
	struct sl_tcp_stats st;
	struct rte_hash *table;
	struct sl_tcp_conn *conns; /* max_conns slots */
	uint32_t *free_slots;	   /* stack of free slot indexes */
	uint32_t nfree;
	uint32_t nconns;
	uint32_t half_open;
	uint16_t next_port; /* host order: next ephemeral port to try */
	bool isn_fixed_on;  /* tests: every ISN is isn_fixed */
	uint32_t isn_fixed;
	uint64_t now_us;
	struct tcp_listener listeners[TCP_MAX_LISTENERS];
	struct tcp_wheel wheel;

	/* resource caps and rate limits (tcp_caps.c) */
	uint32_t mem_held;     /* sum of mem_charged */
	uint32_t mem_max;      /* cfg.mem_max_mbufs, or derived from the pool */
	uint32_t mem_pressure; /* 3/4 of mem_max: windows stop opening, stalled conns shed */
	uint32_t mem_conns;    /* connections in mem_list */
	struct tcp_conn_list mem_list; /* connections holding mbufs */
	uint64_t shed_at;	       /* next shedding pass (UINT64_MAX: no pressure) */
	uint64_t rst_tokens_at;	       /* RST token bucket: last refill */
	uint32_t rst_tokens;
};

/* tcp_conn.c */
struct sl_tcp_conn *tcp_conn_lookup(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t);
/** A zeroed connection in the table; NULL (conn_table_full counted) if none. */
struct sl_tcp_conn *tcp_conn_alloc(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t);
/**
 * End a connection: timers off, queues freed, out of the table, on_closed
 * if the app owns it and `notify`; the slot is reused once nobody is
 * inside it (busy == 0).
 */
void tcp_conn_close(struct sl_tcp_conn *c, enum sl_tcp_close_reason why, bool notify);
/** Entry/exit of a public entry point working on `c` (defers frees). */
void tcp_conn_enter(struct sl_tcp_conn *c);
void tcp_conn_leave(struct sl_tcp_conn *c);
const struct tcp_listener *tcp_listener_find(const struct sl_tcp_stack *s, uint16_t port);
/** Initial sequence number for a new connection (RFC 6528, or the test override). */
uint32_t tcp_new_isn(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t);
void tcp_set_state(struct sl_tcp_conn *c, enum tcp_state st);
/** Initialise send/receive parameters shared by active and passive opens. */
void tcp_conn_init_common(struct sl_tcp_conn *c, uint32_t iss);
/** Apply the peer's SYN options (MSS, WS, TS) to a new connection. */
void tcp_conn_apply_syn_opts(struct sl_tcp_conn *c, const struct tcp_opts *o);
/** Enter ESTABLISHED: initial window, callbacks. Returns false if the conn went away. */
bool tcp_conn_established(struct sl_tcp_conn *c);

/* tcp_output.c */
/** The TSval we send now (ms clock + per-connection offset). */
uint32_t tcp_tsval(const struct sl_tcp_conn *c);
/** Send payload bytes [seq, seq+len) of the send queue, with `flags`. */
int tcp_output_segment(struct sl_tcp_conn *c, uint32_t seq, uint32_t len, uint8_t flags);
/** Resend from SND.UNA: one segment (and FIN); returns sequence space sent. */
uint32_t tcp_retransmit_una(struct sl_tcp_conn *c);
/** Sequence number for segments without data: SND.MAX, or the window's edge. */
uint32_t tcp_ack_seq(const struct sl_tcp_conn *c);
/** Pure ACK (also window updates and zero-window probes at seq). */
int tcp_send_ack(struct sl_tcp_conn *c);
int tcp_send_ack_seq(struct sl_tcp_conn *c, uint32_t seq);
/** RFC 5961 challenge ACK, rate-limited per connection. */
void tcp_send_challenge_ack(struct sl_tcp_conn *c);
/** SYN (active) or SYN-ACK (passive) for c. */
int tcp_send_syn(struct sl_tcp_conn *c);
/** RST on c's tuple with our current sequence. */
void tcp_send_rst_conn(struct sl_tcp_conn *c);
/** RST for a segment we have no state for (RFC 9293 3.10.7.1). */
void tcp_send_rst_reply(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t, uint32_t seq,
			uint32_t ack, bool with_ack);
/** SYN-ACK carrying a cookie (no connection state). */
void tcp_send_cookie_synack(struct sl_tcp_stack *s, const struct sl_tcp_tuple *t, uint32_t iss,
			    uint32_t ack, uint16_t mss, int wscale, const struct tcp_opts *peer);
/** Send what windows allow: new data, FIN. */
void tcp_output_push(struct sl_tcp_conn *c);
/** Window we advertise now (bytes, unscaled), moving rcv_adv forward only. */
uint32_t tcp_rcv_window(struct sl_tcp_conn *c);
/** Largest payload per segment towards the peer (MSS less our options). */
uint32_t tcp_eff_mss(const struct sl_tcp_conn *c);
/**
 * The retransmission timer per RFC 6298 5.1 (re)armed, or stopped when all
 * is acked; with SACK and an RTT sample, a tail loss probe timeout (RFC
 * 8985 7.2) when it comes before the RTO.
 */
void tcp_rtx_timer_arm(struct sl_tcp_conn *c);
/** RFC 8985 7.3: one new segment if the peer's window allows, else the last one again. */
void tcp_send_tlp(struct sl_tcp_conn *c);
/** Checksum over the pseudo header and `len` bytes of m (host order result). */
uint16_t tcp_cksum(const struct rte_mbuf *m, uint32_t len, uint32_t src_ip, uint32_t dst_ip);
/** Free fully acknowledged bytes at the head of the send queue. */
void tcp_sq_drop_acked(struct sl_tcp_conn *c, uint32_t upto);
/** Sequence just after the last queued data byte. */
static inline uint32_t tcp_sq_end(const struct sl_tcp_conn *c)
{
	return c->sq_seq + c->sq_bytes;
}

/* tcp_cc.c */
/** A loss: the new ssthresh for `flight` bytes out (CUBIC also records W_max). */
uint32_t tcp_cc_ssthresh(struct sl_tcp_conn *c, uint32_t flight);
/** `acked` new bytes acknowledged outside recovery: slow start or congestion avoidance. */
void tcp_cc_ack(struct sl_tcp_conn *c, uint32_t acked);

/* tcp_input.c */
/** Enter RFC 6675 loss recovery (ssthresh, PRR state, first resend allowed). */
void tcp_sack_enter_recovery(struct sl_tcp_conn *c);
/** Deliver the in-order queue to on_data unless blocked. */
void tcp_deliver(struct sl_tcp_conn *c);

/* tcp_timer.c */
void tcp_timer_fire(struct sl_tcp_conn *c, uint64_t now_us);

/* tcp_caps.c: resource caps, keepalive, zero-window give-up, RST rate */
/** Stack fields of tcp_caps.c from the config (at create). */
void tcp_caps_init(struct sl_tcp_stack *s);
/** Bring stack->mem_held up to date with c's queues (on leaving an entry point). */
void tcp_mem_sync(struct sl_tcp_conn *c);
/** c's queues were freed (tcp_conn_close): uncharge it. */
void tcp_mem_release(struct sl_tcp_conn *c);
/** Mbufs c holds now: receive, out-of-order and send queues. */
static inline uint32_t tcp_mem_conn(const struct sl_tcp_conn *c)
{
	return c->rq_mbufs + c->sq_mbufs + c->ooo.count;
}
/** Whether `nsegs` more mbufs fit c's own cap (sl_tcp_send). */
bool tcp_mem_send_ok(const struct sl_tcp_conn *c, uint32_t nsegs);
/** Whether c's receive window may open now (false: hold the edge where it is). */
bool tcp_mem_window_ok(struct sl_tcp_conn *c);
/** The most bytes c may be promised past RCV.NXT: its share of the stack's budget. */
uint32_t tcp_mem_window_space(const struct sl_tcp_conn *c);
/**
 * Whether a segment's payload for c must be dropped (not queued, not
 * acknowledged: the peer sends it again) because c or the stack is over its
 * cap. Counted. `fills_hole`: it starts at RCV.NXT with segments queued out
 * of order; always taken, as it lets the queues drain.
 */
bool tcp_mem_refuse_data(struct sl_tcp_conn *c, bool fills_hole);
/**
 * Whether c may answer one more unacceptable segment without data (out of
 * window, PAWS) with an ACK: the per-connection challenge ACK budget (counted).
 */
bool tcp_oow_ack_allowed(struct sl_tcp_conn *c);
/** Whether the stack may send one more RST to a segment of no connection (counted). */
bool tcp_rst_allowed(struct sl_tcp_stack *s);
/** The peer answered (an acceptable segment with ACK): keepalive and probe counts restart. */
static inline void tcp_peer_alive(struct sl_tcp_conn *c)
{
	c->rcv_tstamp_us = c->stack->now_us;
	c->ka_probes = 0;
	c->zw_probes = 0;
}
/** Arm (or stop) the keepalive timer from c's settings. */
void tcp_keepalive_arm(struct sl_tcp_conn *c);
void tcp_keepalive_timeout(struct sl_tcp_conn *c);
/** A zero-window probe went unanswered or the window stayed closed: give up? (aborts) */
bool tcp_zw_give_up(struct sl_tcp_conn *c);
/** Shedding pass (sl_tcp_timers). */
void tcp_mem_shed(struct sl_tcp_stack *s);

/* tests */
/** Make every new ISN `isn` (tests of sequence wrap). */
void tcp_test_fix_isn(struct sl_tcp_stack *s, uint32_t isn);

#endif /* SLUICE_TCP_PRIV_H */
