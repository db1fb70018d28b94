/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `corral exec`: a new process in a running container (in progress). */
#include "runtime/oci-internal.h"

int oci_cmd_exec(int argc, char **argv)
{
	(void)argc;
	return oci_fail("%s: not implemented yet", argv[0]);
}
