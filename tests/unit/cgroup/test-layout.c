/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Layouts (v1, hybrid, v2, the real host) and /proc/PID/cgroup paths. */
#include "fixture.h"

#include <string.h>

static const char *hier_of(const struct cg_layout *l, enum cg_ctrl c)
{
	const struct cg_hier *h = cg_layout_hier(l, c);

	return h ? strrchr(h->mountpoint, '/') + 1 : NULL;
}

static void test_v1(void)
{
	struct cg_layout l;

	fixture_open(&l, "cgroup-v1");
	g_assert_cmpint(l.kind, ==, CG_LAYOUT_V1);
	g_assert_cmpstr(cg_layout_kind_name(l.kind), ==, "v1");
	g_assert_cmpint(l.unified, ==, -1);
	g_assert_cmpstr(hier_of(&l, CG_MEMORY), ==, "memory");
	/* co-mounted: one hierarchy, opened once */
	g_assert_cmpstr(hier_of(&l, CG_CPU), ==, "cpu,cpuacct");
	g_assert_cmpint(l.ctrl[CG_CPU], ==, l.ctrl[CG_CPUACCT]);
	g_assert_cmpstr(hier_of(&l, CG_CPUSET), ==, "cpuset");
	g_assert_cmpstr(hier_of(&l, CG_IO), ==, "blkio");
	g_assert_cmpstr(hier_of(&l, CG_PIDS), ==, "pids");
	g_assert_null(cg_layout_hier(&l, CG_PSI));
	g_assert_cmpint(l.nhier, ==, 5);
	for (int i = 0; i < l.nhier; i++) {
		g_assert_cmpint(l.hier[i].dirfd, >=, 0);
		g_assert_false(l.hier[i].v2);
	}
	cg_layout_close(&l);
	g_assert_cmpint(l.nhier, ==, 0);
}

static void test_hybrid(void)
{
	struct cg_layout l;

	fixture_open(&l, "cgroup-hybrid");
	g_assert_cmpint(l.kind, ==, CG_LAYOUT_HYBRID);
	g_assert_cmpstr(hier_of(&l, CG_CPU), ==, "cpu");
	g_assert_cmpstr(hier_of(&l, CG_CPUACCT), ==, "cpuacct");
	g_assert_cmpint(l.ctrl[CG_CPU], !=, l.ctrl[CG_CPUACCT]);
	g_assert_cmpstr(hier_of(&l, CG_MEMORY), ==, "memory");
	g_assert_cmpstr(hier_of(&l, CG_IO), ==, "blkio");
	g_assert_cmpstr(hier_of(&l, CG_PIDS), ==, "pids");
	g_assert_cmpstr(hier_of(&l, CG_PSI), ==, "unified");
	g_assert_cmpint(l.ctrl[CG_PSI], ==, l.unified);
	g_assert_true(l.hier[l.unified].v2);
	g_assert_false(cg_layout_hier(&l, CG_MEMORY)->v2);
	cg_layout_close(&l);
}

static void test_v2(void)
{
	struct cg_layout l;

	fixture_open(&l, "cgroup-v2");
	g_assert_cmpint(l.kind, ==, CG_LAYOUT_V2);
	g_assert_cmpint(l.nhier, ==, 1);
	g_assert_cmpint(l.unified, ==, 0);
	for (int c = 0; c < CG_NCTRL; c++)
		g_assert_cmpint(l.ctrl[c], ==, 0);
	g_assert_true(l.hier[0].v2);
	cg_layout_close(&l);
}

static void test_no_cgroups(void)
{
	g_autofree char *dir = fixture_dir("cgroup-v1");
	g_autofree char *proc = g_build_filename(dir, "proc", NULL);
	g_autofree char *mi = g_build_filename(dir, "proc", "1", "stat", NULL);
	g_autofree char *none = g_build_filename(dir, "no-such-mountinfo", NULL);
	g_autoptr(GError) err = NULL;
	struct cg_layout l;

	g_assert_false(cg_layout_open_fixture(&l, mi, dir, proc, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_LAYOUT);
	g_clear_error(&err);
	g_assert_false(cg_layout_open_fixture(&l, none, dir, proc, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_assert_nonnull(strstr(err->message, "no-such-mountinfo"));
}

static void test_host(void)
{
	g_autoptr(GError) err = NULL;
	struct cg_layout l;
	struct cg_paths p;

	if (!cg_layout_open(&l, &err)) {
		g_test_skip(err->message);
		return;
	}
	g_test_message("host layout: %s", cg_layout_kind_name(l.kind));
	g_assert_cmpuint(l.self_pidns, !=, 0);
	g_assert_true(cg_paths_of_pid(&l, getpid(), &p, &err));
	g_assert_no_error(err);
	for (int c = 0; c < CG_NCTRL; c++)
		if (cg_layout_hier(&l, c))
			g_test_message("%s: %s:%s", cg_ctrl_name(c),
				       cg_layout_hier(&l, c)->mountpoint,
				       p.path[c] ? p.path[c] : "(none)");
	cg_paths_clear(&p);
	cg_layout_close(&l);
}

static void test_paths_v1(void)
{
	struct cg_layout l;
	struct cg_paths p, q;

	fixture_open(&l, "cgroup-v1");
	fixture_paths(&l, 100, &p);
	g_assert_cmpstr(p.path[CG_MEMORY], ==, "lxc/c1");
	g_assert_cmpstr(p.path[CG_CPU], ==, "lxc/c1");
	g_assert_cmpstr(p.path[CG_CPUACCT], ==, "lxc/c1");
	g_assert_cmpstr(p.path[CG_CPUSET], ==, "lxc/c1");
	g_assert_cmpstr(p.path[CG_IO], ==, "lxc/c1");
	g_assert_cmpstr(p.path[CG_PIDS], ==, "lxc/c1");
	g_assert_null(p.path[CG_PSI]);
	cg_paths_copy(&q, &p);
	g_assert_true(cg_paths_equal(&p, &q));
	cg_paths_clear(&q);
	fixture_paths(&l, 1, &q);
	g_assert_cmpstr(q.path[CG_MEMORY], ==, "");
	g_assert_false(cg_paths_equal(&p, &q));
	cg_paths_clear(&q);
	cg_paths_clear(&p);
	for (int c = 0; c < CG_NCTRL; c++)
		g_assert_null(p.path[c]);
	cg_layout_close(&l);
}

static void test_paths_hybrid(void)
{
	struct cg_layout l;
	struct cg_paths p;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-hybrid");
	g_assert_true(cg_paths_parse(&l,
				     "9:name=systemd:/\n8:pids:/p\n4:memory:/m/x\n"
				     "2:cpuacct:/a\n1:cpu:/c\n7:blkio:/b\n"
				     "3:cpuset:/\n0::/u/v\n", &p, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(p.path[CG_MEMORY], ==, "m/x");
	g_assert_cmpstr(p.path[CG_CPU], ==, "c");
	g_assert_cmpstr(p.path[CG_CPUACCT], ==, "a");
	g_assert_cmpstr(p.path[CG_CPUSET], ==, "");
	g_assert_cmpstr(p.path[CG_IO], ==, "b");
	g_assert_cmpstr(p.path[CG_PIDS], ==, "p");
	g_assert_cmpstr(p.path[CG_PSI], ==, "u/v");
	cg_paths_clear(&p);
	cg_layout_close(&l);
}

static void test_paths_v2(void)
{
	struct cg_layout l;
	struct cg_paths p;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-v2");
	fixture_paths(&l, 400, &p);
	for (int c = 0; c < CG_NCTRL; c++)
		g_assert_cmpstr(p.path[c], ==, "machine.slice/ctr");
	cg_paths_clear(&p);
	/* v1 lines are ignored on a pure v2 host */
	g_assert_true(cg_paths_parse(&l, "1:name=systemd:/x\n0::/\n", &p, &err));
	g_assert_cmpstr(p.path[CG_MEMORY], ==, "");
	cg_paths_clear(&p);
	cg_layout_close(&l);
}

/* cg_paths_of_pid fails on @pid with @code, the message naming @name
 * and @also (when not NULL). */
static void assert_no_paths(const struct cg_layout *l, pid_t pid, int code,
			    const char *name, const char *also)
{
	struct cg_paths p;
	g_autoptr(GError) err = NULL;

	g_assert_false(cg_paths_of_pid(l, pid, &p, &err));
	g_assert_error(err, CG_ERROR, code);
	g_assert_nonnull(strstr(err->message, name));
	if (also)
		g_assert_nonnull(strstr(err->message, also));
}

static void test_paths_errors(void)
{
	struct cg_layout l;
	struct cg_paths p;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-v1");
	/* outside the daemon's cgroup namespace */
	assert_no_paths(&l, 300, CG_ERROR_NOENT, "pid 300", "/../outside");
	assert_no_paths(&l, 301, CG_ERROR_PARSE, "pid 301", NULL);
	/* no /proc entry */
	assert_no_paths(&l, 999, CG_ERROR_NOENT, "pid 999", "999/cgroup");
	g_assert_false(cg_paths_parse(&l, "4:memory:relative\n", &p, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_PARSE);
	cg_layout_close(&l);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/layout/v1", test_v1);
	g_test_add_func("/cgroup/layout/hybrid", test_hybrid);
	g_test_add_func("/cgroup/layout/v2", test_v2);
	g_test_add_func("/cgroup/layout/no-cgroups", test_no_cgroups);
	g_test_add_func("/cgroup/layout/host", test_host);
	g_test_add_func("/cgroup/paths/v1", test_paths_v1);
	g_test_add_func("/cgroup/paths/hybrid", test_paths_hybrid);
	g_test_add_func("/cgroup/paths/v2", test_paths_v2);
	g_test_add_func("/cgroup/paths/errors", test_paths_errors);
	return g_test_run();
}
