/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-cgroup: the parsers of /proc/PID/cgroup and mountinfo
 * (cg_proc_cgroup_parse, cg_mountinfo_parse: cgroup/procfs.c) through
 * their callers in cgroup/paths.c, cgroup/layout.c, cgroup/write.c and
 * runtime/process/mounts.c.
 * The first byte (modulo 6) picks the reader, the rest is the text:
 *   0-2 cg_paths_parse on the v1, hybrid and v2 fixture layouts
 *   3   a mountinfo text: cg_mountinfo_parse, and as a file
 *       cgi_read_mountinfo and cg_layout_open_fixture
 *       (mount points are taken under the hybrid fixture tree)
 *   4   cg_v1_hier_open: the text up to the first NUL is <procfs>/self/mountinfo,
 *       the rest <procfs>/1/cgroup; the controller is picked by byte0 / 6
 *   5   runtime/process/mounts.c: its mountinfo lines (up to the first NUL) against
 *       its /proc/self/cgroup lines (the rest), and the same words as the
 *       options of an OCI mount
 * Files are written only in a temporary directory, removed at exit.
 */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/mounts-static.h"

#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const trees[] = { "cgroup-v1", "cgroup-hybrid", "cgroup-v2" };
static const char *const ctrls[] = { "memory", "freezer", "cpu", "devices", "net_cls", "" };

static struct cg_layout fixture[G_N_ELEMENTS(trees)]; /* /proc from the fixtures */
static struct cg_layout scratch;                      /* /proc from the temp dir */
static char *tmp, *hybrid, *mountinfo, *self_mountinfo, *pid_cgroup;

static void open_tree(struct cg_layout *l, const char *tree, const char *procfs)
{
	g_autofree char *dir = fuzz_fixture(tree);
	g_autofree char *mi = g_build_filename(dir, "mountinfo", NULL);
	g_autofree char *proc = g_build_filename(dir, "proc", NULL);
	g_autoptr(GError) err = NULL;

	if (!cg_layout_open_fixture(l, mi, dir, procfs ? procfs : proc, &err)) {
		fprintf(stderr, "fuzz-cgroup: %s\n", err->message);
		exit(1);
	}
}

static void cleanup(void)
{
	g_autofree char *self = g_build_filename(tmp, "proc", "self", NULL);
	g_autofree char *one = g_build_filename(tmp, "proc", "1", NULL);
	g_autofree char *proc = g_build_filename(tmp, "proc", NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(fixture); i++)
		cg_layout_close(&fixture[i]);
	cg_layout_close(&scratch);
	g_unlink(mountinfo);
	g_unlink(self_mountinfo);
	g_unlink(pid_cgroup);
	g_rmdir(self);
	g_rmdir(one);
	g_rmdir(proc);
	g_rmdir(tmp);
}

static void mkdir_in(const char *dir, const char *name)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);

	if (g_mkdir(path, 0700) != 0) {
		perror(path);
		exit(1);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autofree char *proc = NULL;

	(void)argc;
	(void)argv;
	if (!(tmp = g_dir_make_tmp("corral-fuzz-XXXXXX", NULL)))
		abort();
	proc = g_build_filename(tmp, "proc", NULL);
	mkdir_in(tmp, "proc");
	mkdir_in(proc, "self");
	mkdir_in(proc, "1");
	mountinfo = g_build_filename(tmp, "mountinfo", NULL);
	self_mountinfo = g_build_filename(proc, "self", "mountinfo", NULL);
	pid_cgroup = g_build_filename(proc, "1", "cgroup", NULL);
	hybrid = fuzz_fixture("cgroup-hybrid");
	for (size_t i = 0; i < G_N_ELEMENTS(trees); i++)
		open_tree(&fixture[i], trees[i], NULL);
	open_tree(&scratch, "cgroup-hybrid", proc);
	atexit(cleanup);
	return 0;
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd;

	/* a new file each time: ext4 flushes a file truncated and rewritten */
	if (unlink(path) != 0 && errno != ENOENT)
		abort();
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 || (len > 0 && write(fd, data, len) != (ssize_t)len) || close(fd) != 0) {
		perror(path);
		abort();
	}
}

static void paths(const struct cg_layout *l, const char *text)
{
	g_autoptr(GError) err = NULL;
	struct cg_paths p, copy;

	if (!cg_paths_parse(l, text, &p, &err))
		return;
	cg_paths_copy(&copy, &p);
	if (!cg_paths_equal(&copy, &p))
		__builtin_trap();
	cg_paths_clear(&copy);
	cg_paths_clear(&p);
}

/* cg_mountinfo_parse: every field there, none longer than the text
 * (unescaping only shortens). */
static void mountinfo_text(const char *text)
{
	g_autoptr(GArray) all = cg_mountinfo_parse(text);

	for (guint i = 0; i < all->len; i++) {
		const struct cg_mount *m = &g_array_index(all, struct cg_mount, i);
		const char *f[] = { m->root, m->mountpoint, m->options, m->fstype,
				    m->source, m->super_options };

		for (size_t k = 0; k < G_N_ELEMENTS(f); k++)
			if (!f[k] || strlen(f[k]) > strlen(text))
				__builtin_trap();
	}
}

static void layout(const char *text, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) mnts = NULL;
	g_autofree char *proc = g_build_filename(hybrid, "proc", NULL);
	struct cg_layout l;

	mountinfo_text(text);
	write_file(mountinfo, text, len);
	if (!(mnts = cgi_read_mountinfo(mountinfo, &err)))
		__builtin_trap(); /* the file is there */
	if (cg_layout_open_fixture(&l, mountinfo, hybrid, proc, &err))
		cg_layout_close(&l);
}

/* @text up to its first NUL, and the rest (NULL when there is no NUL). */
static const char *split(const char *text, size_t len, size_t *first)
{
	const char *nul = memchr(text, '\0', len);

	*first = nul ? (size_t)(nul - text) : len;
	return nul ? nul + 1 : NULL;
}

static void v1_hier(const char *ctrl, const char *text, size_t len)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *path = NULL;
	struct cg_hier h;
	size_t n;
	const char *rest = split(text, len, &n);

	write_file(self_mountinfo, text, n);
	write_file(pid_cgroup, rest ? rest : "", rest ? len - n - 1 : 0);
	if (cg_v1_hier_open(&scratch, ctrl, 1, &h, &path, &err))
		cg_hier_clear(&h);
}

static void runtime_mounts(const char *text, size_t len)
{
	size_t n;
	const char *rest = split(text, len, &n);
	g_autofree char *mi = g_strndup(text, n);
	g_autofree char *cg = rest ? g_strndup(rest, len - n - 1) : g_strdup("");
	g_auto(GStrv) words = g_strsplit_set(mi, " ,\n", -1);

	(void)fuzz_mounts_hiers(mi, cg);
	fuzz_mounts_options(words);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *t = NULL;
	int which;

	if (size < 1)
		return 0;
	which = data[0] % 6;
	t = fuzz_text(data + 1, size - 1);
	if (which <= 2)
		paths(&fixture[which], t);
	else if (which == 3)
		layout(t, size - 1);
	else if (which == 4)
		v1_hier(ctrls[(data[0] / 6) % G_N_ELEMENTS(ctrls)], t, size - 1);
	else
		runtime_mounts(t, size - 1);
	return 0;
}
