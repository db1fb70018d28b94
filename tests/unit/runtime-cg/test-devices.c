/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime/cgroups/devices.c: the v1 rule lines, and the v2 device program, whose
 * structure is checked and whose decisions are checked by running it on
 * a tiny interpreter of the few instructions it uses (no root).  As root,
 * and where bpf(2) is permitted, the kernel's verifier loads it.
 */
#include "runtime/cgroups/devices.h"
#include "rules.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static GArray *rules_new(void)
{
	return g_array_new(FALSE, FALSE, sizeof(struct rt_device_rule));
}

/* Docker's default set, as rt_spec_set_defaults() fills it: deny all,
 * then null, zero, full, random, urandom, tty, console, ptmx, pts. */
static GArray *default_rules(void)
{
	GArray *r = rules_new();

	add_rule(r, false, 'a', -1, -1, "rwm");
	add_rule(r, true, 'c', 1, 3, "rwm");
	add_rule(r, true, 'c', 1, 5, "rwm");
	add_rule(r, true, 'c', 1, 7, "rwm");
	add_rule(r, true, 'c', 1, 8, "rwm");
	add_rule(r, true, 'c', 1, 9, "rwm");
	add_rule(r, true, 'c', 5, 0, "rwm");
	add_rule(r, true, 'c', 5, 1, "rwm");
	add_rule(r, true, 'c', 5, 2, "rwm");
	add_rule(r, true, 'c', 136, -1, "rwm");
	return r;
}

static void test_v1_lines(void)
{
	g_autoptr(GArray) r = rules_new();
	const char *want[] = { "c 1:3 rwm", "b *:* m", "a *:* rwm", "c 136:* rwm",
			       "c *:5 rw" };

	add_rule(r, true, 'c', 1, 3, "rwm");
	add_rule(r, false, 'b', -1, -1, "m");
	add_rule(r, false, 'a', -1, -1, "rwm");
	add_rule(r, true, 'c', 136, -1, "");
	add_rule(r, true, 'c', -1, 5, "rw");
	for (guint i = 0; i < r->len; i++) {
		g_autofree char *line =
			rt_device_rule_v1(&g_array_index(r, struct rt_device_rule, i));

		g_assert_cmpstr(line, ==, want[i]);
	}
	g_assert_cmpstr(rt_device_rule_file(&g_array_index(r, struct rt_device_rule, 0)),
			==, "devices.allow");
	g_assert_cmpstr(rt_device_rule_file(&g_array_index(r, struct rt_device_rule, 1)),
			==, "devices.deny");
}

/* ---- an interpreter of what the builder emits ------------------------- */

static int run(const GArray *prog, char type, unsigned major, unsigned minor,
	       const char *access)
{
	struct bpf_cgroup_dev_ctx ctx = { .major = major, .minor = minor };
	uint64_t r[11] = { 0 };
	uint32_t acc = 0;

	for (const char *a = access; *a; a++)
		acc |= *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE
								 : BPF_DEVCG_ACC_MKNOD;
	ctx.access_type = acc << 16 | (type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
	for (guint pc = 0; pc < prog->len; pc++) {
		const struct bpf_insn *i = &g_array_index(prog, struct bpf_insn, pc);
		uint32_t d = (uint32_t)r[i->dst_reg];

		switch (i->code) {
		case BPF_LDX | BPF_MEM | BPF_W:
			g_assert_cmpint(i->src_reg, ==, 1);
			r[i->dst_reg] = *(uint32_t *)((char *)&ctx + i->off);
			break;
		case BPF_ALU | BPF_AND | BPF_K: r[i->dst_reg] = d & (uint32_t)i->imm; break;
		case BPF_ALU | BPF_RSH | BPF_K: r[i->dst_reg] = d >> i->imm; break;
		case BPF_ALU | BPF_MOV | BPF_X: r[i->dst_reg] = (uint32_t)r[i->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: r[i->dst_reg] = (uint64_t)(int64_t)i->imm; break;
		case BPF_JMP32 | BPF_JNE | BPF_K:
			if (d != (uint32_t)i->imm)
				pc += i->off;
			break;
		case BPF_JMP32 | BPF_JEQ | BPF_K:
			if (d == (uint32_t)i->imm)
				pc += i->off;
			break;
		case BPF_JMP | BPF_EXIT: return (int)r[0];
		default: g_error("unexpected opcode 0x%x at %u", i->code, pc);
		}
		g_assert_cmpuint(pc, <, prog->len);
	}
	g_error("fell off the end of the program");
	return -1;
}

static void test_empty(void)
{
	g_autoptr(GArray) p = rt_devices_bpf_build(NULL);

	g_assert_cmpuint(p->len, ==, 8); /* 6 loads + "deny" */
	g_assert_cmpint(run(p, 'c', 1, 3, "r"), ==, 0);
}

static void test_structure(void)
{
	g_autoptr(GArray) r = default_rules();
	g_autoptr(GArray) p = rt_devices_bpf_build(r);
	const struct bpf_insn *last = &g_array_index(p, struct bpf_insn, p->len - 1);

	/* 6 loads; 8 rules c M:m rwm of 5; c 136:* of 4; then the final
	 * "a *:* rwm" deny without condition (2), and nothing after it */
	g_assert_cmpuint(p->len, ==, 6 + 8 * 5 + 4 + 2);
	g_assert_cmpint(last->code, ==, BPF_JMP | BPF_EXIT);
	g_assert_cmpint(g_array_index(p, struct bpf_insn, p->len - 2).imm, ==, 0);
	/* the first block is the last rule: c 136:* */
	g_assert_cmpint(g_array_index(p, struct bpf_insn, 6).code, ==, BPF_JMP32 | BPF_JNE | BPF_K);
	g_assert_cmpint(g_array_index(p, struct bpf_insn, 6).imm, ==, BPF_DEVCG_DEV_CHAR);
	g_assert_cmpint(g_array_index(p, struct bpf_insn, 6).off, ==, 3);
	g_assert_cmpint(g_array_index(p, struct bpf_insn, 7).imm, ==, 136);
	/* every jump lands inside the program */
	for (guint i = 0; i < p->len; i++) {
		const struct bpf_insn *in = &g_array_index(p, struct bpf_insn, i);

		if (BPF_CLASS(in->code) == BPF_JMP32)
			g_assert_cmpuint(i + 1 + in->off, <, p->len);
	}
}

static void test_decisions(void)
{
	g_autoptr(GArray) r = default_rules();
	g_autoptr(GArray) p = NULL;

	add_rule(r, false, 'c', 1, 5, "w");     /* zero: read-only now */
	add_rule(r, true, 'b', 8, -1, "r");     /* read sd* */
	add_rule(r, true, 'c', 10, 200, "m");   /* mknod tun only */
	add_rule(r, true, 'c', 4, 1, "r");      /* tty1 read ... */
	add_rule(r, false, 'c', 4, 1, "r");     /* ... then not: last wins */
	add_rule(r, false, 'c', 4, 2, "r");     /* tty2 denied ... */
	add_rule(r, true, 'c', 4, 2, "rw");     /* ... then allowed: last wins */
	p = rt_devices_bpf_build(r);
	g_assert_cmpint(run(p, 'c', 1, 3, "rw"), ==, 1);
	g_assert_cmpint(run(p, 'c', 1, 3, "m"), ==, 1);
	g_assert_cmpint(run(p, 'c', 136, 7, "rw"), ==, 1);
	g_assert_cmpint(run(p, 'c', 1, 5, "r"), ==, 1);
	g_assert_cmpint(run(p, 'c', 1, 5, "w"), ==, 0);
	g_assert_cmpint(run(p, 'c', 1, 5, "rw"), ==, 0);
	g_assert_cmpint(run(p, 'b', 8, 0, "r"), ==, 1);
	g_assert_cmpint(run(p, 'b', 8, 0, "rw"), ==, 0);
	g_assert_cmpint(run(p, 'c', 8, 0, "r"), ==, 0); /* type matters */
	g_assert_cmpint(run(p, 'c', 10, 200, "m"), ==, 1);
	g_assert_cmpint(run(p, 'c', 10, 200, "r"), ==, 0);
	g_assert_cmpint(run(p, 'c', 4, 1, "r"), ==, 0);
	g_assert_cmpint(run(p, 'c', 4, 2, "r"), ==, 1);
	g_assert_cmpint(run(p, 'b', 7, 0, "r"), ==, 0); /* default deny */
	g_assert_cmpint(run(p, 'c', 0xfffffffu, 0, "r"), ==, 0);
}

static void test_allow_all_last(void)
{
	g_autoptr(GArray) r = rules_new();
	g_autoptr(GArray) p = NULL;

	add_rule(r, false, 'c', 1, 3, "rwm");
	add_rule(r, true, 'a', -1, -1, "rwm");
	p = rt_devices_bpf_build(r);
	g_assert_cmpuint(p->len, ==, 6 + 2); /* the deny before is unreachable */
	g_assert_cmpint(run(p, 'c', 1, 3, "r"), ==, 1);
}

/* The kernel's verifier accepts the program (root, bpf(2) permitted). */
static void test_load(void)
{
	g_autoptr(GArray) r = default_rules();
	g_autoptr(GArray) p = rt_devices_bpf_build(r);
	g_autoptr(GError) err = NULL;
	int fd = -1;

	if (geteuid() != 0) {
		g_test_skip("not root: bpf(BPF_PROG_LOAD) needs CAP_BPF/CAP_SYS_ADMIN");
		return;
	}
	if (!rt_devices_bpf_load(p, &fd, &err)) {
		if (strstr(err->message, g_strerror(EPERM))) {
			g_test_skip(err->message);
			return;
		}
		g_error("%s", err->message);
	}
	g_assert_cmpint(fd, >=, 0);
	close(fd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/runtime-devices/v1-lines", test_v1_lines);
	g_test_add_func("/runtime-devices/bpf/empty", test_empty);
	g_test_add_func("/runtime-devices/bpf/structure", test_structure);
	g_test_add_func("/runtime-devices/bpf/decisions", test_decisions);
	g_test_add_func("/runtime-devices/bpf/allow-all-last", test_allow_all_last);
	g_test_add_func("/runtime-devices/bpf/load", test_load);
	return g_test_run();
}
