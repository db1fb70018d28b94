/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The container's own cgroup in every hierarchy: created, limited from
 * linux.resources, joined by the container's init, removed at the end.
 * Built on cgroup/ (which reads and writes cgroup files and knows nothing
 * of containers).
 */
#ifndef CORRAL_RUNTIME_CGROUPS_H
#define CORRAL_RUNTIME_CGROUPS_H

#include "cgroup/cgroup.h"
#include "runtime/spec/spec.h"

struct rt_cgroup;

/*
 * Create the cgroup @cgroups_path in every hierarchy corral uses (memory,
 * cpu, cpuacct, cpuset, blkio/io, pids, devices; the cgroup2 hierarchy on
 * v2 and hybrid hosts).  A relative path is taken below the caller's own
 * cgroup in each hierarchy, an absolute one from each hierarchy's root.
 * Missing parents are created (and removed again by rt_cgroup_destroy when
 * they are empty).  On v1 the cpuset's cpus and mems are copied from the
 * parent first; on v2 the needed controllers are enabled in the parents'
 * cgroup.subtree_control.  An existing cgroup of that path is an error.
 * Nothing is left behind on failure.
 */
struct rt_cgroup *rt_cgroup_create(const struct cg_layout *l, const char *cgroups_path,
				   GError **err);
/* Write linux.resources into the cgroup: memory, cpu, cpuset, pids and
 * devices (v1 devices.deny/allow; v2 a BPF_PROG_TYPE_CGROUP_DEVICE program
 * attached to the cgroup).  Errors name the file and the value. */
bool rt_cgroup_apply(struct rt_cgroup *cg, const struct rt_resources *res, GError **err);
/* `update`: like rt_cgroup_apply (devices left alone), but all or
 * nothing: when a write fails, the files written before it get their
 * old values back, and the error names the file that failed. */
bool rt_cgroup_update(struct rt_cgroup *cg, const struct rt_resources *res, GError **err);
/* Freeze (@frozen) or thaw every process of the cgroup and wait until
 * done: the v1 freezer hierarchy, else cgroup.freeze of the cgroup2 one. */
bool rt_cgroup_freeze(struct rt_cgroup *cg, bool frozen, GError **err);
/* Whether that freezer reads frozen (v1 FREEZING is not frozen). */
bool rt_cgroup_frozen(const struct rt_cgroup *cg, bool *frozen, GError **err);
/* The pids (pid_t, sorted) of the cgroup and its sub-cgroups, from the
 * pids hierarchy (else the first one). */
bool rt_cgroup_pids(const struct rt_cgroup *cg, GArray *pids, GError **err);
/* `kill --all`: @sig to every process of the cgroup and its sub-cgroups
 * (never the caller), none of them able to fork past it.  SIGKILL is
 * cg_kill_all() (v2 cgroup.kill, else freeze, kill, thaw until empty).
 * Any other signal: freeze (v1 freezer, else cgroup.freeze), signal every
 * listed pid, thaw; a cgroup frozen already (paused) stays frozen, its
 * processes get the signal once resumed.  A freeze that does not complete
 * (a task stuck in D) still lets the signals go, then is the error.
 * Errors name the pid or file. */
bool rt_cgroup_signal_all(struct rt_cgroup *cg, int sig, GError **err);
/* Move @pid into the cgroup in every hierarchy. */
bool rt_cgroup_attach(struct rt_cgroup *cg, pid_t pid, GError **err);
/* Kill what is left in the cgroup (thawing a frozen one), remove it (and the parents it created)
 * and free @cg.  Returns false + err if something could not be removed. */
bool rt_cgroup_destroy(struct rt_cgroup *cg, GError **err);
/*
 * A container's cgroup outlives the corral that made it (`corral create`,
 * then `delete` from another process): its state file keeps, per
 * hierarchy, the mount point, the path from the hierarchy's root and how
 * many levels that corral made, and a later corral reopens it from them.
 */
struct rt_cgroup_part {
	const char *mountpoint;
	const char *path;
	unsigned ncreated;
};
/* Fills @out (at most @max) with the parts of @cg (pointers into @cg);
 * returns how many. */
int rt_cgroup_parts(const struct rt_cgroup *cg, struct rt_cgroup_part *out, int max);
/* The cgroup of saved @parts, for rt_cgroup_destroy() (or attach/apply).
 * A part whose mount point is not in the layout is an error. */
struct rt_cgroup *rt_cgroup_reopen(const struct cg_layout *l, const struct rt_cgroup_part *parts,
				   int n, GError **err);
/* Free @cg and leave the cgroup as it is (it outlives this corral). */
void rt_cgroup_close(struct rt_cgroup *cg);
/* Directory of the cgroup in the hierarchy of @c (NULL if none), for
 * messages and tests. */
const char *rt_cgroup_dir(const struct rt_cgroup *cg, enum cg_ctrl c);

/* Conversions (exposed for unit tests). */
/* cpu.shares (v1, 2..262144) -> cpu.weight (v2, 1..10000): 1024 -> 100. */
uint64_t rt_shares_to_weight(uint64_t shares);

#endif
