/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The OCI commands' shared pieces (runtime/oci-state.c): the option
 * parser's boolean flags (no root). */
#include "runtime/oci-internal.h"

#include <string.h>

struct parsed {
	bool detach, all;
	const char *bundle;
	bool ok;
};

static struct parsed parse(const char *const *args)
{
	struct parsed r = { .bundle = NULL };
	struct oci_opt opts[] = { { "--detach", "-d", false, NULL, &r.detach },
				  { "--all", "-a", false, NULL, &r.all },
				  { "--bundle", "-b", true, &r.bundle, NULL },
				  { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();

	r.ok = oci_parse_opts((int)g_strv_length((char **)args), (char **)args, opts, pos);
	return r;
}

static void test_bool_flags(void)
{
	static const char *const truths[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const lies[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < G_N_ELEMENTS(truths); i++) {
		g_autofree char *d = g_strconcat("--detach=", truths[i], NULL);
		g_autofree char *a = g_strconcat("-a=", lies[i], NULL);
		const char *args[] = { "create", "--all", "-d=false", d, a, "id", NULL };
		struct parsed r = parse(args);

		g_assert_true(r.ok);
		g_assert_true(r.detach);
		g_assert_false(r.all);
	}
	const char *plain[] = { "run", "-d", "--bundle=b", "id", NULL };
	struct parsed r = parse(plain);
	g_assert_true(r.ok && r.detach && !r.all);
	g_assert_cmpstr(r.bundle, ==, "b");
	const char *off[] = { "run", "--detach=false", "id", NULL };
	r = parse(off);
	g_assert_true(r.ok);
	g_assert_false(r.detach);
}

static void test_bool_flag_bad(void)
{
	if (g_test_subprocess()) {
		const char *args[] = { "run", "--detach=yes", "id", NULL };
		struct parsed r = parse(args);
		g_assert_false(r.ok);
		g_assert_false(r.detach);
		const char *empty[] = { "kill", "-a=", "id", NULL };
		r = parse(empty);
		g_assert_false(r.ok);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stderr("corral: run: invalid value \"yes\" for flag --detach (true or false)\n"
				  "corral: kill: invalid value \"\" for flag -a (true or false)\n");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/oci-state/bool-flags", test_bool_flags);
	g_test_add_func("/oci-state/bool-flag-bad", test_bool_flag_bad);
	return g_test_run();
}
