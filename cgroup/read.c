/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The snapshot readers: one controller's files in, one struct out.
 *
 * Every read is openat(hierarchy fd, "path/file") + read + close (see
 * layout.c for why not libcgroup).  Limits are the minimum over the
 * cgroup and its ancestors ("a/b/c", "a/b", "a", "").  A level without
 * the file does not limit (the v1/v2 root, or a v2 cgroup whose parent
 * does not enable the controller).  On v2, usage/stat files missing in
 * the cgroup are taken from the nearest ancestor that has them: that is
 * where the kernel charges a cgroup whose controller is not enabled.
 *
 * Nothing here keeps state: every function may run concurrently in many
 * threads on the same const layout.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The hierarchy of @c and @p's path in it, NULL when either is missing. */
static const struct cg_hier *hier_path(const struct cg_layout *l,
				       const struct cg_paths *p, int c,
				       const char **path)
{
	const struct cg_hier *h = cg_layout_hier(l, c);

	*path = p->path[c];
	return h && *path ? h : NULL;
}

static bool cgroup_exists(const struct cg_hier *h, const char *path)
{
	struct stat st;

	return !*path || fstatat(h->dirfd, path, &st, 0) == 0;
}

/* @file of @path; *@text NULL when the file is missing but the cgroup is
 * there, an error naming the file when the cgroup is gone. */
static bool read_opt(const struct cg_hier *h, const char *path,
		     const char *file, char **text, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	if (!cgi_read_at_opt(h->dirfd, h->mountpoint, rel, text, err))
		return false;
	if (!*text && !cgroup_exists(h, path)) {
		cgi_set_errno(err, ENOENT, "reading", h->mountpoint, rel);
		return false;
	}
	return true;
}

static bool read_must(const struct cg_hier *h, const char *path,
		      const char *file, char **text, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	return cgi_read_at(h->dirfd, h->mountpoint, rel, text, err);
}

/* @file of @path or of its nearest ancestor having it (NULL if none). */
static bool read_nearest(const struct cg_hier *h, const char *path,
			 const char *file, char **text, GError **err)
{
	g_autofree char *cur = g_strdup(path);

	if (!read_opt(h, cur, file, text, err))
		return false;
	while (!*text && cgi_parent(cur)) {
		g_autofree char *rel = cgi_join(cur, file);

		if (!cgi_read_at_opt(h->dirfd, h->mountpoint, rel, text, err))
			return false;
	}
	return true;
}

/* A file the controller must have: at @path on v1, nearest on v2. */
static bool read_ctl(const struct cg_hier *h, const char *path,
		     const char *file, char **text, GError **err)
{
	return h->v2 ? read_nearest(h, path, file, text, err)
		     : read_must(h, path, file, text, err);
}

static bool parse_err(const struct cg_hier *h, const char *path,
		      const char *file, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	cgi_set_parse(err, h->mountpoint, rel, "unexpected content");
	return false;
}

/* One number.  @found NULL: the file must exist (error naming it);
 * else *@found tells whether it does (v1 optional files, v2 root). */
static bool read_num(const struct cg_hier *h, const char *path,
		     const char *file, cgi_num_parse_fn parse, uint64_t *out,
		     bool *found, GError **err)
{
	g_autofree char *text = NULL;

	if (!(h->v2 ? read_nearest(h, path, file, &text, err)
	      : found ? read_opt(h, path, file, &text, err)
		      : read_must(h, path, file, &text, err)))
		return false;
	if (!text && !found) {
		g_autofree char *rel = cgi_join(path, file);

		cgi_set_errno(err, ENOENT, "reading", h->mountpoint, rel);
		return false;
	}
	if (found)
		*found = text != NULL;
	if (text && !parse(text, out))
		return parse_err(h, path, file, err);
	return true;
}

bool cgi_min_up(const struct cg_hier *h, const char *path, const char *file,
		cgi_num_parse_fn parse, uint64_t *out, GError **err)
{
	g_autofree char *cur = g_strdup(path);

	*out = CG_UNLIMITED;
	do {
		g_autofree char *rel = cgi_join(cur, file);
		g_autofree char *text = NULL;
		uint64_t v;

		if (!cgi_read_at_opt(h->dirfd, h->mountpoint, rel, &text, err))
			return false;
		if (!text)
			continue;
		if (!parse(text, &v))
			return parse_err(h, cur, file, err);
		*out = MIN(*out, v);
	} while (cgi_parent(cur));
	return true;
}

/* ---- memory -------------------------------------------------------- */

#define ABSENT UINT64_MAX

static bool memory_v1_stat(const struct cg_hier *h, const char *path,
			   struct cg_memory *m, uint64_t *hlim, uint64_t *hsw,
			   GError **err)
{
	const struct cgi_key keys[] = {
		{ "total_cache", &m->file },
		{ "total_rss", &m->anon },
		{ "total_shmem", &m->shmem },
		{ "total_mapped_file", &m->file_mapped },
		{ "total_dirty", &m->file_dirty },
		{ "total_writeback", &m->file_writeback },
		{ "total_swapcached", &m->swapcached },
		{ "total_active_anon", &m->active_anon },
		{ "total_inactive_anon", &m->inactive_anon },
		{ "total_active_file", &m->active_file },
		{ "total_inactive_file", &m->inactive_file },
		{ "total_unevictable", &m->unevictable },
		{ "total_rss_huge", &m->anon_thp },
		/* already the minimum over the ancestors (kernel) */
		{ "hierarchical_memory_limit", hlim },
		{ "hierarchical_memsw_limit", hsw },
	};
	g_autofree char *text = NULL;

	*hlim = *hsw = ABSENT;
	if (!read_must(h, path, "memory.stat", &text, err))
		return false;
	if (!cgi_parse_keyed(text, keys, G_N_ELEMENTS(keys)))
		return parse_err(h, path, "memory.stat", err);
	return true;
}

/* The v1 limit of @file: hierarchical_* from memory.stat when the kernel
 * gave it, else the walk over the ancestors. */
static bool v1_limit(const struct cg_hier *h, const char *path,
		     const char *file, uint64_t hier, uint64_t *out,
		     GError **err)
{
	if (hier != ABSENT) {
		*out = hier >= CGI_V1_UNLIMITED_MIN ? CG_UNLIMITED : hier;
		return true;
	}
	return cgi_min_up(h, path, file, cgi_parse_limit, out, err);
}

static bool memory_v1_swap(const struct cg_hier *h, const char *path,
			   struct cg_memory *m, uint64_t hsw, GError **err)
{
	uint64_t sw_usage, sw_limit;
	bool found;

	if (!read_num(h, path, "memory.memsw.usage_in_bytes", cgi_parse_u64,
		      &sw_usage, &found, err))
		return false;
	m->swap_accounting = found;
	if (!found)
		return true;
	if (!v1_limit(h, path, "memory.memsw.limit_in_bytes", hsw, &sw_limit,
		      err))
		return false;
	m->swap_usage = sw_usage > m->usage ? sw_usage - m->usage : 0;
	if (sw_limit == CG_UNLIMITED)
		m->swap_limit = CG_UNLIMITED;
	else
		m->swap_limit = sw_limit > m->limit ? sw_limit - m->limit : 0;
	return true;
}

static bool memory_v1(const struct cg_hier *h, const char *path,
		      struct cg_memory *m, GError **err)
{
	uint64_t hlim, hsw, v;
	bool found;

	if (!memory_v1_stat(h, path, m, &hlim, &hsw, err) ||
	    !read_num(h, path, "memory.usage_in_bytes", cgi_parse_u64,
		      &m->usage, NULL, err) ||
	    !v1_limit(h, path, "memory.limit_in_bytes", hlim, &m->limit, err))
		return false;
	if (!memory_v1_swap(h, path, m, hsw, err) ||
	    !cgi_min_up(h, path, "memory.swappiness", cgi_parse_u64, &v, err) ||
	    !read_num(h, path, "memory.kmem.usage_in_bytes", cgi_parse_u64,
		      &m->kmem_usage, &found, err))
		return false;
	m->swappiness = v == CG_UNLIMITED ? 60 : (int)MIN(v, 200);
	m->valid = true;
	return true;
}

static bool memory_v2_stat(const struct cg_hier *h, const char *path,
			   struct cg_memory *m, bool *found, GError **err)
{
	const struct cgi_key keys[] = {
		{ "file", &m->file },
		{ "anon", &m->anon },
		{ "shmem", &m->shmem },
		{ "file_mapped", &m->file_mapped },
		{ "file_dirty", &m->file_dirty },
		{ "file_writeback", &m->file_writeback },
		{ "swapcached", &m->swapcached },
		{ "active_anon", &m->active_anon },
		{ "inactive_anon", &m->inactive_anon },
		{ "active_file", &m->active_file },
		{ "inactive_file", &m->inactive_file },
		{ "unevictable", &m->unevictable },
		{ "anon_thp", &m->anon_thp },
		{ "slab_reclaimable", &m->slab_reclaimable },
		{ "slab_unreclaimable", &m->slab_unreclaimable },
		{ "kernel_stack", &m->kernel_stack },
		{ "pagetables", &m->pagetables },
		{ "kernel", &m->kmem_usage },
	};
	g_autofree char *text = NULL;

	m->kmem_usage = ABSENT;
	if (!read_nearest(h, path, "memory.stat", &text, err))
		return false;
	*found = text != NULL;
	if (text && !cgi_parse_keyed(text, keys, G_N_ELEMENTS(keys)))
		return parse_err(h, path, "memory.stat", err);
	/* "kernel" is linux >= 5.18; before, its main parts */
	if (m->kmem_usage == ABSENT)
		m->kmem_usage = m->slab_reclaimable + m->slab_unreclaimable +
				m->kernel_stack + m->pagetables;
	return true;
}

static bool memory_v2(const struct cg_hier *h, const char *path,
		      struct cg_memory *m, GError **err)
{
	bool found;

	if (!memory_v2_stat(h, path, m, &found, err))
		return false;
	if (!found) /* memory.stat nowhere: nothing to show */
		return true;
	if (!read_num(h, path, "memory.current", cgi_parse_u64, &m->usage,
		      &found, err) ||
	    !cgi_min_up(h, path, "memory.max", cg_parse_u64_or_max,
			&m->limit, err))
		return false;
	/* the root has no memory.current: what memory.stat accounts */
	if (!found)
		m->usage = m->anon + m->file + m->kmem_usage;
	if (!read_num(h, path, "memory.swap.current", cgi_parse_u64,
		      &m->swap_usage, &m->swap_accounting, err) ||
	    (m->swap_accounting &&
	     !cgi_min_up(h, path, "memory.swap.max", cg_parse_u64_or_max,
			 &m->swap_limit, err)))
		return false;
	m->swappiness = -1;
	m->valid = true;
	return true;
}

bool cg_read_memory(const struct cg_layout *l, const struct cg_paths *p,
		    struct cg_memory *out, GError **err)
{
	const char *path;
	const struct cg_hier *h = hier_path(l, p, CG_MEMORY, &path);

	memset(out, 0, sizeof(*out));
	out->swappiness = -1;
	if (!h)
		return true;
	if (!(h->v2 ? memory_v2(h, path, out, err)
		    : memory_v1(h, path, out, err))) {
		out->valid = false;
		return false;
	}
	return true;
}

/* ---- cpu ----------------------------------------------------------- */

void cgi_tighter_quota(struct cg_cpu *c, int64_t q, uint64_t p)
{
	if (q < 0 || p == 0)
		return;
	if (c->quota_us < 0 || (unsigned __int128)q * c->period_us <
				       (unsigned __int128)c->quota_us * p) {
		c->quota_us = q;
		c->period_us = p;
	}
}

/* One v1 level: cpu.cfs_quota_us and cpu.cfs_period_us (both optional:
 * without CONFIG_CFS_BANDWIDTH they do not exist). */
static bool cpu_v1_level(const struct cg_hier *h, const char *path,
			 int64_t *q, uint64_t *per, bool *found, GError **err)
{
	g_autofree char *qrel = cgi_join(path, "cpu.cfs_quota_us");
	g_autofree char *prel = cgi_join(path, "cpu.cfs_period_us");
	g_autofree char *qtext = NULL, *ptext = NULL;

	if (!cgi_read_at_opt(h->dirfd, h->mountpoint, qrel, &qtext, err) ||
	    !cgi_read_at_opt(h->dirfd, h->mountpoint, prel, &ptext, err))
		return false;
	*found = qtext && ptext;
	if (!*found)
		return true;
	if (!cgi_parse_i64(qtext, q))
		return parse_err(h, path, "cpu.cfs_quota_us", err);
	if (!cgi_parse_u64(ptext, per))
		return parse_err(h, path, "cpu.cfs_period_us", err);
	return true;
}

/* One v2 level: cpu.max "max 100000" or "50000 100000". */
static bool cpu_v2_level(const struct cg_hier *h, const char *path,
			 int64_t *q, uint64_t *per, bool *found, GError **err)
{
	g_autofree char *rel = cgi_join(path, "cpu.max");
	g_autofree char *text = NULL;
	g_auto(GStrv) f = NULL;
	uint64_t v;

	if (!cgi_read_at_opt(h->dirfd, h->mountpoint, rel, &text, err))
		return false;
	*found = text != NULL;
	if (!text)
		return true;
	f = cgi_parse_words(text);
	if (g_strv_length(f) != 2 || !cg_parse_u64_or_max(f[0], &v) ||
	    !cgi_parse_u64(f[1], per) || (v != CG_UNLIMITED && v > INT64_MAX))
		return parse_err(h, path, "cpu.max", err);
	*q = v == CG_UNLIMITED ? -1 : (int64_t)v;
	return true;
}

bool cgi_cpu_level(const struct cg_hier *h, const char *path, int64_t *quota,
		   uint64_t *period, bool *found, GError **err)
{
	return h->v2 ? cpu_v2_level(h, path, quota, period, found, err)
		     : cpu_v1_level(h, path, quota, period, found, err);
}

bool cgi_cpu_up(const struct cg_hier *h, const char *path, struct cg_cpu *c,
		GError **err)
{
	g_autofree char *cur = g_strdup(path);

	do {
		int64_t q;
		uint64_t per;
		bool found;

		if (!cgi_cpu_level(h, cur, &q, &per, &found, err))
			return false;
		if (found)
			cgi_tighter_quota(c, q, per);
	} while (cgi_parent(cur));
	return true;
}

/*
 * cpu.weight -> shares: the inverse of the shares -> weight formula crun
 * and runc use today (weight = 10^((l^2 + 125 l) / 612 - 7/34) with
 * l = log2(shares)), which maps 2 -> 1, 1024 -> 100 and 262144 -> 10000
 * exactly.  Solving the quadratic for l gives the formula below.
 */
static uint64_t weight_to_shares(uint64_t weight)
{
	double w = (double)CLAMP(weight, 1, 10000);
	double l = (-125.0 + sqrt(125.0 * 125.0 +
				  2448.0 * (log10(w) + 7.0 / 34.0))) / 2.0;

	return (uint64_t)llround(exp2(l));
}

static bool cpu_shares(const struct cg_hier *h, const char *path,
		       struct cg_cpu *c, GError **err)
{
	bool found;

	if (!h->v2)
		return read_num(h, path, "cpu.shares", cgi_parse_u64,
				&c->shares, NULL, err);
	if (!read_num(h, path, "cpu.weight", cgi_parse_u64, &c->shares,
		      &found, err))
		return false;
	c->shares = weight_to_shares(found ? c->shares : 100);
	return true;
}

bool cg_read_cpu(const struct cg_layout *l, const struct cg_paths *p,
		 struct cg_cpu *out, GError **err)
{
	const char *path;
	const struct cg_hier *h = hier_path(l, p, CG_CPU, &path);

	memset(out, 0, sizeof(*out));
	out->quota_us = -1;
	out->period_us = 100000;
	if (!h)
		return true;
	if (!cpu_shares(h, path, out, err) || !cgi_cpu_up(h, path, out, err))
		return false;
	out->valid = true;
	return true;
}

/* ---- cpuset -------------------------------------------------------- */

bool cg_read_cpuset(const struct cg_layout *l, const struct cg_paths *p,
		    struct cg_cpuset *out, GError **err)
{
	const char *path;
	const struct cg_hier *h = hier_path(l, p, CG_CPUSET, &path);
	const char *file;
	g_autofree char *text = NULL;

	memset(out, 0, sizeof(*out));
	if (!h)
		return true;
	file = h->v2 ? "cpuset.cpus.effective" : "cpuset.effective_cpus";
	if (!(h->v2 ? read_nearest(h, path, file, &text, err)
		    : read_must(h, path, file, &text, err)))
		return false;
	if (!text) /* v2 root of an older kernel: the host's CPUs */
		return true;
	if (!cg_cpumask_parse(text, &out->cpus))
		return parse_err(h, path, file, err);
	out->valid = true;
	return true;
}

/* ---- cputime ------------------------------------------------------- */

/* cpuacct.usage_all: "cpu user system\n0 7440000000 7864000000\n..." */
static bool parse_usage_all(const char *text, struct cg_cputime *t)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);

	if (n < 1 || !g_str_has_prefix(lines[0], "cpu user system"))
		return false;
	t->percpu_user_ns = g_new0(uint64_t, n);
	t->percpu_system_ns = g_new0(uint64_t, n);
	for (guint i = 1; i < n; i++) {
		unsigned cpu;
		uint64_t u, s;
		char extra;

		if (!*lines[i])
			continue;
		if (sscanf(lines[i], "%u %" SCNu64 " %" SCNu64 " %c", &cpu, &u,
			   &s, &extra) != 3 || cpu >= n)
			return false;
		t->percpu_user_ns[cpu] = u;
		t->percpu_system_ns[cpu] = s;
		t->ncpu = MAX(t->ncpu, cpu + 1);
	}
	return true;
}

/* cpuacct.usage_percpu_{user,sys}: "8652000000 15408000000 \n" */
static bool parse_percpu(const char *text, uint64_t **out, unsigned *ncpu)
{
	g_auto(GStrv) f = cgi_parse_words(text);
	unsigned n = 0;

	*out = g_new0(uint64_t, g_strv_length(f) + 1);
	for (char **s = f; *s; s++)
		if (!cgi_parse_u64(*s, &(*out)[n++]))
			return false;
	*ncpu = n;
	return true;
}

/* Per-CPU times from usage_all, else usage_percpu_user/_sys. */
static bool cputime_v1_percpu(const struct cg_hier *h, const char *path,
			      struct cg_cputime *t, GError **err)
{
	g_autofree char *all = NULL, *user = NULL, *sys = NULL;
	unsigned nu = 0, ns = 0;

	if (!read_opt(h, path, "cpuacct.usage_all", &all, err))
		return false;
	if (all)
		return parse_usage_all(all, t) ||
		       parse_err(h, path, "cpuacct.usage_all", err);
	if (!read_opt(h, path, "cpuacct.usage_percpu_user", &user, err) ||
	    !read_opt(h, path, "cpuacct.usage_percpu_sys", &sys, err))
		return false;
	if (!user || !sys)
		return true;
	if (!parse_percpu(user, &t->percpu_user_ns, &nu))
		return parse_err(h, path, "cpuacct.usage_percpu_user", err);
	if (!parse_percpu(sys, &t->percpu_system_ns, &ns) || ns != nu)
		return parse_err(h, path, "cpuacct.usage_percpu_sys", err);
	t->ncpu = nu;
	return true;
}

/* user/system totals: the per-CPU sums (ns) when there are per-CPU
 * figures, else cpuacct.stat (USER_HZ ticks). */
static bool cputime_v1_split(const struct cg_hier *h, const char *path,
			     struct cg_cputime *t, GError **err)
{
	g_autofree char *text = NULL;
	uint64_t user = 0, sys = 0;
	const struct cgi_key keys[] = { { "user", &user }, { "system", &sys } };
	uint64_t ns_per_tick = 1000000000 / (uint64_t)sysconf(_SC_CLK_TCK);

	if (t->ncpu) {
		for (unsigned i = 0; i < t->ncpu; i++) {
			t->user_ns += t->percpu_user_ns[i];
			t->system_ns += t->percpu_system_ns[i];
		}
		return true;
	}
	if (!read_must(h, path, "cpuacct.stat", &text, err))
		return false;
	if (!cgi_parse_keyed(text, keys, G_N_ELEMENTS(keys)))
		return parse_err(h, path, "cpuacct.stat", err);
	t->user_ns = user * ns_per_tick;
	t->system_ns = sys * ns_per_tick;
	return true;
}

static bool cputime_v2(const struct cg_hier *h, const char *path,
		       struct cg_cputime *t, GError **err)
{
	uint64_t usage = 0, user = 0, sys = 0;
	const struct cgi_key keys[] = { { "usage_usec", &usage },
					{ "user_usec", &user },
					{ "system_usec", &sys } };
	g_autofree char *text = NULL;

	if (!read_ctl(h, path, "cpu.stat", &text, err))
		return false;
	if (!text)
		return true;
	if (!cgi_parse_keyed(text, keys, G_N_ELEMENTS(keys)))
		return parse_err(h, path, "cpu.stat", err);
	t->usage_ns = usage * 1000;
	t->user_ns = user * 1000;
	t->system_ns = sys * 1000;
	t->valid = true;
	return true;
}

bool cg_read_cputime(const struct cg_layout *l, const struct cg_paths *p,
		     struct cg_cputime *out, GError **err)
{
	const char *path;
	const struct cg_hier *h = hier_path(l, p, CG_CPUACCT, &path);
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!h)
		return true;
	if (h->v2)
		ok = cputime_v2(h, path, out, err);
	else
		ok = read_num(h, path, "cpuacct.usage", cgi_parse_u64,
			      &out->usage_ns, NULL, err) &&
		     cputime_v1_percpu(h, path, out, err) &&
		     cputime_v1_split(h, path, out, err);
	if (!ok)
		cg_cputime_clear(out);
	else if (!h->v2)
		out->valid = true;
	return ok;
}

void cg_cputime_clear(struct cg_cputime *t)
{
	g_clear_pointer(&t->percpu_user_ns, g_free);
	g_clear_pointer(&t->percpu_system_ns, g_free);
	t->ncpu = 0;
	t->valid = false;
}

/* ---- blkio / io ---------------------------------------------------- */

static struct cg_blkdev *blkdev_get(GArray *devs, unsigned major,
				    unsigned minor)
{
	struct cg_blkdev d = { .major = major, .minor = minor };

	for (guint i = 0; i < devs->len; i++) {
		struct cg_blkdev *e = &g_array_index(devs, struct cg_blkdev, i);

		if (e->major == major && e->minor == minor)
			return e;
	}
	g_array_append_val(devs, d);
	return &g_array_index(devs, struct cg_blkdev, devs->len - 1);
}

static void max_into(uint64_t *dst, uint64_t v)
{
	if (v > *dst)
		*dst = v;
}

/* v1 "8:0 Read 123" lines (Sync/Async/Total per device and the final
 * "Total N" are not needed).  @ios: the serviced file, else bytes. */
static bool parse_blkio_v1(const char *text, GArray *devs, bool ios)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++) {
		unsigned maj, min;
		char op[16];
		uint64_t v;
		struct cg_blkdev *d;

		if (!**l || g_str_has_prefix(*l, "Total "))
			continue;
		if (sscanf(*l, "%u:%u %15s %" SCNu64, &maj, &min, op, &v) != 4)
			return false;
		d = blkdev_get(devs, maj, min);
		if (strcmp(op, "Read") == 0)
			max_into(ios ? &d->read_ios : &d->read_bytes, v);
		else if (strcmp(op, "Write") == 0)
			max_into(ios ? &d->write_ios : &d->write_bytes, v);
		else if (strcmp(op, "Discard") == 0)
			max_into(ios ? &d->discard_ios : &d->discard_bytes, v);
	}
	return true;
}

/* "MAJOR:MINOR" of @len bytes at @s. */
static bool parse_devno(const char *s, size_t len, unsigned *maj, unsigned *min)
{
	const char *colon = memchr(s, ':', len);
	uint64_t a, b;

	if (!colon || !cgi_parse_span(s, (size_t)(colon - s), 10, &a) ||
	    !cgi_parse_span(colon + 1, len - (size_t)(colon - s) - 1, 10, &b) ||
	    a > UINT_MAX || b > UINT_MAX)
		return false;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return true;
}

/* The "rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" of one device. */
static bool io_v2_pairs(const char *pairs, struct cg_blkdev *d)
{
	const struct cgi_key keys[] = {
		{ "rbytes", &d->read_bytes },
		{ "wbytes", &d->write_bytes },
		{ "dbytes", &d->discard_bytes },
		{ "rios", &d->read_ios },
		{ "wios", &d->write_ios },
		{ "dios", &d->discard_ios },
	};

	return cgi_parse_nested(pairs, keys, G_N_ELEMENTS(keys));
}

/* v2 "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" lines. */
static bool parse_io_v2(const char *text, GArray *devs)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++) {
		size_t klen = strcspn(*l, " \t");
		unsigned maj, min;

		if (!**l)
			continue;
		if (!parse_devno(*l, klen, &maj, &min) ||
		    !io_v2_pairs(*l + klen, blkdev_get(devs, maj, min)))
			return false;
	}
	return true;
}

static int blkdev_cmp(const void *a, const void *b)
{
	const struct cg_blkdev *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

/* One pair of v1 counter files; absent files count nothing. */
static bool blkio_v1_pair(const struct cg_hier *h, const char *path, const char *bytes,
			  const char *ios, GArray *devs, GError **err)
{
	g_autofree char *tb = NULL, *ti = NULL;

	if (!read_opt(h, path, bytes, &tb, err) || !read_opt(h, path, ios, &ti, err))
		return false;
	if (tb && !parse_blkio_v1(tb, devs, false))
		return parse_err(h, path, bytes, err);
	if (ti && !parse_blkio_v1(ti, devs, true))
		return parse_err(h, path, ios, err);
	return true;
}

/*
 * v1 keeps two sets of counters for the same I/O: blk-throttle's, which
 * since Linux 5.x only counts devices that have a throttle rule in the
 * cgroup's hierarchy, and bfq's, which counts devices scheduled by bfq.
 * Per device and counter the larger of the two is the cgroup's I/O (the
 * CFQ-era blkio.io_* files are gone).
 */
static bool blkio_v1(const struct cg_hier *h, const char *path, GArray *devs,
		     GError **err)
{
	g_autofree char *probe = NULL;

	if (!read_must(h, path, "blkio.throttle.io_service_bytes_recursive", &probe, err))
		return false;
	return blkio_v1_pair(h, path, "blkio.throttle.io_service_bytes_recursive",
			     "blkio.throttle.io_serviced_recursive", devs, err) &&
	       blkio_v1_pair(h, path, "blkio.bfq.io_service_bytes_recursive",
			     "blkio.bfq.io_serviced_recursive", devs, err);
}

bool cg_read_blkio(const struct cg_layout *l, const struct cg_paths *p,
		   struct cg_blkio *out, GError **err)
{
	const char *path;
	const struct cg_hier *h = hier_path(l, p, CG_IO, &path);
	g_autoptr(GArray) devs = g_array_new(FALSE, TRUE,
					     sizeof(struct cg_blkdev));
	g_autofree char *text = NULL;

	memset(out, 0, sizeof(*out));
	if (!h)
		return true;
	if (!h->v2 && !blkio_v1(h, path, devs, err))
		return false;
	if (h->v2 && !read_nearest(h, path, "io.stat", &text, err))
		return false;
	if (h->v2 && !text) /* no io.stat at this root */
		return true;
	if (text && !parse_io_v2(text, devs))
		return parse_err(h, path, "io.stat", err);
	if (devs->len > 1) /* an empty GArray's data is NULL: no qsort(NULL, 0) */
		qsort(devs->data, devs->len, sizeof(struct cg_blkdev), blkdev_cmp);
	out->ndev = devs->len;
	out->dev = (struct cg_blkdev *)(void *)g_array_free(
		g_steal_pointer(&devs), out->ndev == 0);
	out->valid = true;
	return true;
}

void cg_blkio_clear(struct cg_blkio *b)
{
	g_clear_pointer(&b->dev, g_free);
	b->ndev = 0;
	b->valid = false;
}

/* ---- psi ----------------------------------------------------------- */

/* Hybrid hosts: a process may sit in a v1 cgroup of its own yet at the
 * cgroup2 root (runtimes that only manage v1 leave it there).  The root's
 * pressure is the whole host's: not this container's figures, so none. */
static bool psi_is_host(const struct cg_layout *l, const struct cg_paths *p)
{
	if (!p->path[CG_PSI] || *p->path[CG_PSI])
		return false;
	for (int c = 0; c < CG_PSI; c++)
		if (l->ctrl[c] >= 0 && p->path[c] && *p->path[c])
			return true;
	return false;
}

bool cg_read_psi(const struct cg_layout *l, const struct cg_paths *p,
		 enum cg_psi_kind kind, struct cg_psi *out, GError **err)
{
	static const char *const files[CG_PSI_N] = {
		[CG_PSI_CPU] = "cpu.pressure",
		[CG_PSI_MEMORY] = "memory.pressure",
		[CG_PSI_IO] = "io.pressure",
	};
	const char *path;
	const struct cg_hier *h = hier_path(l, p, CG_PSI, &path);
	g_autofree char *text = NULL;

	memset(out, 0, sizeof(*out));
	if (!h || (unsigned)kind >= CG_PSI_N || psi_is_host(l, p))
		return true;
	if (!read_opt(h, path, files[kind], &text, err))
		return false;
	if (!text) /* the root of older kernels, or PSI disabled */
		return true;
	if (!cg_parse_psi(text, out))
		return parse_err(h, path, files[kind], err);
	return true;
}
