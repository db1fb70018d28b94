/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container rule (anchor_find) and its fork fallback, on real
 * processes: no fixtures. */
#include "fs/anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_anchor_self(void)
{
	struct cg_layout l;
	g_autoptr(GError) err = NULL;
	pid_t anchor = 0;
	uint64_t ns = 0;
	struct stat st;

	if (!cg_layout_open(&l, &err)) {
		g_test_skip(err->message);
		return;
	}
	g_assert_true(anchor_find(&l, getpid(), &anchor, &ns, &err));
	g_assert_no_error(err);
	g_assert_cmpint(anchor, ==, getpid());
	g_assert_cmpint(stat("/proc/self/ns/pid", &st), ==, 0);
	g_assert_cmpuint(ns, ==, st.st_ino);
	g_assert_false(anchor_find(&l, 0x3ffffff, &anchor, &ns, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	cg_layout_close(&l);
}

/* ---- the fork helper's messages ------------------------------------ */

/* ---- cross namespace (root) ---------------------------------------- */

/* In the new namespace's init: fork the reader, then wait to be killed. */
static void ns_init_main(void)
{
	if (fork() == 0) {
		for (;;)
			pause();
	}
	for (;;)
		pause();
}

/* The reader: @init's one child, as the host's /proc lists it. */
static pid_t reader_of(pid_t init)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children", init, init);

	for (int i = 0; i < 200; i++) {
		g_autofree char *text = NULL;

		if (g_file_get_contents(path, &text, NULL, NULL) && atoi(text) > 0)
			return atoi(text);
		g_usleep(10000);
	}
	return 0;
}

/* Forks C1, which unshares a pid namespace and forks its init C2 (pid
 * sent over @pipefd), whose child C3 is the reader. */
static pid_t spawn_ns(int pipefd)
{
	pid_t c1 = fork();

	g_assert_cmpint(c1, >=, 0);
	if (c1 == 0) {
		pid_t c2;

		if (unshare(CLONE_NEWPID) < 0)
			_exit(77);
		c2 = fork();
		if (c2 == 0)
			ns_init_main();
		if (write(pipefd, &c2, sizeof(c2)) != sizeof(c2))
			_exit(1);
		waitpid(c2, NULL, 0);
		_exit(0);
	}
	return c1;
}

static void check_cross_ns(pid_t init, pid_t reader)
{
	struct cg_layout l;
	g_autoptr(GError) err = NULL;
	g_autofree char *nspath = g_strdup_printf("/proc/%d/ns/pid", reader);
	pid_t anchor = 0;
	uint64_t ns = 0;
	struct stat st;
	int fd;

	g_assert_true(cg_layout_open(&l, &err));
	g_assert_true(anchor_find(&l, reader, &anchor, &ns, &err));
	g_assert_no_error(err);
	g_assert_cmpint(anchor, ==, init);
	g_assert_cmpint(stat(nspath, &st), ==, 0);
	g_assert_cmpuint(ns, ==, st.st_ino);
	g_assert_cmpuint(ns, !=, l.self_pidns);
	g_assert_true(anchor_find(&l, init, &anchor, &ns, &err));
	g_assert_cmpint(anchor, ==, init);
	/* what the fallback of kernels before 6.10 asks cgroup/ for (its own
	 * fallback: tests/unit/cgroup/test-pidns.c) */
	fd = open(nspath, O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	anchor = 0;
	g_assert_cmpint(cg_pid_from_ns(fd, 1, &anchor), ==, 0);
	g_assert_cmpint(anchor, ==, init);
	close(fd);
	cg_layout_close(&l);
}

static void test_anchor_cross_ns(void)
{
	int pfd[2], status;
	pid_t c1, init = 0, reader = 0;

	if (geteuid() != 0) {
		g_test_skip("needs root to create a pid namespace");
		return;
	}
	g_assert_cmpint(pipe2(pfd, O_CLOEXEC), ==, 0);
	c1 = spawn_ns(pfd[1]);
	close(pfd[1]);
	if (read(pfd[0], &init, sizeof(init)) != sizeof(init)) {
		waitpid(c1, &status, 0);
		close(pfd[0]);
		g_test_skip("cannot create a pid namespace here");
		return;
	}
	reader = reader_of(init);
	g_assert_cmpint(reader, >, 0);
	g_test_message("init %d reader %d", (int)init, (int)reader);
	check_cross_ns(init, reader);
	kill(init, SIGKILL); /* takes the whole namespace with it */
	g_assert_cmpint(waitpid(c1, &status, 0), ==, c1);
	close(pfd[0]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fs/anchor-find/self", test_anchor_self);
	g_test_add_func("/fs/anchor-find/cross-ns", test_anchor_cross_ns);
	return g_test_run();
}
