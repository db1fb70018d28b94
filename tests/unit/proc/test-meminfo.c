/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests: render_meminfo, render_swaps. */
#include "proc/proc.h"
#include "fixture.h"

#include <stdlib.h>

#define MiB (UINT64_C(1) << 20)
#define KiB UINT64_C(1024)

static struct host_mem host_from_fixture(void)
{
	g_autofree char *text = fixture_read("meminfo");
	struct host_mem h;

	g_assert_true(host_mem_parse(text, &h));
	return h;
}

/* A 256 MiB container, 100 MiB in use. */
static struct cg_memory mem_256(void)
{
	return (struct cg_memory){
		.valid = true, .limit = 256 * MiB, .usage = 100 * MiB,
		.swap_accounting = true, .swap_limit = 64 * MiB, .swap_usage = 4 * MiB,
		.swappiness = 60,
		.file = 40 * MiB, .anon = 50 * MiB, .shmem = 2 * MiB,
		.file_mapped = 10 * MiB, .file_dirty = 12 * KiB, .file_writeback = 0,
		.swapcached = 8 * KiB,
		.active_anon = 30 * MiB, .inactive_anon = 20 * MiB,
		.active_file = 25 * MiB, .inactive_file = 15 * MiB,
		.unevictable = 1 * MiB, .anon_thp = 2 * MiB,
		.slab_reclaimable = 3 * MiB, .slab_unreclaimable = 1 * MiB,
		.kernel_stack = 256 * KiB, .pagetables = 512 * KiB,
	};
}

/* Value of @key's line in kB (asserting the line exists). */
static uint64_t value_of(const char *text, const char *key)
{
	g_autofree char *prefix = g_strdup_printf("%s:", key);
	g_autofree char *l = find_line(text, prefix);

	g_assert_nonnull(l);
	return g_ascii_strtoull(l + strlen(prefix), NULL, 10);
}

static void assert_line(const char *text, const char *expected)
{
	g_autofree char *key = g_strndup(expected, strchr(expected, ':') + 1 - expected);
	g_autofree char *l = find_line(text, key);

	g_assert_cmpstr(l, ==, expected);
}

static void test_limit_256(void)
{
	struct host_mem h = host_from_fixture();
	struct cg_memory m = mem_256();
	g_autoptr(GString) out = g_string_new(NULL);

	h.swap_total_kb = h.swap_free_kb = 1048576;
	render_meminfo(&m, &h, out);
	assert_line(out->str, "MemTotal:         262144 kB");
	assert_line(out->str, "MemFree:          159744 kB");              /* 262144 - 102400 */
	assert_line(out->str, "MemAvailable:     203776 kB");              /* + 25+15+3 MiB */
	assert_line(out->str, "Buffers:               0 kB");
	assert_line(out->str, "Cached:            40960 kB");
	assert_line(out->str, "Active:            56320 kB");
	assert_line(out->str, "Inactive:          35840 kB");
	assert_line(out->str, "SwapTotal:         65536 kB");
	assert_line(out->str, "SwapFree:          61440 kB");
	assert_line(out->str, "Slab:               4096 kB");
	assert_line(out->str, "CommitLimit:      196608 kB");              /* 131072 + 65536 */
	assert_line(out->str, "Committed_AS:      53248 kB");
	assert_line(out->str, "VmallocTotal:   34359738367 kB");
	assert_line(out->str, "HugePages_Total:       0");
	assert_line(out->str, "Hugepagesize:       2048 kB");
	assert_line(out->str, "HardwareCorrupted:     0 kB");
	g_assert_null(find_line(out->str, "DirectMap"));
}

/* Same keys, same order as the host's file (minus DirectMap and lines the
 * host kernel is not configured for). */
static void test_line_set(void)
{
	struct host_mem h = host_from_fixture();
	struct cg_memory m = mem_256();
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *host = fixture_read("meminfo");
	g_auto(GStrv) hl = g_strsplit(host, "\n", -1);
	g_auto(GStrv) ol = NULL;
	size_t j = 0;

	render_meminfo(&m, &h, out);
	ol = g_strsplit(out->str, "\n", -1);
	for (char **l = hl; *l && **l; l++) {
		if (g_str_has_prefix(*l, "DirectMap"))
			continue;
		while (ol[j] && g_str_has_prefix(ol[j], "HardwareCorrupted"))
			j++;
		g_assert_nonnull(ol[j]);
		size_t key = strchr(*l, ':') + 1 - *l;
		g_assert_cmpint(strncmp(*l, ol[j], key), ==, 0);
		/* values end at column 24 (8 wide after a 16-wide key) when they fit */
		if (!g_str_has_prefix(*l, "VmallocTotal") && !g_str_has_prefix(*l, "MemTotal"))
			g_assert_cmpuint(strlen(ol[j]), ==, strlen(*l));
		if (g_str_has_suffix(*l, " kB"))
			g_assert_true(g_str_has_suffix(ol[j], " kB"));
		j++;
	}
	g_assert_cmpstr(ol[j], ==, "");
}

static void assert_all_bounded(const char *text)
{
	uint64_t total = value_of(text, "MemTotal");
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	static const char *host_wide[] = { "VmallocTotal", "Hugepagesize", "CommitLimit",
					   "SwapTotal", "SwapFree" };

	for (char **l = lines; *l && **l; l++) {
		bool skip = false;
		for (size_t i = 0; i < G_N_ELEMENTS(host_wide); i++)
			skip = skip || g_str_has_prefix(*l, host_wide[i]);
		if (skip)
			continue;
		uint64_t v = g_ascii_strtoull(strchr(*l, ':') + 1, NULL, 10);
		if (v > total)
			g_error("line over MemTotal %" G_GUINT64_FORMAT ": %s", total, *l);
	}
}

/* Numbers far above the limit are clamped, never shown as host-sized. */
static void test_clamped(void)
{
	struct host_mem h = host_from_fixture();
	struct cg_memory m = mem_256();
	g_autoptr(GString) out = g_string_new(NULL);

	m.usage = 300 * MiB; /* more than the limit (kernel slack) */
	m.file = m.anon = m.shmem = m.file_mapped = 20ULL << 30;
	m.active_anon = m.active_file = m.inactive_file = m.slab_reclaimable = 20ULL << 30;
	render_meminfo(&m, &h, out);
	assert_line(out->str, "MemFree:               0 kB");
	assert_line(out->str, "MemAvailable:     262144 kB");
	assert_all_bounded(out->str);
	g_string_truncate(out, 0);
	render_meminfo(&(struct cg_memory){ .valid = true, .limit = CG_UNLIMITED }, &h, out);
	assert_line(out->str, "MemTotal:       24683620 kB"); /* host's */
	assert_line(out->str, "MemFree:        24683620 kB");
	assert_all_bounded(out->str);
}

static void test_bounded_random(void)
{
	struct host_mem h = host_from_fixture();

	for (int i = 0; i < 2000; i++) {
		g_autoptr(GString) out = g_string_new(NULL);
		struct cg_memory m = mem_256();
		uint64_t *fields[] = {
			&m.usage, &m.file, &m.anon, &m.shmem, &m.file_mapped, &m.file_dirty,
			&m.file_writeback, &m.swapcached, &m.active_anon, &m.inactive_anon,
			&m.active_file, &m.inactive_file, &m.unevictable, &m.anon_thp,
			&m.slab_reclaimable, &m.slab_unreclaimable, &m.kernel_stack,
			&m.pagetables, &m.swap_usage,
		};
		m.limit = (uint64_t)g_test_rand_int_range(1, 1 << 30) * 4096;
		for (size_t f = 0; f < G_N_ELEMENTS(fields); f++)
			*fields[f] = (uint64_t)g_test_rand_int_range(0, 1 << 30) * 64;
		render_meminfo(&m, &h, out);
		assert_all_bounded(out->str);
	}
}

static void test_swap_rules(void)
{
	struct host_mem h = host_from_fixture();
	struct cg_memory m = mem_256();
	g_autoptr(GString) out = g_string_new(NULL);

	h.swap_total_kb = 1048576;
	h.swap_free_kb = 1000000;
	m.swappiness = 0;
	render_meminfo(&m, &h, out);
	assert_line(out->str, "SwapTotal:             0 kB");
	assert_line(out->str, "SwapFree:              0 kB");
	assert_line(out->str, "CommitLimit:      131072 kB");

	m = mem_256();
	m.swap_accounting = false;
	g_string_truncate(out, 0);
	render_meminfo(&m, &h, out);
	assert_line(out->str, "SwapTotal:             0 kB");

	m = mem_256();
	m.swappiness = -1; /* v2 */
	m.swap_limit = CG_UNLIMITED;
	g_string_truncate(out, 0);
	render_meminfo(&m, &h, out);
	assert_line(out->str, "SwapTotal:       1048576 kB"); /* capped by host */
	assert_line(out->str, "SwapFree:        1044480 kB");

	m.swap_usage = 2ULL << 30; /* over */
	g_string_truncate(out, 0);
	render_meminfo(&m, &h, out);
	assert_line(out->str, "SwapFree:              0 kB");
}

static void test_invalid(void)
{
	struct host_mem h = host_from_fixture();
	struct cg_memory m = { .valid = false };
	g_autoptr(GString) out = g_string_new(NULL);

	render_meminfo(&m, &h, out);
	assert_line(out->str, "MemTotal:       24683620 kB");
	assert_line(out->str, "MemFree:        24683620 kB");
	assert_line(out->str, "MemAvailable:   24683620 kB");
	assert_line(out->str, "Cached:                0 kB");
	assert_line(out->str, "SwapTotal:             0 kB");
}

static void test_swaps(void)
{
	struct host_mem h = host_from_fixture();
	struct cg_memory m = mem_256();
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *host_swaps = fixture_read("swaps");

	render_swaps(&m, &h, out); /* host has no swap: no device line */
	g_assert_cmpstr(out->str, ==, host_swaps);
	g_assert_cmpstr(out->str, ==, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");

	h.swap_total_kb = 1048576;
	g_string_truncate(out, 0);
	render_swaps(&m, &h, out);
	g_assert_cmpstr(out->str, ==,
			"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			"none                                    virtual\t\t65536\t\t4096\t\t0\n");

	m.swappiness = 0;
	g_string_truncate(out, 0);
	render_swaps(&m, &h, out);
	g_assert_cmpuint(count_lines(out->str, "none"), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/meminfo/limit-256", test_limit_256);
	g_test_add_func("/meminfo/line-set", test_line_set);
	g_test_add_func("/meminfo/clamped", test_clamped);
	g_test_add_func("/meminfo/bounded-random", test_bounded_random);
	g_test_add_func("/meminfo/swap-rules", test_swap_rules);
	g_test_add_func("/meminfo/invalid", test_invalid);
	g_test_add_func("/swaps", test_swaps);
	return g_test_run();
}
