/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup/read.c's parsers of cpuacct and blkio/io text are static: this
 * file includes the source so fuzz-kernel can call them (the target links
 * this copy instead of the library's read.o; see mounts-static.c).
 */
#include "cgroup/read.c"

#include "tests/fuzz/read-static.h"

/* cpuacct.usage_all (@which 0) or cpuacct.usage_percpu_* (1). */
void fuzz_read_cputime(int which, const char *text)
{
	struct cg_cputime t = { 0 };
	uint64_t *percpu = NULL;
	unsigned n = 0;

	if (which == 0 && parse_usage_all(text, &t) && t.ncpu > 0 &&
	    (!t.percpu_user_ns || !t.percpu_system_ns))
		__builtin_trap();
	if (which == 1)
		(void)parse_percpu(text, &percpu, &n);
	g_free(percpu);
	cg_cputime_clear(&t);
}

/* blkio.throttle.io_service_bytes (@which 0), ..._serviced (1), io.stat (2),
 * the devices then sorted as cg_read_blkio() does. */
void fuzz_read_blkio(int which, const char *text)
{
	g_autoptr(GArray) devs = g_array_new(FALSE, TRUE, sizeof(struct cg_blkdev));
	g_autofree char *copy = g_strdup(text);

	if (which == 2 ? parse_io_v2(copy, devs) : parse_blkio_v1(copy, devs, which == 1))
		g_array_sort(devs, blkdev_cmp);
}
