/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral run` options into a spec.  Each option has a handler that checks
 * its value and fills the spec (or the parse state, for what needs all the
 * options: caps, env, cgroup parent, the memory cross-checks).  Every error
 * is RT_ERROR_USAGE and starts with the option's name.
 */
#include "runtime/cli/cli.h"
#include "runtime/spec/seccomp-json.h"
#include "runtime/spec/cap-names.h"
#include "common/options.h"

#include <errno.h>
#include <linux/capability.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define CPU_PERIOD 100000
#define MIN_MEMORY (6 * 1024 * 1024) /* below this a container cannot start */

const char rt_cli_run_usage[] =
	"Usage: corral run [OPTIONS] [--rootfs DIR] [--] CMD [ARG...]\n"
	"\n"
	"Run CMD in a new container: new pid, mount, uts, ipc, net and cgroup\n"
	"namespaces, Docker's default capabilities and seccomp profile, and the\n"
	"corralfs views of /proc and /sys so that free, top and nproc-like tools\n"
	"see the container's limits.\n"
	"\n"
	"Limits (sizes take k, m, g suffixes, binary: 256m = 256 MiB):\n"
	"  -m, --memory SIZE            memory limit (at least 6m)\n"
	"      --memory-swap SIZE       memory + swap limit (>= --memory; -1: unlimited swap)\n"
	"      --memory-reservation SIZE  soft limit (<= --memory)\n"
	"      --cpus N                 CPU quota in CPUs, e.g. 0.5 (period 100 ms)\n"
	"  -c, --cpu-shares N           relative weight, 2..262144 (1024 is the default)\n"
	"      --cpuset-cpus LIST       CPUs allowed, e.g. 0-2,4\n"
	"      --cpuset-mems LIST       memory nodes allowed\n"
	"      --pids-limit N           most tasks at once (-1: unlimited)\n"
	"      --device HOST[:CONTAINER][:rwm]  give access to a host device node\n"
	"      --cgroup-parent PATH     cgroup parent: relative to corral's own cgroup\n"
	"                               (default 'corral'), or absolute; the container's\n"
	"                               cgroup is PATH/NAME\n"
	"\n"
	"Process:\n"
	"      --name NAME              container name (default: a random id)\n"
	"      --hostname NAME          hostname (default: the name or the id)\n"
	"  -u, --user UID[:GID]         numeric user and group (default 0:0)\n"
	"  -e, --env K=V | K            set a variable (K alone: copy corral's own)\n"
	"  -w, --workdir DIR            working directory (default /)\n"
	"  -t, --tty                    allocate a pseudo-terminal\n"
	"  -i, --interactive            keep stdin open (-it for a shell)\n"
	"      --init                   run a tiny init as pid 1 (signals, zombies)\n"
	"\n"
	"Filesystem and isolation:\n"
	"      --rootfs DIR             root filesystem (default: a busybox rootfs built\n"
	"                               on first use in /var/lib/corral-runtime)\n"
	"  -v, --volume SRC:DST[:ro]    bind mount SRC (must exist) on DST (absolute)\n"
	"      --read-only              mount the root filesystem read-only\n"
	"      --network none|host      none (default): own net namespace with lo up;\n"
	"                               host: share the host's network\n"
	"      --cap-add CAP, --cap-drop CAP  change the capabilities (names or ALL)\n"
	"      --security-opt seccomp=unconfined|FILE  no seccomp filter, or a Docker/OCI\n"
	"                               JSON profile instead of the default one\n"
	"      --security-opt no-new-privileges[=true|false]  on by default\n"
	"      --views PATH             where corralfs is mounted (default /var/lib/corral;\n"
	"                               given explicitly, a dead mount is an error)\n"
	"      --no-views               plain /proc and /sys files\n"
	"  -h, --help                   this help\n"
	"\n"
	"Exit status: the command's, 128+N if it was killed by signal N, 127 if it\n"
	"was not found, 125 if corral itself failed (bad options included, as Docker).\n";

/* ------------------------------------------------------------ state */

struct parse {
	struct rt_spec *s;
	GPtrArray *env;           /* --env, applied last */
	GPtrArray *cap_add, *cap_drop;
	char *cgroup_parent;
	char *seccomp_file;       /* --security-opt seccomp=FILE, loaded last */
	const char *memory_text, *swap_text, *reservation_text;
	bool views, no_views;
	bool help;
};

typedef bool (*opt_fn)(struct parse *p, const char *opt, const char *val, GError **err);

static bool usage_error(GError **err, const char *opt, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool usage_error(GError **err, const char *opt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (opt)
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: %s", opt, msg);
	else
		g_set_error_literal(err, RT_ERROR, RT_ERROR_USAGE, msg);
	return false;
}

/* ------------------------------------------------------------ values */

bool rt_parse_size(const char *text, int64_t *bytes)
{
	char *end;
	guint64 n, mult = 1;

	if (!text || !g_ascii_isdigit(text[0]))
		return false;
	errno = 0;
	n = g_ascii_strtoull(text, &end, 10);
	if (errno)
		return false;
	switch (g_ascii_tolower(*end)) {
	case 'k': mult = 1ULL << 10; end++; break;
	case 'm': mult = 1ULL << 20; end++; break;
	case 'g': mult = 1ULL << 30; end++; break;
	case 't': mult = 1ULL << 40; end++; break;
	}
	if (g_ascii_tolower(*end) == 'b')
		end++;
	if (*end || n > (guint64)INT64_MAX / mult)
		return false;
	*bytes = (int64_t)(n * mult);
	return true;
}

static bool parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
	gint64 v;

	if (!g_ascii_string_to_signed(text, 10, min, max, &v, NULL))
		return false;
	*out = v;
	return true;
}

/* "0-3,5,7-8": ranges in increasing order within each range */
static bool valid_list(const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, ",", -1);

	if (!*text)
		return false;
	for (char **q = parts; *q; q++) {
		g_auto(GStrv) ends = g_strsplit(*q, "-", 3);
		guint64 a, b;

		if (!ends[0] || !g_ascii_string_to_unsigned(ends[0], 10, 0, 65535, &a, NULL))
			return false;
		if (ends[1] && (ends[2] || !g_ascii_string_to_unsigned(ends[1], 10, a, 65535, &b, NULL)))
			return false;
	}
	return true;
}

/* letters, digits, '_', '.', '-', starting with a letter or digit */
static bool valid_name(const char *name, size_t max)
{
	size_t n = strlen(name);

	if (n == 0 || n > max || !g_ascii_isalnum(name[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

/* Sets *abs to the absolute form of @path if it exists (else errno text). */
static bool existing_path(const char *opt, const char *path, struct stat *st,
			  char **abs, GError **err)
{
	if (!*path)
		return usage_error(err, opt, "empty path");
	if (stat(path, st) < 0)
		return usage_error(err, opt, "cannot use '%s': %s", path, g_strerror(errno));
	*abs = g_canonicalize_filename(path, NULL);
	return true;
}

/* ------------------------------------------------------------ limits */

static bool opt_memory(struct parse *p, const char *opt, const char *val, GError **err)
{
	int64_t v;

	if (!rt_parse_size(val, &v))
		return usage_error(err, opt, "invalid size '%s'", val);
	if (v < MIN_MEMORY)
		return usage_error(err, opt, "must be at least 6m, got '%s'", val);
	p->s->linux.resources.memory.limit = v;
	p->memory_text = val;
	return true;
}

static bool opt_memory_swap(struct parse *p, const char *opt, const char *val, GError **err)
{
	int64_t v = -1;

	if (strcmp(val, "-1") != 0 && !rt_parse_size(val, &v))
		return usage_error(err, opt, "invalid size '%s' (or -1 for unlimited)", val);
	p->s->linux.resources.memory.swap = v;
	p->swap_text = val;
	return true;
}

static bool opt_memory_reservation(struct parse *p, const char *opt, const char *val,
				   GError **err)
{
	int64_t v;

	if (!rt_parse_size(val, &v))
		return usage_error(err, opt, "invalid size '%s'", val);
	p->s->linux.resources.memory.reservation = v;
	p->reservation_text = val;
	return true;
}

static bool opt_cpus(struct parse *p, const char *opt, const char *val, GError **err)
{
	char *end;
	double cpus = g_ascii_strtod(val, &end);

	if (!*val || *end || !isfinite(cpus) || cpus <= 0)
		return usage_error(err, opt, "must be a positive number, got '%s'", val);
	if (cpus * CPU_PERIOD < 1000 || cpus > 1024)
		return usage_error(err, opt, "must be from 0.01 to 1024, got '%s'", val);
	p->s->linux.resources.cpu.quota = llround(cpus * CPU_PERIOD);
	p->s->linux.resources.cpu.period = CPU_PERIOD;
	return true;
}

static bool opt_cpu_shares(struct parse *p, const char *opt, const char *val, GError **err)
{
	int64_t v;

	if (!parse_int(val, 0, 262144, &v) || v == 1)
		return usage_error(err, opt, "must be an integer from 2 to 262144, got '%s'", val);
	/* 0, as with Docker, is the default weight */
	p->s->linux.resources.cpu.shares = v ? v : RT_UNSET;
	return true;
}

static bool opt_cpuset(struct parse *p, const char *opt, const char *val, GError **err)
{
	bool cpus = strcmp(opt, "--cpuset-cpus") == 0;
	char **field = cpus ? &p->s->linux.resources.cpu.cpus : &p->s->linux.resources.cpu.mems;

	if (!valid_list(val))
		return usage_error(err, opt, "invalid %s list '%s' (expected e.g. 0-2,4)",
				   cpus ? "CPU" : "memory node", val);
	g_free(*field);
	*field = g_strdup(val);
	return true;
}

static bool opt_pids_limit(struct parse *p, const char *opt, const char *val, GError **err)
{
	int64_t v;

	if (!parse_int(val, -1, INT32_MAX, &v))
		return usage_error(err, opt, "must be a positive integer or -1 (unlimited), got '%s'",
				   val);
	p->s->linux.resources.pids.limit = v > 0 ? v : -1;
	return true;
}

static bool opt_cgroup_parent(struct parse *p, const char *opt, const char *val, GError **err)
{
	g_auto(GStrv) parts = g_strsplit(val, "/", -1);

	if (!*val)
		return usage_error(err, opt, "empty path");
	for (char **q = parts; *q; q++)
		if (!strcmp(*q, "..") || !strcmp(*q, "."))
			return usage_error(err, opt, "invalid path '%s' ('.' and '..' are not allowed)",
					   val);
	g_free(p->cgroup_parent);
	p->cgroup_parent = g_strdup(val);
	return true;
}

/* ------------------------------------------------------------ devices */

static bool valid_access(const char *a)
{
	return *a && strlen(a) <= 3 && strspn(a, "rwm") == strlen(a);
}

/* HOST[:CONTAINER][:rwm] -> host, container, access */
static bool split_device(const char *opt, const char *val, char **host, char **ctr,
			 char access[4], GError **err)
{
	g_auto(GStrv) f = g_strsplit(val, ":", -1);
	guint n = g_strv_length(f);

	g_strlcpy(access, "rwm", 4);
	if (n < 1 || n > 3 || !*f[0])
		return usage_error(err, opt, "expected HOSTPATH[:CONTAINERPATH][:rwm], got '%s'", val);
	if (n == 3 || (n == 2 && valid_access(f[1]))) {
		if (!valid_access(f[n - 1]))
			return usage_error(err, opt, "invalid access '%s' (a subset of rwm)", f[n - 1]);
		g_strlcpy(access, f[--n], 4);
	}
	*host = g_strdup(f[0]);
	*ctr = g_strdup(n == 2 ? f[1] : f[0]);
	if ((*ctr)[0] != '/')
		return usage_error(err, opt, "container path must be absolute, got '%s'", *ctr);
	return true;
}

static bool opt_device(struct parse *p, const char *opt, const char *val, GError **err)
{
	g_autofree char *host = NULL, *ctr = NULL, *abs = NULL;
	char access[4];
	struct stat st;

	if (!split_device(opt, val, &host, &ctr, access, err) ||
	    !existing_path(opt, host, &st, &abs, err))
		return false;
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return usage_error(err, opt, "'%s' is not a device node", host);
	struct rt_device d = {
		.path = g_steal_pointer(&ctr),
		.type = S_ISCHR(st.st_mode) ? 'c' : 'b',
		.major = major(st.st_rdev),
		.minor = minor(st.st_rdev),
		.file_mode = st.st_mode & 07777,
		.host_path = g_steal_pointer(&abs),
	};
	struct rt_device_rule r = { true, d.type, d.major, d.minor, "" };

	g_strlcpy(r.access, access, sizeof r.access);
	g_array_append_val(p->s->linux.devices, d);
	g_array_append_val(p->s->linux.resources.devices, r);
	return true;
}

/* ------------------------------------------------------------ process */

static bool opt_name(struct parse *p, const char *opt, const char *val, GError **err)
{
	if (!valid_name(val, 64))
		return usage_error(err, opt, "invalid name '%s' (letters, digits, '_', '.', '-', "
				   "starting with a letter or digit)", val);
	g_free(p->s->name);
	p->s->name = g_strdup(val);
	return true;
}

static bool opt_hostname(struct parse *p, const char *opt, const char *val, GError **err)
{
	if (!valid_name(val, 63) || strchr(val, '_'))
		return usage_error(err, opt, "invalid hostname '%s' (letters, digits, '.', '-')", val);
	g_free(p->s->hostname);
	p->s->hostname = g_strdup(val);
	return true;
}

static bool opt_user(struct parse *p, const char *opt, const char *val, GError **err)
{
	g_auto(GStrv) f = g_strsplit(val, ":", 3);
	int64_t uid, gid = 0;

	if (!parse_int(f[0], 0, UINT32_MAX - 1, &uid) ||
	    (f[1] && (f[2] || !parse_int(f[1], 0, UINT32_MAX - 1, &gid))))
		return usage_error(err, opt, "expected UID[:GID] (numbers), got '%s'", val);
	p->s->process.user.uid = uid;
	p->s->process.user.gid = gid;
	return true;
}

static bool opt_env(struct parse *p, const char *opt, const char *val, GError **err)
{
	const char *eq = strchr(val, '=');
	const char *v;

	if (eq == val || !*val)
		return usage_error(err, opt, "invalid variable '%s' (expected K=V or K)", val);
	if (eq) {
		g_ptr_array_add(p->env, g_strdup(val));
		return true;
	}
	v = g_getenv(val);
	if (v) /* K alone and unset in corral's environment: left out (Docker) */
		g_ptr_array_add(p->env, g_strconcat(val, "=", v, NULL));
	return true;
}

static bool opt_workdir(struct parse *p, const char *opt, const char *val, GError **err)
{
	if (val[0] != '/')
		return usage_error(err, opt, "must be an absolute path, got '%s'", val);
	g_free(p->s->process.cwd);
	p->s->process.cwd = g_strdup(val);
	return true;
}

static bool opt_flag(struct parse *p, const char *opt, const char *val, GError **err)
{
	(void)val, (void)err;
	if (!strcmp(opt, "--tty"))
		p->s->process.terminal = true;
	else if (!strcmp(opt, "--interactive"))
		p->s->process.stdin_open = true;
	else if (!strcmp(opt, "--init"))
		p->s->init = true;
	else if (!strcmp(opt, "--read-only"))
		p->s->root.readonly = true;
	else if (!strcmp(opt, "--no-views"))
		p->no_views = true;
	else if (!strcmp(opt, "--help"))
		p->help = true;
	return true;
}

/* ------------------------------------------------------------ filesystem */

static bool opt_rootfs(struct parse *p, const char *opt, const char *val, GError **err)
{
	g_autofree char *abs = NULL;
	struct stat st;

	if (!existing_path(opt, val, &st, &abs, err))
		return false;
	if (!S_ISDIR(st.st_mode))
		return usage_error(err, opt, "'%s' is not a directory", val);
	g_free(p->s->root.path);
	p->s->root.path = g_steal_pointer(&abs);
	return true;
}

static bool opt_volume(struct parse *p, const char *opt, const char *val, GError **err)
{
	g_auto(GStrv) f = g_strsplit(val, ":", -1);
	guint n = g_strv_length(f);
	g_autofree char *src = NULL;
	struct stat st;

	if (n < 2 || n > 3 || !*f[0] || !*f[1])
		return usage_error(err, opt, "expected SRC:DST[:ro|rw], got '%s'", val);
	if (n == 3 && strcmp(f[2], "ro") && strcmp(f[2], "rw"))
		return usage_error(err, opt, "invalid mode '%s' (ro or rw)", f[2]);
	if (f[1][0] != '/')
		return usage_error(err, opt, "destination must be an absolute path, got '%s'", f[1]);
	if (!existing_path(opt, f[0], &st, &src, err))
		return false;
	const char *options[] = { "rbind", n == 3 ? f[2] : "rw", NULL };
	struct rt_mount m = {
		.destination = g_strdup(f[1]),
		.type = g_strdup("bind"),
		.source = g_steal_pointer(&src),
		.options = g_strdupv((char **)options),
	};
	g_array_append_val(p->s->mounts, m);
	return true;
}

static bool opt_network(struct parse *p, const char *opt, const char *val, GError **err)
{
	if (strcmp(val, "none") && strcmp(val, "host"))
		return usage_error(err, opt, "must be none or host, got '%s'", val);
	p->s->linux.ns[RT_NS_NET].enabled = strcmp(val, "host") != 0;
	return true;
}

static bool opt_views(struct parse *p, const char *opt, const char *val, GError **err)
{
	if (!*val)
		return usage_error(err, opt, "empty path");
	g_free(p->s->views.path);
	p->s->views.path = g_canonicalize_filename(val, NULL);
	p->s->views.explicit_path = true;
	p->views = true;
	return true;
}

/* ------------------------------------------------------------ security */

static bool opt_cap(struct parse *p, const char *opt, const char *val, GError **err)
{
	GPtrArray *to = strcmp(opt, "--cap-add") == 0 ? p->cap_add : p->cap_drop;
	g_auto(GStrv) names = g_strsplit(val, ",", -1);

	if (!*val)
		return usage_error(err, opt, "empty capability name");
	for (char **q = names; *q; q++) {
		if (g_ascii_strcasecmp(*q, "ALL") && rt_cap_from_name(*q) < 0)
			return usage_error(err, opt, "unknown capability '%s'", *q);
		g_ptr_array_add(to, g_strdup(*q));
	}
	return true;
}

static bool bool_value(const char *v, bool *out)
{
	if (!v || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool opt_security(struct parse *p, const char *opt, const char *val, GError **err)
{
	size_t klen = strcspn(val, "=:");
	const char *v = val[klen] ? val + klen + 1 : NULL;

	if (klen == 7 && !strncmp(val, "seccomp", 7) && v) {
		g_clear_pointer(&p->seccomp_file, g_free);
		if (strcmp(v, "unconfined") != 0) {
			if (!*v)
				return usage_error(err, opt, "seccomp= needs unconfined or a file");
			p->seccomp_file = g_strdup(v); /* after --cap-*: rules depend on caps */
		}
		rt_seccomp_free(p->s->linux.seccomp);
		p->s->linux.seccomp = NULL;
		return true;
	}
	if (klen == 17 && !strncmp(val, "no-new-privileges", 17)) {
		if (!bool_value(v, &p->s->process.no_new_privileges))
			return usage_error(err, opt, "no-new-privileges takes true or false, got '%s'",
					   v);
		return true;
	}
	return usage_error(err, opt, "unknown option '%s' (expected seccomp=unconfined, "
			   "seccomp=FILE or no-new-privileges[=true|false])", val);
}

/* ------------------------------------------------------------ the table */

struct opt {
	struct rt_opt o; /* first: read by rt_opts */
	opt_fn fn;
};

static const struct opt opts[] = {
	{ { "--name", NULL, true }, opt_name },
	{ { "--memory", "-m", true }, opt_memory },
	{ { "--memory-swap", NULL, true }, opt_memory_swap },
	{ { "--memory-reservation", NULL, true }, opt_memory_reservation },
	{ { "--cpus", NULL, true }, opt_cpus },
	{ { "--cpu-shares", "-c", true }, opt_cpu_shares },
	{ { "--cpuset-cpus", NULL, true }, opt_cpuset },
	{ { "--cpuset-mems", NULL, true }, opt_cpuset },
	{ { "--pids-limit", NULL, true }, opt_pids_limit },
	{ { "--device", NULL, true }, opt_device },
	{ { "--hostname", NULL, true }, opt_hostname },
	{ { "--user", "-u", true }, opt_user },
	{ { "--env", "-e", true }, opt_env },
	{ { "--workdir", "-w", true }, opt_workdir },
	{ { "--volume", "-v", true }, opt_volume },
	{ { "--read-only", NULL, false }, opt_flag },
	{ { "--network", NULL, true }, opt_network },
	{ { "--cap-add", NULL, true }, opt_cap },
	{ { "--cap-drop", NULL, true }, opt_cap },
	{ { "--security-opt", NULL, true }, opt_security },
	{ { "--init", NULL, false }, opt_flag },
	{ { "--tty", "-t", false }, opt_flag },
	{ { "--interactive", "-i", false }, opt_flag },
	{ { "--cgroup-parent", NULL, true }, opt_cgroup_parent },
	{ { "--views", NULL, true }, opt_views },
	{ { "--no-views", NULL, false }, opt_flag },
	{ { "--rootfs", NULL, true }, opt_rootfs },
	{ { "--help", "-h", false }, opt_flag },
	{ { NULL, NULL, false }, NULL },
};

/* Runs the handler; in a dry run (no spec) only notes --help. */
static bool apply(struct parse *p, const struct opt *o, const char *val, GError **err)
{
	if (p->s)
		return o->fn(p, o->o.name, val, err);
	if (!strcmp(o->o.name, "--help"))
		p->help = true;
	return true;
}

/* The message for what rt_opts_next() could not take. */
static int syntax_error(const struct rt_opts *r, enum rt_opt_event ev, GError **err)
{
	if (ev == RT_OPT_MISSING)
		usage_error(err, r->opt->name, "needs a value");
	else if (ev == RT_OPT_UNWANTED)
		usage_error(err, r->opt->name, "takes no value");
	else if (r->letter)
		usage_error(err, NULL, "unknown option '-%c' in '%s' (see corral run --help)",
			    r->letter, r->arg);
	else
		usage_error(err, NULL, "unknown option '%s' (see corral run --help)", r->arg);
	return -1;
}

/* Options up to the command ("--name=x", "--name x", "-it", "-m256m",
 * "-m 256m", "--"); returns the index of the command (argc: none), or
 * -1.  With p->s NULL only looks for --help. */
static int parse_options(struct parse *p, int argc, char **argv, GError **err)
{
	g_auto(rt_opts) r = { 0 };
	enum rt_opt_event ev;

	rt_opts_init(&r, opts, sizeof opts[0], RT_OPT_GNU, false, argc, argv);
	while (!p->help && (ev = rt_opts_next(&r)) != RT_OPT_END) {
		if (ev != RT_OPT_FOUND)
			return syntax_error(&r, ev, err);
		if (!apply(p, (const struct opt *)r.opt, r.value, err))
			return -1;
	}
	return r.index;
}

bool rt_cli_wants_help(int argc, char **argv)
{
	struct parse p = { 0 };

	parse_options(&p, argc, argv, NULL);
	return p.help;
}

/* ------------------------------------------------------------ finishing */

static uint64_t all_caps(void)
{
	return CAP_LAST_CAP >= 63 ? UINT64_MAX : (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;
}

static bool has_all(GPtrArray *a)
{
	for (guint i = 0; i < a->len; i++)
		if (!g_ascii_strcasecmp(a->pdata[i], "ALL"))
			return true;
	return false;
}

/* Start from the defaults (ALL added: every capability; ALL dropped: none),
 * remove each dropped one, then add each added one. */
static void apply_caps(struct parse *p)
{
	struct rt_caps *c = &p->s->process.caps;
	uint64_t set = has_all(p->cap_add) ? all_caps() : has_all(p->cap_drop) ? 0 : c->bounding;

	for (guint i = 0; i < p->cap_drop->len; i++) {
		int cap = rt_cap_from_name(p->cap_drop->pdata[i]);
		if (cap >= 0)
			set &= ~(UINT64_C(1) << cap);
	}
	for (guint i = 0; i < p->cap_add->len; i++) {
		int cap = rt_cap_from_name(p->cap_add->pdata[i]);
		if (cap >= 0)
			set |= UINT64_C(1) << cap;
	}
	c->bounding = c->effective = c->permitted = set;
}

static bool check_memory(struct parse *p, GError **err)
{
	struct rt_resources *r = &p->s->linux.resources;

	if (p->swap_text && !p->memory_text)
		return usage_error(err, "--memory-swap", "needs --memory");
	if (p->swap_text && r->memory.swap != -1 && r->memory.swap < r->memory.limit)
		return usage_error(err, "--memory-swap", "must be at least --memory (%s), got '%s'",
				   p->memory_text, p->swap_text);
	if (p->reservation_text && p->memory_text && r->memory.reservation > r->memory.limit)
		return usage_error(err, "--memory-reservation",
				   "must not exceed --memory (%s), got '%s'", p->memory_text,
				   p->reservation_text);
	if (p->views && p->no_views)
		return usage_error(err, NULL, "--views and --no-views exclude each other");
	return true;
}

/* Sets K=V in @env, replacing an earlier K. */
static void env_set(GPtrArray *env, char *kv)
{
	size_t klen = strcspn(kv, "=");

	for (guint i = 0; i < env->len; i++) {
		const char *e = env->pdata[i];
		if (!strncmp(e, kv, klen) && e[klen] == '=') {
			g_free(env->pdata[i]);
			env->pdata[i] = kv;
			return;
		}
	}
	g_ptr_array_add(env, kv);
}

static void finish_process(struct parse *p, int n, char **cmd)
{
	struct rt_spec *s = p->s;
	g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);

	s->process.args = g_new0(char *, n + 1);
	for (int i = 0; i < n; i++)
		s->process.args[i] = g_strdup(cmd[i]);
	for (char **e = s->process.env; e && *e; e++)
		env_set(env, g_strdup(*e));
	env_set(env, g_strconcat("HOSTNAME=", s->hostname, NULL));
	if (s->process.terminal)
		env_set(env, g_strdup("TERM=xterm"));
	for (guint i = 0; i < p->env->len; i++)
		env_set(env, g_strdup(p->env->pdata[i]));
	g_ptr_array_add(env, NULL);
	g_strfreev(s->process.env);
	s->process.env = (char **)g_ptr_array_steal(env, NULL);
	apply_caps(p);
}

static void finish(struct parse *p, int n, char **cmd)
{
	struct rt_spec *s = p->s;
	g_autofree char *id = g_strdup_printf("%06x%06x", g_random_int() & 0xffffff,
					      g_random_int() & 0xffffff);
	const char *parent = p->cgroup_parent ? p->cgroup_parent : "corral";
	size_t plen = strlen(parent);

	if (!s->name)
		s->name = g_strdup(id);
	if (!s->hostname)
		s->hostname = g_strdup(s->name);
	while (plen > 1 && parent[plen - 1] == '/')
		plen--;
	s->linux.cgroups_path = g_strdup_printf("%.*s%s%s", (int)plen, parent,
						parent[plen - 1] == '/' ? "" : "/", s->name);
	if (p->no_views)
		s->views.enabled = false;
	finish_process(p, n, cmd);
}

/* --security-opt seccomp=FILE: a Docker or OCI profile, whose per-rule
 * includes/excludes see the final capability set. */
static bool load_seccomp_file(struct parse *p, GError **err)
{
	GError *e = NULL;

	if (!p->seccomp_file) {
		/* the default profile's exceptions follow the final capabilities */
		if (p->s->linux.seccomp) {
			rt_seccomp_free(p->s->linux.seccomp);
			p->s->linux.seccomp = rt_seccomp_default(&p->s->process.caps);
		}
		return true;
	}
	p->s->linux.seccomp = rt_seccomp_from_file(p->seccomp_file, &p->s->process.caps, &e);
	if (!p->s->linux.seccomp) {
		usage_error(err, "--security-opt", "%s", e->message);
		g_error_free(e);
		return false;
	}
	return true;
}

static void parse_clear(struct parse *p)
{
	g_ptr_array_unref(p->env);
	g_ptr_array_unref(p->cap_add);
	g_ptr_array_unref(p->cap_drop);
	g_free(p->cgroup_parent);
	g_free(p->seccomp_file);
	rt_spec_free(p->s);
}

/* The options of the table that set limits only (rt_cli_parse_limits). */
static const char *const limit_names[] = {
	"--memory", "--memory-swap", "--memory-reservation", "--cpus", "--cpu-shares",
	"--cpuset-cpus", "--cpuset-mems", "--pids-limit", NULL,
};

static const struct opt *limit_opt(const char *name)
{
	if (!g_strv_contains(limit_names, name))
		return NULL;
	for (const struct opt *o = opts; o->o.name; o++)
		if (!strcmp(o->o.name, name))
			return o;
	return NULL;
}

bool rt_cli_parse_limits(const char *const *pairs, struct rt_resources *res, GError **err)
{
	g_autoptr(rt_spec) s = rt_spec_new();
	struct parse p = { .s = s };
	struct rt_resources *r = &s->linux.resources;

	for (; pairs[0] && pairs[1]; pairs += 2) {
		const struct opt *o = limit_opt(pairs[0]);

		if (!o)
			return usage_error(err, pairs[0], "is not a limit option");
		if (!o->fn(&p, o->o.name, pairs[1], err))
			return false;
	}
	if (!check_memory(&p, err))
		return false;
	*res = *r;
	res->devices = NULL;
	r->cpu.cpus = r->cpu.mems = NULL; /* now @res's */
	return true;
}

struct rt_spec *rt_cli_parse_run(int argc, char **argv, GError **err)
{
	struct parse p = {
		.s = rt_spec_new(),
		.env = g_ptr_array_new_with_free_func(g_free),
		.cap_add = g_ptr_array_new_with_free_func(g_free),
		.cap_drop = g_ptr_array_new_with_free_func(g_free),
	};
	struct rt_spec *s = NULL;
	int cmd;

	rt_spec_set_defaults(p.s);
	cmd = parse_options(&p, argc, argv, err);
	if (cmd >= 0 && p.help)
		usage_error(err, NULL, "--help is handled by the caller (rt_cli_wants_help)");
	else if (cmd >= 0 && cmd >= argc)
		usage_error(err, NULL, "no command given (corral run [OPTIONS] [--] CMD [ARG...])");
	else if (cmd >= 0 && check_memory(&p, err)) {
		finish(&p, argc - cmd, argv + cmd);
		if (load_seccomp_file(&p, err))
			s = g_steal_pointer(&p.s);
	}
	parse_clear(&p);
	return s;
}
