/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What cgroup/ reads about one process under <procfs>/PID, and the start
 * time of a cgroup:
 *
 *  - cg_proc_starttime: field 22 of /proc/PID/stat (cg_pid_start_time:
 *    the same from the host's /proc without a layout, and whether the
 *    process is a zombie, for the runtime);
 *  - cg_proc_nspid: the last entry of the NSpid line of /proc/PID/status
 *    (the pid in its own pid namespace, 1 for that namespace's init);
 *  - cg_cgroup_starttime: the earliest start among a cgroup's processes.
 *
 * Which process anchors a reader's view is the daemon's rule, not a
 * cgroup operation: fs/anchor.c.
 */
#include "cgroup/internal.h"

#include <string.h>

bool cg_proc_nspid(const struct cg_layout *l, pid_t pid, int64_t *out,
		   GError **err)
{
	g_autofree char *text = NULL;
	size_t len;
	uint64_t v;

	if (!cgi_read_proc(l, pid, "status", &text, err))
		return false;
	if (!cg_status_field(text, "NSpid", &len)) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE,
			    "%s/%d/status has no NSpid line", l->procfs,
			    (int)pid);
		return false;
	}
	if (!cg_status_last_id(text, "NSpid", &v) || v > INT64_MAX) {
		g_autofree char *rel = g_strdup_printf("%d/status", (int)pid);

		cgi_set_parse(err, l->procfs, rel, "bad NSpid line");
		return false;
	}
	*out = (int64_t)v;
	return true;
}

uint64_t cg_pid_start_time(pid_t pid, bool *zombie)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *text = NULL;
	struct cg_pid_stat st;

	*zombie = false;
	if (pid <= 0 || !(text = cg_read_file(path, NULL, NULL)) ||
	    !cg_pid_stat_parse(text, &st))
		return 0;
	*zombie = st.state == 'Z' || st.state == 'X';
	return st.starttime;
}

bool cg_proc_starttime(const struct cg_layout *l, pid_t pid, uint64_t *ticks,
		       GError **err)
{
	g_autofree char *text = NULL;
	struct cg_pid_stat st;

	if (!cgi_read_proc(l, pid, "stat", &text, err))
		return false;
	if (!cg_pid_stat_parse(text, &st)) {
		g_autofree char *rel = g_strdup_printf("%d/stat", (int)pid);

		cgi_set_parse(err, l->procfs, rel, "no start time");
		return false;
	}
	*ticks = st.starttime;
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
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));

	if (!cgi_read_ids(h, rel, "cgroup.procs", pids, err))
		return false;
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
