/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default seccomp profile: an allowlist with the syscall set, the
 * argument conditions and the capability exceptions of Docker's default
 * profile (moby profiles/seccomp/default.json, with moby#46762, which
 * dropped io_uring_*, and moby#47341, which added the syscalls of kernels
 * 5.17 to 6.7).  What is not allowed fails with EPERM; syscall numbers
 * above the newest one libseccomp knows fail with ENOSYS, added when the
 * filter is exported (seccomp.c), so that libc falls back from syscalls
 * newer than this table.  See docs/seccomp.md.
 */
#include "runtime/spec/spec.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>

/* Allowed to every container. */
static const char *const allowed[] = {
	"accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat",
	"capget", "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime",
	"clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime",
	"clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close",
	"close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3",
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve",
	"execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64",
	"fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
	"fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync",
	"fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
	"fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
	"ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait",
	"futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents",
	"getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid",
	"getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid",
	"getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
	"getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list",
	"getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid",
	"gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch",
	"inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl",
	"io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
	"ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill",
	"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
	"lchown", "lchown32", "lgetxattr", "link", "linkat", "listen", "listxattr",
	"llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
	"madvise", "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret",
	"mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall",
	"mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open",
	"mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
	"mq_timedsend_time64", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv",
	"msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at",
	"nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2", "pause",
	"pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free",
	"pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv",
	"preadv2", "prlimit64", "process_mrelease", "pselect6", "pselect6_time64",
	"pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat",
	"readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg",
	"remap_file_pages", "removexattr", "rename", "renameat", "renameat2",
	"restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
	"sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
	"sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
	"sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select",
	"semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
	"sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid",
	"setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32", "setgroups",
	"setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32",
	"setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
	"setrlimit", "set_robust_list", "setsid", "setsockopt", "set_thread_area",
	"set_tid_address", "setuid", "setuid32", "setxattr", "shmat", "shmctl", "shmdt",
	"shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask",
	"sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs",
	"statfs64", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs",
	"sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
	"timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
	"timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
	"timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
	"truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime",
	"utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4", "waitid",
	"waitpid", "write", "writev",
	/* Docker: on kernels >= 4.8, where seccomp runs before ptrace */
	"process_vm_readv", "process_vm_writev", "ptrace",
	NULL
};

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

enum { ANY_ARCH, X86_64_ONLY, X86_ONLY, ARM_ONLY };

/*
 * One rule: added when @cap_in is held (-1: always) and @cap_out is not
 * (-1: never mind), on the native architecture @arch; one optional
 * argument condition.
 */
struct default_rule {
	const char *const *names;
	int cap_in, cap_out, arch;
	enum rt_seccomp_action action;
	int errno_ret;
	bool has_arg;
	struct rt_seccomp_arg arg;
};

#define ALLOW_IF(cap, ...) { NAMES(__VA_ARGS__), cap, -1, ANY_ARCH, RT_SECCOMP_ALLOW, 0, false, { 0 } }
#define ALLOW_ON(arch_, ...) { NAMES(__VA_ARGS__), -1, -1, arch_, RT_SECCOMP_ALLOW, 0, false, { 0 } }
#define ALLOW_ARG(name, op_, v1, v2) \
	{ NAMES(name), -1, -1, ANY_ARCH, RT_SECCOMP_ALLOW, 0, true, \
	  { .index = 0, .value = v1, .value_two = v2, .op = op_ } }

/* clone with any of these flags makes a namespace. */
#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
		  CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)

/* personality(2) values: PER_LINUX, PER_LINUX32, UNAME26, UNAME26 |
 * PER_LINUX32, and 0xffffffff (a query); AF_VSOCK is 40. */
static const struct default_rule rules[] = {
	ALLOW_ARG("personality", RT_OP_EQ, 0x0, 0),
	ALLOW_ARG("personality", RT_OP_EQ, 0x8, 0),
	ALLOW_ARG("personality", RT_OP_EQ, 0x20000, 0),
	ALLOW_ARG("personality", RT_OP_EQ, 0x20008, 0),
	ALLOW_ARG("personality", RT_OP_EQ, 0xffffffff, 0),
	ALLOW_ARG("socket", RT_OP_NE, 40, 0),
	ALLOW_ON(X86_64_ONLY, "arch_prctl", "modify_ldt"),
	ALLOW_ON(X86_ONLY, "modify_ldt"),
	ALLOW_ON(ARM_ONLY, "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2",
		 "breakpoint", "cacheflush", "set_tls"),
	ALLOW_IF(CAP_DAC_READ_SEARCH, "open_by_handle_at"),
	ALLOW_IF(CAP_SYS_ADMIN, "bpf", "clone", "clone3", "fanotify_init", "fsconfig",
		 "fsmount", "fsopen", "fspick", "lookup_dcookie", "mount", "mount_setattr",
		 "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
		 "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2",
		 "unshare"),
	/* without CAP_SYS_ADMIN: clone only when (flags & NS_FLAGS) == 0, and
	 * clone3 (whose flags are in memory) ENOSYS, so libc uses clone */
	{ NAMES("clone"), -1, CAP_SYS_ADMIN, ANY_ARCH, RT_SECCOMP_ALLOW, 0, true,
	  { .index = 0, .value = NS_FLAGS, .value_two = 0, .op = RT_OP_MASKED_EQ } },
	{ NAMES("clone3"), -1, CAP_SYS_ADMIN, ANY_ARCH, RT_SECCOMP_ERRNO, ENOSYS, false, { 0 } },
	ALLOW_IF(CAP_SYS_BOOT, "reboot"),
	ALLOW_IF(CAP_SYS_CHROOT, "chroot"),
	ALLOW_IF(CAP_SYS_MODULE, "delete_module", "init_module", "finit_module"),
	ALLOW_IF(CAP_SYS_PACCT, "acct"),
	ALLOW_IF(CAP_SYS_PTRACE, "kcmp", "pidfd_getfd", "process_madvise"),
	ALLOW_IF(CAP_SYS_RAWIO, "iopl", "ioperm"),
	ALLOW_IF(CAP_SYS_TIME, "settimeofday", "stime", "clock_settime", "clock_settime64"),
	ALLOW_IF(CAP_SYS_TTY_CONFIG, "vhangup"),
	ALLOW_IF(CAP_SYS_NICE, "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"),
	ALLOW_IF(CAP_SYSLOG, "syslog"),
	ALLOW_IF(CAP_BPF, "bpf"),
	ALLOW_IF(CAP_PERFMON, "perf_event_open"),
};

static bool native_arch_is(int arch)
{
#if defined(__x86_64__)
	return arch == ANY_ARCH || arch == X86_64_ONLY;
#elif defined(__i386__)
	return arch == ANY_ARCH || arch == X86_ONLY;
#elif defined(__aarch64__) || defined(__arm__)
	return arch == ANY_ARCH || arch == ARM_ONLY;
#else
	return arch == ANY_ARCH;
#endif
}

static bool held(const struct rt_caps *caps, int cap)
{
	return caps != NULL && cap >= 0 && cap < 64 && (caps->bounding >> cap & 1);
}

static bool rule_applies(const struct default_rule *d, const struct rt_caps *caps)
{
	if (!native_arch_is(d->arch))
		return false;
	if (d->cap_in >= 0 && !held(caps, d->cap_in))
		return false;
	return d->cap_out < 0 || !held(caps, d->cap_out);
}

static void append(struct rt_seccomp *s, const char *const *names, enum rt_seccomp_action action,
		   int errno_ret, const struct rt_seccomp_arg *arg)
{
	struct rt_seccomp_rule r = {
		.names = g_strdupv((char **)names),
		.action = action,
		.errno_ret = errno_ret,
	};

	if (arg != NULL) {
		r.args = g_array_sized_new(FALSE, TRUE, sizeof *arg, 1);
		g_array_append_vals(r.args, arg, 1);
	}
	g_array_append_val(s->rules, r);
}

static char **native_architectures(void)
{
#if defined(__x86_64__)
	const char *const a[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
#elif defined(__aarch64__)
	const char *const a[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", NULL };
#else
	const char *const a[] = { NULL };
#endif
	return a[0] != NULL ? g_strdupv((char **)a) : NULL;
}

struct rt_seccomp *rt_seccomp_default(const struct rt_caps *caps)
{
	struct rt_seccomp *s = g_new0(struct rt_seccomp, 1);

	s->default_action = RT_SECCOMP_ERRNO;
	s->default_errno = EPERM;
	s->architectures = native_architectures();
	s->rules = g_array_new(FALSE, TRUE, sizeof(struct rt_seccomp_rule));
	append(s, allowed, RT_SECCOMP_ALLOW, 0, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(rules); i++) {
		const struct default_rule *d = &rules[i];

		if (rule_applies(d, caps))
			append(s, d->names, d->action, d->errno_ret, d->has_arg ? &d->arg : NULL);
	}
	return s;
}
