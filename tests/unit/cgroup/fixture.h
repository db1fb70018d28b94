/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening the fixture trees of tests/fixtures/cgroup-* in unit tests. */
#ifndef CORRAL_TEST_CGROUP_FIXTURE_H
#define CORRAL_TEST_CGROUP_FIXTURE_H

#include "cgroup/cgroup.h"

/* The fixture tree @name ("cgroup-v1", ...) under $FIXTURES. */
static inline char *fixture_dir(const char *name)
{
	const char *root = g_getenv("FIXTURES");

	g_assert_nonnull(root);
	return g_build_filename(root, name, NULL);
}

static inline void fixture_open(struct cg_layout *l, const char *name)
{
	g_autofree char *dir = fixture_dir(name);
	g_autofree char *mi = g_build_filename(dir, "mountinfo", NULL);
	g_autofree char *proc = g_build_filename(dir, "proc", NULL);
	g_autoptr(GError) err = NULL;

	g_assert_true(cg_layout_open_fixture(l, mi, dir, proc, &err));
	g_assert_no_error(err);
}

/* The cgroup paths of fixture pid @pid. */
static inline void fixture_paths(const struct cg_layout *l, pid_t pid,
				 struct cg_paths *p)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(cg_paths_of_pid(l, pid, p, &err));
	g_assert_no_error(err);
}

#endif
