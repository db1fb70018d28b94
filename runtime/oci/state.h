/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the OCI commands share (state.c): the globals, messages in
 * runc's style ("corral: MESSAGE" on stderr and a line in --log), the
 * options of their tables (read with common/options.h), and a
 * container's state directory ROOT/ID (state.json, exec.fifo while the
 * init waits for `start`).
 * The commands live in cmd-lifecycle.c (create, start, run, state, kill,
 * delete, list), cmd-exec.c (exec), cmd-manage.c (pause, resume, ps),
 * cmd-update.c (update) and cmd-spec.c (spec, features).
 */
#ifndef CORRAL_RUNTIME_OCI_STATE_H
#define CORRAL_RUNTIME_OCI_STATE_H

#include "runtime/cgroups/cgroups.h"
#include "runtime/process/process.h"
#include "runtime/oci/oci.h"

#define OCI_MAX_PARTS 20

/* The global options of this command (set by rt_oci_main()). */
extern const struct rt_oci_globals *oci_G;

/* ------------------------------------------------------------ messages */

/* "corral: MESSAGE" on stderr and an error line in --log; returns 1. */
int oci_fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* oci_fail("%s", e->message), and frees @e. */
int oci_fail_err(GError *e);
/* A debug line in --log (only with --debug). */
void oci_debug(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* A warning line on stderr and in --log (a failed poststart hook...). */
void oci_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* ------------------------------------------------------------- options */

struct oci_opt {
	const char *name, *alias;
	bool has_value;
	const char **value; /* has_value */
	bool *flag;         /* !has_value */
};

/* Options (argv[0] is the command) in Go's style (common/options.h:
 * -name or --name, -name=VALUE or -name VALUE, --flag=false) and
 * positional arguments between them, kept in @pos in order; "--" ends
 * the options.  false after printing the message. */
bool oci_parse_opts(int argc, char **argv, struct oci_opt *opts, GPtrArray *pos);
/* The first positional argument as a valid id, with 1..@max of them;
 * NULL after printing runc's message. */
const char *oci_one_id(const char *cmd, GPtrArray *pos, guint max);
/* The options, then exactly one positional argument, a valid id (pointing
 * into argv); NULL after the message otherwise. */
const char *oci_id_arg(int argc, char **argv, struct oci_opt *opts);

/* --------------------------------------------------------------- state */

struct oci_state {
	char *dir;            /* ROOT/ID */
	char *id, *bundle, *rootfs, *created, *oci_version;
	pid_t pid;
	uint64_t start_time;  /* the init's, in clock ticks after boot */
	GHashTable *annotations;
	int nparts;
	struct rt_cgroup_part parts[OCI_MAX_PARTS]; /* strings owned here */
};

/* ROOT/ID/state.json; NULL + "container does not exist" (RT_ERROR_USAGE)
 * when there is none. */
struct oci_state *oci_state_load(const char *id, GError **err);
void oci_state_free(struct oci_state *s);
typedef struct oci_state oci_state;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(oci_state, oci_state_free)

/* Field 22 of /proc/PID/stat (0 if gone), and whether it is a zombie. */
uint64_t oci_proc_start_time(pid_t pid, bool *zombie);
/* The recorded init is alive (same pid, same start time, not a zombie). */
bool oci_state_alive(const struct oci_state *s);
/* Sends @sig to the recorded init through a pidfd opened before its start
 * time is checked, so a recycled pid is never signalled.  RT_ERROR_USAGE
 * "container not running[: why]" when it is gone; RT_ERROR_SETUP when a
 * syscall fails. */
bool oci_state_signal(const struct oci_state *s, int sig, GError **err);
/* "created", "running", "paused" or "stopped". */
const char *oci_state_status(const struct oci_state *s);
/* Whether the container's cgroup is frozen (cmd-manage.c). */
bool oci_state_frozen(const struct oci_state *s);
/* The OCI state JSON (with corral's private part when @private). */
char *oci_state_json(const struct oci_state *s, bool private);
/* The same with the given status and pid (for hooks). */
char *oci_state_json_as(const struct oci_state *s, const char *status, pid_t pid, bool private);
/* Keep a copy of BUNDLE/config.json in the state directory @dir: exec
 * and the later hooks use the config the container was created with. */
bool oci_state_save_config(const char *dir, const char *bundle, GError **err);
/* The container's config (the copy in its state directory). */
struct rt_spec *oci_state_config(const struct oci_state *s, GError **err);
/* Run the @stage hooks of the container's config.json (BUNDLE from the
 * state) with its state; a failure is a warning (poststart, poststop). */
void oci_state_hooks(const struct oci_state *s, enum rt_hook_stage stage, const char *status);
/* Remove ROOT/ID and what it holds. */
void oci_state_dir_remove(const char *dir);
/* The container's cgroup removed (what is left in it killed). */
bool oci_state_destroy_cgroup(const struct oci_state *s, GError **err);
/* The container's cgroup reopened from the saved parts (for attach,
 * apply, freeze); @l must outlive it. */
struct rt_cgroup *oci_state_cgroup(const struct oci_state *s, struct cg_layout *l, GError **err);

/* JSON string literal of @v appended to @out. */
void oci_json_str(GString *out, const char *v);
/* @path written whole or not at all (a temp file renamed over it). */
bool oci_write_atomic(const char *path, const char *text, GError **err);

/* ------------------------------------------------------------ commands */

int oci_cmd_exec(int argc, char **argv);      /* cmd-exec.c */
int oci_cmd_pause(int argc, char **argv);     /* cmd-manage.c */
int oci_cmd_resume(int argc, char **argv);
int oci_cmd_update(int argc, char **argv);
int oci_cmd_ps(int argc, char **argv);
int oci_cmd_spec(int argc, char **argv);
int oci_cmd_features(int argc, char **argv);

#endif
