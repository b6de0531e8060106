// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/memmap-probe: how fast a device-DAX character device maps, for
 * bench/guest/memmap.sh (pmemctl's /dev/pmemctl-daxR.N and libnvdimm's
 * /dev/daxX.Y alike).
 *
 *   memmap-probe DEV LEN ALIGN ROUNDS [OFF]
 *   memmap-probe hold DEV OFF LEN READY
 *
 * Each round maps LEN bytes of DEV at offset OFF (default 0) MAP_SHARED at
 * an address aligned to ALIGN (a fresh mapping: no page-table entry yet;
 * with OFF the caller can give every round's turn a range never mapped
 * before, which an ondemand namespace needs for its struct pages to be
 * made by the touch), writes one byte per
 * 2 MiB and times that (the first-touch faults), counts the minor faults
 * it took (getrusage), then copies LEN bytes into the mapping with
 * memcpy() from an anonymous buffer faulted in beforehand and times that
 * (every page is mapped by then). While that mapping stays, it maps the
 * same range a second time and times one write per 2 MiB into it the
 * same way, with its faults: the steady-state fault, on a range whose
 * struct pages exist (an ondemand namespace keeps a chunk's as long as
 * any mapping of it does, so these faults make nothing). It unmaps the
 * second mapping, then the first. It prints a line per round,
 *   round I faults N touch_us T fault_us_per_2m F memcpy_GBps G
 *     steady_faults N steady_us_per_2m S
 * (one line) and then the best of the rounds (fewest faults, fastest
 * touch, fastest copy, fewest and fastest steady-state faults):
 *   best faults N fault_us_per_2m F memcpy_GBps G steady_faults N
 *     steady_us_per_2m S
 * (one line; the steady-state keys come last, so that a reader of the
 * others by position, as bench/guest/memmap.sh is, still finds them).
 * GB are 10^9 bytes.
 *
 * hold maps LEN bytes of DEV at offset OFF (2 MiB-aligned address), writes
 * a byte into every 4 KiB page, creates the file READY and waits for
 * SIGUSR1, then unmaps and exits: the holder whose memmap cost
 * bench/guest/memmap.sh measures on an ondemand namespace.
 *
 * Exit status 0, or 2 for a usage or set-up error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define STEP	(2UL << 20)	/* one touch per 2 MiB */
#define CHUNK	(32UL << 20)	/* the memcpy source, copied LEN / CHUNK times */

static void die(const char *what)
{
	fprintf(stderr, "memmap-probe: %s: %s\n", what, strerror(errno));
	exit(2);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

/*
 * A MAP_SHARED mapping of @len bytes of @fd at an @align-aligned address:
 * reserve @len + @align of address space, then map over its aligned part
 * with MAP_FIXED. The slack stays reserved (PROT_NONE) until unmap_all().
 */
static char *map_at_align(int fd, size_t len, size_t align, off_t off, char **resv)
{
	uintptr_t at;
	void *map;

	*resv = mmap(NULL, len + align, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (*resv == MAP_FAILED)
		die("reserve address space");
	at = ((uintptr_t)*resv + align - 1) & ~(uintptr_t)(align - 1);
	map = mmap((void *)at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		   fd, off);
	if (map == MAP_FAILED)
		die("mmap MAP_SHARED");
	return map;
}

static void unmap_all(char *resv, size_t len, size_t align)
{
	if (munmap(resv, len + align))
		die("munmap");
}

/* Not inlined, so that the compiler cannot fold the touches away. */
__attribute__((noinline))
static void touch(char *map, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += STEP)
		((volatile char *)map)[off] = (char)off;
}

/*
 * touch() timed, in microseconds, with the minor faults it took in
 * *@faults. The clock is read inside the count: its code and vDSO pages
 * are faulted before the rounds, so every fault counted is the touch's.
 */
static double timed_touch(char *map, size_t len, long *faults)
{
	double t;

	*faults = minor_faults();
	t = now_us();
	touch(map, len);
	t = now_us() - t;
	*faults = minor_faults() - *faults;
	return t;
}

static unsigned long long num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "memmap-probe: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

static int hold(const char *dev, off_t off, size_t len, const char *ready)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t block, old;
	char *map, *resv;
	size_t i;
	int fd;

	if (!len || len % STEP || off % STEP) {
		fprintf(stderr, "memmap-probe hold: OFF and LEN must be multiples of 2 MiB\n");
		return 2;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &block, &old) || sigaction(SIGUSR1, &sa, NULL))
		die("SIGUSR1");
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(dev);
	map = map_at_align(fd, len, STEP, off, &resv);
	close(fd);
	for (i = 0; i < len; i += 4096)
		((volatile char *)map)[i] = (char)i;
	fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(ready);
	close(fd);
	while (!usr1)
		sigsuspend(&old);
	unmap_all(resv, len, STEP);
	return 0;
}

int main(int argc, char **argv)
{
	double t, touch_us, copy_us, steady_us;
	double best_touch = 0, best_copy = 0, best_steady = 0;
	long f, sf, best_faults = -1, best_sfaults = -1;
	size_t len, align, off, steps;
	unsigned long rounds, r;
	char *src, *map, *resv, *map2, *resv2;
	off_t at = 0;
	int fd;

	if (argc == 6 && !strcmp(argv[1], "hold"))
		return hold(argv[2], num(argv[3]), num(argv[4]), argv[5]);
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: memmap-probe DEV LEN ALIGN ROUNDS [OFF]\n"
			"       memmap-probe hold DEV OFF LEN READY\n");
		return 2;
	}
	if (argc == 6)
		at = num(argv[5]);
	len = num(argv[2]);
	align = num(argv[3]);
	rounds = num(argv[4]);
	if (!len || len % CHUNK || len % STEP || !align || (align & (align - 1)) ||
	    len % align || at % align || !rounds) {
		fprintf(stderr, "memmap-probe: LEN must be a multiple of 32 MiB and of ALIGN, a power of two, and OFF of ALIGN; ROUNDS at least 1\n");
		return 2;
	}
	steps = len / STEP;
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(argv[1]);
	src = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		die("source buffer");
	/* the first call of each faults its code or vDSO page: not in a round */
	touch(src, CHUNK);
	now_us();
	minor_faults();
	memset(src, 0x5a, CHUNK);

	for (r = 1; r <= rounds; r++) {
		map = map_at_align(fd, len, align, at, &resv);
		touch_us = timed_touch(map, len, &f);
		t = now_us();
		for (off = 0; off < len; off += CHUNK)
			memcpy(map + off, src, CHUNK);
		copy_us = now_us() - t;
		/*
		 * The first mapping holds the range's struct pages (an ondemand
		 * chunk stays while any mapping of it does): a second mapping
		 * has no page-table entry, so its touches fault, but make nothing.
		 */
		map2 = map_at_align(fd, len, align, at, &resv2);
		steady_us = timed_touch(map2, len, &sf);
		unmap_all(resv2, len, align);
		unmap_all(resv, len, align);
		printf("round %lu faults %ld touch_us %.1f fault_us_per_2m %.3f memcpy_GBps %.3f steady_faults %ld steady_us_per_2m %.3f\n",
		       r, f, touch_us, touch_us / steps, len / copy_us / 1e3,
		       sf, steady_us / steps);
		if (best_faults < 0 || f < best_faults)
			best_faults = f;
		if (r == 1 || touch_us < best_touch)
			best_touch = touch_us;
		if (r == 1 || copy_us < best_copy)
			best_copy = copy_us;
		if (best_sfaults < 0 || sf < best_sfaults)
			best_sfaults = sf;
		if (r == 1 || steady_us < best_steady)
			best_steady = steady_us;
	}
	printf("best faults %ld fault_us_per_2m %.3f memcpy_GBps %.3f steady_faults %ld steady_us_per_2m %.3f\n",
	       best_faults, best_touch / steps, len / best_copy / 1e3,
	       best_sfaults, best_steady / steps);
	close(fd);
	return 0;
}
