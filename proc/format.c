/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared number formatting for the renderers. */
#include "proc/proc.h"

#include <inttypes.h>
#include <math.h>

void proc_append_fixed2(GString *out, double v)
{
	if (!isfinite(v) || v < 0)
		v = 0;
	if (v > 1e15) /* keep v * 100 inside uint64_t */
		v = 1e15;
	uint64_t centi = (uint64_t)(v * 100.0 + 0.5);
	g_string_append_printf(out, "%" PRIu64 ".%02u", centi / 100,
			       (unsigned)(centi % 100));
}
