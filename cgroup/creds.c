/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who asks (cgroup/cgroup.h, "credentials"): a FUSE caller's groups read
 * from /proc/PID/status, and a thread of the daemon acting as that caller
 * for file access.
 *
 * Credentials are per thread in the kernel; glibc's setgroups(),
 * setgid(), setuid() broadcast the change to every thread of the process
 * (the setxid signal), so only the raw syscalls are used here.  Setting
 * the fsuid from 0 to another id clears the file-system capabilities
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_CHOWN, ...) from
 * the thread's effective set; setting it back to 0 raises them again
 * (capabilities(7), "Effect of user ID changes on capabilities").
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- reading them ---------------------------------------------- */

/* The blank-separated decimal ids of a "Groups:" value. */
static bool parse_groups(const char *v, size_t len, struct cg_creds *out)
{
	g_autofree char *copy = g_strndup(v, len);
	g_auto(GStrv) words = cgi_parse_words(copy);
	guint n = g_strv_length(words);

	out->groups = n ? g_new(gid_t, n) : NULL;
	out->ngroups = 0;
	for (guint i = 0; i < n; i++) {
		uint64_t id;

		if (!cgi_parse_u64(words[i], &id) || id > UINT32_MAX - 1)
			return false;
		out->groups[out->ngroups++] = (gid_t)id;
	}
	return true;
}

bool cg_creds_of(pid_t pid, uid_t uid, gid_t gid, struct cg_creds *out,
		 GError **err)
{
	g_autofree char *base = g_strdup_printf("/proc/%d", (int)pid);
	g_autofree char *path = g_strconcat(base, "/status", NULL);
	g_autofree char *text = cg_read_file(path, NULL, err);
	uint64_t tgid;
	const char *v;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!text)
		return false;
	if (!cg_status_u64(text, "Tgid", &tgid) || tgid == 0 ||
	    tgid > INT32_MAX) {
		cgi_set_parse(err, base, "status", "no Tgid line");
		return false;
	}
	v = cg_status_field(text, "Groups", &len);
	if (!v || !parse_groups(v, len, out)) {
		cg_creds_clear(out);
		cgi_set_parse(err, base, "status", "no valid Groups line");
		return false;
	}
	out->pid = pid;
	out->tgid = (pid_t)tgid;
	out->uid = uid;
	out->gid = gid;
	return true;
}

void cg_creds_clear(struct cg_creds *c)
{
	g_clear_pointer(&c->groups, g_free);
	c->ngroups = 0;
}

void cg_creds_copy(struct cg_creds *dst, const struct cg_creds *src)
{
	*dst = *src;
	dst->groups = src->ngroups ? g_memdup2(src->groups,
					       src->ngroups * sizeof(gid_t))
				   : NULL;
}

/* ---- acting as them ---------------------------------------------- */

/* The daemon's own supplementary groups, saved at the first enter. */
struct own_groups {
	int n;
	gid_t *list;
};

static const struct own_groups *own_groups(void)
{
	static struct own_groups *saved;

	if (g_once_init_enter(&saved)) {
		struct own_groups *g = g_new0(struct own_groups, 1);
		int n = getgroups(0, NULL);

		if (n > 0) {
			g->list = g_new(gid_t, n);
			n = getgroups(n, g->list);
		}
		if (n < 0)
			g_error("getgroups of the daemon: %s",
				g_strerror(errno));
		g->n = n;
		g_once_init_leave(&saved, g);
	}
	return saved;
}

/* The calling thread's supplementary groups (raw syscall: this thread
 * only); false with errno. */
static bool set_groups(size_t n, const gid_t *list)
{
	return syscall(SYS_setgroups, n, list) == 0;
}

/* setfsuid/setfsgid return the previous id and never fail visibly: the
 * id is in effect when a second call with -1 (no change) returns it. */
static bool set_fsuid(uid_t uid)
{
	syscall(SYS_setfsuid, uid);
	return (uid_t)syscall(SYS_setfsuid, (uid_t)-1) == uid;
}

static bool set_fsgid(gid_t gid)
{
	syscall(SYS_setfsgid, gid);
	return (gid_t)syscall(SYS_setfsgid, (gid_t)-1) == gid;
}

bool cg_creds_enter(const struct cg_creds *c, GError **err)
{
	const char *what = NULL;
	int saved = 0;

	own_groups();
	if (!set_groups(c->ngroups, c->groups)) {
		saved = errno;
		what = "supplementary groups";
	} else if (!set_fsgid(c->gid)) {
		what = "fsgid";
	} else if (!set_fsuid(c->uid)) {
		what = "fsuid";
	}
	if (!what)
		return true;
	cg_creds_leave();
	g_set_error(err, CG_ERROR, CG_ERROR_IO,
		    "acting as uid %u gid %u (pid %d): setting the %s: %s",
		    (unsigned)c->uid, (unsigned)c->gid, (int)c->pid, what,
		    saved ? g_strerror(saved) : "not in effect");
	return false;
}

void cg_creds_leave(void)
{
	const struct own_groups *g = own_groups();

	/* fsuid 0 first: it gives the thread its capabilities back */
	if (!set_fsuid(0))
		g_error("restoring fsuid 0 of a daemon thread failed");
	if (!set_fsgid(0))
		g_error("restoring fsgid 0 of a daemon thread failed");
	if (!set_groups((size_t)g->n, g->list))
		g_error("restoring the daemon's groups: %s",
			g_strerror(errno));
}
