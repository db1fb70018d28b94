/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MOUNTPOINT/cgroup: inode numbers, whose root a caller sees, and the
 * FUSE-facing side of each operation (fs/cgtree.h).  The decisions and
 * the syscalls on cgroups are cgroup/'s cg_tree_*.
 *
 * Locks: nodes_lock (the inode table) and cgns_lock (the cgroup
 * namespace cache) are leaves; no file is read, no cgroup/ function and
 * no log call made under either.
 */
#include "fs/cgtree.h"
#include "fs/nodes.h"
#include "fs/view.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define TOP_BASE 500                  /* + hierarchy: the reader's root there */
#define LINK_BASE 600                 /* + link index: "cpu" -> "cpu,cpuacct" */
#define HASH_BIT (UINT64_C(1) << 62)  /* hashed (hierarchy, host path) */
#define CGNS_IDLE_US ((gint64)60 * G_USEC_PER_SEC)
#define MAX_CGNS 4096

static struct cg_tree tree;
static bool tree_ok;
static uint64_t self_cgns, self_pidns;

/* ------------------------------------------------------- inode table */

struct tnode {
	unsigned hier;
	char *path;        /* on the host, relative to the hierarchy root */
	uint64_t nlookup;  /* the kernel's references (lookups - forgets) */
};

static GMutex nodes_lock;
static GHashTable *tnodes; /* fuse_ino_t (in a gsize) -> struct tnode* */

static void tnode_free(gpointer p)
{
	struct tnode *n = p;

	g_free(n->path);
	g_free(n);
}

/* The same number for the same cgroup in every daemon. */
static fuse_ino_t path_hash(unsigned hier, const char *path)
{
	return node_hash_ino(HASH_BIT, hier, path);
}

/* The number of (@hier, @path), one more kernel reference on it when
 * @ref.  A collision with another path probes the next number. */
static fuse_ino_t tnode_ino(unsigned hier, const char *path, bool ref)
{
	fuse_ino_t ino = path_hash(hier, path);
	struct tnode *n;

	g_mutex_lock(&nodes_lock);
	while ((n = g_hash_table_lookup(tnodes, GSIZE_TO_POINTER(ino))) &&
	       (n->hier != hier || strcmp(n->path, path) != 0))
		ino = HASH_BIT | ((ino + 1) & (HASH_BIT - 1));
	if (!n && ref) {
		n = g_new0(struct tnode, 1);
		n->hier = hier;
		n->path = g_strdup(path);
		g_hash_table_insert(tnodes, GSIZE_TO_POINTER(ino), n);
	}
	if (n && ref)
		n->nlookup++;
	g_mutex_unlock(&nodes_lock);
	return ino;
}

/* (hierarchy, host path) of a hashed node, the path g_strdup'ed. */
static bool tnode_get(fuse_ino_t ino, unsigned *hier, char **path)
{
	struct tnode *n;

	g_mutex_lock(&nodes_lock);
	n = g_hash_table_lookup(tnodes, GSIZE_TO_POINTER(ino));
	if (n) {
		*hier = n->hier;
		*path = g_strdup(n->path);
	}
	g_mutex_unlock(&nodes_lock);
	return n != NULL;
}

void cgtree_forget(fuse_ino_t ino, uint64_t nlookup)
{
	struct tnode *n;

	g_mutex_lock(&nodes_lock);
	n = g_hash_table_lookup(tnodes, GSIZE_TO_POINTER(ino));
	if (n && (n->nlookup -= MIN(nlookup, n->nlookup)) == 0)
		g_hash_table_remove(tnodes, GSIZE_TO_POINTER(ino));
	g_mutex_unlock(&nodes_lock);
}

bool cgtree_owns(fuse_ino_t ino)
{
	return ino == INO_CGROUP_DIR || (ino >= TOP_BASE && ino < TOP_BASE + CG_TREE_MAX) ||
	       (ino >= LINK_BASE && ino < LINK_BASE + CG_TREE_MAX) || (ino & HASH_BIT);
}

/* ------------------------------------------- whose root: the caller's */

static bool ns_ino(pid_t pid, const char *ns, uint64_t *out)
{
	g_autofree char *p = g_strdup_printf("/proc/%d/ns/%s", pid, ns);
	struct stat st;

	if (stat(p, &st) < 0)
		return false;
	*out = st.st_ino;
	return true;
}

/* Roots of cgroup namespaces, by namespace inode; each entry holds an fd
 * of its namespace so the inode cannot be reused while it is cached. */
struct cgns_entry {
	int nsfd;
	struct cg_roots roots;
	gint64 last_access;
};

static GMutex cgns_lock;
static GHashTable *cgns_cache; /* uint64 inode (in a gsize) -> entry */

static void cgns_entry_free(gpointer p)
{
	struct cgns_entry *e = p;

	close(e->nsfd);
	cg_roots_clear(&e->roots);
	g_free(e);
}

static bool cgns_cached(uint64_t ns, struct cg_roots *out)
{
	struct cgns_entry *e;

	g_mutex_lock(&cgns_lock);
	e = g_hash_table_lookup(cgns_cache, GSIZE_TO_POINTER(ns));
	if (e) {
		cg_roots_copy(out, &e->roots);
		e->last_access = g_get_monotonic_time();
	}
	g_mutex_unlock(&cgns_lock);
	return e != NULL;
}

/* Drop idle entries (and all of them when the cache is full). */
static void cgns_expire_locked(gint64 now)
{
	GHashTableIter it;
	gpointer k, v;
	bool full = g_hash_table_size(cgns_cache) >= MAX_CGNS;

	g_hash_table_iter_init(&it, cgns_cache);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (full || now - ((struct cgns_entry *)v)->last_access > CGNS_IDLE_US)
			g_hash_table_iter_remove(&it);
	}
}

/* The roots of @pid's cgroup namespace @ns: pinned first, then read, so
 * the roots are those of the pinned namespace when its inode still is
 * @ns after the read. */
static int cgns_roots(pid_t pid, uint64_t ns, struct cg_roots *out)
{
	g_autofree char *p = g_strdup_printf("/proc/%d/ns/cgroup", pid);
	g_autoptr(GError) err = NULL;
	struct cgns_entry *e;
	struct stat st;
	int fd;

	if (cgns_cached(ns, out))
		return 0;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ENOENT;
	if (fstat(fd, &st) < 0 || st.st_ino != ns || !cg_tree_cgns_roots(&tree, pid, out, &err)) {
		if (err)
			log_debug("cgroup tree: the cgroup namespace of pid %d: %s", pid, err->message);
		close(fd);
		return ENOENT;
	}
	e = g_new0(struct cgns_entry, 1);
	e->nsfd = fd;
	cg_roots_copy(&e->roots, out);
	e->last_access = g_get_monotonic_time();
	g_mutex_lock(&cgns_lock);
	cgns_expire_locked(e->last_access);
	g_hash_table_replace(cgns_cache, GSIZE_TO_POINTER(ns), e);
	g_mutex_unlock(&cgns_lock);
	return 0;
}

/* A container without a cgroup namespace: the cgroups of its pid
 * namespace's init, found and pinned by the /proc views' reader cache;
 * trusted when the init is still alive after the read. */
static int anchor_roots(pid_t pid, struct cg_roots *out)
{
	g_autoptr(GError) err = NULL;
	struct view *v = view_get(pid, &err);
	bool ok;

	if (!v) {
		log_debug("cgroup tree: no container for pid %d: %s", pid, err->message);
		return ENOENT;
	}
	ok = cg_tree_cgroups_of(&tree, v->r->anchor.pid, out, &err) &&
	     pidfd_alive(v->r->anchor.pidfd);
	view_put(v);
	if (!ok) {
		cg_roots_clear(out);
		return ENOENT;
	}
	return 0;
}

/* The caller's root in every hierarchy (docs/cgroup-tree.md). */
static int caller_roots(pid_t pid, struct cg_roots *out)
{
	uint64_t cgns, pidns;

	memset(out, 0, sizeof(*out));
	if (pid <= 0 || !ns_ino(pid, "cgroup", &cgns) || !ns_ino(pid, "pid", &pidns))
		return ENOENT;
	if (cgns != self_cgns)
		return cgns_roots(pid, cgns, out);
	if (pidns != self_pidns)
		return anchor_roots(pid, out);
	for (unsigned i = 0; i < tree.n; i++)
		out->path[i] = g_strdup("");
	return 0;
}

/* ------------------------------------------------------ one request */

/* Who asks and where its tree is rooted. */
struct caller {
	struct cg_creds creds;
	struct cg_roots roots;
};

/* The caller's root, and with @creds its groups too (read from /proc:
 * only the operations that act as the caller need them; lookups and
 * attributes are the daemon's). */
static int caller_get(fuse_req_t req, struct caller *c, bool creds)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	g_autoptr(GError) err = NULL;
	int e;

	memset(c, 0, sizeof(*c));
	if (!tree_ok)
		return ENOENT;
	c->creds.pid = ctx->pid;
	c->creds.uid = ctx->uid;
	c->creds.gid = ctx->gid;
	if (creds && !cg_creds_of(ctx->pid, ctx->uid, ctx->gid, &c->creds, &err)) {
		log_debug("cgroup tree: caller pid %d: %s", ctx->pid, err->message);
		return ESRCH;
	}
	e = caller_roots(ctx->pid, &c->roots);
	if (e)
		cg_creds_clear(&c->creds);
	return e;
}

static void caller_clear(struct caller *c)
{
	cg_creds_clear(&c->creds);
	cg_roots_clear(&c->roots);
}

/* What node @ino is for this caller. */
struct target {
	unsigned hier;
	char *path;   /* on the host */
	bool top;     /* a hierarchy's directory: the caller's root there */
	bool list;    /* the directory listing the hierarchies (v1 hosts) */
	int link;     /* a link's index, or -1 */
};

static int target_of(fuse_ino_t ino, const struct caller *c, struct target *t)
{
	memset(t, 0, sizeof(*t));
	t->link = -1;
	if (ino == INO_CGROUP_DIR && !tree.unified_only) {
		t->list = true;
		return 0;
	}
	if (ino == INO_CGROUP_DIR || (ino >= TOP_BASE && ino < TOP_BASE + tree.n)) {
		t->hier = ino == INO_CGROUP_DIR ? 0 : (unsigned)(ino - TOP_BASE);
		t->top = true;
		t->path = g_strdup(c->roots.path[t->hier]);
		return t->path ? 0 : ENOENT;
	}
	if (ino >= LINK_BASE && ino < LINK_BASE + tree.nlinks) {
		t->link = (int)(ino - LINK_BASE);
		return 0;
	}
	if (!(ino & HASH_BIT) || !tnode_get(ino, &t->hier, &t->path))
		return ENOENT;
	/* a number another caller looked up: only inside this caller's root */
	return cg_path_within(c->roots.path[t->hier], t->path) ? 0 : ENOENT;
}

static const struct cg_tree_hier *target_hier(const struct target *t)
{
	return &tree.hier[t->hier];
}

static const char *target_root(const struct caller *c, const struct target *t)
{
	return c->roots.path[t->hier];
}

/* ------------------------------------------------------- attributes */

static void list_attr(fuse_ino_t ino, mode_t type, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = type == S_IFLNK ? S_IFLNK | 0777 : S_IFDIR | 0555;
	st->st_nlink = type == S_IFLNK ? 1 : 2;
}

static int target_stat(const struct caller *c, const struct target *t, fuse_ino_t ino,
		       struct stat *st)
{
	int e;

	if (t->list || t->link >= 0) {
		list_attr(ino, t->list ? S_IFDIR : S_IFLNK, st);
		if (t->link >= 0)
			st->st_size = (off_t)strlen(tree.link[t->link].target);
		return 0;
	}
	e = cg_tree_stat(target_hier(t), target_root(c, t), t->path, st);
	if (!e)
		st->st_ino = ino;
	return e;
}

static void target_clear(struct target *t)
{
	g_free(t->path);
}

int cgtree_getattr(fuse_req_t req, fuse_ino_t ino, struct stat *st)
{
	struct caller c;
	struct target t;
	int e;

	if (!tree_ok && ino == INO_CGROUP_DIR) {
		list_attr(ino, S_IFDIR, st);
		return 0;
	}
	e = caller_get(req, &c, false);
	if (e)
		return e;
	e = target_of(ino, &c, &t);
	if (!e)
		e = target_stat(&c, &t, ino, st);
	target_clear(&t);
	caller_clear(&c);
	return e;
}

int cgtree_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct caller c;
	struct target t;
	struct stat st;
	int e = caller_get(req, &c, true);

	if (e)
		return e;
	e = target_of(ino, &c, &t);
	if (!e)
		e = target_stat(&c, &t, ino, &st);
	if (!e && mask != F_OK) {
		struct cg_fattr a = { st.st_uid, st.st_gid, st.st_mode };

		e = cg_dac(&c.creds, &a, S_ISDIR(st.st_mode), mask);
	}
	target_clear(&t);
	caller_clear(&c);
	return e;
}

int cgtree_readlink(fuse_ino_t ino, const char **target)
{
	if (ino < LINK_BASE || ino >= LINK_BASE + tree.nlinks)
		return EINVAL;
	*target = tree.link[ino - LINK_BASE].target;
	return 0;
}

/* ----------------------------------------------------------- lookup */

/*
 * An entry for the kernel.  Attributes are never cached.  A name may be
 * cached (@keep) when what it names is the same for every caller: a name
 * in a directory with a hashed number (the directory is a host path, so
 * its child is too), a hierarchy's name, "cgroup"; never a name in a
 * hierarchy's directory, whose meaning is the caller's root.  Every
 * operation on the cached node checks the caller's root again.
 */
#define ENTRY_TIMEOUT 1.0

static void entry_fill(struct fuse_entry_param *e, fuse_ino_t ino, const struct stat *st,
		       bool keep)
{
	memset(e, 0, sizeof(*e));
	e->ino = ino;
	e->attr = *st;
	e->attr.st_ino = ino;
	e->attr_timeout = 0;
	e->entry_timeout = keep ? ENTRY_TIMEOUT : 0;
}

/* A hierarchy's directory or a link in the listing directory. */
static int lookup_in_list(const struct caller *c, const char *name, struct fuse_entry_param *e)
{
	struct stat st;
	int err;

	for (unsigned i = 0; i < tree.nlinks; i++) {
		if (!strcmp(tree.link[i].name, name)) {
			list_attr(LINK_BASE + i, S_IFLNK, &st);
			st.st_size = (off_t)strlen(tree.link[i].target);
			entry_fill(e, LINK_BASE + i, &st, true);
			return 0;
		}
	}
	for (unsigned i = 0; i < tree.n; i++) {
		if (strcmp(tree.hier[i].name, name))
			continue;
		err = c->roots.path[i] ? cg_tree_stat(&tree.hier[i], c->roots.path[i],
						      c->roots.path[i], &st)
				       : ENOENT;
		if (!err)
			entry_fill(e, TOP_BASE + i, &st, true);
		return err;
	}
	return ENOENT;
}

/* "@parent/@name" on the host, for a directory target. */
static char *child_path(const struct target *t, const char *name)
{
	return *t->path ? g_strconcat(t->path, "/", name, NULL) : g_strdup(name);
}

static int lookup_child(const struct caller *c, const struct target *t, const char *name,
			struct fuse_entry_param *e)
{
	g_autofree char *path = NULL;
	struct stat st;
	int err;

	if (t->link >= 0)
		return ENOTDIR;
	path = child_path(t, name);
	err = cg_tree_stat(target_hier(t), target_root(c, t), path, &st);
	if (!err)
		entry_fill(e, tnode_ino(t->hier, path, true), &st, !t->top);
	return err;
}

/* "cgroup" itself, looked up in the root. */
static int lookup_tree_dir(fuse_req_t req, struct fuse_entry_param *e)
{
	struct stat st;
	int err = cgtree_getattr(req, INO_CGROUP_DIR, &st);

	if (!err)
		entry_fill(e, INO_CGROUP_DIR, &st, true);
	return err;
}

int cgtree_lookup(fuse_req_t req, fuse_ino_t parent, const char *name,
		  struct fuse_entry_param *e)
{
	struct caller c;
	struct target t;
	int err;

	if (parent == FUSE_ROOT_ID)
		return lookup_tree_dir(req, e);
	err = caller_get(req, &c, false);
	if (err)
		return err;
	err = target_of(parent, &c, &t);
	if (!err)
		err = t.list ? lookup_in_list(&c, name, e) : lookup_child(&c, &t, name, e);
	target_clear(&t);
	caller_clear(&c);
	return err;
}

/* ------------------------------------------------------ directories */

static void list_hiers(struct dir_list *d)
{
	for (unsigned i = 0; i < tree.n; i++)
		dir_list_add(d, tree.hier[i].name, TOP_BASE + i, S_IFDIR);
	for (unsigned i = 0; i < tree.nlinks; i++)
		dir_list_add(d, tree.link[i].name, LINK_BASE + i, S_IFLNK);
}

static int list_cgroup(const struct caller *c, const struct target *t, struct dir_list *d)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) types = g_array_new(FALSE, FALSE, sizeof(mode_t));
	int e = cg_tree_list(target_hier(t), target_root(c, t), t->path, &c->creds, names, types);

	for (guint i = 0; !e && i < names->len; i++) {
		g_autofree char *path = child_path(t, names->pdata[i]);

		dir_list_add(d, names->pdata[i], tnode_ino(t->hier, path, false),
			     g_array_index(types, mode_t, i));
	}
	return e;
}

int cgtree_list(fuse_req_t req, fuse_ino_t ino, struct dir_list *d)
{
	struct caller c;
	struct target t;
	int e;

	if (!tree_ok && ino == INO_CGROUP_DIR)
		return 0; /* no hierarchy: an empty directory */
	e = caller_get(req, &c, true);
	if (e)
		return e;
	e = target_of(ino, &c, &t);
	if (!e && t.link >= 0)
		e = ENOTDIR;
	else if (!e && t.list)
		list_hiers(d);
	else if (!e)
		e = list_cgroup(&c, &t, d);
	target_clear(&t);
	caller_clear(&c);
	return e;
}

/* ------------------------------------------------ changing the tree */

static int rate_take(const struct caller *c)
{
	int e = ratelimit_take(c->creds.uid, g_get_monotonic_time());

	if (e)
		log_warn_limited("cgroup tree: uid %u makes too many changes: EAGAIN",
				 (unsigned)c->creds.uid);
	return e;
}

static void log_op(const char *op, const struct caller *c, const struct target *t,
		   const char *path, int e)
{
	log_debug("cgroup tree: %s %s/%s by pid %d uid %u: %s", op, target_hier(t)->name, path,
		  c->creds.pid, (unsigned)c->creds.uid, e ? g_strerror(e) : "ok");
}

/* mkdir (@e filled, the new cgroup given @mode as the kernel gives a
 * cgroup its mkdir mode) or rmdir (@e NULL) of @name in @parent. */
static int child_change(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			struct fuse_entry_param *e)
{
	g_autofree char *path = NULL;
	struct caller c;
	struct target t;
	struct stat st;
	int err = caller_get(req, &c, true);

	if (err)
		return err;
	err = target_of(parent, &c, &t);
	if (!err && (t.list || t.link >= 0))
		err = EACCES;
	if (!err)
		err = rate_take(&c);
	if (!err) {
		const struct cg_tree_hier *th = target_hier(&t);

		path = child_path(&t, name);
		err = e ? cg_tree_mkdir(th, target_root(&c, &t), path, &c.creds)
			: cg_tree_rmdir(th, target_root(&c, &t), path, &c.creds);
		log_op(e ? "mkdir" : "rmdir", &c, &t, path, err);
		if (!err && e && (mode & 07777) != 0755)
			err = cg_tree_setattr(th, target_root(&c, &t), path, &c.creds, mode & 07777,
					      (uid_t)-1, (gid_t)-1);
	}
	if (!err && e)
		err = cg_tree_stat(target_hier(&t), target_root(&c, &t), path, &st);
	if (!err && e)
		entry_fill(e, tnode_ino(t.hier, path, true), &st, !t.top);
	target_clear(&t);
	caller_clear(&c);
	return err;
}

int cgtree_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		 struct fuse_entry_param *e)
{
	return child_change(req, parent, name, mode, e);
}

int cgtree_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	return child_change(req, parent, name, 0, NULL);
}

/* chmod and chown as the caller; a truncation to 0 does nothing, as on
 * cgroupfs (`echo x > file` opens with O_TRUNC or truncates first). */
static int setattr_target(const struct caller *c, const struct target *t,
			  const struct stat *attr, int to_set)
{
	mode_t mode = (to_set & FUSE_SET_ATTR_MODE) ? attr->st_mode & 07777 : (mode_t)-1;
	uid_t uid = (to_set & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1;
	gid_t gid = (to_set & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1;
	int e = 0;

	if (t->list || t->link >= 0)
		return EPERM;
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		e = rate_take(c);
		if (e)
			return e;
		e = cg_tree_setattr(target_hier(t), target_root(c, t), t->path, &c->creds, mode,
				    uid, gid);
		log_op("setattr", c, t, t->path, e);
	}
	return e;
}

int cgtree_setattr(fuse_req_t req, fuse_ino_t ino, const struct stat *attr, int to_set,
		   struct stat *out)
{
	struct caller c;
	struct target t;
	int e = caller_get(req, &c, true);

	if (e)
		return e;
	e = target_of(ino, &c, &t);
	if (!e)
		e = setattr_target(&c, &t, attr, to_set);
	if (!e)
		e = target_stat(&c, &t, ino, out);
	target_clear(&t);
	caller_clear(&c);
	return e;
}

/* ------------------------------------------------------------- files */

int cgtree_open(fuse_req_t req, fuse_ino_t ino, int flags, struct cg_tree_file **out)
{
	g_autofree char *nsp = NULL;
	struct caller c;
	struct target t;
	int nsfd = -1;
	int e = caller_get(req, &c, true);

	if (e)
		return e;
	e = target_of(ino, &c, &t);
	if (!e && (t.list || t.top))
		e = EISDIR;
	else if (!e && t.link >= 0)
		e = ELOOP;
	if (!e) {
		nsp = g_strdup_printf("/proc/%d/ns/pid", c.creds.pid);
		nsfd = open(nsp, O_RDONLY | O_CLOEXEC);
		e = nsfd < 0 ? ESRCH : 0;
	}
	if (!e) {
		e = cg_tree_file_open(target_hier(&t), target_root(&c, &t), t.path, flags, &c.creds,
				      nsfd, out);
		if (e || (flags & O_ACCMODE) != O_RDONLY)
			log_op("open", &c, &t, t.path, e);
	}
	if (nsfd >= 0)
		close(nsfd);
	target_clear(&t);
	caller_clear(&c);
	return e;
}

int cgtree_write(fuse_req_t req, struct cg_tree_file *f, const char *buf, size_t len)
{
	int e = ratelimit_take(fuse_req_ctx(req)->uid, g_get_monotonic_time());

	if (e)
		log_warn_limited("cgroup tree: uid %u makes too many changes: EAGAIN",
				 (unsigned)fuse_req_ctx(req)->uid);
	return e ? e : cg_tree_file_write(f, buf, len);
}

/* ------------------------------------------------------------ set-up */

void cgtree_init(void)
{
	g_autoptr(GError) err = NULL;

	tnodes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, tnode_free);
	cgns_cache = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, cgns_entry_free);
	if (!ns_ino(getpid(), "cgroup", &self_cgns) || !ns_ino(getpid(), "pid", &self_pidns)) {
		log_warn("cgroup tree: cannot read the daemon's own namespaces: no tree");
		return;
	}
	tree_ok = cg_tree_open(&tree, &err);
	if (!tree_ok)
		log_warn("cgroup tree: %s: MOUNTPOINT/cgroup stays empty", err->message);
}

void cgtree_log_layout(void)
{
	if (!tree_ok)
		return;
	for (unsigned i = 0; i < tree.n; i++)
		log_info("  cgroup/%-12s %s", tree.unified_only ? "" : tree.hier[i].name,
			 tree.hier[i].h.mountpoint);
}

void cgtree_fini(void)
{
	g_clear_pointer(&tnodes, g_hash_table_destroy);
	g_clear_pointer(&cgns_cache, g_hash_table_destroy);
	if (tree_ok)
		cg_tree_close(&tree);
	tree_ok = false;
}
