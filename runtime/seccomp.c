/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp: the default profile (an rt_seccomp, like an OCI linux.seccomp
 * section), the builder turning any rt_seccomp into a libseccomp filter,
 * its export as a BPF program, and the loader of that program, the
 * container's very last step before execve.
 */
#include "runtime/internal.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

/*
 * What Docker's default profile refuses to a container without extra
 * capabilities, as EPERM.  Kept: ptrace (Docker allows it on kernels >=
 * 4.8) and adjtimex (allowed there too: read-only without CAP_SYS_TIME).
 */
static const char *const denied[] = {
	/* kernel modules and kexec */
	"init_module", "finit_module", "delete_module", "create_module",
	"query_module", "get_kernel_syms", "kexec_load", "kexec_file_load",
	/* file handles, keys, bpf, perf, userfaultfd */
	"open_by_handle_at", "name_to_handle_at", "add_key", "keyctl",
	"request_key", "bpf", "perf_event_open", "userfaultfd", "fanotify_init",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	/* the machine: reboot, swap, accounting, clocks, logs */
	"reboot", "swapon", "swapoff", "acct", "settimeofday", "stime",
	"clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64",
	"syslog", "vhangup",
	/* mounts and namespaces */
	"mount", "umount", "umount2", "pivot_root", "unshare", "setns",
	"fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
	"mount_setattr",
	/* old or raw interfaces */
	"iopl", "ioperm", "lookup_dcookie", "nfsservctl", "quotactl", "quotactl_fd",
	"vm86", "vm86old", "uselib", "ustat", "sysfs", "_sysctl",
	/* other processes' memory and NUMA policy */
	"move_pages", "mbind", "set_mempolicy", "get_mempolicy", "kcmp",
	"process_vm_readv", "process_vm_writev",
	NULL
};

/* clone() creating any of these namespaces is refused. */
static const uint64_t ns_clone_flags[] = {
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
	CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
};

static void add_rule(struct rt_seccomp *s, const char *const *names,
		     enum rt_seccomp_action action, int errno_ret, GArray *args)
{
	struct rt_seccomp_rule r = {
		.names = g_strdupv((char **)names),
		.action = action,
		.errno_ret = errno_ret,
		.args = args,
	};
	g_array_append_val(s->rules, r);
}

static char **native_architectures(void)
{
#if defined(__x86_64__)
	const char *const a[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
#elif defined(__aarch64__)
	const char *const a[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
#else
	const char *const a[] = { NULL };
#endif
	return a[0] != NULL ? g_strdupv((char **)a) : NULL;
}

struct rt_seccomp *rt_seccomp_default(void)
{
	struct rt_seccomp *s = g_new0(struct rt_seccomp, 1);
	const char *const clone[] = { "clone", NULL };
	const char *const clone3[] = { "clone3", NULL };

	s->default_action = RT_SECCOMP_ALLOW;
	s->architectures = native_architectures();
	s->rules = g_array_new(FALSE, TRUE, sizeof(struct rt_seccomp_rule));
	add_rule(s, denied, RT_SECCOMP_ERRNO, EPERM, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(ns_clone_flags); i++) {
		/* (flags & F) == F, one rule per flag: rules are or-ed */
		struct rt_seccomp_arg a = {
			.index = 0, .value = ns_clone_flags[i],
			.value_two = ns_clone_flags[i], .op = RT_OP_MASKED_EQ,
		};
		GArray *args = g_array_new(FALSE, TRUE, sizeof a);
		g_array_append_val(args, a);
		add_rule(s, clone, RT_SECCOMP_ERRNO, EPERM, args);
	}
	/* clone3 hides its flags in memory: ENOSYS makes libc fall back to
	 * clone, whose flags the rules above see. */
	add_rule(s, clone3, RT_SECCOMP_ERRNO, ENOSYS, NULL);
	return s;
}

void rt_seccomp_free(struct rt_seccomp *s)
{
	if (s == NULL)
		return;
	for (guint i = 0; s->rules != NULL && i < s->rules->len; i++) {
		struct rt_seccomp_rule *r = &g_array_index(s->rules, struct rt_seccomp_rule, i);
		g_strfreev(r->names);
		if (r->args != NULL)
			g_array_unref(r->args);
	}
	if (s->rules != NULL)
		g_array_unref(s->rules);
	g_strfreev(s->architectures);
	g_free(s);
}

/* ------------------------------------------------------------ builder */

static bool to_action(enum rt_seccomp_action a, int errno_ret, uint32_t *out, GError **err)
{
	switch (a) {
	case RT_SECCOMP_ALLOW: *out = SCMP_ACT_ALLOW; return true;
	case RT_SECCOMP_ERRNO: *out = SCMP_ACT_ERRNO((uint32_t)errno_ret); return true;
	case RT_SECCOMP_KILL: *out = SCMP_ACT_KILL_THREAD; return true;
	case RT_SECCOMP_KILL_PROCESS: *out = SCMP_ACT_KILL_PROCESS; return true;
	case RT_SECCOMP_TRAP: *out = SCMP_ACT_TRAP; return true;
	case RT_SECCOMP_TRACE: *out = SCMP_ACT_TRACE((uint32_t)errno_ret); return true;
	case RT_SECCOMP_LOG: *out = SCMP_ACT_LOG; return true;
	}
	g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "seccomp: unknown action %d", (int)a);
	return false;
}

static const enum scmp_compare cmp_ops[] = {
	[RT_OP_NE] = SCMP_CMP_NE, [RT_OP_LT] = SCMP_CMP_LT, [RT_OP_LE] = SCMP_CMP_LE,
	[RT_OP_EQ] = SCMP_CMP_EQ, [RT_OP_GE] = SCMP_CMP_GE, [RT_OP_GT] = SCMP_CMP_GT,
	[RT_OP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static bool to_cmps(const GArray *args, struct scmp_arg_cmp *cmps, unsigned *n, GError **err)
{
	*n = args != NULL ? args->len : 0;
	if (*n > 6) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "seccomp: %u argument conditions (at most 6)", *n);
		return false;
	}
	for (unsigned i = 0; i < *n; i++) {
		const struct rt_seccomp_arg *a = &g_array_index(args, struct rt_seccomp_arg, i);
		if (a->index > 5 || (unsigned)a->op >= G_N_ELEMENTS(cmp_ops)) {
			g_set_error(err, RT_ERROR, RT_ERROR_SETUP,
				    "seccomp: bad argument condition (index %u, op %d)", a->index, (int)a->op);
			return false;
		}
		cmps[i] = (struct scmp_arg_cmp){ a->index, cmp_ops[a->op], a->value, a->value_two };
	}
	return true;
}

static bool add_rule_to(scmp_filter_ctx ctx, uint32_t def, const struct rt_seccomp_rule *r,
			GError **err)
{
	struct scmp_arg_cmp cmps[6];
	unsigned n;
	uint32_t act;

	if (!to_action(r->action, r->errno_ret, &act, err) || !to_cmps(r->args, cmps, &n, err))
		return false;
	if (act == def)
		return true; /* libseccomp refuses rules that change nothing */
	for (char **name = r->names; name != NULL && *name != NULL; name++) {
		int nr = seccomp_syscall_resolve_name(*name);
		if (nr == __NR_SCMP_ERROR) {
			g_debug("seccomp: no syscall %s on this architecture, skipped", *name);
			continue;
		}
		int rc = seccomp_rule_add_array(ctx, act, nr, n, cmps);
		if (rc < 0)
			return rt_fail_errno(err, -rc, "seccomp: adding the rule for %s", *name);
	}
	return true;
}

static bool add_arches(scmp_filter_ctx ctx, char **arches, GError **err)
{
	for (char **a = arches; a != NULL && *a != NULL; a++) {
		const char *name = g_str_has_prefix(*a, "SCMP_ARCH_") ? *a + strlen("SCMP_ARCH_") : *a;
		g_autofree char *lower = g_ascii_strdown(name, -1);
		uint32_t token = seccomp_arch_resolve_name(lower);
		if (token == 0) {
			g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "seccomp: unknown architecture %s", *a);
			return false;
		}
		int rc = seccomp_arch_add(ctx, token);
		if (rc < 0 && rc != -EEXIST)
			return rt_fail_errno(err, -rc, "seccomp: adding architecture %s", *a);
	}
	return true;
}

static bool fill_filter(scmp_filter_ctx ctx, uint32_t def, const struct rt_seccomp *s,
			bool set_nnp, GError **err)
{
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, set_nnp ? 1 : 0);
	if (rc < 0)
		return rt_fail_errno(err, -rc, "seccomp: setting the no_new_privs attribute");
	if (!add_arches(ctx, s->architectures, err))
		return false;
	for (guint i = 0; s->rules != NULL && i < s->rules->len; i++)
		if (!add_rule_to(ctx, def, &g_array_index(s->rules, struct rt_seccomp_rule, i), err))
			return false;
	return true;
}

bool rt_seccomp_build(const struct rt_seccomp *s, bool set_nnp, scmp_filter_ctx *out,
		      GError **err)
{
	uint32_t def;

	if (!to_action(s->default_action, s->default_errno, &def, err))
		return false;
	scmp_filter_ctx ctx = seccomp_init(def);
	if (ctx == NULL) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "seccomp: creating the filter failed");
		return false;
	}
	if (!fill_filter(ctx, def, s, set_nnp, err)) {
		seccomp_release(ctx);
		return false;
	}
	*out = ctx;
	return true;
}

bool rt_seccomp_export(scmp_filter_ctx ctx, GBytes **out, GError **err)
{
	autoclose int fd = memfd_create("corral-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return rt_fail_errno(err, errno, "seccomp: memfd_create");
	int rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return rt_fail_errno(err, -rc, "seccomp: generating the filter");
	off_t len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len % (off_t)sizeof(struct sock_filter) != 0)
		return rt_fail_errno(err, EINVAL, "seccomp: the generated filter (%lld bytes)", (long long)len);
	g_autofree char *prog = g_malloc((gsize)len);
	if (pread(fd, prog, (size_t)len, 0) != len)
		return rt_fail_errno(err, errno, "seccomp: reading the generated filter");
	*out = g_bytes_new_take(g_steal_pointer(&prog), (gsize)len);
	return true;
}

bool rt_seccomp_load(const void *prog, size_t len, GError **err)
{
	struct sock_fprog fprog = {
		.len = (unsigned short)(len / sizeof(struct sock_filter)),
		.filter = (struct sock_filter *)prog,
	};

	if (len == 0 || len % sizeof(struct sock_filter) != 0 || fprog.len * sizeof(struct sock_filter) != len)
		return rt_fail_errno(err, EINVAL, "loading the seccomp filter (%zu bytes)", len);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
		return rt_fail_errno(err, errno, "loading the seccomp filter");
	return true;
}
