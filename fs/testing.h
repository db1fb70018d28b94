/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test hooks of fs/ (tests/unit/fs).  The daemon never calls these; they let
 * a unit test shorten periods, open race windows and see inside a view.
 */
#ifndef CORRAL_FS_TESTING_H
#define CORRAL_FS_TESTING_H

#include "fs/fs.h"

/* Refresh period of the host data (default 1 s). */
void host_test_set_ttl(gint64 us);
/* Number of host snapshots built so far. */
unsigned host_test_refreshes(void);

/* Called in anchor_open (fs/anchor.c) between finding the anchor pid and
 * opening its pidfd, with the anchor pid: a test may make the anchor exit
 * or change the pid here, as a recycled pid would. */
extern void (*view_test_before_pidfd)(pid_t *anchor);
/* The anchor process of @v (the pid its pidfd refers to). */
pid_t view_test_anchor(const struct view *v);

/* Called before a cgroup part of a container is read from its files, with
 * the part's index (fs/view.h's enum part_id: 7 is the task walk): a test
 * may sleep here to play a slow read. */
extern void (*view_test_before_part_read)(int part);
#define VIEW_TEST_PART_TASKS 7

/* Move the rate limiter's clock forward by @us. */
void log_test_advance(gint64 us);

#endif
