/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parsers of the kernel's /proc/PID files corral reads: mountinfo,
 * cgroup, stat and status (cgroup/kernel.h).  Pure functions of their
 * text: no I/O, unit-testable (tests/unit/cgroup/test-procfs.c).
 */
#include "cgroup/internal.h"

#include <limits.h>
#include <string.h>

/* ---- mountinfo ---------------------------------------------------- */

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* @s with the kernel's "\ooo" escapes undone (mangle() in
 * fs/proc_namespace.c escapes ' ', '\t', '\n' and '\\'); a backslash not
 * followed by three octal digits (or by "\000") stays as it is. */
static char *unescape(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));

	for (; *s; s++) {
		if (s[0] == '\\' && is_octal(s[1]) && is_octal(s[2]) &&
		    is_octal(s[3])) {
			unsigned v = (unsigned)(s[1] - '0') * 64 +
				     (unsigned)(s[2] - '0') * 8 +
				     (unsigned)(s[3] - '0');

			if (v > 0 && v < 256) {
				g_string_append_c(out, (char)v);
				s += 3;
				continue;
			}
		}
		g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

static bool parse_uint(const char *s, size_t len, unsigned *out)
{
	uint64_t v;

	if (!cgi_parse_span(s, len, 10, &v) || v > UINT_MAX)
		return false;
	*out = (unsigned)v;
	return true;
}

/* The first four fields: "ID PARENT MAJOR:MINOR ROOT". */
static bool mount_ids(char **f, struct cg_mount *m)
{
	const char *colon = strchr(f[2], ':');

	return parse_uint(f[0], strlen(f[0]), &m->id) &&
	       parse_uint(f[1], strlen(f[1]), &m->parent) && colon &&
	       parse_uint(f[2], (size_t)(colon - f[2]), &m->major) &&
	       parse_uint(colon + 1, strlen(colon + 1), &m->minor);
}

/* The string fields of @m, in the order of a mountinfo line. */
#define MOUNT_STRINGS 6
static void mount_strings(struct cg_mount *m, char **out[MOUNT_STRINGS])
{
	out[0] = &m->root;
	out[1] = &m->mountpoint;
	out[2] = &m->options;
	out[3] = &m->fstype;
	out[4] = &m->source;
	out[5] = &m->super_options;
}

bool cg_mountinfo_line(const char *line, struct cg_mount *out)
{
	g_auto(GStrv) f = g_strsplit(line, " ", -1);
	guint n = g_strv_length(f), sep;
	char **dst[MOUNT_STRINGS];

	memset(out, 0, sizeof(*out));
	/* fields 1-6, optional fields, "-", type, source, super options */
	for (sep = 6; sep < n && strcmp(f[sep], "-") != 0; sep++)
		;
	if (sep + 3 >= n || !mount_ids(f, out))
		return false;
	const char *src[MOUNT_STRINGS] = { f[3], f[4], f[5], f[sep + 1],
					   f[sep + 2], f[sep + 3] };
	mount_strings(out, dst);
	for (size_t i = 0; i < MOUNT_STRINGS; i++)
		*dst[i] = unescape(src[i]);
	return true;
}

void cg_mount_clear(struct cg_mount *m)
{
	char **s[MOUNT_STRINGS];

	mount_strings(m, s);
	for (size_t i = 0; i < MOUNT_STRINGS; i++)
		g_free(*s[i]);
	memset(m, 0, sizeof(*m));
}

static void mount_clear(gpointer p)
{
	cg_mount_clear(p);
}

GArray *cg_mountinfo_parse(const char *text)
{
	GArray *mounts = g_array_new(FALSE, TRUE, sizeof(struct cg_mount));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	g_array_set_clear_func(mounts, mount_clear);
	for (char **l = lines; *l; l++) {
		struct cg_mount m;

		if (cg_mountinfo_line(*l, &m))
			g_array_append_val(mounts, m);
	}
	return mounts;
}

bool cg_list_has(const char *list, const char *item)
{
	size_t len = strlen(item);

	if (!len)
		return false;
	for (const char *s = list; s;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if (n == len && memcmp(s, item, len) == 0)
			return true;
		s = comma ? comma + 1 : NULL;
	}
	return false;
}

/* ---- /proc/PID/cgroup --------------------------------------------- */

static void proc_cgroup_clear(gpointer p)
{
	struct cg_proc_cgroup *c = p;

	g_free(c->controllers);
	g_free(c->path);
}

/* "ID:CONTROLLERS:PATH" */
static bool proc_cgroup_line(const char *line, struct cg_proc_cgroup *out)
{
	const char *c1 = strchr(line, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	uint64_t id;

	if (!c2 || !cgi_parse_span(line, (size_t)(c1 - line), 10, &id) ||
	    id > UINT_MAX)
		return false;
	out->id = (unsigned)id;
	out->controllers = g_strndup(c1 + 1, (size_t)(c2 - c1 - 1));
	out->path = g_strdup(c2 + 1);
	return true;
}

GArray *cg_proc_cgroup_parse(const char *text, GError **err)
{
	g_autoptr(GArray) out = g_array_new(FALSE, TRUE,
					     sizeof(struct cg_proc_cgroup));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	g_array_set_clear_func(out, proc_cgroup_clear);
	for (char **l = lines; *l; l++) {
		struct cg_proc_cgroup c;

		if (!**l)
			continue;
		if (!proc_cgroup_line(*l, &c)) {
			g_set_error(err, CG_ERROR, CG_ERROR_PARSE,
				    "bad cgroup line \"%s\"", *l);
			return NULL;
		}
		g_array_append_val(out, c);
	}
	return g_steal_pointer(&out);
}

/* ---- /proc/PID/stat ----------------------------------------------- */

/* The decimal of @len bytes at @s, as a pid (0 .. INT32_MAX). */
static bool parse_pid(const char *s, size_t len, pid_t *out)
{
	uint64_t v;

	if (!cgi_parse_span(s, len, 10, &v) || v > INT32_MAX)
		return false;
	*out = (pid_t)v;
	return true;
}

/* Moves *@s past @n space-separated fields; false when there are fewer. */
static bool skip_fields(const char **s, int n)
{
	for (int i = 0; i < n; i++) {
		const char *sp = strchr(*s, ' ');

		if (!sp)
			return false;
		*s = sp + 1;
	}
	return true;
}

bool cg_pid_stat_parse(const char *text, struct cg_pid_stat *out)
{
	const char *open = strchr(text, '(');
	const char *close = strrchr(text, ')');
	const char *s, *end;

	memset(out, 0, sizeof(*out));
	if (!open || !close || close < open || open == text ||
	    open[-1] != ' ' || !parse_pid(text, (size_t)(open - 1 - text), &out->pid))
		return false;
	out->comm = open + 1;
	out->comm_len = (size_t)(close - open - 1);
	/* ") S PPID ..." */
	if (close[1] != ' ' || !close[2] || close[3] != ' ')
		return false;
	out->state = close[2];
	s = close + 4;
	end = strchr(s, ' ');
	if (!end || !parse_pid(s, (size_t)(end - s), &out->ppid))
		return false;
	/* from field 4 to field 22 */
	if (!skip_fields(&s, 18))
		return false;
	end = s + strcspn(s, " \n");
	return cgi_parse_span(s, (size_t)(end - s), 10, &out->starttime);
}

/* ---- /proc/PID/status --------------------------------------------- */

const char *cg_status_field(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');

		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			const char *v = line + klen + 1;

			v += strspn(v, " \t");
			*len = nl ? (size_t)(nl - v) : strlen(v);
			return v;
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* The value of @key, trailing blanks cut, as a span. */
static const char *status_value(const char *text, const char *key, size_t *len)
{
	const char *v = cg_status_field(text, key, len);

	while (v && *len && (v[*len - 1] == ' ' || v[*len - 1] == '\t'))
		(*len)--;
	return v;
}

bool cg_status_u64(const char *text, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = status_value(text, key, &len);

	return v && cgi_parse_span(v, len, 10, out);
}

bool cg_status_last_id(const char *text, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = status_value(text, key, &len);
	size_t start;

	if (!v)
		return false;
	start = len;
	while (start > 0 && v[start - 1] != '\t' && v[start - 1] != ' ')
		start--;
	return cgi_parse_span(v + start, len - start, 10, out);
}

bool cg_status_hex(const char *text, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = status_value(text, key, &len);

	return v && cgi_parse_span(v, len, 16, out);
}
