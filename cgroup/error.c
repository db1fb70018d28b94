/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error domain and the one primitive every read goes through: openat() a
 * file relative to an already open directory, read it whole, close it.
 */
#include "cgroup/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

G_DEFINE_QUARK(corral-cgroup-error-quark, cg_error)

void cgi_set_errno(GError **err, int errnum, const char *op,
		   const char *base, const char *rel)
{
	int code = (errnum == ENOENT || errnum == ESRCH) ? CG_ERROR_NOENT
							 : CG_ERROR_IO;

	bool sep = base && *base && rel && *rel;

	g_set_error(err, CG_ERROR, code, "%s %s%s%s: %s", op, base ? base : "",
		    sep ? "/" : "", rel ? rel : "", g_strerror(errnum));
}

void cgi_set_parse(GError **err, const char *base, const char *rel,
		   const char *what)
{
	g_set_error(err, CG_ERROR, CG_ERROR_PARSE, "parsing %s/%s: %s", base,
		    rel, what);
}

/*
 * Reads @fd whole into a growing buffer; -1 with errno on failure.  The
 * kernel's cgroup and /proc files are seq_files, which fill the caller's
 * buffer as far as they have data: a short read is the end, so small files
 * cost one read() and no extra read() to see EOF.
 */
static ssize_t read_all(int fd, char **out)
{
	size_t cap = 4096, len = 0;
	g_autofree char *buf = g_malloc(cap);

	for (;;) {
		size_t want = cap - len - 1;
		ssize_t n = read(fd, buf + len, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len += (size_t)n;
		if ((size_t)n < want)
			break;
		cap *= 2;
		buf = g_realloc(buf, cap);
	}
	buf[len] = '\0';
	*out = g_steal_pointer(&buf);
	return (ssize_t)len;
}

static bool read_at(int dirfd, const char *base, const char *rel, char **text,
		    bool optional, GError **err)
{
	int fd, saved;
	ssize_t n;

	*text = NULL;
	fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (optional && errno == ENOENT)
			return true;
		cgi_set_errno(err, errno, "reading", base, rel);
		return false;
	}
	n = read_all(fd, text);
	saved = errno;
	close(fd);
	if (n < 0) {
		cgi_set_errno(err, saved, "reading", base, rel);
		return false;
	}
	return true;
}

bool cgi_read_at(int dirfd, const char *base, const char *rel, char **text,
		 GError **err)
{
	return read_at(dirfd, base, rel, text, false, err);
}

bool cgi_read_at_opt(int dirfd, const char *base, const char *rel,
		     char **text, GError **err)
{
	return read_at(dirfd, base, rel, text, true, err);
}

bool cgi_read_proc(const struct cg_layout *l, pid_t pid, const char *file,
		   char **text, GError **err)
{
	char rel[64];

	g_snprintf(rel, sizeof(rel), "%d/%s", (int)pid, file);
	return cgi_read_at(l->procfd, l->procfs, rel, text, err);
}

char *cgi_join(const char *path, const char *file)
{
	if (!path || !*path)
		return g_strdup(file);
	return g_strconcat(path, "/", file, NULL);
}

bool cgi_parent(char *path)
{
	char *slash;

	if (!*path)
		return false;
	slash = strrchr(path, '/');
	if (slash)
		*slash = '\0';
	else
		*path = '\0';
	return true;
}
