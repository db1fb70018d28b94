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
/*
 * `corral run`'s limit options (--memory, --memory-swap,
 * --memory-reservation, --cpus, --cpu-shares, --cpuset-cpus, --cpuset-mems,
 * --pids-limit), given as NULL-ended (OPTION, VALUE) pairs, into @res
 * (every field of it set: RT_UNSET where not given; devices NULL; g_free
 * cpu.cpus and cpu.mems), with run's checks and messages.  For commands
 * that take run's limits (`corral delegate`).
 */
bool rt_cli_parse_limits(const char *const *pairs, struct rt_resources *res, GError **err);
/* Parse "512", "64k", "256m", "1g" (case-insensitive, binary units). */
bool rt_parse_size(const char *text, int64_t *bytes);

/* `corral delegate` (delegate.c): its options, parsed. */
struct rt_delegate {
	bool help;
	char *remove;            /* --remove CGROUP, else NULL */
	char *user, *group;      /* as given (names or numeric ids) */
	char *cgroup;            /* CGROUP as given */
	char *path;              /* CGROUP without its leading '/' and empty
				  * components ("a/b") */
	bool absolute;           /* CGROUP started with '/': from each
				  * hierarchy's root, else below the caller's
				  * own cgroup */
	struct rt_resources res; /* the limits (rt_cli_parse_limits) */
	char **cmd;              /* after "--", NULL: none */
};
/*
 * Parse `corral delegate ...` (argv[0] is "delegate").  A wrong option,
 * value or combination: NULL and an RT_ERROR_USAGE error naming it.
 * --help alone makes a result with only @help set.
 */
struct rt_delegate *rt_cli_parse_delegate(int argc, char **argv, GError **err);
void rt_delegate_free(struct rt_delegate *d);
typedef struct rt_delegate rt_delegate;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rt_delegate, rt_delegate_free)
/* The whole command: exit status 0, CMD's status, 125 for bad usage, 1
 * for failures ("corral: delegate: MESSAGE" on stderr). */
int rt_cli_delegate(int argc, char **argv);
extern const char rt_cli_delegate_usage[];

/* Build a minimal rootfs in @dir from Debian's busybox-static. */
bool rt_rootfs_busybox(const char *dir, GError **err);
/* The default rootfs, built on first use in corral's state directory
 * (/var/lib/corral-runtime/rootfs/busybox); g_free the result. */
char *rt_rootfs_default(GError **err);

#endif
