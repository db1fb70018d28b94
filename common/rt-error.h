/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The error domain shared by the runtime and the hooks (RT_ERROR), its
 * errno helper, and reading a whole (config) file with errors that name it.
 */
#ifndef CORRAL_COMMON_RT_ERROR_H
#define CORRAL_COMMON_RT_ERROR_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#define RT_ERROR (rt_error_quark())
GQuark rt_error_quark(void);

/* Set an RT_ERROR error of @code with the message; returns false. */
bool rt_fail(GError **err, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Set an RT_ERROR_SETUP error "<what>: <strerror(errnum)>"; returns false. */
bool rt_fail_errno(GError **err, int errnum, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The whole file @path (at most @max bytes) in *@len bytes, NUL-ended;
 * RT_ERROR_USAGE "PATH: reason" otherwise. */
char *rt_read_file(const char *path, size_t max, size_t *len, GError **err);

enum rt_error_code {
	RT_ERROR_USAGE,   /* bad option or value: message names the option */
	RT_ERROR_SETUP,   /* a step of building the container failed */
	RT_ERROR_CGROUP,  /* creating/configuring a cgroup failed */
	RT_ERROR_EXEC,    /* the command could not be executed */
};

#endif
