/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The delegated tree (cgroup/cgroup.h, "the tree"): the hierarchies as
 * /sys/fs/cgroup names them, each opened once, and the operations a
 * caller makes on them.
 *
 * Every path is resolved beneath the hierarchy's directory fd by
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS
 * | RESOLVE_NO_XDEV), after it was checked to be inside the caller's
 * view; every syscall that touches the hierarchy for a caller runs
 * between cg_creds_enter() and cg_creds_leave() on the calling thread
 * (as_caller()), so the kernel checks permissions with the caller's
 * fsuid and all its groups, and makes the caller the owner of what mkdir
 * creates (the directory and, on v1 and v2, all its files).
 *
 * Errors that are no errno of the kernel's are mapped, never logged:
 *  - a path that is not a plain relative cgroup path ("", "." or ".."
 *    components, a leading or trailing '/') or outside the view: ENOENT;
 *  - cg_creds_enter() failing, a /proc file or a cgroup file with
 *    unexpected content, cg_effective_text() failing: EIO;
 *  - the task a pid names gone while its /proc files are read: ESRCH.
 */
#include "cgroup/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_CGROUP "/sys/fs/cgroup"
/* The most the kernel takes in one write to a cgroup file (PAGE_SIZE). */
#define WRITE_MAX 4096

/* ---- the hierarchies ---------------------------------------------- */

/* Super options of a v1 mount that name no controller. */
static const char *const v1_flags[] = {
	"rw", "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode",
	"favordynmods", "none", "all", NULL,
};

/* A v1 mount's /proc/PID/cgroup name from its super options:
 * "rw,cpu,cpuacct" -> "cpu,cpuacct", "rw,xattr,release_agent=/x,
 * name=systemd" -> "name=systemd" (both list the controllers in the
 * kernel's subsystem order, then name=). */
static char *v1_key(const char *super)
{
	g_auto(GStrv) opts = g_strsplit(super, ",", -1);
	GString *key = g_string_new(NULL);

	for (char **o = opts; *o; o++) {
		if (!**o || g_strv_contains(v1_flags, *o) ||
		    (strchr(*o, '=') && !g_str_has_prefix(*o, "name=")))
			continue;
		if (key->len)
			g_string_append_c(key, ',');
		g_string_append(key, *o);
	}
	return g_string_free(key, FALSE);
}

static void hier_clear(struct cg_tree_hier *th)
{
	g_clear_pointer(&th->name, g_free);
	g_clear_pointer(&th->key, g_free);
	cg_hier_clear(&th->h);
	th->h.dirfd = -1;
}

/* Adds (or, for a name mounted over, replaces) the hierarchy @name,
 * opening @mountpoint. */
static bool tree_add(struct cg_tree *t, const char *name, const char *key,
		     bool v2, const char *mountpoint, GError **err)
{
	struct cg_tree_hier *th = NULL;
	int fd = open(mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		cgi_set_errno(err, errno, "opening", mountpoint, NULL);
		return false;
	}
	for (unsigned i = 0; i < t->n && !th; i++)
		if (strcmp(t->hier[i].name, name) == 0)
			th = &t->hier[i];
	if (!th && t->n == CG_TREE_MAX) {
		close(fd);
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "too many cgroup hierarchies (at %s)", mountpoint);
		return false;
	}
	if (th)
		hier_clear(th); /* mounted over: the later mount is seen */
	else
		th = &t->hier[t->n++];
	th->name = g_strdup(name);
	th->key = g_strdup(key);
	th->h = (struct cg_hier){ .dirfd = fd, .v2 = v2,
				  .mountpoint = g_strdup(mountpoint) };
	return true;
}

/* The name of a cgroup mount in the tree: NAME for /sys/fs/cgroup/NAME,
 * "" for /sys/fs/cgroup, NULL for any other mount point. */
static const char *mount_name(const char *mountpoint)
{
	size_t n = strlen(SYS_CGROUP);

	if (strncmp(mountpoint, SYS_CGROUP, n) != 0)
		return NULL;
	if (!mountpoint[n])
		return "";
	if (mountpoint[n] != '/' || !mountpoint[n + 1] ||
	    strchr(mountpoint + n + 1, '/'))
		return NULL;
	return mountpoint + n + 1;
}

static bool is_cgroup_mount(const struct cg_mount *m, bool *v2)
{
	*v2 = strcmp(m->fstype, "cgroup2") == 0;
	return (*v2 || strcmp(m->fstype, "cgroup") == 0) &&
	       strcmp(m->root, "/") == 0;
}

/* A cgroup2 mount at /sys/fs/cgroup itself: a v2 host. */
static const struct cg_mount *unified_root(GArray *mounts)
{
	const struct cg_mount *found = NULL;

	for (guint i = 0; i < mounts->len; i++) {
		const struct cg_mount *m = &g_array_index(mounts, struct cg_mount, i);
		const char *name = mount_name(m->mountpoint);
		bool v2;

		if (is_cgroup_mount(m, &v2) && v2 && name && !*name)
			found = m;
	}
	return found;
}

/* Every cgroup mount at /sys/fs/cgroup/NAME (mounts of a subtree, whose
 * root is not "/", are left out: /proc/PID/cgroup paths start at the
 * hierarchy's root). */
static bool add_mounts(struct cg_tree *t, GArray *mounts, const char *prefix,
		       GError **err)
{
	for (guint i = 0; i < mounts->len; i++) {
		const struct cg_mount *m = &g_array_index(mounts, struct cg_mount, i);
		const char *name = mount_name(m->mountpoint);
		g_autofree char *mp = NULL, *key = NULL;
		bool v2;

		if (!is_cgroup_mount(m, &v2) || !name || !*name)
			continue;
		mp = g_strconcat(prefix, m->mountpoint, NULL);
		key = v2 ? g_strdup("") : v1_key(m->super_options);
		if (!tree_add(t, name, key, v2, mp, err))
			return false;
	}
	return true;
}

static bool is_hier_name(const struct cg_tree *t, const char *name)
{
	for (unsigned i = 0; i < t->n; i++)
		if (strcmp(t->hier[i].name, name) == 0)
			return true;
	return false;
}

/* The entry @name of @dirfd, when it is a symlink to one of the tree's
 * names, as a link. */
static bool add_link(struct cg_tree *t, int dirfd, const char *dir,
		     const char *name, GError **err)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n < 0 && errno == EINVAL) /* not a symlink */
		return true;
	if (n < 0) {
		cgi_set_errno(err, errno, "reading the link", dir, name);
		return false;
	}
	target[n] = '\0';
	if (!is_hier_name(t, target) || is_hier_name(t, name))
		return true;
	if (t->nlinks == CG_TREE_MAX) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "too many links in %s (at %s)", dir, name);
		return false;
	}
	t->link[t->nlinks].name = g_strdup(name);
	t->link[t->nlinks++].target = g_strdup(target);
	return true;
}

static int link_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cg_tree_link *)a)->name,
		      ((const struct cg_tree_link *)b)->name);
}

/* The symlinks directly in @dir (prefix + /sys/fs/cgroup) that point to
 * one of the hierarchies ("cpu" -> "cpu,cpuacct"), sorted by name. */
static bool add_links(struct cg_tree *t, const char *dir, GError **err)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, err);
	int fd;
	const char *name;

	if (!d)
		return false;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		cgi_set_errno(err, errno, "opening", dir, NULL);
		return false;
	}
	while ((name = g_dir_read_name(d)))
		if (!add_link(t, fd, dir, name, err)) {
			close(fd);
			return false;
		}
	close(fd);
	qsort(t->link, t->nlinks, sizeof(t->link[0]), link_cmp);
	return true;
}

static bool tree_fill(struct cg_tree *t, GArray *mounts, const char *prefix,
		      GError **err)
{
	const struct cg_mount *u = unified_root(mounts);
	g_autofree char *dir = g_strconcat(prefix, SYS_CGROUP, NULL);

	if (u) {
		t->unified_only = true;
		return tree_add(t, "", "", true, dir, err);
	}
	if (!add_mounts(t, mounts, prefix, err))
		return false;
	if (t->n == 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "no cgroup mount at %s or %s/NAME", dir, dir);
		return false;
	}
	return add_links(t, dir, err);
}

bool cg_tree_open_fixture(struct cg_tree *t, const char *mountinfo_path,
			  const char *prefix, GError **err)
{
	g_autofree char *text = NULL;
	g_autoptr(GArray) mounts = NULL;

	memset(t, 0, sizeof(*t));
	text = cg_read_file(mountinfo_path, NULL, err);
	if (!text)
		return false;
	mounts = cg_mountinfo_parse(text);
	if (!tree_fill(t, mounts, prefix, err)) {
		cg_tree_close(t);
		return false;
	}
	return true;
}

bool cg_tree_open(struct cg_tree *t, GError **err)
{
	return cg_tree_open_fixture(t, "/proc/self/mountinfo", "", err);
}

void cg_tree_close(struct cg_tree *t)
{
	for (unsigned i = 0; i < t->n; i++)
		hier_clear(&t->hier[i]);
	for (unsigned i = 0; i < t->nlinks; i++) {
		g_free(t->link[i].name);
		g_free(t->link[i].target);
	}
	memset(t, 0, sizeof(*t));
}

/* ---- whose cgroups -------------------------------------------------- */

void cg_roots_clear(struct cg_roots *r)
{
	for (unsigned i = 0; i < CG_TREE_MAX; i++)
		g_clear_pointer(&r->path[i], g_free);
}

void cg_roots_copy(struct cg_roots *dst, const struct cg_roots *src)
{
	for (unsigned i = 0; i < CG_TREE_MAX; i++)
		dst->path[i] = g_strdup(src->path[i]);
}

/* Two comma lists hold the same items ("cpu,cpuacct", "cpuacct,cpu"). */
static bool same_set(const char *a, const char *b)
{
	g_auto(GStrv) as = g_strsplit(a, ",", -1);
	g_auto(GStrv) bs = g_strsplit(b, ",", -1);

	for (char **s = as; *s; s++)
		if (!cg_list_has(b, *s))
			return false;
	for (char **s = bs; *s; s++)
		if (!cg_list_has(a, *s))
			return false;
	return true;
}

/* The line of a /proc/PID/cgroup text for @th: the cgroup2 one (id 0),
 * or the v1 one whose controllers are @th's key. */
static const struct cg_proc_cgroup *line_of(const struct cg_tree_hier *th,
					    GArray *lines)
{
	for (guint i = 0; i < lines->len; i++) {
		const struct cg_proc_cgroup *l =
			&g_array_index(lines, struct cg_proc_cgroup, i);

		if (th->h.v2 ? l->id == 0 : l->id != 0 &&
					    same_set(l->controllers, th->key))
			return l;
	}
	return NULL;
}

/* "/a/b" -> "a/b", "/" -> ""; a path out of the reader's cgroup
 * namespace ("/.." or "/../x") gives CG_ERROR_NOENT. */
static char *line_path(const struct cg_tree_hier *th,
		       const struct cg_proc_cgroup *l, GError **err)
{
	const char *p = l->path;

	if (strcmp(p, "/..") == 0 || g_str_has_prefix(p, "/../")) {
		g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
			    "the cgroup in hierarchy '%s' is outside the "
			    "cgroup namespace's root (%s)", th->name, p);
		return NULL;
	}
	if (*p != '/') {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE,
			    "hierarchy '%s': path %s is not absolute",
			    th->name, p);
		return NULL;
	}
	return g_strdup(p + 1);
}

/* The cgroup of @th in @lines (parsed /proc/PID/cgroup). */
static char *path_in(const struct cg_tree_hier *th, GArray *lines,
		     GError **err)
{
	const struct cg_proc_cgroup *l = line_of(th, lines);

	if (!l) {
		g_set_error(err, CG_ERROR, CG_ERROR_PARSE,
			    "no line for hierarchy '%s' (%s)", th->name,
			    th->h.v2 ? "cgroup2" : th->key);
		return NULL;
	}
	return line_path(th, l, err);
}

bool cg_tree_cgroups_parse(const struct cg_tree *t, const char *text,
			   struct cg_roots *out, GError **err)
{
	g_autoptr(GArray) lines = cg_proc_cgroup_parse(text, err);

	memset(out, 0, sizeof(*out));
	if (!lines)
		return false;
	for (unsigned i = 0; i < t->n; i++) {
		out->path[i] = path_in(&t->hier[i], lines, err);
		if (!out->path[i]) {
			cg_roots_clear(out);
			return false;
		}
	}
	return true;
}

bool cg_tree_cgroups_of(const struct cg_tree *t, pid_t pid,
			struct cg_roots *out, GError **err)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/cgroup", (int)pid);
	g_autofree char *text = cg_read_file(path, NULL, err);

	memset(out, 0, sizeof(*out));
	if (!text)
		return false;
	if (!cg_tree_cgroups_parse(t, text, out, err)) {
		g_prefix_error(err, "%s: ", path);
		return false;
	}
	return true;
}

/* @full less its trailing @rel (the in-namespace path, "" for the
 * namespace's root): the namespace's root; NULL when @full does not end
 * with @rel (the process moved between the two reads). */
static char *strip_rel(const char *full, const char *rel)
{
	size_t fl = strlen(full), rl = strlen(rel);

	if (!rl)
		return g_strdup(full);
	if (rl > fl || strcmp(full + fl - rl, rel) != 0)
		return NULL;
	if (rl == fl)
		return g_strdup("");
	if (full[fl - rl - 1] != '/')
		return NULL;
	return g_strndup(full, fl - rl - 1);
}

bool cg_tree_cgns_roots(const struct cg_tree *t, pid_t pid,
			struct cg_roots *out, GError **err)
{
	struct cg_roots full, rel;
	g_autofree char *text = NULL;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (!cg_tree_cgroups_of(t, pid, &full, err))
		return false;
	text = cg_cgns_proc_cgroup(pid, err);
	if (!text || !cg_tree_cgroups_parse(t, text, &rel, err)) {
		if (text)
			g_prefix_error(err, "pid %d in its cgroup namespace: ",
				       (int)pid);
		cg_roots_clear(&full);
		return false;
	}
	for (unsigned i = 0; i < t->n && ok; i++) {
		out->path[i] = strip_rel(full.path[i], rel.path[i]);
		if (!(ok = out->path[i] != NULL))
			g_set_error(err, CG_ERROR, CG_ERROR_NOENT,
				    "pid %d: its cgroup /%s in hierarchy '%s' "
				    "does not end with /%s (moved?)", (int)pid,
				    full.path[i], t->hier[i].name, rel.path[i]);
	}
	if (!ok)
		cg_roots_clear(out);
	cg_roots_clear(&full);
	cg_roots_clear(&rel);
	return ok;
}

/* ---- paths and the caller ------------------------------------------- */

/* A cgroup path as cgroup.h defines it: "" or '/'-separated components,
 * none of them "", "." or "..". */
static bool path_ok(const char *path)
{
	g_auto(GStrv) parts = NULL;

	if (!*path)
		return true;
	parts = g_strsplit(path, "/", -1);
	for (char **p = parts; *p; p++)
		if (!**p || strcmp(*p, ".") == 0 || strcmp(*p, "..") == 0)
			return false;
	return true;
}

/* 0 when @cgroup is a cgroup path inside the view rooted at @root. */
static int in_view(const char *root, const char *cgroup)
{
	return path_ok(cgroup) && cg_path_within(root, cgroup) ? 0 : ENOENT;
}

/* @path cut at its last '/': the cgroup part ("" at the top) and the
 * last component, both g_free'd by the caller. */
static void split(const char *path, char **dir, char **name)
{
	const char *slash = strrchr(path, '/');

	*dir = slash ? g_strndup(path, (gsize)(slash - path)) : g_strdup("");
	*name = g_strdup(slash ? slash + 1 : path);
}

/* openat2 of @path ("" is @dirfd's own directory) beneath @dirfd, no
 * symlink followed, no mount crossed: the fd, or -errno. */
static int beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	long fd;
	int tries = 0;

	do /* EAGAIN: a rename or mount raced with the walk */
		fd = syscall(SYS_openat2, dirfd, *path ? path : ".", &how,
			     sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < 16);
	return fd < 0 ? -errno : (int)fd;
}

/* What one impersonated span does: 0 or an errno. */
struct op {
	int dirfd;         /* the hierarchy, or the open file (write)       */
	const char *path;  /* opened beneath @dirfd                          */
	int flags;         /* for opening @path                              */
	int fd;            /* out: the fd of @path (open_fn), -1             */
	const char *parent; /* setattr: @path's directory (NULL: none)       */
	const char *name;  /* last component, for mkdir/rmdir/setattr        */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	const char *buf;   /* write_fn */
	size_t len;
};
typedef int (*op_fn)(struct op *op);

/* Runs @fn with the calling thread acting as @c, and back. */
static int as_caller(const struct cg_creds *c, op_fn fn, struct op *op)
{
	g_autoptr(GError) err = NULL;
	int r;

	if (!cg_creds_enter(c, &err))
		return EIO;
	r = fn(op);
	cg_creds_leave();
	return r;
}

static int open_fn(struct op *op)
{
	op->fd = beneath(op->dirfd, op->path, op->flags);
	return op->fd < 0 ? -op->fd : 0;
}

static int close_fd(int fd)
{
	if (fd >= 0)
		close(fd);
	return -1;
}

/* mkdir, rmdir, chmod, chown of op->name in the directory op->path. */
static int at_parent(struct op *op, int (*fn)(int pfd, struct op *op))
{
	int r = open_fn(op);

	if (r)
		return r;
	r = fn(op->fd, op) < 0 ? errno : 0;
	op->fd = close_fd(op->fd);
	return r;
}

static int do_mkdir(int pfd, struct op *op)
{
	return mkdirat(pfd, op->name, op->mode);
}

static int do_rmdir(int pfd, struct op *op)
{
	return unlinkat(pfd, op->name, AT_REMOVEDIR);
}

static int mkdir_fn(struct op *op) { return at_parent(op, do_mkdir); }
static int rmdir_fn(struct op *op) { return at_parent(op, do_rmdir); }

/* ---- stat, list, mkdir, rmdir, setattr ------------------------------- */

int cg_tree_stat(const struct cg_tree_hier *th, const char *root,
		 const char *path, struct stat *st)
{
	int fd, r = in_view(root, path);

	if (r)
		return r;
	fd = beneath(th->h.dirfd, path, O_PATH);
	if (fd < 0)
		return -fd;
	r = fstat(fd, st) < 0 ? errno : 0;
	close(fd);
	return r;
}

static mode_t dirent_type(DIR *d, const struct dirent *e)
{
	struct stat st;

	if (e->d_type == DT_DIR)
		return S_IFDIR;
	if (e->d_type == DT_REG)
		return S_IFREG;
	if (e->d_type != DT_UNKNOWN ||
	    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return st.st_mode & S_IFMT;
}

/* The directories and regular files of the open directory @fd (closed). */
static int list_fd(int fd, GPtrArray *names, GArray *types)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	int r = 0;

	if (!d) {
		r = errno;
		close(fd);
		return r;
	}
	errno = 0;
	while ((e = readdir(d))) {
		mode_t t = dirent_type(d, e);

		if ((t == S_IFDIR || t == S_IFREG) && strcmp(e->d_name, ".") &&
		    strcmp(e->d_name, "..")) {
			g_ptr_array_add(names, g_strdup(e->d_name));
			g_array_append_val(types, t);
		}
		errno = 0;
	}
	r = errno;
	closedir(d);
	return r;
}

int cg_tree_list(const struct cg_tree_hier *th, const char *root,
		 const char *path, const struct cg_creds *c,
		 GPtrArray *names, GArray *types)
{
	struct op op = { .dirfd = th->h.dirfd, .path = path,
			 .flags = O_RDONLY | O_DIRECTORY };
	int r = in_view(root, path);

	if (r || (r = as_caller(c, open_fn, &op)))
		return r;
	return list_fd(op.fd, names, types);
}

int cg_tree_mkdir(const struct cg_tree_hier *th, const char *root,
		  const char *path, const struct cg_creds *c)
{
	g_autofree char *parent = NULL, *name = NULL;
	struct op op = { .dirfd = th->h.dirfd, .flags = O_PATH | O_DIRECTORY,
			 .mode = 0755 };
	int r;

	if (strcmp(path, root) == 0)
		return EEXIST;
	split(path, &parent, &name);
	if ((r = cg_name_check(name, th->key)) || (r = in_view(root, parent)))
		return r;
	op.path = parent;
	op.name = name;
	return as_caller(c, mkdir_fn, &op);
}

int cg_tree_rmdir(const struct cg_tree_hier *th, const char *root,
		  const char *path, const struct cg_creds *c)
{
	g_autofree char *parent = NULL, *name = NULL;
	struct op op = { .dirfd = th->h.dirfd, .flags = O_PATH | O_DIRECTORY };
	int r = in_view(root, path);

	if (r)
		return r;
	if (strcmp(path, root) == 0)
		return EBUSY;
	split(path, &parent, &name);
	op.path = parent;
	op.name = name;
	return as_caller(c, rmdir_fn, &op);
}

/* chmod (while still the owner), then chown, of op->name in @pfd. */
static int do_setattr(int pfd, struct op *op)
{
	if (op->mode != (mode_t)-1 && fchmodat(pfd, op->name, op->mode, 0) < 0)
		return -1;
	if (op->uid == (uid_t)-1 && op->gid == (gid_t)-1)
		return 0;
	return fchownat(pfd, op->name, op->uid, op->gid, AT_SYMLINK_NOFOLLOW);
}

/* op->path checked by opening it beneath the hierarchy, then changed
 * through (op->parent, op->name): cgroupfs has no symlinks, so the name
 * is what was checked.  No parent (the hierarchy's root): op->name is
 * the mount point. */
static int setattr_fn(struct op *op)
{
	int r = open_fn(op);

	if (r)
		return r;
	op->fd = close_fd(op->fd);
	if (!op->parent)
		return do_setattr(AT_FDCWD, op) < 0 ? errno : 0;
	op->path = op->parent;
	op->flags = O_PATH | O_DIRECTORY;
	return at_parent(op, do_setattr);
}

int cg_tree_setattr(const struct cg_tree_hier *th, const char *root,
		    const char *path, const struct cg_creds *c, mode_t mode,
		    uid_t uid, gid_t gid)
{
	g_autofree char *parent = NULL, *name = NULL;
	struct op op = { .dirfd = th->h.dirfd, .path = path, .flags = O_PATH,
			 .mode = mode, .uid = uid, .gid = gid };
	int r = in_view(root, path);

	if (r)
		return r;
	split(path, &parent, &name);
	op.parent = *path ? parent : NULL;
	op.name = *path ? name : th->h.mountpoint;
	return as_caller(c, setattr_fn, &op);
}

/* ---- interface files ------------------------------------------------ */

struct cg_tree_file {
	const struct cg_tree_hier *th; /* the tree outlives its files */
	struct cg_creds creds;         /* the opener's                  */
	char *root;                    /* the opener's view             */
	char *cgroup;                  /* the file's cgroup             */
	char *name;                    /* the file's name               */
	int fd;                        /* opened as the opener          */
	int accmode;                   /* O_RDONLY, O_WRONLY, O_RDWR    */
	int pidns_fd;                  /* the opener's pid namespace    */
	char *text;                    /* snapshot (NULL: none)         */
	size_t len;
};

static bool is_pid_file(const char *name)
{
	return strcmp(name, "cgroup.procs") == 0 ||
	       strcmp(name, "cgroup.threads") == 0 ||
	       strcmp(name, "tasks") == 0;
}

/* The host pids of a pid file's text @raw as @f's opener numbers them,
 * one a line; a task outside its pid namespace is left out on v1 (the
 * kernel's pidlist drops it) and shown as 0 on v2 (cgroup_procs_show
 * prints task_pid_vnr(), 0 there), as the kernel does. */
static int translate_pids(struct cg_tree_file *f, const char *raw)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(pid_t));
	GString *out;

	if (!cgi_parse_idlist(raw, ids))
		return EIO;
	out = g_string_sized_new(ids->len * 8);
	for (guint i = 0; i < ids->len; i++) {
		pid_t v = cg_pid_to_ns(f->pidns_fd, g_array_index(ids, pid_t, i));

		if (v > 0 || f->th->h.v2)
			g_string_append_printf(out, "%d\n", (int)v);
	}
	f->len = out->len;
	f->text = g_string_free(out, FALSE);
	return 0;
}

/* At a view's root (not the whole hierarchy), the effective limits;
 * *@done false when the file is served as it is. */
static int snapshot_effective(struct cg_tree_file *f, bool *done)
{
	g_autoptr(GError) err = NULL;

	*done = false;
	if (!*f->root || strcmp(f->cgroup, f->root) != 0)
		return 0;
	if (!cg_effective_text(&f->th->h, f->cgroup, f->name, &f->text, &err))
		return EIO;
	if (f->text) {
		f->len = strlen(f->text);
		*done = true;
	}
	return 0;
}

/* The text a readable open shows, read once (until read(2) gives 0). */
static int snapshot(struct cg_tree_file *f)
{
	g_autofree char *raw = NULL;
	size_t len = 0;
	int errnum = 0;
	bool done;
	int r = snapshot_effective(f, &done);

	if (r || done)
		return r;
	raw = cgi_read_fd(f->fd, &len, &errnum);
	if (!raw)
		return errnum;
	if (is_pid_file(f->name))
		return translate_pids(f, raw);
	f->text = g_steal_pointer(&raw);
	f->len = len;
	return 0;
}

static struct cg_tree_file *file_new(const struct cg_tree_hier *th,
				     const char *root, const char *path,
				     int accmode, const struct cg_creds *c)
{
	struct cg_tree_file *f = g_new0(struct cg_tree_file, 1);

	f->th = th;
	cg_creds_copy(&f->creds, c);
	f->root = g_strdup(root);
	split(path, &f->cgroup, &f->name);
	f->fd = -1;
	f->pidns_fd = -1;
	f->accmode = accmode;
	return f;
}

/* The real file, opened as @f's opener; a directory gives EISDIR. */
static int file_open_real(struct cg_tree_file *f, const char *path)
{
	struct op op = { .dirfd = f->th->h.dirfd, .path = path,
			 .flags = f->accmode | O_NOCTTY };
	struct stat st;
	int r = as_caller(&f->creds, open_fn, &op);

	if (r)
		return r;
	f->fd = op.fd;
	if (fstat(f->fd, &st) < 0)
		return errno;
	return S_ISDIR(st.st_mode) ? EISDIR : 0;
}

typedef struct cg_tree_file TreeFile;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TreeFile, cg_tree_file_close)

int cg_tree_file_open(const struct cg_tree_hier *th, const char *root,
		      const char *path, int flags, const struct cg_creds *c,
		      int pidns_fd, struct cg_tree_file **out)
{
	int accmode = flags & O_ACCMODE;
	g_autoptr(TreeFile) f = NULL;
	int r;

	*out = NULL;
	if (!*path || !path_ok(path))
		return ENOENT;
	if (accmode != O_RDONLY && accmode != O_WRONLY && accmode != O_RDWR)
		return EINVAL;
	f = file_new(th, root, path, accmode, c);
	if ((r = in_view(root, f->cgroup)) || (r = file_open_real(f, path)))
		return r;
	f->pidns_fd = fcntl(pidns_fd, F_DUPFD_CLOEXEC, 3);
	if (f->pidns_fd < 0)
		return errno;
	if (accmode != O_WRONLY && (r = snapshot(f)))
		return r;
	*out = g_steal_pointer(&f);
	return 0;
}

const char *cg_tree_file_text(const struct cg_tree_file *f, size_t *len)
{
	if (len)
		*len = f->text ? f->len : 0;
	return f->text ? f->text : "";
}

void cg_tree_file_close(struct cg_tree_file *f)
{
	if (!f)
		return;
	close_fd(f->fd);
	close_fd(f->pidns_fd);
	cg_creds_clear(&f->creds);
	g_free(f->root);
	g_free(f->cgroup);
	g_free(f->name);
	g_free(f->text);
	g_free(f);
}

/* ---- writing -------------------------------------------------------- */

/* Exactly one write(2) (EINTR: nothing was written, again). */
static int write_fn(struct op *op)
{
	ssize_t n;

	do
		n = write(op->dirfd, op->buf, op->len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno;
	return (size_t)n == op->len ? 0 : EIO;
}

/* @buf written once on the fd opened at open, as the opener. */
static int write_once(struct cg_tree_file *f, const char *buf, size_t len)
{
	struct op op = { .dirfd = f->fd, .buf = buf, .len = len };

	return as_caller(&f->creds, write_fn, &op);
}

/* /proc/@pid/@file as the daemon reads it: ESRCH when the task is gone,
 * EIO for any other failure. */
static int read_proc(pid_t pid, const char *file, char **text)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, file);
	g_autoptr(GError) err = NULL;

	*text = cg_read_file(path, NULL, &err);
	if (*text)
		return 0;
	return g_error_matches(err, CG_ERROR, CG_ERROR_NOENT) ? ESRCH : EIO;
}

/* The thread group of task @pid (Tgid of /proc/PID/status). */
static int task_tgid(pid_t pid, pid_t *tgid)
{
	g_autofree char *text = NULL;
	uint64_t v;
	int r = read_proc(pid, "status", &text);

	if (r)
		return r;
	if (!cg_status_u64(text, "Tgid", &v) || v == 0 || v > INT32_MAX)
		return EIO;
	*tgid = (pid_t)v;
	return 0;
}

/* Task @pid's cgroup in @th. */
static int task_cgroup(const struct cg_tree_hier *th, pid_t pid, char **out)
{
	g_autofree char *text = NULL;
	g_autoptr(GArray) lines = NULL;
	int r = read_proc(pid, "cgroup", &text);

	if (r)
		return r;
	lines = cg_proc_cgroup_parse(text, NULL);
	*out = lines ? path_in(th, lines, NULL) : NULL;
	return *out ? 0 : EIO;
}

/* Owner and mode of @cgroup's cgroup.procs, as the daemon sees them. */
static int procs_attr(const struct cg_tree_hier *th, const char *cgroup,
		      struct cg_fattr *out)
{
	g_autofree char *rel = cgi_join(cgroup, "cgroup.procs");
	struct stat st;
	int r, fd = beneath(th->h.dirfd, rel, O_PATH);

	if (fd < 0)
		return -fd;
	r = fstat(fd, &st) < 0 ? errno : 0;
	close(fd);
	*out = (struct cg_fattr){ st.st_uid, st.st_gid, st.st_mode };
	return r;
}

/* May @f's opener move task @task (of thread group @tgid) into @f's
 * cgroup?  The kernel's rule, decided by cg_may_move(). */
static int check_move(struct cg_tree_file *f, pid_t task, pid_t tgid)
{
	g_autofree char *src = NULL, *common = NULL;
	struct cg_move m = { .root = f->root, .dst = f->cgroup,
			     .daemon = tgid == getpid() };
	int r = task_cgroup(f->th, task, &src);

	if (r)
		return r;
	m.src = src;
	common = cg_common_ancestor(src, f->cgroup);
	if ((r = procs_attr(f->th, common, &m.common_procs)))
		return r;
	return cg_may_move(&f->creds, &m);
}

/* The host task a pid file's write names: 0 is the opener (its process
 * for cgroup.procs, its thread otherwise), else the opener's vpid. */
static int host_task(struct cg_tree_file *f, pid_t vpid, bool procs,
		     pid_t *out)
{
	if (vpid == 0) {
		*out = procs ? f->creds.tgid : f->creds.pid;
		return 0;
	}
	return cg_pid_from_ns(f->pidns_fd, vpid, out);
}

/* One pid moved: cgroup.procs moves the thread group (its leader is
 * what is checked and written), cgroup.threads and tasks one thread. */
static int write_pid(struct cg_tree_file *f, const char *buf, size_t len)
{
	bool procs = strcmp(f->name, "cgroup.procs") == 0;
	pid_t vpid, host, tgid;
	char num[16];
	int r;

	if ((r = cg_parse_pid_write(buf, len, &vpid)) ||
	    (r = host_task(f, vpid, procs, &host)) ||
	    (r = task_tgid(host, &tgid)))
		return r;
	if (procs)
		host = tgid;
	if ((r = check_move(f, host, tgid)))
		return r;
	g_snprintf(num, sizeof(num), "%d", (int)host);
	return write_once(f, num, strlen(num));
}

int cg_tree_file_write(struct cg_tree_file *f, const char *buf, size_t len)
{
	int r;

	if (len > WRITE_MAX)
		return E2BIG;
	if (f->accmode == O_RDONLY)
		return EBADF;
	if ((r = cg_root_write_check(f->root, f->cgroup, f->name)))
		return r;
	if (is_pid_file(f->name))
		return write_pid(f, buf, len);
	return write_once(f, buf, len);
}
