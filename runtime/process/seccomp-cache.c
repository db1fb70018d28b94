/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The compiled seccomp filter, cached: libseccomp takes ~15 ms to build and
 * export the default allowlist in a fresh process, the cache read well
 * under one.  A file per profile, named by the SHA-256 of the profile, the
 * libseccomp version and the kernel's seccomp API level, in a directory
 * only the caller can write (RT_SECCOMP_CACHE_DIR for root, else
 * $XDG_RUNTIME_DIR/corral-seccomp; CORRAL_SECCOMP_CACHE=DIR or =off
 * overrides).  Written to a temporary name and renamed: readers see whole
 * files only.  A cache that cannot be used is skipped, never an error.
 */
#include "runtime/process/process.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when rt_seccomp_export()'s output for the same profile changes. */
#define KEY_VERSION "corral-seccomp-cache 1"

static void key_add_rule(GString *k, const struct rt_seccomp_rule *r)
{
	g_string_append_printf(k, "rule %d %d", (int)r->action, r->errno_ret);
	for (char **n = r->names; n != NULL && *n != NULL; n++)
		g_string_append_printf(k, " %s", *n);
	for (guint i = 0; r->args != NULL && i < r->args->len; i++) {
		const struct rt_seccomp_arg *a = &g_array_index(r->args, struct rt_seccomp_arg, i);
		g_string_append_printf(k, " [%u %d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "]",
				       a->index, (int)a->op, a->value, a->value_two);
	}
	g_string_append_c(k, '\n');
}

/* Everything the exported program depends on, hashed. */
char *rt_seccomp_cache_key(const struct rt_seccomp *s)
{
	const struct scmp_version *v = seccomp_version();
	g_autoptr(GString) k = g_string_new(KEY_VERSION " corral " CORRAL_VERSION);

	g_string_append_printf(k, "\nlibseccomp %u.%u.%u api %u\ndefault %d %d\narches",
			       v->major, v->minor, v->micro, seccomp_api_get(),
			       (int)s->default_action, s->default_errno);
	for (char **a = s->architectures; a != NULL && *a != NULL; a++)
		g_string_append_printf(k, " %s", *a);
	g_string_append_c(k, '\n');
	for (guint i = 0; s->rules != NULL && i < s->rules->len; i++)
		key_add_rule(k, &g_array_index(s->rules, struct rt_seccomp_rule, i));
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, k->str, (gssize)k->len);
}

static char *cache_dir(void)
{
	const char *env = g_getenv("CORRAL_SECCOMP_CACHE");
	const char *run = g_getenv("XDG_RUNTIME_DIR");

	if (env != NULL && *env != '\0')
		return g_strcmp0(env, "off") == 0 ? NULL : g_strdup(env);
	if (geteuid() == 0)
		return g_strdup(RT_SECCOMP_CACHE_DIR);
	return run != NULL && *run == '/' ? g_build_filename(run, "corral-seccomp", NULL) : NULL;
}

/* The cache directory, made if missing, trusted only when it is ours and
 * nobody else can write to it; -1 otherwise. */
static int open_dir(void)
{
	g_autofree char *path = cache_dir();
	struct stat st;

	if (path == NULL)
		return -1;
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		g_debug("seccomp cache: mkdir %s: %s", path, g_strerror(errno));
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
		g_debug("seccomp cache: %s is not the caller's own private directory, not used", path);
		close(fd);
		return -1;
	}
	return fd;
}

#define MAX_LEN (BPF_MAXINSNS * sizeof(struct sock_filter))

/* The cached program named @key, or NULL. */
static GBytes *cache_read(int dir, const char *key)
{
	autoclose int fd = openat(dir, key, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0 || st.st_size <= 0 || (size_t)st.st_size > MAX_LEN ||
	    st.st_size % (off_t)sizeof(struct sock_filter) != 0)
		return NULL;
	g_autofree char *buf = g_malloc((gsize)st.st_size);
	if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size)
		return NULL;
	return g_bytes_new_take(g_steal_pointer(&buf), (gsize)st.st_size);
}

static void cache_write(int dir, const char *key, GBytes *prog)
{
	g_autofree char *tmp = g_strdup_printf(".%s.%d", key, (int)getpid());
	gsize len;
	const void *data = g_bytes_get_data(prog, &len);
	autoclose int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || renameat(dir, tmp, dir, key) < 0) {
		g_debug("seccomp cache: storing %s: %s", key, g_strerror(errno));
		if (fd >= 0)
			unlinkat(dir, tmp, 0);
	}
}

static bool build_and_export(const struct rt_seccomp *s, GBytes **out, GError **err)
{
	scmp_filter_ctx ctx = NULL;

	if (!rt_seccomp_build(s, false, &ctx, err))
		return false;
	bool ok = rt_seccomp_export(ctx, out, err);
	seccomp_release(ctx);
	return ok;
}

bool rt_seccomp_compile(const struct rt_seccomp *s, GBytes **out, GError **err)
{
	autoclose int dir = open_dir();
	g_autofree char *key = dir >= 0 ? rt_seccomp_cache_key(s) : NULL;

	if (dir >= 0 && (*out = cache_read(dir, key)) != NULL)
		return true;
	if (!build_and_export(s, out, err))
		return false;
	if (dir >= 0)
		cache_write(dir, key, *out);
	return true;
}
