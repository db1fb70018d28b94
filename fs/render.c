/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rendering and serving a file.  The parts a file needs (cgview.c) and the
 * host snapshot (hostsnap.c) go in, text comes out of proc/'s renderers.  A
 * rendered file is kept in its cgview for RENDER_TTL_US and shared by the
 * container's readers (struct rendered, immutable).  When a reader's view
 * is unavailable, the host's own file is served (host_render, file_serve),
 * never another container's view.  Locks: fs/view.h.
 */
#include "fs/view.h"

#include <errno.h>

/* A rendered file is reused for RENDER_TTL_US; it was made from parts at
 * most PART_TTL_US old: a changed limit shows within 90 ms. */
#define RENDER_TTL_US ((gint64)40 * 1000)

/* A rendered file, reused while younger than RENDER_TTL_US; uptime and
 * stat also depend on the reader's start (@start).  Immutable. */
struct rendered {
	gint refs;
	gint64 at;
	uint64_t start;
	GString *text;
};

static struct rendered *rendered_ref(struct rendered *r)
{
	if (r)
		g_atomic_int_inc(&r->refs);
	return r;
}

void rendered_unref(struct rendered *r)
{
	if (!r || !g_atomic_int_dec_and_test(&r->refs))
		return;
	g_string_free(r->text, TRUE);
	g_free(r);
}

/* ---------------------------------------------------------- rendering */

static const unsigned file_parts[F_NFILES] = {
	[F_MEMINFO] = 1u << P_MEM,
	[F_SWAPS] = 1u << P_MEM,
	[F_CPUINFO] = 1u << P_CPU,
	[F_CPU_ONLINE] = 1u << P_CPU,
	[F_CPU_POSSIBLE] = 1u << P_CPU,
	[F_CPU_PRESENT] = 1u << P_CPU,
	[F_STAT] = 1u << P_CPU | 1u << P_CPUTIME | 1u << P_TASKS,
	[F_UPTIME] = 1u << P_CPU | 1u << P_CPUTIME,
	[F_LOADAVG] = 1u << P_TASKS,
	[F_DISKSTATS] = 1u << P_BLKIO,
	[F_PSI_CPU] = 1u << P_PSI_CPU,
	[F_PSI_MEMORY] = 1u << P_PSI_MEM,
	[F_PSI_IO] = 1u << P_PSI_IO,
};

/* The parts file @id needs for @v's reader: uptime of a reader in the
 * daemon's namespace starts with its cgroup. */
static unsigned parts_of(const struct view *v, enum file_id id)
{
	unsigned mask = file_parts[id];

	if ((id == F_STAT || id == F_UPTIME) && !v->r->anchor.pidns_init)
		mask |= 1u << P_START;
	return mask;
}

/* Seconds the container has been up. */
static double view_uptime(const struct view *v, const struct partset *s,
			  const struct host_data *h)
{
	const struct anchor *a = &v->r->anchor;
	uint64_t start = a->pidns_init ? a->start_ticks : s->p[P_START]->u.start_ticks;
	double up = host_uptime() - (double)start / (double)h->clk_tck;

	return up < 0 ? 0 : up;
}

static void cpuview_of(const struct part *cpu, const struct host_data *h, struct cpuview *out)
{
	cpuview_compute(&cpu->u.cpu.cpuset, &cpu->u.cpu.cpu, &h->cpus, view_config.use_cpu_quota, out);
}

static void render_load(struct cgview *c, const struct cg_tasks *t, GString *out)
{
	struct loadavg la;

	cgview_loadavg(c, t, &la);
	render_loadavg(&la, t, out);
}

static void render_cpu_files(const struct view *v, enum file_id id, const struct partset *s,
			     const struct host_data *h, GString *out)
{
	g_autofree struct cpuview *cv = g_new(struct cpuview, 1);
	const struct cg_cputime *t;

	cpuview_of(s->p[P_CPU], h, cv);
	if (id == F_CPUINFO) {
		render_cpuinfo(cv, &h->cpuinfo->ci, out);
	} else if (id == F_STAT) {
		t = &s->p[P_CPUTIME]->u.cputime;
		render_stat(t, cv, &h->stat, view_uptime(v, s, h), &s->p[P_TASKS]->u.tasks, out);
	} else if (id == F_UPTIME) {
		t = &s->p[P_CPUTIME]->u.cputime;
		render_uptime(view_uptime(v, s, h), t->valid ? (double)t->usage_ns / 1e9 : 0,
			      cv->n, out);
	} else { /* online, possible, present */
		render_cpu_range(cv, out);
	}
}

/* Pure: parts and host data in, text out (the load average aside). */
static void render_parts(const struct view *v, enum file_id id, const struct partset *s,
			 const struct host_data *h, GString *out)
{
	switch (id) {
	case F_MEMINFO:
		render_meminfo(&s->p[P_MEM]->u.mem, &h->mem, out);
		break;
	case F_SWAPS:
		render_swaps(&s->p[P_MEM]->u.mem, &h->mem, out);
		break;
	case F_LOADAVG:
		render_load(v->cg, &s->p[P_TASKS]->u.tasks, out);
		break;
	case F_DISKSTATS:
		render_diskstats(&s->p[P_BLKIO]->u.blkio, &h->disks, out);
		break;
	case F_PSI_CPU:
		render_pressure(&s->p[P_PSI_CPU]->u.psi, out);
		break;
	case F_PSI_MEMORY:
		render_pressure(&s->p[P_PSI_MEM]->u.psi, out);
		break;
	case F_PSI_IO:
		render_pressure(&s->p[P_PSI_IO]->u.psi, out);
		break;
	default:
		render_cpu_files(v, id, s, h, out);
	}
}

/* A new rendering of @id for @v, made with no lock held. */
static struct rendered *render_new(const struct view *v, enum file_id id, uint64_t start,
				   GError **err)
{
	struct partset s = { { 0 } };
	const struct host_data *h;
	struct rendered *r;

	if (!partset_get(v->cg, parts_of(v, id), &s, err))
		return NULL;
	r = g_new0(struct rendered, 1);
	r->refs = 1;
	r->at = g_get_monotonic_time();
	r->start = start;
	r->text = g_string_sized_new(1024);
	h = host_snap_get();
	render_parts(v, id, &s, h, r->text);
	host_snap_unref(h);
	partset_clear(&s);
	return r;
}

/* Publish @r as the cached rendering of @id unless a newer one is there. */
static void rendered_publish(struct cgview *c, enum file_id id, struct rendered *r)
{
	struct rendered *old;

	g_mutex_lock(&c->lock);
	old = c->rendered[id];
	if (!old || old->at <= r->at)
		c->rendered[id] = rendered_ref(r);
	else
		old = NULL;
	g_mutex_unlock(&c->lock);
	rendered_unref(old);
}

/* A reference on a rendering of @id fresh enough for @v's reader. */
static struct rendered *render_cached(struct view *v, enum file_id id, GError **err)
{
	struct cgview *c = v->cg;
	uint64_t start = v->r->anchor.pidns_init ? v->r->anchor.start_ticks : UINT64_MAX;
	struct rendered *r;

	g_mutex_lock(&c->lock);
	r = rendered_ref(c->rendered[id]);
	g_mutex_unlock(&c->lock);
	if (r && g_get_monotonic_time() - r->at < RENDER_TTL_US && r->start == start)
		return r;
	rendered_unref(r);
	r = render_new(v, id, start, err);
	if (r)
		rendered_publish(c, id, r);
	return r;
}

bool view_render(struct view *v, enum file_id id, GString *out, GError **err)
{
	struct rendered *r;

	if (id == F_STATIC) {
		g_string_append(out, "corralfs\n");
		return true;
	}
	/* The root cgroup in every hierarchy is the host itself: its files are
	 * that container's view (and counting the root's tasks for loadavg
	 * would walk every task of the host). */
	if (v->cg->host_root)
		return host_render(id, out, err);
	if (id == F_CPU_OFFLINE) {
		g_string_append_c(out, '\n');
		return true;
	}
	r = render_cached(v, id, err);
	if (!r)
		return false;
	g_string_append_len(out, r->text->str, (gssize)r->text->len);
	rendered_unref(r);
	return true;
}

bool view_cpus(struct view *v, struct cpuview *out, GError **err)
{
	struct part *cpu = part_get(v->cg, P_CPU, err);
	const struct host_data *h;

	if (!cpu)
		return false;
	h = host_snap_get();
	cpuview_of(cpu, h, out);
	host_snap_unref(h);
	part_unref(cpu);
	return true;
}

/* --------------------------------------------------- host fallbacks */

static const char *const host_paths[F_NFILES] = {
	[F_MEMINFO] = "/proc/meminfo",
	[F_CPUINFO] = "/proc/cpuinfo",
	[F_STAT] = "/proc/stat",
	[F_UPTIME] = "/proc/uptime",
	[F_LOADAVG] = "/proc/loadavg",
	[F_DISKSTATS] = "/proc/diskstats",
	[F_SWAPS] = "/proc/swaps",
	[F_PSI_CPU] = "/proc/pressure/cpu",
	[F_PSI_MEMORY] = "/proc/pressure/memory",
	[F_PSI_IO] = "/proc/pressure/io",
	[F_CPU_ONLINE] = "/sys/devices/system/cpu/online",
	[F_CPU_POSSIBLE] = "/sys/devices/system/cpu/possible",
	[F_CPU_PRESENT] = "/sys/devices/system/cpu/present",
	[F_CPU_OFFLINE] = "/sys/devices/system/cpu/offline",
};

bool host_render(enum file_id id, GString *out, GError **err)
{
	g_autofree char *text = NULL;

	if (id == F_STATIC)
		return view_render(NULL, id, out, err);
	text = host_read_file(host_paths[id], err);
	if (!text)
		return false;
	g_string_append(out, text);
	return true;
}

/* ------------------------------------------------------------ serving */

int file_serve(enum file_id id, pid_t pid, GString *out)
{
	g_autoptr(GError) err = NULL;
	struct view *v = NULL;
	bool ok;

	g_string_truncate(out, 0);
	if (id == F_STATIC) /* the same for everyone: no reader lookup */
		return view_render(NULL, id, out, NULL) ? 0 : EIO;
	v = pid > 0 ? view_get(pid, &err) : NULL;
	if (pid <= 0)
		g_set_error(&err, CG_ERROR, CG_ERROR_NOENT, "reader's pid is not visible to corralfs");
	ok = v && view_render(v, id, out, &err);
	view_put(v);
	if (ok)
		return 0;
	log_warn_limited("answering with the host's file: %s", err->message);
	g_clear_error(&err);
	g_string_truncate(out, 0);
	if (host_render(id, out, &err))
		return 0;
	log_err("%s", err->message);
	return EIO;
}
