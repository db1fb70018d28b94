/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which hierarchy each controller is bound to, each opened once.
 *
 * The hot read path reads the kernel's files directly with openat() on
 * the hierarchy's directory fd rather than through libcgroup: libcgroup's
 * value API (cgroup_get_cgroup() and friends) allocates whole controller
 * structures, reads every file of the controller and resolves paths from
 * the mount root on each call.  The mount points come from
 * /proc/self/mountinfo: libcgroup's mount table (cgroup_init()) would add
 * nothing but its start-up cost and its pages, and it misses a cgroup2
 * mount without controllers (a hybrid host's /sys/fs/cgroup/unified).
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const ctrl_names[CG_NCTRL] = {
	[CG_MEMORY] = "memory", [CG_CPU] = "cpu",   [CG_CPUACCT] = "cpuacct",
	[CG_CPUSET] = "cpuset", [CG_IO] = "io",     [CG_PIDS] = "pids",
	[CG_PSI] = "psi",
};

const char *cg_ctrl_name(enum cg_ctrl c)
{
	return (unsigned)c < CG_NCTRL ? ctrl_names[c] : "?";
}

const char *cg_layout_kind_name(enum cg_layout_kind k)
{
	switch (k) {
	case CG_LAYOUT_V1: return "v1";
	case CG_LAYOUT_V2: return "v2";
	case CG_LAYOUT_HYBRID: return "hybrid";
	}
	return "?";
}

const struct cg_hier *cg_layout_hier(const struct cg_layout *l, enum cg_ctrl c)
{
	if ((unsigned)c >= CG_NCTRL || l->ctrl[c] < 0)
		return NULL;
	return &l->hier[l->ctrl[c]];
}

/* The controller a v1 mount option names ("blkio" is CG_IO there). */
static int cgi_v1_ctrl_of(const char *name)
{
	if (strcmp(name, "blkio") == 0)
		return CG_IO;
	for (int c = 0; c < CG_PSI; c++)
		if (c != CG_IO && strcmp(name, ctrl_names[c]) == 0)
			return c;
	return -1;
}

static void cgi_layout_init(struct cg_layout *l)
{
	memset(l, 0, sizeof(*l));
	for (int c = 0; c < CG_NCTRL; c++)
		l->ctrl[c] = -1;
	l->unified = -1;
	l->procfd = -1;
}

/* Index of the hierarchy mounted at @mountpoint, opening it if new. */
static int cgi_add_hier(struct cg_layout *l, const char *mountpoint, bool v2,
			GError **err)
{
	struct cg_hier *h;
	int fd;

	for (int i = 0; i < l->nhier; i++)
		if (strcmp(l->hier[i].mountpoint, mountpoint) == 0)
			return i;
	if (l->nhier == G_N_ELEMENTS(l->hier)) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "too many cgroup hierarchies (at %s)", mountpoint);
		return -1;
	}
	fd = open(mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		cgi_set_errno(err, errno, "opening", mountpoint, NULL);
		return -1;
	}
	h = &l->hier[l->nhier];
	h->dirfd = fd;
	h->v2 = v2;
	h->mountpoint = g_strdup(mountpoint);
	return l->nhier++;
}

static void cgi_bind_ctrl(struct cg_layout *l, int c, int hier)
{
	if (c >= 0 && l->ctrl[c] < 0)
		l->ctrl[c] = hier;
}

/* Binds the controllers enabled at the cgroup2 root (cgroup.controllers)
 * that no v1 hierarchy holds.  cpu.stat (CG_CPUACCT) and the *.pressure
 * files (CG_PSI) are core cgroup2 files, always there. */
static bool bind_unified(struct cg_layout *l, GError **err)
{
	static const struct { const char *name; int ctrl; } v2c[] = {
		{ "memory", CG_MEMORY }, { "cpu", CG_CPU },
		{ "cpuset", CG_CPUSET }, { "io", CG_IO }, { "pids", CG_PIDS },
	};
	const struct cg_hier *h = &l->hier[l->unified];
	g_autofree char *text = NULL;
	g_auto(GStrv) names = NULL;

	if (!cgi_read_at(h->dirfd, h->mountpoint, "cgroup.controllers", &text,
			 err))
		return false;
	names = cgi_parse_words(text);
	for (size_t i = 0; i < G_N_ELEMENTS(v2c); i++)
		if (g_strv_contains((const char *const *)names, v2c[i].name))
			cgi_bind_ctrl(l, v2c[i].ctrl, l->unified);
	cgi_bind_ctrl(l, CG_CPUACCT, l->unified);
	cgi_bind_ctrl(l, CG_PSI, l->unified);
	return true;
}

/* Opens @procfs and remembers the daemon's own pid namespace. */
static bool cgi_open_procfs(struct cg_layout *l, const char *procfs,
			    GError **err)
{
	struct stat st;

	l->procfs = g_strdup(procfs);
	l->procfd = open(procfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (l->procfd < 0) {
		cgi_set_errno(err, errno, "opening", procfs, NULL);
		return false;
	}
	if (fstatat(l->procfd, "self/ns/pid", &st, 0) == 0)
		l->self_pidns = st.st_ino;
	return true;
}

/* Sets the kind from what was bound, after the cgroup2 controllers. */
static bool cgi_finish(struct cg_layout *l, GError **err)
{
	bool v1 = false;

	if (l->unified >= 0 && !bind_unified(l, err))
		return false;
	for (int c = 0; c < CG_NCTRL; c++)
		if (l->ctrl[c] >= 0 && !l->hier[l->ctrl[c]].v2)
			v1 = true;
	if (!v1 && l->unified < 0) {
		g_set_error(err, CG_ERROR, CG_ERROR_LAYOUT,
			    "no cgroup hierarchy with a usable controller");
		return false;
	}
	if (!v1)
		l->kind = CG_LAYOUT_V2;
	else
		l->kind = l->unified >= 0 ? CG_LAYOUT_HYBRID : CG_LAYOUT_V1;
	return true;
}

/* ---- mountinfo ---------------------------------------------------- */


static void mnt_clear(gpointer p)
{
	struct mnt *m = p;

	g_free(m->mountpoint);
	g_free(m->super_opts);
}

/* The cgroup and cgroup2 mounts of a mountinfo text.  Mounts of a
 * subtree (root other than "/", as inside some containers) are skipped:
 * /proc/PID/cgroup paths are from the root. */
GArray *cgi_cgroup_mounts(const char *text)
{
	g_autoptr(GArray) all = cg_mountinfo_parse(text);
	GArray *mnts = g_array_new(FALSE, TRUE, sizeof(struct mnt));

	g_array_set_clear_func(mnts, mnt_clear);
	for (guint i = 0; i < all->len; i++) {
		struct cg_mount *m = &g_array_index(all, struct cg_mount, i);
		bool v2 = strcmp(m->fstype, "cgroup2") == 0;
		struct mnt c = { .v2 = v2 };

		if (strcmp(m->root, "/") != 0 ||
		    (!v2 && strcmp(m->fstype, "cgroup") != 0))
			continue;
		c.mountpoint = g_steal_pointer(&m->mountpoint);
		c.super_opts = g_steal_pointer(&m->super_options);
		g_array_append_val(mnts, c);
	}
	return mnts;
}

/* The cgroup mounts listed in a mountinfo file. */
GArray *cgi_read_mountinfo(const char *path, GError **err)
{
	g_autofree char *text = cg_read_file(path, NULL, err);

	return text ? cgi_cgroup_mounts(text) : NULL;
}

/* Opens every mount of @mnts that holds one of our controllers (v1) and
 * the first cgroup2 mount. */
static bool add_mounts(struct cg_layout *l, GArray *mnts, const char *prefix,
		       GError **err)
{
	for (guint i = 0; i < mnts->len; i++) {
		struct mnt *m = &g_array_index(mnts, struct mnt, i);
		g_autofree char *mp = g_strconcat(prefix, m->mountpoint, NULL);
		g_auto(GStrv) opts = g_strsplit(m->super_opts, ",", -1);
		int idx = -1;

		if (m->v2 && l->unified >= 0)
			continue;
		for (char **o = opts; !m->v2 && *o; o++) {
			int c = cgi_v1_ctrl_of(*o);

			if (c < 0 || l->ctrl[c] >= 0)
				continue;
			if (idx < 0 && (idx = cgi_add_hier(l, mp, false, err)) < 0)
				return false;
			cgi_bind_ctrl(l, c, idx);
		}
		if (m->v2 && (l->unified = cgi_add_hier(l, mp, true, err)) < 0)
			return false;
	}
	return true;
}

bool cg_layout_open_fixture(struct cg_layout *l, const char *mountinfo_path,
			    const char *prefix, const char *procfs,
			    GError **err)
{
	g_autoptr(GArray) mnts = NULL;

	cgi_layout_init(l);
	mnts = cgi_read_mountinfo(mountinfo_path, err);
	if (!mnts || !add_mounts(l, mnts, prefix, err) ||
	    !cgi_open_procfs(l, procfs, err) || !cgi_finish(l, err)) {
		cg_layout_close(l);
		return false;
	}
	return true;
}

bool cg_layout_open(struct cg_layout *l, GError **err)
{
	return cg_layout_open_fixture(l, "/proc/self/mountinfo", "", "/proc", err);
}

void cg_layout_close(struct cg_layout *l)
{
	for (int i = 0; i < l->nhier; i++) {
		if (l->hier[i].dirfd >= 0)
			close(l->hier[i].dirfd);
		g_free(l->hier[i].mountpoint);
	}
	if (l->procfd >= 0)
		close(l->procfd);
	g_free(l->procfs);
	cgi_layout_init(l);
}
