/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Start times of a process and of a cgroup (cgroup/procinfo.c). */
#include "fixture.h"

#include <string.h>
#include <unistd.h>

/* cg_proc_starttime fails on @pid with @code, the message naming @name. */
static void assert_no_starttime(const struct cg_layout *l, pid_t pid, int code,
				const char *name)
{
	uint64_t t = 0;
	g_autoptr(GError) err = NULL;

	g_assert_false(cg_proc_starttime(l, pid, &t, &err));
	g_assert_error(err, CG_ERROR, code);
	g_assert_nonnull(strstr(err->message, name));
}

static void test_proc_starttime(void)
{
	struct cg_layout l;
	uint64_t t = 0;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-v1");
	/* comm "evil) R 1 2 (x": parsed from the last ')' */
	g_assert_true(cg_proc_starttime(&l, 100, &t, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(t, ==, 5000);
	assert_no_starttime(&l, 302, CG_ERROR_PARSE, "302/stat");
	assert_no_starttime(&l, 999, CG_ERROR_NOENT, "999/stat");
	cg_layout_close(&l);
}

static uint64_t cgroup_start(const char *fixture, pid_t pid)
{
	struct cg_layout l;
	struct cg_paths p;
	uint64_t t = 42;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, fixture);
	fixture_paths(&l, pid, &p);
	g_assert_true(cg_cgroup_starttime(&l, &p, &t, &err));
	g_assert_no_error(err);
	cg_paths_clear(&p);
	cg_layout_close(&l);
	return t;
}

static void test_cgroup_starttime(void)
{
	/* lxc/c1: 100 (5000), 102 (4500), 103 gone, sub/104 (4000) */
	g_assert_cmpuint(cgroup_start("cgroup-v1", 100), ==, 4000);
	g_assert_cmpuint(cgroup_start("cgroup-v1", 1), ==, 0); /* root */
	g_assert_cmpuint(cgroup_start("cgroup-hybrid", 200), ==, 9000);
	g_assert_cmpuint(cgroup_start("cgroup-v2", 400), ==, 6000);
	g_assert_cmpuint(cgroup_start("cgroup-v2", 1), ==, 0);
}

static void test_cgroup_starttime_empty(void)
{
	struct cg_layout l;
	struct cg_paths p;
	uint64_t t;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-v1");
	fixture_paths(&l, 105, &p); /* lxc/c2 has no processes */
	g_assert_false(cg_cgroup_starttime(&l, &p, &t, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_assert_nonnull(strstr(err->message, "pids/lxc/c2"));
	cg_paths_clear(&p);
	cg_layout_close(&l);
}

/* On the real /proc: this process's innermost pid is its pid as /proc
 * shows it; a pid that does not exist is CG_ERROR_NOENT naming the file. */
static void test_proc_nspid(void)
{
	struct cg_layout l;
	g_autoptr(GError) err = NULL;
	int64_t inner = 0;

	if (!cg_layout_open(&l, &err)) {
		g_test_skip(err->message);
		return;
	}
	g_assert_true(cg_proc_nspid(&l, getpid(), &inner, &err));
	g_assert_no_error(err);
	g_assert_cmpint(inner, ==, getpid());
	g_assert_false(cg_proc_nspid(&l, 0x3ffffff, &inner, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_assert_nonnull(strstr(err->message, "/67108863/status"));
	cg_layout_close(&l);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/procinfo/proc-starttime", test_proc_starttime);
	g_test_add_func("/cgroup/procinfo/cgroup-starttime",
			test_cgroup_starttime);
	g_test_add_func("/cgroup/procinfo/cgroup-starttime-empty",
			test_cgroup_starttime_empty);
	g_test_add_func("/cgroup/procinfo/nspid", test_proc_nspid);
	return g_test_run();
}
