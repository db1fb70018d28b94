/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: capability names. */
#include "runtime/spec/cap-names.h"

#include <glib.h>
#include <linux/capability.h>

static void test_from_name(void)
{
	g_assert_cmpint(rt_cap_from_name("CAP_SYS_ADMIN"), ==, CAP_SYS_ADMIN);
	g_assert_cmpint(rt_cap_from_name("cap_sys_admin"), ==, CAP_SYS_ADMIN);
	g_assert_cmpint(rt_cap_from_name("SYS_ADMIN"), ==, CAP_SYS_ADMIN);
	g_assert_cmpint(rt_cap_from_name("sys_admin"), ==, CAP_SYS_ADMIN);
	g_assert_cmpint(rt_cap_from_name("Net_Bind_Service"), ==, CAP_NET_BIND_SERVICE);
	g_assert_cmpint(rt_cap_from_name("CHOWN"), ==, 0);
	g_assert_cmpint(rt_cap_from_name("CAP_CHECKPOINT_RESTORE"), ==, 40);
}

static void test_unknown(void)
{
	g_assert_cmpint(rt_cap_from_name(NULL), ==, -1);
	g_assert_cmpint(rt_cap_from_name(""), ==, -1);
	g_assert_cmpint(rt_cap_from_name("CAP_"), ==, -1);
	g_assert_cmpint(rt_cap_from_name("SYS_ADMINX"), ==, -1);
	g_assert_cmpint(rt_cap_from_name("CAP_CAP_SYS_ADMIN"), ==, -1);
	g_assert_cmpint(rt_cap_from_name("ALL"), ==, -1);
	g_assert_null(rt_cap_name(-1));
	g_assert_null(rt_cap_name(41));
	g_assert_null(rt_cap_name(64));
}

static void test_round_trip(void)
{
	g_assert_cmpstr(rt_cap_name(CAP_SYS_ADMIN), ==, "CAP_SYS_ADMIN");
	g_assert_cmpstr(rt_cap_name(CAP_AUDIT_WRITE), ==, "CAP_AUDIT_WRITE");
	for (int cap = 0; cap <= 40; cap++) {
		const char *name = rt_cap_name(cap);
		g_assert_nonnull(name);
		g_assert_true(g_str_has_prefix(name, "CAP_"));
		g_assert_cmpint(rt_cap_from_name(name), ==, cap);
		g_autofree char *lower = g_ascii_strdown(name + 4, -1);
		g_assert_cmpint(rt_cap_from_name(lower), ==, cap);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/caps/from-name", test_from_name);
	g_test_add_func("/caps/unknown", test_unknown);
	g_test_add_func("/caps/round-trip", test_round_trip);
	return g_test_run();
}
