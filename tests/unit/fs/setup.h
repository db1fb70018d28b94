/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon's caches for the fs/ unit tests, set up as corralfs does. */
#ifndef CORRAL_TEST_FS_SETUP_H
#define CORRAL_TEST_FS_SETUP_H

#include "fs/fs.h"
#include "fs/testing.h"

/* Logging, the host snapshot and the views (CPU quota on); the test
 * program stops with the error when one fails. */
static inline void fs_test_setup(void)
{
	struct fs_config cfg = { .use_cpu_quota = true };
	g_autoptr(GError) err = NULL;

	log_init(false, false);
	if (!host_init(&err) || !view_init(&cfg, &err))
		g_error("setting up: %s", err->message);
}

#endif
