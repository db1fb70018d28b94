/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral delegate`: an admin gives a cgroup to a user, in every mounted
 * hierarchy, the way the kernel's cgroup v2 delegation model does (the
 * cgroups themselves: delegate-cg.c); optionally runs a command of that
 * user inside it; `--remove` ends the delegation.
 */
#include "runtime/cli/cli.h"
#include "runtime/cli/delegate.h"
#include "common/options.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char rt_cli_delegate_usage[] =
	"Usage: corral delegate --user USER [--group GROUP] [--memory SIZE] [--memory-swap SIZE]\n"
	"                       [--cpus N] [--cpu-shares N] [--cpuset-cpus LIST] [--pids-limit N]\n"
	"                       CGROUP [-- CMD [ARG...]]\n"
	"       corral delegate --remove CGROUP\n"
	"\n"
	"Delegate CGROUP to USER as the kernel's cgroup v2 delegation model does, in\n"
	"every mounted cgroup hierarchy (each v1 one, name=systemd included, and the\n"
	"cgroup2 one): the cgroup is created (it must not exist), its limits are\n"
	"set, and its directory and the files of /sys/kernel/cgroup/delegate\n"
	"(cgroup.procs, cgroup.threads, cgroup.subtree_control, memory.oom.group,\n"
	"memory.reclaim; v1's tasks) are given to USER:GROUP.  Its other files, the\n"
	"limits among them, stay root's: USER makes and limits cgroups below it but\n"
	"cannot raise its own limits.  On cgroup v2 the controllers are enabled from\n"
	"the caller's cgroup down, so USER finds them in its cgroup.controllers.\n"
	"\n"
	"  CGROUP                   relative: below corral's own cgroup in each\n"
	"                           hierarchy (like corral run --cgroup-parent);\n"
	"                           absolute (/a/b): from each hierarchy's root\n"
	"  -u, --user USER          name or numeric uid (required)\n"
	"  -g, --group GROUP        name or numeric gid (default: USER's primary group)\n"
	"  -m, --memory SIZE        memory limit (k, m, g suffixes, binary; at least 6m)\n"
	"      --memory-swap SIZE   memory + swap limit (>= --memory; -1: unlimited swap)\n"
	"      --cpus N             CPU quota in CPUs, e.g. 0.5 (period 100 ms)\n"
	"  -c, --cpu-shares N       relative weight, 2..262144 (1024 is the default)\n"
	"      --cpuset-cpus LIST   CPUs allowed, e.g. 0-2,4\n"
	"      --pids-limit N       most tasks at once (-1: unlimited)\n"
	"  -- CMD [ARG...]          then run CMD inside the cgroup as USER (its\n"
	"                           supplementary groups, HOME, USER, LOGNAME); the\n"
	"                           cgroup stays after it ends\n"
	"      --remove CGROUP      kill every process of CGROUP and its sub-cgroups,\n"
	"                           remove them all, in every hierarchy\n"
	"  -h, --help               this help\n"
	"\n"
	"Prints nothing on success (with CMD: only CMD's output).  Exit status: CMD's\n"
	"(128+N if killed by signal N, 127 if not found); 0 without CMD; 125 for bad\n"
	"usage (an unknown user or group included); 1 if the delegation failed.\n"
	"Errors: \"corral: delegate: MESSAGE\" on stderr.\n";

#define EXIT_USAGE 125
#define EXIT_FAIL 1

/* ------------------------------------------------------------ options */

enum { O_USER, O_GROUP, O_REMOVE, O_HELP, O_LIMIT };

struct dg_opt {
	struct rt_opt o; /* first: read by rt_opts */
	int what;
};

static const struct dg_opt dg_opts[] = {
	{ { "--user", "-u", true }, O_USER },
	{ { "--group", "-g", true }, O_GROUP },
	{ { "--memory", "-m", true }, O_LIMIT },
	{ { "--memory-swap", NULL, true }, O_LIMIT },
	{ { "--cpus", NULL, true }, O_LIMIT },
	{ { "--cpu-shares", "-c", true }, O_LIMIT },
	{ { "--cpuset-cpus", NULL, true }, O_LIMIT },
	{ { "--pids-limit", NULL, true }, O_LIMIT },
	{ { "--remove", NULL, true }, O_REMOVE },
	{ { "--help", "-h", false }, O_HELP },
	{ { NULL, NULL, false }, 0 },
};

#define usage_error(err, ...) rt_fail(err, RT_ERROR_USAGE, __VA_ARGS__)

static void res_unset(struct rt_resources *r)
{
	memset(r, 0, sizeof(*r));
	r->memory.limit = r->memory.reservation = r->memory.swap = RT_UNSET;
	r->cpu.shares = r->cpu.quota = r->cpu.period = RT_UNSET;
	r->pids.limit = RT_UNSET;
}

void rt_delegate_free(struct rt_delegate *d)
{
	if (!d)
		return;
	g_free(d->remove);
	g_free(d->user);
	g_free(d->group);
	g_free(d->cgroup);
	g_free(d->path);
	g_free(d->res.cpu.cpus);
	g_free(d->res.cpu.mems);
	g_strfreev(d->cmd);
	g_free(d);
}

/* What the parser collects before checking the whole. */
struct dg_parse {
	struct rt_delegate *d;
	GPtrArray *limits;    /* (option, value) pairs, NULL-ended at the end */
	GPtrArray *args;      /* the arguments (CGROUP) */
};

static bool take(struct dg_parse *p, const struct dg_opt *o, const char *val, GError **err)
{
	char **slot = o->what == O_USER ? &p->d->user : o->what == O_GROUP ? &p->d->group
			: o->what == O_REMOVE ? &p->d->remove : NULL;

	if (o->what == O_HELP) {
		p->d->help = true;
	} else if (o->what == O_LIMIT) {
		g_ptr_array_add(p->limits, (char *)o->o.name);
		g_ptr_array_add(p->limits, (char *)val);
	} else if (!*val) {
		return usage_error(err, "%s: empty value", o->o.name);
	} else {
		g_free(*slot);
		*slot = g_strdup(val);
	}
	return true;
}

static bool syntax_error(const struct rt_opts *r, enum rt_opt_event ev, GError **err)
{
	if (ev == RT_OPT_MISSING)
		return usage_error(err, "%s: needs a value", r->opt->name);
	if (ev == RT_OPT_UNWANTED)
		return usage_error(err, "%s: takes no value", r->opt->name);
	if (r->letter)
		return usage_error(err, "unknown option '-%c' in '%s' (see corral delegate --help)",
				   r->letter, r->arg);
	return usage_error(err, "unknown option '%s' (see corral delegate --help)", r->arg);
}

/* Options and arguments in any order up to "--"; CMD after it. */
static bool parse_argv(struct dg_parse *p, int argc, char **argv, GError **err)
{
	g_auto(rt_opts) r = { 0 };
	enum rt_opt_event ev;

	rt_opts_init(&r, dg_opts, sizeof dg_opts[0], RT_OPT_GNU, true, argc, argv);
	while ((ev = rt_opts_next(&r)) != RT_OPT_END) {
		if (ev == RT_OPT_ARG)
			g_ptr_array_add(p->args, (char *)r.value);
		else if (ev != RT_OPT_FOUND)
			return syntax_error(&r, ev, err);
		else if (!take(p, (const struct dg_opt *)r.opt, r.value, err))
			return false;
	}
	if (r.dashdash && r.index >= argc)
		return usage_error(err, "no command after '--'");
	if (r.dashdash)
		p->d->cmd = g_strdupv(argv + r.index);
	return true;
}

/* CGROUP without its leading '/' and empty components; '.', '..' and a
 * path without components refused. */
static bool set_path(struct rt_delegate *d, const char *cgroup, GError **err)
{
	g_auto(GStrv) parts = g_strsplit(cgroup, "/", -1);
	g_autoptr(GString) out = g_string_new(NULL);

	for (char **q = parts; *q; q++) {
		if (!strcmp(*q, ".") || !strcmp(*q, ".."))
			return usage_error(err, "invalid CGROUP '%s' ('.' and '..' are not allowed)",
					   cgroup);
		if (**q)
			g_string_append_printf(out, "%s%s", out->len ? "/" : "", *q);
	}
	if (!out->len)
		return usage_error(err, "invalid CGROUP '%s' (no cgroup name)", cgroup);
	d->cgroup = g_strdup(cgroup);
	d->absolute = cgroup[0] == '/';
	d->path = g_string_free(g_steal_pointer(&out), false);
	return true;
}

/* --remove CGROUP: nothing else goes with it. */
static bool check_remove(struct dg_parse *p, GError **err)
{
	struct rt_delegate *d = p->d;

	if (d->user || d->group)
		return usage_error(err, "--remove: takes no %s", d->user ? "--user" : "--group");
	if (p->limits->len)
		return usage_error(err, "--remove: takes no limit (got %s)",
				   (char *)p->limits->pdata[0]);
	if (d->cmd)
		return usage_error(err, "--remove: takes no command");
	if (p->args->len)
		return usage_error(err, "--remove: takes one CGROUP, got also '%s'",
				   (char *)p->args->pdata[0]);
	return set_path(d, d->remove, err);
}

static bool check(struct dg_parse *p, GError **err)
{
	struct rt_delegate *d = p->d;

	if (d->remove)
		return check_remove(p, err);
	if (!d->user)
		return usage_error(err, "--user is required (the user CGROUP is delegated to)");
	if (p->args->len == 0)
		return usage_error(err, "no CGROUP given (corral delegate --user USER [OPTIONS] "
				   "CGROUP [-- CMD [ARG...]])");
	if (p->args->len > 1)
		return usage_error(err, "one CGROUP only, got '%s' and '%s'",
				   (char *)p->args->pdata[0], (char *)p->args->pdata[1]);
	g_ptr_array_add(p->limits, NULL);
	return set_path(d, p->args->pdata[0], err) &&
	       rt_cli_parse_limits((const char *const *)p->limits->pdata, &d->res, err);
}

struct rt_delegate *rt_cli_parse_delegate(int argc, char **argv, GError **err)
{
	g_autoptr(rt_delegate) d = g_new0(struct rt_delegate, 1);
	g_autoptr(GPtrArray) limits = g_ptr_array_new();
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	struct dg_parse p = { d, limits, args };

	res_unset(&d->res);
	if (!parse_argv(&p, argc, argv, err))
		return NULL;
	if (d->help)
		return g_steal_pointer(&d);
	return check(&p, err) ? g_steal_pointer(&d) : NULL;
}

/* ------------------------------------------------------------ users */

struct dg_user {
	uid_t uid;
	gid_t gid;
	char *name;  /* for initgroups(), USER and LOGNAME */
	char *home;
	bool passwd; /* has a passwd entry (initgroups), else only @gid */
};

static void user_clear(struct dg_user *u)
{
	g_free(u->name);
	g_free(u->home);
}

static bool numeric_id(const char *text, guint64 *out)
{
	return g_ascii_string_to_unsigned(text, 10, 0, UINT32_MAX - 1, out, NULL);
}

/* getpwnam_r, else getpwuid_r for a number; *@found false when neither. */
static bool find_passwd(const char *user, struct dg_user *u, bool *found, GError **err)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	guint64 id;
	int e = getpwnam_r(user, &pw, buf, sizeof buf, &res);

	if (!e && !res && numeric_id(user, &id))
		e = getpwuid_r((uid_t)id, &pw, buf, sizeof buf, &res);
	if (e)
		return rt_fail_errno(err, e, "looking up user '%s'", user);
	*found = res != NULL;
	if (res) {
		*u = (struct dg_user){ pw.pw_uid, pw.pw_gid, g_strdup(pw.pw_name),
				       g_strdup(pw.pw_dir), true };
	}
	return true;
}

static bool find_group(const char *group, gid_t *gid, GError **err)
{
	char buf[16384];
	struct group gr, *res = NULL;
	guint64 id;
	int e = getgrnam_r(group, &gr, buf, sizeof buf, &res);

	if (e)
		return rt_fail_errno(err, e, "looking up group '%s'", group);
	if (res)
		*gid = gr.gr_gid;
	else if (numeric_id(group, &id))
		*gid = (gid_t)id;
	else
		return usage_error(err, "no such group '%s'", group);
	return true;
}

/* USER (and GROUP, else USER's primary group); a numeric uid without a
 * passwd entry needs --group. */
static bool find_user(const struct rt_delegate *d, struct dg_user *u, GError **err)
{
	bool found = false;
	guint64 id;

	if (!find_passwd(d->user, u, &found, err))
		return false;
	if (!found && !numeric_id(d->user, &id))
		return usage_error(err, "no such user '%s'", d->user);
	if (!found) {
		if (!d->group)
			return usage_error(err, "user %s has no passwd entry: give --group", d->user);
		*u = (struct dg_user){ (uid_t)id, 0, g_strdup(d->user), g_strdup("/"), false };
	}
	return !d->group || find_group(d->group, &u->gid, err);
}

/* ------------------------------------------------------------ CMD */

/* Supplementary groups, gid, uid: in that order, each checked. */
static bool become(const struct dg_user *u, GError **err)
{
	if ((u->passwd ? initgroups(u->name, u->gid) : setgroups(1, &u->gid)) < 0)
		return rt_fail_errno(err, errno, "setting the groups of %s", u->name);
	if (setgid(u->gid) < 0)
		return rt_fail_errno(err, errno, "setgid(%u)", (unsigned)u->gid);
	if (setuid(u->uid) < 0)
		return rt_fail_errno(err, errno, "setuid(%u)", (unsigned)u->uid);
	if (getuid() != u->uid || geteuid() != u->uid || getegid() != u->gid)
		return rt_fail_errno(err, EPERM, "dropping to %u:%u", (unsigned)u->uid,
				     (unsigned)u->gid);
	return true;
}

static G_NORETURN void child(const struct dg_set *s, const struct dg_user *u, char **cmd)
{
	GError *err = NULL;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (!dg_join(s, getpid(), &err) || !become(u, &err)) {
		fprintf(stderr, "corral: delegate: %s\n", err->message);
		_exit(EXIT_FAIL);
	}
	if (setenv("HOME", u->home, 1) < 0 || setenv("USER", u->name, 1) < 0 ||
	    setenv("LOGNAME", u->name, 1) < 0) {
		fprintf(stderr, "corral: delegate: setenv: %s\n", g_strerror(errno));
		_exit(EXIT_FAIL);
	}
	execvp(cmd[0], cmd);
	fprintf(stderr, "corral: delegate: executing %s: %s\n", cmd[0], g_strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* CMD's exit status (128+N for signal N), 1 when it cannot be started. */
static int run_cmd(const struct dg_set *s, const struct dg_user *u, char **cmd)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status = 0;
	pid_t pid;

	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child(s, u, cmd);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (pid < 0) {
		fprintf(stderr, "corral: delegate: fork: %s\n", g_strerror(errno));
		return EXIT_FAIL;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* ------------------------------------------------------------ the command */

static int fail(GError *err)
{
	int status = err->domain == RT_ERROR && err->code == RT_ERROR_USAGE ? EXIT_USAGE
									    : EXIT_FAIL;

	fprintf(stderr, "corral: delegate: %s\n", err->message);
	g_error_free(err);
	return status;
}

static int do_remove(const struct rt_delegate *d)
{
	struct dg_set s;
	GError *err = NULL;
	bool ok;

	if (!dg_open(&s, d->cgroup, d->path, d->absolute, &err))
		return fail(err);
	ok = dg_remove(&s, &err);
	dg_close(&s);
	return ok ? 0 : fail(err);
}

static int do_delegate(const struct rt_delegate *d)
{
	struct dg_user u = { 0 };
	struct dg_set s;
	GError *err = NULL;
	int status = 0;

	if (!find_user(d, &u, &err)) {
		user_clear(&u); /* the user was found, its group not */
		return fail(err);
	}
	if (!dg_open(&s, d->cgroup, d->path, d->absolute, &err)) {
		user_clear(&u);
		return fail(err);
	}
	if (!dg_create(&s, &d->res, u.uid, u.gid, &err))
		status = fail(err);
	else if (d->cmd)
		status = run_cmd(&s, &u, d->cmd);
	dg_close(&s);
	user_clear(&u);
	return status;
}

int rt_cli_delegate(int argc, char **argv)
{
	GError *err = NULL;
	g_autoptr(rt_delegate) d = rt_cli_parse_delegate(argc, argv, &err);

	if (!d)
		return fail(err);
	if (d->help) {
		fputs(rt_cli_delegate_usage, stdout);
		return 0;
	}
	return d->remove ? do_remove(d) : do_delegate(d);
}
