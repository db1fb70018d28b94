/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hooks/hook.c: the OCI state, config.json and the views decision; the
 * options of corral-hook (the binary, $CORRAL_HOOK). */
#include "hooks/hook.h"

#include <string.h>
#include <sys/wait.h>

static void state_bad(const char *text, const char *message)
{
	g_auto(ch_state) st = { 0 };
	g_autoptr(GError) err = NULL;

	g_assert_false(ch_state_parse(text, strlen(text), &st, &err));
	g_assert_error(err, CH_ERROR, CH_ERROR_INPUT);
	g_assert_cmpstr(err->message, ==, message);
}

static void test_state(void)
{
	const char *text = "{\"ociVersion\": \"1.0.2\", \"id\": \"c1\", \"status\": \"creating\","
			   " \"pid\": 4242, \"bundle\": \"/run/b\", \"future\": [1],"
			   " \"annotations\": {\"org.corral.views\": \"true\", \"k\": \"\"}}";
	g_auto(ch_state) st = { 0 };
	g_autoptr(GError) err = NULL;

	g_assert_true(ch_state_parse(text, strlen(text), &st, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(st.id, ==, "c1");
	g_assert_cmpint(st.pid, ==, 4242);
	g_assert_cmpstr(st.bundle, ==, "/run/b");
	g_assert_cmpstr(g_hash_table_lookup(st.annotations, CH_ANN_VIEWS), ==, "true");
	g_assert_cmpstr(g_hash_table_lookup(st.annotations, "k"), ==, "");
}

static void test_state_minimal(void)
{
	const char *text = "{\"bundle\": \"/b\"}";
	g_auto(ch_state) st = { 0 };
	g_autoptr(GError) err = NULL;

	g_assert_true(ch_state_parse(text, strlen(text), &st, &err));
	g_assert_cmpint(st.pid, ==, 0);
	g_assert_cmpstr(st.id, ==, "");
	g_assert_cmpuint(g_hash_table_size(st.annotations), ==, 0);
}

static void test_state_errors(void)
{
	state_bad("", "state: line 1, column 1: unexpected end of input");
	state_bad("[1]", "state: expected a JSON object");
	state_bad("{\"bundle\": \"/b\", \"pid\": -1}", "state: pid: expected a positive integer");
	state_bad("{\"bundle\": \"/b\", \"pid\": 1.5}", "state: pid: expected a positive integer");
	state_bad("{\"bundle\": \"/b\", \"id\": 7}", "state: id: expected a string");
	state_bad("{\"id\": \"x\"}", "state: bundle: missing");
	state_bad("{\"bundle\": \"rel/b\"}", "state: bundle: expected an absolute path");
	state_bad("{\"bundle\": \"/b\", \"annotations\": []}", "state: annotations: expected an object");
	state_bad("{\"bundle\": \"/b\", \"annotations\": {\"a\": 1}}",
		  "state: annotations.a: expected a string");
}

static bool config(const char *text, char **rootfs, GHashTable *ann, GError **err)
{
	return ch_config_parse(text, strlen(text), "/b/config.json", "/b", rootfs, ann, err);
}

static void test_config(void)
{
	g_autoptr(GHashTable) ann = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *rootfs = NULL, *abs = NULL;
	g_autoptr(GError) err = NULL;

	g_hash_table_insert(ann, g_strdup(CH_ANN_VIEWS), g_strdup("false"));
	g_assert_true(config("{\"root\": {\"path\": \"rootfs/\"}, \"annotations\":"
			     " {\"org.corral.views\": \"true\", \"x\": \"y\"}}", &rootfs, ann, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(rootfs, ==, "/b/rootfs");
	/* the state's annotations win over the config's */
	g_assert_cmpstr(g_hash_table_lookup(ann, CH_ANN_VIEWS), ==, "false");
	g_assert_cmpstr(g_hash_table_lookup(ann, "x"), ==, "y");
	g_assert_true(config("{\"root\": {\"path\": \"/srv/../srv/r\"}}", &abs, ann, &err));
	g_assert_cmpstr(abs, ==, "/srv/r");
}

static void config_bad(const char *text, const char *message)
{
	g_autoptr(GHashTable) ann = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *rootfs = NULL;
	g_autoptr(GError) err = NULL;

	g_assert_false(config(text, &rootfs, ann, &err));
	g_assert_null(rootfs);
	g_assert_cmpstr(err->message, ==, message);
}

static void test_config_errors(void)
{
	config_bad("{", "/b/config.json: line 1, column 2: expected a string key");
	config_bad("{}", "/b/config.json: root: missing");
	config_bad("{\"root\": \"r\"}", "/b/config.json: root: expected an object");
	config_bad("{\"root\": {}}", "/b/config.json: root.path: missing");
	config_bad("{\"root\": {\"path\": 1}}", "/b/config.json: root.path: expected a string");
	config_bad("{\"root\": {\"path\": \"r\"}, \"annotations\": {\"a\": null}}",
		   "/b/config.json: annotations.a: expected a string");
}

static GHashTable *ann_of(const char *views, const char *path)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (views)
		g_hash_table_insert(h, g_strdup(CH_ANN_VIEWS), g_strdup(views));
	if (path)
		g_hash_table_insert(h, g_strdup(CH_ANN_VIEWS_PATH), g_strdup(path));
	return h;
}

static void test_wanted(void)
{
	static const struct { const char *ann; bool all, wanted; } cases[] = {
		{ NULL, false, false }, { NULL, true, true },
		{ "true", false, true }, { "true", true, true },
		{ "false", false, false }, { "false", true, false },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GHashTable) h = ann_of(cases[i].ann, NULL);
		bool wanted = !cases[i].wanted;
		g_assert_true(ch_views_wanted(h, cases[i].all, &wanted, NULL));
		g_assert_cmpint(wanted, ==, cases[i].wanted);
	}
	g_autoptr(GHashTable) h = ann_of("TRUE", NULL);
	g_autoptr(GError) err = NULL;
	bool wanted;
	g_assert_false(ch_views_wanted(h, true, &wanted, &err));
	g_assert_cmpstr(err->message, ==, "annotation: org.corral.views: expected \"true\" or \"false\"");
}

static void test_views_path(void)
{
	g_autoptr(GHashTable) none = ann_of(NULL, NULL), some = ann_of(NULL, "/run/cfs/");
	g_autoptr(GHashTable) rel = ann_of(NULL, "cfs");
	g_autoptr(GError) err = NULL;
	g_autofree char *a = ch_views_path(none, NULL, NULL);
	g_autofree char *b = ch_views_path(none, "/mnt/v", NULL);
	g_autofree char *c = ch_views_path(some, "/mnt/v", NULL);

	g_assert_cmpstr(a, ==, "/var/lib/corral");
	g_assert_cmpstr(b, ==, "/mnt/v");
	g_assert_cmpstr(c, ==, "/run/cfs");
	g_assert_null(ch_views_path(rel, "/mnt/v", &err));
	g_assert_cmpstr(err->message, ==, "annotation org.corral.views.path: cfs: expected an absolute path");
}

/* Runs corral-hook with @args (stdin empty); its stdout, stderr, exit status. */
static void hook_run(const char *const *args, char **out, char **errout, int *status)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) err = NULL;
	int wait_status = 0;

	g_ptr_array_add(argv, (char *)g_getenv("CORRAL_HOOK"));
	for (; *args; args++)
		g_ptr_array_add(argv, (char *)*args);
	g_ptr_array_add(argv, NULL);
	g_assert_nonnull(argv->pdata[0]);
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL,
				   NULL, NULL, out, errout, &wait_status, &err));
	g_assert_no_error(err);
	g_assert_true(WIFEXITED(wait_status));
	*status = WEXITSTATUS(wait_status);
}

static char *hook_usage(void)
{
	const char *const help[] = { "--help", NULL };
	g_autofree char *errout = NULL;
	char *out = NULL;
	int status = -1;

	hook_run(help, &out, &errout, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(errout, ==, "");
	g_assert_true(g_str_has_prefix(out, "usage: corral-hook [--views PATH] [--all]\n"));
	return out;
}

/* @args are refused naming @what: exit 2, the message then the usage on stderr. */
static void hook_refused(const char *const *args, const char *what)
{
	g_autofree char *usage = hook_usage();
	g_autofree char *out = NULL, *errout = NULL;
	g_autofree char *want = g_strdup_printf("corral-hook: %s: unknown option or missing value\n%s",
					       what, usage);
	int status = -1;

	hook_run(args, &out, &errout, &status);
	g_assert_cmpint(status, ==, 2);
	g_assert_cmpstr(out, ==, "");
	g_assert_cmpstr(errout, ==, want);
}

static void test_options_refused(void)
{
	static const char *const frob[] = { "--frob", NULL };
	static const char *const frob_value[] = { "--all", "--frob=1", NULL };
	static const char *const letter[] = { "-x", NULL };
	static const char *const prefix[] = { "--vie", "/v", NULL };
	static const char *const missing[] = { "--all", "--views", NULL };
	static const char *const flag_value[] = { "--all=yes", NULL };
	static const char *const argument[] = { "--views", "/v", "extra", NULL };
	static const char *const dashdash[] = { "--", NULL };

	hook_refused(frob, "--frob");
	hook_refused(frob_value, "--frob=1");
	hook_refused(letter, "-x");
	hook_refused(prefix, "--vie");
	hook_refused(missing, "--views");
	hook_refused(flag_value, "--all=yes");
	hook_refused(argument, "extra");
	hook_refused(dashdash, "--");
}

/* Before common/options.h, "-h" was only taken alone; now it is a letter
 * option, so a bundle of it prints the usage too. */
static void test_options_help(void)
{
	static const char *const bundle[] = { "-hh", NULL };
	static const char *const version[] = { "--all", "--version", NULL };
	g_autofree char *usage = hook_usage();
	g_autofree char *out = NULL, *errout = NULL;
	g_autofree char *vout = NULL, *verr = NULL;
	int status = -1, vstatus = -1;

	hook_run(bundle, &out, &errout, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(errout, ==, "");
	g_assert_cmpstr(out, ==, usage);
	hook_run(version, &vout, &verr, &vstatus);
	g_assert_cmpint(vstatus, ==, 0);
	g_assert_cmpstr(verr, ==, "");
	g_assert_cmpstr(vout, ==, "corral-hook " CORRAL_VERSION "\n");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hook/state", test_state);
	g_test_add_func("/hook/state-minimal", test_state_minimal);
	g_test_add_func("/hook/state-errors", test_state_errors);
	g_test_add_func("/hook/config", test_config);
	g_test_add_func("/hook/config-errors", test_config_errors);
	g_test_add_func("/hook/wanted", test_wanted);
	g_test_add_func("/hook/views-path", test_views_path);
	g_test_add_func("/hook/options/refused", test_options_refused);
	g_test_add_func("/hook/options/help", test_options_help);
	return g_test_run();
}
