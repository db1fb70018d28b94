/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container rule.
 *
 * A reader's container is the cgroup of the init process (pid 1) of the
 * reader's pid namespace; a reader in the daemon's own pid namespace is
 * its own container.  So:
 *
 *  1. stat <procfs>/READER/ns/pid: same inode as the daemon's own pid
 *     namespace (read once at cg_layout_open) -> anchor = READER.
 *  2. Otherwise ask the kernel for pid 1 of that namespace as seen from
 *     ours: ioctl(nsfd, NS_GET_TGID_FROM_PIDNS, 1) (linux >= 6.10).
 *  3. Older kernels answer ENOTTY/EINVAL.  Then the NSpid line of
 *     /proc/READER/status says whether the reader is itself that init
 *     (last entry 1).  If not, a forked helper enters the namespace
 *     (setns CLONE_NEWPID applies to its children) and forks a grandchild
 *     that sends SCM_CREDENTIALS with pid 1 over a socketpair: the kernel
 *     translates the pid into the receiver's namespace.  Both helpers are
 *     reaped; a 2 s timeout kills a stuck helper.  This forks: callers
 *     should cache anchors per pid namespace inode.
 *
 * Start times come from field 22 of /proc/PID/stat.
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
#include <unistd.h>

#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_TGID_FROM_PIDNS
#define NS_GET_TGID_FROM_PIDNS _IOR(NSIO, 0x7, int)
#endif

#define HELPER_TIMEOUT_MS 2000

/* ---- fork fallback ------------------------------------------------ */

/* In the grandchild (inside the namespace): only async-signal-safe
 * calls, the daemon may be multi-threaded. */
static void send_init_cred(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct ucred cred = { .pid = 1, .uid = getuid(), .gid = getgid() };
	char byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	memset(u.buf, 0, sizeof(u.buf));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	_exit(sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : 1);
}

/* In the child: enter the namespace, fork the sender, reap it. */
static void helper_main(int nsfd, int sock)
{
	pid_t g;
	int status;

	if (setns(nsfd, CLONE_NEWPID) < 0)
		_exit(1);
	g = fork();
	if (g < 0)
		_exit(1);
	if (g == 0)
		send_init_cred(sock);
	while (waitpid(g, &status, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

/* Receives the translated pid; false with errno on failure/timeout. */
static bool recv_init_cred(int sock, pid_t *out)
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
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct cmsghdr *cm;
	struct ucred cred;
	ssize_t n;
	int r;

	while ((r = poll(&pfd, 1, HELPER_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (r <= 0) {
		errno = r == 0 ? ETIMEDOUT : errno;
		return false;
	}
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n != 1) {
		if (n >= 0) /* EOF: the helper died without sending */
			errno = ECHILD;
		return false;
	}
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_CREDENTIALS) {
		errno = EPROTO;
		return false;
	}
	memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
	if (cred.pid <= 0) { /* init not visible from here */
		errno = ESRCH;
		return false;
	}
	*out = cred.pid;
	return true;
}

static void reap(pid_t child, bool kill_it)
{
	if (kill_it)
		kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
}

static bool open_pair(int sv[2], GError **err)
{
	int one = 1, saved;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		saved = errno;
	} else if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one,
			      sizeof(one)) < 0) {
		saved = errno;
		close(sv[0]);
		close(sv[1]);
	} else {
		return true;
	}
	g_set_error(err, CG_ERROR, CG_ERROR_IO,
		    "creating a socketpair for a pid namespace helper: %s",
		    g_strerror(saved));
	return false;
}

bool cgi_ns_init_by_fork(int nsfd, pid_t *out, GError **err)
{
	int sv[2], saved;
	pid_t child;
	bool ok;

	if (!open_pair(sv, err))
		return false;
	child = fork();
	if (child == 0) {
		close(sv[0]);
		helper_main(nsfd, sv[1]);
	}
	saved = errno;
	close(sv[1]);
	if (child < 0) {
		close(sv[0]);
		g_set_error(err, CG_ERROR, CG_ERROR_IO,
			    "forking a pid namespace helper: %s",
			    g_strerror(saved));
		return false;
	}
	ok = recv_init_cred(sv[0], out);
	saved = errno;
	close(sv[0]);
	reap(child, !ok);
	if (!ok)
		g_set_error(err, CG_ERROR,
			    saved == ESRCH ? CG_ERROR_NOENT : CG_ERROR_IO,
			    "finding pid 1 of a pid namespace with a helper: %s",
			    saved == ECHILD ? "the helper could not enter it"
					    : g_strerror(saved));
	return ok;
}

/* ---- the rule ----------------------------------------------------- */

/* Last entry of the NSpid line of /proc/PID/status: the pid in its own
 * namespace (1 for that namespace's init). */
static bool nspid_innermost(const struct cg_layout *l, pid_t pid,
			    int64_t *out, GError **err)
{
	g_autofree char *text = NULL;
	const char *line, *last;
	g_autofree char *copy = NULL;

	if (!cgi_read_proc(l, pid, "status", &text, err))
		return false;
	line = strstr(text, "\nNSpid:");
	if (!line) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE,
			    "%s/%d/status has no NSpid line", l->procfs,
			    (int)pid);
		return false;
	}
	copy = g_strndup(line + 7, strcspn(line + 7, "\n"));
	g_strstrip(copy);
	last = strrchr(copy, '\t');
	last = last ? last + 1 : copy;
	if (!cgi_parse_i64(last, out)) {
		g_autofree char *rel = g_strdup_printf("%d/status", (int)pid);

		cgi_set_parse(err, l->procfs, rel, "bad NSpid line");
		return false;
	}
	return true;
}

/* pid 1 of the pid namespace of @reader, as seen from the daemon. */
static bool ns_init_of(const struct cg_layout *l, pid_t reader, pid_t *anchor,
		       GError **err)
{
	char rel[64];
	int64_t inner;
	int fd, r, saved;
	bool ok;

	g_snprintf(rel, sizeof(rel), "%d/ns/pid", (int)reader);
	fd = openat(l->procfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cgi_set_errno(err, errno, "opening", l->procfs, rel);
		return false;
	}
	r = ioctl(fd, NS_GET_TGID_FROM_PIDNS, 1);
	saved = errno;
	if (r > 0 || (saved != ENOTTY && saved != EINVAL)) {
		close(fd);
		if (r > 0)
			*anchor = r;
		else
			g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
				    "finding pid 1 of the pid namespace of pid "
				    "%d: %s", (int)reader, g_strerror(saved));
		return r > 0;
	}
	/* linux < 6.10 */
	ok = nspid_innermost(l, reader, &inner, err);
	if (ok && inner == 1)
		*anchor = reader;
	else if (ok)
		ok = cgi_ns_init_by_fork(fd, anchor, err);
	close(fd);
	return ok;
}

bool cg_container_anchor(const struct cg_layout *l, pid_t reader,
			 pid_t *anchor, uint64_t *pidns, GError **err)
{
	char rel[64];
	struct stat st;

	g_snprintf(rel, sizeof(rel), "%d/ns/pid", (int)reader);
	if (fstatat(l->procfd, rel, &st, 0) < 0) {
		cgi_set_errno(err, errno, "reading", l->procfs, rel);
		return false;
	}
	*pidns = st.st_ino;
	if (l->self_pidns && st.st_ino == l->self_pidns) {
		*anchor = reader;
		return true;
	}
	if (!l->self_pidns) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "the daemon's pid namespace is unknown (%s/self)",
			    l->procfs);
		return false;
	}
	return ns_init_of(l, reader, anchor, err);
}

/* The pid namespace inode of @pid. */
static bool pidns_inode(const struct cg_layout *l, pid_t pid, uint64_t *ino,
			GError **err)
{
	char rel[64];
	struct stat st;

	g_snprintf(rel, sizeof(rel), "%d/ns/pid", (int)pid);
	if (fstatat(l->procfd, rel, &st, 0) < 0) {
		cgi_set_errno(err, errno, "reading", l->procfs, rel);
		return false;
	}
	*ino = st.st_ino;
	return true;
}

static bool pidfd_live(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 0;
}

bool cg_anchor_check(const struct cg_layout *l, int pidfd, pid_t anchor,
		     uint64_t reader_ns, GError **err)
{
	uint64_t ns = 0;
	int64_t inner = 1;

	if (!pidns_inode(l, anchor, &ns, err))
		return false;
	if (ns != reader_ns) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "process %d is not in the reader's pid namespace "
			    "(pid:[%" G_GUINT64_FORMAT "], not pid:[%" G_GUINT64_FORMAT
			    "]): its pid was reused", (int)anchor, ns, reader_ns);
		return false;
	}
	if (reader_ns != l->self_pidns &&
	    (!nspid_innermost(l, anchor, &inner, err) || inner != 1)) {
		if (inner != 1)
			g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
				    "process %d is not the init of the reader's pid "
				    "namespace (pid %" G_GINT64_FORMAT " there)",
				    (int)anchor, inner);
		return false;
	}
	if (!pidfd_live(pidfd)) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "process %d exited while being checked", (int)anchor);
		return false;
	}
	return true;
}

bool cg_proc_starttime(const struct cg_layout *l, pid_t pid, uint64_t *ticks,
		       GError **err)
{
	g_autofree char *text = NULL;
	char state;

	if (!cgi_read_proc(l, pid, "stat", &text, err))
		return false;
	if (!cgi_parse_pid_stat(text, &state, ticks)) {
		g_autofree char *rel = g_strdup_printf("%d/stat", (int)pid);

		cgi_set_parse(err, l->procfs, rel, "no start time");
		return false;
	}
	return true;
}

/* ---- start time of a cgroup --------------------------------------- */

struct start_ctx {
	const struct cg_layout *l;
	uint64_t min;
	bool found;
};

static bool visit_start(const struct cg_hier *h, const char *rel, void *ctx,
			GError **err)
{
	struct start_ctx *s = ctx;
	g_autofree char *file = cgi_join(rel, "cgroup.procs");
	g_autofree char *text = NULL;
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));

	if (!cgi_read_at(h->dirfd, h->mountpoint, file, &text, err))
		return false;
	if (!cgi_parse_idlist(text, pids)) {
		cgi_set_parse(err, h->mountpoint, file, "not a list of pids");
		return false;
	}
	for (guint i = 0; i < pids->len; i++) {
		uint64_t t;

		/* a process that exited meanwhile is skipped */
		if (!cg_proc_starttime(s->l, g_array_index(pids, pid_t, i), &t,
				       NULL))
			continue;
		if (!s->found || t < s->min)
			s->min = t;
		s->found = true;
	}
	return true;
}

bool cg_cgroup_starttime(const struct cg_layout *l, const struct cg_paths *p,
			 uint64_t *ticks, GError **err)
{
	int c = cgi_task_ctrl(l, p);
	struct start_ctx s = { .l = l };

	if (c < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "no cgroup hierarchy to list processes");
		return false;
	}
	if (!*p->path[c]) { /* the root cgroup started at boot */
		*ticks = 0;
		return true;
	}
	if (!cgi_walk_subtree(cg_layout_hier(l, c), p->path[c], visit_start,
			      &s, err))
		return false;
	if (!s.found) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "cgroup %s/%s has no processes",
			    cg_layout_hier(l, c)->mountpoint, p->path[c]);
		return false;
	}
	*ticks = s.min;
	return true;
}
