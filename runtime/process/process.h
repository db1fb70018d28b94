/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the files of the container's process (runtime/process/) share; of
 * the other folders only oci/ and cli/run.c use it (the hooks, autoclose,
 * rt_forward_sigset).
 */
#ifndef CORRAL_RUNTIME_PROCESS_H
#define CORRAL_RUNTIME_PROCESS_H

#include "runtime/process/container.h"

#include <seccomp.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

/* A file descriptor closed when it goes out of scope (-1: none). */
static inline void rt_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define autoclose __attribute__((cleanup(rt_close_fd)))


/* ------------------------------------------------------------ pty.c */

struct rt_pty {
	int master;          /* -1: no pty */
	int slave;           /* the container's stdio until it is started */
	char *slave_path;    /* its name (/dev/pts/N of its devpts) */
	bool raw;            /* the host terminal was put in raw mode */
	struct termios saved;
};

/* The init's message carrying the pty master: "T" + the pty's name. */
#define RT_PTY_PACKET 64

/* Open a pty pair from /dev/ptmx, sized like corral's terminal. */
bool rt_pty_open(struct rt_pty *p, GError **err);
/* The pty pair of the opened master @master (unlocked here; the slave
 * through TIOCGPTPEER, no path lookup).  @p owns @master even on error. */
bool rt_pty_take_master(struct rt_pty *p, int master, GError **err);
/* Put the host terminal (stdin) in raw mode when it is one. */
void rt_pty_raw(struct rt_pty *p);
/* Copy the host terminal's size to the pty. */
void rt_pty_resize(struct rt_pty *p);
/* Restore the terminal and close everything. */
void rt_pty_close(struct rt_pty *p);
/* Set the pty's size to @rows x @cols (OCI consoleSize). */
void rt_pty_set_size(struct rt_pty *p, unsigned rows, unsigned cols);

/* ---------------------------------------------------------- console.c */

/* Send @fd (SCM_RIGHTS) with the @len bytes of @data on @sock; false +
 * errno if not all went. */
bool rt_send_fd(int sock, int fd, const void *data, size_t len);
/* runc's --console-socket protocol: connect to the AF_UNIX socket @path
 * and send @master as SCM_RIGHTS with @name (the pty's) as the message.
 * @master stays open. */
bool rt_console_send(const char *path, int master, const char *name, GError **err);

/* --------------------------------------------------------- oci-hooks.c */

/*
 * Run the hooks of @stage in order, each with @state (the OCI state JSON)
 * on its stdin, its own args and env (an empty environment when none),
 * killed after its timeout.  Its stdout and stderr are collected and
 * shown in the error when it fails.  The first failure stops the rest.
 */
bool rt_hooks_run(const struct rt_hooks *h, enum rt_hook_stage stage, const char *state,
		  GError **err);
/* Whether any hook is set for @stage. */
bool rt_hooks_any(const struct rt_hooks *h, enum rt_hook_stage stage);

/* ----------------------------------------------------------- mounts.c */

struct rt_mount_ctx {
	const struct rt_spec *spec;
	struct rt_pty *pty;    /* -t: opened in the container's devpts, or NULL */
	bool views;            /* corralfs is live at spec->views.path */
	/* called once the tree is built, before pivot_root (OCI hooks) */
	bool (*before_pivot)(void *data, GError **err);
	void *data;
};

/*
 * In the container's new mount namespace: the rootfs, spec->mounts, /dev,
 * the views, sysctls, masked and read-only paths, pivot_root, the working
 * directory, a read-only root.
 */
bool rt_mounts_setup(const struct rt_mount_ctx *m, GError **err);
/* Whether @path is a live corralfs mount. */
bool rt_views_live(const char *path);

/* ------------------------------------------------------------- caps.c */

/* Drop from the bounding set every capability not in @keep. */
bool rt_caps_drop_bounding(uint64_t keep, GError **err);
/* Groups, gid, uid (keeping the permitted capabilities across setuid). */
bool rt_user_switch(const struct rt_user *u, GError **err);
/* Effective, permitted, inheritable (capset), then the ambient set. */
bool rt_caps_set(const struct rt_caps *c, GError **err);
/* User, capabilities, no_new_privs and the seccomp @filter (NULL: none)
 * of @p for the calling process, the parent-death signal @pdeathsig (0:
 * none) set again after the change of credentials. */
bool rt_process_creds(const struct rt_process *p, GBytes *filter, int pdeathsig,
		      GError **err);

/* ---------------------------------------------------------- seccomp.c */

/* Build a libseccomp filter from @s (nothing loaded).  Syscalls unknown on
 * every architecture of the filter are skipped. */
bool rt_seccomp_build(const struct rt_seccomp *s, bool set_nnp, scmp_filter_ctx *out,
		      GError **err);
/* The filter as a BPF program (struct sock_filter[]).  When its default
 * action is an errno other than ENOSYS, a stub before libseccomp's program
 * returns ENOSYS for syscall numbers above rt_seccomp_newest_syscall() of
 * each of its architectures, so that libc falls back from newer syscalls. */
bool rt_seccomp_export(scmp_filter_ctx ctx, GBytes **out, GError **err);
/* ---------------------------------------------------- seccomp-cache.c */

/* Where root's compiled filters are cached (seccomp-cache.c). */
#define RT_SECCOMP_CACHE_DIR "/run/corral-seccomp"
/* The BPF program of @s (rt_seccomp_build + rt_seccomp_export): from the
 * cache when it holds the same profile for this libseccomp, else built and
 * stored there.  CORRAL_SECCOMP_CACHE=DIR|off picks or turns off the cache. */
bool rt_seccomp_compile(const struct rt_seccomp *s, GBytes **out, GError **err);
/* The cache's name for @s: SHA-256 (hex) of the profile and libseccomp. */
char *rt_seccomp_cache_key(const struct rt_seccomp *s);

/* The highest syscall number libseccomp knows on @arch (SCMP_ARCH_*; x32's
 * without X32_SYSCALL_BIT), -1 if none. */
int rt_seccomp_newest_syscall(uint32_t arch);
/* Load a BPF program into the calling thread (PR_SET_SECCOMP: needs
 * no_new_privs or CAP_SYS_ADMIN). */
bool rt_seccomp_load(const void *prog, size_t len, GError **err);

/* ------------------------------------------------------------- init.c */

/* pid 1 under --init: forward the signals of @set (blocked) to @child,
 * reap every zombie, exit with @child's status (128+N for signal N). */
G_GNUC_NORETURN void rt_init_main(pid_t child, const sigset_t *set);
/* Wait status to an exit code: the code, or 128+N for signal N. */
int rt_exit_code(int wstatus);

/* -------------------------------------------------------- container.c */

/* The process's rlimits (spec order), errors naming the resource. */
bool rt_set_rlimits(const GArray *rlimits, GError **err);
/* A clean slate for a child: default dispositions, nothing blocked. */
void rt_reset_signals(void);
/* The signals forwarded to the container, plus SIGCHLD. */
void rt_forward_sigset(sigset_t *set);

/* ------------------------------------------------------------- exec.c */

/* Every fd >= @first closes at exec: close_range(CLOSE_RANGE_CLOEXEC), or
 * where it is missing (ENOSYS; EINVAL before Linux 5.11) rt_cloexec_walk().
 * Any other failure is an error. */
bool rt_cloexec_from(unsigned first, GError **err);
/* FD_CLOEXEC on each fd >= @first listed in /proc/self/fd. */
bool rt_cloexec_walk(unsigned first, GError **err);
/* The close_range(2) rt_cloexec_from() calls (tests replace it). */
extern int (*rt_close_range)(unsigned first, unsigned last, unsigned flags);

struct rt_container {
	const struct rt_spec *spec;
	pid_t pid;
	bool reaped;
	int wstatus;
	int sock;             /* parent's end: "go" out, errors in */
	int fail_status;      /* exit status after a failed start: 125, 126, 127 */
	GBytes *seccomp;      /* the filter as BPF, NULL: none */
	bool views;
	struct rt_pty pty;
	int wait_dirfd;       /* create mode: the state directory holding
			       * exec.fifo (O_PATH), -1 for `corral run` */
	const struct rt_oci_opts *oci; /* NULL for `corral run` */
	char *hook_state;     /* the child's copy of the state, for its hooks */
	sigset_t saved_mask;  /* the caller's, restored by rt_container_free() */
	bool mask_saved;
};

#endif
