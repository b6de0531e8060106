// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a mapping of a pmemctl device-DAX character device can do, for
 * test/vm/tests/ns-devdax.sh. DEV is /dev/pmemctl-daxR.N, LEN and ALIGN
 * are bytes (LEN a multiple of ALIGN), SEED any number.
 *
 *   devdax-probe faults DEV LEN SEED
 *       map LEN bytes MAP_SHARED, write one 64-bit word (the pattern) at
 *       the start of every 4 KiB page, read them all back; print
 *       "faults N" with the minor faults that took (getrusage).
 *   devdax-probe check DEV LEN SEED
 *       map and check the words "faults" wrote (they survived).
 *   devdax-probe reject DEV ALIGN
 *       every mapping the device must refuse is refused with EINVAL:
 *       MAP_PRIVATE, an offset, a length and an address that are not
 *       multiples of ALIGN (skipped when ALIGN is 4 KiB); MAP_SYNC is
 *       accepted (MAP_SHARED_VALIDATE).
 *   devdax-probe odirect DEV DISK LEN
 *       map 2 MiB (LEN at most that); an O_DIRECT read of LEN bytes of DISK (the VM scratch disk, whose
 *       word at byte N is N ^ "diskpatt") into the mapping, checked.
 *   devdax-probe share DEV ALIGN
 *       a forked child sees what the parent wrote and the parent what the
 *       child wrote; then a child FUTEX_WAITs on a word of the mapping and
 *       the parent's FUTEX_WAKE through its own mapping wakes it.
 *   devdax-probe holdmap DEV LEN READY
 *       map LEN bytes, close DEV (the mapping alone keeps it), create
 *       READY and wait for SIGUSR1, then unmap.
 *   devdax-probe vmsplice DEV LEN READY
 *       map 2 MiB, write a pattern into the first LEN bytes (at most a
 *       pipe's capacity), vmsplice() them into a pipe, unmap and close: the pipe
 *       holds the pages. Create READY, wait for SIGUSR1, drain the pipe
 *       and check the bytes.
 *   devdax-probe touchmap DEV OFF LEN READY
 *       map LEN bytes at offset OFF, write a word into every 4 KiB page,
 *       create READY and wait for SIGUSR1, then unmap.
 *   devdax-probe race DEV LEN ALIGN ROUNDS
 *       two processes, on CPUs 0 and 1 where there are two, map the same
 *       LEN bytes at the same moment each round and first-touch every
 *       page together (each writes its own word of every page), check
 *       each other's words, and unmap; then one process touches a
 *       mapping while a second thread replaces it ROUNDS times with
 *       MAP_FIXED mappings of the same range (each replacement unmaps
 *       the old one under the faults), and the words are checked after.
 *       ALIGN is the device's.
 *   devdax-probe dump DEV OFF LEN
 *       map the 2 MiB-rounded range at OFF (a multiple of 2 MiB) and
 *       write its first LEN bytes to stdout, for comparing what another
 *       program (QEMU) saw or wrote there.
 *
 * Exit status: 0 done and checked, 1 a check failed, 2 usage or setup.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif

#define PAGE		4096UL
#define DISK_MAGIC	0x6469736b70617474ULL	/* "diskpatt" */

static int die(const char *what)
{
	fprintf(stderr, "devdax-probe: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* A check failed: what, and two numbers that say where and what. */
static int failed(const char *what, unsigned long long a, unsigned long long b)
{
	printf("FAIL: %s (%#llx, %#llx)\n", what, a, b);
	exit(1);
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*end) {
		fprintf(stderr, "devdax-probe: bad number %s\n", s);
		exit(2);
	}
	return v;
}

static int open_dev(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die(dev);
	return fd;
}

/*
 * Map @len bytes of @fd at an address aligned to @align, whatever the
 * kernel's placement: reserve len + align of address space, then map
 * MAP_FIXED at the aligned address inside it.
 */
static void *map_aligned(int fd, size_t len, size_t align, int flags,
			 off_t off)
{
	char *res, *at;

	res = mmap(NULL, len + align, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED)
		die("reserve address space");
	at = (char *)(((uintptr_t)res + align - 1) & ~(uintptr_t)(align - 1));
	if (at > res)
		munmap(res, at - res);
	munmap(at + len, res + len + align - (at + len));
	return mmap(at, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, off);
}

static uint64_t word(unsigned long long seed, size_t page)
{
	return (seed * 0x9e3779b97f4a7c15ULL) ^ (page * 0x100000001b3ULL) ^ page;
}

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

/*
 * Write (@write) and check one word per 4 KiB page. Not instrumented by
 * AddressSanitizer: its shadow of the mapping would fault once per 32 KiB
 * touched and count as the mapping's own faults. Returns the first bad
 * page, or SIZE_MAX.
 */
__attribute__((noinline, no_sanitize_address))
static size_t touch_pages(char *map, size_t pages, unsigned long long seed,
			  bool write)
{
	volatile uint64_t *p;
	size_t i;

	for (i = 0; write && i < pages; i++) {
		p = (volatile uint64_t *)(map + i * PAGE);
		*p = word(seed, i);
	}
	for (i = 0; i < pages; i++) {
		p = (volatile uint64_t *)(map + i * PAGE);
		if (*p != word(seed, i))
			return i;
	}
	return SIZE_MAX;
}

static int cmd_faults(const char *dev, size_t len, unsigned long long seed,
		      bool write)
{
	int fd = open_dev(dev);
	long before, after;
	size_t bad;
	void *map;

	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap MAP_SHARED");
	before = minflt();
	bad = touch_pages(map, len / PAGE, seed, write);
	after = minflt();
	if (bad != SIZE_MAX)
		failed("page, word", bad, *(uint64_t *)((char *)map + bad * PAGE));
	printf("faults %ld map %p\n", after - before, map);
	munmap(map, len);
	close(fd);
	return 0;
}

static void expect_einval(void *map, size_t len, const char *what)
{
	if (map != MAP_FAILED) {
		munmap(map, len);
		printf("FAIL: %s was mapped\n", what);
		exit(1);
	}
	if (errno != EINVAL) {
		printf("FAIL: %s: %s, expected EINVAL\n", what, strerror(errno));
		exit(1);
	}
	printf("refused: %s\n", what);
}

static int cmd_reject(const char *dev, size_t align)
{
	int fd = open_dev(dev);
	char *res, *at;
	void *map;

	map = map_aligned(fd, align, align, MAP_PRIVATE, 0);
	expect_einval(map, align, "MAP_PRIVATE");
	if (align > PAGE) {
		map = map_aligned(fd, align, align, MAP_SHARED, (off_t)PAGE);
		expect_einval(map, align, "an offset of 4 KiB");
		map = map_aligned(fd, align + PAGE, align, MAP_SHARED, 0);
		expect_einval(map, align + PAGE, "a length of align + 4 KiB");
		/* inside an address range of our own, 4 KiB past an aligned address */
		res = mmap(NULL, 3 * align, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (res == MAP_FAILED)
			die("reserve address space");
		at = (char *)(((uintptr_t)res + align - 1) & ~(uintptr_t)(align - 1));
		map = mmap(at + PAGE, align, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_FIXED, fd, 0);
		expect_einval(map, align, "an address 4 KiB past the align");
		munmap(res, 3 * align);
	}
	map = map_aligned(fd, align, align, MAP_SHARED_VALIDATE | MAP_SYNC, 0);
	if (map == MAP_FAILED) {
		printf("FAIL: MAP_SYNC refused: %s\n", strerror(errno));
		return 1;
	}
	printf("accepted: MAP_SYNC\n");
	munmap(map, align);
	close(fd);
	return 0;
}

static int cmd_odirect(const char *dev, const char *disk, size_t len)
{
	int fd = open_dev(dev), dfd;
	uint64_t *w;
	size_t i;
	void *map;

	map = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || len > (2 << 20))
		die("mmap 2 MiB");
	memset(map, 0x5a, len);
	dfd = open(disk, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (dfd < 0)
		die(disk);
	if (pread(dfd, map, len, 0) != (ssize_t)len)
		die("O_DIRECT pread into the mapping");
	w = map;
	for (i = 0; i < len / 8; i++)
		if (w[i] != ((i * 8) ^ DISK_MAGIC))
			failed("disk offset, word", i * 8, w[i]);
	printf("odirect %zu bytes ok\n", len);
	close(dfd);
	munmap(map, 2 << 20);
	close(fd);
	return 0;
}

static long futex(uint32_t *w, int op, uint32_t val,
		  const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

static int cmd_share(const char *dev, size_t align)
{
	int fd = open_dev(dev), status, i;
	volatile uint32_t *w;
	pid_t pid;
	void *map;

	map = mmap(NULL, align, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	w = map;
	w[0] = 0x12345678;
	w[1] = 0;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		/* the fork's copy of the mapping: same pages */
		if (w[0] != 0x12345678)
			_exit(1);
		w[1] = 0xabcdef;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		failed("fork child: status", (unsigned)status, 0);
	if (w[1] != 0xabcdef)
		failed("the child's write is not seen", w[1], 0);
	printf("fork ok\n");

	w[2] = 0;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		struct timespec ts = { .tv_sec = 60 };
		int fd2 = open_dev(dev);
		uint32_t *c = mmap(NULL, align, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd2, 0);

		/* its own mapping of the device: a shared futex */
		if (c == MAP_FAILED)
			_exit(2);
		c[3] = 1;	/* about to wait */
		if (futex(&c[2], FUTEX_WAIT, 0, &ts) && errno != EAGAIN)
			_exit(1);
		_exit(c[2] == 1 ? 0 : 3);
	}
	for (i = 0; i < 6000 && w[3] != 1; i++)
		usleep(10000);
	usleep(200000);		/* into FUTEX_WAIT */
	w[2] = 1;
	futex((uint32_t *)&w[2], FUTEX_WAKE, 1, NULL);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		failed("futex child: status", (unsigned)status, 0);
	printf("futex ok\n");
	munmap(map, align);
	close(fd);
	return 0;
}

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	go = 1;
}

static void wait_usr1(const char *ready)
{
	sigset_t none;
	int fd;

	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(ready);
	close(fd);
	sigemptyset(&none);
	while (!go)
		sigsuspend(&none);
}

static void catch_usr1(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

static int cmd_holdmap(const char *dev, size_t len, const char *ready)
{
	int fd = open_dev(dev);
	void *map;

	catch_usr1();
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	close(fd);
	*(volatile char *)map = 1;
	wait_usr1(ready);
	munmap(map, len);
	return 0;
}

static int cmd_vmsplice(const char *dev, size_t len, const char *ready)
{
	int fd = open_dev(dev), pfd[2];
	unsigned char *map, *buf;
	struct iovec iov;
	size_t i;
	ssize_t n;

	catch_usr1();
	map = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || len > (2 << 20))
		die("mmap 2 MiB");
	for (i = 0; i < len; i++)
		map[i] = (unsigned char)(i * 7 + 3);
	if (pipe(pfd))
		die("pipe");
	iov.iov_base = map;
	iov.iov_len = len;
	n = vmsplice(pfd[1], &iov, 1, 0);
	if (n != (ssize_t)len)
		die("vmsplice");
	munmap(map, 2 << 20);
	close(fd);
	wait_usr1(ready);

	buf = malloc(len);
	if (!buf)
		die("malloc");
	for (i = 0; i < len; i += n) {
		n = read(pfd[0], buf + i, len - i);
		if (n <= 0)
			die("read pipe");
	}
	for (i = 0; i < len; i++)
		if (buf[i] != (unsigned char)(i * 7 + 3))
			failed("pipe offset, byte", i, buf[i]);
	printf("vmsplice %zu bytes ok\n", len);
	free(buf);
	close(pfd[0]);
	close(pfd[1]);
	return 0;
}

static int cmd_touchmap(const char *dev, off_t off, size_t len,
			const char *ready)
{
	int fd = open_dev(dev);
	char *map;
	size_t bad;

	catch_usr1();
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
	if (map == MAP_FAILED)
		die("mmap");
	close(fd);
	bad = touch_pages(map, len / PAGE, (unsigned long long)off, true);
	if (bad != SIZE_MAX)
		failed("touchmap: word of page", bad, 0);
	wait_usr1(ready);
	munmap(map, len);
	return 0;
}

static void on_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 1) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
}

/* Word @who (0 or 1) of every page, for round @r. */
__attribute__((noinline, no_sanitize_address))
static size_t race_touch(char *map, size_t pages, unsigned int who,
			 unsigned long long r, bool write)
{
	volatile uint64_t *p;
	size_t i;

	for (i = 0; i < pages; i++) {
		p = (volatile uint64_t *)(map + i * PAGE) + who;
		if (write)
			*p = word(r * 2 + who, i);
		else if (*p != word(r * 2 + who, i))
			return i;
	}
	return SIZE_MAX;
}

/* One byte through @wfd, then wait for one from @rfd: both sides meet. */
static void meet(int wfd, int rfd)
{
	char c = 0;

	if (write(wfd, &c, 1) != 1 || read(rfd, &c, 1) != 1)
		die("barrier");
}

struct remapper {
	int fd;
	char *at;
	size_t len;
	unsigned long long rounds;
	volatile bool done;
};

static void *remap_loop(void *arg)
{
	struct remapper *rm = arg;
	unsigned long long i;

	for (i = 0; i < rm->rounds; i++)
		if (mmap(rm->at, rm->len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, rm->fd, 0) == MAP_FAILED)
			die("MAP_FIXED remap");
	rm->done = true;
	return NULL;
}

/* Word 2 of page i % pages is i % pages, until @done; how many writes. */
__attribute__((noinline, no_sanitize_address))
static size_t touch_while(volatile bool *done, char *map, size_t pages)
{
	size_t i = 0;

	while (!*done) {
		*(volatile uint64_t *)(map + (i % pages) * PAGE + 16) = i % pages;
		i++;
	}
	return i;
}

static int cmd_race(const char *dev, size_t len, size_t align,
		    unsigned long long rounds)
{
	int fd = open_dev(dev), to_child[2], to_parent[2], status;
	size_t pages = len / PAGE, bad, touched;
	struct remapper rm;
	unsigned long long r;
	pthread_t thread;
	unsigned int who;
	pid_t child;
	char *map;

	if (pipe(to_child) || pipe(to_parent))
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	who = child == 0;
	on_cpu(who);
	for (r = 0; r < rounds; r++) {
		if (who)
			meet(to_parent[1], to_child[0]);
		else
			meet(to_child[1], to_parent[0]);
		map = map_aligned(fd, len, align, MAP_SHARED, 0);
		if (map == MAP_FAILED)
			die("mmap");
		race_touch(map, pages, who, r, true);
		if (who)
			meet(to_parent[1], to_child[0]);
		else
			meet(to_child[1], to_parent[0]);
		bad = race_touch(map, pages, !who, r, false);
		if (bad != SIZE_MAX)
			failed("race: the other process's word of page", bad, r);
		munmap(map, len);
	}
	if (who)
		exit(0);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		failed("race: the child", 0, (unsigned long long)status);

	map = map_aligned(fd, len, align, MAP_SHARED, 0);
	if (map == MAP_FAILED)
		die("mmap");
	rm = (struct remapper){ .fd = fd, .at = map, .len = len,
				.rounds = rounds };
	if (pthread_create(&thread, NULL, remap_loop, &rm))
		die("pthread_create");
	touched = touch_while(&rm.done, map, pages);
	pthread_join(thread, NULL);
	for (bad = 0; bad < pages && bad < touched; bad++)
		if (*(volatile uint64_t *)(map + bad * PAGE + 16) != bad)
			failed("race: word written under remaps, page", bad,
			       *(volatile uint64_t *)(map + bad * PAGE + 16));
	munmap(map, len);
	printf("race: %llu rounds of two first touches, %llu remaps under %zu writes ok\n",
	       rounds, rounds, touched);
	return 0;
}

static int cmd_dump(const char *dev, off_t off, size_t len)
{
	size_t maplen = (len + (2UL << 20) - 1) & ~((2UL << 20) - 1);
	int fd = open_dev(dev);
	size_t done = 0;
	ssize_t n;
	char *map;

	map = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, off);
	if (map == MAP_FAILED)
		die("mmap MAP_SHARED");
	while (done < len) {
		n = write(STDOUT_FILENO, map + done, len - done);
		if (n <= 0)
			die("write stdout");
		done += n;
	}
	munmap(map, maplen);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "faults"))
		return cmd_faults(argv[2], num(argv[3]), num(argv[4]), true);
	if (argc == 5 && !strcmp(argv[1], "check"))
		return cmd_faults(argv[2], num(argv[3]), num(argv[4]), false);
	if (argc == 4 && !strcmp(argv[1], "reject"))
		return cmd_reject(argv[2], num(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "odirect"))
		return cmd_odirect(argv[2], argv[3], num(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "share"))
		return cmd_share(argv[2], num(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "holdmap"))
		return cmd_holdmap(argv[2], num(argv[3]), argv[4]);
	if (argc == 5 && !strcmp(argv[1], "vmsplice"))
		return cmd_vmsplice(argv[2], num(argv[3]), argv[4]);
	if (argc == 6 && !strcmp(argv[1], "touchmap"))
		return cmd_touchmap(argv[2], (off_t)num(argv[3]), num(argv[4]),
				    argv[5]);
	if (argc == 6 && !strcmp(argv[1], "race"))
		return cmd_race(argv[2], num(argv[3]), num(argv[4]),
				num(argv[5]));
	if (argc == 5 && !strcmp(argv[1], "dump"))
		return cmd_dump(argv[2], (off_t)num(argv[3]), num(argv[4]));
	fprintf(stderr, "usage: see test/vm/devdax-probe.c\n");
	return 2;
}
