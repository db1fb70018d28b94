/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: the default seccomp profile, the filter builder, and the
 * filter itself loaded in a child process (no root needed). */
#include "runtime/internal.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void seccomp_free0(struct rt_seccomp *s)
{
	rt_seccomp_free(s);
}
typedef struct rt_seccomp rt_seccomp_t;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rt_seccomp_t, seccomp_free0)

/* The rules naming @name, and the errno of the last one. */
static guint rules_for(const struct rt_seccomp *s, const char *name, int *errno_ret)
{
	guint n = 0;

	for (guint i = 0; i < s->rules->len; i++) {
		const struct rt_seccomp_rule *r = &g_array_index(s->rules, struct rt_seccomp_rule, i);
		if (g_strv_contains((const char *const *)r->names, name)) {
			g_assert_cmpint(r->action, ==, RT_SECCOMP_ERRNO);
			*errno_ret = r->errno_ret;
			n++;
		}
	}
	return n;
}

static void test_default_profile(void)
{
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default();
	const char *const eperm[] = { "keyctl", "add_key", "request_key", "kexec_load",
				      "init_module", "finit_module", "delete_module", "bpf",
				      "perf_event_open", "userfaultfd", "unshare", "setns",
				      "mount", "umount2", "pivot_root", "reboot", "swapon",
				      "acct", "settimeofday", "clock_settime",
				      "open_by_handle_at", NULL };
	int e = 0;

	g_assert_cmpint(s->default_action, ==, RT_SECCOMP_ALLOW);
	for (const char *const *n = eperm; *n; n++) {
		g_assert_cmpuint(rules_for(s, *n, &e), ==, 1);
		g_assert_cmpint(e, ==, EPERM);
	}
	g_assert_cmpuint(rules_for(s, "clone", &e), ==, 7);
	g_assert_cmpint(e, ==, EPERM);
	g_assert_cmpuint(rules_for(s, "clone3", &e), ==, 1);
	g_assert_cmpint(e, ==, ENOSYS);
	g_assert_cmpuint(rules_for(s, "ptrace", &e), ==, 0);
	g_assert_cmpuint(rules_for(s, "read", &e), ==, 0);
}

static void test_clone_conditions(void)
{
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default();
	uint64_t flags = 0;

	for (guint i = 0; i < s->rules->len; i++) {
		const struct rt_seccomp_rule *r = &g_array_index(s->rules, struct rt_seccomp_rule, i);
		if (!g_strv_contains((const char *const *)r->names, "clone"))
			continue;
		g_assert_cmpuint(r->args->len, ==, 1);
		const struct rt_seccomp_arg *a = &g_array_index(r->args, struct rt_seccomp_arg, 0);
		g_assert_cmpuint(a->index, ==, 0);
		g_assert_cmpint(a->op, ==, RT_OP_MASKED_EQ);
		g_assert_cmpuint(a->value, ==, a->value_two);
		flags |= a->value;
	}
	g_assert_cmpuint(flags, ==, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
				    CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP);
}

/* The filter as libseccomp's pseudo code. */
static char *export_pfc(scmp_filter_ctx ctx)
{
	int fd = memfd_create("pfc", MFD_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(seccomp_export_pfc(ctx, fd), ==, 0);
	off_t len = lseek(fd, 0, SEEK_END);
	char *text = g_malloc0((gsize)len + 1);
	g_assert_cmpint(pread(fd, text, (size_t)len, 0), ==, len);
	close(fd);
	return text;
}

static void test_build(void)
{
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default();
	g_autoptr(GError) err = NULL;
	scmp_filter_ctx ctx = NULL;

	g_assert_true(rt_seccomp_build(s, false, &ctx, &err));
	g_assert_no_error(err);
	g_autofree char *pfc = export_pfc(ctx);
	g_autoptr(GBytes) prog = NULL;
	g_assert_true(rt_seccomp_export(ctx, &prog, &err));
	g_assert_cmpuint(g_bytes_get_size(prog) % 8, ==, 0); /* struct sock_filter */
	g_assert_cmpuint(g_bytes_get_size(prog), >, 8 * 20);
	seccomp_release(ctx);
	g_assert_nonnull(strstr(pfc, "\"keyctl\""));
	g_assert_nonnull(strstr(pfc, "\"clone\""));
	g_assert_nonnull(strstr(pfc, "ERRNO(1)"));
	g_assert_nonnull(strstr(pfc, "ERRNO(38)")); /* clone3: ENOSYS */
	g_assert_null(strstr(pfc, "\"ptrace\""));
}

static struct rt_seccomp *custom_profile(const char *arch, const char *name, unsigned index)
{
	struct rt_seccomp *s = g_new0(struct rt_seccomp, 1);
	struct rt_seccomp_rule r = { .names = g_strsplit(name, ",", -1),
				     .action = RT_SECCOMP_ERRNO, .errno_ret = EPERM };
	struct rt_seccomp_arg a = { .index = index, .value = 1, .op = RT_OP_EQ };

	s->default_action = RT_SECCOMP_ALLOW;
	s->architectures = arch ? g_strsplit(arch, ",", -1) : NULL;
	s->rules = g_array_new(FALSE, TRUE, sizeof r);
	r.args = g_array_new(FALSE, TRUE, sizeof a);
	g_array_append_val(r.args, a);
	g_array_append_val(s->rules, r);
	return s;
}

static void test_build_errors(void)
{
	g_autoptr(rt_seccomp_t) unknown = custom_profile(NULL, "no_such_syscall,getpid", 0);
	g_autoptr(rt_seccomp_t) bad_arch = custom_profile("SCMP_ARCH_NOPE", "getpid", 0);
	g_autoptr(rt_seccomp_t) bad_arg = custom_profile(NULL, "getpid", 6);
	scmp_filter_ctx ctx = NULL;
	GError *err = NULL;

	/* a name unknown here is skipped, the others still added */
	g_assert_true(rt_seccomp_build(unknown, false, &ctx, &err));
	g_assert_no_error(err);
	seccomp_release(ctx);
	g_assert_false(rt_seccomp_build(bad_arch, false, &ctx, &err));
	g_assert_cmpstr(err->message, ==, "seccomp: unknown architecture SCMP_ARCH_NOPE");
	g_clear_error(&err);
	g_assert_false(rt_seccomp_build(bad_arg, false, &ctx, &err));
	g_assert_cmpstr(err->message, ==, "seccomp: bad argument condition (index 6, op 3)");
	g_clear_error(&err);
}

/* In a child: load the default filter as corral does (exported to BPF,
 * loaded after no_new_privs), then try what it forbids. */
static int child_checks(void)
{
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default();
	scmp_filter_ctx ctx = NULL;

	g_autoptr(GBytes) prog = NULL;
	gsize len;

	if (!rt_seccomp_build(s, true, &ctx, NULL) || !rt_seccomp_export(ctx, &prog, NULL))
		return 10;
	seccomp_release(ctx);
	const void *data = g_bytes_get_data(prog, &len);
	if (len % 8 != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    !rt_seccomp_load(data, len, NULL))
		return 9;
	if (syscall(SYS_keyctl, 0, 0, 0, 0, 0) != -1 || errno != EPERM)
		return 11;
	if (unshare(CLONE_NEWNS) != -1 || errno != EPERM)
		return 12;
	if (syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0) != -1 || errno != EPERM)
		return 13;
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		return 14;
	pid_t p = fork(); /* clone without namespace flags */
	if (p == 0)
		_exit(0);
	if (p < 0 || waitpid(p, NULL, 0) != p)
		return 15;
	return 0;
}

static void test_filter_loaded(void)
{
	int st;
	pid_t pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0)
		_exit(child_checks());
	g_assert_cmpint(waitpid(pid, &st, 0), ==, pid);
	g_assert_true(WIFEXITED(st));
	g_assert_cmpint(WEXITSTATUS(st), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seccomp/default-profile", test_default_profile);
	g_test_add_func("/seccomp/clone-conditions", test_clone_conditions);
	g_test_add_func("/seccomp/build", test_build);
	g_test_add_func("/seccomp/build-errors", test_build_errors);
	g_test_add_func("/seccomp/filter-loaded", test_filter_loaded);
	return g_test_run();
}
