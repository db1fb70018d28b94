/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corral-hook: an OCI createContainer hook that puts the corralfs views
 * over a container's /proc files and /sys/devices/system/cpu, for
 * containers that another runtime (runc, crun, podman, CRI-O) starts.
 *
 * The OCI state comes on stdin; the bundle's config.json names the rootfs.
 * The runtime-spec runs createContainer hooks in the container's
 * namespaces, after its mounts are set up and before pivot_root, so the
 * rootfs is still at its host path.  The views are cloned (open_tree) in
 * the namespace the hook starts in; when that is not the container's
 * mount namespace (a runtime that runs the hook elsewhere) the hook enters
 * the namespace of the state's pid first, then attaches the clones
 * (move_mount) on the targets, which are resolved inside the rootfs so a
 * symlink there cannot lead a mount out of it.
 *
 * corralfs not mounted: one line on stderr, exit 0, the container starts
 * with the host's files.  Any other failure: a message naming the path,
 * exit 1, and the runtime fails the container.
 */
#include "hooks/hook.h"
#include "common/options.h"
#include "common/rt-error.h" /* rt_fail_errno */

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546
#ifndef PIDFD_GET_MNT_NAMESPACE
#define PIDFD_GET_MNT_NAMESPACE _IO(0xFF, 3)   /* Linux 6.11 */
#endif
#define INPUT_MAX (1 << 20)

static inline void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define autoclose __attribute__((cleanup(close_fd)))

/* ------------------------------------------------------------- views */

/* What is bound where, relative to the views and to the rootfs. */
static const struct { const char *path; bool dir; } targets[] = {
	{ "/proc/meminfo", false }, { "/proc/cpuinfo", false }, { "/proc/stat", false },
	{ "/proc/uptime", false }, { "/proc/loadavg", false }, { "/proc/diskstats", false },
	{ "/proc/swaps", false }, { "/sys/devices/system/cpu", true },
};
#define N_TARGETS G_N_ELEMENTS(targets)

static bool views_live(const char *path)
{
	struct statfs sf;
	if (statfs(path, &sf) < 0 || sf.f_type != FUSE_SUPER_MAGIC)
		return false;
	g_autofree char *meminfo = g_build_filename(path, "proc", "meminfo", NULL);
	autoclose int fd = open(meminfo, O_RDONLY | O_CLOEXEC);
	char c;
	return fd >= 0 && read(fd, &c, 1) == 1;
}

/* Detached read-only clones of the views' files, in the current namespace. */
static bool clone_views(const char *views, int fds[N_TARGETS], GError **err)
{
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    MOUNT_ATTR_NOEXEC,
	};
	for (size_t i = 0; i < N_TARGETS; i++) {
		g_autofree char *src = g_build_filename(views, targets[i].path, NULL);
		unsigned rec = targets[i].dir ? AT_RECURSIVE : 0;
		fds[i] = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
		if (fds[i] < 0)
			return rt_fail_errno(err, errno, "cloning the view %s", src);
		if (mount_setattr(fds[i], "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0)
			return rt_fail_errno(err, errno, "making the view %s read-only", src);
	}
	return true;
}

/* ------------------------------------------------ the mount namespace */

static bool same_file(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Enter the mount namespace of @pid (as seen in our pid namespace) unless
 * the hook is already in it; pid 0: stay. */
static bool enter_mount_ns(int pid, GError **err)
{
	if (pid == 0)
		return true;
	autoclose int pidfd = pidfd_open(pid, 0);
	if (pidfd < 0)
		return rt_fail_errno(err, errno, "state pid %d", pid);
	autoclose int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return rt_fail_errno(err, errno, "opening /proc/self/ns/mnt");
	autoclose int ns = ioctl(pidfd, PIDFD_GET_MNT_NAMESPACE, 0);
	if (ns >= 0 && same_file(ns, self))
		return true;
	/* Without the ioctl (before 6.11), entering one's own namespace is
	 * harmless: a single-threaded process only gets its root reset. */
	if (setns(ns >= 0 ? ns : pidfd, CLONE_NEWNS) < 0)
		return rt_fail_errno(err, errno, "entering the mount namespace of pid %d", pid);
	return true;
}

/* ----------------------------------------------------------- attach */

static int open_in_root(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

static bool attach_views(const char *rootfs, const int fds[N_TARGETS], GError **err)
{
	autoclose int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return rt_fail_errno(err, errno, "opening the rootfs %s", rootfs);
	for (size_t i = 0; i < N_TARGETS; i++) {
		autoclose int fd = open_in_root(rootfd, targets[i].path);
		if (fd < 0)
			return rt_fail_errno(err, errno, "resolving %s in the rootfs %s",
					  targets[i].path, rootfs);
		if (move_mount(fds[i], "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
			return rt_fail_errno(err, errno, "bind-mounting the view on %s%s", rootfs,
					  targets[i].path);
	}
	return true;
}

/* ------------------------------------------------------------ inputs */

/* Read @fd (named @name in errors) to its end, 1 MiB at most. */
static bool read_all(int fd, GString *out, const char *name, GError **err)
{
	char buf[8192];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rt_fail_errno(err, errno, "reading %s", name);
		if (n == 0)
			return true;
		g_string_append_len(out, buf, n);
		if (out->len > INPUT_MAX) {
			g_set_error(err, CH_ERROR, CH_ERROR_INPUT, "%s: larger than %d bytes", name,
				    INPUT_MAX);
			return false;
		}
	}
}

static bool read_state(GString *out, GError **err)
{
	if (!read_all(STDIN_FILENO, out, "the state on stdin", err))
		return false;
	if (out->len == 0) {
		g_set_error(err, CH_ERROR, CH_ERROR_INPUT, "state: nothing on stdin");
		return false;
	}
	return true;
}

static bool read_config(const struct ch_state *st, char **rootfs, GError **err)
{
	g_autofree char *path = g_build_filename(st->bundle, "config.json", NULL);
	g_autoptr(GString) text = g_string_new(NULL);
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return rt_fail_errno(err, errno, "reading %s", path);
	if (!read_all(fd, text, path, err))
		return false;
	return ch_config_parse(text->str, text->len, path, st->bundle, rootfs, st->annotations,
			       err);
}

struct opts {
	const char *views;
	bool all;
};

static const char usage[] =
	"usage: corral-hook [--views PATH] [--all]\n"
	"OCI createContainer hook: binds the corralfs views (mounted at PATH, default\n"
	CH_DEFAULT_VIEWS ") over the container's /proc files and /sys/devices/system/cpu.\n"
	"The OCI state is read from stdin.\n"
	"  --views PATH  where corralfs is mounted (the annotation " CH_ANN_VIEWS_PATH "\n"
	"                overrides it)\n"
	"  --all         views for every container unless " CH_ANN_VIEWS "=false;\n"
	"                without it only for containers with " CH_ANN_VIEWS "=true\n";

enum { OPT_VIEWS, OPT_ALL, OPT_HELP, OPT_VERSION };
static const struct rt_opt options[] = {
	[OPT_VIEWS] = { "--views", NULL, true },
	[OPT_ALL] = { "--all", NULL, false },
	[OPT_HELP] = { "--help", "-h", false },
	[OPT_VERSION] = { "--version", NULL, false },
	{ NULL, NULL, false },
};

/* @arg (an argv element, as written) is refused: exit status 2. */
static int refuse(const char *arg)
{
	fprintf(stderr, "corral-hook: %s: unknown option or missing value\n%s", arg, usage);
	return 3;
}

/* What the option @o found does: 0 go on, else the exit status + 1. */
static int take(const struct rt_opt *o, const char *value, struct opts *out)
{
	switch (o - options) {
	case OPT_VIEWS:
		out->views = value;
		return 0;
	case OPT_ALL:
		out->all = true;
		return 0;
	case OPT_HELP:
		fputs(usage, stdout);
		return 1;
	default:
		printf("corral-hook %s\n", CORRAL_VERSION);
		return 1;
	}
}

/* 0: go on; otherwise the exit status + 1.  No arguments are taken, "--"
 * neither; an option is refused naming its whole argv element. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	g_auto(rt_opts) p = { 0 };
	enum rt_opt_event ev;
	int rc = 0;

	rt_opts_init(&p, options, sizeof options[0], RT_OPT_GNU, false, argc, argv);
	while (rc == 0 && (ev = rt_opts_next(&p)) != RT_OPT_END)
		rc = ev == RT_OPT_FOUND ? take(p.opt, p.value, o) : refuse(p.arg);
	if (rc == 0 && p.arg)
		return refuse(p.arg); /* an argument, or "--" */
	return rc;
}

/* The clones of the views, closed when they go out of scope. */
struct clones { int fd[N_TARGETS]; };
static void clones_close(struct clones *c)
{
	for (size_t i = 0; i < N_TARGETS; i++)
		close_fd(&c->fd[i]);
}

static bool mount_views(const char *id, const char *views, int pid, const char *rootfs,
			GError **err)
{
	__attribute__((cleanup(clones_close))) struct clones c;

	for (size_t i = 0; i < N_TARGETS; i++)
		c.fd[i] = -1;
	if (!views_live(views)) {
		fprintf(stderr, "corral-hook: container %s: %s is not a live corralfs mount; "
			"it sees the host's /proc files\n", id, views);
		return true;
	}
	return clone_views(views, c.fd, err) && enter_mount_ns(pid, err) &&
	       attach_views(rootfs, c.fd, err);
}

static bool run(const struct opts *o, GError **err)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_auto(ch_state) st = { 0 };
	g_autofree char *rootfs = NULL, *views = NULL;
	bool wanted = false;

	if (!read_state(text, err) || !ch_state_parse(text->str, text->len, &st, err) ||
	    !read_config(&st, &rootfs, err) || !ch_views_wanted(st.annotations, o->all, &wanted, err))
		return false;
	if (!wanted)
		return true;
	views = ch_views_path(st.annotations, o->views, err);
	return views != NULL && mount_views(st.id, views, st.pid, rootfs, err);
}

int main(int argc, char **argv)
{
	struct opts o = { NULL, false };
	g_autoptr(GError) err = NULL;
	int rc = parse_args(argc, argv, &o);

	if (rc != 0)
		return rc - 1;
	if (!run(&o, &err)) {
		fprintf(stderr, "corral-hook: %s\n", err->message);
		return 1;
	}
	return 0;
}
