/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral exec`: a new process in a running (or created) container, with
 * runc 1.1's command line, messages and exit codes:
 *
 *   exec [--process FILE | --env K=V... --cwd DIR --user UID[:GID]
 *         --additional-gids GID... --cap CAP... --no-new-privs --tty]
 *        [--detach] [--pid-file F] [--console-socket S] [--preserve-fds N]
 *        [--ignore-paused] ID [CMD [ARG...]]
 *
 * Options end at the id (CMD's own options follow it untouched).  The
 * process is --process's (the OCI "process" object, as conmon and
 * containerd's shim write it; the other process options are then ignored,
 * as runc does), or the container's config.json process with CMD and the
 * options over it.  The container's seccomp filter (linux.seccomp of the
 * bundle's config.json) applies either way.  Without --detach corral
 * waits and exits with the process's status (128+N for signal N); with
 * it, corral exits 0 once the process has exec'd.  Errors are runc's
 * "exec failed: ..." with exit status 255 (bad options and a missing id:
 * exit 1).  CORRAL_EXEC_NO_PIDFD=1 joins through /proc/PID/ns/NAME instead
 * of a pidfd (for tests).
 */
#include "runtime/process/exec.h"
#include "runtime/oci/state.h"
#include "runtime/spec/cap-names.h"
#include "runtime/spec/bundle.h"
#include "common/options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define EXEC_FAILED 255

static const char exec_usage[] =
	"Usage: corral [GLOBAL OPTIONS] exec [OPTIONS] ID CMD [ARG...]\n"
	"       corral [GLOBAL OPTIONS] exec [OPTIONS] --process FILE ID\n"
	"\n"
	"Run a new process in the container ID (running or created).\n"
	"  -p, --process FILE       an OCI process.json (CMD and the options below are ignored)\n"
	"  -e, --env K=V            set an environment variable (repeatable)\n"
	"      --cwd DIR            working directory in the container (absolute)\n"
	"  -u, --user UID[:GID]     numeric user and group\n"
	"  -g, --additional-gids G  an additional group (repeatable)\n"
	"  -c, --cap CAP            add a capability (repeatable)\n"
	"      --no-new-privs       set no_new_privs\n"
	"  -t, --tty                a pseudo-terminal (copied to corral's stdio)\n"
	"  -d, --detach             exit once the process runs\n"
	"      --pid-file F         write the process's host pid to F\n"
	"      --console-socket S   send the pty master there (with --tty --detach)\n"
	"      --preserve-fds N     pass fds 3 .. 3+N-1 to the process\n"
	"      --ignore-paused      allow exec in a paused container\n"
	"Exit status: the process's (128+N if killed by signal N); 255 if the exec\n"
	"failed (\"exec failed: ...\"), 1 for bad options.\n";

struct exec_args {
	const char *process, *cwd, *user, *pid_file, *console_socket, *preserve_fds;
	const char *cgroup, *apparmor, *label;
	bool tty, detach, no_new_privs, ignore_paused, help;
	GPtrArray *env, *caps, *gids; /* of const char * into argv */
	const char *id;
	char **cmd;                   /* NULL-terminated, may be empty */
	unsigned npreserve;
};

/* ------------------------------------------------------------ options */

struct exec_opt {
	struct rt_opt o; /* first: read by rt_opts */
	bool list;       /* repeatable: kept in a GPtrArray */
	void *slot;      /* a flag: bool *; a value: const char ** or GPtrArray * */
};

/* The option's name as Go's flag package prints it: "-name". */
static const char *go_name(const char *written)
{
	return written + (written[1] == '-' ? 2 : 1);
}

/* Go's flag package's wording, as runc's. */
static bool syntax_error(const struct rt_opts *r, enum rt_opt_event ev)
{
	g_autofree char *name = rt_opts_name(r);

	if (ev == RT_OPT_MISSING)
		oci_fail("flag needs an argument: -%s", go_name(name));
	else
		oci_fail("flag provided but not defined: -%s", go_name(name));
	return false;
}

static bool set_option(const struct exec_opt *o, const struct rt_opts *r)
{
	int b;

	if (o->o.has_value && o->list)
		g_ptr_array_add(o->slot, (char *)r->value);
	else if (o->o.has_value)
		*(const char **)o->slot = r->value;
	else if ((b = r->value ? rt_opts_parse_bool(r->value) : 1) >= 0)
		*(bool *)o->slot = b;
	else {
		g_autofree char *name = rt_opts_name(r);
		oci_fail("invalid boolean value \"%s\" for -%s: parse error", r->value,
			 go_name(name));
		return false;
	}
	return true;
}

/* Options up to the id; the id; the command after it. */
static bool parse_args(int argc, char **argv, struct exec_args *a)
{
	const struct exec_opt table[] = {
		{ { "--process", "-p", true }, false, &a->process },
		{ { "--env", "-e", true }, true, a->env },
		{ { "--cwd", NULL, true }, false, &a->cwd },
		{ { "--user", "-u", true }, false, &a->user },
		{ { "--additional-gids", "-g", true }, true, a->gids },
		{ { "--cap", "-c", true }, true, a->caps },
		{ { "--no-new-privs", NULL, false }, false, &a->no_new_privs },
		{ { "--tty", "-t", false }, false, &a->tty },
		{ { "--detach", "-d", false }, false, &a->detach },
		{ { "--pid-file", NULL, true }, false, &a->pid_file },
		{ { "--console-socket", NULL, true }, false, &a->console_socket },
		{ { "--preserve-fds", NULL, true }, false, &a->preserve_fds },
		{ { "--ignore-paused", NULL, false }, false, &a->ignore_paused },
		{ { "--cgroup", NULL, true }, false, &a->cgroup },
		{ { "--apparmor", NULL, true }, false, &a->apparmor },
		{ { "--process-label", NULL, true }, false, &a->label },
		{ { "--help", "-h", false }, false, &a->help },
		{ { NULL, NULL, false }, false, NULL },
	};
	g_auto(rt_opts) r = { 0 };
	enum rt_opt_event ev;

	rt_opts_init(&r, table, sizeof table[0], RT_OPT_GO, false, argc, argv);
	while ((ev = rt_opts_next(&r)) != RT_OPT_END) {
		if (ev != RT_OPT_FOUND)
			return syntax_error(&r, ev);
		if (!set_option((const struct exec_opt *)r.opt, &r))
			return false;
	}
	if (a->help)
		return true;
	if (r.index >= argc) {
		oci_fail("exec: \"exec\" requires a minimum of 1 argument");
		return false;
	}
	a->id = argv[r.index];
	a->cmd = argv + r.index + 1;
	return true;
}

/* The id's format, and --preserve-fds as a number of open fds. */
static bool check_args(struct exec_args *a)
{
	g_autoptr(GPtrArray) one = g_ptr_array_new();
	guint64 n = 0;

	g_ptr_array_add(one, (char *)a->id);
	if (!oci_one_id("exec", one, 1))
		return false;
	if (a->preserve_fds &&
	    !g_ascii_string_to_unsigned(a->preserve_fds, 10, 0, 65536, &n, NULL)) {
		oci_fail("invalid value \"%s\" for flag -preserve-fds: parse error", a->preserve_fds);
		return false;
	}
	a->npreserve = (unsigned)n;
	return true;
}

/* ------------------------------------------------------------ the spec */

/* "exec failed: MESSAGE" (runc's), exit status 255. */
static int exec_fail(GError *e)
{
	oci_fail("exec failed: %s", e->message);
	g_error_free(e);
	return EXEC_FAILED;
}

#define usage_error(err, ...) rt_fail(err, RT_ERROR_USAGE, __VA_ARGS__)

/* A number as Go's strconv.Atoi takes it, in uid_t/gid_t range. */
static bool parse_id(const char *text, const char *what, uint32_t *out, GError **err)
{
	guint64 v;

	if (g_ascii_string_to_unsigned(text, 10, 0, UINT32_MAX, &v, NULL)) {
		*out = (uint32_t)v;
		return true;
	}
	return usage_error(err, "parsing %s as int for %s failed: strconv.Atoi: parsing \"%s\": %s",
			   text, what, text,
			   *text && strspn(text, "0123456789") == strlen(text) ? "value out of range"
									: "invalid syntax");
}

/* --user UID[:GID]: the config's gid stays without ":GID". */
static bool apply_user(struct rt_process *p, const char *user, GError **err)
{
	g_auto(GStrv) parts = g_strsplit(user, ":", 2);
	uint32_t uid, gid = p->user.gid;

	if (parts[1] && !parse_id(parts[1], "gid", &gid, err))
		return false;
	if (!parse_id(parts[0], "uid", &uid, err))
		return false;
	p->user.uid = uid;
	p->user.gid = gid;
	return true;
}

static bool apply_gids(struct rt_process *p, GPtrArray *gids, GError **err)
{
	for (guint i = 0; i < gids->len; i++) {
		uint32_t g;

		if (!parse_id(gids->pdata[i], "gid", &g, err))
			return false;
		if (p->user.additional_gids == NULL)
			p->user.additional_gids = g_array_new(FALSE, FALSE, sizeof(gid_t));
		g_array_append_val(p->user.additional_gids, g);
	}
	return true;
}

/* --cap: bounding, effective, permitted; ambient too when the process
 * has inheritable capabilities (as runc does). */
static bool apply_caps(struct rt_process *p, GPtrArray *caps, GError **err)
{
	for (guint i = 0; i < caps->len; i++) {
		int cap = rt_cap_from_name(caps->pdata[i]);

		if (cap < 0 || cap >= 64)
			return usage_error(err, "unknown capability \"%s\"", (char *)caps->pdata[i]);
		uint64_t bit = UINT64_C(1) << cap;
		p->caps.bounding |= bit;
		p->caps.effective |= bit;
		p->caps.permitted |= bit;
		if (p->caps.inheritable)
			p->caps.ambient |= bit;
	}
	return true;
}

/* --env K=V replaces K's value, or is added at the end. */
static void apply_env(struct rt_process *p, GPtrArray *env)
{
	g_autoptr(GPtrArray) v = g_ptr_array_new();

	for (char **e = p->env; e && *e; e++)
		g_ptr_array_add(v, *e);
	for (guint i = 0; i < env->len; i++) {
		const char *kv = env->pdata[i], *eq = strchr(kv, '=');
		size_t klen = eq ? (size_t)(eq - kv) + 1 : strlen(kv);
		guint j = 0;

		while (j < v->len && strncmp(v->pdata[j], kv, klen))
			j++;
		if (j < v->len) {
			g_free(v->pdata[j]);
			v->pdata[j] = g_strdup(kv);
		} else {
			g_ptr_array_add(v, g_strdup(kv));
		}
	}
	g_ptr_array_add(v, NULL);
	g_free(p->env); /* the strings moved to v */
	p->env = (char **)g_ptr_array_free(g_steal_pointer(&v), FALSE);
}

/* The config's process with CMD and the options over it. */
static bool apply_options(struct rt_spec *s, const struct exec_args *a, GError **err)
{
	struct rt_process *p = &s->process;

	g_strfreev(p->args);
	p->args = g_strdupv(a->cmd);
	if (a->cwd) {
		g_free(p->cwd);
		p->cwd = g_strdup(a->cwd);
	}
	if (!g_path_is_absolute(p->cwd))
		return usage_error(err, "Cwd must be an absolute path");
	if (!apply_caps(p, a->caps, err) || (a->user && !apply_user(p, a->user, err)) ||
	    !apply_gids(p, a->gids, err))
		return false;
	apply_env(p, a->env);
	p->terminal = a->tty;
	if (a->no_new_privs)
		p->no_new_privileges = true;
	return true;
}

/* The process to run, and the container's seccomp filter. */
static struct rt_spec *exec_spec(const struct exec_args *a, const struct oci_state *s, GError **err)
{
	g_autoptr(rt_spec) config = NULL, proc = NULL;

	if (a->process == NULL && a->cmd[0] == NULL) {
		usage_error(err, "process args cannot be empty");
		return NULL;
	}
	if (!(config = oci_state_config(s, err)))
		return NULL;
	if (a->process == NULL) {
		if (!apply_options(config, a, err))
			return NULL;
		config->process.stdin_open = true;
		return g_steal_pointer(&config);
	}
	if (!(proc = rt_oci_load_process(a->process, err)))
		return NULL;
	proc->linux.seccomp = g_steal_pointer(&config->linux.seccomp);
	proc->process.stdin_open = true;
	return g_steal_pointer(&proc);
}

/* runc's rules for a terminal and a console socket. */
static bool check_terminal(const struct rt_spec *s, const struct exec_args *a, GError **err)
{
	bool tty = s->process.terminal;

	if (a->detach && tty && a->console_socket == NULL)
		return usage_error(err, "cannot allocate tty if corral will detach without setting "
				   "console socket");
	if ((!a->detach || !tty) && a->console_socket != NULL)
		return usage_error(err, "cannot use console socket if corral will not detach or "
				   "allocate tty");
	return true;
}

/* What corral does not do (yet), refused rather than ignored. */
static bool check_unsupported(const struct exec_args *a, GError **err)
{
	if (a->cgroup)
		return usage_error(err, "--cgroup %s: running in a sub-cgroup is not supported",
				   a->cgroup);
	if (a->apparmor && *a->apparmor)
		return usage_error(err, "--apparmor: AppArmor profiles are not supported");
	if (a->label && *a->label)
		return usage_error(err, "--process-label: SELinux labels are not supported");
	for (unsigned fd = 3; fd < 3 + a->npreserve; fd++)
		if (fcntl((int)fd, F_GETFD) < 0)
			return usage_error(err, "--preserve-fds %u: fd %u is not open", a->npreserve, fd);
	return true;
}

/* -------------------------------------------------------------- exec */

static bool check_status(const struct oci_state *s, const struct exec_args *a, GError **err)
{
	const char *status = oci_state_status(s);

	if (!strcmp(status, "stopped"))
		return usage_error(err, "cannot exec in a stopped container");
	if (!strcmp(status, "paused") && !a->ignore_paused)
		return usage_error(err, "cannot exec in a paused container (use --ignore-paused to "
				   "override)");
	return true;
}

/* Start the process in the container's namespaces and cgroup. */
static struct rt_container *start(const struct exec_args *a, const struct oci_state *s,
				  const struct rt_spec *spec, GError **err)
{
	struct cg_layout l;
	struct rt_cgroup *cg = oci_state_cgroup(s, &l, err);

	if (cg == NULL)
		return NULL;
	struct rt_exec_opts o = {
		.spec = spec,
		.init_pid = s->pid,
		.init_start_time = s->start_time,
		.cg = cg,
		.console_socket = a->console_socket,
		.detach = a->detach,
		.preserve_fds = a->npreserve,
		.no_pidfd = !g_strcmp0(g_getenv("CORRAL_EXEC_NO_PIDFD"), "1"),
	};
	struct rt_container *c = rt_exec_start(&o, err);
	rt_cgroup_close(cg);
	cg_layout_close(&l);
	return c;
}

static bool write_pid_file(const char *path, pid_t pid, GError **err)
{
	g_autofree char *abs = g_canonicalize_filename(path, NULL);
	g_autofree char *text = g_strdup_printf("%d", pid);

	return oci_write_atomic(abs, text, err);
}

static int do_exec(const struct exec_args *a)
{
	GError *e = NULL;
	g_autoptr(oci_state) s = oci_state_load(a->id, &e);
	g_autoptr(rt_spec) spec = NULL;
	g_autoptr(rt_container) c = NULL;

	if (s == NULL || !check_status(s, a, &e) || !(spec = exec_spec(a, s, &e)) ||
	    !check_terminal(spec, a, &e) || !check_unsupported(a, &e) ||
	    !(c = start(a, s, spec, &e)))
		return exec_fail(e);
	oci_debug("exec in %s: pid %d", a->id, rt_container_pid(c));
	if (a->pid_file && !write_pid_file(a->pid_file, rt_container_pid(c), &e))
		return exec_fail(e); /* the process is killed with c */
	if (a->detach) {
		rt_container_detach(g_steal_pointer(&c));
		return 0;
	}
	return rt_container_wait(c);
}

int oci_cmd_exec(int argc, char **argv)
{
	g_autoptr(GPtrArray) env = g_ptr_array_new();
	g_autoptr(GPtrArray) caps = g_ptr_array_new();
	g_autoptr(GPtrArray) gids = g_ptr_array_new();
	struct exec_args a = { .env = env, .caps = caps, .gids = gids };

	if (!parse_args(argc, argv, &a))
		return 1;
	if (a.help) {
		fputs(exec_usage, stdout);
		return 0;
	}
	if (!check_args(&a))
		return 1;
	return do_exec(&a);
}
