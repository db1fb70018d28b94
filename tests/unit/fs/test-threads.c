/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs-threads: the view and host caches (view.c, hostsnap.c) driven from
 * many threads at once, as the FUSE worker threads do, with host data
 * refreshed every millisecond.
 * A watchdog fails the test, naming the stuck operation, when any single
 * request takes more than 2 s (a deadlock).  Runs without root or FUSE:
 * the reader is this process (view_get(getpid())).
 */
#include "fs/fs.h"
#include "fs/testing.h"
#include "setup.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define STUCK_US ((gint64)2 * G_USEC_PER_SEC)
#define N_RENDER 3
#define N_CPUS 3
#define N_HOST 2
#define N_WORKERS (N_RENDER + N_CPUS + N_HOST)

struct worker {
	int id;
	const char *kind;
	GThread *thread;
	const char *op;  /* the request in progress (atomic) */
	gint64 started;  /* its monotonic start, 0 when idle (atomic) */
	unsigned long done;
	char *failure;   /* first error, owned */
};

static struct worker workers[N_WORKERS];
static gint stop;
static gint64 test_start;

static void op_begin(struct worker *w, const char *op)
{
	__atomic_store_n(&w->op, op, __ATOMIC_RELEASE);
	__atomic_store_n(&w->started, g_get_monotonic_time(), __ATOMIC_RELEASE);
}

static void op_end(struct worker *w, GError *err)
{
	__atomic_store_n(&w->started, 0, __ATOMIC_RELEASE);
	w->done++;
	if (err && !w->failure)
		w->failure = g_strdup_printf("%s: %s", w->op, err->message);
}

static void render_once(struct worker *w, enum file_id id, const char *op, const char *want)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	struct view *v;

	op_begin(w, op);
	v = view_get(getpid(), &err);
	if (v && view_render(v, id, out, &err) && !strstr(out->str, want) && !w->failure)
		w->failure = g_strdup_printf("%s: no '%s' in:\n%s", op, want, out->str);
	view_put(v);
	op_end(w, err);
}

static void cpus_once(struct worker *w)
{
	g_autoptr(GError) err = NULL;
	g_autofree struct cpuview *cv = g_new0(struct cpuview, 1);
	struct view *v;

	op_begin(w, "view_cpus");
	v = view_get(getpid(), &err);
	if (v && view_cpus(v, cv, &err) && cv->n == 0 && !w->failure)
		w->failure = g_strdup("view_cpus: 0 CPUs");
	view_put(v);
	op_end(w, err);
}

static void host_once(struct worker *w)
{
	const struct host_data *h;

	op_begin(w, "host_snap_get (host refresh)");
	h = host_snap_get();
	if ((h->mem.mem_total_kb == 0 || !h->cpudir || !h->cpudir[0]) && !w->failure)
		w->failure = g_strdup("host snapshot without MemTotal or cpu directory");
	host_snap_unref(h);
	op_end(w, NULL);
}

static gpointer worker_main(gpointer data)
{
	struct worker *w = data;

	while (!g_atomic_int_get(&stop)) {
		if (w->id < N_RENDER) {
			render_once(w, F_STAT, "view_render /proc/stat", "cpu ");
			render_once(w, F_MEMINFO, "view_render /proc/meminfo", "MemTotal:");
		} else if (w->id < N_RENDER + N_CPUS) {
			cpus_once(w);
		} else {
			host_once(w);
			g_usleep(500); /* leave some refreshes to the other threads */
		}
	}
	return NULL;
}

/* Exits the process (the stuck threads cannot be joined). */
static void watchdog_check(void)
{
	gint64 now = g_get_monotonic_time();

	for (int i = 0; i < N_WORKERS; i++) {
		gint64 t = __atomic_load_n(&workers[i].started, __ATOMIC_ACQUIRE);

		if (t == 0 || now - t <= STUCK_US)
			continue;
		fprintf(stderr, "STUCK: thread %d (%s) in %s for %.2f s; it began %.2f s "
			"into the test\n", i, workers[i].kind,
			__atomic_load_n(&workers[i].op, __ATOMIC_ACQUIRE),
			(double)(now - t) / 1e6, (double)(t - test_start) / 1e6);
		printf("Bail out! deadlock: %s\n", workers[i].op);
		fflush(NULL);
		_exit(1);
	}
}

static double seconds_to_run(void)
{
	const char *s = g_getenv("FS_THREADS_SECONDS");

	return s ? g_ascii_strtod(s, NULL) : 5.0;
}

static void test_no_deadlock(void)
{
	gint64 end;

	test_start = g_get_monotonic_time();
	end = test_start + (gint64)(seconds_to_run() * G_USEC_PER_SEC);
	for (int i = 0; i < N_WORKERS; i++) {
		workers[i].id = i;
		workers[i].kind = i < N_RENDER ? "render" : i < N_RENDER + N_CPUS ? "cpus" : "host";
		workers[i].thread = g_thread_new(workers[i].kind, worker_main, &workers[i]);
	}
	while (g_get_monotonic_time() < end) {
		g_usleep(20 * 1000);
		watchdog_check();
	}
	g_atomic_int_set(&stop, 1);
	for (int i = 0; i < N_WORKERS; i++) {
		while (__atomic_load_n(&workers[i].started, __ATOMIC_ACQUIRE) != 0) {
			g_usleep(20 * 1000);
			watchdog_check();
		}
		g_thread_join(workers[i].thread);
		g_test_message("thread %d (%s): %lu requests", i, workers[i].kind, workers[i].done);
		g_assert_null(workers[i].failure);
		g_assert_cmpuint(workers[i].done, >, 10);
	}
	g_test_message("host snapshots built: %u", host_test_refreshes());
	g_assert_cmpuint(host_test_refreshes(), >, 10);
}

int main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	host_test_set_ttl(1000);
	fs_test_setup();
	g_test_add_func("/fs/threads/no-deadlock", test_no_deadlock);
	ret = g_test_run();
	view_fini(); /* a leaked reference shows under -Db_sanitize=address */
	host_fini();
	return ret;
}
