/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup/ — everything corral knows about cgroups, and nothing about /proc
 * formats or FUSE.
 *
 *  - layout:    which hierarchy (v1 or v2) each controller is bound to, each
 *               opened once as a directory fd; every read is an openat().
 *  - paths:     a pid's cgroup in each hierarchy (/proc/PID/cgroup).
 *  - procinfo:  a process's start time and innermost pid (<procfs>/PID),
 *               a cgroup's start time.  (Which process's cgroup a reader
 *               sees is the daemon's rule: fs/anchor.c.)
 *  - snapshot:  the numbers the renderers need, one reader per part, each
 *               limit being the minimum over the cgroup and its ancestors.
 *
 * Errors are reported through GError (domain CG_ERROR) with a message that
 * names the file or cgroup involved.
 */
#ifndef CORRAL_CGROUP_H
#define CORRAL_CGROUP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The parsers of kernel text (mountinfo, /proc/PID/cgroup, stat, status). */
#include "cgroup/kernel.h"

#define CG_ERROR (cg_error_quark())
GQuark cg_error_quark(void);

enum cg_error_code {
	CG_ERROR_IO,        /* a file could not be opened or read (errno in message) */
	CG_ERROR_PARSE,     /* a file had unexpected content */
	CG_ERROR_NOENT,     /* a pid or cgroup does not exist (any more) */
	CG_ERROR_LAYOUT,    /* no usable cgroup hierarchy / controller missing */
	CG_ERROR_BUSY,      /* EBUSY from a write or rmdir (write.c): the cgroup
			     * has processes (or, for rmdir, children) */
};

/*
 * The one reader of kernel files (and fixtures): the whole of @path (or
 * of @rel under the directory fd @dirfd, @base naming @dirfd in
 * messages), read until read(2) returns 0, EINTR retried.  A short read
 * is never taken for the end: seq_files with many records (/proc/PID/maps,
 * mountinfo, cgroup.procs, tasks) give about one page per read().
 * Returns the NUL-terminated text (g_free) and its length in *@len (may
 * be NULL), or NULL with "reading <path>: <strerror>" (CG_ERROR_NOENT for
 * ENOENT/ESRCH, CG_ERROR_IO otherwise).
 */
char *cg_read_file(const char *path, size_t *len, GError **err);
char *cg_read_file_at(int dirfd, const char *base, const char *rel,
		      size_t *len, GError **err);

/* "no limit" for every byte/count limit below */
#define CG_UNLIMITED UINT64_MAX

/* The controllers (and pseudo controllers) corral reads. */
enum cg_ctrl {
	CG_MEMORY,
	CG_CPU,      /* v1 cpu (cfs quota, shares) / v2 cpu.max, cpu.weight     */
	CG_CPUACCT,  /* v1 cpuacct (CPU time) / v2 cpu.stat                     */
	CG_CPUSET,
	CG_IO,       /* v1 blkio / v2 io                                       */
	CG_PIDS,
	CG_PSI,      /* hierarchy holding *.pressure files: cgroup2 only       */
	CG_NCTRL
};

const char *cg_ctrl_name(enum cg_ctrl c);

enum cg_layout_kind {
	CG_LAYOUT_V1,     /* only v1 hierarchies                                */
	CG_LAYOUT_V2,     /* one cgroup2 hierarchy holds all controllers        */
	CG_LAYOUT_HYBRID, /* v1 controllers plus a cgroup2 mount                */
};

/* One mounted hierarchy, opened once. */
struct cg_hier {
	int dirfd;        /* O_PATH|O_DIRECTORY fd of the mount point          */
	bool v2;          /* cgroup2 hierarchy                                  */
	char *mountpoint; /* as found (with the layout's prefix)                */
};

struct cg_layout {
	enum cg_layout_kind kind;
	/* For each controller: index into hier[], or -1 if not available. */
	int ctrl[CG_NCTRL];
	struct cg_hier hier[16];
	int nhier;
	/* Index of the cgroup2 hierarchy in hier[], -1 if none. */
	int unified;
	/* Prefix for /proc reads ("" on a real host, a fixture dir in tests). */
	char *procfs; /* e.g. "/proc" */
	/* Added by the cgroup/ module: @procfs opened once (O_PATH), every
	 * /proc read is an openat() on it; and the daemon's own pid
	 * namespace inode (<procfs>/self/ns/pid, 0 if unknown), read once
	 * at open so fs/anchor.c's rule needs no shared mutable state. */
	int procfd;
	uint64_t self_pidns;
};

/*
 * Detect the host's layout from the real mount table
 * (/proc/self/mountinfo) and open every hierarchy once.
 */
bool cg_layout_open(struct cg_layout *l, GError **err);
/*
 * Same from a mountinfo-format file, every mount point prefixed by
 * @prefix, /proc reads going to @procfs.  Used by unit tests on fixture
 * trees.
 */
bool cg_layout_open_fixture(struct cg_layout *l, const char *mountinfo_path,
			    const char *prefix, const char *procfs,
			    GError **err);
void cg_layout_close(struct cg_layout *l);
const char *cg_layout_kind_name(enum cg_layout_kind k);
/* The hierarchy of @c or NULL when the controller is not mounted. */
const struct cg_hier *cg_layout_hier(const struct cg_layout *l, enum cg_ctrl c);

/* A pid's cgroup per controller: paths relative to the hierarchy root,
 * without a leading '/', "" for the root cgroup, NULL when unavailable. */
struct cg_paths {
	char *path[CG_NCTRL];
};

bool cg_paths_of_pid(const struct cg_layout *l, pid_t pid,
		     struct cg_paths *out, GError **err);
/* Parse the text of /proc/PID/cgroup. */
bool cg_paths_parse(const struct cg_layout *l, const char *text,
		    struct cg_paths *out, GError **err);
void cg_paths_clear(struct cg_paths *p);
void cg_paths_copy(struct cg_paths *dst, const struct cg_paths *src);
bool cg_paths_equal(const struct cg_paths *a, const struct cg_paths *b);

/* The last entry of the NSpid line of /proc/@pid/status: @pid in its own
 * pid namespace (1 for that namespace's init). */
bool cg_proc_nspid(const struct cg_layout *l, pid_t pid, int64_t *out,
		   GError **err);
/* Field 22 of the host's /proc/@pid/stat (no layout: for the runtime), 0
 * when the process is gone; *@zombie: it is a zombie (Z or X). */
uint64_t cg_pid_start_time(pid_t pid, bool *zombie);
/* Start time of @pid in clock ticks after boot (/proc/PID/stat field 22). */
bool cg_proc_starttime(const struct cg_layout *l, pid_t pid, uint64_t *ticks,
		       GError **err);
/*
 * Earliest start time among the processes of a cgroup (used as the start
 * of a host-namespace reader's "container").  Uses @c's hierarchy.
 */
bool cg_cgroup_starttime(const struct cg_layout *l, const struct cg_paths *p,
			 uint64_t *ticks, GError **err);

/* ---------------------------------------------------------------------
 * Snapshot parts.  Every part has `valid`: false when its controller is not
 * available (the renderer then falls back to host values for that part and
 * says so in the daemon's log, never another container's values).
 */

struct cg_memory {
	bool valid;
	uint64_t limit;       /* bytes, min over ancestors, CG_UNLIMITED */
	uint64_t usage;       /* bytes (v1 usage_in_bytes, v2 memory.current) */
	bool swap_accounting; /* swap limit/usage files exist */
	uint64_t swap_limit;  /* swap alone (v1 memsw - mem), min over ancestors */
	uint64_t swap_usage;  /* swap alone (v1 memsw.usage - usage) */
	int swappiness;       /* v1 memory.swappiness (min over ancestors), -1 on v2 */
	/* memory.stat, hierarchical (v1 total_*), in bytes */
	uint64_t file;        /* v1 cache, v2 file */
	uint64_t anon;        /* v1 rss, v2 anon */
	uint64_t shmem;
	uint64_t file_mapped;
	uint64_t file_dirty;
	uint64_t file_writeback;
	uint64_t swapcached;
	uint64_t active_anon;
	uint64_t inactive_anon;
	uint64_t active_file;
	uint64_t inactive_file;
	uint64_t unevictable;
	uint64_t anon_thp;
	uint64_t slab_reclaimable;   /* 0 on v1 (not in memory.stat) */
	uint64_t slab_unreclaimable; /* 0 on v1 */
	uint64_t kernel_stack;       /* 0 on v1 */
	uint64_t pagetables;         /* 0 on v1 */
	uint64_t kmem_usage;         /* v1 memory.kmem.usage_in_bytes, v2 "kernel" */
};

struct cg_cpu {
	bool valid;
	/* The most restrictive quota/period over the cgroup and its ancestors
	 * (smallest quota/period ratio); quota_us < 0 means no quota. */
	int64_t quota_us;
	uint64_t period_us;
	uint64_t shares; /* v1 cpu.shares; v2 cpu.weight converted to shares */
};

#define CG_MAX_CPUS 4096
struct cg_cpumask {
	uint64_t bits[CG_MAX_CPUS / 64];
};
static inline bool cg_cpumask_test(const struct cg_cpumask *m, unsigned cpu)
{
	return cpu < CG_MAX_CPUS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}
static inline void cg_cpumask_set(struct cg_cpumask *m, unsigned cpu)
{
	if (cpu < CG_MAX_CPUS)
		m->bits[cpu / 64] |= (uint64_t)1 << (cpu % 64);
}
unsigned cg_cpumask_count(const struct cg_cpumask *m);
/* Parse a kernel cpu list ("0-3,5,7-8\n"); false on garbage. */
bool cg_cpumask_parse(const char *text, struct cg_cpumask *out);

struct cg_cpuset {
	bool valid;
	struct cg_cpumask cpus; /* effective CPUs */
};

struct cg_cputime {
	bool valid;
	uint64_t usage_ns;  /* total */
	uint64_t user_ns;
	uint64_t system_ns;
	/* v1 only: per host CPU (index = host cpu id), NULL on v2 */
	unsigned ncpu;
	uint64_t *percpu_user_ns;
	uint64_t *percpu_system_ns;
};

struct cg_blkdev {
	unsigned major, minor;
	uint64_t read_bytes, write_bytes, discard_bytes;
	uint64_t read_ios, write_ios, discard_ios;
};

struct cg_blkio {
	bool valid;
	size_t ndev;
	struct cg_blkdev *dev; /* g_new; sorted by (major, minor) */
};

struct cg_psi_line {
	double avg10, avg60, avg300;
	uint64_t total_us;
};

struct cg_psi {
	bool valid;
	bool has_full;
	struct cg_psi_line some, full;
};

enum cg_psi_kind { CG_PSI_CPU, CG_PSI_MEMORY, CG_PSI_IO, CG_PSI_N };

/* Task states of a cgroup, for loadavg and /proc/stat's procs_* lines. */
struct cg_tasks {
	bool valid;
	unsigned nr_running;  /* tasks (threads) in state R */
	unsigned nr_blocked;  /* tasks (threads) in state D */
	unsigned nr_threads;  /* all threads */
	unsigned nr_procs;    /* thread-group leaders (processes) */
	pid_t last_pid;       /* highest tid seen, in the daemon's pid ns */
	/* /proc/stat "processes": threads started since the first walk on
	 * this struct, never going down (docs/proc-stat.md).  Carried from
	 * one cg_read_tasks() on the same struct to the next. */
	uint64_t forks;
	uint64_t fork_mark;   /* latest thread start time seen (ticks) */
	pid_t fork_mark_tid;  /* the highest tid seen that started then */
};

/* Each reader fills one part from @p; false + err when the files exist but
 * cannot be read or parsed.  A controller that is not mounted gives
 * valid=false and returns true. */
bool cg_read_memory(const struct cg_layout *l, const struct cg_paths *p,
		    struct cg_memory *out, GError **err);
bool cg_read_cpu(const struct cg_layout *l, const struct cg_paths *p,
		 struct cg_cpu *out, GError **err);
bool cg_read_cpuset(const struct cg_layout *l, const struct cg_paths *p,
		    struct cg_cpuset *out, GError **err);
bool cg_read_cputime(const struct cg_layout *l, const struct cg_paths *p,
		     struct cg_cputime *out, GError **err);
void cg_cputime_clear(struct cg_cputime *t);
bool cg_read_blkio(const struct cg_layout *l, const struct cg_paths *p,
		   struct cg_blkio *out, GError **err);
void cg_blkio_clear(struct cg_blkio *b);
bool cg_read_psi(const struct cg_layout *l, const struct cg_paths *p,
		 enum cg_psi_kind kind, struct cg_psi *out, GError **err);
/* Walks the cgroup's task list and /proc/TID/stat: cost grows with the
 * tasks of this cgroup only.  @out is in/out: zero it before the first
 * call; each later call on it adds the threads started since the last
 * one to out->forks (kept as it was when the walk fails). */
bool cg_read_tasks(const struct cg_layout *l, const struct cg_paths *p,
		   struct cg_tasks *out, GError **err);

/* Parsers shared by the readers (exposed for unit tests). */
bool cg_parse_u64_or_max(const char *text, uint64_t *out);       /* "max" -> CG_UNLIMITED */
bool cg_parse_psi(const char *text, struct cg_psi *out);
/* Look up @key in a "key value\n" file's text (memory.stat, cpu.stat). */
bool cg_parse_keyed_u64(const char *text, const char *key, uint64_t *out);

/* ---------------------------------------------------------------------
 * Writing (write.c): creating, configuring, joining and removing cgroups.
 * Paths are relative to the hierarchy's root ("" is the root cgroup), and
 * every operation is relative to the hierarchy's directory fd (mkdirat,
 * openat, unlinkat).  Errors name the full path, and writes the value.
 */

/* Called by cg_create() for @base (made = false) and then for each level
 * of the new cgroup, top down, once it exists: @made when cg_create()
 * made it, @last for the cgroup itself.  E.g. to copy a v1 cpuset's
 * values into a new level, or to enable v2 controllers in a level before
 * its child is made. */
typedef bool (*cg_level_fn)(const struct cg_hier *h, const char *path,
			    bool made, bool last, void *ctx, GError **err);

/*
 * Creates the cgroup @base/@rel (@base must exist, @rel is one or more
 * components), making missing intermediate levels.  The cgroup itself
 * must not exist yet.  *@ncreated: how many trailing levels were made
 * (the cgroup included).  On failure every level made is removed again.
 */
bool cg_create(const struct cg_hier *h, const char *base, const char *rel,
	       cg_level_fn fn, void *ctx, unsigned *ncreated, GError **err);
/* Writes @value to @path/@file (one write()); the error reads
 * "writing '300x' to /sys/fs/cgroup/memory/a/memory.limit_in_bytes:
 * Invalid argument" (CG_ERROR_NOENT for a missing file, CG_ERROR_BUSY for
 * EBUSY). */
bool cg_write(const struct cg_hier *h, const char *path, const char *file,
	      const char *value, GError **err);
/* Reads @path/@file whole (NUL-terminated, g_free). */
bool cg_read_value(const struct cg_hier *h, const char *path,
		   const char *file, char **text, GError **err);
bool cg_file_exists(const struct cg_hier *h, const char *path,
		    const char *file);
/* Copies @file from the parent of @path into @path (v1 cpuset.cpus and
 * cpuset.mems start empty in a new cgroup). */
bool cg_copy_from_parent(const struct cg_hier *h, const char *path,
			 const char *file, GError **err);
/* Moves @pid (the whole process) into @path: cgroup.procs. */
bool cg_attach(const struct cg_hier *h, const char *path, pid_t pid,
	       GError **err);
/* Appends the pids of @path (not of its sub-cgroups) to @pids (pid_t). */
bool cg_list_pids(const struct cg_hier *h, const char *path, GArray *pids,
		  GError **err);
/* Enables in @path's cgroup.subtree_control (v2) those of @names that
 * @path's cgroup.controllers offers and are not enabled yet.  EBUSY (the
 * no-internal-processes rule) gives CG_ERROR_BUSY. */
bool cg_enable_controllers(const struct cg_hier *h, const char *path,
			   const char *const *names, GError **err);
/* SIGKILLs every process of @path and its sub-cgroups, never the caller.
 * v2 with cgroup.kill: that one write.  Otherwise rounds of: freeze,
 * SIGKILL every listed pid, thaw, until a listing shows no process.  The
 * freezer is @freezer/@fpath (v1: the same processes' cgroup in the
 * freezer hierarchy; NULL for none), else @h/@path itself when it can
 * freeze (v1 freezer hierarchy, v2 cgroup.freeze); nothing is frozen
 * when the caller is listed in @path.  After
 * CG_KILL_WAIT_US: CG_ERROR_BUSY "killing the processes of <cgroup>: N
 * still there after 5 s". */
#define CG_KILL_WAIT_US (5 * G_USEC_PER_SEC)
bool cg_kill_all(const struct cg_hier *h, const char *path,
		 const struct cg_hier *freezer, const char *fpath, GError **err);
/* Removes @path and its sub-cgroups, deepest first, retrying EBUSY for
 * about a second while the last tasks exit.  A missing @path is fine. */
bool cg_remove(const struct cg_hier *h, const char *path, GError **err);
/* Best effort: removes up to @n parents of @path, nearest first, while
 * they are empty (EBUSY/ENOTEMPTY: in use by someone else, stop). */
void cg_remove_parents(const struct cg_hier *h, const char *path, unsigned n);

/* ---------------------------------------------------------------------
 * Freezing (freeze.c): v1 freezer.state, v2 cgroup.freeze/cgroup.events.
 * @h decides which: a v1 hierarchy must be the freezer's.
 */
enum cg_freeze_state { CG_THAWED, CG_FREEZING, CG_FROZEN };

/* Asks for @frozen and waits (about 2 s at most) until the cgroup is in
 * that state; a freeze that does not complete is undone, and the error
 * says "freezing <file>: still FREEZING after 2 s". */
bool cg_freeze(const struct cg_hier *h, const char *path, bool frozen,
	       GError **err);
/* The current state (v2 has no FREEZING: "frozen 0" is CG_THAWED). */
bool cg_freeze_state(const struct cg_hier *h, const char *path,
		     enum cg_freeze_state *out, GError **err);
/* Fills @pids (pid_t, cleared first) with the processes of @path and of
 * its sub-cgroups, sorted, each once. */
bool cg_list_pids_recursive(const struct cg_hier *h, const char *path,
			    GArray *pids, GError **err);

/*
 * A v1 hierarchy the layout does not track (e.g. "devices"): found in
 * <procfs>/self/mountinfo, its mount point prefixed like the layout's own
 * mounts, opened as *@out; *@path is @pid's cgroup in it (from
 * <procfs>/PID/cgroup).  When no v1 hierarchy holds @controller, true with
 * out->dirfd = -1 and *@path = NULL.  Release with cg_hier_clear().
 */
bool cg_v1_hier_open(const struct cg_layout *l, const char *controller,
		     pid_t pid, struct cg_hier *out, char **path,
		     GError **err);
void cg_hier_clear(struct cg_hier *h);

/* =====================================================================
 * The delegated tree: what corralfs's MOUNTPOINT/cgroup stands on.  The
 * kernel's cgroup v2 delegation rules (Documentation/admin-guide/
 * cgroup-v2.rst, "Delegation"), decided by the daemon for the caller on
 * v1 and v2 hierarchies alike, since the daemon itself writes as root and
 * the kernel's own checks never fire for it (docs/cgroup-tree.md).
 *
 * Every path below is relative to a hierarchy's root ("" is the root
 * cgroup), with no leading or trailing '/'.  A reader's view of a
 * hierarchy is rooted at @root: nothing outside it exists for that reader.
 * Functions returning int give 0 or the errno the kernel would give.
 */

/* ---- credentials (creds.c) */

/* Who asks: a FUSE request's thread, fsuid, fsgid and all its groups. */
struct cg_creds {
	pid_t pid;       /* the caller's thread id, in the daemon's pid namespace */
	pid_t tgid;      /* its process (thread group) */
	uid_t uid;       /* fsuid */
	gid_t gid;       /* fsgid */
	unsigned ngroups;
	gid_t *groups;   /* supplementary groups (g_new; cg_creds_clear) */
};

/* @pid's thread group and supplementary groups from /proc/@pid/status
 * (the "Tgid:" and "Groups:" lines), with @uid/@gid as given by FUSE. */
bool cg_creds_of(pid_t pid, uid_t uid, gid_t gid, struct cg_creds *out,
		 GError **err);
void cg_creds_clear(struct cg_creds *c);
void cg_creds_copy(struct cg_creds *dst, const struct cg_creds *src);
/*
 * The calling thread acts as @c for file access until cg_creds_leave():
 * its fsuid, fsgid and supplementary groups become @c's (per-thread raw
 * syscalls: glibc's setgroups() would change every thread).  The kernel
 * then checks permissions and sets the owner of what mkdir creates
 * exactly as for @c.  cg_creds_leave() restores fsuid/fsgid 0 and the
 * daemon's own groups.  Never keep a thread impersonating across a
 * return to the FUSE loop.
 */
bool cg_creds_enter(const struct cg_creds *c, GError **err);
void cg_creds_leave(void);

/* ---- pid namespaces (pidns.c) */

/* @pid (daemon's pid namespace; a thread id too) as the pid namespace
 * @nsfd numbers it; 0 when it has no number there (what the kernel shows
 * in cgroup.procs for a task outside the reader's namespace). */
pid_t cg_pid_to_ns(int nsfd, pid_t pid);
/* Task @vpid of the pid namespace @nsfd (a thread id too), in the
 * daemon's pid namespace, in *@out: 0, or ESRCH when there is none. */
int cg_pid_from_ns(int nsfd, pid_t vpid, pid_t *out);
/* /proc/@pid/cgroup as a process inside @pid's cgroup namespace reads it
 * (paths relative to that namespace's roots), g_free; NULL + err. */
char *cg_cgns_proc_cgroup(pid_t pid, GError **err);

/* ---- the rules (deleg.c): pure functions, unit-tested as tables */

struct cg_fattr {
	uid_t uid;
	gid_t gid;
	mode_t mode;
};

/* May @c access a file of @a for @mask (R_OK | W_OK | X_OK)?  The
 * kernel's generic DAC: owner class by fsuid, group class by fsgid or any
 * supplementary group, else other; fsuid 0 passes (CAP_DAC_OVERRIDE:
 * X on a regular file only with some x bit).  0 or EACCES. */
int cg_dac(const struct cg_creds *c, const struct cg_fattr *a, bool dir,
	   int mask);
/* @path is @root or below it, component by component ("a/c1" is not
 * below "a/c"). */
bool cg_path_within(const char *root, const char *path);
/* The nearest common ancestor of two cgroups (g_free). */
char *cg_common_ancestor(const char *a, const char *b);
/* 0 when @name may be a cgroup's name; EINVAL for "", ".", "..", a name
 * with '/' or longer than NAME_MAX; EEXIST for a name an interface file
 * of @path's hierarchy could have ("tasks", "notify_on_release",
 * "release_agent", "cgroup.*" and "CTRL.*" of a controller named in
 * @controllers, a comma list like "cpu,cpuacct" or "" for cgroup2, where
 * any "<word>.<word>" with a known controller prefix counts). */
int cg_name_check(const char *name, const char *controllers);
/* Files a delegatee may write at its own delegation root (the kernel's
 * CFTYPE_NS_DELEGATABLE ones: cgroup.procs, cgroup.threads,
 * cgroup.subtree_control, memory.oom.group, memory.reclaim; on v1 tasks
 * too, and cgroup.clone_children/notify_on_release are not). */
bool cg_file_delegatable(const char *name);
/* Opening @file of @path for writing in a view rooted at @root: EPERM
 * when @path is @root, the view is not the whole hierarchy (@root is not
 * "") and the file is not delegatable (nsdelegate: writes to the root's
 * other files fail with EPERM); else 0.  (The DAC check on the file
 * itself is separate.) */
int cg_root_write_check(const char *root, const char *path,
			const char *file);
/* One write(2) to cgroup.procs/cgroup.threads/tasks, as the kernel
 * parses it: at most 4096 bytes (else E2BIG), surrounding blanks
 * stripped, one integer in base 0 (decimal, 0x.., 0..; else EINVAL); 0
 * means the writer itself.  0 + *@out, or the errno. */
int cg_parse_pid_write(const char *buf, size_t len, pid_t *out);

/* Moving a process (or thread) from @src to @dst by a writer whose view
 * is rooted at @root: the kernel's cgroup_procs_write_permission() order. */
struct cg_move {
	const char *root;
	const char *src;
	const char *dst;
	/* cgroup.procs of the nearest common ancestor of @src and @dst */
	struct cg_fattr common_procs;
	bool daemon;     /* the task is one of the daemon's own */
};
/* EPERM for the daemon's own tasks; EACCES when @c may not write the
 * common ancestor's cgroup.procs; ENOENT when @src or @dst is outside
 * @root; else 0.  (Write access to @dst's file was checked at open.) */
int cg_may_move(const struct cg_creds *c, const struct cg_move *m);

/* ---- effective limits at a view's root (effective.c) */

/*
 * The text @file of cgroup @path shows at the root of a view: what binds
 * its processes, the minimum over @path and its ancestors, in the file's
 * own format: memory.limit_in_bytes, memory.memsw.limit_in_bytes,
 * memory.max, memory.swap.max, pids.max, cpu.cfs_quota_us (the smallest
 * quota/period ratio rescaled to @path's cpu.cfs_period_us), cpu.max
 * (same, "max PERIOD" when none), cpuset.cpus and cpuset.mems (the
 * effective_cpus / effective_mems).  True with *@text NULL for any other
 * file (served as it is).
 */
bool cg_effective_text(const struct cg_hier *h, const char *path,
		       const char *file, char **text, GError **err);

/* ---- the tree (tree.c): hierarchies as /sys/fs/cgroup names them */

#define CG_TREE_MAX 16
struct cg_tree_hier {
	char *name;   /* directory in the tree: "memory", "cpu,cpuacct",
		       * "systemd", "unified"; "" when the tree is one v2
		       * hierarchy (a v2 host) */
	char *key;    /* its /proc/PID/cgroup name: "memory", "cpu,cpuacct",
		       * "name=systemd", "" for cgroup2 */
	struct cg_hier h;
};
struct cg_tree_link {
	char *name;   /* "cpu" */
	char *target; /* "cpu,cpuacct" */
};
struct cg_tree {
	bool unified_only; /* a v2 host: the tree is that hierarchy itself */
	unsigned n;
	struct cg_tree_hier hier[CG_TREE_MAX];
	unsigned nlinks;
	struct cg_tree_link link[CG_TREE_MAX];
};

/* The cgroup and cgroup2 mounts at /sys/fs/cgroup/NAME (or at
 * /sys/fs/cgroup itself on a v2 host), each opened once, and the
 * symlinks beside them that point to one of them. */
bool cg_tree_open(struct cg_tree *t, GError **err);
/* The same from a mountinfo file, mount points under @prefix. */
bool cg_tree_open_fixture(struct cg_tree *t, const char *mountinfo_path,
			  const char *prefix, GError **err);
void cg_tree_close(struct cg_tree *t);

/* One path per hierarchy of a tree, index as in cg_tree.hier. */
struct cg_roots {
	char *path[CG_TREE_MAX];
};
void cg_roots_clear(struct cg_roots *r);
void cg_roots_copy(struct cg_roots *dst, const struct cg_roots *src);
/* @pid's cgroup in each hierarchy (/proc/PID/cgroup as the daemon reads
 * it); CG_ERROR_NOENT when @pid is gone. */
bool cg_tree_cgroups_of(const struct cg_tree *t, pid_t pid,
			struct cg_roots *out, GError **err);
/* The same from the text of a /proc/PID/cgroup (for tests): every
 * hierarchy must have its line (CG_ERROR_PARSE), a path out of the
 * reader's cgroup namespace ("/..") gives CG_ERROR_NOENT. */
bool cg_tree_cgroups_parse(const struct cg_tree *t, const char *text,
			   struct cg_roots *out, GError **err);
/* The roots of @pid's cgroup namespace: its cgroups as the daemon sees
 * them less the paths it has inside its namespace
 * (cg_cgns_proc_cgroup). */
bool cg_tree_cgns_roots(const struct cg_tree *t, pid_t pid,
			struct cg_roots *out, GError **err);

/* Operations on a hierarchy @th for a caller @c whose view is rooted at
 * @root.  @path: a cgroup, or a cgroup's interface file; outside @root
 * gives ENOENT.  Every path is opened beneath the hierarchy's directory
 * fd without following symlinks (openat2 RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), and every syscall that
 * touches the hierarchy runs with @c's credentials (cg_creds_enter), so
 * the kernel decides permissions and ownership as it would for @c. */
int cg_tree_stat(const struct cg_tree_hier *th, const char *root,
		 const char *path, struct stat *st);
/* The entries of cgroup @path: child cgroups (S_IFDIR) and interface
 * files (S_IFREG), names g_strdup'ed into @names, types into @types
 * (mode_t).  Needs R on the directory. */
int cg_tree_list(const struct cg_tree_hier *th, const char *root,
		 const char *path, const struct cg_creds *c,
		 GPtrArray *names, GArray *types);
/* mkdir / rmdir of cgroup @path (W+X on its parent; the new cgroup and
 * all its files owned by @c; rmdir: EBUSY with children or tasks, never
 * recursive; the view's root itself: EBUSY for rmdir, EEXIST for
 * mkdir). */
int cg_tree_mkdir(const struct cg_tree_hier *th, const char *root,
		  const char *path, const struct cg_creds *c);
int cg_tree_rmdir(const struct cg_tree_hier *th, const char *root,
		  const char *path, const struct cg_creds *c);
/* chmod (@mode, or (mode_t)-1 to keep) and chown (@uid/@gid, -1 to
 * keep) of @path, as @c (owner for chmod, CAP_CHOWN for chown: a
 * non-root caller gets EPERM). */
int cg_tree_setattr(const struct cg_tree_hier *th, const char *root,
		    const char *path, const struct cg_creds *c, mode_t mode,
		    uid_t uid, gid_t gid);

/* An open interface file: the opener's credentials and pid namespace
 * kept, its content read once at open when opened for reading. */
struct cg_tree_file;
/*
 * Opens @path (an interface file) with @flags (O_RDONLY, O_WRONLY,
 * O_RDWR; O_TRUNC is accepted and does nothing) for @c, whose pid
 * namespace is @pidns_fd (duplicated).  A readable open snapshots the
 * text: at @root, the effective limits (cg_effective_text); pid files
 * (cgroup.procs, cgroup.threads, tasks) in @c's pid namespace, one pid
 * per line, a task outside it left out on v1 and 0 on v2 (the kernel's
 * own listing).
 */
int cg_tree_file_open(const struct cg_tree_hier *th, const char *root,
		      const char *path, int flags, const struct cg_creds *c,
		      int pidns_fd, struct cg_tree_file **out);
/* The snapshot (empty for a write-only open). */
const char *cg_tree_file_text(const struct cg_tree_file *f, size_t *len);
/*
 * One write(2) of @buf to the real file, the kernel's errno passed
 * through: more than 4096 bytes gives E2BIG; at a view's root only
 * delegatable files (cg_root_write_check, EPERM); pid files take one pid
 * of the opener's namespace, translated (cg_pid_from_ns; ESRCH), moved
 * only when cg_may_move() allows it (cgroup.procs and cgroup.threads
 * move the thread group or thread as the kernel does; v1 tasks moves one
 * thread).
 */
int cg_tree_file_write(struct cg_tree_file *f, const char *buf, size_t len);
void cg_tree_file_close(struct cg_tree_file *f);

#endif
