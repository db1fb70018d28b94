/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who is reading, and what do they see.
 *
 * Two caches make the read path cheap:
 *
 *  - readers: reader identity -> the anchor process of its container
 *    (cgroup/cgroup.h: the init of the reader's pid namespace, or the
 *    reader itself in the daemon's pid namespace).  The key is the pid
 *    namespace inode, or the pid for readers in the daemon's namespace.
 *    Each entry holds a pidfd of its anchor: while the anchor lives, its pid
 *    cannot be recycled and its namespace's inode cannot be reused, so a
 *    live entry can never hand another container's view to a reader.  The
 *    pidfd is opened after the anchor pid is found, so it is trusted only
 *    once cg_anchor_check() has seen that its process is the init of the
 *    reader's pid namespace and alive.  A dead anchor (one poll() on the
 *    pidfd per request) drops the entry.
 *
 *  - cgviews: the anchor's cgroup paths -> the numbers read from that
 *    cgroup, each part re-read when older than its period.  Limits and
 *    usage are at most PART_TTL_US old, so a changed limit shows within
 *    100 ms.  Readers of one container share one cgview.
 *
 * Per read on a warm cache: one stat() of /proc/PID/ns/pid, one poll(), two
 * hash lookups and the renderer.
 *
 * Ownership and locks.  Everything a reader looks at is an immutable,
 * reference-counted snapshot swapped by pointer: a cgview's parts (struct
 * part), its rendered files (struct rendered), the host data (host.c).  A
 * thread takes references under a tiny lock, drops the lock, and then reads
 * files, renders and copies with no lock held.  Each part has a
 * `refreshing` flag (compare-and-swap, never waited for): one thread
 * re-reads a stale part while the others keep using the previous snapshot.
 * The locks, none held across I/O, rendering or a call into host.c:
 *
 *   tables_lock   readers and cgviews hash tables (poll() of a pidfd and
 *                 the final close() of a dropped reader's pidfd may run
 *                 under it; no file is read)
 *   reader.lock   reader.cg (pointer swap and reference)
 *   cgview.lock   cgview.part[] and cgview.rendered[] (swap and reference)
 *   cgview.la_lock  the load average numbers
 *
 * No code path holds two of them at once: every lock is a leaf (host.c's
 * snap_lock and log.c's ratelimit_lock too; nothing logs under a lock).
 * Anything read under a lock is a pointer or a number.  The one documented
 * order: fs/ops.c's per-open-file lock (open_file.lock) is held around a
 * whole render of that open file, so it comes before all of these; it only
 * serializes concurrent reads of one open file description.
 */
#include "fs/fs.h"
#include "fs/testing.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PART_TTL_US ((gint64)50 * 1000)            /* limits, usage, CPU time */
/* A rendered file is reused for RENDER_TTL_US; it was made from parts at
 * most PART_TTL_US old: a changed limit shows within 90 ms. */
#define RENDER_TTL_US ((gint64)40 * 1000)
#define TASKS_TTL_US ((gint64)1 * G_USEC_PER_SEC)   /* task walk: procs_running */
#define START_TTL_US ((gint64)1 * G_USEC_PER_SEC)   /* host-ns reader's cgroup start */
#define PATHS_TTL_US ((gint64)100 * 1000)           /* anchor moved to another cgroup */
#define READER_IDLE_US ((gint64)60 * G_USEC_PER_SEC)  /* drop idle readers (frees the pidfd) */
#define CGVIEW_IDLE_US ((gint64)600 * G_USEC_PER_SEC) /* stop sampling load averages */
#define MAX_READERS 8192                      /* each holds one pidfd */
#define HOST_KEY_BIT ((uint64_t)1 << 63)

enum part_id {
	P_MEM,
	P_CPU,
	P_CPUTIME,
	P_BLKIO,
	P_PSI_CPU,
	P_PSI_MEM,
	P_PSI_IO,
	P_TASKS,
	P_START,
	P_N
};
G_STATIC_ASSERT(P_TASKS == VIEW_TEST_PART_TASKS);

/* One part of a container's numbers, as read at @at: immutable once
 * published. */
struct part {
	gint refs;
	enum part_id kind;
	gint64 at; /* monotonic us of the read */
	union {
		struct cg_memory mem;
		struct {
			struct cg_cpu cpu;
			struct cg_cpuset cpuset;
		} cpu;
		struct cg_cputime cputime;
		struct cg_blkio blkio;
		struct cg_psi psi;
		struct cg_tasks tasks;
		uint64_t start_ticks;
	} u;
};

/* A rendered file, reused while younger than RENDER_TTL_US; uptime and
 * stat also depend on the reader's start (@start).  Immutable. */
struct rendered {
	gint refs;
	gint64 at;
	uint64_t start;
	GString *text;
};

struct cgview {
	gint refs;
	char *key;                /* immutable: */
	struct cg_paths paths;
	bool host_root; /* the root cgroup everywhere: the host itself */
	GMutex lock;              /* part[], rendered[]: swaps and references */
	struct part *part[P_N];
	struct rendered *rendered[F_NFILES];
	gint refreshing[P_N];     /* atomic: one thread re-reads a part */
	GMutex la_lock;           /* la, la_valid */
	struct loadavg la;
	bool la_valid;
	gint64 last_access; /* atomic */
};

struct reader {
	gint refs;
	uint64_t key;            /* immutable once published: */
	int pidfd;       /* of the anchor */
	pid_t anchor;
	bool pidns_init; /* anchor is the init of a pid namespace */
	uint64_t start_ticks;
	GMutex lock;     /* cg: swap and reference */
	struct cgview *cg;
	gint binding;    /* atomic: one thread re-reads the anchor's cgroup */
	gint64 paths_at; /* atomic */
	gint64 last_access; /* atomic */
};

struct view {
	struct reader *r;
	struct cgview *cg;
};

static struct cg_layout layout;
static struct fs_config config;
static uint64_t self_pidns;
static GRWLock tables_lock; /* readers and cgviews */
static GHashTable *readers; /* uint64 key -> struct reader* (one ref) */
static GHashTable *cgviews; /* char *key -> struct cgview* (one ref) */

/* ------------------------------------------------------------ cgviews */

static char *paths_key(const struct cg_paths *p)
{
	GString *s = g_string_new(NULL);

	for (int c = 0; c < CG_NCTRL; c++)
		g_string_append_printf(s, "%s\n", p->path[c] ? p->path[c] : "-");
	return g_string_free(s, FALSE);
}

static struct part *part_ref(struct part *p)
{
	if (p)
		g_atomic_int_inc(&p->refs);
	return p;
}

static void part_unref(struct part *p)
{
	if (!p || !g_atomic_int_dec_and_test(&p->refs))
		return;
	if (p->kind == P_CPUTIME)
		cg_cputime_clear(&p->u.cputime);
	else if (p->kind == P_BLKIO)
		cg_blkio_clear(&p->u.blkio);
	g_free(p);
}

static struct rendered *rendered_ref(struct rendered *r)
{
	if (r)
		g_atomic_int_inc(&r->refs);
	return r;
}

static void rendered_unref(struct rendered *r)
{
	if (!r || !g_atomic_int_dec_and_test(&r->refs))
		return;
	g_string_free(r->text, TRUE);
	g_free(r);
}

static struct cgview *cgview_ref(struct cgview *c)
{
	g_atomic_int_inc(&c->refs);
	return c;
}

static void cgview_unref(struct cgview *c)
{
	if (!c || !g_atomic_int_dec_and_test(&c->refs))
		return;
	for (int f = 0; f < F_NFILES; f++)
		rendered_unref(c->rendered[f]);
	for (int p = 0; p < P_N; p++)
		part_unref(c->part[p]);
	cg_paths_clear(&c->paths);
	g_mutex_clear(&c->lock);
	g_mutex_clear(&c->la_lock);
	g_free(c->key);
	g_free(c);
}

static bool paths_all_root(const struct cg_paths *p)
{
	for (int c = 0; c < CG_NCTRL; c++) {
		if (p->path[c] && *p->path[c])
			return false;
	}
	return true;
}

static struct cgview *cgview_new(const struct cg_paths *paths, char *key)
{
	struct cgview *c = g_new0(struct cgview, 1);

	c->refs = 1;
	c->key = key;
	cg_paths_copy(&c->paths, paths);
	c->host_root = paths_all_root(paths);
	g_mutex_init(&c->lock);
	g_mutex_init(&c->la_lock);
	return c;
}

/* The shared cgview of @paths, created on first use. */
static struct cgview *cgview_lookup(const struct cg_paths *paths)
{
	g_autofree char *key = paths_key(paths);
	struct cgview *c;

	g_rw_lock_writer_lock(&tables_lock);
	c = g_hash_table_lookup(cgviews, key);
	if (!c) {
		c = cgview_new(paths, g_steal_pointer(&key));
		g_hash_table_insert(cgviews, c->key, c);
	}
	cgview_ref(c);
	g_rw_lock_writer_unlock(&tables_lock);
	return c;
}

/* ---------------------------------------------------------- the parts */

static bool read_mem(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_memory(&layout, &c->paths, &p->u.mem, err);
}

static bool read_cpu(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_cpu(&layout, &c->paths, &p->u.cpu.cpu, err) &&
	       cg_read_cpuset(&layout, &c->paths, &p->u.cpu.cpuset, err);
}

static bool read_cputime(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_cputime(&layout, &c->paths, &p->u.cputime, err);
}

static bool read_blkio(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_blkio(&layout, &c->paths, &p->u.blkio, err);
}

static bool read_psi_cpu(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_psi(&layout, &c->paths, CG_PSI_CPU, &p->u.psi, err);
}

static bool read_psi_mem(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_psi(&layout, &c->paths, CG_PSI_MEMORY, &p->u.psi, err);
}

static bool read_psi_io(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_psi(&layout, &c->paths, CG_PSI_IO, &p->u.psi, err);
}

static bool read_tasks(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_tasks(&layout, &c->paths, &p->u.tasks, err);
}

static bool read_start(const struct cgview *c, struct part *p, GError **err)
{
	return cg_cgroup_starttime(&layout, &c->paths, &p->u.start_ticks, err);
}

static const struct {
	bool (*read)(const struct cgview *c, struct part *p, GError **err);
	gint64 ttl;
} parts[P_N] = {
	[P_MEM] = { read_mem, PART_TTL_US },
	[P_CPU] = { read_cpu, PART_TTL_US },
	[P_CPUTIME] = { read_cputime, PART_TTL_US },
	[P_BLKIO] = { read_blkio, PART_TTL_US },
	[P_PSI_CPU] = { read_psi_cpu, PART_TTL_US },
	[P_PSI_MEM] = { read_psi_mem, PART_TTL_US },
	[P_PSI_IO] = { read_psi_io, PART_TTL_US },
	[P_TASKS] = { read_tasks, TASKS_TTL_US },
	[P_START] = { read_start, START_TTL_US },
};

void (*view_test_before_part_read)(int part);

/* A new snapshot of part @kind, read with no lock held.  The task walk
 * carries its fork count from the snapshot @prev it replaces (cg_read_tasks
 * reads its previous walk from @out: docs/proc-stat.md), so /proc/stat's
 * "processes" never goes down. */
static struct part *part_read(const struct cgview *c, enum part_id kind,
			      const struct part *prev, GError **err)
{
	struct part *p = g_new0(struct part, 1);

	if (kind == P_TASKS && prev)
		p->u.tasks = prev->u.tasks;

	if (view_test_before_part_read)
		view_test_before_part_read((int)kind);

	p->refs = 1;
	p->kind = kind;
	p->at = g_get_monotonic_time();
	if (!parts[kind].read(c, p, err)) {
		part_unref(p);
		return NULL;
	}
	return p;
}

/* A reference on the current snapshot of part @kind (NULL if never read). */
static struct part *part_current(struct cgview *c, enum part_id kind)
{
	struct part *p;

	g_mutex_lock(&c->lock);
	p = part_ref(c->part[kind]);
	g_mutex_unlock(&c->lock);
	return p;
}

/* Publish @p unless a newer snapshot is already there.  Keeps the
 * caller's reference. */
static void part_publish(struct cgview *c, struct part *p)
{
	struct part *old;

	g_mutex_lock(&c->lock);
	old = c->part[p->kind];
	if (!old || old->at <= p->at)
		c->part[p->kind] = part_ref(p);
	else
		old = NULL;
	g_mutex_unlock(&c->lock);
	part_unref(old);
}

/*
 * A reference on a snapshot of part @kind no older than its period, read
 * now if needed.  When another thread is already re-reading it, the
 * previous snapshot is used; only a part never read is read by every
 * thread that needs it.
 */
static struct part *part_get(struct cgview *c, enum part_id kind, GError **err)
{
	struct part *cur = part_current(c, kind);
	struct part *fresh;
	bool mine;

	if (cur && g_get_monotonic_time() - cur->at < parts[kind].ttl)
		return cur;
	mine = g_atomic_int_compare_and_exchange(&c->refreshing[kind], 0, 1);
	if (cur && !mine)
		return cur;
	fresh = part_read(c, kind, cur, err);
	if (mine)
		g_atomic_int_set(&c->refreshing[kind], 0);
	part_unref(cur);
	if (fresh)
		part_publish(c, fresh);
	return fresh;
}

/* References on the parts a file needs. */
struct partset {
	struct part *p[P_N];
};

static void partset_clear(struct partset *s)
{
	for (int p = 0; p < P_N; p++)
		g_clear_pointer(&s->p[p], part_unref);
}

static bool partset_get(struct cgview *c, unsigned mask, struct partset *s, GError **err)
{
	for (int p = 0; p < P_N; p++) {
		if (!(mask & (1u << p)))
			continue;
		s->p[p] = part_get(c, (enum part_id)p, err);
		if (!s->p[p]) {
			partset_clear(s);
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------------ readers */

static bool pidfd_alive(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 0;
}

static bool pidns_of(pid_t pid, uint64_t *ns, GError **err)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%d/ns/pid", layout.procfs, pid);
	if (stat(path, &st) < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "reader %d: %s: %s", pid, path,
			    g_strerror(errno));
		return false;
	}
	*ns = st.st_ino;
	return true;
}

static struct reader *reader_ref(struct reader *r)
{
	g_atomic_int_inc(&r->refs);
	return r;
}

static void reader_unref(struct reader *r)
{
	if (!r || !g_atomic_int_dec_and_test(&r->refs))
		return;
	if (r->pidfd >= 0)
		close(r->pidfd);
	cgview_unref(r->cg);
	g_mutex_clear(&r->lock);
	g_free(r);
}

/* Swap r->cg to the cgview of @paths if it changed. */
static void reader_set_cg(struct reader *r, const struct cg_paths *paths)
{
	struct cgview *old, *fresh;

	g_mutex_lock(&r->lock);
	old = r->cg ? cgview_ref(r->cg) : NULL;
	g_mutex_unlock(&r->lock);
	if (old && cg_paths_equal(paths, &old->paths)) {
		cgview_unref(old);
		return;
	}
	cgview_unref(old);
	fresh = cgview_lookup(paths); /* takes tables_lock: not under r->lock */
	g_mutex_lock(&r->lock);
	old = r->cg;
	r->cg = fresh;
	g_mutex_unlock(&r->lock);
	cgview_unref(old);
}

/* Read the anchor's cgroup paths (no lock held) and bind them to its
 * cgview.  The pidfd check after the read proves the paths belong to the
 * pidfd's process. */
static bool reader_bind(struct reader *r, GError **err)
{
	struct cg_paths paths = { 0 };
	bool ok = cg_paths_of_pid(&layout, r->anchor, &paths, err);

	if (ok && !pidfd_alive(r->pidfd)) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "process %d exited while being looked up",
			    r->anchor);
		ok = false;
	}
	if (ok) {
		reader_set_cg(r, &paths);
		__atomic_store_n(&r->paths_at, g_get_monotonic_time(), __ATOMIC_RELEASE);
	}
	cg_paths_clear(&paths);
	return ok;
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* The thread-group leader of task @tid (0 if unknown). */
static pid_t task_tgid(pid_t tid)
{
	char path[64];
	g_autofree char *text = NULL;
	const char *line;

	snprintf(path, sizeof(path), "%s/%d/status", layout.procfs, tid);
	text = cg_read_file(path, NULL, NULL); /* gone: 0 */
	if (!text)
		return 0;
	line = strstr(text, "\nTgid:");
	return line ? (pid_t)strtol(line + 6, NULL, 10) : 0;
}

/*
 * A pidfd for @tid, which may be any thread of a process (FUSE reports the
 * reading thread): a thread pidfd where the kernel has them (6.9+), else
 * one of its thread-group leader, whose life bounds the thread's.
 */
static int pidfd_of_task(pid_t tid)
{
	int fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	pid_t tgid;

	if (fd >= 0 || errno != EINVAL) /* EINVAL: no PIDFD_THREAD before 6.9 */
		return fd;
	fd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (fd >= 0 || (errno != EINVAL && errno != ENOENT)) /* not a leader */
		return fd;
	tgid = task_tgid(tid);
	if (tgid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return (int)syscall(SYS_pidfd_open, tgid, 0);
}

void (*view_test_before_pidfd)(pid_t *anchor);

/*
 * Find the anchor of reader @pid (whose pid namespace is @ns) and pin it
 * with a pidfd.  The anchor pid was found before the pidfd was opened: it
 * may have exited and its pid been reused in between, so the pidfd's
 * process is checked (cg_anchor_check) before it is trusted.
 */
static bool reader_open_anchor(struct reader *r, pid_t pid, uint64_t ns, GError **err)
{
	uint64_t reader_ns = 0;

	if (!cg_container_anchor(&layout, pid, &r->anchor, &reader_ns, err))
		return false;
	r->pidns_init = reader_ns != self_pidns;
	if (view_test_before_pidfd)
		view_test_before_pidfd(&r->anchor);
	r->pidfd = pidfd_of_task(r->anchor);
	if (r->pidfd < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "opening a pidfd for process %d: %s",
			    r->anchor, g_strerror(errno));
		return false;
	}
	if (reader_ns != ns) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "reader %d changed pid namespace while being looked up", pid);
		return false;
	}
	if (!cg_anchor_check(&layout, r->pidfd, r->anchor, reader_ns, err))
		return false;
	if (r->pidns_init &&
	    !cg_proc_starttime(&layout, r->anchor, &r->start_ticks, err))
		return false;
	return reader_bind(r, err);
}

static struct reader *reader_new(pid_t pid, uint64_t key, uint64_t ns, GError **err)
{
	struct reader *r = g_new0(struct reader, 1);

	r->refs = 1;
	r->key = key;
	r->pidfd = -1;
	g_mutex_init(&r->lock);
	if (!reader_open_anchor(r, pid, ns, err)) {
		reader_unref(r);
		return NULL;
	}
	return r;
}

/* A cached, live reader for @key, with a reference; NULL if none.  The
 * liveness check (a syscall) runs outside the lock. */
static struct reader *reader_cached(uint64_t key)
{
	struct reader *r;

	g_rw_lock_reader_lock(&tables_lock);
	r = g_hash_table_lookup(readers, &key);
	if (r)
		reader_ref(r);
	g_rw_lock_reader_unlock(&tables_lock);
	if (!r || pidfd_alive(r->pidfd))
		return r;
	g_rw_lock_writer_lock(&tables_lock);
	if (g_hash_table_lookup(readers, &key) == r)
		g_hash_table_remove(readers, &key);
	g_rw_lock_writer_unlock(&tables_lock);
	reader_unref(r);
	return NULL;
}

/* Insert @r unless another thread was faster; returns the winner, ref'd. */
static struct reader *reader_insert(struct reader *r)
{
	struct reader *old;
	bool full;

	g_rw_lock_writer_lock(&tables_lock);
	old = g_hash_table_lookup(readers, &r->key);
	if (old && pidfd_alive(old->pidfd)) {
		reader_ref(old);
		g_rw_lock_writer_unlock(&tables_lock);
		reader_unref(r);
		return old;
	}
	full = g_hash_table_size(readers) >= MAX_READERS;
	if (!full)
		g_hash_table_insert(readers, &r->key, reader_ref(r));
	g_rw_lock_writer_unlock(&tables_lock);
	if (full) /* logged with no lock held: log.c has its own */
		log_warn_limited("%d readers cached: not caching more", MAX_READERS);
	return r;
}

static struct reader *reader_get(pid_t pid, GError **err)
{
	uint64_t ns, key;
	struct reader *r;

	if (!pidns_of(pid, &ns, err))
		return NULL;
	key = ns == self_pidns ? (HOST_KEY_BIT | (uint64_t)pid) : ns;
	r = reader_cached(key);
	if (!r) {
		r = reader_new(pid, key, ns, err);
		if (!r)
			return NULL;
		r = reader_insert(r);
	}
	__atomic_store_n(&r->last_access, g_get_monotonic_time(), __ATOMIC_RELAXED);
	return r;
}

/* --------------------------------------------------------------- views */

/* Re-read the anchor's cgroup when older than PATHS_TTL_US: one thread
 * does it, the others use the current binding meanwhile. */
static bool reader_rebind(struct reader *r, GError **err)
{
	bool ok = true;

	if (g_get_monotonic_time() - __atomic_load_n(&r->paths_at, __ATOMIC_ACQUIRE) <
	    PATHS_TTL_US)
		return true;
	if (!g_atomic_int_compare_and_exchange(&r->binding, 0, 1))
		return true;
	ok = reader_bind(r, err);
	g_atomic_int_set(&r->binding, 0);
	return ok;
}

struct view *view_get(pid_t pid, GError **err)
{
	struct reader *r = reader_get(pid, err);
	struct view *v;

	if (!r)
		return NULL;
	if (!reader_rebind(r, err)) {
		reader_unref(r);
		return NULL;
	}
	v = g_new(struct view, 1);
	v->r = r;
	g_mutex_lock(&r->lock);
	v->cg = cgview_ref(r->cg);
	g_mutex_unlock(&r->lock);
	__atomic_store_n(&v->cg->last_access, g_get_monotonic_time(), __ATOMIC_RELAXED);
	return v;
}

void view_put(struct view *v)
{
	if (!v)
		return;
	cgview_unref(v->cg);
	reader_unref(v->r);
	g_free(v);
}

pid_t view_test_anchor(const struct view *v)
{
	return v->r->anchor;
}

static const unsigned file_parts[F_NFILES] = {
	[F_MEMINFO] = 1u << P_MEM,
	[F_SWAPS] = 1u << P_MEM,
	[F_CPUINFO] = 1u << P_CPU,
	[F_CPU_ONLINE] = 1u << P_CPU,
	[F_CPU_POSSIBLE] = 1u << P_CPU,
	[F_CPU_PRESENT] = 1u << P_CPU,
	[F_STAT] = 1u << P_CPU | 1u << P_CPUTIME | 1u << P_TASKS,
	[F_UPTIME] = 1u << P_CPU | 1u << P_CPUTIME,
	[F_LOADAVG] = 1u << P_TASKS,
	[F_DISKSTATS] = 1u << P_BLKIO,
	[F_PSI_CPU] = 1u << P_PSI_CPU,
	[F_PSI_MEMORY] = 1u << P_PSI_MEM,
	[F_PSI_IO] = 1u << P_PSI_IO,
};

/* The parts file @id needs for @v's reader: uptime of a reader in the
 * daemon's namespace starts with its cgroup. */
static unsigned parts_of(const struct view *v, enum file_id id)
{
	unsigned mask = file_parts[id];

	if ((id == F_STAT || id == F_UPTIME) && !v->r->pidns_init)
		mask |= 1u << P_START;
	return mask;
}

/* Seconds the container has been up. */
static double view_uptime(const struct view *v, const struct partset *s,
			  const struct host_data *h)
{
	uint64_t start = v->r->pidns_init ? v->r->start_ticks : s->p[P_START]->u.start_ticks;
	double up = host_uptime() - (double)start / (double)h->clk_tck;

	return up < 0 ? 0 : up;
}

static void cpuview_of(const struct part *cpu, const struct host_data *h, struct cpuview *out)
{
	cpuview_compute(&cpu->u.cpu.cpuset, &cpu->u.cpu.cpu, &h->cpus, config.use_cpu_quota, out);
}

/* The first time a container's load is asked for, start its averages at the
 * current number of active tasks rather than at zero.  With la_lock. */
static void loadavg_seed(struct cgview *c, const struct cg_tasks *t)
{
	if (c->la_valid || !t->valid)
		return;
	for (int i = 0; i < 3; i++)
		c->la.avg[i] = t->nr_running + t->nr_blocked;
	c->la_valid = true;
}

static void render_load(struct cgview *c, const struct cg_tasks *t, GString *out)
{
	struct loadavg la;

	g_mutex_lock(&c->la_lock);
	loadavg_seed(c, t);
	la = c->la;
	g_mutex_unlock(&c->la_lock);
	render_loadavg(&la, t, out);
}

static void render_cpu_files(const struct view *v, enum file_id id, const struct partset *s,
			     const struct host_data *h, GString *out)
{
	g_autofree struct cpuview *cv = g_new(struct cpuview, 1);
	const struct cg_cputime *t;

	cpuview_of(s->p[P_CPU], h, cv);
	if (id == F_CPUINFO) {
		render_cpuinfo(cv, &h->cpuinfo->ci, out);
	} else if (id == F_STAT) {
		t = &s->p[P_CPUTIME]->u.cputime;
		render_stat(t, cv, &h->stat, view_uptime(v, s, h), &s->p[P_TASKS]->u.tasks, out);
	} else if (id == F_UPTIME) {
		t = &s->p[P_CPUTIME]->u.cputime;
		render_uptime(view_uptime(v, s, h), t->valid ? (double)t->usage_ns / 1e9 : 0,
			      cv->n, out);
	} else { /* online, possible, present */
		render_cpu_range(cv, out);
	}
}

/* Pure: parts and host data in, text out (the load average aside). */
static void render_parts(const struct view *v, enum file_id id, const struct partset *s,
			 const struct host_data *h, GString *out)
{
	switch (id) {
	case F_MEMINFO:
		render_meminfo(&s->p[P_MEM]->u.mem, &h->mem, out);
		break;
	case F_SWAPS:
		render_swaps(&s->p[P_MEM]->u.mem, &h->mem, out);
		break;
	case F_LOADAVG:
		render_load(v->cg, &s->p[P_TASKS]->u.tasks, out);
		break;
	case F_DISKSTATS:
		render_diskstats(&s->p[P_BLKIO]->u.blkio, &h->disks, out);
		break;
	case F_PSI_CPU:
		render_pressure(&s->p[P_PSI_CPU]->u.psi, out);
		break;
	case F_PSI_MEMORY:
		render_pressure(&s->p[P_PSI_MEM]->u.psi, out);
		break;
	case F_PSI_IO:
		render_pressure(&s->p[P_PSI_IO]->u.psi, out);
		break;
	default:
		render_cpu_files(v, id, s, h, out);
	}
}

/* A new rendering of @id for @v, made with no lock held. */
static struct rendered *render_new(const struct view *v, enum file_id id, uint64_t start,
				   GError **err)
{
	struct partset s = { { 0 } };
	const struct host_data *h;
	struct rendered *r;

	if (!partset_get(v->cg, parts_of(v, id), &s, err))
		return NULL;
	r = g_new0(struct rendered, 1);
	r->refs = 1;
	r->at = g_get_monotonic_time();
	r->start = start;
	r->text = g_string_sized_new(1024);
	h = host_snap_get();
	render_parts(v, id, &s, h, r->text);
	host_snap_unref(h);
	partset_clear(&s);
	return r;
}

/* Publish @r as the cached rendering of @id unless a newer one is there. */
static void rendered_publish(struct cgview *c, enum file_id id, struct rendered *r)
{
	struct rendered *old;

	g_mutex_lock(&c->lock);
	old = c->rendered[id];
	if (!old || old->at <= r->at)
		c->rendered[id] = rendered_ref(r);
	else
		old = NULL;
	g_mutex_unlock(&c->lock);
	rendered_unref(old);
}

/* A reference on a rendering of @id fresh enough for @v's reader. */
static struct rendered *render_cached(struct view *v, enum file_id id, GError **err)
{
	struct cgview *c = v->cg;
	uint64_t start = v->r->pidns_init ? v->r->start_ticks : UINT64_MAX;
	struct rendered *r;

	g_mutex_lock(&c->lock);
	r = rendered_ref(c->rendered[id]);
	g_mutex_unlock(&c->lock);
	if (r && g_get_monotonic_time() - r->at < RENDER_TTL_US && r->start == start)
		return r;
	rendered_unref(r);
	r = render_new(v, id, start, err);
	if (r)
		rendered_publish(c, id, r);
	return r;
}

bool view_render(struct view *v, enum file_id id, GString *out, GError **err)
{
	struct rendered *r;

	if (id == F_STATIC) {
		g_string_append(out, "corralfs\n");
		return true;
	}
	/* The root cgroup in every hierarchy is the host itself: its files are
	 * that container's view (and counting the root's tasks for loadavg
	 * would walk every task of the host). */
	if (v->cg->host_root)
		return host_render(id, out, err);
	if (id == F_CPU_OFFLINE) {
		g_string_append_c(out, '\n');
		return true;
	}
	r = render_cached(v, id, err);
	if (!r)
		return false;
	g_string_append_len(out, r->text->str, (gssize)r->text->len);
	rendered_unref(r);
	return true;
}

bool view_cpus(struct view *v, struct cpuview *out, GError **err)
{
	struct part *cpu = part_get(v->cg, P_CPU, err);
	const struct host_data *h;

	if (!cpu)
		return false;
	h = host_snap_get();
	cpuview_of(cpu, h, out);
	host_snap_unref(h);
	part_unref(cpu);
	return true;
}

/* --------------------------------------------------- host fallbacks */

static const char *const host_paths[F_NFILES] = {
	[F_MEMINFO] = "/proc/meminfo",
	[F_CPUINFO] = "/proc/cpuinfo",
	[F_STAT] = "/proc/stat",
	[F_UPTIME] = "/proc/uptime",
	[F_LOADAVG] = "/proc/loadavg",
	[F_DISKSTATS] = "/proc/diskstats",
	[F_SWAPS] = "/proc/swaps",
	[F_PSI_CPU] = "/proc/pressure/cpu",
	[F_PSI_MEMORY] = "/proc/pressure/memory",
	[F_PSI_IO] = "/proc/pressure/io",
	[F_CPU_ONLINE] = "/sys/devices/system/cpu/online",
	[F_CPU_POSSIBLE] = "/sys/devices/system/cpu/possible",
	[F_CPU_PRESENT] = "/sys/devices/system/cpu/present",
	[F_CPU_OFFLINE] = "/sys/devices/system/cpu/offline",
};

bool host_render(enum file_id id, GString *out, GError **err)
{
	g_autofree char *text = NULL;

	if (id == F_STATIC)
		return view_render(NULL, id, out, err);
	text = host_read_file(host_paths[id], err);
	if (!text)
		return false;
	g_string_append(out, text);
	return true;
}

/* -------------------------------------------------- background work */

static gboolean reader_expired(gpointer key, gpointer value, gpointer now)
{
	struct reader *r = value;

	(void)key;
	return !pidfd_alive(r->pidfd) ||
	       *(gint64 *)now - __atomic_load_n(&r->last_access, __ATOMIC_RELAXED) > READER_IDLE_US;
}

/* A fresh task walk for the sampler, read with no lock held and published;
 * when a reader is walking right now, the current snapshot (one walk at a
 * time keeps the fork count from going down). */
static struct part *tasks_sample(struct cgview *c, GError **err)
{
	struct part *cur, *t;

	if (!g_atomic_int_compare_and_exchange(&c->refreshing[P_TASKS], 0, 1)) {
		t = part_current(c, P_TASKS);
		if (!t)
			g_set_error(err, CG_ERROR, CG_ERROR_BUSY, "tasks of %s: first walk under way", c->key);
		return t;
	}
	cur = part_current(c, P_TASKS);
	t = part_read(c, P_TASKS, cur, err);
	g_atomic_int_set(&c->refreshing[P_TASKS], 0);
	part_unref(cur);
	if (t)
		part_publish(c, t);
	return t;
}

/* The sampler's tick: a fresh task count moves the load average. */
static void cgview_sample(struct cgview *c, double dt_s)
{
	g_autoptr(GError) err = NULL;
	struct part *t = tasks_sample(c, &err);

	if (!t) {
		log_debug("load average of %s: %s", c->key, err->message);
		return;
	}
	g_mutex_lock(&c->la_lock);
	if (c->la_valid)
		loadavg_update(&c->la, t->u.tasks.nr_running + t->u.tasks.nr_blocked, dt_s);
	else
		loadavg_seed(c, &t->u.tasks);
	g_mutex_unlock(&c->la_lock);
	part_unref(t);
}

/* The cgviews read recently (referenced), and drop the idle unreferenced ones. */
static GPtrArray *cgviews_active(gint64 now)
{
	GPtrArray *active = g_ptr_array_new_with_free_func((GDestroyNotify)cgview_unref);
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, cgviews);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		struct cgview *c = val;
		bool idle = now - __atomic_load_n(&c->last_access, __ATOMIC_RELAXED) > CGVIEW_IDLE_US;

		if (idle && g_atomic_int_get(&c->refs) == 1)
			g_hash_table_iter_remove(&it);
		else if (!idle && !c->host_root)
			g_ptr_array_add(active, cgview_ref(c));
	}
	return active;
}

void view_sample_all(double dt_s)
{
	gint64 now = g_get_monotonic_time();
	g_autoptr(GPtrArray) active = NULL;

	g_rw_lock_writer_lock(&tables_lock);
	g_hash_table_foreach_remove(readers, reader_expired, &now);
	active = cgviews_active(now);
	g_rw_lock_writer_unlock(&tables_lock);
	for (guint i = 0; i < active->len; i++)
		cgview_sample(active->pdata[i], dt_s);
}

/* ---------------------------------------------------------- set-up */

bool view_init(const struct fs_config *cfg, GError **err)
{
	config = *cfg;
	if (!cg_layout_open(&layout, err))
		return false;
	if (!pidns_of(getpid(), &self_pidns, err)) {
		cg_layout_close(&layout);
		return false;
	}
	readers = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					(GDestroyNotify)reader_unref);
	cgviews = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					(GDestroyNotify)cgview_unref);
	return true;
}

void view_log_layout(void)
{
	log_info("cgroup layout: %s", cg_layout_kind_name(layout.kind));
	for (int c = 0; c < CG_NCTRL; c++) {
		const struct cg_hier *hr = cg_layout_hier(&layout, c);

		log_info("  %-8s %s", cg_ctrl_name(c), hr ? hr->mountpoint : "(not mounted)");
	}
}

void view_fini(void)
{
	g_clear_pointer(&readers, g_hash_table_destroy);
	g_clear_pointer(&cgviews, g_hash_table_destroy);
	cg_layout_close(&layout);
}
