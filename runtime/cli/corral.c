/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corral: `corral run` (a container), `corral rootfs busybox DIR`,
 * `corral delegate` (a cgroup given to a user: delegate.c).
 * Exit status: the container's; 125 when corral itself fails (bad options
 * included, as Docker does), with "corral: MESSAGE" on stderr.
 */
#include "runtime/cli/cli.h"
#include "runtime/process/container.h"
#include "runtime/oci/oci.h"

#include <stdio.h>
#include <string.h>

#define EXIT_CORRAL 125

static const char usage[] =
	"Usage: corral run [OPTIONS] [--rootfs DIR] [--] CMD [ARG...]\n"
	"       corral rootfs busybox DIR\n"
	"       corral delegate --user USER [LIMITS] CGROUP [-- CMD [ARG...]]\n"
	"       corral delegate --remove CGROUP\n"
	"       corral [GLOBAL OPTIONS] create|start|run|state|kill|delete|list ...\n"
	"       corral --help | --version\n"
	"\n"
	"  run             run CMD in a new container (corral run --help for the options)\n"
	"  rootfs busybox  build a minimal root filesystem in DIR from Debian's\n"
	"                  busybox-static (/bin/busybox)\n"
	"  delegate        give a cgroup (in every hierarchy) to a user as cgroup v2\n"
	"                  delegation does, optionally run CMD as that user in it;\n"
	"                  --remove ends it (corral delegate --help)\n"
	"\n"
	"Exit status: the container's (128+N if killed by signal N, 127 if the\n"
	"command was not found); 125 if corral itself failed, bad options included.\n"
	"\n"
	"OCI runtime commands (the runc command line, for podman, conmon, containerd):\n"
	"  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCK]\n"
	"         [--preserve-fds N] ID   build the container from DIR/config.json\n"
	"                  (default: .), stopped before its command; hooks prestart,\n"
	"                  createRuntime, createContainer run here\n"
	"  start ID        run the command of a created container (startContainer,\n"
	"                  poststart hooks)\n"
	"  run [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] [--detach]\n"
	"      [--preserve-fds N] ID   create and start (without --detach: wait for\n"
	"                  the end, then delete)\n"
	"  exec [--process FILE | CMD ARG...] [options] ID   (corral exec --help)\n"
	"  state ID        the OCI state JSON (created, running, paused or stopped)\n"
	"  kill [--all] ID [SIGNAL]   signal the container (default SIGTERM)\n"
	"  delete [--force] ID        remove a stopped or created container\n"
	"                  (--force: a running one too, killed first); poststop hooks\n"
	"  list [--format table|json] [-q]\n"
	"  pause ID, resume ID        freeze and thaw the container's cgroup\n"
	"  update [options] [-r FILE] ID   change its cgroup limits\n"
	"  ps [--format table|json] ID [PS OPTIONS]\n"
	"  spec [--bundle DIR]        write a default config.json\n"
	"  features        what this corral supports, as JSON\n"
	"The corralfs views are mounted into OCI containers too when corralfs is\n"
	"mounted at " RT_VIEWS_DEFAULT_PATH " (or where the annotation " RT_VIEWS_ANNOTATION "\n"
	"names; \"false\" turns them off).\n"
	"Global options (before the command): --root DIR (state, default "
	RT_OCI_DEFAULT_ROOT "),\n"
	"  --log FILE, --log-format text|json, --debug; --systemd-cgroup is refused.\n"
	"These commands exit 1 on error.  `corral run` is the OCI one when a global\n"
	"option is given, or one of --bundle/-b, --detach/-d, --pid-file,\n"
	"--console-socket, --preserve-fds, --no-new-keyring, --keep comes before\n"
	"`--`, or its only argument is one word (the ID) and ./config.json exists;\n"
	"otherwise it is the docker-style `corral run [OPTIONS] CMD` above.\n";

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

/* runc's shape: podman and containerd show the first line. */
static int print_version(void)
{
	printf("corral version %s\nspec: %s\n", CORRAL_VERSION, RT_OCI_SPEC_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	struct rt_oci_globals g;
	GError *err = NULL;
	int i = rt_oci_parse_globals(argc, argv, &g, &err);

	if (i < 0) {
		fprintf(stderr, "corral: %s\n", err->message);
		g_error_free(err);
		return 1;
	}
	const char *cmd = i < argc ? argv[i] : NULL;

	if (!cmd) {
		fputs(usage, stderr);
		return g.given ? 1 : EXIT_CORRAL;
	}
	if (rt_oci_is_command(cmd) ||
	    (!strcmp(cmd, "run") && rt_oci_run_is_oci(argc - i, argv + i, &g)))
		return rt_oci_main(&g, argc - i, argv + i);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-v"))
		return print_version();
	if (g.given) {
		fprintf(stderr, "corral: global options only go with the OCI commands, not '%s'\n", cmd);
		return 1;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "rootfs"))
		return cmd_rootfs(argc - 1, argv + 1);
	if (!strcmp(cmd, "delegate"))
		return rt_cli_delegate(argc - 1, argv + 1);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	fprintf(stderr, "corral: unknown command '%s' (see corral --help)\n", cmd);
	return EXIT_CORRAL;
}
