/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The snapshot readers on the fixture trees, with exact values. */
#include "fixture.h"

#include <string.h>

#define MiB (UINT64_C(1) << 20)

/* Opens fixture @name and the paths of its pid @pid. */
static void setup(struct cg_layout *l, struct cg_paths *p, const char *name,
		  pid_t pid)
{
	fixture_open(l, name);
	fixture_paths(l, pid, p);
}

static void teardown(struct cg_layout *l, struct cg_paths *p)
{
	cg_paths_clear(p);
	cg_layout_close(l);
}

static void assert_error(GError *err, int code, const char *needle)
{
	g_assert_error(err, CG_ERROR, code);
	if (!strstr(err->message, needle))
		g_error("\"%s\" does not name \"%s\"", err->message, needle);
}

/* ---- v1 ------------------------------------------------------------ */

static void test_v1_memory(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 100);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_no_error(err);
	g_assert_true(m.valid);
	/* child 256M, parent 128M: the parent's limit */
	g_assert_cmpuint(m.limit, ==, 128 * MiB);
	g_assert_cmpuint(m.usage, ==, 50 * MiB);
	g_assert_true(m.swap_accounting);
	g_assert_cmpuint(m.swap_limit, ==, 192 * MiB - 128 * MiB);
	g_assert_cmpuint(m.swap_usage, ==, 60 * MiB - 50 * MiB);
	g_assert_cmpint(m.swappiness, ==, 30);
	g_assert_cmpuint(m.file, ==, 20 * MiB);
	g_assert_cmpuint(m.anon, ==, 24 * MiB);
	g_assert_cmpuint(m.shmem, ==, 1 * MiB);
	g_assert_cmpuint(m.file_mapped, ==, 4 * MiB);
	g_assert_cmpuint(m.file_dirty, ==, 65536);
	g_assert_cmpuint(m.file_writeback, ==, 8192);
	g_assert_cmpuint(m.swapcached, ==, 12288);
	g_assert_cmpuint(m.inactive_anon, ==, 23 * MiB);
	g_assert_cmpuint(m.active_anon, ==, 1 * MiB);
	g_assert_cmpuint(m.inactive_file, ==, 10 * MiB);
	g_assert_cmpuint(m.active_file, ==, 10 * MiB);
	g_assert_cmpuint(m.unevictable, ==, 0);
	g_assert_cmpuint(m.anon_thp, ==, 2 * MiB);
	g_assert_cmpuint(m.slab_reclaimable, ==, 0);
	g_assert_cmpuint(m.kmem_usage, ==, 1 * MiB);
	teardown(&l, &p);
}

/* lxc/c2's memory.stat has no hierarchical_* lines: the walk. */
static void test_v1_memory_walk(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 105);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(m.limit, ==, 128 * MiB);
	g_assert_cmpuint(m.swap_limit, ==, 64 * MiB);
	g_assert_cmpuint(m.usage, ==, 1 * MiB);
	g_assert_cmpuint(m.swap_usage, ==, 2 * MiB);
	g_assert_cmpint(m.swappiness, ==, 60);
	g_assert_cmpuint(m.kmem_usage, ==, 0);
	g_assert_cmpuint(m.file, ==, 1);
	teardown(&l, &p);
}

static void test_v1_root(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	struct cg_cpu c;
	struct cg_psi ps;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 1);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_cmpuint(m.limit, ==, CG_UNLIMITED);
	g_assert_cmpuint(m.swap_limit, ==, CG_UNLIMITED);
	g_assert_cmpuint(m.usage, ==, 2048 * MiB);
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_true(c.valid);
	g_assert_cmpint(c.quota_us, ==, -1);
	g_assert_cmpuint(c.shares, ==, 1024);
	/* no cgroup2 at all */
	g_assert_true(cg_read_psi(&l, &p, CG_PSI_CPU, &ps, &err));
	g_assert_false(ps.valid);
	g_assert_no_error(err);
	teardown(&l, &p);
}

static void test_v1_cpu(void)
{
	struct cg_layout l;
	struct cg_paths p, p2;
	struct cg_cpu c;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 100);
	/* child: no quota, parent 0.5 CPU */
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_no_error(err);
	g_assert_true(c.valid);
	g_assert_cmpint(c.quota_us, ==, 50000);
	g_assert_cmpuint(c.period_us, ==, 100000);
	g_assert_cmpuint(c.shares, ==, 512);
	/* child 30000/50000 = 0.6 CPU is looser than the parent's 0.5 */
	fixture_paths(&l, 105, &p2);
	g_assert_true(cg_read_cpu(&l, &p2, &c, &err));
	g_assert_cmpint(c.quota_us, ==, 50000);
	g_assert_cmpuint(c.period_us, ==, 100000);
	g_assert_cmpuint(c.shares, ==, 1024);
	cg_paths_clear(&p2);
	teardown(&l, &p);
}

static void test_v1_cputime(void)
{
	struct cg_layout l;
	struct cg_paths p, p2;
	struct cg_cputime t;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 100);
	g_assert_true(cg_read_cputime(&l, &p, &t, &err));
	g_assert_no_error(err);
	g_assert_true(t.valid);
	g_assert_cmpuint(t.usage_ns, ==, 20000000000);
	g_assert_cmpuint(t.user_ns, ==, 13440000000);
	g_assert_cmpuint(t.system_ns, ==, 6560000000);
	g_assert_cmpuint(t.ncpu, ==, 2);
	g_assert_cmpuint(t.percpu_user_ns[0], ==, 7440000000);
	g_assert_cmpuint(t.percpu_user_ns[1], ==, 6000000000);
	g_assert_cmpuint(t.percpu_system_ns[0], ==, 2560000000);
	g_assert_cmpuint(t.percpu_system_ns[1], ==, 4000000000);
	cg_cputime_clear(&t);
	g_assert_null(t.percpu_user_ns);
	/* without cpuacct.usage_all: usage_percpu_user / _sys */
	fixture_paths(&l, 105, &p2);
	g_assert_true(cg_read_cputime(&l, &p2, &t, &err));
	g_assert_cmpuint(t.usage_ns, ==, 330);
	g_assert_cmpuint(t.ncpu, ==, 2);
	g_assert_cmpuint(t.percpu_user_ns[1], ==, 200);
	g_assert_cmpuint(t.percpu_system_ns[1], ==, 20);
	g_assert_cmpuint(t.user_ns, ==, 300);
	g_assert_cmpuint(t.system_ns, ==, 30);
	cg_cputime_clear(&t);
	cg_paths_clear(&p2);
	teardown(&l, &p);
}

/* A v1 cgroup with no I/O ("Total 0" only): valid, no devices (under
 * UBSan also: no qsort of the empty array's NULL data). */
static void test_v1_blkio_empty(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_blkio b;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 105);
	g_assert_true(cg_read_blkio(&l, &p, &b, &err));
	g_assert_no_error(err);
	g_assert_true(b.valid);
	g_assert_cmpuint(b.ndev, ==, 0);
	g_assert_null(b.dev);
	cg_blkio_clear(&b);
	teardown(&l, &p);
}

static void test_v1_cpuset_blkio(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_cpuset cs;
	struct cg_blkio b;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 100);
	g_assert_true(cg_read_cpuset(&l, &p, &cs, &err));
	g_assert_true(cs.valid);
	g_assert_cmpuint(cg_cpumask_count(&cs.cpus), ==, 3);
	g_assert_true(cg_cpumask_test(&cs.cpus, 4));
	g_assert_false(cg_cpumask_test(&cs.cpus, 2));
	g_assert_true(cg_read_blkio(&l, &p, &b, &err));
	g_assert_no_error(err);
	g_assert_true(b.valid);
	g_assert_cmpuint(b.ndev, ==, 2);
	g_assert_cmpuint(b.dev[0].major, ==, 8);
	g_assert_cmpuint(b.dev[0].minor, ==, 0);
	g_assert_cmpuint(b.dev[0].read_bytes, ==, 1048576);
	g_assert_cmpuint(b.dev[0].write_bytes, ==, 2097152);
	g_assert_cmpuint(b.dev[0].discard_bytes, ==, 512);
	g_assert_cmpuint(b.dev[0].read_ios, ==, 256);
	g_assert_cmpuint(b.dev[0].write_ios, ==, 512);
	g_assert_cmpuint(b.dev[0].discard_ios, ==, 1);
	g_assert_cmpuint(b.dev[1].minor, ==, 16);
	g_assert_cmpuint(b.dev[1].read_bytes, ==, 4096);
	g_assert_cmpuint(b.dev[1].write_ios, ==, 2);
	cg_blkio_clear(&b);
	teardown(&l, &p);
}

static void test_v1_tasks(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_tasks t = { 0 };
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v1", 100);
	g_assert_true(cg_read_tasks(&l, &p, &t, &err));
	g_assert_no_error(err);
	g_assert_true(t.valid);
	/* 100 S, 101 R, 102 D, 103 gone, sub/104 R */
	g_assert_cmpuint(t.nr_threads, ==, 4);
	g_assert_cmpuint(t.nr_running, ==, 2);
	g_assert_cmpuint(t.nr_blocked, ==, 1);
	g_assert_cmpuint(t.nr_procs, ==, 4);
	g_assert_cmpint(t.last_pid, ==, 104);
	teardown(&l, &p);
}

static void test_v1_errors(void)
{
	struct cg_layout l;
	struct cg_paths bad, gone;
	struct cg_memory m;
	struct cg_cputime t;
	struct cg_cpuset cs;
	struct cg_cpu c;
	struct cg_tasks ts = { 0 };
	g_autoptr(GError) err = NULL;

	setup(&l, &bad, "cgroup-v1", 106);
	g_assert_false(cg_read_memory(&l, &bad, &m, &err));
	assert_error(err, CG_ERROR_PARSE, "memory/lxc/bad/memory.usage_in_bytes");
	g_clear_error(&err);
	g_assert_false(cg_read_cputime(&l, &bad, &t, &err));
	assert_error(err, CG_ERROR_PARSE, "lxc/bad/cpuacct.usage_all");
	g_assert_null(t.percpu_user_ns);
	g_clear_error(&err);
	g_assert_false(cg_read_cpuset(&l, &bad, &cs, &err));
	assert_error(err, CG_ERROR_PARSE, "lxc/bad/cpuset.effective_cpus");
	g_clear_error(&err);

	fixture_paths(&l, 107, &gone);
	g_assert_false(cg_read_memory(&l, &gone, &m, &err));
	assert_error(err, CG_ERROR_NOENT, "memory/lxc/gone/memory.stat");
	g_clear_error(&err);
	g_assert_false(cg_read_cpu(&l, &gone, &c, &err));
	assert_error(err, CG_ERROR_NOENT, "cpu,cpuacct/lxc/gone/cpu.shares");
	g_clear_error(&err);
	g_assert_false(cg_read_tasks(&l, &gone, &ts, &err));
	assert_error(err, CG_ERROR_NOENT, "pids/lxc/gone/tasks");
	g_assert_false(ts.valid);
	cg_paths_clear(&gone);
	teardown(&l, &bad);
}

/* ---- hybrid -------------------------------------------------------- */

static void test_hybrid_all(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	struct cg_cpu c;
	struct cg_cputime t;
	struct cg_cpuset cs;
	struct cg_blkio b;
	struct cg_tasks ts = { 0 };
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-hybrid", 200);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_cmpuint(m.limit, ==, 512 * MiB);
	g_assert_cmpuint(m.usage, ==, 100 * MiB);
	g_assert_false(m.swap_accounting); /* no memsw files */
	g_assert_cmpuint(m.kmem_usage, ==, 933888);
	g_assert_cmpuint(m.file, ==, 2080768);
	g_assert_cmpuint(m.active_file, ==, 1568768);
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_cmpint(c.quota_us, ==, 150000);
	g_assert_cmpuint(c.shares, ==, 2048);
	g_assert_true(cg_read_cputime(&l, &p, &t, &err));
	g_assert_cmpuint(t.usage_ns, ==, 47891405168);
	g_assert_cmpuint(t.user_ns, ==, 24048000000);
	g_assert_cmpuint(t.system_ns, ==, 23920000000);
	g_assert_cmpuint(t.ncpu, ==, 2);
	cg_cputime_clear(&t);
	g_assert_true(cg_read_cpuset(&l, &p, &cs, &err));
	g_assert_cmpuint(cg_cpumask_count(&cs.cpus), ==, 2);
	/* throttle and bfq counters: per device and counter the larger */
	g_assert_true(cg_read_blkio(&l, &p, &b, &err));
	g_assert_true(b.valid);
	g_assert_cmpuint(b.ndev, ==, 2);
	g_assert_cmpuint(b.dev[0].major, ==, 7);
	g_assert_cmpuint(b.dev[0].read_bytes, ==, 1048576);
	g_assert_cmpuint(b.dev[0].read_ios, ==, 256);
	g_assert_cmpuint(b.dev[1].major, ==, 254);
	g_assert_cmpuint(b.dev[1].read_bytes, ==, 4096);
	g_assert_cmpuint(b.dev[1].write_bytes, ==, 8192);
	g_assert_cmpuint(b.dev[1].write_ios, ==, 2);
	cg_blkio_clear(&b);
	g_assert_true(cg_read_tasks(&l, &p, &ts, &err));
	g_assert_cmpuint(ts.nr_threads, ==, 2);
	g_assert_cmpuint(ts.nr_running, ==, 1);
	g_assert_cmpuint(ts.nr_procs, ==, 1);
	g_assert_cmpint(ts.last_pid, ==, 201);
	g_assert_no_error(err);
	teardown(&l, &p);
}

static void test_hybrid_psi(void)
{
	struct cg_layout l;
	struct cg_paths p, root;
	struct cg_psi ps;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-hybrid", 200);
	g_assert_true(cg_read_psi(&l, &p, CG_PSI_CPU, &ps, &err));
	g_assert_true(ps.valid);
	g_assert_false(ps.has_full);
	g_assert_cmpfloat_with_epsilon(ps.some.avg60, 0.35, 1e-9);
	g_assert_cmpuint(ps.some.total_us, ==, 3751239);
	g_assert_true(cg_read_psi(&l, &p, CG_PSI_MEMORY, &ps, &err));
	g_assert_true(ps.has_full);
	g_assert_cmpfloat_with_epsilon(ps.some.avg10, 1.5, 1e-9);
	g_assert_cmpfloat_with_epsilon(ps.full.avg10, 0.75, 1e-9);
	g_assert_cmpuint(ps.full.total_us, ==, 6789);
	fixture_paths(&l, 1, &root);
	g_assert_true(cg_read_psi(&l, &root, CG_PSI_CPU, &ps, &err));
	g_assert_true(ps.valid);
	g_assert_cmpfloat_with_epsilon(ps.some.avg10, 10.0, 1e-9);
	g_assert_cmpuint(ps.some.total_us, ==, 5477124);
	cg_paths_clear(&root);
	/* in /ct in v1 but at the cgroup2 root: the host's pressure, none */
	fixture_paths(&l, 202, &root);
	g_assert_true(cg_read_psi(&l, &root, CG_PSI_CPU, &ps, &err));
	g_assert_false(ps.valid);
	g_assert_no_error(err);
	cg_paths_clear(&root);
	teardown(&l, &p);
}

/* ---- v2 ------------------------------------------------------------ */

static void test_v2_memory(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v2", 400);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_no_error(err);
	g_assert_true(m.valid);
	g_assert_cmpuint(m.limit, ==, 128 * MiB); /* parent's memory.max */
	g_assert_cmpuint(m.usage, ==, 50 * MiB);
	g_assert_true(m.swap_accounting);
	g_assert_cmpuint(m.swap_limit, ==, 64 * MiB);
	g_assert_cmpuint(m.swap_usage, ==, 4 * MiB);
	g_assert_cmpint(m.swappiness, ==, -1);
	g_assert_cmpuint(m.anon, ==, 24 * MiB);
	g_assert_cmpuint(m.file, ==, 20 * MiB);
	g_assert_cmpuint(m.kmem_usage, ==, 3 * MiB);
	g_assert_cmpuint(m.kernel_stack, ==, 262144);
	g_assert_cmpuint(m.pagetables, ==, 524288);
	g_assert_cmpuint(m.shmem, ==, 1 * MiB);
	g_assert_cmpuint(m.file_mapped, ==, 4 * MiB);
	g_assert_cmpuint(m.file_dirty, ==, 65536);
	g_assert_cmpuint(m.file_writeback, ==, 8192);
	g_assert_cmpuint(m.swapcached, ==, 12288);
	g_assert_cmpuint(m.anon_thp, ==, 2 * MiB);
	g_assert_cmpuint(m.inactive_anon, ==, 23 * MiB);
	g_assert_cmpuint(m.active_anon, ==, 1 * MiB);
	g_assert_cmpuint(m.inactive_file, ==, 10 * MiB);
	g_assert_cmpuint(m.active_file, ==, 10 * MiB);
	g_assert_cmpuint(m.unevictable, ==, 0);
	g_assert_cmpuint(m.slab_reclaimable, ==, 1 * MiB);
	g_assert_cmpuint(m.slab_unreclaimable, ==, 1310720);
	teardown(&l, &p);
}

static void test_v2_nested(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	struct cg_cpu c;
	struct cg_cpuset cs;
	struct cg_blkio b;
	g_autoptr(GError) err = NULL;

	/* memory, io, cpuset not enabled below ctr: ctr's figures */
	setup(&l, &p, "cgroup-v2", 403);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_cmpuint(m.limit, ==, 128 * MiB);
	g_assert_cmpuint(m.usage, ==, 50 * MiB);
	g_assert_cmpuint(m.anon, ==, 24 * MiB);
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_cmpint(c.quota_us, ==, 25000);
	g_assert_cmpuint(c.period_us, ==, 100000);
	g_assert_cmpuint(c.shares, ==, 2); /* weight 1 */
	g_assert_true(cg_read_cpuset(&l, &p, &cs, &err));
	g_assert_true(cs.valid);
	g_assert_cmpuint(cg_cpumask_count(&cs.cpus), ==, 1);
	g_assert_true(cg_cpumask_test(&cs.cpus, 3));
	g_assert_true(cg_read_blkio(&l, &p, &b, &err));
	g_assert_cmpuint(b.ndev, ==, 2);
	cg_blkio_clear(&b);
	g_assert_no_error(err);
	teardown(&l, &p);
}

static void test_v2_cpu(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_cpu c;
	struct cg_cputime t;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v2", 400);
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_true(c.valid);
	g_assert_cmpint(c.quota_us, ==, 50000); /* "max" here, parent 0.5 */
	g_assert_cmpuint(c.period_us, ==, 100000);
	g_assert_cmpuint(c.shares, ==, 262144); /* weight 10000 */
	g_assert_true(cg_read_cputime(&l, &p, &t, &err));
	g_assert_true(t.valid);
	g_assert_cmpuint(t.usage_ns, ==, 5000000000);
	g_assert_cmpuint(t.user_ns, ==, 3000000000);
	g_assert_cmpuint(t.system_ns, ==, 2000000000);
	g_assert_cmpuint(t.ncpu, ==, 0);
	g_assert_null(t.percpu_user_ns);
	cg_cputime_clear(&t);
	cg_paths_clear(&p);
	g_assert_true(cg_paths_parse(&l, "0::/machine.slice\n", &p, &err));
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_cmpuint(c.shares, ==, 1024); /* weight 100 */
	g_assert_no_error(err);
	teardown(&l, &p);
}

static void test_v2_io_psi_tasks(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_blkio b;
	struct cg_psi ps;
	struct cg_tasks t = { 0 };
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v2", 400);
	g_assert_true(cg_read_blkio(&l, &p, &b, &err));
	g_assert_cmpuint(b.ndev, ==, 2);
	g_assert_cmpuint(b.dev[0].major, ==, 8);
	g_assert_cmpuint(b.dev[0].minor, ==, 16);
	g_assert_cmpuint(b.dev[0].read_bytes, ==, 1048576);
	g_assert_cmpuint(b.dev[0].write_bytes, ==, 2097152);
	g_assert_cmpuint(b.dev[0].read_ios, ==, 256);
	g_assert_cmpuint(b.dev[0].write_ios, ==, 512);
	g_assert_cmpuint(b.dev[1].major, ==, 259);
	g_assert_cmpuint(b.dev[1].discard_bytes, ==, 512);
	g_assert_cmpuint(b.dev[1].discard_ios, ==, 1);
	g_assert_cmpuint(b.dev[1].write_ios, ==, 2);
	cg_blkio_clear(&b);
	g_assert_true(cg_read_psi(&l, &p, CG_PSI_IO, &ps, &err));
	g_assert_true(ps.valid);
	g_assert_true(ps.has_full);
	g_assert_cmpfloat_with_epsilon(ps.some.avg300, 0.62, 1e-9);
	g_assert_true(cg_read_tasks(&l, &p, &t, &err));
	/* ctr: 400 S, 401 R, 402 D; ctr/inner: 403 R */
	g_assert_cmpuint(t.nr_threads, ==, 4);
	g_assert_cmpuint(t.nr_running, ==, 2);
	g_assert_cmpuint(t.nr_blocked, ==, 1);
	g_assert_cmpuint(t.nr_procs, ==, 3);
	g_assert_cmpint(t.last_pid, ==, 403);
	g_assert_no_error(err);
	teardown(&l, &p);
}

static void test_v2_root(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	struct cg_cpu c;
	struct cg_cpuset cs;
	struct cg_psi ps;
	struct cg_cputime t;
	g_autoptr(GError) err = NULL;

	setup(&l, &p, "cgroup-v2", 1);
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_true(m.valid);
	g_assert_cmpuint(m.limit, ==, CG_UNLIMITED);
	g_assert_cmpuint(m.usage, ==, 1000000 + 2000000 + 300000);
	g_assert_false(m.swap_accounting);
	g_assert_true(cg_read_cpu(&l, &p, &c, &err));
	g_assert_cmpint(c.quota_us, ==, -1);
	g_assert_cmpuint(c.shares, ==, 1024);
	g_assert_true(cg_read_cpuset(&l, &p, &cs, &err));
	g_assert_cmpuint(cg_cpumask_count(&cs.cpus), ==, 4);
	g_assert_true(cg_read_psi(&l, &p, CG_PSI_MEMORY, &ps, &err));
	g_assert_false(ps.valid);
	g_assert_true(cg_read_psi(&l, &p, CG_PSI_CPU, &ps, &err));
	g_assert_true(ps.valid);
	g_assert_true(cg_read_cputime(&l, &p, &t, &err));
	g_assert_cmpuint(t.usage_ns, ==, 91000000000);
	g_assert_no_error(err);
	teardown(&l, &p);
}

static void test_v2_errors(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct cg_memory m;
	struct cg_cpu c;
	struct cg_psi ps;
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-v2");
	/* no "kernel" key (linux < 5.18): its parts */
	g_assert_true(cg_paths_parse(&l, "0::/machine.slice/old\n", &p, &err));
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_cmpuint(m.kmem_usage, ==, 17 + 18 + 4 + 5);
	g_assert_cmpuint(m.limit, ==, 128 * MiB);
	g_assert_false(cg_read_cpu(&l, &p, &c, &err));
	assert_error(err, CG_ERROR_PARSE, "machine.slice/old/cpu.max");
	g_clear_error(&err);
	cg_paths_clear(&p);
	g_assert_true(cg_paths_parse(&l, "0::/machine.slice/nope\n", &p, &err));
	g_assert_false(cg_read_memory(&l, &p, &m, &err));
	assert_error(err, CG_ERROR_NOENT, "machine.slice/nope/memory.stat");
	g_assert_false(m.valid);
	g_clear_error(&err);
	g_assert_false(cg_read_psi(&l, &p, CG_PSI_CPU, &ps, &err));
	assert_error(err, CG_ERROR_NOENT, "machine.slice/nope/cpu.pressure");
	teardown(&l, &p);
}

/* Controllers not mounted: valid=false, success. */
static void test_unavailable(void)
{
	struct cg_layout l;
	struct cg_paths p = { 0 };
	struct cg_memory m;
	struct cg_tasks t = { 0 };
	g_autoptr(GError) err = NULL;

	fixture_open(&l, "cgroup-v1");
	g_assert_true(cg_read_memory(&l, &p, &m, &err));
	g_assert_false(m.valid);
	g_assert_true(cg_read_tasks(&l, &p, &t, &err));
	g_assert_false(t.valid);
	g_assert_no_error(err);
	cg_layout_close(&l);
}

/* Many threads on one const layout: same answers, no shared state. */
struct thread_arg {
	const struct cg_layout *l;
	const struct cg_paths *p;
};

static gpointer reader_thread(gpointer data)
{
	struct thread_arg *a = data;

	for (int i = 0; i < 200; i++) {
		struct cg_memory m;
		struct cg_cpu c;
		struct cg_tasks t = { 0 };
		struct cg_blkio b;
		GError *err = NULL;

		if (!cg_read_memory(a->l, a->p, &m, &err) ||
		    !cg_read_cpu(a->l, a->p, &c, &err) ||
		    !cg_read_tasks(a->l, a->p, &t, &err) ||
		    !cg_read_blkio(a->l, a->p, &b, &err))
			return err;
		cg_blkio_clear(&b);
		if (m.limit != 128 * MiB || c.quota_us != 50000 ||
		    t.nr_threads != 4)
			return g_error_new(CG_ERROR, CG_ERROR_IO, "mismatch");
	}
	return NULL;
}

static void test_threads(void)
{
	struct cg_layout l;
	struct cg_paths p;
	struct thread_arg a = { &l, &p };
	GThread *th[4];

	setup(&l, &p, "cgroup-v2", 400);
	for (unsigned i = 0; i < G_N_ELEMENTS(th); i++)
		th[i] = g_thread_new("reader", reader_thread, &a);
	for (unsigned i = 0; i < G_N_ELEMENTS(th); i++) {
		g_autoptr(GError) err = g_thread_join(th[i]);

		g_assert_no_error(err);
	}
	teardown(&l, &p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/read/v1/memory", test_v1_memory);
	g_test_add_func("/cgroup/read/v1/memory-walk", test_v1_memory_walk);
	g_test_add_func("/cgroup/read/v1/root", test_v1_root);
	g_test_add_func("/cgroup/read/v1/cpu", test_v1_cpu);
	g_test_add_func("/cgroup/read/v1/cputime", test_v1_cputime);
	g_test_add_func("/cgroup/read/v1/cpuset-blkio",
			test_v1_cpuset_blkio);
	g_test_add_func("/cgroup/read/v1/blkio-empty", test_v1_blkio_empty);
	g_test_add_func("/cgroup/read/v1/tasks", test_v1_tasks);
	g_test_add_func("/cgroup/read/v1/errors", test_v1_errors);
	g_test_add_func("/cgroup/read/hybrid/all", test_hybrid_all);
	g_test_add_func("/cgroup/read/hybrid/psi", test_hybrid_psi);
	g_test_add_func("/cgroup/read/v2/memory", test_v2_memory);
	g_test_add_func("/cgroup/read/v2/nested", test_v2_nested);
	g_test_add_func("/cgroup/read/v2/cpu", test_v2_cpu);
	g_test_add_func("/cgroup/read/v2/io-psi-tasks",
			test_v2_io_psi_tasks);
	g_test_add_func("/cgroup/read/v2/root", test_v2_root);
	g_test_add_func("/cgroup/read/v2/errors", test_v2_errors);
	g_test_add_func("/cgroup/read/unavailable", test_unavailable);
	g_test_add_func("/cgroup/read/threads", test_threads);
	return g_test_run();
}
