/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers for proc/: host fixture files and output line access. */
#ifndef CORRAL_TEST_PROC_FIXTURE_H
#define CORRAL_TEST_PROC_FIXTURE_H

#include <glib.h>
#include <string.h>

/* Contents of tests/fixtures/host/@name (directory from $FIXTURES). */
static inline char *fixture_read(const char *name)
{
	const char *dir = g_getenv("FIXTURES");
	g_autofree char *path = g_build_filename(dir ? dir : "tests/fixtures", "host", name, NULL);
	char *text = NULL;
	g_autoptr(GError) err = NULL;

	if (!g_file_get_contents(path, &text, NULL, &err))
		g_error("fixture %s: %s", path, err->message);
	return text;
}

/* The line of @text starting with @prefix (without its '\n'), or NULL. */
static inline char *find_line(const char *text, const char *prefix)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (char **l = lines; *l; l++)
		if (g_str_has_prefix(*l, prefix))
			return g_strdup(*l);
	return NULL;
}

static inline unsigned count_lines(const char *text, const char *prefix)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	unsigned n = 0;

	for (char **l = lines; *l; l++)
		n += g_str_has_prefix(*l, prefix);
	return n;
}

#endif
