/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fixture trees for the runtime's cgroup tests, and a fake cgroupfs.
 *
 * Each test copies tests/fixtures/runtime-cg-{v1,v2} to a temporary
 * directory (never writing into the source tree) and writes the caller's
 * /proc/PID/cgroup there.  Plain directories do not behave like cgroupfs,
 * so this file replaces two libc calls for the test program (the
 * executable's definitions take precedence over libc's for the code of
 * cgroup/ linked into it):
 *  - mkdirat() in a fixture hierarchy also creates the control files the
 *    kernel would show in a new cgroup of that hierarchy (empty, like the
 *    kernel's fresh cpuset.cpus; v2 cgroup.controllers = the parent's
 *    subtree_control);
 *  - unlinkat(AT_REMOVEDIR) removes those files first (rmdir on cgroupfs
 *    succeeds with them present).
 * Include it from exactly one file of a test program.
 */
#ifndef CORRAL_TEST_RUNTIME_CG_FAKE_H
#define CORRAL_TEST_RUNTIME_CG_FAKE_H

#include "cgroup/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The temporary copy being faked ("" when none). */
static char fake_root[4096];

/* Files of a new cgroup, per hierarchy (the mount's base name). */
static const char *fake_files[][16] = {
	{ "cpu", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.shares" },
	{ "cpuacct", "cpuacct.usage" },
	{ "cpuset", "cpuset.cpus", "cpuset.mems" },
	{ "memory", "memory.limit_in_bytes", "memory.soft_limit_in_bytes",
	  "memory.memsw.limit_in_bytes" },
	{ "blkio", "blkio.weight" },
	{ "pids", "pids.max" },
	{ "devices", "devices.allow", "devices.deny", "devices.list" },
	{ "freezer", "freezer.state" },
	{ "unified", "cgroup.controllers", "cgroup.subtree_control",
	  "cgroup.kill", "cgroup.freeze", "cgroup.events" },
	{ "cgroup", "cgroup.controllers", "cgroup.subtree_control",
	  "cgroup.kill", "cgroup.freeze", "cgroup.events", "memory.max",
	  "memory.swap.max", "memory.low", "cpu.max", "cpu.weight",
	  "cpuset.cpus", "cpuset.mems", "pids.max" },
};

/* What the kernel shows in a new cgroup's file (default: empty). */
static char *fake_initial(const char *dir, const char *file);

/* A test may drop one file from new cgroups (e.g. no swap accounting). */
static const char *fake_skip;

static char *fd_path(int dirfd)
{
	char link[64], buf[4096];
	ssize_t n;

	g_snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return g_strdup(buf);
}

/* The parent's subtree_control without the '+' a test wrote. */
static char *fake_controllers(const char *dir)
{
	g_autofree char *parent = g_path_get_dirname(dir);
	g_autofree char *file = g_build_filename(parent, "cgroup.subtree_control", NULL);
	g_autofree char *text = NULL;
	GString *out = g_string_new(NULL);

	if (g_file_get_contents(file, &text, NULL, NULL))
		for (char *c = text; *c; c++)
			if (*c != '+')
				g_string_append_c(out, *c);
	return g_string_free(out, FALSE);
}

static char *fake_initial(const char *dir, const char *file)
{
	if (strcmp(file, "cgroup.controllers") == 0)
		return fake_controllers(dir);
	if (strcmp(file, "freezer.state") == 0)
		return g_strdup("THAWED\n");
	if (strcmp(file, "cgroup.events") == 0)
		return g_strdup("populated 0\nfrozen 0\n");
	if (strcmp(file, "cgroup.freeze") == 0)
		return g_strdup("0\n");
	return g_strdup("");
}

static void fake_populate(const char *hier, const char *dir)
{
	g_autofree char *base = g_path_get_basename(hier);
	g_autofree char *procs = g_build_filename(dir, "cgroup.procs", NULL);

	g_assert_true(g_file_set_contents(procs, "", 0, NULL));
	for (size_t i = 0; i < G_N_ELEMENTS(fake_files); i++) {
		if (strcmp(fake_files[i][0], base) != 0)
			continue;
		for (int f = 1; f < 16 && fake_files[i][f]; f++) {
			g_autofree char *p = g_build_filename(dir, fake_files[i][f], NULL);
			g_autofree char *v = fake_initial(dir, fake_files[i][f]);

			if (g_strcmp0(fake_skip, fake_files[i][f]) != 0)
				g_assert_true(g_file_set_contents(p, v, -1, NULL));
		}
	}
}

/* The hierarchy directory of @dirfd when it is in the fake tree. */
static char *fake_hier(int dirfd)
{
	g_autofree char *p = NULL;

	if (!fake_root[0] || dirfd == AT_FDCWD || !(p = fd_path(dirfd)) ||
	    !g_str_has_prefix(p, fake_root))
		return NULL;
	return g_steal_pointer(&p);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	g_autofree char *hier = fake_hier(dirfd);
	int r = (int)syscall(SYS_mkdirat, dirfd, path, mode);

	if (r == 0 && hier) {
		g_autofree char *dir = g_build_filename(hier, path, NULL);

		fake_populate(hier, dir);
	}
	return r;
}

int unlinkat(int dirfd, const char *path, int flags)
{
	g_autofree char *hier = fake_hier(dirfd);

	if (hier && (flags & AT_REMOVEDIR)) {
		g_autofree char *dir = g_build_filename(hier, path, NULL);
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			g_autofree char *f = g_build_filename(dir, e->d_name, NULL);
			struct stat st;

			if (lstat(f, &st) == 0 && !S_ISDIR(st.st_mode))
				(void)syscall(SYS_unlinkat, AT_FDCWD, f, 0);
		}
		if (d)
			closedir(d);
	}
	return (int)syscall(SYS_unlinkat, dirfd, path, flags);
}

/* ---- fixture copies ---------------------------------------------------- */

struct fake {
	char *dir;          /* the temporary copy */
	struct cg_layout l;
};

static void fake_run(const char *cmd)
{
	int status = 0;

	g_assert_true(g_spawn_command_line_sync(cmd, NULL, NULL, &status, NULL));
	g_assert_cmpint(status, ==, 0);
}

/* Copies fixture @name, makes it the caller's /proc/PID/cgroup and opens
 * its layout. */
static void fake_open(struct fake *f, const char *name)
{
	g_autofree char *src = g_build_filename(g_getenv("FIXTURES"), name, NULL);
	g_autofree char *cmd = NULL, *mi = NULL, *proc = NULL, *pid = NULL,
			*piddir = NULL, *cgsrc = NULL, *cgdst = NULL, *text = NULL;
	g_autoptr(GError) err = NULL;

	f->dir = g_dir_make_tmp("corral-rtcg-XXXXXX", &err);
	g_assert_no_error(err);
	cmd = g_strdup_printf("cp -a %s/. %s", src, f->dir);
	fake_run(cmd);
	g_snprintf(fake_root, sizeof(fake_root), "%s/", f->dir);
	pid = g_strdup_printf("%d", (int)getpid());
	proc = g_build_filename(f->dir, "proc", NULL);
	cgsrc = g_build_filename(f->dir, "caller-cgroup", NULL);
	cgdst = g_build_filename(proc, pid, "cgroup", NULL);
	g_assert_true(g_file_get_contents(cgsrc, &text, NULL, NULL));
	piddir = g_build_filename(proc, pid, NULL);
	g_assert_cmpint(g_mkdir_with_parents(piddir, 0755), ==, 0);
	g_assert_true(g_file_set_contents(cgdst, text, -1, NULL));
	mi = g_build_filename(f->dir, "mountinfo", NULL);
	g_assert_true(cg_layout_open_fixture(&f->l, mi, f->dir, proc, &err));
	g_assert_no_error(err);
}

static void fake_close(struct fake *f)
{
	g_autofree char *cmd = g_strdup_printf("rm -rf %s", f->dir);

	cg_layout_close(&f->l);
	fake_run(cmd);
	fake_root[0] = '\0';
	fake_skip = NULL;
	g_free(f->dir);
}

/* Path of @rel in the copy. */
static char *fake_path(const struct fake *f, const char *rel)
{
	return g_build_filename(f->dir, rel, NULL);
}

static bool fake_exists(const struct fake *f, const char *rel)
{
	g_autofree char *p = fake_path(f, rel);

	return g_file_test(p, G_FILE_TEST_EXISTS);
}

/* Content of @rel in the copy, whitespace stripped. */
static char *fake_read(const struct fake *f, const char *rel)
{
	g_autofree char *p = fake_path(f, rel);
	char *text = NULL;

	g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
	return g_strstrip(text);
}

#endif
