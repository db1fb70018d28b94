/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pid translation against a real pid namespace (a child's unshare): its
 * init, three more processes and a thread, each with the nsfs ioctls and
 * with the fallbacks of older kernels forced (cgi_pidns_no_ioctl); and
 * /proc/PID/cgroup read inside a process's own cgroup namespace.  Root
 * only (skipped otherwise); the cgroup made is a child of this process's
 * own, removed after.
 */
#include "cgroup/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCHILD 3
/* init, children, one thread, a child "pidns-p" that made a nested
 * namespace and its init "pidns-n" */
#define NTASK (NCHILD + 4)

struct task {
	char name[16]; /* comm: "pidns-g", "pidns-c1", "pidns-t" */
	pid_t host;
	pid_t inner;
};

/* ---- the namespace's side (forked: plain calls only) -------------- */

static int rep_fd, rel_fd; /* report (write end), release (read end) */

static void report(const char *name, pid_t pid)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s %d\n", name, (int)pid);

	if (write(rep_fd, line, (size_t)n) != n)
		_exit(9);
}

static void wait_release(void)
{
	char byte;

	while (read(rel_fd, &byte, 1) > 0)
		;
}

/* Names itself, reports its number inside, waits for the release. */
static void settle(const char *name, pid_t inner)
{
	prctl(PR_SET_NAME, name);
	report(name, inner);
	wait_release();
}

static void *thread_main(void *arg)
{
	(void)arg;
	settle("pidns-t", (pid_t)gettid());
	return NULL;
}

/* A child of the init: a namespace below, its init reported with the
 * number the middle namespace gives it (what the test's nsfd numbers). */
static G_GNUC_NORETURN void nested(void)
{
	pid_t n;

	if (unshare(CLONE_NEWPID) < 0)
		_exit(7);
	n = fork();
	if (n == 0) {
		prctl(PR_SET_NAME, "pidns-n");
		report("nready", getpid());
		wait_release();
		_exit(0);
	}
	report("pidns-n", n);
	settle("pidns-p", getpid());
	_exit(0);
}

static G_GNUC_NORETURN void ns_init(void)
{
	pthread_t t;

	if (fork() == 0)
		nested();

	for (int i = 1; i <= NCHILD; i++) {
		char name[16];

		snprintf(name, sizeof(name), "pidns-c%d", i);
		if (fork() == 0) {
			settle(name, getpid());
			_exit(0);
		}
	}
	if (pthread_create(&t, NULL, thread_main, NULL) != 0)
		_exit(8);
	settle("pidns-g", getpid());
	_exit(0); /* pid 1 exits: the kernel kills the namespace */
}

/* The child in the host namespace: unshares, forks the new init, tells
 * its host pid. */
static G_GNUC_NORETURN void ns_parent(void)
{
	pid_t g;

	if (unshare(CLONE_NEWPID) < 0)
		_exit(7);
	g = fork();
	if (g == 0)
		ns_init();
	if (g < 0)
		_exit(6);
	report("host", g);
	waitpid(g, NULL, 0);
	_exit(0);
}

/* ---- the test's side ---------------------------------------------- */

struct bed {
	pid_t child;   /* ns_parent */
	pid_t init;    /* host pid of the namespace's init */
	int rel;       /* release (write end) */
	int nsfd;      /* the namespace */
	struct task t[NTASK];
};

static struct task *by_name(struct bed *b, const char *name)
{
	for (int i = 0; i < NTASK; i++)
		if (strcmp(b->t[i].name, name) == 0)
			return &b->t[i];
	g_error("no task named %s", name);
}

/* Reads the reports: the init's host pid and every task's number inside. */
static void read_reports(struct bed *b, int fd)
{
	FILE *f = fdopen(fd, "r");
	char name[16];
	int pid, n = 0, nested_init = 0;

	g_assert_nonnull(f);
	while ((n < NTASK || !nested_init) &&
	       fscanf(f, "%15s %d", name, &pid) == 2) {
		if (strcmp(name, "host") == 0) {
			b->init = pid;
			continue;
		}
		if (strcmp(name, "nready") == 0) {
			nested_init = pid;
			continue;
		}
		g_strlcpy(b->t[n].name, name, sizeof(b->t[n].name));
		b->t[n++].inner = pid;
	}
	g_assert_cmpint(n, ==, NTASK);
	g_assert_cmpint(b->init, >, 0);
	g_assert_cmpint(nested_init, ==, 1);
	fclose(f);
}

static char *comm_of(pid_t init, pid_t tid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/comm",
						(int)init, (int)tid);
	g_autofree char *text = cg_read_file(path, NULL, NULL);

	g_assert_nonnull(text);
	return g_strchomp(g_steal_pointer(&text));
}

/* The children of @pid (host pids) named by their comm; how many. */
static guint find_children(struct bed *b, pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/children",
						(int)pid, (int)pid);
	g_autofree char *kids = cg_read_file(path, NULL, NULL);
	g_auto(GStrv) words = cgi_parse_words(kids);

	for (int i = 0; words[i]; i++) {
		pid_t h = atoi(words[i]);
		g_autofree char *comm = comm_of(h, h);

		by_name(b, comm)->host = h;
	}
	return g_strv_length(words);
}

/* Host pids from the host's /proc alone: the init's children and
 * threads, the nested init, told apart by their names. */
static void find_hosts(struct bed *b)
{
	g_autofree char *tdir = g_strdup_printf("/proc/%d/task", (int)b->init);
	GDir *d = g_dir_open(tdir, 0, NULL);
	const char *e;

	by_name(b, "pidns-g")->host = b->init;
	g_assert_cmpuint(find_children(b, b->init), ==, NCHILD + 1);
	g_assert_cmpuint(find_children(b, by_name(b, "pidns-p")->host), ==, 1);
	g_assert_nonnull(d);
	while ((e = g_dir_read_name(d))) {
		pid_t tid = atoi(e);
		g_autofree char *comm = comm_of(b->init, tid);

		if (tid != b->init)
			by_name(b, comm)->host = tid;
	}
	g_dir_close(d);
}

static void bed_start(struct bed *b)
{
	int rep[2], rel[2];
	g_autofree char *ns = NULL;

	g_assert_cmpint(pipe2(rep, O_CLOEXEC), ==, 0);
	g_assert_cmpint(pipe2(rel, O_CLOEXEC), ==, 0);
	b->child = fork();
	g_assert_cmpint(b->child, >=, 0);
	if (b->child == 0) {
		rep_fd = rep[1];
		rel_fd = rel[0];
		close(rep[0]);
		close(rel[1]);
		ns_parent();
	}
	close(rep[1]);
	close(rel[0]);
	b->rel = rel[1];
	read_reports(b, rep[0]);
	find_hosts(b);
	ns = g_strdup_printf("/proc/%d/ns/pid", (int)b->init);
	b->nsfd = open(ns, O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(b->nsfd, >=, 0);
}

static void bed_stop(struct bed *b)
{
	int status;

	close(b->nsfd);
	close(b->rel);
	g_assert_cmpint(waitpid(b->child, &status, 0), ==, b->child);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* The namespace below: its init is 1 there, the middle init has no
 * number there. */
static void check_nested(struct bed *b)
{
	struct task *n = by_name(b, "pidns-n");
	g_autofree char *path = g_strdup_printf("/proc/%d/ns/pid", (int)n->host);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	pid_t out = -1;

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(cg_pid_to_ns(fd, n->host), ==, 1);
	g_assert_cmpint(cg_pid_to_ns(fd, b->init), ==, 0);
	g_assert_cmpint(cg_pid_from_ns(fd, 1, &out), ==, 0);
	g_assert_cmpint(out, ==, n->host);
	g_assert_cmpint(cg_pid_from_ns(fd, 2, &out), ==, ESRCH);
	close(fd);
}

static void check_translations(struct bed *b)
{
	int self = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	pid_t out;

	g_assert_cmpint(self, >=, 0);
	for (int i = 0; i < NTASK; i++) {
		struct task *t = &b->t[i];

		g_test_message("%s: host %d, inside %d", t->name, (int)t->host,
			       (int)t->inner);
		g_assert_cmpint(t->host, >, 0);
		g_assert_cmpint(cg_pid_to_ns(b->nsfd, t->host), ==, t->inner);
		out = -1;
		g_assert_cmpint(cg_pid_from_ns(b->nsfd, t->inner, &out), ==, 0);
		g_assert_cmpint(out, ==, t->host);
		/* the daemon's own namespace numbers them as it does */
		g_assert_cmpint(cg_pid_to_ns(self, t->host), ==, t->host);
		g_assert_cmpint(cg_pid_from_ns(self, t->host, &out), ==, 0);
		g_assert_cmpint(out, ==, t->host);
	}
	g_assert_cmpint(by_name(b, "pidns-g")->inner, ==, 1);
	check_nested(b);
	out = -1;
	g_assert_cmpint(cg_pid_from_ns(b->nsfd, 4000, &out), ==, ESRCH);
	g_assert_cmpint(out, ==, -1);
	g_assert_cmpint(cg_pid_to_ns(b->nsfd, getpid()), ==, 0);
	g_assert_cmpint(cg_pid_to_ns(b->nsfd, b->child), ==, 0);
	close(self);
}

static void run_translations(bool no_ioctl)
{
	struct bed b = { 0 };

	if (geteuid() != 0) {
		g_test_skip("needs root: unshare(CLONE_NEWPID)");
		return;
	}
	cgi_pidns_no_ioctl = no_ioctl;
	bed_start(&b);
	check_translations(&b);
	bed_stop(&b);
	cgi_pidns_no_ioctl = false;
}

static void test_ioctl(void)
{
	run_translations(false);
}

static void test_fallback(void)
{
	run_translations(true);
}

/* ---- cgroup namespace ---------------------------------------------- */

/* This process's cgroup of the hierarchy whose /proc/PID/cgroup name
 * is @ctrl ("memory", "" for cgroup2); NULL when it has none. */
static char *own_cgroup(const char *ctrl)
{
	g_autofree char *text = cg_read_file("/proc/self/cgroup", NULL, NULL);
	g_autoptr(GArray) lines = cg_proc_cgroup_parse(text, NULL);

	for (guint i = 0; lines && i < lines->len; i++) {
		struct cg_proc_cgroup *l =
			&g_array_index(lines, struct cg_proc_cgroup, i);

		if (strcmp(l->controllers, ctrl) == 0)
			return g_strdup(l->path);
	}
	return NULL;
}

/* The path of hierarchy @ctrl in a /proc/PID/cgroup text. */
static char *path_in(const char *text, const char *ctrl)
{
	g_autoptr(GArray) lines = cg_proc_cgroup_parse(text, NULL);

	g_assert_nonnull(lines);
	for (guint i = 0; i < lines->len; i++) {
		struct cg_proc_cgroup *l =
			&g_array_index(lines, struct cg_proc_cgroup, i);

		if (strcmp(l->controllers, ctrl) == 0)
			return g_strdup(l->path);
	}
	return NULL;
}

/* Every line of @text has the path "/". */
static guint non_root_lines(const char *text)
{
	g_autoptr(GArray) lines = cg_proc_cgroup_parse(text, NULL);
	guint n = 0;

	g_assert_nonnull(lines);
	for (guint i = 0; i < lines->len; i++)
		n += strcmp(g_array_index(lines, struct cg_proc_cgroup, i).path,
			    "/") != 0;
	return n;
}

/* A child that joins @procs's cgroup and unshares its cgroup namespace
 * there; it says 'r' on @ready and waits for EOF on @rel. */
static G_GNUC_NORETURN void cgns_child(const char *procs, int ready, int rel)
{
	char byte = 'r';
	int fd = open(procs, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(5);
	close(fd);
	if (unshare(CLONE_NEWCGROUP) < 0 || write(ready, &byte, 1) != 1)
		_exit(4);
	while (read(rel, &byte, 1) > 0)
		;
	_exit(0);
}

struct cgns_result {
	char *inside;  /* cg_cgns_proc_cgroup of the child */
	char *outside; /* the child's /proc/PID/cgroup as we read it */
	char *self_inside, *self_outside;
	int status;
};

/* Runs the child in @dir (removed after, also on failure). */
static void cgns_run(const char *dir, struct cgns_result *r)
{
	g_autofree char *procs = g_build_filename(dir, "cgroup.procs", NULL);
	g_autofree char *path = NULL;
	int ready[2], rel[2];
	char byte = 0;
	pid_t child;

	g_assert_cmpint(pipe2(ready, O_CLOEXEC), ==, 0);
	g_assert_cmpint(pipe2(rel, O_CLOEXEC), ==, 0);
	child = fork();
	if (child == 0) {
		close(ready[0]);
		close(rel[1]);
		cgns_child(procs, ready[1], rel[0]);
	}
	close(ready[1]);
	close(rel[0]);
	if (child > 0 && read(ready[0], &byte, 1) == 1) {
		path = g_strdup_printf("/proc/%d/cgroup", (int)child);
		r->inside = cg_cgns_proc_cgroup(child, NULL);
		r->outside = cg_read_file(path, NULL, NULL);
	}
	r->self_inside = cg_cgns_proc_cgroup(getpid(), NULL);
	r->self_outside = cg_read_file("/proc/self/cgroup", NULL, NULL);
	close(rel[1]);
	close(ready[0]);
	if (child > 0)
		waitpid(child, &r->status, 0);
	g_rmdir(dir);
}

static void test_cgns(void)
{
	const char *ctrl = "memory", *mnt = "/sys/fs/cgroup/memory";
	g_autofree char *own = NULL, *dir = NULL, *want = NULL;
	g_autofree char *in = NULL, *out = NULL;
	struct cgns_result r = { 0 };

	if (geteuid() != 0) {
		g_test_skip("needs root: a cgroup and unshare(CLONE_NEWCGROUP)");
		return;
	}
	if (!g_file_test(mnt, G_FILE_TEST_IS_DIR)) { /* a v2 host */
		ctrl = "";
		mnt = "/sys/fs/cgroup";
	}
	own = own_cgroup(ctrl);
	g_assert_nonnull(own);
	dir = g_strdup_printf("%s%s/corral-tpidns-%d", mnt, own, (int)getpid());
	want = g_strdup_printf("%s%scorral-tpidns-%d", own,
			       g_str_has_suffix(own, "/") ? "" : "/",
			       (int)getpid());
	g_assert_cmpint(g_mkdir(dir, 0755), ==, 0);
	cgns_run(dir, &r);
	g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
	g_test_message("inside:\n%s", r.inside ? r.inside : "(null)");
	g_assert_nonnull(r.inside);
	g_assert_nonnull(r.outside);
	in = path_in(r.inside, ctrl);
	out = path_in(r.outside, ctrl);
	g_assert_cmpstr(in, ==, "/");
	g_assert_cmpstr(out, ==, want);
	g_assert_cmpuint(non_root_lines(r.inside), ==, 0);
	g_assert_cmpstr(r.self_inside, ==, r.self_outside);
	g_assert_true(WIFEXITED(r.status));
	g_assert_cmpint(WEXITSTATUS(r.status), ==, 0);
	g_free(r.inside);
	g_free(r.outside);
	g_free(r.self_inside);
	g_free(r.self_outside);
}

static void test_cgns_gone(void)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *msg = NULL;
	pid_t child = fork();

	if (child == 0)
		_exit(0);
	g_assert_cmpint(waitpid(child, NULL, 0), ==, child);
	g_assert_null(cg_cgns_proc_cgroup(child, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	msg = g_strdup_printf("opening /proc/%d/ns/cgroup: %s", (int)child,
			      g_strerror(ENOENT));
	g_assert_cmpstr(err->message, ==, msg);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pidns/ioctl", test_ioctl);
	g_test_add_func("/pidns/fallback", test_fallback);
	g_test_add_func("/pidns/cgns", test_cgns);
	g_test_add_func("/pidns/cgns-gone", test_cgns_gone);
	return g_test_run();
}
