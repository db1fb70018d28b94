/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's process: namespaces, root filesystem, pivot_root,
 * /proc, /dev, /sys, the corralfs views, masked and read-only paths,
 * capabilities, seccomp, rlimits, user, then exec.
 */
#ifndef CORRAL_RUNTIME_CONTAINER_H
#define CORRAL_RUNTIME_CONTAINER_H

#include "runtime/spec/spec.h"

struct rt_container;

/*
 * Clone the container's init in new namespaces (all of spec->linux.ns but
 * the cgroup namespace).  It waits, doing nothing, until
 * rt_container_start(): the caller first moves it into its cgroup.
 */
struct rt_container *rt_container_create(const struct rt_spec *spec, GError **err);
/*
 * `corral create` (rt_oci_opts.state_dirfd >= 0): once built (everything
 * but the exec), the init reports success to rt_container_start(), clears
 * its parent-death signal and blocks opening RT_EXEC_FIFO (in that
 * directory) for writing; it execs once `corral start` opens it for
 * reading (and reads the byte it writes).  The command is looked up
 * before, so a missing one still fails the create.
 */
#define RT_EXEC_FIFO "exec.fifo"
/*
 * What the OCI commands add (all optional): the pty master of a terminal
 * sent to @console_socket (runc's protocol) instead of copied by corral;
 * fds 3 .. 3+@preserve_fds-1 passed on to the container (all others are
 * closed at its exec); OCI hooks, given the state JSON @state_json makes
 * for the init's host pid and a status: prestart and createRuntime run by
 * rt_container_start() in corral's namespaces once the init has built its
 * mounts, createContainer by the init before pivot_root, startContainer
 * by the init just before its exec.
 */
struct rt_oci_opts {
	int state_dirfd;              /* create: wait on exec.fifo in it; -1: no */
	const char *console_socket;
	int preserve_fds;
	char *(*state_json)(void *data, pid_t pid, const char *status);
	void *data;
};
struct rt_container *rt_container_create_oci(const struct rt_spec *spec,
					     const struct rt_oci_opts *o, GError **err);
pid_t rt_container_pid(const struct rt_container *c);
/*
 * Let the init go on: new cgroup namespace, mounts, pivot_root, the views,
 * hostname, rlimits, user, capabilities, no_new_privs, seccomp, exec.  A
 * failure of any step before exec comes back here as an error naming the
 * step and the path (a missing command: RT_ERROR_EXEC, and the caller
 * exits 127).
 */
bool rt_container_start(struct rt_container *c, GError **err);
/*
 * Forward SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH to
 * the container until it ends (copying the terminal if spec->process.terminal);
 * returns its exit code, or 128+N if killed by signal N.
 */
int rt_container_wait(struct rt_container *c);
/* Kill the init if still running, reap it, free @c. */
void rt_container_free(struct rt_container *c);
/* Free @c and leave the init running (`corral create`, `run --detach`). */
void rt_container_detach(struct rt_container *c);
typedef struct rt_container rt_container;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rt_container, rt_container_free)

/*
 * The whole life of a container: create its cgroup, apply the limits,
 * create the process, attach it, start it, wait, remove the cgroup.
 * Returns the exit status for corral to exit with (127 when the command is
 * not found, 125 when corral itself failed, with the message in @err).
 */
int rt_run(const struct rt_spec *spec, GError **err);

#endif
