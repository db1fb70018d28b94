/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corralfs: options, mount, daemon life cycle. */
#define FUSE_USE_VERSION 314
#include "fs/fs.h"

#include <errno.h>
#include <fuse_lowlevel.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MOUNTPOINT "/var/lib/corral"

struct options {
	bool foreground;
	bool debug;
	bool no_cpu_quota;
	bool no_reattach;
	const char *pidfile;
	const char *mountpoint;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: corralfs [OPTIONS] [MOUNTPOINT]\n"
		"\n"
		"Serve per-container views of /proc and /sys files: whoever reads a file\n"
		"gets the numbers of their own container's cgroup (the cgroup of the init\n"
		"of their pid namespace; their own cgroup in the host's pid namespace).\n"
		"\n"
		"MOUNTPOINT/cgroup is a cgroupfs tree that unprivileged users may write under\n"
		"the kernel's cgroup v2 delegation rules, on v1 and v2 hosts alike: one\n"
		"directory per hierarchy of /sys/fs/cgroup (a v2 host: the hierarchy itself).\n"
		"Whose tree: a reader in its own cgroup namespace sees the tree rooted at that\n"
		"namespace's root; a reader in the daemon's cgroup namespace but its own pid\n"
		"namespace, at the cgroup of its pid namespace's init; a reader in the daemon's\n"
		"namespaces, the whole tree.  Delegate a cgroup to a user with\n"
		"`corral delegate --user NAME CGROUP`.  It is FUSE, not cgroupfs: programs\n"
		"that check the file system type (systemd >= 256, runc, the JVM) ignore it;\n"
		"never mount it over a working /sys/fs/cgroup.  See docs/cgroup-tree.md.\n"
		"\n"
		"MOUNTPOINT defaults to " DEFAULT_MOUNTPOINT ".\n"
		"\n"
		"Options:\n"
		"  -f, --foreground     stay in the foreground, log to stderr\n"
		"  -p, --pidfile FILE   write the daemon's pid to FILE\n"
		"      --no-cpu-quota   count CPUs from the cpuset only, ignoring the CPU quota\n"
		"      --no-reattach    leave dead corralfs mounts alone (by default, at start,\n"
		"                       a dead mount on MOUNTPOINT is unmounted, and every dead\n"
		"                       corralfs bind mount in other mount namespaces, left by\n"
		"                       a crashed corralfs, is replaced by the same path of\n"
		"                       this one: containers recover without a restart)\n"
		"  -d, --debug          log every decision (implies nothing else)\n"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n");
}

/* 0 on success, 1 on a usage error, -1 when the program should exit 0. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "no-cpu-quota", no_argument, NULL, 'Q' },
		{ "no-reattach", no_argument, NULL, 'R' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "fp:dhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o->foreground = true; break;
		case 'p': o->pidfile = optarg; break;
		case 'Q': o->no_cpu_quota = true; break;
		case 'R': o->no_reattach = true; break;
		case 'd': o->debug = true; break;
		case 'h': usage(stdout); return -1;
		case 'V': printf("corralfs %s\n", CORRAL_VERSION); return -1;
		default: usage(stderr); return 1;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "corralfs: too many arguments: '%s'\n", argv[optind + 1]);
		return 1;
	}
	o->mountpoint = optind < argc ? argv[optind] : DEFAULT_MOUNTPOINT;
	return 0;
}

static bool prepare_mountpoint(const char *path, GError **err)
{
	struct stat st;

	if (g_mkdir_with_parents(path, 0755) < 0 || stat(path, &st) < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "creating mount point %s: %s", path,
			    g_strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "mount point %s is not a directory", path);
		return false;
	}
	return true;
}

/* Each cached reader holds a pidfd: use the whole hard limit. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static bool write_pidfile(const char *path, GError **err)
{
	g_autofree char *text = g_strdup_printf("%d\n", getpid());
	GError *e = NULL;

	if (!g_file_set_contents(path, text, -1, &e)) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "writing pid file %s: %s", path, e->message);
		g_error_free(e);
		return false;
	}
	return true;
}

static struct fuse_session *mount_fs(const char *argv0, const char *mountpoint, GError **err)
{
	char *fargv[] = { (char *)argv0, "-o",
			  "allow_other,fsname=corralfs,subtype=corralfs", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, fargv);
	struct fuse_session *se = fuse_session_new(&args, &corral_ops, sizeof(corral_ops), NULL);

	fuse_opt_free_args(&args);   /* the session keeps no pointer into them */
	if (!se) {
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "creating the FUSE session failed");
		return NULL;
	}
	if (fuse_set_signal_handlers(se) != 0 || fuse_session_mount(se, mountpoint) != 0) {
		fuse_remove_signal_handlers(se);
		fuse_session_destroy(se);
		g_set_error(err, CG_ERROR, CG_ERROR_IO, "mounting corralfs on %s failed", mountpoint);
		return NULL;
	}
	return se;
}

/* Once the new mount answers, the dead mounts of a crashed corralfs in
 * the containers are replaced by it (reattach.c). */
static gpointer reattach_thread(gpointer mountpoint)
{
	g_autofree char *probe = g_strconcat(mountpoint, "/.static", NULL);
	struct stat st;

	if (stat(probe, &st) == 0)
		reattach_dead_mounts(mountpoint);
	return NULL;
}

static int serve(struct fuse_session *se, const struct options *o)
{
	struct fuse_loop_config *lc = fuse_loop_cfg_create();
	g_autoptr(GError) err = NULL;
	GThread *reattach = NULL;
	int ret = 1;

	if (o->pidfile && !write_pidfile(o->pidfile, &err)) {
		log_err("%s", err->message);
	} else if (!sampler_start(&err)) {
		log_err("starting the load average thread: %s", err->message);
	} else {
		view_log_layout();
		log_info("serving on %s", o->mountpoint);
		fuse_loop_cfg_set_max_threads(lc, 16);
		fuse_loop_cfg_set_idle_threads(lc, 4);
		/* never joined: a stat the loop did not answer before it
		 * ended would keep the unmount waiting */
		if (!o->no_reattach)
			reattach = g_thread_new("reattach", reattach_thread, (gpointer)o->mountpoint);
		g_clear_pointer(&reattach, g_thread_unref);
		ret = fuse_session_loop_mt(se, lc) < 0 ? 1 : 0;
		log_info("unmounting %s", o->mountpoint);
		sampler_stop();
	}
	fuse_loop_cfg_destroy(lc);
	if (o->pidfile)
		unlink(o->pidfile);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct fs_config cfg = { 0 };
	struct fuse_session *se;
	g_autoptr(GError) err = NULL;
	int ret = parse_options(argc, argv, &o);

	if (ret)
		return ret < 0 ? 0 : 2;
	log_init(false, o.debug);
	cfg.use_cpu_quota = !o.no_cpu_quota;
	cfg.debug = o.debug;
	raise_nofile();
	if (!o.no_reattach)
		reattach_clear_own(o.mountpoint);
	if (!prepare_mountpoint(o.mountpoint, &err) || !host_init(&err) || !view_init(&cfg, &err)) {
		log_err("%s", err->message);
		return 1;
	}
	se = mount_fs(argv[0], o.mountpoint, &err);
	if (!se) {
		log_err("%s", err->message);
		ret = 1;
	} else {
		if (!o.foreground)
			log_init(true, o.debug);
		if (fuse_daemonize(o.foreground) != 0)
			log_err("daemonizing failed");
		ret = serve(se, &o);
		fuse_session_unmount(se);
		fuse_remove_signal_handlers(se);
		fuse_session_destroy(se);
	}
	view_fini();
	host_fini();
	return ret;
}
