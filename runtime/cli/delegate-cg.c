/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral delegate`'s cgroups: found in /proc/self/mountinfo and
 * /proc/self/cgroup (the parsers of cgroup/kernel.h), made with
 * cg_create(), limited with the runtime's own code (rt_cgroup_apply on the
 * hierarchies of the layout), chowned file by file.  Not libcgroup: the
 * chown of six files needs no library, and its cgroup_create_cgroup()
 * cannot make a cgroup below the caller's own one per hierarchy nor refuse
 * an existing one (cgroup/write.c's head).
 */
#include "runtime/cli/delegate.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KERNEL_DELEGATE "/sys/kernel/cgroup/delegate"


/* cgroup/'s errors as the runtime's (the message stays). */
static bool to_rt(bool ok, GError **err)
{
	if (!ok && err && *err && (*err)->domain == CG_ERROR) {
		(*err)->domain = RT_ERROR;
		(*err)->code = RT_ERROR_CGROUP;
	}
	return ok;
}

/* "<mountpoint>/<path>[/<file>]" */
static char *dir_of(const struct dg_hier *dh, const char *file)
{
	return file ? g_strconcat(dh->h.mountpoint, "/", dh->path, "/", file, NULL)
		    : g_strconcat(dh->h.mountpoint, "/", dh->path, NULL);
}

/* ---- finding the hierarchies ------------------------------------------ */

/* The line of /proc/self/cgroup that is mount @m's hierarchy. */
static const struct cg_proc_cgroup *line_of(const struct cg_mount *m, GArray *lines)
{
	bool v2 = strcmp(m->fstype, "cgroup2") == 0;

	for (guint i = 0; i < lines->len; i++) {
		const struct cg_proc_cgroup *c = &g_array_index(lines, struct cg_proc_cgroup, i);
		g_auto(GStrv) names = g_strsplit(c->controllers, ",", -1);
		bool all = names[0] != NULL;

		if (v2 || c->id == 0) {
			if (v2 && c->id == 0)
				return c;
			continue;
		}
		for (char **n = names; *n && all; n++)
			all = cg_list_has(m->super_options, *n);
		if (all)
			return c;
	}
	return NULL;
}

static bool known(const struct dg_set *s, const char *key)
{
	for (unsigned i = 0; i < s->n; i++)
		if (strcmp(s->hier[i].key, key) == 0)
			return true;
	return false;
}

/* Opens @m as the next hierarchy, the cgroup placed per its line @c. */
static bool add(struct dg_set *s, const struct cg_mount *m, const struct cg_proc_cgroup *c,
		const char *rel, bool absolute, GError **err)
{
	struct dg_hier *dh = &s->hier[s->n];
	const char *own = c->path[0] == '/' ? c->path + 1 : NULL;

	if (s->n == DG_MAX_HIER)
		return rt_fail(err, RT_ERROR_CGROUP, "more than %d cgroup hierarchies", DG_MAX_HIER);
	if (!absolute && (!own || strstr(c->path, "/..")))
		return rt_fail(err, RT_ERROR_CGROUP, "the caller's cgroup in %s (%s) is outside "
			    "its cgroup namespace: give an absolute CGROUP", m->mountpoint, c->path);
	dh->h.dirfd = open(m->mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dh->h.dirfd < 0)
		return rt_fail_errno(err, errno, "opening %s", m->mountpoint);
	dh->h.v2 = strcmp(m->fstype, "cgroup2") == 0;
	dh->h.mountpoint = g_strdup(m->mountpoint);
	dh->key = g_strdup(c->controllers);
	dh->base = g_strdup(absolute ? "" : own);
	dh->path = *dh->base ? g_strconcat(dh->base, "/", rel, NULL) : g_strdup(rel);
	s->n++;
	return true;
}

bool dg_open(struct dg_set *s, const char *name, const char *rel, bool absolute,
	     GError **err)
{
	g_autofree char *mi = cg_read_file("/proc/self/mountinfo", NULL, err);
	g_autofree char *pc = mi ? cg_read_file("/proc/self/cgroup", NULL, err) : NULL;
	g_autoptr(GArray) mounts = NULL, lines = NULL;

	memset(s, 0, sizeof(*s));
	s->name = name;
	if (!pc || !(lines = cg_proc_cgroup_parse(pc, err)))
		return to_rt(false, err);
	mounts = cg_mountinfo_parse(mi);
	for (guint i = 0; i < mounts->len; i++) {
		const struct cg_mount *m = &g_array_index(mounts, struct cg_mount, i);
		const struct cg_proc_cgroup *c;

		if ((strcmp(m->fstype, "cgroup") && strcmp(m->fstype, "cgroup2")) ||
		    strcmp(m->root, "/") || !(c = line_of(m, lines)) || known(s, c->controllers))
			continue;
		if (!add(s, m, c, rel, absolute, err)) {
			dg_close(s);
			return false;
		}
	}
	if (s->n == 0)
		return rt_fail(err, RT_ERROR_CGROUP, "no cgroup hierarchy is mounted");
	return true;
}

void dg_close(struct dg_set *s)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct dg_hier *dh = &s->hier[i];

		cg_hier_clear(&dh->h);
		g_free(dh->key);
		g_free(dh->base);
		g_free(dh->path);
	}
	s->n = 0;
}

/* ---- creating ----------------------------------------------------------- */

static const char *const v2_controllers[] = { "cpu", "cpuset", "io", "memory", "pids", NULL };

/* The controllers a v2 level's children need, with a word about EBUSY
 * (a v2 cgroup with processes cannot give its children controllers). */
static bool enable_v2(const struct cg_hier *h, const char *path, GError **err)
{
	g_autoptr(GError) local = NULL;

	if (cg_enable_controllers(h, path, v2_controllers, &local))
		return true;
	if (!g_error_matches(local, CG_ERROR, CG_ERROR_BUSY)) {
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	return rt_fail(err, RT_ERROR_CGROUP, "%s (that cgroup has processes: cgroup v2's "
		    "no-internal-processes rule; give an absolute CGROUP below a cgroup "
		    "without any)", local->message);
}

/* cg_create()'s hook: a new v1 cpuset level gets its parent's cpus and
 * mems; a v2 level gets the controllers its child will need. */
static bool level_ready(const struct cg_hier *h, const char *path, bool made, bool last,
			void *ctx, GError **err)
{
	const struct dg_hier *dh = ctx;

	if (made && !h->v2 && cg_list_has(dh->key, "cpuset") &&
	    (!cg_copy_from_parent(h, path, "cpuset.cpus", err) ||
	     !cg_copy_from_parent(h, path, "cpuset.mems", err)))
		return false;
	if (h->v2 && !last)
		return enable_v2(h, path, err);
	return true;
}

/* The kernel's EEXIST for a cgroup that is there already, in any
 * hierarchy, before anything is made. */
static bool none_exists(const struct dg_set *s, GError **err)
{
	struct stat st;

	for (unsigned i = 0; i < s->n; i++) {
		const struct dg_hier *dh = &s->hier[i];

		if (fstatat(dh->h.dirfd, dh->path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			g_autofree char *dir = dir_of(dh, NULL);

			return rt_fail(err, RT_ERROR_CGROUP, "creating cgroup %s: %s", dir,
				    g_strerror(EEXIST));
		}
	}
	return true;
}

/* Removes what was made, last hierarchy first (errors ignored: the
 * first one is reported). */
static void unmake(struct dg_set *s)
{
	for (unsigned i = s->n; i-- > 0;) {
		struct dg_hier *dh = &s->hier[i];

		if (dh->ncreated && cg_remove(&dh->h, dh->path, NULL))
			cg_remove_parents(&dh->h, dh->path, dh->ncreated - 1);
		dh->ncreated = 0;
	}
}

static bool make_all(struct dg_set *s, GError **err)
{
	for (unsigned i = 0; i < s->n; i++) {
		struct dg_hier *dh = &s->hier[i];
		const char *rel = *dh->base ? dh->path + strlen(dh->base) + 1 : dh->path;

		if (!cg_create(&dh->h, dh->base, rel, level_ready, dh, &dh->ncreated, err))
			return to_rt(false, err);
	}
	return true;
}

/* @res written by the runtime's code, on the hierarchies of the layout
 * (the limit files: memory, cpu, cpuset, pids). */
static bool apply_limits(const struct dg_set *s, const struct rt_resources *res, GError **err)
{
	struct rt_cgroup_part parts[DG_MAX_HIER];
	struct cg_layout l;
	struct rt_cgroup *cg;
	int n = 0;
	bool ok;

	if (!cg_layout_open(&l, err))
		return to_rt(false, err);
	for (unsigned i = 0; i < s->n; i++)
		for (int k = 0; k < l.nhier; k++)
			if (strcmp(l.hier[k].mountpoint, s->hier[i].h.mountpoint) == 0)
				parts[n++] = (struct rt_cgroup_part){ s->hier[i].h.mountpoint,
								      s->hier[i].path, 0 };
	cg = rt_cgroup_reopen(&l, parts, n, err);
	ok = cg && rt_cgroup_apply(cg, res, err);
	rt_cgroup_close(cg);
	cg_layout_close(&l);
	return ok;
}

char **dg_delegated_files(void)
{
	static const char *const fallback[] = {
		"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
		"memory.oom.group", "memory.reclaim", NULL,
	};
	g_autofree char *text = cg_read_file(KERNEL_DELEGATE, NULL, NULL);
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	g_auto(GStrv) words = text ? g_strsplit_set(text, " \t\n", -1) : NULL;

	if (words && words[0] && *words[0]) {
		for (char **w = words; *w; w++)
			if (**w)
				g_strv_builder_add(b, *w);
	} else {
		g_strv_builder_addv(b, (const char **)fallback);
	}
	g_strv_builder_add(b, "tasks");
	return g_strv_builder_end(b);
}

/* chown of the cgroup (@file NULL) or of one of its files; a file that
 * this hierarchy does not have is skipped. */
static bool give(const struct dg_hier *dh, const char *file, uid_t uid, gid_t gid,
		 GError **err)
{
	g_autofree char *rel = file ? g_strconcat(dh->path, "/", file, NULL) : g_strdup(dh->path);
	g_autofree char *full = NULL;

	if (fchownat(dh->h.dirfd, rel, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 ||
	    (file && errno == ENOENT))
		return true;
	full = dir_of(dh, file);
	return rt_fail_errno(err, errno, "changing the owner of %s to %u:%u", full,
			     (unsigned)uid, (unsigned)gid);
}

static bool give_all(const struct dg_set *s, uid_t uid, gid_t gid, GError **err)
{
	g_auto(GStrv) files = dg_delegated_files();

	for (unsigned i = 0; i < s->n; i++) {
		if (!give(&s->hier[i], NULL, uid, gid, err))
			return false;
		for (char **f = files; *f; f++)
			if (!give(&s->hier[i], *f, uid, gid, err))
				return false;
	}
	return true;
}

bool dg_create(struct dg_set *s, const struct rt_resources *res, uid_t uid, gid_t gid,
	       GError **err)
{
	if (!none_exists(s, err))
		return false;
	if (make_all(s, err) && apply_limits(s, res, err) && give_all(s, uid, gid, err))
		return true;
	unmake(s);
	return false;
}

bool dg_join(const struct dg_set *s, pid_t pid, GError **err)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!cg_attach(&s->hier[i].h, s->hier[i].path, pid, err))
			return to_rt(false, err);
	return true;
}

/* ---- removing ------------------------------------------------------------ */

static bool exists(const struct dg_hier *dh)
{
	struct stat st;

	return fstatat(dh->h.dirfd, dh->path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* The v1 freezer's part of the cgroup (freezes the processes while they
 * are killed), NULL when there is none. */
static const struct dg_hier *freezer_of(const struct dg_set *s)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!s->hier[i].h.v2 && cg_list_has(s->hier[i].key, "freezer") &&
		    exists(&s->hier[i]))
			return &s->hier[i];
	return NULL;
}

/* Kills, then removes, in every hierarchy where the cgroup is; the
 * first error is kept, the others still tried. */
bool dg_remove(struct dg_set *s, GError **err)
{
	const struct dg_hier *fz = freezer_of(s);
	GError *first = NULL;
	unsigned found = 0;

	for (unsigned i = 0; i < s->n; i++) {
		const struct dg_hier *dh = &s->hier[i];

		if (exists(dh) && ++found)
			cg_kill_all(&dh->h, dh->path, fz ? &fz->h : NULL, fz ? fz->path : NULL,
				    first ? NULL : &first);
	}
	if (!found)
		return rt_fail(err, RT_ERROR_CGROUP, "no delegated cgroup %s", s->name);
	for (unsigned i = 0; i < s->n; i++)
		cg_remove(&s->hier[i].h, s->hier[i].path, first ? NULL : &first);
	if (first) {
		g_propagate_prefixed_error(err, first, "removing %s: ", s->name);
		return to_rt(false, err);
	}
	return true;
}
