/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: the default seccomp profile, the filter builder, and the
 * filter itself loaded in a child process (no root needed), probed with
 * calls whose answer only the filter changes. */
#include "runtime/process/process.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

static struct rt_seccomp *custom_profile(const char *arch, const char *name, unsigned index);

/* Docker's default capability set, as `corral run` starts from. */
static struct rt_caps docker_caps(void)
{
	g_autoptr(rt_spec) spec = rt_spec_new();

	rt_spec_set_defaults(spec);
	return spec->process.caps;
}

static struct rt_caps with_cap(int cap)
{
	struct rt_caps c = docker_caps();

	c.bounding |= UINT64_C(1) << cap;
	return c;
}

/* The rules naming @name: how many, and the last one. */
static guint rules_for(const struct rt_seccomp *s, const char *name,
		       const struct rt_seccomp_rule **last)
{
	guint n = 0;

	for (guint i = 0; i < s->rules->len; i++) {
		const struct rt_seccomp_rule *r = &g_array_index(s->rules, struct rt_seccomp_rule, i);
		if (g_strv_contains((const char *const *)r->names, name)) {
			*last = r;
			n++;
		}
	}
	return n;
}

/* @name allowed by one rule without argument conditions. */
static bool allowed_plain(const struct rt_seccomp *s, const char *name)
{
	const struct rt_seccomp_rule *r = NULL;

	return rules_for(s, name, &r) == 1 && r->action == RT_SECCOMP_ALLOW && r->args == NULL;
}

static void test_default_profile(void)
{
	struct rt_caps caps = docker_caps();
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&caps);
	const char *const allowed[] = { "read", "getpid", "execve", "futex", "openat", "wait4",
					"chroot", "ptrace", "arch_prctl", "name_to_handle_at",
					"fchmodat2", NULL };
	const char *const denied[] = { "keyctl", "add_key", "request_key", "kexec_load",
				       "init_module", "finit_module", "delete_module", "bpf",
				       "perf_event_open", "userfaultfd", "unshare", "setns",
				       "mount", "umount2", "pivot_root", "reboot", "swapon",
				       "acct", "settimeofday", "clock_settime", "open_by_handle_at",
				       "io_uring_setup", "io_uring_enter", "kcmp", "syslog",
				       "sethostname", "mbind", "iopl", NULL };
	const struct rt_seccomp_rule *r = NULL;

	g_assert_cmpint(s->default_action, ==, RT_SECCOMP_ERRNO);
	g_assert_cmpint(s->default_errno, ==, EPERM);
	for (const char *const *n = allowed; *n; n++)
		g_assert_true(allowed_plain(s, *n) || (g_test_message("%s", *n), false));
	for (const char *const *n = denied; *n; n++)
		g_assert_cmpuint(rules_for(s, *n, &r), ==, 0);
	g_assert_cmpuint(rules_for(s, "personality", &r), ==, 5);
	g_assert_cmpuint(rules_for(s, "clone3", &r), ==, 1);
	g_assert_cmpint(r->action, ==, RT_SECCOMP_ERRNO);
	g_assert_cmpint(r->errno_ret, ==, ENOSYS);
	g_assert_cmpuint(rules_for(s, "socket", &r), ==, 1);
	g_assert_cmpuint(r->args->len, ==, 1);
	g_assert_cmpint(g_array_index(r->args, struct rt_seccomp_arg, 0).op, ==, RT_OP_NE);
	g_assert_cmpuint(g_array_index(r->args, struct rt_seccomp_arg, 0).value, ==, 40);
}

static void test_clone_conditions(void)
{
	struct rt_caps caps = docker_caps();
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&caps);
	const struct rt_seccomp_rule *r = NULL;

	g_assert_cmpuint(rules_for(s, "clone", &r), ==, 1);
	g_assert_cmpint(r->action, ==, RT_SECCOMP_ALLOW);
	g_assert_cmpuint(r->args->len, ==, 1);
	const struct rt_seccomp_arg *a = &g_array_index(r->args, struct rt_seccomp_arg, 0);
	g_assert_cmpuint(a->index, ==, 0);
	g_assert_cmpint(a->op, ==, RT_OP_MASKED_EQ);
	g_assert_cmpuint(a->value, ==, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
				       CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP);
	g_assert_cmpuint(a->value_two, ==, 0);
}

/* Each capability's exception: absent without it, allowed with it. */
static void test_cap_exceptions(void)
{
	static const struct { int cap; const char *names[6]; } table[] = {
		{ CAP_SYS_ADMIN, { "mount", "unshare", "setns", "clone3", "sethostname", "bpf" } },
		{ CAP_SYS_PTRACE, { "kcmp", "pidfd_getfd", "process_madvise" } },
		{ CAP_SYS_MODULE, { "init_module", "finit_module", "delete_module" } },
		{ CAP_SYS_BOOT, { "reboot" } },
		{ CAP_SYS_TIME, { "settimeofday", "clock_settime" } },
		{ CAP_SYSLOG, { "syslog" } },
		{ CAP_SYS_PACCT, { "acct" } },
		{ CAP_SYS_RAWIO, { "iopl", "ioperm" } },
		{ CAP_SYS_NICE, { "mbind", "set_mempolicy", "get_mempolicy" } },
		{ CAP_SYS_TTY_CONFIG, { "vhangup" } },
		{ CAP_DAC_READ_SEARCH, { "open_by_handle_at" } },
		{ CAP_BPF, { "bpf" } },
		{ CAP_PERFMON, { "perf_event_open" } },
	};
	struct rt_caps none = docker_caps();
	g_autoptr(rt_seccomp_t) base = rt_seccomp_default(&none);
	const struct rt_seccomp_rule *r = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(table); i++) {
		struct rt_caps caps = with_cap(table[i].cap);
		g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&caps);

		for (int j = 0; j < 6 && table[i].names[j]; j++) {
			const char *n = table[i].names[j];
			bool plain = g_strcmp0(n, "clone3") != 0;

			g_test_message("cap %d: %s", table[i].cap, n);
			g_assert_false(allowed_plain(base, n));
			g_assert_true(rules_for(s, n, &r) >= 1 && r->action == RT_SECCOMP_ALLOW);
			g_assert_true(!plain || r->args == NULL);
		}
	}
	/* CAP_SYS_ADMIN: clone with any flags, clone3 allowed (no ENOSYS rule) */
	struct rt_caps admin = with_cap(CAP_SYS_ADMIN);
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&admin);
	g_assert_true(allowed_plain(s, "clone"));
	g_assert_true(allowed_plain(s, "clone3"));
	/* NULL caps: none held, not even CAP_SYS_CHROOT */
	g_autoptr(rt_seccomp_t) bare = rt_seccomp_default(NULL);
	g_assert_cmpuint(rules_for(bare, "chroot", &r), ==, 0);
	g_assert_true(allowed_plain(base, "chroot"));
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

/* libseccomp's own program for @s, without corral's stub. */
static struct sock_filter *export_raw(const struct rt_seccomp *s, gsize *len)
{
	g_autoptr(GError) err = NULL;
	scmp_filter_ctx ctx = NULL;

	g_assert_true(rt_seccomp_build(s, false, &ctx, &err));
	int fd = memfd_create("bpf", MFD_CLOEXEC);
	g_assert_cmpint(seccomp_export_bpf(ctx, fd), ==, 0);
	seccomp_release(ctx);
	*len = (gsize)lseek(fd, 0, SEEK_END);
	struct sock_filter *f = g_malloc(*len);
	g_assert_cmpint(pread(fd, f, *len, 0), ==, (ssize_t)*len);
	close(fd);
	return f;
}

/* The program for @s as corral exports it. */
static GBytes *compile(const struct rt_seccomp *s)
{
	g_autoptr(GError) err = NULL;
	scmp_filter_ctx ctx = NULL;
	GBytes *prog = NULL;

	g_assert_true(rt_seccomp_build(s, false, &ctx, &err));
	g_assert_true(rt_seccomp_export(ctx, &prog, &err));
	g_assert_no_error(err);
	seccomp_release(ctx);
	return prog;
}

static void test_build(void)
{
	struct rt_caps caps = docker_caps();
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&caps);
	g_autoptr(GError) err = NULL;
	scmp_filter_ctx ctx = NULL;

	g_assert_true(rt_seccomp_build(s, false, &ctx, &err));
	g_assert_no_error(err);
	g_autofree char *pfc = export_pfc(ctx);
	seccomp_release(ctx);
	g_autoptr(GBytes) prog = compile(s);
	g_assert_cmpuint(g_bytes_get_size(prog) % 8, ==, 0); /* struct sock_filter */
	g_assert_cmpuint(g_bytes_get_size(prog), >, 8 * 300);
	g_assert_nonnull(strstr(pfc, "\"read\""));
	g_assert_nonnull(strstr(pfc, "\"clone\""));
	g_assert_nonnull(strstr(pfc, "action ERRNO(1)")); /* the default */
	g_assert_nonnull(strstr(pfc, "ERRNO(38)")); /* clone3: ENOSYS */
	g_assert_null(strstr(pfc, "\"keyctl\""));
}

/* The ENOSYS stub: ld arch, then per architecture jeq arch / ld nr /
 * jgt newest; only before profiles whose default is an errno but ENOSYS. */
static void test_enosys_stub(void)
{
	struct rt_caps caps = docker_caps();
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&caps);
	g_autoptr(rt_seccomp_t) allow = custom_profile(NULL, "getpid", 0);
	g_autoptr(GBytes) prog = compile(s);
	g_autoptr(GBytes) plain = compile(allow);
	const struct sock_filter *f = g_bytes_get_data(prog, NULL);
	const struct sock_filter *p = g_bytes_get_data(plain, NULL);
	int newest = rt_seccomp_newest_syscall(seccomp_arch_native());

	g_assert_cmpint(newest, >=, 400);
	g_assert_cmpuint(f[0].code, ==, BPF_LD | BPF_W | BPF_ABS);
	g_assert_cmpuint(f[0].k, ==, offsetof(struct seccomp_data, arch));
	g_assert_cmpuint(f[1].code, ==, BPF_JMP | BPF_JEQ | BPF_K);
	g_assert_cmpuint(f[1].k, ==, seccomp_arch_native());
	g_assert_cmpuint(f[2].k, ==, offsetof(struct seccomp_data, nr));
	/* libseccomp's own program starts by loading the architecture too */
	g_assert_cmpuint(p[0].code, ==, BPF_LD | BPF_W | BPF_ABS);
	g_assert_cmpuint(p[0].k, ==, offsetof(struct seccomp_data, arch));
	/* after the stub, libseccomp's program unchanged */
	gsize raw_len = 0;
	g_autofree struct sock_filter *raw = export_raw(s, &raw_len);
	gsize stub = (g_bytes_get_size(prog) - raw_len) / 8;
#if defined(__x86_64__)
	g_assert_cmpuint(stub, ==, 11); /* ld; x86_64 + x32: 5; x86: 3; ja; ret */
#else
	g_assert_cmpuint(stub, >=, 6);
#endif
	g_assert_cmpuint(f[stub - 1].code, ==, BPF_RET | BPF_K);
	g_assert_cmpuint(f[stub - 1].k, ==, SECCOMP_RET_ERRNO | ENOSYS);
	g_assert_cmpmem(f + stub, raw_len, raw, raw_len);
	/* no stub when the default is ENOSYS already, or to allow */
	g_autofree struct sock_filter *raw_plain = export_raw(allow, &raw_len);
	g_assert_cmpmem(p, g_bytes_get_size(plain), raw_plain, raw_len);
	s->default_errno = ENOSYS;
	g_autoptr(GBytes) nosys = compile(s);
	g_autofree struct sock_filter *raw_nosys = export_raw(s, &raw_len);
	g_assert_cmpmem(g_bytes_get_data(nosys, NULL), g_bytes_get_size(nosys), raw_nosys, raw_len);
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

/* rt_seccomp_compile: the program stored under the profile's key, read
 * back from there, and the cache skipped when others may write to it. */
static void test_cache(void)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *dir = g_dir_make_tmp("corral-seccomp-XXXXXX", &err);
	struct rt_caps caps = docker_caps(), admin = with_cap(CAP_SYS_ADMIN);
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(&caps);
	g_autoptr(rt_seccomp_t) t = rt_seccomp_default(&admin);
	g_autofree char *key = rt_seccomp_cache_key(s);
	g_autofree char *key2 = rt_seccomp_cache_key(s);
	g_autofree char *key_admin = rt_seccomp_cache_key(t);
	g_autofree char *file = g_build_filename(dir, key, NULL);
	g_autoptr(GBytes) fresh = compile(s), first = NULL, planted = NULL, distrusted = NULL;
	const struct sock_filter allow_all = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	g_autofree char *stored = NULL;
	gsize len = 0;

	g_assert_no_error(err);
	g_assert_cmpuint(strlen(key), ==, 64);
	g_assert_cmpstr(key, ==, key2);
	g_assert_cmpstr(key, !=, key_admin);
	g_setenv("CORRAL_SECCOMP_CACHE", dir, TRUE);
	g_assert_true(rt_seccomp_compile(s, &first, &err));
	g_assert_true(g_bytes_equal(first, fresh));
	g_assert_true(g_file_get_contents(file, &stored, &len, NULL));
	g_assert_cmpmem(stored, len, g_bytes_get_data(fresh, NULL), g_bytes_get_size(fresh));
	/* what the file holds is what comes back */
	g_assert_true(g_file_set_contents(file, (const char *)&allow_all, sizeof allow_all, NULL));
	g_assert_true(rt_seccomp_compile(s, &planted, &err));
	g_assert_cmpmem(g_bytes_get_data(planted, NULL), g_bytes_get_size(planted), &allow_all,
			sizeof allow_all);
	/* a directory others can write to is not trusted */
	g_assert_cmpint(chmod(dir, 0777), ==, 0);
	g_assert_true(rt_seccomp_compile(s, &distrusted, &err));
	g_assert_true(g_bytes_equal(distrusted, fresh));
	g_unsetenv("CORRAL_SECCOMP_CACHE");
	g_assert_cmpint(unlink(file), ==, 0);
	g_assert_cmpint(rmdir(dir), ==, 0);
}

/* ------------------------------------------------ the filter, loaded */

static int res(long rc)
{
	return rc < 0 ? errno : 0;
}

static int p_getpid(void) { return res(syscall(SYS_getpid)); }
static int p_unshare_user(void) { return res(unshare(CLONE_NEWUSER)); }
static int p_pers_linux(void) { return res(personality(PER_LINUX)); }
static int p_pers_query(void) { return res(personality(0xffffffff)); }
static int p_pers_other(void) { return res(personality(ADDR_NO_RANDOMIZE)); }
static int p_kexec(void) { return res(syscall(SYS_kexec_load, 0, 0, NULL, 0)); }
static int p_handle(void) { return res(syscall(SYS_open_by_handle_at, -1, NULL, 0)); }
static int p_keyctl(void) { return res(syscall(SYS_keyctl, 0, 0, 0, 0, 0)); }
static int p_clone3(void) { return res(syscall(SYS_clone3, NULL, 0)); }
static int p_made_up(void) { return res(syscall(1000, 0, 0, 0, 0, 0)); }
#if defined(__x86_64__)
/* in x86_64's gap between rseq (334) and pidfd_send_signal (424) */
static int p_gap(void) { return res(syscall(400, 0, 0, 0, 0, 0)); }
#endif

static int p_newest_plus_one(void)
{
	return res(syscall(rt_seccomp_newest_syscall(seccomp_arch_native()) + 1, 0, 0, 0, 0, 0));
}

static int p_vsock(void)
{
	int fd = socket(AF_VSOCK, SOCK_STREAM, 0);
	int e = res(fd);

	if (fd >= 0)
		close(fd);
	return e;
}

/* clone(2) with @flags; the child exits at once. */
static int do_clone(unsigned long flags)
{
	long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return errno;
	return waitpid((pid_t)pid, NULL, 0) == pid ? 0 : errno;
}

static int p_fork(void) { return do_clone(0); }
static int p_clone_user(void) { return do_clone(CLONE_NEWUSER); }

enum { SKIP = -1, DIFF = -2 }; /* not run; anything but the filter's answer */

/* Each probe's answer under the default filter (Docker's capabilities),
 * under the filter built with CAP_SYS_ADMIN added, and with no filter. */
static const struct probe {
	const char *what;
	int (*fn)(void);
	int want[3];
} probes[] = {
	{ "getpid", p_getpid, { 0, 0, 0 } },
	{ "fork (clone without namespace flags)", p_fork, { 0, 0, 0 } },
	{ "personality(PER_LINUX)", p_pers_linux, { 0, 0, 0 } },
	{ "personality(0xffffffff)", p_pers_query, { 0, 0, 0 } },
	{ "personality(ADDR_NO_RANDOMIZE)", p_pers_other, { EPERM, EPERM, 0 } },
	{ "socket(AF_VSOCK)", p_vsock, { EPERM, EPERM, DIFF } },
	{ "kexec_load", p_kexec, { EPERM, EPERM, SKIP } },
	{ "open_by_handle_at", p_handle, { EPERM, EPERM, SKIP } },
	{ "keyctl", p_keyctl, { EPERM, EPERM, SKIP } },
	{ "clone3", p_clone3, { ENOSYS, EINVAL, EINVAL } },
	{ "newest syscall + 1", p_newest_plus_one, { ENOSYS, ENOSYS, SKIP } },
	{ "syscall 1000", p_made_up, { ENOSYS, ENOSYS, ENOSYS } },
#if defined(__x86_64__)
	{ "syscall 400 (no syscall, below the newest)", p_gap, { EPERM, EPERM, ENOSYS } },
#endif
	{ "clone(CLONE_NEWUSER)", p_clone_user, { EPERM, 0, 0 } },
	{ "unshare(CLONE_NEWUSER)", p_unshare_user, { EPERM, 0, 0 } },
};

static bool load_filter(const struct rt_caps *caps, GString *msg)
{
	g_autoptr(rt_seccomp_t) s = rt_seccomp_default(caps);
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) prog = NULL;
	scmp_filter_ctx ctx = NULL;
	gsize len;

	if (!rt_seccomp_build(s, true, &ctx, &err) || !rt_seccomp_export(ctx, &prog, &err)) {
		g_string_append(msg, err->message);
		return false;
	}
	seccomp_release(ctx);
	const void *data = g_bytes_get_data(prog, &len);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || !rt_seccomp_load(data, len, &err)) {
		g_string_append(msg, err ? err->message : "PR_SET_NO_NEW_PRIVS");
		return false;
	}
	return true;
}

/* In a child: column @col of the probes, after loading the filter for
 * @caps (NULL: none); the mismatches as text. */
static void run_probes(int col, const struct rt_caps *caps, GString *msg)
{
	if (caps != NULL && !load_filter(caps, msg))
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(probes); i++) {
		const struct probe *p = &probes[i];
		int want = p->want[col];

		if (want == SKIP)
			continue;
		int got = p->fn();
		if (want == DIFF ? got == p->want[0] : got != want)
			g_string_append_printf(msg, "%s: %s (want %s%s); ", p->what,
					       got ? strerrorname_np(got) : "ok", want == DIFF ? "not " : "",
					       want == DIFF ? strerrorname_np(p->want[0])
							    : want ? strerrorname_np(want) : "ok");
	}
}

/* Column @col in a child process; its mismatches. */
static char *probe_in_child(int col, const struct rt_caps *caps)
{
	int fds[2];
	char buf[4096];
	ssize_t n, off = 0;

	g_assert_cmpint(pipe(fds), ==, 0);
	pid_t pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		g_autoptr(GString) msg = g_string_new(NULL);

		close(fds[0]);
		run_probes(col, caps, msg);
		_exit(write(fds[1], msg->str, msg->len) == (ssize_t)msg->len ? 0 : 1);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + off, sizeof buf - 1 - (size_t)off)) > 0)
		off += n;
	close(fds[0]);
	buf[off] = '\0';
	int st;
	g_assert_cmpint(waitpid(pid, &st, 0), ==, pid);
	g_assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return g_strdup(buf);
}

static void test_filter_loaded(void)
{
	struct rt_caps caps = docker_caps();
	g_autofree char *got = probe_in_child(0, &caps);

	g_assert_cmpstr(got, ==, "");
}

static void test_filter_loaded_sys_admin(void)
{
	struct rt_caps caps = with_cap(CAP_SYS_ADMIN);
	g_autofree char *got = probe_in_child(1, &caps);

	g_assert_cmpstr(got, ==, "");
}

/* The same probes without a filter: those the filter refuses work. */
static void test_no_filter(void)
{
	g_autofree char *got = probe_in_child(2, NULL);

	g_assert_cmpstr(got, ==, "");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/seccomp/default-profile", test_default_profile);
	g_test_add_func("/seccomp/clone-conditions", test_clone_conditions);
	g_test_add_func("/seccomp/build", test_build);
	g_test_add_func("/seccomp/build-errors", test_build_errors);
	g_test_add_func("/seccomp/cap-exceptions", test_cap_exceptions);
	g_test_add_func("/seccomp/enosys-stub", test_enosys_stub);
	g_test_add_func("/seccomp/cache", test_cache);
	g_test_add_func("/seccomp/filter-loaded", test_filter_loaded);
	g_test_add_func("/seccomp/filter-loaded-sys-admin", test_filter_loaded_sys_admin);
	g_test_add_func("/seccomp/no-filter", test_no_filter);
	return g_test_run();
}
