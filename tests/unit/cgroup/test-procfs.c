/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one parser of each kernel format (cgroup/kernel.h): mountinfo,
 * /proc/PID/cgroup, /proc/PID/stat, /proc/PID/status (procfs.c) and the
 * nested keyed cgroup files (parse.c), on text shaped like the kernel's.
 */
#include "cgroup/internal.h"

#include <string.h>

static const struct cg_mount *mount_at(GArray *a, guint i)
{
	g_assert_cmpuint(i, <, a->len);
	return &g_array_index(a, struct cg_mount, i);
}

/* A line and every string field it must give. */
struct mount_case {
	const char *line;
	unsigned id, parent, major, minor;
	const char *root, *mountpoint, *options, *fstype, *source, *super;
};

static const struct mount_case mount_cases[] = {
	/* proc(5)'s example, with a space in the mount point */
	{ "36 35 98:0 /mnt1 /mnt/a\\040b rw,noatime master:1 - ext3 /dev/root "
	  "rw,errors=continue", 36, 35, 98, 0,
	  "/mnt1", "/mnt/a b", "rw,noatime", "ext3", "/dev/root", "rw,errors=continue" },
	/* no optional field; tab, newline and backslash escaped */
	{ "612 30 0:52 /a\\011b /tmp/x\\012y\\134z rw - tmpfs my\\040src rw,size=64k",
	  612, 30, 0, 52, "/a\tb", "/tmp/x\ny\\z", "rw", "tmpfs", "my src", "rw,size=64k" },
	/* several optional fields; a FUSE mount */
	{ "700 25 0:60 / /var/lib/corral/proc rw,nosuid,nodev shared:300 master:12 "
	  "propagate_from:3 unbindable - fuse.corralfs corralfs "
	  "rw,user_id=0,group_id=0,allow_other", 700, 25, 0, 60,
	  "/", "/var/lib/corral/proc", "rw,nosuid,nodev", "fuse.corralfs", "corralfs",
	  "rw,user_id=0,group_id=0,allow_other" },
	/* a bind mount of a deleted directory: " (deleted)" is escaped too */
	{ "88 25 8:1 /srv/gone\\040(deleted) /mnt/d rw - ext4 /dev/sda1 rw", 88, 25, 8, 1,
	  "/srv/gone (deleted)", "/mnt/d", "rw", "ext4", "/dev/sda1", "rw" },
	/* a v1 named hierarchy; a backslash that is not an escape stays */
	{ "26 25 0:23 / /a\\9\\000b rw shared:9 - cgroup cgroup rw,xattr,name=systemd",
	  26, 25, 0, 23, "/", "/a\\9\\000b", "rw", "cgroup", "cgroup",
	  "rw,xattr,name=systemd" },
};

static void test_mountinfo_line(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(mount_cases); i++) {
		const struct mount_case *c = &mount_cases[i];
		struct cg_mount m;

		g_assert_true(cg_mountinfo_line(c->line, &m));
		g_assert_cmpuint(m.id, ==, c->id);
		g_assert_cmpuint(m.parent, ==, c->parent);
		g_assert_cmpuint(m.major, ==, c->major);
		g_assert_cmpuint(m.minor, ==, c->minor);
		g_assert_cmpstr(m.root, ==, c->root);
		g_assert_cmpstr(m.mountpoint, ==, c->mountpoint);
		g_assert_cmpstr(m.options, ==, c->options);
		g_assert_cmpstr(m.fstype, ==, c->fstype);
		g_assert_cmpstr(m.source, ==, c->source);
		g_assert_cmpstr(m.super_options, ==, c->super);
		cg_mount_clear(&m);
		g_assert_null(m.mountpoint);
	}
}

static void test_mountinfo_bad(void)
{
	static const char *const bad[] = {
		"",
		"36 35 98:0 / /mnt rw - ext3 /dev/root", /* no super options */
		"36 35 98:0 / /mnt rw master:1 ext3 /dev/root rw", /* no "-" */
		"x 35 98:0 / /mnt rw - ext3 /dev/root rw",
		"36 35 98-0 / /mnt rw - ext3 /dev/root rw",
		"36 35 98: / /mnt rw - ext3 /dev/root rw",
		"36 35 - / /mnt rw ext3 /dev/root rw",
	};
	struct cg_mount m;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_assert_false(cg_mountinfo_line(bad[i], &m));
		g_assert_null(m.root);
		g_assert_null(m.mountpoint);
	}
}

static void test_mountinfo_text(void)
{
	g_autoptr(GString) text = g_string_new(
		"22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
		"garbage\n");
	g_autoptr(GString) lng = g_string_new("/very");
	g_autoptr(GArray) all = NULL;

	/* a line far longer than a page (seq_file hands out about one) */
	while (lng->len < 6000)
		g_string_append(lng, "/long\\040dir");
	g_string_append_printf(text, "23 1 0:22 / %s rw - tmpfs tmpfs rw\n", lng->str);
	g_string_append(text, "30 23 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 "
			"rw,nsdelegate,memory_recursiveprot\n");
	all = cg_mountinfo_parse(text->str);
	g_assert_cmpuint(all->len, ==, 3);
	g_assert_cmpstr(mount_at(all, 0)->mountpoint, ==, "/proc");
	g_assert_cmpuint(strlen(mount_at(all, 1)->mountpoint), ==,
			 5 + (lng->len - 5) / strlen("/long\\040dir") * strlen("/long dir"));
	g_assert_true(g_str_has_suffix(mount_at(all, 1)->mountpoint, "/long dir"));
	g_assert_cmpstr(mount_at(all, 2)->fstype, ==, "cgroup2");
	g_assert_cmpstr(mount_at(all, 2)->super_options, ==,
			"rw,nsdelegate,memory_recursiveprot");
	g_clear_pointer(&all, g_array_unref);
	all = cg_mountinfo_parse("");
	g_assert_cmpuint(all->len, ==, 0);
}

/* The cgroup library's own view: cgroup mounts of root "/", unescaped. */
static void test_cgroup_mounts(void)
{
	g_autoptr(GArray) m = cgi_cgroup_mounts(
		"25 21 0:22 / /sys/fs/cgroup ro shared:8 - tmpfs tmpfs ro,mode=755\n"
		"26 25 0:23 / /sys/fs/cgroup/sys\\040temd rw shared:9 - cgroup cgroup "
		"rw,xattr,name=systemd\n"
		"27 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
		"28 25 0:25 /lxc/c1 /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"40 25 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
	const struct mnt *e = &g_array_index(m, struct mnt, 0);

	g_assert_cmpuint(m->len, ==, 3);
	g_assert_cmpstr(e[0].mountpoint, ==, "/sys/fs/cgroup/sys temd");
	g_assert_false(e[0].v2);
	g_assert_cmpstr(e[0].super_opts, ==, "rw,xattr,name=systemd");
	g_assert_cmpstr(e[1].mountpoint, ==, "/sys/fs/cgroup/cpu,cpuacct");
	g_assert_cmpstr(e[2].mountpoint, ==, "/sys/fs/cgroup/unified");
	g_assert_true(e[2].v2);
}

static void test_list_has(void)
{
	g_assert_true(cg_list_has("rw,cpu,cpuacct", "cpu"));
	g_assert_true(cg_list_has("rw,cpu,cpuacct", "cpuacct"));
	g_assert_true(cg_list_has("rw,cpu,cpuacct", "rw"));
	g_assert_false(cg_list_has("rw,cpu,cpuacct", "cpua"));
	g_assert_false(cg_list_has("rw,cpuset", "cpu"));
	g_assert_true(cg_list_has("name=systemd", "name=systemd"));
	g_assert_false(cg_list_has("name=systemd", "systemd"));
	g_assert_false(cg_list_has("", ""));
	g_assert_false(cg_list_has("a,,b", ""));
	g_assert_false(cg_list_has("", "memory"));
}

static const struct cg_proc_cgroup *cg_at(GArray *a, guint i)
{
	g_assert_cmpuint(i, <, a->len);
	return &g_array_index(a, struct cg_proc_cgroup, i);
}

static void test_proc_cgroup(void)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GArray) a = cg_proc_cgroup_parse(
		"12:pids:/user.slice/user-0.slice\n"
		"11:cpu,cpuacct:/\n"
		"3:memory:/a:b/c d\n"
		"1:name=systemd:/user.slice/session-1.scope\n"
		"0::/init.scope\n", &err);

	g_assert_no_error(err);
	g_assert_cmpuint(a->len, ==, 5);
	g_assert_cmpuint(cg_at(a, 0)->id, ==, 12);
	g_assert_cmpstr(cg_at(a, 0)->controllers, ==, "pids");
	g_assert_cmpstr(cg_at(a, 0)->path, ==, "/user.slice/user-0.slice");
	g_assert_cmpstr(cg_at(a, 1)->controllers, ==, "cpu,cpuacct");
	g_assert_cmpstr(cg_at(a, 1)->path, ==, "/");
	/* a cgroup name may hold ':' and spaces: the path is the rest */
	g_assert_cmpstr(cg_at(a, 2)->path, ==, "/a:b/c d");
	g_assert_cmpstr(cg_at(a, 3)->controllers, ==, "name=systemd");
	g_assert_cmpuint(cg_at(a, 4)->id, ==, 0);
	g_assert_cmpstr(cg_at(a, 4)->controllers, ==, "");
	g_assert_cmpstr(cg_at(a, 4)->path, ==, "/init.scope");
	g_clear_pointer(&a, g_array_unref);
	/* v2 only; outside the reader's cgroup namespace */
	a = cg_proc_cgroup_parse("0::/../../outside\n", &err);
	g_assert_cmpuint(a->len, ==, 1);
	g_assert_cmpstr(cg_at(a, 0)->path, ==, "/../../outside");
	g_clear_pointer(&a, g_array_unref);
	a = cg_proc_cgroup_parse("", &err);
	g_assert_cmpuint(a->len, ==, 0);
}

static void test_proc_cgroup_bad(void)
{
	static const char *const bad[][2] = {
		{ "nonsense\n", "bad cgroup line \"nonsense\"" },
		{ "0::/\n4:memory\n", "bad cgroup line \"4:memory\"" },
		{ "x:memory:/\n", "bad cgroup line \"x:memory:/\"" },
		{ ":memory:/\n", "bad cgroup line \":memory:/\"" },
		{ "99999999999:memory:/\n", "bad cgroup line \"99999999999:memory:/\"" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) err = NULL;

		g_assert_null(cg_proc_cgroup_parse(bad[i][0], &err));
		g_assert_error(err, CG_ERROR, CG_ERROR_PARSE);
		g_assert_cmpstr(err->message, ==, bad[i][1]);
	}
}

static void assert_comm(const struct cg_pid_stat *st, const char *comm)
{
	g_autofree char *c = g_strndup(st->comm, st->comm_len);

	g_assert_cmpstr(c, ==, comm);
}

static void test_pid_stat(void)
{
	struct cg_pid_stat st;

	/* comm "a) b)": spaces and parentheses */
	g_assert_true(cg_pid_stat_parse(
		"1234 (a) b)) S 1 1234 1234 0 -1 4194560 95 0 0 0 0 0 0 0 20 0 1 0 "
		"8613 2555904 231 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 "
		"0 0 0 0 0 0 0 0 0 0\n", &st));
	g_assert_cmpint(st.pid, ==, 1234);
	assert_comm(&st, "a) b)");
	g_assert_cmpint(st.state, ==, 'S');
	g_assert_cmpint(st.ppid, ==, 1);
	g_assert_cmpuint(st.starttime, ==, 8613);
	g_assert_true(cg_pid_stat_parse(
		"801 (tmux: server) R 1 801 801 0 -1 4194368 3 0 0 0 0 0 0 0 20 0 1 0 "
		"18446744073709551615 0 0\n", &st));
	assert_comm(&st, "tmux: server");
	g_assert_cmpint(st.state, ==, 'R');
	g_assert_cmpuint(st.starttime, ==, UINT64_MAX);
	/* a kernel worker; a zombie; field 22 last, no newline */
	g_assert_true(cg_pid_stat_parse(
		"77 (kworker/u8:2-events_unbound) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 "
		"20 0 1 0 420", &st));
	assert_comm(&st, "kworker/u8:2-events_unbound");
	g_assert_cmpint(st.ppid, ==, 2);
	g_assert_cmpuint(st.starttime, ==, 420);
	g_assert_true(cg_pid_stat_parse("9 () Z 8 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0\n",
					&st));
	assert_comm(&st, "");
	g_assert_cmpint(st.state, ==, 'Z');
}

static void test_pid_stat_bad(void)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"12 (x) S 1 2\n",                                             /* 5 fields */
		"12 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n",     /* 21 */
		"12 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 -5\n",
		"12 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19x\n",
		"x (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n",
		"(x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n",
		"12 (x) SS 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n",
		"12 (x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n",
		"12 (x) S p 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n",
	};
	struct cg_pid_stat st;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(cg_pid_stat_parse(bad[i], &st));
	/* exactly 22 fields is enough */
	g_assert_true(cg_pid_stat_parse(
		"12 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n", &st));
	g_assert_cmpuint(st.starttime, ==, 19);
}

/* The first lines of a real /proc/PID/status, with a hostile Name: the
 * kernel escapes a newline in it as "\n". */
static const char status_text[] =
	"Name:\tevil\\nTgid:\\t999\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t412\n"
	"Ngid:\t0\n"
	"Pid:\t413\n"
	"PPid:\t1\n"
	"TracerPid:\t0\n"
	"NStgid:\t412\t1\n"
	"NSpid:\t413\t2\n"
	"NSpgid:\t412\t1\n"
	"Threads:\t2\n"
	"SigQ:\t0/127573\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000000000\n"
	"SigBlk:\t0000000000010000\n"
	"SigIgn:\t0000000000380004\n"
	"SigCgt:\t000000004b813efb\n"
	"CapEff:\t000001ffffffffff\n"
	"Seccomp:\t2";

typedef bool (*status_fn)(const char *text, const char *key, uint64_t *out);

static void test_status(void)
{
	static const struct {
		status_fn fn;
		const char *key;
		uint64_t want; /* UINT64_MAX: must fail */
	} cases[] = {
		{ cg_status_u64, "Tgid", 412 },
		{ cg_status_u64, "Pid", 413 },
		{ cg_status_u64, "PPid", 1 },
		{ cg_status_u64, "Seccomp", 2 },          /* the last line */
		{ cg_status_last_id, "NSpid", 2 },
		{ cg_status_last_id, "NStgid", 1 },
		{ cg_status_hex, "SigBlk", 0x10000 },
		{ cg_status_hex, "SigIgn", 0x380004 },
		{ cg_status_hex, "CapEff", 0x1ffffffffffu },
		{ cg_status_u64, "NoSuchKey", UINT64_MAX },
		{ cg_status_u64, "State", UINT64_MAX },
		{ cg_status_u64, "NSpid", UINT64_MAX },   /* two ids */
		{ cg_status_u64, "Tgi", UINT64_MAX },
		{ cg_status_hex, "SigQ", UINT64_MAX },
	};
	size_t len;
	const char *f;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint64_t v = 7;
		bool ok = cases[i].fn(status_text, cases[i].key, &v);

		g_test_message("%s", cases[i].key);
		g_assert_cmpint(ok, ==, cases[i].want != UINT64_MAX);
		g_assert_cmpuint(v, ==, ok ? cases[i].want : 7);
	}
	f = cg_status_field(status_text, "State", &len);
	g_assert_cmpmem(f, len, "S (sleeping)", 12);
	f = cg_status_field(status_text, "Name", &len);
	g_assert_cmpmem(f, len, "evil\\nTgid:\\t999", 16);
	g_assert_null(cg_status_field(status_text, "Tgi", &len));
}

static void test_status_ids(void)
{
	uint64_t v = 7;

	g_assert_true(cg_status_last_id("NSpid:\t413\n", "NSpid", &v));
	g_assert_cmpuint(v, ==, 413);
	g_assert_true(cg_status_last_id("NSpid:\t413 9 \n", "NSpid", &v));
	g_assert_cmpuint(v, ==, 9);
	v = 7;
	g_assert_false(cg_status_last_id("NSpid:\t\n", "NSpid", &v));
	g_assert_false(cg_status_last_id("NSpid:\t413\tx\n", "NSpid", &v));
	g_assert_false(cg_status_last_id("NSpid 413\n", "NSpid", &v));
	g_assert_cmpuint(v, ==, 7);
}

/* cgi_parse_nested on the rest of an io.stat line: rbytes, wbytes and
 * dios listed (starting at 0, 0 and 99). */
static void test_nested(void)
{
	static const struct {
		const char *pairs;
		bool ok;
		uint64_t rb, wb, dios;
	} cases[] = {
		{ " rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0\n", true, 4096, 8192, 99 },
		{ "  dios=3\twbytes=5  ", true, 0, 5, 3 },
		{ " other=x\n", true, 0, 0, 99 },     /* names not listed: skipped */
		{ "", true, 0, 0, 99 },
		{ " rbytes=x\n", false, 0, 0, 99 },
		{ " rbytes=\n", false, 0, 0, 99 },
		{ " rbytes 1\n", false, 0, 0, 99 },   /* a word without '=' */
		{ " wbytes=1 rbytes=-1\n", false, 0, 1, 99 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		uint64_t rb = 0, wb = 0, dios = 99;
		const struct cgi_key keys[] = { { "rbytes", &rb }, { "wbytes", &wb },
						{ "dios", &dios } };

		g_test_message("%s", cases[i].pairs);
		g_assert_cmpint(cgi_parse_nested(cases[i].pairs, keys, G_N_ELEMENTS(keys)), ==,
				cases[i].ok);
		g_assert_cmpuint(rb, ==, cases[i].rb);
		g_assert_cmpuint(wb, ==, cases[i].wb);
		g_assert_cmpuint(dios, ==, cases[i].dios);
	}
}

static void test_nested_next(void)
{
	const char *s = "  rbytes=1 x=y\n";
	struct cgi_pair p;

	g_assert_cmpint(cgi_nested_next(&s, &p), ==, 1);
	g_assert_cmpmem(p.name, p.nlen, "rbytes", 6);
	g_assert_cmpmem(p.value, p.vlen, "1", 1);
	g_assert_cmpint(cgi_nested_next(&s, &p), ==, 1);
	g_assert_cmpmem(p.name, p.nlen, "x", 1);
	g_assert_cmpmem(p.value, p.vlen, "y", 1);
	g_assert_cmpint(cgi_nested_next(&s, &p), ==, 0);
	g_assert_cmpint(*s, ==, '\n');
	s = "a=1 b";
	g_assert_cmpint(cgi_nested_next(&s, &p), ==, 1);
	g_assert_cmpint(cgi_nested_next(&s, &p), ==, -1);
}

static void assert_words(const char *text, const char *const *want)
{
	g_auto(GStrv) w = cgi_parse_words(text);

	g_assert_cmpuint(g_strv_length(w), ==, g_strv_length((char **)want));
	for (guint i = 0; want[i]; i++)
		g_assert_cmpstr(w[i], ==, want[i]);
}

/* Flat files: cgroup.controllers, cpu.max, cpuacct.usage_percpu. */
static void test_words(void)
{
	static const char *const ctrls[] = { "cpuset", "cpu", "io", "memory", "pids", NULL };
	static const char *const max[] = { "max", "100000", NULL };
	static const char *const percpu[] = { "8652000000", "15408000000", NULL };
	static const char *const none[] = { NULL };

	assert_words("cpuset cpu io memory pids\n", ctrls);
	assert_words("max 100000\n", max);
	assert_words("8652000000 15408000000 \n", percpu);
	assert_words("\n", none);
	assert_words("", none);
}

static void test_span(void)
{
	uint64_t v = 7;

	g_assert_true(cgi_parse_span("18446744073709551615", 20, 10, &v));
	g_assert_cmpuint(v, ==, UINT64_MAX);
	g_assert_false(cgi_parse_span("18446744073709551616", 20, 10, &v));
	g_assert_true(cgi_parse_span("ffffffffffffffff", 16, 16, &v));
	g_assert_cmpuint(v, ==, UINT64_MAX);
	g_assert_false(cgi_parse_span("1ffffffffffffffff", 17, 16, &v));
	g_assert_true(cgi_parse_span("12x", 2, 10, &v));
	g_assert_cmpuint(v, ==, 12);
	g_assert_false(cgi_parse_span("12x", 3, 10, &v));
	g_assert_false(cgi_parse_span("1a", 2, 10, &v));
	g_assert_false(cgi_parse_span("", 0, 10, &v));
	g_assert_false(cgi_parse_span(" 1", 2, 10, &v));
	g_assert_false(cgi_parse_span("-1", 2, 10, &v));
	g_assert_cmpuint(v, ==, 12);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/procfs/mountinfo-line", test_mountinfo_line);
	g_test_add_func("/cgroup/procfs/mountinfo-bad", test_mountinfo_bad);
	g_test_add_func("/cgroup/procfs/mountinfo-text", test_mountinfo_text);
	g_test_add_func("/cgroup/procfs/cgroup-mounts", test_cgroup_mounts);
	g_test_add_func("/cgroup/procfs/list-has", test_list_has);
	g_test_add_func("/cgroup/procfs/proc-cgroup", test_proc_cgroup);
	g_test_add_func("/cgroup/procfs/proc-cgroup-bad", test_proc_cgroup_bad);
	g_test_add_func("/cgroup/procfs/pid-stat", test_pid_stat);
	g_test_add_func("/cgroup/procfs/pid-stat-bad", test_pid_stat_bad);
	g_test_add_func("/cgroup/procfs/status", test_status);
	g_test_add_func("/cgroup/procfs/status-ids", test_status_ids);
	g_test_add_func("/cgroup/procfs/nested", test_nested);
	g_test_add_func("/cgroup/procfs/nested-next", test_nested_next);
	g_test_add_func("/cgroup/procfs/words", test_words);
	g_test_add_func("/cgroup/procfs/span", test_span);
	return g_test_run();
}
