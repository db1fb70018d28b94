/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small recursive-descent JSON reader; see json.h. */
#include "runtime/json.h"
#include "runtime/spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RJ_MAX_DEPTH 128

struct rj_in {
	const char *p, *start, *end;
	int depth;
	GError **err;
};

static bool fail(struct rj_in *in, const char *what)
{
	int line = 1, col = 1;

	for (const char *c = in->start; c < in->p && c < in->end; c++) {
		col++;
		if (*c == '\n') {
			line++;
			col = 1;
		}
	}
	if (in->err && !*in->err)
		g_set_error(in->err, RT_ERROR, RT_ERROR_USAGE, "line %d, column %d: %s", line, col,
			    what);
	return false;
}

static void skip_ws(struct rj_in *in)
{
	while (in->p < in->end && strchr(" \t\r\n", *in->p) && *in->p)
		in->p++;
}

static bool literal(struct rj_in *in, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(in->end - in->p) < n || memcmp(in->p, word, n) != 0)
		return fail(in, "unexpected character");
	in->p += n;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int d = g_ascii_xdigit_value(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* \uXXXX (and a following low surrogate) as one code point. */
static bool unicode_escape(struct rj_in *in, GString *out)
{
	int hi, lo;
	gunichar c;

	if (in->end - in->p < 5 || (hi = hex4(in->p + 1)) < 0)
		return fail(in, "bad \\u escape");
	in->p += 5;
	c = (gunichar)hi;
	if (hi >= 0xd800 && hi < 0xdc00) {
		if (in->end - in->p < 6 || in->p[0] != '\\' || in->p[1] != 'u' ||
		    (lo = hex4(in->p + 2)) < 0xdc00 || lo >= 0xe000)
			return fail(in, "unpaired surrogate in \\u escape");
		in->p += 6;
		c = 0x10000 + (((gunichar)hi - 0xd800) << 10) + ((gunichar)lo - 0xdc00);
	} else if (hi >= 0xdc00 && hi < 0xe000) {
		return fail(in, "unpaired surrogate in \\u escape");
	}
	if (c == 0)
		return fail(in, "NUL in string");
	g_string_append_unichar(out, c);
	return true;
}

static bool escape(struct rj_in *in, GString *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;

	in->p++; /* the backslash */
	if (in->p >= in->end)
		return fail(in, "unterminated string");
	if (*in->p == 'u')
		return unicode_escape(in, out);
	e = strchr(from, *in->p);
	if (!e || !*in->p)
		return fail(in, "bad escape in string");
	g_string_append_c(out, to[e - from]);
	in->p++;
	return true;
}

static bool string(struct rj_in *in, char **out)
{
	g_autoptr(GString) s = g_string_new(NULL);

	in->p++; /* the quote */
	while (in->p < in->end && *in->p != '"') {
		if ((unsigned char)*in->p < 0x20)
			return fail(in, "control character in string");
		if (*in->p == '\\') {
			if (!escape(in, s))
				return false;
		} else {
			g_string_append_c(s, *in->p++);
		}
	}
	if (in->p >= in->end)
		return fail(in, "unterminated string");
	in->p++;
	if (!g_utf8_validate(s->str, (gssize)s->len, NULL))
		return fail(in, "string is not UTF-8");
	*out = g_string_free(g_steal_pointer(&s), FALSE);
	return true;
}

static bool number(struct rj_in *in, struct rj_value *v)
{
	const char *s = in->p;
	g_autofree char *text = NULL;
	char *end;

	if (in->p < in->end && *in->p == '-')
		in->p++;
	if (in->p >= in->end || !g_ascii_isdigit(*in->p))
		return fail(in, "bad number");
	while (in->p < in->end && strchr("0123456789+-.eE", *in->p) && *in->p)
		in->p++;
	text = g_strndup(s, (gsize)(in->p - s));
	v->type = RJ_NUMBER;
	v->number = g_ascii_strtod(text, &end);
	if (*end || (text[0] == '0' && g_ascii_isdigit(text[1])) ||
	    (text[0] == '-' && text[1] == '0' && g_ascii_isdigit(text[2])))
		return fail(in, "bad number");
	if (!strpbrk(text, ".eE")) {
		errno = 0;
		v->integer = g_ascii_strtoll(text, NULL, 10);
		v->is_int = errno == 0;
		errno = 0;
		v->uinteger = text[0] == '-' ? 0 : g_ascii_strtoull(text, NULL, 10);
		v->is_uint = text[0] != '-' && errno == 0;
	}
	return true;
}

static bool value(struct rj_in *in, struct rj_value **out);

static bool array(struct rj_in *in, struct rj_value *v)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)rj_free);

	v->type = RJ_ARRAY;
	in->p++;
	skip_ws(in);
	if (in->p < in->end && *in->p == ']') {
		in->p++;
	} else {
		for (;;) {
			struct rj_value *item = NULL;

			if (!value(in, &item))
				return false;
			g_ptr_array_add(items, item);
			skip_ws(in);
			if (in->p < in->end && *in->p == ',') {
				in->p++;
				continue;
			}
			if (in->p < in->end && *in->p == ']') {
				in->p++;
				break;
			}
			return fail(in, "expected ',' or ']'");
		}
	}
	v->n = items->len;
	v->items = (struct rj_value **)g_ptr_array_free(g_steal_pointer(&items), FALSE);
	return true;
}

static bool member(struct rj_in *in, GPtrArray *keys, GPtrArray *vals)
{
	char *key = NULL;
	struct rj_value *val = NULL;

	skip_ws(in);
	if (in->p >= in->end || *in->p != '"')
		return fail(in, "expected a string key");
	if (!string(in, &key))
		return false;
	g_ptr_array_add(keys, key);
	skip_ws(in);
	if (in->p >= in->end || *in->p != ':')
		return fail(in, "expected ':'");
	in->p++;
	if (!value(in, &val))
		return false;
	g_ptr_array_add(vals, val);
	return true;
}

static bool object(struct rj_in *in, struct rj_value *v)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func((GDestroyNotify)rj_free);

	v->type = RJ_OBJECT;
	in->p++;
	skip_ws(in);
	if (in->p < in->end && *in->p == '}') {
		in->p++;
	} else {
		for (;;) {
			if (!member(in, keys, vals))
				return false;
			skip_ws(in);
			if (in->p < in->end && *in->p == ',') {
				in->p++;
				continue;
			}
			if (in->p < in->end && *in->p == '}') {
				in->p++;
				break;
			}
			return fail(in, "expected ',' or '}'");
		}
	}
	v->n = vals->len;
	v->keys = (char **)g_ptr_array_free(g_steal_pointer(&keys), FALSE);
	v->items = (struct rj_value **)g_ptr_array_free(g_steal_pointer(&vals), FALSE);
	return true;
}

static bool value_of(struct rj_in *in, struct rj_value *v)
{
	switch (in->p < in->end ? *in->p : '\0') {
	case '{': return object(in, v);
	case '[': return array(in, v);
	case '"': v->type = RJ_STRING; return string(in, &v->string);
	case 't': v->type = RJ_BOOL; v->boolean = true; return literal(in, "true");
	case 'f': v->type = RJ_BOOL; return literal(in, "false");
	case 'n': v->type = RJ_NULL; return literal(in, "null");
	case '\0': return fail(in, "unexpected end of input");
	default: return number(in, v);
	}
}

static bool value(struct rj_in *in, struct rj_value **out)
{
	struct rj_value *v = g_new0(struct rj_value, 1);
	bool ok;

	if (++in->depth > RJ_MAX_DEPTH) {
		g_free(v);
		return fail(in, "nested too deeply");
	}
	skip_ws(in);
	ok = value_of(in, v);
	in->depth--;
	if (!ok) {
		rj_free(v);
		return false;
	}
	*out = v;
	return true;
}

struct rj_value *rj_parse(const char *text, size_t len, GError **err)
{
	struct rj_in in = { .p = text, .start = text, .end = text + len, .err = err };
	struct rj_value *v = NULL;

	if (!value(&in, &v))
		return NULL;
	skip_ws(&in);
	if (in.p != in.end) {
		rj_free(v);
		fail(&in, "trailing characters after the document");
		return NULL;
	}
	return v;
}

void rj_free(struct rj_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		rj_free(v->items[i]);
		if (v->keys)
			g_free(v->keys[i]);
	}
	g_free(v->items);
	g_free(v->keys);
	g_free(v->string);
	g_free(v);
}

const struct rj_value *rj_get(const struct rj_value *v, const char *key)
{
	const struct rj_value *found = NULL;

	for (size_t i = 0; v && v->type == RJ_OBJECT && i < v->n; i++) {
		if (strcmp(v->keys[i], key) == 0)
			found = v->items[i];
	}
	return found;
}

const char *rj_type_name(enum rj_type t)
{
	static const char *const names[] = { "null", "boolean", "number", "string", "array",
					     "object" };
	return names[t];
}
