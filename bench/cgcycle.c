/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgcycle: how fast can a cgroup be made, limited, used and removed?
 *
 *   cgcycle [-t SECONDS] [-l FILE=VALUE] HOME NEW
 *
 * This process must already be in cgroup directory HOME.  For SECONDS it
 * loops one cycle: mkdir NEW; write VALUE to NEW/FILE (if -l); write its
 * own pid to NEW/cgroup.procs (move in); write it to HOME/cgroup.procs
 * (move back); rmdir NEW.  Every write is one write(2) on a fresh fd.
 * Whether HOME and NEW are under /sys/fs/cgroup or corralfs's tree, the
 * code is the same.  One untimed cycle first checks, in /proc/self/cgroup,
 * that the moves really happen.  One machine-readable line:
 *
 *   path=NEW cycles=N cycles_per_s=X p50_us=Y p99_us=Z mkdir_p50_us=..
 *   limit_p50_us=.. in_p50_us=.. out_p50_us=.. rmdir_p50_us=..
 *
 * On a failure it names the step, the path and the errno, moves itself
 * back to HOME, removes NEW and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Cycles kept per second of run; beyond that cycles are only counted. */
#define SAMPLES_PER_SECOND 50000

enum step { MKDIR, LIMIT, MOVE_IN, MOVE_OUT, RMDIR, CYCLE, NSTEPS };

static const char *const step_name[NSTEPS] = {
	"mkdir", "limit", "in", "out", "rmdir", "cycle",
};

struct config {
	double seconds;
	const char *home;       /* cgroup directory this process sits in */
	const char *dir;        /* the cgroup each cycle makes and removes */
	char *limit_file;       /* NULL without -l */
	const char *limit_value;
	char home_procs[4096];
	char dir_procs[4096];
	char limit_path[4096];
	char pid[32];
};

struct samples {
	uint32_t *ns[NSTEPS];   /* capacity entries each */
	size_t capacity;
	size_t recorded;
	uint64_t cycles;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One write(2) of @text to @path on a fresh fd; 0 or the errno. */
static int write_once(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return errno;
	n = write(fd, text, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	return err;
}

static int do_step(const struct config *cfg, enum step s, const char **path)
{
	switch (s) {
	case MKDIR:
		*path = cfg->dir;
		return mkdir(cfg->dir, 0755) < 0 ? errno : 0;
	case LIMIT:
		*path = cfg->limit_path;
		return cfg->limit_file ? write_once(cfg->limit_path, cfg->limit_value) : 0;
	case MOVE_IN:
		*path = cfg->dir_procs;
		return write_once(cfg->dir_procs, cfg->pid);
	case MOVE_OUT:
		*path = cfg->home_procs;
		return write_once(cfg->home_procs, cfg->pid);
	case RMDIR:
		*path = cfg->dir;
		return rmdir(cfg->dir) < 0 ? errno : 0;
	default:
		*path = "";
		return EINVAL;
	}
}

/* A failed step: name it, its path and the errno; put things back; exit 1. */
static _Noreturn void fail(const struct config *cfg, enum step s, const char *path, int err)
{
	fprintf(stderr, "cgcycle: %s %s: %s\n", step_name[s], path, strerror(err));
	if (s >= MOVE_IN && s < RMDIR && (err = write_once(cfg->home_procs, cfg->pid)))
		fprintf(stderr, "cgcycle: cleanup: moving back to %s: %s\n",
			cfg->home_procs, strerror(err));
	if (s > MKDIR && s < RMDIR && rmdir(cfg->dir) < 0)
		fprintf(stderr, "cgcycle: cleanup: removing %s: %s\n", cfg->dir,
			strerror(errno));
	exit(1);
}

static uint32_t clamp_ns(uint64_t ns)
{
	return ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

/* One timed cycle; each step's time kept in @sm while there is room. */
static void cycle(const struct config *cfg, struct samples *sm)
{
	uint64_t start = now_ns(), t0 = start, t1;
	bool keep = sm->recorded < sm->capacity;

	for (enum step s = MKDIR; s < CYCLE; s++) {
		const char *path;
		int err = do_step(cfg, s, &path);

		if (err)
			fail(cfg, s, path, err);
		t1 = now_ns();
		if (keep)
			sm->ns[s][sm->recorded] = clamp_ns(t1 - t0);
		t0 = t1;
	}
	if (keep)
		sm->ns[CYCLE][sm->recorded++] = clamp_ns(t0 - start);
	sm->cycles++;
}

/* Does a line of /proc/self/cgroup end in "/@name"? Read until EOF. */
static bool in_cgroup_named(const char *name)
{
	char buf[16384], needle[512];
	size_t len = 0;
	ssize_t n = 0;
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n != 0)
		return false; /* an error, or a file larger than the buffer */
	buf[len] = '\0';
	snprintf(needle, sizeof(needle), "/%s\n", name);
	return strstr(buf, needle) != NULL;
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* One untimed cycle that checks each move in /proc/self/cgroup. */
static bool check_cycle(const struct config *cfg)
{
	const char *home = last_component(cfg->home), *dir = last_component(cfg->dir);
	const char *path;
	bool moved_in, moved_out;
	int err;

	if (!in_cgroup_named(home)) {
		fprintf(stderr, "cgcycle: this process is not in %s (/proc/self/cgroup)\n",
			cfg->home);
		return false;
	}
	for (enum step s = MKDIR; s <= MOVE_IN; s++)
		if ((err = do_step(cfg, s, &path)))
			fail(cfg, s, path, err);
	moved_in = in_cgroup_named(dir);
	if ((err = do_step(cfg, MOVE_OUT, &path)))
		fail(cfg, MOVE_OUT, path, err);
	moved_out = in_cgroup_named(home) && !in_cgroup_named(dir);
	if ((err = do_step(cfg, RMDIR, &path)))
		fail(cfg, RMDIR, path, err);
	if (!moved_in)
		fprintf(stderr, "cgcycle: wrote %s to %s, but /proc/self/cgroup does not end in /%s\n",
			cfg->pid, cfg->dir_procs, dir);
	if (!moved_out)
		fprintf(stderr, "cgcycle: wrote %s to %s, but /proc/self/cgroup does not end in /%s\n",
			cfg->pid, cfg->home_procs, home);
	return moved_in && moved_out;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of @n samples (sorted in place), in microseconds. */
static double percentile_us(uint32_t *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	rank = (size_t)(p / 100.0 * (double)n + 0.5);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1] / 1000.0;
}

static bool samples_init(struct samples *sm, double seconds)
{
	*sm = (struct samples){ .capacity = (size_t)(seconds * SAMPLES_PER_SECOND) + 1 };
	for (int s = 0; s < NSTEPS; s++) {
		sm->ns[s] = malloc(sm->capacity * sizeof(uint32_t));
		if (!sm->ns[s])
			return false;
	}
	return true;
}

static void samples_free(struct samples *sm)
{
	for (int s = 0; s < NSTEPS; s++)
		free(sm->ns[s]);
}

static void report(const struct config *cfg, struct samples *sm, double elapsed)
{
	size_t n = sm->recorded;

	printf("path=%s cycles=%llu cycles_per_s=%.0f p50_us=%.1f", cfg->dir,
	       (unsigned long long)sm->cycles, (double)sm->cycles / elapsed,
	       percentile_us(sm->ns[CYCLE], n, 50));
	printf(" p99_us=%.1f", percentile_us(sm->ns[CYCLE], n, 99));
	for (enum step s = MKDIR; s < CYCLE; s++)
		printf(" %s_p50_us=%.1f", step_name[s], percentile_us(sm->ns[s], n, 50));
	printf("\n");
	fflush(stdout);
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: cgcycle [-t SECONDS] [-l FILE=VALUE] HOME NEW\n"
		     "  HOME          the cgroup directory this process is in\n"
		     "  NEW           the cgroup each cycle makes and removes\n"
		     "  -t SECONDS    how long to cycle (default 3)\n"
		     "  -l FILE=VALUE what each cycle writes to NEW/FILE\n");
}

static bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0.01 || v > 3600)
		return false;
	*out = v;
	return true;
}

/* The paths each cycle uses; false if one does not fit. */
static bool build_paths(struct config *cfg)
{
	size_t max = sizeof(cfg->home_procs);

	snprintf(cfg->pid, sizeof(cfg->pid), "%ld", (long)getpid());
	return (size_t)snprintf(cfg->home_procs, max, "%s/cgroup.procs", cfg->home) < max &&
	       (size_t)snprintf(cfg->dir_procs, max, "%s/cgroup.procs", cfg->dir) < max &&
	       (size_t)snprintf(cfg->limit_path, max, "%s/%s", cfg->dir,
				cfg->limit_file ? cfg->limit_file : "") < max;
}

static bool parse_options(int argc, char **argv, struct config *cfg)
{
	char *eq;
	int c;

	while ((c = getopt(argc, argv, "t:l:h")) != -1) {
		switch (c) {
		case 't':
			if (!parse_seconds(optarg, &cfg->seconds)) {
				fprintf(stderr, "cgcycle: bad value for -t: '%s'\n", optarg);
				return false;
			}
			break;
		case 'l':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || strchr(optarg, '/')) {
				fprintf(stderr, "cgcycle: -l wants FILE=VALUE, not '%s'\n", optarg);
				return false;
			}
			*eq = '\0';
			cfg->limit_file = optarg;
			cfg->limit_value = eq + 1;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return false;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return false;
	}
	cfg->home = argv[optind];
	cfg->dir = argv[optind + 1];
	if (!build_paths(cfg)) {
		fprintf(stderr, "cgcycle: path too long\n");
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	struct config cfg = { .seconds = 3 };
	struct samples sm;
	uint64_t t0, end;

	if (!parse_options(argc, argv, &cfg))
		return 2;
	if (!samples_init(&sm, cfg.seconds)) {
		fprintf(stderr, "cgcycle: cannot allocate the samples\n");
		return 1;
	}
	if (!check_cycle(&cfg)) {
		samples_free(&sm);
		return 1;
	}
	t0 = now_ns();
	end = t0 + (uint64_t)(cfg.seconds * 1e9);
	do
		cycle(&cfg, &sm);
	while (now_ns() < end);
	report(&cfg, &sm, (double)(now_ns() - t0) / 1e9);
	samples_free(&sm);
	return 0;
}
