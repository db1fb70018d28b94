/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pause, resume, update, ps, spec, features (in progress). */
#include "runtime/oci-internal.h"

bool oci_state_frozen(const struct oci_state *s)
{
	(void)s;
	return false;
}

#define NOT_YET(fn) \
	int fn(int argc, char **argv) \
	{ \
		(void)argc; \
		return oci_fail("%s: not implemented yet", argv[0]); \
	}
NOT_YET(oci_cmd_pause)
NOT_YET(oci_cmd_resume)
NOT_YET(oci_cmd_update)
NOT_YET(oci_cmd_ps)
NOT_YET(oci_cmd_spec)
NOT_YET(oci_cmd_features)
