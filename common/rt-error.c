/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The error domain of corral's runtime (RT_ERROR), its errno helper, and
 * reading a whole (config) file with errors that name it. */
#include "common/rt-error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

G_DEFINE_QUARK(corral-runtime-error-quark, rt_error)

bool rt_fail(GError **err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(err, RT_ERROR, code, msg);
	return false;
}

bool rt_fail_errno(GError **err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "%s: %s", what, g_strerror(errnum));
	return false;
}

char *rt_read_file(const char *path, size_t max, size_t *len, GError **err)
{
	g_autoptr(GString) text = g_string_new(NULL);
	char buf[16384];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	while ((n = read(fd, buf, sizeof buf)) > 0 && text->len <= max)
		g_string_append_len(text, buf, n);
	int e = errno;
	close(fd);
	if (n < 0) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: %s", path, g_strerror(e));
		return NULL;
	}
	if (text->len > max) {
		g_set_error(err, RT_ERROR, RT_ERROR_USAGE, "%s: larger than %zu MiB", path, max >> 20);
		return NULL;
	}
	*len = text->len;
	return g_string_free(g_steal_pointer(&text), FALSE);
}
