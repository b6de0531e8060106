// SPDX-License-Identifier: LGPL-2.1-or-later
/* Byte counts to and from text, IEC (binary) units only. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

static const char *const iec_units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

const char *size_to_human(unsigned long long bytes, char *buf, size_t len)
{
	unsigned long long unit = 1, whole, hundredths;
	unsigned int i = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", bytes);
		return buf;
	}

	/* Largest unit not above the value; EiB is as far as 64 bits go. */
	while (i + 1 < ARRAY_SIZE(iec_units) && bytes / unit >= 1024) {
		unit <<= 10;
		i++;
	}

	/* Round to hundredths, half up; 128-bit so rem * 100 cannot overflow. */
	whole = bytes / unit;
	hundredths = (unsigned long long)
		(((unsigned __int128)(bytes % unit) * 100 + unit / 2) / unit);
	if (hundredths == 100) {
		whole++;
		hundredths = 0;
	}
	/* 1023.995 KiB and up reads better as 1.00 MiB than 1024.00 KiB. */
	if (whole == 1024 && i + 1 < ARRAY_SIZE(iec_units)) {
		whole = 1;
		i++;
	}
	snprintf(buf, len, "%llu.%02llu %s", whole, hundredths, iec_units[i]);
	return buf;
}

static int suffix_shift(const char *s, unsigned int *shift)
{
	static const char letters[] = "KMGTPE";
	const char *p;

	if (*s == '\0') {
		*shift = 0;
		return 0;
	}
	p = strchr(letters, toupper((unsigned char)*s));
	if (!p)
		return -EINVAL;
	*shift = 10 * (unsigned int)(p - letters + 1);
	s++;
	/* K, KB, KiB (any case); nothing else after the letter. */
	if (*s == '\0' || strcasecmp(s, "B") == 0 || strcasecmp(s, "iB") == 0)
		return 0;
	return -EINVAL;
}

int size_parse(const char *str, unsigned long long *bytes)
{
	unsigned long long v;
	unsigned int shift;
	char *end;

	if (!str || !isdigit((unsigned char)str[0]))
		return -EINVAL;

	if (str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
		if (!isxdigit((unsigned char)str[2]))
			return -EINVAL;
		errno = 0;
		v = strtoull(str, &end, 16);
		if (errno)
			return -errno;
		if (*end != '\0')
			return -EINVAL;
		*bytes = v;
		return 0;
	}

	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno)
		return -errno;
	if (suffix_shift(end, &shift) < 0)
		return -EINVAL;
	if (shift && v > (ULLONG_MAX >> shift))
		return -ERANGE;
	*bytes = v << shift;
	return 0;
}

int parse_uint_strict(const char *str, unsigned int *val)
{
	unsigned long v;
	char *end;

	if (!str || !isdigit((unsigned char)str[0]))
		return -EINVAL;
	if (str[0] == '0' && str[1] != '\0')
		return -EINVAL;
	errno = 0;
	v = strtoul(str, &end, 10);
	if (errno)
		return -errno;
	if (*end != '\0')
		return -EINVAL;
	if (v > UINT_MAX)
		return -ERANGE;
	*val = (unsigned int)v;
	return 0;
}
