/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container description: creation, release and Docker's defaults. */
#include "runtime/spec/spec.h"

#include <linux/capability.h>
#include <string.h>

/* ------------------------------------------------------------ release */

static void clear_mount(gpointer p)
{
	struct rt_mount *m = p;

	g_free(m->destination);
	g_free(m->type);
	g_free(m->source);
	g_strfreev(m->options);
}

static void clear_device(gpointer p)
{
	struct rt_device *d = p;

	g_free(d->path);
	g_free(d->host_path);
}

struct rt_spec *rt_spec_new(void)
{
	struct rt_spec *s = g_new0(struct rt_spec, 1);
	struct rt_resources *r = &s->linux.resources;

	r->memory.limit = r->memory.reservation = r->memory.swap = RT_UNSET;
	r->cpu.shares = r->cpu.quota = r->cpu.period = RT_UNSET;
	r->pids.limit = RT_UNSET;
	s->memory_swappiness = RT_UNSET;
	s->mounts = g_array_new(false, true, sizeof(struct rt_mount));
	g_array_set_clear_func(s->mounts, clear_mount);
	s->linux.devices = g_array_new(false, true, sizeof(struct rt_device));
	g_array_set_clear_func(s->linux.devices, clear_device);
	return s;
}

static void free_process(struct rt_process *p)
{
	if (p->user.additional_gids)
		g_array_unref(p->user.additional_gids);
	g_strfreev(p->args);
	g_strfreev(p->env);
	g_free(p->cwd);
	if (p->rlimits)
		g_array_unref(p->rlimits);
}

/* The OCI additions; arrays and tables carry their own free functions. */
static void free_oci(struct rt_spec *s)
{
	g_free(s->oci_version);
	for (int i = 0; i < RT_HOOK_N; i++) {
		if (s->hooks.stage[i])
			g_ptr_array_unref(s->hooks.stage[i]);
	}
	if (s->annotations)
		g_hash_table_unref(s->annotations);
	g_free(s->time_ns.path);
	if (s->uid_mappings)
		g_array_unref(s->uid_mappings);
	if (s->gid_mappings)
		g_array_unref(s->gid_mappings);
	if (s->unified)
		g_hash_table_unref(s->unified);
	g_free(s->rootfs_propagation);
}

void rt_spec_free(struct rt_spec *s)
{
	if (!s)
		return;
	free_process(&s->process);
	g_free(s->root.path);
	g_free(s->hostname);
	g_array_unref(s->mounts);
	for (int i = 0; i < RT_NS_N; i++)
		g_free(s->linux.ns[i].path);
	g_free(s->linux.resources.cpu.cpus);
	g_free(s->linux.resources.cpu.mems);
	if (s->linux.resources.devices)
		g_array_unref(s->linux.resources.devices);
	g_free(s->linux.cgroups_path);
	g_array_unref(s->linux.devices);
	if (s->linux.seccomp)
		rt_seccomp_free(s->linux.seccomp);
	g_strfreev(s->linux.masked_paths);
	g_strfreev(s->linux.readonly_paths);
	g_strfreev(s->linux.sysctl);
	g_free(s->views.path);
	g_free(s->name);
	free_oci(s);
	g_free(s);
}

/* ----------------------------------------------------------- defaults */

static const int default_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD,
	CAP_NET_RAW, CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

static const char *const masked_paths[] = {
	"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap", NULL,
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

/* destination, type, source, options (comma-separated) */
static const char *const default_mounts[][4] = {
	{ "/proc", "proc", "proc", "nosuid,noexec,nodev" },
	{ "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
	{ "/dev/pts", "devpts", "devpts",
	  "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k" },
	{ "/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev" },
	{ "/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro" },
	{ "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro" },
};

/* type, major, minor (-1: any), access: the nodes every container gets,
 * then mknod of any node (as Docker allows). */
static const struct rt_device_rule default_rules[] = {
	{ true, 'c', 1, 3, "rwm" },   /* null */
	{ true, 'c', 1, 5, "rwm" },   /* zero */
	{ true, 'c', 1, 7, "rwm" },   /* full */
	{ true, 'c', 1, 8, "rwm" },   /* random */
	{ true, 'c', 1, 9, "rwm" },   /* urandom */
	{ true, 'c', 5, 0, "rwm" },   /* tty */
	{ true, 'c', 5, 1, "rwm" },   /* console */
	{ true, 'c', 136, -1, "rwm" },/* pts */
	{ true, 'c', 5, 2, "rwm" },   /* ptmx */
	{ true, 'c', -1, -1, "m" },
	{ true, 'b', -1, -1, "m" },
};

static void set_default_caps(struct rt_caps *c)
{
	uint64_t set = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(default_caps); i++)
		set |= UINT64_C(1) << default_caps[i];
	c->bounding = c->effective = c->permitted = set;
	c->inheritable = c->ambient = 0;
}

static void set_default_mounts(struct rt_spec *s)
{
	g_array_set_size(s->mounts, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(default_mounts); i++) {
		struct rt_mount m = {
			.destination = g_strdup(default_mounts[i][0]),
			.type = g_strdup(default_mounts[i][1]),
			.source = g_strdup(default_mounts[i][2]),
			.options = g_strsplit(default_mounts[i][3], ",", -1),
		};
		g_array_append_val(s->mounts, m);
	}
}

static void set_default_rules(struct rt_resources *r)
{
	struct rt_device_rule deny_all = { false, 'a', -1, -1, "rwm" };

	if (r->devices)
		g_array_unref(r->devices);
	r->devices = g_array_new(false, true, sizeof(struct rt_device_rule));
	g_array_append_val(r->devices, deny_all);
	g_array_append_vals(r->devices, default_rules, G_N_ELEMENTS(default_rules));
}

const char *rt_hook_stage_name(enum rt_hook_stage stage)
{
	static const char *const names[RT_HOOK_N] = {
		[RT_HOOK_PRESTART] = "prestart",
		[RT_HOOK_CREATE_RUNTIME] = "createRuntime",
		[RT_HOOK_CREATE_CONTAINER] = "createContainer",
		[RT_HOOK_START_CONTAINER] = "startContainer",
		[RT_HOOK_POSTSTART] = "poststart",
		[RT_HOOK_POSTSTOP] = "poststop",
	};

	return names[stage];
}

void rt_spec_allow_default_devices(struct rt_resources *r)
{
	if (r->devices == NULL)
		r->devices = g_array_new(false, true, sizeof(struct rt_device_rule));
	g_array_append_vals(r->devices, default_rules, G_N_ELEMENTS(default_rules));
}

void rt_spec_set_defaults(struct rt_spec *s)
{
	/* Docker's: everything but the user namespace. */
	static const enum rt_ns ids[] = { RT_NS_PID, RT_NS_NET, RT_NS_MOUNT, RT_NS_IPC,
					  RT_NS_UTS, RT_NS_CGROUP };

	for (size_t i = 0; i < G_N_ELEMENTS(ids); i++)
		s->linux.ns[ids[i]].enabled = true;
	set_default_caps(&s->process.caps);
	s->process.no_new_privileges = true;
	g_strfreev(s->process.env);
	s->process.env = g_new0(char *, 2);
	s->process.env[0] = g_strdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	g_free(s->process.cwd);
	s->process.cwd = g_strdup("/");
	set_default_mounts(s);
	set_default_rules(&s->linux.resources);
	g_strfreev(s->linux.masked_paths);
	s->linux.masked_paths = g_strdupv((char **)masked_paths);
	g_strfreev(s->linux.readonly_paths);
	s->linux.readonly_paths = g_strdupv((char **)readonly_paths);
	if (s->linux.seccomp)
		rt_seccomp_free(s->linux.seccomp);
	s->linux.seccomp = rt_seccomp_default(&s->process.caps);
	s->views.enabled = true;
	g_free(s->views.path);
	s->views.path = g_strdup(RT_VIEWS_DEFAULT_PATH);
}
