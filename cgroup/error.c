/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error domain and the one reader of kernel files every read goes through:
 * openat() a file relative to an already open directory, read it until
 * read(2) returns 0, close it.
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
 * Reads @fd until read(2) returns 0 (EINTR retried) into a growing,
 * NUL-terminated buffer; NULL with *@errnum set on failure.  A short read is not
 * the end: a multi-record seq_file (/proc/PID/maps, cgroup.procs,
 * mountinfo) hands out about a page per read() whatever the buffer size.
 */
char *cgi_read_fd(int fd, size_t *len, int *errnum)
{
	size_t cap = 4096, used = 0;
	g_autofree char *buf = g_malloc(cap);

	for (;;) {
		ssize_t n;

		if (cap - used < 2) {
			cap *= 2;
			buf = g_realloc(buf, cap);
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*errnum = errno;
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	*len = used;
	return g_steal_pointer(&buf);
}

/* openat + cgi_read_fd + close; NULL with *@errnum set on failure. */
static char *read_rel(int dirfd, const char *rel, size_t *len, int *errnum)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	char *text;

	if (fd < 0) {
		*errnum = errno;
		return NULL;
	}
	text = cgi_read_fd(fd, len, errnum);
	close(fd);
	return text;
}

char *cg_read_file_at(int dirfd, const char *base, const char *rel,
		      size_t *len, GError **err)
{
	size_t n = 0;
	int errnum;
	char *text = read_rel(dirfd, rel, &n, &errnum);

	if (!text) {
		cgi_set_errno(err, errnum, "reading", base, rel);
		return NULL;
	}
	if (len)
		*len = n;
	return text;
}

char *cg_read_file(const char *path, size_t *len, GError **err)
{
	return cg_read_file_at(AT_FDCWD, "", path, len, err);
}

static bool read_at(int dirfd, const char *base, const char *rel, char **text,
		    bool optional, GError **err)
{
	size_t n;
	int errnum;

	*text = read_rel(dirfd, rel, &n, &errnum);
	if (*text || (optional && errnum == ENOENT))
		return true;
	cgi_set_errno(err, errnum, "reading", base, rel);
	return false;
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
