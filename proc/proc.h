/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/ — pure renderers.  A snapshot of cgroup numbers (cgroup/cgroup.h)
 * and the host's data in, text out.  No FUSE, no root, no file I/O: the
 * host's files are handed in as text (host_*_parse) by the caller, which
 * decides when to refresh them.
 */
#ifndef CORRAL_PROC_H
#define CORRAL_PROC_H

#include "cgroup/cgroup.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* ------------------------------------------------------------------ host */

/* /proc/meminfo of the host, in kB. */
struct host_mem {
	uint64_t mem_total_kb;
	uint64_t swap_total_kb;
	uint64_t swap_free_kb;
	uint64_t vmalloc_total_kb;
	uint64_t hugepagesize_kb;
	unsigned overcommit_ratio; /* /proc/sys/vm/overcommit_ratio, default 50 */
};
bool host_mem_parse(const char *meminfo_text, struct host_mem *out);

/* /proc/cpuinfo of the host split into per-processor blocks. */
struct host_cpuinfo {
	char *header;        /* text before the first "processor" block (arm64, s390); "" usually */
	unsigned nblocks;
	unsigned *cpu_id;    /* value of "processor" of each block */
	char **block;        /* each block's text, ending in "\n" without the blank line */
	char *trailer;       /* text after the last block (some arches); "" usually */
};
bool host_cpuinfo_parse(const char *cpuinfo_text, struct host_cpuinfo *out);
void host_cpuinfo_clear(struct host_cpuinfo *c);

/* The host CPUs: online mask from /sys/devices/system/cpu/online. */
struct host_cpus {
	struct cg_cpumask online;
	unsigned nonline;
};
bool host_cpus_parse(const char *online_text, struct host_cpus *out);

/* /proc/stat of the host: only the host-wide lines corral passes through. */
struct host_stat {
	uint64_t btime;
	char *intr_line;    /* "intr ...\n" or NULL */
	char *ctxt_line;    /* "ctxt ...\n" or NULL */
	char *softirq_line; /* "softirq ...\n" or NULL */
};
bool host_stat_parse(const char *stat_text, struct host_stat *out);
void host_stat_clear(struct host_stat *s);

/* /proc/diskstats of the host: device names by major:minor. */
struct host_disk {
	unsigned major, minor;
	char *name;
};
struct host_disks {
	size_t n;
	struct host_disk *d;
};
bool host_disks_parse(const char *diskstats_text, struct host_disks *out);
void host_disks_clear(struct host_disks *d);
const char *host_disks_name(const struct host_disks *d, unsigned major, unsigned minor);

/* ------------------------------------------------------------- cpu view */

/*
 * The CPUs a container sees: its cpuset's effective CPUs that are online
 * on the host, reduced to ceil(quota/period) of them when a CPU quota is
 * set and @use_quota.  Visible CPU i is host CPU phys[i].
 */
struct cpuview {
	unsigned n;
	unsigned phys[CG_MAX_CPUS];
};
void cpuview_compute(const struct cg_cpuset *cpuset, const struct cg_cpu *cpu,
		     const struct host_cpus *host, bool use_quota,
		     struct cpuview *out);

/* ------------------------------------------------------------ renderers */

/* proc/meminfo. */
void render_meminfo(const struct cg_memory *mem, const struct host_mem *host,
		    GString *out);
/* proc/swaps. */
void render_swaps(const struct cg_memory *mem, const struct host_mem *host,
		  GString *out);
/* proc/cpuinfo: the host blocks of the visible CPUs, renumbered from 0. */
void render_cpuinfo(const struct cpuview *v, const struct host_cpuinfo *host,
		    GString *out);
/* sys/devices/system/cpu/{online,possible,present}: "0-(n-1)\n". */
void render_cpu_range(const struct cpuview *v, GString *out);
/*
 * sys/devices/system/cpu/ listing: the names of @host_entries (the host
 * directory's entries) with every cpuN dropped and cpu0..cpu(n-1) added.
 * Appends g_strdup'ed names to @out.
 */
void render_cpu_dir(const struct cpuview *v, const char *const *host_entries,
		    GPtrArray *out);
/* "cpuN" -> host CPU number when N < v->n, else -1 (also for non-cpuN names). */
int cpuview_map_name(const struct cpuview *v, const char *name);

/*
 * proc/stat: "cpu" and "cpuN" lines for the visible CPUs from the cgroup's
 * CPU time (v1 per CPU folded onto the visible CPUs, v2 spread evenly),
 * idle = uptime - busy per CPU (never negative), then the host's intr,
 * ctxt, btime, the container's processes / procs_running /
 * procs_blocked, and the host's softirq.
 */
void render_stat(const struct cg_cputime *t, const struct cpuview *v,
		 const struct host_stat *host, double uptime_s,
		 const struct cg_tasks *tasks, GString *out);

/* proc/uptime: uptime and idle = uptime * ncpu - cpu_s (never negative). */
void render_uptime(double uptime_s, double cpu_s, unsigned ncpu, GString *out);

/* Load averages of one container, kept by the daemon's sampler. */
struct loadavg {
	double avg[3]; /* 1, 5, 15 minutes */
};
/* Fold @active (running + uninterruptible tasks) observed over @dt_s
 * seconds into the averages, like the kernel's calc_load. */
void loadavg_update(struct loadavg *la, unsigned active, double dt_s);
/* proc/loadavg: "a1 a5 a15 running/total last_pid\n". */
void render_loadavg(const struct loadavg *la, const struct cg_tasks *tasks,
		    GString *out);

/* proc/diskstats from the container's block I/O counters. */
void render_diskstats(const struct cg_blkio *io, const struct host_disks *host,
		      GString *out);

/* proc/pressure/{cpu,memory,io}. */
void render_pressure(const struct cg_psi *psi, GString *out);

/* ------------------------------------------------------------- helpers */

/*
 * Append @v rounded to two decimals as "I.FF", like the kernel's fixed-point
 * output (loadavg, uptime, pressure).  Independent of the C locale, unlike
 * printf's "%.2f".  Negative and non-finite values print as "0.00".
 */
void proc_append_fixed2(GString *out, double v);

#endif
