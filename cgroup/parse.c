/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parsers for the kernel's cgroup and /proc files.  Pure functions of
 * their text: no I/O, unit-testable.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Strict decimal: digits, then only whitespace up to the end. */
static bool parse_u64_span(const char *s, const char **end, uint64_t *out)
{
	char *e;
	unsigned long long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!g_ascii_isdigit(*s))
		return false;
	errno = 0;
	v = strtoull(s, &e, 10);
	if (errno)
		return false;
	*out = v;
	*end = e;
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

/* " KEY=" then a locale-independent double; advances *@s. */
static bool parse_psi_avg(const char **s, const char *key, double *out)
{
	size_t klen = strlen(key);
	char *end;

	while (**s == ' ')
		(*s)++;
	if (strncmp(*s, key, klen) != 0 || !g_ascii_isdigit((*s)[klen]))
		return false;
	*out = g_ascii_strtod(*s + klen, &end);
	*s = end;
	return **s == ' ';
}

/* "avg10=0.00 avg60=0.35 avg300=0.62 total=3751239" after "some"/"full". */
static bool parse_psi_line(const char *s, struct cg_psi_line *out)
{
	const char *end;

	if (!parse_psi_avg(&s, "avg10=", &out->avg10) ||
	    !parse_psi_avg(&s, "avg60=", &out->avg60) ||
	    !parse_psi_avg(&s, "avg300=", &out->avg300))
		return false;
	s++;
	if (!g_str_has_prefix(s, "total="))
		return false;
	return parse_u64_span(s + 6, &end, &out->total_us) && only_space(end);
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

bool cgi_parse_pid_stat(const char *text, char *state, uint64_t *starttime)
{
	/* comm (field 2) may hold spaces and ')': start after the last ')' */
	const char *s = strrchr(text, ')');
	const char *end;

	if (!s || s[1] != ' ' || !s[2] || s[3] != ' ')
		return false;
	*state = s[2];
	s += 2;
	for (int field = 3; field < 22; field++) {
		s = strchr(s, ' ');
		if (!s)
			return false;
		s++;
	}
	if (!parse_u64_span(s, &end, starttime))
		return false;
	return *end == ' ' || *end == '\n' || *end == '\0';
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
