/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral exec`'s process (exec.h).  corral opens the init's namespaces
 * (a pidfd, or /proc/PID/ns/NAME without one), checks that the init is still
 * the recorded one, joins its pid namespace for its children and forks:
 * the child is in the container's pid namespace from its first
 * instruction and stays corral's own child (waitpid, signals); corral's
 * pid_for_children returns to its own namespace right after.  corral
 * moves the child into the container's cgroup and says "go" on a socket; the
 * child joins the other namespaces (the mount namespace last), opens its
 * pty in the container's /dev/ptmx (its name is then the container's
 * /dev/pts/N, as with runc) and passes the master back to corral, takes
 * its stdio, rlimits, umask, working directory, user, capabilities,
 * no_new_privs and seccomp filter, and execs.  The socket carries
 * packets: the master (SCM_RIGHTS), a failure as [error code, message];
 * a successful exec closes it (close-on-exec), which corral reads as EOF.
 */
#include "runtime/process/exec.h"
#include "runtime/process/process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

extern char **environ;

/* ---------------------------------------------------------- namespaces */

static const struct {
	const char *name; /* in /proc/PID/ns */
	int flag;
} ns_kinds[] = {
	{ "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },       { "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	{ "mnt", CLONE_NEWNS }, /* last: it changes the root of what follows */
};
#define NS_KINDS G_N_ELEMENTS(ns_kinds)

/* The init's namespaces that differ from corral's, and how to join them. */
struct ns_set {
	int pidfd;          /* -1: through fds[] */
	int flags;          /* CLONE_NEW* of the namespaces to join */
	int fds[NS_KINDS];  /* without a pidfd: /proc/PID/ns/NAME, or -1 */
};

#define NS_SET_INIT { -1, 0, { -1, -1, -1, -1, -1, -1, -1 } }
G_STATIC_ASSERT(NS_KINDS == 7);

static void ns_set_clear(struct ns_set *n)
{
	rt_close_fd(&n->pidfd);
	for (size_t i = 0; i < NS_KINDS; i++)
		rt_close_fd(&n->fds[i]);
}

/* Whether the init's namespace @name is another than ours (a kind the
 * kernel lacks is the same: there is nothing to join). */
static bool ns_differs(pid_t pid, const char *name, bool *differs, GError **err)
{
	g_autofree char *theirs = g_strdup_printf("/proc/%d/ns/%s", pid, name);
	g_autofree char *ours = g_strdup_printf("/proc/self/ns/%s", name);
	struct stat a, b;

	*differs = false;
	if (stat(ours, &b) < 0)
		return errno == ENOENT || rt_fail_errno(err, errno, "reading %s", ours);
	if (stat(theirs, &a) < 0)
		return rt_fail_errno(err, errno, "reading %s", theirs);
	*differs = a.st_ino != b.st_ino || a.st_dev != b.st_dev;
	return true;
}

static bool ns_open(pid_t pid, struct ns_set *n, GError **err)
{
	for (size_t i = 0; i < NS_KINDS; i++) {
		bool differs;

		if (!ns_differs(pid, ns_kinds[i].name, &differs, err))
			return false;
		if (!differs)
			continue;
		n->flags |= ns_kinds[i].flag;
		if (n->pidfd >= 0)
			continue;
		g_autofree char *path = g_strdup_printf("/proc/%d/ns/%s", pid, ns_kinds[i].name);
		n->fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (n->fds[i] < 0)
			return rt_fail_errno(err, errno, "opening %s", path);
	}
	return true;
}

/* The init's namespaces, opened while it is the recorded init: a pid
 * reused by another process since is "stopped", never joined. */
static bool open_init(const struct rt_exec_opts *o, struct ns_set *n, GError **err)
{
	GError *e = NULL;
	bool zombie;

	if (!o->no_pidfd)
		n->pidfd = (int)syscall(SYS_pidfd_open, o->init_pid, 0); /* -1: kernel < 5.3 */
	bool ok = ns_open(o->init_pid, n, &e);
	uint64_t t = cg_pid_start_time(o->init_pid, &zombie);
	if (t == 0 || t != o->init_start_time || zombie) {
		g_clear_error(&e);
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "cannot exec in a stopped container");
		return false;
	}
	if (!ok)
		g_propagate_error(err, e);
	return ok;
}

/* corral's children are born in the init's pid namespace; @own gets
 * corral's pid_for_children back after the fork (-1: nothing to restore). */
static bool join_pid_ns(const struct ns_set *n, pid_t pid, int *own, GError **err)
{
	int fd = n->pidfd >= 0 ? n->pidfd : n->fds[3];

	g_assert(ns_kinds[3].flag == CLONE_NEWPID);
	if (!(n->flags & CLONE_NEWPID))
		return true;
	*own = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (*own < 0)
		return rt_fail_errno(err, errno, "opening /proc/self/ns/pid_for_children");
	if (setns(fd, CLONE_NEWPID) == 0)
		return true;
	return rt_fail_errno(err, errno, "joining the pid namespace of %d", pid);
}

/* corral's later children (hooks, helpers, a sanitizer's tracer) are
 * born in its own pid namespace again. */
static bool leave_pid_ns(int own, GError **err)
{
	if (own >= 0 && setns(own, CLONE_NEWPID) < 0)
		return rt_fail_errno(err, errno,
				     "returning to corral's pid namespace (setns on /proc/self/ns/pid_for_children)");
	return true;
}

/* In the child: every other namespace, at once through the pidfd. */
static bool join_others(const struct ns_set *n, pid_t pid, GError **err)
{
	int flags = n->flags & ~CLONE_NEWPID;

	if (flags == 0)
		return true;
	if (n->pidfd >= 0) {
		if (setns(n->pidfd, flags) < 0)
			return rt_fail_errno(err, errno, "joining the namespaces of %d (setns on its pidfd)",
					     pid);
		return true;
	}
	for (size_t i = 0; i < NS_KINDS; i++) {
		if ((flags & ns_kinds[i].flag) && setns(n->fds[i], ns_kinds[i].flag) < 0)
			return rt_fail_errno(err, errno, "joining /proc/%d/ns/%s", pid, ns_kinds[i].name);
	}
	return true;
}

/* ============================================================ the child */

struct exec_child {
	const struct rt_exec_opts *o;
	const struct ns_set *ns;
	GBytes *filter;
	int sock;
};

/* Report [code, message] to corral and exit. */
static G_GNUC_NORETURN void child_fail(int sock, int code, const char *msg)
{
	char buf[2048];
	int n = snprintf(buf + 1, sizeof buf - 1, "%s", msg);

	buf[0] = (char)code;
	if (n > (int)sizeof buf - 2)
		n = (int)sizeof buf - 2;
	(void)!write(sock, buf, (size_t)n + 1);
	_exit(code == RT_ERROR_EXEC ? 127 : 125);
}

/* The pty master to corral as SCM_RIGHTS, in a packet "T" + its name. */
static bool send_master(int sock, const struct rt_pty *pty, GError **err)
{
	g_autofree char *text = g_strconcat("T", pty->slave_path, NULL);

	if (!rt_send_fd(sock, pty->master, text, strlen(text)))
		return rt_fail_errno(err, errno, "passing the pty master to corral");
	return true;
}

/* A session of its own (as runc's exec does); with a terminal, a pty of
 * the container's devpts, sized like corral's terminal or consoleSize,
 * its master passed to corral, its slave the controlling terminal and
 * stdio.  Without one, corral's stdio as it is. */
static bool child_stdio(const struct rt_process *p, int sock, GError **err)
{
	struct rt_pty pty = { .master = -1, .slave = -1 };
	bool ok;

	if (setsid() < 0)
		return rt_fail_errno(err, errno, "setsid");
	if (!p->terminal)
		return true;
	ok = rt_pty_open(&pty, err);
	if (ok) {
		rt_pty_set_size(&pty, p->console_size.height, p->console_size.width);
		ok = send_master(sock, &pty, err);
	}
	if (ok && ioctl(pty.slave, TIOCSCTTY, 0) < 0)
		ok = rt_fail_errno(err, errno, "making %s the controlling terminal", pty.slave_path);
	for (int fd = 0; ok && fd < 3; fd++)
		if (dup2(pty.slave, fd) < 0)
			ok = rt_fail_errno(err, errno, "dup2 of the pty slave");
	rt_pty_close(&pty);
	return ok;
}

/* User, capabilities, no_new_privs, seccomp (rt_process_creds); with
 * --detach, no parent-death signal: the process outlives corral. */
static bool child_creds(const struct rt_exec_opts *o, GBytes *filter, GError **err)
{
	return rt_process_creds(&o->spec->process, filter, o->detach ? 0 : SIGKILL, err);
}

static int sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

int (*rt_close_range)(unsigned first, unsigned last, unsigned flags) = sys_close_range;

static bool cloexec_one(int fd, GError **err)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0 && errno == EBADF)
		return true; /* closed since it was listed */
	if (fl < 0 || ((fl & FD_CLOEXEC) == 0 && fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0))
		return rt_fail_errno(err, errno, "setting close-on-exec on fd %d", fd);
	return true;
}

/* The fds in one getdents64 buffer. */
static bool cloexec_entries(const char *buf, long n, unsigned first, int dir, GError **err)
{
	for (long off = 0; off < n;) {
		const struct dirent64 *d = (const void *)(buf + off);
		guint64 fd;

		off += d->d_reclen;
		if (!g_ascii_string_to_unsigned(d->d_name, 10, 0, G_MAXINT, &fd, NULL))
			continue; /* . and .. */
		if (fd >= first && (int)fd != dir && !cloexec_one((int)fd, err))
			return false;
	}
	return true;
}

bool rt_cloexec_walk(unsigned first, GError **err)
{
	/* getdents64 into a buffer on the stack: no allocation after fork */
	char buf[4096] __attribute__((aligned(8)));
	autoclose int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long n;

	if (dir < 0)
		return rt_fail_errno(err, errno, "close_range unavailable; opening /proc/self/fd");
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0)
		if (!cloexec_entries(buf, n, first, dir, err))
			return false;
	if (n < 0)
		return rt_fail_errno(err, errno, "close_range unavailable; reading /proc/self/fd");
	return true;
}

bool rt_cloexec_from(unsigned first, GError **err)
{
	if (rt_close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return true;
	if (errno == ENOSYS || errno == EINVAL)
		return rt_cloexec_walk(first, err);
	return rt_fail_errno(err, errno, "close_range from fd %u", first);
}

/* --preserve-fds N: 3 .. 3+N-1 are inherited, every other fd closes on exec. */
static bool child_fds(unsigned n, GError **err)
{
	for (unsigned fd = 3; fd < 3 + n; fd++) {
		int fl = fcntl((int)fd, F_GETFD);

		if (fl < 0 || fcntl((int)fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
			return rt_fail_errno(err, errno, "--preserve-fds: fd %u", fd);
	}
	return rt_cloexec_from(3 + n, err);
}

static bool child_setup(struct exec_child *x, GError **err)
{
	const struct rt_spec *s = x->o->spec;

	if (!join_others(x->ns, x->o->init_pid, err) || !child_stdio(&s->process, x->sock, err) ||
	    !rt_set_rlimits(s->process.rlimits, err))
		return false;
	if (s->has_umask)
		umask((mode_t)s->umask);
	if (chdir(s->process.cwd) < 0)
		return rt_fail_errno(err, errno, "chdir to %s", s->process.cwd);
	return child_creds(x->o, x->filter, err) && child_fds(x->o->preserve_fds, err);
}

/* runc's wording, which podman matches to exit 127. */
static G_GNUC_NORETURN void child_exec(const struct rt_process *p, int sock)
{
	static char *no_env[] = { NULL };
	const char *cmd = p->args[0];

	environ = p->env != NULL ? p->env : no_env; /* execvp searches this PATH */
	execvp(cmd, p->args);
	int e = errno;
	g_autofree char *msg = NULL;
	if (e == ENOENT && strchr(cmd, '/') == NULL)
		msg = g_strdup_printf("exec: \"%s\": executable file not found in $PATH", cmd);
	else
		msg = g_strdup_printf("exec: \"%s\": %s", cmd, g_strerror(e));
	child_fail(sock, RT_ERROR_EXEC, msg);
}

static G_GNUC_NORETURN void child_main(struct exec_child *x)
{
	g_autoptr(GError) e = NULL;
	char go;

	rt_reset_signals();
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (read(x->sock, &go, 1) != 1)
		_exit(125); /* corral is gone */
	if (!child_setup(x, &e))
		child_fail(x->sock, RT_ERROR_SETUP, e->message);
	child_exec(&x->o->spec->process, x->sock);
}

/* =========================================================== the parent */

/* The container's filter as BPF, before the fork: from the compiled-filter
 * cache that create filled (seccomp-cache.c), else built and stored. */
static bool build_filter(const struct rt_spec *s, GBytes **out, GError **err)
{
	return s->linux.seccomp == NULL || rt_seccomp_compile(s->linux.seccomp, out, err);
}

/* The fork into the init's pid namespace. */
static bool fork_child(struct rt_container *c, const struct rt_exec_opts *o, const struct ns_set *n,
		       GBytes *filter, GError **err)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_fail_errno(err, errno, "socketpair");
	pid_t pid = fork();
	if (pid == 0) {
		struct exec_child x = { o, n, filter, sv[1] };
		close(sv[0]);
		child_main(&x);
	}
	int e = errno;
	close(sv[1]);
	c->sock = sv[0];
	if (pid < 0)
		return rt_fail_errno(err, e, "fork into the pid namespace of %d", o->init_pid);
	c->pid = pid;
	return true;
}

static bool spawn(struct rt_container *c, const struct rt_exec_opts *o, const struct ns_set *n,
		  GBytes *filter, GError **err)
{
	autoclose int own = -1;

	if (!join_pid_ns(n, o->init_pid, &own, err))
		return false;
	bool ok = fork_child(c, o, n, filter, err);
	/* after a failed fork, the fork's error is the one reported */
	if (!leave_pid_ns(own, ok ? err : NULL) && ok)
		return false;
	return ok;
}

/* --console-socket: the caller owns the terminal from here. */
static bool send_console(struct rt_container *c, const struct rt_exec_opts *o, GError **err)
{
	if (o->console_socket == NULL || c->pty.master < 0)
		return true;
	if (!rt_console_send(o->console_socket, c->pty.master, c->pty.slave_path, err))
		return false;
	rt_close_fd(&c->pty.master);
	c->pty.master = -1;
	return true;
}

/* One packet; a passed fd lands in *fd. */
static ssize_t recv_packet(int sock, char *buf, size_t size, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	ssize_t n;

	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

/* "go", then the pty master (with a terminal), then EOF (it exec'd) or
 * [code, message]. */
static bool release(struct rt_container *c, GError **err)
{
	char buf[2048] = "";
	ssize_t n;

	(void)send(c->sock, "g", 1, MSG_NOSIGNAL);
	while ((n = recv_packet(c->sock, buf, sizeof buf - 1, &c->pty.master)) > 0 && buf[0] == 'T') {
		buf[n] = '\0';
		g_free(c->pty.slave_path);
		c->pty.slave_path = g_strdup(buf + 1);
	}
	rt_close_fd(&c->sock);
	c->sock = -1;
	if (n == 0 && (!c->spec->process.terminal || c->pty.master >= 0))
		return true;
	if (n < 0)
		return rt_fail_errno(err, errno, "reading from the process being started");
	buf[MAX(n, 1)] = '\0';
	g_set_error(err, RT_ERROR, buf[0] == RT_ERROR_EXEC ? RT_ERROR_EXEC : RT_ERROR_SETUP,
		    "unable to start container process: %s", n > 1 ? buf + 1 : "no terminal");
	return false;
}

struct rt_container *rt_exec_start(const struct rt_exec_opts *o, GError **err)
{
	g_autoptr(rt_container) c = g_new0(struct rt_container, 1);
	struct ns_set ns __attribute__((cleanup(ns_set_clear))) = NS_SET_INIT;
	g_autoptr(GBytes) filter = NULL;
	sigset_t set;

	c->spec = o->spec;
	c->sock = c->pty.master = c->pty.slave = c->wait_dirfd = -1;
	c->fail_status = 255;
	/* Signals wait, blocked, for rt_container_wait() to forward them. */
	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &c->saved_mask);
	c->mask_saved = true;
	if (!open_init(o, &ns, err) || !build_filter(o->spec, &filter, err) ||
	    !spawn(c, o, &ns, filter, err) || !rt_cgroup_attach(o->cg, c->pid, err) ||
	    !release(c, err) || !send_console(c, o, err))
		return NULL;
	return g_steal_pointer(&c);
}
