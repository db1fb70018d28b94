/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one reader (cg_read_file, cg_read_file_at) on real seq_files, not
 * fixtures: a kernel file with many records gives about a page per
 * read(), so a reader that stops at a short read sees only the first
 * page.  No root needed.
 */
#include "cgroup/cgroup.h"
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NMAPS 600
#define NTHREADS 1500
#define PAGE 4096

/* Under ASan (the sanitizer lane), freed memory waits in a quarantine, so
 * every read's buffers are new mappings and /proc/self/maps never reads the
 * same twice: this test program runs without the quarantine (overflows are
 * still caught). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=0";
}

/* The reference: stdio reads until EOF (read() returned 0). */
static char *read_stdio(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	GString *s = g_string_new(NULL);
	char buf[65536];
	size_t n;

	g_assert_nonnull(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		g_string_append_len(s, buf, n);
	g_assert_false(ferror(f));
	fclose(f);
	*len = s->len;
	return g_string_free(s, FALSE);
}

/* NMAPS one-page mappings with alternating protections (no merging). */
static void *map_many(void)
{
	char *base = mmap(NULL, (size_t)NMAPS * PAGE, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	g_assert_true(base != MAP_FAILED);
	for (int i = 0; i < NMAPS; i += 2)
		g_assert_cmpint(mprotect(base + (size_t)i * PAGE, PAGE,
					 PROT_READ | PROT_WRITE), ==, 0);
	return base;
}

/* /proc/self/maps: exactly what stdio reads (maps can change when the
 * heap grows between the two reads: a few tries). */
static void test_maps(void)
{
	void *m = map_many();
	bool same = false;

	for (int attempt = 0; attempt < 5 && !same; attempt++) {
		g_autoptr(GError) err = NULL;
		size_t ref_len, len = 0;
		g_autofree char *ref = read_stdio("/proc/self/maps", &ref_len);
		g_autofree char *text = cg_read_file("/proc/self/maps", &len, &err);

		g_assert_no_error(err);
		g_assert_nonnull(text);
		g_assert_cmpuint(ref_len, >, 4 * PAGE);
		g_assert_cmpuint(len, ==, strlen(text));
		g_test_message("/proc/self/maps: %zu bytes read, %zu by stdio",
			       len, ref_len);
		same = len == ref_len && memcmp(text, ref, len) == 0;
	}
	g_assert_true(same);
	munmap(m, (size_t)NMAPS * PAGE);
}

/* The same through a directory fd (cg_read_file_at and cgi_read_at,
 * which every cgroup/ reader uses). */
static void test_maps_at(void)
{
	void *m = map_many();
	int dfd = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	g_autoptr(GError) err = NULL;
	g_autofree char *a = NULL, *b = NULL;
	g_auto(GStrv) lines = NULL;
	size_t len = 0;

	g_assert_cmpint(dfd, >=, 0);
	a = cg_read_file_at(dfd, "/proc/self", "maps", &len, &err);
	g_assert_no_error(err);
	g_assert_true(cgi_read_at(dfd, "/proc/self", "maps", &b, &err));
	g_assert_no_error(err);
	g_test_message("maps through a dirfd: %zu and %zu bytes", len, strlen(b));
	g_assert_cmpuint(len, >, 4 * PAGE);
	/* at least NMAPS lines, each of ours once */
	lines = g_strsplit(a, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), >, NMAPS);
	g_assert_cmpuint(strlen(b), >, 4 * PAGE);
	close(dfd);
	munmap(m, (size_t)NMAPS * PAGE);
}

static void test_missing(void)
{
	g_autoptr(GError) err = NULL;
	size_t len = 7;

	g_assert_null(cg_read_file("/proc/self/no-such-file", &len, &err));
	g_assert_error(err, CG_ERROR, CG_ERROR_NOENT);
	g_assert_cmpstr(err->message, ==,
			"reading /proc/self/no-such-file: No such file or directory");
	g_assert_cmpuint(len, ==, 7);
}

/* ---- a thread-heavy task list ------------------------------------- */

struct crowd {
	pthread_t tid[NTHREADS];
	int n;
	int pipe[2];
};

static void *sleeper(void *arg)
{
	char c;

	(void)!read(*(int *)arg, &c, 1); /* until the write end closes */
	return NULL;
}

static void crowd_start(struct crowd *c)
{
	pthread_attr_t a;

	g_assert_cmpint(pipe2(c->pipe, O_CLOEXEC), ==, 0);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	for (c->n = 0; c->n < NTHREADS; c->n++)
		if (pthread_create(&c->tid[c->n], &a, sleeper, &c->pipe[0]) != 0)
			break;
	pthread_attr_destroy(&a);
}

static void crowd_stop(struct crowd *c)
{
	close(c->pipe[1]);
	for (int i = 0; i < c->n; i++)
		pthread_join(c->tid[i], NULL);
	close(c->pipe[0]);
}

/* The tids of /proc/self/task, as a set. */
static GHashTable *own_tids(void)
{
	GHashTable *set = g_hash_table_new(NULL, NULL);
	g_autoptr(GDir) d = g_dir_open("/proc/self/task", 0, NULL);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)))
		g_hash_table_add(set, GINT_TO_POINTER(atoi(name)));
	return set;
}

/* How many of the ids of @text are in @set. */
static guint count_in(const char *text, GHashTable *set)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	guint n = 0;

	g_assert_true(cgi_parse_idlist(text, ids));
	for (guint i = 0; i < ids->len; i++)
		n += g_hash_table_contains(set, GINT_TO_POINTER(g_array_index(ids, pid_t, i)));
	return n;
}

/* This process's own cgroup: its task list (v1 tasks, v2
 * cgroup.threads) holds every one of our threads, and cg_read_tasks
 * counts at least that many. */
static void test_own_tasks(void)
{
	struct cg_layout l;
	struct cg_paths p = { 0 };
	struct cg_tasks t = { 0 };
	struct crowd *c = g_new0(struct crowd, 1);
	g_autoptr(GError) err = NULL;
	g_autoptr(GHashTable) tids = NULL;
	g_autofree char *text = NULL;
	int ctrl;

	if (!cg_layout_open(&l, &err)) {
		g_test_skip(err->message);
		return;
	}
	g_assert_true(cg_paths_of_pid(&l, getpid(), &p, &err));
	ctrl = cgi_task_ctrl(&l, &p);
	g_assert_cmpint(ctrl, >=, 0);
	crowd_start(c);
	g_assert_cmpint(c->n, ==, NTHREADS);
	tids = own_tids();
	g_assert_cmpuint(g_hash_table_size(tids), ==, NTHREADS + 1);
	const struct cg_hier *h = cg_layout_hier(&l, ctrl);
	g_assert_true(cg_read_value(h, p.path[ctrl], h->v2 ? "cgroup.threads" : "tasks",
				    &text, &err));
	g_assert_no_error(err);
	g_test_message("%s/%s/%s: %zu bytes, %u of our %u threads", h->mountpoint,
		       p.path[ctrl], h->v2 ? "cgroup.threads" : "tasks", strlen(text),
		       count_in(text, tids), NTHREADS + 1);
	g_assert_cmpuint(count_in(text, tids), ==, NTHREADS + 1);
	g_assert_true(cg_read_tasks(&l, &p, &t, &err));
	g_assert_no_error(err);
	g_test_message("cg_read_tasks: %u threads", t.nr_threads);
	g_assert_cmpuint(t.nr_threads, >=, NTHREADS + 1);
	crowd_stop(c);
	g_free(c);
	cg_paths_clear(&p);
	cg_layout_close(&l);
}

static void walk(const struct cg_layout *l, const struct cg_paths *p,
		 struct cg_tasks *t)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(cg_read_tasks(l, p, t, &err));
	g_assert_no_error(err);
}

/* The fork count of this process's own cgroup with real threads: it
 * grows by at least the threads started and does not go down when they
 * exit (other processes share the cgroup: at least, not exactly). */
static void test_own_forks(void)
{
	struct cg_layout l;
	struct cg_paths p = { 0 };
	struct cg_tasks t = { 0 };
	g_autofree struct crowd *c = g_new0(struct crowd, 1);
	g_autoptr(GError) err = NULL;
	uint64_t f0, f1, f2;
	unsigned n1;

	if (!cg_layout_open(&l, &err)) {
		g_test_skip(err->message);
		return;
	}
	g_assert_true(cg_paths_of_pid(&l, getpid(), &p, &err));
	walk(&l, &p, &t);
	f0 = t.forks;
	crowd_start(c);
	g_assert_cmpint(c->n, ==, NTHREADS);
	walk(&l, &p, &t);
	f1 = t.forks;
	n1 = t.nr_threads;
	crowd_stop(c);
	walk(&l, &p, &t);
	f2 = t.forks;
	g_test_message("forks %" G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " (%u threads)"
		       " -> %" G_GUINT64_FORMAT " (%u threads)", f0, f1, n1, f2, t.nr_threads);
	g_assert_cmpuint(f1, >=, f0 + NTHREADS);
	g_assert_cmpuint(t.nr_threads + NTHREADS / 2, <=, n1); /* they exited */
	g_assert_cmpuint(f2, >=, f1);
	crowd_start(c);
	walk(&l, &p, &t);
	g_assert_cmpuint(t.forks, >=, f2 + NTHREADS);
	crowd_stop(c);
	cg_paths_clear(&p);
	cg_layout_close(&l);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/seqfile/maps", test_maps);
	g_test_add_func("/cgroup/seqfile/maps-at", test_maps_at);
	g_test_add_func("/cgroup/seqfile/missing", test_missing);
	g_test_add_func("/cgroup/seqfile/own-tasks", test_own_tasks);
	g_test_add_func("/cgroup/seqfile/own-forks", test_own_forks);
	return g_test_run();
}
