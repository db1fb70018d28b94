/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runtime/spec/bundle.c: config.json (tests/fixtures/oci/) into struct rt_spec. */
#include "runtime/spec/bundle.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define BIT(c) (UINT64_C(1) << (c))

static char *fixture(const char *name)
{
	const char *dir = g_getenv("FIXTURES");

	g_assert_nonnull(dir);
	return g_build_filename(dir, "oci", name, NULL);
}

static struct rt_spec *load_ok(const char *name)
{
	g_autofree char *dir = fixture(name);
	g_autoptr(GError) err = NULL;
	struct rt_spec *s = rt_oci_load(dir, &err);

	g_assert_no_error(err);
	g_assert_nonnull(s);
	return s;
}

static struct rt_spec *parse_ok(const char *text, const char *bundle)
{
	g_autoptr(GError) err = NULL;
	struct rt_spec *s = rt_oci_parse(text, strlen(text), bundle, &err);

	g_assert_no_error(err);
	g_assert_nonnull(s);
	return s;
}

/* @u is @uid:@gid with exactly the two additional gids @g0, @g1. */
static void assert_user(const struct rt_user *u, uid_t uid, gid_t gid, gid_t g0, gid_t g1)
{
	g_assert_cmpuint(u->uid, ==, uid);
	g_assert_cmpuint(u->gid, ==, gid);
	g_assert_cmpuint(u->additional_gids->len, ==, 2);
	g_assert_cmpuint(g_array_index(u->additional_gids, gid_t, 0), ==, g0);
	g_assert_cmpuint(g_array_index(u->additional_gids, gid_t, 1), ==, g1);
}

static void assert_strv(char **v, const char *const *want)
{
	g_assert_nonnull(v);
	g_assert_cmpuint(g_strv_length(v), ==, g_strv_length((char **)want));
	for (size_t i = 0; want[i]; i++)
		g_assert_cmpstr(v[i], ==, want[i]);
}

static void assert_mount(const struct rt_spec *s, guint i, const char *dest, const char *type,
			 const char *src, const char *const *opts)
{
	const struct rt_mount *m = &g_array_index(s->mounts, struct rt_mount, i);

	g_assert_cmpstr(m->destination, ==, dest);
	g_assert_cmpstr(m->type, ==, type);
	g_assert_cmpstr(m->source, ==, src);
	if (opts)
		assert_strv(m->options, opts);
	else
		g_assert_null(m->options);
}

static const struct rt_hook *hook(const struct rt_spec *s, enum rt_hook_stage st, guint i)
{
	g_assert_nonnull(s->hooks.stage[st]);
	g_assert_cmpuint(i, <, s->hooks.stage[st]->len);
	return g_ptr_array_index(s->hooks.stage[st], i);
}

/* ------------------------------------------------------ `runc spec` */

static void test_runc_process(void)
{
	g_autoptr(rt_spec) s = load_ok("runc");
	const struct rt_process *p = &s->process;
	const uint64_t caps = BIT(CAP_AUDIT_WRITE) | BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE);
	const struct rt_rlimit *r;

	g_assert_cmpstr(s->oci_version, ==, "1.0.2-dev");
	g_assert_true(p->terminal);
	g_assert_cmpuint(p->user.uid, ==, 0);
	g_assert_cmpuint(p->user.gid, ==, 0);
	g_assert_null(p->user.additional_gids);
	g_assert_false(s->has_umask);
	assert_strv(p->args, (const char *const[]){ "sh", NULL });
	assert_strv(p->env, (const char *const[]){
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
		NULL });
	g_assert_cmpstr(p->cwd, ==, "/");
	g_assert_cmphex(p->caps.bounding, ==, caps);
	g_assert_cmphex(p->caps.effective, ==, caps);
	g_assert_cmphex(p->caps.permitted, ==, caps);
	g_assert_cmphex(p->caps.ambient, ==, caps);
	g_assert_cmphex(p->caps.inheritable, ==, 0);
	g_assert_cmpuint(p->rlimits->len, ==, 1);
	r = &g_array_index(p->rlimits, struct rt_rlimit, 0);
	g_assert_cmpint(r->resource, ==, RLIMIT_NOFILE);
	g_assert_cmpuint(r->soft, ==, 1024);
	g_assert_cmpuint(r->hard, ==, 1024);
	g_assert_true(p->no_new_privileges);
}

static void test_runc_root_mounts(void)
{
	g_autoptr(rt_spec) s = load_ok("runc");
	g_autofree char *dir = fixture("runc");
	g_autofree char *abs = g_canonicalize_filename(dir, NULL);
	g_autofree char *rootfs = g_build_filename(abs, "rootfs", NULL);

	g_assert_cmpstr(s->root.path, ==, rootfs);
	g_assert_true(s->root.readonly);
	g_assert_cmpstr(s->hostname, ==, "runc");
	g_assert_cmpuint(s->mounts->len, ==, 7);
	assert_mount(s, 0, "/proc", "proc", "proc", NULL);
	assert_mount(s, 1, "/dev", "tmpfs", "tmpfs",
		     (const char *const[]){ "nosuid", "strictatime", "mode=755", "size=65536k", NULL });
	assert_mount(s, 2, "/dev/pts", "devpts", "devpts",
		     (const char *const[]){ "nosuid", "noexec", "newinstance", "ptmxmode=0666",
					    "mode=0620", "gid=5", NULL });
	assert_mount(s, 6, "/sys/fs/cgroup", "cgroup", "cgroup",
		     (const char *const[]){ "nosuid", "noexec", "nodev", "relatime", "ro", NULL });
	for (int i = 0; i < RT_HOOK_N; i++)
		g_assert_null(s->hooks.stage[i]);
	g_assert_null(s->annotations);
}

static void test_runc_linux(void)
{
	g_autoptr(rt_spec) s = load_ok("runc");
	const struct rt_resources *r = &s->linux.resources;
	const struct rt_device_rule *d;
	static const bool want[RT_NS_N] = { [RT_NS_PID] = true, [RT_NS_NET] = true,
					    [RT_NS_IPC] = true, [RT_NS_UTS] = true,
					    [RT_NS_MOUNT] = true };

	for (int i = 0; i < RT_NS_N; i++) {
		g_assert_cmpint(s->linux.ns[i].enabled, ==, want[i]);
		g_assert_null(s->linux.ns[i].path);
	}
	g_assert_false(s->time_ns.enabled);
	g_assert_cmpint(r->memory.limit, ==, RT_UNSET);
	g_assert_cmpint(r->cpu.quota, ==, RT_UNSET);
	g_assert_cmpint(r->pids.limit, ==, RT_UNSET);
	g_assert_cmpint(s->memory_swappiness, ==, RT_UNSET);
	g_assert_cmpuint(r->devices->len, ==, 1);
	d = &g_array_index(r->devices, struct rt_device_rule, 0);
	g_assert_false(d->allow);
	g_assert_cmpint(d->type, ==, 'a');
	g_assert_cmpint(d->major, ==, -1);
	g_assert_cmpint(d->minor, ==, -1);
	g_assert_cmpstr(d->access, ==, "rwm");
	g_assert_cmpuint(s->linux.devices->len, ==, 0);
	g_assert_null(s->linux.seccomp);
	g_assert_null(s->linux.cgroups_path);
	g_assert_null(s->linux.sysctl);
	g_assert_cmpuint(g_strv_length(s->linux.masked_paths), ==, 10);
	g_assert_cmpstr(s->linux.masked_paths[9], ==, "/proc/scsi");
	assert_strv(s->linux.readonly_paths,
		    (const char *const[]){ "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
					   "/proc/sysrq-trigger", NULL });
	g_assert_null(s->uid_mappings);
	g_assert_null(s->rootfs_propagation);
}

/* ---------------------------------------------------- podman-style */

static void test_podman_process(void)
{
	g_autoptr(rt_spec) s = load_ok("podman");
	const struct rt_process *p = &s->process;
	const struct rt_rlimit *r;

	g_assert_cmpstr(s->oci_version, ==, "1.1.0");
	g_assert_false(p->terminal);
	assert_user(&p->user, 1000, 1000, 10, 1000);
	g_assert_true(s->has_umask);
	g_assert_cmpuint(s->umask, ==, 022);
	assert_strv(p->args, (const char *const[]){ "/bin/sh", "-c", "free -m", NULL });
	g_assert_cmpuint(g_strv_length(p->env), ==, 4);
	g_assert_cmpstr(p->env[3], ==, "container=podman");
	g_assert_cmpstr(p->cwd, ==, "/srv/app");
	g_assert_cmphex(p->caps.bounding, ==,
			BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FOWNER) | BIT(CAP_FSETID) |
			BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SETFCAP) |
			BIT(CAP_SETGID) | BIT(CAP_SETPCAP) | BIT(CAP_SETUID) | BIT(CAP_SYS_CHROOT));
	g_assert_cmphex(p->caps.bounding, ==, 0x800405fb);
	g_assert_cmphex(p->caps.effective, ==, BIT(CAP_CHOWN) | BIT(CAP_KILL));
	g_assert_cmphex(p->caps.permitted, ==, BIT(CAP_CHOWN) | BIT(CAP_KILL));
	g_assert_cmphex(p->caps.inheritable, ==, 0);
	g_assert_cmphex(p->caps.ambient, ==, 0);
	g_assert_cmpuint(p->rlimits->len, ==, 3);
	r = &g_array_index(p->rlimits, struct rt_rlimit, 0);
	g_assert_true(r->resource == RLIMIT_NOFILE && r->soft == 1024 && r->hard == 20000);
	r = &g_array_index(p->rlimits, struct rt_rlimit, 1);
	g_assert_true(r->resource == RLIMIT_NPROC && r->soft == 4194304 && r->hard == 4194304);
	r = &g_array_index(p->rlimits, struct rt_rlimit, 2);
	g_assert_true(r->resource == RLIMIT_CORE && r->soft == UINT64_MAX && r->hard == UINT64_MAX);
	g_assert_true(p->no_new_privileges);
	g_assert_cmpuint(p->console_size.height, ==, 24);
	g_assert_cmpuint(p->console_size.width, ==, 80);
}

static void test_podman_root_mounts_hooks(void)
{
	g_autoptr(rt_spec) s = load_ok("podman");
	const struct rt_hook *h;

	g_assert_cmpstr(s->root.path, ==, "/var/lib/containers/storage/overlay/3f1a/merged");
	g_assert_false(s->root.readonly);
	g_assert_cmpstr(s->hostname, ==, "web");
	g_assert_cmpuint(s->mounts->len, ==, 4);
	assert_mount(s, 0, "/proc", "proc", "proc",
		     (const char *const[]){ "nosuid", "noexec", "nodev", NULL });
	assert_mount(s, 2, "/etc/hosts", "bind",
		     "/run/containers/storage/overlay-containers/3f1a/userdata/hosts",
		     (const char *const[]){ "bind", "rprivate", NULL });
	assert_mount(s, 3, "/data", NULL, "/srv/data",
		     (const char *const[]){ "rbind", "ro", "rslave", NULL });
	h = hook(s, RT_HOOK_PRESTART, 0);
	g_assert_cmpstr(h->path, ==, "/usr/libexec/podman/netns-hook");
	assert_strv(h->args, (const char *const[]){ "netns-hook", "setup", NULL });
	assert_strv(h->env, (const char *const[]){ "NS=1", NULL });
	g_assert_cmpint(h->timeout, ==, 5);
	h = hook(s, RT_HOOK_CREATE_CONTAINER, 0);
	g_assert_cmpstr(h->path, ==, "/usr/libexec/corral/corral-hook");
	g_assert_null(h->env);
	g_assert_cmpint(h->timeout, ==, 0);
	g_assert_cmpuint(s->hooks.stage[RT_HOOK_POSTSTOP]->len, ==, 2);
	h = hook(s, RT_HOOK_POSTSTOP, 1);
	g_assert_cmpstr(h->path, ==, "/bin/true");
	g_assert_null(h->args);
	g_assert_null(s->hooks.stage[RT_HOOK_CREATE_RUNTIME]);
	g_assert_null(s->hooks.stage[RT_HOOK_START_CONTAINER]);
	g_assert_null(s->hooks.stage[RT_HOOK_POSTSTART]);
	g_assert_cmpuint(g_hash_table_size(s->annotations), ==, 4);
	g_assert_cmpstr(g_hash_table_lookup(s->annotations, "org.corral.views"), ==, "false");
	g_assert_cmpstr(g_hash_table_lookup(s->annotations, "io.container.manager"), ==, "libpod");
}

static void test_podman_resources(void)
{
	g_autoptr(rt_spec) s = load_ok("podman");
	const struct rt_resources *r = &s->linux.resources;
	const struct rt_device_rule *d;

	g_assert_cmpint(r->memory.limit, ==, 268435456);
	g_assert_cmpint(r->memory.reservation, ==, 134217728);
	g_assert_cmpint(r->memory.swap, ==, 536870912);
	g_assert_cmpint(s->memory_swappiness, ==, 60);
	g_assert_cmpint(r->cpu.shares, ==, 1024);
	g_assert_cmpint(r->cpu.quota, ==, 50000);
	g_assert_cmpint(r->cpu.period, ==, 100000);
	g_assert_cmpstr(r->cpu.cpus, ==, "0-1");
	g_assert_cmpstr(r->cpu.mems, ==, "0");
	g_assert_cmpint(r->pids.limit, ==, 64);
	g_assert_cmpuint(r->devices->len, ==, 3);
	d = &g_array_index(r->devices, struct rt_device_rule, 0);
	g_assert_true(!d->allow && d->type == 'a' && d->major == -1 && d->minor == -1);
	d = &g_array_index(r->devices, struct rt_device_rule, 1);
	g_assert_true(d->allow && d->type == 'c' && d->major == 1 && d->minor == 3);
	g_assert_cmpstr(d->access, ==, "rwm");
	d = &g_array_index(r->devices, struct rt_device_rule, 2);
	g_assert_true(d->allow && d->type == 'c' && d->major == 136 && d->minor == -1);
	g_assert_cmpstr(d->access, ==, "rw");
	g_assert_cmpuint(g_hash_table_size(s->unified), ==, 2);
	g_assert_cmpstr(g_hash_table_lookup(s->unified, "memory.high"), ==, "201326592");
	g_assert_cmpstr(g_hash_table_lookup(s->unified, "io.weight"), ==, "default 100");
	g_assert_cmpstr(s->linux.cgroups_path, ==, "/libpod_parent/libpod-3f1a");
}

static void assert_mapping(GArray *a, guint i, uint32_t c, uint32_t h, uint32_t n)
{
	const struct rt_id_mapping *m = &g_array_index(a, struct rt_id_mapping, i);

	g_assert_cmpuint(i, <, a->len);
	g_assert_cmpuint(m->container_id, ==, c);
	g_assert_cmpuint(m->host_id, ==, h);
	g_assert_cmpuint(m->size, ==, n);
}

static void test_podman_linux(void)
{
	g_autoptr(rt_spec) s = load_ok("podman");
	const struct rt_device *d;

	for (int i = 0; i < RT_NS_N; i++)
		g_assert_true(s->linux.ns[i].enabled);
	g_assert_cmpstr(s->linux.ns[RT_NS_NET].path, ==, "/run/netns/netns-3f1a");
	g_assert_null(s->linux.ns[RT_NS_PID].path);
	g_assert_cmpuint(s->uid_mappings->len, ==, 1);
	assert_mapping(s->uid_mappings, 0, 0, 100000, 65536);
	g_assert_cmpuint(s->gid_mappings->len, ==, 2);
	assert_mapping(s->gid_mappings, 1, 65536, 1000, 1);
	assert_strv(s->linux.sysctl, (const char *const[]){ "net.ipv4.ping_group_range=0 0",
			"net.ipv4.ip_unprivileged_port_start=80", NULL });
	g_assert_cmpuint(s->linux.devices->len, ==, 3);
	d = &g_array_index(s->linux.devices, struct rt_device, 0);
	g_assert_cmpstr(d->path, ==, "/dev/fuse");
	g_assert_true(d->type == 'c' && d->major == 10 && d->minor == 229);
	g_assert_cmpuint(d->file_mode, ==, 0666);
	g_assert_null(d->host_path);
	d = &g_array_index(s->linux.devices, struct rt_device, 1);
	g_assert_true(d->type == 'b' && d->major == 7 && d->minor == 0 && d->uid == 0);
	d = &g_array_index(s->linux.devices, struct rt_device, 2);
	g_assert_cmpint(d->type, ==, 'p');
	assert_strv(s->linux.masked_paths,
		    (const char *const[]){ "/proc/acpi", "/proc/kcore", "/sys/firmware", NULL });
	assert_strv(s->linux.readonly_paths, (const char *const[]){ "/proc/bus", "/proc/sys", NULL });
	g_assert_cmpstr(s->rootfs_propagation, ==, "slave");
}

static void test_podman_seccomp(void)
{
	g_autoptr(rt_spec) s = load_ok("podman");
	const struct rt_seccomp *sc = s->linux.seccomp;
	const struct rt_seccomp_rule *r;
	const struct rt_seccomp_arg *a;

	g_assert_nonnull(sc);
	g_assert_cmpint(sc->default_action, ==, RT_SECCOMP_ERRNO);
	g_assert_cmpint(sc->default_errno, ==, ENOSYS);
	assert_strv(sc->architectures, (const char *const[]){ "SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
			"SCMP_ARCH_X32", NULL });
	g_assert_cmpuint(sc->rules->len, ==, 3);
	r = &g_array_index(sc->rules, struct rt_seccomp_rule, 0);
	assert_strv(r->names, (const char *const[]){ "read", "write", "exit_group", NULL });
	g_assert_cmpint(r->action, ==, RT_SECCOMP_ALLOW);
	r = &g_array_index(sc->rules, struct rt_seccomp_rule, 1);
	g_assert_cmpuint(r->args->len, ==, 1);
	a = &g_array_index(r->args, struct rt_seccomp_arg, 0);
	g_assert_true(a->index == 0 && a->value == 131072 && a->op == RT_OP_EQ);
	r = &g_array_index(sc->rules, struct rt_seccomp_rule, 2);
	g_assert_true(r->action == RT_SECCOMP_ERRNO && r->errno_ret == EPERM);
}

/* ----------------------------------------------------------- others */

#define MINIMAL(version, extra)                                                           \
	"{\"ociVersion\": \"" version "\", \"process\": {\"user\": {\"uid\": 0, \"gid\": 0},"  \
	" \"args\": [\"true\"], \"cwd\": \"/\"}, \"root\": {\"path\": \"rootfs\"}" extra "}"

static void test_versions(void)
{
	static const char *const good[] = { MINIMAL("1.0", ""), MINIMAL("1.0.0", ""),
					    MINIMAL("1.0.2-dev", ""), MINIMAL("1.1.0-rc.1", ""),
					    MINIMAL("1.2.0", ""), MINIMAL("1.2.1+dev", "") };
	static const char *const bad[][2] = {
		{ MINIMAL("1.3.0", ""), "ociVersion: unsupported version '1.3.0' (corral reads 1.0 to 1.2)" },
		{ MINIMAL("1.10.0", ""), "ociVersion: unsupported version '1.10.0' (corral reads 1.0 to 1.2)" },
		{ MINIMAL("0.6.0", ""), "ociVersion: unsupported version '0.6.0' (corral reads 1.0 to 1.2)" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(good); i++)
		rt_spec_free(parse_ok(good[i], "/b"));
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;

		g_assert_null(rt_oci_parse(bad[i][0], strlen(bad[i][0]), "/b", &err));
		g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
		g_assert_cmpstr(err->message, ==, bad[i][1]);
	}
}

static void test_minimal_is_empty(void)
{
	g_autoptr(rt_spec) s = parse_ok(MINIMAL("1.2.0", ""), "/b");

	/* No Docker defaults sneak in: an OCI config is explicit. */
	for (int i = 0; i < RT_NS_N; i++)
		g_assert_false(s->linux.ns[i].enabled);
	g_assert_cmphex(s->process.caps.bounding, ==, 0);
	g_assert_false(s->process.no_new_privileges);
	g_assert_null(s->process.env);
	g_assert_cmpuint(s->mounts->len, ==, 0);
	g_assert_null(s->linux.resources.devices);
	g_assert_null(s->linux.seccomp);
	g_assert_null(s->linux.masked_paths);
	g_assert_cmpuint(s->process.rlimits->len, ==, 0);
	g_assert_cmpstr(s->root.path, ==, "/b/rootfs");
}

static void test_root_path(void)
{
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *want = g_build_filename(cwd, "bundle", "rootfs", NULL);
	g_autofree char *want_cwd = g_build_filename(cwd, "rootfs", NULL);
	g_autoptr(rt_spec) rel = parse_ok(MINIMAL("1.0.0", ""), "x/../bundle/");
	g_autoptr(rt_spec) none = parse_ok(MINIMAL("1.0.0", ""), NULL);
	g_autoptr(rt_spec) abs = parse_ok("{\"ociVersion\": \"1.0.0\", \"process\": {\"user\":"
					  " {\"uid\": 0, \"gid\": 0}, \"args\": [\"true\"], \"cwd\":"
					  " \"/\"}, \"root\": {\"path\": \"/srv/root/./fs/\"}}",
					  "/b");

	g_assert_cmpstr(rel->root.path, ==, want);
	g_assert_cmpstr(none->root.path, ==, want_cwd);
	g_assert_cmpstr(abs->root.path, ==, "/srv/root/fs");
}

static void test_time_ns_and_nulls(void)
{
	g_autoptr(rt_spec) s = parse_ok(
		MINIMAL("1.2.0", ", \"hostname\": null, \"mounts\": null, \"unknown\": {\"x\": 1},"
				 " \"linux\": {\"namespaces\": [{\"type\": \"time\"},"
				 " {\"type\": \"cgroup\", \"path\": \"/proc/1/ns/cgroup\"}],"
				 " \"resources\": {\"memory\": {\"limit\": -1}, \"cpu\": {\"quota\": -1}}}"),
		"/b");

	g_assert_null(s->hostname);
	g_assert_true(s->time_ns.enabled);
	g_assert_null(s->time_ns.path);
	g_assert_true(s->linux.ns[RT_NS_CGROUP].enabled);
	g_assert_cmpstr(s->linux.ns[RT_NS_CGROUP].path, ==, "/proc/1/ns/cgroup");
	g_assert_cmpint(s->linux.resources.memory.limit, ==, -1);
	g_assert_cmpint(s->linux.resources.cpu.quota, ==, -1);
}

/* ------------------------------------------------------ process.json */

/* What containerd's runc shim and conmon write for `exec --process`. */
static const char process_full[] =
	"{\"terminal\": true, \"consoleSize\": {\"height\": 40, \"width\": 132},"
	" \"user\": {\"uid\": 1000, \"gid\": 100, \"additionalGids\": [5, 27], \"umask\": 63},"
	" \"args\": [\"sh\", \"-c\", \"id\"], \"env\": [\"PATH=/bin\", \"TERM=xterm\"],"
	" \"cwd\": \"/srv\", \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_CHOWN\"],"
	" \"effective\": [\"CAP_KILL\"], \"permitted\": [\"CAP_KILL\", \"CAP_CHOWN\"],"
	" \"inheritable\": [\"CAP_CHOWN\"], \"ambient\": [\"CAP_CHOWN\"]},"
	" \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 4096, \"soft\": 512}],"
	" \"noNewPrivileges\": true, \"apparmorProfile\": \"\", \"selinuxLabel\": \"\"}";

static struct rt_spec *process_ok(const char *text)
{
	g_autoptr(GError) err = NULL;
	struct rt_spec *s = rt_oci_parse_process(text, strlen(text), &err);

	g_assert_no_error(err);
	g_assert_nonnull(s);
	return s;
}

static void test_process_full(void)
{
	g_autoptr(rt_spec) s = process_ok(process_full);
	const struct rt_process *p = &s->process;
	const struct rt_rlimit *r;

	g_assert_true(p->terminal);
	g_assert_cmpuint(p->console_size.height, ==, 40);
	g_assert_cmpuint(p->console_size.width, ==, 132);
	assert_user(&p->user, 1000, 100, 5, 27);
	g_assert_true(s->has_umask);
	g_assert_cmpuint(s->umask, ==, 077);
	assert_strv(p->args, (const char *const[]){ "sh", "-c", "id", NULL });
	assert_strv(p->env, (const char *const[]){ "PATH=/bin", "TERM=xterm", NULL });
	g_assert_cmpstr(p->cwd, ==, "/srv");
	g_assert_cmphex(p->caps.bounding, ==, BIT(CAP_KILL) | BIT(CAP_CHOWN));
	g_assert_cmphex(p->caps.effective, ==, BIT(CAP_KILL));
	g_assert_cmphex(p->caps.permitted, ==, BIT(CAP_KILL) | BIT(CAP_CHOWN));
	g_assert_cmphex(p->caps.inheritable, ==, BIT(CAP_CHOWN));
	g_assert_cmphex(p->caps.ambient, ==, BIT(CAP_CHOWN));
	g_assert_cmpuint(p->rlimits->len, ==, 1);
	r = &g_array_index(p->rlimits, struct rt_rlimit, 0);
	g_assert_true(r->resource == RLIMIT_NOFILE && r->soft == 512 && r->hard == 4096);
	g_assert_true(p->no_new_privileges);
	/* nothing but the process */
	g_assert_null(s->root.path);
	g_assert_null(s->oci_version);
	g_assert_null(s->linux.seccomp);
}

static void test_process_minimal(void)
{
	g_autoptr(rt_spec) s = process_ok("{\"args\": [\"id\"], \"cwd\": \"/\"}");
	const struct rt_process *p = &s->process;

	/* runc takes a missing user as root */
	g_assert_cmpuint(p->user.uid, ==, 0);
	g_assert_cmpuint(p->user.gid, ==, 0);
	g_assert_null(p->user.additional_gids);
	g_assert_false(s->has_umask);
	g_assert_false(p->terminal);
	g_assert_cmpuint(p->console_size.height, ==, 0);
	g_assert_cmpuint(p->console_size.width, ==, 0);
	g_assert_null(p->env);
	g_assert_cmphex(p->caps.bounding | p->caps.effective | p->caps.permitted, ==, 0);
	g_assert_cmpuint(p->rlimits->len, ==, 0);
	g_assert_false(p->no_new_privileges);
}

static const char *const process_broken[][2] = {
	{ "{\"cwd\": \"/\"}", "args: missing" },
	{ "{\"args\": [\"id\"]}", "cwd: missing" },
	{ "{\"args\": \"id\", \"cwd\": \"/\"}", "args: expected array of strings" },
	{ "{\"args\": [\"id\", 3], \"cwd\": \"/\"}", "args: expected array of strings" },
	{ "{\"args\": [], \"cwd\": \"/\"}", "args: expected at least one argument" },
	{ "{\"args\": [\"id\"], \"cwd\": \"tmp\"}", "cwd: expected absolute path, got 'tmp'" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"env\": {\"A\": \"b\"}}", "env: expected array of strings" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"terminal\": \"yes\"}", "terminal: expected boolean" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"user\": 0}", "user: expected object" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"user\": {\"uid\": -1, \"gid\": 0}}",
	  "user.uid: expected non-negative integer" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"user\": {\"uid\": 0}}", "user.gid: missing" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0,"
	  " \"additionalGids\": [\"wheel\"]}}",
	  "user.additionalGids: expected array of non-negative integers" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"capabilities\": {\"effective\":"
	  " [\"CAP_KILL\", \"CAP_NOPE\"]}}",
	  "capabilities.effective[1]: unknown capability 'CAP_NOPE'" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"capabilities\": [\"CAP_KILL\"]}",
	  "capabilities: expected object" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_FOO\","
	  " \"soft\": 1, \"hard\": 1}]}",
	  "rlimits[0].type: unknown rlimit 'RLIMIT_FOO'" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_CORE\","
	  " \"hard\": 1}]}",
	  "rlimits[0].soft: missing" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"consoleSize\": {\"height\": 24}}",
	  "consoleSize.width: missing" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"consoleSize\": {\"height\": -24, \"width\": 80}}",
	  "consoleSize.height: expected non-negative integer" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"consoleSize\": [24, 80]}",
	  "consoleSize: expected object" },
	{ "{\"args\": [\"id\"], \"cwd\": \"/\", \"noNewPrivileges\": 1}",
	  "noNewPrivileges: expected boolean" },
	{ "[\"id\"]", "process: expected object" },
};

static void test_process_broken(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(process_broken); i++) {
		const char *text = process_broken[i][0];
		g_autoptr(GError) err = NULL;

		g_test_message("%s", text);
		g_assert_null(rt_oci_parse_process(text, strlen(text), &err));
		g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
		g_assert_cmpstr(err->message, ==, process_broken[i][1]);
	}
}

/* The same object inside a config.json is named from the config's root. */
static void test_config_console_size(void)
{
	static const char bad[] = "{\"ociVersion\": \"1.0.2\", \"process\": {\"user\": {\"uid\": 0,"
				  " \"gid\": 0}, \"args\": [\"true\"], \"cwd\": \"/\", \"consoleSize\":"
				  " {\"height\": 24, \"width\": \"80\"}}, \"root\": {\"path\": \"rootfs\"}}";
	g_autoptr(GError) err = NULL;

	g_assert_null(rt_oci_parse(bad, strlen(bad), "/b", &err));
	g_assert_cmpstr(err->message, ==, "process.consoleSize.width: expected non-negative integer");
}

static void test_process_load(void)
{
	g_autofree char *tmp = g_dir_make_tmp("corral-oci-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(tmp, "process.json", NULL);
	g_autofree char *want = g_strdup_printf("%s: args: missing", path);
	g_autofree char *want_trunc = NULL;
	g_autoptr(GError) err = NULL, err2 = NULL, err3 = NULL;
	g_autoptr(rt_spec) ok = NULL;

	g_assert_null(rt_oci_load_process("/nonexistent/process.json", &err));
	g_assert_cmpstr(err->message, ==, "/nonexistent/process.json: No such file or directory");
	g_assert_true(g_file_set_contents(path, "{\"cwd\": \"/\"}", -1, NULL));
	g_assert_null(rt_oci_load_process(path, &err2));
	g_assert_cmpstr(err2->message, ==, want);
	g_assert_true(g_file_set_contents(path, "{\"args\":", -1, NULL));
	g_assert_null(rt_oci_load_process(path, &err3));
	g_assert_true(g_str_has_prefix(err3->message, path));
	g_assert_nonnull(strstr(err3->message, ": line 1, column "));
	g_assert_true(g_file_set_contents(path, process_full, -1, NULL));
	ok = rt_oci_load_process(path, NULL);
	g_assert_nonnull(ok);
	g_assert_cmpstr(ok->process.args[2], ==, "id");
	g_assert_cmpint(unlink(path), ==, 0);
	g_assert_cmpint(rmdir(tmp), ==, 0);
}

/* ----------------------------------------------------------- errors */

static const char *const broken[][2] = {
	{ "version-unsupported", "ociVersion: unsupported version '2.0.0' (corral reads 1.0 to 1.2)" },
	{ "version-missing", "ociVersion: missing" },
	{ "version-number", "ociVersion: expected string" },
	{ "process-missing", "process: missing" },
	{ "process-terminal", "process.terminal: expected boolean" },
	{ "user-uid-negative", "process.user.uid: expected non-negative integer" },
	{ "user-gid-missing", "process.user.gid: missing" },
	{ "user-gids", "process.user.additionalGids: expected array of non-negative integers" },
	{ "args-not-strings", "process.args: expected array of strings" },
	{ "args-empty", "process.args: expected at least one argument" },
	{ "args-missing", "process.args: missing" },
	{ "cwd-relative", "process.cwd: expected absolute path, got 'srv'" },
	{ "cap-unknown", "process.capabilities.bounding[3]: unknown capability 'CAP_FOO'" },
	{ "rlimit-unknown", "process.rlimits[0].type: unknown rlimit 'RLIMIT_FOO'" },
	{ "rlimit-duplicate", "process.rlimits[1].type: duplicate rlimit 'RLIMIT_NOFILE'" },
	{ "rlimit-soft-missing", "process.rlimits[0].soft: missing" },
	{ "root-path-missing", "root.path: missing" },
	{ "root-readonly", "root.readonly: expected boolean" },
	{ "mounts-not-array", "mounts: expected array" },
	{ "mount-not-object", "mounts[1]: expected object" },
	{ "mount-relative", "mounts[1].destination: expected absolute path, got 'dev'" },
	{ "mount-options", "mounts[0].options: expected array of strings" },
	{ "hook-relative", "hooks.poststop[1].path: expected absolute path, got 'false'" },
	{ "hook-timeout", "hooks.prestart[0].timeout: expected positive integer" },
	{ "annotation-not-string", "annotations.org.corral.views: expected string" },
	{ "namespace-unknown", "linux.namespaces[2].type: unknown namespace type 'foo'" },
	{ "namespace-duplicate", "linux.namespaces[1].type: duplicate namespace 'pid'" },
	{ "mapping-size-missing", "linux.uidMappings[0].size: missing" },
	{ "memory-limit-string", "linux.resources.memory.limit: expected integer" },
	{ "memory-not-object", "linux.resources.memory: expected object" },
	{ "memory-swappiness", "linux.resources.memory.swappiness: out of range (at most 100)" },
	{ "cpu-quota-float", "linux.resources.cpu.quota: expected integer" },
	{ "cpu-shares-negative", "linux.resources.cpu.shares: expected non-negative integer" },
	{ "pids-limit-bool", "linux.resources.pids.limit: expected integer" },
	{ "devrule-access", "linux.resources.devices[1].access: expected a subset of 'rwm', got 'rwx'" },
	{ "devrule-type", "linux.resources.devices[1].type: unknown device type 'x'" },
	{ "devrule-allow-missing", "linux.resources.devices[0].allow: missing" },
	{ "unified-not-string", "linux.resources.unified.memory.high: expected string" },
	{ "device-major-missing", "linux.devices[0].major: missing" },
	{ "device-type", "linux.devices[0].type: unknown device type 'x'" },
	{ "seccomp-action", "linux.seccomp.syscalls[0].action: unknown action 'SCMP_ACT_FOO'" },
	{ "seccomp-default-missing", "linux.seccomp.defaultAction: missing" },
	{ "sysctl-not-string", "linux.sysctl.net.ipv4.ip_forward: expected string" },
	{ "propagation-unknown", "linux.rootfsPropagation: unknown propagation 'bogus'" },
	{ "masked-not-array", "linux.maskedPaths: expected array of strings" },
	{ "linux-not-object", "linux: expected object" },
	{ "top-not-object", "config: expected object" },
	{ "truncated", "line 3, column 1: expected a string key" },
};

static void test_broken(gconstpointer data)
{
	const char *const *c = data;
	g_autofree char *name = g_strconcat(c[0], ".json", NULL);
	g_autofree char *dir = fixture("broken");
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *text = NULL;
	gsize len = 0;
	g_autoptr(GError) err = NULL;

	g_assert_true(g_file_get_contents(path, &text, &len, NULL));
	g_assert_null(rt_oci_parse(text, len, "/b", &err));
	g_assert_error(err, RT_ERROR, RT_ERROR_USAGE);
	g_assert_cmpstr(err->message, ==, c[1]);
}

static void test_load_errors(void)
{
	g_autofree char *tmp = g_dir_make_tmp("corral-oci-XXXXXX", NULL);
	g_autofree char *config = g_build_filename(tmp, "config.json", NULL);
	g_autofree char *src = fixture("broken/cap-unknown.json");
	g_autofree char *text = NULL, *want = NULL;
	g_autoptr(GError) err = NULL, err2 = NULL;

	g_assert_null(rt_oci_load("/nonexistent-bundle", &err));
	g_assert_cmpstr(err->message, ==, "/nonexistent-bundle/config.json: No such file or directory");
	g_assert_true(g_file_get_contents(src, &text, NULL, NULL));
	g_assert_true(g_file_set_contents(config, text, -1, NULL));
	g_assert_null(rt_oci_load(tmp, &err2));
	want = g_strdup_printf("%s: process.capabilities.bounding[3]: unknown capability 'CAP_FOO'",
			       config);
	g_assert_cmpstr(err2->message, ==, want);
	g_assert_cmpint(unlink(config), ==, 0);
	g_assert_cmpint(rmdir(tmp), ==, 0);
}

/* config.json is read up to 4 MiB (parsed, at most 64 MiB): one byte more is refused. */
static void test_load_too_big(void)
{
	g_autofree char *tmp = g_dir_make_tmp("corral-oci-XXXXXX", NULL);
	g_autofree char *config = g_build_filename(tmp, "config.json", NULL);
	g_autofree char *big = g_strnfill((4 << 20) + 1, ' ');
	g_autofree char *want = g_strdup_printf("%s: larger than 4 MiB", config);
	g_autoptr(GError) err = NULL;

	big[0] = '{';
	big[(4 << 20)] = '}';
	g_assert_true(g_file_set_contents(config, big, -1, NULL));
	g_assert_null(rt_oci_load(tmp, &err));
	g_assert_cmpstr(err->message, ==, want);
	g_assert_cmpint(unlink(config), ==, 0);
	g_assert_cmpint(rmdir(tmp), ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/oci/runc/process", test_runc_process);
	g_test_add_func("/oci/runc/root-mounts", test_runc_root_mounts);
	g_test_add_func("/oci/runc/linux", test_runc_linux);
	g_test_add_func("/oci/podman/process", test_podman_process);
	g_test_add_func("/oci/podman/root-mounts-hooks", test_podman_root_mounts_hooks);
	g_test_add_func("/oci/podman/resources", test_podman_resources);
	g_test_add_func("/oci/podman/linux", test_podman_linux);
	g_test_add_func("/oci/podman/seccomp", test_podman_seccomp);
	g_test_add_func("/oci/versions", test_versions);
	g_test_add_func("/oci/minimal-is-empty", test_minimal_is_empty);
	g_test_add_func("/oci/root-path", test_root_path);
	g_test_add_func("/oci/time-ns-and-nulls", test_time_ns_and_nulls);
	g_test_add_func("/oci/load-errors", test_load_errors);
	g_test_add_func("/oci/load-too-big", test_load_too_big);
	g_test_add_func("/oci/process/full", test_process_full);
	g_test_add_func("/oci/process/minimal", test_process_minimal);
	g_test_add_func("/oci/process/broken", test_process_broken);
	g_test_add_func("/oci/process/config-console-size", test_config_console_size);
	g_test_add_func("/oci/process/load", test_process_load);
	for (size_t i = 0; i < G_N_ELEMENTS(broken); i++) {
		g_autofree char *name = g_strdup_printf("/oci/broken/%s", broken[i][0]);

		g_test_add_data_func(name, broken[i], test_broken);
	}
	return g_test_run();
}
