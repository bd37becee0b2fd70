/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tcp-client: the interim TCP load client of the echo benchmark
 * (tools/bench/tcp-echo.sh), on the Linux socket API, one thread, epoll.
 * Used until sluice-gen's TCP mode can drive the same matrix.
 *
 *   tcp-client -H ADDR [-p PORT] [-m echo|connect] [-c CONNS] [-s BYTES]
 *              [-d SECONDS] [-C CPU]
 *
 * echo:    CONNS connections, each sends a BYTES message, waits for all of it
 *          back (checked byte for byte), sends the next (one message in flight
 *          per connection). Counted once every connection is up.
 * connect: CONNS attempts in flight, each connect, echo one BYTES message,
 *          close with an RST (SO_LINGER 0, so no TIME_WAIT pile-up in the
 *          client); reports completed connections per second.
 *
 * Prints one JSON object on stdout: transactions/s, goodput (echoed payload
 * bits/s, one direction), latency percentiles (us, per transaction), errors,
 * the client's own CPU time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES (4u << 20)

struct conn {
	int fd;
	int connected;
	uint32_t seq;	  /* message number: the pattern's seed */
	size_t sent, got; /* bytes of the current message */
	uint64_t t0;	  /* ns when the message started */
};

static struct {
	const char *host;
	int port, conns, cpu;
	size_t size;
	double duration;
	int connect_mode;
} o = {.port = 7, .conns = 1, .cpu = -1, .size = 64, .duration = 5};

static struct sockaddr_in dst;
static int ep;
static char *txbuf, *rxbuf;
static uint64_t *samples;
static size_t nsamples;
static uint64_t transactions, bytes, errors, bad_bytes, connects, conn_fail;
static int counting;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void fill(char *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (char)(seed * 131u + i * 7u);
}

static int open_conn(struct conn *c)
{
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->connected = 0;
	c->sent = c->got = 0;
	if (connect(c->fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 && errno != EINPROGRESS) {
		close(c->fd);
		return -1;
	}
	struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};

	return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void close_conn(struct conn *c, int rst)
{
	if (rst) {
		struct linger l = {.l_onoff = 1, .l_linger = 0};

		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
}

/* Send what is left of the current message; 0 ok, -1 dead. */
static int push(struct conn *c)
{
	if (c->sent == 0) {
		fill(txbuf, o.size, c->seq);
		c->t0 = now_ns();
	} else {
		fill(txbuf, o.size, c->seq);
	}
	while (c->sent < o.size) {
		ssize_t n = send(c->fd, txbuf + c->sent, o.size - c->sent, MSG_NOSIGNAL);

		if (n < 0)
			return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
		c->sent += (size_t)n;
	}
	return 0;
}

static void event(struct conn *c, uint32_t events)
{
	if (!c->connected) {
		int err = 0;
		socklen_t len = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
			conn_fail++;
			close_conn(c, 0);
			return;
		}
		c->connected = 1;
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};

		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
		if (push(c) != 0) {
			errors++;
			close_conn(c, 1);
		}
		return;
	}
	if (c->sent < o.size && push(c) != 0) {
		errors++;
		close_conn(c, 1);
		return;
	}
	for (;;) {
		ssize_t n = recv(c->fd, rxbuf, o.size - c->got, 0);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			errors++;
			close_conn(c, 1);
			return;
		}
		if (n < 0)
			return;
		fill(txbuf, o.size, c->seq);
		if (memcmp(rxbuf, txbuf + c->got, (size_t)n) != 0)
			bad_bytes++;
		c->got += (size_t)n;
		if (c->got < o.size)
			continue;
		/* one transaction done */
		if (counting) {
			uint64_t dt = now_ns() - c->t0;

			transactions++;
			bytes += o.size;
			if (nsamples < MAX_SAMPLES)
				samples[nsamples++] = dt;
		}
		c->seq++;
		c->sent = c->got = 0;
		if (o.connect_mode) {
			if (counting)
				connects++;
			close_conn(c, 1);
			return;
		}
		if (push(c) != 0) {
			errors++;
			close_conn(c, 1);
			return;
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct(double p)
{
	if (nsamples == 0)
		return 0;
	size_t i = (size_t)(p / 100.0 * (double)(nsamples - 1) + 0.5);

	return (double)samples[i] / 1000.0;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "H:p:m:c:s:d:C:h")) != -1) {
		switch (opt) {
		case 'H':
			o.host = optarg;
			break;
		case 'p':
			o.port = atoi(optarg);
			break;
		case 'm':
			o.connect_mode = strcmp(optarg, "connect") == 0;
			break;
		case 'c':
			o.conns = atoi(optarg);
			break;
		case 's':
			o.size = (size_t)atol(optarg);
			break;
		case 'd':
			o.duration = atof(optarg);
			break;
		case 'C':
			o.cpu = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: tcp-client -H ADDR [-p PORT] [-m echo|connect] "
					"[-c CONNS] [-s BYTES] [-d SECONDS] [-C CPU]\n");
			return opt == 'h' ? 0 : 1;
		}
	}
	if (o.host == NULL || o.conns < 1 || o.size < 1 || o.size > (1u << 20) || o.duration <= 0) {
		fprintf(stderr, "tcp-client: need -H ADDR, -c >= 1, -s 1..1048576, -d > 0\n");
		return 1;
	}
	if (o.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o.cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)o.port);
	if (inet_pton(AF_INET, o.host, &dst.sin_addr) != 1) {
		fprintf(stderr, "tcp-client: bad address '%s'\n", o.host);
		return 1;
	}
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max; /* 10000 connections need more than 1024 */
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ep = epoll_create1(0);
	txbuf = malloc(o.size);
	rxbuf = malloc(o.size);
	samples = malloc(sizeof(*samples) * MAX_SAMPLES);
	struct conn *cs = calloc((size_t)o.conns, sizeof(*cs));

	if (ep < 0 || !txbuf || !rxbuf || !samples || !cs) {
		fprintf(stderr, "tcp-client: out of memory\n");
		return 1;
	}
	for (int i = 0; i < o.conns; i++)
		cs[i].fd = -1;

	struct epoll_event evs[512];
	uint64_t start = now_ns(), t_begin = 0, deadline = 0, setup_limit = start + 30000000000ull;
	int up = 0, opened = 0;
	double cpu0 = 0;

	/* Echo mode: open the connections (at most 512 handshakes in flight), then
	 * count for the duration. Connect mode: count from the start. */
	if (o.connect_mode) {
		counting = 1;
		t_begin = start;
		deadline = start + (uint64_t)(o.duration * 1e9);
		cpu0 = cpu_s();
	}
	for (;;) {
		uint64_t t = now_ns();

		if (counting && t >= deadline)
			break;
		if (!counting && t >= setup_limit) {
			fprintf(stderr, "tcp-client: only %d of %d connections up after 30 s\n", up,
				o.conns);
			break;
		}
		if (o.connect_mode) {
			for (int i = 0; i < o.conns; i++)
				if (cs[i].fd < 0 && open_conn(&cs[i]) != 0)
					conn_fail++;
		} else if (opened < o.conns) {
			int inflight = 0;

			for (int i = 0; i < opened; i++)
				inflight += cs[i].fd >= 0 && !cs[i].connected;
			while (opened < o.conns && inflight < 512) {
				if (open_conn(&cs[opened]) != 0)
					conn_fail++;
				opened++;
				inflight++;
			}
		}
		int n = epoll_wait(ep, evs, 512, 10);

		for (int i = 0; i < n; i++)
			event(evs[i].data.ptr, evs[i].events);
		if (!counting && opened == o.conns) {
			up = 0;
			for (int i = 0; i < o.conns; i++)
				up += cs[i].fd >= 0 && cs[i].connected;
			int pending = 0;

			for (int i = 0; i < o.conns; i++)
				pending += cs[i].fd >= 0 && !cs[i].connected;
			if (pending == 0) {
				counting = 1;
				t_begin = now_ns();
				deadline = t_begin + (uint64_t)(o.duration * 1e9);
				cpu0 = cpu_s();
			}
		}
	}
	double secs = (double)(now_ns() - t_begin) / 1e9, cpu = cpu_s() - cpu0;

	if (!counting)
		secs = 0;
	qsort(samples, nsamples, sizeof(*samples), cmp_u64);
	printf("{\"mode\": \"%s\", \"conns\": %d, \"conns_up\": %d, \"size\": %zu, "
	       "\"seconds\": %.3f, \"transactions\": %llu, \"tps\": %.1f, \"goodput_bps\": %.0f, "
	       "\"connects\": %llu, \"cps\": %.1f, \"lat_us\": {\"p50\": %.2f, \"p90\": %.2f, "
	       "\"p99\": %.2f, \"p999\": %.2f, \"max\": %.2f}, \"errors\": %llu, "
	       "\"connect_failures\": %llu, \"bad_bytes\": %llu, \"client_cpu\": %.3f}\n",
	       o.connect_mode ? "connect" : "echo", o.conns, o.connect_mode ? o.conns : up, o.size,
	       secs, (unsigned long long)transactions, secs > 0 ? (double)transactions / secs : 0,
	       secs > 0 ? (double)bytes * 8 / secs : 0, (unsigned long long)connects,
	       secs > 0 ? (double)connects / secs : 0, pct(50), pct(90), pct(99), pct(99.9),
	       nsamples ? (double)samples[nsamples - 1] / 1000.0 : 0, (unsigned long long)errors,
	       (unsigned long long)conn_fail, (unsigned long long)bad_bytes,
	       secs > 0 ? cpu / secs : 0);
	for (int i = 0; i < o.conns; i++)
		if (cs[i].fd >= 0)
			close_conn(&cs[i], 1);
	return 0;
}
