/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pid and cgroup namespaces (cgroup/cgroup.h, "pid namespaces").
 *
 * Translating a pid between the daemon's pid namespace and a descendant:
 *  - linux >= 6.10: the nsfs ioctls NS_GET_PID_IN_PIDNS (a pid of the
 *    caller's namespace as the target namespace numbers it) and
 *    NS_GET_PID_FROM_PIDNS (the other way);
 *  - older kernels answer ENOTTY.  To a namespace: the NSpid line of
 *    /proc/PID/status lists the pid at each level from the daemon's
 *    namespace down to the task's own; walking the task's namespace up
 *    with NS_GET_PARENT (linux >= 4.9) until it is @nsfd gives the level.
 *    From a namespace: a forked helper enters it (setns CLONE_NEWPID
 *    applies to its children) and forks a sender that passes @vpid as
 *    SCM_CREDENTIALS (root may name any pid of its namespace); the kernel
 *    translates it into the receiver's namespace, or fails with ESRCH.
 * A cgroup namespace's view of /proc/PID/cgroup: a forked child enters
 * the namespace and reads the file (the kernel shows paths relative to
 * the reader's cgroup namespace).
 * The forked children run only async-signal-safe calls (the daemon is
 * multi-threaded), are killed after HELPER_TIMEOUT_MS and always reaped.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* nsfs ioctls (include/uapi/linux/nsfs.h); the pid translations came in
 * linux 6.10, after Debian 12's headers. */
#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(NSIO, 0x2)
#endif
#ifndef NS_GET_PID_FROM_PIDNS
#define NS_GET_PID_FROM_PIDNS _IOR(NSIO, 0x6, int)
#endif
#ifndef NS_GET_PID_IN_PIDNS
#define NS_GET_PID_IN_PIDNS _IOR(NSIO, 0x8, int)
#endif

#define HELPER_TIMEOUT_MS 2000
/* exit status of a helper whose sender got ESRCH from sendmsg */
#define EXIT_NO_SUCH_PID 3

bool cgi_pidns_no_ioctl;

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define autoclose __attribute__((cleanup(close_fd)))

/* 1 when ioctl @req is answered (*@out: its result, or 0 for ESRCH), 0
 * when the kernel lacks it (or the test switch is on). */
static int pid_ioctl(int nsfd, unsigned long req, pid_t pid, pid_t *out)
{
	int r;

	if (cgi_pidns_no_ioctl)
		return 0;
	r = ioctl(nsfd, req, (unsigned long)pid);
	if (r < 0 && (errno == ENOTTY || errno == EINVAL))
		return 0;
	*out = r > 0 ? r : 0;
	return 1;
}

/* ---- to a namespace: NSpid and the namespace's ancestry ------------ */

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

/* The "NSpid:" ids of /proc/@pid/status (the daemon's level first);
 * NULL when @pid is gone or the line is bad. */
static char **nspid_of(pid_t pid)
{
	char path[64];
	g_autofree char *text = NULL;
	const char *v;
	size_t len;

	g_snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	text = cg_read_file(path, NULL, NULL);
	v = text ? cg_status_field(text, "NSpid", &len) : NULL;
	if (!v)
		return NULL;
	g_autofree char *copy = g_strndup(v, len);

	return cgi_parse_words(copy);
}

/* The namespace is opened before the status is read: a pid reused in
 * between would pair another task's NSpid with it (a window of two
 * syscalls, as for any /proc lookup by pid). */
static pid_t to_ns_fallback(int nsfd, pid_t pid)
{
	char path[64];
	g_auto(GStrv) ids = NULL;
	autoclose int ns = -1;
	uint64_t v;
	guint n;

	g_snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	ids = ns >= 0 ? nspid_of(pid) : NULL;
	n = ids ? g_strv_length(ids) : 0;
	/* the task's own namespace is the last entry; each parent one up */
	for (guint up = 0; up < n; up++) {
		int parent;

		if (same_file(ns, nsfd)) {
			bool ok = cgi_parse_u64(ids[n - 1 - up], &v);

			return ok && v <= INT32_MAX ? (pid_t)v : 0;
		}
		parent = ioctl(ns, NS_GET_PARENT);
		if (parent < 0) /* EPERM: above the daemon's namespace */
			return 0;
		close(ns);
		ns = parent;
	}
	return 0;
}

pid_t cg_pid_to_ns(int nsfd, pid_t pid)
{
	pid_t out;

	if (pid <= 0)
		return 0;
	if (pid_ioctl(nsfd, NS_GET_PID_IN_PIDNS, pid, &out))
		return out;
	return to_ns_fallback(nsfd, pid);
}

/* ---- from a namespace: SCM_CREDENTIALS through a helper ------------ */

/* Async-signal-safe: sends one byte with @pid as SCM_CREDENTIALS. */
static int send_pid_cred(int sock, pid_t pid)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct ucred cred = { .pid = pid, .uid = getuid(), .gid = getgid() };
	char byte = 'p';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;

	memset(u.buf, 0, sizeof(u.buf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) == 1)
		return 0;
	return errno == ESRCH ? EXIT_NO_SUCH_PID : 1;
}

/* The forked helper: enters the namespace, forks the sender, passes its
 * exit status on. */
static G_GNUC_NORETURN void from_ns_helper(int nsfd, int sock, pid_t vpid)
{
	int status;
	pid_t g;

	if (setns(nsfd, CLONE_NEWPID) < 0)
		_exit(1);
	g = fork();
	if (g < 0)
		_exit(1);
	if (g == 0)
		_exit(send_pid_cred(sock, vpid));
	while (waitpid(g, &status, 0) < 0)
		if (errno != EINTR)
			_exit(1);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* Milliseconds left of a @start + HELPER_TIMEOUT_MS deadline. */
static int ms_left(gint64 start)
{
	gint64 left = HELPER_TIMEOUT_MS - (g_get_monotonic_time() - start) / 1000;

	return left > 0 ? (int)left : 0;
}

/* Waits for @fd to be readable (or at EOF) before the deadline. */
static bool wait_readable(int fd, gint64 start)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	while ((r = poll(&pfd, 1, ms_left(start))) < 0 && errno == EINTR)
		;
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0;
}

/* The pid one SCM_CREDENTIALS message carries: 1 with *@out, 0 at EOF
 * (no message), -1 with errno. */
static int recv_pid_cred(int sock, gint64 start, pid_t *out)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	struct ucred cred;
	ssize_t n;

	if (!wait_readable(sock, start))
		return -1;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n <= 0)
		return (int)n;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_CREDENTIALS) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
	*out = cred.pid > 0 ? cred.pid : 0;
	return 1;
}

/* Reaps @child (killed first when @kill_it); its exit status, or -1. */
static int reap(pid_t child, bool kill_it)
{
	int status;

	if (kill_it)
		kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool cred_pair(int sv[2])
{
	int one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return false;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == 0)
		return true;
	close(sv[0]);
	close(sv[1]);
	return false;
}

static int from_ns_fallback(int nsfd, pid_t vpid, pid_t *out)
{
	gint64 start = g_get_monotonic_time();
	int sv[2], got, saved, status;
	pid_t child;

	if (!cred_pair(sv))
		return errno;
	child = fork();
	if (child == 0)
		from_ns_helper(nsfd, sv[1], vpid);
	saved = errno;
	close(sv[1]);
	if (child < 0) {
		close(sv[0]);
		return saved;
	}
	got = recv_pid_cred(sv[0], start, out);
	saved = errno;
	close(sv[0]);
	status = reap(child, got < 0);
	if (got == 1)
		return *out > 0 ? 0 : ESRCH;
	if (got < 0)
		return saved;
	return status == EXIT_NO_SUCH_PID ? ESRCH : ECHILD;
}

int cg_pid_from_ns(int nsfd, pid_t vpid, pid_t *out)
{
	pid_t pid = 0;
	int r;

	if (vpid <= 0)
		return ESRCH;
	if (pid_ioctl(nsfd, NS_GET_PID_FROM_PIDNS, vpid, &pid))
		r = pid > 0 ? 0 : ESRCH;
	else
		r = from_ns_fallback(nsfd, vpid, &pid);
	if (r == 0)
		*out = pid;
	return r;
}

/* ---- /proc/PID/cgroup inside a cgroup namespace -------------------- */

/* The forked reader: async-signal-safe only, no allocation.  Exits with
 * 0 or the errno that stopped it. */
static G_GNUC_NORETURN void cgns_reader(int nsfd, const char *path, int out)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if (setns(nsfd, CLONE_NEWCGROUP) < 0)
		_exit(errno & 0xff);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(errno & 0xff);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(n < 0 ? errno & 0xff : 0);
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno != EINTR)
				_exit(errno & 0xff);
			off += w > 0 ? w : 0;
		}
	}
}

/* Reads @fd until EOF before the deadline into @text; 0 or an errno. */
static int read_pipe(int fd, gint64 start, GString *text)
{
	char buf[4096];

	for (;;) {
		ssize_t n;

		if (!wait_readable(fd, start))
			return errno;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : 0;
		g_string_append_len(text, buf, n);
	}
}

/* Forks the reader of @path in the cgroup namespace @nsfd; 0 or errno. */
static int cgns_read(int nsfd, const char *path, GString *text)
{
	gint64 start = g_get_monotonic_time();
	int p[2], r, status;
	pid_t child;

	if (pipe2(p, O_CLOEXEC) < 0)
		return errno;
	child = fork();
	if (child == 0)
		cgns_reader(nsfd, path, p[1]);
	r = errno;
	close(p[1]);
	if (child < 0) {
		close(p[0]);
		return r;
	}
	r = read_pipe(p[0], start, text);
	close(p[0]);
	status = reap(child, r != 0);
	if (r == 0 && status != 0)
		r = status > 0 ? status : ECHILD;
	return r;
}

char *cg_cgns_proc_cgroup(pid_t pid, GError **err)
{
	g_autofree char *base = g_strdup_printf("/proc/%d", (int)pid);
	g_autofree char *path = g_strconcat(base, "/cgroup", NULL);
	g_autofree char *ns = g_strconcat(base, "/ns/cgroup", NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	autoclose int nsfd = open(ns, O_RDONLY | O_CLOEXEC);
	int r;

	if (nsfd < 0) {
		cgi_set_errno(err, errno, "opening", base, "ns/cgroup");
		return NULL;
	}
	r = cgns_read(nsfd, path, text);
	if (r != 0) {
		cgi_set_errno(err, r, "reading in its cgroup namespace", base,
			      "cgroup");
		return NULL;
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}
