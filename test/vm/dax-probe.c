// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a mapping of a file can be used for, checked from userspace, for
 * the DAX VM test (test/vm/tests/ns-dax.sh):
 *
 *   dax-probe FILE DEVICE [OFFSET]
 *
 * FILE is created (or truncated) on the filesystem under test and filled
 * with 0xa5 through write(2): PROBE_LEN (2 MiB) of data and one more page
 * for a futex word. DEVICE is another block device whose content is the
 * pattern of run-test's "# vm-disk:" (the 64-bit little-endian word at
 * byte offset N holds N ^ 0x6469736b70617474); OFFSET (default 1 MiB, a
 * multiple of 4096) is where the probe reads it. One line per check:
 *
 *   statx     whether the kernel says the file is DAX (STATX_ATTR_DAX);
 *   map_sync  mmap(MAP_SHARED_VALIDATE | MAP_SYNC). On a DAX file of a
 *             synchronous dax_device this succeeds; on any other file the
 *             documented failure is EOPNOTSUPP, and the checks below then
 *             use a plain MAP_SHARED mapping;
 *   odirect   an O_DIRECT read of PROBE_LEN bytes of DEVICE with the
 *             mapping as the buffer (the block layer pins the mapped pages:
 *             on DAX that needs struct pages for the pmem itself), and the
 *             bytes in the mapping are the pattern;
 *   read      read(2) of FILE sees the same bytes (the mapping is the file);
 *   futex     a child (fork) FUTEX_WAITs on a word of the MAP_SHARED
 *             mapping with the shared (non-private) op, which keys the
 *             futex on the file's page; once the child is asleep in the
 *             kernel the parent stores a value and FUTEX_WAKEs: the wake
 *             must find exactly that waiter, which must see the value,
 *             within FUTEX_TIMEOUT seconds.
 *
 * Exit status:
 *   0  FILE is DAX: MAP_SYNC mapped it and every check passed;
 *   3  FILE is not DAX: MAP_SYNC failed with EOPNOTSUPP, statx does not say
 *      it is DAX, and every other check passed on a MAP_SHARED mapping;
 *   1  a check failed (wrong bytes, a futex not woken, an unexpected
 *      errno, or statx and MAP_SYNC disagreeing about DAX);
 *   2  usage or setup error.
 *
 * What each pmemctl namespace mode should give (the same program reports
 * the documented failure where a mode cannot do it):
 *   page, pfn  ext4/xfs mounted with -o dax: exit 0;
 *   raw        no DAX mount is possible; on a normal mount: exit 3 (the
 *              page cache backs the mapping, so O_DIRECT and futexes work,
 *              but MAP_SYNC is refused);
 *   any mode   mounted without -o dax: exit 3.
 * The file keeps the disk's bytes at [0, PROBE_LEN) afterwards, so a test
 * can check that they survive a remount.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define PROBE_LEN	(2UL << 20)
#define PAGE		4096UL
#define MAP_LEN		(PROBE_LEN + PAGE)
#define DISK_MAGIC	0x6469736b70617474ULL
#define FUTEX_VALUE	0x600df00du
#define FUTEX_TIMEOUT	10

enum { EXIT_DAX = 0, EXIT_FAIL = 1, EXIT_SETUP = 2, EXIT_NOT_DAX = 3 };

/* Child exit codes, told apart by the parent. */
enum { CHILD_WOKEN = 0, CHILD_TIMEOUT = 10, CHILD_NO_WAIT, CHILD_WRONG_VALUE,
       CHILD_ERRNO };

static long futex(uint32_t *word, int op, uint32_t val,
		  const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Index of the first word of @buf that is not the disk pattern, or -1. */
static long pattern_mismatch(const unsigned char *buf, size_t len, uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t want = (off + i) ^ DISK_MAGIC, got;
		unsigned char le[8];
		int b;

		for (b = 0; b < 8; b++)
			le[b] = (unsigned char)(want >> (8 * b));
		if (memcmp(buf + i, le, 8)) {
			memcpy(&got, buf + i, 8);
			fprintf(stderr, "dax-probe: word at +%zu is %#" PRIx64 ", want %#" PRIx64 " (little-endian)\n",
				i, got, want);
			return (long)i;
		}
	}
	return -1;
}

/* The waiter: sleep on @word until the parent stores FUTEX_VALUE. */
static void child_wait(uint32_t *word)
{
	double deadline = now() + FUTEX_TIMEOUT;
	int woken = 0;

	while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == 0) {
		double left = deadline - now();
		struct timespec ts;

		if (left <= 0)
			_exit(CHILD_TIMEOUT);
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (futex(word, FUTEX_WAIT, 0, &ts) == 0) {
			woken = 1;
			continue;	/* a spurious wake leaves the word 0 */
		}
		if (errno == ETIMEDOUT)
			_exit(CHILD_TIMEOUT);
		if (errno != EAGAIN && errno != EINTR)
			_exit(CHILD_ERRNO);
	}
	if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != FUTEX_VALUE)
		_exit(CHILD_WRONG_VALUE);
	_exit(woken ? CHILD_WOKEN : CHILD_NO_WAIT);
}

/*
 * Is @pid asleep in futex(2)? /proc/PID/syscall names the system call a
 * blocked task is in; where it cannot be read, a sleeping state is taken
 * as the answer (the child does nothing else that sleeps).
 */
static int asleep_in_futex(pid_t pid)
{
	char path[64], buf[256], state = 0;
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');

		if (p && p[1] == ' ')
			state = p[2];
	}
	fclose(f);
	if (state != 'S')
		return 0;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%ld", &nr) != 1)
		nr = SYS_futex;
	fclose(f);
	return nr == SYS_futex;
}

static int check_futex(uint32_t *word)
{
	double deadline;
	int status = 0;
	long woke;
	pid_t pid;

	__atomic_store_n(word, 0, __ATOMIC_SEQ_CST);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("futex: FAIL: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_wait(word);

	deadline = now() + FUTEX_TIMEOUT;
	while (!asleep_in_futex(pid) && now() < deadline)
		sleep_ms(1);
	if (!asleep_in_futex(pid)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		printf("futex: FAIL: the waiter never went to sleep in futex(2)\n");
		return -1;
	}
	__atomic_store_n(word, FUTEX_VALUE, __ATOMIC_SEQ_CST);
	woke = futex(word, FUTEX_WAKE, 1, NULL);
	if (woke < 0)
		printf("futex: FAIL: FUTEX_WAKE: %s\n", strerror(errno));

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now() > deadline + FUTEX_TIMEOUT) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		sleep_ms(5);
	}
	if (woke < 0)
		return -1;
	if (!WIFEXITED(status)) {
		printf("futex: FAIL: the waiter did not exit (killed after %d s)\n",
		       2 * FUTEX_TIMEOUT);
		return -1;
	}
	switch (WEXITSTATUS(status)) {
	case CHILD_WOKEN:
		if (woke != 1)
			break;
		printf("futex: ok: FUTEX_WAKE woke %ld waiter, which saw %#x\n",
		       woke, FUTEX_VALUE);
		return 0;
	case CHILD_TIMEOUT:
		printf("futex: FAIL: the waiter was not woken within %d s (FUTEX_WAKE woke %ld)\n",
		       FUTEX_TIMEOUT, woke);
		return -1;
	case CHILD_NO_WAIT:
		printf("futex: FAIL: the waiter saw the value without being woken\n");
		return -1;
	case CHILD_WRONG_VALUE:
		printf("futex: FAIL: the waiter woke to a wrong value\n");
		return -1;
	case CHILD_ERRNO:
		printf("futex: FAIL: FUTEX_WAIT failed in the waiter\n");
		return -1;
	}
	printf("futex: FAIL: waiter exit %d, FUTEX_WAKE woke %ld\n",
	       WEXITSTATUS(status), woke);
	return -1;
}

/* The file: MAP_LEN bytes of 0xa5 on the media, allocated by write(2). */
static int make_file(const char *path)
{
	static unsigned char fill[PAGE];
	size_t off;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "dax-probe: %s: %s\n", path, strerror(errno));
		return -1;
	}
	memset(fill, 0xa5, sizeof(fill));
	for (off = 0; off < MAP_LEN; off += PAGE) {
		if (pwrite(fd, fill, PAGE, (off_t)off) != (ssize_t)PAGE) {
			fprintf(stderr, "dax-probe: write %s: %s\n", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (fsync(fd)) {
		fprintf(stderr, "dax-probe: fsync %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	int fd, dev, is_dax = -1, map_sync, failed = 0;
	unsigned char *map, *copy;
	unsigned long long off = 1 << 20;
	struct statx stx;
	ssize_t n;
	long bad;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: dax-probe FILE DEVICE [OFFSET]\n");
		return EXIT_SETUP;
	}
	if (argc == 4)
		off = strtoull(argv[3], NULL, 0);
	if (off % PAGE) {
		fprintf(stderr, "dax-probe: OFFSET must be a multiple of %lu\n", PAGE);
		return EXIT_SETUP;
	}
	fd = make_file(argv[1]);
	if (fd < 0)
		return EXIT_SETUP;
	dev = open(argv[2], O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "dax-probe: %s: %s\n", argv[2], strerror(errno));
		return EXIT_SETUP;
	}

	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx)) {
		printf("statx: FAIL: %s\n", strerror(errno));
		failed = 1;
	} else if (!(stx.stx_attributes_mask & STATX_ATTR_DAX)) {
		printf("statx: unknown: the kernel does not report STATX_ATTR_DAX\n");
	} else {
		is_dax = !!(stx.stx_attributes & STATX_ATTR_DAX);
		printf("statx: %s\n", is_dax ? "dax" : "not dax");
	}

	map = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE,
		   MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
	if (map != MAP_FAILED) {
		map_sync = 1;
		printf("map_sync: ok\n");
	} else if (errno == EOPNOTSUPP) {
		map_sync = 0;
		printf("map_sync: EOPNOTSUPP: not a DAX file (the documented failure);"
		       " the checks below use MAP_SHARED\n");
		map = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			printf("mmap: FAIL: MAP_SHARED: %s\n", strerror(errno));
			return EXIT_FAIL;
		}
	} else {
		printf("map_sync: FAIL: %s (want success, or EOPNOTSUPP on a file that is not DAX)\n",
		       strerror(errno));
		return EXIT_FAIL;
	}
	if (is_dax >= 0 && is_dax != map_sync) {
		printf("map_sync: FAIL: statx says %s but MAP_SYNC %s\n",
		       is_dax ? "dax" : "not dax", map_sync ? "worked" : "was refused");
		failed = 1;
	}

	if (map[0] != 0xa5 || map[MAP_LEN - 1] != 0xa5) {
		printf("mmap: FAIL: the mapping does not show the file's bytes\n");
		failed = 1;
	}
	n = pread(dev, map, PROBE_LEN, (off_t)off);
	if (n != (ssize_t)PROBE_LEN) {
		printf("odirect: FAIL: read %s into the mapping: %s\n", argv[2],
		       n < 0 ? strerror(errno) : "short read");
		failed = 1;
	} else if ((bad = pattern_mismatch(map, PROBE_LEN, off)) >= 0) {
		printf("odirect: FAIL: wrong bytes at +%ld of the mapping\n", bad);
		failed = 1;
	} else {
		printf("odirect: ok: %lu bytes of %s at %llu read into the mapping, pattern right\n",
		       PROBE_LEN, argv[2], off);

		copy = malloc(PROBE_LEN);
		if (!copy)
			return EXIT_SETUP;
		n = pread(fd, copy, PROBE_LEN, 0);
		if (n != (ssize_t)PROBE_LEN || memcmp(copy, map, PROBE_LEN)) {
			printf("read: FAIL: read(2) of the file does not see the mapping's bytes\n");
			failed = 1;
		} else {
			printf("read: ok: read(2) of the file sees the same bytes\n");
		}
		free(copy);
	}

	if (check_futex((uint32_t *)(map + PROBE_LEN)))
		failed = 1;

	if (munmap(map, MAP_LEN) || fsync(fd) || close(fd)) {
		printf("close: FAIL: %s\n", strerror(errno));
		failed = 1;
	}
	close(dev);
	if (failed) {
		printf("result: FAIL (exit %d)\n", EXIT_FAIL);
		return EXIT_FAIL;
	}
	printf("result: %s (exit %d)\n", map_sync ? "dax" : "not dax",
	       map_sync ? EXIT_DAX : EXIT_NOT_DAX);
	return map_sync ? EXIT_DAX : EXIT_NOT_DAX;
}
