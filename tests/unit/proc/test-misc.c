/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: loadavg, diskstats, pressure. */
#include "proc/proc.h"
#include "fixture.h"

#include <math.h>

static void test_loadavg_converges(void)
{
	struct loadavg la = { { 0, 0, 0 } };

	for (int i = 0; i < 12; i++) /* one minute at 5 s steps */
		loadavg_update(&la, 3, 5.0);
	g_assert_cmpfloat_with_epsilon(la.avg[0], 3 * (1 - exp(-1.0)), 1e-9);
	g_assert_cmpfloat(la.avg[1], <, la.avg[0]);
	g_assert_cmpfloat(la.avg[2], <, la.avg[1]);
	for (int i = 0; i < 12 * 120; i++) /* two hours */
		loadavg_update(&la, 3, 5.0);
	for (int k = 0; k < 3; k++)
		g_assert_cmpfloat_with_epsilon(la.avg[k], 3.0, 1e-3);
	for (int i = 0; i < 12 * 180; i++) /* idle again, three hours */
		loadavg_update(&la, 0, 5.0);
	for (int k = 0; k < 3; k++)
		g_assert_cmpfloat_with_epsilon(la.avg[k], 0.0, 1e-4);
	loadavg_update(&la, 100, 0.0); /* no time passed: nothing changes */
	loadavg_update(&la, 100, -1.0);
	loadavg_update(&la, 100, NAN);
	g_assert_cmpfloat(la.avg[0], <, 1e-3);
	/* one long step equals many short ones */
	struct loadavg a = { { 1, 1, 1 } }, b = a;
	loadavg_update(&a, 4, 60.0);
	for (int i = 0; i < 60; i++)
		loadavg_update(&b, 4, 1.0);
	for (int k = 0; k < 3; k++)
		g_assert_cmpfloat_with_epsilon(a.avg[k], b.avg[k], 1e-9);
}

static void test_loadavg_render(void)
{
	struct loadavg la = { { 1.005, 0.5, 12.3456 } };
	struct cg_tasks t = { .valid = true, .nr_running = 2, .nr_threads = 37, .last_pid = 4242 };
	g_autoptr(GString) out = g_string_new(NULL);

	render_loadavg(&la, &t, out);
	g_assert_cmpstr(out->str, ==, "1.00 0.50 12.35 2/37 4242\n"); /* 1.005 is 1.00499.. in binary */
	t.nr_running = 0;
	g_string_truncate(out, 0);
	render_loadavg(&la, &t, out);
	g_assert_cmpstr(out->str, ==, "1.00 0.50 12.35 1/37 4242\n");
	t.valid = false;
	g_string_truncate(out, 0);
	render_loadavg(&(struct loadavg){ { 0, 0, 0 } }, &t, out);
	g_assert_cmpstr(out->str, ==, "0.00 0.00 0.00 0/0 0\n");
}

static void test_diskstats(void)
{
	g_autofree char *text = fixture_read("diskstats");
	struct host_disks hd;
	struct cg_blkdev dev[] = {
		{ .major = 254, .minor = 0, .read_bytes = 987136000, .write_bytes = 241872896,
		  .discard_bytes = 4096, .read_ios = 28292, .write_ios = 5079, .discard_ios = 1 },
		{ .major = 7, .minor = 1, .read_ios = 3, .read_bytes = 1536 },
		{ .major = 8, .minor = 0, .read_ios = 9 }, /* unknown on the host */
	};
	struct cg_blkio io = { .valid = true, .ndev = 3, .dev = dev };
	g_autoptr(GString) out = g_string_new(NULL);

	g_assert_true(host_disks_parse(text, &hd));
	render_diskstats(&io, &hd, out);
	g_assert_cmpstr(out->str, ==,
			"   7       1 loop1 3 0 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
			" 254       0 vda 28292 0 1928000 0 5079 0 472408 0 0 0 0 1 0 8 0 0 0\n");
	g_auto(GStrv) f = g_strsplit_set(strchr(out->str, '\n') + 1, " \n", -1);
	unsigned cols = 0;
	for (char **p = f; *p; p++)
		cols += **p != '\0';
	g_assert_cmpuint(cols, ==, 20);

	io.valid = false;
	g_string_truncate(out, 0);
	render_diskstats(&io, &hd, out);
	g_assert_cmpstr(out->str, ==, "");
	host_disks_clear(&hd);
}

static void test_pressure(void)
{
	const char *text = "some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\n"
			   "full avg10=0.10 avg60=0.02 avg300=0.00 total=7890\n";
	struct cg_psi psi = { .valid = true, .has_full = true,
			      .some = { 1.5, 0.25, 0, 123456 }, .full = { 0.1, 0.02, 0, 7890 } };
	g_autoptr(GString) out = g_string_new(NULL);

	render_pressure(&psi, out);
	g_assert_cmpstr(out->str, ==, text);

	psi.has_full = false;
	g_string_truncate(out, 0);
	render_pressure(&psi, out);
	g_assert_cmpstr(out->str, ==, "some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\n");

	psi.valid = false;
	g_string_truncate(out, 0);
	render_pressure(&psi, out);
	g_assert_cmpstr(out->str, ==,
			"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/loadavg/converges", test_loadavg_converges);
	g_test_add_func("/loadavg/render", test_loadavg_render);
	g_test_add_func("/diskstats", test_diskstats);
	g_test_add_func("/pressure", test_pressure);
	return g_test_run();
}
