/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime/cgroups/cgroups.c on fixture trees (no root): what rt_cgroup_create,
 * rt_cgroup_apply and rt_cgroup_destroy write and remove, on a hybrid v1
 * host like ours and on cgroup v2, and the errors.
 */
#include "runtime/cgroups/cgroups.h"
#include "fake.h"
#include "rules.h"

#define V1 "sys/fs/cgroup/"
#define V2 "sys/fs/cgroup/"
#define MEM_BASE V1 "memory/process_api/abc/"

static const char *const v1_hiers[] = {
	"cpu", "cpuacct", "cpuset", "memory/process_api/abc", "devices",
	"freezer", "blkio", "pids", "unified", NULL
};

static void res_init(struct rt_resources *r)
{
	memset(r, 0, sizeof(*r));
	r->memory.limit = r->memory.reservation = r->memory.swap = RT_UNSET;
	r->cpu.shares = r->cpu.quota = r->cpu.period = RT_UNSET;
	r->pids.limit = RT_UNSET;
}

static struct rt_cgroup *create_ok(struct fake *f, const char *path)
{
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg = rt_cgroup_create(&f->l, path, &err);

	g_assert_no_error(err);
	g_assert_nonnull(cg);
	return cg;
}

static void destroy_ok(struct rt_cgroup *cg)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(rt_cgroup_destroy(cg, &err));
	g_assert_no_error(err);
}

/* Is "<hier>/<rel>" present in the v1 tree, for every used hierarchy? */
static void assert_v1_tree(struct fake *f, const char *rel, bool present)
{
	for (const char *const *h = v1_hiers; *h; h++) {
		g_autofree char *p = g_strdup_printf(V1 "%s/%s", *h, rel);

		if (fake_exists(f, p) != present)
			g_error("%s: expected %s", p, present ? "present" : "absent");
	}
}

#define ASSERT_FILE(f, rel, want)                                             \
	do {                                                                  \
		g_autofree char *got_ = fake_read(f, rel);                    \
		g_assert_cmpstr(got_, ==, want);                              \
	} while (0)

static void test_v1_create_apply(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(struct rt_device_rule));
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "corral/ctr1");
	assert_v1_tree(&f, "corral/ctr1", true);
	/* the v1 freezer too (pause/resume), starting thawed */
	ASSERT_FILE(&f, V1 "freezer/corral/ctr1/freezer.state", "THAWED");
	g_assert_false(fake_exists(&f, V1 "systemd/corral"));
	g_assert_false(fake_exists(&f, V1 "memory/corral"));
	/* v1 cpuset: the parent's values copied into each new level */
	ASSERT_FILE(&f, V1 "cpuset/corral/cpuset.cpus", "0-3");
	ASSERT_FILE(&f, V1 "cpuset/corral/ctr1/cpuset.cpus", "0-3");
	ASSERT_FILE(&f, V1 "cpuset/corral/ctr1/cpuset.mems", "0");
	g_assert_true(g_str_has_suffix(rt_cgroup_dir(cg, CG_MEMORY),
				       "/sys/fs/cgroup/memory/process_api/abc/corral/ctr1"));
	g_assert_true(g_str_has_suffix(rt_cgroup_dir(cg, CG_PSI),
				       "/sys/fs/cgroup/unified/corral/ctr1"));

	res_init(&r);
	r.memory.limit = 256 << 20;
	r.memory.swap = 512 << 20;
	r.memory.reservation = 128 << 20;
	r.cpu.quota = 50000;
	r.cpu.period = 100000;
	r.cpu.shares = 512;
	r.cpu.cpus = "0";
	r.cpu.mems = "0";
	r.pids.limit = 64;
	add_rule(rules, true, 'c', 1, 3, "rwm");
	add_rule(rules, false, 'b', -1, -1, "m");
	add_rule(rules, true, 'c', 136, -1, "rw");
	r.devices = rules;
	g_assert_true(rt_cgroup_apply(cg, &r, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, MEM_BASE "corral/ctr1/memory.limit_in_bytes", "268435456");
	ASSERT_FILE(&f, MEM_BASE "corral/ctr1/memory.memsw.limit_in_bytes", "536870912");
	ASSERT_FILE(&f, MEM_BASE "corral/ctr1/memory.soft_limit_in_bytes", "134217728");
	ASSERT_FILE(&f, V1 "cpu/corral/ctr1/cpu.cfs_quota_us", "50000");
	ASSERT_FILE(&f, V1 "cpu/corral/ctr1/cpu.cfs_period_us", "100000");
	ASSERT_FILE(&f, V1 "cpu/corral/ctr1/cpu.shares", "512");
	ASSERT_FILE(&f, V1 "cpuset/corral/ctr1/cpuset.cpus", "0");
	ASSERT_FILE(&f, V1 "pids/corral/ctr1/pids.max", "64");
	/* plain files keep the last write of each (the sequence is checked
	 * on the real host) */
	ASSERT_FILE(&f, V1 "devices/corral/ctr1/devices.allow", "c 136:* rw");
	ASSERT_FILE(&f, V1 "devices/corral/ctr1/devices.deny", "b *:* m");

	destroy_ok(cg);
	assert_v1_tree(&f, "corral", false); /* the parent we made, too */
	g_assert_true(fake_exists(&f, MEM_BASE "cgroup.procs"));
	fake_close(&f);
}

static void test_v1_unlimited(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "c");
	res_init(&r);
	r.memory.limit = -1;
	r.memory.swap = -1;
	r.cpu.quota = -1;
	r.pids.limit = -1;
	g_assert_true(rt_cgroup_apply(cg, &r, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, MEM_BASE "c/memory.limit_in_bytes", "-1");
	ASSERT_FILE(&f, MEM_BASE "c/memory.memsw.limit_in_bytes", "-1");
	ASSERT_FILE(&f, V1 "cpu/c/cpu.cfs_quota_us", "-1");
	ASSERT_FILE(&f, V1 "cpu/c/cpu.cfs_period_us", ""); /* not set */
	ASSERT_FILE(&f, V1 "pids/c/pids.max", "max");
	destroy_ok(cg);
	assert_v1_tree(&f, "c", false);
	fake_close(&f);
}

static void test_absolute(void)
{
	struct fake f;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "/abs/x");
	g_assert_true(fake_exists(&f, V1 "memory/abs/x/memory.limit_in_bytes"));
	g_assert_false(fake_exists(&f, MEM_BASE "abs"));
	g_assert_true(fake_exists(&f, V1 "pids/abs/x"));
	destroy_ok(cg);
	g_assert_false(fake_exists(&f, V1 "memory/abs"));
	g_assert_true(fake_exists(&f, MEM_BASE));
	fake_close(&f);
}

/* A parent is removed by the container that made it, once empty; one
 * that existed before a container is never removed by it. */
static void test_shared_parent(void)
{
	struct fake f;
	struct rt_cgroup *a, *b;

	fake_open(&f, "runtime-cg-v1");
	a = create_ok(&f, "corral/a"); /* makes "corral" */
	b = create_ok(&f, "corral/b");
	destroy_ok(b);
	assert_v1_tree(&f, "corral/b", false);
	assert_v1_tree(&f, "corral/a", true);
	destroy_ok(a);
	assert_v1_tree(&f, "corral", false);

	a = create_ok(&f, "corral/a");
	b = create_ok(&f, "corral/b");
	destroy_ok(a); /* "corral" still in use by b: left */
	assert_v1_tree(&f, "corral/a", false);
	assert_v1_tree(&f, "corral/b", true);
	destroy_ok(b); /* b did not make "corral": left, empty */
	assert_v1_tree(&f, "corral/b", false);
	assert_v1_tree(&f, "corral", true);
	fake_close(&f);
}

static void test_subcgroups_removed(void)
{
	struct fake f;
	struct rt_cgroup *cg;
	g_autofree char *sub = NULL;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "corral/x");
	/* the container made its own sub-cgroup (e.g. systemd inside) */
	sub = g_strdup_printf("%s/inner/deeper", rt_cgroup_dir(cg, CG_PIDS));
	g_assert_cmpint(g_mkdir_with_parents(sub, 0755), ==, 0);
	destroy_ok(cg);
	assert_v1_tree(&f, "corral", false);
	fake_close(&f);
}

static void test_exists(void)
{
	struct fake f;
	g_autoptr(GError) err = NULL;
	g_autofree char *dup = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	/* only in a hierarchy that comes late: earlier ones get undone */
	dup = fake_path(&f, V1 "pids/corral/dup");
	g_assert_cmpint(g_mkdir_with_parents(dup, 0755), ==, 0);
	cg = rt_cgroup_create(&f.l, "corral/dup", &err);
	g_assert_null(cg);
	g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
	g_assert_nonnull(strstr(err->message, "/sys/fs/cgroup/pids/corral/dup"));
	g_assert_nonnull(strstr(err->message, "exists already"));
	g_assert_false(fake_exists(&f, V1 "cpu/corral"));
	g_assert_false(fake_exists(&f, V1 "cpuset/corral"));
	g_assert_false(fake_exists(&f, MEM_BASE "corral"));
	g_assert_true(fake_exists(&f, V1 "pids/corral/dup"));
	fake_close(&f);
}

static void test_failed_create_leaves_nothing(void)
{
	struct fake f;
	g_autoptr(GError) err = NULL;
	g_autofree char *mems = NULL;

	fake_open(&f, "runtime-cg-v1");
	/* the cpuset parent has no cpuset.mems to copy */
	mems = fake_path(&f, V1 "cpuset/cpuset.mems");
	g_assert_cmpint(unlink(mems), ==, 0);
	g_assert_null(rt_cgroup_create(&f.l, "corral/a/b", &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
	g_assert_nonnull(strstr(err->message, "/sys/fs/cgroup/cpuset/cpuset.mems"));
	for (const char *const *h = v1_hiers; *h; h++) {
		g_autofree char *p = g_strdup_printf(V1 "%s/corral", *h);

		g_assert_false(fake_exists(&f, p));
	}
	fake_close(&f);
}

static void test_bad_paths(void)
{
	static const char *const bad[] = { "", "/", "//", "a/../b", "..", "./a", NULL };
	struct fake f;

	fake_open(&f, "runtime-cg-v1");
	for (const char *const *p = bad; *p; p++) {
		g_autoptr(GError) err = NULL;

		g_assert_null(rt_cgroup_create(&f.l, *p, &err));
		g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
		g_assert_nonnull(strstr(err->message, "invalid cgroup path"));
	}
	fake_close(&f);
}

static void test_no_swap_accounting(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	fake_skip = "memory.memsw.limit_in_bytes";
	cg = create_ok(&f, "c");
	res_init(&r);
	r.memory.limit = 1 << 20;
	r.memory.swap = 2 << 20;
	g_assert_false(rt_cgroup_apply(cg, &r, &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
	g_assert_nonnull(strstr(err->message, "swap accounting is not enabled"));
	g_assert_nonnull(strstr(err->message, "memory/process_api/abc/c/memory.memsw.limit_in_bytes"));
	destroy_ok(cg);
	fake_close(&f);
}

static void test_swap_below_limit(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "c");
	res_init(&r);
	r.memory.limit = 2 << 20;
	r.memory.swap = 1 << 20;
	g_assert_false(rt_cgroup_apply(cg, &r, &err));
	g_assert_nonnull(strstr(err->message, "below the memory limit"));
	destroy_ok(cg);
	fake_close(&f);
}

static void test_missing_file(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	fake_skip = "pids.max";
	cg = create_ok(&f, "corral/m");
	res_init(&r);
	r.pids.limit = 64;
	g_assert_false(rt_cgroup_apply(cg, &r, &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
	g_test_message("%s", err->message);
	g_assert_true(g_str_has_prefix(err->message, "writing '64' to "));
	g_assert_true(g_str_has_suffix(err->message,
				       "/sys/fs/cgroup/pids/corral/m/pids.max: "
				       "No such file or directory"));
	destroy_ok(cg);
	assert_v1_tree(&f, "corral", false);
	fake_close(&f);
}

/* A value the "kernel" rejects: the file is a link to a read-only sysfs
 * file, which refuses writers with EACCES even for root. */
#define RO_FILE "/sys/devices/system/cpu/online"
static void test_rejected_value(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	g_autofree char *file = NULL, *want = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "c");
	file = g_strdup_printf("%s/memory.limit_in_bytes", rt_cgroup_dir(cg, CG_MEMORY));
	g_assert_cmpint(unlink(file), ==, 0);
	if (!g_file_test(RO_FILE, G_FILE_TEST_EXISTS)) {
		g_test_skip("no " RO_FILE);
		rt_cgroup_destroy(cg, NULL);
		fake_close(&f);
		return;
	}
	g_assert_cmpint(symlink(RO_FILE, file), ==, 0);
	res_init(&r);
	r.memory.limit = 300;
	g_assert_false(rt_cgroup_apply(cg, &r, &err));
	want = g_strdup_printf("writing '300' to %s: ", file);
	g_test_message("%s", err->message);
	g_assert_true(g_str_has_prefix(err->message, want));
	g_assert_true(g_str_has_suffix(err->message, "Permission denied"));
	destroy_ok(cg);
	fake_close(&f);
}

static void test_v2_create_apply(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v2");
	cg = create_ok(&f, "corral/ctr");
	ASSERT_FILE(&f, V2 "ci/job/cgroup.subtree_control", "+cpu +cpuset +io +memory +pids");
	ASSERT_FILE(&f, V2 "ci/job/corral/cgroup.subtree_control", "+cpu +cpuset +io +memory +pids");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/cgroup.subtree_control", "");
	ASSERT_FILE(&f, V2 "ci/cgroup.subtree_control", "cpuset cpu io memory pids");
	g_assert_true(g_str_has_suffix(rt_cgroup_dir(cg, CG_MEMORY), "/sys/fs/cgroup/ci/job/corral/ctr"));
	g_assert_cmpstr(rt_cgroup_dir(cg, CG_CPU), ==, rt_cgroup_dir(cg, CG_MEMORY));

	res_init(&r);
	r.memory.limit = 256 << 20;
	r.memory.swap = 512 << 20;
	r.memory.reservation = 64 << 20;
	r.cpu.quota = 50000;
	r.cpu.period = 100000;
	r.cpu.shares = 1024;
	r.cpu.cpus = "0-1";
	r.pids.limit = 64;
	g_assert_true(rt_cgroup_apply(cg, &r, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/memory.max", "268435456");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/memory.swap.max", "268435456");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/memory.low", "67108864");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/cpu.max", "50000 100000");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/cpu.weight", "100");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/cpuset.cpus", "0-1");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/pids.max", "64");
	ASSERT_FILE(&f, V2 "ci/job/corral/ctr/cpuset.mems", ""); /* no copy on v2 */

	destroy_ok(cg);
	g_assert_false(fake_exists(&f, V2 "ci/job/corral"));
	g_assert_true(fake_exists(&f, V2 "ci/job/cgroup.procs"));
	fake_close(&f);
}

static void test_v2_unlimited(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v2");
	cg = create_ok(&f, "u");
	res_init(&r);
	r.memory.limit = 100 << 20;
	r.memory.swap = -1;
	r.cpu.quota = -1;
	r.cpu.period = 100000;
	r.cpu.shares = 2;
	r.pids.limit = -1;
	g_assert_true(rt_cgroup_apply(cg, &r, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, V2 "ci/job/u/memory.max", "104857600");
	ASSERT_FILE(&f, V2 "ci/job/u/memory.swap.max", "max");
	ASSERT_FILE(&f, V2 "ci/job/u/cpu.max", "max 100000");
	ASSERT_FILE(&f, V2 "ci/job/u/cpu.weight", "1");
	ASSERT_FILE(&f, V2 "ci/job/u/pids.max", "max");
	res_init(&r);
	r.memory.limit = -1;
	r.cpu.quota = 20000;
	g_assert_true(rt_cgroup_apply(cg, &r, &err));
	ASSERT_FILE(&f, V2 "ci/job/u/memory.max", "max");
	ASSERT_FILE(&f, V2 "ci/job/u/cpu.max", "20000");
	destroy_ok(cg);
	fake_close(&f);
}

/* v2 devices go through bpf(2): on a fixture directory that fails (no
 * permission, or not a cgroup), with a message naming the step. */
static void test_v2_devices_error(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(struct rt_device_rule));
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v2");
	cg = create_ok(&f, "d");
	res_init(&r);
	add_rule(rules, true, 'c', 1, 3, "rwm");
	r.devices = rules;
	g_assert_false(rt_cgroup_apply(cg, &r, &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
	g_test_message("%s", err->message);
	g_assert_nonnull(strstr(err->message, "device cgroup program"));
	destroy_ok(cg);
	fake_close(&f);
}

/* Writes @text into @rel of the copy (what the "kernel" shows next). */
static void fake_write(struct fake *f, const char *rel, const char *text)
{
	g_autofree char *p = fake_path(f, rel);

	g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

static bool frozen_ok(struct rt_cgroup *cg)
{
	g_autoptr(GError) err = NULL;
	bool frozen = false;

	g_assert_true(rt_cgroup_frozen(cg, &frozen, &err));
	g_assert_no_error(err);
	return frozen;
}

/* v1: freezer.state FROZEN / THAWED, also on a cgroup reopened from its
 * saved parts (what `corral pause` does); FREEZING is not frozen. */
static void test_v1_freeze(void)
{
	struct fake f;
	struct rt_cgroup_part parts[20];
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg, *re;
	int n;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "corral/fz");
	g_assert_false(frozen_ok(cg));
	g_assert_true(rt_cgroup_freeze(cg, true, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, V1 "freezer/corral/fz/freezer.state", "FROZEN");
	ASSERT_FILE(&f, V2 "unified/corral/fz/cgroup.freeze", "0"); /* v1 only */
	g_assert_true(frozen_ok(cg));

	n = rt_cgroup_parts(cg, parts, 20);
	re = rt_cgroup_reopen(&f.l, parts, n, &err);
	g_assert_no_error(err);
	g_assert_true(frozen_ok(re));
	g_assert_true(rt_cgroup_freeze(re, false, &err));
	ASSERT_FILE(&f, V1 "freezer/corral/fz/freezer.state", "THAWED");
	g_assert_false(frozen_ok(cg));
	fake_write(&f, V1 "freezer/corral/fz/freezer.state", "FREEZING\n");
	g_assert_false(frozen_ok(re));
	fake_write(&f, V1 "freezer/corral/fz/freezer.state", "bogus\n");
	g_assert_false(rt_cgroup_frozen(re, &(bool){ false }, &err));
	g_assert_nonnull(strstr(err->message, "/sys/fs/cgroup/freezer/corral/fz/freezer.state"));
	rt_cgroup_close(re);

	/* destroy thaws a frozen cgroup (its tasks die only then) */
	g_assert_true(rt_cgroup_freeze(cg, true, NULL));
	destroy_ok(cg);
	assert_v1_tree(&f, "corral", false);
	fake_close(&f);
}

/* v2: cgroup.freeze, done when cgroup.events says "frozen 1"; a freeze
 * that never completes is undone and reported. */
static void test_v2_freeze(void)
{
	struct fake f;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v2");
	cg = create_ok(&f, "fz");
	g_assert_false(frozen_ok(cg));
	fake_write(&f, V2 "ci/job/fz/cgroup.events", "populated 1\nfrozen 1\n");
	g_assert_true(rt_cgroup_freeze(cg, true, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, V2 "ci/job/fz/cgroup.freeze", "1");
	g_assert_true(frozen_ok(cg));

	fake_write(&f, V2 "ci/job/fz/cgroup.events", "populated 1\nfrozen 0\n");
	g_assert_true(rt_cgroup_freeze(cg, false, &err));
	ASSERT_FILE(&f, V2 "ci/job/fz/cgroup.freeze", "0");

	/* the "kernel" never reports frozen: about 2 s, then undone */
	g_assert_false(rt_cgroup_freeze(cg, true, &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_CGROUP);
	g_test_message("%s", err->message);
	g_assert_true(g_str_has_prefix(err->message, "freezing "));
	g_assert_true(g_str_has_suffix(err->message,
				       "/sys/fs/cgroup/ci/job/fz/cgroup.events: "
				       "still not frozen after 2 s"));
	ASSERT_FILE(&f, V2 "ci/job/fz/cgroup.freeze", "0");
	destroy_ok(cg);
	fake_close(&f);
}

/* update: all or nothing; a failed write puts back what came before. */
static void test_update_rollback(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "u");
	res_init(&r);
	r.memory.limit = 64 << 20;
	r.cpu.quota = 20000;
	r.cpu.period = 100000;
	r.cpu.shares = 512;
	g_assert_true(rt_cgroup_apply(cg, &r, &err));

	/* a new memory limit and quota, then a cpuset file that is gone */
	res_init(&r);
	r.memory.limit = 128 << 20;
	r.cpu.quota = 50000;
	r.cpu.cpus = "1";
	g_autofree char *cpus = fake_path(&f, V1 "cpuset/u/cpuset.cpus");
	g_assert_cmpint(unlink(cpus), ==, 0);
	g_assert_false(rt_cgroup_update(cg, &r, &err));
	g_assert_nonnull(strstr(err->message, "writing '1' to "));
	g_assert_nonnull(strstr(err->message, "/sys/fs/cgroup/cpuset/u/cpuset.cpus"));
	ASSERT_FILE(&f, MEM_BASE "u/memory.limit_in_bytes", "67108864");
	ASSERT_FILE(&f, V1 "cpu/u/cpu.cfs_quota_us", "20000");
	ASSERT_FILE(&f, V1 "cpu/u/cpu.shares", "512");
	g_clear_error(&err);

	/* the same without the cpuset: applied */
	r.cpu.cpus = NULL;
	g_assert_true(rt_cgroup_update(cg, &r, &err));
	g_assert_no_error(err);
	ASSERT_FILE(&f, MEM_BASE "u/memory.limit_in_bytes", "134217728");
	ASSERT_FILE(&f, V1 "cpu/u/cpu.cfs_quota_us", "50000");
	ASSERT_FILE(&f, V1 "cpu/u/cpu.cfs_period_us", "100000");
	destroy_ok(cg);
	fake_close(&f);
}

/* --memory-swap alone is checked against the limit in force. */
static void test_update_swap(void)
{
	struct fake f;
	struct rt_resources r;
	g_autoptr(GError) err = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "s");
	fake_write(&f, MEM_BASE "s/memory.limit_in_bytes", "67108864\n");
	fake_write(&f, MEM_BASE "s/memory.memsw.limit_in_bytes", "9223372036854771712\n");
	res_init(&r);
	r.memory.swap = 32 << 20;
	g_assert_false(rt_cgroup_update(cg, &r, &err));
	g_assert_nonnull(strstr(err->message, "the memory+swap limit (33554432) is below "
				"the memory limit (67108864)"));
	g_clear_error(&err);
	r.memory.swap = 128 << 20;
	g_assert_true(rt_cgroup_update(cg, &r, &err));
	ASSERT_FILE(&f, MEM_BASE "s/memory.memsw.limit_in_bytes", "134217728");
	ASSERT_FILE(&f, MEM_BASE "s/memory.limit_in_bytes", "67108864");

	/* both, above what is in force: applied (the order that the kernel
	 * needs, swap first here, is checked on the host: oci-manage.sh) */
	res_init(&r);
	r.memory.limit = 256 << 20;
	r.memory.swap = 512 << 20;
	g_assert_true(rt_cgroup_update(cg, &r, &err));
	ASSERT_FILE(&f, MEM_BASE "s/memory.limit_in_bytes", "268435456");
	ASSERT_FILE(&f, MEM_BASE "s/memory.memsw.limit_in_bytes", "536870912");
	destroy_ok(cg);
	fake_close(&f);
}

/* ps: the processes of the cgroup and its sub-cgroups, sorted, once. */
static void test_pids(void)
{
	struct fake f;
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_autofree char *sub = NULL;
	struct rt_cgroup *cg;

	fake_open(&f, "runtime-cg-v1");
	cg = create_ok(&f, "p");
	sub = g_strdup_printf("%s/inner", rt_cgroup_dir(cg, CG_PIDS));
	g_assert_cmpint(mkdir(sub, 0755), ==, 0);
	fake_write(&f, V1 "pids/p/cgroup.procs", "300\n12\n");
	fake_write(&f, V1 "pids/p/inner/cgroup.procs", "7\n12\n");
	fake_write(&f, V1 "memory/process_api/abc/p/cgroup.procs", "999\n");
	g_array_append_val(pids, (pid_t){ 1 }); /* cleared first */
	g_assert_true(rt_cgroup_pids(cg, pids, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(pids->len, ==, 3);
	g_assert_cmpint(g_array_index(pids, pid_t, 0), ==, 7);
	g_assert_cmpint(g_array_index(pids, pid_t, 1), ==, 12);
	g_assert_cmpint(g_array_index(pids, pid_t, 2), ==, 300);
	fake_write(&f, V1 "pids/p/cgroup.procs", "");
	fake_write(&f, V1 "pids/p/inner/cgroup.procs", "");
	fake_write(&f, V1 "memory/process_api/abc/p/cgroup.procs", "");
	destroy_ok(cg);
	fake_close(&f);
}

static void test_shares_to_weight(void)
{
	uint64_t prev = 0;

	g_assert_cmpuint(rt_shares_to_weight(2), ==, 1);
	g_assert_cmpuint(rt_shares_to_weight(1024), ==, 100);
	g_assert_cmpuint(rt_shares_to_weight(262144), ==, 10000);
	g_assert_cmpuint(rt_shares_to_weight(0), ==, 1);
	g_assert_cmpuint(rt_shares_to_weight(1), ==, 1);
	g_assert_cmpuint(rt_shares_to_weight(1000000), ==, 10000);
	for (uint64_t s = 2; s <= 262144; s += 97) {
		uint64_t w = rt_shares_to_weight(s);

		g_assert_cmpuint(w, >=, prev);
		g_assert_cmpuint(w, >=, 1);
		g_assert_cmpuint(w, <=, 10000);
		prev = w;
	}
	/* more shares than the default: more weight than the default */
	g_assert_cmpuint(rt_shares_to_weight(2048), >, 100);
	g_assert_cmpuint(rt_shares_to_weight(512), <, 100);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/runtime-cg/v1/create-apply", test_v1_create_apply);
	g_test_add_func("/runtime-cg/v1/unlimited", test_v1_unlimited);
	g_test_add_func("/runtime-cg/v1/absolute", test_absolute);
	g_test_add_func("/runtime-cg/v1/shared-parent", test_shared_parent);
	g_test_add_func("/runtime-cg/v1/sub-cgroups", test_subcgroups_removed);
	g_test_add_func("/runtime-cg/v1/exists", test_exists);
	g_test_add_func("/runtime-cg/v1/failed-create", test_failed_create_leaves_nothing);
	g_test_add_func("/runtime-cg/bad-paths", test_bad_paths);
	g_test_add_func("/runtime-cg/v1/no-swap-accounting", test_no_swap_accounting);
	g_test_add_func("/runtime-cg/v1/swap-below-limit", test_swap_below_limit);
	g_test_add_func("/runtime-cg/v1/missing-file", test_missing_file);
	g_test_add_func("/runtime-cg/v1/rejected-value", test_rejected_value);
	g_test_add_func("/runtime-cg/v2/create-apply", test_v2_create_apply);
	g_test_add_func("/runtime-cg/v2/unlimited", test_v2_unlimited);
	g_test_add_func("/runtime-cg/v2/devices-error", test_v2_devices_error);
	g_test_add_func("/runtime-cg/shares-to-weight", test_shares_to_weight);
	g_test_add_func("/runtime-cg/v1/freeze", test_v1_freeze);
	g_test_add_func("/runtime-cg/v2/freeze", test_v2_freeze);
	g_test_add_func("/runtime-cg/v1/update-rollback", test_update_rollback);
	g_test_add_func("/runtime-cg/v1/update-swap", test_update_swap);
	g_test_add_func("/runtime-cg/v1/pids", test_pids);
	return g_test_run();
}
