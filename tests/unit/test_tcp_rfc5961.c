/* SPDX-License-Identifier: BSD-3-Clause */
/* Checklist C (RFC 5961 blind in-window attacks). */
#include <string.h>

#include <criterion/criterion.h>

#include "tcp_harness.h"

TestSuite(tcp_5961, .init = th_eal, .fini = th_eal_done);

static struct th h;

static struct sl_tcp_conn *open_server(void)
{
	th_init(&h, NULL);
	th_passive_open(&h, 1000, 1460, TH_NO_WS, false);
	th_clear(&h);
	return h.app.conn;
}

Test(tcp_5961, c13_rst_exact_aborts)
{
	open_server();
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq});
	cr_assert_eq(h.app.closes, 1u);
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_RESET);
	cr_assert_eq(sl_tcp_conn_count(h.s), 0u);
	cr_assert_eq(th_count(&h), 0u);
	cr_assert_eq(th_stat(&h, "rst_received"), 1u);
	cr_assert_eq(th_stat(&h, "conns_reset"), 1u);
	th_fini(&h);
}

Test(tcp_5961, c13_rst_in_window_challenge_ack)
{
	struct sl_tcp_conn *c = open_server();

	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq + 1000});
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	cr_assert_eq(th_count(&h), 1u, "one challenge ACK");
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_last(&h)->ack, h.pseq);
	cr_assert_eq(th_last(&h)->seq, h.iss + 1);
	cr_assert_eq(th_stat(&h, "challenge_acks"), 1u);
	/* the real owner of the connection, seeing the challenge ACK, resets exactly */
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq});
	cr_assert_eq(h.app.reason, SL_TCP_CLOSED_RESET);
	th_fini(&h);
}

Test(tcp_5961, c13_rst_outside_window_silent)
{
	struct sl_tcp_conn *c = open_server();

	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq + 10000000});
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq - 1});
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_RST | TCP_ACK, .seq = h.pseq - 5000, .ack = h.iss + 1});
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	cr_assert_eq(th_count(&h), 0u, "no ACK: no RST/ACK loop");
	cr_assert_eq(th_stat(&h, "rst_ignored"), 3u);
	th_fini(&h);
}

Test(tcp_5961, c14_syn_in_established_challenge_ack)
{
	struct sl_tcp_conn *c = open_server();

	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = h.pseq + 5, .win = 100});
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = h.pseq - 100000, .win = 100});
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	cr_assert_eq(th_count(&h), 2u);
	for (unsigned int i = 0; i < 2; i++) {
		cr_assert_eq(th_out(&h, i)->flags, TCP_ACK, "challenge ACK, never RST");
		cr_assert_eq(th_out(&h, i)->ack, h.pseq);
	}
	cr_assert_geq(th_stat(&h, "challenge_acks"), 1u);
	th_fini(&h);
}

Test(tcp_5961, c15_ack_of_unsent_data_dropped)
{
	struct sl_tcp_conn *c = open_server();

	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = h.pseq,
					.ack = h.iss + 1000,
					.win = 100,
					.data = "evil",
					.len = 4});
	cr_assert_eq(h.app.rx_len, 0u, "the segment was dropped, data too");
	cr_assert_eq(c->snd_una, h.iss + 1, "never processed");
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_stat(&h, "ack_unsent_data"), 1u);
	cr_assert_eq(th_stat(&h, "challenge_acks"), 1u);
	th_fini(&h);
}

Test(tcp_5961, c15_ack_too_old_dropped)
{
	struct sl_tcp_conn *c;

	th_init(&h, NULL);
	th_listen(&h);
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_SYN, .seq = 1000, .win = 2000, .mss = 1000, .ws = TH_NO_WS});
	h.iss = th_last(&h)->seq;
	h.pseq = 1001;
	th_inject(&h,
		  &(struct th_spec){.flags = TCP_ACK, .seq = 1001, .ack = h.iss + 1, .win = 2000});
	c = h.app.conn;
	cr_assert_eq(c->max_snd_wnd, 2000u);
	for (int i = 0; i < 3; i++) {
		th_send_pattern(&h, (uint32_t)i * 2000, 2000, 1000);
		th_peer_ack(&h, h.iss + 1 + (uint32_t)(i + 1) * 2000, 2000);
	}
	cr_assert_eq(c->snd_una, h.iss + 6001);
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = h.pseq,
					.ack = h.iss + 3000,
					.win = 2000,
					.data = "old",
					.len = 3});
	cr_assert_eq(h.app.rx_len, 0u);
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->flags, TCP_ACK);
	cr_assert_eq(th_stat(&h, "challenge_acks"), 1u);
	/* within [SND.UNA - MAX.SND.WND, SND.UNA]: an old but acceptable ACK, data taken */
	th_inject(&h, &(struct th_spec){.flags = TCP_ACK,
					.seq = h.pseq,
					.ack = h.iss + 5000,
					.win = 2000,
					.data = "new",
					.len = 3});
	cr_assert_eq(h.app.rx_len, 3u);
	th_fini(&h);
}

Test(tcp_5961, c16_challenge_acks_rate_limited_per_conn)
{
	struct sl_tcp_tuple t2 = {TH_LOCAL_IP, TH_REMOTE_IP, TH_LOCAL_PORT, RTE_BE16(4242)};
	struct sl_tcp_conn *c = open_server();
	uint32_t iss2;

	for (int i = 0; i < 100; i++)
		th_inject(&h,
			  &(struct th_spec){.flags = TCP_RST, .seq = h.pseq + 10 + (uint32_t)i});
	cr_assert_eq(th_count(&h), TCP_CHACK_PER_SEC, "bounded: no endless ping-pong");
	cr_assert_str_eq(sl_tcp_conn_state(c), "ESTABLISHED");
	/* another connection has its own budget (a global one leaks state: CVE-2016-5696) */
	th_inject(&h, &(struct th_spec){.flags = TCP_SYN, .seq = 1, .win = 100, .tuple = &t2});
	iss2 = th_last(&h)->seq;
	th_inject(&h, &(struct th_spec){
			  .flags = TCP_ACK, .seq = 2, .ack = iss2 + 1, .win = 100, .tuple = &t2});
	th_clear(&h);
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = 50, .tuple = &t2});
	cr_assert_eq(th_count(&h), 1u);
	cr_assert_eq(th_last(&h)->t.remote_port, t2.remote_port);
	/* a second later the first connection may challenge again */
	th_clear(&h);
	th_advance(&h, 1000000);
	th_inject(&h, &(struct th_spec){.flags = TCP_RST, .seq = h.pseq + 10});
	cr_assert_eq(th_count(&h), 1u);
	th_fini(&h);
}
