/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime/cgroups/cgroups.c on the real host's cgroups (root only, skipped with a
 * reason otherwise): a cgroup below the test's own cgroup in every
 * hierarchy, limits applied, a forked child attached, the kernel's files
 * checked, everything removed.  On a v1 or hybrid host the device rules
 * go to v1; a second case attaches the v2 device program to a cgroup of
 * the cgroup2 hierarchy (on a hybrid host: the unified mount) and checks
 * that it decides what the child may open.
 */
#include "runtime/cgroups/cgroups.h"
#include "runtime/cgroups/devices.h"
#include "rules.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool host_layout(struct cg_layout *l)
{
	g_autoptr(GError) err = NULL;

	if (geteuid() != 0) {
		g_test_skip("not root: real cgroups need root");
		return false;
	}
	if (!cg_layout_open(l, &err)) {
		g_test_skip(err->message);
		return false;
	}
	return true;
}

static char *read_file(const char *dir, const char *file)
{
	g_autofree char *p = g_build_filename(dir, file, NULL);
	char *text = NULL;

	g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
	return g_strstrip(text);
}

#define ASSERT_FILE(dir, file, want)                                          \
	do {                                                                  \
		g_autofree char *got_ = read_file(dir, file);                 \
		g_assert_cmpstr(got_, ==, want);                              \
	} while (0)

/* A child that waits for a byte on @fd, then tries to open @path and
 * exits 0 if it could, 1 if EPERM, 2 otherwise. */
static pid_t child(int fd, const char *path)
{
	pid_t pid = fork();
	char c;
	int o;

	g_assert_cmpint(pid, >=, 0);
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(fd, &c, 1) != 1)
		_exit(3);
	if (!path)
		pause();
	o = open(path, O_RDONLY | O_CLOEXEC);
	_exit(o >= 0 ? 0 : errno == EPERM ? 1 : 2);
}

static void check_limits(struct rt_cgroup *cg)
{
	const char *mem = rt_cgroup_dir(cg, CG_MEMORY), *cpu = rt_cgroup_dir(cg, CG_CPU);

	g_autofree char *v2 = g_build_filename(mem, "memory.max", NULL);

	if (g_file_test(v2, G_FILE_TEST_EXISTS)) {
		ASSERT_FILE(mem, "memory.max", "268435456");
		ASSERT_FILE(cpu, "cpu.max", "50000 100000");
	} else {
		ASSERT_FILE(mem, "memory.limit_in_bytes", "268435456");
		ASSERT_FILE(cpu, "cpu.cfs_quota_us", "50000");
		ASSERT_FILE(cpu, "cpu.cfs_period_us", "100000");
	}
	ASSERT_FILE(rt_cgroup_dir(cg, CG_PIDS), "pids.max", "64");
	ASSERT_FILE(rt_cgroup_dir(cg, CG_CPUSET), "cpuset.cpus", "0");
}

static void test_limits(void)
{
	struct cg_layout l;
	struct rt_resources r = { 0 };
	g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(struct rt_device_rule));
	g_autoptr(GError) err = NULL;
	g_autofree char *name = g_strdup_printf("corral-test-%d/ctr", (int)getpid());
	char *dirs[CG_NCTRL] = { 0 };
	g_autofree char *procs = NULL, *top = NULL, *ddir = NULL;
	struct rt_cgroup *cg;
	int p[2], status;
	gint64 t0;
	pid_t pid;

	if (!host_layout(&l))
		return;
	r.memory.limit = 256 << 20;
	r.memory.swap = r.memory.reservation = r.cpu.shares = RT_UNSET;
	r.cpu.quota = 50000;
	r.cpu.period = 100000;
	r.cpu.cpus = "0";
	r.pids.limit = 64;
	add_rule(rules, false, 'a', -1, -1, "rwm");
	add_rule(rules, true, 'c', 1, 3, "rwm");
	add_rule(rules, true, 'c', 136, -1, "rw");
	r.devices = l.kind == CG_LAYOUT_V2 ? NULL : rules;
	/* this host's devices cgroup is the root: the same relative path */
	ddir = g_strdup_printf("/sys/fs/cgroup/devices/%s", name);

	cg = rt_cgroup_create(&l, name, &err);
	g_assert_no_error(err);
	if (!cg) {
		cg_layout_close(&l);
		return;
	}
	for (int c = 0; c < CG_NCTRL; c++)
		dirs[c] = g_strdup(rt_cgroup_dir(cg, c));
	g_assert_true(rt_cgroup_apply(cg, &r, &err));
	g_assert_no_error(err);
	check_limits(cg);
	g_assert_cmpint(pipe2(p, O_CLOEXEC), ==, 0);
	pid = child(p[0], NULL);
	g_assert_true(rt_cgroup_attach(cg, pid, &err));
	g_assert_no_error(err);
	procs = read_file(rt_cgroup_dir(cg, CG_PIDS), "cgroup.procs");
	g_assert_cmpint(atoi(procs), ==, pid);
	if (g_file_test(ddir, G_FILE_TEST_IS_DIR)) { /* v1 devices */
		g_autofree char *list = read_file(ddir, "devices.list");

		g_assert_cmpstr(list, ==, "c 1:3 rwm\nc 136:* rw");
		g_test_message("%s/devices.list checked", ddir);
	}
	/* the child is killed by destroy; reaped after it */
	t0 = g_get_monotonic_time();
	g_assert_true(rt_cgroup_destroy(cg, &err));
	g_assert_no_error(err);
	g_test_message("destroy with an unreaped child: %" G_GINT64_FORMAT " us",
		       g_get_monotonic_time() - t0);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(p[0]);
	close(p[1]);
	for (int c = 0; c < CG_NCTRL; c++) {
		if (!dirs[c])
			continue;
		g_assert_false(g_file_test(dirs[c], G_FILE_TEST_EXISTS));
		top = g_path_get_dirname(dirs[c]); /* corral-test-PID: made by us */
		g_assert_false(g_file_test(top, G_FILE_TEST_EXISTS));
		g_clear_pointer(&top, g_free);
		g_free(dirs[c]);
	}
	cg_layout_close(&l);
}

/* The children of test_bpf_devices, run in the cgroup @dir: 0 when the
 * open was allowed, 1 for EPERM (-1: not run). */
static void run_children(const char *dir, const char *const *paths, int *rc)
{
	struct cg_hier hh = { .dirfd = AT_FDCWD, .mountpoint = (char *)"" };
	pid_t pids[2];
	int p[2], status;
	bool ok = true;

	g_assert_cmpint(pipe2(p, O_CLOEXEC), ==, 0);
	for (int i = 0; i < 2; i++)
		pids[i] = child(p[0], paths[i]);
	for (int i = 0; i < 2 && ok; i++) {
		g_autoptr(GError) err = NULL;

		ok = cg_attach(&hh, dir, pids[i], &err);
		g_assert_no_error(err);
	}
	for (int i = 0; i < 2; i++) {
		if (!ok)
			kill(pids[i], SIGKILL);
		else if (i == 0)
			g_assert_cmpint(write(p[1], "go", 2), ==, 2);
		rc[i] = -1;
		if (waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status))
			rc[i] = WEXITSTATUS(status);
	}
	close(p[0]);
	close(p[1]);
}

/* A v2 device program on a cgroup of the cgroup2 hierarchy, below the
 * test's own cgroup there: /dev/null allowed, /dev/full (1:7) refused
 * with EPERM. */
static void test_bpf_devices(void)
{
	static const char *const paths[] = { "/dev/null", "/dev/full" };
	struct cg_layout l;
	g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(struct rt_device_rule));
	g_autoptr(GArray) prog = NULL;
	g_autoptr(GError) err = NULL;
	g_autofree char *dir = NULL;
	struct cg_paths self;
	int fd, prog_fd, rc[2] = { -1, -1 };

	if (!host_layout(&l))
		return;
	if (l.unified < 0 || !cg_paths_of_pid(&l, getpid(), &self, NULL)) {
		g_test_skip("no cgroup2 hierarchy");
		cg_layout_close(&l);
		return;
	}
	dir = g_strdup_printf("%s/%s%scorral-bpf-%d", l.hier[l.unified].mountpoint,
			      self.path[CG_PSI], *self.path[CG_PSI] ? "/" : "",
			      (int)getpid());
	cg_paths_clear(&self);
	add_rule(rules, true, 'c', 1, 3, "rwm");
	prog = rt_devices_bpf_build(rules);
	if (!rt_devices_bpf_load(prog, &prog_fd, &err)) {
		g_test_skip(err->message);
		cg_layout_close(&l);
		return;
	}
	g_assert_cmpint(mkdir(dir, 0755), ==, 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rt_devices_bpf_attach(prog_fd, fd, dir, &err))
		run_children(dir, paths, rc);
	g_assert_no_error(err);
	g_assert_cmpint(rc[0], ==, 0);
	g_assert_cmpint(rc[1], ==, 1);
	close(fd);
	close(prog_fd);
	g_assert_cmpint(rmdir(dir), ==, 0);
	cg_layout_close(&l);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* a failed check goes on to the cleanup: nothing left on the host */
	g_test_set_nonfatal_assertions();
	g_test_add_func("/runtime-cg/host/limits", test_limits);
	g_test_add_func("/runtime-cg/host/bpf-devices", test_bpf_devices);
	return g_test_run();
}
