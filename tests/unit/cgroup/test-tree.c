/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The delegated tree (cgroup/tree.c).
 *
 * Without root: the hierarchies, keys and links of the v1, hybrid and v2
 * fixtures, and whose cgroups a /proc/PID/cgroup text names.
 *
 * As root (skipped otherwise): on real cgroups below this test's own
 * cgroup in the memory hierarchy and in the cgroup2 one, a test user
 * (corral-ttree, made and removed here) holding a delegated cgroup D
 * (D, D/cgroup.procs, D/tasks or cgroup.threads and cgroup.subtree_control
 * chowned to it) makes, writes, moves into and removes cgroups through
 * the tree, and is kept inside D.  Every scenario runs in a subprocess;
 * the parent removes what it made (cgroups, processes, the user) even
 * when the subprocess failed.
 */
#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define USER "corral-ttree"

/* ---- fixtures ------------------------------------------------------ */

static void tree_fixture(struct cg_tree *t, const char *name)
{
	g_autofree char *dir = fixture_dir(name);
	g_autofree char *mi = g_build_filename(dir, "mountinfo", NULL);
	g_autoptr(GError) err = NULL;

	g_assert_true(cg_tree_open_fixture(t, mi, dir, &err));
	g_assert_no_error(err);
}

/* "name=key" of every hierarchy, ' '-separated. */
static char *names_keys(const struct cg_tree *t)
{
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < t->n; i++) {
		g_string_append_printf(s, "%s%s=%s", i ? " " : "",
				       t->hier[i].name, t->hier[i].key);
		g_assert_cmpint(t->hier[i].h.dirfd, >=, 0);
	}
	return g_string_free(s, FALSE);
}

static void test_fixture_v1(void)
{
	struct cg_tree t;
	g_autofree char *nk = NULL;

	tree_fixture(&t, "cgroup-v1");
	nk = names_keys(&t);
	g_assert_false(t.unified_only);
	/* the super options' flags (rw, xattr, release_agent=) are no key */
	g_assert_cmpstr(nk, ==, "systemd=name=systemd cpu,cpuacct=cpu,cpuacct "
			"memory=memory cpuset=cpuset blkio=blkio pids=pids "
			"devices=devices");
	for (unsigned i = 0; i < t.n; i++)
		g_assert_false(t.hier[i].h.v2);
	/* cpu and cpuacct link to cpu,cpuacct; net_cls points nowhere known */
	g_assert_cmpuint(t.nlinks, ==, 2);
	g_assert_cmpstr(t.link[0].name, ==, "cpu");
	g_assert_cmpstr(t.link[0].target, ==, "cpu,cpuacct");
	g_assert_cmpstr(t.link[1].name, ==, "cpuacct");
	g_assert_cmpstr(t.link[1].target, ==, "cpu,cpuacct");
	cg_tree_close(&t);
	g_assert_cmpuint(t.n, ==, 0);
}

static void test_fixture_hybrid(void)
{
	struct cg_tree t;
	g_autofree char *nk = NULL;

	tree_fixture(&t, "cgroup-hybrid");
	nk = names_keys(&t);
	g_assert_false(t.unified_only);
	g_assert_cmpstr(nk, ==, "cpu=cpu cpuacct=cpuacct cpuset=cpuset "
			"memory=memory devices=devices freezer=freezer "
			"blkio=blkio pids=pids systemd=name=systemd unified=");
	g_assert_true(t.hier[9].h.v2);
	g_assert_false(t.hier[8].h.v2);
	g_assert_true(g_str_has_suffix(t.hier[9].h.mountpoint,
				       "cgroup-hybrid/sys/fs/cgroup/unified"));
	g_assert_cmpuint(t.nlinks, ==, 0);
	cg_tree_close(&t);
}

static void test_fixture_v2(void)
{
	struct cg_tree t;

	tree_fixture(&t, "cgroup-v2");
	g_assert_true(t.unified_only);
	g_assert_cmpuint(t.n, ==, 1);
	g_assert_cmpstr(t.hier[0].name, ==, "");
	g_assert_cmpstr(t.hier[0].key, ==, "");
	g_assert_true(t.hier[0].h.v2);
	g_assert_true(g_str_has_suffix(t.hier[0].h.mountpoint,
				       "cgroup-v2/sys/fs/cgroup"));
	g_assert_cmpuint(t.nlinks, ==, 0);
	cg_tree_close(&t);
}

/* The text of fixture file @rel of @name. */
static char *fixture_text(const char *name, const char *rel)
{
	g_autofree char *dir = fixture_dir(name);
	g_autofree char *path = g_build_filename(dir, rel, NULL);
	g_autoptr(GError) err = NULL;
	char *text = cg_read_file(path, NULL, &err);

	g_assert_no_error(err);
	return text;
}

static void test_cgroups_parse(void)
{
	struct cg_tree t;
	struct cg_roots r, copy;
	g_autoptr(GError) err = NULL;
	g_autofree char *v1 = fixture_text("cgroup-v1", "proc/104/cgroup");

	tree_fixture(&t, "cgroup-v1");
	g_assert_true(cg_tree_cgroups_parse(&t, v1, &r, &err));
	for (unsigned i = 0; i < t.n; i++)
		g_assert_cmpstr(r.path[i], ==, "lxc/c1/sub");
	g_assert_null(r.path[t.n]);
	cg_roots_copy(&copy, &r);
	cg_roots_clear(&r);
	g_assert_cmpstr(copy.path[1], ==, "lxc/c1/sub");
	cg_roots_clear(&copy);
	g_assert_null(copy.path[1]);
	/* controllers matched as sets; the root cgroup is "" */
	g_assert_true(cg_tree_cgroups_parse(&t, "7:cpuacct,cpu:/\n1:name=systemd:/s\n"
		"12:devices:/\n11:pids:/\n10:blkio:/\n9:cpuset:/\n8:memory:/m\n",
		&r, &err));
	g_assert_cmpstr(r.path[0], ==, "s");
	g_assert_cmpstr(r.path[1], ==, "");
	g_assert_cmpstr(r.path[2], ==, "m");
	cg_roots_clear(&r);
	cg_tree_close(&t);
}

/* hybrid: cgroup2 is the line of id 0; every hierarchy needs its line */
static void test_cgroups_parse_hybrid(void)
{
	struct cg_tree t;
	struct cg_roots r;
	g_autoptr(GError) err = NULL;
	g_autofree char *v1 = fixture_text("cgroup-v1", "proc/104/cgroup");
	g_autofree char *hy = fixture_text("cgroup-hybrid", "proc/202/cgroup");

	tree_fixture(&t, "cgroup-hybrid");
	g_assert_true(cg_tree_cgroups_parse(&t, hy, &r, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(r.path[3], ==, "ct");  /* memory */
	g_assert_cmpstr(r.path[8], ==, "ct");  /* systemd */
	g_assert_cmpstr(r.path[9], ==, "");    /* unified */
	cg_roots_clear(&r);
	/* a v1 text has no cpu (nor freezer) line */
	g_assert_false(cg_tree_cgroups_parse(&t, v1, &r, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_PARSE);
	g_assert_cmpstr(err->message, ==, "no line for hierarchy 'cpu' (cpu)");
	g_assert_null(r.path[0]);
	g_clear_error(&err);
	cg_tree_close(&t);
}

/* Out of the reader's cgroup namespace: CG_ERROR_NOENT naming it. */
static void test_cgroups_outside_ns(void)
{
	struct cg_tree t;
	struct cg_roots r;
	g_autoptr(GError) err = NULL;

	tree_fixture(&t, "cgroup-v2");
	g_assert_true(cg_tree_cgroups_parse(&t, "0::/..x/y\n", &r, &err));
	g_assert_cmpstr(r.path[0], ==, "..x/y"); /* a cgroup named "..x" */
	cg_roots_clear(&r);
	g_assert_false(cg_tree_cgroups_parse(&t, "0::/../../a\n", &r, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_assert_cmpstr(err->message, ==, "the cgroup in hierarchy '' is "
			"outside the cgroup namespace's root (/../../a)");
	cg_tree_close(&t);
}

/* The real host: this process's cgroups are /proc/self/cgroup's; in the
 * host's cgroup namespace its roots are the hierarchies' roots. */
static void test_cgroups_self(void)
{
	struct cg_tree t;
	struct cg_roots r, ns;
	g_autoptr(GError) err = NULL;
	g_autofree char *text = cg_read_file("/proc/self/cgroup", NULL, &err);

	g_assert_true(cg_tree_open(&t, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(t.n, >, 0);
	g_assert_true(cg_tree_cgroups_of(&t, getpid(), &r, &err));
	for (unsigned i = 0; i < t.n; i++) {
		g_autofree char *line = t.hier[i].h.v2
			? g_strdup_printf("0::/%s\n", r.path[i])
			: g_strdup_printf(":%s:/%s\n", t.hier[i].key, r.path[i]);

		g_assert_nonnull(strstr(text, line));
	}
	cg_roots_clear(&r);
	if (geteuid() == 0) { /* cg_cgns_proc_cgroup enters the namespace */
		g_assert_true(cg_tree_cgns_roots(&t, getpid(), &ns, &err));
		g_assert_no_error(err);
		for (unsigned i = 0; i < t.n; i++)
			g_assert_cmpstr(ns.path[i], ==, "");
		cg_roots_clear(&ns);
	}
	g_assert_false(cg_tree_cgroups_of(&t, 0x7ffffff0, &r, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	cg_tree_close(&t);
}

/* Beneath the hierarchy, no symlink followed (cgroupfs has none, so a
 * plain directory tree stands for the hierarchy here): a link to a
 * cgroup, a link out of the hierarchy, ".." paths. */
static void test_beneath(void)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *top = g_dir_make_tmp("corral-tree-XXXXXX", &err);
	g_autofree char *mem = g_build_filename(top, "sys/fs/cgroup/memory", NULL);
	g_autofree char *a = g_build_filename(mem, "a", NULL);
	g_autofree char *mi = g_build_filename(top, "mountinfo", NULL);
	g_autofree char *link = g_build_filename(mem, "link", NULL);
	g_autofree char *out = g_build_filename(mem, "out", NULL);
	const char *rm[] = { "rm", "-rf", top, NULL };
	struct cg_tree t;
	struct stat st;

	g_assert_no_error(err);
	g_assert_cmpint(g_mkdir_with_parents(a, 0755), ==, 0);
	g_assert_true(g_file_set_contents(mi, "35 31 0:32 / /sys/fs/cgroup/memory "
		"rw,relatime - cgroup cgroup rw,memory\n", -1, &err));
	g_assert_cmpint(symlink("a", link), ==, 0);
	g_assert_cmpint(symlink("/", out), ==, 0);
	g_assert_true(cg_tree_open_fixture(&t, mi, top, &err));
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "a", &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "", &st), ==, 0);
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "link", &st), ==, ELOOP);
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "out/etc", &st), ==, ELOOP);
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "a/..", &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "a/../../..", &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "", "a//", &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_stat(&t.hier[0], "a", "", &st), ==, ENOENT);
	cg_tree_close(&t);
	g_assert_true(g_spawn_sync(NULL, (char **)rm, NULL, G_SPAWN_SEARCH_PATH,
				   NULL, NULL, NULL, NULL, NULL, &err));
}

/* ---- real cgroups (root) --------------------------------------------- */

struct bed {
	struct cg_tree t;
	const struct cg_tree_hier *th;
	unsigned idx;           /* of th in t                                 */
	char *own;              /* this test's cgroup in th                    */
	char *T;                /* own/ttree-PID: the test's, root's           */
	char *D;                /* T/D: delegated to the user                  */
	char *job;              /* D/job: made by the user                     */
	struct cg_creds user, root;
	int nsfd;               /* this test's pid namespace                   */
};

static char *join(const char *a, const char *b)
{
	return *a ? g_strconcat(a, "/", b, NULL) : g_strdup(b);
}

static void bed_creds(struct bed *b)
{
	struct passwd *pw = getpwnam(USER);

	g_assert_nonnull(pw);
	b->user = (struct cg_creds){ .pid = getpid(), .tgid = getpid(),
				     .uid = pw->pw_uid, .gid = pw->pw_gid };
	b->root = (struct cg_creds){ .pid = getpid(), .tgid = getpid() };
	b->nsfd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(b->nsfd, >=, 0);
}

/* The hierarchy named @name of the real tree, NULL when not mounted. */
static const struct cg_tree_hier *find_hier(const struct cg_tree *t,
					    const char *name, unsigned *idx)
{
	for (unsigned i = 0; i < t->n; i++)
		if (strcmp(t->hier[i].name, name) == 0 ||
		    (t->unified_only && strcmp(name, "unified") == 0)) {
			*idx = i;
			return &t->hier[i];
		}
	return NULL;
}

/* The test's base cgroup in hierarchy @name: own/ttree-@owner. */
static bool bed_open(struct bed *b, const char *name, pid_t owner)
{
	g_autoptr(GError) err = NULL;
	struct cg_roots r;
	g_autofree char *base = g_strdup_printf("ttree-%d", (int)owner);

	memset(b, 0, sizeof(*b));
	g_assert_true(cg_tree_open(&b->t, &err));
	if (!(b->th = find_hier(&b->t, name, &b->idx)))
		return false;
	g_assert_true(cg_tree_cgroups_of(&b->t, getpid(), &r, &err));
	b->own = g_strdup(r.path[b->idx]);
	cg_roots_clear(&r);
	b->T = join(b->own, base);
	b->D = join(b->T, "D");
	b->job = join(b->D, "job");
	return true;
}

static void bed_close(struct bed *b)
{
	if (b->nsfd > 0)
		close(b->nsfd);
	g_free(b->own);
	g_free(b->T);
	g_free(b->D);
	g_free(b->job);
	cg_tree_close(&b->t);
}

static uid_t owner_of(const struct bed *b, const char *path)
{
	struct stat st;

	g_assert_cmpint(fstatat(b->th->h.dirfd, path, &st, 0), ==, 0);
	return st.st_uid;
}

/* As root, directly: make @path, give @files of it (and it) to the user. */
static void root_mkdir(const struct bed *b, const char *path,
		       const char *const *files)
{
	g_assert_cmpint(mkdirat(b->th->h.dirfd, path, 0755), ==, 0);
	for (const char *const *f = files; f && *f; f++) {
		g_autofree char *rel = **f ? join(path, *f) : g_strdup(path);

		if (faccessat(b->th->h.dirfd, rel, F_OK, 0) == 0)
			g_assert_cmpint(fchownat(b->th->h.dirfd, rel, b->user.uid,
						 b->user.gid, 0), ==, 0);
	}
}

/* What `corral delegate` chowns: the directory and these (those that
 * exist in the hierarchy). */
static const char *const delegated[] = {
	"", "cgroup.procs", "tasks", "cgroup.threads",
	"cgroup.subtree_control", NULL,
};

/* The cgroup of task @pid in the bed's hierarchy (/proc/PID/cgroup). */
static char *cgroup_of(const struct bed *b, pid_t pid)
{
	g_autoptr(GError) err = NULL;
	struct cg_roots r;
	char *path;

	g_assert_true(cg_tree_cgroups_of(&b->t, pid, &r, &err));
	path = g_strdup(r.path[b->idx]);
	cg_roots_clear(&r);
	return path;
}

/* A child that sleeps until killed (and dies with us). */
static pid_t sleeper(void)
{
	pid_t parent = getpid(), pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		for (;;)
			pause();
	}
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Opens @path in the view @root for @c: the errno, *@f on success. */
static int opn(const struct bed *b, const char *root, const char *path,
	       int flags, const struct cg_creds *c, struct cg_tree_file **f)
{
	return cg_tree_file_open(b->th, root, path, flags, c, b->nsfd, f);
}

/* Opens (O_WRONLY) and writes @text: the first errno. */
static int put(const struct bed *b, const char *root, const char *path,
	       const struct cg_creds *c, const char *text)
{
	struct cg_tree_file *f;
	int r = opn(b, root, path, O_WRONLY, c, &f);

	if (r)
		return r;
	r = cg_tree_file_write(f, text, strlen(text));
	cg_tree_file_close(f);
	return r;
}

static int put_pid(const struct bed *b, const char *root, const char *path,
		   const struct cg_creds *c, pid_t pid)
{
	char num[16];

	g_snprintf(num, sizeof(num), "%d", (int)pid);
	return put(b, root, path, c, num);
}

/* The snapshot of @path read (O_RDONLY) in the view @root by @c. */
static char *get(const struct bed *b, const char *root, const char *path,
		 const struct cg_creds *c)
{
	struct cg_tree_file *f;
	char *text;

	g_assert_cmpint(opn(b, root, path, O_RDONLY, c, &f), ==, 0);
	text = g_strdup(cg_tree_file_text(f, NULL));
	cg_tree_file_close(f);
	return text;
}

static char *real_text(const struct bed *b, const char *path)
{
	g_autoptr(GError) err = NULL;
	char *text = cg_read_file_at(b->th->h.dirfd, b->th->h.mountpoint, path,
				     NULL, &err);

	g_assert_no_error(err);
	return text;
}

/* The user makes D/job: it owns the directory and every file of it. */
static void check_mkdir(const struct bed *b)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) types = g_array_new(FALSE, FALSE, sizeof(mode_t));
	struct cg_tree_file *f = NULL;
	struct stat st;
	bool procs = false;

	g_assert_cmpint(cg_tree_mkdir(b->th, b->D, b->job, &b->user), ==, 0);
	g_assert_cmpint(cg_tree_mkdir(b->th, b->D, b->job, &b->user), ==, EEXIST);
	g_assert_cmpint(cg_tree_stat(b->th, b->D, b->job, &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpuint(st.st_uid, ==, b->user.uid);
	g_assert_cmpint(cg_tree_list(b->th, b->D, b->job, &b->user, names, types), ==, 0);
	g_assert_cmpuint(names->len, >, 3);
	g_assert_cmpuint(names->len, ==, types->len);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = join(b->job, names->pdata[i]);

		g_assert_cmpint(g_array_index(types, mode_t, i), ==, S_IFREG);
		g_assert_cmpuint(owner_of(b, rel), ==, b->user.uid);
		procs |= strcmp(names->pdata[i], "cgroup.procs") == 0;
	}
	g_assert_true(procs);
	g_assert_cmpint(opn(b, b->D, b->job, O_RDONLY, &b->user, &f), ==, EISDIR);
	g_assert_null(f);
	/* D lists job as a directory */
	g_ptr_array_set_size(names, 0);
	g_array_set_size(types, 0);
	g_assert_cmpint(cg_tree_list(b->th, b->D, b->D, &b->user, names, types), ==, 0);
	for (guint i = 0; i < names->len; i++)
		if (strcmp(names->pdata[i], "job") == 0)
			g_assert_cmpint(g_array_index(types, mode_t, i), ==, S_IFDIR);
}

/* Names that cannot be cgroups, and the view's root. */
static void check_names(const struct bed *b)
{
	static const struct { const char *name; int err; } cases[] = {
		{ "cgroup.procs", EEXIST }, { "memory.x", EEXIST },
		{ "tasks", EEXIST }, { "..", EINVAL }, { ".", EINVAL },
		{ "", EINVAL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *p = g_strconcat(b->D, "/", cases[i].name, NULL);

		g_test_message("mkdir '%s'", p);
		g_assert_cmpint(cg_tree_mkdir(b->th, b->D, p, &b->user), ==,
				cases[i].err);
	}
	/* "a/b" is a path here: its parent D/a does not exist */
	g_autofree char *ab = join(b->D, "a/b");
	g_assert_cmpint(cg_tree_mkdir(b->th, b->D, ab, &b->user), ==, ENOENT);
	g_assert_cmpint(cg_tree_mkdir(b->th, b->D, b->D, &b->user), ==, EEXIST);
	g_assert_cmpint(cg_tree_rmdir(b->th, b->D, b->D, &b->user), ==, EBUSY);
	/* the kernel's DAC: T is root's */
	g_autofree char *tx = join(b->T, "x");
	g_assert_cmpint(cg_tree_mkdir(b->th, b->T, tx, &b->user), ==, EACCES);
}

/* Nothing outside the view: the parent, a sibling whose name has the
 * root's as a prefix (T/c10 for root T/c1), ".." paths. */
static void check_outside(const struct bed *b)
{
	g_autofree char *c1 = join(b->T, "c1"), *c10 = join(b->T, "c10");
	g_autofree char *c10x = join(c10, "x"), *c10p = join(c10, "cgroup.procs");
	g_autofree char *up = join(c1, ".."), *up10 = join(c1, "../c10");
	g_autofree char *tlim = join(b->T, "cgroup.procs");
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) types = g_array_new(FALSE, FALSE, sizeof(mode_t));
	struct cg_tree_file *f = NULL;
	struct stat st;

	root_mkdir(b, c1, delegated);
	root_mkdir(b, c10, delegated); /* the user's too: only the view stops it */
	g_assert_cmpint(cg_tree_stat(b->th, c1, c1, &st), ==, 0);
	g_assert_cmpint(cg_tree_stat(b->th, c1, c10, &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_stat(b->th, c1, c10p, &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_list(b->th, c1, c10, &b->user, names, types), ==, ENOENT);
	g_assert_cmpint(cg_tree_mkdir(b->th, c1, c10x, &b->user), ==, ENOENT);
	g_assert_cmpint(cg_tree_rmdir(b->th, c1, c10, &b->user), ==, ENOENT);
	g_assert_cmpint(cg_tree_setattr(b->th, c1, c10, &b->user, 0777,
					(uid_t)-1, (gid_t)-1), ==, ENOENT);
	g_assert_cmpint(opn(b, c1, c10p, O_WRONLY, &b->user, &f), ==, ENOENT);
	g_assert_null(f);
	g_assert_cmpint(cg_tree_stat(b->th, c1, up, &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_stat(b->th, c1, up10, &st), ==, ENOENT);
	g_assert_cmpint(cg_tree_stat(b->th, c1, b->T, &st), ==, ENOENT);
	g_assert_cmpint(opn(b, c1, tlim, O_RDONLY, &b->root, &f), ==, ENOENT);
	g_assert_cmpint(opn(b, c1, up10, O_RDONLY, &b->root, &f), ==, ENOENT);
	/* the same paths in the whole hierarchy's view */
	g_assert_cmpint(cg_tree_stat(b->th, "", c10, &st), ==, 0);
	g_assert_cmpint(cg_tree_rmdir(b->th, "", c10, &b->user), ==, EACCES);
	g_assert_cmpint(unlinkat(b->th->h.dirfd, c1, AT_REMOVEDIR), ==, 0);
	g_assert_cmpint(unlinkat(b->th->h.dirfd, c10, AT_REMOVEDIR), ==, 0);
}

/* chmod by the owner; chown and chmod of root's files: EPERM. */
static void check_setattr(const struct bed *b)
{
	g_autofree char *lim = join(b->D, "cgroup.clone_children");
	struct stat st;

	if (b->th->h.v2) {
		g_free(lim);
		lim = join(b->D, "cgroup.type");
	}
	g_assert_cmpint(cg_tree_setattr(b->th, b->D, b->job, &b->user, 0775,
					(uid_t)-1, (gid_t)-1), ==, 0);
	g_assert_cmpint(fstatat(b->th->h.dirfd, b->job, &st, 0), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0775);
	g_assert_cmpint(cg_tree_setattr(b->th, b->D, b->job, &b->user, (mode_t)-1,
					0, (gid_t)-1), ==, EPERM);
	g_assert_cmpint(cg_tree_setattr(b->th, b->D, lim, &b->user, 0666,
					(uid_t)-1, (gid_t)-1), ==, EPERM);
	g_assert_cmpint(owner_of(b, b->job), ==, b->user.uid);
}

/* v1 memory: the user sets job's limit, not D's; at D (the view's root)
 * the effective limit shows, and is read-only even for root. */
static void check_limits(const struct bed *b)
{
	g_autofree char *dlim = join(b->D, "memory.limit_in_bytes");
	g_autofree char *jlim = join(b->job, "memory.limit_in_bytes");
	g_autofree char *tlim = join(b->T, "memory.limit_in_bytes");
	g_autofree char *text = NULL, *raw = NULL;
	struct cg_tree_file *f = NULL;

	g_assert_cmpint(opn(b, b->D, dlim, O_WRONLY, &b->user, &f), ==, EACCES);
	g_assert_cmpint(put(b, b->D, jlim, &b->user, "67108864"), ==, 0);
	text = get(b, b->D, jlim, &b->user);
	g_assert_cmpstr(text, ==, "67108864\n");
	g_clear_pointer(&text, g_free);
	g_assert_cmpint(put(b, b->D, jlim, &b->user, "64X"), ==, EINVAL);

	g_assert_cmpint(put(b, "", tlim, &b->root, "33554432"), ==, 0);
	g_assert_cmpint(opn(b, b->D, dlim, O_RDWR | O_TRUNC, &b->root, &f), ==, 0);
	g_assert_cmpstr(cg_tree_file_text(f, NULL), ==, "33554432\n");
	g_assert_cmpint(cg_tree_file_write(f, "1000000", 7), ==, EPERM);
	cg_tree_file_close(f);
	raw = get(b, "", dlim, &b->root); /* the whole hierarchy: as it is */
	g_assert_cmpstr(raw, ==, "9223372036854771712\n");
	g_assert_cmpint(put(b, "", tlim, &b->root, "-1"), ==, 0);
}

static void assert_in(const struct bed *b, pid_t pid, const char *cgroup)
{
	g_autofree char *now = cgroup_of(b, pid);

	g_assert_cmpstr(now, ==, cgroup);
}

/* A pid that is no task. */
static pid_t no_task(void)
{
	pid_t pid = 4194303;

	while (kill(pid, 0) == 0 || errno != ESRCH)
		pid--;
	return pid;
}

/* Moving processes: inside D freely; never out of D, never in from
 * outside, never the daemon (this test is the daemon here). */
static void check_moves(const struct bed *b, pid_t child, pid_t other)
{
	g_autofree char *jprocs = join(b->job, "cgroup.procs");
	g_autofree char *dprocs = join(b->D, "cgroup.procs");
	g_autofree char *oprocs = join(b->own, "cgroup.procs");
	g_autofree char *tother = join(b->T, "other");
	g_autofree char *tprocs = join(tother, "cgroup.procs");
	g_autofree char *big = g_strnfill(5000, '1');
	g_autofree char *nopid = g_strdup_printf("%d", (int)no_task());
	struct cg_tree_file *f = NULL;

	g_assert_cmpint(put_pid(b, b->D, jprocs, &b->user, child), ==, 0);
	assert_in(b, child, b->job);
	g_assert_cmpint(put(b, b->D, jprocs, &b->user, "1 2"), ==, EINVAL);
	g_assert_cmpint(put(b, b->D, jprocs, &b->user, big), ==, E2BIG);
	g_assert_cmpint(put(b, b->D, jprocs, &b->user, nopid), ==, ESRCH);
	g_assert_cmpint(put(b, b->D, jprocs, &b->user, "0"), ==, EPERM);
	g_assert_cmpint(put_pid(b, b->D, jprocs, &b->user, getpid()), ==, EPERM);
	assert_in(b, getpid(), b->own);
	/* out to this test's own cgroup: not in the view, root's file */
	g_assert_cmpint(opn(b, b->D, oprocs, O_WRONLY, &b->user, &f), ==, ENOENT);
	g_assert_cmpint(opn(b, "", oprocs, O_WRONLY, &b->user, &f), ==, EACCES);
	/* out to T/other, the user's: T's cgroup.procs is not */
	root_mkdir(b, tother, delegated);
	g_assert_cmpint(put_pid(b, b->T, tprocs, &b->user, child), ==, EACCES);
	assert_in(b, child, b->job);
	/* in from this test's own cgroup */
	g_assert_cmpint(put_pid(b, b->D, jprocs, &b->user, other), ==, EACCES);
	assert_in(b, other, b->own);
	/* the common ancestor (D) is the user's but D is not in the view */
	g_assert_cmpint(put_pid(b, b->D, dprocs, &b->user, child), ==, 0);
	assert_in(b, child, b->D);
	g_assert_cmpint(put_pid(b, b->job, jprocs, &b->user, child), ==, ENOENT);
	assert_in(b, child, b->D);
	g_assert_cmpint(put_pid(b, b->D, jprocs, &b->user, child), ==, 0);
	g_assert_cmpint(unlinkat(b->th->h.dirfd, tother, AT_REMOVEDIR), ==, 0);
}

/* Group access: a supplementary group of the caller (not its fsgid)
 * opens a group-writable cgroup.procs and passes the common ancestor's;
 * without it, EACCES. */
static void check_groups(const struct bed *b, pid_t child)
{
	const gid_t gid = 54321;
	g_autofree char *grp = join(b->T, "grp"), *a = join(grp, "a");
	g_autofree char *gprocs = join(grp, "cgroup.procs");
	g_autofree char *aprocs = join(a, "cgroup.procs");
	struct cg_creds member = b->user;
	gid_t groups[] = { 100, gid };

	member.groups = groups;
	member.ngroups = G_N_ELEMENTS(groups);
	g_assert_cmpint(mkdirat(b->th->h.dirfd, grp, 0755), ==, 0);
	g_assert_cmpint(mkdirat(b->th->h.dirfd, a, 0755), ==, 0);
	for (const char *const *p = (const char *const[]){ gprocs, aprocs, NULL }; *p; p++) {
		g_assert_cmpint(fchownat(b->th->h.dirfd, *p, 0, gid, 0), ==, 0);
		g_assert_cmpint(fchmodat(b->th->h.dirfd, *p, 0664, 0), ==, 0);
	}
	g_assert_true(cg_attach(&b->th->h, a, child, NULL));
	g_assert_cmpint(put_pid(b, grp, gprocs, &b->user, child), ==, EACCES);
	g_assert_cmpint(put_pid(b, grp, gprocs, &member, child), ==, 0);
	assert_in(b, child, grp);
	g_assert_cmpint(put_pid(b, grp, aprocs, &member, child), ==, 0);
	assert_in(b, child, a);
	g_assert_true(cg_attach(&b->th->h, b->D, child, NULL));
	g_assert_true(cg_remove(&b->th->h, grp, NULL));
}

/* ---- a process with two threads ---- */

static void *idle_thread(void *arg)
{
	int fd = *(int *)arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	if (write(fd, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	for (;;)
		pause();
	return NULL;
}

/* A child with a second thread, whose id is *@tid. */
static pid_t threaded(pid_t *tid)
{
	int p[2];
	pid_t parent = getpid(), pid;

	g_assert_cmpint(pipe(p), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		pthread_t t;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent ||
		    pthread_create(&t, NULL, idle_thread, &p[1]) != 0)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	g_assert_cmpint(read(p[0], tid, sizeof(*tid)), ==, sizeof(*tid));
	close(p[0]);
	return pid;
}

static char *thread_cgroup(const struct bed *b, pid_t pid, pid_t tid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/task/%d/cgroup",
						(int)pid, (int)tid);
	g_autofree char *text = cg_read_file(path, NULL, NULL);
	g_autoptr(GError) err = NULL;
	struct cg_roots r;
	char *cg;

	g_assert_nonnull(text);
	g_assert_true(cg_tree_cgroups_parse(&b->t, text, &r, &err));
	cg = g_strdup(r.path[b->idx]);
	cg_roots_clear(&r);
	return cg;
}

/* v1 tasks moves one thread, cgroup.procs the whole process; v2's
 * cgroup.threads between two domains: the kernel's EOPNOTSUPP. */
static void check_threads(const struct bed *b)
{
	g_autofree char *jtasks = join(b->job, b->th->h.v2 ? "cgroup.threads" : "tasks");
	g_autofree char *jprocs = join(b->job, "cgroup.procs");
	g_autofree char *cg = NULL;
	pid_t tid, pid = threaded(&tid);

	g_assert_true(cg_attach(&b->th->h, b->D, pid, NULL));
	if (b->th->h.v2) {
		g_assert_cmpint(put_pid(b, b->D, jtasks, &b->user, tid), ==, EOPNOTSUPP);
	} else {
		g_assert_cmpint(put_pid(b, b->D, jtasks, &b->user, tid), ==, 0);
		cg = thread_cgroup(b, pid, tid);
		g_assert_cmpstr(cg, ==, b->job);
		assert_in(b, pid, b->D);
	}
	g_assert_cmpint(put_pid(b, b->D, jprocs, &b->user, tid), ==, 0);
	assert_in(b, pid, b->job);
	g_clear_pointer(&cg, g_free);
	cg = thread_cgroup(b, pid, tid);
	g_assert_cmpstr(cg, ==, b->job);
	stop(pid);
}

/* rmdir: EBUSY while job has a process, 0 once it is back in D. */
static void check_rmdir(const struct bed *b, pid_t child)
{
	g_autofree char *dprocs = join(b->D, "cgroup.procs");

	assert_in(b, child, b->job);
	g_assert_cmpint(cg_tree_rmdir(b->th, b->D, b->job, &b->user), ==, EBUSY);
	g_assert_cmpint(put_pid(b, b->D, dprocs, &b->user, child), ==, 0);
	g_assert_cmpint(cg_tree_rmdir(b->th, b->D, b->job, &b->user), ==, 0);
	g_assert_cmpint(cg_tree_rmdir(b->th, b->D, b->job, &b->user), ==, ENOENT);
}

/* A child in a new pid namespace (it is 1 there). */
static pid_t ns_child(void)
{
	pid_t parent = getpid();
	long pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent && getppid() != 0)
			_exit(0);
		for (;;)
			pause();
	}
	return (pid_t)pid;
}

/* cgroup.procs read through the tree: the real file in this test's pid
 * namespace; in another one its tasks as it numbers them, and the task
 * outside it (child) left out on v1, shown as 0 on v2, as the kernel
 * lists them. */
static void check_read_procs(const struct bed *b, pid_t child)
{
	g_autofree char *dprocs = join(b->D, "cgroup.procs");
	g_autofree char *text = NULL, *real = NULL, *nspath = NULL;
	struct cg_tree_file *f = NULL;
	struct bed nb = *b;
	pid_t nc = ns_child();
	size_t len;

	g_assert_true(cg_attach(&b->th->h, b->D, nc, NULL));
	text = get(b, b->D, dprocs, &b->user);
	real = real_text(b, dprocs);
	g_assert_cmpstr(text, ==, real);
	g_autofree char *line = g_strdup_printf("%d\n", (int)child);
	g_assert_nonnull(strstr(real, line));
	nspath = g_strdup_printf("/proc/%d/ns/pid", (int)nc);
	nb.nsfd = open(nspath, O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(nb.nsfd, >=, 0);
	g_assert_cmpint(opn(&nb, b->D, dprocs, O_RDONLY, &b->user, &f), ==, 0);
	close(nb.nsfd); /* the file keeps its own */
	if (b->th->h.v2) {
		const char *t = cg_tree_file_text(f, &len);

		g_assert_true(g_str_equal(t, "0\n1\n") || g_str_equal(t, "1\n0\n"));
		g_assert_cmpuint(len, ==, 4);
	} else {
		g_assert_cmpstr(cg_tree_file_text(f, &len), ==, "1\n");
		g_assert_cmpuint(len, ==, 2);
	}
	cg_tree_file_close(f);
	/* write-only: no snapshot */
	g_assert_cmpint(opn(b, b->D, dprocs, O_WRONLY, &b->user, &f), ==, 0);
	g_assert_cmpstr(cg_tree_file_text(f, &len), ==, "");
	g_assert_cmpuint(len, ==, 0);
	cg_tree_file_close(f);
	stop(nc);
}

#define MANY 1200 /* > 4096 bytes even with 3-digit pids */

/* A process that joins @path and forks MANY - 1 sleepers there, then
 * says so on @fd. */
static G_GNUC_NORETURN void spawner(const struct bed *b, const char *path, int fd)
{
	pid_t self = getpid();

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!cg_attach(&b->th->h, path, self, NULL))
		_exit(1);
	for (int i = 1; i < MANY; i++) {
		pid_t pid = fork();

		if (pid < 0)
			_exit(1);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(0);
			for (;;)
				pause();
		}
	}
	if (write(fd, "k", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* A cgroup.procs of MANY pids (> 4 KiB) is snapshotted whole. */
static void check_many(const struct bed *b)
{
	g_autofree char *many = join(b->T, "many");
	g_autofree char *mprocs = join(many, "cgroup.procs");
	g_autofree char *text = NULL, *real = NULL;
	g_auto(GStrv) lines = NULL;
	pid_t pid;
	int p[2];
	char c;

	g_assert_cmpint(mkdirat(b->th->h.dirfd, many, 0755), ==, 0);
	g_assert_cmpint(pipe(p), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0)
		spawner(b, many, p[1]);
	close(p[1]);
	g_assert_cmpint(read(p[0], &c, 1), ==, 1);
	close(p[0]);
	text = get(b, "", mprocs, &b->root);
	real = real_text(b, mprocs);
	lines = g_strsplit(text, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, MANY + 1);
	g_assert_cmpuint(strlen(text), >, 4096);
	g_assert_cmpstr(text, ==, real);
	g_assert_true(cg_kill_all(&b->th->h, many, NULL, NULL, NULL));
	waitpid(pid, NULL, 0);
	g_assert_true(cg_remove(&b->th->h, many, NULL));
}

/* A child in a new cgroup namespace made in @path (and dies with us). */
static pid_t cgns_child(const struct bed *b, const char *path)
{
	pid_t parent = getpid(), pid;
	int p[2];
	char c;

	g_assert_cmpint(pipe(p), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent || !cg_attach(&b->th->h, path, getpid(), NULL) ||
		    unshare(CLONE_NEWCGROUP) < 0 || write(p[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	g_assert_cmpint(read(p[0], &c, 1), ==, 1);
	close(p[0]);
	return pid;
}

/* The roots of a cgroup namespace made in T/ns (memory) and in this
 * test's cgroups elsewhere, also once the process moved below its root
 * (T/ns/sub); moved above it (T): CG_ERROR_NOENT. */
static void check_cgns(const struct bed *b)
{
	g_autofree char *ns = join(b->T, "ns"), *sub = join(ns, "sub");
	g_autoptr(GError) err = NULL;
	struct cg_roots self, r;
	pid_t pid;

	g_assert_cmpint(mkdirat(b->th->h.dirfd, ns, 0755), ==, 0);
	g_assert_cmpint(mkdirat(b->th->h.dirfd, sub, 0755), ==, 0);
	pid = cgns_child(b, ns);
	g_assert_true(cg_tree_cgroups_of(&b->t, getpid(), &self, &err));
	for (int round = 0; round < 2; round++) {
		g_assert_true(cg_tree_cgns_roots(&b->t, pid, &r, &err));
		g_assert_no_error(err);
		for (unsigned i = 0; i < b->t.n; i++)
			g_assert_cmpstr(r.path[i], ==, i == b->idx ? ns : self.path[i]);
		cg_roots_clear(&r);
		g_assert_true(cg_attach(&b->th->h, sub, pid, NULL));
	}
	g_assert_true(cg_attach(&b->th->h, b->T, pid, NULL));
	g_assert_false(cg_tree_cgns_roots(&b->t, pid, &r, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_test_message("%s", err->message);
	g_autofree char *who = g_strdup_printf("pid %d ", (int)pid);
	g_assert_nonnull(strstr(err->message, who));
	g_assert_nonnull(strstr(err->message, "'memory'"));
	cg_roots_clear(&self);
	stop(pid);
	g_assert_true(cg_remove(&b->th->h, ns, NULL));
}

/* ---- the scenarios -------------------------------------------------- */

static void scenario(const char *hier)
{
	struct bed b;
	pid_t child, other;

	g_assert_true(bed_open(&b, hier, getppid()));
	bed_creds(&b);
	g_test_message("hierarchy %s: own %s, delegated %s to uid %u",
		       hier, b.own, b.D, (unsigned)b.user.uid);
	g_assert_cmpint(mkdirat(b.th->h.dirfd, b.T, 0755), ==, 0);
	root_mkdir(&b, b.D, delegated);
	check_mkdir(&b);
	check_names(&b);
	check_outside(&b);
	check_setattr(&b);
	if (strcmp(hier, "memory") == 0)
		check_limits(&b);
	child = sleeper();
	other = sleeper();
	check_groups(&b, child);
	check_moves(&b, child, other);
	check_threads(&b);
	check_rmdir(&b, child);
	check_read_procs(&b, child);
	if (strcmp(hier, "memory") == 0) {
		check_many(&b);
		check_cgns(&b);
	}
	stop(child);
	stop(other);
	g_assert_true(cg_remove(&b.th->h, b.T, NULL));
	bed_close(&b);
}

static void sub_scenario(gconstpointer hier)
{
	scenario(hier);
}

static bool run(const char *prog, const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	int status;

	g_ptr_array_add(argv, (char *)prog);
	for (const char *const *a = args; *a; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	return g_spawn_sync(NULL, (char **)argv->pdata, NULL,
			    G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
			    NULL, NULL, NULL, NULL, &status, NULL) &&
	       g_spawn_check_wait_status(status, NULL);
}

static void user_add(void)
{
	const char *del[] = { USER, NULL };
	const char *add[] = { "-M", "-N", "-s", "/usr/sbin/nologin", USER, NULL };

	(void)run("userdel", del); /* a run killed before its end */
	g_assert_true(run("useradd", add));
}

static void user_del(void)
{
	const char *del[] = { USER, NULL };

	g_assert_true(run("userdel", del));
	g_assert_null(getpwnam(USER));
}

/* Whatever the subprocess left: its processes and cgroups. */
static void cleanup(const char *hier)
{
	struct bed b;
	struct stat st;

	g_assert_true(bed_open(&b, hier, getpid()));
	if (fstatat(b.th->h.dirfd, b.T, &st, 0) == 0) {
		g_test_message("removing what the subprocess left in %s", b.T);
		g_assert_true(cg_kill_all(&b.th->h, b.T, NULL, NULL, NULL));
		g_assert_true(cg_remove(&b.th->h, b.T, NULL));
	}
	bed_close(&b);
}

/* A "ttree-PID" of an earlier run whose process is gone (killed before
 * its cleanup could run): its processes killed, its cgroups removed. */
static void remove_stale(const struct bed *b, const char *name)
{
	g_autofree char *path = NULL;
	char *end;
	long owner = strtol(name + strlen("ttree-"), &end, 10);

	if (!g_str_has_prefix(name, "ttree-") || *end || owner <= 0 || owner == getpid() ||
	    kill((pid_t)owner, 0) == 0 || errno != ESRCH)
		return;
	path = join(b->own, name);
	g_test_message("removing %s, left by a run that ended before its cleanup", path);
	g_assert_true(cg_kill_all(&b->th->h, path, NULL, NULL, NULL));
	g_assert_true(cg_remove(&b->th->h, path, NULL));
}

static void sweep_stale(const char *hier)
{
	struct bed b;
	int fd;
	DIR *d;

	g_assert_true(bed_open(&b, hier, getpid()));
	fd = openat(b.th->h.dirfd, *b.own ? b.own : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	d = fdopendir(fd);
	g_assert_nonnull(d);
	for (struct dirent *e; (e = readdir(d));)
		remove_stale(&b, e->d_name);
	closedir(d);
	bed_close(&b);
}

static void test_real(gconstpointer hier)
{
	g_autofree char *sub = g_strdup_printf("/tree/real/%s/subprocess",
					       (const char *)hier);
	struct bed b;
	bool mounted;

	if (geteuid() != 0) {
		g_test_skip("needs root (real cgroups, a test user)");
		return;
	}
	mounted = bed_open(&b, hier, getpid());
	bed_close(&b);
	if (!mounted) {
		g_test_skip("hierarchy not mounted at /sys/fs/cgroup");
		return;
	}
	sweep_stale(hier);
	user_add();
	g_test_trap_subprocess(sub, 120 * G_USEC_PER_SEC,
			       G_TEST_SUBPROCESS_INHERIT_STDOUT |
			       G_TEST_SUBPROCESS_INHERIT_STDERR);
	cleanup(hier);
	user_del();
	g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tree/fixture/v1", test_fixture_v1);
	g_test_add_func("/tree/fixture/hybrid", test_fixture_hybrid);
	g_test_add_func("/tree/fixture/v2", test_fixture_v2);
	g_test_add_func("/tree/cgroups/parse", test_cgroups_parse);
	g_test_add_func("/tree/cgroups/parse-hybrid", test_cgroups_parse_hybrid);
	g_test_add_func("/tree/cgroups/outside-ns", test_cgroups_outside_ns);
	g_test_add_func("/tree/cgroups/self", test_cgroups_self);
	g_test_add_func("/tree/beneath", test_beneath);
	g_test_add_data_func("/tree/real/memory", "memory", test_real);
	g_test_add_data_func("/tree/real/memory/subprocess", "memory", sub_scenario);
	g_test_add_data_func("/tree/real/unified", "unified", test_real);
	g_test_add_data_func("/tree/real/unified/subprocess", "unified", sub_scenario);
	return g_test_run();
}
