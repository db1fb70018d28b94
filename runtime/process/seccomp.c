/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp: the builder turning an rt_seccomp (the default profile of
 * seccomp-default.c, an OCI linux.seccomp section or a Docker profile) into
 * a libseccomp filter, its export as a BPF program (with the ENOSYS stub
 * for syscalls newer than libseccomp), and the loader of that program, the
 * container's very last step before execve.
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

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

/* ------------------------------------------------------------ ENOSYS stub */

/* Syscall numbers are below this on every architecture corral builds for
 * (x32's carry X32_SYSCALL_BIT on top). */
#define NR_CEILING 1024
#define X32_BIT UINT32_C(0x40000000)

int rt_seccomp_newest_syscall(uint32_t arch)
{
	uint32_t bit = arch == SCMP_ARCH_X32 ? X32_BIT : 0;

	for (int nr = NR_CEILING - 1; nr >= 0; nr--) {
		char *name = seccomp_syscall_resolve_num_arch(arch, (int)((uint32_t)nr | bit));
		if (name != NULL) {
			free(name);
			return nr;
		}
	}
	return -1;
}

/*
 * A few instructions run before libseccomp's program: on each of the
 * filter's architectures, a syscall number above the newest one libseccomp
 * knows there returns ENOSYS (x32's numbers on x86_64 against x32's
 * newest).  Everything else goes on to libseccomp's program, which starts
 * by loading what it needs.
 */
#define STUB_MAX 64
struct stub {
	struct sock_filter ins[STUB_MAX];
	bool exits[STUB_MAX]; /* jgt: true -> ENOSYS, false -> libseccomp's program */
	unsigned n;
};

static void put(struct stub *s, struct sock_filter f, bool exits)
{
	s->ins[s->n] = f;
	s->exits[s->n++] = exits;
}

static void arch_block(struct stub *s, uint32_t arch, int newest, int x32_newest)
{
	bool x32 = x32_newest >= 0;

	put(s, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, x32 ? 4 : 2), false);
	put(s, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, nr)), false);
	if (x32)
		put(s, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 1, 0), false);
	put(s, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)newest, 0, 0), true);
	if (x32)
		put(s, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K,
						    X32_BIT | (uint32_t)x32_newest, 0, 0), true);
}

/* The architectures a stub block is made for (x32 goes with x86_64).  Not
 * 32-bit ARM, whose private syscalls (cacheflush, set_tls) sit at 0x0f0000
 * and up, above its newest ordinary one. */
static const uint32_t stub_arches[] = {
	SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64,
	SCMP_ARCH_PPC64LE, SCMP_ARCH_S390X, SCMP_ARCH_RISCV64,
};

static void build_stub(scmp_filter_ctx ctx, struct stub *s)
{
	s->n = 0;
	put(s, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, arch)), false);
	for (size_t i = 0; i < G_N_ELEMENTS(stub_arches); i++) {
		uint32_t a = stub_arches[i];
		int newest = seccomp_arch_exist(ctx, a) == 0 ? rt_seccomp_newest_syscall(a) : -1;
		int x32 = -1;

		if (newest < 0)
			continue;
		if (a == SCMP_ARCH_X86_64 && seccomp_arch_exist(ctx, SCMP_ARCH_X32) == 0)
			x32 = rt_seccomp_newest_syscall(SCMP_ARCH_X32);
		arch_block(s, a, newest, x32);
	}
	if (s->n == 1) {
		s->n = 0; /* no known architecture: no stub */
		return;
	}
	put(s, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), false); /* no arch matched */
	put(s, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS), false);
	for (unsigned i = 0; i < s->n; i++) {
		if (s->exits[i]) {
			s->ins[i].jt = (uint8_t)(s->n - 1 - (i + 1));
			s->ins[i].jf = (uint8_t)(s->n - (i + 1));
		}
	}
}

/* The stub is for profiles that refuse by an errno other than ENOSYS. */
static bool wants_stub(scmp_filter_ctx ctx, GError **err)
{
	uint32_t def = 0;
	int rc = seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &def);

	if (rc < 0)
		return rt_fail_errno(err, -rc, "seccomp: reading the default action");
	return (def & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO &&
	       (def & SECCOMP_RET_DATA) != ENOSYS;
}

/* libseccomp's program, whole. */
static bool export_libseccomp(scmp_filter_ctx ctx, GByteArray *out, GError **err)
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
	guint at = out->len;
	g_byte_array_set_size(out, at + (guint)len);
	if (pread(fd, out->data + at, (size_t)len, 0) != len)
		return rt_fail_errno(err, errno, "seccomp: reading the generated filter");
	return true;
}

bool rt_seccomp_export(scmp_filter_ctx ctx, GBytes **out, GError **err)
{
	g_autoptr(GByteArray) prog = g_byte_array_new();
	GError *e = NULL;
	struct stub stub = { .n = 0 };

	if (wants_stub(ctx, &e))
		build_stub(ctx, &stub);
	if (e != NULL) {
		g_propagate_error(err, e);
		return false;
	}
	g_byte_array_append(prog, (const guint8 *)stub.ins, stub.n * (guint)sizeof(struct sock_filter));
	if (!export_libseccomp(ctx, prog, err))
		return false;
	if (prog->len / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return rt_fail_errno(err, E2BIG, "seccomp: the filter (%u instructions)",
				     (unsigned)(prog->len / sizeof(struct sock_filter)));
	*out = g_byte_array_free_to_bytes(g_steal_pointer(&prog));
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
