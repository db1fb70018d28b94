/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/diskstats of a container: one line per device the cgroup has I/O
 * counters for and whose name the host knows, in the kernel's 20-column
 * format.  The cgroup counts I/Os and bytes only: reads, writes and
 * discards (completed, sectors = bytes / 512) are the container's; merges,
 * times, in-flight and flushes are 0.  Without block I/O accounting
 * (!valid) the file is empty.
 */
#include "proc/proc.h"

#include <inttypes.h>
#include <stdlib.h>

static void disk_line(GString *out, const struct cg_blkdev *d, const char *name)
{
	g_string_append_printf(out,
			       "%4u %7u %s "
			       "%" PRIu64 " 0 %" PRIu64 " 0 "   /* reads  */
			       "%" PRIu64 " 0 %" PRIu64 " 0 "   /* writes */
			       "0 0 0 "                         /* in flight, io ticks, time in queue */
			       "%" PRIu64 " 0 %" PRIu64 " 0 "   /* discards */
			       "0 0\n",                         /* flushes */
			       d->major, d->minor, name,
			       d->read_ios, d->read_bytes / 512,
			       d->write_ios, d->write_bytes / 512,
			       d->discard_ios, d->discard_bytes / 512);
}

static int dev_cmp(const void *a, const void *b)
{
	const struct cg_blkdev *x = *(const struct cg_blkdev *const *)a;
	const struct cg_blkdev *y = *(const struct cg_blkdev *const *)b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return 0;
}

void render_diskstats(const struct cg_blkio *io, const struct host_disks *host,
		      GString *out)
{
	if (!io || !io->valid || io->ndev == 0)
		return;

	/* cgroup.h promises sorted devices; sort pointers anyway (cheap). */
	g_autofree const struct cg_blkdev **order = g_new(const struct cg_blkdev *, io->ndev);
	for (size_t i = 0; i < io->ndev; i++)
		order[i] = &io->dev[i];
	qsort(order, io->ndev, sizeof(*order), dev_cmp);
	for (size_t i = 0; i < io->ndev; i++) {
		const char *name = host_disks_name(host, order[i]->major, order[i]->minor);
		if (name)
			disk_line(out, order[i], name);
	}
}
