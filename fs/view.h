/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of a reader's view, shared by the files that build it (the
 * interface for the rest of fs/ is fs/fs.h):
 *
 *   view.c    a view = a reader and its container's cache, for one request;
 *             the state they share, set-up, the sampler's tick
 *   anchor.c  whose view: the reader's anchor process, found, pinned, checked
 *   reader.c  the reader cache: reader -> pinned anchor -> its cgview
 *   cgview.c  the per-container cache: snapshots of the cgroup's numbers
 *   render.c  a file rendered from those numbers, the render cache, the
 *             host's file when a view is unavailable
 *
 * Two caches make the read path cheap:
 *
 *  - readers (reader.c): reader identity -> the anchor process of its
 *    container (anchor.c: the init of the reader's pid namespace, or the
 *    reader itself in the daemon's pid namespace).  The key is the pid
 *    namespace inode, or the pid for readers in the daemon's namespace.
 *    Each entry holds a pidfd of its anchor: while the anchor lives, its pid
 *    cannot be recycled and its namespace's inode cannot be reused, so a
 *    live entry can never hand another container's view to a reader.  The
 *    pidfd is opened after the anchor pid is found, so it is trusted only
 *    once anchor_check() has seen that its process is the init of the
 *    reader's pid namespace and alive.  A dead anchor (one poll() on the
 *    pidfd per request) drops the entry.
 *
 *  - cgviews (cgview.c): the anchor's cgroup paths -> the numbers read from
 *    that cgroup, each part re-read when older than its period.  Limits and
 *    usage are at most PART_TTL_US old, so a changed limit shows within
 *    100 ms.  Readers of one container share one cgview.
 *
 * Per read on a warm cache: one stat() of /proc/PID/ns/pid, one poll(), two
 * hash lookups and the renderer.
 *
 * Ownership and locks.  Everything a reader looks at is an immutable,
 * reference-counted snapshot swapped by pointer: a cgview's parts (struct
 * part), its rendered files (struct rendered, render.c), the host data
 * (hostsnap.c).  A thread takes references under a tiny lock, drops the
 * lock, and then reads files, renders and copies with no lock held.  Each part
 * has a `refreshing` flag (compare-and-swap, never waited for): one thread
 * re-reads a stale part while the others keep using the previous snapshot.
 * The locks, none held across I/O, rendering or a call into hostsnap.c:
 *
 *   tables_lock   readers and cgviews hash tables (poll() of a pidfd and
 *                 the final close() of a dropped reader's pidfd may run
 *                 under it; no file is read)
 *   reader.lock   reader.cg (pointer swap and reference)
 *   cgview.lock   cgview.part[] and cgview.rendered[] (swap and reference)
 *   cgview.la_lock  the load average numbers
 *
 * No code path holds two of them at once: every lock is a leaf
 * (hostsnap.c's snap_lock and log.c's ratelimit_lock too; nothing logs
 * under a lock).
 * Anything read under a lock is a pointer or a number.  The one documented
 * order: fs/ops.c's per-open-file lock (open_file.lock) is held around a
 * whole render of that open file, so it comes before all of these; it only
 * serializes concurrent reads of one open file description.
 */
#ifndef CORRAL_FS_VIEW_H
#define CORRAL_FS_VIEW_H

#include "fs/anchor.h"
#include "fs/fs.h"

/* ------------------------------------------------ shared state (view.c) */
extern struct cg_layout view_layout;
extern struct fs_config view_config;
extern GRWLock tables_lock; /* the readers and cgviews tables */

/* ------------------------------------------------------------ cgview.c */
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

struct rendered; /* render.c */

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

/* References on the parts a file needs. */
struct partset {
	struct part *p[P_N];
};

void cgviews_init(void);
void cgviews_fini(void);
struct cgview *cgview_ref(struct cgview *c);
void cgview_unref(struct cgview *c);
/* The shared cgview of @paths, created on first use; with a reference.
 * Takes tables_lock. */
struct cgview *cgview_lookup(const struct cg_paths *paths);
void part_unref(struct part *p);
/*
 * A reference on a snapshot of part @kind no older than its period, read
 * now if needed.  When another thread is already re-reading it, the
 * previous snapshot is used; only a part never read is read by every
 * thread that needs it.
 */
struct part *part_get(struct cgview *c, enum part_id kind, GError **err);
/* References on the parts of @mask (1 << part_id); false + err, none held,
 * when one cannot be read. */
bool partset_get(struct cgview *c, unsigned mask, struct partset *s, GError **err);
void partset_clear(struct partset *s);
/* @c's load average, started at @t's active tasks the first time. */
void cgview_loadavg(struct cgview *c, const struct cg_tasks *t, struct loadavg *out);
/* The cgviews read recently (referenced); drops the idle unreferenced
 * ones.  With tables_lock held for writing. */
GPtrArray *cgviews_active_locked(gint64 now);
/* The sampler's tick: a fresh task count moves the load average. */
void cgview_sample(struct cgview *c, double dt_s);

/* ------------------------------------------------------------ reader.c */
struct reader {
	gint refs;
	uint64_t key;            /* immutable once published: */
	struct anchor anchor;
	GMutex lock;     /* cg: swap and reference */
	struct cgview *cg;
	gint binding;    /* atomic: one thread re-reads the anchor's cgroup */
	gint64 paths_at; /* atomic */
	gint64 last_access; /* atomic */
};

bool readers_init(GError **err);
void readers_fini(void);
/* The cached (or a new) reader of @pid, with a reference. */
struct reader *reader_get(pid_t pid, GError **err);
void reader_unref(struct reader *r);
/* Re-read the anchor's cgroup when older than its period. */
bool reader_rebind(struct reader *r, GError **err);
/* Drop readers whose anchor died or that were idle too long.  With
 * tables_lock held for writing. */
void readers_expire_locked(gint64 now);

/* -------------------------------------------------------------- view.c */
struct view {
	struct reader *r;
	struct cgview *cg;
};

/* ------------------------------------------------------------ render.c */
void rendered_unref(struct rendered *r);

#endif
