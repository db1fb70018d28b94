/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corral-hook's inputs; see hook.h. */
#include "hooks/hook.h"
#include "common/json.h"

#include <string.h>

G_DEFINE_QUARK(corral-hook-error-quark, ch_error)

static bool bad(GError **err, const char *doc, const char *member, const char *what)
{
	g_set_error(err, CH_ERROR, CH_ERROR_INPUT, "%s: %s: %s", doc, member, what);
	return false;
}

/* The string member @key of @obj (NULL when absent); false on a wrong type. */
static bool get_string(const struct rj_value *obj, const char *doc, const char *key,
		       const char **out, GError **err)
{
	const struct rj_value *v = rj_get(obj, key);

	*out = NULL;
	if (v == NULL)
		return true;
	if (v->type != RJ_STRING)
		return bad(err, doc, key, "expected a string");
	*out = v->string;
	return true;
}

/* Copy the string members of @obj (annotations) into @into, keeping the
 * values already there. */
static bool add_annotations(const struct rj_value *obj, const char *doc, GHashTable *into,
			    GError **err)
{
	if (obj == NULL)
		return true;
	if (obj->type != RJ_OBJECT)
		return bad(err, doc, "annotations", "expected an object");
	for (size_t i = 0; i < obj->n; i++) {
		const struct rj_member *a = &obj->members[i];

		if (a->value.type != RJ_STRING) {
			g_autofree char *m = g_strdup_printf("annotations.%s", a->key);
			return bad(err, doc, m, "expected a string");
		}
		if (!g_hash_table_contains(into, a->key))
			g_hash_table_insert(into, g_strdup(a->key), g_strdup(a->value.string));
	}
	return true;
}

static struct rj_value *parse_object(const char *text, size_t len, const char *doc, GError **err)
{
	g_autoptr(GError) e = NULL;
	struct rj_value *v = rj_parse(text, len, &e);

	if (v == NULL) {
		g_set_error(err, CH_ERROR, CH_ERROR_INPUT, "%s: %s", doc, e->message);
		return NULL;
	}
	if (v->type != RJ_OBJECT) {
		g_set_error(err, CH_ERROR, CH_ERROR_INPUT, "%s: expected a JSON object", doc);
		rj_free(v);
		return NULL;
	}
	return v;
}

void ch_state_clear(struct ch_state *st)
{
	g_clear_pointer(&st->id, g_free);
	g_clear_pointer(&st->bundle, g_free);
	g_clear_pointer(&st->annotations, g_hash_table_unref);
	st->pid = 0;
}

static bool state_pid(const struct rj_value *root, int *pid, GError **err)
{
	const struct rj_value *v = rj_get(root, "pid");

	*pid = 0;
	if (v == NULL)
		return true;
	if (v->type != RJ_NUMBER || !v->is_int || v->integer <= 0 || v->integer > G_MAXINT)
		return bad(err, "state", "pid", "expected a positive integer");
	*pid = (int)v->integer;
	return true;
}

bool ch_state_parse(const char *text, size_t len, struct ch_state *st, GError **err)
{
	g_autoptr(rj_value) root = parse_object(text, len, "state", err);
	const char *id, *bundle;

	memset(st, 0, sizeof *st);
	st->annotations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (root == NULL || !get_string(root, "state", "id", &id, err) ||
	    !get_string(root, "state", "bundle", &bundle, err) || !state_pid(root, &st->pid, err) ||
	    !add_annotations(rj_get(root, "annotations"), "state", st->annotations, err))
		return false;
	if (bundle == NULL || *bundle == '\0')
		return bad(err, "state", "bundle", "missing");
	if (!g_path_is_absolute(bundle))
		return bad(err, "state", "bundle", "expected an absolute path");
	st->id = g_strdup(id ? id : "");
	st->bundle = g_strdup(bundle);
	return true;
}

bool ch_config_parse(const char *text, size_t len, const char *path, const char *bundle,
		     char **rootfs, GHashTable *annotations, GError **err)
{
	g_autoptr(rj_value) root = parse_object(text, len, path, err);
	const struct rj_value *r;
	const char *p;

	*rootfs = NULL;
	if (root == NULL)
		return false;
	r = rj_get(root, "root");
	if (r == NULL)
		return bad(err, path, "root", "missing");
	if (r->type != RJ_OBJECT)
		return bad(err, path, "root", "expected an object");
	r = rj_get(r, "path");
	if (r != NULL && r->type != RJ_STRING)
		return bad(err, path, "root.path", "expected a string");
	p = r ? r->string : NULL;
	if (p == NULL || *p == '\0')
		return bad(err, path, "root.path", "missing");
	if (!add_annotations(rj_get(root, "annotations"), path, annotations, err))
		return false;
	*rootfs = g_path_is_absolute(p) ? g_canonicalize_filename(p, NULL)
					 : g_canonicalize_filename(p, bundle);
	return true;
}

bool ch_views_wanted(GHashTable *annotations, bool all, bool *wanted, GError **err)
{
	const char *v = g_hash_table_lookup(annotations, CH_ANN_VIEWS);

	*wanted = all;
	if (v == NULL)
		return true;
	if (strcmp(v, "true") == 0)
		*wanted = true;
	else if (strcmp(v, "false") == 0)
		*wanted = false;
	else
		return bad(err, "annotation", CH_ANN_VIEWS, "expected \"true\" or \"false\"");
	return true;
}

char *ch_views_path(GHashTable *annotations, const char *option, GError **err)
{
	const char *p = g_hash_table_lookup(annotations, CH_ANN_VIEWS_PATH);
	const char *from = "annotation " CH_ANN_VIEWS_PATH;

	if (p == NULL) {
		p = option ? option : CH_DEFAULT_VIEWS;
		from = "--views";
	}
	if (!g_path_is_absolute(p)) {
		g_set_error(err, CH_ERROR, CH_ERROR_INPUT, "%s: %s: expected an absolute path", from,
			    p);
		return NULL;
	}
	return g_canonicalize_filename(p, NULL);
}
