/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Whose view a reader gets (fs/anchor.c): the anchor of a reader is the
 * process whose cgroup and start time define the reader's container.
 * Used by the reader cache (reader.c) and by tests/unit/fs.
 */
#ifndef CORRAL_FS_ANCHOR_H
#define CORRAL_FS_ANCHOR_H

#include "cgroup/cgroup.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A reader's anchor, found, pinned by a pidfd and checked (anchor_open). */
struct anchor {
	pid_t pid;            /* in the daemon's pid namespace */
	int pidfd;            /* of @pid; -1 when not open */
	bool pidns_init;      /* the init of a pid namespace (not a reader of
			       * the daemon's own namespace) */
	uint64_t start_ticks; /* its start time, when @pidns_init */
};

/*
 * The container rule: the container of a reader is the cgroup of the init
 * process of the reader's pid namespace; a reader in the daemon's own pid
 * namespace is its own container.  Sets *@anchor to the pid (in the
 * daemon's namespace) whose cgroup and start time define the container
 * and *@reader_ns to the inode of the reader's pid namespace.
 */
bool anchor_find(const struct cg_layout *l, pid_t reader, pid_t *anchor,
		 uint64_t *reader_ns, GError **err);
/*
 * Is @pidfd, opened on @anchor after anchor_find() found it, really the
 * reader's anchor?  The pid may have been reused in between.  True when
 * @anchor lives in the pid namespace @reader_ns, is its init (last NSpid
 * field 1) unless that is the daemon's own namespace, and the pidfd's
 * process is still alive after those reads (so they were about it).
 * False + err (CG_ERROR_NOENT) otherwise: then trust nothing of it.
 */
bool anchor_check(const struct cg_layout *l, int pidfd, pid_t anchor,
		  uint64_t reader_ns, GError **err);
/*
 * Find the anchor of reader @reader (whose pid namespace is @ns), pin it
 * with a pidfd, check it (anchor_check) and read its start time.  On
 * failure @a may hold an open pidfd: anchor_close() it in any case.
 */
bool anchor_open(const struct cg_layout *l, pid_t reader, uint64_t ns,
		 struct anchor *a, GError **err);
void anchor_close(struct anchor *a);

/* The inode of the pid namespace of @pid (<procfs>/PID/ns/pid). */
bool pidns_of(const struct cg_layout *l, pid_t pid, uint64_t *ns,
	      GError **err);
/* The process of @pidfd has not exited (one poll()). */
bool pidfd_alive(int pidfd);

#endif
