/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * epoll-echo: the Linux baseline for the TCP echo benchmark
 * (tools/bench/tcp-echo.sh). One thread, non-blocking sockets, level-triggered
 * epoll: whatever a connection sends comes back on it. What cannot be written
 * at once is kept per connection and flushed on EPOLLOUT, and reading stops
 * meanwhile, so a slow reader gets back-pressure rather than unbounded memory.
 *
 * Built by the bench script into a scratch directory:
 *   gcc -O2 -o epoll-echo tools/bench/epoll-echo.c
 *   epoll-echo [-a ADDR] [-p PORT] [-c CPU]
 * Runs until SIGINT/SIGTERM, then prints its CPU time on one line.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SZ 65536
#define MAX_EVENTS 256

struct conn {
	int fd;
	size_t off, len; /* unsent bytes buf[off..len) */
	char buf[BUF_SZ];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "epoll-echo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void conn_close(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
}

/* Write what is pending; returns -1 when the connection is dead. */
static int conn_flush(int ep, struct conn *c)
{
	while (c->off < c->len) {
		ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			return -1;
		}
		c->off += (size_t)n;
	}
	struct epoll_event ev = {.data.ptr = c};

	if (c->off < c->len) {
		ev.events = EPOLLOUT; /* stop reading until the backlog is gone */
	} else {
		c->off = c->len = 0;
		ev.events = EPOLLIN;
	}
	return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

int main(int argc, char **argv)
{
	const char *addr = "0.0.0.0";
	int port = 7, cpu = -1, opt, one = 1;

	while ((opt = getopt(argc, argv, "a:p:c:h")) != -1) {
		switch (opt) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: epoll-echo [-a ADDR] [-p PORT] [-c CPU]\n");
			return opt == 'h' ? 0 : 1;
		}
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			die("sched_setaffinity");
	}
	struct sigaction sa = {.sa_handler = on_signal};

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};

	if (lfd < 0)
		die("socket");
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "epoll-echo: bad address '%s'\n", addr);
		return 1;
	}
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		die("bind");
	if (listen(lfd, 4096) != 0)
		die("listen");

	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) != 0)
		die("epoll");
	printf("epoll-echo: listening on %s:%d\n", addr, port);
	fflush(stdout);

	struct epoll_event evs[MAX_EVENTS];
	unsigned long accepted = 0;

	while (!stop) {
		int n = epoll_wait(ep, evs, MAX_EVENTS, 200);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c == NULL) { /* the listener */
				for (;;) {
					int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);

					if (fd < 0)
						break;
					c = malloc(sizeof(*c));
					if (c == NULL) {
						close(fd);
						continue;
					}
					c->fd = fd;
					c->off = c->len = 0;
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
					struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};

					if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev) != 0) {
						close(fd);
						free(c);
						continue;
					}
					accepted++;
				}
				continue;
			}
			if (evs[i].events & EPOLLOUT) {
				if (conn_flush(ep, c) != 0)
					conn_close(ep, c);
				continue;
			}
			ssize_t r = recv(c->fd, c->buf, BUF_SZ, 0);

			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				conn_close(ep, c);
				continue;
			}
			if (r < 0)
				continue;
			c->off = 0;
			c->len = (size_t)r;
			if (conn_flush(ep, c) != 0)
				conn_close(ep, c);
		}
	}
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("epoll-echo: accepted %lu; cpu user %.3f s sys %.3f s\n", accepted,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	return 0;
}
