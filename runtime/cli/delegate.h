/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral delegate`'s cgroups (delegate-cg.c): one cgroup in every mounted
 * hierarchy (every v1 one, named ones such as name=systemd included, and
 * the cgroup2 one), given to a user the way the kernel's cgroup v2
 * delegation model and systemd do: the directory and the files of
 * /sys/kernel/cgroup/delegate (plus v1's tasks) become the user's, every
 * other file, the limits among them, stays root's.
 */
#ifndef CORRAL_RUNTIME_CLI_DELEGATE_H
#define CORRAL_RUNTIME_CLI_DELEGATE_H

#include "runtime/cgroups/cgroups.h"

#define DG_MAX_HIER 20

/* The delegated cgroup in one hierarchy. */
struct dg_hier {
	struct cg_hier h;   /* the mount, opened here                          */
	char *key;          /* its name in /proc/self/cgroup: "memory",
			     * "cpu,cpuacct", "name=systemd"; "" for cgroup2    */
	char *base;         /* made below: the caller's own cgroup, or ""      */
	char *path;         /* the delegated cgroup, from the hierarchy's root */
	unsigned ncreated;  /* levels made here, the cgroup included           */
};

struct dg_set {
	struct dg_hier hier[DG_MAX_HIER];
	unsigned n;
	const char *name;   /* CGROUP as given, for messages                   */
};

/*
 * Every cgroup and cgroup2 mount of /proc/self/mountinfo (a hierarchy
 * mounted twice: its first mount) that /proc/self/cgroup names, opened,
 * with the cgroup @rel (components without '.', '..' or empty ones) below
 * the caller's own cgroup there, or below the root when @absolute.
 * Nothing is created.
 */
bool dg_open(struct dg_set *s, const char *name, const char *rel, bool absolute,
	     GError **err);
void dg_close(struct dg_set *s);
/*
 * Creates the cgroup in every hierarchy (an existing one: "creating cgroup
 * PATH: File exists", before anything is made), v1 cpuset's cpus and mems
 * copied from the parent, v2 controllers enabled from the base down;
 * writes @res with the runtime's code (rt_cgroup_apply); gives the
 * directory and the delegated files to @uid:@gid.  On failure everything
 * made is removed again.
 */
bool dg_create(struct dg_set *s, const struct rt_resources *res, uid_t uid, gid_t gid,
	       GError **err);
/* Moves @pid into the cgroup in every hierarchy (cgroup.procs). */
bool dg_join(const struct dg_set *s, pid_t pid, GError **err);
/*
 * Kills every process of the cgroup and its sub-cgroups and removes them
 * in every hierarchy.  A cgroup found in no hierarchy: "no delegated
 * cgroup NAME".
 */
bool dg_remove(struct dg_set *s, GError **err);
/* The files a delegatee owns: /sys/kernel/cgroup/delegate's list when it
 * can be read, else the kernel's list of today; v1's "tasks" added. */
char **dg_delegated_files(void);

#endif
