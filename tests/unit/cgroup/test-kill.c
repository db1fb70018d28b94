/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cg_kill_all on a real cgroup holding a fork bomb (bounded by pids.max):
 * every process dies, none escapes, the cgroup can be removed.  Root only
 * (real cgroups, children of this process's own cgroups, removed after).
 */
#include "cgroup/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* the sanitizer lane: sanitized processes are many times slower to stop
 * and kill, so a smaller bomb fits the same 5 s bound */
#define BOMB_MAX "400"
#define BOMB_MIN 250
#else
#define BOMB_MAX "1500"   /* pids.max of the bomb's cgroup */
#define BOMB_MIN 1000    /* processes before the kill */
#endif

struct cg {
	const struct cg_hier *h;
	char *path;
};

struct bed {
	struct cg_layout l;
	struct cg pids;       /* the bomb's cgroup in the pids hierarchy */
	struct cg_hier fz;    /* v1 freezer hierarchy (dirfd -1: none) */
	struct cg frz;        /* the bomb's cgroup in it */
	volatile gint stop;   /* ends the reaper */
	GThread *reaper;
};

/* Orphans of the bomb come to us (subreaper): reap them, or they keep
 * their pids charged and their slots in pids.max. */
static gpointer reap(gpointer data)
{
	struct bed *b = data;

	while (!g_atomic_int_get(&b->stop))
		if (waitpid(-1, NULL, WNOHANG) <= 0)
			g_usleep(200);
	return NULL;
}

/* Each process forks two children and exits: the population doubles up
 * to the pids.max bound and then churns there, every listing going stale
 * as it is read (a listed pid has exited, its children are not listed). */
static G_GNUC_NORETURN void bomb(void)
{
	for (unsigned made = 0;;) {
		pid_t c = fork();

		if (c < 0)
			usleep(100);
		else if (c == 0)
			made = 0;
		else if (++made == 2)
			_exit(0);
	}
}

static bool make(const struct cg_hier *h, const char *own, struct cg *out,
		 GError **err)
{
	g_autofree char *name = g_strdup_printf("corral-kill-%d", (int)getpid());
	unsigned n;

	out->h = h;
	out->path = own && *own ? g_strconcat(own, "/", name, NULL) : g_strdup(name);
	return cg_create(h, own ? own : "", name, NULL, NULL, &n, err);
}

static void start_bomb(struct bed *b)
{
	pid_t pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		if (!cg_attach(b->pids.h, b->pids.path, getpid(), NULL) ||
		    (b->frz.h && !cg_attach(b->frz.h, b->frz.path, getpid(), NULL)))
			_exit(1);
		bomb();
	}
}

static guint count(const struct bed *b)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_autoptr(GError) err = NULL;

	g_assert_true(cg_list_pids_recursive(b->pids.h, b->pids.path, pids, &err));
	return pids->len;
}

static bool setup(struct bed *b)
{
	struct cg_paths p = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *fown = NULL;

	memset(b, 0, sizeof(*b));
	b->fz.dirfd = -1;
	g_assert_true(cg_layout_open(&b->l, &err));
	g_assert_true(cg_paths_of_pid(&b->l, getpid(), &p, &err));
	if (!cg_layout_hier(&b->l, CG_PIDS) || !p.path[CG_PIDS]) {
		cg_paths_clear(&p);
		return false;
	}
	g_assert_true(make(cg_layout_hier(&b->l, CG_PIDS), p.path[CG_PIDS], &b->pids, &err));
	cg_paths_clear(&p);
	g_assert_true(cg_write(b->pids.h, b->pids.path, "pids.max", BOMB_MAX, &err));
	if (!b->l.hier[b->l.ctrl[CG_PIDS]].v2) {
		g_assert_true(cg_v1_hier_open(&b->l, "freezer", getpid(), &b->fz, &fown, &err));
		if (b->fz.dirfd >= 0)
			g_assert_true(make(&b->fz, fown, &b->frz, &err));
	}
	g_assert_no_error(err);
	g_assert_cmpint(prctl(PR_SET_CHILD_SUBREAPER, 1), ==, 0);
	b->reaper = g_thread_new("reaper", reap, b);
	return true;
}

/* Whatever happened: freeze, kill, thaw until empty, then remove. */
static void teardown(struct bed *b)
{
	for (int i = 0; i < 2000 && count(b) > 0; i++) {
		g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));

		if (b->frz.h)
			(void)cg_freeze(b->frz.h, b->frz.path, true, NULL);
		(void)cg_list_pids_recursive(b->pids.h, b->pids.path, pids, NULL);
		for (guint k = 0; k < pids->len; k++)
			kill(g_array_index(pids, pid_t, k), SIGKILL);
		if (b->frz.h)
			(void)cg_freeze(b->frz.h, b->frz.path, false, NULL);
		g_usleep(1000);
	}
	g_atomic_int_set(&b->stop, 1);
	g_thread_join(b->reaper);
	g_assert_true(cg_remove(b->pids.h, b->pids.path, NULL));
	if (b->frz.h)
		g_assert_true(cg_remove(b->frz.h, b->frz.path, NULL));
	g_free(b->pids.path);
	g_free(b->frz.path);
	cg_hier_clear(&b->fz);
	cg_layout_close(&b->l);
}

static void test_fork_bomb(void)
{
	struct bed b;
	g_autoptr(GError) err = NULL;
	guint before = 0, after, later;
	gint64 t0, ms;
	bool ok;

	if (geteuid() != 0) {
		g_test_skip("needs root (real cgroups)");
		return;
	}
	if (!setup(&b)) {
		g_test_skip("no pids hierarchy to bound the fork bomb");
		return;
	}
	start_bomb(&b);
	for (int i = 0; i < 500 && (before = count(&b)) < BOMB_MIN; i++)
		g_usleep(10000);
	t0 = g_get_monotonic_time();
	ok = cg_kill_all(b.pids.h, b.pids.path, b.frz.h, b.frz.path, &err);
	ms = (g_get_monotonic_time() - t0) / 1000;
	after = count(&b);
	g_usleep(200000);
	later = count(&b);
	g_test_message("%s: %u processes, %u left after cg_kill_all (%u after 0.2 s),"
		       " %" G_GINT64_FORMAT " ms%s%s%s", b.pids.path, before, after, later,
		       ms, b.frz.h ? ", v1 freezer" : "", err ? ": " : "",
		       err ? err->message : "");
	teardown(&b); /* the bomb is gone before any assertion */
	g_assert_cmpuint(before, >=, BOMB_MIN);
	g_assert_no_error(err);
	g_assert_true(ok);
	g_assert_cmpuint(after, ==, 0);
	g_assert_cmpuint(later, ==, 0);
}

/* A pid that stays listed (above any pid_max: kill() gives ESRCH) in a
 * plain-directory v1 freezer "hierarchy": frozen and thawed each round
 * (freezer.state ends THAWED, written without a newline), then the error
 * after CG_KILL_WAIT_US.  With the caller listed too, nothing is frozen
 * (freezer.state is never written).  No root needed. */
static void bounded(bool self)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *listed = self ? g_strdup_printf("%d\n4194399\n", (int)getpid())
				       : g_strdup("4194399\n");
	g_autofree char *dir = g_dir_make_tmp("corral-kill-XXXXXX", &err);
	g_autofree char *c = g_build_filename(dir, "c", NULL);
	g_autofree char *procs = g_build_filename(c, "cgroup.procs", NULL);
	g_autofree char *state = g_build_filename(c, "freezer.state", NULL);
	g_autofree char *text = NULL, *want = NULL;
	struct cg_hier h = { .v2 = false, .mountpoint = dir };
	gint64 t0 = g_get_monotonic_time(), ms;

	g_assert_cmpint(g_mkdir(c, 0755), ==, 0);
	g_assert_true(g_file_set_contents(procs, listed, -1, NULL));
	g_assert_true(g_file_set_contents(state, "THAWED\n", -1, NULL));
	h.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	g_assert_false(cg_kill_all(&h, "c", NULL, NULL, &err));
	ms = (g_get_monotonic_time() - t0) / 1000;
	want = g_strdup_printf("killing the processes of %s/c: 1 still there after 5 s", dir);
	g_assert_error(err, CG_ERROR, CG_ERROR_BUSY);
	g_assert_cmpstr(err->message, ==, want);
	g_assert_cmpint(ms, >=, 5000);
	g_assert_cmpint(ms, <, 7000);
	g_assert_true(g_file_get_contents(state, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, self ? "THAWED\n" : "THAWED"); /* never left frozen */
	close(h.dirfd);
	g_assert_cmpint(unlink(procs) | unlink(state) | rmdir(c) | rmdir(dir), ==, 0);
}

static void test_bounded(void)
{
	bounded(false);
}

static void test_self_not_frozen(void)
{
	bounded(true);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/kill/bounded", test_bounded);
	g_test_add_func("/cgroup/kill/self-not-frozen", test_self_not_frozen);
	g_test_add_func("/cgroup/kill/fork-bomb", test_fork_bomb);
	return g_test_run();
}
