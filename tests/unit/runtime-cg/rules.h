/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building device rule lists for the runtime's cgroup tests. */
#ifndef CORRAL_TEST_RUNTIME_CG_RULES_H
#define CORRAL_TEST_RUNTIME_CG_RULES_H

#include "runtime/spec/spec.h"

#include <glib.h>

/* Appends the rule (@allow or deny, @type, @major:@minor, @access) to @rules. */
static inline void add_rule(GArray *rules, bool allow, char type, int64_t major,
			    int64_t minor, const char *access)
{
	struct rt_device_rule r = { .allow = allow, .type = type,
				    .major = major, .minor = minor };

	g_strlcpy(r.access, access, sizeof(r.access));
	g_array_append_val(rules, r);
}

#endif
