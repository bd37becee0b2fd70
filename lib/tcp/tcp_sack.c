/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Selective acknowledgments: the blocks a receiver reports (RFC 2018) and
 * the scoreboard a sender keeps of them (RFC 6675). Pure functions over two
 * small arrays in the connection, so they are unit-tested on their own.
 *
 * Why arrays and not per-segment marks on the send queue: the send queue
 * holds the app's mbufs, whose boundaries are not segment boundaries, and
 * a mark per queued mbuf would touch every mbuf on every ACK. With random
 * loss of a few percent over a window of ~180 segments a connection has a
 * handful of holes, so TCP_SB_MAX ranges hold the whole picture; when more
 * arrive the highest range is forgotten, which only makes the sender more
 * careful (those bytes look in flight) and never wrong.
 */
#include <string.h>

#include "tcp_priv.h"

/* ---- receiver ---- */

static void rcv_remove(struct tcp_sack_rcv *r, unsigned int i)
{
	memmove(&r->blk[i], &r->blk[i + 1], (r->n - i - 1) * sizeof(r->blk[0]));
	r->n--;
}

void tcp_sack_rcv_add(struct tcp_sack_rcv *r, uint32_t start, uint32_t end)
{
	struct tcp_sack_block b = {start, end};
	unsigned int i = 0;

	/* Merge with every block it overlaps or touches: they are one run now. */
	while (i < r->n) {
		if (seq_leq(r->blk[i].start, b.end) && seq_geq(r->blk[i].end, b.start)) {
			b.start = seq_min(b.start, r->blk[i].start);
			b.end = seq_max(b.end, r->blk[i].end);
			rcv_remove(r, i);
		} else {
			i++;
		}
	}
	/* The block holding the newest segment goes first (RFC 2018 4). */
	if (r->n == TCP_SACK_MAX_BLOCKS)
		r->n--;
	memmove(&r->blk[1], &r->blk[0], r->n * sizeof(r->blk[0]));
	r->blk[0] = b;
	r->n++;
}

void tcp_sack_rcv_trim(struct tcp_sack_rcv *r, uint32_t rcv_nxt)
{
	unsigned int i = 0;

	while (i < r->n) {
		if (seq_leq(r->blk[i].end, rcv_nxt)) {
			rcv_remove(r, i);
			continue;
		}
		if (seq_lt(r->blk[i].start, rcv_nxt))
			r->blk[i].start = rcv_nxt;
		i++;
	}
}

/* ---- sender scoreboard ---- */

void tcp_sb_clear(struct tcp_scoreboard *sb)
{
	sb->n = 0;
	sb->sacked = 0;
}

void tcp_sb_marks_reset(struct tcp_scoreboard *sb, uint32_t una)
{
	sb->high_rxt = una;
	sb->rerxt_nxt = una;
	sb->rerxt_end = una;
	sb->rack_lost = una;
}

static void sb_remove(struct tcp_scoreboard *sb, unsigned int i)
{
	sb->sacked -= sb->r[i].end - sb->r[i].start;
	memmove(&sb->r[i], &sb->r[i + 1], (sb->n - i - 1) * sizeof(sb->r[0]));
	sb->n--;
}

void tcp_sb_add(struct tcp_scoreboard *sb, uint32_t start, uint32_t end)
{
	unsigned int i = 0, j;

	/* Skip the ranges wholly below, then swallow every range it overlaps or touches. */
	while (i < sb->n && seq_lt(sb->r[i].end, start))
		i++;
	j = i;
	while (j < sb->n && seq_leq(sb->r[j].start, end)) {
		start = seq_min(start, sb->r[j].start);
		end = seq_max(end, sb->r[j].end);
		j++;
	}
	if (j > i) {
		/* Ranges i..j-1 become one at i. */
		for (unsigned int k = i; k < j; k++)
			sb->sacked -= sb->r[k].end - sb->r[k].start;
		memmove(&sb->r[i + 1], &sb->r[j], (sb->n - j) * sizeof(sb->r[0]));
		sb->n = (uint8_t)(sb->n - (j - i - 1));
		sb->r[i].start = start;
		sb->r[i].end = end;
		sb->sacked += end - start;
		return;
	}
	/* A new range at i. Full: the highest is the least useful, forget it. */
	if (sb->n == TCP_SB_MAX) {
		if (i == sb->n)
			return;
		sb_remove(sb, sb->n - 1u);
	}
	memmove(&sb->r[i + 1], &sb->r[i], (sb->n - i) * sizeof(sb->r[0]));
	sb->r[i].start = start;
	sb->r[i].end = end;
	sb->n++;
	sb->sacked += end - start;
}

void tcp_sb_ack(struct tcp_scoreboard *sb, uint32_t una)
{
	while (sb->n > 0 && seq_leq(sb->r[0].end, una))
		sb_remove(sb, 0);
	if (sb->n > 0 && seq_lt(sb->r[0].start, una)) {
		sb->sacked -= una - sb->r[0].start;
		sb->r[0].start = una;
	}
}

uint32_t tcp_sb_lost_edge(const struct tcp_scoreboard *sb, uint32_t una, uint32_t mss)
{
	uint32_t above = 0;

	/* From the top: the first range where DupThresh ranges or > 2 MSS lie above. */
	for (unsigned int i = sb->n; i > 0; i--) {
		above += sb->r[i - 1].end - sb->r[i - 1].start;
		if (sb->n - (i - 1) >= TCP_DUPTHRESH || above > (TCP_DUPTHRESH - 1) * mss)
			return seq_max(sb->r[i - 1].start, seq_max(una, sb->rack_lost));
	}
	/* A probe sent after these holes arrived (RFC 8985): they are lost too. */
	return seq_max(una, sb->rack_lost);
}

/* Bytes of [a, b) below `x`. */
static inline uint32_t part_below(uint32_t a, uint32_t b, uint32_t x)
{
	if (!seq_gt(x, a))
		return 0;
	return (seq_lt(x, b) ? x : b) - a;
}

uint32_t tcp_sb_pipe(const struct tcp_scoreboard *sb, uint32_t una, uint32_t snd_max, uint32_t mss)
{
	uint32_t lost_edge = tcp_sb_lost_edge(sb, una, mss);
	uint32_t pipe = 0, h0 = una;

	/* Holes are the unSACKed runs; count each byte not lost, and again if resent. */
	for (unsigned int i = 0; i <= sb->n; i++) {
		uint32_t h1 = i < sb->n ? sb->r[i].start : snd_max;

		if (seq_gt(h1, h0)) {
			uint32_t len = h1 - h0;

			pipe += len - part_below(h0, h1, lost_edge);
			pipe += part_below(h0, h1, sb->high_rxt);
		}
		if (i < sb->n)
			h0 = sb->r[i].end;
	}
	return pipe;
}

bool tcp_sb_next_lost(const struct tcp_scoreboard *sb, uint32_t una, uint32_t mss, uint32_t *seq,
		      uint32_t *len)
{
	uint32_t lost_edge = tcp_sb_lost_edge(sb, una, mss);
	uint32_t from = seq_max(una, sb->high_rxt), h0 = una;

	for (unsigned int i = 0; i < sb->n; i++) {
		uint32_t h1 = sb->r[i].start;

		/* Holes below the lost edge are lost; never past the edge itself. */
		if (!seq_lt(h0, lost_edge))
			break;
		h1 = seq_min(h1, lost_edge);
		if (seq_lt(from, h1)) {
			*seq = seq_max(from, h0);
			*len = h1 - *seq;
			return true;
		}
		h0 = sb->r[i].end;
	}
	return false;
}

uint32_t tcp_sb_skip(const struct tcp_scoreboard *sb, uint32_t seq, uint32_t *room)
{
	for (unsigned int i = 0; i < sb->n; i++) {
		if (seq_lt(seq, sb->r[i].start)) {
			*room = sb->r[i].start - seq;
			return seq;
		}
		if (seq_lt(seq, sb->r[i].end))
			seq = sb->r[i].end;
	}
	*room = UINT32_MAX;
	return seq;
}
