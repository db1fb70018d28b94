/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-container cache: a cgview holds the numbers read from one
 * container's cgroup (the anchor's cgroup paths), in parts (memory, CPU,
 * CPU time, blkio, PSI, the task walk, the start time).  Each part is an
 * immutable snapshot re-read when older than its period, by one thread
 * while the others keep using the previous one.  Also each container's
 * load average, moved by the sampler's tick.  Owns the cgviews table
 * (under tables_lock).  Locks: fs/view.h.
 */
#include "fs/view.h"
#include "fs/testing.h"

#define PART_TTL_US ((gint64)50 * 1000)            /* limits, usage, CPU time */
#define TASKS_TTL_US ((gint64)1 * G_USEC_PER_SEC)   /* task walk: procs_running */
#define START_TTL_US ((gint64)1 * G_USEC_PER_SEC)   /* host-ns reader's cgroup start */
#define CGVIEW_IDLE_US ((gint64)600 * G_USEC_PER_SEC) /* stop sampling load averages */

G_STATIC_ASSERT(P_TASKS == VIEW_TEST_PART_TASKS);

static GHashTable *cgviews; /* char *key -> struct cgview* (one ref) */

/* ------------------------------------------------------------ cgviews */

static char *paths_key(const struct cg_paths *p)
{
	GString *s = g_string_new(NULL);

	for (int c = 0; c < CG_NCTRL; c++)
		g_string_append_printf(s, "%s\n", p->path[c] ? p->path[c] : "-");
	return g_string_free(s, FALSE);
}

static struct part *part_ref(struct part *p)
{
	if (p)
		g_atomic_int_inc(&p->refs);
	return p;
}

void part_unref(struct part *p)
{
	if (!p || !g_atomic_int_dec_and_test(&p->refs))
		return;
	if (p->kind == P_CPUTIME)
		cg_cputime_clear(&p->u.cputime);
	else if (p->kind == P_BLKIO)
		cg_blkio_clear(&p->u.blkio);
	g_free(p);
}

struct cgview *cgview_ref(struct cgview *c)
{
	g_atomic_int_inc(&c->refs);
	return c;
}

void cgview_unref(struct cgview *c)
{
	if (!c || !g_atomic_int_dec_and_test(&c->refs))
		return;
	for (int f = 0; f < F_NFILES; f++)
		rendered_unref(c->rendered[f]);
	for (int p = 0; p < P_N; p++)
		part_unref(c->part[p]);
	cg_paths_clear(&c->paths);
	g_mutex_clear(&c->lock);
	g_mutex_clear(&c->la_lock);
	g_free(c->key);
	g_free(c);
}

static bool paths_all_root(const struct cg_paths *p)
{
	for (int c = 0; c < CG_NCTRL; c++) {
		if (p->path[c] && *p->path[c])
			return false;
	}
	return true;
}

static struct cgview *cgview_new(const struct cg_paths *paths, char *key)
{
	struct cgview *c = g_new0(struct cgview, 1);

	c->refs = 1;
	c->key = key;
	cg_paths_copy(&c->paths, paths);
	c->host_root = paths_all_root(paths);
	g_mutex_init(&c->lock);
	g_mutex_init(&c->la_lock);
	return c;
}

/* The shared cgview of @paths, created on first use. */
struct cgview *cgview_lookup(const struct cg_paths *paths)
{
	g_autofree char *key = paths_key(paths);
	struct cgview *c;

	g_rw_lock_writer_lock(&tables_lock);
	c = g_hash_table_lookup(cgviews, key);
	if (!c) {
		c = cgview_new(paths, g_steal_pointer(&key));
		g_hash_table_insert(cgviews, c->key, c);
	}
	cgview_ref(c);
	g_rw_lock_writer_unlock(&tables_lock);
	return c;
}

/* ---------------------------------------------------------- the parts */

static bool read_mem(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_memory(&view_layout, &c->paths, &p->u.mem, err);
}

static bool read_cpu(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_cpu(&view_layout, &c->paths, &p->u.cpu.cpu, err) &&
	       cg_read_cpuset(&view_layout, &c->paths, &p->u.cpu.cpuset, err);
}

static bool read_cputime(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_cputime(&view_layout, &c->paths, &p->u.cputime, err);
}

static bool read_blkio(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_blkio(&view_layout, &c->paths, &p->u.blkio, err);
}

static bool read_psi_cpu(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_psi(&view_layout, &c->paths, CG_PSI_CPU, &p->u.psi, err);
}

static bool read_psi_mem(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_psi(&view_layout, &c->paths, CG_PSI_MEMORY, &p->u.psi, err);
}

static bool read_psi_io(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_psi(&view_layout, &c->paths, CG_PSI_IO, &p->u.psi, err);
}

static bool read_tasks(const struct cgview *c, struct part *p, GError **err)
{
	return cg_read_tasks(&view_layout, &c->paths, &p->u.tasks, err);
}

static bool read_start(const struct cgview *c, struct part *p, GError **err)
{
	return cg_cgroup_starttime(&view_layout, &c->paths, &p->u.start_ticks, err);
}

static const struct {
	bool (*read)(const struct cgview *c, struct part *p, GError **err);
	gint64 ttl;
} parts[P_N] = {
	[P_MEM] = { read_mem, PART_TTL_US },
	[P_CPU] = { read_cpu, PART_TTL_US },
	[P_CPUTIME] = { read_cputime, PART_TTL_US },
	[P_BLKIO] = { read_blkio, PART_TTL_US },
	[P_PSI_CPU] = { read_psi_cpu, PART_TTL_US },
	[P_PSI_MEM] = { read_psi_mem, PART_TTL_US },
	[P_PSI_IO] = { read_psi_io, PART_TTL_US },
	[P_TASKS] = { read_tasks, TASKS_TTL_US },
	[P_START] = { read_start, START_TTL_US },
};

void (*view_test_before_part_read)(int part);

/* A new snapshot of part @kind, read with no lock held.  The task walk
 * carries its fork count from the snapshot @prev it replaces (cg_read_tasks
 * reads its previous walk from @out: docs/proc-stat.md), so /proc/stat's
 * "processes" never goes down. */
static struct part *part_read(const struct cgview *c, enum part_id kind,
			      const struct part *prev, GError **err)
{
	struct part *p = g_new0(struct part, 1);

	if (kind == P_TASKS && prev)
		p->u.tasks = prev->u.tasks;

	if (view_test_before_part_read)
		view_test_before_part_read((int)kind);

	p->refs = 1;
	p->kind = kind;
	p->at = g_get_monotonic_time();
	if (!parts[kind].read(c, p, err)) {
		part_unref(p);
		return NULL;
	}
	return p;
}

/* A reference on the current snapshot of part @kind (NULL if never read). */
static struct part *part_current(struct cgview *c, enum part_id kind)
{
	struct part *p;

	g_mutex_lock(&c->lock);
	p = part_ref(c->part[kind]);
	g_mutex_unlock(&c->lock);
	return p;
}

/* Publish @p unless a newer snapshot is already there.  Keeps the
 * caller's reference. */
static void part_publish(struct cgview *c, struct part *p)
{
	struct part *old;

	g_mutex_lock(&c->lock);
	old = c->part[p->kind];
	if (!old || old->at <= p->at)
		c->part[p->kind] = part_ref(p);
	else
		old = NULL;
	g_mutex_unlock(&c->lock);
	part_unref(old);
}

/*
 * A reference on a snapshot of part @kind no older than its period, read
 * now if needed.  When another thread is already re-reading it, the
 * previous snapshot is used; only a part never read is read by every
 * thread that needs it.
 */
struct part *part_get(struct cgview *c, enum part_id kind, GError **err)
{
	struct part *cur = part_current(c, kind);
	struct part *fresh;
	bool mine;

	if (cur && g_get_monotonic_time() - cur->at < parts[kind].ttl)
		return cur;
	mine = g_atomic_int_compare_and_exchange(&c->refreshing[kind], 0, 1);
	if (cur && !mine)
		return cur;
	fresh = part_read(c, kind, cur, err);
	if (mine)
		g_atomic_int_set(&c->refreshing[kind], 0);
	part_unref(cur);
	if (fresh)
		part_publish(c, fresh);
	return fresh;
}

void partset_clear(struct partset *s)
{
	for (int p = 0; p < P_N; p++)
		g_clear_pointer(&s->p[p], part_unref);
}

bool partset_get(struct cgview *c, unsigned mask, struct partset *s, GError **err)
{
	for (int p = 0; p < P_N; p++) {
		if (!(mask & (1u << p)))
			continue;
		s->p[p] = part_get(c, (enum part_id)p, err);
		if (!s->p[p]) {
			partset_clear(s);
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------------- load average */

/* The first time a container's load is asked for, start its averages at the
 * current number of active tasks rather than at zero.  With la_lock. */
static void loadavg_seed(struct cgview *c, const struct cg_tasks *t)
{
	if (c->la_valid || !t->valid)
		return;
	for (int i = 0; i < 3; i++)
		c->la.avg[i] = t->nr_running + t->nr_blocked;
	c->la_valid = true;
}

void cgview_loadavg(struct cgview *c, const struct cg_tasks *t, struct loadavg *out)
{
	g_mutex_lock(&c->la_lock);
	loadavg_seed(c, t);
	*out = c->la;
	g_mutex_unlock(&c->la_lock);
}

/* A fresh task walk for the sampler, read with no lock held and published;
 * when a reader is walking right now, the current snapshot (one walk at a
 * time keeps the fork count from going down). */
static struct part *tasks_sample(struct cgview *c, GError **err)
{
	struct part *cur, *t;

	if (!g_atomic_int_compare_and_exchange(&c->refreshing[P_TASKS], 0, 1)) {
		t = part_current(c, P_TASKS);
		if (!t)
			g_set_error(err, CG_ERROR, CG_ERROR_BUSY, "tasks of %s: first walk under way", c->key);
		return t;
	}
	cur = part_current(c, P_TASKS);
	t = part_read(c, P_TASKS, cur, err);
	g_atomic_int_set(&c->refreshing[P_TASKS], 0);
	part_unref(cur);
	if (t)
		part_publish(c, t);
	return t;
}

/* The sampler's tick: a fresh task count moves the load average. */
void cgview_sample(struct cgview *c, double dt_s)
{
	g_autoptr(GError) err = NULL;
	struct part *t = tasks_sample(c, &err);

	if (!t) {
		log_debug("load average of %s: %s", c->key, err->message);
		return;
	}
	g_mutex_lock(&c->la_lock);
	if (c->la_valid)
		loadavg_update(&c->la, t->u.tasks.nr_running + t->u.tasks.nr_blocked, dt_s);
	else
		loadavg_seed(c, &t->u.tasks);
	g_mutex_unlock(&c->la_lock);
	part_unref(t);
}

/* The cgviews read recently (referenced), and drop the idle unreferenced ones. */
GPtrArray *cgviews_active_locked(gint64 now)
{
	GPtrArray *active = g_ptr_array_new_with_free_func((GDestroyNotify)cgview_unref);
	GHashTableIter it;
	gpointer k, val;

	g_hash_table_iter_init(&it, cgviews);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		struct cgview *c = val;
		bool idle = now - __atomic_load_n(&c->last_access, __ATOMIC_RELAXED) > CGVIEW_IDLE_US;

		if (idle && g_atomic_int_get(&c->refs) == 1)
			g_hash_table_iter_remove(&it);
		else if (!idle && !c->host_root)
			g_ptr_array_add(active, cgview_ref(c));
	}
	return active;
}

void cgviews_init(void)
{
	cgviews = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					(GDestroyNotify)cgview_unref);
}

void cgviews_fini(void)
{
	g_clear_pointer(&cgviews, g_hash_table_destroy);
}
