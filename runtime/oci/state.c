/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OCI commands' state directory ROOT/ID (state.json, exec.fifo while
 * the init waits for `start`), their messages (stderr and --log) and
 * their options (read with common/options.h): what cmd-lifecycle.c,
 * cmd-exec.c, cmd-manage.c, cmd-update.c and cmd-spec.c share.
 */
#include "runtime/oci/state.h"
#include "common/json.h"
#include "runtime/spec/bundle.h"
#include "common/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ------------------------------------------------------------ messages */

const struct rt_oci_globals *oci_G;

static void log_line(const char *level, const char *msg)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *esc = g_strescape(msg, NULL);
	FILE *f;

	if (oci_G == NULL || oci_G->log == NULL || (f = fopen(oci_G->log, "ae")) == NULL)
		return;
	if (oci_G->log_json)
		fprintf(f, "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level, esc, ts);
	else
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", ts, level, esc);
	fclose(f);
}

/* A message on stderr ("corral: " + @prefix + it) and in the log. */
static void say(const char *level, const char *prefix, const char *fmt, va_list ap)
{
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);

	fprintf(stderr, "corral: %s%s\n", prefix, msg);
	log_line(level, msg);
}

int oci_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error", "", fmt, ap);
	va_end(ap);
	return 1;
}

void oci_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning", "warning: ", fmt, ap);
	va_end(ap);
}

int oci_fail_err(GError *e)
{
	int r = oci_fail("%s", e->message);
	g_error_free(e);
	return r;
}

void oci_debug(const char *fmt, ...)
{
	va_list ap;

	if (oci_G == NULL || !oci_G->debug)
		return;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_line("debug", msg);
}


/* Sets the flag @o from --flag (true) or --flag=VALUE (Go's ParseBool,
 * as runc's users write --detach=false); false + message. */
static bool set_flag(const char *cmd, const struct oci_opt *o, const struct rt_opts *r)
{
	int b = r->value ? rt_opts_parse_bool(r->value) : 1;

	if (b < 0) {
		g_autofree char *name = rt_opts_name(r);
		oci_fail("%s: invalid value \"%s\" for flag %s (true or false)", cmd, r->value, name);
		return false;
	}
	*o->flag = b == 1;
	return true;
}

static bool syntax_error(const char *cmd, const struct rt_opts *r, enum rt_opt_event ev)
{
	g_autofree char *name = rt_opts_name(r);

	if (ev == RT_OPT_MISSING)
		oci_fail("%s: %s needs a value", cmd, name);
	else
		oci_fail("%s: unknown option %s", cmd, name);
	return false;
}

/* The names of @opts, as rt_opts reads them. */
static GArray *syntax_table(const struct oci_opt *opts)
{
	GArray *t = g_array_new(true, true, sizeof(struct rt_opt));

	for (; opts->name; opts++) {
		struct rt_opt o = { opts->name, opts->alias, opts->has_value };
		g_array_append_val(t, o);
	}
	return t;
}

/* Options and positional arguments (kept in @pos), in any order, as
 * urfave/cli reorders runc's; false + message. */
bool oci_parse_opts(int argc, char **argv, struct oci_opt *opts, GPtrArray *pos)
{
	g_autoptr(GArray) t = syntax_table(opts);
	g_auto(rt_opts) r = { 0 };
	enum rt_opt_event ev;

	rt_opts_init(&r, t->data, sizeof(struct rt_opt), RT_OPT_GO, true, argc, argv);
	while ((ev = rt_opts_next(&r)) != RT_OPT_END) {
		struct oci_opt *o = r.opt ? &opts[r.opt - (const struct rt_opt *)(void *)t->data] : NULL;

		if (ev == RT_OPT_ARG)
			g_ptr_array_add(pos, (char *)r.value);
		else if (ev != RT_OPT_FOUND)
			return syntax_error(argv[0], &r, ev);
		else if (!o->has_value && !set_flag(argv[0], o, &r))
			return false;
		else if (o->has_value)
			*o->value = r.value;
	}
	for (int i = r.index; i < argc; i++)
		g_ptr_array_add(pos, argv[i]);
	return true;
}

/* Exactly one positional argument, a valid id. */
const char *oci_one_id(const char *cmd, GPtrArray *pos, guint max)
{
	if (pos->len < 1 || pos->len > max) {
		oci_fail("%s: \"%s\" requires %s argument", cmd, cmd,
			 max == 1 ? "exactly 1" : "1 or 2");
		return NULL;
	}
	const char *id = pos->pdata[0];
	bool ok = strcmp(id, ".") && strcmp(id, "..");
	for (const char *p = id; *p && ok; p++)
		ok = g_ascii_isalnum(*p) || strchr("_+-.", *p);
	if (!ok) {
		oci_fail("invalid id format: %s", id);
		return NULL;
	}
	return id;
}

const char *oci_id_arg(int argc, char **argv, struct oci_opt *opts)
{
	g_autoptr(GPtrArray) pos = g_ptr_array_new();

	if (!oci_parse_opts(argc, argv, opts, pos))
		return NULL;
	return oci_one_id(argv[0], pos, 1);
}

/* --------------------------------------------------------------- state */


void oci_state_free(struct oci_state *s)
{
	if (!s)
		return;
	g_free(s->dir);
	g_free(s->id);
	g_free(s->bundle);
	g_free(s->rootfs);
	g_free(s->created);
	g_free(s->oci_version);
	if (s->annotations)
		g_hash_table_unref(s->annotations);
	for (int i = 0; i < s->nparts; i++) {
		g_free((char *)s->parts[i].mountpoint);
		g_free((char *)s->parts[i].path);
	}
	g_free(s);
}

/* Field 22 of /proc/PID/stat (0 if gone), and whether it is a zombie. */
uint64_t oci_proc_start_time(pid_t pid, bool *zombie)
{
	return cg_pid_start_time(pid, zombie);
}

bool oci_state_alive(const struct oci_state *s)
{
	bool zombie;
	uint64_t t = oci_proc_start_time(s->pid, &zombie);

	return t != 0 && t == s->start_time && !zombie;
}

static bool not_running(GError **err, const char *why)
{
	g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "container not running%s", why ? why : "");
	return false;
}

/* The process now at s->pid is the init the state recorded. */
static bool same_init(const struct oci_state *s, GError **err)
{
	bool zombie;
	uint64_t t = oci_proc_start_time(s->pid, &zombie);

	if (t != 0 && t != s->start_time) {
		g_autofree char *why = g_strdup_printf(": pid %d is now another process (started at "
						       "tick %" G_GUINT64_FORMAT ", the init at %"
						       G_GUINT64_FORMAT ")", s->pid, t, s->start_time);
		return not_running(err, why);
	}
	return t != 0 && !zombie ? true : not_running(err, NULL);
}

bool oci_state_signal(const struct oci_state *s, int sig, GError **err)
{
	/* the pidfd first: if the start time then matches, it is the init's */
	autoclose int pidfd = s->pid > 0 ? (int)syscall(SYS_pidfd_open, s->pid, 0) : -1;

	if (s->pid <= 0 || (pidfd < 0 && errno == ESRCH))
		return not_running(err, NULL);
	if (pidfd < 0 && errno != ENOSYS)
		return rt_fail_errno(err, errno, "pidfd_open %d", s->pid);
	if (!same_init(s, err))
		return false;
	long r = pidfd >= 0 ? syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0)
			    : kill(s->pid, sig); /* kernel < 5.3: checked, then racy */
	if (r < 0 && errno == ESRCH)
		return not_running(err, NULL);
	if (r < 0)
		return rt_fail_errno(err, errno, "kill %d", s->pid);
	return true;
}

const char *oci_state_status(const struct oci_state *s)
{
	g_autofree char *fifo = g_build_filename(s->dir, RT_EXEC_FIFO, NULL);

	if (!oci_state_alive(s))
		return "stopped";
	if (access(fifo, F_OK) == 0)
		return "created";
	return oci_state_frozen(s) ? "paused" : "running";
}

void oci_json_str(GString *out, const char *v)
{
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p < 0x20)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (char)*p);
	}
	g_string_append_c(out, '"');
}

char *oci_state_json(const struct oci_state *s, bool private)
{
	const char *status = private ? "created" : oci_state_status(s);

	return oci_state_json_as(s, status, strcmp(status, "stopped") ? s->pid : 0, private);
}

/* @prefix (separator and key), then @v as a JSON string. */
static void json_member(GString *o, const char *prefix, const char *v)
{
	g_string_append(o, prefix);
	oci_json_str(o, v);
}

char *oci_state_json_as(const struct oci_state *s, const char *status, pid_t pid, bool private)
{
	GString *o = g_string_new("{");
	GHashTableIter it;
	gpointer k, v;

	json_member(o, "\"ociVersion\":", s->oci_version);
	json_member(o, ",\"id\":", s->id);
	json_member(o, ",\"status\":", status);
	g_string_append_printf(o, ",\"pid\":%d", pid);
	json_member(o, ",\"bundle\":", s->bundle);
	json_member(o, ",\"rootfs\":", s->rootfs);
	json_member(o, ",\"created\":", s->created);
	g_string_append(o, ",\"owner\":\"\",\"annotations\":{");
	if (s->annotations) {
		bool first = true;
		g_hash_table_iter_init(&it, s->annotations);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			json_member(o, first ? "" : ",", k);
			g_string_append_c(o, ':');
			oci_json_str(o, v);
			first = false;
		}
	}
	g_string_append_c(o, '}');
	if (private) {
		g_string_append_printf(o, ",\"corral\":{\"initStartTime\":%" G_GUINT64_FORMAT
				       ",\"cgroups\":[", s->start_time);
		for (int i = 0; i < s->nparts; i++) {
			json_member(o, i ? ",{\"mountpoint\":" : "{\"mountpoint\":",
				    s->parts[i].mountpoint);
			json_member(o, ",\"path\":", s->parts[i].path);
			g_string_append_printf(o, ",\"created\":%u}", s->parts[i].ncreated);
		}
		g_string_append(o, "]}");
	}
	g_string_append(o, "}");
	return g_string_free(o, FALSE);
}

/* @path written whole or not at all: g_file_set_contents() writes a
 * uniquely named temp file and renames it over @path, so two writers
 * never share a temp file. */
bool oci_write_atomic(const char *path, const char *text, GError **err)
{
	return g_file_set_contents(path, text, -1, err);
}

static const char *str_at(const struct rj_value *v, const char *key)
{
	const struct rj_value *m = rj_get(v, key);

	return m && m->type == RJ_STRING ? m->string : NULL;
}

static int64_t int_at(const struct rj_value *v, const char *key)
{
	const struct rj_value *m = rj_get(v, key);

	return m && m->type == RJ_NUMBER && m->is_int ? m->integer : -1;
}

static void parse_private(struct oci_state *s, const struct rj_value *c)
{
	const struct rj_value *cgs = c ? rj_get(c, "cgroups") : NULL;
	const struct rj_value *t = c ? rj_get(c, "initStartTime") : NULL;

	if (t && t->type == RJ_NUMBER && t->is_uint)
		s->start_time = t->uinteger;
	for (size_t i = 0; cgs && cgs->type == RJ_ARRAY && i < cgs->n && s->nparts < OCI_MAX_PARTS; i++) {
		const char *mp = str_at(&cgs->items[i], "mountpoint");
		const char *p = str_at(&cgs->items[i], "path");
		if (mp && p)
			s->parts[s->nparts++] = (struct rt_cgroup_part){
				g_strdup(mp), g_strdup(p), (unsigned)MAX(int_at(&cgs->items[i], "created"), 0)
			};
	}
}

/* ROOT/ID/state.json; NULL + the runc message when there is none. */
struct oci_state *oci_state_load(const char *id, GError **err)
{
	g_autoptr(oci_state) s = g_new0(struct oci_state, 1);
	g_autofree char *path = NULL, *text = NULL;
	gsize len;

	s->dir = g_build_filename(oci_G->root, id, NULL);
	path = g_build_filename(s->dir, "state.json", NULL);
	if (!g_file_get_contents(path, &text, &len, NULL)) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "container does not exist");
		return NULL;
	}
	g_autoptr(rj_value) v = rj_parse(text, len, err);
	if (!v) {
		g_prefix_error(err, "%s: ", path);
		return NULL;
	}
	s->id = g_strdup(str_at(v, "id"));
	s->bundle = g_strdup(str_at(v, "bundle"));
	s->rootfs = g_strdup(str_at(v, "rootfs"));
	s->created = g_strdup(str_at(v, "created"));
	s->oci_version = g_strdup(str_at(v, "ociVersion"));
	s->pid = (pid_t)int_at(v, "pid");
	const struct rj_value *a = rj_get(v, "annotations");
	s->annotations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (size_t i = 0; a && a->type == RJ_OBJECT && i < a->n; i++)
		if (a->members[i].value.type == RJ_STRING)
			g_hash_table_replace(s->annotations, g_strdup(a->members[i].key),
					     g_strdup(a->members[i].value.string));
	parse_private(s, rj_get(v, "corral"));
	return g_steal_pointer(&s);
}

/* Remove ROOT/ID and what it holds (state.json, exec.fifo, temp files). */
void oci_state_dir_remove(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *f = g_build_filename(dir, name, NULL);
		unlink(f);
	}
	rmdir(dir);
}

/* The container's cgroup removed (what is left in it killed). */
struct rt_cgroup *oci_state_cgroup(const struct oci_state *s, struct cg_layout *l, GError **err)
{
	if (s->nparts == 0) {
		g_set_error(err, RT_ERROR, RT_ERROR_CGROUP, "container %s has no cgroup", s->id);
		return NULL;
	}
	if (!cg_layout_open(l, err))
		return NULL;
	struct rt_cgroup *cg = rt_cgroup_reopen(l, s->parts, s->nparts, err);
	if (cg == NULL)
		cg_layout_close(l);
	return cg;
}

bool oci_state_destroy_cgroup(const struct oci_state *s, GError **err)
{
	struct cg_layout l;

	if (s->nparts == 0)
		return true;
	struct rt_cgroup *cg = oci_state_cgroup(s, &l, err);
	if (cg == NULL)
		return false;
	bool ok = rt_cgroup_destroy(cg, err);
	cg_layout_close(&l);
	return ok;
}

bool oci_state_save_config(const char *dir, const char *bundle, GError **err)
{
	g_autofree char *src = g_build_filename(bundle, "config.json", NULL);
	g_autofree char *dst = g_build_filename(dir, "config.json", NULL);
	g_autofree char *text = NULL;

	return g_file_get_contents(src, &text, NULL, err) && oci_write_atomic(dst, text, err);
}

struct rt_spec *oci_state_config(const struct oci_state *s, GError **err)
{
	g_autofree char *path = g_build_filename(s->dir, "config.json", NULL);
	g_autofree char *text = NULL;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return rt_oci_load(s->bundle, err); /* made by a corral that kept none */
	struct rt_spec *spec = rt_oci_parse(text, len, s->bundle, err);
	if (spec == NULL)
		g_prefix_error(err, "%s: ", path);
	return spec;
}

void oci_state_hooks(const struct oci_state *s, enum rt_hook_stage stage, const char *status)
{
	g_autoptr(GError) e = NULL;
	g_autoptr(rt_spec) spec = oci_state_config(s, &e);

	if (spec == NULL) {
		oci_debug("no hooks run for %s: %s", s->id, e->message);
		return;
	}
	if (!rt_hooks_any(&spec->hooks, stage))
		return;
	g_autofree char *state = oci_state_json_as(s, status, s->pid, false);
	if (!rt_hooks_run(&spec->hooks, stage, state, &e))
		oci_warn("%s", e->message);
}
