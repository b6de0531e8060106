// SPDX-License-Identifier: GPL-2.0-or-later
/* The boot owner of the legacy ranges: see owner.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/owner.h"

/* What the file holds for pmemctl; anything else is not ours. */
static const char owner_conf_pmemctl[] =
	"# Written by \"pmemctl set-owner pmemctl\"; change it with\n"
	"# \"pmemctl set-owner libnvdimm\", not by hand (pmemctl-set-owner(1)).\n"
	"# pmemctl, not libnvdimm's nd_e820, drives the legacy persistent memory\n"
	"# ranges (e820 type 12, memmap=nn!ss): udev loads pmemctl for the\n"
	"# e820_pmem device, in the initramfs and after it.\n"
	"alias platform:e820_pmem pmemctl\n"
	"blacklist nd_e820\n";

const char *const owner_modprobe_dirs[] = {
	"/etc/modprobe.d",
	"/run/modprobe.d",
	"/usr/local/lib/modprobe.d",
	"/usr/lib/modprobe.d",
	"/lib/modprobe.d",
	NULL,
};

const char *owner_name(enum owner owner)
{
	return owner == OWNER_PMEMCTL ? "pmemctl" : "libnvdimm";
}

int owner_parse(const char *s, enum owner *owner)
{
	if (strcmp(s, "pmemctl") == 0)
		*owner = OWNER_PMEMCTL;
	else if (strcmp(s, "libnvdimm") == 0)
		*owner = OWNER_LIBNVDIMM;
	else
		return -EINVAL;
	return 0;
}

int owner_read_conf(const char *conf, enum owner *owner)
{
	char buf[sizeof(owner_conf_pmemctl) + 1];
	size_t n;
	FILE *f;
	int err;

	f = fopen(conf, "re");
	if (!f) {
		if (errno != ENOENT)
			return -errno;
		*owner = OWNER_LIBNVDIMM;
		return 0;
	}
	n = fread(buf, 1, sizeof(buf), f);
	err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (err)
		return err;
	if (n != sizeof(owner_conf_pmemctl) - 1 ||
	    memcmp(buf, owner_conf_pmemctl, n) != 0)
		return -EUCLEAN;
	*owner = OWNER_PMEMCTL;
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char copy[PATH_MAX];
	int fd, err = 0;

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return -ENAMETOOLONG;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int owner_write_conf(const char *conf, enum owner owner)
{
	char tmp[PATH_MAX];
	int fd, err;

	if (owner == OWNER_LIBNVDIMM) {
		if (unlink(conf) < 0)
			return errno == ENOENT ? 0 : -errno;
		return fsync_dir_of(conf);
	}

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", conf) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	/* modprobe reads only *.conf, so a leftover .tmp is never read. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = write_all(fd, owner_conf_pmemctl, sizeof(owner_conf_pmemctl) - 1);
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, conf) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return fsync_dir_of(conf);
}

int owner_bound(const char *device, char *buf, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *driver;
	ssize_t n;

	if (access(device, F_OK) < 0)
		return -errno;
	if (snprintf(path, sizeof(path), "%s/driver", device) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		if (errno != ENOENT)
			return -errno;
		driver = "none";
	} else {
		target[n] = '\0';
		driver = strrchr(target, '/');
		driver = driver ? driver + 1 : target;
		/* the platform drivers' names: pmemctl's and nd_e820's */
		if (strcmp(driver, "pmemctl_e820") == 0)
			driver = "pmemctl";
		else if (strcmp(driver, "e820_pmem") == 0)
			driver = "libnvdimm";
	}
	if (snprintf(buf, len, "%s", driver) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int is_conf_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

/* Does @word name one of the modules or the device? */
static int names_owner(const char *word)
{
	static const char *const names[] = {
		"nd_e820", "nd-e820", "pmemctl", "platform:e820_pmem",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(word, names[i]) == 0)
			return 1;
	/* an alias pattern that could match the device */
	return strncmp(word, "platform:", 9) == 0 && strpbrk(word, "*?[") != NULL;
}

/* blacklist/alias/install/remove/softdep lines naming nd_e820 or pmemctl */
static int line_decides_owner(char *text)
{
	static const char *const verbs[] = {
		"blacklist", "alias", "install", "remove", "softdep",
	};
	char *save = NULL, *word;
	size_t i;
	int verb = 0;

	word = strtok_r(text, " \t\n", &save);
	if (!word)
		return 0;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(word, verbs[i]) == 0)
			verb = 1;
	if (!verb)
		return 0;
	while ((word = strtok_r(NULL, " \t\n", &save)))
		if (names_owner(word))
			return 1;
	return 0;
}

static int scan_file(const char *file, owner_line_fn fn, void *arg)
{
	char line[1024], copy[1024];
	unsigned int no = 0;
	FILE *f;
	int ret = 0;

	f = fopen(file, "re");
	if (!f)
		return 0;
	while (!ret && fgets(line, sizeof(line), f)) {
		no++;
		line[strcspn(line, "\n")] = '\0';
		memcpy(copy, line, sizeof(copy));
		if (line_decides_owner(copy))
			ret = fn(file, no, line, arg);
	}
	fclose(f);
	return ret;
}

int owner_other_config(const char *const dirs[], const char *conf,
		       owner_line_fn fn, void *arg)
{
	char file[PATH_MAX], real_conf[PATH_MAX], real_file[PATH_MAX];
	char real_dir[PATH_MAX], seen[8][PATH_MAX];
	struct dirent **names;
	int i, n, ret = 0;
	size_t d, s, nseen = 0;

	if (!realpath(conf, real_conf))
		real_conf[0] = '\0';
	for (d = 0; dirs[d] && !ret; d++) {
		/* merged /usr: /lib/modprobe.d is /usr/lib/modprobe.d */
		if (!realpath(dirs[d], real_dir))
			continue;
		for (s = 0; s < nseen && strcmp(seen[s], real_dir); s++)
			;
		if (s < nseen)
			continue;
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			memcpy(seen[nseen++], real_dir, sizeof(real_dir));
		n = scandir(dirs[d], &names, NULL, alphasort);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!ret && is_conf_name(names[i]->d_name) &&
			    snprintf(file, sizeof(file), "%s/%s", dirs[d],
				     names[i]->d_name) < (int)sizeof(file) &&
			    !(realpath(file, real_file) &&
			      strcmp(real_file, real_conf) == 0))
				ret = scan_file(file, fn, arg);
			free(names[i]);
		}
		free(names);
	}
	return ret;
}
