/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The warning rate limit (fs/log.c): keyed by call site, a bounded table
 * whose entries expire, and one "N more warnings left out" line.
 */
#include "fs/fs.h"
#include "fs/testing.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MINUTE_US ((gint64)61 * G_USEC_PER_SEC)

struct capture {
	int saved;
	char *path;
};

static void capture_begin(struct capture *c)
{
	g_autoptr(GError) err = NULL;
	int fd = g_file_open_tmp("fs-log-XXXXXX", &c->path, &err);

	g_assert_no_error(err);
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	g_assert_cmpint(dup2(fd, STDERR_FILENO), ==, STDERR_FILENO);
	close(fd);
}

/* The lines written to stderr since capture_begin. */
static char **capture_end(struct capture *c)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;

	fflush(stderr);
	g_assert_cmpint(dup2(c->saved, STDERR_FILENO), ==, STDERR_FILENO);
	close(c->saved);
	g_file_get_contents(c->path, &text, NULL, &err);
	g_assert_no_error(err);
	unlink(c->path);
	g_free(c->path);
	g_strchomp(text);
	return *text ? g_strsplit(text, "\n", -1) : g_new0(char *, 1);
}

/* One call site, as fs/render.c's "answering with the host's file". */
static void warn_reader_gone(int pid)
{
	log_warn_limited("answering with the host's file: reader %d: gone", pid);
}

static void test_one_site(void)
{
	struct capture c;
	g_auto(GStrv) lines = NULL;

	capture_begin(&c);
	for (int pid = 1000; pid < 11000; pid++)
		warn_reader_gone(pid);
	log_test_advance(MINUTE_US);
	warn_reader_gone(42);
	lines = capture_end(&c);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);
	g_assert_cmpstr(lines[0], ==,
			"corralfs: warning: answering with the host's file: reader 1000: gone");
	g_assert_cmpstr(lines[1], ==,
			"corralfs: warning: answering with the host's file: reader 42: gone");
	g_assert_cmpstr(lines[2], ==, "corralfs: warning: 9999 more warnings left out");
}

/* Distinct keys: at most 256 are tracked; the rest are counted. */
static void test_bounded_table(void)
{
	struct capture c;
	g_auto(GStrv) lines = NULL;
	g_autofree char *last = NULL, *left_out = NULL;
	guint n;

	log_test_advance(MINUTE_US); /* earlier entries expire */
	capture_begin(&c);
	for (int i = 0; i < 10000; i++) {
		g_autofree char *key = g_strdup_printf("key-%d", i);

		log_warn_ratelimited(key, "distinct %d", i);
	}
	lines = capture_end(&c);
	n = g_strv_length(lines);
	/* the table may still hold the previous test's entry: 255 or 256 */
	g_assert_cmpuint(n, >=, 255);
	g_assert_cmpuint(n, <=, 256);
	last = g_strdup_printf("corralfs: warning: distinct %u", n - 1);
	g_assert_cmpstr(lines[n - 1], ==, last);
	g_strfreev(g_steal_pointer(&lines));

	log_test_advance(MINUTE_US);
	capture_begin(&c);
	log_warn_ratelimited("key-after", "after a minute");
	lines = capture_end(&c);
	g_assert_cmpuint(g_strv_length(lines), ==, 2);
	g_assert_cmpstr(lines[0], ==, "corralfs: warning: after a minute");
	left_out = g_strdup_printf("corralfs: warning: %u more warnings left out", 10000 - n);
	g_assert_cmpstr(lines[1], ==, left_out);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	log_init(false, false);
	g_test_add_func("/fs/log/one-site", test_one_site);
	g_test_add_func("/fs/log/bounded-table", test_bounded_table);
	return g_test_run();
}
