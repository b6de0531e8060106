// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Keep references to the pages of a DAX file after the file is closed and
 * unmapped, the way a user can without any privilege, for the pinned-page
 * VM test (test/vm/tests/ns-held-pages.sh):
 *
 *   hold-pages vmsplice FILE LEN READY
 *       FILE (created, LEN bytes, LEN a multiple of 4096 and at most the
 *       pipe's capacity) is filled through write(2) with the pattern below,
 *       mapped MAP_SHARED, and LEN bytes of the mapping are vmsplice()d
 *       into a pipe: the pipe now holds a reference to every page. The
 *       mapping is unmapped and FILE closed, READY is created, and the
 *       program waits for SIGUSR1; then it drains the pipe and checks that
 *       the bytes are still the pattern.
 *
 *   hold-pages odirect FILE DEVICE LEN READY
 *       FILE is filled with 0xa5 and mapped; one asynchronous O_DIRECT read
 *       (io_submit) of LEN bytes from offset 0 of DEVICE (a slow device, so
 *       the I/O stays in flight until the test lets it go) targets the
 *       mapping: the block layer pins
 *       its pages. The mapping is unmapped and FILE closed, READY is
 *       created, and the program waits for the read to complete and checks
 *       it read LEN bytes. The data is in FILE afterwards.
 *
 * Pattern: byte i of the file is (i * 7 + 3) & 0xff.
 * Exit status: 0 done and checked, 1 a check failed, 2 usage or setup.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "hold-pages: %s: %s\n", what, strerror(errno));
	exit(2);
}

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + 3);
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die(path);
	close(fd);
}

/* FILE with LEN bytes of @fill (or the pattern when @fill < 0), mapped. */
static void *map_file(const char *path, size_t len, int fill)
{
	unsigned char *buf = malloc(len);
	void *map;
	size_t i;
	int fd;

	if (!buf)
		die("malloc");
	for (i = 0; i < len; i++)
		buf[i] = fill < 0 ? pattern(i) : (unsigned char)fill;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	if (pwrite(fd, buf, len, 0) != (ssize_t)len)
		die("pwrite");
	if (fsync(fd))
		die("fsync");
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	close(fd);	/* the mapping keeps the file until munmap */
	free(buf);
	return map;
}

static int cmd_vmsplice(const char *path, size_t len, const char *ready)
{
	unsigned char *map = map_file(path, len, -1);
	unsigned char *back = malloc(len);
	size_t done = 0, i;
	sigset_t set;
	int p[2], sig;

	if (!back || pipe(p))
		die("pipe");
	if (fcntl(p[1], F_SETPIPE_SZ, (int)len) < (int)len)
		die("F_SETPIPE_SZ");
	while (done < len) {
		struct iovec iov = { map + done, len - done };
		ssize_t n = vmsplice(p[1], &iov, 1, 0);

		if (n <= 0)
			die("vmsplice");
		done += n;
	}
	if (munmap(map, len))
		die("munmap");

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		die("sigprocmask");
	touch(ready);
	if (sigwait(&set, &sig))
		die("sigwait");

	for (done = 0; done < len;) {
		ssize_t n = read(p[0], back + done, len - done);

		if (n <= 0)
			die("read pipe");
		done += n;
	}
	for (i = 0; i < len; i++) {
		if (back[i] != pattern(i)) {
			fprintf(stderr, "hold-pages: byte %zu is %#x, expected %#x\n",
				i, back[i], pattern(i));
			return 1;
		}
	}
	printf("vmsplice: %zu bytes held and read back intact\n", len);
	return 0;
}

static long sys_io_setup(unsigned int nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}

static int cmd_odirect(const char *path, const char *dev, size_t len,
		       const char *ready)
{
	unsigned char *map = map_file(path, len, 0xa5);
	struct iocb cb = { 0 }, *cbs[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	int fd;

	fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		die(dev);
	if (sys_io_setup(1, &ctx))
		die("io_setup");
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_buf = (uintptr_t)map;
	cb.aio_nbytes = len;
	cb.aio_offset = 0;
	if (syscall(SYS_io_submit, ctx, 1, cbs) != 1)
		die("io_submit");
	if (munmap(map, len))
		die("munmap");
	touch(ready);

	if (syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL) != 1)
		die("io_getevents");
	if (ev.res != (long long)len) {
		fprintf(stderr, "hold-pages: O_DIRECT read returned %lld, expected %zu\n",
			(long long)ev.res, len);
		return 1;
	}
	printf("odirect: %zu bytes read into the unmapped pages\n", len);
	return 0;
}

static size_t parse_len(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*end || !v || v % 4096) {
		fprintf(stderr, "hold-pages: bad length %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "vmsplice"))
		return cmd_vmsplice(argv[2], parse_len(argv[3]), argv[4]);
	if (argc == 6 && !strcmp(argv[1], "odirect"))
		return cmd_odirect(argv[2], argv[3], parse_len(argv[4]), argv[5]);
	fprintf(stderr, "usage: hold-pages vmsplice FILE LEN READY\n"
			"       hold-pages odirect FILE DEVICE LEN READY\n");
	return 2;
}
