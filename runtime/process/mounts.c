/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's filesystem, built in its new mount namespace before
 * pivot_root: the rootfs bound onto itself, spec->mounts in order, /dev,
 * the corralfs views, sysctls, masked and read-only paths; then
 * pivot_root(".", ".") and the old root detached.
 *
 * Every destination is resolved inside the rootfs with openat2(2) and
 * RESOLVE_IN_ROOT, so a symlink in the rootfs cannot lead a mount out of
 * it (an absolute link is taken relative to the rootfs, as it will be
 * after pivot_root); the mount goes on /proc/self/fd/N of what was found.
 */
#include "cgroup/cgroup.h"
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546

/* ------------------------------------------------- paths in the rootfs */

static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof how);
}

static bool resolve(int rootfd, const char *path, int flags, int *fd, GError **err)
{
	*fd = open_in_root(rootfd, path, flags);
	if (*fd < 0)
		return rt_fail_errno(err, errno, "resolving %s in the rootfs", path);
	return true;
}

/* Create @path in the rootfs (a directory, or an empty file) if missing,
 * with its missing parents. */
static bool make_path(int rootfd, const char *path, bool dir, GError **err)
{
	autoclose int fd = open_in_root(rootfd, path, O_PATH);
	if (fd >= 0)
		return true;
	if (errno != ENOENT)
		return rt_fail_errno(err, errno, "resolving %s in the rootfs", path);

	g_autofree char *parent = g_path_get_dirname(path);
	g_autofree char *name = g_path_get_basename(path);
	autoclose int pfd = -1;
	if (!make_path(rootfd, parent, true, err) ||
	    !resolve(rootfd, parent, O_PATH | O_DIRECTORY, &pfd, err))
		return false;
	int rc = dir ? mkdirat(pfd, name, 0755)
		     : openat(pfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (rc < 0 && errno != EEXIST)
		return rt_fail_errno(err, errno, "creating %s in the rootfs", path);
	if (!dir && rc >= 0)
		close(rc);
	return true;
}

/* ------------------------------------------------------------ mounting */

/* mount(2) on @dest in the rootfs. */
static bool mount_on(int rootfd, const char *dest, const char *src, const char *type,
		     unsigned long flags, const char *data, GError **err)
{
	autoclose int fd = -1;
	if (!resolve(rootfd, dest, O_PATH, &fd, err))
		return false;
	char target[32];
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	if (mount(src, target, type, flags, data) == 0)
		return true;
	if (flags & MS_BIND)
		return rt_fail_errno(err, errno, "bind-mounting %s on %s", src, dest);
	return rt_fail_errno(err, errno, "mounting %s on %s", type, dest);
}

static unsigned long statvfs_flags(unsigned long f)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long ms = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
		if (f & map[i].st)
			ms |= map[i].ms;
	return ms;
}

/* Change the flags of the bind mount at @target, keeping the others. */
static bool remount_path(const char *target, const char *name, unsigned long set,
			 unsigned long clear, GError **err)
{
	struct statvfs sv;
	if (statvfs(target, &sv) < 0)
		return rt_fail_errno(err, errno, "statvfs %s", name);
	unsigned long flags = (statvfs_flags(sv.f_flag) & ~clear) | set;
	if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0)
		return rt_fail_errno(err, errno, "remounting %s%s", name,
				     (flags & MS_RDONLY) ? " read-only" : "");
	return true;
}

static bool remount(int rootfd, const char *dest, unsigned long set, unsigned long clear,
		    GError **err)
{
	autoclose int fd = -1;
	if (!resolve(rootfd, dest, O_PATH, &fd, err))
		return false;
	char target[32];
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	return remount_path(target, dest, set, clear, err);
}

/* Bind @src (a host path) on @dest, creating @dest like @src. */
static bool bind_on(int rootfd, const char *src, const char *dest, unsigned long flags,
		    GError **err)
{
	struct stat st;
	if (stat(src, &st) < 0)
		return rt_fail_errno(err, errno, "bind source %s", src);
	if (!make_path(rootfd, dest, S_ISDIR(st.st_mode), err))
		return false;
	return mount_on(rootfd, dest, src, NULL, MS_BIND | flags, NULL, err);
}

/* --------------------------------------------------- OCI mount options */

struct mnt_opts {
	unsigned long set, clear, propagation;
	GString *data;
};

static const struct { const char *name; bool clear; unsigned long flag; } flag_opts[] = {
	{ "ro", false, MS_RDONLY }, { "rw", true, MS_RDONLY },
	{ "nosuid", false, MS_NOSUID }, { "suid", true, MS_NOSUID },
	{ "nodev", false, MS_NODEV }, { "dev", true, MS_NODEV },
	{ "noexec", false, MS_NOEXEC }, { "exec", true, MS_NOEXEC },
	{ "sync", false, MS_SYNCHRONOUS }, { "async", true, MS_SYNCHRONOUS },
	{ "dirsync", false, MS_DIRSYNC }, { "mand", false, MS_MANDLOCK },
	{ "nomand", true, MS_MANDLOCK }, { "noatime", false, MS_NOATIME },
	{ "atime", true, MS_NOATIME }, { "nodiratime", false, MS_NODIRATIME },
	{ "diratime", true, MS_NODIRATIME }, { "relatime", false, MS_RELATIME },
	{ "norelatime", true, MS_RELATIME }, { "strictatime", false, MS_STRICTATIME },
	{ "nostrictatime", true, MS_STRICTATIME }, { "bind", false, MS_BIND },
	{ "rbind", false, MS_BIND | MS_REC },
};

static const struct { const char *name; unsigned long flag; } propagation_opts[] = {
	{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

static void parse_option(struct mnt_opts *o, const char *opt)
{
	for (size_t i = 0; i < G_N_ELEMENTS(flag_opts); i++) {
		if (strcmp(opt, flag_opts[i].name) != 0)
			continue;
		unsigned long *on = flag_opts[i].clear ? &o->clear : &o->set;
		unsigned long *off = flag_opts[i].clear ? &o->set : &o->clear;
		*on |= flag_opts[i].flag;
		*off &= ~flag_opts[i].flag;
		return;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(propagation_opts); i++) {
		if (strcmp(opt, propagation_opts[i].name) == 0) {
			o->propagation = propagation_opts[i].flag;
			return;
		}
	}
	if (strcmp(opt, "tmpcopyup") == 0)
		return; /* an OCI extension corral does not implement */
	if (o->data->len > 0)
		g_string_append_c(o->data, ',');
	g_string_append(o->data, opt);
}

static void parse_options(struct mnt_opts *o, char **options)
{
	*o = (struct mnt_opts){ .data = g_string_new(NULL) };
	for (char **opt = options; opt != NULL && *opt != NULL; opt++)
		parse_option(o, *opt);
}

/* ------------------------------------------------------ /sys/fs/cgroup */

struct hier {
	char *name;  /* mount point's last component: "memory", "cpu,cpuacct", "unified" */
	char *opts;  /* super options without rw/ro: "memory", "xattr,name=systemd" */
	bool v2;
	bool top;    /* mounted at /sys/fs/cgroup itself (a v2 host) */
};

static void hier_free(gpointer p)
{
	struct hier *h = p;
	g_free(h->name);
	g_free(h->opts);
	g_free(h);
}

/* A cgroup mount at or below /sys/fs/cgroup as a hierarchy, else NULL. */
static struct hier *hier_of(const struct cg_mount *m)
{
	bool v2 = strcmp(m->fstype, "cgroup2") == 0;
	if (!v2 && strcmp(m->fstype, "cgroup") != 0)
		return NULL;
	const char *mp = m->mountpoint;
	if (strcmp(mp, "/sys/fs/cgroup") != 0 && !g_str_has_prefix(mp, "/sys/fs/cgroup/"))
		return NULL;
	struct hier *h = g_new0(struct hier, 1);
	h->v2 = v2;
	h->top = strcmp(mp, "/sys/fs/cgroup") == 0;
	h->name = g_path_get_basename(mp);
	g_auto(GStrv) opts = g_strsplit(m->super_options, ",", -1);
	GString *o = g_string_new(NULL);
	for (char **p = opts; *p; p++)
		if (strcmp(*p, "rw") != 0 && strcmp(*p, "ro") != 0)
			g_string_append_printf(o, "%s%s", o->len ? "," : "", *p);
	h->opts = g_string_free(o, FALSE);
	return h;
}

/* The hierarchies of a mountinfo text. */
static GPtrArray *hiers_of(const char *mountinfo)
{
	g_autoptr(GArray) mounts = cg_mountinfo_parse(mountinfo);
	GPtrArray *out = g_ptr_array_new_with_free_func(hier_free);
	for (guint i = 0; i < mounts->len; i++) {
		struct hier *h = hier_of(&g_array_index(mounts, struct cg_mount, i));
		if (h != NULL)
			g_ptr_array_add(out, h);
	}
	return out;
}

static bool host_hiers(GPtrArray **out, GError **err)
{
	g_autoptr(GError) e = NULL;
	g_autofree char *text = cg_read_file("/proc/self/mountinfo", NULL, &e);
	if (!text) {
		g_set_error_literal(err, RT_ERROR, RT_ERROR_SETUP, e->message);
		return false;
	}
	*out = hiers_of(text);
	return true;
}

/* cpu -> cpu,cpuacct, the links a v1 host has next to co-mounted ones. */
static bool link_comounted(int rootfd, const char *dest, const struct hier *h, GError **err)
{
	g_auto(GStrv) parts = g_strsplit(h->name, ",", -1);
	autoclose int dfd = -1;
	if (g_strv_length(parts) < 2)
		return true;
	if (!resolve(rootfd, dest, O_PATH | O_DIRECTORY, &dfd, err))
		return false;
	for (char **p = parts; *p; p++)
		if (symlinkat(h->name, dfd, *p) < 0 && errno != EEXIST)
			return rt_fail_errno(err, errno, "linking %s/%s to %s", dest, *p, h->name);
	return true;
}

/* Whether the /proc/self/cgroup controllers @ctrls ("cpu,cpuacct",
 * "name=systemd", "" for v2) are those of @h. */
static bool hier_has(const struct hier *h, const char *ctrls)
{
	if (*ctrls == '\0')
		return h->v2;
	g_auto(GStrv) want = g_strsplit(ctrls, ",", -1);
	g_auto(GStrv) have = g_strsplit(h->opts, ",", -1);
	for (char **w = want; *w; w++)
		if (h->v2 || !g_strv_contains((const char *const *)have, *w))
			return false;
	return true;
}

/* The path in @h of the /proc/self/cgroup @lines (cg_proc_cgroup), or NULL. */
static const char *cgroup_in(GArray *lines, const struct hier *h)
{
	for (guint i = 0; i < lines->len; i++) {
		const struct cg_proc_cgroup *c = &g_array_index(lines, struct cg_proc_cgroup, i);
		if (hier_has(h, c->controllers))
			return c->path;
	}
	return NULL;
}

/* The host directory of our own cgroup in @h (no cgroup namespace: the
 * paths of /proc/self/cgroup are the host's), NULL if not found. */
static char *own_cgroup_dir(const struct hier *h, const char *mountpoint)
{
	g_autofree char *text = cg_read_file("/proc/self/cgroup", NULL, NULL);
	g_autoptr(GArray) lines = text ? cg_proc_cgroup_parse(text, NULL) : NULL;
	const char *path = lines ? cgroup_in(lines, h) : NULL;

	return path ? g_build_filename(mountpoint, path, NULL) : NULL;
}

/* Without a cgroup namespace, a fresh mount would show the host's whole
 * hierarchy: the container's own cgroup is bound instead (as runc does). */
static bool bind_own_cgroup(int rootfd, const char *path, const struct hier *h,
			    const char *mountpoint, unsigned long flags, GError **err)
{
	g_autofree char *src = own_cgroup_dir(h, mountpoint);

	if (src == NULL) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "no cgroup of ours in %s (/proc/self/cgroup)",
			    mountpoint);
		return false;
	}
	if (!mount_on(rootfd, path, src, NULL, MS_BIND, NULL, err))
		return false;
	return remount(rootfd, path, flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), 0, err);
}

static bool mount_hier(int rootfd, const char *dest, const struct hier *h, bool cgns,
		       unsigned long flags, GError **err)
{
	g_autofree char *path = g_build_filename(dest, h->name, NULL);
	g_autofree char *host = g_build_filename("/sys/fs/cgroup", h->name, NULL);
	if (!make_path(rootfd, path, true, err))
		return false;
	if (!cgns) {
		if (!bind_own_cgroup(rootfd, path, h, host, flags, err))
			return false;
		return h->v2 || link_comounted(rootfd, dest, h, err);
	}
	if (h->v2)
		return mount_on(rootfd, path, "cgroup2", "cgroup2", flags, NULL, err);
	if (!mount_on(rootfd, path, "cgroup", "cgroup", flags, h->opts, err))
		return false;
	return link_comounted(rootfd, dest, h, err);
}

/* cgroup2 on a v2 host; else a tmpfs holding each hierarchy of the host.
 * In the container's cgroup namespace (@cgns), each shows its cgroup as
 * the root; without one, the container's own cgroups are bound there. */
static bool mount_cgroups(int rootfd, const char *dest, bool cgns, unsigned long flags,
			  GError **err)
{
	g_autoptr(GPtrArray) hiers = NULL;
	if (!make_path(rootfd, dest, true, err) || !host_hiers(&hiers, err))
		return false;
	for (guint i = 0; i < hiers->len; i++) {
		const struct hier *h = hiers->pdata[i];
		if (h->v2 && h->top && !cgns)
			return bind_own_cgroup(rootfd, dest, h, "/sys/fs/cgroup", flags, err);
		if (h->v2 && h->top)
			return mount_on(rootfd, dest, "cgroup2", "cgroup2", flags, NULL, err);
	}
	unsigned long dirflags = (flags & ~MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	if (!mount_on(rootfd, dest, "tmpfs", "tmpfs", dirflags, "mode=755", err))
		return false;
	for (guint i = 0; i < hiers->len; i++) {
		const struct hier *h = hiers->pdata[i];
		if (!h->top && !mount_hier(rootfd, dest, h, cgns, flags, err))
			return false;
	}
	return !(flags & MS_RDONLY) || remount(rootfd, dest, MS_RDONLY, 0, err);
}

/* ------------------------------------------------------- spec->mounts */

static bool mount_bind(int rootfd, const struct rt_mount *m, const struct mnt_opts *o,
		       GError **err)
{
	unsigned long extra = o->set & ~(MS_BIND | MS_REC | MS_REMOUNT);
	if (m->source == NULL || m->source[0] != '/') {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "bind mount on %s: the source %s is not absolute",
			    m->destination, m->source ? m->source : "(none)");
		return false;
	}
	if (!bind_on(rootfd, m->source, m->destination, o->set & MS_REC, err))
		return false;
	if (extra == 0 && o->clear == 0)
		return true;
	return remount(rootfd, m->destination, extra, o->clear, err);
}

static bool set_propagation(int rootfd, const char *dest, unsigned long flags, GError **err)
{
	autoclose int fd = -1;
	if (!resolve(rootfd, dest, O_PATH, &fd, err))
		return false;
	char target[32];
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		return rt_fail_errno(err, errno, "changing the propagation of %s", dest);
	return true;
}

static bool mount_one(int rootfd, const struct rt_mount *m, bool cgns, GError **err)
{
	struct mnt_opts o;
	parse_options(&o, m->options);
	g_autoptr(GString) data = o.data;
	const char *type = m->type ? m->type : "none";
	bool ok;

	if (strcmp(type, "bind") == 0 || (o.set & MS_BIND))
		ok = mount_bind(rootfd, m, &o, err);
	else if (strcmp(type, "cgroup") == 0 || strcmp(type, "cgroup2") == 0)
		ok = mount_cgroups(rootfd, m->destination, cgns, o.set, err);
	else
		ok = make_path(rootfd, m->destination, true, err) &&
		     mount_on(rootfd, m->destination, m->source ? m->source : type, type, o.set,
			      data->len ? data->str : NULL, err);
	if (!ok || o.propagation == 0)
		return ok;
	return set_propagation(rootfd, m->destination, o.propagation, err);
}

/* ----------------------------------------------------------------- /dev */

static bool dev_links(int rootfd, bool ptmx, GError **err)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	autoclose int dfd = -1;
	if (!resolve(rootfd, "/dev", O_PATH | O_DIRECTORY, &dfd, err))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(links); i++) {
		if (!ptmx && strcmp(links[i][0], "ptmx") == 0)
			continue;
		if (symlinkat(links[i][1], dfd, links[i][0]) < 0 && errno != EEXIST)
			return rt_fail_errno(err, errno, "linking /dev/%s to %s", links[i][0], links[i][1]);
	}
	return true;
}

static bool make_node(int rootfd, const struct rt_device *d, GError **err)
{
	g_autofree char *parent = g_path_get_dirname(d->path);
	g_autofree char *name = g_path_get_basename(d->path);
	autoclose int pfd = -1;
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR; /* c, u */
	mode_t mode = (d->file_mode & 07777 ? d->file_mode & 07777 : 0666) | type;

	if (!make_path(rootfd, parent, true, err) ||
	    !resolve(rootfd, parent, O_PATH | O_DIRECTORY, &pfd, err))
		return false;
	if (mknodat(pfd, name, mode, makedev(d->major, d->minor)) < 0 && errno != EEXIST)
		return rt_fail_errno(err, errno, "creating the device node %s", d->path);
	if (fchownat(pfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
		return rt_fail_errno(err, errno, "changing the owner of %s", d->path);
	return true;
}

static bool spec_devices(int rootfd, const GArray *devices, GError **err)
{
	for (guint i = 0; devices != NULL && i < devices->len; i++) {
		const struct rt_device *d = &g_array_index(devices, struct rt_device, i);
		bool ok = d->host_path != NULL ? bind_on(rootfd, d->host_path, d->path, 0, err)
					       : make_node(rootfd, d, err);
		if (!ok)
			return false;
	}
	return true;
}

/* The standard nodes, bound from the host's (mknod is not always allowed). */
static bool populate_dev(int rootfd, GError **err)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

	for (size_t i = 0; i < G_N_ELEMENTS(nodes); i++) {
		g_autofree char *host = g_strconcat("/dev/", nodes[i], NULL);
		if (!bind_on(rootfd, host, host, 0, err))
			return false;
	}
	autoclose int pts = open_in_root(rootfd, "/dev/pts/ptmx", O_PATH);
	return dev_links(rootfd, pts >= 0, err);
}

/* A /dev of the container's own (not bound from the host) gets the nodes. */
static bool own_dev(const GArray *mounts)
{
	for (guint i = 0; mounts != NULL && i < mounts->len; i++) {
		const struct rt_mount *mt = &g_array_index(mounts, struct rt_mount, i);
		if (g_strcmp0(mt->destination, "/dev") == 0)
			return g_strcmp0(mt->type, "bind") != 0;
	}
	return false;
}

/* ----------------------------------------------------------- the views */

static const char *const view_files[] = {
	"meminfo", "cpuinfo", "stat", "uptime", "loadavg", "diskstats", "swaps",
};

bool rt_views_live(const char *path)
{
	struct statfs sf;
	if (path == NULL || statfs(path, &sf) < 0 || sf.f_type != FUSE_SUPER_MAGIC)
		return false;
	g_autofree char *meminfo = g_build_filename(path, "proc", "meminfo", NULL);
	autoclose int fd = open(meminfo, O_RDONLY | O_CLOEXEC);
	char c;
	return fd >= 0 && read(fd, &c, 1) == 1;
}

static bool mount_views(int rootfd, const char *path, GError **err)
{
	for (size_t i = 0; i < G_N_ELEMENTS(view_files); i++) {
		g_autofree char *src = g_build_filename(path, "proc", view_files[i], NULL);
		g_autofree char *dest = g_build_filename("/proc", view_files[i], NULL);
		if (!mount_on(rootfd, dest, src, NULL, MS_BIND, NULL, err))
			return false;
	}
	const char *cpu = "/sys/devices/system/cpu";
	g_autofree char *src = g_build_filename(path, cpu, NULL);
	return mount_on(rootfd, cpu, src, NULL, MS_BIND | MS_REC, NULL, err) &&
	       remount(rootfd, cpu, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, err);
}

/* ------------------------------------ sysctls, masked, read-only paths */

static bool write_sysctl(int rootfd, const char *kv, GError **err)
{
	const char *eq = strchr(kv, '=');
	if (eq == NULL) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "sysctl %s: expected key=value", kv);
		return false;
	}
	g_autofree char *key = g_strndup(kv, (gsize)(eq - kv));
	g_autofree char *rel = g_strdelimit(g_strdup(key), ".", '/');
	g_autofree char *path = g_build_filename("/proc/sys", rel, NULL);
	autoclose int fd = open_in_root(rootfd, path, O_WRONLY | O_TRUNC);
	size_t len = strlen(eq + 1);
	if (fd < 0 || write(fd, eq + 1, len) != (ssize_t)len)
		return rt_fail_errno(err, errno, "writing sysctl %s (%s)", key, path);
	return true;
}

static bool mask_path(int rootfd, const char *path, GError **err)
{
	autoclose int fd = open_in_root(rootfd, path, O_PATH);
	struct stat st;
	if (fd < 0 && errno == ENOENT)
		return true;
	if (fd < 0 || fstat(fd, &st) < 0)
		return rt_fail_errno(err, errno, "masking %s", path);
	if (S_ISDIR(st.st_mode))
		return mount_on(rootfd, path, "tmpfs", "tmpfs", MS_RDONLY, NULL, err);
	return mount_on(rootfd, path, "/dev/null", NULL, MS_BIND, NULL, err);
}

static bool readonly_path(int rootfd, const char *path, GError **err)
{
	autoclose int fd = open_in_root(rootfd, path, O_PATH);
	if (fd < 0 && errno == ENOENT)
		return true;
	if (fd < 0)
		return rt_fail_errno(err, errno, "resolving %s in the rootfs", path);
	char self[32];
	snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
	return mount_on(rootfd, path, self, NULL, MS_BIND | MS_REC, NULL, err) &&
	       remount(rootfd, path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, err);
}

static bool protect_paths(int rootfd, const struct rt_spec *s, GError **err)
{
	for (char **kv = s->linux.sysctl; kv != NULL && *kv != NULL; kv++)
		if (!write_sysctl(rootfd, *kv, err))
			return false;
	for (char **p = s->linux.masked_paths; p != NULL && *p != NULL; p++)
		if (!mask_path(rootfd, *p, err))
			return false;
	for (char **p = s->linux.readonly_paths; p != NULL && *p != NULL; p++)
		if (!readonly_path(rootfd, *p, err))
			return false;
	return true;
}

/* ------------------------------------------------------------ the root */

static bool pivot(int rootfd, GError **err)
{
	if (fchdir(rootfd) < 0)
		return rt_fail_errno(err, errno, "entering the rootfs");
	/* The new root stacked on the old one: no directory for the old. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return rt_fail_errno(err, errno, "pivot_root to the rootfs");
	if (umount2(".", MNT_DETACH) < 0)
		return rt_fail_errno(err, errno, "detaching the old root");
	if (chdir("/") < 0)
		return rt_fail_errno(err, errno, "chdir to /");
	return true;
}

static bool open_root(const char *path, int *rootfd, GError **err)
{
	if (path == NULL || path[0] != '/') {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "rootfs %s: not an absolute path",
			    path ? path : "(none)");
		return false;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return rt_fail_errno(err, errno, "making / a recursive slave mount");
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rt_fail_errno(err, errno, "bind-mounting the rootfs %s", path);
	*rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*rootfd < 0)
		return rt_fail_errno(err, errno, "opening the rootfs %s", path);
	return true;
}

static bool build_tree(int rootfd, const struct rt_mount_ctx *m, GError **err)
{
	const struct rt_spec *s = m->spec;

	for (guint i = 0; s->mounts != NULL && i < s->mounts->len; i++)
		if (!mount_one(rootfd, &g_array_index(s->mounts, struct rt_mount, i),
			       s->linux.ns[RT_NS_CGROUP].enabled, err))
			return false;
	if (own_dev(s->mounts) && !populate_dev(rootfd, err))
		return false;
	if (!spec_devices(rootfd, s->linux.devices, err))
		return false;
	if (m->views && !mount_views(rootfd, s->views.path, err))
		return false;
	if (!protect_paths(rootfd, s, err))
		return false;
	return s->process.cwd == NULL || make_path(rootfd, s->process.cwd, true, err);
}

/* A terminal from the container's own devpts (its name is then the
 * container's /dev/pts/N, as with runc), its slave bound on /dev/console. */
static bool container_pty(int rootfd, struct rt_pty *p, GError **err)
{
	int master = open_in_root(rootfd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0)
		master = open_in_root(rootfd, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return rt_fail_errno(err, errno, "opening the container's /dev/pts/ptmx");
	if (!rt_pty_take_master(p, master, err))
		return false;
	g_autofree char *src = g_strdup_printf("/proc/self/fd/%d", p->slave);
	return bind_on(rootfd, src, "/dev/console", 0, err);
}

bool rt_mounts_setup(const struct rt_mount_ctx *m, GError **err)
{
	autoclose int rootfd = -1;

	if (!open_root(m->spec->root.path, &rootfd, err) || !build_tree(rootfd, m, err) ||
	    (m->pty != NULL && !container_pty(rootfd, m->pty, err)) ||
	    (m->before_pivot != NULL && !m->before_pivot(m->data, err)) || !pivot(rootfd, err))
		return false;
	if (m->spec->root.readonly)
		return remount_path("/", "the root", MS_RDONLY, 0, err);
	return true;
}
