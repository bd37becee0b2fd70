/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * On a fatal signal, print where it came from, then die as before (same
 * signal, same exit status). A rare crash, such as a PMD's teardown racing
 * its control thread at exit, is otherwise nothing but "exited 139" in a CI
 * log. Frames in the executable print as BINARY(+OFFSET): the apps link
 * DPDK statically and export few symbols, so give OFFSET to
 * `addr2line -f -e BINARY`.
 */
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sluice/sl_app.h"

static void on_fatal_signal(int sig, siginfo_t *info, void *ucontext)
{
	void *frames[64];
	char line[160];
	int n, len;

	(void)ucontext;
	/* Not strictly async-signal-safe (snprintf), but the process is dying
	 * anyway and nothing here allocates: backtrace() was primed at install. */
	len = snprintf(line, sizeof(line), "fatal signal %d (%s), fault address %p; backtrace:\n",
		       sig,
		       sig == SIGSEGV  ? "SIGSEGV"
		       : sig == SIGBUS ? "SIGBUS"
		       : sig == SIGFPE ? "SIGFPE"
				       : "SIGILL",
		       info->si_addr);
	if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
		return;
	n = backtrace(frames, (int)(sizeof(frames) / sizeof(frames[0])));
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	/* SA_RESETHAND put the default action back; the signal is blocked
	 * until this returns, then delivered again and ends the process as it
	 * would have (also when it came from kill(), with no fault to re-run). */
	raise(sig);
}

void sl_crash_report_install(void)
{
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
	struct sigaction sa;
	void *prime[1];

	/* The first backtrace() loads libgcc's unwinder (it may allocate):
	 * do it now, not in the handler. */
	backtrace(prime, 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fatal_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (unsigned int i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
}
