/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cli: `corral run`'s option parser and its size parser
 * (runtime/cli.c).  The first byte (modulo 2) picks the parser:
 *   0 rt_cli_wants_help and rt_cli_parse_run on argv: the rest of the input
 *     split at NUL bytes ("run" is argv[0]);
 *   1 rt_parse_size on the rest (up to a NUL), checked to give back what it
 *     reads when its result is printed again.
 * --security-opt seccomp=FILE reads FILE: any such value is replaced by the
 * seed profile so the target never reads arbitrary files (or blocks on a
 * FIFO); the profiles themselves are fuzz-oci's.
 */
#include "tests/fuzz/fuzz.h"

#include "runtime/cli/cli.h"

#include <inttypes.h>

#define MAX_ARGS 64

static char *seccomp_file;

/* @arg, with the FILE of a seccomp=FILE replaced by the fixture profile. */
static char *safe_arg(const char *arg)
{
	const char *s = strstr(arg, "seccomp");

	if (!s || !s[7] || !strcmp(s + 8, "unconfined") || !s[8])
		return g_strdup(arg);
	return g_strdup_printf("%.*s%c%s", (int)(s + 7 - arg), arg, s[7], seccomp_file);
}

static void run_options(const char *text, size_t len)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) err = NULL;
	g_autoptr(rt_spec) s = NULL;
	const char *p = text, *end = text + len;

	g_ptr_array_add(args, g_strdup("run"));
	while (p <= end && args->len < MAX_ARGS) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		g_autofree char *arg = g_strndup(p, nul ? (size_t)(nul - p) : (size_t)(end - p));

		g_ptr_array_add(args, safe_arg(arg));
		if (!nul)
			break;
		p = nul + 1;
	}
	g_ptr_array_add(args, NULL);
	(void)rt_cli_wants_help((int)args->len - 1, (char **)args->pdata);
	s = rt_cli_parse_run((int)args->len - 1, (char **)args->pdata, &err);
	if (!s == !err)
		__builtin_trap();
}

static void size(const char *text, size_t len)
{
	g_autofree char *t = fuzz_text((const uint8_t *)text, len);
	g_autofree char *again = NULL;
	int64_t bytes = -1, back = -1;

	if (!rt_parse_size(t, &bytes))
		return;
	if (bytes < 0)
		__builtin_trap();
	again = g_strdup_printf("%" PRId64, bytes);
	if (!rt_parse_size(again, &back) || back != bytes)
		__builtin_trap();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	seccomp_file = g_build_filename(FUZZ_SRC, "seccomp.json", NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size_)
{
	if (size_ < 1)
		return 0;
	if (data[0] % 2 == 0)
		run_options((const char *)data + 1, size_ - 1);
	else
		size((const char *)data + 1, size_ - 1);
	return 0;
}
