/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc/pressure/{cpu,memory,io}: the container's PSI in the kernel's
 * format.  Without PSI data (!valid) both lines show zeros, as on a system
 * with no pressure.
 */
#include "proc/proc.h"

#include <inttypes.h>

static void psi_line(GString *out, const char *kind, const struct cg_psi_line *l)
{
	g_string_append_printf(out, "%s avg10=", kind);
	proc_append_fixed2(out, l->avg10);
	g_string_append(out, " avg60=");
	proc_append_fixed2(out, l->avg60);
	g_string_append(out, " avg300=");
	proc_append_fixed2(out, l->avg300);
	g_string_append_printf(out, " total=%" PRIu64 "\n", l->total_us);
}

void render_pressure(const struct cg_psi *psi, GString *out)
{
	static const struct cg_psi_line zero = { 0 };

	if (!psi || !psi->valid) {
		psi_line(out, "some", &zero);
		psi_line(out, "full", &zero);
		return;
	}
	psi_line(out, "some", &psi->some);
	if (psi->has_full)
		psi_line(out, "full", &psi->full);
}
