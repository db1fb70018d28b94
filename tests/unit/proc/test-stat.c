/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: render_stat, render_uptime. */
#include "proc/proc.h"
#include "fixture.h"

#include <stdlib.h>
#include <unistd.h>

#define NS UINT64_C(1000000000)

/* render_stat of @t on the host of the "stat" fixture. */
static GString *render_on_fixture(const struct cg_cputime *t, const struct cpuview *v,
				  double uptime_s, const struct cg_tasks *tasks)
{
	g_autofree char *text = fixture_read("stat");
	struct host_stat hs;
	GString *out = g_string_new(NULL);

	g_assert_true(host_stat_parse(text, &hs));
	render_stat(t, v, &hs, uptime_s, tasks, out);
	host_stat_clear(&hs);
	return out;
}

/* 8 host CPUs; CPU j ran (j+1) s user and j/2 s system. */
static void fill_v1(struct cg_cputime *t, uint64_t *user, uint64_t *sys)
{
	*t = (struct cg_cputime){ .valid = true, .ncpu = 8,
				  .percpu_user_ns = user, .percpu_system_ns = sys };
	for (unsigned j = 0; j < 8; j++) {
		user[j] = (j + 1) * NS;
		sys[j] = j * NS / 2;
		t->user_ns += user[j];
		t->system_ns += sys[j];
	}
	t->usage_ns = t->user_ns + t->system_ns;
}

static void test_v1_fold(void)
{
	uint64_t user[8], sys[8];
	struct cg_cputime t;
	struct cpuview v = { .n = 2, .phys = { 0, 1 } };
	struct cg_tasks tasks = { .valid = true, .nr_running = 0, .nr_blocked = 2,
				  .nr_threads = 7, .nr_procs = 3, .last_pid = 400 };

	g_assert_cmpint(sysconf(_SC_CLK_TCK), ==, 100);
	fill_v1(&t, user, sys);
	g_autoptr(GString) out = render_on_fixture(&t, &v, 100.0, &tasks);
	/* visible 0: host 0 + host 2,4,6; visible 1: host 1 + host 3,5,7 */
	g_assert_true(g_str_has_prefix(out->str,
				       "cpu  3600 0 1400 15000 0 0 0 0 0 0\n"
				       "cpu0 1600 0 600 7800 0 0 0 0 0 0\n"
				       "cpu1 2000 0 800 7200 0 0 0 0 0 0\n"
				       "intr 126538 0 0 "));
	g_assert_nonnull(strstr(out->str, "\nctxt 248706\nbtime 1795387011\n"
				"processes 7\nprocs_running 1\nprocs_blocked 2\n"
				"softirq 94632 0 10931 4 1185 32415 0 4 28565 0 21528\n"));
	g_assert_true(g_str_has_suffix(out->str, "21528\n"));
}

static void test_v2_spread(void)
{
	struct cg_cputime t = { .valid = true, .usage_ns = 4 * NS + 10000000,
				.user_ns = 3 * NS + 10000000, .system_ns = NS };
	struct cpuview v = { .n = 2, .phys = { 4, 6 } };
	g_autoptr(GString) out = render_on_fixture(&t, &v, 10.0, NULL);

	g_assert_true(g_str_has_prefix(out->str,
				       "cpu  301 0 100 1599 0 0 0 0 0 0\n"
				       "cpu0 151 0 50 799 0 0 0 0 0 0\n"
				       "cpu1 150 0 50 800 0 0 0 0 0 0\n"));
	g_assert_nonnull(strstr(out->str, "processes 1\nprocs_running 1\nprocs_blocked 0\n"));
}

/* Per CPU, user + system + idle = uptime in ticks; lines like the kernel. */
static void test_sums(void)
{
	uint64_t user[8], sys[8];
	struct cg_cputime t;
	struct cpuview v = { .n = 5, .phys = { 0, 2, 3, 5, 7 } };
	double up = 1234.567;

	fill_v1(&t, user, sys);
	g_autoptr(GString) out = render_on_fixture(&t, &v, up, NULL);
	g_assert_cmpuint(count_lines(out->str, "cpu"), ==, 6);
	g_auto(GStrv) lines = g_strsplit(out->str, "\n", -1);
	for (unsigned i = 1; i <= 5; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);
		g_assert_cmpuint(g_strv_length(f), ==, 11);
		uint64_t sum = 0;
		for (unsigned k = 1; k < 11; k++)
			sum += g_ascii_strtoull(f[k], NULL, 10);
		g_assert_cmpint(llabs((long long)sum - 123457), <=, 1);
	}
	g_assert_true(g_str_has_prefix(lines[0], "cpu  "));
}

static void test_invalid(void)
{
	struct cg_cputime t = { .valid = false, .user_ns = 5 * NS };
	struct cpuview v = { .n = 2, .phys = { 0, 1 } };
	g_autoptr(GString) out = render_on_fixture(&t, &v, 100.0, NULL);

	g_assert_true(g_str_has_prefix(out->str,
				       "cpu  0 0 0 20000 0 0 0 0 0 0\n"
				       "cpu0 0 0 0 10000 0 0 0 0 0 0\n"
				       "cpu1 0 0 0 10000 0 0 0 0 0 0\n"));
	/* busy beyond uptime: idle clamps at 0 */
	t = (struct cg_cputime){ .valid = true, .user_ns = 1000 * NS };
	g_autoptr(GString) clamped = render_on_fixture(&t, &v, 1.0, NULL);
	g_assert_true(g_str_has_prefix(clamped->str, "cpu  100000 0 0 0 0"));

	struct host_stat empty = { .btime = 5 };
	g_string_truncate(out, 0);
	render_stat(&t, &v, &empty, -3.0, NULL, out);
	g_assert_nonnull(strstr(out->str, "cpu1 50000 0 0 0 0 0 0 0 0 0\nbtime 5\nprocesses 1\n"));
}

static void test_uptime(void)
{
	g_autoptr(GString) out = g_string_new(NULL);

	render_uptime(100.0, 30.5, 2, out);
	g_assert_cmpstr(out->str, ==, "100.00 169.50\n");
	g_string_truncate(out, 0);
	render_uptime(5.126, 1000.0, 4, out); /* more CPU time than wall time */
	g_assert_cmpstr(out->str, ==, "5.13 0.00\n");
	g_string_truncate(out, 0);
	render_uptime(-1.0, 0.0, 0, out);
	g_assert_cmpstr(out->str, ==, "0.00 0.00\n");
	g_string_truncate(out, 0);
	render_uptime(123456.789, 0.01, 1, out);
	g_assert_cmpstr(out->str, ==, "123456.79 123456.78\n");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/stat/v1-fold", test_v1_fold);
	g_test_add_func("/stat/v2-spread", test_v2_spread);
	g_test_add_func("/stat/sums", test_sums);
	g_test_add_func("/stat/invalid", test_invalid);
	g_test_add_func("/uptime", test_uptime);
	return g_test_run();
}
