/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corral: `corral run` (a container), `corral rootfs busybox DIR`.
 * Exit status: the container's; 125 when corral itself fails (bad options
 * included, as Docker does), with "corral: MESSAGE" on stderr.
 */
#include "runtime/cli.h"
#include "runtime/container.h"

#include <stdio.h>
#include <string.h>

#define EXIT_CORRAL 125

static const char usage[] =
	"Usage: corral run [OPTIONS] [--rootfs DIR] [--] CMD [ARG...]\n"
	"       corral rootfs busybox DIR\n"
	"       corral --help | --version\n"
	"\n"
	"  run             run CMD in a new container (corral run --help for the options)\n"
	"  rootfs busybox  build a minimal root filesystem in DIR from Debian's\n"
	"                  busybox-static (/bin/busybox)\n"
	"\n"
	"Exit status: the container's (128+N if killed by signal N, 127 if the\n"
	"command was not found); 125 if corral itself failed, bad options included.\n";

static int fail(GError *err)
{
	fprintf(stderr, "corral: %s\n", err->message);
	g_error_free(err);
	return EXIT_CORRAL;
}

static int cmd_run(int argc, char **argv)
{
	g_autoptr(rt_spec) spec = NULL;
	GError *err = NULL;
	int status;

	if (rt_cli_wants_help(argc, argv)) {
		fputs(rt_cli_run_usage, stdout);
		return 0;
	}
	spec = rt_cli_parse_run(argc, argv, &err);
	if (!spec)
		return fail(err);
	if (!spec->root.path && !(spec->root.path = rt_rootfs_default(&err)))
		return fail(err);
	status = rt_run(spec, &err);
	if (err) {
		fprintf(stderr, "corral: %s\n", err->message);
		g_error_free(err);
	}
	return status;
}

static int cmd_rootfs(int argc, char **argv)
{
	GError *err = NULL;

	if (argc != 3 || strcmp(argv[1], "busybox") != 0) {
		fputs("corral: usage: corral rootfs busybox DIR\n", stderr);
		return EXIT_CORRAL;
	}
	if (!rt_rootfs_busybox(argv[2], &err))
		return fail(err);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		fputs(usage, stderr);
		return EXIT_CORRAL;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "rootfs"))
		return cmd_rootfs(argc - 1, argv + 1);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("corral %s\n", CORRAL_VERSION);
		return 0;
	}
	fprintf(stderr, "corral: unknown command '%s' (see corral --help)\n", cmd);
	return EXIT_CORRAL;
}
