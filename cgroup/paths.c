/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A pid's cgroup in each hierarchy, from /proc/PID/cgroup (parsed by
 * cg_proc_cgroup_parse, procfs.c):
 *   "4:memory:/a/b"        v1, one controller
 *   "2:cpu,cpuacct:/x"     v1, co-mounted controllers
 *   "1:name=systemd:/"     v1 named hierarchy (ignored)
 *   "0::/x"                the cgroup2 hierarchy
 * A v1 line only sets controllers bound to a v1 hierarchy in the layout;
 * the "0::" line sets every controller bound to the cgroup2 hierarchy
 * (and CG_PSI).
 */
#include "cgroup/internal.h"

#include <string.h>

/* The path of one line without its leading '/'; NULL (with @err) for a
 * path that escapes the reader's view: when the daemon's cgroup namespace
 * is not an ancestor of the pid's cgroup the kernel shows "/../x". */
static char *clean_path(const char *raw, GError **err)
{
	g_auto(GStrv) parts = NULL;

	if (raw[0] != '/') {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE,
			    "cgroup path \"%s\" is not absolute", raw);
		return NULL;
	}
	parts = g_strsplit(raw + 1, "/", -1);
	for (char **p = parts; *p; p++) {
		if (strcmp(*p, "..") == 0) {
			g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
				    "cgroup path \"%s\" is outside the "
				    "daemon's cgroup namespace", raw);
			return NULL;
		}
	}
	return g_strdup(raw + 1);
}

static void set_path(struct cg_paths *out, int c, const char *path)
{
	g_free(out->path[c]);
	out->path[c] = g_strdup(path);
}

/* Applies one line of /proc/PID/cgroup. */
static bool apply_line(const struct cg_layout *l,
		       const struct cg_proc_cgroup *line, struct cg_paths *out,
		       GError **err)
{
	g_autofree char *path = clean_path(line->path, err);

	if (!path)
		return false;
	if (!*line->controllers) { /* "0::/x" */
		for (int c = 0; c < CG_NCTRL; c++)
			if (l->ctrl[c] >= 0 && l->hier[l->ctrl[c]].v2)
				set_path(out, c, path);
		return true;
	}
	for (int c = 0; c < CG_PSI; c++) {
		const char *name = c == CG_IO ? "blkio" : cg_ctrl_name(c);
		const struct cg_hier *h = cg_layout_hier(l, c);

		if (h && !h->v2 && cg_list_has(line->controllers, name))
			set_path(out, c, path);
	}
	return true;
}

bool cg_paths_parse(const struct cg_layout *l, const char *text,
		    struct cg_paths *out, GError **err)
{
	g_autoptr(GArray) lines = cg_proc_cgroup_parse(text, err);

	memset(out, 0, sizeof(*out));
	if (!lines)
		return false;
	for (guint i = 0; i < lines->len; i++) {
		if (!apply_line(l, &g_array_index(lines, struct cg_proc_cgroup, i),
				out, err)) {
			cg_paths_clear(out);
			return false;
		}
	}
	return true;
}

bool cg_paths_of_pid(const struct cg_layout *l, pid_t pid,
		     struct cg_paths *out, GError **err)
{
	g_autofree char *text = NULL;

	memset(out, 0, sizeof(*out));
	if (!cgi_read_proc(l, pid, "cgroup", &text, err)) {
		g_prefix_error(err, "pid %d: ", (int)pid);
		return false;
	}
	if (!cg_paths_parse(l, text, out, err)) {
		g_prefix_error(err, "pid %d: ", (int)pid);
		return false;
	}
	return true;
}

void cg_paths_clear(struct cg_paths *p)
{
	for (int c = 0; c < CG_NCTRL; c++)
		g_clear_pointer(&p->path[c], g_free);
}

void cg_paths_copy(struct cg_paths *dst, const struct cg_paths *src)
{
	for (int c = 0; c < CG_NCTRL; c++)
		dst->path[c] = g_strdup(src->path[c]);
}

bool cg_paths_equal(const struct cg_paths *a, const struct cg_paths *b)
{
	for (int c = 0; c < CG_NCTRL; c++)
		if (g_strcmp0(a->path[c], b->path[c]) != 0)
			return false;
	return true;
}
