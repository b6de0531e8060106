// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Parsing of the ways a user names a namespace: its device name
 * (namespaceR.N or R.N), its UUID, or its name. Shared by the library
 * (name validation before an ioctl) and the CLI (argument parsing).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "common/util.h"

bool ns_name_valid(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strlen(name);
	if (n == 0 || n > NS_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '.' &&
		    *name != '_' && *name != '-')
			return false;
	return true;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int uuid_from_str(const char *str, unsigned char uuid[UUID_BYTES])
{
	/* Offsets of the dashes in 8-4-4-4-12. */
	static const int dashes[] = { 8, 13, 18, 23 };
	unsigned char out[UUID_BYTES];
	size_t i, d = 0, b = 0;

	if (!str || strlen(str) != UUID_STR_LEN)
		return -EINVAL;
	for (i = 0; i < UUID_STR_LEN; ) {
		int hi, lo;

		if (d < ARRAY_SIZE(dashes) && (int)i == dashes[d]) {
			if (str[i] != '-')
				return -EINVAL;
			d++;
			i++;
			continue;
		}
		hi = hexval((unsigned char)str[i]);
		lo = hexval((unsigned char)str[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[b++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	memcpy(uuid, out, UUID_BYTES);
	return 0;
}

/* By hand, not snprintf: list formats one UUID per namespace listed. */
const char *uuid_to_str(const unsigned char uuid[UUID_BYTES], char *buf)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;
	size_t i;

	for (i = 0; i < UUID_BYTES; i++) {
		/* 8-4-4-4-12: a dash before bytes 4, 6, 8 and 10. */
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[uuid[i] >> 4];
		*p++ = hex[uuid[i] & 0xf];
	}
	*p = '\0';
	return buf;
}

int ns_devname_parse(const char *str, unsigned int *region, unsigned int *id)
{
	char buf[32];
	const char *dot;
	size_t n;

	if (!str)
		return -EINVAL;
	if (strncmp(str, "namespace", strlen("namespace")) == 0)
		str += strlen("namespace");
	dot = strchr(str, '.');
	if (!dot)
		return -EINVAL;
	n = (size_t)(dot - str);
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, str, n);
	buf[n] = '\0';
	if (parse_uint_strict(buf, region) < 0)
		return -EINVAL;
	return parse_uint_strict(dot + 1, id) < 0 ? -EINVAL : 0;
}

int region_arg_parse(const char *str, unsigned int *id)
{
	if (!str)
		return -EINVAL;
	if (strncmp(str, "region", strlen("region")) == 0)
		str += strlen("region");
	return parse_uint_strict(str, id) < 0 ? -EINVAL : 0;
}

int ns_arg_parse(const char *str, struct ns_arg *arg)
{
	memset(arg, 0, sizeof(*arg));
	if (ns_devname_parse(str, &arg->region, &arg->id) == 0) {
		arg->kind = NS_ARG_DEVNAME;
		return 0;
	}
	if (uuid_from_str(str, arg->uuid) == 0) {
		arg->kind = NS_ARG_UUID;
		return 0;
	}
	if (ns_name_valid(str)) {
		arg->kind = NS_ARG_NAME;
		arg->name = str;
		return 0;
	}
	return -EINVAL;
}
