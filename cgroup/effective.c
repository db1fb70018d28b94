/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the limit files at the root of a view show: the limit that binds
 * the root cgroup's processes, the minimum over that cgroup and its
 * ancestors up to the hierarchy's root, in the file's own format.  A view
 * rooted at "a/b" whose own memory.max is "max" while a's is 1 GiB shows
 * 1 GiB: what the processes inside can really use.
 *
 * The cgroup's own file must exist (the view lists it); an ancestor
 * without it does not limit (the v2 root, a v1 root without pids.max).
 * The walks and the parsers are read.c's (cgi_min_up, cgi_cpu_up).
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

enum eff_kind {
	EFF_BYTES,   /* v1 byte limit, printed as the kernel has it */
	EFF_MAX,     /* a number or "max" */
	EFF_CPU,     /* cpu.cfs_quota_us (v1), cpu.max (v2) */
	EFF_CPUSET,  /* the effective list of @path */
};

#define EFF_V1 1u
#define EFF_V2 2u

struct eff_file {
	const char *file;
	unsigned versions;  /* EFF_V1 | EFF_V2 */
	enum eff_kind kind;
	const char *source;    /* EFF_CPUSET: the file read on v1 */
	const char *source_v2; /* and on v2 */
};

static const struct eff_file eff_files[] = {
	{ "memory.limit_in_bytes", EFF_V1, EFF_BYTES, NULL, NULL },
	{ "memory.memsw.limit_in_bytes", EFF_V1, EFF_BYTES, NULL, NULL },
	{ "memory.max", EFF_V2, EFF_MAX, NULL, NULL },
	{ "memory.swap.max", EFF_V2, EFF_MAX, NULL, NULL },
	{ "pids.max", EFF_V1 | EFF_V2, EFF_MAX, NULL, NULL },
	{ "cpu.cfs_quota_us", EFF_V1, EFF_CPU, NULL, NULL },
	{ "cpu.max", EFF_V2, EFF_CPU, NULL, NULL },
	{ "cpuset.cpus", EFF_V1 | EFF_V2, EFF_CPUSET, "cpuset.effective_cpus",
	  "cpuset.cpus.effective" },
	{ "cpuset.mems", EFF_V1 | EFF_V2, EFF_CPUSET, "cpuset.effective_mems",
	  "cpuset.mems.effective" },
};

static const struct eff_file *eff_lookup(const struct cg_hier *h,
					 const char *file)
{
	unsigned v = h->v2 ? EFF_V2 : EFF_V1;

	for (size_t i = 0; i < G_N_ELEMENTS(eff_files); i++)
		if ((eff_files[i].versions & v) &&
		    strcmp(eff_files[i].file, file) == 0)
			return &eff_files[i];
	return NULL;
}

static bool eff_parse_err(const struct cg_hier *h, const char *path,
			  const char *file, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	cgi_set_parse(err, h->mountpoint, rel, "unexpected content");
	return false;
}

static bool eff_missing(const struct cg_hier *h, const char *path,
			const char *file, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	cgi_set_errno(err, ENOENT, "reading", h->mountpoint, rel);
	return false;
}

/* @path's own @file, which must exist, as text. */
static bool eff_read_own(const struct cg_hier *h, const char *path,
			 const char *file, char **text, GError **err)
{
	g_autofree char *rel = cgi_join(path, file);

	return cgi_read_at(h->dirfd, h->mountpoint, rel, text, err);
}

/* A number limit: @path's own value, then the minimum with the
 * ancestors that have the file. */
static bool eff_number(const struct cg_hier *h, const char *path,
		       const char *file, bool max_word, char **text,
		       GError **err)
{
	cgi_num_parse_fn parse = max_word ? cg_parse_u64_or_max : cgi_parse_u64;
	g_autofree char *own_text = NULL;
	g_autofree char *parent = g_strdup(path);
	uint64_t own, up = CG_UNLIMITED, v;

	if (!eff_read_own(h, path, file, &own_text, err))
		return false;
	if (!parse(own_text, &own))
		return eff_parse_err(h, path, file, err);
	if (cgi_parent(parent) &&
	    !cgi_min_up(h, parent, file, parse, &up, err))
		return false;
	v = MIN(own, up);
	*text = max_word && v == CG_UNLIMITED
			? g_strdup("max\n")
			: g_strdup_printf("%" PRIu64 "\n", v);
	return true;
}

/* The binding quota/period @c rescaled to @period, rounded down. */
static int64_t eff_rescale(const struct cg_cpu *c, uint64_t period)
{
	unsigned __int128 q;

	if (c->quota_us < 0 || c->period_us == 0)
		return -1;
	q = (unsigned __int128)c->quota_us * period / c->period_us;
	return q > INT64_MAX ? INT64_MAX : (int64_t)q;
}

/* cpu.cfs_quota_us / cpu.max: the smallest ratio over @path and its
 * ancestors, at @path's own period. */
static bool eff_cpu(const struct cg_hier *h, const char *path,
		    const char *file, char **text, GError **err)
{
	struct cg_cpu c = { .quota_us = -1 };
	g_autofree char *parent = g_strdup(path);
	int64_t q = -1, quota;
	uint64_t per = 0;
	bool found;

	if (!cgi_cpu_level(h, path, &q, &per, &found, err))
		return false;
	if (!found)
		return eff_missing(h, path, file, err);
	cgi_tighter_quota(&c, q, per);
	if (cgi_parent(parent) && !cgi_cpu_up(h, parent, &c, err))
		return false;
	quota = eff_rescale(&c, per);
	if (!h->v2)
		*text = g_strdup_printf("%" PRId64 "\n", quota);
	else if (quota < 0)
		*text = g_strdup_printf("max %" PRIu64 "\n", per);
	else
		*text = g_strdup_printf("%" PRId64 " %" PRIu64 "\n", quota,
					per);
	return true;
}

/* cpuset.cpus / cpuset.mems: @path's effective list, checked, as the
 * kernel prints it. */
static bool eff_cpuset(const struct cg_hier *h, const char *path,
		       const struct eff_file *f, char **text, GError **err)
{
	const char *source = h->v2 ? f->source_v2 : f->source;
	g_autofree char *own = NULL;
	struct cg_cpumask mask;
	size_t len;

	if (!eff_read_own(h, path, source, &own, err))
		return false;
	if (!cg_cpumask_parse(own, &mask))
		return eff_parse_err(h, path, source, err);
	len = strlen(own);
	*text = len && own[len - 1] == '\n' ? g_steal_pointer(&own)
					    : g_strconcat(own, "\n", NULL);
	return true;
}

bool cg_effective_text(const struct cg_hier *h, const char *path,
		       const char *file, char **text, GError **err)
{
	const struct eff_file *f = eff_lookup(h, file);

	*text = NULL;
	if (!f)
		return true;
	switch (f->kind) {
	case EFF_BYTES:
		return eff_number(h, path, file, false, text, err);
	case EFF_MAX:
		return eff_number(h, path, file, true, text, err);
	case EFF_CPU:
		return eff_cpu(h, path, file, text, err);
	case EFF_CPUSET:
		return eff_cpuset(h, path, f, text, err);
	}
	return true;
}
