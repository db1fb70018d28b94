/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: host_*_parse on real fixtures and on garbage. */
#include "proc/proc.h"
#include "fixture.h"

static void test_mem_real(void)
{
	g_autofree char *text = fixture_read("meminfo");
	struct host_mem m;

	g_assert_true(host_mem_parse(text, &m));
	g_assert_cmpuint(m.mem_total_kb, ==, 24683620);
	g_assert_cmpuint(m.swap_total_kb, ==, 0);
	g_assert_cmpuint(m.vmalloc_total_kb, ==, 34359738367ULL);
	g_assert_cmpuint(m.hugepagesize_kb, ==, 2048);
	g_assert_cmpuint(m.overcommit_ratio, ==, 50);
}

static void test_mem_garbage(void)
{
	struct host_mem m;
	static const char *bad[] = {
		"", "garbage", "MemTotal:", "MemTotal: kB\n", "MemTotal: -5 kB\n",
		"MemTotal: 99999999999999999999999 kB\n", "MemTotalX: 5 kB\n",
		"MemTotal: 0 kB\n", "\n\n\n",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(host_mem_parse(bad[i], &m));
	g_assert_false(host_mem_parse(NULL, &m));
	g_assert_true(host_mem_parse("MemTotal: 1000 kB", &m)); /* no newline */
	g_assert_cmpuint(m.mem_total_kb, ==, 1000);
	g_assert_true(host_mem_parse("SwapTotal: 10 kB\nSwapFree: 20 kB\nMemTotal: 7 kB\n", &m));
	g_assert_cmpuint(m.swap_free_kb, ==, 10); /* clamped to total */
}

static void test_cpuinfo_real(void)
{
	g_autofree char *text = fixture_read("cpuinfo");
	struct host_cpuinfo c;

	g_assert_true(host_cpuinfo_parse(text, &c));
	g_assert_cmpuint(c.nblocks, ==, 2);
	g_assert_cmpstr(c.header, ==, "");
	g_assert_cmpstr(c.trailer, ==, "");
	g_assert_cmpuint(c.cpu_id[0], ==, 0);
	g_assert_cmpuint(c.cpu_id[1], ==, 1);
	g_assert_true(g_str_has_prefix(c.block[1], "processor\t: 1\n"));
	g_assert_true(g_str_has_suffix(c.block[1], "power management:\n"));
	host_cpuinfo_clear(&c);
}

static void test_cpuinfo_header_trailer(void)
{
	const char *text = "vendor_id : IBM/S390\n# processors : 2\n\n"
			   "processor\t: 0\nfoo\t: a\n\n"
			   "processor\t: 3\nfoo\t: b\n\n"
			   "Hardware\t: X\n";
	struct host_cpuinfo c;

	g_assert_true(host_cpuinfo_parse(text, &c));
	g_assert_cmpstr(c.header, ==, "vendor_id : IBM/S390\n# processors : 2\n\n");
	g_assert_cmpuint(c.nblocks, ==, 2);
	g_assert_cmpuint(c.cpu_id[1], ==, 3);
	g_assert_cmpstr(c.block[1], ==, "processor\t: 3\nfoo\t: b\n");
	g_assert_cmpstr(c.trailer, ==, "Hardware\t: X\n");
	host_cpuinfo_clear(&c);

	g_assert_true(host_cpuinfo_parse("processor : 0\nx : y", &c)); /* no final newline */
	g_assert_cmpstr(c.block[0], ==, "processor : 0\nx : y\n");
	host_cpuinfo_clear(&c);
}

static void test_cpuinfo_garbage(void)
{
	struct host_cpuinfo c;
	static const char *bad[] = {
		"", "\n\n", "processor", "processor\t:", "processor\t: x\n",
		"processor\t: 99999999999999999999\n", "processor\t: 5000\n",
		"processor 0: version = FF\n", "processorx\t: 0\n", "processor\t: 1 2\n",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_false(host_cpuinfo_parse(bad[i], &c));
		host_cpuinfo_clear(&c); /* safe after failure */
	}
	g_assert_false(host_cpuinfo_parse(NULL, &c));
}

static void test_cpus(void)
{
	g_autofree char *text = fixture_read("online");
	struct host_cpus h;

	g_assert_true(host_cpus_parse(text, &h));
	g_assert_cmpuint(h.nonline, ==, 2);
	g_assert_true(host_cpus_parse("0-3,8\n", &h));
	g_assert_cmpuint(h.nonline, ==, 5);
	g_assert_true(cg_cpumask_test(&h.online, 8));
	g_assert_false(host_cpus_parse("", &h));
	g_assert_false(host_cpus_parse("x-y", &h));
	g_assert_false(host_cpus_parse(NULL, &h));
}

static void test_stat_real(void)
{
	g_autofree char *text = fixture_read("stat");
	struct host_stat s;

	g_assert_true(host_stat_parse(text, &s));
	g_assert_cmpuint(s.btime, ==, 1795387011);
	g_assert_true(g_str_has_prefix(s.intr_line, "intr 126538 0 "));
	g_assert_cmpstr(s.ctxt_line, ==, "ctxt 248706\n");
	g_assert_cmpstr(s.softirq_line, ==, "softirq 94632 0 10931 4 1185 32415 0 4 28565 0 21528\n");
	host_stat_clear(&s);
}

static void test_stat_garbage(void)
{
	struct host_stat s;

	g_assert_false(host_stat_parse("", &s));
	g_assert_false(host_stat_parse("intr 1 2\nctxt 5\n", &s)); /* no btime */
	g_assert_null(s.intr_line);
	g_assert_false(host_stat_parse("btime x\n", &s));
	g_assert_false(host_stat_parse(NULL, &s));
	g_assert_true(host_stat_parse("btime 12", &s));
	g_assert_cmpuint(s.btime, ==, 12);
	g_assert_null(s.ctxt_line);
	host_stat_clear(&s);
	g_assert_true(host_stat_parse("ctxt 9", &s) == false);
	g_assert_true(host_stat_parse("btime 1\nctxt 9", &s));
	g_assert_cmpstr(s.ctxt_line, ==, "ctxt 9\n");
	host_stat_clear(&s);
}

static void test_disks(void)
{
	g_autofree char *text = fixture_read("diskstats");
	struct host_disks d;

	g_assert_true(host_disks_parse(text, &d));
	g_assert_cmpuint(d.n, ==, 10);
	g_assert_cmpstr(host_disks_name(&d, 254, 0), ==, "vda");
	g_assert_cmpstr(host_disks_name(&d, 7, 3), ==, "loop3");
	g_assert_cmpstr(host_disks_name(&d, 253, 0), ==, "zram0");
	g_assert_null(host_disks_name(&d, 8, 0));
	for (size_t i = 1; i < d.n; i++) /* sorted */
		g_assert_true(d.d[i - 1].major < d.d[i].major ||
			      (d.d[i - 1].major == d.d[i].major && d.d[i - 1].minor < d.d[i].minor));
	host_disks_clear(&d);

	g_assert_true(host_disks_parse("", &d));
	g_assert_cmpuint(d.n, ==, 0);
	g_assert_null(host_disks_name(&d, 1, 1));
	host_disks_clear(&d);
	g_assert_true(host_disks_parse("   8       1 sda1 1 2 3", &d));
	g_assert_cmpstr(host_disks_name(&d, 8, 1), ==, "sda1");
	host_disks_clear(&d);
}

static void test_disks_garbage(void)
{
	struct host_disks d;
	static const char *bad[] = {
		"x", "8\n", "8 0\n", "8 0 \n", "   7 0 loop0 0\nbroken line\n",
		"99999999999 0 sda\n", "8 -1 sda\n", "8x 0 sda\n",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_false(host_disks_parse(bad[i], &d));
		g_assert_cmpuint(d.n, ==, 0);
		g_assert_null(d.d);
	}
	g_assert_false(host_disks_parse(NULL, &d));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/host/mem/real", test_mem_real);
	g_test_add_func("/host/mem/garbage", test_mem_garbage);
	g_test_add_func("/host/cpuinfo/real", test_cpuinfo_real);
	g_test_add_func("/host/cpuinfo/header-trailer", test_cpuinfo_header_trailer);
	g_test_add_func("/host/cpuinfo/garbage", test_cpuinfo_garbage);
	g_test_add_func("/host/cpus", test_cpus);
	g_test_add_func("/host/stat/real", test_stat_real);
	g_test_add_func("/host/stat/garbage", test_stat_garbage);
	g_test_add_func("/host/disks/real", test_disks);
	g_test_add_func("/host/disks/garbage", test_disks_garbage);
	return g_test_run();
}
