/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs/ — corralfs, the daemon.  Its files, each with one job:
 *
 *   corralfs.c options, mount, daemon life cycle (main)
 *   ops.c      the libfuse low-level operations, and nothing else
 *   nodes.c    the file tree: inode numbers, names, modes, attributes, the
 *              file each node renders, directory listings; the inode table
 *              of the host paths passed through (fs/nodes.h)
 *   render.c   rendering and serving a file for a reader: the render cache,
 *              the host's file when the reader's view is unavailable
 *   view.c     a reader's view: its reader and its container's cache
 *   anchor.c   whose view: the process whose cgroup is the reader's
 *              container (fs/anchor.h)
 *   reader.c   who is reading: the reader cache (reader -> pinned anchor)
 *   cgview.c   the per-container cache of cgroup numbers
 *   hostsnap.c the host's own files, parsed into a snapshot at most once
 *              per refresh period
 *   sampler.c  the load average thread
 *   log.c      log lines to stderr or syslog
 *   cgtree.c   MOUNTPOINT/cgroup: inodes, whose root, requests to cgroup/
 *              (fs/cgtree.h)
 *   ratelimit.c  how many changes one user may make through the tree
 *   reattach.c after a crash: dead mounts in containers replaced by live ones
 *
 * This header is what corralfs.c, ops.c, nodes.c and the tests use; the
 * internals of the view files (their structs and locks) are in fs/view.h.
 */
#ifndef CORRAL_FS_H
#define CORRAL_FS_H

#include "cgroup/cgroup.h"
#include "proc/proc.h"

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ log */
enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };
void log_init(bool use_syslog, bool debug);
void log_msg(enum log_level lvl, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
#define log_err(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
/*
 * Like log_warn, but at most once per minute for the same @key (at most 256
 * keys are tracked at once; entries expire after the minute).  Warnings
 * left out are counted; the next one that passes is followed by one
 * "N more warnings left out" line.  Key by call site (log_warn_limited),
 * never by a message that holds a pid or a path.
 */
void log_warn_ratelimited(const char *key, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
#define log_warn_limited(...) log_warn_ratelimited(G_STRLOC, __VA_ARGS__)

/* ------------------------------------------------------------ ratelimit */
/* Changes through the cgroup tree (mkdir, rmdir, chmod/chown, writes) by
 * a non-root fsuid: RATE_BURST at once, refilled at RATE_PER_S
 * (ratelimit.c); 0, or EAGAIN when @uid has none left at @now (monotonic
 * us).  Root is never limited. */
#define RATE_PER_S 200.0
#define RATE_BURST 400.0
int ratelimit_take(uid_t uid, gint64 now);
/* Forget every bucket (tests, and the daemon's exit). */
void ratelimit_reset(void);

/* ------------------------------------------------------------- reattach */
/* After a crash (reattach.c): every dead corralfs mount (ENOTCONN) in the
 * other mount namespaces replaced with the same path of the live mount at
 * @mountpoint; how many were.  Call once @mountpoint answers. */
unsigned reattach_dead_mounts(const char *mountpoint);
/* @mountpoint is a dead corralfs mount in the daemon's own namespace:
 * lazily unmounted (true), so a new daemon can mount there. */
bool reattach_clear_own(const char *mountpoint);

/* --------------------------------------------------------------- config */
struct fs_config {
	bool use_cpu_quota; /* --no-cpu-quota turns it off */
	bool debug;
};

/* ----------------------------------------------------------------- host */
/*
 * The host's files, parsed: an immutable snapshot.  host_snap_get() returns
 * a reference on the current one (never NULL after host_init), refreshing
 * it first, without blocking, when it is older than its period (1 s;
 * cpuinfo 10 s).  Drop it with host_snap_unref().  No lock is held
 * between the two: hold the reference as long as needed.
 */
struct host_cpuinfo_shared {
	gint refs;
	struct host_cpuinfo ci;
};
struct host_data {
	gint refs;
	struct host_mem mem;
	struct host_cpuinfo_shared *cpuinfo; /* shared by snapshots within 10 s */
	struct host_cpus cpus;
	struct host_stat stat;
	struct host_disks disks;
	char **cpudir;   /* names in /sys/devices/system/cpu (NULL-terminated) */
	long clk_tck;    /* sysconf(_SC_CLK_TCK) */
};
bool host_init(GError **err);
void host_fini(void);
const struct host_data *host_snap_get(void);
/* The current snapshot, never refreshing it (NULL before host_init). */
const struct host_data *host_snap_get_current(void);
void host_snap_unref(const struct host_data *h);
/* Raw text of a host file (/proc/NAME), for fallbacks; g_free the result. */
char *host_read_file(const char *path, GError **err);
/* Seconds since boot, CLOCK_BOOTTIME. */
double host_uptime(void);

/* ----------------------------------------------------------------- view */
/* What a file shows depends on the reader; these are the files. */
enum file_id {
	F_NONE,
	F_MEMINFO,
	F_CPUINFO,
	F_STAT,
	F_UPTIME,
	F_LOADAVG,
	F_DISKSTATS,
	F_SWAPS,
	F_PSI_CPU,
	F_PSI_MEMORY,
	F_PSI_IO,
	F_CPU_ONLINE,
	F_CPU_POSSIBLE,
	F_CPU_PRESENT,
	F_CPU_OFFLINE,
	F_STATIC, /* the FUSE floor for benchmarks: fixed text */
	F_NFILES
};

struct view; /* one reader's view: its container and that container's numbers */

bool view_init(const struct fs_config *cfg, GError **err);
void view_fini(void);
/* Log which hierarchy serves each controller. */
void view_log_layout(void);
/* Resolve the reader @pid to its view.  NULL + err when the reader is gone
 * or its cgroup cannot be read.  Release with view_put(). */
struct view *view_get(pid_t pid, GError **err);
void view_put(struct view *v);
/* Render @id for @v into @out.  false + err when the cgroup files could not
 * be read (the caller then answers with the host's file, never another
 * container's view). */
bool view_render(struct view *v, enum file_id id, GString *out, GError **err);
/* The visible CPUs of @v. */
bool view_cpus(struct view *v, struct cpuview *out, GError **err);
/* Text of @id when the reader's view is not available: the host's file. */
bool host_render(enum file_id id, GString *out, GError **err);
/*
 * Replace @out's content with @id as the reader @pid sees it: its view,
 * else (logged, rate-limited) the host's file.  0, or EIO when even the
 * host's file could not be read.
 */
int file_serve(enum file_id id, pid_t pid, GString *out);

/* Background work of the view cache: load averages, expiry. */
void view_sample_all(double dt_s);
#define SAMPLE_INTERVAL_S 5

bool sampler_start(GError **err);
void sampler_stop(void);

/* ------------------------------------------------------------------ ops */
struct fuse_lowlevel_ops;
extern const struct fuse_lowlevel_ops corral_ops;

#endif
