/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common/json.c and runtime/spec/seccomp-json.c. */
#include "runtime/spec/cap-names.h"
#include "common/json.h"
#include "runtime/spec/seccomp-json.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <unistd.h>

static struct rj_value *parse_ok(const char *text)
{
	g_autoptr(GError) err = NULL;
	struct rj_value *v = rj_parse(text, strlen(text), &err);

	g_assert_no_error(err);
	g_assert_nonnull(v);
	return v;
}

static void parse_bad(const char *text, const char *message)
{
	g_autoptr(GError) err = NULL;

	g_assert_null(rj_parse(text, strlen(text), &err));
	g_assert_nonnull(err);
	g_assert_cmpstr(err->message, ==, message);
}

static void test_values(void)
{
	g_autoptr(rj_value) v = parse_ok(" {\"a\": [1, -2, 3.5, 1e3, true, false, null],"
					 " \"s\": \"x\\ty\\u00e9\\ud83d\\ude00\", \"a\": {}} ");
	const struct rj_value *a = rj_get(v, "a"), *arr = &v->members[0].value;

	g_assert_cmpint(v->type, ==, RJ_OBJECT);
	g_assert_cmpuint(v->n, ==, 3);
	g_assert_cmpint(a->type, ==, RJ_OBJECT); /* the last of repeated keys */
	g_assert_cmpint(arr->type, ==, RJ_ARRAY);
	g_assert_cmpuint(arr->n, ==, 7);
	g_assert_true(arr->items[0].is_int && arr->items[0].integer == 1);
	g_assert_true(arr->items[1].is_int && arr->items[1].integer == -2);
	g_assert_false(arr->items[1].is_uint);
	g_assert_false(arr->items[2].is_int);
	g_assert_cmpfloat(arr->items[2].number, ==, 3.5);
	g_assert_cmpfloat(arr->items[3].number, ==, 1000);
	g_assert_true(arr->items[4].boolean);
	g_assert_cmpint(arr->items[6].type, ==, RJ_NULL);
	g_assert_cmpstr(rj_get(v, "s")->string, ==, "x\ty\xc3\xa9\xf0\x9f\x98\x80");
	g_assert_null(rj_get(v, "missing"));
}

static void test_big_unsigned(void)
{
	g_autoptr(rj_value) v = parse_ok("[18446744073709551615, 9223372036854775808]");

	g_assert_true(v->items[0].is_uint);
	g_assert_cmpuint(v->items[0].uinteger, ==, UINT64_MAX);
	g_assert_false(v->items[0].is_int);
	g_assert_cmpuint(v->items[1].uinteger, ==, (uint64_t)1 << 63);
}

static void test_errors(void)
{
	parse_bad("", "line 1, column 1: unexpected end of input");
	parse_bad("{\"a\" 1}", "line 1, column 6: expected ':'");
	parse_bad("[1,\n 2,,]", "line 2, column 4: expected a value");
	parse_bad("\"abc", "line 1, column 5: unterminated string");
	parse_bad("\"\\x\"", "line 1, column 3: bad escape in string");
	parse_bad("\"\\ud83d\"", "line 1, column 8: unpaired surrogate in \\u escape");
	parse_bad("\"\\u0000\"", "line 1, column 8: NUL in string");
	parse_bad("01", "line 1, column 2: bad number: leading zero");
	parse_bad("[1] x", "line 1, column 5: trailing characters after the document");
	parse_bad("tru", "line 1, column 1: unexpected character");
	parse_bad("\"a\nb\"", "line 1, column 3: control character in string");
}

/* RFC 8259 numbers: what is refused, and where. */
static void test_numbers_strict(void)
{
	parse_bad("1.", "line 1, column 3: bad number: no digit after '.'");
	parse_bad("[1.e5]", "line 1, column 4: bad number: no digit after '.'");
	parse_bad("[-01]", "line 1, column 4: bad number: leading zero");
	parse_bad("-", "line 1, column 2: bad number: no digit after '-'");
	parse_bad("[-a]", "line 1, column 3: bad number: no digit after '-'");
	parse_bad("1e", "line 1, column 3: bad number: no digit in the exponent");
	parse_bad("[2E+]", "line 1, column 5: bad number: no digit in the exponent");
	parse_bad("[.5]", "line 1, column 2: expected a value");
	parse_bad("+1", "line 1, column 1: expected a value");
	parse_bad("[1,]", "line 1, column 4: expected a value");
	parse_bad("{\"a\": }", "line 1, column 7: expected a value");
	parse_bad("[0,\n  1e999]", "line 2, column 3: number out of range");
	parse_bad("-1E+400", "line 1, column 1: number out of range");
	parse_bad("[1-2]", "line 1, column 3: expected ',' or ']'");
}

static void test_numbers_good(void)
{
	g_autoptr(rj_value) v = parse_ok("[0, -0, 0.5, -1.25e-2, 1E2, 2e+1, 1e-400,"
					 " 100000000000000000000, -9223372036854775808]");

	g_assert_cmpuint(v->n, ==, 9);
	g_assert_true(v->items[0].is_int && v->items[0].is_uint && v->items[0].integer == 0);
	g_assert_true(v->items[1].is_int && !v->items[1].is_uint);
	g_assert_cmpfloat(rj_number(&v->items[2]), ==, 0.5);
	g_assert_cmpfloat(rj_number(&v->items[3]), ==, -0.0125);
	g_assert_cmpfloat(rj_number(&v->items[4]), ==, 100);
	g_assert_false(v->items[4].is_int); /* written with an exponent */
	g_assert_cmpfloat(rj_number(&v->items[5]), ==, 20);
	g_assert_cmpfloat(rj_number(&v->items[6]), ==, 0); /* underflow is 0, not an error */
	g_assert_false(v->items[7].is_int || v->items[7].is_uint);
	g_assert_cmpfloat(rj_number(&v->items[7]), ==, 1e20);
	g_assert_true(v->items[8].is_int && v->items[8].integer == INT64_MIN);
	g_assert_cmpfloat(rj_number(&v->items[8]), ==, -9223372036854775808.0);
}

/* 16 bytes a value, items and members in one block each. */
static void test_compact(void)
{
	g_autoptr(rj_value) v = parse_ok("{\"k\": [[], {}, \"s\", true], \"z\": null}");
	const struct rj_value *k = rj_get(v, "k");

	g_assert_cmpuint(sizeof(struct rj_value), ==, 16);
	g_assert_cmpuint(sizeof(struct rj_member), ==, 24);
	g_assert_cmpuint(v->n, ==, 2);
	g_assert_cmpstr(v->members[1].key, ==, "z");
	g_assert_cmpint(v->members[1].value.type, ==, RJ_NULL);
	g_assert_true(k == &v->members[0].value);
	g_assert_cmpuint(k->n, ==, 4);
	g_assert_cmpint(k->items[0].type, ==, RJ_ARRAY);
	g_assert_cmpuint(k->items[0].n, ==, 0);
	g_assert_null(k->items[0].items);
	g_assert_cmpint(k->items[1].type, ==, RJ_OBJECT);
	g_assert_cmpstr(k->items[2].string, ==, "s");
	g_assert_true(k->items[3].boolean);
}

static void test_depth(void)
{
	g_autoptr(GString) deep = g_string_new(NULL);

	for (int i = 0; i < 200; i++)
		g_string_append_c(deep, '[');
	parse_bad(deep->str, "line 1, column 129: nested too deeply");
}

static struct rt_seccomp *profile(const char *text, const struct rt_caps *caps, GError **err)
{
	g_autoptr(rj_value) v = rj_parse(text, strlen(text), err);

	return v ? rt_seccomp_from_json(v, caps, err) : NULL;
}

static const char docker_style[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
	" \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\","
	"   \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]},"
	"  {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}],"
	" \"syscalls\": ["
	"  {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"  {\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\","
	"   \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
	"  {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\","
	"   \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
	"  {\"name\": \"personality\", \"action\": \"SCMP_ACT_ALLOW\","
	"   \"args\": [{\"index\": 0, \"value\": 131072, \"valueTwo\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
	"  {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38,"
	"   \"args\": [{\"index\": 0, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}"
	" ]}";

static void test_docker_profile(void)
{
	struct rt_caps none = { 0 }, admin = { .bounding = 1ull << CAP_SYS_ADMIN };
	g_autoptr(GError) err = NULL;
	g_autoptr(rt_seccomp) s = profile(docker_style, &none, &err);
	g_autoptr(rt_seccomp) t = NULL;
	struct rt_seccomp_rule *r;

	g_assert_no_error(err);
	g_assert_cmpint(s->default_action, ==, RT_SECCOMP_ERRNO);
	g_assert_cmpint(s->default_errno, ==, 1);
#if defined(__x86_64__)
	g_assert_cmpuint(g_strv_length(s->architectures), ==, 3);
	g_assert_cmpstr(s->architectures[0], ==, "SCMP_ARCH_X86_64");
#endif
	/* without CAP_SYS_ADMIN: read/write, kill, personality, clone */
	g_assert_cmpuint(s->rules->len, ==, 4);
	r = &g_array_index(s->rules, struct rt_seccomp_rule, 1);
	g_assert_cmpstr(r->names[0], ==, "kill");
	r = &g_array_index(s->rules, struct rt_seccomp_rule, 2);
	g_assert_cmpstr(r->names[0], ==, "personality");
	g_assert_cmpuint(g_array_index(r->args, struct rt_seccomp_arg, 0).value, ==, 131072);
	r = &g_array_index(s->rules, struct rt_seccomp_rule, 3);
	g_assert_cmpint(r->errno_ret, ==, 38);
	g_assert_cmpint(g_array_index(r->args, struct rt_seccomp_arg, 0).op, ==, RT_OP_MASKED_EQ);
	g_assert_cmpuint(g_array_index(r->args, struct rt_seccomp_arg, 0).value, ==, UINT64_MAX);
	/* with CAP_SYS_ADMIN: mount instead of kill */
	t = profile(docker_style, &admin, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(t->rules->len, ==, 4);
	r = &g_array_index(t->rules, struct rt_seccomp_rule, 1);
	g_assert_cmpstr(r->names[0], ==, "mount");
}

static void profile_bad(const char *text, const char *message)
{
	g_autoptr(GError) err = NULL;
	struct rt_caps none = { 0 };

	g_assert_null(profile(text, &none, &err));
	g_assert_nonnull(err);
	g_assert_cmpstr(err->message, ==, message);
}

static void test_profile_errors(void)
{
	profile_bad("[]", "linux.seccomp: expected object");
	profile_bad("{}", "linux.seccomp.defaultAction: missing");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_NOPE\"}",
		    "linux.seccomp.defaultAction: unknown action 'SCMP_ACT_NOPE'");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": -1}",
		    "linux.seccomp.defaultErrnoRet: expected a non-negative integer");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}",
		    "linux.seccomp.syscalls: expected array");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": "
		    "\"SCMP_ACT_ALLOW\"}]}",
		    "syscalls[0]: names: expected at least one syscall name");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], "
		    "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 9, \"op\": "
		    "\"SCMP_CMP_EQ\"}]}]}",
		    "syscalls[0].args[0]: index: expected 0..5");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"x\"], "
		    "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"LT\"}]}]}",
		    "syscalls[0].args[0].op: unknown operator 'LT'");
	profile_bad("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [1]}",
		    "linux.seccomp.architectures[0]: expected string");
}

static void test_file_errors(void)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *dir = g_dir_make_tmp("corral-json-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "p.json", NULL);

	g_assert_null(rt_seccomp_from_file("/nonexistent/p.json", NULL, &err));
	g_assert_cmpstr(err->message, ==,
			"seccomp profile /nonexistent/p.json: No such file or directory");
	g_clear_error(&err);
	g_assert_true(g_file_set_contents(path, "{\"defaultAction\":", -1, NULL));
	g_assert_null(rt_seccomp_from_file(path, NULL, &err));
	g_assert_nonnull(strstr(err->message, path));
	g_assert_nonnull(strstr(err->message, "unexpected end of input"));
	unlink(path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json/values", test_values);
	g_test_add_func("/json/big-unsigned", test_big_unsigned);
	g_test_add_func("/json/errors", test_errors);
	g_test_add_func("/json/numbers-strict", test_numbers_strict);
	g_test_add_func("/json/numbers-good", test_numbers_good);
	g_test_add_func("/json/compact", test_compact);
	g_test_add_func("/json/depth", test_depth);
	g_test_add_func("/seccomp-json/docker-profile", test_docker_profile);
	g_test_add_func("/seccomp-json/profile-errors", test_profile_errors);
	g_test_add_func("/seccomp-json/file-errors", test_file_errors);
	return g_test_run();
}
