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
#include "runtime/oci/state.h"
#include "runtime/spec/bundle.h"
#include "common/options.h"

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

/* ------------------------------------------------------------- options */

enum global { G_ROOT, G_LOG, G_LOG_FORMAT, G_DEBUG, G_SYSTEMD_CGROUP };

static const struct rt_opt globals[] = {
	[G_ROOT] = { "--root", NULL, true },
	[G_LOG] = { "--log", NULL, true },
	[G_LOG_FORMAT] = { "--log-format", NULL, true },
	[G_DEBUG] = { "--debug", NULL, false },
	[G_SYSTEMD_CGROUP] = { "--systemd-cgroup", NULL, false },
	{ NULL, NULL, false },
};

static bool set_global(struct rt_oci_globals *g, enum global which, const char *v, GError **err)
{
	switch (which) {
	case G_ROOT:
		g->root = v;
		break;
	case G_LOG:
		g->log = v;
		break;
	case G_LOG_FORMAT:
		if (strcmp(v, "text") && strcmp(v, "json")) {
			g_set_error(err, RT_ERROR, RT_ERROR_USAGE,
				    "--log-format: expected text or json, got '%s'", v);
			return false;
		}
		g->log_json = !strcmp(v, "json");
		break;
	case G_DEBUG:
		g->debug = true;
		break;
	case G_SYSTEMD_CGROUP:
		g->systemd_cgroup = true;
		break;
	}
	g->given = true;
	return true;
}

int rt_oci_parse_globals(int argc, char **argv, struct rt_oci_globals *g, GError **err)
{
	g_auto(rt_opts) r = { 0 };

	*g = (struct rt_oci_globals){ .root = RT_OCI_DEFAULT_ROOT };
	rt_opts_init(&r, globals, sizeof globals[0], RT_OPT_GNU, false, argc, argv);
	for (;;) {
		switch (rt_opts_next(&r)) {
		case RT_OPT_FOUND:
			if (!set_global(g, (enum global)(r.opt - globals), r.value, err))
				return -1;
			break;
		case RT_OPT_MISSING:
			if (r.opt == &globals[G_LOG_FORMAT])
				set_global(g, G_LOG_FORMAT, "", err);
			else
				g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: needs a value",
					    r.opt->name);
			return -1;
		case RT_OPT_END: /* "--" is left for the caller to refuse */
			return r.dashdash ? r.at : r.index;
		default: /* --help, --version, or the docker-style world */
			return r.at;
		}
	}
}

static const char *const commands[] = { "create", "start", "state", "kill", "delete", "list",
					"exec", "pause", "resume", "update", "ps", "spec",
					"features", NULL };

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

/* ------------------------------------------------------------- create */

enum create_mode { MODE_CREATE, MODE_RUN_DETACHED, MODE_RUN };

struct create_opts {
	const char *id, *bundle, *pid_file, *console_socket;
	int preserve_fds;
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
	struct oci_state *s;
	struct rt_oci_opts oci;
	char *bundle;       /* absolute */
};

static void creating_undo(struct creating *k)
{
	rt_container_free(k->c);   /* kills the init */
	k->c = NULL;
	if (k->cg)
		(void)rt_cgroup_destroy(k->cg, NULL);
	k->cg = NULL;
	if (k->dir)
		oci_state_dir_remove(k->dir);
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
	oci_state_free(k->s);
	g_free(k->dir);
	g_free(k->bundle);
}

static bool make_state_dir(struct creating *k, const struct create_opts *o, GError **err)
{
	if (g_mkdir_with_parents(oci_G->root, 0711) < 0)
		return rt_fail_errno(err, errno, "creating the state directory %s", oci_G->root);
	g_autofree char *dir = g_build_filename(oci_G->root, o->id, NULL);
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

/* The corralfs views, from RT_VIEWS_DEFAULT_PATH or the path the
 * annotation org.corral.views names, unless it says "false".  Where
 * corralfs is not mounted: the plain files, and a debug line, not a
 * warning (runc's callers take stderr for failure output). */
static void oci_views(struct rt_spec *s)
{
	const char *a = s->annotations ? g_hash_table_lookup(s->annotations, RT_VIEWS_ANNOTATION)
				       : NULL;

	g_free(s->views.path);
	s->views.path = g_strdup(a && a[0] == '/' ? a : RT_VIEWS_DEFAULT_PATH);
	s->views.enabled = g_strcmp0(a, "false") != 0 && rt_views_live(s->views.path);
	if (g_strcmp0(a, "false") != 0 && !s->views.enabled)
		oci_debug("corralfs is not mounted at %s: plain /proc files", s->views.path);
}

static bool load_spec(struct creating *k, const struct create_opts *o, GError **err)
{
	k->spec = rt_oci_load(o->bundle, err);
	if (!k->spec)
		return false;
	struct rt_spec *s = k->spec;
	if (s->process.terminal && o->mode != MODE_RUN && o->console_socket == NULL) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE,
			    "cannot allocate tty if corral will detach without setting console socket");
		return false;
	}
	if (!s->process.terminal && o->console_socket != NULL) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE,
			    "cannot use console socket if corral will not detach or allocate tty");
		return false;
	}
	g_free(s->name);
	s->name = g_strdup(o->id);
	s->process.stdin_open = true; /* stdio is the caller's, as runc passes it */
	if (s->process.env == NULL)
		s->process.env = g_new0(char *, 1); /* none given: an empty environment */
	k->bundle = g_canonicalize_filename(o->bundle, NULL);
	rt_spec_allow_default_devices(&s->linux.resources);
	oci_views(s);
	return true;
}

/* The state the hooks of a container being created get. */
static char *hook_state_json(void *data, pid_t pid, const char *status)
{
	struct creating *k = data;
	struct oci_state s = {
		.id = k->spec->name, .bundle = k->bundle, .rootfs = k->spec->root.path,
		.oci_version = k->spec->oci_version ? k->spec->oci_version : "1.0.2",
		.annotations = k->spec->annotations,
	};

	return oci_state_json_as(&s, status, pid, false);
}

static bool build_container(struct creating *k, const struct create_opts *o, GError **err)
{
	g_autofree char *fallback = g_strdup_printf("corral/%s", o->id);
	const char *path = k->spec->linux.cgroups_path ? k->spec->linux.cgroups_path : fallback;

	if (!cg_layout_open(&k->layout, err))
		return false;
	k->layout_open = true;
	if (!(k->cg = rt_cgroup_create(&k->layout, path, err)) ||
	    !rt_cgroup_apply(k->cg, &k->spec->linux.resources, err))
		return false;
	k->oci = (struct rt_oci_opts){
		.state_dirfd = o->mode == MODE_RUN ? -1 : k->dirfd,
		.console_socket = o->console_socket,
		.preserve_fds = o->preserve_fds,
		.state_json = hook_state_json,
		.data = k,
	};
	k->c = rt_container_create_oci(k->spec, &k->oci, err);
	return k->c && rt_cgroup_attach(k->cg, rt_container_pid(k->c), err) &&
	       rt_container_start(k->c, err);
}

static bool write_state(struct creating *k, const struct create_opts *o, GError **err)
{
	struct oci_state *s = k->s = g_new0(struct oci_state, 1);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	bool zombie;

	s->dir = g_strdup(k->dir);
	s->id = g_strdup(o->id);
	s->bundle = g_strdup(k->bundle);
	s->rootfs = g_strdup(k->spec->root.path);
	s->created = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");
	s->oci_version = g_strdup(k->spec->oci_version ? k->spec->oci_version : "1.0.2");
	s->pid = rt_container_pid(k->c);
	s->start_time = oci_proc_start_time(s->pid, &zombie);
	if (k->spec->annotations)
		s->annotations = g_hash_table_ref(k->spec->annotations);
	s->nparts = rt_cgroup_parts(k->cg, s->parts, OCI_MAX_PARTS);
	g_autofree char *json = oci_state_json(s, true);
	g_autofree char *path = g_build_filename(k->dir, "state.json", NULL);
	if (!oci_state_save_config(k->dir, k->bundle, err) || !oci_write_atomic(path, json, err))
		return false;
	if (o->pid_file == NULL)
		return true;
	g_autofree char *pid = g_strdup_printf("%d", s->pid);
	g_autofree char *pf = g_canonicalize_filename(o->pid_file, NULL);
	return oci_write_atomic(pf, pid, err);
}

static int do_start(const char *id);

/* MODE_RUN: wait for the end, then remove everything. */
/* poststart and poststop of `corral run`: failures are warnings. */
static void run_hooks(struct creating *k, enum rt_hook_stage stage, pid_t pid,
		      const char *status)
{
	g_autoptr(GError) e = NULL;

	if (!rt_hooks_any(&k->spec->hooks, stage))
		return;
	g_autofree char *state = hook_state_json(k, pid, status);
	if (!rt_hooks_run(&k->spec->hooks, stage, state, &e))
		oci_warn("%s", e->message);
}

static int run_to_end(struct creating *k)
{
	GError *e = NULL;
	pid_t pid = rt_container_pid(k->c);

	run_hooks(k, RT_HOOK_POSTSTART, pid, "running");
	int status = rt_container_wait(k->c);

	rt_container_free(k->c);
	k->c = NULL;
	if (!rt_cgroup_destroy(k->cg, &e)) {
		k->cg = NULL;
		creating_undo(k);
		return oci_fail_err(e);
	}
	k->cg = NULL;
	creating_undo(k);
	run_hooks(k, RT_HOOK_POSTSTOP, pid, "stopped");
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
		return oci_fail_err(e);
	}
	oci_debug("container %s created, init pid %d", o->id, rt_container_pid(k.c));
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

/* --preserve-fds N: fds 3 .. 3+N-1 must be open here. */
static bool parse_preserve_fds(const char *text, int *out)
{
	char *end;
	long n = strtol(text, &end, 10);

	if (!*text || *end || n < 0 || n > 65536) {
		oci_fail("--preserve-fds: expected a count of file descriptors, got '%s'", text);
		return false;
	}
	for (int fd = 3; fd < 3 + n; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			oci_fail("--preserve-fds %ld: file descriptor %d is not open", n, fd);
			return false;
		}
	*out = (int)n;
	return true;
}

static int cmd_create(int argc, char **argv, enum create_mode mode)
{
	struct create_opts o = { .bundle = ".", .mode = mode };
	const char *console = NULL, *preserve = NULL;
	bool detach = false, no_keyring = false, keep = false;
	struct oci_opt opts[] = {
		{ "--bundle", "-b", true, &o.bundle, NULL },
		{ "--pid-file", NULL, true, &o.pid_file, NULL },
		{ "--console-socket", NULL, true, &console, NULL },
		{ "--preserve-fds", NULL, true, &preserve, NULL },
		{ "--no-new-keyring", NULL, false, NULL, &no_keyring },
		{ "--detach", "-d", false, NULL, &detach },
		{ "--keep", NULL, false, NULL, &keep },
		{ NULL, NULL, false, NULL, NULL },
	};

	if (!(o.id = oci_id_arg(argc, argv, opts)))
		return 1;
	o.console_socket = console;
	if (preserve && !parse_preserve_fds(preserve, &o.preserve_fds))
		return 1;
	if (mode == MODE_CREATE && (detach || keep))
		return oci_fail("create: unknown option %s", detach ? "--detach" : "--keep");
	if (mode == MODE_RUN && detach)
		o.mode = MODE_RUN_DETACHED;
	return do_create(&o);
}

/* -------------------------------------------------------------- start */

/* Open the fifo, read the init's byte (it then execs), remove the fifo.
 * The init's end is watched: a dead init is an error, not a hang. */
static bool release_init(const struct oci_state *s, GError **err)
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
		if (!oci_state_alive(s)) {
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
	g_autoptr(oci_state) s = oci_state_load(id, &e);

	if (!s)
		return oci_fail_err(e);
	const char *status = oci_state_status(s);
	if (!strcmp(status, "stopped"))
		return oci_fail("cannot start a container that has stopped");
	if (!strcmp(status, "running"))
		return oci_fail("cannot start an already running container");
	if (!release_init(s, &e))
		return oci_fail_err(e);
	oci_debug("container %s started", id);
	oci_state_hooks(s, RT_HOOK_POSTSTART, "running");
	return 0;
}

static int cmd_start(int argc, char **argv)
{
	struct oci_opt opts[] = { { NULL, NULL, false, NULL, NULL } };
	const char *id = oci_id_arg(argc, argv, opts);

	return id ? do_start(id) : 1;
}

/* -------------------------------------------------------------- state */

static int cmd_state(int argc, char **argv)
{
	struct oci_opt opts[] = { { NULL, NULL, false, NULL, NULL } };
	const char *id;
	GError *e = NULL;

	if (!(id = oci_id_arg(argc, argv, opts)))
		return 1;
	g_autoptr(oci_state) s = oci_state_load(id, &e);
	if (!s)
		return oci_fail_err(e);
	g_autofree char *json = oci_state_json(s, false);
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

/* --all: every process of the container's cgroup and its sub-cgroups,
 * frozen while they are signalled (rt_cgroup_signal_all). */
static int kill_all(const struct oci_state *s, int sig)
{
	struct cg_layout l;
	GError *e = NULL;

	if (s->nparts == 0)
		return oci_fail("the container has no cgroup to signal");
	struct rt_cgroup *cg = oci_state_cgroup(s, &l, &e);
	if (cg == NULL)
		return oci_fail_err(e);
	bool ok = rt_cgroup_signal_all(cg, sig, &e);
	rt_cgroup_close(cg);
	cg_layout_close(&l);
	return ok ? 0 : oci_fail_err(e);
}

static void thaw(const struct oci_state *s)
{
	struct cg_layout l;
	g_autoptr(GError) e = NULL;
	struct rt_cgroup *cg = oci_state_cgroup(s, &l, &e);

	if (cg == NULL || !rt_cgroup_freeze(cg, false, &e))
		oci_warn("thawing the killed container %s: %s", s->id, e->message);
	if (cg == NULL)
		return;
	rt_cgroup_close(cg);
	cg_layout_close(&l);
}

static int cmd_kill(int argc, char **argv)
{
	bool all = false;
	struct oci_opt opts[] = { { "--all", "-a", false, NULL, &all }, { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	const char *id;
	GError *e = NULL;

	if (!oci_parse_opts(argc, argv, opts, pos) || !(id = oci_one_id(argv[0], pos, 2)))
		return 1;
	int sig = pos->len > 1 ? parse_signal(pos->pdata[1]) : SIGTERM;
	if (sig < 0)
		return oci_fail("invalid signal: %s", (char *)pos->pdata[1]);
	g_autoptr(oci_state) s = oci_state_load(id, &e);
	if (!s)
		return oci_fail_err(e);
	bool paused = !strcmp(oci_state_status(s), "paused");
	int r;
	if (all)
		r = oci_state_alive(s) ? kill_all(s, sig) : oci_fail("container not running");
	else
		r = oci_state_signal(s, sig, &e) ? 0 : oci_fail_err(e);
	if (r == 0 && paused && sig == SIGKILL)
		thaw(s); /* a frozen v1 task dies of SIGKILL only once thawed */
	return r;
}

/* ------------------------------------------------------------- delete */

static int cmd_delete(int argc, char **argv)
{
	bool force = false;
	struct oci_opt opts[] = { { "--force", "-f", false, NULL, &force },
			      { NULL, NULL, false, NULL, NULL } };
	const char *id;
	GError *e = NULL;

	if (!(id = oci_id_arg(argc, argv, opts)))
		return 1;
	g_autoptr(oci_state) s = oci_state_load(id, &e);
	if (!s) {
		if (force && g_error_matches(e, RT_ERROR, RT_ERROR_USAGE)) {
			g_error_free(e);
			return 0; /* runc: --force on a missing container is fine */
		}
		return oci_fail_err(e);
	}
	const char *status = oci_state_status(s);
	/* like runc, a created container (never started) is killed without --force */
	if ((!strcmp(status, "running") || !strcmp(status, "paused")) && !force)
		return oci_fail("cannot delete container %s that is not stopped: %s", id, status);
	if (strcmp(status, "stopped") && !oci_state_signal(s, SIGKILL, &e)) {
		if (!g_error_matches(e, RT_ERROR, RT_ERROR_USAGE))
			return oci_fail_err(e);
		g_clear_error(&e); /* it died meanwhile */
	}
	if (!oci_state_destroy_cgroup(s, &e))
		return oci_fail_err(e);
	oci_state_dir_remove(s->dir);
	oci_debug("container %s deleted", id);
	oci_state_hooks(s, RT_HOOK_POSTSTOP, "stopped");
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
	struct oci_opt opts[] = { { "--format", "-f", true, &format, NULL },
			      { "--quiet", "-q", false, NULL, &quiet },
			      { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);

	if (!oci_parse_opts(argc, argv, opts, pos))
		return 1;
	if (pos->len)
		return oci_fail("list: no arguments expected");
	if (strcmp(format, "table") && strcmp(format, "json"))
		return oci_fail("invalid format option: %s", format);
	g_autoptr(GDir) d = g_dir_open(oci_G->root, 0, NULL);
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
		g_autoptr(oci_state) s = oci_state_load(ids->pdata[i], NULL);
		if (!s)
			continue;
		if (quiet && !json) {
			printf("%s\n", s->id);
			continue;
		}
		if (json) {
			g_autofree char *j = oci_state_json(s, false);
			printf("%s%s", first ? "" : ",", j);
			first = false;
			continue;
		}
		const char *st = oci_state_status(s);
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

	oci_G = g;
	if (g->systemd_cgroup)
		return oci_fail("systemd cgroup driver is not supported (use the cgroupfs driver, "
				"without --systemd-cgroup)");
	oci_debug("%s", cmd);
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
	if (!strcmp(cmd, "exec"))
		return oci_cmd_exec(argc, argv);
	if (!strcmp(cmd, "pause"))
		return oci_cmd_pause(argc, argv);
	if (!strcmp(cmd, "resume"))
		return oci_cmd_resume(argc, argv);
	if (!strcmp(cmd, "update"))
		return oci_cmd_update(argc, argv);
	if (!strcmp(cmd, "ps"))
		return oci_cmd_ps(argc, argv);
	if (!strcmp(cmd, "spec"))
		return oci_cmd_spec(argc, argv);
	if (!strcmp(cmd, "features"))
		return oci_cmd_features(argc, argv);
	return oci_fail("unknown command '%s'", cmd);
}
