/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's init: cloned into new namespaces, it waits for "go" on
 * a socket while the parent puts it in its cgroup, then builds the
 * container and execs the command.  A failure comes back on the same
 * socket as [error code, exit status, message]; a successful exec closes
 * it (close-on-exec), which the parent reads as EOF.
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

extern char **environ;

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

void rt_forward_sigset(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < G_N_ELEMENTS(forwarded); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
}

/* ============================================================ the child */

/* Report a failure to the parent and exit. */
static G_GNUC_NORETURN void child_fail(int sock, int code, int status, const char *msg)
{
	char buf[2048];
	int n = snprintf(buf + 2, sizeof buf - 2, "%s", msg);

	buf[0] = (char)code;
	buf[1] = (char)status;
	if (n > (int)sizeof buf - 3)
		n = (int)sizeof buf - 3;
	(void)!write(sock, buf, (size_t)n + 2);
	_exit(status);
}

void rt_reset_signals(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The pty master to corral as SCM_RIGHTS, in a fixed-size packet "T" +
 * its name (fixed: an error message may follow on the same stream). */
static bool send_master(int sock, const struct rt_pty *pty, GError **err)
{
	char text[RT_PTY_PACKET] = "T";

	g_strlcpy(text + 1, pty->slave_path, sizeof text - 1);
	if (!rt_send_fd(sock, pty->master, text, sizeof text))
		return rt_fail_errno(err, errno, "passing the pty master to corral");
	return true;
}

/* -t, once the container's devpts gave the pty: its slave is our
 * controlling terminal and stdio, its master goes to corral. */
static bool pty_stdio(struct rt_container *c, GError **err)
{
	struct rt_pty *p = &c->pty;

	rt_pty_set_size(p, c->spec->process.console_size.height,
			c->spec->process.console_size.width);
	if (!send_master(c->sock, p, err))
		return false;
	if (ioctl(p->slave, TIOCSCTTY, 0) < 0)
		return rt_fail_errno(err, errno, "making %s the controlling terminal", p->slave_path);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(p->slave, fd) < 0)
			return rt_fail_errno(err, errno, "dup2 of the pty slave");
	rt_pty_close(p);
	return true;
}

/* Its own session (a terminal's ^C goes to corral, which forwards it);
 * /dev/null as stdin without -i (the pty comes later, pty_stdio). */
static bool setup_stdio(struct rt_container *c, GError **err)
{
	if (setsid() < 0)
		return rt_fail_errno(err, errno, "setsid");
	if (c->spec->process.terminal || c->spec->process.stdin_open)
		return true;
	autoclose int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0)
		return rt_fail_errno(err, errno, "opening /dev/null as stdin");
	return true;
}

static const int ns_clone_flag[RT_NS_N] = {
	[RT_NS_PID] = CLONE_NEWPID, [RT_NS_NET] = CLONE_NEWNET, [RT_NS_MOUNT] = CLONE_NEWNS,
	[RT_NS_IPC] = CLONE_NEWIPC, [RT_NS_UTS] = CLONE_NEWUTS, [RT_NS_USER] = CLONE_NEWUSER,
	[RT_NS_CGROUP] = CLONE_NEWCGROUP,
};

/* Namespaces given by path are joined; the cgroup one is made now, after
 * the parent moved us into our cgroup, so that it is its root. */
static bool enter_namespaces(const struct rt_spec *s, GError **err)
{
	for (int i = 0; i < RT_NS_N; i++) {
		const struct rt_namespace *ns = &s->linux.ns[i];
		if (!ns->enabled || ns->path == NULL)
			continue;
		autoclose int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, ns_clone_flag[i]) < 0)
			return rt_fail_errno(err, errno, "joining the namespace %s", ns->path);
	}
	const struct rt_namespace *cg = &s->linux.ns[RT_NS_CGROUP];
	if (cg->enabled && cg->path == NULL && unshare(CLONE_NEWCGROUP) < 0)
		return rt_fail_errno(err, errno, "creating the cgroup namespace");
	return true;
}

static bool lo_up(GError **err)
{
	struct ifreq ifr = { 0 };
	autoclose int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	g_strlcpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name);
	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return rt_fail_errno(err, errno, "reading the flags of lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
		return rt_fail_errno(err, errno, "bringing lo up");
	return true;
}

static bool setup_net_uts(const struct rt_spec *s, GError **err)
{
	const struct rt_namespace *net = &s->linux.ns[RT_NS_NET];
	if (net->enabled && net->path == NULL && !lo_up(err))
		return false;
	if (s->hostname == NULL)
		return true;
	if (!s->linux.ns[RT_NS_UTS].enabled) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP,
			    "hostname %s: the container has no uts namespace", s->hostname);
		return false;
	}
	if (sethostname(s->hostname, strlen(s->hostname)) < 0)
		return rt_fail_errno(err, errno, "sethostname %s", s->hostname);
	return true;
}

static const char *rlimit_name(int resource)
{
	static const char *const names[] = {
		[RLIMIT_CPU] = "RLIMIT_CPU", [RLIMIT_FSIZE] = "RLIMIT_FSIZE",
		[RLIMIT_DATA] = "RLIMIT_DATA", [RLIMIT_STACK] = "RLIMIT_STACK",
		[RLIMIT_CORE] = "RLIMIT_CORE", [RLIMIT_RSS] = "RLIMIT_RSS",
		[RLIMIT_NPROC] = "RLIMIT_NPROC", [RLIMIT_NOFILE] = "RLIMIT_NOFILE",
		[RLIMIT_MEMLOCK] = "RLIMIT_MEMLOCK", [RLIMIT_AS] = "RLIMIT_AS",
		[RLIMIT_LOCKS] = "RLIMIT_LOCKS", [RLIMIT_SIGPENDING] = "RLIMIT_SIGPENDING",
		[RLIMIT_MSGQUEUE] = "RLIMIT_MSGQUEUE", [RLIMIT_NICE] = "RLIMIT_NICE",
		[RLIMIT_RTPRIO] = "RLIMIT_RTPRIO", [RLIMIT_RTTIME] = "RLIMIT_RTTIME",
	};

	return resource >= 0 && resource < (int)G_N_ELEMENTS(names) && names[resource]
		       ? names[resource] : "RLIMIT_?";
}

bool rt_set_rlimits(const GArray *rlimits, GError **err)
{
	for (guint i = 0; rlimits != NULL && i < rlimits->len; i++) {
		const struct rt_rlimit *r = &g_array_index(rlimits, struct rt_rlimit, i);
		struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
		if (setrlimit(r->resource, &rl) < 0)
			return rt_fail_errno(err, errno, "setting %s to %" G_GUINT64_FORMAT
					     "/%" G_GUINT64_FORMAT " (soft/hard)", rlimit_name(r->resource),
					     r->soft, r->hard);
	}
	return true;
}

static bool read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			errno = EPROTO; /* the other end closed too early */
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* The BPF program the parent generated while we built the container. */
static bool receive_filter(int sock, GBytes **out, GError **err)
{
	uint32_t len = 0;
	g_autofree char *prog = NULL;

	if (read_full(sock, &len, sizeof len)) {
		errno = EPROTO;
		if (len > 0 && len <= (1u << 20)) {
			prog = g_malloc(len);
			if (read_full(sock, prog, len)) {
				*out = g_bytes_new_take(g_steal_pointer(&prog), len);
				return true;
			}
		}
	}
	return rt_fail_errno(err, errno, "receiving the seccomp filter");
}

/* User, capabilities, no_new_privs, seccomp (rt_process_creds). */
static bool setup_creds(struct rt_container *c, GError **err)
{
	g_autoptr(GBytes) prog = NULL;

	if (c->seccomp != NULL && !receive_filter(c->sock, &prog, err))
		return false;
	return rt_process_creds(&c->spec->process, prog, SIGKILL, err);
}

/* Whether the init stops before pivot_root for the OCI hooks. */
static bool hooks_sync(const struct rt_container *c)
{
	const struct rt_hooks *h = &c->spec->hooks;

	return c->oci != NULL && c->oci->state_json != NULL &&
	       (rt_hooks_any(h, RT_HOOK_PRESTART) || rt_hooks_any(h, RT_HOOK_CREATE_RUNTIME) ||
		rt_hooks_any(h, RT_HOOK_CREATE_CONTAINER) ||
		rt_hooks_any(h, RT_HOOK_START_CONTAINER));
}

/* Before pivot_root: 'h' to the parent, which runs prestart and
 * createRuntime and answers 'c' + the state (or closes the socket); then
 * our createContainer hooks. */
static bool child_hooks_before_pivot(void *data, GError **err)
{
	struct rt_container *c = data;
	uint32_t len = 0;
	char go = 0;

	if (write(c->sock, "h", 1) != 1 || !read_full(c->sock, &go, 1) || go != 'c' ||
	    !read_full(c->sock, &len, sizeof len) || len > (1u << 20))
		_exit(125); /* the parent failed: it has the error */
	c->hook_state = g_malloc0((gsize)len + 1);
	if (!read_full(c->sock, c->hook_state, len))
		_exit(125);
	return rt_hooks_run(&c->spec->hooks, RT_HOOK_CREATE_CONTAINER, c->hook_state, err);
}

static bool child_setup(struct rt_container *c, GError **err)
{
	const struct rt_spec *s = c->spec;
	struct rt_mount_ctx m = { s, s->process.terminal ? &c->pty : NULL, c->views, NULL, c };

	if (hooks_sync(c))
		m.before_pivot = child_hooks_before_pivot;
	if (!setup_stdio(c, err) || !enter_namespaces(s, err) || !setup_net_uts(s, err) ||
	    !rt_mounts_setup(&m, err) || (s->process.terminal && !pty_stdio(c, err)) ||
	    !rt_set_rlimits(s->process.rlimits, err))
		return false;
	if (s->process.cwd != NULL && chdir(s->process.cwd) < 0)
		return rt_fail_errno(err, errno, "chdir to %s", s->process.cwd);
	return setup_creds(c, err);
}

/* --init: this process stays as pid 1; the command runs in a child, in
 * its own process group (the terminal's foreground one with -t). */
static void child_fork_init(struct rt_container *c, int sock)
{
	sigset_t set;
	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);

	pid_t pid = fork();
	if (pid < 0) {
		g_autofree char *msg = g_strdup_printf("fork under --init: %s", g_strerror(errno));
		child_fail(sock, RT_ERROR_SETUP, 125, msg);
	}
	if (pid > 0) {
		close(sock);
		rt_init_main(pid, &set);
	}
	(void)setpgid(0, 0);
	if (c->pty.master >= 0) {
		(void)signal(SIGTTOU, SIG_IGN);
		(void)tcsetpgrp(STDIN_FILENO, getpid());
		(void)signal(SIGTTOU, SIG_DFL);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static G_GNUC_NORETURN void child_exec(const struct rt_spec *s, int sock)
{
	char **args = s->process.args;

	if (s->process.env != NULL)
		environ = s->process.env; /* execvp searches this PATH */
	execvp(args[0], args);
	int e = errno;
	g_autofree char *msg = g_strdup_printf("exec '%s': %s", args[0], g_strerror(e));
	child_fail(sock, RT_ERROR_EXEC, (e == ENOENT || e == ENOTDIR) ? 127 : 126, msg);
}

/* Whether execvp would find @cmd in the PATH of @env (or the default). */
static bool command_found(const char *cmd, char **env)
{
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

	if (strchr(cmd, '/') != NULL)
		return access(cmd, X_OK) == 0;
	for (char **e = env; e != NULL && *e != NULL; e++)
		if (g_str_has_prefix(*e, "PATH="))
			path = *e + 5;
	g_auto(GStrv) dirs = g_strsplit(path, ":", -1);
	for (char **d = dirs; *d != NULL; d++) {
		g_autofree char *f = g_build_filename(**d ? *d : ".", cmd, NULL);
		if (access(f, X_OK) == 0)
			return true;
	}
	return false;
}

/* Create mode: report "ready", outlive corral, and wait for `corral
 * start` on the fifo (opened through the state directory's fd, which
 * still reaches the host after pivot_root). */
static void child_wait_start(struct rt_container *c, int sock)
{
	const char *cmd = c->spec->process.args[0];

	if (!command_found(cmd, c->spec->process.env)) {
		g_autofree char *msg = g_strdup_printf("exec '%s': %s", cmd, g_strerror(ENOENT));
		child_fail(sock, RT_ERROR_EXEC, 127, msg);
	}
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) {
		g_autofree char *msg = g_strdup_printf("prctl PR_SET_PDEATHSIG: %s", g_strerror(errno));
		child_fail(sock, RT_ERROR_SETUP, 125, msg);
	}
	(void)!write(sock, "r", 1);
	close(sock);
	int fd;
	while ((fd = openat(c->wait_dirfd, RT_EXEC_FIFO, O_WRONLY | O_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (fd < 0 || write(fd, "0", 1) != 1) {
		fprintf(stderr, "corral: waiting on %s: %s\n", RT_EXEC_FIFO, g_strerror(errno));
		_exit(125);
	}
	close(fd);
	close(c->wait_dirfd);
}

/* Fds 3 .. 3+N-1 go to the container; every other one is closed at exec. */
static bool child_fds(const struct rt_container *c, GError **err)
{
	unsigned keep = c->oci && c->oci->preserve_fds > 0 ? (unsigned)c->oci->preserve_fds : 0;

	for (unsigned fd = 3; fd < 3 + keep; fd++)
		if (fcntl((int)fd, F_SETFD, 0) < 0)
			return rt_fail_errno(err, errno, "--preserve-fds: fd %u", fd);
	return rt_cloexec_from(3 + keep, err);
}

/* startContainer hooks, in the container, just before the exec. */
static void child_start_hooks(struct rt_container *c, int sock)
{
	g_autoptr(GError) e = NULL;

	if (c->hook_state == NULL ||
	    rt_hooks_run(&c->spec->hooks, RT_HOOK_START_CONTAINER, c->hook_state, &e))
		return;
	if (c->wait_dirfd < 0)
		child_fail(sock, RT_ERROR_SETUP, 125, e->message);
	fprintf(stderr, "corral: %s\n", e->message); /* after `start`: nobody reads sock */
	_exit(125);
}

static G_GNUC_NORETURN void child_main(struct rt_container *c, int sock)
{
	g_autoptr(GError) e = NULL;
	char go;

	c->sock = sock;
	bool fds_ok = child_fds(c, &e);
	rt_reset_signals();
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (read(sock, &go, 1) != 1)
		_exit(125); /* the parent is gone */
	if (!fds_ok || !child_setup(c, &e))
		child_fail(sock, RT_ERROR_SETUP, 125, e->message);
	if (c->wait_dirfd >= 0)
		child_wait_start(c, sock);
	child_start_hooks(c, sock);
	if (c->spec->init)
		child_fork_init(c, sock);
	child_exec(c->spec, sock);
}

/* =========================================================== the parent */

static bool check_spec(const struct rt_spec *s, GError **err)
{
	const char *why = NULL;

	if (s->process.args == NULL || s->process.args[0] == NULL)
		why = "no command to run";
	else if (s->root.path == NULL)
		why = "no rootfs";
	else if (!s->linux.ns[RT_NS_MOUNT].enabled || s->linux.ns[RT_NS_MOUNT].path != NULL)
		why = "the container needs a new mount namespace";
	else if (s->linux.ns[RT_NS_USER].enabled)
		why = "user namespaces are not supported";
	if (why != NULL)
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "%s", why);
	return why == NULL;
}

static bool check_views(struct rt_container *c, GError **err)
{
	const struct rt_spec *s = c->spec;

	if (!s->views.enabled)
		return true;
	c->views = rt_views_live(s->views.path);
	if (c->views)
		return true;
	if (s->views.explicit_path) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "views: %s is not a live corralfs mount",
			    s->views.path ? s->views.path : "(none)");
		return false;
	}
	fprintf(stderr, "corral: warning: corralfs is not mounted at %s; "
		"the container sees the host's /proc files\n", s->views.path ? s->views.path : "(none)");
	return true;
}

static bool prepare(struct rt_container *c, GError **err)
{
	const struct rt_spec *s = c->spec;

	if (!check_spec(s, err) || !check_views(c, err))
		return false;
	/* Compiled (or read from the cache) here, so that errors come back
	 * directly; sent by rt_container_start(). */
	if (s->linux.seccomp != NULL && !rt_seccomp_compile(s->linux.seccomp, &c->seccomp, err))
		return false;
	return true;
}

/* --console-socket: the master goes to the caller, who owns the terminal. */
static bool hand_over_console(struct rt_container *c, GError **err)
{
	const char *path = c->oci ? c->oci->console_socket : NULL;

	if (path == NULL || c->pty.master < 0)
		return true;
	if (!rt_console_send(path, c->pty.master, c->pty.slave_path, err))
		return false;
	close(c->pty.master);
	c->pty.master = -1;
	return true;
}

static int clone_flags(const struct rt_spec *s)
{
	int flags = 0;

	for (int i = 0; i < RT_NS_N; i++)
		if (i != RT_NS_CGROUP && s->linux.ns[i].enabled && s->linux.ns[i].path == NULL)
			flags |= ns_clone_flag[i];
	return flags;
}

/* A pid namespace given by path is entered before the clone (setns of a
 * pid namespace only moves the children); @own gets ours back after. */
static bool enter_pid_ns(const struct rt_spec *s, int *own, GError **err)
{
	const char *path = s->linux.ns[RT_NS_PID].path;

	if (!s->linux.ns[RT_NS_PID].enabled || path == NULL)
		return true;
	*own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (*own < 0)
		return rt_fail_errno(err, errno, "opening /proc/self/ns/pid");
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWPID) < 0)
		return rt_fail_errno(err, errno, "joining the pid namespace %s", path);
	return true;
}

static bool leave_pid_ns(int own, GError **err)
{
	if (own >= 0 && setns(own, CLONE_NEWPID) < 0)
		return rt_fail_errno(err, errno, "returning to corral's pid namespace");
	return true;
}

static bool spawn(struct rt_container *c, GError **err)
{
	autoclose int own_pidns = -1;
	int sv[2];

	if (!enter_pid_ns(c->spec, &own_pidns, err))
		return false;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		int e = errno;
		(void)leave_pid_ns(own_pidns, NULL);
		return rt_fail_errno(err, e, "socketpair");
	}
	/* fork-like (no new stack): corral is single-threaded */
	long pid = syscall(SYS_clone, (unsigned long)(clone_flags(c->spec) | SIGCHLD), 0, 0, 0, 0);
	if (pid == 0) {
		close(sv[0]);
		child_main(c, sv[1]);
	}
	int e = errno;
	close(sv[1]);
	c->sock = sv[0];
	if (pid > 0)
		c->pid = (pid_t)pid;
	if (!leave_pid_ns(own_pidns, err))
		return false;
	if (pid < 0)
		return rt_fail_errno(err, e, "clone of the container's init");
	return true;
}

struct rt_container *rt_container_create(const struct rt_spec *spec, GError **err)
{
	return rt_container_create_oci(spec, NULL, err);
}

struct rt_container *rt_container_create_oci(const struct rt_spec *spec,
					     const struct rt_oci_opts *o, GError **err)
{
	g_autoptr(rt_container) c = g_new0(struct rt_container, 1);
	sigset_t set;

	c->spec = spec;
	c->oci = o;
	c->wait_dirfd = o ? o->state_dirfd : -1;
	c->sock = c->pty.master = c->pty.slave = -1;
	c->fail_status = 125;
	/* Signals wait, blocked, for rt_container_wait() to forward them. */
	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &c->saved_mask);
	c->mask_saved = true;
	if (!prepare(c, err) || !spawn(c, err))
		return NULL;
	return g_steal_pointer(&c);
}

pid_t rt_container_pid(const struct rt_container *c)
{
	return c->pid;
}

static void read_all(int fd, GString *out)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		g_string_append_len(out, buf, n);
	}
}

/* The seccomp filter as BPF, sent to the child (which reads it once its
 * mounts are done).  A failed send means the child died: its message is
 * read next. */
static void send_filter(struct rt_container *c)
{
	g_autoptr(GBytes) prog = g_steal_pointer(&c->seccomp);
	gsize len;
	const void *data = g_bytes_get_data(prog, &len);
	uint32_t len32 = (uint32_t)len;

	if (send(c->sock, &len32, sizeof len32, MSG_NOSIGNAL) == (ssize_t)sizeof len32)
		(void)send(c->sock, data, len, MSG_NOSIGNAL);
}

/* The init's 'h' (its mounts are built): prestart and createRuntime
 * hooks here, then 'c' and the state for its own hooks.  Anything else
 * is the start of its error message, kept in @msg. */
static bool parent_hooks(struct rt_container *c, GString *msg, GError **err)
{
	char b;
	ssize_t n;

	while ((n = read(c->sock, &b, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return true; /* its error (or nothing) is read next */
	if (b != 'h') {
		g_string_append_c(msg, b);
		return true;
	}
	const struct rt_hooks *h = &c->spec->hooks;
	g_autofree char *state = c->oci->state_json(c->oci->data, c->pid, "creating");
	if (!rt_hooks_run(h, RT_HOOK_PRESTART, state, err) ||
	    !rt_hooks_run(h, RT_HOOK_CREATE_RUNTIME, state, err))
		return false; /* the init exits when the socket closes */
	uint32_t len = (uint32_t)strlen(state);
	if (send(c->sock, "c", 1, MSG_NOSIGNAL) == 1 &&
	    send(c->sock, &len, sizeof len, MSG_NOSIGNAL) == (ssize_t)sizeof len)
		(void)send(c->sock, state, len, MSG_NOSIGNAL);
	return true;
}

/* The init's pty master (-t): a "T" packet with the fd, or the start of
 * its error message (kept in @msg).  Then the --console-socket gets it,
 * or it takes corral's terminal size (without a consoleSize). */
static bool parent_pty(struct rt_container *c, GString *msg, GError **err)
{
	char text[RT_PTY_PACKET];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = text, .iov_len = sizeof text };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.buf, .msg_controllen = sizeof u.buf };
	ssize_t n;

	while ((n = recvmsg(c->sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return true; /* it ended: read_all() finds out */
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	bool has_fd = cm != NULL && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS;
	if (!has_fd || text[0] != 'T') {
		g_string_append_len(msg, text, n);
		return true;
	}
	memcpy(&c->pty.master, CMSG_DATA(cm), sizeof(int));
	if (n < (ssize_t)sizeof text && !read_full(c->sock, text + n, sizeof text - (size_t)n))
		return true;
	text[sizeof text - 1] = '\0';
	c->pty.slave_path = g_strdup(text + 1);
	if (c->oci != NULL && c->oci->console_socket != NULL)
		return hand_over_console(c, err);
	if (c->spec->process.console_size.height == 0)
		rt_pty_resize(&c->pty);
	return true;
}

bool rt_container_start(struct rt_container *c, GError **err)
{
	g_autoptr(GString) msg = g_string_new(NULL);

	if (c->sock < 0) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "the container was already started");
		return false;
	}
	(void)send(c->sock, "g", 1, MSG_NOSIGNAL);
	/* the init reads the hooks' answer before the filter */
	if (hooks_sync(c) && !parent_hooks(c, msg, err))
		return false;
	if (c->spec->process.terminal && msg->len == 0 && !parent_pty(c, msg, err))
		return false;
	if (c->seccomp != NULL)
		send_filter(c);
	read_all(c->sock, msg);
	close(c->sock);
	c->sock = -1;
	if (msg->len == 0 || (c->wait_dirfd >= 0 && msg->len == 1 && msg->str[0] == 'r'))
		return true;
	if (msg->len < 3) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "the container's init failed to start");
		return false;
	}
	c->fail_status = (unsigned char)msg->str[1];
	g_set_error(err, RT_ERROR, msg->str[0] == RT_ERROR_EXEC ? RT_ERROR_EXEC : RT_ERROR_SETUP,
		    "%s", msg->str + 2);
	return false;
}

void rt_container_detach(struct rt_container *c)
{
	if (c == NULL)
		return;
	c->reaped = true; /* not ours to kill any more */
	rt_container_free(c);
}

static void reap(struct rt_container *c, int options)
{
	pid_t p;

	while ((p = waitpid(c->pid, &c->wstatus, options)) < 0 && errno == EINTR)
		;
	if (p == c->pid || (p < 0 && errno == ECHILD))
		c->reaped = true;
}

void rt_container_free(struct rt_container *c)
{
	if (c == NULL)
		return;
	if (c->pid > 0 && !c->reaped) {
		(void)kill(c->pid, SIGKILL);
		reap(c, 0);
	}
	if (c->sock >= 0)
		close(c->sock);
	g_clear_pointer(&c->seccomp, g_bytes_unref);
	rt_pty_close(&c->pty);
	if (c->mask_saved)
		sigprocmask(SIG_SETMASK, &c->saved_mask, NULL);
	g_free(c);
}

/* ------------------------------------------------------------- waiting */

static void write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= w;
	}
}

/* Copy what @from has to @to; false at its end. */
static bool copy_once(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof buf);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	write_all(to, buf, n);
	return true;
}

static void on_signal(struct rt_container *c, int sig)
{
	if (sig == SIGCHLD)
		reap(c, WNOHANG);
	else if (sig == SIGWINCH && c->pty.master >= 0)
		rt_pty_resize(&c->pty);
	else
		(void)kill(c->pid, sig);
}

static void read_signals(struct rt_container *c, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
		on_signal(c, (int)si.ssi_signo);
}

struct wait_fds {
	int sfd, master, in; /* -1 when not watched (any more) */
};

static void wait_step(struct rt_container *c, struct wait_fds *w)
{
	struct pollfd p[3] = {
		{ .fd = w->sfd, .events = POLLIN },
		{ .fd = w->master, .events = POLLIN },
		{ .fd = w->in, .events = POLLIN },
	};

	if (poll(p, 3, -1) < 0)
		return;
	if (p[0].revents)
		read_signals(c, w->sfd);
	if (p[1].revents && !copy_once(w->master, STDOUT_FILENO))
		w->master = -1;
	if (p[2].revents && !copy_once(w->in, c->pty.master))
		w->in = -1;
}

/* What the container wrote before it ended. */
static void drain_pty(struct rt_container *c)
{
	if (c->pty.master < 0)
		return;
	(void)fcntl(c->pty.master, F_SETFL, fcntl(c->pty.master, F_GETFL) | O_NONBLOCK);
	while (copy_once(c->pty.master, STDOUT_FILENO)) {
		struct pollfd p = { .fd = c->pty.master, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0)
			break;
	}
}

int rt_container_wait(struct rt_container *c)
{
	sigset_t set;
	const struct rt_process *p = &c->spec->process;

	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	autoclose int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	struct wait_fds w = {
		.sfd = sfd,
		.master = c->pty.master,
		.in = c->pty.master >= 0 && p->stdin_open ? STDIN_FILENO : -1,
	};
	if (w.in >= 0)
		rt_pty_raw(&c->pty);
	reap(c, WNOHANG);
	while (!c->reaped && sfd >= 0)
		wait_step(c, &w);
	if (!c->reaped)
		reap(c, 0); /* no signalfd: wait without forwarding */
	drain_pty(c);
	rt_pty_close(&c->pty);
	return rt_exit_code(c->wstatus);
}
