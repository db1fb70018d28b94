/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one parser of each kernel text format corral reads, pure functions
 * of the text (no I/O; read the file with cg_read_file()):
 *  - procfs.c: /proc/PID/mountinfo, /proc/PID/cgroup, /proc/PID/stat and
 *    /proc/PID/status (below);
 *  - parse.c: cgroup control files: single values, flat word lists,
 *    "key value" (keyed), "KEY k=v k=v" (nested keyed), cpu lists, id
 *    lists, PSI (declared in cgroup.h and cgroup/internal.h).
 * Nothing here knows the /proc formats proc/ renders for containers.
 * Everything in cgroup/, runtime/ and fs/ that reads these formats calls
 * these; unit tests: tests/unit/cgroup/test-procfs.c, test-parse.c.
 */
#ifndef CORRAL_CGROUP_KERNEL_H
#define CORRAL_CGROUP_KERNEL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- /proc/PID/mountinfo ------------------------------------------
 * "36 35 98:0 /mnt1 /mnt/a\040b rw,noatime master:1 - ext3 /dev/root rw"
 * Every string is unescaped (the kernel writes ' ', '\t', '\n' and '\\'
 * of paths and names as "\040", "\011", "\012" and "\134").  The optional
 * fields (shared:N, master:N, ...) before " - " are skipped. */
struct cg_mount {
	unsigned id, parent;
	unsigned major, minor;
	char *root;          /* the mount's root in its filesystem: "/"    */
	char *mountpoint;    /* "/sys/fs/cgroup/memory"                    */
	char *options;       /* per-mount options: "rw,nosuid,relatime"    */
	char *fstype;        /* "cgroup", "cgroup2", "fuse.corralfs"       */
	char *source;        /* "cgroup", "/dev/sda1"                      */
	char *super_options; /* "rw,memory", "rw,xattr,name=systemd"       */
};

/* One line (without its '\n'): false when it is not a mountinfo line
 * (*@out is then empty). */
bool cg_mountinfo_line(const char *line, struct cg_mount *out);
void cg_mount_clear(struct cg_mount *m);
/* Every mount of a mountinfo text, in order (GArray of struct cg_mount
 * that clears its elements); lines that are not mountinfo lines (the
 * empty one after the last '\n') are skipped. */
GArray *cg_mountinfo_parse(const char *text);
/* Whether the comma-separated @list ("rw,cpu,cpuacct") holds @item
 * (never true for an empty @item). */
bool cg_list_has(const char *list, const char *item);

/* ---- /proc/PID/cgroup ---------------------------------------------
 * "4:memory:/a/b", "2:cpu,cpuacct:/", "1:name=systemd:/x", "0::/u": one
 * line per hierarchy the process is in. */
struct cg_proc_cgroup {
	unsigned id;        /* hierarchy ID: 0 for the cgroup2 hierarchy   */
	char *controllers;  /* "cpu,cpuacct", "name=systemd"; "" (cgroup2) */
	char *path;         /* everything after the second ':', as written:
			     * "/a/b", "/" (may hold ':'; "/../x" when out
			     * of the reader's cgroup namespace)            */
};

/* Every line of a /proc/PID/cgroup text (GArray of struct cg_proc_cgroup
 * that clears its elements), or NULL with CG_ERROR_PARSE
 * 'bad cgroup line "..."' for a line that is not "ID:CONTROLLERS:PATH". */
GArray *cg_proc_cgroup_parse(const char *text, GError **err);

/* ---- /proc/PID/stat -----------------------------------------------
 * "1234 (a) b)) S 1 ...": the comm (field 2) may hold spaces and
 * parentheses; it ends at the last ')' of the line. */
struct cg_pid_stat {
	pid_t pid;
	const char *comm;   /* into the text: after the '(' ...            */
	size_t comm_len;    /* ... up to the last ')'                       */
	char state;         /* field 3: 'R', 'S', 'D', 'Z', 'X', ...        */
	pid_t ppid;         /* field 4 */
	uint64_t starttime; /* field 22: clock ticks after boot             */
};

/* False when the text is not a stat line with at least 22 fields. */
bool cg_pid_stat_parse(const char *text, struct cg_pid_stat *out);

/* ---- /proc/PID/status ---------------------------------------------
 * "Name:\tbash\nTgid:\t412\n...NSpid:\t412\t1\n...SigBlk:\t0000000000010000"
 */

/* The value of the line "@key:" (leading blanks skipped, up to the
 * '\n'): a pointer into @text and its length in *@len, NULL when there is
 * no such line. */
const char *cg_status_field(const char *text, const char *key, size_t *len);
/* One decimal ("Tgid", "PPid", "Threads"); false when absent or bad. */
bool cg_status_u64(const char *text, const char *key, uint64_t *out);
/* The last of a list of decimal ids ("NSpid", "NStgid": the id in the
 * innermost pid namespace); false when absent, empty or bad. */
bool cg_status_last_id(const char *text, const char *key, uint64_t *out);
/* A hexadecimal mask ("SigBlk", "SigIgn", "ShdPnd", "CapEff"). */
bool cg_status_hex(const char *text, const char *key, uint64_t *out);

#endif
