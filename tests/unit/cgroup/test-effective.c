/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cg_effective_text() on a v1-shaped and a v2-shaped hierarchy built in a
 * temporary directory (memory, cpu, pids and cpuset files in one tree, as
 * if co-mounted), with the kernel's file contents: exact texts and errors.
 */
#include "cgroup/cgroup.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define V1_MAX "9223372036854771712\n"

static char *tmp_dir;
static struct cg_hier hier_v1, hier_v2;

struct fx_file {
	const char *rel;
	const char *text;
};

/* Cgroups: "" (root), lxc (limits), lxc/c1 (looser than lxc), lxc/c2
 * (tighter than lxc), free (nothing limits), bad and bad/kid (garbage). */
static const struct fx_file v1_files[] = {
	{ "memory.limit_in_bytes", V1_MAX },
	{ "memory.memsw.limit_in_bytes", V1_MAX },
	{ "cpu.cfs_quota_us", "-1\n" },
	{ "cpu.cfs_period_us", "100000\n" },
	{ "cpuset.cpus", "0-1\n" },
	{ "cpuset.mems", "0\n" },
	{ "cpuset.effective_cpus", "0-1\n" },
	{ "cpuset.effective_mems", "0\n" },
	/* the v1 root has no pids.max */
	{ "lxc/memory.limit_in_bytes", "134217728\n" },
	{ "lxc/memory.memsw.limit_in_bytes", "201326592\n" },
	{ "lxc/pids.max", "100\n" },
	{ "lxc/cpu.cfs_quota_us", "50000\n" },
	{ "lxc/cpu.cfs_period_us", "100000\n" },
	{ "lxc/cpuset.cpus", "0-1\n" },
	{ "lxc/cpuset.effective_cpus", "0-1\n" },
	{ "lxc/c1/memory.limit_in_bytes", "268435456\n" },
	{ "lxc/c1/memory.memsw.limit_in_bytes", V1_MAX },
	{ "lxc/c1/pids.max", "max\n" },
	{ "lxc/c1/cpu.cfs_quota_us", "-1\n" },
	{ "lxc/c1/cpu.cfs_period_us", "50000\n" },
	{ "lxc/c1/cpuset.cpus", "0-1\n" },
	{ "lxc/c1/cpuset.mems", "0\n" },
	{ "lxc/c1/cpuset.effective_cpus", "1\n" },
	{ "lxc/c1/cpuset.effective_mems", "0\n" },
	{ "lxc/c2/memory.limit_in_bytes", "67108864\n" },
	{ "lxc/c2/pids.max", "20\n" },
	{ "lxc/c2/cpu.cfs_quota_us", "10000\n" },
	{ "lxc/c2/cpu.cfs_period_us", "100000\n" },
	{ "free/memory.limit_in_bytes", V1_MAX },
	{ "free/pids.max", "max\n" },
	{ "free/cpu.cfs_quota_us", "-1\n" },
	{ "free/cpu.cfs_period_us", "100000\n" },
	{ "bad/memory.limit_in_bytes", "12abc\n" },
	{ "bad/cpu.cfs_quota_us", "fifty\n" },
	{ "bad/cpu.cfs_period_us", "100000\n" },
	{ "bad/kid/memory.limit_in_bytes", "4096\n" },
	{ "bad/kid/cpu.cfs_quota_us", "-1\n" },
	{ "bad/kid/cpu.cfs_period_us", "100000\n" },
};

/* The v2 root has no memory.max, memory.swap.max, pids.max, cpu.max. */
static const struct fx_file v2_files[] = {
	{ "cgroup.controllers", "cpuset cpu memory pids\n" },
	{ "cpuset.cpus.effective", "0-1\n" },
	{ "cpuset.mems.effective", "0\n" },
	{ "lxc/memory.max", "1073741824\n" },
	{ "lxc/memory.swap.max", "max\n" },
	{ "lxc/pids.max", "200\n" },
	{ "lxc/cpu.max", "max 100000\n" },
	{ "lxc/cpuset.cpus", "\n" },
	{ "lxc/cpuset.cpus.effective", "0-1\n" },
	{ "lxc/c1/memory.max", "max\n" },
	{ "lxc/c1/memory.swap.max", "0\n" },
	{ "lxc/c1/pids.max", "max\n" },
	{ "lxc/c1/cpu.max", "max 100000\n" },
	{ "lxc/c1/cpuset.cpus", "1\n" },
	{ "lxc/c1/cpuset.mems", "\n" },
	{ "lxc/c1/cpuset.cpus.effective", "1\n" },
	{ "lxc/c1/cpuset.mems.effective", "0\n" },
	{ "lxc/c2/memory.max", "536870912\n" },
	{ "lxc/c2/cpu.max", "max 50000\n" },
	{ "quota/cpu.max", "50000 100000\n" },
	{ "quota/c/cpu.max", "max 50000\n" },
	{ "quota/d/cpu.max", "20000 100000\n" },
	{ "free/memory.max", "max\n" },
	{ "free/pids.max", "max\n" },
	{ "free/cpu.max", "max 100000\n" },
	{ "bad/cpu.max", "fifty 100000\n" },
	{ "bad/memory.max", "max\n" },
	{ "bad/kid/cpu.max", "max 100000\n" },
	{ "bad/kid/memory.max", "1x\n" },
};

static void fx_write(const char *top, const struct fx_file *f)
{
	g_autofree char *path = g_build_filename(top, f->rel, NULL);
	g_autofree char *dir = g_path_get_dirname(path);
	g_autoptr(GError) err = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(path, f->text, -1, &err));
	g_assert_no_error(err);
}

static void fx_build(struct cg_hier *h, const char *name, bool v2,
		     const struct fx_file *files, size_t n)
{
	char *top = g_build_filename(tmp_dir, name, NULL);

	g_assert_cmpint(g_mkdir_with_parents(top, 0755), ==, 0);
	for (size_t i = 0; i < n; i++)
		fx_write(top, &files[i]);
	h->dirfd = open(top, O_PATH | O_DIRECTORY | O_CLOEXEC);
	g_assert_cmpint(h->dirfd, >=, 0);
	h->v2 = v2;
	h->mountpoint = top;
}

static void fx_remove(const char *path)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;

	if (d) {
		while ((name = g_dir_read_name(d))) {
			g_autofree char *sub = g_build_filename(path, name, NULL);

			fx_remove(sub);
		}
		g_dir_close(d);
	}
	g_assert_cmpint(g_remove(path), ==, 0);
}

struct eff_case {
	const char *path;
	const char *file;
	const char *want; /* NULL: not computed (served as it is) */
};

static void check(const struct cg_hier *h, const struct eff_case *c)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;

	g_test_message("%s: %s of \"%s\"", h->v2 ? "v2" : "v1", c->file,
		       c->path);
	g_assert_true(cg_effective_text(h, c->path, c->file, &text, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(text, ==, c->want);
}

static void check_all(const struct cg_hier *h, const struct eff_case *c,
		      size_t n)
{
	for (size_t i = 0; i < n; i++)
		check(h, &c[i]);
}

/* The error of @file at @path: @code and exactly @what about @rel. */
static void check_error(const struct cg_hier *h, const char *path,
			const char *file, int code, const char *msg_fmt,
			const char *rel)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	g_autofree char *full = g_build_filename(h->mountpoint, rel, NULL);
	g_autofree char *want = g_strdup_printf(msg_fmt, full);

	g_assert_false(cg_effective_text(h, path, file, &text, &err));
	g_assert_null(text);
	g_assert_error(err, CG_ERROR, code);
	g_assert_cmpstr(err->message, ==, want);
}

#define PARSE_MSG "parsing %s: unexpected content"
#define NOENT_MSG "reading %s: No such file or directory"

static void test_v1_memory(void)
{
	static const struct eff_case c[] = {
		/* parent 128M below the child's 256M: the parent's */
		{ "lxc/c1", "memory.limit_in_bytes", "134217728\n" },
		/* child 64M below the parent's: its own */
		{ "lxc/c2", "memory.limit_in_bytes", "67108864\n" },
		{ "lxc", "memory.limit_in_bytes", "134217728\n" },
		/* nothing limits: the root's value as the kernel prints it */
		{ "free", "memory.limit_in_bytes", V1_MAX },
		{ "", "memory.limit_in_bytes", V1_MAX },
		{ "lxc/c1", "memory.memsw.limit_in_bytes", "201326592\n" },
	};

	check_all(&hier_v1, c, G_N_ELEMENTS(c));
}

static void test_v1_pids(void)
{
	static const struct eff_case c[] = {
		{ "lxc/c1", "pids.max", "100\n" },
		{ "lxc/c2", "pids.max", "20\n" },
		/* no pids.max in the v1 root: skipped */
		{ "free", "pids.max", "max\n" },
		{ "lxc", "pids.max", "100\n" },
	};

	check_all(&hier_v1, c, G_N_ELEMENTS(c));
}

static void test_v1_cpu(void)
{
	static const struct eff_case c[] = {
		/* lxc: 50000/100000; c1's period 50000, no quota: 25000 */
		{ "lxc/c1", "cpu.cfs_quota_us", "25000\n" },
		/* c2's own 10000/100000 is tighter than lxc's */
		{ "lxc/c2", "cpu.cfs_quota_us", "10000\n" },
		{ "lxc", "cpu.cfs_quota_us", "50000\n" },
		{ "free", "cpu.cfs_quota_us", "-1\n" },
		{ "", "cpu.cfs_quota_us", "-1\n" },
	};

	check_all(&hier_v1, c, G_N_ELEMENTS(c));
}

static void test_v1_cpuset(void)
{
	static const struct eff_case c[] = {
		{ "lxc/c1", "cpuset.cpus", "1\n" },
		{ "lxc/c1", "cpuset.mems", "0\n" },
		{ "lxc", "cpuset.cpus", "0-1\n" },
		{ "", "cpuset.mems", "0\n" },
	};

	check_all(&hier_v1, c, G_N_ELEMENTS(c));
}

static void test_v2_memory_pids(void)
{
	static const struct eff_case c[] = {
		/* child "max", parent 1G; the root has no memory.max */
		{ "lxc/c1", "memory.max", "1073741824\n" },
		{ "lxc/c2", "memory.max", "536870912\n" },
		{ "lxc", "memory.max", "1073741824\n" },
		{ "free", "memory.max", "max\n" },
		{ "lxc/c1", "memory.swap.max", "0\n" },
		{ "lxc", "memory.swap.max", "max\n" },
		{ "lxc/c1", "pids.max", "200\n" },
		{ "free", "pids.max", "max\n" },
	};

	check_all(&hier_v2, c, G_N_ELEMENTS(c));
}

static void test_v2_cpu(void)
{
	static const struct eff_case c[] = {
		{ "lxc/c1", "cpu.max", "max 100000\n" },
		{ "lxc/c2", "cpu.max", "max 50000\n" },
		{ "free", "cpu.max", "max 100000\n" },
		/* quota: 50000/100000; c: no quota, period 50000 */
		{ "quota/c", "cpu.max", "25000 50000\n" },
		{ "quota/d", "cpu.max", "20000 100000\n" },
		{ "quota", "cpu.max", "50000 100000\n" },
	};

	check_all(&hier_v2, c, G_N_ELEMENTS(c));
}

static void test_v2_cpuset(void)
{
	static const struct eff_case c[] = {
		/* cpuset.cpus "" / "1": what the kernel lets them use */
		{ "lxc", "cpuset.cpus", "0-1\n" },
		{ "lxc/c1", "cpuset.cpus", "1\n" },
		{ "lxc/c1", "cpuset.mems", "0\n" },
		{ "", "cpuset.cpus", "0-1\n" },
	};

	check_all(&hier_v2, c, G_N_ELEMENTS(c));
}

static void test_other(void)
{
	static const struct eff_case c1[] = {
		{ "lxc", "cpu.cfs_period_us", NULL },
		{ "lxc", "memory.usage_in_bytes", NULL },
		{ "lxc", "cpu.max", NULL },
		{ "lxc", "memory.max", NULL },
		{ "lxc", "cgroup.procs", NULL },
	};
	static const struct eff_case c2[] = {
		{ "lxc", "memory.current", NULL },
		{ "lxc", "memory.limit_in_bytes", NULL },
		{ "lxc", "cpu.cfs_quota_us", NULL },
		{ "lxc", "cpuset.cpus.effective", NULL },
		{ "", "cgroup.controllers", NULL },
	};

	check_all(&hier_v1, c1, G_N_ELEMENTS(c1));
	check_all(&hier_v2, c2, G_N_ELEMENTS(c2));
}

static void test_errors(void)
{
	/* garbage in the cgroup itself, then in an ancestor */
	check_error(&hier_v1, "bad", "memory.limit_in_bytes", CG_ERROR_PARSE,
		    PARSE_MSG, "bad/memory.limit_in_bytes");
	check_error(&hier_v1, "bad/kid", "memory.limit_in_bytes",
		    CG_ERROR_PARSE, PARSE_MSG, "bad/memory.limit_in_bytes");
	check_error(&hier_v1, "bad/kid", "cpu.cfs_quota_us", CG_ERROR_PARSE,
		    PARSE_MSG, "bad/cpu.cfs_quota_us");
	check_error(&hier_v2, "bad", "cpu.max", CG_ERROR_PARSE, PARSE_MSG,
		    "bad/cpu.max");
	check_error(&hier_v2, "bad/kid", "cpu.max", CG_ERROR_PARSE, PARSE_MSG,
		    "bad/cpu.max");
	check_error(&hier_v2, "bad/kid", "memory.max", CG_ERROR_PARSE,
		    PARSE_MSG, "bad/kid/memory.max");
	/* the cgroup's own file must be there (ancestors' may not) */
	check_error(&hier_v2, "", "memory.max", CG_ERROR_NOENT, NOENT_MSG,
		    "memory.max");
	check_error(&hier_v2, "quota", "memory.max", CG_ERROR_NOENT,
		    NOENT_MSG, "quota/memory.max");
	check_error(&hier_v1, "lxc/c2", "cpuset.cpus", CG_ERROR_NOENT,
		    NOENT_MSG, "lxc/c2/cpuset.effective_cpus");
	check_error(&hier_v1, "gone", "cpu.cfs_quota_us", CG_ERROR_NOENT,
		    NOENT_MSG, "gone/cpu.cfs_quota_us");
}

int main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	tmp_dir = g_dir_make_tmp("corral-effective-XXXXXX", &err);
	g_assert_no_error(err);
	fx_build(&hier_v1, "v1", false, v1_files, G_N_ELEMENTS(v1_files));
	fx_build(&hier_v2, "v2", true, v2_files, G_N_ELEMENTS(v2_files));
	g_test_add_func("/cgroup/effective/v1/memory", test_v1_memory);
	g_test_add_func("/cgroup/effective/v1/pids", test_v1_pids);
	g_test_add_func("/cgroup/effective/v1/cpu", test_v1_cpu);
	g_test_add_func("/cgroup/effective/v1/cpuset", test_v1_cpuset);
	g_test_add_func("/cgroup/effective/v2/memory-pids",
			test_v2_memory_pids);
	g_test_add_func("/cgroup/effective/v2/cpu", test_v2_cpu);
	g_test_add_func("/cgroup/effective/v2/cpuset", test_v2_cpuset);
	g_test_add_func("/cgroup/effective/other", test_other);
	g_test_add_func("/cgroup/effective/errors", test_errors);
	rc = g_test_run();
	close(hier_v1.dirfd);
	close(hier_v2.dirfd);
	g_free(hier_v1.mountpoint);
	g_free(hier_v2.mountpoint);
	fx_remove(tmp_dir);
	g_free(tmp_dir);
	return rc;
}
