/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-oci: the readers of OCI documents.  The first byte of the input
 * (modulo 8) picks the reader, the rest is the document:
 *   0 config.json        rt_oci_parse
 *   1 process.json       rt_oci_parse_process
 *   2 seccomp profile    rt_seccomp_from_json, no capabilities held
 *   3 seccomp profile    rt_seccomp_from_json, every capability held
 *   4 the hook's state   ch_state_parse, then the views decision
 *   5 the hook's config  ch_config_parse, then the views decision
 *   6 `corral update -r FILE`: the linux.resources JSON (oci-update.c)
 *   7 `corral update`'s option values: ten fields split at NUL bytes
 * Paths are only made absolute; 6 writes its FILE in a temporary
 * directory (removed at exit).
 */
#include "tests/fuzz/fuzz.h"

#include "hooks/hook.h"
#include "common/json.h"
#include "runtime/spec/bundle.h"
#include "runtime/spec/seccomp-json.h"
#include "tests/fuzz/update-static.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

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

static char *tmp, *resources;

static void cleanup(void)
{
	g_unlink(resources);
	g_rmdir(tmp);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!(tmp = g_dir_make_tmp("corral-fuzz-XXXXXX", NULL)))
		abort();
	resources = g_build_filename(tmp, "resources.json", NULL);
	atexit(cleanup);
	return 0;
}

static void update_file(const char *text, size_t len)
{
	int fd;

	/* a new file each time: ext4 flushes a file truncated and rewritten */
	if (unlink(resources) != 0 && errno != ENOENT)
		abort();
	fd = open(resources, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (len > 0 && write(fd, text, len) != (ssize_t)len) || close(fd) != 0)
		abort();
	fuzz_update_file(resources);
}

static void update_options(const char *text, size_t len)
{
	g_autofree char *t = g_malloc(len + 1);
	const char *v[10] = { NULL };
	char *p = t, *end = t + len;

	memcpy(t, text, len);
	t[len] = '\0';
	/* field i: absent when empty, so that most inputs set only a few */
	for (size_t i = 0; i < G_N_ELEMENTS(v) && p <= end; i++) {
		v[i] = *p ? p : NULL;
		p += strlen(p) + 1;
	}
	fuzz_update_options(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;

	if (size < 1)
		return 0;
	size--;
	switch (data[0] % 8) {
	case 0: config(text, size); break;
	case 1: process(text, size); break;
	case 2: seccomp(text, size, false); break;
	case 3: seccomp(text, size, true); break;
	case 4: hook_state(text, size); break;
	case 5: hook_config(text, size); break;
	case 6: update_file(text, size); break;
	default: update_options(text, size); break;
	}
	return 0;
}
