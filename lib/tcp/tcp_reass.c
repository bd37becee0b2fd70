/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Receive-side queues: the out-of-order (reassembly) queue and the mbuf
 * trimming it needs. Packets are linked through a dynamic mbuf field, so a
 * queue costs no memory beyond its head pointer.
 */
#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "tcp_priv.h"

int tcp_meta_offset = -1;

int tcp_meta_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
	    .name = "sluice_tcp_meta",
	    .size = sizeof(struct tcp_mbuf_meta),
	    .align = __alignof__(struct tcp_mbuf_meta),
	};

	if (tcp_meta_offset < 0)
		tcp_meta_offset = rte_mbuf_dynfield_register(&desc);
	return tcp_meta_offset < 0 ? -1 : 0;
}

void tcp_mbuf_trim_front(struct rte_mbuf *m, uint32_t n)
{
	/* Leading segments may become empty; they stay (the chain head holds pkt_len). */
	m->pkt_len -= n;
	for (struct rte_mbuf *seg = m; seg != NULL && n != 0; seg = seg->next) {
		uint16_t k = (uint16_t)RTE_MIN(n, (uint32_t)seg->data_len);

		seg->data_off = (uint16_t)(seg->data_off + k);
		seg->data_len = (uint16_t)(seg->data_len - k);
		n -= k;
	}
}

void tcp_mbuf_trim_back(struct rte_mbuf *m, uint32_t n)
{
	uint32_t keep = m->pkt_len - n;
	uint16_t nsegs = 0;

	m->pkt_len = keep;
	for (struct rte_mbuf *seg = m; seg != NULL; seg = seg->next) {
		nsegs++;
		if (seg->data_len >= keep) {
			seg->data_len = (uint16_t)keep;
			if (seg->next != NULL) {
				rte_pktmbuf_free(seg->next);
				seg->next = NULL;
			}
			break;
		}
		keep -= seg->data_len;
	}
	m->nb_segs = nsegs;
}

/* Link `m` (seq, len) after `prev` (NULL: at the head). */
static void reass_link(struct tcp_reass *q, struct rte_mbuf *prev, struct rte_mbuf *m, uint32_t seq)
{
	struct tcp_mbuf_meta *mm = tcp_meta(m);

	mm->seq = seq;
	if (prev == NULL) {
		mm->qnext = q->head;
		q->head = m;
	} else {
		mm->qnext = tcp_meta(prev)->qnext;
		tcp_meta(prev)->qnext = m;
	}
	if (mm->qnext == NULL)
		q->tail = m;
	q->bytes += m->pkt_len;
	q->count++;
}

/* A full queue still takes the segment at its front (RCV.NXT): it is popped at once. */
static bool reass_full(const struct tcp_reass *q, const struct rte_mbuf *prev, bool in_order)
{
	return q->count >= (q->max != 0 ? q->max : TCP_OOO_MAX_SEGS) && !(prev == NULL && in_order);
}

uint32_t tcp_reass_insert(struct tcp_reass *q, struct rte_mbuf *m, uint32_t seq,
			  struct rte_mempool *pool, bool in_order, bool *dropped)
{
	struct rte_mbuf *prev = NULL, *e;
	uint32_t added = 0;

	*dropped = false;
	/*
	 * After a hole the segments behind it mostly arrive in order: start at
	 * the tail when `m` begins past it, so a queue of a whole window (a
	 * few hundred mbufs) is not walked per arrival.
	 */
	e = q->head;
	if (q->tail != NULL && seq_geq(seq, tcp_meta(q->tail)->seq + q->tail->pkt_len)) {
		prev = q->tail;
		e = NULL;
	}
	for (; m != NULL; prev = e, e = tcp_meta(e)->qnext) {
		uint32_t end = seq + m->pkt_len;
		uint32_t es, ee;

		if (e == NULL) {
			if (reass_full(q, prev, in_order)) {
				*dropped = true;
				break;
			}
			/* Past every queued segment: append. */
			added += m->pkt_len;
			reass_link(q, prev, m, seq);
			return added;
		}
		es = tcp_meta(e)->seq;
		ee = es + e->pkt_len;
		if (seq_leq(ee, seq))
			continue; /* e is wholly before m */
		if (seq_leq(end, es)) {
			/* m fits in the gap before e. */
			if (reass_full(q, prev, in_order)) {
				*dropped = true;
				break;
			}
			added += m->pkt_len;
			reass_link(q, prev, m, seq);
			return added;
		}
		if (seq_geq(seq, es)) {
			/* m starts inside e: the queued bytes win, cut m's front. */
			if (seq_leq(end, ee))
				break; /* nothing new */
			tcp_mbuf_trim_front(m, ee - seq);
			seq = ee;
			continue;
		}
		/* m starts before e and overlaps it: keep [seq, es) before e. */
		if (reass_full(q, prev, in_order)) {
			*dropped = true;
			break;
		}
		if (seq_gt(end, ee)) {
			/* m also runs past e: the part after e needs its own mbuf. */
			struct rte_mbuf *tail = rte_pktmbuf_clone(m, pool);

			if (tail != NULL)
				tcp_mbuf_trim_front(tail, ee - seq);
			tcp_mbuf_trim_back(m, end - es);
			added += m->pkt_len;
			reass_link(q, prev, m, seq);
			m = tail;
			seq = ee;
			if (m == NULL) {
				*dropped = true;
				return added;
			}
			continue; /* the step moves on to the segment after e */
		}
		tcp_mbuf_trim_back(m, end - es);
		added += m->pkt_len;
		reass_link(q, prev, m, seq);
		return added;
	}
	if (m != NULL)
		rte_pktmbuf_free(m);
	return added;
}

struct rte_mbuf *tcp_reass_pop(struct tcp_reass *q, uint32_t seq)
{
	struct rte_mbuf *m = q->head;

	if (m == NULL || tcp_meta(m)->seq != seq)
		return NULL;
	q->head = tcp_meta(m)->qnext;
	if (q->head == NULL)
		q->tail = NULL;
	q->bytes -= m->pkt_len;
	q->count--;
	return m;
}

void tcp_reass_free(struct tcp_reass *q)
{
	while (q->head != NULL) {
		struct rte_mbuf *m = q->head;

		q->head = tcp_meta(m)->qnext;
		rte_pktmbuf_free(m);
	}
	q->tail = NULL;
	q->bytes = 0;
	q->count = 0;
}
