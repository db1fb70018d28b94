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
 *    live entry can never hand another container's view to a reader.  A
 *    dead anchor (one poll() on the pidfd per request) drops the entry.
 *
 *  - cgviews: the anchor's cgroup paths -> the numbers read from that
 *    cgroup, each part re-read when older than its period.  Limits and
 *    usage are at most PART_TTL_US old, so a changed limit shows within
 *    100 ms.  Readers of one container share one cgview.
 *
 * Per read on a warm cache: one stat() of /proc/PID/ns/pid, one poll(), two
 * hash lookups and the renderer.
 */
#include "fs/fs.h"

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

enum part {
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

struct cgview {
	gint refs;
	char *key;
	struct cg_paths paths;
	bool host_root; /* the root cgroup everywhere: the host itself */
	GMutex lock; /* everything below */
	gint64 at[P_N];
	struct cg_memory mem;
	struct cg_cpu cpu;
	struct cg_cpuset cpuset;
	struct cg_cputime cputime;
	struct cg_blkio blkio;
	struct cg_psi psi[CG_PSI_N];
	struct cg_tasks tasks;
	struct loadavg la;
	bool la_valid;
	uint64_t start_ticks;
	gint64 last_access; /* atomic */
	/* Rendered files, reused while younger than RENDER_TTL_US; uptime and
	 * stat also depend on the reader's start (@start). */
	struct {
		GString *text;
		gint64 at;
		uint64_t start;
	} rendered[F_NFILES];
};

struct reader {
	gint refs;
	uint64_t key;
	int pidfd;       /* of the anchor */
	pid_t anchor;
	bool pidns_init; /* anchor is the init of a pid namespace */
	uint64_t start_ticks;
	GMutex lock;     /* cg, paths_at */
	struct cgview *cg;
	gint64 paths_at;
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

static struct cgview *cgview_ref(struct cgview *c)
{
	g_atomic_int_inc(&c->refs);
	return c;
}

static void cgview_unref(struct cgview *c)
{
	if (!c || !g_atomic_int_dec_and_test(&c->refs))
		return;
	for (int f = 0; f < F_NFILES; f++) {
		if (c->rendered[f].text)
			g_string_free(c->rendered[f].text, TRUE);
	}
	cg_paths_clear(&c->paths);
	cg_cputime_clear(&c->cputime);
	cg_blkio_clear(&c->blkio);
	g_mutex_clear(&c->lock);
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

/* The shared cgview of @paths, created on first use. */
static struct cgview *cgview_lookup(const struct cg_paths *paths)
{
	g_autofree char *key = paths_key(paths);
	struct cgview *c;

	g_rw_lock_writer_lock(&tables_lock);
	c = g_hash_table_lookup(cgviews, key);
	if (!c) {
		c = g_new0(struct cgview, 1);
		c->refs = 1;
		c->key = g_steal_pointer(&key);
		cg_paths_copy(&c->paths, paths);
		c->host_root = paths_all_root(paths);
		g_mutex_init(&c->lock);
		for (int p = 0; p < P_N; p++)
			c->at[p] = G_MININT64 / 2;
		g_hash_table_insert(cgviews, c->key, c);
	}
	cgview_ref(c);
	g_rw_lock_writer_unlock(&tables_lock);
	return c;
}

/* ---------------------------------------------------------- the parts */

static bool read_mem(struct cgview *c, GError **err)
{
	return cg_read_memory(&layout, &c->paths, &c->mem, err);
}

static bool read_cpu(struct cgview *c, GError **err)
{
	return cg_read_cpu(&layout, &c->paths, &c->cpu, err) &&
	       cg_read_cpuset(&layout, &c->paths, &c->cpuset, err);
}

static bool read_cputime(struct cgview *c, GError **err)
{
	struct cg_cputime t = { 0 };

	if (!cg_read_cputime(&layout, &c->paths, &t, err))
		return false;
	cg_cputime_clear(&c->cputime);
	c->cputime = t;
	return true;
}

static bool read_blkio(struct cgview *c, GError **err)
{
	struct cg_blkio b = { 0 };

	if (!cg_read_blkio(&layout, &c->paths, &b, err))
		return false;
	cg_blkio_clear(&c->blkio);
	c->blkio = b;
	return true;
}

static bool read_psi_cpu(struct cgview *c, GError **err)
{
	return cg_read_psi(&layout, &c->paths, CG_PSI_CPU, &c->psi[CG_PSI_CPU], err);
}

static bool read_psi_mem(struct cgview *c, GError **err)
{
	return cg_read_psi(&layout, &c->paths, CG_PSI_MEMORY, &c->psi[CG_PSI_MEMORY], err);
}

static bool read_psi_io(struct cgview *c, GError **err)
{
	return cg_read_psi(&layout, &c->paths, CG_PSI_IO, &c->psi[CG_PSI_IO], err);
}

static bool read_tasks(struct cgview *c, GError **err)
{
	return cg_read_tasks(&layout, &c->paths, &c->tasks, err);
}

static bool read_start(struct cgview *c, GError **err)
{
	return cg_cgroup_starttime(&layout, &c->paths, &c->start_ticks, err);
}

static const struct {
	bool (*read)(struct cgview *c, GError **err);
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

/* Make the parts in @mask fresh.  Called with c->lock held. */
static bool cgview_refresh(struct cgview *c, unsigned mask, GError **err)
{
	gint64 now = g_get_monotonic_time();

	for (int p = 0; p < P_N; p++) {
		if (!(mask & (1u << p)) || now - c->at[p] < parts[p].ttl)
			continue;
		if (!parts[p].read(c, err))
			return false;
		c->at[p] = now;
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

/* Read the anchor's cgroup paths and bind them to its cgview.  The pidfd
 * check after the read proves the paths belong to the pidfd's process. */
static bool reader_bind(struct reader *r, GError **err)
{
	struct cg_paths paths = { 0 };
	bool ok = cg_paths_of_pid(&layout, r->anchor, &paths, err);

	if (ok && !pidfd_alive(r->pidfd)) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "process %d exited while being looked up",
			    r->anchor);
		ok = false;
	}
	if (ok && (!r->cg || !cg_paths_equal(&paths, &r->cg->paths))) {
		struct cgview *old = r->cg;

		r->cg = cgview_lookup(&paths);
		cgview_unref(old);
	}
	cg_paths_clear(&paths);
	if (ok)
		r->paths_at = g_get_monotonic_time();
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
	if (!g_file_get_contents(path, &text, NULL, NULL))
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

static bool reader_open_anchor(struct reader *r, pid_t pid, uint64_t ns, GError **err)
{
	uint64_t anchor_ns = 0;

	if (!cg_container_anchor(&layout, pid, &r->anchor, &anchor_ns, err))
		return false;
	r->pidns_init = anchor_ns != self_pidns;
	r->pidfd = pidfd_of_task(r->anchor);
	if (r->pidfd < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "opening a pidfd for process %d: %s",
			    r->anchor, g_strerror(errno));
		return false;
	}
	if (anchor_ns != ns) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "reader %d changed pid namespace while being looked up", pid);
		return false;
	}
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

	g_rw_lock_writer_lock(&tables_lock);
	old = g_hash_table_lookup(readers, &r->key);
	if (old && pidfd_alive(old->pidfd)) {
		reader_ref(old);
		g_rw_lock_writer_unlock(&tables_lock);
		reader_unref(r);
		return old;
	}
	if (g_hash_table_size(readers) < MAX_READERS)
		g_hash_table_insert(readers, &r->key, reader_ref(r));
	else
		log_warn_ratelimited("readers-full", "%d readers cached: not caching more",
				     MAX_READERS);
	g_rw_lock_writer_unlock(&tables_lock);
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

struct view *view_get(pid_t pid, GError **err)
{
	struct reader *r = reader_get(pid, err);
	struct view *v;
	bool ok = true;

	if (!r)
		return NULL;
	g_mutex_lock(&r->lock);
	if (g_get_monotonic_time() - r->paths_at >= PATHS_TTL_US)
		ok = reader_bind(r, err);
	v = g_new(struct view, 1);
	v->r = r;
	v->cg = ok ? cgview_ref(r->cg) : NULL;
	g_mutex_unlock(&r->lock);
	if (!ok) {
		view_put(v);
		return NULL;
	}
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

/* Seconds the container has been up. */
static bool view_uptime(struct view *v, const struct host_data *h, double *up, GError **err)
{
	uint64_t start = v->r->start_ticks;

	if (!v->r->pidns_init) {
		if (!cgview_refresh(v->cg, 1u << P_START, err))
			return false;
		start = v->cg->start_ticks;
	}
	*up = host_uptime() - (double)start / (double)h->clk_tck;
	if (*up < 0)
		*up = 0;
	return true;
}

static void cpuview_of(const struct cgview *c, const struct host_data *h, struct cpuview *out)
{
	cpuview_compute(&c->cpuset, &c->cpu, &h->cpus, config.use_cpu_quota, out);
}

/* The first time a container's load is asked for, start its averages at the
 * current number of active tasks rather than at zero. */
static void loadavg_seed(struct cgview *c)
{
	if (c->la_valid || !c->tasks.valid)
		return;
	for (int i = 0; i < 3; i++)
		c->la.avg[i] = c->tasks.nr_running + c->tasks.nr_blocked;
	c->la_valid = true;
}

static bool render_cpu_files(struct view *v, enum file_id id, const struct host_data *h,
			     GString *out, GError **err)
{
	g_autofree struct cpuview *cv = g_new(struct cpuview, 1);
	struct cgview *c = v->cg;
	double up = 0;

	cpuview_of(c, h, cv);
	switch (id) {
	case F_CPUINFO:
		render_cpuinfo(cv, &h->cpuinfo, out);
		return true;
	case F_STAT:
		if (!view_uptime(v, h, &up, err))
			return false;
		render_stat(&c->cputime, cv, &h->stat, up, &c->tasks, out);
		return true;
	case F_UPTIME:
		if (!view_uptime(v, h, &up, err))
			return false;
		render_uptime(up, c->cputime.valid ? (double)c->cputime.usage_ns / 1e9 : 0,
			      cv->n, out);
		return true;
	default: /* online, possible, present */
		render_cpu_range(cv, out);
		return true;
	}
}

static bool render_locked(struct view *v, enum file_id id, const struct host_data *h,
			  GString *out, GError **err)
{
	struct cgview *c = v->cg;

	switch (id) {
	case F_MEMINFO:
		render_meminfo(&c->mem, &h->mem, out);
		return true;
	case F_SWAPS:
		render_swaps(&c->mem, &h->mem, out);
		return true;
	case F_LOADAVG:
		loadavg_seed(c);
		render_loadavg(&c->la, &c->tasks, out);
		return true;
	case F_DISKSTATS:
		render_diskstats(&c->blkio, &h->disks, out);
		return true;
	case F_PSI_CPU:
	case F_PSI_MEMORY:
	case F_PSI_IO:
		render_pressure(&c->psi[id - F_PSI_CPU], out);
		return true;
	default:
		return render_cpu_files(v, id, h, out, err);
	}
}

/* Make v->cg->rendered[id] fresh for @v's reader.  Called with the lock. */
static bool render_cached(struct view *v, enum file_id id, GError **err)
{
	struct cgview *c = v->cg;
	gint64 now = g_get_monotonic_time();
	uint64_t start = v->r->pidns_init ? v->r->start_ticks : UINT64_MAX;
	const struct host_data *h;
	bool ok;

	if (!c->rendered[id].text)
		c->rendered[id].text = g_string_sized_new(1024);
	else if (now - c->rendered[id].at < RENDER_TTL_US && c->rendered[id].start == start)
		return true;
	g_string_truncate(c->rendered[id].text, 0);
	h = host_get();
	ok = cgview_refresh(c, file_parts[id], err) &&
	     render_locked(v, id, h, c->rendered[id].text, err);
	host_put();
	c->rendered[id].at = ok ? now : G_MININT64 / 2;
	c->rendered[id].start = start;
	return ok;
}

bool view_render(struct view *v, enum file_id id, GString *out, GError **err)
{
	bool ok;

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
	g_mutex_lock(&v->cg->lock);
	ok = render_cached(v, id, err);
	if (ok)
		g_string_append_len(out, v->cg->rendered[id].text->str,
				    (gssize)v->cg->rendered[id].text->len);
	g_mutex_unlock(&v->cg->lock);
	return ok;
}

bool view_cpus(struct view *v, struct cpuview *out, GError **err)
{
	const struct host_data *h = host_get();
	bool ok;

	g_mutex_lock(&v->cg->lock);
	ok = cgview_refresh(v->cg, 1u << P_CPU, err);
	if (ok)
		cpuview_of(v->cg, h, out);
	g_mutex_unlock(&v->cg->lock);
	host_put();
	return ok;
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

static void cgview_sample(struct cgview *c, double dt_s)
{
	g_autoptr(GError) err = NULL;

	g_mutex_lock(&c->lock);
	if (read_tasks(c, &err)) {
		c->at[P_TASKS] = g_get_monotonic_time();
		if (c->la_valid)
			loadavg_update(&c->la, c->tasks.nr_running + c->tasks.nr_blocked, dt_s);
		else
			loadavg_seed(c);
	} else {
		log_debug("load average of %s: %s", c->key, err->message);
	}
	g_mutex_unlock(&c->lock);
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
