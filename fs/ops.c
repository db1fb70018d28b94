/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file tree and the libfuse low-level operations.
 *
 * The tree is a fixed table of nodes (inode = index) mapping each path to
 * the file it renders.  Below sys/devices/system/cpu the host's directory
 * is passed through read-only (cpufreq/, vulnerabilities/, ...) with the
 * cpuN directories renumbered per reader; those paths get inode numbers
 * from a table that only grows (bounded by the size of the host's tree).
 *
 * Every file is opened with direct I/O: two readers of one path get
 * different content.  A file's content is rendered when it is read at
 * offset 0 and kept with the open file, so readers that read in small
 * pieces see one consistent text and readers that seek back to 0 (top,
 * free) get fresh numbers.
 */
#define FUSE_USE_VERSION 314
#include "fs/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOST_CPU_DIR "/sys/devices/system/cpu"
#define STATIC_TIMEOUT 1.0 /* seconds the kernel may cache fixed entries */
#define DYN_INO_BASE 1000

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
	INO_COUNT
};

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
};

static time_t start_time;

/* ------------------------------------------------- passthrough inodes */

static GMutex dyn_lock;
static GHashTable *dyn_by_path; /* rel path -> ino */
static GPtrArray *dyn_paths;    /* ino - DYN_INO_BASE -> rel path */

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

		ino = DYN_INO_BASE + dyn_paths->len;
		g_ptr_array_add(dyn_paths, copy);
		g_hash_table_insert(dyn_by_path, copy, GSIZE_TO_POINTER(ino));
	}
	g_mutex_unlock(&dyn_lock);
	return ino;
}

/* The path below the cpu directory of a passthrough inode (not freed). */
static const char *dyn_path(fuse_ino_t ino)
{
	const char *rel = NULL;

	g_mutex_lock(&dyn_lock);
	if (ino >= DYN_INO_BASE && ino - DYN_INO_BASE < dyn_paths->len)
		rel = dyn_paths->pdata[ino - DYN_INO_BASE];
	g_mutex_unlock(&dyn_lock);
	return rel;
}

/*
 * The host path of @rel as @req's reader sees it: "cpuN/..." maps to the
 * host CPU behind the reader's visible CPU N.  ENOENT when that CPU is not
 * the reader's.
 */
static int dyn_host_path(fuse_req_t req, const char *rel, char **host_path)
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
	v = view_get(fuse_req_ctx(req)->pid, NULL);
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
static int dyn_attr(fuse_req_t req, fuse_ino_t ino, const char *rel, struct stat *st)
{
	g_autofree char *host_path = NULL;
	int e = dyn_host_path(req, rel, &host_path);

	if (e)
		return e;
	if (lstat(host_path, st) < 0)
		return errno;
	st->st_ino = ino;
	st->st_mode &= ~(mode_t)0222;
	return 0;
}

static off_t generated_size(fuse_req_t req, enum file_id id);

/*
 * Attributes and how long the kernel may keep them.  A generated file's
 * size is the length of what this reader would read now: readers that
 * sendfile() (busybox cat) stop at the size, so it must be theirs and is
 * never cached.  Directories and the static file keep theirs for a second,
 * except below the cpu directory, whose entries differ per reader.
 */
static int node_attr(fuse_req_t req, fuse_ino_t ino, struct stat *st, double *timeout)
{
	const char *rel;

	if (ino < INO_COUNT && nodes[ino].name) {
		static_attr(ino, st);
		if (nodes[ino].file != F_NONE)
			st->st_size = generated_size(req, nodes[ino].file);
		*timeout = nodes[ino].parent == INO_CPUDIR ||
					   (nodes[ino].file != F_NONE && nodes[ino].file != F_STATIC)
				   ? 0
				   : STATIC_TIMEOUT;
		return 0;
	}
	rel = dyn_path(ino);
	*timeout = 0;
	return rel ? dyn_attr(req, ino, rel, st) : ENOENT;
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

static void reply_entry(fuse_req_t req, fuse_ino_t ino)
{
	struct fuse_entry_param e = { .ino = ino };
	double timeout = 0;
	int err = node_attr(req, ino, &e.attr, &timeout);

	if (err) {
		fuse_reply_err(req, err);
		return;
	}
	e.attr_timeout = timeout;
	/* the name itself is stable, except below the cpu directory */
	e.entry_timeout = nodes[ino].parent == INO_CPUDIR ? 0 : STATIC_TIMEOUT;
	fuse_reply_entry(req, &e);
}

/* A passthrough entry gets its inode only once it is known to exist, so
 * lookups of made-up names do not grow the inode table. */
static void reply_dyn_entry(fuse_req_t req, const char *rel)
{
	struct fuse_entry_param e = { 0 };
	int err = dyn_attr(req, 0, rel, &e.attr);

	if (err) {
		fuse_reply_err(req, err);
		return;
	}
	e.ino = e.attr.st_ino = dyn_ino(rel);
	fuse_reply_entry(req, &e);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_ino_t ino = parent < INO_COUNT ? static_child(parent, name) : 0;
	const char *prel;

	if (ino) {
		reply_entry(req, ino);
	} else if (parent == INO_CPUDIR) {
		reply_dyn_entry(req, name);
	} else if ((prel = dyn_path(parent))) {
		g_autofree char *rel = g_strdup_printf("%s/%s", prel, name);

		reply_dyn_entry(req, rel);
	} else {
		fuse_reply_err(req, ENOENT);
	}
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	double timeout = 0;
	int err = node_attr(req, ino, &st, &timeout);

	(void)fi;
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_attr(req, &st, timeout);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	const char *rel = dyn_path(ino);
	g_autofree char *host_path = NULL;
	char target[PATH_MAX];
	ssize_t n;
	int e = rel ? dyn_host_path(req, rel, &host_path) : EINVAL;

	if (e) {
		fuse_reply_err(req, e);
		return;
	}
	n = readlink(host_path, target, sizeof(target) - 1);
	if (n < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	target[n] = '\0';
	fuse_reply_readlink(req, target);
}

/* ---------------------------------------------------- open handles */

/* Every open file and directory handle -> its free function, so the ones
 * the kernel never released (files still open at unmount) are freed at
 * destroy. */
static GMutex handles_lock;
static GHashTable *handles;

static void handle_track(void *h, GDestroyNotify free_fn)
{
	g_mutex_lock(&handles_lock);
	g_hash_table_insert(handles, h, (gpointer)free_fn);
	g_mutex_unlock(&handles_lock);
}

static void handle_untrack(void *h)
{
	g_mutex_lock(&handles_lock);
	g_hash_table_remove(handles, h);
	g_mutex_unlock(&handles_lock);
}

static void handles_free_all(void)
{
	GHashTableIter it;
	gpointer h, free_fn;

	if (!handles)
		return;
	g_hash_table_iter_init(&it, handles);
	while (g_hash_table_iter_next(&it, &h, &free_fn))
		((GDestroyNotify)free_fn)(h);
	g_clear_pointer(&handles, g_hash_table_destroy);
}

/* ------------------------------------------------------ directories */

struct dir_handle {
	GPtrArray *names; /* char* */
	GArray *inos;     /* fuse_ino_t */
	GArray *types;    /* mode_t of the entry (S_IFDIR...) */
};

static void dir_handle_free(gpointer p)
{
	struct dir_handle *d = p;

	g_ptr_array_unref(d->names);
	g_array_unref(d->inos);
	g_array_unref(d->types);
	g_free(d);
}

static void dir_add(struct dir_handle *d, const char *name, fuse_ino_t ino, mode_t type)
{
	g_ptr_array_add(d->names, g_strdup(name));
	g_array_append_val(d->inos, ino);
	g_array_append_val(d->types, type);
}

static void dir_list_static(struct dir_handle *d, fuse_ino_t ino)
{
	for (fuse_ino_t i = INO_ROOT + 1; i < INO_COUNT; i++) {
		if (nodes[i].parent == ino && ino != INO_CPUDIR)
			dir_add(d, nodes[i].name, i, nodes[i].file == F_NONE ? S_IFDIR : S_IFREG);
	}
}

static mode_t host_type(const char *host_path)
{
	struct stat st;

	return lstat(host_path, &st) == 0 ? (st.st_mode & S_IFMT) : S_IFREG;
}

/* sys/devices/system/cpu: the host's entries with the reader's CPUs. */
static int dir_list_cpu(fuse_req_t req, struct dir_handle *d)
{
	g_autofree struct cpuview *cv = g_new(struct cpuview, 1);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const struct host_data *h;
	struct view *v = view_get(fuse_req_ctx(req)->pid, NULL);
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

		dir_add(d, name, ino ? ino : dyn_ino(name), ino ? S_IFREG : host_type(hp));
	}
	return 0;
}

static int dir_list_dyn(fuse_req_t req, struct dir_handle *d, const char *rel)
{
	g_autofree char *host_path = NULL;
	int e = dyn_host_path(req, rel, &host_path);
	GDir *dir;

	if (e)
		return e;
	dir = g_dir_open(host_path, 0, NULL);
	if (!dir)
		return errno ? errno : EIO;
	for (const char *name; (name = g_dir_read_name(dir));) {
		g_autofree char *child = g_strdup_printf("%s/%s", rel, name);
		g_autofree char *hp = g_strdup_printf("%s/%s", host_path, name);

		dir_add(d, name, dyn_ino(child), host_type(hp));
	}
	g_dir_close(dir);
	return 0;
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_handle *d = g_new0(struct dir_handle, 1);
	const char *rel = NULL;
	int e = 0;

	d->names = g_ptr_array_new_with_free_func(g_free);
	d->inos = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));
	d->types = g_array_new(FALSE, FALSE, sizeof(mode_t));
	dir_add(d, ".", ino, S_IFDIR);
	dir_add(d, "..", ino < INO_COUNT ? nodes[ino].parent : INO_CPUDIR, S_IFDIR);
	if (ino == INO_CPUDIR)
		e = dir_list_cpu(req, d);
	else if (ino < INO_COUNT && nodes[ino].name && nodes[ino].file == F_NONE)
		dir_list_static(d, ino);
	else if ((rel = dyn_path(ino)))
		e = dir_list_dyn(req, d, rel);
	else
		e = ENOTDIR;
	if (e) {
		dir_handle_free(d);
		fuse_reply_err(req, e);
		return;
	}
	handle_track(d, dir_handle_free);
	fi->fh = (uint64_t)(uintptr_t)d;
	fuse_reply_open(req, fi);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct dir_handle *d = (struct dir_handle *)(uintptr_t)fi->fh;
	g_autofree char *buf = g_malloc(size);
	size_t used = 0;

	(void)ino;
	for (guint i = (guint)off; i < d->names->len; i++) {
		struct stat st = { .st_ino = g_array_index(d->inos, fuse_ino_t, i),
				   .st_mode = g_array_index(d->types, mode_t, i) };
		size_t n = fuse_add_direntry(req, buf + used, size - used, d->names->pdata[i],
					     &st, (off_t)i + 1);

		if (n > size - used)
			break;
		used += n;
	}
	fuse_reply_buf(req, buf, used);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_handle *d = (struct dir_handle *)(uintptr_t)fi->fh;

	(void)ino;
	handle_untrack(d);
	dir_handle_free(d);
	fuse_reply_err(req, 0);
}

/* ------------------------------------------------------------ files */

struct open_file {
	enum file_id file;
	int host_fd; /* passthrough files */
	GMutex lock;
	GString *text;
	bool rendered;
};

static void file_handle_free(gpointer p)
{
	struct open_file *f = p;

	if (f->host_fd >= 0)
		close(f->host_fd);
	g_string_free(f->text, TRUE);
	g_mutex_clear(&f->lock);
	g_free(f);
}

static int open_dyn(fuse_req_t req, fuse_ino_t ino, struct open_file *f)
{
	const char *rel = dyn_path(ino);
	g_autofree char *host_path = NULL;
	int e = rel ? dyn_host_path(req, rel, &host_path) : ENOENT;

	if (e)
		return e;
	f->host_fd = open(host_path, O_RDONLY | O_CLOEXEC);
	return f->host_fd < 0 ? errno : 0;
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct open_file *f;
	int e = 0;

	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	f = g_new0(struct open_file, 1);
	f->host_fd = -1;
	f->text = g_string_sized_new(4096);
	g_mutex_init(&f->lock);
	if (ino < INO_COUNT && nodes[ino].name)
		f->file = nodes[ino].file;
	else
		e = open_dyn(req, ino, f);
	if (!e && f->file == F_NONE && f->host_fd < 0)
		e = EISDIR;
	if (e) {
		file_handle_free(f);
		fuse_reply_err(req, e);
		return;
	}
	handle_track(f, file_handle_free);
	fi->fh = (uint64_t)(uintptr_t)f;
	fi->direct_io = 1;
	fuse_reply_open(req, fi);
}

static off_t generated_size(fuse_req_t req, enum file_id id)
{
	GString *text = g_string_sized_new(4096);
	off_t size = file_serve(id, fuse_req_ctx(req)->pid, text) == 0 ? (off_t)text->len : 0;

	g_string_free(text, TRUE);
	return size;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;
	int e = 0;

	(void)ino;
	if (f->host_fd >= 0) {
		g_autofree char *buf = g_malloc(size);
		ssize_t n = pread(f->host_fd, buf, size, off);

		if (n < 0)
			fuse_reply_err(req, errno);
		else
			fuse_reply_buf(req, buf, (size_t)n);
		return;
	}
	/* The lock is dropped before replying: once the reply is out, the
	 * kernel may send release() to another thread at once.  The text
	 * stays valid until then since release cannot come before this read
	 * is answered; a concurrent read at offset 0 of the same open file
	 * would replace it, so the reply is taken from a copy in that case. */
	g_mutex_lock(&f->lock);
	if (off == 0 || !f->rendered) {
		e = file_serve(f->file, fuse_req_ctx(req)->pid, f->text);
		f->rendered = e == 0;
	}
	if (e) {
		g_mutex_unlock(&f->lock);
		fuse_reply_err(req, e);
		return;
	}
	size_t len = (size_t)off >= f->text->len ? 0 : MIN(size, f->text->len - (size_t)off);
	g_autofree char *copy = g_memdup2(f->text->str + off, len);

	g_mutex_unlock(&f->lock);
	fuse_reply_buf(req, copy, len);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;

	(void)ino;
	handle_untrack(f);
	file_handle_free(f);
	fuse_reply_err(req, 0);
}

/* ---------------------------------------------------- no writes at all */

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	(void)ino, (void)attr, (void)to_set, (void)fi;
	fuse_reply_err(req, EACCES);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	(void)parent, (void)name, (void)mode, (void)rdev;
	fuse_reply_err(req, EACCES);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	(void)parent, (void)name, (void)mode;
	fuse_reply_err(req, EACCES);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent, (void)name;
	fuse_reply_err(req, EACCES);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		      const char *newname, unsigned int flags)
{
	(void)parent, (void)name, (void)newparent, (void)newname, (void)flags;
	fuse_reply_err(req, EACCES);
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	(void)parent, (void)name, (void)mode, (void)fi;
	fuse_reply_err(req, EACCES);
}

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* Every file is direct I/O: nothing in the page cache to keep fresh, so
	 * no attribute refresh on open (generated files' attributes are never
	 * cached, and a refresh would cost a request per open). */
	conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
	start_time = time(NULL);
	dyn_by_path = g_hash_table_new(g_str_hash, g_str_equal);
	dyn_paths = g_ptr_array_new_with_free_func(g_free);
	handles = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void op_destroy(void *userdata)
{
	(void)userdata;
	g_clear_pointer(&dyn_by_path, g_hash_table_destroy);
	g_clear_pointer(&dyn_paths, g_ptr_array_unref);
	handles_free_all();
}

const struct fuse_lowlevel_ops corral_ops = {
	.init = op_init,
	.destroy = op_destroy,
	.lookup = op_lookup,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readlink = op_readlink,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_unlink,
	.rename = op_rename,
	.create = op_create,
	.open = op_open,
	.read = op_read,
	.release = op_release,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_releasedir,
};
