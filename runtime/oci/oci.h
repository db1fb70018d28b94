/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The runc-compatible command line (what podman, conmon and containerd's
 * runc shim call): global options, then create, start, run (OCI mode),
 * state, kill, delete, list.  A container's state lives in ROOT/ID/
 * (state.json, and exec.fifo while it waits for `start`), so it survives
 * corral exiting between the commands.  Errors: "corral: MESSAGE" on
 * stderr (and a line in --log, text or json), exit status 1.
 */
#ifndef CORRAL_RUNTIME_OCI_OCI_H
#define CORRAL_RUNTIME_OCI_OCI_H

#include <glib.h>
#include <stdbool.h>

#define RT_OCI_DEFAULT_ROOT "/run/corral"
/* The newest runtime-spec version corral reads. */
#define RT_OCI_SPEC_VERSION "1.2.0"

struct rt_oci_globals {
	const char *root;     /* --root: the state directory */
	const char *log;      /* --log FILE, NULL: stderr only */
	bool log_json;        /* --log-format json */
	bool debug;
	bool systemd_cgroup;  /* refused: only the cgroupfs driver */
	bool given;           /* any global option was given */
};

/*
 * Global options at the start of @argv (argv[0] is the program); returns
 * the index of the command (argc if none), or -1 with @err set.
 */
int rt_oci_parse_globals(int argc, char **argv, struct rt_oci_globals *g, GError **err);
/* Whether @cmd is one of the commands rt_oci_main() runs ("run" excluded). */
bool rt_oci_is_command(const char *cmd);
/*
 * Whether `corral run` (@argv[0] = "run") is the OCI one: a global option
 * was given, or an OCI-only option of run (--bundle/-b, --detach/-d,
 * --pid-file, --console-socket, --no-new-keyring, --preserve-fds, --keep)
 * appears, or the only argument is one word (the id) and ./config.json
 * exists.  Anything else is the docker-style `corral run ... CMD`.
 */
bool rt_oci_run_is_oci(int argc, char **argv, const struct rt_oci_globals *g);
/* Run the command @argv[0] with its arguments; returns the exit status. */
int rt_oci_main(const struct rt_oci_globals *g, int argc, char **argv);

#endif
