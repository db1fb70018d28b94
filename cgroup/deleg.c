/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's cgroup v2 delegation rules (cgroup-v2.rst, "Delegation"),
 * as pure functions of their arguments: no I/O here.  The callers
 * (tree.c) stat the files and pass their owners and modes in.
 *
 * Paths are relative to a hierarchy's root, "" being the root cgroup.
 * They are compared component by component; empty components (a
 * doubled, leading or trailing '/') are skipped, and a path with a "."
 * or ".." component is below nothing, since its place in the tree is not
 * what its text says.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

/* ---- DAC */

static bool in_group(const struct cg_creds *c, gid_t gid)
{
	if (c->gid == gid)
		return true;
	for (unsigned i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* fsuid 0 as CAP_DAC_OVERRIDE: everything on a directory; on any other
 * file everything but X, and X too when some x bit is set. */
static int dac_override(const struct cg_fattr *a, bool dir, int mask)
{
	if (dir || !(mask & X_OK) || (a->mode & 0111))
		return 0;
	return EACCES;
}

int cg_dac(const struct cg_creds *c, const struct cg_fattr *a, bool dir,
	   int mask)
{
	unsigned bits;

	mask &= R_OK | W_OK | X_OK;
	/* one class only, as the kernel: an owner who lacks a bit the group
	 * or others have is still refused */
	if (c->uid == a->uid)
		bits = (a->mode >> 6) & 7;
	else if (in_group(c, a->gid))
		bits = (a->mode >> 3) & 7;
	else
		bits = a->mode & 7;
	if ((mask & ~(int)bits) == 0)
		return 0;
	if (c->uid == 0)
		return dac_override(a, dir, mask);
	return EACCES;
}

/* ---- paths, component by component */

/* The next component of *@s (its length in *@len), *@s moved past it;
 * NULL at the end.  Empty components are skipped. */
static const char *next_comp(const char **s, size_t *len)
{
	const char *p = *s;

	while (*p == '/')
		p++;
	if (!*p)
		return NULL;
	*len = strcspn(p, "/");
	*s = p + *len;
	return p;
}

static bool is_dot_comp(const char *p, size_t len)
{
	return (len == 1 && p[0] == '.') ||
	       (len == 2 && p[0] == '.' && p[1] == '.');
}

static bool has_dot_comp(const char *path)
{
	const char *p;
	size_t len;

	while ((p = next_comp(&path, &len)))
		if (is_dot_comp(p, len))
			return true;
	return false;
}

bool cg_path_within(const char *root, const char *path)
{
	const char *r, *p;
	size_t rlen, plen;

	if (has_dot_comp(root) || has_dot_comp(path))
		return false;
	while ((r = next_comp(&root, &rlen))) {
		p = next_comp(&path, &plen);
		if (!p || plen != rlen || memcmp(p, r, rlen) != 0)
			return false;
	}
	return true;
}

/* @a and @b name the same cgroup. */
static bool path_equal(const char *a, const char *b)
{
	return cg_path_within(a, b) && cg_path_within(b, a);
}

char *cg_common_ancestor(const char *a, const char *b)
{
	GString *out = g_string_new("");
	const char *pa, *pb;
	size_t la, lb;

	while ((pa = next_comp(&a, &la)) && (pb = next_comp(&b, &lb)) &&
	       la == lb && memcmp(pa, pb, la) == 0) {
		if (out->len)
			g_string_append_c(out, '/');
		g_string_append_len(out, pa, (gssize)la);
	}
	return g_string_free(out, FALSE);
}

/* ---- names */

/*
 * The prefixes of interface files on cgroup2 (@controllers ""): every
 * controller that has files there on Linux 6.18 (cpu, cpuset, io,
 * memory, pids, rdma, hugetlb, misc, dmem), "irq" (irq.pressure) and
 * the core's "cgroup".  perf_event and freezer have no files on cgroup2.
 */
static const char *const v2_prefixes[] = {
	"cgroup", "cpu", "cpuset", "io", "memory", "pids", "rdma",
	"hugetlb", "misc", "dmem", "irq",
};

/* The files of the v1 core outside "cgroup.*". */
static const char *const v1_core_files[] = {
	"tasks", "notify_on_release", "release_agent",
};

/* @name is "@prefix." followed by anything (nothing too). */
static bool has_file_prefix(const char *name, const char *prefix,
			    size_t plen)
{
	return plen && strncmp(name, prefix, plen) == 0 && name[plen] == '.';
}

/* @name starts with "CTRL." for a CTRL of the comma list @controllers;
 * named hierarchies ("name=systemd") have no files of their own. */
static bool v1_ctrl_file(const char *name, const char *controllers)
{
	const char *c;
	size_t len;

	for (c = controllers; *c; c += len + (c[len] == ',')) {
		len = strcspn(c, ",");
		if (strncmp(c, "name=", 5) != 0 &&
		    has_file_prefix(name, c, len))
			return true;
	}
	return false;
}

static bool file_name(const char *name, const char *controllers)
{
	for (size_t i = 0; i < G_N_ELEMENTS(v1_core_files); i++)
		if (strcmp(name, v1_core_files[i]) == 0)
			return true;
	if (has_file_prefix(name, "cgroup", strlen("cgroup")))
		return true;
	if (*controllers)
		return v1_ctrl_file(name, controllers);
	for (size_t i = 0; i < G_N_ELEMENTS(v2_prefixes); i++)
		if (has_file_prefix(name, v2_prefixes[i],
				    strlen(v2_prefixes[i])))
			return true;
	return false;
}

/*
 * EINVAL as the VFS and cgroup_mkdir() give it: "", ".", "..", a '/', more
 * than NAME_MAX bytes, and a '\n' (the kernel refuses it so that
 * /proc/PID/cgroup stays parsable).  EEXIST for every name an interface
 * file could have: "tasks", "notify_on_release", "release_agent" (v1's
 * core, reserved on cgroup2 too), any "cgroup.*"; on v1 "CTRL.*" for each
 * CTRL of @controllers but "name=..."; on cgroup2 "P.*" for each P of
 * v2_prefixes.  "*" may be empty.
 */
int cg_name_check(const char *name, const char *controllers)
{
	size_t len = strlen(name);

	if (len == 0 || len > NAME_MAX || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || strpbrk(name, "/\n"))
		return EINVAL;
	return file_name(name, controllers ? controllers : "") ? EEXIST : 0;
}

/* ---- writes at a view's root */

static const char *const delegatable[] = {
	"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
	"memory.oom.group", "memory.reclaim", "tasks",
};

bool cg_file_delegatable(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(delegatable); i++)
		if (strcmp(name, delegatable[i]) == 0)
			return true;
	return false;
}

/* A @path with "." or ".." may be @root itself: refused too. */
int cg_root_write_check(const char *root, const char *path,
			const char *file)
{
	const char *r = root;
	size_t len;

	if (!next_comp(&r, &len) || cg_file_delegatable(file))
		return 0; /* the whole hierarchy, or a delegatable file */
	if (has_dot_comp(path) || path_equal(root, path))
		return EPERM;
	return 0;
}

/* ---- one write to a pid file */

/* The kernel's isspace(): ASCII blanks and Latin-1's no-break space. */
static bool kspace(char ch)
{
	return g_ascii_isspace(ch) || ch == '\v' || (unsigned char)ch == 0xa0;
}

/* kstrtoint()'s base 0: "0x"/"0X" and a hex digit after it is hex, any
 * other leading '0' octal, else decimal.  Moves *@s past the prefix. */
static int number_base(const char **s, size_t *len)
{
	const char *p = *s;

	if (*len == 0 || p[0] != '0')
		return 10;
	if (*len > 2 && (p[1] == 'x' || p[1] == 'X') &&
	    g_ascii_isxdigit(p[2])) {
		*s += 2;
		*len -= 2;
		return 16;
	}
	return 8;
}

/* The unsigned digits of @s: EINVAL for none or for anything that is
 * not a digit of the base (kstrtoull: ERANGE when the digits overflow,
 * which this caller turns into EINVAL anyway). */
static int parse_magnitude(const char *s, size_t len, uint64_t *out)
{
	int base = number_base(&s, &len);

	return cgi_parse_span(s, len, base, out) ? 0 : EINVAL;
}

/*
 * cgroup_procs_write_start(): kstrtoint(strstrip(buf), 0) || pid < 0 gives
 * EINVAL, so an int overflow ("99999999999") and a negative number ("-5")
 * are EINVAL there, not ERANGE (checked on Linux 6.18 by writing to a
 * cgroup.procs).  The kernel copies the write into a NUL-terminated
 * buffer, so the text ends at the first NUL byte.  "-0" is 0, the writer.
 */
int cg_parse_pid_write(const char *buf, size_t len, pid_t *out)
{
	uint64_t v;
	bool neg = false;

	if (len > 4096)
		return E2BIG;
	len = strnlen(buf, len);
	while (len && kspace(buf[len - 1]))
		len--;
	while (len && kspace(*buf))
		buf++, len--;
	if (len && (*buf == '-' || *buf == '+')) {
		neg = *buf == '-';
		buf++, len--;
	}
	if (parse_magnitude(buf, len, &v) != 0 || v > INT_MAX ||
	    (neg && v != 0))
		return EINVAL;
	*out = (pid_t)v;
	return 0;
}

/* ---- moving a task */

int cg_may_move(const struct cg_creds *c, const struct cg_move *m)
{
	if (m->daemon)
		return EPERM;
	if (cg_dac(c, &m->common_procs, false, W_OK) != 0)
		return EACCES;
	if (!cg_path_within(m->root, m->src) ||
	    !cg_path_within(m->root, m->dst))
		return ENOENT;
	return 0;
}
