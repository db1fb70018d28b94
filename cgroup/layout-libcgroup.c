/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The layout of the real host through libcgroup: its mount table gives the
 * v1 hierarchies (corralfs uses this, once, at start).  Kept apart from
 * layout.c so that programs which do not call cg_layout_open() (corral)
 * are not linked with libcgroup at all.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <libcgroup.h>

/* ---- the real host: libcgroup ----------------------------------- */

/* v1 controllers from libcgroup's mount table.  cgroup2 controllers are
 * skipped here (bind_unified() binds them from cgroup.controllers). */
static bool add_libcgroup_mounts(struct cg_layout *l, GError **err)
{
	struct cgroup_mount_point info;
	void *handle = NULL;
	int ret;

	for (ret = cgroup_get_controller_begin(&handle, &info); ret == 0;
	     ret = cgroup_get_controller_next(&handle, &info)) {
		int c = cgi_v1_ctrl_of(info.name), idx;

		if (c < 0 || l->ctrl[c] >= 0)
			continue;
		idx = cgi_add_hier(l, info.path, -1, err);
		if (idx < 0) {
			cgroup_get_controller_end(&handle);
			return false;
		}
		if (l->hier[idx].v2)
			l->unified = idx;
		else
			cgi_bind_ctrl(l, c, idx);
	}
	cgroup_get_controller_end(&handle);
	if (ret != ECGEOF) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "listing cgroup controllers: %s",
			    cgroup_strerror(ret));
		return false;
	}
	return true;
}

/* libcgroup 2.0.2 lists a cgroup2 mount only through the controllers in
 * its cgroup.controllers: a hybrid host's /sys/fs/cgroup/unified often
 * holds none and is then missing from its table, yet it is the only place
 * with the *.pressure files.  So the cgroup2 mount is taken from
 * /proc/self/mountinfo when libcgroup did not report it. */
static bool add_unified_from_mountinfo(struct cg_layout *l, GError **err)
{
	g_autoptr(GArray) mnts = NULL;

	if (l->unified >= 0)
		return true;
	mnts = cgi_read_mountinfo("/proc/self/mountinfo", err);
	if (!mnts)
		return false;
	for (guint i = 0; i < mnts->len; i++) {
		struct mnt *m = &g_array_index(mnts, struct mnt, i);

		if (m->v2) {
			l->unified = cgi_add_hier(l, m->mountpoint, 1, err);
			return l->unified >= 0;
		}
	}
	return true;
}

bool cg_layout_open(struct cg_layout *l, GError **err)
{
	int ret;

	cgi_layout_init(l);
	/* Not thread-safe (libcgroup's global tables): call once, early. */
	ret = cgroup_init();
	if (ret != 0 && ret != ECGROUPNOTMOUNTED) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "initialising libcgroup: %s", cgroup_strerror(ret));
		return false;
	}
	if ((ret == 0 && !add_libcgroup_mounts(l, err)) ||
	    !add_unified_from_mountinfo(l, err) ||
	    !cgi_open_procfs(l, "/proc", err) || !cgi_finish(l, err)) {
		cg_layout_close(l);
		return false;
	}
	return true;
}

