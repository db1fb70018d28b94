/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The description of a container, shaped like the OCI runtime spec
 * (config.json): process, root, hostname, mounts, linux.{namespaces,
 * resources, cgroupsPath, devices, seccomp, maskedPaths, readonlyPaths,
 * sysctl}.  `corral run` fills it from its options (cli/cli.c); the OCI bundle
 * mode only adds a config.json parser.  Everything is owned by the spec and
 * released by rt_spec_free().
 */
#ifndef CORRAL_RUNTIME_SPEC_H
#define CORRAL_RUNTIME_SPEC_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/rt-error.h"

/* gnu11 predefines `linux` as 1: the spec's `linux` member needs the name. */
#undef linux

/* ----------------------------------------------------------- process */

struct rt_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

struct rt_user {
	uid_t uid;
	gid_t gid;
	GArray *additional_gids; /* gid_t, may be NULL */
};

/* Capability sets as bit masks of CAP_* numbers (all < 64). */
struct rt_caps {
	uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct rt_process {
	bool terminal;        /* allocate a pty (-t) */
	bool stdin_open;      /* keep stdin attached (-i) */
	struct rt_user user;
	char **args;          /* NULL-terminated */
	char **env;           /* "K=V", NULL-terminated */
	char *cwd;            /* absolute, inside the container */
	struct rt_caps caps;
	GArray *rlimits;      /* struct rt_rlimit, may be NULL: inherit */
	bool no_new_privileges;
	struct {
		unsigned height, width; /* process.consoleSize; 0: unset */
	} console_size;
};

/* ------------------------------------------------------------- mounts */

struct rt_mount {
	char *destination;  /* absolute, inside the container */
	char *type;         /* "bind", "proc", "tmpfs", ... */
	char *source;
	char **options;     /* OCI style: "ro", "nosuid", "rbind", "mode=755", ... */
};

/* --------------------------------------------------------- namespaces */

enum rt_ns {
	RT_NS_PID,
	RT_NS_NET,
	RT_NS_MOUNT,
	RT_NS_IPC,
	RT_NS_UTS,
	RT_NS_USER,
	RT_NS_CGROUP,
	RT_NS_N
};

struct rt_namespace {
	bool enabled;
	char *path; /* join this one instead of creating a new one (OCI) */
};

/* ----------------------------------------------------------- resources */

#define RT_UNSET INT64_MIN

/* A device cgroup rule (linux.resources.devices). */
struct rt_device_rule {
	bool allow;
	char type;          /* 'a', 'c' or 'b' */
	int64_t major;      /* -1: any */
	int64_t minor;      /* -1: any */
	char access[4];     /* subset of "rwm" */
};

/* Values left at RT_UNSET are not written. */
struct rt_resources {
	struct {
		int64_t limit;       /* bytes */
		int64_t reservation; /* bytes (soft limit / memory.low) */
		int64_t swap;        /* memory + swap, bytes (OCI semantics), -1 unlimited */
	} memory;
	struct {
		int64_t shares;   /* v1 scale, converted to cpu.weight on v2 */
		int64_t quota;    /* us per period, -1 unlimited */
		int64_t period;   /* us */
		char *cpus;       /* cpuset list, NULL: inherit */
		char *mems;
	} cpu;
	struct {
		int64_t limit;    /* -1 or RT_UNSET: unlimited */
	} pids;
	GArray *devices;      /* struct rt_device_rule, in order; NULL: none */
};

/* A device node to create in the container's /dev (linux.devices). */
struct rt_device {
	char *path;       /* in the container */
	char type;        /* 'c' or 'b' */
	int64_t major, minor;
	uint32_t file_mode;
	uid_t uid;
	gid_t gid;
	char *host_path;  /* corral --device: the host node to bind-mount, or NULL */
};

/* ------------------------------------------------------------ seccomp */

enum rt_seccomp_action {
	RT_SECCOMP_ALLOW,
	RT_SECCOMP_ERRNO,
	RT_SECCOMP_KILL,
	RT_SECCOMP_KILL_PROCESS,
	RT_SECCOMP_TRAP,
	RT_SECCOMP_TRACE,
	RT_SECCOMP_LOG,
};

enum rt_seccomp_op { RT_OP_NE, RT_OP_LT, RT_OP_LE, RT_OP_EQ, RT_OP_GE, RT_OP_GT, RT_OP_MASKED_EQ };

struct rt_seccomp_arg {
	unsigned index;
	uint64_t value, value_two;
	enum rt_seccomp_op op;
};

struct rt_seccomp_rule {
	char **names;                  /* syscall names */
	enum rt_seccomp_action action;
	int errno_ret;                 /* for RT_SECCOMP_ERRNO */
	GArray *args;                  /* struct rt_seccomp_arg, may be NULL */
};

struct rt_seccomp {
	enum rt_seccomp_action default_action;
	int default_errno;
	char **architectures;          /* "SCMP_ARCH_X86_64", ... ; NULL: native */
	GArray *rules;                 /* struct rt_seccomp_rule */
};

/* ------------------------------------------------------ OCI additions */

/* One OCI hook (hooks.<stage>[i]). */
struct rt_hook {
	char *path;       /* absolute, on the host */
	char **args;      /* NULL-terminated, may be NULL */
	char **env;       /* "K=V", NULL-terminated, may be NULL */
	int64_t timeout;  /* seconds; 0: none */
};

enum rt_hook_stage {
	RT_HOOK_PRESTART,
	RT_HOOK_CREATE_RUNTIME,
	RT_HOOK_CREATE_CONTAINER,
	RT_HOOK_START_CONTAINER,
	RT_HOOK_POSTSTART,
	RT_HOOK_POSTSTOP,
	RT_HOOK_N
};

/* "prestart", "createRuntime", ... (config.json's names). */
const char *rt_hook_stage_name(enum rt_hook_stage stage);

struct rt_hooks {
	GPtrArray *stage[RT_HOOK_N]; /* struct rt_hook *, in order; NULL: none */
};

/* linux.uidMappings / gidMappings entries. */
struct rt_id_mapping {
	uint32_t container_id, host_id, size;
};

/* --------------------------------------------------------------- spec */

struct rt_spec {
	struct rt_process process;
	struct {
		char *path;       /* host path of the rootfs */
		bool readonly;
	} root;
	char *hostname;
	GArray *mounts;               /* struct rt_mount, in order */
	struct {
		struct rt_namespace ns[RT_NS_N];
		struct rt_resources resources;
		/* relative: below the caller's own cgroup in each hierarchy
		 * (the way runc resolves relative paths); absolute: from each
		 * hierarchy's root. */
		char *cgroups_path;
		GArray *devices;          /* struct rt_device */
		struct rt_seccomp *seccomp; /* NULL: unconfined */
		char **masked_paths;
		char **readonly_paths;
		char **sysctl;            /* "key=value" */
	} linux;
	/* corral's own additions */
	struct {
		bool enabled;             /* mount the corralfs views */
		char *path;               /* where corralfs is mounted */
		bool explicit_path;       /* --views given: a dead mount is an error */
	} views;
	bool init;                    /* --init: a tiny pid 1 */
	char *name;                   /* container name (also the cgroup name) */
	/* OCI bundles (bundle.c): parsed and kept; only some are acted on yet. */
	char *oci_version;            /* config.json's ociVersion, NULL for `corral run` */
	struct rt_hooks hooks;
	GHashTable *annotations;      /* char * -> char *, NULL: none */
	bool has_umask;               /* process.user.umask given */
	uint32_t umask;
	struct rt_namespace time_ns;  /* linux.namespaces type "time" */
	GArray *uid_mappings;         /* struct rt_id_mapping, NULL: none */
	GArray *gid_mappings;
	int64_t memory_swappiness;    /* RT_UNSET or 0..100 */
	GHashTable *unified;          /* cgroup v2 file -> value, NULL: none */
	char *rootfs_propagation;     /* "private", "rslave", ...; NULL: unset */
};

/* Where corralfs is mounted unless told otherwise, and the annotation
 * that turns the views off for an OCI bundle ("false"). */
#define RT_VIEWS_DEFAULT_PATH "/var/lib/corral"
#define RT_VIEWS_ANNOTATION "org.corral.views"

/* An empty spec with RT_UNSET resources and no namespaces. */
struct rt_spec *rt_spec_new(void);
void rt_spec_free(struct rt_spec *s);
typedef struct rt_spec rt_spec;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rt_spec, rt_spec_free)

/*
 * Docker's defaults, which `corral run` starts from: the namespaces pid,
 * net, mount, ipc, uts, cgroup; Docker's default capability set; the
 * masked and read-only paths runc uses; the default seccomp profile
 * (seccomp.c); the default /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue,
 * /sys mounts; the default device rules (null, zero, full, random,
 * urandom, tty, console, pts, ptmx); no_new_privileges on.
 */
void rt_spec_set_defaults(struct rt_spec *s);

/* Append the default device rules (allow null, zero, full, random,
 * urandom, tty, console, pts, ptmx, mknod of any): what runc adds after
 * an OCI config's own linux.resources.devices rules. */
void rt_spec_allow_default_devices(struct rt_resources *r);

/*
 * The default seccomp profile (seccomp-default.c): Docker's allowlist, whose
 * capability exceptions are decided against @caps (its bounding set; NULL:
 * none held).  What it does not allow is EPERM; syscall numbers newer than
 * libseccomp knows are ENOSYS (docs/seccomp.md).
 */
struct rt_seccomp *rt_seccomp_default(const struct rt_caps *caps);
void rt_seccomp_free(struct rt_seccomp *s);

#endif
