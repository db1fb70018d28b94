/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `corral run` options: every option, Docker's defaults, every error message. */
#include "runtime/cli/cli.h"

#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 16
#define BIT(c) (UINT64_C(1) << (c))

static char *tmp_dir;   /* an existing directory */
static char *tmp_file;  /* an existing regular file */

static char *subst(const char *text)
{
	GString *s = g_string_new(text);

	g_string_replace(s, "@DIR@", tmp_dir, 0);
	g_string_replace(s, "@FILE@", tmp_file, 0);
	return g_string_free(s, false);
}

/* Parses "run" + the NULL-terminated @args, "@DIR@"/"@FILE@" replaced. */
static struct rt_spec *parse_v(const char *const *args, GError **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_strdup("run"));
	for (; *args; args++)
		g_ptr_array_add(argv, subst(*args));
	return rt_cli_parse_run(argv->len, (char **)argv->pdata, err);
}

#define PARSE(...) parse_ok((const char *const[]){ __VA_ARGS__, NULL })

static struct rt_spec *parse_ok(const char *const *args)
{
	g_autoptr(GError) err = NULL;
	struct rt_spec *s = parse_v(args, &err);

	g_assert_no_error(err);
	g_assert_nonnull(s);
	return s;
}

/* ------------------------------------------------------------ sizes */

static void test_size(void)
{
	static const struct { const char *text; int64_t bytes; } ok[] = {
		{ "0", 0 }, { "512", 512 }, { "64k", 65536 }, { "64K", 65536 },
		{ "256m", 268435456 }, { "256M", 268435456 }, { "1g", 1073741824 },
		{ "2t", 2199023255552 }, { "10b", 10 }, { "4kb", 4096 }, { "1GB", 1073741824 },
	};
	static const char *const bad[] = {
		"", "abc", "12q", "-1", "+5", "1.5g", " 1m", "1m ", "m", "1mm", "1bk",
		"9999999999999999999", "9999999999g",
	};
	int64_t v;

	for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_assert_true(rt_parse_size(ok[i].text, &v));
		g_assert_cmpint(v, ==, ok[i].bytes);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(rt_parse_size(bad[i], &v));
	g_assert_false(rt_parse_size(NULL, &v));
}

/* ------------------------------------------------------------ defaults */

static bool strv_eq(char **got, const char *const *want)
{
	guint n = 0;

	for (; want[n]; n++)
		if (!got || !got[n] || strcmp(got[n], want[n]))
			return false;
	return got && !got[n];
}

static const char *env_get(struct rt_spec *s, const char *key)
{
	size_t n = strlen(key);

	for (char **e = s->process.env; *e; e++)
		if (!strncmp(*e, key, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static void test_default_process(void)
{
	g_autoptr(rt_spec) s = PARSE("sh", "-c", "echo hi");
	static const int caps[] = {
		CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
		CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
		CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
	};
	uint64_t want = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(caps); i++)
		want |= BIT(caps[i]);
	g_assert_true(strv_eq(s->process.args, (const char *const[]){ "sh", "-c", "echo hi", NULL }));
	g_assert_cmphex(s->process.caps.bounding, ==, want);
	g_assert_cmphex(s->process.caps.effective, ==, want);
	g_assert_cmphex(s->process.caps.permitted, ==, want);
	g_assert_cmphex(s->process.caps.inheritable, ==, 0);
	g_assert_cmphex(s->process.caps.ambient, ==, 0);
	g_assert_true(s->process.no_new_privileges);
	g_assert_false(s->process.terminal);
	g_assert_false(s->process.stdin_open);
	g_assert_cmpint(s->process.user.uid, ==, 0);
	g_assert_cmpint(s->process.user.gid, ==, 0);
	g_assert_null(s->process.rlimits);
	g_assert_cmpstr(s->process.cwd, ==, "/");
	g_assert_cmpstr(env_get(s, "PATH"), ==,
			"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	g_assert_cmpstr(env_get(s, "HOSTNAME"), ==, s->hostname);
	g_assert_null(env_get(s, "TERM"));
	g_assert_cmpuint(g_strv_length(s->process.env), ==, 2);
	g_assert_false(s->init);
}

static void test_default_linux(void)
{
	g_autoptr(rt_spec) s = PARSE("true");
	static const char *const masked[] = {
		"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
		"/sys/firmware", "/sys/devices/virtual/powercap", NULL,
	};
	static const char *const ro[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
	};
	const struct rt_resources *r = &s->linux.resources;

	for (int i = 0; i < RT_NS_N; i++)
		g_assert_cmpint(s->linux.ns[i].enabled, ==, i != RT_NS_USER);
	g_assert_true(strv_eq(s->linux.masked_paths, masked));
	g_assert_true(strv_eq(s->linux.readonly_paths, ro));
	g_assert_nonnull(s->linux.seccomp);
	g_assert_null(s->linux.sysctl);
	g_assert_cmpuint(s->linux.devices->len, ==, 0);
	g_assert_cmpint(r->memory.limit, ==, RT_UNSET);
	g_assert_cmpint(r->memory.swap, ==, RT_UNSET);
	g_assert_cmpint(r->memory.reservation, ==, RT_UNSET);
	g_assert_cmpint(r->cpu.quota, ==, RT_UNSET);
	g_assert_cmpint(r->cpu.period, ==, RT_UNSET);
	g_assert_cmpint(r->cpu.shares, ==, RT_UNSET);
	g_assert_null(r->cpu.cpus);
	g_assert_null(r->cpu.mems);
	g_assert_cmpint(r->pids.limit, ==, RT_UNSET);
	g_assert_null(s->root.path);
	g_assert_false(s->root.readonly);
	g_assert_true(s->views.enabled);
	g_assert_false(s->views.explicit_path);
	g_assert_cmpstr(s->views.path, ==, "/var/lib/corral");
}

/* "a" / "c 1:3 rwm" / "c *:* m", prefixed with "deny " when not allowed */
static char *rule_text(const struct rt_device_rule *r)
{
	g_autofree char *maj = r->major < 0 ? g_strdup("*") : g_strdup_printf("%" G_GINT64_FORMAT, r->major);
	g_autofree char *min = r->minor < 0 ? g_strdup("*") : g_strdup_printf("%" G_GINT64_FORMAT, r->minor);

	return g_strdup_printf("%s%c %s:%s %s", r->allow ? "" : "deny ", r->type, maj, min, r->access);
}

static char *rules_text(const struct rt_spec *s)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < s->linux.resources.devices->len; i++) {
		g_autofree char *t = rule_text(&g_array_index(s->linux.resources.devices,
							      struct rt_device_rule, i));
		g_string_append_printf(out, "%s%s", i ? "; " : "", t);
	}
	return g_string_free(out, false);
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isxdigit(*s))
			return false;
	return true;
}

static void test_default_names(void)
{
	g_autoptr(rt_spec) a = PARSE("true");
	g_autoptr(rt_spec) b = PARSE("true");
	g_autofree char *cg = g_strconcat("corral/", a->name, NULL);

	g_assert_cmpuint(strlen(a->name), ==, 12);
	g_assert_true(all_hex(a->name));
	g_assert_cmpstr(a->name, !=, b->name);
	g_assert_cmpstr(a->hostname, ==, a->name);
	g_assert_cmpstr(a->linux.cgroups_path, ==, cg);
}

static void test_spec_new(void)
{
	g_autoptr(rt_spec) s = rt_spec_new();

	for (int i = 0; i < RT_NS_N; i++)
		g_assert_false(s->linux.ns[i].enabled);
	g_assert_cmpint(s->linux.resources.memory.limit, ==, RT_UNSET);
	g_assert_cmpint(s->linux.resources.pids.limit, ==, RT_UNSET);
	g_assert_cmpuint(s->mounts->len, ==, 0);
	g_assert_null(s->linux.seccomp);
	g_assert_null(s->linux.resources.devices);
	rt_spec_set_defaults(s);
	rt_spec_set_defaults(s); /* twice: replaces, does not add */
	g_assert_cmpuint(s->linux.resources.devices->len, ==, 12);
	g_assert_cmpuint(s->mounts->len, ==, 7);
}

/* ------------------------------------------------------------ options */

static void test_memory(void)
{
	g_autoptr(rt_spec) s = PARSE("--memory", "256m", "--memory-swap", "512m",
				     "--memory-reservation", "128m", "true");
	g_autoptr(rt_spec) u = PARSE("-m", "1g", "--memory-swap=-1", "true");
	g_autoptr(rt_spec) e = PARSE("-m256m", "--memory-swap", "256m", "true");

	g_assert_cmpint(s->linux.resources.memory.limit, ==, 256 << 20);
	g_assert_cmpint(s->linux.resources.memory.swap, ==, 512 << 20);
	g_assert_cmpint(s->linux.resources.memory.reservation, ==, 128 << 20);
	g_assert_cmpint(u->linux.resources.memory.limit, ==, 1 << 30);
	g_assert_cmpint(u->linux.resources.memory.swap, ==, -1);
	g_assert_cmpint(e->linux.resources.memory.limit, ==, 256 << 20);
	g_assert_cmpint(e->linux.resources.memory.swap, ==, 256 << 20);
}

static void test_cpu(void)
{
	g_autoptr(rt_spec) s = PARSE("--cpus", "0.5", "--cpu-shares", "512", "--cpuset-cpus",
				     "0-1,3", "--cpuset-mems", "0", "true");
	g_autoptr(rt_spec) t = PARSE("--cpus=1.5", "-c", "0", "true");
	g_autoptr(rt_spec) u = PARSE("--cpus", "0.01", "true");

	g_assert_cmpint(s->linux.resources.cpu.quota, ==, 50000);
	g_assert_cmpint(s->linux.resources.cpu.period, ==, 100000);
	g_assert_cmpint(s->linux.resources.cpu.shares, ==, 512);
	g_assert_cmpstr(s->linux.resources.cpu.cpus, ==, "0-1,3");
	g_assert_cmpstr(s->linux.resources.cpu.mems, ==, "0");
	g_assert_cmpint(t->linux.resources.cpu.quota, ==, 150000);
	g_assert_cmpint(t->linux.resources.cpu.shares, ==, RT_UNSET);
	g_assert_cmpint(u->linux.resources.cpu.quota, ==, 1000);
}

static void test_pids(void)
{
	g_autoptr(rt_spec) s = PARSE("--pids-limit", "64", "true");
	g_autoptr(rt_spec) u = PARSE("--pids-limit", "-1", "true");
	g_autoptr(rt_spec) z = PARSE("--pids-limit", "0", "true");

	g_assert_cmpint(s->linux.resources.pids.limit, ==, 64);
	g_assert_cmpint(u->linux.resources.pids.limit, ==, -1);
	g_assert_cmpint(z->linux.resources.pids.limit, ==, -1);
}

static void test_device(void)
{
	g_autoptr(rt_spec) s = PARSE("--device", "/dev/null", "--device", "/dev/zero:/dev/z:rw",
				     "--device", "/dev/full:r", "true");
	g_autoptr(rt_spec) plain = PARSE("true");
	struct rt_device *d = &g_array_index(s->linux.devices, struct rt_device, 0);
	g_autofree char *t = rules_text(s);
	g_autofree char *defaults = rules_text(plain);
	g_autofree char *want = g_strconcat(defaults, "; c 1:3 rwm; c 1:5 rw; c 1:7 r", NULL);

	g_assert_cmpuint(s->linux.devices->len, ==, 3);
	g_assert_cmpstr(d[0].path, ==, "/dev/null");
	g_assert_cmpstr(d[0].host_path, ==, "/dev/null");
	g_assert_cmpint(d[0].type, ==, 'c');
	g_assert_cmpint(d[0].major, ==, 1);
	g_assert_cmpint(d[0].minor, ==, 3);
	g_assert_cmpuint(d[0].file_mode, ==, 0666);
	g_assert_cmpstr(d[1].path, ==, "/dev/z");
	g_assert_cmpstr(d[1].host_path, ==, "/dev/zero");
	g_assert_cmpint(d[1].minor, ==, 5);
	g_assert_cmpstr(d[2].path, ==, "/dev/full");
	/* the default rules (tests/integration/runtime.sh checks them from
	 * inside a container), then one per --device */
	g_assert_cmpstr(t, ==, want);
}

static void test_process_options(void)
{
	g_autoptr(rt_spec) s = PARSE("--name", "web.1", "--hostname", "box", "--user", "1000:100",
				     "-w", "/srv", "--init", "-it", "sh");
	g_autoptr(rt_spec) u = PARSE("-u", "5", "-t", "--name=db", "true");
	g_autoptr(rt_spec) i = PARSE("-i", "true");

	g_assert_cmpstr(s->name, ==, "web.1");
	g_assert_cmpstr(s->hostname, ==, "box");
	g_assert_cmpstr(env_get(s, "HOSTNAME"), ==, "box");
	g_assert_cmpstr(s->linux.cgroups_path, ==, "corral/web.1");
	g_assert_cmpint(s->process.user.uid, ==, 1000);
	g_assert_cmpint(s->process.user.gid, ==, 100);
	g_assert_cmpstr(s->process.cwd, ==, "/srv");
	g_assert_true(s->init);
	g_assert_true(s->process.terminal);
	g_assert_true(s->process.stdin_open);
	g_assert_cmpstr(env_get(s, "TERM"), ==, "xterm");
	g_assert_cmpint(u->process.user.uid, ==, 5);
	g_assert_cmpint(u->process.user.gid, ==, 0);
	g_assert_cmpstr(u->hostname, ==, "db");
	g_assert_true(u->process.terminal);
	g_assert_false(u->process.stdin_open);
	g_assert_true(i->process.stdin_open);
	g_assert_false(i->process.terminal);
}

static void test_env(void)
{
	g_autoptr(rt_spec) s = NULL;
	g_autofree char *host = NULL;

	g_setenv("CORRAL_TEST_SET", "from corral", true);
	g_unsetenv("CORRAL_TEST_UNSET");
	s = PARSE("-e", "A=1", "--env", "PATH=/bin", "--env=B=x=y", "-e", "CORRAL_TEST_SET",
		  "-e", "CORRAL_TEST_UNSET", "-e", "A=2", "env");
	host = g_strconcat("HOSTNAME=", s->hostname, NULL);
	g_assert_true(strv_eq(s->process.env, (const char *const[]){
		"PATH=/bin", host, "A=2", "B=x=y",
		"CORRAL_TEST_SET=from corral", NULL }));
}

static void test_filesystem_options(void)
{
	g_autoptr(rt_spec) s = PARSE("--rootfs", "@DIR@", "-v", "@DIR@:/data:ro", "--volume",
				     "@FILE@:/etc/x", "--read-only", "true");
	struct rt_mount *m;
	g_autofree char *o1 = NULL, *o2 = NULL;

	g_assert_cmpstr(s->root.path, ==, tmp_dir);
	g_assert_true(s->root.readonly);
	g_assert_cmpuint(s->mounts->len, ==, 9);
	m = &g_array_index(s->mounts, struct rt_mount, 7);
	o1 = g_strjoinv(",", m[0].options);
	o2 = g_strjoinv(",", m[1].options);
	g_assert_cmpstr(m[0].destination, ==, "/data");
	g_assert_cmpstr(m[0].type, ==, "bind");
	g_assert_cmpstr(m[0].source, ==, tmp_dir);
	g_assert_cmpstr(o1, ==, "rbind,ro");
	g_assert_cmpstr(m[1].destination, ==, "/etc/x");
	g_assert_cmpstr(m[1].source, ==, tmp_file);
	g_assert_cmpstr(o2, ==, "rbind,rw");
}

static void test_network_views_cgroup(void)
{
	g_autoptr(rt_spec) h = PARSE("--network", "host", "--views", "/run/v", "--name", "a", "true");
	g_autoptr(rt_spec) n = PARSE("--network=none", "--no-views", "--cgroup-parent", "ci/x/",
				     "--name", "b", "true");
	g_autoptr(rt_spec) a = PARSE("--cgroup-parent", "/abs", "--name", "c", "true");
	g_autoptr(rt_spec) r = PARSE("--cgroup-parent", "/", "--name", "d", "true");

	g_assert_false(h->linux.ns[RT_NS_NET].enabled);
	g_assert_true(n->linux.ns[RT_NS_NET].enabled);
	g_assert_true(h->views.enabled);
	g_assert_true(h->views.explicit_path);
	g_assert_cmpstr(h->views.path, ==, "/run/v");
	g_assert_false(n->views.enabled);
	g_assert_cmpstr(h->linux.cgroups_path, ==, "corral/a");
	g_assert_cmpstr(n->linux.cgroups_path, ==, "ci/x/b");
	g_assert_cmpstr(a->linux.cgroups_path, ==, "/abs/c");
	g_assert_cmpstr(r->linux.cgroups_path, ==, "/d");
}

static void test_security(void)
{
	g_autoptr(rt_spec) u = PARSE("--security-opt", "seccomp=unconfined", "true");
	g_autoptr(rt_spec) f = PARSE("--security-opt", "no-new-privileges=false", "true");
	g_autoptr(rt_spec) c = PARSE("--security-opt", "no-new-privileges:false",
				     "--security-opt", "no-new-privileges", "true");

	g_assert_null(u->linux.seccomp);
	g_assert_true(u->process.no_new_privileges);
	g_assert_nonnull(f->linux.seccomp);
	g_assert_false(f->process.no_new_privileges);
	g_assert_true(c->process.no_new_privileges);
}

static void test_caps(void)
{
	g_autoptr(rt_spec) d = PARSE("true");
	g_autoptr(rt_spec) a = PARSE("--cap-add", "SYS_ADMIN", "--cap-drop", "cap_chown", "true");
	g_autoptr(rt_spec) o = PARSE("--cap-drop", "ALL", "--cap-add", "NET_RAW,kill", "true");
	g_autoptr(rt_spec) all = PARSE("--cap-add", "all", "--cap-drop", "SYS_MODULE", "true");
	uint64_t def = d->process.caps.bounding;
	uint64_t every = (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;

	g_assert_cmphex(a->process.caps.bounding, ==, (def | BIT(CAP_SYS_ADMIN)) & ~BIT(CAP_CHOWN));
	g_assert_cmphex(a->process.caps.effective, ==, a->process.caps.bounding);
	g_assert_cmphex(a->process.caps.permitted, ==, a->process.caps.bounding);
	g_assert_cmphex(a->process.caps.inheritable, ==, 0);
	g_assert_cmphex(o->process.caps.bounding, ==, BIT(CAP_NET_RAW) | BIT(CAP_KILL));
	g_assert_cmphex(all->process.caps.bounding, ==, every & ~BIT(CAP_SYS_MODULE));
}

static void test_command(void)
{
	g_autoptr(rt_spec) a = PARSE("--", "-x", "y");
	g_autoptr(rt_spec) b = PARSE("sh", "--memory", "1g", "-h");
	g_autoptr(rt_spec) c = PARSE("-", "x");

	g_assert_true(strv_eq(a->process.args, (const char *const[]){ "-x", "y", NULL }));
	g_assert_true(strv_eq(b->process.args, (const char *const[]){ "sh", "--memory", "1g", "-h", NULL }));
	g_assert_cmpint(b->linux.resources.memory.limit, ==, RT_UNSET);
	g_assert_true(strv_eq(c->process.args, (const char *const[]){ "-", "x", NULL }));
}

/* getopt_long's forms, as Docker's: a valued letter closes a bundle,
 * "--x=v" and "--x v", the last value wins, "--" before a dashed command */
static void test_forms(void)
{
	g_autoptr(rt_spec) a = PARSE("-tim256m", "--cpus=0.5", "--", "-x");
	g_autoptr(rt_spec) b = PARSE("--memory=1g", "-m", "512m", "-iu7:8", "-c512", "sh");
	g_autoptr(rt_spec) c = PARSE("--cgroup-parent", "--init", "--name", "c", "sh");

	g_assert_true(a->process.terminal && a->process.stdin_open);
	g_assert_cmpint(a->linux.resources.memory.limit, ==, 256 << 20);
	g_assert_cmpint(a->linux.resources.cpu.quota, ==, 50000);
	g_assert_true(strv_eq(a->process.args, (const char *const[]){ "-x", NULL }));
	g_assert_cmpint(b->linux.resources.memory.limit, ==, 512 << 20);
	g_assert_true(b->process.stdin_open && !b->process.terminal);
	g_assert_cmpint(b->process.user.uid, ==, 7);
	g_assert_cmpint(b->process.user.gid, ==, 8);
	g_assert_cmpint(b->linux.resources.cpu.shares, ==, 512);
	g_assert_cmpstr(c->linux.cgroups_path, ==, "--init/c"); /* a value, even with dashes */
	g_assert_false(c->init);
}

static bool wants_help(const char *const *args)
{
	char *argv[MAX_ARGS + 1] = { "run" };
	int argc = 1;

	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	return rt_cli_wants_help(argc, argv);
}
#define HELP(...) wants_help((const char *const[]){ __VA_ARGS__, NULL })

static void test_help(void)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(HELP("-h"));
	g_assert_true(HELP("--help"));
	g_assert_true(HELP("--memory", "1g", "--help", "sh"));
	g_assert_true(HELP("-ith"));
	g_assert_false(HELP("sh", "-h"));
	g_assert_false(HELP("--", "-h"));
	g_assert_false(HELP("--name", "-h", "sh"));
	g_assert_false(HELP("--memory", "1g", "sh"));
	g_assert_null(parse_v((const char *const[]){ "--help", NULL }, &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
	g_assert_nonnull(strstr(rt_cli_run_usage, "no-new-privileges[=true|false]  on by default"));
	g_assert_nonnull(strstr(rt_cli_run_usage, "125"));
}

/* ------------------------------------------------------------ errors */

struct bad {
	const char *args[8];
	const char *message; /* "@DIR@"/"@FILE@" replaced */
};

static const struct bad bad[] = {
	{ { NULL }, "no command given (corral run [OPTIONS] [--] CMD [ARG...])" },
	{ { "--memory", "1g" }, "no command given (corral run [OPTIONS] [--] CMD [ARG...])" },
	{ { "--" }, "no command given (corral run [OPTIONS] [--] CMD [ARG...])" },
	{ { "--bogus", "sh" }, "unknown option '--bogus' (see corral run --help)" },
	{ { "-x", "sh" }, "unknown option '-x' in '-x' (see corral run --help)" },
	{ { "-itz", "sh" }, "unknown option '-z' in '-itz' (see corral run --help)" },
	{ { "--memory" }, "--memory: needs a value" },
	{ { "-m" }, "--memory: needs a value" },
	{ { "--init=1", "sh" }, "--init: takes no value" },
	{ { "--tty=true", "sh" }, "--tty: takes no value" },
	{ { "-e" }, "--env: needs a value" },
	{ { "-itm" }, "--memory: needs a value" },
	{ { "--mem", "1g", "sh" }, "unknown option '--mem' (see corral run --help)" },
	{ { "--memory-s=1g", "sh" }, "unknown option '--memory-s=1g' (see corral run --help)" },
	{ { "--na" }, "unknown option '--na' (see corral run --help)" },
	{ { "--t", "sh" }, "unknown option '--t' (see corral run --help)" },
	{ { "--in=1", "sh" }, "unknown option '--in=1' (see corral run --help)" },
	{ { "--memory", "12q", "sh" }, "--memory: invalid size '12q'" },
	{ { "-m", "-1", "sh" }, "--memory: invalid size '-1'" },
	{ { "--memory", "1k", "sh" }, "--memory: must be at least 6m, got '1k'" },
	{ { "--memory-swap", "1x", "sh" }, "--memory-swap: invalid size '1x' (or -1 for unlimited)" },
	{ { "--memory-swap", "1g", "sh" }, "--memory-swap: needs --memory" },
	{ { "--memory", "1g", "--memory-swap", "512m", "sh" },
	  "--memory-swap: must be at least --memory (1g), got '512m'" },
	{ { "--memory-reservation", "x", "sh" }, "--memory-reservation: invalid size 'x'" },
	{ { "--memory", "256m", "--memory-reservation", "512m", "sh" },
	  "--memory-reservation: must not exceed --memory (256m), got '512m'" },
	{ { "--cpus", "-1", "sh" }, "--cpus: must be a positive number, got '-1'" },
	{ { "--cpus", "0", "sh" }, "--cpus: must be a positive number, got '0'" },
	{ { "--cpus", "abc", "sh" }, "--cpus: must be a positive number, got 'abc'" },
	{ { "--cpus", "1x", "sh" }, "--cpus: must be a positive number, got '1x'" },
	{ { "--cpus", "", "sh" }, "--cpus: must be a positive number, got ''" },
	{ { "--cpus", "nan", "sh" }, "--cpus: must be a positive number, got 'nan'" },
	{ { "--cpus", "0.001", "sh" }, "--cpus: must be from 0.01 to 1024, got '0.001'" },
	{ { "--cpus", "2000", "sh" }, "--cpus: must be from 0.01 to 1024, got '2000'" },
	{ { "--cpu-shares", "1", "sh" }, "--cpu-shares: must be an integer from 2 to 262144, got '1'" },
	{ { "--cpu-shares", "300000", "sh" },
	  "--cpu-shares: must be an integer from 2 to 262144, got '300000'" },
	{ { "-c", "x", "sh" }, "--cpu-shares: must be an integer from 2 to 262144, got 'x'" },
	{ { "--cpuset-cpus", "0-", "sh" }, "--cpuset-cpus: invalid CPU list '0-' (expected e.g. 0-2,4)" },
	{ { "--cpuset-cpus", "3-1", "sh" }, "--cpuset-cpus: invalid CPU list '3-1' (expected e.g. 0-2,4)" },
	{ { "--cpuset-cpus", "a", "sh" }, "--cpuset-cpus: invalid CPU list 'a' (expected e.g. 0-2,4)" },
	{ { "--cpuset-cpus", "", "sh" }, "--cpuset-cpus: invalid CPU list '' (expected e.g. 0-2,4)" },
	{ { "--cpuset-cpus", "1,,2", "sh" },
	  "--cpuset-cpus: invalid CPU list '1,,2' (expected e.g. 0-2,4)" },
	{ { "--cpuset-mems", "x", "sh" },
	  "--cpuset-mems: invalid memory node list 'x' (expected e.g. 0-2,4)" },
	{ { "--pids-limit", "-2", "sh" },
	  "--pids-limit: must be a positive integer or -1 (unlimited), got '-2'" },
	{ { "--pids-limit", "ten", "sh" },
	  "--pids-limit: must be a positive integer or -1 (unlimited), got 'ten'" },
	{ { "--device", "/nonexistent-corral", "sh" },
	  "--device: cannot use '/nonexistent-corral': No such file or directory" },
	{ { "--device", "@FILE@", "sh" }, "--device: '@FILE@' is not a device node" },
	{ { "--device", "/dev/null:rel", "sh" }, "--device: container path must be absolute, got 'rel'" },
	{ { "--device", "/dev/null:/dev/n:rwx", "sh" }, "--device: invalid access 'rwx' (a subset of rwm)" },
	{ { "--device", "/a:/b:r:w", "sh" },
	  "--device: expected HOSTPATH[:CONTAINERPATH][:rwm], got '/a:/b:r:w'" },
	{ { "--device", ":/b", "sh" }, "--device: expected HOSTPATH[:CONTAINERPATH][:rwm], got ':/b'" },
	{ { "--name", "_x", "sh" },
	  "--name: invalid name '_x' (letters, digits, '_', '.', '-', starting with a letter or digit)" },
	{ { "--name", "a/b", "sh" },
	  "--name: invalid name 'a/b' (letters, digits, '_', '.', '-', starting with a letter or digit)" },
	{ { "--hostname", "a_b", "sh" }, "--hostname: invalid hostname 'a_b' (letters, digits, '.', '-')" },
	{ { "--user", "bob", "sh" }, "--user: expected UID[:GID] (numbers), got 'bob'" },
	{ { "-u", "1:2:3", "sh" }, "--user: expected UID[:GID] (numbers), got '1:2:3'" },
	{ { "-u", "1:", "sh" }, "--user: expected UID[:GID] (numbers), got '1:'" },
	{ { "--env", "=x", "sh" }, "--env: invalid variable '=x' (expected K=V or K)" },
	{ { "-e", "", "sh" }, "--env: invalid variable '' (expected K=V or K)" },
	{ { "--workdir", "rel", "sh" }, "--workdir: must be an absolute path, got 'rel'" },
	{ { "--volume", "/tmp", "sh" }, "--volume: expected SRC:DST[:ro|rw], got '/tmp'" },
	{ { "-v", "/tmp:/x:rx", "sh" }, "--volume: invalid mode 'rx' (ro or rw)" },
	{ { "-v", "/tmp:x", "sh" }, "--volume: destination must be an absolute path, got 'x'" },
	{ { "-v", "/nonexistent-corral:/x", "sh" },
	  "--volume: cannot use '/nonexistent-corral': No such file or directory" },
	{ { "--network", "bridge", "sh" }, "--network: must be none or host, got 'bridge'" },
	{ { "--cap-add", "FOO", "sh" }, "--cap-add: unknown capability 'FOO'" },
	{ { "--cap-drop", "chown,nope", "sh" }, "--cap-drop: unknown capability 'nope'" },
	{ { "--cap-add", "", "sh" }, "--cap-add: empty capability name" },
	{ { "--security-opt", "seccomp=/nonexistent-corral.json", "sh" },
	  "--security-opt: seccomp profile /nonexistent-corral.json: No such file or directory" },
	{ { "--security-opt", "seccomp=", "sh" }, "--security-opt: seccomp= needs unconfined or a file" },
	{ { "--security-opt", "no-new-privileges=maybe", "sh" },
	  "--security-opt: no-new-privileges takes true or false, got 'maybe'" },
	{ { "--security-opt", "apparmor=x", "sh" },
	  "--security-opt: unknown option 'apparmor=x' (expected seccomp=unconfined, "
	  "seccomp=FILE or no-new-privileges[=true|false])" },
	{ { "--cgroup-parent", "a/../b", "sh" },
	  "--cgroup-parent: invalid path 'a/../b' ('.' and '..' are not allowed)" },
	{ { "--cgroup-parent", "", "sh" }, "--cgroup-parent: empty path" },
	{ { "--views", "", "sh" }, "--views: empty path" },
	{ { "--views", "/v", "--no-views", "sh" }, "--views and --no-views exclude each other" },
	{ { "--rootfs", "/nonexistent-corral", "sh" },
	  "--rootfs: cannot use '/nonexistent-corral': No such file or directory" },
	{ { "--rootfs", "@FILE@", "sh" }, "--rootfs: '@FILE@' is not a directory" },
	{ { "--rootfs", "", "sh" }, "--rootfs: empty path" },
};

static void test_bad(gconstpointer data)
{
	const struct bad *b = data;
	g_autoptr(GError) err = NULL;
	g_autofree char *want = subst(b->message);
	struct rt_spec *s = parse_v(b->args, &err);

	g_assert_null(s);
	g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, want);
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
	int fd, rc;

	g_test_init(&argc, &argv, NULL);
	tmp_dir = g_dir_make_tmp("corral-cli-XXXXXX", NULL);
	fd = g_file_open_tmp("corral-cli-XXXXXX", &tmp_file, NULL);
	g_assert_true(tmp_dir && fd >= 0);
	close(fd);
	g_test_add_func("/size", test_size);
	g_test_add_func("/spec/new", test_spec_new);
	g_test_add_func("/defaults/process", test_default_process);
	g_test_add_func("/defaults/linux", test_default_linux);
	g_test_add_func("/defaults/names", test_default_names);
	g_test_add_func("/options/memory", test_memory);
	g_test_add_func("/options/cpu", test_cpu);
	g_test_add_func("/options/pids", test_pids);
	g_test_add_func("/options/device", test_device);
	g_test_add_func("/options/process", test_process_options);
	g_test_add_func("/options/env", test_env);
	g_test_add_func("/options/filesystem", test_filesystem_options);
	g_test_add_func("/options/network-views-cgroup", test_network_views_cgroup);
	g_test_add_func("/options/security", test_security);
	g_test_add_func("/options/caps", test_caps);
	g_test_add_func("/options/command", test_command);
	g_test_add_func("/options/forms", test_forms);
	g_test_add_func("/options/help", test_help);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *name = g_strdup_printf("/errors/%02zu %s", i,
							bad[i].args[0] ? bad[i].args[0] : "(none)");
		g_test_add_data_func(name, &bad[i], test_bad);
	}
	rc = g_test_run();
	remove(tmp_file);
	rmdir(tmp_dir);
	return rc;
}
