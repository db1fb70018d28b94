/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Whose view: the anchor of a reader, the daemon's rule (fs/anchor.h).
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
 *     (last entry 1).  If not, cgroup/'s cg_pid_from_ns(nsfd, 1) finds
 *     it (on those kernels with a forked helper in the namespace that
 *     sends SCM_CREDENTIALS, the kernel translating the pid).  This
 *     forks: callers should cache anchors per pid namespace inode
 *     (reader.c does).
 *
 * The anchor is then pinned with a pidfd (anchor_open).  The pidfd is
 * opened after the anchor pid is found, so it is trusted only once
 * anchor_check() has seen that its process is the init of the reader's
 * pid namespace and alive.  The /proc files are read through cgroup/
 * (cg_proc_nspid, cg_proc_starttime), under the layout's procfs.
 */
#include "fs/anchor.h"
#include "fs/testing.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_TGID_FROM_PIDNS
#define NS_GET_TGID_FROM_PIDNS _IOR(NSIO, 0x7, int)
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* ---- the rule ----------------------------------------------------- */

/* "@op <procfs>/@rel: <strerror>", CG_ERROR_NOENT for a gone process. */
static void set_proc_errno(GError **err, int errnum, const char *op,
			   const struct cg_layout *l, const char *rel)
{
	int code = (errnum == ENOENT || errnum == ESRCH) ? CG_ERROR_NOENT
							 : CG_ERROR_IO;

	g_set_error(err, CG_ERROR, code, "%s %s/%s: %s", op, l->procfs, rel,
		    g_strerror(errnum));
}

bool pidns_of(const struct cg_layout *l, pid_t pid, uint64_t *ns,
	      GError **err)
{
	char rel[64];
	struct stat st;

	g_snprintf(rel, sizeof(rel), "%d/ns/pid", (int)pid);
	if (fstatat(l->procfd, rel, &st, 0) < 0) {
		set_proc_errno(err, errno, "reading", l, rel);
		return false;
	}
	*ns = st.st_ino;
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
		set_proc_errno(err, errno, "opening", l, rel);
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
	ok = cg_proc_nspid(l, reader, &inner, err);
	if (ok && inner == 1)
		*anchor = reader;
	else if (ok && (r = cg_pid_from_ns(fd, 1, anchor)) != 0) {
		g_set_error(err, CG_ERROR, r == ESRCH ? CG_ERROR_NOENT : CG_ERROR_IO,
			    "finding pid 1 of the pid namespace of pid %d: %s", (int)reader,
			    g_strerror(r));
		ok = false;
	}
	close(fd);
	return ok;
}

bool anchor_find(const struct cg_layout *l, pid_t reader, pid_t *anchor,
		 uint64_t *reader_ns, GError **err)
{
	if (!pidns_of(l, reader, reader_ns, err))
		return false;
	if (l->self_pidns && *reader_ns == l->self_pidns) {
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

/* ---- pinning ------------------------------------------------------ */

bool pidfd_alive(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 0;
}

bool anchor_check(const struct cg_layout *l, int pidfd, pid_t anchor,
		  uint64_t reader_ns, GError **err)
{
	uint64_t ns = 0;
	int64_t inner = 1;

	if (!pidns_of(l, anchor, &ns, err))
		return false;
	if (ns != reader_ns) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "process %d is not in the reader's pid namespace "
			    "(pid:[%" G_GUINT64_FORMAT "], not pid:[%" G_GUINT64_FORMAT
			    "]): its pid was reused", (int)anchor, ns, reader_ns);
		return false;
	}
	if (reader_ns != l->self_pidns &&
	    (!cg_proc_nspid(l, anchor, &inner, err) || inner != 1)) {
		if (inner != 1)
			g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
				    "process %d is not the init of the reader's pid "
				    "namespace (pid %" G_GINT64_FORMAT " there)",
				    (int)anchor, inner);
		return false;
	}
	if (!pidfd_alive(pidfd)) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "process %d exited while being checked", (int)anchor);
		return false;
	}
	return true;
}

/* The thread-group leader of task @tid (0 if unknown). */
static pid_t task_tgid(const struct cg_layout *l, pid_t tid)
{
	char path[64];
	g_autofree char *text = NULL;
	uint64_t tgid;

	snprintf(path, sizeof(path), "%s/%d/status", l->procfs, tid);
	text = cg_read_file(path, NULL, NULL); /* gone: 0 */
	if (!text || !cg_status_u64(text, "Tgid", &tgid) || tgid > INT32_MAX)
		return 0;
	return (pid_t)tgid;
}

/*
 * A pidfd for @tid, which may be any thread of a process (FUSE reports the
 * reading thread): a thread pidfd where the kernel has them (6.9+), else
 * one of its thread-group leader, whose life bounds the thread's.
 */
static int pidfd_of_task(const struct cg_layout *l, pid_t tid)
{
	int fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	pid_t tgid;

	if (fd >= 0 || errno != EINVAL) /* EINVAL: no PIDFD_THREAD before 6.9 */
		return fd;
	fd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (fd >= 0 || (errno != EINVAL && errno != ENOENT)) /* not a leader */
		return fd;
	tgid = task_tgid(l, tid);
	if (tgid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return (int)syscall(SYS_pidfd_open, tgid, 0);
}

void (*view_test_before_pidfd)(pid_t *anchor);

/*
 * The anchor pid was found before the pidfd was opened: it may have
 * exited and its pid been reused in between, so the pidfd's process is
 * checked (anchor_check) before it is trusted.
 */
bool anchor_open(const struct cg_layout *l, pid_t reader, uint64_t ns,
		 struct anchor *a, GError **err)
{
	uint64_t reader_ns = 0;

	if (!anchor_find(l, reader, &a->pid, &reader_ns, err))
		return false;
	a->pidns_init = reader_ns != l->self_pidns;
	if (view_test_before_pidfd)
		view_test_before_pidfd(&a->pid);
	a->pidfd = pidfd_of_task(l, a->pid);
	if (a->pidfd < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "opening a pidfd for process %d: %s",
			    a->pid, g_strerror(errno));
		return false;
	}
	if (reader_ns != ns) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "reader %d changed pid namespace while being looked up", reader);
		return false;
	}
	if (!anchor_check(l, a->pidfd, a->pid, reader_ns, err))
		return false;
	return !a->pidns_init || cg_proc_starttime(l, a->pid, &a->start_ticks, err);
}

void anchor_close(struct anchor *a)
{
	if (a->pidfd >= 0)
		close(a->pidfd);
	a->pidfd = -1;
}
