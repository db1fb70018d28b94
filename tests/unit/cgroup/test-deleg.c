/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The delegation rules of cgroup/deleg.c as tables: one GTest case per
 * row, named after it, so TAP names the row that fails.
 */
#include "cgroup/cgroup.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

/* ---- credentials */

struct who {
	uid_t uid;
	gid_t gid;
	unsigned ngroups;
	gid_t groups[4];
};

#define U0     { 1000, 1000, 0, { 0 } }       /* cgroup-v2.rst's U0 */
#define ROOT   { 0, 0, 0, { 0 } }
#define CTR    { 100000, 100000, 0, { 0 } }   /* a container's root */
#define MEMBER { 1001, 1001, 2, { 5, 2000 } } /* group 2000 as extra */
#define FSGID  { 1001, 2000, 0, { 0 } }       /* group 2000 as fsgid */
#define OTHER  { 1001, 1001, 1, { 5 } }

static struct cg_creds creds_of(const struct who *w)
{
	return (struct cg_creds){ .pid = 4242, .tgid = 4242, .uid = w->uid,
				  .gid = w->gid, .ngroups = w->ngroups,
				  .groups = (gid_t *)w->groups };
}

/* ---- cg_dac */

struct dac_row {
	const char *name;
	struct who who;
	struct cg_fattr file;
	bool dir;
	int mask;
	int want;
};

static const struct dac_row dac_rows[] = {
	{ "owner-write", U0, { 1000, 1000, 0644 }, false, W_OK, 0 },
	{ "owner-read-write", U0, { 1000, 1000, 0600 }, false, R_OK | W_OK, 0 },
	{ "owner-class-only", U0, { 1000, 1000, 0466 }, false, W_OK, EACCES },
	{ "owner-no-exec", U0, { 1000, 1000, 0644 }, false, X_OK, EACCES },
	{ "owner-dir-search", U0, { 1000, 1000, 0755 }, true, X_OK | W_OK, 0 },
	{ "fsgid-group-write", FSGID, { 0, 2000, 0664 }, false, W_OK, 0 },
	{ "supplementary-group-write", MEMBER, { 0, 2000, 0664 }, false, W_OK, 0 },
	{ "supplementary-group-dir", MEMBER, { 0, 2000, 0770 }, true, W_OK | X_OK, 0 },
	{ "not-in-group", OTHER, { 0, 2000, 0664 }, false, W_OK, EACCES },
	{ "group-class-only", MEMBER, { 0, 2000, 0606 }, false, W_OK, EACCES },
	{ "other-read", OTHER, { 0, 0, 0644 }, false, R_OK, 0 },
	{ "other-write-denied", OTHER, { 0, 0, 0644 }, false, W_OK, EACCES },
	{ "other-rw-partly", OTHER, { 0, 0, 0644 }, false, R_OK | W_OK, EACCES },
	{ "other-write", OTHER, { 0, 0, 0646 }, false, W_OK, 0 },
	{ "other-dir-no-search", OTHER, { 0, 0, 0750 }, true, X_OK, EACCES },
	{ "mask-zero", OTHER, { 0, 0, 0000 }, false, 0, 0 },
	{ "uid0-write-readonly", ROOT, { 0, 0, 0444 }, false, W_OK, 0 },
	{ "uid0-foreign-0000", ROOT, { 1000, 1000, 0000 }, false, R_OK | W_OK, 0 },
	{ "uid0-exec-no-x", ROOT, { 0, 0, 0644 }, false, X_OK, EACCES },
	{ "uid0-exec-other-x", ROOT, { 1000, 1000, 0001 }, false, X_OK, 0 },
	{ "uid0-dir-0000", ROOT, { 1000, 1000, 0000 }, true, R_OK | W_OK | X_OK, 0 },
	{ "uid0-group-irrelevant", { 0, 2000, 0, { 0 } }, { 5, 6, 0000 }, false, W_OK, 0 },
};

static void test_dac(gconstpointer data)
{
	const struct dac_row *r = data;
	struct cg_creds c = creds_of(&r->who);

	g_assert_cmpint(cg_dac(&c, &r->file, r->dir, r->mask), ==, r->want);
}

/* ---- cg_path_within */

struct within_row {
	const char *name, *root, *path;
	bool want;
};

static const struct within_row within_rows[] = {
	{ "whole-tree", "", "a/b", true },
	{ "whole-tree-root", "", "", true },
	{ "itself", "a/c", "a/c", true },
	{ "child", "a/c", "a/c/d", true },
	{ "prefix-sibling", "a/c", "a/c1", false },
	{ "prefix-c1-c10", "lxc/c1", "lxc/c10", false },
	{ "prefix-c1-c10-child", "lxc/c1", "lxc/c10/x", false },
	{ "parent", "a/c", "a", false },
	{ "root-not-within", "a", "", false },
	{ "unrelated", "a", "b/c", false },
	{ "dotdot-escape", "a/c", "a/c/../d", false },
	{ "dot", "a/c", "a/c/./d", false },
	{ "dotdot-whole-tree", "", "../x", false },
	{ "doubled-slash", "a/c", "a//c/d", true },
};

static void test_within(gconstpointer data)
{
	const struct within_row *r = data;

	g_assert_cmpint(cg_path_within(r->root, r->path), ==, r->want);
}

/* ---- cg_common_ancestor */

struct common_row {
	const char *name, *a, *b, *want;
};

static const struct common_row common_rows[] = {
	{ "cgroup-v2.rst-C10-C00", "C1/C10", "C0/C00", "" },
	{ "cgroup-v2.rst-C00-C01", "C0/C00", "C0/C01", "C0" },
	{ "prefix-c1-c10", "lxc/c1/a", "lxc/c10/b", "lxc" },
	{ "prefix-c1-c10-top", "lxc/c1", "lxc/c10", "lxc" },
	{ "same", "a/b", "a/b", "a/b" },
	{ "ancestor", "a/b/c", "a", "a" },
	{ "root", "", "a/b", "" },
	{ "disjoint", "a", "b", "" },
};

static void test_common(gconstpointer data)
{
	const struct common_row *r = data;
	g_autofree char *got = cg_common_ancestor(r->a, r->b);

	g_assert_cmpstr(got, ==, r->want);
}

/* ---- cg_name_check */

struct name_row {
	const char *name, *cgname, *controllers;
	int want;
};

#define LONG255 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct name_row name_rows[] = {
	{ "plain", "c1", "memory", 0 },
	{ "plain-v2", "payload", "", 0 },
	{ "empty", "", "memory", EINVAL },
	{ "dot", ".", "memory", EINVAL },
	{ "dotdot", "..", "", EINVAL },
	{ "three-dots", "...", "", 0 },
	{ "hidden", ".x", "", 0 },
	{ "slash", "a/b", "memory", EINVAL },
	{ "newline", "a\nb", "memory", EINVAL },
	{ "name-max", LONG255, "memory", 0 },
	{ "name-max-plus-one", LONG255 "a", "memory", EINVAL },
	{ "tasks", "tasks", "memory", EEXIST },
	{ "tasks-v2", "tasks", "", EEXIST },
	{ "notify_on_release", "notify_on_release", "pids", EEXIST },
	{ "release_agent", "release_agent", "pids", EEXIST },
	{ "cgroup.procs", "cgroup.procs", "memory", EEXIST },
	{ "cgroup.anything", "cgroup.whatever", "", EEXIST },
	{ "v1-cpu", "cpu.shares", "cpu,cpuacct", EEXIST },
	{ "v1-cpuacct", "cpuacct.usage", "cpu,cpuacct", EEXIST },
	{ "v1-other-ctrl", "memory.max", "cpu,cpuacct", 0 },
	{ "v1-ctrl-word-prefix", "cpus.x", "cpu,cpuacct", 0 },
	{ "v1-no-dot", "cpuacct", "cpu,cpuacct", 0 },
	{ "v1-memory", "memory.limit_in_bytes", "memory", EEXIST },
	{ "v1-named", "name=systemd.x", "name=systemd", 0 },
	{ "v1-named-cgroup", "cgroup.procs", "name=systemd", EEXIST },
	{ "v2-memory", "memory.max", "", EEXIST },
	{ "v2-io", "io.max", "", EEXIST },
	{ "v2-cpuset", "cpuset.cpus", "", EEXIST },
	{ "v2-dmem", "dmem.max", "", EEXIST },
	{ "v2-irq", "irq.pressure", "", EEXIST },
	{ "v2-unknown-prefix", "foo.bar", "", 0 },
	{ "v2-blkio-is-v1", "blkio.weight", "", 0 },
	{ "v2-case", "Memory.max", "", 0 },
	{ "v2-no-dot", "memorymax", "", 0 },
};

static void test_name(gconstpointer data)
{
	const struct name_row *r = data;

	g_assert_cmpint(cg_name_check(r->cgname, r->controllers), ==, r->want);
}

/* ---- cg_file_delegatable, cg_root_write_check */

struct root_row {
	const char *name, *root, *path, *file;
	int want;
};

static const struct root_row root_rows[] = {
	{ "limit-at-root", "lxc/c1", "lxc/c1", "memory.max", EPERM },
	{ "v1-limit-at-root", "lxc/c1", "lxc/c1", "memory.limit_in_bytes", EPERM },
	{ "clone_children-at-root", "lxc/c1", "lxc/c1", "cgroup.clone_children", EPERM },
	{ "notify_on_release-at-root", "lxc/c1", "lxc/c1", "notify_on_release", EPERM },
	{ "procs-at-root", "lxc/c1", "lxc/c1", "cgroup.procs", 0 },
	{ "threads-at-root", "lxc/c1", "lxc/c1", "cgroup.threads", 0 },
	{ "subtree_control-at-root", "lxc/c1", "lxc/c1", "cgroup.subtree_control", 0 },
	{ "oom.group-at-root", "lxc/c1", "lxc/c1", "memory.oom.group", 0 },
	{ "reclaim-at-root", "lxc/c1", "lxc/c1", "memory.reclaim", 0 },
	{ "v1-tasks-at-root", "lxc/c1", "lxc/c1", "tasks", 0 },
	{ "limit-below-root", "lxc/c1", "lxc/c1/a", "memory.max", 0 },
	{ "limit-whole-tree", "", "", "memory.max", 0 },
	{ "limit-prefix-sibling", "lxc/c1", "lxc/c10", "memory.max", 0 },
	{ "limit-at-root-slashes", "lxc/c1", "lxc//c1/", "memory.max", EPERM },
	{ "limit-at-root-dot", "lxc/c1", "lxc/c1/.", "memory.max", EPERM },
	{ "limit-at-root-dotdot", "lxc/c1", "lxc/c1/a/..", "pids.max", EPERM },
};

static void test_root_write(gconstpointer data)
{
	const struct root_row *r = data;

	g_assert_cmpint(cg_root_write_check(r->root, r->path, r->file), ==,
			r->want);
}

static void test_delegatable(void)
{
	static const char *const yes[] = {
		"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
		"memory.oom.group", "memory.reclaim", "tasks",
	};
	static const char *const no[] = {
		"memory.max", "pids.max", "cgroup.clone_children",
		"notify_on_release", "cgroup.procsx", "memory.oom",
		"cgroup.freeze", "cgroup.max.depth", "", "Tasks",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++)
		g_assert_true(cg_file_delegatable(yes[i]));
	for (size_t i = 0; i < G_N_ELEMENTS(no); i++)
		g_assert_false(cg_file_delegatable(no[i]));
}

/* ---- cg_parse_pid_write */

struct pid_row {
	const char *name, *buf;
	size_t len; /* 0: strlen(buf) */
	int want;
	pid_t pid;
};

/*
 * What a write(2) of the same bytes to a cgroup.procs does on Linux 6.18
 * (checked by hand): "99999999999" and "-5" give EINVAL there, since
 * cgroup_procs_write_start() turns every kstrtoint() failure and a
 * negative pid into EINVAL.
 */
static const struct pid_row pid_rows[] = {
	{ "decimal", "123", 0, 0, 123 },
	{ "newline", "123\n", 0, 0, 123 },
	{ "blanks", " 7 ", 0, 0, 7 },
	{ "zero-self", "0", 0, 0, 0 },
	{ "hex", "0x10", 0, 0, 16 },
	{ "hex-upper", "0X1f", 0, 0, 31 },
	{ "octal", "010", 0, 0, 8 },
	{ "octal-bad-digit", "08", 0, EINVAL, 0 },
	{ "hex-no-digits", "0x", 0, EINVAL, 0 },
	{ "plus", "+5", 0, 0, 5 },
	{ "minus-zero", "-0", 0, 0, 0 },
	{ "negative", "-5", 0, EINVAL, 0 },
	{ "plus-plus", "++5", 0, EINVAL, 0 },
	{ "minus-plus", "-+5", 0, EINVAL, 0 },
	{ "two-pids", "1 2", 0, EINVAL, 0 },
	{ "empty", "", 0, EINVAL, 0 },
	{ "only-blanks", " \n", 0, EINVAL, 0 },
	{ "letters", "abc", 0, EINVAL, 0 },
	{ "trailing-letter", "12a", 0, EINVAL, 0 },
	{ "int-max", "2147483647", 0, 0, 2147483647 },
	{ "int-max-plus-one", "2147483648", 0, EINVAL, 0 },
	{ "overflow", "99999999999", 0, EINVAL, 0 },
	{ "overflow-u64", "99999999999999999999999", 0, EINVAL, 0 },
	{ "newlines", "5\n\n", 0, 0, 5 },
	{ "kernel-blanks", "\v\f5\r\t", 0, 0, 5 },
	{ "no-break-space", "\xa0" "5", 0, 0, 5 },
	{ "nul-ends-text", "5\0xyz", 5, 0, 5 },
	{ "not-nul-terminated", "123456", 3, 0, 123 },
};

static void test_pid(gconstpointer data)
{
	const struct pid_row *r = data;
	size_t len = r->len ? r->len : strlen(r->buf);
	pid_t untouched = -77, pid = untouched;
	pid_t want_pid = r->want ? untouched : r->pid;

	g_assert_cmpint(cg_parse_pid_write(r->buf, len, &pid), ==, r->want);
	g_assert_cmpint(pid, ==, want_pid);
}

/* Writes of 4096 and more bytes, none NUL-terminated. */
static void test_pid_sizes(void)
{
	g_autofree char *buf = g_malloc(5000);
	pid_t pid = -77;

	memset(buf, ' ', 5000);
	buf[4095] = '5';
	g_assert_cmpint(cg_parse_pid_write(buf, 4096, &pid), ==, 0);
	g_assert_cmpint(pid, ==, 5);
	pid = -77;
	g_assert_cmpint(cg_parse_pid_write(buf, 4097, &pid), ==, E2BIG);
	g_assert_cmpint(cg_parse_pid_write(buf, 5000, &pid), ==, E2BIG);
	memset(buf, '1', 5000);
	g_assert_cmpint(cg_parse_pid_write(buf, 5000, &pid), ==, E2BIG);
	g_assert_cmpint(pid, ==, -77);
}

/* ---- cg_may_move */

/* Owners of cgroup.procs in a hierarchy: cgroup-v2.rst's example (C0
 * and C1 delegated to U0, who made C00, C01 and C10), a container's
 * cgroup lxc/c1 beside lxc/c10, a cgroup delegated to group 2000. */
static const struct {
	const char *path;
	struct cg_fattr procs;
} tree[] = {
	{ "", { 0, 0, 0644 } },
	{ "C0", { 1000, 1000, 0644 } },
	{ "C0/C00", { 1000, 1000, 0644 } },
	{ "C0/C01", { 1000, 1000, 0644 } },
	{ "C1", { 1000, 1000, 0644 } },
	{ "C1/C10", { 1000, 1000, 0644 } },
	{ "lxc", { 0, 0, 0644 } },
	{ "lxc/c1", { 100000, 100000, 0644 } },
	{ "lxc/c1/a", { 100000, 100000, 0644 } },
	{ "lxc/c1/b", { 100000, 100000, 0644 } },
	{ "lxc/c10", { 100000, 100000, 0644 } },
	{ "grp", { 0, 2000, 0664 } },
	{ "grp/a", { 0, 2000, 0664 } },
	{ "grp/b", { 0, 2000, 0664 } },
};

static const struct cg_fattr *procs_of(const char *path)
{
	for (size_t i = 0; i < G_N_ELEMENTS(tree); i++)
		if (strcmp(tree[i].path, path) == 0)
			return &tree[i].procs;
	g_error("no cgroup \"%s\" in the test tree", path);
	return NULL;
}

struct move_row {
	const char *name;
	struct who who;
	const char *root, *src, *dst;
	bool daemon;
	int want;
};

static const struct move_row move_rows[] = {
	/* cgroup-v2.rst, "Delegation Containment" */
	{ "cgroup-v2.rst-C10-to-C00", U0, "", "C1/C10", "C0/C00", false, EACCES },
	{ "cgroup-v2.rst-C00-to-C01", U0, "", "C0/C00", "C0/C01", false, 0 },
	{ "cgroup-v2.rst-C0-to-C00", U0, "", "C0", "C0/C00", false, 0 },
	{ "cgroup-v2.rst-C10-to-C1", U0, "", "C1/C10", "C1", false, 0 },
	{ "cgroup-v2.rst-other-user", OTHER, "", "C0/C00", "C0/C01", false, EACCES },
	{ "uid0-anywhere", ROOT, "", "C1/C10", "C0/C00", false, 0 },
	{ "daemon-task", ROOT, "", "lxc/c1", "lxc/c1/a", true, EPERM },
	{ "daemon-before-eacces", U0, "", "C1/C10", "C0/C00", true, EPERM },
	{ "daemon-before-enoent", ROOT, "lxc/c1", "lxc/c10", "lxc/c1", true, EPERM },
	{ "supplementary-group", MEMBER, "", "grp/a", "grp/b", false, 0 },
	{ "fsgid-group", FSGID, "", "grp/a", "grp/b", false, 0 },
	{ "not-in-group", OTHER, "", "grp/a", "grp/b", false, EACCES },
	{ "container-inside", CTR, "lxc/c1", "lxc/c1/a", "lxc/c1/b", false, 0 },
	{ "container-to-its-root", CTR, "lxc/c1", "lxc/c1/a", "lxc/c1", false, 0 },
	{ "container-pulls-c10", CTR, "lxc/c1", "lxc/c10", "lxc/c1/a", false, EACCES },
	{ "container-pushes-c10", CTR, "lxc/c1", "lxc/c1/a", "lxc/c10", false, EACCES },
	{ "outside-root-src-c10", ROOT, "lxc/c1", "lxc/c10", "lxc/c1/a", false, ENOENT },
	{ "outside-root-dst-c10", ROOT, "lxc/c1", "lxc/c1/a", "lxc/c10", false, ENOENT },
	{ "nested-view-enoent", U0, "C0/C00", "C0/C01", "C0/C00", false, ENOENT },
	{ "nested-view-eacces-first", U0, "C0/C00", "C1/C10", "C0/C00", false, EACCES },
	{ "nested-view-inside", U0, "C0/C00", "C0/C00", "C0/C00", false, 0 },
};

static void test_move(gconstpointer data)
{
	const struct move_row *r = data;
	struct cg_creds c = creds_of(&r->who);
	g_autofree char *common = cg_common_ancestor(r->src, r->dst);
	struct cg_move m = { .root = r->root, .src = r->src, .dst = r->dst,
			     .common_procs = *procs_of(common),
			     .daemon = r->daemon };

	g_assert_cmpint(cg_may_move(&c, &m), ==, r->want);
}

/* ---- registration */

#define ADD_ROWS(group, rows, fn)                                          \
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {                   \
		g_autofree char *path =                                    \
			g_strdup_printf("/deleg/" group "/%s", rows[i].name); \
		g_test_add_data_func(path, &rows[i], fn);                  \
	}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* every failing row shows as "not ok", not only the first */
	g_test_set_nonfatal_assertions();
	ADD_ROWS("dac", dac_rows, test_dac);
	ADD_ROWS("within", within_rows, test_within);
	ADD_ROWS("common-ancestor", common_rows, test_common);
	ADD_ROWS("name", name_rows, test_name);
	ADD_ROWS("root-write", root_rows, test_root_write);
	ADD_ROWS("pid-write", pid_rows, test_pid);
	ADD_ROWS("move", move_rows, test_move);
	g_test_add_func("/deleg/delegatable", test_delegatable);
	g_test_add_func("/deleg/pid-write/sizes", test_pid_sizes);
	return g_test_run();
}
