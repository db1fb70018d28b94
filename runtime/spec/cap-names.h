/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability names: "CAP_SYS_ADMIN" <-> 21. */
#ifndef CORRAL_RUNTIME_CAP_NAMES_H
#define CORRAL_RUNTIME_CAP_NAMES_H

/* The number of a capability named "CAP_SYS_ADMIN", "cap_sys_admin",
 * "SYS_ADMIN" or "sys_admin"; -1 if unknown. */
int rt_cap_from_name(const char *name);
/* "CAP_SYS_ADMIN" for 21; NULL if unknown. */
const char *rt_cap_name(int cap);

#endif
