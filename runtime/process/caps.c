/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Capabilities without libcap: the bounding set (PR_CAPBSET_DROP),
 * capset(2) with version 3 headers, the ambient set, and the switch to the
 * container's user keeping the permitted set.  Names: spec/cap-names.c.
 */
#include "cgroup/cgroup.h"
#include "runtime/spec/cap-names.h"
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The highest capability this kernel knows. */
static int cap_last_cap(void)
{
	g_autofree char *text = NULL;

	if ((text = cg_read_file("/proc/sys/kernel/cap_last_cap", NULL, NULL)))
		return atoi(text);
	return CAP_LAST_CAP;
}

bool rt_caps_drop_bounding(uint64_t keep, GError **err)
{
	int last = cap_last_cap();

	for (int cap = 0; cap <= last; cap++) {
		if (cap < 64 && (keep & (UINT64_C(1) << cap)))
			continue;
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return rt_fail_errno(err, errno, "dropping capability %d (%s) from the bounding set",
					     cap, rt_cap_name(cap) ? rt_cap_name(cap) : "?");
	}
	return true;
}

/* setgroups, setresgid: the additional gids, or none at all. */
static bool switch_groups(const struct rt_user *u, GError **err)
{
	const gid_t *gids = NULL;
	size_t n = 0;

	if (u->additional_gids != NULL) {
		gids = (const gid_t *)(void *)u->additional_gids->data;
		n = u->additional_gids->len;
	}
	if (setgroups(n, gids) < 0)
		return rt_fail_errno(err, errno, "setgroups (%zu groups)", n);
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return rt_fail_errno(err, errno, "setgid to %u", (unsigned)u->gid);
	return true;
}

bool rt_user_switch(const struct rt_user *u, GError **err)
{
	if (!switch_groups(u, err))
		return false;
	if (u->uid == 0)
		return true;
	/* Without KEEPCAPS, leaving uid 0 would clear the permitted set that
	 * rt_caps_set() still has to pick from. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "prctl PR_SET_KEEPCAPS");
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return rt_fail_errno(err, errno, "setuid to %u", (unsigned)u->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "prctl PR_SET_KEEPCAPS");
	return true;
}

static bool set_ambient(uint64_t ambient, GError **err)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		if (errno == EINVAL && ambient == 0)
			return true; /* a kernel without ambient capabilities */
		return rt_fail_errno(err, errno, "clearing the ambient capabilities");
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(ambient & (UINT64_C(1) << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return rt_fail_errno(err, errno, "raising ambient capability %d (%s)",
					     cap, rt_cap_name(cap) ? rt_cap_name(cap) : "?");
	}
	return true;
}

bool rt_caps_set(const struct rt_caps *c, GError **err)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {
		{ .effective = (uint32_t)c->effective, .permitted = (uint32_t)c->permitted,
		  .inheritable = (uint32_t)c->inheritable },
		{ .effective = (uint32_t)(c->effective >> 32),
		  .permitted = (uint32_t)(c->permitted >> 32),
		  .inheritable = (uint32_t)(c->inheritable >> 32) },
	};

	if (syscall(SYS_capset, &hdr, data) < 0)
		return rt_fail_errno(err, errno, "capset (effective %#" PRIx64 ", permitted %#"
				     PRIx64 ")", c->effective, c->permitted);
	/* Raised after capset.  The kernel keeps the ambient set inside
	 * permitted & inheritable; configs such as `runc spec`'s list ambient
	 * capabilities that are not inheritable, which runc raises where it
	 * can and otherwise only warns about in its own log: corral raises the
	 * ones the kernel allows. */
	return set_ambient(c->ambient & c->permitted & c->inheritable, err);
}

static bool load_filter(GBytes *prog, GError **err)
{
	gsize len;
	const void *data = g_bytes_get_data(prog, &len);

	return rt_seccomp_load(data, len, err);
}

/* Without no_new_privs the filter needs CAP_SYS_ADMIN to load, so it goes
 * in before the drop; a change of credentials clears the parent-death
 * signal, so it is set again after. */
bool rt_process_creds(const struct rt_process *p, GBytes *filter, int pdeathsig,
		      GError **err)
{
	bool early = filter != NULL && !p->no_new_privileges;

	if (early && !load_filter(filter, err))
		return false;
	if (!rt_caps_drop_bounding(p->caps.bounding, err) || !rt_user_switch(&p->user, err) ||
	    !rt_caps_set(&p->caps, err))
		return false;
	if (prctl(PR_SET_PDEATHSIG, pdeathsig, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "prctl PR_SET_PDEATHSIG");
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return rt_fail_errno(err, errno, "prctl PR_SET_NO_NEW_PRIVS");
	if (filter != NULL && !early)
		return load_filter(filter, err);
	return true;
}
