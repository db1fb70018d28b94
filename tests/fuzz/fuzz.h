/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by the libFuzzer targets of tests/fuzz (built with
 * -Dfuzz=true, run by .ci/fuzz and bench/fuzz.sh).  A target frees all it
 * allocates (LeakSanitizer fails the run otherwise) and writes files only
 * in its own temporary directory.
 */
#ifndef CORRAL_TEST_FUZZ_H
#define CORRAL_TEST_FUZZ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* @size bytes of @data as a NUL-terminated string (text parsers read up
 * to the first NUL, as they do with a kernel file). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = g_malloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* The fixture tree $FIXTURES/@name (default: the source tree's
 * tests/fixtures, FUZZ_FIXTURES). */
static inline char *fuzz_fixture(const char *name)
{
	const char *root = g_getenv("FIXTURES");

	return g_build_filename(root ? root : FUZZ_FIXTURES, name, NULL);
}

#endif
