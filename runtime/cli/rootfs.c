/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal root filesystem from Debian's busybox-static: the static
 * /bin/busybox, one symlink per applet, a few files in /etc.  No network.
 */
#include "runtime/cli/cli.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSYBOX "/bin/busybox"
#define STATE_DIR "/var/lib/corral-runtime/rootfs"
#define DEFAULT_ROOTFS STATE_DIR "/busybox"

static bool fail_errno(GError **err, int e, const char *what, const char *path)
{
	g_set_error(err, RT_ERROR, RT_ERROR_SETUP, "%s `%s`: %s", what, path, g_strerror(e));
	return false;
}

/* True if @fd is an ELF executable without a program interpreter. */
static bool elf_is_static(int fd)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof ph)
		return false;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof ph, eh.e_phoff + (off_t)i * sizeof ph) != sizeof ph)
			return false;
		if (ph.p_type == PT_INTERP)
			return false;
	}
	return true;
}

static bool check_busybox(GError **err)
{
	int fd = open(BUSYBOX, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP,
			    "building a busybox rootfs: no %s (apt-get install busybox-static)",
			    BUSYBOX);
		return false;
	}
	ok = elf_is_static(fd);
	close(fd);
	if (!ok)
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP,
			    "building a busybox rootfs: %s is not a static x86-64 executable "
			    "(apt-get install busybox-static)", BUSYBOX);
	return ok;
}

static bool copy_file(const char *src, const char *dst, mode_t mode, GError **err)
{
	g_autofree char *data = NULL;
	gsize len;

	if (!g_file_get_contents(src, &data, &len, err))
		return false;
	if (!g_file_set_contents_full(dst, data, len, G_FILE_SET_CONTENTS_NONE, mode, err))
		return false;
	return true;
}

static bool make_dirs(const char *dir, GError **err)
{
	static const struct { const char *path; mode_t mode; } dirs[] = {
		{ "bin", 0755 }, { "sbin", 0755 }, { "usr", 0755 }, { "usr/bin", 0755 },
		{ "usr/sbin", 0755 }, { "etc", 0755 }, { "proc", 0555 }, { "sys", 0555 },
		{ "dev", 0755 }, { "tmp", 01777 }, { "root", 0700 }, { "var", 0755 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autofree char *p = g_build_filename(dir, dirs[i].path, NULL);
		/* chmod too: mkdir's mode goes through the umask (tmp's sticky bit) */
		if (mkdir(p, dirs[i].mode) < 0 || chmod(p, dirs[i].mode) < 0)
			return fail_errno(err, errno, "creating", p);
	}
	return true;
}

/* One symlink to /bin/busybox per line of `busybox --list-full`. */
static bool link_applets(const char *dir, GError **err)
{
	g_autofree char *out = NULL;
	char *argv[] = { BUSYBOX, "--list-full", NULL };
	g_auto(GStrv) lines = NULL;
	int status;

	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
			  &status, err) ||
	    !g_spawn_check_wait_status(status, err)) {
		g_prefix_error(err, "running `%s --list-full`: ", BUSYBOX);
		return false;
	}
	lines = g_strsplit(out, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_autofree char *p = g_build_filename(dir, *l, NULL);
		if (!**l || strstr(*l, "..") || !strcmp(*l, "bin/busybox"))
			continue;
		if (symlink("/bin/busybox", p) < 0 && errno != EEXIST)
			return fail_errno(err, errno, "creating the symlink", p);
	}
	return true;
}

static bool write_etc(const char *dir, GError **err)
{
	static const char *const files[][2] = {
		{ "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
				"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" },
		{ "etc/group", "root:x:0:\nnobody:x:65534:\n" },
		{ "etc/hostname", "corral\n" },
		{ "etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *p = g_build_filename(dir, files[i][0], NULL);
		if (!g_file_set_contents_full(p, files[i][1], -1, G_FILE_SET_CONTENTS_NONE, 0644,
					      err))
			return false;
	}
	return true;
}

/* @dir must be missing or empty. */
static bool prepare_dir(const char *dir, GError **err)
{
	g_autoptr(GDir) d = NULL;

	if (mkdir(dir, 0755) == 0)
		return true;
	if (errno != EEXIST)
		return fail_errno(err, errno, "creating", dir);
	d = g_dir_open(dir, 0, err);
	if (!d)
		return false;
	if (g_dir_read_name(d)) {
		g_set_error(err, RT_ERROR, RT_ERROR_SETUP,
			    "building a busybox rootfs: `%s` exists and is not empty", dir);
		return false;
	}
	return true;
}

bool rt_rootfs_busybox(const char *dir, GError **err)
{
	g_autofree char *bb = g_build_filename(dir, "bin/busybox", NULL);

	return check_busybox(err) && prepare_dir(dir, err) && make_dirs(dir, err) &&
	       copy_file(BUSYBOX, bb, 0755, err) && link_applets(dir, err) && write_etc(dir, err);
}

/* ------------------------------------------------------------ default */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Built once, atomically: in a temporary directory next to it, then
 * renamed into place.  Two corrals racing both build; one rename wins and
 * the other removes its copy.
 */
char *rt_rootfs_default(GError **err)
{
	g_autofree char *tmp = NULL;
	struct stat st;

	if (stat(DEFAULT_ROOTFS "/bin/busybox", &st) == 0)
		return g_strdup(DEFAULT_ROOTFS);
	if (g_mkdir_with_parents(STATE_DIR, 0755) < 0) {
		fail_errno(err, errno, "creating", STATE_DIR);
		return NULL;
	}
	tmp = g_strdup(STATE_DIR "/.busybox-XXXXXX");
	if (!g_mkdtemp_full(tmp, 0755)) {
		fail_errno(err, errno, "creating a directory in", STATE_DIR);
		return NULL;
	}
	if (!rt_rootfs_busybox(tmp, err)) {
		rm_rf(tmp);
		return NULL;
	}
	if (rename(tmp, DEFAULT_ROOTFS) < 0) {
		int e = errno;
		rm_rf(tmp);
		if (e != EEXIST && e != ENOTEMPTY) {
			fail_errno(err, e, "renaming the new rootfs to", DEFAULT_ROOTFS);
			return NULL;
		}
	}
	return g_strdup(DEFAULT_ROOTFS);
}
