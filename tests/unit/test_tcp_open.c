/* SPDX-License-Identifier: BSD-3-Clause */
/* Checklist A (opening), plus SYN cookies and table exhaustion (38). */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rte_errno.h>

#include "sluice/sl_echo.h"
#include "tcp_harness.h"

TestSuite(tcp_open, .init = th_eal, .fini = th_eal_done);

static struct th h;

static void with_ts(struct sl_tcp_config *c)
{
	c->timestamps = true;
}

Test(tcp_open, a1_passive_open_options)
{
	struct th_seg *sa;

	th_init(&h, with_ts);
	th_listen(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN,
					.seq = 1000,
					.win = 29200,
					.mss = 1400,
					.ws = 9,
					.sack_perm = true,
					.ts = true,
					.tsval = 4242});
	cr_assert_eq(th_count(&h), 1u);
	sa = th_last(&h);
	cr_assert_eq(sa->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(sa->ack, 1001u);
	cr_assert(sa->o.has_mss && sa->o.mss == h.cfg.mss);
	cr_assert(sa->o.has_ws && sa->o.wscale == h.cfg.wscale);
	cr_assert(sa->o.has_ts && sa->o.tsecr == 4242u, "TSecr echoes the SYN's TSval");
	cr_assert(sa->o.has_sack_perm, "SACK-permitted answered (RFC 2018 2)");
	cr_assert_eq(th_stat(&h, "passive_opens"), 1u);
	cr_assert_eq(th_stat(&h, "segs_out"), 1u);
	th_fini(&h);
}

Test(tcp_open, a1_passive_open_no_options_536)
{
	struct th_seg *sa;
	struct sl_tcp_conn *c;

	th_init(&h, with_ts);
	th_listen(&h);
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_SYN, .seq = 1000, .win = 65535, .ws = TH_NO_WS});
	sa = th_last(&h);
	cr_assert(sa->o.has_mss);
	cr_assert(!sa->o.has_ws, "no WS in the SYN: none in the SYN-ACK");
	cr_assert(!sa->o.has_ts, "no TS in the SYN: none in the SYN-ACK");
	cr_assert(!sa->o.has_sack_perm, "no SACK-permitted in the SYN: none in the SYN-ACK");
	h.iss = sa->seq;
	th_clear(&h);
	th_inject(
	    &h, &(struct th_spec){
		    .flags = TCP_ACK, .seq = 1001, .ack = h.iss + 1, .win = 65535, .ws = TH_NO_WS});
	c = h.app.conn;
	cr_assert_not_null(c);
	cr_assert_eq(c->snd_wscale, 0);
	cr_assert_eq(c->rcv_wscale, 0);
	cr_assert_eq(th_send_pattern(&h, 0, 4000, 1000), 4000u);
	cr_assert_geq(th_count(&h), 7u);
	for (unsigned int i = 0; i < th_count(&h); i++) {
		cr_assert_leq(th_out(&h, i)->len, 536u, "segment %u: %u bytes", i,
			      th_out(&h, i)->len);
		cr_assert(!th_out(&h, i)->o.has_ts);
	}
	th_fini(&h);
}

static void syn3(struct sl_tcp_config *c)
{
	c->max_syn_retries = 3;
}

Test(tcp_open, a2_syn_retransmit_backoff_then_timeout)
{
	struct sl_tcp_conn *c;
	uint64_t t0;

	th_init(&h, syn3);
	t0 = h.now;
	c = sl_tcp_connect(h.s, &h.t, &h.cb, &h, h.now);
	cr_assert_not_null(c);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN);
	h.iss = th_last(&h)->seq;
	th_run_until(&h, t0 + 999999);
	cr_assert_eq(th_count(&h), 1u, "nothing before 1 s");
	th_run_until(&h, t0 + 100000000);
	/* SYN at 0, then at 1, 1+2, 1+2+4 s; timeout at 1+2+4+8 s */
	cr_assert_eq(th_count(&h), 4u);
	cr_assert_eq(th_out(&h, 1)->at_us - t0, 1000000u);
	cr_assert_eq(th_out(&h, 2)->at_us - t0, 3000000u);
	cr_assert_eq(th_out(&h, 3)->at_us - t0, 7000000u);
	for (unsigned int i = 0; i < 4; i++) {
		cr_assert_eq(th_out(&h, i)->flags, TCP_SYN);
		cr_assert_eq(th_out(&h, i)->seq, h.iss, "same ISN every time");
	}
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_TIMEOUT);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u, "state freed");
	cr_assert_eq(th_stat(&h, "conns_timeout"), 1u);
	cr_assert_eq(th_stat(&h, "active_opens"), 1u);
	cr_assert_eq(sl_tcp_next_timer(h.s), UINT64_MAX);
	th_fini(&h);
}

Test(tcp_open, a3_synack_lost_same_isn)
{
	uint32_t isn;

	th_init(&h, NULL);
	th_listen(&h);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_SYN, .seq = 7000, .win = 65535, .mss = 1460, .ws = TH_NO_WS});
	isn = th_last(&h)->seq;
	th_clear(&h);
	/* the SYN-ACK was lost; the client resends its SYN */
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_SYN, .seq = 7000, .win = 65535, .mss = 1460, .ws = TH_NO_WS});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(th_last(&h)->seq, isn, "same ISN");
	cr_assert_eq(th_last(&h)->ack, 7001u);
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u, "no second connection");
	cr_assert_eq(th_stat(&h, "passive_opens"), 1u);
	/* the timer also resends it, same ISN */
	th_clear(&h);
	th_advance(&h, 1000000);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(th_last(&h)->seq, isn);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 7001, .ack = isn + 1, .win = 100});
	cr_assert_eq(h.app.accepts, 1u);
	cr_assert_str_eq(sl_tcp_conn_state(h.app.conn), "ESTABLISHED");
	th_fini(&h);
}

Test(tcp_open, a4_simultaneous_open_data_completes)
{
	struct sl_tcp_conn *c;
	uint32_t iss;

	th_init(&h, NULL);
	c = sl_tcp_connect(h.s, &h.t, &h.cb, &h, h.now);
	iss = th_last(&h)->seq;
	th_clear(&h);
	/* the peer's SYN crosses ours */
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_SYN, .seq = 50000, .win = 65535, .mss = 1460, .ws = 2});
	cr_assert_str_eq(sl_tcp_conn_state(c), "SYN-RECEIVED");
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(th_last(&h)->seq, iss, "same ISS in the SYN-ACK");
	cr_assert_eq(th_last(&h)->ack, 50001u);
	cr_assert(th_last(&h)->o.has_ws, "the peer offered WS: answer it");
	cr_assert_eq(h.app.connects, 0u);
	/* the peer's ACK is lost; its first data segment carries the ACK */
	th_clear(&h);
	h.pseq = 50001;
	th_peer_data(&h, "hello", 5, iss + 1);
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	cr_assert_eq(h.app.connects, 1u);
	cr_assert_eq(h.app.rx_len, 5u);
	cr_assert_eq(memcmp(h.app.rx, "hello", 5), 0);
	cr_assert_eq(c->snd_wscale, 2);
	th_fini(&h);
}

Test(tcp_open, a5_closed_port)
{
	th_init(&h, NULL);
	/* SYN with 10 bytes: ack = seq + len + 1 */
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 100, .win = 1000, .len = 10});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_RST | TCP_ACK);
	cr_assert_eq(th_last(&h)->seq, 0u);
	cr_assert_eq(th_last(&h)->ack, 111u);
	th_clear(&h);
	/* stray ACK: RST with seq = SEG.ACK, no ACK bit */
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 5, .ack = 0xdeadbeef, .win = 1});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_RST);
	cr_assert_eq(th_last(&h)->seq, 0xdeadbeefu);
	th_clear(&h);
	/* FIN without ACK: ack = seq + 1 */
	th_inject(&h, &(struct th_spec){.flags = TCP_FIN, .seq = 9, .win = 1});
	cr_assert_eq(th_last(&h)->ack, 10u);
	th_clear(&h);
	/* RST: nothing at all */
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = 5});
	th_inject(&h, &(struct th_spec){.flags = TCP_RST | TCP_ACK, .seq = 5, .ack = 9});
	cr_assert_eq(th_count(&h), 0u);
	cr_assert_eq(th_stat(&h, "closed_port_rst"), 3u);
	cr_assert_eq(th_stat(&h, "rst_sent"), 3u);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	th_fini(&h);
}

Test(tcp_open, a6_rst_in_syn_sent_must_ack_our_syn)
{
	struct sl_tcp_conn *c;
	uint32_t iss;

	th_init(&h, NULL);
	c = sl_tcp_connect(h.s, &h.t, &h.cb, &h, h.now);
	iss = th_last(&h)->seq;
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = 1});
	cr_assert_str_eq(sl_tcp_conn_state(c), "SYN-SENT", "RST without ACK ignored");
	th_inject(&h, &(struct th_spec){.flags = TCP_RST | TCP_ACK, .seq = 1, .ack = iss + 7});
	cr_assert_str_eq(sl_tcp_conn_state(c), "SYN-SENT", "RST acking something else ignored");
	th_inject(&h, &(struct th_spec){.flags = TCP_RST | TCP_ACK, .seq = 1, .ack = iss});
	cr_assert_str_eq(sl_tcp_conn_state(c), "SYN-SENT");
	cr_assert_eq(th_count(&h), 0u, "no answer to an unacceptable RST");
	cr_assert_eq(th_stat(&h, "rst_ignored"), 3u);
	cr_assert_eq(h.app.closes, 0u);
	th_inject(&h, &(struct th_spec){.flags = TCP_RST | TCP_ACK, .seq = 1, .ack = iss + 1});
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_REFUSED);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_eq(th_stat(&h, "rst_received"), 1u);
	th_fini(&h);
}

Test(tcp_open, a6_bad_ack_in_syn_sent_gets_rst)
{
	struct sl_tcp_conn *c;
	uint32_t iss;

	th_init(&h, NULL);
	c = sl_tcp_connect(h.s, &h.t, &h.cb, &h, h.now);
	iss = th_last(&h)->seq;
	th_clear(&h);
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_SYN | TCP_ACK, .seq = 1, .ack = iss + 100, .win = 100});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_RST);
	cr_assert_eq(th_last(&h)->seq, iss + 100);
	cr_assert_str_eq(sl_tcp_conn_state(c), "SYN-SENT");
	th_fini(&h);
}

static void backlog2(struct sl_tcp_config *c)
{
	c->syn_backlog = 2;
	c->timestamps = true;
}

Test(tcp_open, a7_syn_cookies_keep_mss_and_wscale)
{
	struct sl_tcp_tuple t1 = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, RTE_BE16(1001)};
	struct sl_tcp_tuple t2 = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, RTE_BE16(1002)};
	struct sl_tcp_tuple t3 = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, RTE_BE16(1003)};
	struct th_seg *sa;
	struct sl_tcp_conn *c;
	uint32_t cookie;

	th_init(&h, backlog2);
	th_listen(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 1, .win = 100, .tuple = &t1});
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 1, .win = 100, .tuple = &t2});
	cr_assert_eq(sl_tcp_conn_count(h.s), 2u);
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN,
					.seq = 9000,
					.win = 1000,
					.mss = 1220,
					.ws = 5,
					.ts = true,
					.tsval = 33,
					.tuple = &t3});
	cr_assert_eq(sl_tcp_conn_count(h.s), 2u, "a cookie keeps no state");
	cr_assert_eq(th_stat(&h, "syn_cookies_sent"), 1u);
	cr_assert_eq(th_stat(&h, "syn_backlog_full"), 1u);
	sa = th_last(&h);
	cr_assert_eq(sa->flags, TCP_SYN | TCP_ACK);
	cr_assert(sa->o.has_ws && sa->o.has_ts && sa->o.tsecr == 33u);
	cookie = sa->seq;
	/* a forged ACK fails */
	th_clear(&h);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_ACK, .seq = 9001, .ack = cookie + 2, .win = 1000, .tuple = &t3});
	cr_assert_eq(th_stat(&h, "syn_cookies_bad"), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_RST);
	cr_assert_eq(sl_tcp_conn_count(h.s), 2u);
	/* the right one creates the connection, with data on it */
	th_clear(&h);
	h.now += 2000000;
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = 9001,
					.ack = cookie + 1,
					.win = 1000,
					.ts = true,
					.tsval = 34,
					.tsecr = sa->o.tsval,
					.data = "abc",
					.len = 3,
					.tuple = &t3});
	cr_assert_eq(th_stat(&h, "syn_cookies_ok"), 1u);
	cr_assert_eq(sl_tcp_conn_count(h.s), 3u);
	cr_assert_eq(h.app.accepts, 1u);
	c = h.app.conn;
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	cr_assert_eq(c->snd_mss, 1220, "MSS survived the cookie");
	cr_assert_eq(c->snd_wscale, 5, "wscale survived the cookie");
	cr_assert(c->ts_on);
	cr_assert_eq(c->snd_wnd, 1000u << 5);
	cr_assert_eq(h.app.rx_len, 3u);
	th_fini(&h);
}

static void two_conns(struct sl_tcp_config *c)
{
	c->max_conns = 2;
}

Test(tcp_open, i38_table_full_then_recovers)
{
	struct sl_tcp_tuple t[3];

	th_init(&h, two_conns);
	th_listen(&h);
	for (int i = 0; i < 3; i++) {
		t[i] = (struct sl_tcp_tuple){TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT,
					     rte_cpu_to_be_16((uint16_t)(2000 + i))};
		th_clear(&h);
		th_inject(
		    &h, &(struct th_spec){.flags = TCP_SYN, .seq = 10, .win = 100, .tuple = &t[i]});
	}
	cr_assert_eq(sl_tcp_conn_count(h.s), 2u);
	cr_assert_eq(th_stat(&h, "conn_table_full"), 1u);
	cr_assert_eq(th_stat(&h, "closed_port_rst"), 0u, "a full table is not a closed port");
	cr_assert_eq(th_last(&h)->flags, TCP_RST | TCP_ACK, "refused with RST");
	cr_assert_eq(th_last(&h)->ack, 11u);
	/* one half-open connection gives up, then a new one fits */
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = 11, .tuple = &t[0]});
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u);
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 10, .win = 100, .tuple = &t[2]});
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(sl_tcp_conn_count(h.s), 2u);
	th_fini(&h);
}

Test(tcp_open, reject_in_on_accept_resets)
{
	th_init(&h, NULL);
	h.app.reject = true;
	th_listen(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 1, .win = 100});
	h.iss = th_last(&h)->seq;
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK, .seq = 2, .ack = h.iss + 1, .win = 100});
	cr_assert_eq(h.app.accepts, 1u);
	cr_assert_eq(th_last(&h)->flags & TCP_RST, TCP_RST);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_eq(h.app.closes, 0u, "never owned: no on_closed");
	th_fini(&h);
}

/*
 * The echo service listens on a run of ports; when one of them is taken it
 * must fail without leaving the ports it had already opened pointing at
 * the service it frees.
 */
Test(tcp_open, echo_ports_all_or_nothing)
{
	struct sl_echo_config ec = {.port = 7, .nports = 5, .max_conns = 8};
	struct sl_echo *e;

	th_init(&h, NULL);
	cr_assert_eq(sl_tcp_listen(h.s, RTE_BE16(10), &h.cb, &h), 0);
	rte_errno = 0;
	cr_assert_null(sl_echo_tcp_create(h.s, &ec), "port 10 is taken");
	cr_assert_eq(rte_errno, EADDRINUSE);
	for (uint16_t p = 7; p < 10; p++)
		cr_assert_eq(sl_tcp_listen(h.s, rte_cpu_to_be_16(p), &h.cb, &h), 0,
			     "port %u left listening after the failure", p);
	cr_assert_eq(sl_tcp_unlisten(h.s, RTE_BE16(11)), -ENOENT);
	ec.port = 20;
	ec.nports = 3;
	e = sl_echo_tcp_create(h.s, &ec);
	cr_assert_not_null(e);
	for (uint16_t p = 20; p < 23; p++)
		cr_assert_eq(sl_tcp_listen(h.s, rte_cpu_to_be_16(p), &h.cb, &h), -EINVAL,
			     "echo is not listening on %u", p);
	cr_assert_eq(sl_tcp_listen(h.s, RTE_BE16(23), &h.cb, &h), 0);
	ec.port = 65534;
	cr_assert_null(sl_echo_tcp_create(h.s, &ec), "65534 + 3 ports runs past 65535");
	th_fini(&h);
	sl_echo_free(e);
}
