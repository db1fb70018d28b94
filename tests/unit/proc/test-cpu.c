/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: cpuview_compute, render_cpuinfo, render_cpu_range,
 * render_cpu_dir, cpuview_map_name. */
#include "proc/proc.h"
#include "fixture.h"

static struct host_cpus host8(void)
{
	struct host_cpus h;

	g_assert_true(host_cpus_parse("0-7\n", &h));
	return h;
}

static struct cg_cpuset cpuset_of(const char *list)
{
	struct cg_cpuset s = { .valid = true };

	g_assert_true(cg_cpumask_parse(list, &s.cpus));
	return s;
}

static void test_view_quota(void)
{
	struct host_cpus h = host8();
	struct cg_cpuset s = cpuset_of("0-7");
	struct cg_cpu c = { .valid = true, .quota_us = 150000, .period_us = 100000 };
	struct cpuview v;

	cpuview_compute(&s, &c, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 2);
	g_assert_cmpuint(v.phys[0], ==, 0);
	g_assert_cmpuint(v.phys[1], ==, 1);

	cpuview_compute(&s, &c, &h, false, &v); /* quota switched off */
	g_assert_cmpuint(v.n, ==, 8);

	c.quota_us = 10000; /* 0.1 CPU: still one */
	cpuview_compute(&s, &c, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 1);

	c.quota_us = 1600000; /* 16 CPUs of quota, 8 in the set */
	cpuview_compute(&s, &c, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 8);

	c.quota_us = -1; /* no quota */
	cpuview_compute(&s, &c, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 8);

	c = (struct cg_cpu){ .valid = false, .quota_us = 100000, .period_us = 100000 };
	cpuview_compute(&s, &c, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 8);
}

static void test_view_cpuset(void)
{
	struct host_cpus h;
	struct cg_cpuset s = cpuset_of("2,4-6,9");
	struct cg_cpu c = { .valid = true, .quota_us = 200000, .period_us = 100000 };
	struct cpuview v;

	g_assert_true(host_cpus_parse("0-5,9\n", &h)); /* 6,7,8 offline */
	cpuview_compute(&s, NULL, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 4);
	g_assert_cmpuint(v.phys[0], ==, 2);
	g_assert_cmpuint(v.phys[1], ==, 4);
	g_assert_cmpuint(v.phys[2], ==, 5);
	g_assert_cmpuint(v.phys[3], ==, 9);

	cpuview_compute(&s, &c, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 2);
	g_assert_cmpuint(v.phys[1], ==, 4);

	s.valid = false; /* no cpuset: host online */
	cpuview_compute(&s, NULL, &h, true, &v);
	g_assert_cmpuint(v.n, ==, 7);

	struct host_cpus none = { 0 };
	cpuview_compute(NULL, NULL, &none, true, &v); /* never 0 */
	g_assert_cmpuint(v.n, ==, 1);
	g_assert_cmpuint(v.phys[0], ==, 0);
}

static struct host_cpuinfo cpuinfo_fixture(const char *name)
{
	g_autofree char *text = fixture_read(name);
	struct host_cpuinfo ci;

	g_assert_true(host_cpuinfo_parse(text, &ci));
	return ci;
}

static void test_cpuinfo_x86(void)
{
	struct host_cpuinfo ci = cpuinfo_fixture("cpuinfo-x86-2s8c");
	struct cpuview v = { .n = 3, .phys = { 1, 5, 6 } };
	g_autoptr(GString) out = g_string_new(NULL);

	render_cpuinfo(&v, &ci, out);
	g_assert_cmpuint(count_lines(out->str, "processor\t: "), ==, 3);
	g_assert_nonnull(strstr(out->str, "processor\t: 0\n"));
	g_assert_nonnull(strstr(out->str, "\n\nprocessor\t: 1\n"));
	g_assert_nonnull(strstr(out->str, "\n\nprocessor\t: 2\n"));
	g_assert_null(strstr(out->str, "processor\t: 3"));
	g_assert_cmpuint(count_lines(out->str, "siblings\t: 3"), ==, 3);
	g_assert_cmpuint(count_lines(out->str, "cpu cores\t: 3"), ==, 3);
	g_assert_cmpuint(count_lines(out->str, "physical id\t: 0"), ==, 3);
	g_assert_cmpuint(count_lines(out->str, "core id\t\t: 2"), ==, 1);
	g_assert_cmpuint(count_lines(out->str, "apicid\t\t: 2"), ==, 1);
	g_assert_cmpuint(count_lines(out->str, "initial apicid\t: 1"), ==, 1);
	g_assert_cmpuint(count_lines(out->str, "flags\t\t: fpu"), ==, 3);
	g_assert_true(g_str_has_suffix(out->str, "power management:\n\n"));
	g_assert_null(strstr(out->str, "\n\n\n"));
	host_cpuinfo_clear(&ci);
}

/* A full view of the real host is the host's file, byte for byte, when
 * its topology is already one socket numbered from 0 (as here). */
static void test_cpuinfo_identity(void)
{
	struct host_cpuinfo ci = cpuinfo_fixture("cpuinfo");
	g_autofree char *text = fixture_read("cpuinfo");
	g_autofree char *online = fixture_read("online");
	struct host_cpus h;
	struct cpuview v;
	g_autoptr(GString) out = g_string_new(NULL);

	g_assert_true(host_cpus_parse(online, &h));
	cpuview_compute(NULL, NULL, &h, true, &v);
	render_cpuinfo(&v, &ci, out);
	g_assert_cmpstr(out->str, ==, text);
	host_cpuinfo_clear(&ci);
}

static void test_cpuinfo_arm64_missing(void)
{
	struct host_cpuinfo ci = cpuinfo_fixture("cpuinfo-arm64");
	struct cpuview v = { .n = 3, .phys = { 3, 7, 2 } }; /* 7: no block */
	g_autoptr(GString) out = g_string_new(NULL);

	render_cpuinfo(&v, &ci, out);
	g_assert_cmpuint(count_lines(out->str, "processor\t: "), ==, 2);
	g_assert_true(g_str_has_prefix(out->str, "processor\t: 0\nBogoMIPS\t: 50.00\n"));
	g_assert_nonnull(strstr(out->str, "\n\nprocessor\t: 1\nBogoMIPS"));
	g_assert_cmpuint(count_lines(out->str, "CPU architecture: 8"), ==, 2);
	g_assert_null(find_line(out->str, "siblings"));
	host_cpuinfo_clear(&ci);
}

static void test_range(void)
{
	g_autoptr(GString) out = g_string_new(NULL);
	struct cpuview v = { .n = 1 };

	render_cpu_range(&v, out);
	g_assert_cmpstr(out->str, ==, "0\n");
	v.n = 4;
	g_string_truncate(out, 0);
	render_cpu_range(&v, out);
	g_assert_cmpstr(out->str, ==, "0-3\n");
}

static void test_dir(void)
{
	g_autofree char *listing = fixture_read("cpu-dir");
	g_auto(GStrv) entries = g_strsplit(g_strstrip(listing), "\n", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	struct cpuview v = { .n = 3, .phys = { 0, 1, 1 } };
	const char *extra[] = { "cpu17", "cpu01", "cpux", "cpu", NULL };
	g_autoptr(GPtrArray) out2 = g_ptr_array_new_with_free_func(g_free);

	render_cpu_dir(&v, (const char *const *)entries, out);
	g_assert_cmpuint(out->len, ==, g_strv_length(entries) - 2 + 3);
	g_assert_cmpstr(out->pdata[0], ==, "cpu0");
	g_assert_cmpstr(out->pdata[2], ==, "cpu2");
	g_assert_cmpstr(out->pdata[3], ==, "cpufreq");
	g_assert_cmpstr(out->pdata[4], ==, "cpuidle");
	g_assert_cmpstr(out->pdata[out->len - 1], ==, "vulnerabilities");

	render_cpu_dir(&v, extra, out2);
	g_assert_cmpuint(out2->len, ==, 5);
	g_assert_cmpstr(out2->pdata[3], ==, "cpux");
	g_assert_cmpstr(out2->pdata[4], ==, "cpu");
}

static void test_map_name(void)
{
	struct cpuview v = { .n = 4, .phys = { 2, 4, 5, 9 } };

	g_assert_cmpint(cpuview_map_name(&v, "cpu0"), ==, 2);
	g_assert_cmpint(cpuview_map_name(&v, "cpu3"), ==, 9);
	g_assert_cmpint(cpuview_map_name(&v, "cpu4"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "cpu01"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "cpufreq"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "cpu"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "cpu-1"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "cpu3x"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "cpu99999999999999999999"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, "online"), ==, -1);
	g_assert_cmpint(cpuview_map_name(&v, ""), ==, -1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cpuview/quota", test_view_quota);
	g_test_add_func("/cpuview/cpuset", test_view_cpuset);
	g_test_add_func("/cpuinfo/x86-2s8c", test_cpuinfo_x86);
	g_test_add_func("/cpuinfo/identity", test_cpuinfo_identity);
	g_test_add_func("/cpuinfo/arm64-missing", test_cpuinfo_arm64_missing);
	g_test_add_func("/cpu/range", test_range);
	g_test_add_func("/cpu/dir", test_dir);
	g_test_add_func("/cpu/map-name", test_map_name);
	return g_test_run();
}
