/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's own cgroup in every hierarchy corral uses, built on
 * cgroup/write.c (see there why not libcgroup).
 *
 * Hierarchies: those of the layout's controllers (memory, cpu, cpuacct,
 * cpuset, blkio/io, pids, and the cgroup2 one, which on a hybrid host
 * gives the container its own PSI files), plus v1 "devices" and
 * "freezer" (pause/resume).  The layout (cgroup/cgroup.h) does not track
 * those two: adding them to enum cg_ctrl would change what corralfs keys
 * its views by and which readers count as "at the root" (fs/view.c,
 * cgroup/read.c loop over every controller), so the runtime opens them
 * itself (cg_v1_hier_open()).  The name=systemd hierarchy is left alone.
 * On cgroup v2 the freezer is cgroup.freeze of the container's cgroup.
 */
#include "runtime/cgroups/cgroups.h"
#include "runtime/cgroups/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define RT_MAX_HIER 20

/* The container's cgroup in one hierarchy. */
struct rt_hier {
	const struct cg_hier *h;
	char *base;        /* the parent we create under (caller's own or "") */
	char *path;        /* the container's cgroup */
	char *dir;         /* mountpoint/path, for messages */
	unsigned ncreated; /* levels made by us, the cgroup included */
	bool cpuset_v1;    /* copy cpus/mems into each new level */
	bool relative;     /* base is the caller's own cgroup */
};

/* The v1 hierarchies the layout does not track. */
enum { RT_V1_DEVICES, RT_V1_FREEZER, RT_V1_N };
static const char *const v1_extra[RT_V1_N] = { "devices", "freezer" };

/* What rt_cgroup_update() wrote, to put back if a later write fails. */
struct rt_undo {
	const struct cg_hier *h;
	char *path, *file, *old;
};

struct rt_cgroup {
	struct rt_hier hier[RT_MAX_HIER];
	int n;
	int of_ctrl[CG_NCTRL]; /* index into hier[], -1 */
	int v1[RT_V1_N];       /* hier[] of v1 devices / freezer, -1 */
	int unified;           /* hier[] of the cgroup2 hierarchy, -1 */
	struct cg_hier v1_h[RT_V1_N];
	int bpf_fd;            /* v2 device program, -1 */
	GArray *undo;          /* struct rt_undo while updating, else NULL */
};

/* Errors of cgroup/ become RT_ERROR_CGROUP (the message stays). */
static bool to_rt(bool ok, GError **err)
{
	if (!ok && err && *err && (*err)->domain == CG_ERROR) {
		(*err)->domain = RT_ERROR;
		(*err)->code = RT_ERROR_CGROUP;
	}
	return ok;
}

static bool fail(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static bool fail(GError **err, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(err, RT_ERROR, RT_ERROR_CGROUP, msg);
	return false;
}

/* @cgroups_path without its leading '/' and empty components; NULL for
 * a path without components or with "." or "..". */
static char *clean_path(const char *cgroups_path, GError **err)
{
	g_auto(GStrv) parts = g_strsplit(cgroups_path, "/", -1);
	g_autoptr(GString) out = g_string_new(NULL);

	for (char **p = parts; *p; p++) {
		if (strcmp(*p, ".") == 0 || strcmp(*p, "..") == 0) {
			fail(err, "invalid cgroup path \"%s\": no \".\" or "
			     "\"..\" allowed", cgroups_path);
			return NULL;
		}
		if (**p)
			g_string_append_printf(out, "%s%s", out->len ? "/" : "", *p);
	}
	if (!out->len) {
		fail(err, "invalid cgroup path \"%s\"", cgroups_path);
		return NULL;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void hier_clear(struct rt_hier *rh)
{
	g_free(rh->base);
	g_free(rh->path);
	g_free(rh->dir);
}

static void cgroup_free(struct rt_cgroup *cg)
{
	for (int i = 0; i < cg->n; i++)
		hier_clear(&cg->hier[i]);
	for (int i = 0; i < RT_V1_N; i++)
		cg_hier_clear(&cg->v1_h[i]);
	if (cg->bpf_fd >= 0)
		close(cg->bpf_fd);
	g_free(cg);
}

/* Index of @h in cg->hier[], added with @base/@rel when new. */
static int add_hier(struct rt_cgroup *cg, const struct cg_hier *h,
		    const char *base, const char *rel, bool relative)
{
	struct rt_hier *rh;

	for (int i = 0; i < cg->n; i++)
		if (cg->hier[i].h == h)
			return i;
	g_assert(cg->n < RT_MAX_HIER);
	rh = &cg->hier[cg->n];
	rh->h = h;
	rh->base = g_strdup(base);
	rh->path = *base ? g_strconcat(base, "/", rel, NULL) : g_strdup(rel);
	rh->dir = g_strconcat(h->mountpoint, "/", rh->path, NULL);
	rh->relative = relative;
	return cg->n++;
}

/* The v1 hierarchies of devices and freezer, when mounted. */
static bool add_v1_extra(struct rt_cgroup *cg, const struct cg_layout *l,
			 const char *rel, bool absolute, GError **err)
{
	for (int i = 0; i < RT_V1_N; i++) {
		g_autofree char *own = NULL;

		if (!cg_v1_hier_open(l, v1_extra[i], getpid(), &cg->v1_h[i], &own, err))
			return false;
		if (cg->v1_h[i].dirfd >= 0)
			cg->v1[i] = add_hier(cg, &cg->v1_h[i], absolute ? "" : own,
					     rel, !absolute);
	}
	return true;
}

/* The hierarchies of the layout's controllers and of v1 devices and
 * freezer. */
static bool add_hierarchies(struct rt_cgroup *cg, const struct cg_layout *l,
			    const char *rel, bool absolute, GError **err)
{
	struct cg_paths self;
	bool ok = true;

	if (!cg_paths_of_pid(l, getpid(), &self, err))
		return false;
	for (int c = 0; c < CG_NCTRL && ok; c++) {
		const struct cg_hier *h = cg_layout_hier(l, c);

		if (!h)
			continue;
		if (!absolute && !self.path[c])
			ok = fail(err, "the caller has no cgroup in the %s "
				  "hierarchy (%s)", cg_ctrl_name(c), h->mountpoint);
		else
			cg->of_ctrl[c] = add_hier(cg, h, absolute ? "" : self.path[c],
						  rel, !absolute);
	}
	cg_paths_clear(&self);
	/* the cgroup2 hierarchy is always bound to CG_PSI */
	if (ok && l->unified >= 0)
		cg->unified = cg->of_ctrl[CG_PSI];
	if (!ok || l->kind == CG_LAYOUT_V2)
		return ok;
	return add_v1_extra(cg, l, rel, absolute, err);
}

/* ---- creating ---------------------------------------------------- */

static const char *const v2_controllers[] = {
	"cpu", "cpuset", "io", "memory", "pids", NULL
};

/* cgroup.subtree_control of @path, with a clear word about EBUSY. */
static bool enable_v2(const struct rt_hier *rh, const char *path,
		      GError **err)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *dir = NULL;

	if (cg_enable_controllers(rh->h, path, v2_controllers, &local))
		return true;
	if (!g_error_matches(local, CG_ERROR, CG_ERROR_BUSY)) {
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	dir = *path ? g_strconcat(rh->h->mountpoint, "/", path, NULL)
		    : g_strdup(rh->h->mountpoint);
	return fail(err, "cannot enable controllers in %s: %s has processes "
		    "(cgroup v2 no-internal-processes rule); use "
		    "--cgroup-parent with a leaf", dir,
		    rh->relative && strcmp(path, rh->base) == 0
			    ? "the caller's own cgroup" : "that cgroup");
}

/* cg_create()'s hook: v1 cpuset values first in each new level; v2
 * controllers enabled in each level before its child is made. */
static bool level_ready(const struct cg_hier *h, const char *path, bool made,
			bool last, void *ctx, GError **err)
{
	const struct rt_hier *rh = ctx;

	if (made && rh->cpuset_v1 &&
	    (!cg_copy_from_parent(h, path, "cpuset.cpus", err) ||
	     !cg_copy_from_parent(h, path, "cpuset.mems", err)))
		return false;
	if (h->v2 && !last)
		return enable_v2(rh, path, err);
	return true;
}

/* Removes what was made in hier[0..n). */
static void unmake_all(struct rt_cgroup *cg, int n)
{
	for (int i = n; i-- > 0;) {
		struct rt_hier *rh = &cg->hier[i];

		if (rh->ncreated && cg_remove(rh->h, rh->path, NULL))
			cg_remove_parents(rh->h, rh->path, rh->ncreated - 1);
		rh->ncreated = 0;
	}
}

static bool make_all(struct rt_cgroup *cg, const struct cg_layout *l,
		     const char *rel, GError **err)
{
	const struct cg_hier *cpuset = cg_layout_hier(l, CG_CPUSET);

	for (int i = 0; i < cg->n; i++) {
		struct rt_hier *rh = &cg->hier[i];

		rh->cpuset_v1 = rh->h == cpuset && !cpuset->v2;
		if (!cg_create(rh->h, rh->base, rel, level_ready, rh,
			       &rh->ncreated, err)) {
			unmake_all(cg, i);
			return false;
		}
	}
	return true;
}

static struct rt_cgroup *cgroup_new(void)
{
	struct rt_cgroup *cg = g_new0(struct rt_cgroup, 1);

	for (int c = 0; c < CG_NCTRL; c++)
		cg->of_ctrl[c] = -1;
	for (int i = 0; i < RT_V1_N; i++) {
		cg->v1[i] = -1;
		cg->v1_h[i].dirfd = -1;
	}
	cg->unified = cg->bpf_fd = -1;
	return cg;
}

struct rt_cgroup *rt_cgroup_create(const struct cg_layout *l, const char *cgroups_path,
				   GError **err)
{
	g_autofree char *rel = clean_path(cgroups_path, err);
	struct rt_cgroup *cg;

	if (!rel)
		return NULL;
	cg = cgroup_new();
	if (!to_rt(add_hierarchies(cg, l, rel, cgroups_path[0] == '/', err), err) ||
	    !to_rt(make_all(cg, l, rel, err), err)) {
		cgroup_free(cg);
		return NULL;
	}
	return cg;
}

void rt_cgroup_close(struct rt_cgroup *cg)
{
	if (cg)
		cgroup_free(cg);
}

int rt_cgroup_parts(const struct rt_cgroup *cg, struct rt_cgroup_part *out, int max)
{
	int n = 0;

	for (int i = 0; i < cg->n && n < max; i++, n++)
		out[n] = (struct rt_cgroup_part){ cg->hier[i].h->mountpoint, cg->hier[i].path,
						  cg->hier[i].ncreated };
	return n;
}

/* The layout's hierarchy (or v1 devices/freezer) mounted at
 * @mountpoint; *@extra: which v1 one, or -1. */
static const struct cg_hier *hier_at(struct rt_cgroup *cg, const struct cg_layout *l,
				     const char *mountpoint, int *extra, GError **err)
{
	*extra = -1;
	for (int i = 0; i < l->nhier; i++)
		if (strcmp(l->hier[i].mountpoint, mountpoint) == 0)
			return &l->hier[i];
	for (int i = 0; i < RT_V1_N && l->kind != CG_LAYOUT_V2; i++) {
		g_autofree char *own = NULL;

		if (cg->v1_h[i].dirfd < 0 && !cg->v1_h[i].mountpoint &&
		    !cg_v1_hier_open(l, v1_extra[i], getpid(), &cg->v1_h[i], &own, err))
			return NULL;
		if (g_strcmp0(cg->v1_h[i].mountpoint, mountpoint) == 0) {
			*extra = i;
			return &cg->v1_h[i];
		}
	}
	fail(err, "no cgroup hierarchy is mounted at %s any more", mountpoint);
	return NULL;
}

struct rt_cgroup *rt_cgroup_reopen(const struct cg_layout *l, const struct rt_cgroup_part *parts,
				   int n, GError **err)
{
	struct rt_cgroup *cg = cgroup_new();

	for (int i = 0; i < n; i++) {
		int extra;
		const struct cg_hier *h = hier_at(cg, l, parts[i].mountpoint, &extra, err);
		if (!h || cg->n >= RT_MAX_HIER) {
			if (h)
				fail(err, "too many cgroup hierarchies");
			cgroup_free(cg);
			to_rt(false, err);
			return NULL;
		}
		int k = add_hier(cg, h, "", parts[i].path, false);
		cg->hier[k].ncreated = parts[i].ncreated;
		if (extra >= 0)
			cg->v1[extra] = k;
		for (int c = 0; c < CG_NCTRL; c++)
			if (cg_layout_hier(l, c) == h)
				cg->of_ctrl[c] = k;
	}
	if (l->unified >= 0)
		cg->unified = cg->of_ctrl[CG_PSI];
	return cg;
}

const char *rt_cgroup_dir(const struct rt_cgroup *cg, enum cg_ctrl c)
{
	if ((unsigned)c >= CG_NCTRL || cg->of_ctrl[c] < 0)
		return NULL;
	return cg->hier[cg->of_ctrl[c]].dir;
}

/* ---- limits ----------------------------------------------------------- */

static const struct rt_hier *hier_of(const struct rt_cgroup *cg,
				     enum cg_ctrl c)
{
	return cg->of_ctrl[c] < 0 ? NULL : &cg->hier[cg->of_ctrl[c]];
}

static bool is_v2(const struct rt_cgroup *cg, enum cg_ctrl c)
{
	const struct rt_hier *rh = hier_of(cg, c);

	return rh && rh->h->v2;
}

/* While updating: the current value of @file, kept to be put back. */
static bool remember(const struct rt_cgroup *cg, const struct rt_hier *rh,
		     const char *file, GError **err)
{
	struct rt_undo u = { rh->h, NULL, NULL, NULL };
	g_autoptr(GError) local = NULL;

	if (!cg_read_value(rh->h, rh->path, file, &u.old, &local)) {
		if (g_error_matches(local, CG_ERROR, CG_ERROR_NOENT))
			return true; /* nothing to put back: the write says why */
		g_propagate_error(err, g_steal_pointer(&local));
		return false;
	}
	g_strstrip(u.old);
	u.path = g_strdup(rh->path);
	u.file = g_strdup(file);
	g_array_append_val(cg->undo, u);
	return true;
}

static bool put(const struct rt_cgroup *cg, enum cg_ctrl c, const char *file,
		const char *value, GError **err)
{
	const struct rt_hier *rh = hier_of(cg, c);

	if (!rh)
		return fail(err, "cannot write '%s' to %s: the %s controller "
			    "is not mounted", value, file, cg_ctrl_name(c));
	if (cg->undo && !remember(cg, rh, file, err))
		return false;
	return cg_write(rh->h, rh->path, file, value, err);
}

/* The current value of @file of @c's cgroup as a number; "max" and v1's
 * huge "no limit" values are -1. */
static bool current_limit(const struct rt_cgroup *cg, enum cg_ctrl c,
			  const char *file, int64_t *out, GError **err)
{
	const struct rt_hier *rh = hier_of(cg, c);
	g_autofree char *text = NULL;
	uint64_t v;

	if (!rh || !cg_read_value(rh->h, rh->path, file, &text, err))
		return rh ? false : fail(err, "reading %s: the %s controller is not "
					  "mounted", file, cg_ctrl_name(c));
	if (!cg_parse_u64_or_max(g_strstrip(text), &v))
		return fail(err, "parsing %s/%s: not a number: '%s'", rh->dir, file, text);
	*out = v >= UINT64_C(1) << 62 ? -1 : (int64_t)v;
	return true;
}

/* A number, or "max" (v2 and pids) / "-1" (v1) for a negative one. */
static bool put_num(const struct rt_cgroup *cg, enum cg_ctrl c,
		    const char *file, int64_t v, bool max_word, GError **err)
{
	char buf[24];

	if (v < 0)
		return put(cg, c, file, max_word ? "max" : "-1", err);
	g_snprintf(buf, sizeof(buf), "%" PRId64, v);
	return put(cg, c, file, buf, err);
}

/* OCI swap is memory + swap: v1 memsw as is, v2 swap alone. */
static bool apply_swap(const struct rt_cgroup *cg, int64_t limit,
		       int64_t swap, GError **err)
{
	bool v2 = is_v2(cg, CG_MEMORY);
	const char *file = v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
	const struct rt_hier *rh = hier_of(cg, CG_MEMORY);

	if (swap < 0 && rh && !cg_file_exists(rh->h, rh->path, file))
		return true; /* no swap accounting: nothing to lift */
	if (!rh || !cg_file_exists(rh->h, rh->path, file))
		return fail(err, "cannot limit swap: swap accounting is not "
			    "enabled (no %s/%s)", rh ? rh->dir : "memory cgroup",
			    file);
	/* `update --memory-swap` alone: against the limit in force */
	if (swap >= 0 && limit == RT_UNSET &&
	    !current_limit(cg, CG_MEMORY, v2 ? "memory.max" : "memory.limit_in_bytes",
			   &limit, err))
		return false;
	if (swap >= 0 && (limit == RT_UNSET || limit < 0))
		return fail(err, "a memory+swap limit (%" PRId64 ") needs a "
			    "memory limit", swap);
	if (swap >= 0 && swap < limit)
		return fail(err, "the memory+swap limit (%" PRId64 ") is below "
			    "the memory limit (%" PRId64 ")", swap, limit);
	return put_num(cg, CG_MEMORY, file, v2 && swap >= 0 ? swap - limit : swap,
		       v2, err);
}

/* v1 wants memory <= memory+swap at every step: a memory limit above
 * the memory+swap limit in force waits until that one is raised. */
static bool swap_first(const struct rt_cgroup *cg, const struct rt_resources *r)
{
	int64_t memsw;

	if (is_v2(cg, CG_MEMORY) || r->memory.limit == RT_UNSET ||
	    r->memory.swap == RT_UNSET ||
	    !current_limit(cg, CG_MEMORY, "memory.memsw.limit_in_bytes", &memsw, NULL))
		return false;
	return memsw >= 0 && (r->memory.limit < 0 || r->memory.limit > memsw);
}

static bool apply_memory(const struct rt_cgroup *cg, const struct rt_resources *r,
			 GError **err)
{
	bool v2 = is_v2(cg, CG_MEMORY), early = swap_first(cg, r);

	if (early && !apply_swap(cg, r->memory.limit, r->memory.swap, err))
		return false;
	if (r->memory.limit != RT_UNSET &&
	    !put_num(cg, CG_MEMORY, v2 ? "memory.max" : "memory.limit_in_bytes",
		     r->memory.limit, v2, err))
		return false;
	if (!early && r->memory.swap != RT_UNSET &&
	    !apply_swap(cg, r->memory.limit, r->memory.swap, err))
		return false;
	if (r->memory.reservation != RT_UNSET &&
	    !put_num(cg, CG_MEMORY, v2 ? "memory.low" : "memory.soft_limit_in_bytes",
		     r->memory.reservation, v2, err))
		return false;
	return true;
}

/* v2 cpu.max: "QUOTA PERIOD", "max PERIOD", or "QUOTA" alone. */
static bool apply_cpu_max(const struct rt_cgroup *cg, int64_t quota,
			  int64_t period, GError **err)
{
	g_autofree char *q = quota == RT_UNSET || quota < 0
				     ? g_strdup("max")
				     : g_strdup_printf("%" PRId64, quota);
	g_autofree char *v = period == RT_UNSET
				     ? g_strdup(q)
				     : g_strdup_printf("%s %" PRId64, q, period);

	return put(cg, CG_CPU, "cpu.max", v, err);
}

static bool apply_cpu(const struct rt_cgroup *cg, const struct rt_resources *r,
		      GError **err)
{
	int64_t quota = r->cpu.quota, period = r->cpu.period;

	if (is_v2(cg, CG_CPU)) {
		if ((quota != RT_UNSET || period != RT_UNSET) &&
		    !apply_cpu_max(cg, quota, period, err))
			return false;
		if (r->cpu.shares != RT_UNSET &&
		    !put_num(cg, CG_CPU, "cpu.weight",
			     (int64_t)rt_shares_to_weight((uint64_t)MAX(r->cpu.shares, 0)),
			     true, err))
			return false;
	} else {
		/* the period first: a quota is checked against it */
		if ((period != RT_UNSET &&
		     !put_num(cg, CG_CPU, "cpu.cfs_period_us", period, false, err)) ||
		    (quota != RT_UNSET &&
		     !put_num(cg, CG_CPU, "cpu.cfs_quota_us", quota, false, err)) ||
		    (r->cpu.shares != RT_UNSET &&
		     !put_num(cg, CG_CPU, "cpu.shares", r->cpu.shares, false, err)))
			return false;
	}
	if (r->cpu.cpus && !put(cg, CG_CPUSET, "cpuset.cpus", r->cpu.cpus, err))
		return false;
	if (r->cpu.mems && !put(cg, CG_CPUSET, "cpuset.mems", r->cpu.mems, err))
		return false;
	return true;
}

/* v1: deny everything, then each rule in order. */
static bool apply_devices_v1(const struct rt_hier *rh, const GArray *rules,
			     GError **err)
{
	if (!cg_write(rh->h, rh->path, "devices.deny", "a", err))
		return false;
	for (guint i = 0; i < rules->len; i++) {
		const struct rt_device_rule *r =
			&g_array_index(rules, struct rt_device_rule, i);
		g_autofree char *line = rt_device_rule_v1(r);

		if (!cg_write(rh->h, rh->path, rt_device_rule_file(r), line, err))
			return false;
	}
	return true;
}

/* v2: a device program attached to the cgroup, kept until destroy. */
static bool apply_devices_v2(struct rt_cgroup *cg, const struct rt_hier *rh,
			     const GArray *rules, GError **err)
{
	g_autoptr(GArray) prog = rt_devices_bpf_build(rules);
	int fd, prog_fd;
	bool ok;

	fd = openat(rh->h->dirfd, rh->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, "opening %s: %s", rh->dir, g_strerror(errno));
	ok = rt_devices_bpf_load(prog, &prog_fd, err);
	if (ok && !(ok = rt_devices_bpf_attach(prog_fd, fd, rh->dir, err)))
		close(prog_fd);
	close(fd);
	if (ok) {
		if (cg->bpf_fd >= 0)
			close(cg->bpf_fd);
		cg->bpf_fd = prog_fd;
	}
	return ok;
}

/* NULL rules: the device controller is left alone (as inherited). */
static bool apply_devices(struct rt_cgroup *cg, const GArray *rules,
			  GError **err)
{
	if (!rules)
		return true;
	if (cg->v1[RT_V1_DEVICES] >= 0)
		return apply_devices_v1(&cg->hier[cg->v1[RT_V1_DEVICES]], rules, err);
	if (cg->unified >= 0)
		return apply_devices_v2(cg, &cg->hier[cg->unified], rules, err);
	return fail(err, "cannot apply device rules: no devices hierarchy "
		    "and no cgroup2 hierarchy");
}

bool rt_cgroup_apply(struct rt_cgroup *cg, const struct rt_resources *res, GError **err)
{
	bool ok = apply_memory(cg, res, err) && apply_cpu(cg, res, err) &&
		  (res->pids.limit == RT_UNSET ||
		   put_num(cg, CG_PIDS, "pids.max", res->pids.limit, true, err)) &&
		  apply_devices(cg, res->devices, err);

	return to_rt(ok, err);
}

static void undo_clear(gpointer p)
{
	struct rt_undo *u = p;

	g_free(u->path);
	g_free(u->file);
	g_free(u->old);
}

/* Puts back what was written, last first (errors ignored: the first
 * error is the one reported). */
static void roll_back(GArray *undo)
{
	for (guint i = undo->len; i-- > 0;) {
		const struct rt_undo *u = &g_array_index(undo, struct rt_undo, i);

		/* an empty write reaches no kernel handler */
		(void)cg_write(u->h, u->path, u->file, *u->old ? u->old : "\n", NULL);
	}
}

bool rt_cgroup_update(struct rt_cgroup *cg, const struct rt_resources *res, GError **err)
{
	struct rt_resources r = *res;
	bool ok;

	r.devices = NULL; /* like runc update: devices stay as they are */
	cg->undo = g_array_new(FALSE, FALSE, sizeof(struct rt_undo));
	g_array_set_clear_func(cg->undo, undo_clear);
	ok = rt_cgroup_apply(cg, &r, err);
	if (!ok)
		roll_back(cg->undo);
	g_clear_pointer(&cg->undo, g_array_unref);
	return ok;
}

/* cpu.shares (v1: 2..262144, default 1024) to cpu.weight (v2: 1..10000,
 * default 100).  The conversion runc and crun use today: a quadratic in
 * log2(shares) through the three points (2, 1), (1024, 100) and
 * (262144, 10000), rounded up:
 *     l = log2(shares),  weight = ceil(10^((l^2 + 125 l) / 612 - 7/34))
 * It replaced the linear 1 + (shares - 2) * 9999 / 262142, which gave the
 * default 1024 shares a weight of 39 instead of the default 100.  7/34 is
 * written as 126/612 so that the three points come out exact. */
uint64_t rt_shares_to_weight(uint64_t shares)
{
	double l, w;

	if (shares <= 2)
		return 1;
	if (shares >= 262144)
		return 10000;
	l = log2((double)shares);
	w = ceil(pow(10.0, (l * l + 125.0 * l - 126.0) / 612.0));
	return (uint64_t)CLAMP(w, 1.0, 10000.0);
}

/* ---- freezing, listing ------------------------------------------------ */

/* v1 freezer, else the cgroup2 hierarchy (v2, or a hybrid host without a
 * v1 freezer: cgroup.freeze needs no controller); NULL: neither. */
static const struct rt_hier *freezer_or_null(const struct rt_cgroup *cg)
{
	int i = cg->v1[RT_V1_FREEZER] >= 0 ? cg->v1[RT_V1_FREEZER] : cg->unified;

	return i < 0 ? NULL : &cg->hier[i];
}

static const struct rt_hier *freezer_of(const struct rt_cgroup *cg, GError **err)
{
	const struct rt_hier *rh = freezer_or_null(cg);

	if (rh == NULL)
		fail(err, "cannot freeze: no v1 freezer hierarchy and no cgroup2 hierarchy");
	return rh;
}

bool rt_cgroup_freeze(struct rt_cgroup *cg, bool frozen, GError **err)
{
	const struct rt_hier *rh = freezer_of(cg, err);

	return to_rt(rh && cg_freeze(rh->h, rh->path, frozen, err), err);
}

bool rt_cgroup_frozen(const struct rt_cgroup *cg, bool *frozen, GError **err)
{
	const struct rt_hier *rh = freezer_of(cg, err);
	enum cg_freeze_state st;

	if (!rh || !cg_freeze_state(rh->h, rh->path, &st, err))
		return to_rt(false, err);
	*frozen = st == CG_FROZEN;
	return true;
}

bool rt_cgroup_pids(const struct rt_cgroup *cg, GArray *pids, GError **err)
{
	const struct rt_hier *rh = hier_of(cg, CG_PIDS);

	if (!rh && cg->n == 0)
		return fail(err, "the container has no cgroup");
	if (!rh)
		rh = &cg->hier[0];
	return to_rt(cg_list_pids_recursive(rh->h, rh->path, pids, err), err);
}

/* ---- signalling every process ------------------------------------------ */

/* The hierarchy whose listing names the container's processes: pids,
 * else the first. */
static const struct rt_hier *procs_of(const struct rt_cgroup *cg)
{
	const struct rt_hier *rh = hier_of(cg, CG_PIDS);

	return rh ? rh : cg->n ? &cg->hier[0] : NULL;
}

/* Whether the caller is one of @pids. */
static bool lists_self(const GArray *pids)
{
	for (guint i = 0; i < pids->len; i++)
		if (g_array_index(pids, pid_t, i) == getpid())
			return true;
	return false;
}

/* @sig to each of @pids but the caller; one that has exited meanwhile is
 * fine, any other failure is reported (the first), after trying all. */
static bool signal_listed(const GArray *pids, int sig, GError **err)
{
	GError *first = NULL;

	for (guint i = 0; i < pids->len; i++) {
		pid_t pid = g_array_index(pids, pid_t, i);

		if (pid != getpid() && kill(pid, sig) < 0 && errno != ESRCH && !first)
			first = g_error_new(RT_ERROR, RT_ERROR_CGROUP, "sending signal %d to pid %d: %s",
					    sig, (int)pid, g_strerror(errno));
	}
	if (first)
		g_propagate_error(err, first);
	return first == NULL;
}

/* Freeze @fz (unless it is frozen or freezing already: then it is left
 * as it is), list, signal, thaw what we froze.  A freeze that does not
 * complete (cg_freeze undoes it) still gets the signals, then its error. */
static bool signal_frozen(struct rt_cgroup *cg, const struct rt_hier *fz, int sig, GError **err)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	g_autoptr(GError) freeze_err = NULL;
	enum cg_freeze_state st = CG_FROZEN;
	bool ours;

	if (fz && !cg_freeze_state(fz->h, fz->path, &st, err))
		return to_rt(false, err);
	ours = st == CG_THAWED && cg_freeze(fz->h, fz->path, true, &freeze_err);
	bool ok = rt_cgroup_pids(cg, pids, err) && signal_listed(pids, sig, err);
	if (ours && !cg_freeze(fz->h, fz->path, false, ok ? err : NULL))
		return to_rt(false, err);
	if (ok && freeze_err) {
		g_propagate_prefixed_error(err, g_steal_pointer(&freeze_err),
					   "signal %d sent without freezing: ", sig);
		return to_rt(false, err);
	}
	return ok;
}

bool rt_cgroup_signal_all(struct rt_cgroup *cg, int sig, GError **err)
{
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	const struct rt_hier *rh = procs_of(cg), *fz = freezer_or_null(cg);

	if (!rh)
		return fail(err, "the container has no cgroup");
	if (!rt_cgroup_pids(cg, pids, err))
		return false;
	if (pids->len == 0)
		return true; /* nothing to signal, nothing to freeze */
	if (lists_self(pids))
		fz = NULL; /* never freeze ourselves */
	if (sig == SIGKILL)
		return to_rt(cg_kill_all(rh->h, rh->path, fz ? fz->h : NULL, fz ? fz->path : NULL, err),
			     err);
	return signal_frozen(cg, fz, sig, err);
}

/* ---- joining and removing ------------------------------------------------ */

bool rt_cgroup_attach(struct rt_cgroup *cg, pid_t pid, GError **err)
{
	for (int i = 0; i < cg->n; i++)
		if (!cg_attach(cg->hier[i].h, cg->hier[i].path, pid, err))
			return to_rt(false, err);
	return true;
}

bool rt_cgroup_destroy(struct rt_cgroup *cg, GError **err)
{
	GError *first = NULL;
	const struct rt_hier *fz;

	if (!cg)
		return true;
	/* v1: the container's own freezer cgroup freezes it for the kill */
	fz = cg->v1[RT_V1_FREEZER] >= 0 && cg->hier[cg->v1[RT_V1_FREEZER]].ncreated
		     ? &cg->hier[cg->v1[RT_V1_FREEZER]] : NULL;
	for (int i = 0; i < cg->n; i++) {
		struct rt_hier *rh = &cg->hier[i];

		if (rh->ncreated)
			cg_kill_all(rh->h, rh->path, fz ? fz->h : NULL,
				    fz ? fz->path : NULL, first ? NULL : &first);
	}
	/* v1: a frozen task dies of its SIGKILL only once thawed */
	if (cg->v1[RT_V1_FREEZER] >= 0 && cg->hier[cg->v1[RT_V1_FREEZER]].ncreated) {
		const struct rt_hier *rh = &cg->hier[cg->v1[RT_V1_FREEZER]];
		enum cg_freeze_state st;

		if (cg_freeze_state(rh->h, rh->path, &st, NULL) && st != CG_THAWED)
			cg_freeze(rh->h, rh->path, false, first ? NULL : &first);
	}
	for (int i = 0; i < cg->n; i++) {
		struct rt_hier *rh = &cg->hier[i];

		if (!rh->ncreated)
			continue;
		if (cg_remove(rh->h, rh->path, first ? NULL : &first))
			cg_remove_parents(rh->h, rh->path, rh->ncreated - 1);
	}
	cgroup_free(cg);
	if (first)
		g_propagate_error(err, first);
	return to_rt(!first, err);
}
