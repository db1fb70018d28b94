/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `corral delegate` options: every combination, every usage error message. */
#include "runtime/cli/cli.h"
#include "runtime/cli/delegate.h"

#include <string.h>

/* Parses "delegate" + the NULL-terminated @args. */
static struct rt_delegate *parse_v(const char *const *args, GError **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();

	g_ptr_array_add(argv, "delegate");
	for (; *args; args++)
		g_ptr_array_add(argv, (char *)*args);
	g_ptr_array_add(argv, NULL);
	return rt_cli_parse_delegate(argv->len - 1, (char **)argv->pdata, err);
}

#define PARSE(...) parse_ok((const char *const[]){ __VA_ARGS__, NULL })
#define BAD(msg, ...) parse_bad(msg, (const char *const[]){ __VA_ARGS__, NULL })

static struct rt_delegate *parse_ok(const char *const *args)
{
	g_autoptr(GError) err = NULL;
	struct rt_delegate *d = parse_v(args, &err);

	g_assert_no_error(err);
	g_assert_nonnull(d);
	return d;
}

static void parse_bad(const char *msg, const char *const *args)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(rt_delegate) d = parse_v(args, &err);

	g_assert_null(d);
	g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, msg);
}

static void test_minimal(void)
{
	g_autoptr(rt_delegate) d = PARSE("--user", "alice", "dtest");

	g_assert_false(d->help);
	g_assert_null(d->remove);
	g_assert_cmpstr(d->user, ==, "alice");
	g_assert_null(d->group);
	g_assert_cmpstr(d->cgroup, ==, "dtest");
	g_assert_cmpstr(d->path, ==, "dtest");
	g_assert_false(d->absolute);
	g_assert_null(d->cmd);
	g_assert_cmpint(d->res.memory.limit, ==, RT_UNSET);
	g_assert_cmpint(d->res.memory.swap, ==, RT_UNSET);
	g_assert_cmpint(d->res.cpu.quota, ==, RT_UNSET);
	g_assert_cmpint(d->res.cpu.shares, ==, RT_UNSET);
	g_assert_null(d->res.cpu.cpus);
	g_assert_cmpint(d->res.pids.limit, ==, RT_UNSET);
	g_assert_null(d->res.devices);
}

static void test_paths(void)
{
	static const struct { const char *arg, *path; bool absolute; } ok[] = {
		{ "dtest", "dtest", false },
		{ "a/b", "a/b", false },
		{ "a//b/", "a/b", false },
		{ "/a/b", "a/b", true },
		{ "//a///b//", "a/b", true },
		{ "/dtest", "dtest", true },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autoptr(rt_delegate) d = PARSE("-u", "alice", ok[i].arg);

		g_assert_cmpstr(d->cgroup, ==, ok[i].arg);
		g_assert_cmpstr(d->path, ==, ok[i].path);
		g_assert_cmpint(d->absolute, ==, ok[i].absolute);
	}
	BAD("invalid CGROUP '/' (no cgroup name)", "--user", "u", "/");
	BAD("invalid CGROUP '' (no cgroup name)", "--user", "u", "");
	BAD("invalid CGROUP 'a/../b' ('.' and '..' are not allowed)", "--user", "u", "a/../b");
	BAD("invalid CGROUP '/./a' ('.' and '..' are not allowed)", "--user", "u", "/./a");
	BAD("invalid CGROUP '..' ('.' and '..' are not allowed)", "--remove", "..");
}

static void test_limits(void)
{
	g_autoptr(rt_delegate) d = PARSE("--user", "alice", "--memory", "64m", "--memory-swap",
					 "128m", "--cpus", "0.5", "-c", "512", "--cpuset-cpus",
					 "0-1", "--pids-limit", "50", "--group", "staff", "dtest");

	g_assert_cmpstr(d->group, ==, "staff");
	g_assert_cmpint(d->res.memory.limit, ==, 67108864);
	g_assert_cmpint(d->res.memory.swap, ==, 134217728);
	g_assert_cmpint(d->res.cpu.quota, ==, 50000);
	g_assert_cmpint(d->res.cpu.period, ==, 100000);
	g_assert_cmpint(d->res.cpu.shares, ==, 512);
	g_assert_cmpstr(d->res.cpu.cpus, ==, "0-1");
	g_assert_null(d->res.cpu.mems);
	g_assert_cmpint(d->res.pids.limit, ==, 50);
}

/* Options after CGROUP too, and -m256m / --memory=... as `corral run` */
static void test_order(void)
{
	g_autoptr(rt_delegate) d = PARSE("dtest", "-m256m", "--user=alice", "--pids-limit=-1");

	g_assert_cmpstr(d->path, ==, "dtest");
	g_assert_cmpstr(d->user, ==, "alice");
	g_assert_cmpint(d->res.memory.limit, ==, 268435456);
	g_assert_cmpint(d->res.pids.limit, ==, -1);
}

static void test_cmd(void)
{
	g_autoptr(rt_delegate) d = PARSE("--user", "alice", "dtest", "--", "sh", "-c", "id -u",
					 "--memory", "1");
	static const char *const want[] = { "sh", "-c", "id -u", "--memory", "1", NULL };

	g_assert_nonnull(d->cmd);
	g_assert_cmpuint(g_strv_length(d->cmd), ==, 5);
	for (guint i = 0; want[i]; i++)
		g_assert_cmpstr(d->cmd[i], ==, want[i]);
	g_assert_cmpint(d->res.memory.limit, ==, RT_UNSET);
	BAD("no command after '--'", "--user", "alice", "dtest", "--");
}

static void test_remove(void)
{
	g_autoptr(rt_delegate) d = PARSE("--remove", "/a/dtest");

	g_assert_cmpstr(d->remove, ==, "/a/dtest");
	g_assert_cmpstr(d->path, ==, "a/dtest");
	g_assert_true(d->absolute);
	g_assert_null(d->user);
	BAD("--remove: takes no limit (got --memory)", "--remove", "dtest", "--memory", "64m");
	BAD("--remove: takes no limit (got --pids-limit)", "--pids-limit", "5", "--remove", "d");
	BAD("--remove: takes no --user", "--remove", "dtest", "--user", "alice");
	BAD("--remove: takes no --group", "--remove", "dtest", "--group", "staff");
	BAD("--remove: takes no command", "--remove", "dtest", "--", "true");
	BAD("--remove: takes one CGROUP, got also 'other'", "--remove", "dtest", "other");
	BAD("--remove: needs a value", "--remove");
}

static void test_errors(void)
{
	BAD("--user is required (the user CGROUP is delegated to)", "dtest");
	BAD("--user is required (the user CGROUP is delegated to)", "--memory", "64m", "dtest");
	BAD("no CGROUP given (corral delegate --user USER [OPTIONS] CGROUP [-- CMD [ARG...]])",
	    "--user", "alice");
	BAD("one CGROUP only, got 'a' and 'b'", "--user", "alice", "a", "b");
	BAD("--memory: invalid size 'abc'", "--user", "alice", "--memory", "abc", "dtest");
	BAD("--memory: must be at least 6m, got '1m'", "--user", "alice", "-m", "1m", "dtest");
	BAD("--memory-swap: needs --memory", "--user", "alice", "--memory-swap", "1g", "dtest");
	BAD("--memory-swap: must be at least --memory (64m), got '32m'", "--user", "alice",
	    "--memory", "64m", "--memory-swap", "32m", "dtest");
	BAD("--cpus: must be a positive number, got 'x'", "--user", "a", "--cpus", "x", "d");
	BAD("--cpu-shares: must be an integer from 2 to 262144, got '1'", "--user", "a",
	    "--cpu-shares", "1", "d");
	BAD("--cpuset-cpus: invalid CPU list '3-1' (expected e.g. 0-2,4)", "--user", "a",
	    "--cpuset-cpus", "3-1", "d");
	BAD("--pids-limit: must be a positive integer or -1 (unlimited), got 'many'", "--user",
	    "a", "--pids-limit", "many", "d");
	BAD("--user: needs a value", "--user");
	BAD("--user: empty value", "--user", "", "d");
	BAD("--help: takes no value", "--help=yes");
	BAD("unknown option '--cpuset-mems' (see corral delegate --help)", "--user", "a",
	    "--cpuset-mems", "0", "d");
	BAD("unknown option '--mem' (see corral delegate --help)", "--user", "a", "--mem", "6m",
	    "d");
	BAD("unknown option '-x' in '-x' (see corral delegate --help)", "-x");
}

static void test_help(void)
{
	g_autoptr(rt_delegate) d = PARSE("--user", "alice", "--help");

	g_assert_true(d->help);
	g_assert_nonnull(strstr(rt_cli_delegate_usage,
				"corral delegate --user USER [--group GROUP] [--memory SIZE]"));
	g_assert_nonnull(strstr(rt_cli_delegate_usage, "corral delegate --remove CGROUP\n"));
}

/* The limit options of `corral run`, shared: only those. */
static void test_parse_limits(void)
{
	const char *const ok[] = { "--memory", "6m", "--memory-reservation", "4m",
				   "--cpuset-mems", "0", NULL };
	const char *const bad[] = { "--name", "x", NULL };
	struct rt_resources r;
	g_autoptr(GError) err = NULL;

	g_assert_true(rt_cli_parse_limits(ok, &r, &err));
	g_assert_cmpint(r.memory.limit, ==, 6 << 20);
	g_assert_cmpint(r.memory.reservation, ==, 4 << 20);
	g_assert_cmpstr(r.cpu.mems, ==, "0");
	g_assert_null(r.devices);
	g_free(r.cpu.mems);
	g_assert_false(rt_cli_parse_limits(bad, &r, &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, "--name: is not a limit option");
}

/* The kernel's list when there is one (this machine's), v1's tasks added. */
static void test_delegated_files(void)
{
	g_auto(GStrv) files = dg_delegated_files();
	g_autofree char *text = NULL;
	g_autoptr(GString) want = g_string_new(NULL);
	g_autofree char *got = NULL;

	if (!g_file_get_contents("/sys/kernel/cgroup/delegate", &text, NULL, NULL))
		text = g_strdup("cgroup.procs\ncgroup.threads\ncgroup.subtree_control\n"
				"memory.oom.group\nmemory.reclaim\n");
	g_string_append(want, text);
	g_string_append(want, "tasks\n");
	got = g_strjoinv("\n", files);
	g_assert_cmpstr(got, ==, g_strchomp(want->str));
	g_assert_true(g_strv_contains((const char *const *)files, "cgroup.procs"));
	g_assert_false(g_strv_contains((const char *const *)files, "memory.max"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/delegate/minimal", test_minimal);
	g_test_add_func("/delegate/paths", test_paths);
	g_test_add_func("/delegate/limits", test_limits);
	g_test_add_func("/delegate/order", test_order);
	g_test_add_func("/delegate/cmd", test_cmd);
	g_test_add_func("/delegate/remove", test_remove);
	g_test_add_func("/delegate/errors", test_errors);
	g_test_add_func("/delegate/help", test_help);
	g_test_add_func("/delegate/parse-limits", test_parse_limits);
	g_test_add_func("/delegate/delegated-files", test_delegated_files);
	return g_test_run();
}
