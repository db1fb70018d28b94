/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who is reading: the reader cache.  A reader (its pid namespace inode, or
 * its pid when it lives in the daemon's pid namespace) -> its anchor,
 * found, pinned by a pidfd and checked once (anchor.c), and the cgview
 * (cgview.c) of the anchor's cgroup, re-bound when the anchor moved to
 * another cgroup.  A dead anchor drops the entry.  Owns the readers table
 * (under tables_lock).  Locks: fs/view.h.
 */
#include "fs/view.h"

#define PATHS_TTL_US ((gint64)100 * 1000)           /* anchor moved to another cgroup */
#define READER_IDLE_US ((gint64)60 * G_USEC_PER_SEC)  /* drop idle readers (frees the pidfd) */
#define MAX_READERS 8192                      /* each holds one pidfd */
#define HOST_KEY_BIT ((uint64_t)1 << 63)

static GHashTable *readers; /* uint64 key -> struct reader* (one ref) */

static struct reader *reader_ref(struct reader *r)
{
	g_atomic_int_inc(&r->refs);
	return r;
}

void reader_unref(struct reader *r)
{
	if (!r || !g_atomic_int_dec_and_test(&r->refs))
		return;
	anchor_close(&r->anchor);
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
	bool ok = cg_paths_of_pid(&view_layout, r->anchor.pid, &paths, err);

	if (ok && !pidfd_alive(r->anchor.pidfd)) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT, "process %d exited while being looked up",
			    r->anchor.pid);
		ok = false;
	}
	if (ok) {
		reader_set_cg(r, &paths);
		__atomic_store_n(&r->paths_at, g_get_monotonic_time(), __ATOMIC_RELEASE);
	}
	cg_paths_clear(&paths);
	return ok;
}

/* A new reader of @pid (pid namespace @ns): its anchor and its cgview. */
static struct reader *reader_new(pid_t pid, uint64_t key, uint64_t ns, GError **err)
{
	struct reader *r = g_new0(struct reader, 1);

	r->refs = 1;
	r->key = key;
	r->anchor.pidfd = -1;
	g_mutex_init(&r->lock);
	if (!anchor_open(&view_layout, pid, ns, &r->anchor, err) || !reader_bind(r, err)) {
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
	if (!r || pidfd_alive(r->anchor.pidfd))
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
	if (old && pidfd_alive(old->anchor.pidfd)) {
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

struct reader *reader_get(pid_t pid, GError **err)
{
	uint64_t ns, key;
	struct reader *r;

	if (!pidns_of(&view_layout, pid, &ns, err)) {
		g_prefix_error(err, "reader %d: ", pid);
		return NULL;
	}
	key = ns == view_layout.self_pidns ? (HOST_KEY_BIT | (uint64_t)pid) : ns;
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

/* Re-read the anchor's cgroup when older than PATHS_TTL_US: one thread
 * does it, the others use the current binding meanwhile. */
bool reader_rebind(struct reader *r, GError **err)
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

static gboolean reader_expired(gpointer key, gpointer value, gpointer now)
{
	struct reader *r = value;

	(void)key;
	return !pidfd_alive(r->anchor.pidfd) ||
	       *(gint64 *)now - __atomic_load_n(&r->last_access, __ATOMIC_RELAXED) > READER_IDLE_US;
}

void readers_expire_locked(gint64 now)
{
	g_hash_table_foreach_remove(readers, reader_expired, &now);
}

bool readers_init(GError **err)
{
	if (!view_layout.self_pidns) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "the daemon's pid namespace is unknown (%s/self/ns/pid)",
			    view_layout.procfs);
		return false;
	}
	readers = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					(GDestroyNotify)reader_unref);
	return true;
}

void readers_fini(void)
{
	g_clear_pointer(&readers, g_hash_table_destroy);
}
