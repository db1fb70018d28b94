/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCI bundles: a config.json (runtime-spec 1.0 to 1.2) into the container
 * description (struct rt_spec).  The spec starts empty (rt_spec_new()), not
 * from Docker's defaults: an OCI config says everything it wants.  Unknown
 * fields are ignored, as the runtime-spec asks; a missing required field or
 * a wrong type or value is an RT_ERROR_USAGE error naming the JSON path
 * ("linux.resources.memory.limit: expected integer").
 */
#ifndef CORRAL_RUNTIME_SPEC_BUNDLE_H
#define CORRAL_RUNTIME_SPEC_BUNDLE_H

#include "runtime/spec/spec.h"

#include <stddef.h>

/*
 * The config in @text (@len bytes).  root.path, when relative, is made
 * absolute against @bundle_dir (itself made absolute against the working
 * directory; NULL: the working directory).
 */
struct rt_spec *rt_oci_parse(const char *text, size_t len, const char *bundle_dir,
			     GError **err);

/* The integer members of linux.resources.<group> corral applies, and
 * where they go in struct rt_resources (unsigned ones are stored as int64
 * and must fit); the list ends with a NULL group. */
struct rt_oci_res_int {
	const char *group, *key;
	size_t offset;
	bool is_unsigned;
};
extern const struct rt_oci_res_int rt_oci_res_ints[];

/* BUNDLE/config.json; errors are prefixed with the file's path. */
struct rt_spec *rt_oci_load(const char *bundle_dir, GError **err);

/*
 * A process.json (`corral exec --process FILE`): one OCI "process" object,
 * the schema of config.json's process.  The result is a spec whose process
 * (and umask) are filled and the rest empty.  Errors name the JSON path
 * from the object's root ("args: missing", "user.uid: expected
 * non-negative integer"); user may be left out (uid 0, gid 0), as runc
 * allows.  rt_oci_load_process() prefixes them with the file's path.
 */
struct rt_spec *rt_oci_parse_process(const char *text, size_t len, GError **err);
struct rt_spec *rt_oci_load_process(const char *path, GError **err);

#endif
