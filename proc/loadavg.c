/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/loadavg of a container.  The daemon samples the container's active
 * task count (running + uninterruptible) now and then and folds it in with
 * loadavg_update(); each average decays like the kernel's calc_load, with
 * the decay computed for the actual interval so that irregular sampling
 * keeps the kernel's time constants (1, 5 and 15 minutes).
 */
#include "proc/proc.h"

#include <math.h>

void loadavg_update(struct loadavg *la, unsigned active, double dt_s)
{
	static const double tau[3] = { 60.0, 300.0, 900.0 };

	if (!isfinite(dt_s) || dt_s <= 0)
		return;
	for (int i = 0; i < 3; i++) {
		double e = exp(-dt_s / tau[i]);
		if (!isfinite(la->avg[i]) || la->avg[i] < 0)
			la->avg[i] = 0;
		la->avg[i] = la->avg[i] * e + (double)active * (1.0 - e);
	}
}

/* "running/total last_pid": running is at least 1 (the reader);
 * unknown tasks give "0/0 0". */
void render_loadavg(const struct loadavg *la, const struct cg_tasks *tasks,
		    GString *out)
{
	for (int i = 0; i < 3; i++) {
		proc_append_fixed2(out, la ? la->avg[i] : 0);
		g_string_append_c(out, ' ');
	}
	if (!tasks || !tasks->valid) {
		g_string_append(out, "0/0 0\n");
		return;
	}
	unsigned total = MAX(tasks->nr_threads, 1u);
	unsigned running = MIN(MAX(tasks->nr_running, 1u), total);
	g_string_append_printf(out, "%u/%u %d\n", running, total, (int)tasks->last_pid);
}
