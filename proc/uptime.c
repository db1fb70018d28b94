/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc/uptime: the container's uptime and the idle time of its CPUs. */
#include "proc/proc.h"

#include <math.h>

void render_uptime(double uptime_s, double cpu_s, unsigned ncpu, GString *out)
{
	double idle;

	if (!isfinite(uptime_s) || uptime_s < 0)
		uptime_s = 0;
	if (!isfinite(cpu_s) || cpu_s < 0)
		cpu_s = 0;
	idle = uptime_s * (ncpu ? ncpu : 1) - cpu_s;
	proc_append_fixed2(out, uptime_s);
	g_string_append_c(out, ' ');
	proc_append_fixed2(out, idle > 0 ? idle : 0);
	g_string_append_c(out, '\n');
}
