/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A reader's view: its reader (reader.c) and its container's cache
 * (cgview.c), referenced together for one request; rendering from it is
 * render.c's.  Also the state those files share (the cgroup layout, the
 * options, tables_lock), set-up, and the sampler's tick over both tables.
 * The caches, their ownership and their locks: fs/view.h.
 */
#include "fs/view.h"
#include "fs/testing.h"

struct cg_layout view_layout;
struct fs_config view_config;
GRWLock tables_lock; /* readers and cgviews */

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
	return v->r->anchor.pid;
}

/* -------------------------------------------------- background work */

void view_sample_all(double dt_s)
{
	gint64 now = g_get_monotonic_time();
	g_autoptr(GPtrArray) active = NULL;

	g_rw_lock_writer_lock(&tables_lock);
	readers_expire_locked(now);
	active = cgviews_active_locked(now);
	g_rw_lock_writer_unlock(&tables_lock);
	for (guint i = 0; i < active->len; i++)
		cgview_sample(active->pdata[i], dt_s);
}

/* ---------------------------------------------------------- set-up */

bool view_init(const struct fs_config *cfg, GError **err)
{
	view_config = *cfg;
	if (!cg_layout_open(&view_layout, err))
		return false;
	if (!readers_init(err)) {
		cg_layout_close(&view_layout);
		return false;
	}
	cgviews_init();
	return true;
}

void view_log_layout(void)
{
	log_info("cgroup layout: %s", cg_layout_kind_name(view_layout.kind));
	for (int c = 0; c < CG_NCTRL; c++) {
		const struct cg_hier *hr = cg_layout_hier(&view_layout, c);

		log_info("  %-8s %s", cg_ctrl_name(c), hr ? hr->mountpoint : "(not mounted)");
	}
}

void view_fini(void)
{
	readers_fini();
	cgviews_fini();
	cg_layout_close(&view_layout);
}
