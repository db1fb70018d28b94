/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime/mounts.c's text parsers are static: this file includes the
 * source so fuzz-cgroup can call them.  The fuzz target links this copy
 * instead of the library's mounts.o (the linker takes an archive member
 * only for a symbol still undefined, and this file defines them all).
 */
#include "runtime/process/mounts.c"

#include "tests/fuzz/mounts-static.h"

/* The host hierarchies of the mountinfo @lines and, as own_cgroup_dir()
 * does, which of them each "ID:CONTROLLERS:PATH" of @cgroup_lines names. */
unsigned fuzz_mounts_hiers(char **lines, char **cgroup_lines)
{
	g_autoptr(GPtrArray) hiers = g_ptr_array_new_with_free_func(hier_free);
	unsigned matches = 0;

	for (char **l = lines; *l; l++) {
		struct hier *h = parse_hier(*l);

		if (h)
			g_ptr_array_add(hiers, h);
	}
	for (char **l = cgroup_lines; *l; l++) {
		g_auto(GStrv) f = g_strsplit(*l, ":", 3);

		for (guint i = 0; g_strv_length(f) == 3 && i < hiers->len; i++)
			matches += hier_has(hiers->pdata[i], f[1]);
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
