/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The OCI commands' shared pieces (runtime/oci/state.c): the option
 * parser's boolean flags and Go forms, runc's global options
 * (cmd-lifecycle.c), the state files (no root). */
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

/* Go's flag forms (-name, --name, a one-letter alias as a name, "=v" or
 * " v"), arguments between options kept in order, "--", and the
 * messages for what is not an option. */
static char *parse_pos(const char *const *args, struct parsed *r)
{
	struct oci_opt opts[] = { { "--detach", "-d", false, NULL, &r->detach },
				  { "--bundle", "-b", true, &r->bundle, NULL },
				  { "--cpu-share", "--cpu-shares", true, &r->bundle, NULL },
				  { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();

	r->ok = oci_parse_opts((int)g_strv_length((char **)args), (char **)args, opts, pos);
	g_ptr_array_add(pos, NULL);
	return g_strjoinv(",", (char **)pos->pdata);
}

static void test_go_forms(void)
{
	const char *a[] = { "delete", "id", "-detach", "--b", "x", "sig", "-bundle=y", "-", "--",
			    "-d", "--z", NULL };
	const char *b[] = { "update", "--cpu-shares", "5", "--d=0", "id", NULL };
	struct parsed r = { 0 };
	g_autofree char *pa = parse_pos(a, &r);

	g_assert_true(r.ok && r.detach);
	g_assert_cmpstr(r.bundle, ==, "y");
	g_assert_cmpstr(pa, ==, "id,sig,-,-d,--z");
	r = (struct parsed){ .detach = true };
	g_autofree char *pb = parse_pos(b, &r);
	g_assert_true(r.ok && !r.detach);
	g_assert_cmpstr(r.bundle, ==, "5");
	g_assert_cmpstr(pb, ==, "id");
}

static void test_go_forms_bad(void)
{
	static const char *const bad[][4] = {
		{ "kill", "id", "-dd", NULL },     /* no bundles */
		{ "run", "--det", "id", NULL },    /* never abbreviated */
		{ "run", "-bx", "id", NULL },      /* a value is "=v" or " v" */
		{ "run", "--cpu-share", NULL },
		{ "run", "id", "-b", NULL },
		{ "run", "--bogus=1", "id", NULL },
	};

	if (g_test_subprocess()) {
		for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
			struct parsed r = { 0 };
			g_autofree char *p = parse_pos(bad[i], &r);
			g_assert_false(r.ok);
		}
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("corral: kill: unknown option -dd\n"
				  "corral: run: unknown option --det\n"
				  "corral: run: unknown option -bx\n"
				  "corral: run: --cpu-share needs a value\n"
				  "corral: run: -b needs a value\n"
				  "corral: run: unknown option --bogus\n");
}

/* runc's global options before the command (rt_oci_parse_globals):
 * the index of the command, or -1 and the message. */
static int globals(const char *const *args, struct rt_oci_globals *g, char **msg)
{
	g_autoptr(GError) err = NULL;
	int i = rt_oci_parse_globals((int)g_strv_length((char **)args), (char **)args, g, &err);

	*msg = err ? g_strdup(err->message) : NULL;
	g_assert_true((i < 0) == (err != NULL));
	return i;
}

static void test_globals(void)
{
	static const struct { const char *args[8]; int index; } stop[] = {
		{ { "corral", "--help" }, 1 },
		{ { "corral", "--debug=1", "state" }, 1 }, /* not runc's world: main refuses it */
		{ { "corral", "--ro", "/r", "state" }, 1 }, /* never abbreviated */
		{ { "corral", "--", "state" }, 1 },         /* "--" is left for main to refuse */
		{ { "corral", "-v" }, 1 },
		{ { "corral", "-" }, 1 },
		{ { "corral", "run", "--root", "x" }, 1 },
		{ { "corral" }, 1 },
	};
	const char *all[] = { "corral", "--root", "/r", "--log=/l", "--log-format", "json",
			      "--debug", "--systemd-cgroup", "state", "id", NULL };
	struct rt_oci_globals g;
	g_autofree char *msg = NULL;

	g_assert_cmpint(globals(all, &g, &msg), ==, 8);
	g_assert_cmpstr(g.root, ==, "/r");
	g_assert_cmpstr(g.log, ==, "/l");
	g_assert_true(g.log_json && g.debug && g.systemd_cgroup && g.given);
	for (size_t i = 0; i < G_N_ELEMENTS(stop); i++) {
		g_assert_cmpint(globals(stop[i].args, &g, &msg), ==, stop[i].index);
		g_assert_false(g.given);
		g_assert_cmpstr(g.root, ==, RT_OCI_DEFAULT_ROOT);
	}
}

static void test_globals_bad(void)
{
	static const struct { const char *args[4]; const char *msg; } bad[] = {
		{ { "corral", "--root" }, "--root: needs a value" },
		{ { "corral", "--debug", "--log" }, "--log: needs a value" },
		{ { "corral", "--log-format" }, "--log-format: expected text or json, got ''" },
		{ { "corral", "--log-format=xml", "state" }, "--log-format: expected text or json, got 'xml'" },
	};
	struct rt_oci_globals g;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *msg = NULL;
		g_assert_cmpint(globals(bad[i].args, &g, &msg), ==, -1);
		g_assert_cmpstr(msg, ==, bad[i].msg);
	}
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
	g_test_add_func("/oci-state/go-forms", test_go_forms);
	g_test_add_func("/oci-state/go-forms-bad", test_go_forms_bad);
	g_test_add_func("/oci-state/globals", test_globals);
	g_test_add_func("/oci-state/globals-bad", test_globals_bad);
	g_test_add_func("/oci-state/write-atomic-concurrent", test_write_atomic_concurrent);
	g_test_add_func("/oci-state/signal-recycled", test_signal_recycled);
	return g_test_run();
}
