/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cg_creds_enter/leave on real files: a thread acting as nobody is
 * refused a root 0600 file, creates directories owned by nobody and the
 * given fsgid, loses CAP_DAC_OVERRIDE and gets it back, while the main
 * thread keeps root's access the whole time (credentials per thread).
 * Root only (skipped otherwise).  cg_creds_of on this process's status.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOBODY 65534
#define GROUP 4242 /* a supplementary group (needs no /etc/group entry) */
#define CAP_DAC_OVERRIDE_BIT (UINT64_C(1) << 1)

struct bed {
	char *dir;     /* 0755 */
	char *secret;  /* root:root 0600 */
	char *grpfile; /* root:GROUP 0060 */
	char *pub;     /* 0777 */
	GAsyncQueue *to_main, *to_thread;
};

static void put_file(const char *path, gid_t gid, mode_t mode)
{
	g_assert_true(g_file_set_contents(path, "x", 1, NULL));
	g_assert_cmpint(chown(path, 0, gid), ==, 0);
	g_assert_cmpint(chmod(path, mode), ==, 0);
}

static void bed_init(struct bed *b)
{
	b->dir = g_dir_make_tmp("corral-creds-XXXXXX", NULL);
	g_assert_nonnull(b->dir);
	g_assert_cmpint(chmod(b->dir, 0755), ==, 0);
	b->secret = g_build_filename(b->dir, "secret", NULL);
	b->grpfile = g_build_filename(b->dir, "grp", NULL);
	b->pub = g_build_filename(b->dir, "pub", NULL);
	put_file(b->secret, 0, 0600);
	put_file(b->grpfile, GROUP, 0060);
	g_assert_cmpint(mkdir(b->pub, 0777), ==, 0);
	g_assert_cmpint(chmod(b->pub, 0777), ==, 0);
	b->to_main = g_async_queue_new();
	b->to_thread = g_async_queue_new();
}

static void bed_clear(struct bed *b)
{
	g_autofree char *made = g_build_filename(b->pub, "made", NULL);

	g_rmdir(made);
	g_rmdir(b->pub);
	g_unlink(b->secret);
	g_unlink(b->grpfile);
	g_rmdir(b->dir);
	g_free(b->dir);
	g_free(b->secret);
	g_free(b->grpfile);
	g_free(b->pub);
	g_async_queue_unref(b->to_main);
	g_async_queue_unref(b->to_thread);
}

/* 0, or the errno of opening @path for reading. */
static int open_errno(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The calling thread's effective capabilities. */
static uint64_t cap_eff(void)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = cg_read_file("/proc/thread-self/status", NULL,
					     &err);
	uint64_t caps = 0;

	g_assert_no_error(err);
	g_assert_true(cg_status_hex(text, "CapEff", &caps));
	return caps;
}

static struct cg_creds nobody(unsigned ngroups, gid_t *groups)
{
	return (struct cg_creds){ .pid = getpid(), .tgid = getpid(),
				  .uid = NOBODY, .gid = GROUP,
				  .ngroups = ngroups, .groups = groups };
}

static gpointer impersonate(gpointer data)
{
	struct bed *b = data;
	gid_t groups[] = { GROUP };
	struct cg_creds c = nobody(1, groups);
	g_autofree char *made = g_build_filename(b->pub, "made", NULL);
	g_autoptr(GError) err = NULL;
	struct stat st;

	g_assert_cmpuint(cap_eff() & CAP_DAC_OVERRIDE_BIT, !=, 0);
	g_assert_true(cg_creds_enter(&c, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(cap_eff() & CAP_DAC_OVERRIDE_BIT, ==, 0);
	g_assert_cmpint(open_errno(b->secret), ==, EACCES);
	g_assert_cmpint(open_errno(b->grpfile), ==, 0);
	g_assert_cmpint(mkdir(made, 0755), ==, 0);
	g_assert_cmpint(stat(made, &st), ==, 0);
	g_assert_cmpuint(st.st_uid, ==, NOBODY);
	g_assert_cmpuint(st.st_gid, ==, GROUP);
	/* the main thread checks its own access while this one impersonates */
	g_async_queue_push(b->to_main, GINT_TO_POINTER(1));
	g_async_queue_pop(b->to_thread);
	cg_creds_leave();
	g_assert_cmpuint(cap_eff() & CAP_DAC_OVERRIDE_BIT, !=, 0);
	g_assert_cmpint(open_errno(b->secret), ==, 0);
	return NULL;
}

static void test_per_thread(void)
{
	struct bed b = { 0 };
	gid_t before[256], now[256];
	GThread *t;
	int n;

	if (geteuid() != 0) {
		g_test_skip("needs root: changes fsuid/fsgid/groups");
		return;
	}
	bed_init(&b);
	n = getgroups(G_N_ELEMENTS(before), before);
	g_assert_cmpint(n, >=, 0);
	t = g_thread_new("impersonate", impersonate, &b);
	g_async_queue_pop(b.to_main);
	g_assert_cmpint(open_errno(b.secret), ==, 0);
	g_assert_cmpint(getgroups(G_N_ELEMENTS(now), now), ==, n);
	g_assert_cmpmem(now, (size_t)n * sizeof(gid_t), before,
			(size_t)n * sizeof(gid_t));
	g_assert_cmpuint(cap_eff() & CAP_DAC_OVERRIDE_BIT, !=, 0);
	g_async_queue_push(b.to_thread, GINT_TO_POINTER(1));
	g_thread_join(t);
	bed_clear(&b);
}

/* The group class: GROUP reads the 0060 file only as a supplementary
 * group (fsgid NOBODY here). */
static gpointer group_only(gpointer data)
{
	struct bed *b = data;
	gid_t groups[] = { 7, GROUP };
	struct cg_creds with = nobody(2, groups), without = nobody(0, NULL);
	g_autoptr(GError) err = NULL;

	with.gid = without.gid = NOBODY;
	g_assert_true(cg_creds_enter(&with, &err));
	g_assert_cmpint(open_errno(b->grpfile), ==, 0);
	cg_creds_leave();
	g_assert_true(cg_creds_enter(&without, &err));
	g_assert_cmpint(open_errno(b->grpfile), ==, EACCES);
	cg_creds_leave();
	g_assert_cmpint(open_errno(b->grpfile), ==, 0);
	return NULL;
}

static void test_groups(void)
{
	struct bed b = { 0 };

	if (geteuid() != 0) {
		g_test_skip("needs root: changes fsuid/fsgid/groups");
		return;
	}
	bed_init(&b);
	g_thread_join(g_thread_new("group", group_only, &b));
	bed_clear(&b);
}

static void test_of_self(void)
{
	g_autoptr(GError) err = NULL;
	struct cg_creds c, d;
	gid_t own[256];
	int n = getgroups(G_N_ELEMENTS(own), own);

	g_assert_cmpint(n, >=, 0);
	g_assert_true(cg_creds_of(getpid(), 12, 34, &c, &err));
	g_assert_no_error(err);
	g_assert_cmpint(c.pid, ==, getpid());
	g_assert_cmpint(c.tgid, ==, getpid());
	g_assert_cmpuint(c.uid, ==, 12);
	g_assert_cmpuint(c.gid, ==, 34);
	g_assert_cmpmem(c.groups, c.ngroups * sizeof(gid_t), own,
			(size_t)n * sizeof(gid_t));
	cg_creds_copy(&d, &c);
	cg_creds_clear(&c);
	g_assert_cmpuint(c.ngroups, ==, 0);
	g_assert_null(c.groups);
	g_assert_cmpmem(d.groups, d.ngroups * sizeof(gid_t), own,
			(size_t)n * sizeof(gid_t));
	cg_creds_clear(&d);
}

/* A thread's /proc/PID/status: its own tid, its process's tgid. */
static gpointer of_thread(gpointer data)
{
	struct cg_creds *c = data;

	g_assert_true(cg_creds_of((pid_t)gettid(), 0, 0, c, NULL));
	c->uid = (uid_t)gettid();
	return NULL;
}

static void test_of_thread_and_gone(void)
{
	g_autoptr(GError) err = NULL;
	struct cg_creds c;

	g_thread_join(g_thread_new("of", of_thread, &c));
	g_assert_cmpint(c.pid, ==, (pid_t)c.uid);
	g_assert_cmpint(c.pid, !=, getpid());
	g_assert_cmpint(c.tgid, ==, getpid());
	cg_creds_clear(&c);
	g_assert_false(cg_creds_of(INT32_MAX, 0, 0, &c, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_assert_null(c.groups);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/creds/per-thread", test_per_thread);
	g_test_add_func("/creds/groups", test_groups);
	g_test_add_func("/creds/of-self", test_of_self);
	g_test_add_func("/creds/of-thread-and-gone", test_of_thread_and_gone);
	return g_test_run();
}
