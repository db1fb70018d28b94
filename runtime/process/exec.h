/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A new process in a running container (`corral exec`): it joins the
 * namespaces of the container's init (through a pidfd of the init, which
 * setns() takes from Linux 5.8; /proc/PID/ns/NAME where pidfd_open() is
 * missing), its cgroup in every hierarchy, then takes the rlimits, umask,
 * working directory, user, capabilities, no_new_privs and seccomp filter
 * of its spec and execs.
 */
#ifndef CORRAL_RUNTIME_EXEC_H
#define CORRAL_RUNTIME_EXEC_H

#include "runtime/cgroups/cgroups.h"
#include "runtime/process/container.h"

struct rt_exec_opts {
	/* process: args, env, cwd, user, caps, rlimits, no_new_privileges,
	 * terminal, console_size; linux.seccomp; umask */
	const struct rt_spec *spec;
	pid_t init_pid;
	uint64_t init_start_time;   /* field 22 of /proc/PID/stat */
	struct rt_cgroup *cg;       /* the container's cgroup (joined first) */
	const char *console_socket; /* with spec->process.terminal: the pty master goes there */
	bool detach;                /* the process outlives corral (no parent-death signal) */
	unsigned preserve_fds;      /* fds 3 .. 3+N-1 stay open in the process */
	bool no_pidfd;              /* join through /proc/PID/ns/NAME only (tests) */
};

/*
 * Start the process.  Returns once it has exec'd (or with the error that
 * stopped it: RT_ERROR_EXEC when the command cannot be executed; nothing
 * is left running then).  The result is the process as a struct
 * rt_container: rt_container_pid(), rt_container_wait() (signals
 * forwarded, the terminal copied when there is a pty and no console
 * socket), rt_container_detach(), rt_container_free().  The init that
 * ended meanwhile is "cannot exec in a stopped container".
 */
struct rt_container *rt_exec_start(const struct rt_exec_opts *o, GError **err);

#endif
