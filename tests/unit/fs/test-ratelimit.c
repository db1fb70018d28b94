/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fs/ratelimit.c: the per-user bucket of changes through the cgroup tree. */
#include "fs/fs.h"

#include <errno.h>

#define S ((gint64)G_USEC_PER_SEC)

/* A burst drains the bucket: exactly RATE_BURST changes, then EAGAIN. */
static void test_burst(void)
{
	unsigned ok = 0;

	ratelimit_reset();
	for (int i = 0; i < 1000; i++)
		ok += ratelimit_take(1000, 10 * S) == 0;
	g_assert_cmpuint(ok, ==, (unsigned)RATE_BURST);
	g_assert_cmpint(ratelimit_take(1000, 10 * S), ==, EAGAIN);
}

/* One user's storm leaves another user and root their whole budget. */
static void test_users_apart(void)
{
	ratelimit_reset();
	for (int i = 0; i < 1000; i++)
		ratelimit_take(1000, 10 * S);
	g_assert_cmpint(ratelimit_take(1000, 10 * S), ==, EAGAIN);
	g_assert_cmpint(ratelimit_take(1001, 10 * S), ==, 0);
	for (int i = 0; i < 10000; i++)
		g_assert_cmpint(ratelimit_take(0, 10 * S), ==, 0);
}

/* The bucket refills at RATE_PER_S: after 0.5 s, 100 more (not 101). */
static void test_refill(void)
{
	unsigned ok = 0;

	ratelimit_reset();
	while (ratelimit_take(1000, 10 * S) == 0)
		;
	for (int i = 0; i < 1000; i++)
		ok += ratelimit_take(1000, 10 * S + S / 2) == 0;
	g_assert_cmpuint(ok, ==, (unsigned)(RATE_PER_S / 2));
	/* never more than the burst, however long the pause */
	ok = 0;
	for (int i = 0; i < 1000; i++)
		ok += ratelimit_take(1000, 1000 * S) == 0;
	g_assert_cmpuint(ok, ==, (unsigned)RATE_BURST);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ratelimit/burst", test_burst);
	g_test_add_func("/ratelimit/users-apart", test_users_apart);
	g_test_add_func("/ratelimit/refill", test_refill);
	return g_test_run();
}
