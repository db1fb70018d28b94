/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file tree: a fixed table of nodes (inode = index) mapping each path
 * to the file it renders, their modes and attributes, lookups and
 * directory listings.  Below sys/devices/system/cpu the host's directory
 * is passed through read-only (cpufreq/, vulnerabilities/, ...) with the
 * cpuN directories renumbered per reader; those paths get inode numbers
 * that are a hash of the path (stable across daemons, as a restarted
 * worker must answer for the numbers the kernel already holds), kept in a
 * table that only grows (bounded by the size of the host's tree).
 * The libfuse operations on top of it are ops.c's.
 */
#include "fs/nodes.h"
#include "fs/cgtree.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOST_CPU_DIR "/sys/devices/system/cpu"
#define STATIC_TIMEOUT 1.0 /* seconds the kernel may cache fixed entries */
#define DYN_INO_BIT (UINT64_C(1) << 61) /* passthrough: hashed path */

enum ino {
	INO_ROOT = FUSE_ROOT_ID,
	INO_PROC,
	INO_MEMINFO,
	INO_CPUINFO,
	INO_STAT,
	INO_UPTIME,
	INO_LOADAVG,
	INO_DISKSTATS,
	INO_SWAPS,
	INO_PRESSURE,
	INO_PSI_CPU,
	INO_PSI_MEMORY,
	INO_PSI_IO,
	INO_SYS,
	INO_DEVICES,
	INO_SYSTEM,
	INO_CPUDIR,
	INO_CPU_ONLINE,
	INO_CPU_POSSIBLE,
	INO_CPU_PRESENT,
	INO_CPU_OFFLINE,
	INO_STATIC,
	INO_CGROUP, /* fs/cgtree.c answers for it and below it */
	INO_COUNT
};
G_STATIC_ASSERT(INO_CGROUP == INO_CGROUP_DIR);
G_STATIC_ASSERT(INO_COUNT < 500); /* fs/cgtree.c's numbers start there */

struct node {
	const char *name;
	fuse_ino_t parent;
	enum file_id file; /* F_NONE for directories */
};

static const struct node nodes[INO_COUNT] = {
	[INO_ROOT] = { "", INO_ROOT, F_NONE },
	[INO_PROC] = { "proc", INO_ROOT, F_NONE },
	[INO_MEMINFO] = { "meminfo", INO_PROC, F_MEMINFO },
	[INO_CPUINFO] = { "cpuinfo", INO_PROC, F_CPUINFO },
	[INO_STAT] = { "stat", INO_PROC, F_STAT },
	[INO_UPTIME] = { "uptime", INO_PROC, F_UPTIME },
	[INO_LOADAVG] = { "loadavg", INO_PROC, F_LOADAVG },
	[INO_DISKSTATS] = { "diskstats", INO_PROC, F_DISKSTATS },
	[INO_SWAPS] = { "swaps", INO_PROC, F_SWAPS },
	[INO_PRESSURE] = { "pressure", INO_PROC, F_NONE },
	[INO_PSI_CPU] = { "cpu", INO_PRESSURE, F_PSI_CPU },
	[INO_PSI_MEMORY] = { "memory", INO_PRESSURE, F_PSI_MEMORY },
	[INO_PSI_IO] = { "io", INO_PRESSURE, F_PSI_IO },
	[INO_SYS] = { "sys", INO_ROOT, F_NONE },
	[INO_DEVICES] = { "devices", INO_SYS, F_NONE },
	[INO_SYSTEM] = { "system", INO_DEVICES, F_NONE },
	[INO_CPUDIR] = { "cpu", INO_SYSTEM, F_NONE },
	[INO_CPU_ONLINE] = { "online", INO_CPUDIR, F_CPU_ONLINE },
	[INO_CPU_POSSIBLE] = { "possible", INO_CPUDIR, F_CPU_POSSIBLE },
	[INO_CPU_PRESENT] = { "present", INO_CPUDIR, F_CPU_PRESENT },
	[INO_CPU_OFFLINE] = { "offline", INO_CPUDIR, F_CPU_OFFLINE },
	[INO_STATIC] = { ".static", INO_ROOT, F_STATIC },
	[INO_CGROUP] = { "cgroup", INO_ROOT, F_NONE },
};

static time_t start_time;

bool node_is_fixed(fuse_ino_t ino)
{
	return ino < INO_COUNT && nodes[ino].name;
}

enum file_id node_file(fuse_ino_t ino)
{
	return node_is_fixed(ino) ? nodes[ino].file : F_NONE;
}

/* ------------------------------------------------- passthrough inodes */

static GMutex dyn_lock;
static GHashTable *dyn_by_path; /* rel path -> ino */
static GHashTable *dyn_by_ino;  /* ino -> rel path (owns it) */

/* FNV-1a over @salt and @path, in the number space of @bit. */
fuse_ino_t node_hash_ino(uint64_t bit, unsigned salt, const char *path)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ salt;

	for (const unsigned char *s = (const unsigned char *)path; *s; s++)
		h = (h ^ *s) * UINT64_C(1099511628211);
	return bit | (h & (bit - 1));
}

static fuse_ino_t dyn_ino(const char *rel)
{
	gpointer found;
	fuse_ino_t ino;

	g_mutex_lock(&dyn_lock);
	found = g_hash_table_lookup(dyn_by_path, rel);
	if (found) {
		ino = GPOINTER_TO_SIZE(found);
	} else {
		char *copy = g_strdup(rel);

		/* another path with the same hash: the next free number */
		ino = node_hash_ino(DYN_INO_BIT, 0, rel);
		while (g_hash_table_contains(dyn_by_ino, GSIZE_TO_POINTER(ino)))
			ino = DYN_INO_BIT | ((ino + 1) & (DYN_INO_BIT - 1));
		g_hash_table_insert(dyn_by_ino, GSIZE_TO_POINTER(ino), copy);
		g_hash_table_insert(dyn_by_path, copy, GSIZE_TO_POINTER(ino));
	}
	g_mutex_unlock(&dyn_lock);
	return ino;
}

/* The path below the cpu directory of a passthrough inode (not freed). */
const char *dyn_path(fuse_ino_t ino)
{
	const char *rel = NULL;

	if (!(ino & DYN_INO_BIT) || (ino & ~(DYN_INO_BIT | (DYN_INO_BIT - 1))))
		return NULL;
	g_mutex_lock(&dyn_lock);
	rel = g_hash_table_lookup(dyn_by_ino, GSIZE_TO_POINTER(ino));
	g_mutex_unlock(&dyn_lock);
	return rel;
}

/*
 * The host path of @rel as the reader @pid sees it: "cpuN/..." maps to the
 * host CPU behind the reader's visible CPU N.  ENOENT when that CPU is not
 * the reader's.
 */
int dyn_host_path(pid_t pid, const char *rel, char **host_path)
{
	g_autofree char *first = g_strndup(rel, strcspn(rel, "/"));
	const char *rest = rel + strlen(first);
	g_autofree struct cpuview *cv = NULL;
	struct view *v;
	int phys;

	if (!g_str_has_prefix(first, "cpu") || !g_ascii_isdigit(first[3])) {
		*host_path = g_strdup_printf(HOST_CPU_DIR "/%s", rel);
		return 0;
	}
	v = view_get(pid, NULL);
	if (!v)
		return ENOENT;
	cv = g_new(struct cpuview, 1);
	phys = view_cpus(v, cv, NULL) ? cpuview_map_name(cv, first) : -1;
	view_put(v);
	if (phys < 0)
		return ENOENT;
	*host_path = g_strdup_printf(HOST_CPU_DIR "/cpu%d%s", phys, rest);
	return 0;
}

/* ------------------------------------------------------- attributes */

static void static_attr(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = nodes[ino].file == F_NONE ? S_IFDIR | 0555 : S_IFREG | 0444;
	st->st_nlink = nodes[ino].file == F_NONE ? 2 : 1;
	st->st_atime = st->st_mtime = st->st_ctime = start_time;
}

/* Host attributes, read-only. */
static int dyn_attr(pid_t pid, fuse_ino_t ino, const char *rel, struct stat *st)
{
	g_autofree char *host_path = NULL;
	int e = dyn_host_path(pid, rel, &host_path);

	if (e)
		return e;
	if (lstat(host_path, st) < 0)
		return errno;
	st->st_ino = ino;
	st->st_mode &= ~(mode_t)0222;
	return 0;
}

/* The length of @id as @pid would read it now. */
static off_t generated_size(pid_t pid, enum file_id id)
{
	GString *text = g_string_sized_new(4096);
	off_t size = file_serve(id, pid, text) == 0 ? (off_t)text->len : 0;

	g_string_free(text, TRUE);
	return size;
}

/*
 * Attributes and how long the kernel may keep them.  A generated file's
 * size is the length of what this reader would read now: readers that
 * sendfile() (busybox cat) stop at the size, so it must be theirs and is
 * never cached.  Directories and the static file keep theirs for a second,
 * except below the cpu directory, whose entries differ per reader.
 */
int node_attr(pid_t pid, fuse_ino_t ino, struct stat *st, double *timeout)
{
	const char *rel;

	if (node_is_fixed(ino)) {
		static_attr(ino, st);
		if (nodes[ino].file != F_NONE)
			st->st_size = generated_size(pid, nodes[ino].file);
		*timeout = nodes[ino].parent == INO_CPUDIR ||
					   (nodes[ino].file != F_NONE && nodes[ino].file != F_STATIC)
				   ? 0
				   : STATIC_TIMEOUT;
		return 0;
	}
	rel = dyn_path(ino);
	*timeout = 0;
	return rel ? dyn_attr(pid, ino, rel, st) : ENOENT;
}

/* ----------------------------------------------------------- lookup */

static fuse_ino_t static_child(fuse_ino_t parent, const char *name)
{
	for (fuse_ino_t i = INO_ROOT + 1; i < INO_COUNT; i++) {
		if (nodes[i].parent == parent && !strcmp(nodes[i].name, name))
			return i;
	}
	return 0;
}

static int fixed_entry(pid_t pid, fuse_ino_t ino, struct fuse_entry_param *e)
{
	double timeout = 0;
	int err = node_attr(pid, ino, &e->attr, &timeout);

	if (err)
		return err;
	e->ino = ino;
	e->attr_timeout = timeout;
	/* the name itself is stable, except below the cpu directory */
	e->entry_timeout = nodes[ino].parent == INO_CPUDIR ? 0 : STATIC_TIMEOUT;
	return 0;
}

/* A passthrough entry gets its inode only once it is known to exist, so
 * lookups of made-up names do not grow the inode table. */
static int dyn_entry(pid_t pid, const char *rel, struct fuse_entry_param *e)
{
	int err = dyn_attr(pid, 0, rel, &e->attr);

	if (err)
		return err;
	e->ino = e->attr.st_ino = dyn_ino(rel);
	return 0;
}

int node_lookup(pid_t pid, fuse_ino_t parent, const char *name, struct fuse_entry_param *e)
{
	fuse_ino_t ino = parent < INO_COUNT ? static_child(parent, name) : 0;
	const char *prel;

	if (ino)
		return fixed_entry(pid, ino, e);
	if (parent == INO_CPUDIR)
		return dyn_entry(pid, name, e);
	if ((prel = dyn_path(parent))) {
		g_autofree char *rel = g_strdup_printf("%s/%s", prel, name);

		return dyn_entry(pid, rel, e);
	}
	return ENOENT;
}

/* ------------------------------------------------------ directories */

void dir_list_free(gpointer p)
{
	struct dir_list *d = p;

	g_ptr_array_unref(d->names);
	g_array_unref(d->inos);
	g_array_unref(d->types);
	g_free(d);
}

void dir_list_add(struct dir_list *d, const char *name, fuse_ino_t ino, mode_t type)
{
	g_ptr_array_add(d->names, g_strdup(name));
	g_array_append_val(d->inos, ino);
	g_array_append_val(d->types, type);
}

static void dir_list_static(struct dir_list *d, fuse_ino_t ino)
{
	for (fuse_ino_t i = INO_ROOT + 1; i < INO_COUNT; i++) {
		if (nodes[i].parent == ino && ino != INO_CPUDIR)
			dir_list_add(d, nodes[i].name, i, nodes[i].file == F_NONE ? S_IFDIR : S_IFREG);
	}
}

static mode_t host_type(const char *host_path)
{
	struct stat st;

	return lstat(host_path, &st) == 0 ? (st.st_mode & S_IFMT) : S_IFREG;
}

/* sys/devices/system/cpu: the host's entries with the reader's CPUs. */
static int dir_list_cpu(pid_t pid, struct dir_list *d)
{
	g_autofree struct cpuview *cv = g_new(struct cpuview, 1);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const struct host_data *h;
	struct view *v = view_get(pid, NULL);
	bool ok = v && view_cpus(v, cv, NULL);

	view_put(v);
	if (!ok)
		return EIO;
	h = host_snap_get();
	render_cpu_dir(cv, (const char *const *)h->cpudir, names);
	host_snap_unref(h);
	for (guint i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		fuse_ino_t ino = static_child(INO_CPUDIR, name);
		int phys = cpuview_map_name(cv, name);
		g_autofree char *hp = phys >= 0 ? g_strdup_printf(HOST_CPU_DIR "/cpu%d", phys)
						: g_strdup_printf(HOST_CPU_DIR "/%s", name);

		dir_list_add(d, name, ino ? ino : dyn_ino(name), ino ? S_IFREG : host_type(hp));
	}
	return 0;
}

static int dir_list_dyn(pid_t pid, struct dir_list *d, const char *rel)
{
	g_autofree char *host_path = NULL;
	int e = dyn_host_path(pid, rel, &host_path);
	GDir *dir;

	if (e)
		return e;
	dir = g_dir_open(host_path, 0, NULL);
	if (!dir)
		return errno ? errno : EIO;
	for (const char *name; (name = g_dir_read_name(dir));) {
		g_autofree char *child = g_strdup_printf("%s/%s", rel, name);
		g_autofree char *hp = g_strdup_printf("%s/%s", host_path, name);

		dir_list_add(d, name, dyn_ino(child), host_type(hp));
	}
	g_dir_close(dir);
	return 0;
}

struct dir_list *dir_list_new(fuse_ino_t ino, fuse_ino_t parent)
{
	struct dir_list *d = g_new0(struct dir_list, 1);

	d->names = g_ptr_array_new_with_free_func(g_free);
	d->inos = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));
	d->types = g_array_new(FALSE, FALSE, sizeof(mode_t));
	dir_list_add(d, ".", ino, S_IFDIR);
	dir_list_add(d, "..", parent, S_IFDIR);
	return d;
}

int node_list(pid_t pid, fuse_ino_t ino, struct dir_list **out)
{
	struct dir_list *d = dir_list_new(ino, ino < INO_COUNT ? nodes[ino].parent : INO_CPUDIR);
	const char *rel = NULL;
	int e = 0;

	if (ino == INO_CPUDIR)
		e = dir_list_cpu(pid, d);
	else if (node_is_fixed(ino) && nodes[ino].file == F_NONE)
		dir_list_static(d, ino);
	else if ((rel = dyn_path(ino)))
		e = dir_list_dyn(pid, d, rel);
	else
		e = ENOTDIR;
	if (e)
		dir_list_free(d);
	else
		*out = d;
	return e;
}

/* ---------------------------------------------------------- set-up */

void nodes_init(void)
{
	start_time = time(NULL);
	dyn_by_path = g_hash_table_new(g_str_hash, g_str_equal);
	dyn_by_ino = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
}

void nodes_fini(void)
{
	g_clear_pointer(&dyn_by_path, g_hash_table_destroy);
	g_clear_pointer(&dyn_by_ino, g_hash_table_destroy);
}
