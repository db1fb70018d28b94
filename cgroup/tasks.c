/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Task lists: walking a cgroup and its sub-cgroups (a container's
 * processes often sit in sub-cgroups of its cgroup: systemd inside it, or
 * cgroup2's no-internal-processes rule), reading the thread list of each
 * and /proc/TID/stat per thread.  Cost grows with the cgroups and threads
 * of this subtree only.
 */
#include "cgroup/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cgi_task_ctrl(const struct cg_layout *l, const struct cg_paths *p)
{
	static const int order[] = { CG_PIDS, CG_CPUACCT, CG_CPU, CG_MEMORY,
				     CG_CPUSET, CG_IO, CG_PSI };
	int first = -1;

	for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
		int c = order[i];

		if (l->ctrl[c] < 0 || !p->path[c])
			continue;
		if (*p->path[c])
			return c;
		if (first < 0)
			first = c;
	}
	return first;
}

#define WALK_MAX_DEPTH 64

/* Names of the sub-cgroups of @rel; NULL + err when it cannot be opened
 * (ENOENT: the cgroup went away). */
static GPtrArray *list_children(const struct cg_hier *h, const char *rel,
				GError **err)
{
	int fd = openat(h->dirfd, *rel ? rel : ".",
			O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	GPtrArray *names;
	DIR *d;
	struct dirent *e;

	if (fd < 0 || !(d = fdopendir(fd))) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		cgi_set_errno(err, saved, "listing", h->mountpoint, rel);
		return NULL;
	}
	names = g_ptr_array_new_with_free_func(g_free);
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN &&
		     fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		     S_ISDIR(st.st_mode)))
			g_ptr_array_add(names, g_strdup(e->d_name));
	}
	closedir(d);
	return names;
}

static bool walk(const struct cg_hier *h, const char *rel, int depth,
		 cgi_visit_fn fn, void *ctx, GError **err)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GPtrArray) kids = NULL;

	if (!fn(h, rel, ctx, &local) ||
	    (depth < WALK_MAX_DEPTH && !(kids = list_children(h, rel, &local)))) {
		/* a sub-cgroup removed during the walk is skipped */
		if (depth > 0 &&
		    g_error_matches(local, CG_ERROR, CG_ERROR_NOENT))
			return true;
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	for (guint i = 0; kids && i < kids->len; i++) {
		g_autofree char *sub = cgi_join(rel, kids->pdata[i]);

		if (!walk(h, sub, depth + 1, fn, ctx, err))
			return false;
	}
	return true;
}

bool cgi_walk_subtree(const struct cg_hier *h, const char *path,
		      cgi_visit_fn fn, void *ctx, GError **err)
{
	return walk(h, path, 0, fn, ctx, err);
}

struct tasks_ctx {
	const struct cg_layout *l;
	struct cg_tasks *t;
	uint64_t mark;      /* the previous walk's fork_mark, */
	pid_t mark_tid;     /* fork_mark_tid */
	unsigned newer;     /* threads started after that */
	uint64_t latest;    /* this walk's latest (start, tid) */
	pid_t latest_tid;
};

bool cgi_read_ids(const struct cg_hier *h, const char *rel, const char *file,
		  GArray *ids, GError **err)
{
	g_autofree char *path = cgi_join(rel, file);
	g_autofree char *text = NULL;

	if (!cgi_read_at(h->dirfd, h->mountpoint, path, &text, err))
		return false;
	if (!cgi_parse_idlist(text, ids)) {
		cgi_set_parse(err, h->mountpoint, path, "not a list of ids");
		return false;
	}
	return true;
}

/* Counts the processes of one cgroup: the lines of cgroup.procs (one
 * small read) rather than a Tgid lookup per thread.  A v2 threaded
 * cgroup refuses cgroup.procs (EOPNOTSUPP): its processes are counted
 * in their domain cgroup. */
static bool count_procs(const struct cg_hier *h, const char *rel,
			struct cg_tasks *t, GError **err)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_autoptr(GError) local = NULL;

	if (!cgi_read_ids(h, rel, "cgroup.procs", ids, &local)) {
		if (h->v2 && g_error_matches(local, CG_ERROR, CG_ERROR_IO))
			return true;
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	t->nr_procs += ids->len;
	return true;
}

/* (start time, tid) in the order threads are made: by start tick, and
 * within a tick by tid (the kernel hands out pids upwards). */
static bool later(uint64_t start, pid_t tid, uint64_t than, pid_t than_tid)
{
	return start > than || (start == than && tid > than_tid);
}

/* One thread of the walk, for the fork count. */
static void note_start(struct tasks_ctx *c, pid_t tid, uint64_t start)
{
	c->newer += later(start, tid, c->mark, c->mark_tid);
	if (later(start, tid, c->latest, c->latest_tid)) {
		c->latest = start;
		c->latest_tid = tid;
	}
}

/*
 * The fork count: the previous count plus the threads made after the
 * latest one the previous walks saw.  Threads that exit never take
 * anything away; a thread that starts and exits between two walks is
 * not seen (docs/proc-stat.md).
 */
static void count_forks(const struct tasks_ctx *c, struct cg_tasks *t,
			const struct cg_tasks *prev)
{
	t->forks = prev->forks + c->newer;
	t->fork_mark = prev->fork_mark;
	t->fork_mark_tid = prev->fork_mark_tid;
	if (later(c->latest, c->latest_tid, prev->fork_mark, prev->fork_mark_tid)) {
		t->fork_mark = c->latest;
		t->fork_mark_tid = c->latest_tid;
	}
}

static bool visit_tasks(const struct cg_hier *h, const char *rel, void *ctx,
			GError **err)
{
	struct tasks_ctx *c = ctx;
	g_autoptr(GArray) tids = g_array_new(FALSE, FALSE, sizeof(pid_t));

	if (!cgi_read_ids(h, rel, h->v2 ? "cgroup.threads" : "tasks", tids, err) ||
	    !count_procs(h, rel, c->t, err))
		return false;
	for (guint i = 0; i < tids->len; i++) {
		pid_t tid = g_array_index(tids, pid_t, i);
		g_autofree char *text = NULL;
		struct cg_pid_stat st;

		/* a thread that exited meanwhile is skipped */
		if (!cgi_read_proc(c->l, tid, "stat", &text, NULL) ||
		    !cg_pid_stat_parse(text, &st))
			continue;
		c->t->nr_threads++;
		c->t->nr_running += st.state == 'R';
		c->t->nr_blocked += st.state == 'D';
		c->t->last_pid = MAX(c->t->last_pid, tid);
		note_start(c, tid, st.starttime);
	}
	return true;
}

/* Only the fork count of @prev carries over into *@out. */
static void reset_keeping_forks(struct cg_tasks *out, const struct cg_tasks *prev)
{
	memset(out, 0, sizeof(*out));
	out->forks = prev->forks;
	out->fork_mark = prev->fork_mark;
	out->fork_mark_tid = prev->fork_mark_tid;
}

bool cg_read_tasks(const struct cg_layout *l, const struct cg_paths *p,
		   struct cg_tasks *out, GError **err)
{
	int c = cgi_task_ctrl(l, p);
	const struct cg_tasks prev = *out;
	struct tasks_ctx ctx = { .l = l, .t = out, .mark = prev.fork_mark,
				 .mark_tid = prev.fork_mark_tid };

	reset_keeping_forks(out, &prev);
	if (c < 0)
		return true;
	if (!cgi_walk_subtree(cg_layout_hier(l, c), p->path[c], visit_tasks,
			      &ctx, err)) {
		reset_keeping_forks(out, &prev);
		return false;
	}
	count_forks(&ctx, out, &prev);
	out->valid = true;
	return true;
}
