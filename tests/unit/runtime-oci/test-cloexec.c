/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Closing every other fd at exec (runtime/process/exec.c rt_cloexec_from): with
 * close_range, and without it (a fake close_range failing as old kernels
 * do), and a close_range failure that must not pass silently (no root). */
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int fake_errno;

static int fake_close_range(unsigned first, unsigned last, unsigned flags)
{
	(void)first, (void)last, (void)flags;
	errno = fake_errno;
	return -1;
}

static bool cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	g_assert_cmpint(fl, >=, 0);
	return (fl & FD_CLOEXEC) != 0;
}

/* Three fds without FD_CLOEXEC; rt_cloexec_from() on the second. */
static void check_from(int (*close_range_fn)(unsigned, unsigned, unsigned))
{
	int fd[3];

	for (int i = 0; i < 3; i++) {
		fd[i] = open("/dev/null", O_RDONLY);
		g_assert_cmpint(fd[i], >=, 3);
		g_assert_false(cloexec(fd[i]));
	}
	g_autoptr(GError) err = NULL;
	rt_close_range = close_range_fn;
	g_assert_true(rt_cloexec_from((unsigned)fd[1], &err));
	g_assert_no_error(err);
	g_assert_false(cloexec(fd[0]));
	g_assert_true(cloexec(fd[1]));
	g_assert_true(cloexec(fd[2]));
	for (int i = 0; i < 3; i++)
		close(fd[i]);
}

static void test_close_range(void)
{
	int (*real)(unsigned, unsigned, unsigned) = rt_close_range;

	check_from(real);
}

static void test_fallback(void)
{
	int (*real)(unsigned, unsigned, unsigned) = rt_close_range;

	fake_errno = ENOSYS; /* no close_range: before Linux 5.9 */
	check_from(fake_close_range);
	fake_errno = EINVAL; /* no CLOSE_RANGE_CLOEXEC: 5.9 and 5.10 */
	check_from(fake_close_range);
	rt_close_range = real;
}

static void test_failure(void)
{
	int (*real)(unsigned, unsigned, unsigned) = rt_close_range;
	int fd = open("/dev/null", O_RDONLY);
	g_autoptr(GError) err = NULL;
	g_autofree char *want = g_strdup_printf("close_range from fd %d: Operation not permitted", fd);

	fake_errno = EPERM;
	rt_close_range = fake_close_range;
	g_assert_false(rt_cloexec_from((unsigned)fd, &err));
	rt_close_range = real;
	g_assert_error(err, RT_ERROR, RT_ERROR_SETUP);
	g_assert_cmpstr(err->message, ==, want);
	g_assert_false(cloexec(fd));
	close(fd);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cloexec/close-range", test_close_range);
	g_test_add_func("/cloexec/fallback", test_fallback);
	g_test_add_func("/cloexec/failure", test_failure);
	return g_test_run();
}
