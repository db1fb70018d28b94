/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pure parsers of cgroup/parse.c. */
#include "cgroup/cgroup.h"
#include "cgroup/internal.h"

static void test_u64_or_max(void)
{
	static const char *const bad[] = { "", "-1\n", "12abc", "maximum",
					   "99999999999999999999999" };
	uint64_t v = 0;

	g_assert_true(cg_parse_u64_or_max("max\n", &v));
	g_assert_cmpuint(v, ==, CG_UNLIMITED);
	g_assert_true(cg_parse_u64_or_max("134217728\n", &v));
	g_assert_cmpuint(v, ==, 134217728);
	g_assert_true(cg_parse_u64_or_max("0", &v));
	g_assert_cmpuint(v, ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(cg_parse_u64_or_max(bad[i], &v));
	/* the v1 "unlimited" spelling */
	g_assert_true(cgi_parse_limit("9223372036854771712\n", &v));
	g_assert_cmpuint(v, ==, CG_UNLIMITED);
	g_assert_true(cgi_parse_limit("268435456\n", &v));
	g_assert_cmpuint(v, ==, 268435456);
}

static void test_keyed(void)
{
	const char *text = "cache 2080768\nrss 1687552\nrss_huge 0\n"
			   "total_cache 4096\ntotal_rss 8192\n";
	uint64_t v = 7;

	g_assert_true(cg_parse_keyed_u64(text, "rss", &v));
	g_assert_cmpuint(v, ==, 1687552);
	g_assert_true(cg_parse_keyed_u64(text, "total_cache", &v));
	g_assert_cmpuint(v, ==, 4096);
	g_assert_true(cg_parse_keyed_u64(text, "rss_huge", &v));
	g_assert_cmpuint(v, ==, 0);
	v = 7;
	g_assert_false(cg_parse_keyed_u64(text, "total", &v));
	g_assert_false(cg_parse_keyed_u64(text, "swap", &v));
	g_assert_cmpuint(v, ==, 7);
	g_assert_false(cg_parse_keyed_u64("rss many\n", "rss", &v));
	g_assert_true(cg_parse_keyed_u64("usage_usec 47856000", "usage_usec", &v));
	g_assert_cmpuint(v, ==, 47856000);
}

static void test_keyed_table(void)
{
	uint64_t a = 0, b = 0, c = 99;
	const struct cgi_key keys[] = { { "anon", &a }, { "file", &b },
					{ "kernel", &c } };

	g_assert_true(cgi_parse_keyed("anon 1\nanon_thp 5\nfile 2\n", keys,
				      G_N_ELEMENTS(keys)));
	g_assert_cmpuint(a, ==, 1);
	g_assert_cmpuint(b, ==, 2);
	g_assert_cmpuint(c, ==, 99);
	g_assert_false(cgi_parse_keyed("anon x\n", keys, G_N_ELEMENTS(keys)));
	g_assert_false(cgi_parse_keyed("file 1 2\n", keys, G_N_ELEMENTS(keys)));
}

static void test_psi(void)
{
	struct cg_psi p;

	g_assert_true(cg_parse_psi(
		"some avg10=0.00 avg60=0.35 avg300=0.62 total=3751239\n"
		"full avg10=1.25 avg60=0.00 avg300=0.00 total=17\n", &p));
	g_assert_true(p.valid);
	g_assert_true(p.has_full);
	g_assert_cmpfloat_with_epsilon(p.some.avg10, 0.0, 1e-9);
	g_assert_cmpfloat_with_epsilon(p.some.avg60, 0.35, 1e-9);
	g_assert_cmpfloat_with_epsilon(p.some.avg300, 0.62, 1e-9);
	g_assert_cmpuint(p.some.total_us, ==, 3751239);
	g_assert_cmpfloat_with_epsilon(p.full.avg10, 1.25, 1e-9);
	g_assert_cmpuint(p.full.total_us, ==, 17);
	/* old kernels: cpu.pressure without "full" */
	g_assert_true(cg_parse_psi(
		"some avg10=10.00 avg60=2.43 avg300=0.94 total=5477124\n", &p));
	g_assert_false(p.has_full);
	g_assert_cmpuint(p.some.total_us, ==, 5477124);
	g_assert_false(cg_parse_psi("", &p));
	g_assert_false(cg_parse_psi("some avg10=x avg60=0 avg300=0 total=0\n",
				    &p));
	g_assert_false(cg_parse_psi("some avg10=0.00 avg60=0.00 total=0\n",
				    &p));
	g_assert_false(cg_parse_psi("sometimes\n", &p));
}

static void test_cpumask(void)
{
	static const char *const bad[] = { "4096", "3-1", "1,", "a", "1-", "0-1,x" };
	struct cg_cpumask m;

	g_assert_true(cg_cpumask_parse("0-3,5,7-8\n", &m));
	g_assert_cmpuint(cg_cpumask_count(&m), ==, 7);
	g_assert_true(cg_cpumask_test(&m, 0));
	g_assert_true(cg_cpumask_test(&m, 3));
	g_assert_false(cg_cpumask_test(&m, 4));
	g_assert_true(cg_cpumask_test(&m, 5));
	g_assert_false(cg_cpumask_test(&m, 6));
	g_assert_true(cg_cpumask_test(&m, 8));
	g_assert_false(cg_cpumask_test(&m, 9));
	g_assert_true(cg_cpumask_parse("4095", &m));
	g_assert_cmpuint(cg_cpumask_count(&m), ==, 1);
	g_assert_true(cg_cpumask_test(&m, 4095));
	g_assert_true(cg_cpumask_parse("\n", &m));
	g_assert_cmpuint(cg_cpumask_count(&m), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(cg_cpumask_parse(bad[i], &m));
}

static void test_pid_stat(void)
{
	char state = 0;
	uint64_t start = 0;

	g_assert_true(cgi_parse_pid_stat(
		"3757 (cat) R 3748 3748 2443 0 -1 4194304 100 0 0 0 0 0 0 0 "
		"20 0 1 0 47464 3133440 387 18446744073709551615\n",
		&state, &start));
	g_assert_cmpint(state, ==, 'R');
	g_assert_cmpuint(start, ==, 47464);
	/* a comm with spaces and ')' */
	g_assert_true(cgi_parse_pid_stat(
		"12 (a) S 1 2 (b c) D 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
		"0 99 0 0\n", &state, &start));
	g_assert_cmpint(state, ==, 'D');
	g_assert_cmpuint(start, ==, 99);
	g_assert_false(cgi_parse_pid_stat("12 (x) S 1 2\n", &state, &start));
	g_assert_false(cgi_parse_pid_stat("garbage", &state, &start));
}

static void test_idlist(void)
{
	g_autoptr(GArray) a = g_array_new(FALSE, FALSE, sizeof(pid_t));

	g_assert_true(cgi_parse_idlist("1\n22\n333\n", a));
	g_assert_cmpuint(a->len, ==, 3);
	g_assert_cmpint(g_array_index(a, pid_t, 2), ==, 333);
	g_assert_true(cgi_parse_idlist("", a));
	g_assert_false(cgi_parse_idlist("1\nx\n", a));
	g_assert_false(cgi_parse_idlist("-4\n", a));
}

static void test_path_helpers(void)
{
	g_autofree char *p = g_strdup("a/b/c");
	g_autofree char *j1 = cgi_join("", "memory.stat");
	g_autofree char *j2 = cgi_join("a/b", "memory.stat");

	g_assert_cmpstr(j1, ==, "memory.stat");
	g_assert_cmpstr(j2, ==, "a/b/memory.stat");
	g_assert_true(cgi_parent(p));
	g_assert_cmpstr(p, ==, "a/b");
	g_assert_true(cgi_parent(p));
	g_assert_cmpstr(p, ==, "a");
	g_assert_true(cgi_parent(p));
	g_assert_cmpstr(p, ==, "");
	g_assert_false(cgi_parent(p));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/parse/u64-or-max", test_u64_or_max);
	g_test_add_func("/cgroup/parse/keyed", test_keyed);
	g_test_add_func("/cgroup/parse/keyed-table", test_keyed_table);
	g_test_add_func("/cgroup/parse/psi", test_psi);
	g_test_add_func("/cgroup/parse/cpumask", test_cpumask);
	g_test_add_func("/cgroup/parse/pid-stat", test_pid_stat);
	g_test_add_func("/cgroup/parse/idlist", test_idlist);
	g_test_add_func("/cgroup/parse/path-helpers", test_path_helpers);
	return g_test_run();
}
