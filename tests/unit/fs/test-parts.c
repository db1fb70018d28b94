/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A slow read of one part of a container (the task walk behind /proc/stat)
 * holds up nobody (issue 9 M6): meminfo readers of the same container, and
 * other /proc/stat readers, who use the previous task count meanwhile.
 */
#include "fs/fs.h"
#include "fs/testing.h"
#include "setup.h"

#include <string.h>
#include <unistd.h>

#define SLOW_US ((gint64)2 * G_USEC_PER_SEC)
#define QUICK_US ((gint64)500 * 1000)

static gint slow_armed;

static void slow_tasks(int part)
{
	if (part == VIEW_TEST_PART_TASKS && g_atomic_int_compare_and_exchange(&slow_armed, 1, 0))
		g_usleep(SLOW_US);
}

static gpointer stat_once(gpointer data)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GError) err = NULL;
	struct view *v = view_get(getpid(), &err);

	(void)data;
	g_assert_no_error(err);
	g_assert_true(view_render(v, F_STAT, out, &err));
	view_put(v);
	return NULL;
}

/* Microseconds one render of @id took; checks its text holds @want. */
static gint64 timed_render(enum file_id id, const char *want)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GError) err = NULL;
	gint64 t0 = g_get_monotonic_time();
	struct view *v = view_get(getpid(), &err);

	g_assert_no_error(err);
	g_assert_true(view_render(v, id, out, &err));
	view_put(v);
	g_assert_nonnull(strstr(out->str, want));
	return g_get_monotonic_time() - t0;
}

static void test_slow_part_blocks_nobody(void)
{
	GThread *slow;
	gint64 mem_us, stat_us;

	stat_once(NULL);               /* every part read once */
	g_usleep(1100 * 1000);           /* the task count is now stale */
	view_test_before_part_read = slow_tasks;
	g_atomic_int_set(&slow_armed, 1);
	slow = g_thread_new("slow-stat", stat_once, NULL);
	while (g_atomic_int_get(&slow_armed))
		g_usleep(1000);          /* the slow thread is in the task walk */
	mem_us = timed_render(F_MEMINFO, "MemTotal:");
	stat_us = timed_render(F_STAT, "procs_running");
	g_thread_join(slow);
	view_test_before_part_read = NULL;
	g_test_message("during a 2 s task walk: meminfo %.3f s, stat %.3f s",
		       (double)mem_us / 1e6, (double)stat_us / 1e6);
	g_assert_cmpint(mem_us, <, QUICK_US);
	g_assert_cmpint(stat_us, <, QUICK_US);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	fs_test_setup();
	g_test_add_func("/fs/parts/slow-part-blocks-nobody", test_slow_part_blocks_nobody);
	return g_test_run();
}
