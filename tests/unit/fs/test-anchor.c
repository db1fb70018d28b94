/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reader cache trusts an anchor's pidfd only after checking it
 * (anchor_check in fs/anchor.c, issue 9 M1).  A hook between finding the anchor pid
 * and opening its pidfd replays what a recycled pid does: the anchor
 * exits, or the pid now names another process.  The reader must then get
 * an error (the daemon answers with the host's file), never the view of
 * whatever process holds the pid now.
 */
#include "fs/fs.h"
#include "fs/testing.h"
#include "setup.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* A pid namespace: @helper (our child) waits for @init, its pid 1; @child
 * is a second process in it when asked for. */
struct pidns {
	pid_t helper, init, child;
};

static void init_main(bool with_child)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* the namespace dies with the test */
	if (with_child && fork() == 0)
		for (;;)
			pause();
	for (;;)
		pause();
}

static void helper_main(int wfd, bool with_child)
{
	int flags = CLONE_NEWPID | (geteuid() == 0 ? 0 : CLONE_NEWUSER);
	pid_t init;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(flags) < 0)
		_exit(2);
	init = fork();
	if (init == 0)
		init_main(with_child);
	if (write(wfd, &init, sizeof(init)) != sizeof(init))
		_exit(3);
	waitpid(init, NULL, 0);
	_exit(0);
}

/* The first child of @pid, as this namespace sees it (0 if none yet). */
static pid_t first_child(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children", pid, pid);
	g_autofree char *text = NULL;

	for (int i = 0; i < 200; i++, g_usleep(5000)) {
		if (g_file_get_contents(path, &text, NULL, NULL) && *text)
			return (pid_t)g_ascii_strtoll(text, NULL, 10);
		g_clear_pointer(&text, g_free);
	}
	return 0;
}

static bool pidns_spawn(struct pidns *ns, bool with_child)
{
	int p[2];
	ssize_t n;

	g_assert_cmpint(pipe(p), ==, 0);
	ns->helper = fork();
	g_assert_cmpint(ns->helper, >=, 0);
	if (ns->helper == 0) {
		close(p[0]);
		helper_main(p[1], with_child);
	}
	close(p[1]);
	n = read(p[0], &ns->init, sizeof(ns->init));
	close(p[0]);
	if (n != sizeof(ns->init)) {
		waitpid(ns->helper, NULL, 0);
		ns->helper = 0;
		return false;
	}
	ns->child = with_child ? first_child(ns->init) : 0;
	return true;
}

/* Kill the namespace and wait until its init's pid is free. */
static void pidns_end(struct pidns *ns)
{
	if (ns->helper <= 0)
		return;
	kill(ns->init, SIGKILL);
	g_assert_cmpint(waitpid(ns->helper, NULL, 0), ==, ns->helper);
	ns->helper = 0;
}

static struct pidns other;      /* another container */
static struct pidns *exiting;   /* for hook_exit */
static pid_t replacement;       /* for hook_replace */

static void hook_replace(pid_t *anchor)
{
	*anchor = replacement;
}

static void hook_exit(pid_t *anchor)
{
	g_assert_cmpint(*anchor, ==, exiting->init);
	pidns_end(exiting);
}

static struct pidns reader_ns(void)
{
	struct pidns ns = { 0 };

	if (!pidns_spawn(&ns, true))
		g_test_skip("cannot create a pid namespace here (unshare failed)");
	return ns;
}

/* The anchor pid now names @who: the reader gets @want_error. */
static void expect_refused(pid_t who, const char *want_error)
{
	struct pidns ns = reader_ns();
	g_autoptr(GError) err = NULL;
	struct view *v;

	if (!ns.helper)
		return;
	replacement = who ? who : ns.child;
	view_test_before_pidfd = hook_replace;
	v = view_get(ns.init, &err);
	view_test_before_pidfd = NULL;
	g_assert_null(v);
	g_assert_nonnull(err);
	g_test_message("refused: %s", err->message);
	g_assert_nonnull(strstr(err->message, want_error));
	v = view_get(ns.init, &err); /* nothing was cached: a clean lookup works */
	g_assert_nonnull(v);
	g_assert_cmpint(view_test_anchor(v), ==, ns.init);
	view_put(v);
	pidns_end(&ns);
}

static void test_trusted(void)
{
	struct pidns ns = reader_ns();
	g_autoptr(GError) err = NULL;
	struct view *v;

	if (!ns.helper)
		return;
	v = view_get(ns.child, &err); /* a reader inside: its anchor is pid 1 */
	g_assert_no_error(err);
	g_assert_cmpint(view_test_anchor(v), ==, ns.init);
	view_put(v);
	pidns_end(&ns);
}

static void test_other_container_init(void)
{
	if (!other.helper)
		return;
	expect_refused(other.init, "is not in the reader's pid namespace");
}

static void test_host_process(void)
{
	expect_refused(getpid(), "is not in the reader's pid namespace");
}

static void test_not_init(void)
{
	expect_refused(0, "is not the init of the reader's pid namespace");
}

static void test_anchor_exits(void)
{
	struct pidns ns = reader_ns();
	g_autoptr(GError) err = NULL;
	struct view *v;
	g_autofree char *want = NULL;

	if (!ns.helper)
		return;
	exiting = &ns;
	view_test_before_pidfd = hook_exit;
	v = view_get(ns.init, &err);
	view_test_before_pidfd = NULL;
	g_assert_null(v);
	want = g_strdup_printf("opening a pidfd for process %d: No such process", ns.init);
	g_assert_cmpstr(err->message, ==, want);
}

int main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	fs_test_setup();
	if (!pidns_spawn(&other, false))
		other.helper = 0;
	g_test_add_func("/fs/anchor/trusted", test_trusted);
	g_test_add_func("/fs/anchor/other-container-init", test_other_container_init);
	g_test_add_func("/fs/anchor/host-process", test_host_process);
	g_test_add_func("/fs/anchor/not-init", test_not_init);
	g_test_add_func("/fs/anchor/anchor-exits", test_anchor_exits);
	ret = g_test_run();
	pidns_end(&other);
	return ret;
}
