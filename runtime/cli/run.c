/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A container's whole life: its cgroup, its limits, its process, and the
 * cleanup that leaves nothing behind on every path.  Mounts need none:
 * they all live in the container's mount namespace, which ends with it.
 */
#include "runtime/cgroups/cgroups.h"
#include "runtime/process/process.h"

#include <errno.h>
#include <unistd.h>

static int run_in_cgroup(struct rt_cgroup *cg, const struct rt_spec *spec, GError **err)
{
	g_autoptr(rt_container) c = NULL;

	if (!rt_cgroup_apply(cg, &spec->linux.resources, err))
		return 125;
	c = rt_container_create(spec, err);
	if (c == NULL || !rt_cgroup_attach(cg, rt_container_pid(c), err))
		return 125;
	if (!rt_container_start(c, err))
		return c->fail_status;
	return rt_container_wait(c);
}

static int run_in_layout(const struct cg_layout *l, const struct rt_spec *spec, GError **err)
{
	g_autofree char *fallback = NULL;
	const char *path = spec->linux.cgroups_path;
	g_autoptr(GError) destroy_err = NULL;

	if (path == NULL)
		path = fallback = g_strdup_printf("corral/%s", spec->name ? spec->name : "corral");
	struct rt_cgroup *cg = rt_cgroup_create(l, path, err);
	if (cg == NULL)
		return 125;
	int status = run_in_cgroup(cg, spec, err);
	if (rt_cgroup_destroy(cg, &destroy_err))
		return status;
	if (err != NULL && *err == NULL)
		g_propagate_error(err, g_steal_pointer(&destroy_err));
	return 125;
}

/* Forget the forwarded signals that came after the container ended. */
static void drain_signals(const sigset_t *set, const sigset_t *before)
{
	sigset_t pending;
	const struct timespec zero = { 0, 0 };

	sigpending(&pending);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(set, sig) == 1 && sigismember(&pending, sig) == 1 &&
		    sigismember(before, sig) != 1) {
			sigset_t one;
			sigemptyset(&one);
			sigaddset(&one, sig);
			(void)sigtimedwait(&one, NULL, &zero);
		}
	}
}

int rt_run(const struct rt_spec *spec, GError **err)
{
	struct cg_layout layout;
	sigset_t set, before;
	int status = 125;

	/* Blocked from start to end, so that no signal kills corral between
	 * the container's end and the removal of its cgroup. */
	rt_forward_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &before);
	if (cg_layout_open(&layout, err)) {
		status = run_in_layout(&layout, spec, err);
		cg_layout_close(&layout);
	}
	drain_signals(&set, &before);
	sigprocmask(SIG_SETMASK, &before, NULL);
	return status;
}
