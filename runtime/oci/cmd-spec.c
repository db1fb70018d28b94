/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `corral spec`: a starter config.json, the one runc 1.1 writes (with
 * --rootless, its rootless variant), minus the ambient capabilities:
 * corral refuses ambient capabilities that are not inheritable, and a
 * root process needs none.  `corral features`: the runtime-spec features
 * document, listing what corral's code really handles (runtime/spec/bundle.c,
 * process/mounts.c, spec/seccomp-json.c, process/caps.c).
 */
#include "runtime/oci/state.h"
#include "runtime/spec/cap-names.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef CORRAL_VERSION
#define CORRAL_VERSION "unknown"
#endif

/* ---------------------------------------------------------------- spec */

static const char spec_head[] =
	"{\n"
	"\t\"ociVersion\": \"1.0.2-dev\",\n"
	"\t\"process\": {\n"
	"\t\t\"terminal\": true,\n"
	"\t\t\"user\": {\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t},\n"
	"\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n"
	"\t\t\"env\": [\n"
	"\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
	"\t\t\t\"TERM=xterm\"\n\t\t],\n"
	"\t\t\"cwd\": \"/\",\n"
	"\t\t\"capabilities\": {\n"
	"%s" /* the sets */
	"\t\t},\n"
	"\t\t\"rlimits\": [\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n\t\t\t\t\"hard\": 1024,\n"
	"\t\t\t\t\"soft\": 1024\n\t\t\t}\n\t\t],\n"
	"\t\t\"noNewPrivileges\": true\n"
	"\t},\n"
	"\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
	"\t\"hostname\": \"corral\",\n";

/* One mount: destination, type, source, options (NULL-terminated). */
static void add_mount(GString *o, bool last, const char *dst, const char *type,
		      const char *src, const char *const *opts)
{
	g_string_append_printf(o, "\t\t{\n\t\t\t\"destination\": \"%s\",\n\t\t\t\"type\": \"%s\",\n"
			       "\t\t\t\"source\": \"%s\"", dst, type, src);
	if (opts && *opts) {
		g_string_append(o, ",\n\t\t\t\"options\": [\n");
		for (const char *const *p = opts; *p; p++)
			g_string_append_printf(o, "\t\t\t\t\"%s\"%s\n", *p, p[1] ? "," : "");
		g_string_append(o, "\t\t\t]");
	}
	g_string_append_printf(o, "\n\t\t}%s\n", last ? "" : ",");
}

static void add_mounts(GString *o, bool rootless)
{
	static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k", NULL };
	static const char *const pts[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666",
					   "mode=0620", "gid=5", NULL };
	static const char *const shm[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k",
					   NULL };
	static const char *const nsd[] = { "nosuid", "noexec", "nodev", NULL };
	static const char *const sys[] = { "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const sysb[] = { "rbind", "nosuid", "noexec", "nodev", "ro", NULL };
	static const char *const cgr[] = { "nosuid", "noexec", "nodev", "relatime", "ro", NULL };

	g_string_append(o, "\t\"mounts\": [\n");
	add_mount(o, false, "/proc", "proc", "proc", NULL);
	add_mount(o, false, "/dev", "tmpfs", "tmpfs", dev);
	/* rootless: no gid=5 (that group is not mapped) */
	if (rootless) {
		const char *const ptsr[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666",
					     "mode=0620", NULL };
		add_mount(o, false, "/dev/pts", "devpts", "devpts", ptsr);
	} else {
		add_mount(o, false, "/dev/pts", "devpts", "devpts", pts);
	}
	add_mount(o, false, "/dev/shm", "tmpfs", "shm", shm);
	add_mount(o, false, "/dev/mqueue", "mqueue", "mqueue", nsd);
	if (rootless)
		add_mount(o, false, "/sys", "none", "/sys", sysb);
	else
		add_mount(o, false, "/sys", "sysfs", "sysfs", sys);
	add_mount(o, true, "/sys/fs/cgroup", "cgroup", "cgroup", cgr);
	g_string_append(o, "\t],\n");
}

static const char spec_masked[] =
	"\t\t\"maskedPaths\": [\n"
	"\t\t\t\"/proc/acpi\",\n\t\t\t\"/proc/asound\",\n\t\t\t\"/proc/kcore\",\n"
	"\t\t\t\"/proc/keys\",\n\t\t\t\"/proc/latency_stats\",\n\t\t\t\"/proc/timer_list\",\n"
	"\t\t\t\"/proc/timer_stats\",\n\t\t\t\"/proc/sched_debug\",\n\t\t\t\"/sys/firmware\",\n"
	"\t\t\t\"/proc/scsi\"\n\t\t],\n"
	"\t\t\"readonlyPaths\": [\n"
	"\t\t\t\"/proc/bus\",\n\t\t\t\"/proc/fs\",\n\t\t\t\"/proc/irq\",\n\t\t\t\"/proc/sys\",\n"
	"\t\t\t\"/proc/sysrq-trigger\"\n\t\t]\n";

static void add_linux(GString *o, bool rootless)
{
	static const char *const ns[] = { "pid", "network", "ipc", "uts", "mount", NULL };
	static const char *const ns_rootless[] = { "pid", "ipc", "uts", "mount", "user", NULL };
	const char *const *n = rootless ? ns_rootless : ns;

	g_string_append(o, "\t\"linux\": {\n");
	if (rootless) {
		for (int i = 0; i < 2; i++)
			g_string_append_printf(o, "\t\t\"%s\": [\n\t\t\t{\n\t\t\t\t\"containerID\": 0,\n"
					       "\t\t\t\t\"hostID\": %u,\n\t\t\t\t\"size\": 1\n"
					       "\t\t\t}\n\t\t],\n",
					       i ? "gidMappings" : "uidMappings",
					       i ? (unsigned)getegid() : (unsigned)geteuid());
	} else {
		g_string_append(o, "\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n"
				   "\t\t\t\t\t\"allow\": false,\n\t\t\t\t\t\"access\": \"rwm\"\n"
				   "\t\t\t\t}\n\t\t\t]\n\t\t},\n");
	}
	g_string_append(o, "\t\t\"namespaces\": [\n");
	for (const char *const *p = n; *p; p++)
		g_string_append_printf(o, "\t\t\t{\n\t\t\t\t\"type\": \"%s\"\n\t\t\t}%s\n", *p,
				       p[1] ? "," : "");
	g_string_append(o, "\t\t],\n");
	g_string_append(o, spec_masked);
	g_string_append(o, "\t}\n}\n");
}

/* The capability sets of runc's spec, without ambient. */
static char *cap_sets(void)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", NULL };
	GString *o = g_string_new(NULL);

	for (const char *const *s = sets; *s; s++)
		g_string_append_printf(o, "\t\t\t\"%s\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
				       "\t\t\t\t\"CAP_KILL\",\n\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
				       "\t\t\t]%s\n", *s, s[1] ? "," : "");
	return g_string_free(o, FALSE);
}

static char *oci_spec_text(bool rootless)
{
	g_autofree char *caps = cap_sets();
	GString *o = g_string_new(NULL);

	g_string_append_printf(o, spec_head, caps);
	add_mounts(o, rootless);
	add_linux(o, rootless);
	return g_string_free(o, FALSE);
}

int oci_cmd_spec(int argc, char **argv)
{
	const char *bundle = NULL;
	bool rootless = false;
	struct oci_opt opts[] = { { "--bundle", "-b", true, &bundle, NULL },
				  { "--rootless", NULL, false, NULL, &rootless },
				  { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	GError *e = NULL;

	if (!oci_parse_opts(argc, argv, opts, pos))
		return 1;
	if (pos->len)
		return oci_fail("spec: no arguments expected");
	if (bundle && chdir(bundle) < 0)
		return oci_fail("chdir %s: %s", bundle,
				errno == ENOENT ? "no such file or directory" : g_strerror(errno));
	if (access("config.json", F_OK) == 0)
		return oci_fail("File config.json exists. Remove it first");
	g_autofree char *text = oci_spec_text(rootless);
	if (!oci_write_atomic("config.json", text, &e))
		return oci_fail_err(e);
	return 0;
}

/* ------------------------------------------------------------ features */

/* What runtime/process/mounts.c knows (flags and propagation; other options go
 * to the filesystem as data and are not listed). */
static const char *const mount_options[] = {
	"async", "atime", "bind", "dev", "diratime", "dirsync", "exec", "mand", "noatime",
	"nodev", "nodiratime", "noexec", "nomand", "norelatime", "nostrictatime", "nosuid",
	"private", "rbind", "relatime", "ro", "rprivate", "rshared", "rslave", "runbindable",
	"rw", "shared", "slave", "strictatime", "suid", "sync", "unbindable", NULL,
};
/* runtime/spec/bundle.c's hook stages, all run. */
static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
				     "startContainer", "poststart", "poststop", NULL };
/* Acted on by runtime/process/container.c (user and time are refused/ignored). */
static const char *const namespaces[] = { "cgroup", "ipc", "mount", "network", "pid", "uts",
					  NULL };
/* runtime/spec/seccomp-json.c (no SCMP_ACT_NOTIFY: no listener). */
static const char *const actions[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
				       "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
				       "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP", NULL };
static const char *const operators[] = { "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
					 "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
					 "SCMP_CMP_NE", NULL };
/* Candidates; those this libseccomp resolves are listed. */
static const char *const archs[] = {
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", "SCMP_ARCH_X32",
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", NULL,
};

/* @before, then the strings @v as a JSON array whose lines are at @indent. */
static void json_list(GString *o, const char *before, const char *indent,
		      const char *const *v)
{
	g_string_append(o, before);
	g_string_append(o, "[");
	for (const char *const *p = v; *p; p++)
		g_string_append_printf(o, "%s\n%s    \"%s\"", p == v ? "" : ",", indent, *p);
	g_string_append_printf(o, "\n%s]", indent);
}

/* Same for a GPtrArray of strings. */
static void json_array(GString *o, const char *before, const char *indent, GPtrArray *v)
{
	g_ptr_array_add(v, NULL);
	json_list(o, before, indent, (const char *const *)v->pdata);
	g_ptr_array_remove_index(v, v->len - 1);
}

static GPtrArray *known_archs(void)
{
	GPtrArray *v = g_ptr_array_new();

	for (const char *const *a = archs; *a; a++) {
		g_autofree char *lower = g_ascii_strdown(*a + strlen("SCMP_ARCH_"), -1);
		if (seccomp_arch_resolve_name(lower) != 0)
			g_ptr_array_add(v, (char *)*a);
	}
	return v;
}

static GPtrArray *known_caps(void)
{
	GPtrArray *v = g_ptr_array_new();

	for (int c = 0; rt_cap_name(c); c++)
		g_ptr_array_add(v, (char *)rt_cap_name(c));
	return v;
}

static char *oci_features_text(void)
{
	GString *o = g_string_new("{\n    \"ociVersionMin\": \"1.0.0\",\n"
				  "    \"ociVersionMax\": \"1.2.0\",\n    \"hooks\": ");
	g_autoptr(GPtrArray) caps = known_caps();
	g_autoptr(GPtrArray) arch = known_archs();
	const struct scmp_version *sv = seccomp_version();

	json_list(o, "", "    ", hooks);
	json_list(o, ",\n    \"mountOptions\": ", "    ", mount_options);
	json_list(o, ",\n    \"linux\": {\n        \"namespaces\": ", "        ", namespaces);
	json_array(o, ",\n        \"capabilities\": ", "        ", caps);
	json_list(o, ",\n        \"cgroup\": {\n            \"v1\": true,\n"
		     "            \"v2\": true,\n            \"systemd\": false,\n"
		     "            \"systemdUser\": false\n        },\n"
		     "        \"seccomp\": {\n            \"enabled\": true,\n"
		     "            \"actions\": ",
		  "            ", actions);
	json_list(o, ",\n            \"operators\": ", "            ", operators);
	json_array(o, ",\n            \"archs\": ", "            ", arch);
	g_string_append(o, "\n        },\n        \"apparmor\": {\n            \"enabled\": false\n"
			   "        },\n        \"selinux\": {\n            \"enabled\": false\n"
			   "        }\n    },\n    \"annotations\": {\n");
	g_string_append_printf(o, "        \"io.github.seccomp.libseccomp.version\": \"%u.%u.%u\",\n",
			       sv ? sv->major : 0, sv ? sv->minor : 0, sv ? sv->micro : 0);
	g_string_append(o, "        \"org.corral.version\": \"" CORRAL_VERSION "\"\n    }\n}\n");
	return g_string_free(o, FALSE);
}

int oci_cmd_features(int argc, char **argv)
{
	struct oci_opt opts[] = { { NULL, NULL, false, NULL, NULL } };
	g_autoptr(GPtrArray) pos = g_ptr_array_new();

	if (!oci_parse_opts(argc, argv, opts, pos))
		return 1;
	if (pos->len)
		return oci_fail("features: no arguments expected");
	g_autofree char *text = oci_features_text();
	fputs(text, stdout);
	return 0;
}
