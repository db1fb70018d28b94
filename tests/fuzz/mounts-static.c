/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime/process/mounts.c's text parsers are static: this file includes the
 * source so fuzz-cgroup can call them.  The fuzz target links this copy
 * instead of the library's mounts.o (the linker takes an archive member
 * only for a symbol still undefined, and this file defines them all).
 */
#include "runtime/process/mounts.c"

#include "tests/fuzz/mounts-static.h"

/* The host hierarchies of the mountinfo text @mountinfo and, as
 * own_cgroup_dir() does, the path each names in the /proc/self/cgroup
 * text @cgroup (0 when it is not one). */
unsigned fuzz_mounts_hiers(const char *mountinfo, const char *cgroup)
{
	g_autoptr(GPtrArray) hiers = hiers_of(mountinfo);
	g_autoptr(GArray) lines = cg_proc_cgroup_parse(cgroup, NULL);
	unsigned matches = 0;

	for (guint i = 0; lines && i < hiers->len; i++) {
		const char *path = cgroup_in(lines, hiers->pdata[i]);

		if (path && !strstr(cgroup, path))
			__builtin_trap(); /* a path is a part of the text */
		matches += path != NULL;
	}
	return matches;
}

/* An OCI mount's options (config.json "mounts[].options"). */
void fuzz_mounts_options(char **options)
{
	struct mnt_opts o;

	parse_options(&o, options);
	g_string_free(o.data, TRUE);
}
