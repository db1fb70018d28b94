/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file tree of corralfs (fs/nodes.c), for the FUSE operations (ops.c).
 * Every function answering for a reader takes its pid; errors are errno
 * values, 0 for success.
 */
#ifndef CORRAL_FS_NODES_H
#define CORRAL_FS_NODES_H

#define FUSE_USE_VERSION 314
#include "fs/fs.h"

#include <fuse_lowlevel.h>
#include <sys/stat.h>

/* The tables of passthrough inodes and the fixed nodes' times: at FUSE
 * init and destroy. */
void nodes_init(void);
void nodes_fini(void);

/* A node of the fixed table?  Then the file it renders (F_NONE: a
 * directory). */
bool node_is_fixed(fuse_ino_t ino);
enum file_id node_file(fuse_ino_t ino);

/* The attributes of @ino as @pid sees them, and how long the kernel may
 * keep them (*@timeout, seconds). */
int node_attr(pid_t pid, fuse_ino_t ino, struct stat *st, double *timeout);
/* The entry @name in @parent, for @pid. */
int node_lookup(pid_t pid, fuse_ino_t parent, const char *name,
		struct fuse_entry_param *e);

/* An inode number for @path in the space of the bit @bit (all numbers
 * with @bit set and no higher bit): a hash of @salt and @path, the same in
 * every daemon (nodes.c's passthrough paths, cgtree.c's cgroups). */
fuse_ino_t node_hash_ino(uint64_t bit, unsigned salt, const char *path);

/* A passthrough inode's path below the host's cpu directory (NULL when
 * @ino is not one; not to be freed). */
const char *dyn_path(fuse_ino_t ino);
/* The host path of that @rel as @pid sees it ("cpuN/..." is the host CPU
 * behind the reader's visible CPU N); ENOENT when that CPU is not the
 * reader's.  g_free *@host_path. */
int dyn_host_path(pid_t pid, const char *rel, char **host_path);

/* A directory's entries, "." and ".." first. */
struct dir_list {
	GPtrArray *names; /* char* */
	GArray *inos;     /* fuse_ino_t */
	GArray *types;    /* mode_t of the entry (S_IFDIR...) */
};
/* The entries of directory @ino as @pid sees them, in *@out (free with
 * dir_list_free). */
int node_list(pid_t pid, fuse_ino_t ino, struct dir_list **out);
void dir_list_free(gpointer p);
/* A listing holding "." (@ino) and ".." (@parent). */
struct dir_list *dir_list_new(fuse_ino_t ino, fuse_ino_t parent);
void dir_list_add(struct dir_list *d, const char *name, fuse_ino_t ino, mode_t type);

#endif
