/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/stat "processes" (cg_tasks.forks): a fork count that never goes
 * down when threads exit, and grows by exactly the threads started since
 * the last walk.  On a copy of the cgroup-v1 fixture whose task lists
 * and /proc/TID/stat files the test edits between walks.
 */
#include "fixture.h"
#include "proc/proc.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct tree {
	char *top; /* the temporary directory */
	char *dir; /* its copy of the fixture */
	struct cg_layout l;
	struct cg_paths p;
};

static void tree_open(struct tree *t)
{
	g_autofree char *src = fixture_dir("cgroup-v1");
	g_autofree char *mi = NULL, *proc = NULL;
	g_autoptr(GError) err = NULL;
	const char *argv[] = { "cp", "-a", src, NULL, NULL };
	int status;

	t->top = g_dir_make_tmp("corral-forks-XXXXXX", &err);
	g_assert_no_error(err);
	argv[3] = t->top;
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
				   NULL, NULL, NULL, NULL, &status, &err));
	g_assert_true(g_spawn_check_wait_status(status, &err));
	t->dir = g_build_filename(t->top, "cgroup-v1", NULL);
	mi = g_build_filename(t->dir, "mountinfo", NULL);
	proc = g_build_filename(t->dir, "proc", NULL);
	g_assert_true(cg_layout_open_fixture(&t->l, mi, t->dir, proc, &err));
	g_assert_true(cg_paths_of_pid(&t->l, 100, &t->p, &err));
	g_assert_no_error(err);
}

static void tree_close(struct tree *t)
{
	const char *argv[] = { "rm", "-rf", t->top, NULL };

	cg_paths_clear(&t->p);
	cg_layout_close(&t->l);
	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
				   NULL, NULL, NULL, NULL, NULL, NULL));
	g_free(t->dir);
	g_free(t->top);
}

/* Writes @text to <tree>/@rel. */
static void put(const struct tree *t, const char *rel, const char *text)
{
	g_autofree char *path = g_build_filename(t->dir, rel, NULL);
	g_autoptr(GError) err = NULL;

	g_assert_true(g_file_set_contents(path, text, -1, &err));
}

/* A thread @tid in state S that started at @start ticks. */
static void add_thread(const struct tree *t, int tid, unsigned start)
{
	g_autofree char *dir = g_strdup_printf("%s/proc/%d", t->dir, tid);
	g_autofree char *rel = g_strdup_printf("proc/%d/stat", tid);
	g_autofree char *stat = g_strdup_printf(
		"%d (t) S 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %u 0 0\n",
		tid, start);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	put(t, rel, stat);
}

#define TASKS "sys/fs/cgroup/pids/lxc/c1/tasks"

static uint64_t walk(const struct tree *t, struct cg_tasks *ts)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(cg_read_tasks(&t->l, &t->p, ts, &err));
	g_assert_no_error(err);
	return ts->forks;
}

/* The "processes" line render_stat() makes of @ts. */
static char *processes_line(const struct cg_tasks *ts)
{
	g_autoptr(GString) out = g_string_new(NULL);
	struct cpuview v = { .n = 1 };
	const char *p;

	render_stat(NULL, &v, NULL, 1.0, ts, out);
	p = strstr(out->str, "processes ");
	g_assert_nonnull(p);
	return g_strndup(p, strcspn(p, "\n"));
}

static void test_exits_and_starts(void)
{
	struct tree t;
	struct cg_tasks ts = { 0 };

	tree_open(&t);
	/* 100 (5000), 101 (5001), 102 (4500), sub/104 (4000); 103 gone */
	g_assert_cmpuint(walk(&t, &ts), ==, 4);
	g_assert_cmpuint(ts.fork_mark, ==, 5001);
	g_assert_cmpint(ts.fork_mark_tid, ==, 101);
	/* 101 and 102 exit: 2 threads left, the count stays */
	put(&t, TASKS, "100\n103\n");
	g_assert_cmpuint(walk(&t, &ts), ==, 4);
	g_assert_cmpuint(ts.nr_threads, ==, 2);
	g_autofree char *line = processes_line(&ts);
	g_assert_cmpstr(line, ==, "processes 4");
	/* 110 starts in the tick of the last start (5001), 111 later */
	add_thread(&t, 110, 5001);
	add_thread(&t, 111, 6000);
	put(&t, TASKS, "100\n110\n111\n");
	g_assert_cmpuint(walk(&t, &ts), ==, 6);
	g_assert_cmpuint(ts.nr_threads, ==, 4);
	/* nothing new: the same */
	g_assert_cmpuint(walk(&t, &ts), ==, 6);
	/* all but 100 exit (111 too), 112 starts in the tick of 111 */
	add_thread(&t, 112, 6000);
	put(&t, TASKS, "100\n112\n");
	put(&t, "sys/fs/cgroup/pids/lxc/c1/sub/tasks", "");
	g_assert_cmpuint(walk(&t, &ts), ==, 7);
	g_assert_cmpuint(ts.nr_threads, ==, 2);
	/* 113 in that tick too; 112 is not counted twice */
	add_thread(&t, 113, 6000);
	put(&t, TASKS, "100\n112\n113\n");
	g_assert_cmpuint(walk(&t, &ts), ==, 8);
	g_assert_cmpuint(walk(&t, &ts), ==, 8);
	/* everything but 100 exits */
	put(&t, TASKS, "100\n");
	g_assert_cmpuint(walk(&t, &ts), ==, 8);
	g_assert_cmpuint(ts.nr_threads, ==, 1);
	g_free(line);
	line = processes_line(&ts);
	g_assert_cmpstr(line, ==, "processes 8");
	tree_close(&t);
}

/* A failed walk keeps the count for the next one. */
static void test_failure_keeps_count(void)
{
	struct tree t;
	struct cg_tasks ts = { 0 };
	g_autoptr(GError) err = NULL;
	g_autofree char *procs = NULL;

	tree_open(&t);
	g_assert_cmpuint(walk(&t, &ts), ==, 4);
	procs = g_build_filename(t.dir, "sys/fs/cgroup/pids/lxc/c1/tasks", NULL);
	g_assert_cmpint(g_chmod(procs, 0), ==, 0);
	if (access(procs, R_OK) == 0) { /* root reads it anyway */
		put(&t, TASKS, "100\nnot-a-tid\n");
	}
	g_assert_false(cg_read_tasks(&t.l, &t.p, &ts, &err));
	g_assert_nonnull(err);
	g_assert_false(ts.valid);
	g_assert_cmpuint(ts.forks, ==, 4);
	g_assert_cmpuint(ts.nr_threads, ==, 0);
	g_assert_cmpint(g_chmod(procs, 0644), ==, 0);
	put(&t, TASKS, "100\n");
	g_assert_cmpuint(walk(&t, &ts), ==, 4);
	tree_close(&t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/forks/exits-and-starts", test_exits_and_starts);
	g_test_add_func("/cgroup/forks/failure-keeps-count", test_failure_keeps_count);
	return g_test_run();
}
