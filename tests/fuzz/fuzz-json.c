/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-json: corral's JSON reader (runtime/json.c) on any bytes.  A parsed
 * tree is walked: every string is valid UTF-8, an
 * integer's flags agree with its value, and rj_get finds each object's
 * last member of a key.
 */
#include "tests/fuzz/fuzz.h"

#include "common/json.h"

/* Members the OCI readers look up: rj_get on objects and on non-objects. */
static const char *const keys[] = { "ociVersion", "process", "root", "linux", "", "args" };

static void walk(const struct rj_value *v, int depth);

static void walk_object(const struct rj_value *v, int depth)
{
	for (uint32_t i = 0; i < v->n; i++) {
		const struct rj_member *m = &v->members[i];
		const struct rj_value *found = rj_get(v, m->key);
		bool last = true;

		for (uint32_t j = i + 1; j < v->n; j++)
			last = last && strcmp(v->members[j].key, m->key) != 0;
		if (!found || (last && found != &m->value))
			__builtin_trap();
		walk(&m->value, depth + 1);
	}
}

static void walk(const struct rj_value *v, int depth)
{
	if (depth > 200) /* the reader nests at most 128 deep */
		__builtin_trap();
	switch (v->type) {
	case RJ_NULL:
	case RJ_BOOL:
		break;
	case RJ_NUMBER:
		if (v->is_int && v->is_uint && v->integer < 0)
			__builtin_trap();
		(void)rj_number(v);
		break;
	case RJ_STRING:
		if (!v->string || !g_utf8_validate(v->string, -1, NULL))
			__builtin_trap();
		break;
	case RJ_ARRAY:
		for (uint32_t i = 0; i < v->n; i++)
			walk(&v->items[i], depth + 1);
		break;
	case RJ_OBJECT:
		walk_object(v, depth);
		break;
	default:
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(rj_value) v = rj_parse((const char *)data, size, &err);

	if (!v) {
		/* a failed parse names where it stopped */
		if (!err || !err->message || !*err->message)
			__builtin_trap();
		return 0;
	}
	if (err)
		__builtin_trap();
	walk(v, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const struct rj_value *m = rj_get(v, keys[i]);

		if (m)
			(void)rj_get(m, keys[i]);
	}
	return 0;
}
