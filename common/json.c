/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small recursive-descent JSON reader; see json.h. */
#include "common/json.h"
#include "common/rt-error.h"

#include <errno.h>
#include <math.h>
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
	*out = g_strndup(s->str, s->len); /* exactly its size */
	return true;
}

/* 1*DIGIT at in->p, or the error @what there. */
static bool digits(struct rj_in *in, const char *what)
{
	if (in->p >= in->end || !g_ascii_isdigit(*in->p))
		return fail(in, what);
	while (in->p < in->end && g_ascii_isdigit(*in->p))
		in->p++;
	return true;
}

/* RFC 8259's number: [-] (0 | [1-9] *DIGIT) [. 1*DIGIT] [(e|E) [+|-] 1*DIGIT];
 * sets *integral when it has neither fraction nor exponent. */
static bool number_syntax(struct rj_in *in, bool *integral)
{
	if (*in->p == '-')
		in->p++;
	if (in->p < in->end && *in->p == '0') {
		in->p++;
		if (in->p < in->end && g_ascii_isdigit(*in->p))
			return fail(in, "bad number: leading zero");
	} else if (!digits(in, "bad number: no digit after '-'")) {
		return false;
	}
	*integral = true;
	if (in->p < in->end && *in->p == '.') {
		in->p++;
		*integral = false;
		if (!digits(in, "bad number: no digit after '.'"))
			return false;
	}
	if (in->p < in->end && (*in->p == 'e' || *in->p == 'E')) {
		in->p++;
		*integral = false;
		if (in->p < in->end && (*in->p == '+' || *in->p == '-'))
			in->p++;
		if (!digits(in, "bad number: no digit in the exponent"))
			return false;
	}
	return true;
}

/* An integer that fits int64 or uint64 keeps its exact value. */
static void number_integer(const char *text, struct rj_value *v)
{
	gint64 i;
	guint64 u;

	errno = 0;
	i = g_ascii_strtoll(text, NULL, 10);
	if (errno == 0) {
		v->is_int = true;
		v->is_uint = text[0] != '-';
		v->integer = i;
		return;
	}
	if (text[0] == '-')
		return;
	errno = 0;
	u = g_ascii_strtoull(text, NULL, 10);
	if (errno == 0) {
		v->is_uint = true;
		v->uinteger = u;
	}
}

static bool number(struct rj_in *in, struct rj_value *v)
{
	const char *s = in->p;
	char small[64];
	g_autofree char *big = NULL;
	bool integral = false;

	if (!number_syntax(in, &integral))
		return false;
	size_t len = (size_t)(in->p - s);
	char *text = len < sizeof small ? small : (big = g_malloc(len + 1));
	memcpy(text, s, len);
	text[len] = '\0';
	v->type = RJ_NUMBER;
	if (integral)
		number_integer(text, v);
	if (v->is_int || v->is_uint)
		return true;
	v->number = g_ascii_strtod(text, NULL);
	if (isinf(v->number)) {
		in->p = s;
		return fail(in, "number out of range");
	}
	return true;
}

/* Room for one more of @size bytes in the growing vector *@p. */
static bool grow(struct rj_in *in, void **p, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return true;
	if (n == UINT32_MAX)
		return fail(in, "too many items");
	*cap = *cap > UINT32_MAX / 2 ? UINT32_MAX : MAX(*cap * 2, 4u);
	*p = g_realloc_n(*p, *cap, size);
	return true;
}

static bool value(struct rj_in *in, struct rj_value *v);
static void rj_clear(struct rj_value *v);

/* After an item (or member): true and *@more at ',', true at @close. */
static bool next(struct rj_in *in, char close, bool *more, const char *what)
{
	skip_ws(in);
	*more = in->p < in->end && *in->p == ',';
	if (*more || (in->p < in->end && *in->p == close)) {
		in->p++;
		return true;
	}
	return fail(in, what);
}

/* Parses one element (an item or a member) into @elem. */
typedef bool (*elem_fn)(struct rj_in *in, void *elem);

/* The elements of an array or object up to @close, each parsed by @parse
 * into the array *@elems of @size-byte elements; *@n counts the complete
 * ones (the caller clears them on failure). */
static bool elements(struct rj_in *in, void **elems, size_t size, uint32_t *n, char close,
		     elem_fn parse)
{
	const char *what = close == ']' ? "expected ',' or ']'" : "expected ',' or '}'";
	uint32_t cap = 0;
	bool more = true;

	while (more) {
		if (!grow(in, elems, *n, &cap, size) ||
		    !parse(in, (char *)*elems + (size_t)*n * size))
			return false;
		(*n)++;
		if (!next(in, close, &more, what))
			return false;
	}
	return true;
}

/* Past the opening bracket: true (and past @close) when the array or
 * object is empty. */
static bool empty_until(struct rj_in *in, char close)
{
	in->p++;
	skip_ws(in);
	if (in->p < in->end && *in->p == close) {
		in->p++;
		return true;
	}
	return false;
}

static bool item(struct rj_in *in, void *elem)
{
	return value(in, elem);
}

static bool array(struct rj_in *in, struct rj_value *v)
{
	struct rj_value *items = NULL;
	uint32_t n = 0;

	if (!empty_until(in, ']') &&
	    !elements(in, (void **)&items, sizeof *items, &n, ']', item)) {
		for (uint32_t i = 0; i < n; i++)
			rj_clear(&items[i]);
		g_free(items);
		return false;
	}
	v->type = RJ_ARRAY;
	v->n = n;
	v->items = g_realloc_n(items, n, sizeof *items); /* exactly its size */
	return true;
}

static bool member(struct rj_in *in, struct rj_member *m)
{
	skip_ws(in);
	if (in->p >= in->end || *in->p != '"')
		return fail(in, "expected a string key");
	if (!string(in, &m->key))
		return false;
	skip_ws(in);
	if (in->p < in->end && *in->p == ':') {
		in->p++;
		if (value(in, &m->value))
			return true;
	} else {
		fail(in, "expected ':'");
	}
	g_clear_pointer(&m->key, g_free);
	return false;
}

static bool member_elem(struct rj_in *in, void *elem)
{
	return member(in, elem);
}

static bool object(struct rj_in *in, struct rj_value *v)
{
	struct rj_member *members = NULL;
	uint32_t n = 0;

	if (!empty_until(in, '}') &&
	    !elements(in, (void **)&members, sizeof *members, &n, '}', member_elem)) {
		for (uint32_t i = 0; i < n; i++) {
			g_free(members[i].key);
			rj_clear(&members[i].value);
		}
		g_free(members);
		return false;
	}
	v->type = RJ_OBJECT;
	v->n = n;
	v->members = g_realloc_n(members, n, sizeof *members);
	return true;
}

static bool value_of(struct rj_in *in, struct rj_value *v)
{
	char c = in->p < in->end ? *in->p : '\0';

	switch (c) {
	case '{': return object(in, v);
	case '[': return array(in, v);
	case '"': v->type = RJ_STRING; return string(in, &v->string);
	case 't': v->type = RJ_BOOL; v->boolean = true; return literal(in, "true");
	case 'f': v->type = RJ_BOOL; return literal(in, "false");
	case 'n': v->type = RJ_NULL; return literal(in, "null");
	case '\0': return fail(in, in->p < in->end ? "unexpected character" : "unexpected end of input");
	default:
		if (c == '-' || g_ascii_isdigit(c))
			return number(in, v);
		return fail(in, "expected a value");
	}
}

/* *@v filled, or left as null after an error. */
static bool value(struct rj_in *in, struct rj_value *v)
{
	bool ok;

	*v = (struct rj_value){ .type = RJ_NULL };
	if (++in->depth > RJ_MAX_DEPTH)
		return fail(in, "nested too deeply");
	skip_ws(in);
	ok = value_of(in, v);
	in->depth--;
	if (!ok)
		*v = (struct rj_value){ .type = RJ_NULL }; /* its parts were freed */
	return ok;
}

struct rj_value *rj_parse(const char *text, size_t len, GError **err)
{
	struct rj_in in = { .p = text, .start = text, .end = text + len, .err = err };
	g_autoptr(rj_value) v = g_new0(struct rj_value, 1);

	if (!value(&in, v))
		return NULL;
	skip_ws(&in);
	if (in.p != in.end) {
		fail(&in, "trailing characters after the document");
		return NULL;
	}
	return g_steal_pointer(&v);
}

/* What @v holds, not @v itself. */
static void rj_clear(struct rj_value *v)
{
	switch (v->type) {
	case RJ_STRING:
		g_free(v->string);
		break;
	case RJ_ARRAY:
		for (uint32_t i = 0; i < v->n; i++)
			rj_clear(&v->items[i]);
		g_free(v->items);
		break;
	case RJ_OBJECT:
		for (uint32_t i = 0; i < v->n; i++) {
			g_free(v->members[i].key);
			rj_clear(&v->members[i].value);
		}
		g_free(v->members);
		break;
	default:
		break;
	}
}

void rj_free(struct rj_value *v)
{
	if (!v)
		return;
	rj_clear(v);
	g_free(v);
}

const struct rj_value *rj_get(const struct rj_value *v, const char *key)
{
	const struct rj_value *found = NULL;

	for (uint32_t i = 0; v && v->type == RJ_OBJECT && i < v->n; i++) {
		if (strcmp(v->members[i].key, key) == 0)
			found = &v->members[i].value;
	}
	return found;
}

const char *rj_type_name(enum rj_type t)
{
	static const char *const names[] = { "null", "boolean", "number", "string", "array",
					     "object" };
	return (unsigned)t < G_N_ELEMENTS(names) ? names[t] : "?";
}

double rj_number(const struct rj_value *v)
{
	if (v->is_int)
		return (double)v->integer;
	return v->is_uint ? (double)v->uinteger : v->number;
}
