/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runc-compatible life cycle: create, start, run, state, kill,
 * delete, list.  `create` builds the container up to its exec and leaves
 * the init blocked opening ROOT/ID/exec.fifo for writing (container.c);
 * `start` opens it for reading, which lets the init exec.  The status is
 * never stored, it is computed: stopped when the recorded pid is gone, a
 * zombie, or another process (its start time differs); created while the
 * fifo exists; running otherwise.
 */
#include "runtime/oci-cli.h"
#include "runtime/cgroups.h"
#include "runtime/internal.h"
#include "runtime/json.h"
#include "runtime/oci.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_PARTS 20

/* ------------------------------------------------------------ messages */

static const struct rt_oci_globals *G;

static void log_line(const char *level, const char *msg)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *esc = g_strescape(msg, NULL);
	FILE *f;

	if (G == NULL || G->log == NULL || (f = fopen(G->log, "ae")) == NULL)
		return;
	if (G->log_json)
		fprintf(f, "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level, esc, ts);
	else
		fprintf(f, "time=\"%s\" level=%s msg=\"%s\"\n", ts, level, esc);
	fclose(f);
}

static int oci_fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int oci_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "corral: %s\n", msg);
	log_line("error", msg);
	return 1;
}

static int fail_err(GError *e)
{
	int r = oci_fail("%s", e->message);
	g_error_free(e);
	return r;
}

static void debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void debug(const char *fmt, ...)
{
	va_list ap;

	if (G == NULL || !G->debug)
		return;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	log_line("debug", msg);
}

/* ------------------------------------------------------------- options */

int rt_oci_parse_globals(int argc, char **argv, struct rt_oci_globals *g, GError **err)
{
	*g = (struct rt_oci_globals){ .root = RT_OCI_DEFAULT_ROOT };
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		g_autofree char *name = eq ? g_strndup(a, (gsize)(eq - a)) : g_strdup(a);
		const char **slot = NULL;

		if (!strcmp(name, "--root"))
			slot = &g->root;
		else if (!strcmp(name, "--log"))
			slot = &g->log;
		else if (!strcmp(name, "--log-format")) {
			const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : "");
			if (strcmp(v, "text") && strcmp(v, "json")) {
				g_set_error(err, RT_ERROR, RT_ERROR_USAGE,
					    "--log-format: expected text or json, got '%s'", v);
				return -1;
			}
			g->log_json = !strcmp(v, "json");
		} else if (!strcmp(a, "--debug"))
			g->debug = true;
		else if (!strcmp(a, "--systemd-cgroup"))
			g->systemd_cgroup = true;
		else
			break; /* --help, --version, or the docker-style world */
		if (slot && !eq && i + 1 >= argc) {
			g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: needs a value", name);
			return -1;
		}
		if (slot)
			*slot = eq ? eq + 1 : argv[++i];
		g->given = true;
	}
	return i;
}

static const char *const commands[] = { "create", "start", "state", "kill", "delete", "list",
					NULL };

bool rt_oci_is_command(const char *cmd)
{
	return g_strv_contains(commands, cmd);
}

static const char *const oci_run_flags[] = { "--bundle", "-b", "--detach", "-d", "--pid-file",
					     "--console-socket", "--no-new-keyring",
					     "--preserve-fds", "--keep", NULL };

static bool is_oci_run_flag(const char *a)
{
	g_autofree char *name = g_strndup(a, strcspn(a, "="));

	return g_strv_contains(oci_run_flags, name);
}

bool rt_oci_run_is_oci(int argc, char **argv, const struct rt_oci_globals *g)
{
	if (g->given)
		return true;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (is_oci_run_flag(argv[i]))
			return true;
	return argc == 2 && argv[1][0] != '-' && access("config.json", F_OK) == 0;
}

/* The command's own options: a tiny table-driven parser. */
struct opt {
	const char *name, *alias;
	bool has_value;
	const char **value; /* has_value */
	bool *flag;         /* !has_value */
};

/* Options then positional arguments (kept in @pos); false + message. */
static bool parse_opts(int argc, char **argv, struct opt *opts, GPtrArray *pos)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		if (a[0] != '-' || !a[1]) {
			g_ptr_array_add(pos, (char *)a);
			continue;
		}
		if (!strcmp(a, "--")) {
			while (++i < argc)
				g_ptr_array_add(pos, argv[i]);
			break;
		}
		g_autofree char *name = eq ? g_strndup(a, (gsize)(eq - a)) : g_strdup(a);
		struct opt *o = opts;
		while (o->name && strcmp(o->name, name) && g_strcmp0(o->alias, name))
			o++;
		if (!o->name) {
			oci_fail("%s: unknown option %s", argv[0], name);
			return false;
		}
		if (!o->has_value) {
			*o->flag = true;
			continue;
		}
		if (!eq && i + 1 >= argc) {
			oci_fail("%s: %s needs a value", argv[0], name);
			return false;
		}
		*o->value = eq ? eq + 1 : argv[++i];
	}
	return true;
}

/* Exactly one positional argument, a valid id. */
static const char *one_id(const char *cmd, GPtrArray *pos, guint max)
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

/* --------------------------------------------------------------- state */

struct state {
	char *dir;            /* ROOT/ID */
	char *id, *bundle, *rootfs, *created, *oci_version;
	pid_t pid;
	uint64_t start_time;  /* the init's, in clock ticks after boot */
	GHashTable *annotations;
	int nparts;
	struct rt_cgroup_part parts[MAX_PARTS]; /* strings owned here */
};

static void state_free(struct state *s)
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
typedef struct state state;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(state, state_free)

/* Field 22 of /proc/PID/stat (0 if gone), and whether it is a zombie. */
static uint64_t proc_start_time(pid_t pid, bool *zombie)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", pid);
	g_autofree char *text = NULL;
	uint64_t t = 0;

	*zombie = false;
	if (pid <= 0 || !g_file_get_contents(path, &text, NULL, NULL))
		return 0;
	const char *p = strrchr(text, ')'); /* comm may hold spaces */
	if (p == NULL || p[1] != ' ')
		return 0;
	*zombie = p[2] == 'Z' || p[2] == 'X';
	g_auto(GStrv) f = g_strsplit(p + 2, " ", 0);
	/* f[0] is field 3 (state): field 22 is f[19] */
	if (g_strv_length(f) > 19)
		t = g_ascii_strtoull(f[19], NULL, 10);
	return t;
}

static bool state_alive(const struct state *s)
{
	bool zombie;
	uint64_t t = proc_start_time(s->pid, &zombie);

	return t != 0 && t == s->start_time && !zombie;
}

static const char *state_status(const struct state *s)
{
	g_autofree char *fifo = g_build_filename(s->dir, RT_EXEC_FIFO, NULL);

	if (!state_alive(s))
		return "stopped";
	return access(fifo, F_OK) == 0 ? "created" : "running";
}

static void json_str(GString *out, const char *v)
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

/* The OCI state (with corral's private part when @private). */
static char *state_json(const struct state *s, bool private)
{
	GString *o = g_string_new("{\"ociVersion\":");
	const char *status = state_status(s);
	GHashTableIter it;
	gpointer k, v;

	json_str(o, s->oci_version);
	g_string_append(o, ",\"id\":");
	json_str(o, s->id);
	g_string_append(o, ",\"status\":");
	json_str(o, private ? "created" : status);
	g_string_append_printf(o, ",\"pid\":%d,\"bundle\":",
			       private || strcmp(status, "stopped") ? s->pid : 0);
	json_str(o, s->bundle);
	g_string_append(o, ",\"rootfs\":");
	json_str(o, s->rootfs);
	g_string_append(o, ",\"created\":");
	json_str(o, s->created);
	g_string_append(o, ",\"owner\":\"\",\"annotations\":{");
	if (s->annotations) {
		bool first = true;
		g_hash_table_iter_init(&it, s->annotations);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			g_string_append(o, first ? "" : ",");
			json_str(o, k);
			g_string_append_c(o, ':');
			json_str(o, v);
			first = false;
		}
	}
	g_string_append_c(o, '}');
	if (private) {
		g_string_append_printf(o, ",\"corral\":{\"initStartTime\":%" G_GUINT64_FORMAT
				       ",\"cgroups\":[", s->start_time);
		for (int i = 0; i < s->nparts; i++) {
			g_string_append(o, i ? ",{\"mountpoint\":" : "{\"mountpoint\":");
			json_str(o, s->parts[i].mountpoint);
			g_string_append(o, ",\"path\":");
			json_str(o, s->parts[i].path);
			g_string_append_printf(o, ",\"created\":%u}", s->parts[i].ncreated);
		}
		g_string_append(o, "]}");
	}
	g_string_append(o, "}");
	return g_string_free(o, FALSE);
}

/* @path written whole or not at all (a temp file renamed over it). */
static bool write_atomic(const char *path, const char *text, GError **err)
{
	g_autofree char *tmp = g_strconcat(path, ".tmp", NULL);

	if (!g_file_set_contents(tmp, text, -1, err))
		return false;
	if (rename(tmp, path) == 0)
		return true;
	int e = errno;
	unlink(tmp);
	return rt_fail_errno(err, e, "renaming %s to %s", tmp, path);
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

static void parse_private(struct state *s, const struct rj_value *c)
{
	const struct rj_value *cgs = c ? rj_get(c, "cgroups") : NULL;
	const struct rj_value *t = c ? rj_get(c, "initStartTime") : NULL;

	if (t && t->type == RJ_NUMBER && t->is_uint)
		s->start_time = t->uinteger;
	for (size_t i = 0; cgs && cgs->type == RJ_ARRAY && i < cgs->n && s->nparts < MAX_PARTS; i++) {
		const char *mp = str_at(cgs->items[i], "mountpoint");
		const char *p = str_at(cgs->items[i], "path");
		if (mp && p)
			s->parts[s->nparts++] = (struct rt_cgroup_part){
				g_strdup(mp), g_strdup(p), (unsigned)MAX(int_at(cgs->items[i], "created"), 0)
			};
	}
}

/* ROOT/ID/state.json; NULL + the runc message when there is none. */
static struct state *state_load(const char *id, GError **err)
{
	g_autoptr(state) s = g_new0(struct state, 1);
	g_autofree char *path = NULL, *text = NULL;
	gsize len;

	s->dir = g_build_filename(G->root, id, NULL);
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
		if (a->items[i]->type == RJ_STRING)
			g_hash_table_replace(s->annotations, g_strdup(a->keys[i]),
					     g_strdup(a->items[i]->string));
	parse_private(s, rj_get(v, "corral"));
	return g_steal_pointer(&s);
}

/* Remove ROOT/ID and what it holds (state.json, exec.fifo, temp files). */
static void state_dir_remove(const char *dir)
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
static bool state_destroy_cgroup(const struct state *s, GError **err)
{
	struct cg_layout l;

	if (s->nparts == 0)
		return true;
	if (!cg_layout_open_mountinfo(&l, err))
		return false;
	struct rt_cgroup *cg = rt_cgroup_reopen(&l, s->parts, s->nparts, err);
	bool ok = cg && rt_cgroup_destroy(cg, err);
	cg_layout_close(&l);
	return ok;
}

/* ------------------------------------------------------------- create */

enum create_mode { MODE_CREATE, MODE_RUN_DETACHED, MODE_RUN };

struct create_opts {
	const char *id, *bundle, *pid_file;
	enum create_mode mode;
};

/* What a create in progress owns: removed again on failure. */
struct creating {
	char *dir;
	int dirfd;
	struct cg_layout layout;
	bool layout_open;
	struct rt_cgroup *cg;
	struct rt_container *c;
	struct rt_spec *spec;
	struct state *s;
};

static void creating_undo(struct creating *k)
{
	rt_container_free(k->c);   /* kills the init */
	k->c = NULL;
	if (k->cg)
		(void)rt_cgroup_destroy(k->cg, NULL);
	k->cg = NULL;
	if (k->dir)
		state_dir_remove(k->dir);
}

static void creating_clear(struct creating *k)
{
	if (k->layout_open)
		cg_layout_close(&k->layout);
	if (k->dirfd >= 0)
		close(k->dirfd);
	rt_spec_free(k->spec);
	/* the parts point into k->cg (gone by now): do not free them */
	if (k->s)
		k->s->nparts = 0;
	state_free(k->s);
	g_free(k->dir);
}

static bool make_state_dir(struct creating *k, const struct create_opts *o, GError **err)
{
	if (g_mkdir_with_parents(G->root, 0711) < 0)
		return rt_fail_errno(err, errno, "creating the state directory %s", G->root);
	g_autofree char *dir = g_build_filename(G->root, o->id, NULL);
	if (mkdir(dir, 0711) < 0) {
		if (errno == EEXIST) {
			g_set_error(err, RT_ERROR, RT_ERROR_USAGE,
				    "container with given ID already exists: %s", o->id);
			return false;
		}
		return rt_fail_errno(err, errno, "creating %s", dir);
	}
	k->dir = g_steal_pointer(&dir);
	k->dirfd = open(k->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (k->dirfd < 0)
		return rt_fail_errno(err, errno, "opening %s", k->dir);
	if (o->mode == MODE_RUN)
		return true;
	g_autofree char *fifo = g_build_filename(k->dir, RT_EXEC_FIFO, NULL);
	if (mkfifo(fifo, 0622) < 0 || chmod(fifo, 0622) < 0)
		return rt_fail_errno(err, errno, "creating %s", fifo);
	return true;
}

static bool load_spec(struct creating *k, const struct create_opts *o, GError **err)
{
	k->spec = rt_oci_load(o->bundle, err);
	if (!k->spec)
		return false;
	if (k->spec->process.terminal && o->mode != MODE_RUN) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE,
			    "cannot allocate tty if corral will detach without setting console "
			    "socket (not supported yet)");
		return false;
	}
	g_free(k->spec->name);
	k->spec->name = g_strdup(o->id);
	k->spec->process.stdin_open = true; /* stdio is the caller's, as runc passes it */
	return true;
}

static bool build_container(struct creating *k, const struct create_opts *o, GError **err)
{
	g_autofree char *fallback = g_strdup_printf("corral/%s", o->id);
	const char *path = k->spec->linux.cgroups_path ? k->spec->linux.cgroups_path : fallback;

	if (!cg_layout_open_mountinfo(&k->layout, err))
		return false;
	k->layout_open = true;
	if (!(k->cg = rt_cgroup_create(&k->layout, path, err)) ||
	    !rt_cgroup_apply(k->cg, &k->spec->linux.resources, err))
		return false;
	k->c = rt_container_create_waiting(k->spec, o->mode == MODE_RUN ? -1 : k->dirfd, err);
	return k->c && rt_cgroup_attach(k->cg, rt_container_pid(k->c), err) &&
	       rt_container_start(k->c, err);
}

static bool write_state(struct creating *k, const struct create_opts *o, GError **err)
{
	struct state *s = k->s = g_new0(struct state, 1);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	bool zombie;

	s->dir = g_strdup(k->dir);
	s->id = g_strdup(o->id);
	s->bundle = g_canonicalize_filename(o->bundle, NULL);
	s->rootfs = g_strdup(k->spec->root.path);
	s->created = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");
	s->oci_version = g_strdup(k->spec->oci_version ? k->spec->oci_version : "1.0.2");
	s->pid = rt_container_pid(k->c);
	s->start_time = proc_start_time(s->pid, &zombie);
	if (k->spec->annotations)
		s->annotations = g_hash_table_ref(k->spec->annotations);
	s->nparts = rt_cgroup_parts(k->cg, s->parts, MAX_PARTS);
	g_autofree char *json = state_json(s, true);
	g_autofree char *path = g_build_filename(k->dir, "state.json", NULL);
	if (!write_atomic(path, json, err))
		return false;
	if (o->pid_file == NULL)
		return true;
	g_autofree char *pid = g_strdup_printf("%d", s->pid);
	g_autofree char *pf = g_canonicalize_filename(o->pid_file, NULL);
	return write_atomic(pf, pid, err);
}

static int do_start(const char *id);

/* MODE_RUN: wait for the end, then remove everything. */
static int run_to_end(struct creating *k)
{
	GError *e = NULL;
	int status = rt_container_wait(k->c);

	rt_container_free(k->c);
	k->c = NULL;
	if (!rt_cgroup_destroy(k->cg, &e)) {
		k->cg = NULL;
		creating_undo(k);
		return fail_err(e);
	}
	k->cg = NULL;
	creating_undo(k);
	return status;
}

static int do_create(const struct create_opts *o)
{
	struct creating k = { .dirfd = -1 };
	GError *e = NULL;
	int status = 0;

	if (!load_spec(&k, o, &e) || !make_state_dir(&k, o, &e) || !build_container(&k, o, &e) ||
	    !write_state(&k, o, &e)) {
		creating_undo(&k);
		creating_clear(&k);
		return fail_err(e);
	}
	debug("container %s created, init pid %d", o->id, rt_container_pid(k.c));
	if (o->mode == MODE_RUN) {
		status = run_to_end(&k);
		creating_clear(&k);
		return status;
	}
	rt_container_detach(k.c);
	k.c = NULL;
	rt_cgroup_close(k.cg);
	k.cg = NULL;
	creating_clear(&k);
	return o->mode == MODE_RUN_DETACHED ? do_start(o->id) : 0;
}

static int cmd_create(int argc, char **argv, enum create_mode mode)
{
	struct create_opts o = { .bundle = ".", .mode = mode };
	const char *console = NULL, *preserve = NULL;
	bool detach = false, no_keyring = false, keep = false;
	struct opt opts[] = {
		{ "--bundle", "-b", true, &o.bundle, NULL },
		{ "--pid-file", NULL, true, &o.pid_file, NULL },
		{ "--console-socket", NULL, true, &console, NULL },
		{ "--preserve-fds", NULL, true, &preserve, NULL },
		{ "--no-new-keyring", NULL, false, NULL, &no_keyring },
		{ "--detach", "-d", false, NULL, &detach },
		{ "--keep", NULL, false, NULL, &keep },
		{ NULL, NULL, false, NULL, NULL },
	};
	g_autoptr(GPtrArray) pos = g_ptr_array_new();

	if (!parse_opts(argc, argv, opts, pos) || !(o.id = one_id(argv[0], pos, 1)))
		return 1;
	if (console)
		return oci_fail("--console-socket is not supported yet");
	if (preserve && strcmp(preserve, "0"))
		return oci_fail("--preserve-fds is not supported yet");
	if (mode == MODE_CREATE && (detach || keep))
		return oci_fail("create: unknown option %s", detach ? "--detach" : "--keep");
	if (mode == MODE_RUN && detach)
		o.mode = MODE_RUN_DETACHED;
	return do_create(&o);
}

/* -------------------------------------------------------------- start */

/* Open the fifo, read the init's byte (it then execs), remove the fifo.
 * The init's end is watched: a dead init is an error, not a hang. */
static bool release_init(const struct state *s, GError **err)
{
	g_autofree char *fifo = g_build_filename(s->dir, RT_EXEC_FIFO, NULL);
	autoclose int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char b;

	if (fd < 0)
		return rt_fail_errno(err, errno, "opening %s", fifo);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, 100);
		if (r > 0 && read(fd, &b, 1) == 1)
			break;
		if (r < 0 && errno != EINTR)
			return rt_fail_errno(err, errno, "waiting on %s", fifo);
		if (!state_alive(s)) {
			g_set_error(err, RT_ERROR, RT_ERROR_SETUP,
				    "the container's init ended before it was started");
			return false;
		}
	}
	unlink(fifo);
	return true;
}

static int do_start(const char *id)
{
	GError *e = NULL;
	g_autoptr(state) s = state_load(id, &e);

	if (!s)
		return fail_err(e);
	const char *status = state_status(s);
	if (!strcmp(status, "stopped"))
		return oci_fail("cannot start a container that has stopped");
	if (!strcmp(status, "running"))
		return oci_fail("cannot start an already running container");
	if (!release_init(s, &e))
		return fail_err(e);
	debug("container %s started", id);
	return 0;
}

static int cmd_start(int argc, char **argv)
{
	struct opt opts[] = { { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	const char *id;

	if (!parse_opts(argc, argv, opts, pos) || !(id = one_id(argv[0], pos, 1)))
		return 1;
	return do_start(id);
}

/* -------------------------------------------------------------- state */

static int cmd_state(int argc, char **argv)
{
	struct opt opts[] = { { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	const char *id;
	GError *e = NULL;

	if (!parse_opts(argc, argv, opts, pos) || !(id = one_id(argv[0], pos, 1)))
		return 1;
	g_autoptr(state) s = state_load(id, &e);
	if (!s)
		return fail_err(e);
	g_autofree char *json = state_json(s, false);
	printf("%s\n", json);
	return 0;
}

/* --------------------------------------------------------------- kill */

static int parse_signal(const char *text)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
		{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
		{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
		{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
		{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },
		{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
		{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
		{ "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL },
		{ "PWR", SIGPWR }, { "SYS", SIGSYS },
	};
	char *end;
	long n = strtol(text, &end, 10);

	if (*text && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	const char *name = g_ascii_strncasecmp(text, "SIG", 3) ? text : text + 3;
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (!g_ascii_strcasecmp(name, names[i].name))
			return names[i].sig;
	return -1;
}

/* --all: every process of the container's cgroup (its first hierarchy). */
static int kill_all(const struct state *s, int sig)
{
	if (s->nparts == 0)
		return oci_fail("the container has no cgroup to signal");
	g_autofree char *procs = g_build_filename(s->parts[0].mountpoint, s->parts[0].path,
						  "cgroup.procs", NULL);
	g_autofree char *text = NULL;
	GError *e = NULL;
	if (!g_file_get_contents(procs, &text, NULL, &e))
		return fail_err(e);
	g_auto(GStrv) pids = g_strsplit(text, "\n", -1);
	for (char **p = pids; *p; p++)
		if (**p)
			(void)kill((pid_t)atoi(*p), sig);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	bool all = false;
	struct opt opts[] = { { "--all", "-a", false, NULL, &all }, { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	const char *id;
	GError *e = NULL;

	if (!parse_opts(argc, argv, opts, pos) || !(id = one_id(argv[0], pos, 2)))
		return 1;
	int sig = pos->len > 1 ? parse_signal(pos->pdata[1]) : SIGTERM;
	if (sig < 0)
		return oci_fail("invalid signal: %s", (char *)pos->pdata[1]);
	g_autoptr(state) s = state_load(id, &e);
	if (!s)
		return fail_err(e);
	if (!state_alive(s))
		return oci_fail("container not running");
	if (all)
		return kill_all(s, sig);
	if (kill(s->pid, sig) < 0)
		return oci_fail("kill %d: %s", s->pid, g_strerror(errno));
	return 0;
}

/* ------------------------------------------------------------- delete */

static int cmd_delete(int argc, char **argv)
{
	bool force = false;
	struct opt opts[] = { { "--force", "-f", false, NULL, &force },
			      { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	const char *id;
	GError *e = NULL;

	if (!parse_opts(argc, argv, opts, pos) || !(id = one_id(argv[0], pos, 1)))
		return 1;
	g_autoptr(state) s = state_load(id, &e);
	if (!s) {
		if (force && g_error_matches(e, RT_ERROR, RT_ERROR_USAGE)) {
			g_error_free(e);
			return 0; /* runc: --force on a missing container is fine */
		}
		return fail_err(e);
	}
	const char *status = state_status(s);
	/* like runc, a created container (never started) is killed without --force */
	if (!strcmp(status, "running") && !force)
		return oci_fail("cannot delete container %s that is not stopped: %s", id, status);
	if (strcmp(status, "stopped"))
		(void)kill(s->pid, SIGKILL);
	if (!state_destroy_cgroup(s, &e))
		return fail_err(e);
	state_dir_remove(s->dir);
	debug("container %s deleted", id);
	return 0;
}

/* --------------------------------------------------------------- list */

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_list(int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false;
	struct opt opts[] = { { "--format", "-f", true, &format, NULL },
			      { "--quiet", "-q", false, NULL, &quiet },
			      { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);

	if (!parse_opts(argc, argv, opts, pos))
		return 1;
	if (pos->len)
		return oci_fail("list: no arguments expected");
	if (strcmp(format, "table") && strcmp(format, "json"))
		return oci_fail("invalid format option: %s", format);
	g_autoptr(GDir) d = g_dir_open(G->root, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d)))
		g_ptr_array_add(ids, g_strdup(name));
	g_ptr_array_sort(ids, by_name);
	bool json = !strcmp(format, "json"), first = true;
	if (json)
		fputs("[", stdout);
	else if (!quiet)
		printf("%-12s%-12s%-12s%-40s%-32s%s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
		       "OWNER");
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr(state) s = state_load(ids->pdata[i], NULL);
		if (!s)
			continue;
		if (quiet && !json) {
			printf("%s\n", s->id);
			continue;
		}
		if (json) {
			g_autofree char *j = state_json(s, false);
			printf("%s%s", first ? "" : ",", j);
			first = false;
			continue;
		}
		const char *st = state_status(s);
		printf("%-12s%-12d%-12s%-40s%-32s%s\n", s->id, strcmp(st, "stopped") ? s->pid : 0, st,
		       s->bundle, s->created, "root");
	}
	if (json)
		puts("]");
	return 0;
}

/* --------------------------------------------------------------- main */

int rt_oci_main(const struct rt_oci_globals *g, int argc, char **argv)
{
	const char *cmd = argv[0];

	G = g;
	if (g->systemd_cgroup)
		return oci_fail("systemd cgroup driver is not supported (use the cgroupfs driver, "
				"without --systemd-cgroup)");
	debug("%s", cmd);
	if (!strcmp(cmd, "create"))
		return cmd_create(argc, argv, MODE_CREATE);
	if (!strcmp(cmd, "run"))
		return cmd_create(argc, argv, MODE_RUN);
	if (!strcmp(cmd, "start"))
		return cmd_start(argc, argv);
	if (!strcmp(cmd, "state"))
		return cmd_state(argc, argv);
	if (!strcmp(cmd, "kill"))
		return cmd_kill(argc, argv);
	if (!strcmp(cmd, "delete"))
		return cmd_delete(argc, argv);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc, argv);
	return oci_fail("unknown command '%s'", cmd);
}
