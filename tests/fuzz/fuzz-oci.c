/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-oci: the readers of OCI documents.  The first byte of the input
 * (modulo 6) picks the reader, the rest is the document:
 *   0 config.json        rt_oci_parse
 *   1 process.json       rt_oci_parse_process
 *   2 seccomp profile    rt_seccomp_from_json, no capabilities held
 *   3 seccomp profile    rt_seccomp_from_json, every capability held
 *   4 the hook's state   ch_state_parse, then the views decision
 *   5 the hook's config  ch_config_parse, then the views decision
 * Nothing touches the file system: paths are only made absolute.
 */
#include "tests/fuzz/fuzz.h"

#include "hooks/hook.h"
#include "runtime/json.h"
#include "runtime/oci.h"
#include "runtime/seccomp-json.h"

#define BUNDLE "/run/fuzz/bundle"

static void config(const char *text, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(rt_spec) s = rt_oci_parse(text, len, BUNDLE, &err);

	if (!s == !err) /* exactly one of a spec and an error */
		__builtin_trap();
}

static void process(const char *text, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(rt_spec) s = rt_oci_parse_process(text, len, &err);

	if (!s == !err)
		__builtin_trap();
}

static void seccomp(const char *text, size_t len, bool all_caps)
{
	const struct rt_caps caps = { .bounding = UINT64_MAX, .effective = UINT64_MAX,
				      .permitted = UINT64_MAX };
	g_autoptr(GError) err = NULL;
	g_autoptr(rj_value) node = rj_parse(text, len, NULL);
	g_autoptr(rt_seccomp) sc = NULL;

	if (!node)
		return;
	sc = rt_seccomp_from_json(node, all_caps ? &caps : NULL, &err);
	if (!sc == !err)
		__builtin_trap();
}

/* What corral-hook decides from the annotations it collected. */
static void views(GHashTable *annotations)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *path = NULL;
	bool wanted;

	(void)ch_views_wanted(annotations, true, &wanted, &err);
	g_clear_error(&err);
	path = ch_views_path(annotations, "/var/lib/corral", &err);
}

static void hook_state(const char *text, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_auto(ch_state) st = { 0 };

	if (ch_state_parse(text, len, &st, &err))
		views(st.annotations);
}

static void hook_config(const char *text, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GHashTable) ann = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree char *rootfs = NULL;

	g_hash_table_insert(ann, g_strdup("org.corral.views"), g_strdup("true"));
	if (ch_config_parse(text, len, BUNDLE "/config.json", BUNDLE, &rootfs, ann, &err))
		views(ann);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;

	if (size < 1)
		return 0;
	size--;
	switch (data[0] % 6) {
	case 0: config(text, size); break;
	case 1: process(text, size); break;
	case 2: seccomp(text, size, false); break;
	case 3: seccomp(text, size, true); break;
	case 4: hook_state(text, size); break;
	default: hook_config(text, size); break;
	}
	return 0;
}
