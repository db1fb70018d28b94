/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-json: corral's JSON reader (runtime/json.c) on any bytes.  Only the
 * public calls are used (rj_parse, rj_get, rj_free), never the fields of
 * struct rj_value, so the target does not depend on its layout.
 */
#include "tests/fuzz/fuzz.h"

#include "runtime/json.h"

/* Members the OCI readers look up: rj_get on objects and on non-objects. */
static const char *const keys[] = { "ociVersion", "process", "root", "linux", "", "args" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(rj_value) v = rj_parse((const char *)data, size, &err);

	if (!v) {
		/* a failed parse names where it stopped */
		if (!err || !err->message || !*err->message)
			__builtin_trap();
		return 0;
	}
	if (err)
		__builtin_trap();
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const struct rj_value *m = rj_get(v, keys[i]);

		if (m)
			(void)rj_get(m, keys[i]);
	}
	return 0;
}
