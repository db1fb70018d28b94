/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The error domain of corral's runtime (RT_ERROR), and its errno helper. */
#include "runtime/spec.h"

#include <stdarg.h>

G_DEFINE_QUARK(corral-runtime-error-quark, rt_error)

bool rt_fail_errno(GError **err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "%s: %s", what, g_strerror(errnum));
	return false;
}
