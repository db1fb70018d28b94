/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysprobe: a static test helper copied into the busybox rootfs of the
 * runtime integration test.  Each command tries one thing and prints "ok"
 * or the errno name (EPERM, ...), so the test compares one word.
 *
 *   sysprobe keyctl | unshare-ns | mount
 *   sysprobe mknod-blk PATH MAJOR MINOR    creates a block node, opens it
 *   sysprobe open PATH
 *   sysprobe alloc MIB                     touches MIB MiB, prints "done"
 *   sysprobe forkloop N                    forks up to N sleepers, prints how many
 *   sysprobe spin SECONDS                  busy loop
 *   sysprobe syscall NAME|NR [ARG...]      one raw syscall (ARGs: numbers, 0x.. too)
 *   sysprobe threads N                     N more threads, prints N, then sleeps
 *                                          until killed (all N + 1 stay)
 *   sysprobe procs N                       forks N sleepers, prints how many,
 *                                          sleeps until killed (they stay)
 *   sysprobe forkbomb                      every process forks two and exits,
 *                                          for ever: run it only in a cgroup
 *                                          with a pids.max
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *result(long rc)
{
	return rc < 0 ? strerrorname_np(errno) : "ok";
}

static int probe_keyctl(void)
{
	long rc = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);

	puts(result(rc));
	return 0;
}

static int probe_mount(void)
{
	long rc = mount("none", "/tmp", "tmpfs", 0, "size=1m");

	puts(result(rc));
	if (rc == 0)
		umount("/tmp");
	return 0;
}

static int probe_mknod(const char *path, const char *maj, const char *min)
{
	long rc = mknod(path, S_IFBLK | 0600, makedev(atoi(maj), atoi(min)));
	int fd = -1;

	printf("mknod=%s", result(rc));
	if (rc == 0) {
		fd = open(path, O_RDONLY);
		printf(" open=%s", result(fd));
		unlink(path);
	}
	putchar('\n');
	if (fd >= 0)
		close(fd);
	return 0;
}

static int probe_open(const char *path)
{
	int fd = open(path, O_RDONLY);

	puts(result(fd));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int alloc(const char *mib)
{
	size_t n = (size_t)atol(mib) << 20;
	char *p = malloc(n);

	if (!p)
		return 1;
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	puts("done");
	return 0;
}

static int forkloop(const char *count)
{
	int n = atoi(count), made = 0;
	pid_t pids[4096];

	for (; made < n && made < 4096; made++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			pause();
			_exit(0);
		}
		pids[made] = pid;
	}
	printf("%d\n", made);
	fflush(stdout);
	for (int i = 0; i < made; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int spin(const char *seconds)
{
	double end = now() + atof(seconds);
	volatile unsigned long x = 0;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x++;
	return 0;
}

/* `syscall NAME|NR [ARG...]`: the raw syscall with up to 6 numeric
 * arguments; prints "ok" or the errno name.  A few names, for the tests
 * of the seccomp profile; any other syscall by number. */
static int probe_syscall(int argc, char **argv)
{
	static const struct { const char *name; long nr; } names[] = {
		{ "unshare", SYS_unshare }, { "personality", SYS_personality },
		{ "socket", SYS_socket }, { "kexec_load", SYS_kexec_load },
		{ "open_by_handle_at", SYS_open_by_handle_at }, { "io_uring_setup", SYS_io_uring_setup },
		{ "keyctl", SYS_keyctl }, { "clone3", SYS_clone3 }, { "getpid", SYS_getpid },
	};
	long nr = -1, a[6] = { 0 };
	char *end;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(argv[2], names[i].name))
			nr = names[i].nr;
	if (nr < 0 && ((nr = strtol(argv[2], &end, 0)) < 0 || *end != '\0'))
		return fprintf(stderr, "sysprobe: unknown syscall %s\n", argv[2]), 2;
	for (int i = 3; i < argc && i < 9; i++)
		a[i - 3] = (long)strtoul(argv[i], NULL, 0);
	puts(result(syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5])));
	return 0;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static __attribute__((noreturn)) int threads(const char *count)
{
	int n = atoi(count), made = 0;
	pthread_attr_t a;
	pthread_t t;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	for (; made < n; made++)
		if (pthread_create(&t, &a, sleeper, NULL) != 0)
			break;
	printf("%d\n", made);
	fflush(stdout);
	for (;;)
		pause();
}

static __attribute__((noreturn)) int procs(const char *count)
{
	int n = atoi(count), made = 0;

	for (; made < n; made++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0)
			for (;;)
				pause();
	}
	printf("%d\n", made);
	fflush(stdout);
	for (;;)
		pause();
}

static __attribute__((noreturn)) int forkbomb(void)
{
	for (int made = 0;;) {
		pid_t pid = fork();

		if (pid < 0)
			usleep(100);
		else if (pid == 0)
			made = 0;
		else if (++made == 2)
			_exit(0);
	}
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "keyctl"))
		return probe_keyctl();
	if (!strcmp(cmd, "unshare-ns"))
		return puts(result(unshare(CLONE_NEWNS))), 0;
	if (!strcmp(cmd, "mount"))
		return probe_mount();
	if (!strcmp(cmd, "mknod-blk") && argc == 5)
		return probe_mknod(argv[2], argv[3], argv[4]);
	if (!strcmp(cmd, "open") && argc == 3)
		return probe_open(argv[2]);
	if (!strcmp(cmd, "alloc") && argc == 3)
		return alloc(argv[2]);
	if (!strcmp(cmd, "forkloop") && argc == 3)
		return forkloop(argv[2]);
	if (!strcmp(cmd, "spin") && argc == 3)
		return spin(argv[2]);
	if (!strcmp(cmd, "syscall") && argc >= 3 && argc <= 9)
		return probe_syscall(argc, argv);
	if (!strcmp(cmd, "threads") && argc == 3)
		return threads(argv[2]);
	if (!strcmp(cmd, "procs") && argc == 3)
		return procs(argv[2]);
	if (!strcmp(cmd, "forkbomb"))
		return forkbomb();
	fprintf(stderr, "usage: sysprobe keyctl|unshare-ns|mount|mknod-blk P MAJ MIN|open P|"
		"alloc MIB|forkloop N|spin SECONDS|syscall NAME|NR [ARG...]|threads N|procs N|"
		"forkbomb\n");
	return 2;
}
