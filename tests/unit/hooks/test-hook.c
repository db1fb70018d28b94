/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hooks/hook.c: the OCI state, config.json and the views decision. */
#include "hooks/hook.h"

#include <string.h>

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
	return g_test_run();
}
