/* SPDX-License-Identifier: BSD-3-Clause */
/* Checklist B (closing). */
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_close, .init = th_eal, .fini = th_eal_done);

static struct th h;

static void msl1(struct sl_tcp_config *c)
{
	c->msl_us = 1000000;
}

/* Established as the server; returns the connection. */
static struct sl_tcp_conn *open_server(void)
{
	th_init(&h, msl1);
	th_passive_open(&h, 1000, 1460, TH_NO_WS, false);
	th_clear(&h);
	return h.app.conn;
}

Test(tcp_close, b8_active_close_time_wait)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;
	uint64_t t_tw;

	cr_assert_eq(sl_tcp_close(c), 0);
	cr_assert_str_eq(sl_tcp_conn_state(c), "FIN-WAIT-1");
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_FIN | TCP_ACK);
	cr_assert_eq(th_last(&h)->seq, fin_seq);
	th_peer_ack(&h, fin_seq + 1, 65535);
	cr_assert_str_eq(sl_tcp_conn_state(c), "FIN-WAIT-2");
	th_clear(&h);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1, .win = 100});
	cr_assert_eq(h.app.peer_fins, 1u);
	cr_assert_eq(h.app.closes, 1u, "the app is done at TIME-WAIT");
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_NORMAL);
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u, "TIME-WAIT keeps the slot");
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, h.pseq + 1);
	t_tw = h.now;
	/* the peer did not get our ACK: its FIN again is ACKed again, timer restarts */
	th_advance(&h, 1500000);
	th_clear(&h);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1, .win = 100});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, h.pseq + 1);
	th_run_until(&h, h.now + 2000000 - 1);
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u, "2 MSL counted from the last FIN");
	th_advance(&h, 1);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_gt(h.now - t_tw, 2000000u);
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(sl_tcp_next_timer(h.s), UINT64_MAX);
	th_fini(&h);
}

Test(tcp_close, b8_passive_close_last_ack_fin_retransmitted)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;

	th_inject(&h, &(struct th_spec){
			  .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = h.iss + 1, .win = 100});
	cr_assert_str_eq(sl_tcp_conn_state(c), "CLOSE-WAIT");
	cr_assert_eq(h.app.peer_fins, 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, h.pseq + 1);
	h.pseq++;
	th_clear(&h);
	cr_assert_eq(sl_tcp_close(c), 0);
	cr_assert_str_eq(sl_tcp_conn_state(c), "LAST-ACK");
	cr_assert_eq(th_last(&h)->flags, TCP_FIN | TCP_ACK);
	/* the FIN is lost: resent after the RTO */
	th_clear(&h);
	th_advance(&h, h.cfg.rto_init_us);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags & TCP_FIN, TCP_FIN);
	cr_assert_eq(th_last(&h)->seq, fin_seq);
	th_peer_ack(&h, fin_seq + 1, 100);
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_NORMAL);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u, "LAST-ACK goes straight to CLOSED");
	th_fini(&h);
}

Test(tcp_close, b9_simultaneous_close_closing)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;

	sl_tcp_shutdown(c);
	th_clear(&h);
	/* the peer's FIN crosses ours: it does not ACK our FIN */
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq, .win = 100});
	cr_assert_str_eq(sl_tcp_conn_state(c), "CLOSING");
	cr_assert_eq(th_last(&h)->ack, h.pseq + 1);
	h.pseq++;
	th_peer_ack(&h, fin_seq + 1, 100);
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u);
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(c->state, TCP_TIME_WAIT);
	th_run_until(&h, h.now + 2000000);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	th_fini(&h);
}

Test(tcp_close, b9_fin_ack_combined)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;

	sl_tcp_shutdown(c);
	th_clear(&h);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1, .win = 100});
	cr_assert_eq(c->state, TCP_TIME_WAIT, "FIN-WAIT-1 -> TIME-WAIT in one step");
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, h.pseq + 1);
	cr_assert_eq(h.app.peer_fins, 1u);
	cr_assert_eq(h.app.closes, 1u);
	th_fini(&h);
}

Test(tcp_close, b10_close_with_unread_data_sends_rst)
{
	struct sl_tcp_conn *c = open_server();

	h.app.take = 0; /* the app does not read */
	th_peer_data(&h, "unread", 6, h.iss + 1);
	cr_assert_eq(h.app.rx_len, 0u);
	th_clear(&h);
	cr_assert_eq(sl_tcp_close(c), 0);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags & (TCP_RST | TCP_FIN), TCP_RST, "RST, not FIN");
	cr_assert_eq(th_last(&h)->seq, h.iss + 1);
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_ABORTED);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	th_fini(&h);
}

Test(tcp_close, b10_half_close_keeps_receiving)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;

	cr_assert_eq(sl_tcp_shutdown(c), 0);
	th_peer_ack(&h, fin_seq + 1, 100);
	cr_assert_str_eq(sl_tcp_conn_state(c), "FIN-WAIT-2");
	th_clear(&h);
	for (int i = 0; i < 4; i++)
		th_peer_data(&h, "more", 4, fin_seq + 1);
	cr_assert_eq(h.app.rx_len, 16u);
	th_advance(&h, h.cfg.delack_us);
	cr_assert_eq(th_last(&h)->ack, h.pseq, "received data is ACKed after our FIN");
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u);
	th_run_until(&h, h.now + 120000000);
	cr_assert_str_eq(sl_tcp_conn_state(c), "FIN-WAIT-2", "shutdown: no orphan timeout");
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1, .win = 100});
	cr_assert_eq(c->state, TCP_TIME_WAIT);
	th_fini(&h);
}

Test(tcp_close, b11_fin_before_hole_in_order_only)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t base = h.pseq;

	/* bytes [10,20) with FIN, while [0,10) is missing */
	th_inject(&h, &(struct th_spec){.flags = TCP_FIN | TCP_ACK,
					.seq = base + 10,
					.ack = h.iss + 1,
					.win = 100,
					.data = "klmnopqrst",
					.len = 10});
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED", "the FIN waits for the hole");
	cr_assert_eq(h.app.peer_fins, 0u);
	cr_assert_eq(th_last(&h)->ack, base, "dup ACK at the hole");
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = base,
					.ack = h.iss + 1,
					.win = 100,
					.data = "abcdefghij",
					.len = 10});
	cr_assert_str_eq(sl_tcp_conn_state(c), "CLOSE-WAIT");
	cr_assert_eq(h.app.rx_len, 20u);
	cr_assert_eq(memcmp(h.app.rx, "abcdefghijklmnopqrst", 20), 0);
	cr_assert_eq(h.app.peer_fins, 1u);
	cr_assert_eq(th_last(&h)->ack, base + 21, "the FIN takes one sequence number");
	th_fini(&h);
}

Test(tcp_close, b12_rst_in_time_wait_ignored)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;

	sl_tcp_close(c);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1, .win = 100});
	cr_assert_eq(c->state, TCP_TIME_WAIT);
	h.pseq++;
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq});
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_RST | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1});
	cr_assert_eq(c->state, TCP_TIME_WAIT, "RFC 1337");
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u);
	cr_assert_eq(th_count(&h), 0u);
	cr_assert_eq(th_stat(&h, "rst_ignored"), 2u);
	th_fini(&h);
}

Test(tcp_close, time_wait_reused_by_new_syn)
{
	struct sl_tcp_conn *c = open_server();
	uint32_t fin_seq = h.iss + 1;

	sl_tcp_close(c);
	th_inject(&h,
		  &(struct th_spec){
		      .flags = TCP_FIN | TCP_ACK, .seq = h.pseq, .ack = fin_seq + 1, .win = 100});
	cr_assert_eq(c->state, TCP_TIME_WAIT);
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = h.pseq + 100000, .win = 100});
	cr_assert_eq(th_stat(&h, "time_wait_reused"), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_SYN | TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, h.pseq + 100001);
	cr_assert_eq(sl_tcp_conn_count(h.s), 1u);
	th_fini(&h);
}

Test(tcp_close, orphan_fin_wait_2_times_out)
{
	struct sl_tcp_conn *c = open_server();

	sl_tcp_close(c);
	th_peer_ack(&h, h.iss + 2, 100);
	cr_assert_str_eq(sl_tcp_conn_state(c), "FIN-WAIT-2");
	th_run_until(&h, h.now + 2000000);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_eq(h.app.closes, 1u);
	th_fini(&h);
}
