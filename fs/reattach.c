/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * After a crash: dead corralfs mounts brought back to life (fs/fs.h,
 * reattach_dead_mounts).
 *
 * When a corralfs dies, every bind mount of its files in a container's
 * mount namespace answers ENOTCONN for good: the FUSE connection behind
 * it is gone.  A new corralfs finds them all (the mountinfo of one
 * process per mount namespace, fstype fuse.corralfs, a stat through
 * /proc/PID/root giving ENOTCONN) and replaces each one with the same
 * path of its own mount: a detached copy (open_tree OPEN_TREE_CLONE) is
 * made in the daemon's namespace, then a child joins the container's
 * mount namespace and root, lazily unmounts the dead mount and moves the
 * copy to its place (move_mount).  Containers recover without a restart.
 *
 * Done once at start, in a thread, once the new mount answers (the
 * copies are opened through it).  A mount that is alive (another corralfs
 * still serving it) is never touched.
 */
#include "fs/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

/* One dead mount: in the mount namespace of @pid, at @mountpoint (as its
 * root sees it), showing @root of the file system (e.g. /proc/meminfo). */
struct dead_mount {
	pid_t pid;
	char *mountpoint;
	char *root;
};

static void dead_mount_free(gpointer p)
{
	struct dead_mount *d = p;

	g_free(d->mountpoint);
	g_free(d->root);
	g_free(d);
}

static bool is_dead(pid_t pid, const char *mountpoint)
{
	g_autofree char *p = g_strdup_printf("/proc/%d/root%s", pid, mountpoint);
	struct stat st;

	return stat(p, &st) < 0 && errno == ENOTCONN;
}

/* The dead corralfs mounts of @pid's mount namespace into @out. */
static void scan_pid(pid_t pid, GPtrArray *out)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/mountinfo", pid);
	g_autofree char *text = cg_read_file(path, NULL, NULL);
	g_autoptr(GArray) mounts = text ? cg_mountinfo_parse(text) : NULL;

	for (guint i = 0; mounts && i < mounts->len; i++) {
		const struct cg_mount *m = &g_array_index(mounts, struct cg_mount, i);
		struct dead_mount *d;

		if (strcmp(m->fstype, "fuse.corralfs") != 0 || !is_dead(pid, m->mountpoint))
			continue;
		d = g_new0(struct dead_mount, 1);
		d->pid = pid;
		d->mountpoint = g_strdup(m->mountpoint);
		d->root = g_strdup(m->root);
		g_ptr_array_add(out, d);
	}
}

/* One process per mount namespace other than the daemon's own. */
static GPtrArray *scan_all(void)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
	GPtrArray *out = g_ptr_array_new_with_free_func(dead_mount_free);
	struct stat self;
	GDir *proc = g_dir_open("/proc", 0, NULL);

	if (!proc || stat("/proc/self/ns/mnt", &self) < 0) {
		if (proc)
			g_dir_close(proc);
		return out;
	}
	g_hash_table_add(seen, GSIZE_TO_POINTER(self.st_ino));
	for (const char *name; (name = g_dir_read_name(proc));) {
		g_autofree char *ns = g_strdup_printf("/proc/%s/ns/mnt", name);
		struct stat st;

		if (!g_ascii_isdigit(name[0]) || stat(ns, &st) < 0 ||
		    g_hash_table_contains(seen, GSIZE_TO_POINTER(st.st_ino)))
			continue;
		g_hash_table_add(seen, GSIZE_TO_POINTER(st.st_ino));
		scan_pid((pid_t)atoi(name), out);
	}
	g_dir_close(proc);
	return out;
}

/* In a child (the daemon has threads): join @d's mount namespace and
 * root, drop the dead mount, put @tree in its place.  Only syscalls
 * between fork and _exit.  0 or the errno of the step that failed. */
static int replace_in_child(const struct dead_mount *d, int tree)
{
	g_autofree char *nsp = g_strdup_printf("/proc/%d/ns/mnt", d->pid);
	g_autofree char *rootp = g_strdup_printf("/proc/%d/root", d->pid);
	int nsfd = open(nsp, O_RDONLY | O_CLOEXEC);
	int rootfd = open(rootp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int status = 0;
	pid_t child;

	if (nsfd < 0 || rootfd < 0) {
		status = errno;
	} else if ((child = fork()) == 0) {
		if (setns(nsfd, CLONE_NEWNS) < 0 || fchdir(rootfd) < 0 || chroot(".") < 0)
			_exit(1);
		if (umount2(d->mountpoint, MNT_DETACH) < 0)
			_exit(2);
		if (syscall(SYS_move_mount, tree, "", AT_FDCWD, d->mountpoint,
			    MOVE_MOUNT_F_EMPTY_PATH) < 0)
			_exit(3);
		_exit(0);
	} else if (child < 0 || waitpid(child, &status, 0) < 0) {
		status = errno;
	} else {
		status = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : EPROTO;
	}
	if (nsfd >= 0)
		close(nsfd);
	if (rootfd >= 0)
		close(rootfd);
	return status;
}

static bool reattach_one(const char *mountpoint, const struct dead_mount *d)
{
	g_autofree char *src = g_strconcat(mountpoint, strcmp(d->root, "/") ? d->root : "", NULL);
	int tree = (int)syscall(SYS_open_tree, AT_FDCWD, src, OPEN_TREE_CLONE | O_CLOEXEC);
	int e = tree < 0 ? errno : replace_in_child(d, tree);

	if (tree >= 0)
		close(tree);
	if (e)
		log_warn("reattach: %s of pid %d's mount namespace (from %s): %s", d->mountpoint,
			 d->pid, src, g_strerror(e));
	else
		log_info("reattach: %s of pid %d's mount namespace is %s again", d->mountpoint,
			 d->pid, src);
	return e == 0;
}

unsigned reattach_dead_mounts(const char *mountpoint)
{
	g_autoptr(GPtrArray) dead = scan_all();
	unsigned done = 0;

	for (guint i = 0; i < dead->len; i++)
		done += reattach_one(mountpoint, dead->pdata[i]);
	if (dead->len)
		log_info("reattach: %u of %u dead corralfs mounts replaced", done, dead->len);
	return done;
}

/* The daemon's own mount point, dead (the last corralfs crashed): lazily
 * unmounted so a new one can mount there.  true when it was. */
/* The last mount on @mountpoint in the daemon's namespace is corralfs's. */
static bool own_is_corralfs(const char *mountpoint)
{
	g_autofree char *text = cg_read_file("/proc/self/mountinfo", NULL, NULL);
	g_autoptr(GArray) mounts = text ? cg_mountinfo_parse(text) : NULL;
	bool found = false;

	for (guint i = 0; mounts && i < mounts->len; i++) {
		const struct cg_mount *m = &g_array_index(mounts, struct cg_mount, i);

		if (strcmp(m->mountpoint, mountpoint) == 0)
			found = strcmp(m->fstype, "fuse.corralfs") == 0;
	}
	return found;
}

bool reattach_clear_own(const char *mountpoint)
{
	struct stat st;

	if (stat(mountpoint, &st) == 0 || errno != ENOTCONN || !own_is_corralfs(mountpoint))
		return false;
	if (umount2(mountpoint, MNT_DETACH) < 0) {
		log_warn("reattach: unmounting the dead %s: %s", mountpoint, g_strerror(errno));
		return false;
	}
	log_info("reattach: the dead corralfs mount on %s unmounted", mountpoint);
	return true;
}
