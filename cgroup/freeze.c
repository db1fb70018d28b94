/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Freezing a cgroup and listing the processes of a subtree.
 *
 * v1: freezer.state takes FROZEN or THAWED and reads FREEZING while the
 * kernel is still stopping tasks (a task in an uninterruptible sleep can
 * hold it there); the freeze is done when it reads FROZEN.
 * v2: cgroup.freeze takes 1 or 0; the cgroup is frozen when cgroup.events
 * says "frozen 1".  Either way the caller waits for the state it asked for,
 * and a freeze that does not complete in time is undone and reported.
 */
#include "cgroup/internal.h"

#include <string.h>

#define FREEZE_WAIT_US 2000000 /* how long a freeze may take */
#define FREEZE_POLL_US 1000

/* "@path/@file" under the mount point, for messages. */
static char *where(const struct cg_hier *h, const char *path, const char *file)
{
	g_autofree char *rel = cgi_join(path, file);

	return g_strconcat(h->mountpoint, "/", rel, NULL);
}

/* v1 freezer.state or v2 cgroup.events, as a state. */
static bool read_state(const struct cg_hier *h, const char *path,
		       enum cg_freeze_state *out, GError **err)
{
	g_autofree char *text = NULL;
	uint64_t frozen = 0;

	if (!cg_read_value(h, path, h->v2 ? "cgroup.events" : "freezer.state",
			   &text, err))
		return false;
	if (h->v2) {
		if (!cg_parse_keyed_u64(text, "frozen", &frozen) || frozen > 1)
			goto bad;
		*out = frozen ? CG_FROZEN : CG_THAWED;
		return true;
	}
	g_strstrip(text);
	if (strcmp(text, "FROZEN") == 0)
		*out = CG_FROZEN;
	else if (strcmp(text, "FREEZING") == 0)
		*out = CG_FREEZING;
	else if (strcmp(text, "THAWED") == 0)
		*out = CG_THAWED;
	else
		goto bad;
	return true;
bad:;
	g_autofree char *p = where(h, path, h->v2 ? "cgroup.events" : "freezer.state");
	g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing %s: no freezer state in '%s'",
		    p, g_strstrip(text));
	return false;
}

bool cg_freeze_state(const struct cg_hier *h, const char *path,
		     enum cg_freeze_state *out, GError **err)
{
	return read_state(h, path, out, err);
}

static bool request(const struct cg_hier *h, const char *path, bool frozen,
		    GError **err)
{
	if (h->v2)
		return cg_write(h, path, "cgroup.freeze", frozen ? "1" : "0", err);
	return cg_write(h, path, "freezer.state", frozen ? "FROZEN" : "THAWED", err);
}

/* Polls until the state is @want; false + err after FREEZE_WAIT_US. */
static bool wait_state(const struct cg_hier *h, const char *path,
		       enum cg_freeze_state want, GError **err)
{
	enum cg_freeze_state st = CG_THAWED;

	for (long waited = 0;; waited += FREEZE_POLL_US) {
		if (!read_state(h, path, &st, err))
			return false;
		if (st == want)
			return true;
		if (waited >= FREEZE_WAIT_US)
			break;
		/* v1 re-tries stopping the stragglers on each write */
		if (!h->v2 && want == CG_FROZEN && !request(h, path, true, err))
			return false;
		g_usleep(FREEZE_POLL_US);
	}
	g_autofree char *p = where(h, path, h->v2 ? "cgroup.events" : "freezer.state");
	g_set_error(err, CG_ERROR, CG_ERROR_BUSY, "%s %s: still %s after %d s",
		    want == CG_FROZEN ? "freezing" : "thawing", p,
		    st == CG_FREEZING ? "FREEZING" : st == CG_FROZEN ? "frozen" : "not frozen",
		    FREEZE_WAIT_US / 1000000);
	return false;
}

bool cg_freeze(const struct cg_hier *h, const char *path, bool frozen,
	       GError **err)
{
	if (!request(h, path, frozen, err))
		return false;
	if (wait_state(h, path, frozen ? CG_FROZEN : CG_THAWED, err))
		return true;
	if (frozen)
		(void)request(h, path, false, NULL); /* never left half frozen */
	return false;
}

/* ---- the processes of a subtree ------------------------------------ */

static bool add_pids(const struct cg_hier *h, const char *rel, void *ctx,
		     GError **err)
{
	g_autoptr(GError) local = NULL;

	if (cg_list_pids(h, rel, ctx, &local))
		return true;
	if (g_error_matches(local, CG_ERROR, CG_ERROR_NOENT))
		return true; /* removed during the walk */
	g_propagate_error(err, g_steal_pointer(&local));
	return false;
}

static gint cmp_pid(gconstpointer a, gconstpointer b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

bool cg_list_pids_recursive(const struct cg_hier *h, const char *path,
			    GArray *pids, GError **err)
{
	guint out = 0;

	g_array_set_size(pids, 0);
	if (!cgi_walk_subtree(h, path, add_pids, pids, err))
		return false;
	/* sorted, each once (a process moving during the walk) */
	g_array_sort(pids, cmp_pid);
	for (guint i = 0; i < pids->len; i++)
		if (i == 0 || g_array_index(pids, pid_t, i) != g_array_index(pids, pid_t, out - 1))
			g_array_index(pids, pid_t, out++) = g_array_index(pids, pid_t, i);
	g_array_set_size(pids, out);
	return true;
}
