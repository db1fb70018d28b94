/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by the files of cgroup/ (not part of the public API).
 */
#ifndef CORRAL_CGROUP_INTERNAL_H
#define CORRAL_CGROUP_INTERNAL_H

#include "cgroup/cgroup.h"
#include "cgroup/kernel.h"

/* Any v1 byte limit at or above this is "no limit": the kernel reports
 * LONG_MAX rounded down to the page size (9223372036854771712 with 4 KiB
 * pages); no machine has 4 EiB of memory. */
#define CGI_V1_UNLIMITED_MIN (UINT64_C(1) << 62)

/* Sets @err from @errnum for "@op @base/@rel": NOENT for ENOENT/ESRCH,
 * IO otherwise. */
void cgi_set_errno(GError **err, int errnum, const char *op,
		   const char *base, const char *rel);
/* Sets a CG_ERROR_PARSE error naming @base/@rel. */
void cgi_set_parse(GError **err, const char *base, const char *rel,
		   const char *what);

/* The rest of the open file @fd, read until read(2) returns 0 (EINTR
 * retried), NUL-terminated (g_free), its length in *@len; NULL with
 * *@errnum set on failure.  What cg_read_file_at() reads with. */
char *cgi_read_fd(int fd, size_t *len, int *errnum);
/* cg_read_file_at() into *@text, as a bool. */
bool cgi_read_at(int dirfd, const char *base, const char *rel, char **text,
		 GError **err);
/* Same, but a missing file gives true with *@text = NULL. */
bool cgi_read_at_opt(int dirfd, const char *base, const char *rel,
		     char **text, GError **err);
/* Reads <procfs>/@pid/@file. */
bool cgi_read_proc(const struct cg_layout *l, pid_t pid, const char *file,
		   char **text, GError **err);

/* "@path/@file", or @file for the root cgroup (""). */
char *cgi_join(const char *path, const char *file);
/* Cuts the last component of @path in place; false when @path is the
 * root already. */
bool cgi_parent(char *path);

/* Parsers (parse.c). */
bool cgi_parse_u64(const char *text, uint64_t *out);
bool cgi_parse_i64(const char *text, int64_t *out);
/* v1 limit: like cg_parse_u64_or_max, huge values become CG_UNLIMITED. */
bool cgi_parse_limit(const char *text, uint64_t *out);
struct cgi_key {
	const char *key;
	uint64_t *dst;
};
/* One pass over a "key value\n" text filling every listed key found;
 * keys absent from @text are left untouched.  False on a bad value. */
bool cgi_parse_keyed(const char *text, const struct cgi_key *keys,
		     size_t nkeys);
/* Nested keyed files ("8:0 rbytes=1 wbytes=2", "some avg10=0.00 ..."):
 * the next "NAME=VALUE" word of a line after its key, blanks skipped,
 * *@s moved past it: 1 with *@p filled, 0 at the end of the line ('\n'
 * or NUL), -1 for a word without '='. */
struct cgi_pair {
	const char *name, *value; /* into the text */
	size_t nlen, vlen;
};
int cgi_nested_next(const char **s, struct cgi_pair *p);
/* Every "NAME=VALUE" of the rest of a nested keyed line (@pairs, after
 * its key) whose NAME is listed gets its decimal VALUE; other names are
 * skipped, listed names absent are left untouched.  False on a word
 * without '=' or a bad value of a listed name. */
bool cgi_parse_nested(const char *pairs, const struct cgi_key *keys,
		      size_t nkeys);
/* Exactly the @len bytes at @s as an unsigned number in @base (8, 10 or
 * 16): digits only, at least one, no overflow. */
bool cgi_parse_span(const char *s, size_t len, int base, uint64_t *out);
/* The state letter (field 3) and the start time (field 22) of a
 * /proc/PID/stat text: cg_pid_stat_parse() in the shape test-parse.c
 * tests. */
static inline bool cgi_parse_pid_stat(const char *text, char *state,
				      uint64_t *starttime)
{
	struct cg_pid_stat st;

	if (!cg_pid_stat_parse(text, &st))
		return false;
	*state = st.state;
	*starttime = st.starttime;
	return true;
}

/* Calls @fn on @path and every cgroup below it (depth first).  A
 * sub-cgroup that disappears during the walk is skipped; the top one
 * must exist. */
typedef bool (*cgi_visit_fn)(const struct cg_hier *h, const char *rel,
			     void *ctx, GError **err);
bool cgi_walk_subtree(const struct cg_hier *h, const char *path,
		      cgi_visit_fn fn, void *ctx, GError **err);
/* The hierarchy used for task lists of @p: the first of pids, cpuacct,
 * cpu, memory, cpuset, io, psi that is mounted and where @p is not at the
 * root, else the first mounted one.  -1 when none. */
int cgi_task_ctrl(const struct cg_layout *l, const struct cg_paths *p);
/* The blank-separated words of a flat file ("cpu io memory\n" of
 * cgroup.controllers, "max 100000" of cpu.max, per-CPU counters), no
 * empty ones (g_strfreev). */
char **cgi_parse_words(const char *text);
/* Reads a list of decimal ids (tasks, cgroup.procs). */
bool cgi_parse_idlist(const char *text, GArray *out);
/* Appends the ids of @rel/@file (tasks, cgroup.procs, cgroup.threads) to
 * @ids; "parsing <file>: not a list of ids" (CG_ERROR_PARSE). */
bool cgi_read_ids(const struct cg_hier *h, const char *rel, const char *file,
		  GArray *ids, GError **err);

/* Limits over a cgroup and its ancestors (read.c), shared with
 * effective.c.  A level without the file does not limit. */
typedef bool (*cgi_num_parse_fn)(const char *text, uint64_t *out);
/* Minimum of @file over @path and its ancestors, each level parsed by
 * @parse; CG_UNLIMITED when no level has it.  A bad value: "parsing
 * <file>: unexpected content" (CG_ERROR_PARSE). */
bool cgi_min_up(const struct cg_hier *h, const char *path, const char *file,
		cgi_num_parse_fn parse, uint64_t *out, GError **err);
/* The CPU bandwidth of the one cgroup @path: v1 cpu.cfs_quota_us +
 * cpu.cfs_period_us, v2 cpu.max; *@quota -1 for none ("-1", "max").
 * *@found false (the rest untouched) when the level lacks the files. */
bool cgi_cpu_level(const struct cg_hier *h, const char *path, int64_t *quota,
		   uint64_t *period, bool *found, GError **err);
/* Keeps in @c the smaller of its quota/period ratio and @q/@p (@q < 0 or
 * @p 0: no quota, @c unchanged; @c->quota_us < 0: none yet). */
void cgi_tighter_quota(struct cg_cpu *c, int64_t q, uint64_t p);
/* cgi_tighter_quota() of every level from @path up to the root into @c. */
bool cgi_cpu_up(const struct cg_hier *h, const char *path, struct cg_cpu *c,
		GError **err);

/* The cgroup mounts of a mountinfo file (layout.c). */
struct mnt {
	char *mountpoint; /* unescaped, without prefix */
	bool v2;
	char *super_opts; /* "rw,cpu,cpuacct" */
};
/* The cgroup and cgroup2 mounts (struct mnt) of a mountinfo text, whose
 * root is "/"; cgi_read_mountinfo() of a file. */
GArray *cgi_cgroup_mounts(const char *text);
GArray *cgi_read_mountinfo(const char *path, GError **err);

/* Tests only (pidns.c): true makes cg_pid_to_ns/cg_pid_from_ns take the
 * paths of kernels without the nsfs pid ioctls (linux < 6.10). */
extern bool cgi_pidns_no_ioctl;

#endif
