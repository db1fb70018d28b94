/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime/oci-update.c's readers of `corral update` (-r FILE and the
 * resource options) are static: this file includes the source so fuzz-oci
 * can call them (the target links this copy instead of the library's
 * oci-update.o; see mounts-static.c).  Their messages go to stderr, which
 * is pointed at /dev/null meanwhile (the sanitizers write to fd 2, not
 * through stdio, so their reports still show).
 */
#include "runtime/oci/cmd-update.c"

#include "tests/fuzz/update-static.h"

static FILE *devnull;

static FILE *quiet(void)
{
	FILE *saved = stderr;

	if (!devnull && !(devnull = fopen("/dev/null", "we")))
		abort();
	stderr = devnull;
	return saved;
}

/* The linux.resources JSON of -r @path. */
void fuzz_update_file(const char *path)
{
	struct rt_resources r;
	FILE *saved = quiet();

	res_unset(&r);
	(void)from_file(path, &r);
	stderr = saved;
	g_free(r.cpu.cpus);
	g_free(r.cpu.mems);
}

/* The option values --memory, --memory-swap, --memory-reservation,
 * --cpu-quota, --cpu-period, --cpu-share, --cpuset-cpus, --cpuset-mems,
 * --pids-limit, --blkio-weight: @v[0..9], NULL for an absent one. */
void fuzz_update_options(const char *const v[10])
{
	const struct update_opts o = { NULL, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8],
				       v[9] };
	struct rt_resources r;
	FILE *saved = quiet();

	res_unset(&r);
	(void)from_options(&o, &r);
	stderr = saved;
	g_free(r.cpu.cpus);
	g_free(r.cpu.mems);
}
