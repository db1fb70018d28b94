/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corral's command line and its default root filesystem. */
#ifndef CORRAL_RUNTIME_CLI_H
#define CORRAL_RUNTIME_CLI_H

#include "runtime/spec/spec.h"

/*
 * Parse `corral run [OPTIONS] [--rootfs DIR] [--] CMD [ARG...]` (argv[0]
 * is "run") into a spec started from rt_spec_set_defaults().  A wrong
 * option or value: NULL and an RT_ERROR_USAGE error that names the option
 * ("--memory: invalid size 'abc'").
 */
struct rt_spec *rt_cli_parse_run(int argc, char **argv, GError **err);
/* True if -h/--help comes before the command of `corral run` (the
 * caller prints rt_cli_run_usage and exits 0). */
bool rt_cli_wants_help(int argc, char **argv);
extern const char rt_cli_run_usage[];
/* Parse "512", "64k", "256m", "1g" (case-insensitive, binary units). */
bool rt_parse_size(const char *text, int64_t *bytes);

/* Build a minimal rootfs in @dir from Debian's busybox-static. */
bool rt_rootfs_busybox(const char *dir, GError **err);
/* The default rootfs, built on first use in corral's state directory
 * (/var/lib/corral-runtime/rootfs/busybox); g_free the result. */
char *rt_rootfs_default(GError **err);

#endif
