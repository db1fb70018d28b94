/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Device cgroup rules.  v1 takes them as text lines; cgroup v2 has no
 * device files and asks a BPF_PROG_TYPE_CGROUP_DEVICE program attached to
 * the cgroup instead, which we assemble here with the raw bpf(2) syscall
 * (no libbpf: a few dozen instructions do not need it).
 *
 * The program sees struct bpf_cgroup_dev_ctx { access_type, major, minor }
 * with access_type = (access bits << 16) | device type, and returns 1 to
 * allow, 0 to deny (EPERM).  Layout:
 *
 *   w2 = type, w3 = access, w4 = major, w5 = minor      (6 instructions)
 *   for each rule, last first:                          (a block)
 *       if the type, access, major or minor differ: skip to the next block
 *       r0 = allow?1:0; exit
 *   r0 = 0; exit                                        (deny by default)
 *
 * A block without any condition ("a *:* rwm") always decides: nothing is
 * emitted after it (the verifier refuses unreachable instructions).
 */
#include "runtime/cgroups/devices.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ACC_ALL (BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE)

static const char *access_or_all(const struct rt_device_rule *r)
{
	return r->access[0] ? r->access : "rwm";
}

char *rt_device_rule_v1(const struct rt_device_rule *r)
{
	char major[24] = "*", minor[24] = "*";

	if (r->major >= 0)
		g_snprintf(major, sizeof(major), "%" G_GINT64_FORMAT, r->major);
	if (r->minor >= 0)
		g_snprintf(minor, sizeof(minor), "%" G_GINT64_FORMAT, r->minor);
	return g_strdup_printf("%c %s:%s %s", r->type, major, minor,
			       access_or_all(r));
}

const char *rt_device_rule_file(const struct rt_device_rule *r)
{
	return r->allow ? "devices.allow" : "devices.deny";
}

/* ---- the program ---------------------------------------------------- */

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src,
			    int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src,
			      .off = off, .imm = imm };

	return i;
}

#define LDX_W(dst, off) insn(BPF_LDX | BPF_MEM | BPF_W, dst, 1, off, 0)
#define ALU32_K(op, dst, imm) insn(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_X(dst, src) insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
/* jumps to the end of the block: the offset is set by end_block() */
#define JMP32_K(op, dst, imm) insn(BPF_JMP32 | (op) | BPF_K, dst, 0, 0, imm)
#define MOV64_K(dst, imm) insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define EXIT() insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static void emit(GArray *p, struct bpf_insn i)
{
	g_array_append_val(p, i);
}

static uint32_t access_bits(const char *access)
{
	uint32_t bits = 0;

	for (const char *a = access; *a; a++)
		bits |= *a == 'r' ? BPF_DEVCG_ACC_READ
		      : *a == 'w' ? BPF_DEVCG_ACC_WRITE
		      : *a == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
	return bits;
}

/* The access condition of a rule: allow needs every requested bit in
 * @bits, deny any of them.  No instruction when it always holds. */
static void emit_access(GArray *p, bool allow, uint32_t bits)
{
	if (allow && bits == ACC_ALL)
		return;
	if (!allow && bits == ACC_ALL)
		return; /* every request asks for at least one bit */
	emit(p, MOV32_X(1, 3));
	if (allow) {
		emit(p, ALU32_K(BPF_AND, 1, (int32_t)(~bits & ACC_ALL)));
		emit(p, JMP32_K(BPF_JNE, 1, 0));
	} else {
		emit(p, ALU32_K(BPF_AND, 1, (int32_t)bits));
		emit(p, JMP32_K(BPF_JEQ, 1, 0));
	}
}

/* Points every jump of the block starting at @start past its end. */
static void end_block(GArray *p, guint start)
{
	for (guint i = start; i < p->len; i++) {
		struct bpf_insn *in = &g_array_index(p, struct bpf_insn, i);

		if (BPF_CLASS(in->code) == BPF_JMP32)
			in->off = (int16_t)(p->len - i - 1);
	}
}

/* Emits one rule's block; false when it has no condition (it decides
 * every access: whatever comes after is unreachable). */
static bool emit_rule(GArray *p, const struct rt_device_rule *r)
{
	guint start = p->len;

	if (r->type == 'c' || r->type == 'b')
		emit(p, JMP32_K(BPF_JNE, 2, r->type == 'c' ? BPF_DEVCG_DEV_CHAR
							    : BPF_DEVCG_DEV_BLOCK));
	emit_access(p, r->allow, access_bits(access_or_all(r)));
	if (r->major >= 0)
		emit(p, JMP32_K(BPF_JNE, 4, (int32_t)(uint32_t)r->major));
	if (r->minor >= 0)
		emit(p, JMP32_K(BPF_JNE, 5, (int32_t)(uint32_t)r->minor));
	emit(p, MOV64_K(0, r->allow ? 1 : 0));
	emit(p, EXIT());
	end_block(p, start);
	return p->len - start > 2;
}

GArray *rt_devices_bpf_build(const GArray *rules)
{
	GArray *p = g_array_new(FALSE, TRUE, sizeof(struct bpf_insn));
	const int acc = offsetof(struct bpf_cgroup_dev_ctx, access_type);

	emit(p, LDX_W(2, acc));
	emit(p, ALU32_K(BPF_AND, 2, 0xffff));
	emit(p, LDX_W(3, acc));
	emit(p, ALU32_K(BPF_RSH, 3, 16));
	emit(p, LDX_W(4, offsetof(struct bpf_cgroup_dev_ctx, major)));
	emit(p, LDX_W(5, offsetof(struct bpf_cgroup_dev_ctx, minor)));
	for (guint i = rules ? rules->len : 0; i-- > 0;)
		if (!emit_rule(p, &g_array_index(rules, struct rt_device_rule, i)))
			return p;
	emit(p, MOV64_K(0, 0));
	emit(p, EXIT());
	return p;
}

/* ---- loading and attaching -------------------------------------------- */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* The last line of the verifier's log, for the message. */
static const char *last_line(char *log)
{
	char *nl;

	g_strchomp(log);
	nl = strrchr(log, '\n');
	return nl ? nl + 1 : log;
}

bool rt_devices_bpf_load(const GArray *prog, int *prog_fd, GError **err)
{
	union bpf_attr attr;
	g_autofree char *log = NULL;
	int fd, saved;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)prog->data;
	attr.insn_cnt = prog->len;
	/* no GPL-only helper is called: any license string is accepted */
	attr.license = (uint64_t)(uintptr_t)"LGPL-2.1-or-later";
	fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0) {
		*prog_fd = fd;
		return true;
	}
	saved = errno;
	if (saved == EINVAL || saved == EACCES) { /* ask the verifier why */
		log = g_malloc0(65536);
		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = 65536;
		attr.log_level = 1;
		if ((fd = (int)sys_bpf(BPF_PROG_LOAD, &attr)) >= 0)
			close(fd);
	}
	g_set_error(err, RT_ERROR, RT_ERROR_CGROUP,
		    "loading the device cgroup program (%u instructions): %s%s%s",
		    prog->len, g_strerror(saved), log && *log ? ": " : "",
		    log && *log ? last_line(log) : "");
	return false;
}

bool rt_devices_bpf_attach(int prog_fd, int cgroup_fd, const char *dir,
			   GError **err)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0) {
		g_set_error(err, RT_ERROR, RT_ERROR_CGROUP,
			    "attaching the device cgroup program to %s: %s", dir,
			    g_strerror(errno));
		return false;
	}
	return true;
}
