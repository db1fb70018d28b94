/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The OCI commands' shared pieces (runtime/oci-state.c): the option
 * parser's boolean flags (no root). */
#include "runtime/oci/state.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct parsed {
	bool detach, all;
	const char *bundle;
	bool ok;
};

static struct parsed parse(const char *const *args)
{
	struct parsed r = { .bundle = NULL };
	struct oci_opt opts[] = { { "--detach", "-d", false, NULL, &r.detach },
				  { "--all", "-a", false, NULL, &r.all },
				  { "--bundle", "-b", true, &r.bundle, NULL },
				  { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();

	r.ok = oci_parse_opts((int)g_strv_length((char **)args), (char **)args, opts, pos);
	return r;
}

static void test_bool_flags(void)
{
	static const char *const truths[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const lies[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < G_N_ELEMENTS(truths); i++) {
		g_autofree char *d = g_strconcat("--detach=", truths[i], NULL);
		g_autofree char *a = g_strconcat("-a=", lies[i], NULL);
		const char *args[] = { "create", "--all", "-d=false", d, a, "id", NULL };
		struct parsed r = parse(args);

		g_assert_true(r.ok);
		g_assert_true(r.detach);
		g_assert_false(r.all);
	}
	const char *plain[] = { "run", "-d", "--bundle=b", "id", NULL };
	struct parsed r = parse(plain);
	g_assert_true(r.ok && r.detach && !r.all);
	g_assert_cmpstr(r.bundle, ==, "b");
	const char *off[] = { "run", "--detach=false", "id", NULL };
	r = parse(off);
	g_assert_true(r.ok);
	g_assert_false(r.detach);
}

static void test_bool_flag_bad(void)
{
	if (g_test_subprocess()) {
		const char *args[] = { "run", "--detach=yes", "id", NULL };
		struct parsed r = parse(args);
		g_assert_false(r.ok);
		g_assert_false(r.detach);
		const char *empty[] = { "kill", "-a=", "id", NULL };
		r = parse(empty);
		g_assert_false(r.ok);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("corral: run: invalid value \"yes\" for flag --detach (true or false)\n"
				  "corral: kill: invalid value \"\" for flag -a (true or false)\n");
}

struct writer {
	const char *path;
	char *text;
	int failures;
	char *first_error;
};

static gpointer write_often(gpointer data)
{
	struct writer *w = data;

	for (int i = 0; i < 300; i++) {
		g_autoptr(GError) e = NULL;
		if (!oci_write_atomic(w->path, w->text, &e) && w->failures++ == 0)
			w->first_error = g_strdup(e->message);
	}
	return NULL;
}

/* Two corrals writing the same state.json at once: both succeed every
 * time, and the file is one of the two, whole. */
static void test_write_atomic_concurrent(void)
{
	g_autofree char *dir = g_dir_make_tmp("oci-state-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "state.json", NULL);
	struct writer w[2] = { { path, g_strnfill(100000, 'a'), 0, NULL },
			       { path, g_strnfill(50000, 'b'), 0, NULL } };
	GThread *t[2];
	g_autofree char *got = NULL;

	for (int i = 0; i < 2; i++)
		t[i] = g_thread_new("writer", write_often, &w[i]);
	for (int i = 0; i < 2; i++)
		g_thread_join(t[i]);
	g_assert_cmpstr(w[0].first_error, ==, NULL);
	g_assert_cmpstr(w[1].first_error, ==, NULL);
	g_assert_cmpint(w[0].failures + w[1].failures, ==, 0);
	g_assert_true(g_file_get_contents(path, &got, NULL, NULL));
	g_assert_true(!strcmp(got, w[0].text) || !strcmp(got, w[1].text));
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_assert_cmpstr(g_dir_read_name(d), ==, "state.json"); /* no temp file left */
	g_assert_null(g_dir_read_name(d));
	g_assert_cmpint(unlink(path), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
	for (int i = 0; i < 2; i++)
		g_free(w[i].text);
}

static pid_t start_child(void)
{
	pid_t pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* `kill` and `delete` signal the init only if it is still the recorded
 * one: a recycled pid (another start time) is refused, and lives. */
static void test_signal_recycled(void)
{
	struct oci_state s = { .pid = start_child() };
	bool zombie;
	uint64_t t = oci_proc_start_time(s.pid, &zombie);
	g_autoptr(GError) err = NULL;
	int st = 0;

	g_assert_cmpuint(t, >, 0);
	s.start_time = t - 1; /* the state's init started a tick earlier */
	g_assert_false(oci_state_signal(&s, SIGKILL, &err));
	g_autofree char *want = g_strdup_printf(
		"container not running: pid %d is now another process (started at tick %"
		G_GUINT64_FORMAT ", the init at %" G_GUINT64_FORMAT ")", s.pid, t, t - 1);
	g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, want);
	g_usleep(50000);
	g_assert_cmpint(waitpid(s.pid, &st, WNOHANG), ==, 0); /* it lives */
	/* the recorded init itself gets the signal */
	s.start_time = t;
	g_assert_true(oci_state_signal(&s, SIGTERM, NULL));
	g_assert_cmpint(waitpid(s.pid, &st, 0), ==, s.pid);
	g_assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	g_clear_error(&err);
	g_assert_false(oci_state_signal(&s, SIGTERM, &err)); /* gone */
	g_assert_cmpstr(err->message, ==, "container not running");
	g_clear_error(&err);
	s.pid = 0;
	g_assert_false(oci_state_signal(&s, SIGTERM, &err));
	g_assert_cmpstr(err->message, ==, "container not running");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/oci-state/bool-flags", test_bool_flags);
	g_test_add_func("/oci-state/bool-flag-bad", test_bool_flag_bad);
	g_test_add_func("/oci-state/write-atomic-concurrent", test_write_atomic_concurrent);
	g_test_add_func("/oci-state/signal-recycled", test_signal_recycled);
	return g_test_run();
}
