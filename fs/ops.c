/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The libfuse low-level operations, and nothing else: they answer from
 * the file tree (nodes.c) and serve files rendered for the reader
 * (render.c), tracking every open handle.
 *
 * Every file is opened with direct I/O: two readers of one path get
 * different content.  A file's content is rendered when it is read at
 * offset 0 and kept with the open file, so readers that read in small
 * pieces see one consistent text and readers that seek back to 0 (top,
 * free) get fresh numbers.
 */
#include "fs/nodes.h"
#include "fs/cgtree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static pid_t req_pid(fuse_req_t req)
{
	return fuse_req_ctx(req)->pid;
}

/* ----------------------------------------------------------- lookup */

static void op_readlink_dyn(fuse_req_t req, fuse_ino_t ino);

static bool is_tree(fuse_ino_t parent, const char *name)
{
	return cgtree_owns(parent) || (parent == FUSE_ROOT_ID && !strcmp(name, "cgroup"));
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e = { 0 };
	int err = is_tree(parent, name) ? cgtree_lookup(req, parent, name, &e)
					: node_lookup(req_pid(req), parent, name, &e);

	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	double timeout = 0;
	int err = cgtree_owns(ino) ? cgtree_getattr(req, ino, &st)
				   : node_attr(req_pid(req), ino, &st, &timeout);
	(void)fi;
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_attr(req, &st, timeout);
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	if (cgtree_owns(ino)) {
		const char *target = NULL;
		int e = cgtree_readlink(ino, &target);

		if (e)
			fuse_reply_err(req, e);
		else
			fuse_reply_readlink(req, target);
		return;
	}
	op_readlink_dyn(req, ino);
}

static void op_readlink_dyn(fuse_req_t req, fuse_ino_t ino)
{
	const char *rel = dyn_path(ino);
	g_autofree char *host_path = NULL;
	char target[PATH_MAX];
	ssize_t n;
	int e = rel ? dyn_host_path(req_pid(req), rel, &host_path) : EINVAL;

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

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dir_list *d = NULL;
	int e;

	if (cgtree_owns(ino)) {
		d = dir_list_new(ino, ino == INO_CGROUP_DIR ? FUSE_ROOT_ID : ino);
		e = cgtree_list(req, ino, d);
		if (e)
			g_clear_pointer(&d, dir_list_free);
	} else {
		e = node_list(req_pid(req), ino, &d);
	}
	if (e) {
		fuse_reply_err(req, e);
		return;
	}
	handle_track(d, dir_list_free);
	fi->fh = (uint64_t)(uintptr_t)d;
	fuse_reply_open(req, fi);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct dir_list *d = (struct dir_list *)(uintptr_t)fi->fh;
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
	struct dir_list *d = (struct dir_list *)(uintptr_t)fi->fh;

	(void)ino;
	handle_untrack(d);
	dir_list_free(d);
	fuse_reply_err(req, 0);
}

/* ------------------------------------------------------------ files */

struct open_file {
	enum file_id file;
	struct cg_tree_file *tree; /* a file of the cgroup tree */
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
	if (f->tree)
		cg_tree_file_close(f->tree);
	g_string_free(f->text, TRUE);
	g_mutex_clear(&f->lock);
	g_free(f);
}

static int open_dyn(fuse_req_t req, fuse_ino_t ino, struct open_file *f)
{
	const char *rel = dyn_path(ino);
	g_autofree char *host_path = NULL;
	int e = rel ? dyn_host_path(req_pid(req), rel, &host_path) : ENOENT;

	if (e)
		return e;
	f->host_fd = open(host_path, O_RDONLY | O_CLOEXEC);
	return f->host_fd < 0 ? errno : 0;
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct open_file *f;
	int e = 0;

	if (!cgtree_owns(ino) && ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))) {
		fuse_reply_err(req, EACCES);
		return;
	}
	f = g_new0(struct open_file, 1);
	f->host_fd = -1;
	f->text = g_string_sized_new(4096);
	g_mutex_init(&f->lock);
	if (cgtree_owns(ino))
		e = cgtree_open(req, ino, fi->flags, &f->tree);
	else if (node_is_fixed(ino))
		f->file = node_file(ino);
	else
		e = open_dyn(req, ino, f);
	if (!e && f->file == F_NONE && f->host_fd < 0 && !f->tree)
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

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;
	int e = 0;

	(void)ino;
	if (f->tree) {
		size_t len;
		const char *text = cg_tree_file_text(f->tree, &len);
		size_t n = (size_t)off >= len ? 0 : MIN(size, len - (size_t)off);
		/* the snapshot never changes, but release() may free it on
		 * another thread as soon as the kernel has the reply: the
		 * reply is written from a copy (as below) */
		g_autofree char *copy = g_memdup2(text + (n ? off : 0), n);

		fuse_reply_buf(req, copy, n);
		return;
	}
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
		e = file_serve(f->file, req_pid(req), f->text);
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

/* Only files of the cgroup tree are writable: each write(2) is one write
 * to the real file (cgroup/'s cg_tree_file_write), wherever the offset. */
static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;
	int e = f->tree ? cgtree_write(req, f->tree, buf, size) : EBADF;

	(void)ino, (void)off;
	if (e)
		fuse_reply_err(req, e);
	else
		fuse_reply_write(req, size);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;

	(void)ino;
	handle_untrack(f);
	file_handle_free(f);
	fuse_reply_err(req, 0);
}

/* ------------------------- changes: only below cgroup/, none elsewhere */

static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	struct stat st;
	int e = cgtree_owns(ino) ? cgtree_setattr(req, ino, attr, to_set, &st) : EACCES;

	(void)fi;
	if (e)
		fuse_reply_err(req, e);
	else
		fuse_reply_attr(req, &st, 0);
}

static void op_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	int e = cgtree_owns(ino) ? cgtree_access(req, ino, mask) : (mask & W_OK) ? EACCES : 0;

	fuse_reply_err(req, e);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
	(void)parent, (void)name, (void)mode, (void)rdev;
	fuse_reply_err(req, EACCES);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct fuse_entry_param e;
	int err = cgtree_owns(parent) ? cgtree_mkdir(req, parent, name, mode, &e) : EACCES;

	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_entry(req, &e);
}

static void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_reply_err(req, cgtree_owns(parent) ? cgtree_rmdir(req, parent, name) : EACCES);
}

/* cgroupfs has no unlink (the kernel's EPERM); the rest is read-only. */
static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)name;
	fuse_reply_err(req, cgtree_owns(parent) ? EPERM : EACCES);
}

/* No symbolic or hard links: cgroupfs has neither (the kernel's EPERM);
 * the rest is read-only. */
static void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	(void)link, (void)name;
	fuse_reply_err(req, cgtree_owns(parent) ? EPERM : EACCES);
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	(void)ino, (void)newname;
	fuse_reply_err(req, cgtree_owns(newparent) ? EPERM : EACCES);
}

static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	if (cgtree_owns(ino))
		cgtree_forget(ino, nlookup);
	fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	for (size_t i = 0; i < count; i++) {
		if (cgtree_owns(forgets[i].ino))
			cgtree_forget(forgets[i].ino, forgets[i].nlookup);
	}
	fuse_reply_none(req);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
		      const char *newname, unsigned int flags)
{
	(void)name, (void)newparent, (void)newname, (void)flags;
	/* cgroup2 renames nothing (the kernel's EPERM); the tree does not
	 * offer v1's same-parent rename either (docs/cgroup-tree.md) */
	fuse_reply_err(req, cgtree_owns(parent) ? EPERM : EACCES);
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
	nodes_init();
	cgtree_init();
	cgtree_log_layout();
	handles = g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void op_destroy(void *userdata)
{
	(void)userdata;
	nodes_fini();
	handles_free_all();
	cgtree_fini();
}

const struct fuse_lowlevel_ops corral_ops = {
	.init = op_init,
	.destroy = op_destroy,
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.access = op_access,
	.write = op_write,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readlink = op_readlink,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_rmdir,
	.symlink = op_symlink,
	.link = op_link,
	.rename = op_rename,
	.create = op_create,
	.open = op_open,
	.read = op_read,
	.release = op_release,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_releasedir,
};
