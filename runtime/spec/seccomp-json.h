/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seccomp profiles in JSON: OCI's linux.seccomp and Docker's profile files. */
#ifndef CORRAL_RUNTIME_SECCOMP_JSON_H
#define CORRAL_RUNTIME_SECCOMP_JSON_H

#include "runtime/spec/spec.h"

#include "common/json.h"

typedef struct rt_seccomp rt_seccomp;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rt_seccomp, rt_seccomp_free)

/*
 * The profile in @node.  Docker's per-rule includes/excludes are decided
 * against @caps (the container's bounding set; NULL: none held) and the
 * native architecture.  Errors (RT_ERROR_USAGE) name the JSON path.
 */
struct rt_seccomp *rt_seccomp_from_json(const struct rj_value *node, const struct rt_caps *caps,
					GError **err);
/* The same from a file; errors name the file. */
struct rt_seccomp *rt_seccomp_from_file(const char *path, const struct rt_caps *caps,
					GError **err);

#endif
