/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing cgroups: making and removing cgroup directories, writing control
 * files, moving processes in, listing and killing them.  The cgroup module
 * knows nothing of containers: callers say which hierarchy, which cgroup
 * (relative to the hierarchy's root) and which file.
 *
 * Why not libcgroup's cgroup_new_cgroup / cgroup_add_controller /
 * cgroup_add_value_string / cgroup_create_cgroup / cgroup_attach_task_pid /
 * cgroup_delete_cgroup here (libcgroup 2.0.2):
 *  - It resolves every path from the mount table it read at cgroup_init()
 *    on each call.  It cannot express "this cgroup below the caller's own
 *    cgroup in each hierarchy" when those differ per hierarchy (this
 *    host: memory under /process_api/<id>, cpu and cpuacct at / on
 *    separate mounts), and it misses a cgroup2 mount that has no
 *    controllers (a hybrid host's /sys/fs/cgroup/unified, where PSI is).
 *    It cannot run on fixture trees either, so nothing of it would be
 *    unit-testable without root.
 *  - cgroup_create_cgroup() makes missing parents silently and accepts an
 *    existing cgroup: we must know which levels we made (to remove exactly
 *    those) and refuse to reuse a cgroup; v1 cpuset levels need the
 *    parent's cpus/mems before anything else happens in them.
 *  - Its errors are ECG* codes plus a thread-local errno: they do not say
 *    which file or which value failed, and ours must.
 *  - cgroup_attach_task_pid() writes to v1's "tasks" (one thread), and
 *    cgroup_delete_cgroup() moves remaining tasks to the parent, where we
 *    want them killed, never moved out of the container's cgroup.
 * Directory-fd-relative syscalls do each step exactly once, with the exact
 * path in the error.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RMDIR_TRIES 200 /* x 5 ms: about a second for dying tasks */

/* "<mountpoint>/<path>/<file>" without empty parts. */
static char *full_path(const struct cg_hier *h, const char *path,
		       const char *file)
{
	g_autofree char *rel = file ? cgi_join(path, file) : g_strdup(path);

	return *rel ? g_strconcat(h->mountpoint, "/", rel, NULL)
		    : g_strdup(h->mountpoint);
}

static int code_of(int errnum)
{
	switch (errnum) {
	case ENOENT: return CG_ERROR_NOENT;
	case EBUSY: return CG_ERROR_BUSY;
	default: return CG_ERROR_IO;
	}
}

/* "@op <full path>: <strerror>" */
static bool fail(GError **err, int errnum, const char *op,
		 const struct cg_hier *h, const char *path, const char *file)
{
	g_autofree char *p = full_path(h, path, file);

	g_set_error(err, CG_ERROR, code_of(errnum), "%s %s: %s", op, p,
		    g_strerror(errnum));
	return false;
}

static bool write_fail(GError **err, int errnum, const struct cg_hier *h,
		       const char *rel, const char *value)
{
	g_autofree char *p = full_path(h, rel, NULL);
	g_autofree char *v = g_strchomp(g_strdup(value));

	g_set_error(err, CG_ERROR, code_of(errnum), "writing '%s' to %s: %s",
		    v, p, g_strerror(errnum));
	return false;
}

bool cg_write(const struct cg_hier *h, const char *path, const char *file,
	      const char *value, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);
	size_t len = strlen(value);
	ssize_t n;
	int fd, saved;

	/* O_TRUNC is what a shell's '>' does: cgroupfs ignores it, and a
	 * plain-file fixture then holds exactly the last value written */
	fd = openat(h->dirfd, rel, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return write_fail(err, errno, h, rel, value);
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	saved = n < 0 ? errno : EIO;
	close(fd);
	if (n < 0 || (size_t)n != len)
		return write_fail(err, saved, h, rel, value);
	return true;
}

bool cg_read_value(const struct cg_hier *h, const char *path,
		   const char *file, char **text, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	return cgi_read_at(h->dirfd, h->mountpoint, rel, text, err);
}

bool cg_file_exists(const struct cg_hier *h, const char *path,
		    const char *file)
{
	g_autofree char *rel = cgi_join(path, file);

	return faccessat(h->dirfd, rel, F_OK, 0) == 0;
}

bool cg_copy_from_parent(const struct cg_hier *h, const char *path,
			 const char *file, GError **err)
{
	g_autofree char *parent = g_strdup(path);
	g_autofree char *text = NULL;

	if (!cgi_parent(parent)) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO,
			    "copying %s: %s is a root cgroup", file,
			    h->mountpoint);
		return false;
	}
	if (!cg_read_value(h, parent, file, &text, err))
		return false;
	return cg_write(h, path, file, g_strstrip(text), err);
}

bool cg_attach(const struct cg_hier *h, const char *path, pid_t pid,
	       GError **err)
{
	char buf[24];

	g_snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cg_write(h, path, "cgroup.procs", buf, err);
}

bool cg_list_pids(const struct cg_hier *h, const char *path, GArray *pids,
		  GError **err)
{
	return cgi_read_ids(h, path, "cgroup.procs", pids, err);
}

/* ---- creating ----------------------------------------------------- */

/* Removes @path and up to @n - 1 of its parents (what cg_create made),
 * deepest first; errors ignored (undoing a failed create). */
static void unmake(const struct cg_hier *h, const char *path, unsigned n)
{
	g_autofree char *p = g_strdup(path);

	for (unsigned i = 0; i < n; i++) {
		(void)unlinkat(h->dirfd, p, AT_REMOVEDIR);
		if (!cgi_parent(p))
			break;
	}
}

/* mkdir of one level: *@made false when it existed and may (!@last). */
static bool make_level(const struct cg_hier *h, const char *path, bool last,
		       bool *made, GError **err)
{
	*made = mkdirat(h->dirfd, path, 0755) == 0;
	if (*made || (errno == EEXIST && !last))
		return true;
	if (errno == EEXIST) {
		g_autofree char *p = full_path(h, path, NULL);

		g_set_error(err, CG_ERROR, CG_ERROR_IO,
			    "creating cgroup %s: it exists already", p);
		return false;
	}
	return fail(err, errno, "creating cgroup", h, path, NULL);
}

bool cg_create(const struct cg_hier *h, const char *base, const char *rel,
	       cg_level_fn fn, void *ctx, unsigned *ncreated, GError **err)
{
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	g_autoptr(GString) cur = g_string_new(base);
	guint depth = g_strv_length(parts);
	unsigned made_n = 0;

	*ncreated = 0;
	if (fn && !fn(h, base, false, false, ctx, err))
		return false;
	for (guint i = 0; i < depth; i++) {
		bool last = i + 1 == depth, made;

		if (cur->len)
			g_string_append_c(cur, '/');
		g_string_append(cur, parts[i]);
		if (!make_level(h, cur->str, last, &made, err)) {
			cgi_parent(cur->str);
			unmake(h, cur->str, made_n);
			return false;
		}
		/* levels made are the trailing ones: an existing level
		 * below a made one would be a concurrent creator's */
		made_n = made ? made_n + 1 : 0;
		if (fn && !fn(h, cur->str, made, last, ctx, err)) {
			unmake(h, cur->str, made_n);
			return false;
		}
	}
	*ncreated = made_n;
	return true;
}

bool cg_enable_controllers(const struct cg_hier *h, const char *path,
			   const char *const *names, GError **err)
{
	g_autofree char *avail = NULL, *enabled = NULL;
	g_auto(GStrv) av = NULL, en = NULL;
	g_autoptr(GString) want = g_string_new(NULL);

	if (!cg_read_value(h, path, "cgroup.controllers", &avail, err) ||
	    !cg_read_value(h, path, "cgroup.subtree_control", &enabled, err))
		return false;
	av = cgi_parse_words(avail);
	en = cgi_parse_words(enabled);
	for (const char *const *n = names; *n; n++) {
		if (g_strv_contains((const char *const *)av, *n) &&
		    !g_strv_contains((const char *const *)en, *n))
			g_string_append_printf(want, "%s+%s",
					       want->len ? " " : "", *n);
	}
	if (!want->len)
		return true;
	return cg_write(h, path, "cgroup.subtree_control", want->str, err);
}

/* ---- killing and removing ----------------------------------------- */

/* Every cgroup of the subtree, parents before children. */
static bool collect(const struct cg_hier *h, const char *rel, void *ctx,
		    GError **err)
{
	(void)h;
	(void)err;
	g_ptr_array_add(ctx, g_strdup(rel));
	return true;
}

static GPtrArray *subtree(const struct cg_hier *h, const char *path,
			  GError **err)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);

	if (!cgi_walk_subtree(h, path, collect, all, err))
		return NULL;
	return g_steal_pointer(&all);
}

/* What a kill round saw: the processes listed, and whether the caller
 * was one of them (it is never killed, nor frozen). */
struct kill_seen {
	unsigned n;
	bool self;
};

/* SIGKILLs the listed pids of @path (not the caller), counted in @seen. */
static bool kill_listed(const struct cg_hier *h, const char *path,
			struct kill_seen *seen, GError **err)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_autoptr(GError) local = NULL;

	if (!cg_list_pids(h, path, pids, &local)) {
		if (g_error_matches(local, CG_ERROR, CG_ERROR_NOENT))
			return true; /* gone meanwhile */
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	for (guint i = 0; i < pids->len; i++) {
		pid_t pid = g_array_index(pids, pid_t, i);

		if (pid == getpid()) {
			seen->self = true;
			continue;
		}
		seen->n++;
		if (kill(pid, SIGKILL) < 0 && errno != ESRCH) {
			g_set_error(err, CG_ERROR, CG_ERROR_IO,
				    "killing pid %d of %s/%s: %s", (int)pid,
				    h->mountpoint, path, g_strerror(errno));
			return false;
		}
	}
	return true;
}

/* One listing of the subtree, every process in it SIGKILLed. */
static bool kill_round(const struct cg_hier *h, const char *path,
		       struct kill_seen *seen, GError **err)
{
	g_autoptr(GPtrArray) all = subtree(h, path, err);

	*seen = (struct kill_seen){ 0 };
	if (!all)
		return false;
	for (guint i = 0; i < all->len; i++)
		if (!kill_listed(h, all->pdata[i], seen, err))
			return false;
	return true;
}

/* Freezes (@fz, when there is one), kills what is listed, thaws: a
 * frozen process cannot fork between the listing and its SIGKILL, and
 * dies of it once thawed.  A freeze that does not complete in its 2 s (a
 * task stuck in D; cg_freeze undoes it) still gets the kill round: its
 * error is not the one to report. */
static bool frozen_round(const struct cg_hier *h, const char *path,
			 const struct cg_hier *fz, const char *fpath,
			 struct kill_seen *seen, GError **err)
{
	bool ok;

	if (fz)
		(void)cg_freeze(fz, fpath, true, NULL);
	ok = kill_round(h, path, seen, err);
	if (fz && !cg_freeze(fz, fpath, false, ok ? err : NULL))
		return false;
	return ok;
}

/* Counts the processes of the subtree other than the caller. */
static bool list_others(const struct cg_hier *h, const char *path,
			struct kill_seen *seen, GError **err)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));

	*seen = (struct kill_seen){ 0 };
	if (!cg_list_pids_recursive(h, path, pids, err))
		return false;
	for (guint i = 0; i < pids->len; i++) {
		if (g_array_index(pids, pid_t, i) == getpid())
			seen->self = true;
		else
			seen->n++;
	}
	return true;
}

/* The freezer to use for @h/@path: the one given, else @h itself when
 * it has one there (v1 freezer hierarchy, v2 cgroup.freeze). */
static const struct cg_hier *kill_freezer(const struct cg_hier *h,
					  const char *path,
					  const struct cg_hier *fz,
					  const char **fpath)
{
	if (fz && fz->dirfd >= 0)
		return fz;
	*fpath = path;
	if (cg_file_exists(h, path, h->v2 ? "cgroup.freeze" : "freezer.state"))
		return h;
	return NULL;
}

static bool still_there(const struct cg_hier *h, const char *path, unsigned n,
			GError **err)
{
	g_autofree char *p = full_path(h, path, NULL);

	g_set_error(err, CG_ERROR, CG_ERROR_BUSY,
		    "killing the processes of %s: %u still there after %d s",
		    p, n, (int)(CG_KILL_WAIT_US / G_USEC_PER_SEC));
	return false;
}

/* Rounds until a listing shows no process (SIGKILLed ones stay listed
 * until they have exited), the error once @until has passed.  With
 * @list_only a round only lists (cgroup.kill sent the signals), else it
 * is a frozen_round. */
static bool rounds_until_empty(const struct cg_hier *h, const char *path,
			       const struct cg_hier *fz, const char *fpath,
			       bool list_only, gint64 until, GError **err)
{
	struct kill_seen seen;

	for (;;) {
		if (!(list_only ? list_others(h, path, &seen, err)
				: frozen_round(h, path, fz, fpath, &seen, err)))
			return false;
		if (!seen.n)
			return true;
		if (g_get_monotonic_time() >= until)
			return still_there(h, path, seen.n, err);
		g_usleep(1000);
	}
}

/* v2's cgroup.kill SIGKILLs the whole subtree at once; it is empty once
 * they have all exited (a thousand dying processes take a while). */
static bool kill_by_cgroup_kill(const struct cg_hier *h, const char *path,
				gint64 until, GError **err)
{
	if (!cg_write(h, path, "cgroup.kill", "1", err))
		return false;
	return rounds_until_empty(h, path, NULL, NULL, true, until, err);
}

bool cg_kill_all(const struct cg_hier *h, const char *path,
		 const struct cg_hier *freezer, const char *fpath, GError **err)
{
	gint64 until = g_get_monotonic_time() + CG_KILL_WAIT_US;
	const struct cg_hier *fz;
	struct kill_seen seen;

	if (h->v2 && cg_file_exists(h, path, "cgroup.kill"))
		return kill_by_cgroup_kill(h, path, until, err);
	/* most cgroups are empty already: no freezing for them */
	if (!list_others(h, path, &seen, err))
		return false;
	if (!seen.n)
		return true;
	fz = seen.self ? NULL : kill_freezer(h, path, freezer, &fpath);
	return rounds_until_empty(h, path, fz, fpath, false, until, err);
}

/* rmdir, retrying EBUSY while the last tasks exit.  ENOENT is fine. */
static bool remove_one(const struct cg_hier *h, const char *path,
		       GError **err)
{
	for (int i = 0; i < RMDIR_TRIES; i++) {
		if (unlinkat(h->dirfd, path, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return true;
		if (errno != EBUSY)
			break;
		g_usleep(5000);
	}
	return fail(err, errno, "removing cgroup", h, path, NULL);
}

bool cg_remove(const struct cg_hier *h, const char *path, GError **err)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GPtrArray) all = subtree(h, path, &local);

	if (!all) {
		if (g_error_matches(local, CG_ERROR, CG_ERROR_NOENT))
			return true;
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	for (guint i = all->len; i-- > 0;)
		if (!remove_one(h, all->pdata[i], err))
			return false;
	return true;
}

void cg_remove_parents(const struct cg_hier *h, const char *path, unsigned n)
{
	g_autofree char *p = g_strdup(path);

	for (unsigned i = 0; i < n && cgi_parent(p) && *p; i++)
		if (unlinkat(h->dirfd, p, AT_REMOVEDIR) < 0 && errno != ENOENT)
			break; /* EBUSY/ENOTEMPTY: someone else's now */
}

/* ---- a hierarchy the layout does not track ------------------------- */

/* The layout's mount point prefix ("" on a host, the fixture directory
 * in tests): what the layout's first v1 mount point has before the
 * longest cgroup mount point of mountinfo it ends with. */
static char *layout_prefix(const struct cg_layout *l, GArray *mnts)
{
	size_t best = 0;
	const char *mp = NULL;

	for (int i = 0; i < l->nhier && !mp; i++)
		if (!l->hier[i].v2)
			mp = l->hier[i].mountpoint;
	for (guint i = 0; mp && i < mnts->len; i++) {
		const struct mnt *m = &g_array_index(mnts, struct mnt, i);

		if (!m->v2 && g_str_has_suffix(mp, m->mountpoint) &&
		    strlen(m->mountpoint) > best)
			best = strlen(m->mountpoint);
	}
	return best ? g_strndup(mp, strlen(mp) - best) : NULL;
}

/* The mount point of the v1 hierarchy holding @controller, or NULL. */
static char *find_v1_mount(const struct cg_layout *l, const char *controller,
			   GError **err)
{
	g_autofree char *text = NULL, *prefix = NULL;
	g_autoptr(GArray) mnts = NULL;

	if (!cgi_read_at(l->procfd, l->procfs, "self/mountinfo", &text, err))
		return NULL;
	mnts = cgi_cgroup_mounts(text);
	if (!(prefix = layout_prefix(l, mnts)))
		return NULL;
	for (guint i = 0; i < mnts->len; i++) {
		const struct mnt *m = &g_array_index(mnts, struct mnt, i);

		if (!m->v2 && cg_list_has(m->super_opts, controller))
			return g_strconcat(prefix, m->mountpoint, NULL);
	}
	return NULL;
}

/* @pid's cgroup in the v1 hierarchy of @controller, without the '/'. */
static char *v1_path_of(const struct cg_layout *l, const char *controller,
			pid_t pid, GError **err)
{
	g_autofree char *text = NULL;
	g_autoptr(GArray) lines = NULL;

	if (!cgi_read_proc(l, pid, "cgroup", &text, err))
		return NULL;
	if (!(lines = cg_proc_cgroup_parse(text, err))) {
		g_prefix_error(err, "pid %d: ", (int)pid);
		return NULL;
	}
	for (guint i = 0; i < lines->len; i++) {
		const struct cg_proc_cgroup *c =
			&g_array_index(lines, struct cg_proc_cgroup, i);

		if (cg_list_has(c->controllers, controller) &&
		    c->path[0] == '/' && !strstr(c->path, "/.."))
			return g_strdup(c->path + 1);
	}
	g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
		    "pid %d has no cgroup in the %s hierarchy", (int)pid,
		    controller);
	return NULL;
}

bool cg_v1_hier_open(const struct cg_layout *l, const char *controller,
		     pid_t pid, struct cg_hier *out, char **path,
		     GError **err)
{
	GError *local = NULL;
	g_autofree char *mp = find_v1_mount(l, controller, &local);

	memset(out, 0, sizeof(*out));
	out->dirfd = -1;
	*path = NULL;
	if (local) {
		g_propagate_error(err, local);
		return false;
	}
	if (!mp)
		return true;
	if (!(*path = v1_path_of(l, controller, pid, err)))
		return false;
	out->dirfd = open(mp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (out->dirfd < 0) {
		cgi_set_errno(err, errno, "opening", mp, NULL);
		g_clear_pointer(path, g_free);
		return false;
	}
	out->mountpoint = g_steal_pointer(&mp);
	return true;
}

void cg_hier_clear(struct cg_hier *h)
{
	if (h->dirfd >= 0)
		close(h->dirfd);
	h->dirfd = -1;
	g_clear_pointer(&h->mountpoint, g_free);
}
