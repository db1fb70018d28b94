/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MOUNTPOINT/cgroup: the cgroup tree (fs/cgtree.c), for the file tree
 * (nodes.c) and the FUSE operations (ops.c).
 *
 * Whose tree (docs/cgroup-tree.md): a reader in its own cgroup namespace
 * sees the tree rooted at that namespace's root; a reader in the daemon's
 * cgroup namespace but its own pid namespace (a container without a
 * cgroup namespace) at the cgroup of its pid namespace's init (the rule of
 * the /proc views, fs/anchor.c); a reader in the daemon's namespaces sees
 * the whole tree, as /sys/fs/cgroup shows it.
 *
 * Inodes: "cgroup" itself is a fixed node (INO_CGROUP, nodes.c); below it
 * each hierarchy's directory has a fixed number meaning "the reader's
 * root in that hierarchy" (so a bind mount of it works for every
 * reader); every other node's number is a hash of (hierarchy, path on the
 * host), so a dentry one reader looked up and another one reuses names
 * the same cgroup, never another one, and every operation checks again
 * that it is inside the caller's root.  Entries and attributes are never
 * cached by the kernel (timeout 0).
 *
 * Every function answers for the request @req (its caller's pid, fsuid,
 * fsgid, groups) and returns 0 or an errno.  The permission decisions and
 * the syscalls are cgroup/'s (cg_tree_*): nothing here touches a cgroup
 * file.
 */
#ifndef CORRAL_FS_CGTREE_H
#define CORRAL_FS_CGTREE_H

#define FUSE_USE_VERSION 314
#include "fs/fs.h"

#include <fuse_lowlevel.h>
#include <sys/stat.h>

#define INO_CGROUP_DIR 23 /* nodes.c's INO_CGROUP (checked there) */

/* Opens the host's hierarchies (none: an empty "cgroup" directory). */
void cgtree_init(void);
void cgtree_fini(void);
/* One line per hierarchy in the log. */
void cgtree_log_layout(void);

/* @ino is INO_CGROUP or below it. */
bool cgtree_owns(fuse_ino_t ino);

int cgtree_lookup(fuse_req_t req, fuse_ino_t parent, const char *name,
		  struct fuse_entry_param *e);
void cgtree_forget(fuse_ino_t ino, uint64_t nlookup);
int cgtree_getattr(fuse_req_t req, fuse_ino_t ino, struct stat *st);
int cgtree_setattr(fuse_req_t req, fuse_ino_t ino, const struct stat *attr,
		   int to_set, struct stat *out);
int cgtree_access(fuse_req_t req, fuse_ino_t ino, int mask);
int cgtree_readlink(fuse_ino_t ino, const char **target);
int cgtree_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name,
		 mode_t mode, struct fuse_entry_param *e);
int cgtree_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name);
/* The entries of a directory (struct dir_list, nodes.h). */
struct dir_list;
int cgtree_list(fuse_req_t req, fuse_ino_t ino, struct dir_list *d);

/* An open interface file (cg_tree_file of cgroup/). */
struct cg_tree_file;
int cgtree_open(fuse_req_t req, fuse_ino_t ino, int flags,
		struct cg_tree_file **out);
/* One write(2) of the request's caller to @f (rate-limited per user). */
int cgtree_write(fuse_req_t req, struct cg_tree_file *f, const char *buf, size_t len);

#endif
