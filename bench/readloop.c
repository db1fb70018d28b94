/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * readloop: how fast can a file be read whole, again and again?
 *
 *   readloop [-t SECONDS] [-j READERS] [-b BYTES] [-p] FILE...
 *
 * For each FILE in turn, READERS threads (-p: processes) loop open(O_RDONLY),
 * read until EOF, close, for SECONDS. Each iteration's latency is kept in a
 * preallocated array (shared memory, so processes can fill it too).
 * One machine-readable line per file:
 *
 *   path=F readers=N reads=R reads_per_s=X p50_us=Y p99_us=Z bytes=B
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BYTES (64 * 1024)
#define MAX_READERS 256
/* Latencies kept per reader per second; beyond that reads are only counted. */
#define SAMPLES_PER_SECOND 500000

struct config {
	double seconds;
	int readers;
	size_t bytes;
	bool processes;
};

struct reader {
	pthread_t thread;
	pid_t pid;
	const char *path;
	const struct config *cfg;
	pthread_barrier_t *start;
	uint32_t *lat_ns;    /* preallocated, capacity entries */
	size_t capacity;
	size_t recorded;
	uint64_t reads;
	uint64_t last_bytes; /* bytes of the last complete read */
	int err;             /* errno of the first failure, 0 if none */
	const char *failed;  /* the call that failed */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Open, read until EOF, close. Returns the bytes read, or -1 with r->err set. */
static int64_t read_whole(struct reader *r, char *buf)
{
	int64_t total = 0;
	ssize_t n;
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		r->err = errno;
		r->failed = "opening";
		return -1;
	}
	while ((n = read(fd, buf, r->cfg->bytes)) > 0)
		total += n;
	if (n < 0) {
		r->err = errno;
		r->failed = "reading";
		total = -1;
	}
	close(fd);
	return total;
}

static void record(struct reader *r, uint64_t ns)
{
	if (r->recorded < r->capacity)
		r->lat_ns[r->recorded++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	char *buf = malloc(r->cfg->bytes);
	uint64_t end;

	if (!buf) {
		r->err = ENOMEM;
		r->failed = "allocating the buffer for";
		return NULL;
	}
	pthread_barrier_wait(r->start);
	end = now_ns() + (uint64_t)(r->cfg->seconds * 1e9);
	for (uint64_t t0 = now_ns(), t1; t0 < end; t0 = t1) {
		int64_t got = read_whole(r, buf);

		t1 = now_ns();
		if (got < 0)
			break;
		r->last_bytes = (uint64_t)got;
		r->reads++;
		record(r, t1 - t0);
	}
	free(buf);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted samples, in microseconds. */
static double percentile_us(const uint32_t *sorted, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	rank = (size_t)(p / 100.0 * (double)n + 0.5);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1] / 1000.0;
}

/* Zeroed memory that forked readers share with the parent. */
static void *shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static bool setup_readers(struct reader *rs, const struct config *cfg, pthread_barrier_t *b)
{
	size_t capacity = (size_t)(cfg->seconds * SAMPLES_PER_SECOND) + 1;

	for (int i = 0; i < cfg->readers; i++) {
		rs[i] = (struct reader){ .cfg = cfg, .start = b, .capacity = capacity };
		rs[i].lat_ns = shared_alloc(capacity * sizeof(uint32_t));
		if (!rs[i].lat_ns) {
			fprintf(stderr, "readloop: cannot allocate %zu samples\n", capacity);
			return false;
		}
	}
	return true;
}

static void free_readers(struct reader *rs, int n)
{
	for (int i = 0; i < n; i++)
		if (rs[i].lat_ns)
			munmap(rs[i].lat_ns, rs[i].capacity * sizeof(uint32_t));
}

/* Gather every reader's samples into one new array. */
static uint32_t *merge_samples(struct reader *rs, int n, size_t *count)
{
	size_t total = 0, at = 0;
	uint32_t *all;

	for (int i = 0; i < n; i++)
		total += rs[i].recorded;
	all = malloc((total ? total : 1) * sizeof(uint32_t));
	if (!all)
		return NULL;
	for (int i = 0; i < n; i++) {
		memcpy(all + at, rs[i].lat_ns, rs[i].recorded * sizeof(uint32_t));
		at += rs[i].recorded;
	}
	*count = total;
	return all;
}

static bool check_readers(const char *path, struct reader *rs, int n)
{
	uint64_t max_bytes = 0;

	for (int i = 0; i < n; i++) {
		if (rs[i].err) {
			fprintf(stderr, "readloop: %s %s: %s\n", rs[i].failed, path,
				strerror(rs[i].err));
			return false;
		}
		if (rs[i].last_bytes > max_bytes)
			max_bytes = rs[i].last_bytes;
	}
	if (max_bytes == 0) {
		fprintf(stderr, "readloop: %s: no read returned any bytes\n", path);
		return false;
	}
	return true;
}

static bool report(const char *path, struct reader *rs, int n, double elapsed)
{
	uint64_t reads = 0, bytes = 0;
	size_t count = 0;
	uint32_t *all;

	if (!check_readers(path, rs, n))
		return false;
	all = merge_samples(rs, n, &count);
	if (!all) {
		fprintf(stderr, "readloop: out of memory merging samples\n");
		return false;
	}
	qsort(all, count, sizeof(uint32_t), cmp_u32);
	for (int i = 0; i < n; i++) {
		reads += rs[i].reads;
		bytes = rs[i].last_bytes > bytes ? rs[i].last_bytes : bytes;
	}
	printf("path=%s readers=%d mode=%s reads=%llu reads_per_s=%.0f p50_us=%.1f p99_us=%.1f bytes=%llu\n",
	       path, n, rs[0].cfg->processes ? "processes" : "threads", (unsigned long long)reads, (double)reads / elapsed,
	       percentile_us(all, count, 50), percentile_us(all, count, 99),
	       (unsigned long long)bytes);
	fflush(stdout);
	free(all);
	return true;
}

static bool start_reader(struct reader *r)
{
	if (!r->cfg->processes)
		return pthread_create(&r->thread, NULL, reader_main, r) == 0;
	pid_t pid = fork(); /* r is shared: only the parent may store the pid */

	if (pid == 0) {
		reader_main(r);
		_exit(0);
	}
	r->pid = pid;
	return pid > 0;
}

static void join_reader(struct reader *r)
{
	if (r->cfg->processes)
		waitpid(r->pid, NULL, 0);
	else
		pthread_join(r->thread, NULL);
}

static pthread_barrier_t *barrier_new(unsigned count)
{
	pthread_barrier_t *b = shared_alloc(sizeof(*b));
	pthread_barrierattr_t attr;

	if (!b)
		return NULL;
	pthread_barrierattr_init(&attr);
	pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(b, &attr, count);
	pthread_barrierattr_destroy(&attr);
	return b;
}

/* Run all readers on one file; true if every reader succeeded. */
static bool measure(const char *path, const struct config *cfg)
{
	struct reader *rs = shared_alloc(MAX_READERS * sizeof(*rs));
	pthread_barrier_t *start = barrier_new((unsigned)cfg->readers + 1);
	uint64_t t0;
	bool ok;

	if (!rs || !start || !setup_readers(rs, cfg, start)) {
		fprintf(stderr, "readloop: out of memory\n");
		exit(1);
	}
	for (int i = 0; i < cfg->readers; i++) {
		rs[i].path = path;
		if (!start_reader(&rs[i])) {
			fprintf(stderr, "readloop: cannot start reader %d: %s\n", i, strerror(errno));
			/* the readers started wait on the barrier: end them too */
			for (int j = 0; j < i && cfg->processes; j++)
				kill(rs[j].pid, SIGKILL);
			exit(1);
		}
	}
	pthread_barrier_wait(start);
	t0 = now_ns();
	for (int i = 0; i < cfg->readers; i++)
		join_reader(&rs[i]);
	ok = report(path, rs, cfg->readers, (double)(now_ns() - t0) / 1e9);
	free_readers(rs, cfg->readers);
	pthread_barrier_destroy(start);
	munmap(start, sizeof(*start));
	munmap(rs, MAX_READERS * sizeof(*rs));
	return ok;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: readloop [-t SECONDS] [-j READERS] [-b BYTES] [-p] FILE...\n"
		     "  -t SECONDS  how long to read each file (default 3)\n"
		     "  -j READERS  concurrent readers (default 1, max %d)\n"
		     "  -b BYTES    read buffer size (default %d)\n"
		     "  -p          readers are processes, not threads\n",
		MAX_READERS, DEFAULT_BYTES);
}

static bool parse_number(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_options(int argc, char **argv, struct config *cfg)
{
	double v;
	int c;

	while ((c = getopt(argc, argv, "t:j:b:ph")) != -1) {
		switch (c) {
		case 't':
			if (!parse_number(optarg, 0.01, 3600, &cfg->seconds))
				goto bad;
			break;
		case 'j':
			if (!parse_number(optarg, 1, MAX_READERS, &v))
				goto bad;
			cfg->readers = (int)v;
			break;
		case 'b':
			if (!parse_number(optarg, 1, 64 << 20, &v))
				goto bad;
			cfg->bytes = (size_t)v;
			break;
		case 'p': cfg->processes = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc)
		return optind;
	usage(stderr);
	return -1;
bad:
	fprintf(stderr, "readloop: bad value for -%c: '%s'\n", c, optarg);
	return -1;
}

int main(int argc, char **argv)
{
	struct config cfg = { .seconds = 3, .readers = 1, .bytes = DEFAULT_BYTES };
	int first = parse_options(argc, argv, &cfg);
	int ret = 0;

	if (first < 0)
		return 2;
	for (int i = first; i < argc; i++)
		if (!measure(argv[i], &cfg))
			ret = 1;
	return ret;
}
