/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parsers of the kernel's cgroup control files (cgroup/kernel.h says
 * which format is parsed where; procfs.c has the /proc/PID files).  Pure
 * functions of their text: no I/O, unit-testable.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Blanks, then decimal digits (at least one): the number, *@end after
 * its last digit. */
static bool parse_u64_span(const char *s, const char **end, uint64_t *out)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strspn(s, "0123456789");
	if (!cgi_parse_span(s, len, 10, out))
		return false;
	*end = s + len;
	return true;
}

static bool only_space(const char *s)
{
	while (g_ascii_isspace(*s))
		s++;
	return *s == '\0';
}

bool cgi_parse_u64(const char *text, uint64_t *out)
{
	const char *end;

	return parse_u64_span(text, &end, out) && only_space(end);
}

bool cgi_parse_i64(const char *text, int64_t *out)
{
	char *end;
	long long v;

	while (*text == ' ' || *text == '\t')
		text++;
	if (!g_ascii_isdigit(*text) && *text != '-')
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text || !only_space(end))
		return false;
	*out = v;
	return true;
}

bool cg_parse_u64_or_max(const char *text, uint64_t *out)
{
	const char *s = text;

	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, "max", 3) == 0 && only_space(s + 3)) {
		*out = CG_UNLIMITED;
		return true;
	}
	return cgi_parse_u64(s, out);
}

bool cgi_parse_limit(const char *text, uint64_t *out)
{
	if (!cg_parse_u64_or_max(text, out))
		return false;
	if (*out >= CGI_V1_UNLIMITED_MIN)
		*out = CG_UNLIMITED;
	return true;
}

/* Parses "KEY VALUE" on the line at @line (ending at '\n' or NUL) against
 * @keys.  False only when a listed key has a bad value. */
static bool parse_keyed_line(const char *line, const struct cgi_key *keys,
			     size_t nkeys)
{
	size_t klen = strcspn(line, " \t\n");
	const char *end;
	uint64_t v;

	for (size_t i = 0; i < nkeys; i++) {
		if (strlen(keys[i].key) != klen ||
		    memcmp(keys[i].key, line, klen) != 0)
			continue;
		if (!parse_u64_span(line + klen, &end, &v))
			return false;
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != '\n' && *end != '\0')
			return false;
		*keys[i].dst = v;
		return true;
	}
	return true;
}

bool cgi_parse_keyed(const char *text, const struct cgi_key *keys,
		     size_t nkeys)
{
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');

		if (!parse_keyed_line(line, keys, nkeys))
			return false;
		line = nl ? nl + 1 : NULL;
	}
	return true;
}

bool cg_parse_keyed_u64(const char *text, const char *key, uint64_t *out)
{
	uint64_t v = 0;
	bool found = false;
	size_t klen = strlen(key);

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');

		if (strncmp(line, key, klen) == 0 &&
		    (line[klen] == ' ' || line[klen] == '\t')) {
			struct cgi_key k = { key, &v };

			if (!parse_keyed_line(line, &k, 1))
				return false;
			found = true;
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (found)
		*out = v;
	return found;
}

int cgi_nested_next(const char **s, struct cgi_pair *p)
{
	const char *w = *s + strspn(*s, " \t");
	size_t len = strcspn(w, " \t\n");
	const char *eq = memchr(w, '=', len);

	*s = w + len;
	if (!len)
		return 0;
	if (!eq)
		return -1;
	p->name = w;
	p->nlen = (size_t)(eq - w);
	p->value = eq + 1;
	p->vlen = len - p->nlen - 1;
	return 1;
}

static bool pair_is(const struct cgi_pair *p, const char *name)
{
	return strlen(name) == p->nlen && memcmp(name, p->name, p->nlen) == 0;
}

bool cgi_parse_nested(const char *pairs, const struct cgi_key *keys,
		      size_t nkeys)
{
	struct cgi_pair p;
	int r;

	while ((r = cgi_nested_next(&pairs, &p)) > 0)
		for (size_t i = 0; i < nkeys; i++)
			if (pair_is(&p, keys[i].key) &&
			    !cgi_parse_span(p.value, p.vlen, 10, keys[i].dst))
				return false;
	return r == 0;
}

/* A PSI average: a locale-independent double starting with a digit. */
static bool psi_avg(const struct cgi_pair *p, double *out)
{
	char buf[32];
	char *end;

	if (!p->vlen || p->vlen >= sizeof(buf) || !g_ascii_isdigit(p->value[0]))
		return false;
	memcpy(buf, p->value, p->vlen);
	buf[p->vlen] = '\0';
	*out = g_ascii_strtod(buf, &end);
	return *end == '\0';
}

/* "avg10=0.00 avg60=0.35 avg300=0.62 total=3751239" after "some"/"full":
 * these four, in this order. */
static bool parse_psi_line(const char *s, struct cg_psi_line *out)
{
	static const char *const names[] = { "avg10", "avg60", "avg300" };
	double *avg[] = { &out->avg10, &out->avg60, &out->avg300 };
	struct cgi_pair p;

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (cgi_nested_next(&s, &p) != 1 || !pair_is(&p, names[i]) ||
		    !psi_avg(&p, avg[i]))
			return false;
	return cgi_nested_next(&s, &p) == 1 && pair_is(&p, "total") &&
	       cgi_parse_span(p.value, p.vlen, 10, &out->total_us) &&
	       cgi_nested_next(&s, &p) == 0;
}

bool cg_parse_psi(const char *text, struct cg_psi *out)
{
	bool some = false;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	memset(out, 0, sizeof(*out));
	for (char **l = lines; *l; l++) {
		if (!**l)
			continue;
		if (g_str_has_prefix(*l, "some ") && !some) {
			if (!parse_psi_line(*l + 4, &out->some))
				return false;
			some = true;
		} else if (g_str_has_prefix(*l, "full ") && !out->has_full) {
			if (!parse_psi_line(*l + 4, &out->full))
				return false;
			out->has_full = true;
		} else {
			return false;
		}
	}
	out->valid = some;
	return some;
}

unsigned cg_cpumask_count(const struct cg_cpumask *m)
{
	unsigned n = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(m->bits); i++)
		n += (unsigned)__builtin_popcountll(m->bits[i]);
	return n;
}

/* One "N" or "N-M" element of a cpu list. */
static bool parse_cpu_range(const char *s, size_t len, struct cg_cpumask *m)
{
	char buf[32];
	char *end;
	unsigned long lo, hi;

	if (len == 0 || len >= sizeof(buf) || !g_ascii_isdigit(*s))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	lo = hi = strtoul(buf, &end, 10);
	if (*end == '-') {
		if (!g_ascii_isdigit(end[1]))
			return false;
		hi = strtoul(end + 1, &end, 10);
	}
	if (*end || hi < lo || hi >= CG_MAX_CPUS)
		return false;
	for (unsigned long c = lo; c <= hi; c++)
		cg_cpumask_set(m, (unsigned)c);
	return true;
}

bool cg_cpumask_parse(const char *text, struct cg_cpumask *out)
{
	size_t len = strlen(text);

	memset(out, 0, sizeof(*out));
	while (len && g_ascii_isspace(text[len - 1]))
		len--;
	for (size_t i = 0; i < len;) {
		size_t n = strcspn(text + i, ",");

		if (n > len - i)
			n = len - i;
		if (!parse_cpu_range(text + i, n, out))
			return false;
		i += n + 1;
		if (i == len)   /* trailing comma */
			return false;
	}
	return true;
}

bool cgi_parse_span(const char *s, size_t len, int base, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = g_ascii_xdigit_value(s[i]);

		if (d < 0 || d >= base ||
		    v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

char **cgi_parse_words(const char *text)
{
	g_auto(GStrv) all = g_strsplit_set(text, " \t\n", -1);
	GPtrArray *words = g_ptr_array_new();

	for (char **s = all; *s; s++)
		if (**s)
			g_ptr_array_add(words, g_strdup(*s));
	g_ptr_array_add(words, NULL);
	return (char **)g_ptr_array_free(words, FALSE);
}

bool cgi_parse_idlist(const char *text, GArray *out)
{
	const char *s = text;

	while (*s) {
		char *end;
		long v;

		if (*s == '\n') {
			s++;
			continue;
		}
		if (!g_ascii_isdigit(*s))
			return false;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || v <= 0 || v > INT32_MAX ||
		    (*end != '\n' && *end != '\0'))
			return false;
		pid_t id = (pid_t)v;

		g_array_append_val(out, id);
		s = end;
	}
	return true;
}
