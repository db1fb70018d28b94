/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --init: the container's pid 1 when the command should not be.  It hands
 * the signals it gets to the command, reaps every orphan that the pid
 * namespace reparents to it, and exits like the command.
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

int rt_exit_code(int wstatus)
{
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

/* Reap every child that has ended; true once @child is among them. */
static bool reap(pid_t child, int *code)
{
	int st;
	pid_t p;
	bool done = false;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		if (p == child) {
			*code = rt_exit_code(st);
			done = true;
		}
	}
	return done;
}

void rt_init_main(pid_t child, const sigset_t *set)
{
	int code = 0;

	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(set, &info);
		if (sig < 0) {
			if (errno == EINTR)
				continue;
			_exit(125);
		}
		if (sig != SIGCHLD)
			(void)kill(child, sig);
		else if (reap(child, &code))
			_exit(code);
	}
}
