/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by libpmemctl and the pmemctl CLI. Nothing here is part of
 * the public API: these are internal, hidden symbols.
 */
#ifndef PMEMCTL_COMMON_UTIL_H
#define PMEMCTL_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define _printf_(fmt, args) __attribute__((format(printf, fmt, args)))
#define _must_check_ __attribute__((warn_unused_result))

/* sysfs.c: every function returns 0 or a negative errno. */

/* Read an unsigned decimal attribute, or hexadecimal when it starts with 0x. */
int sysfs_read_ull(const char *path, unsigned long long *val) _must_check_;
/*
 * Attributes with @path relative to the directory @dirfd: reading many
 * attributes of one device this way walks its sysfs path once, not once
 * per attribute (each walk costs, and through /sys/bus it follows a link).
 * A string is NUL-terminated with its trailing newline removed, -EFBIG
 * when it does not fit in len - 1 bytes; an int is signed decimal (e.g.
 * numa_node, which may be -1).
 */
int sysfs_read_str_at(int dirfd, const char *path, char *buf, size_t len) _must_check_;
int sysfs_read_ull_at(int dirfd, const char *path, unsigned long long *val) _must_check_;
int sysfs_read_int_at(int dirfd, const char *path, int *val) _must_check_;
/* 0 when path exists, else the negative errno of access(2). */
int sysfs_exists(const char *path);

/* size.c */

/* Longest string size_to_human() produces, NUL included ("1023.99 KiB"). */
#define SIZE_HUMAN_MAX 24

/*
 * Format a byte count with IEC units and two decimals ("1.00 GiB");
 * counts below 1 KiB are printed as "512 B". Returns buf.
 */
const char *size_to_human(unsigned long long bytes, char *buf, size_t len);

/*
 * Parse a size: decimal digits with an optional binary suffix (K, M, G, T,
 * P, E, also spelt KiB, MiB, ... or KB, MB, ..., case-insensitive), or a
 * 0x-prefixed hexadecimal byte count. No sign, no blanks, no fractions.
 * Returns 0, -EINVAL for malformed text or -ERANGE for overflow.
 */
int size_parse(const char *str, unsigned long long *bytes) _must_check_;

/*
 * Parse a non-negative decimal number with no sign, blanks or leading
 * zeros ("0" is fine, "01" is not), that fits in an unsigned int.
 */
int parse_uint_strict(const char *str, unsigned int *val) _must_check_;

/* nsarg.c: naming namespaces on the command line and in the library. */

/* Longest namespace name (PMEMCTL_NAME_LEN - 1) and UUID sizes. */
#define NS_NAME_MAX	63
#define UUID_BYTES	16
#define UUID_STR_LEN	36	/* 8-4-4-4-12, without the NUL */

/* 1 to 63 characters from [A-Za-z0-9._-]. */
bool ns_name_valid(const char *name);

/* Parse 8-4-4-4-12 hex (any case) into 16 bytes. 0 or -EINVAL. */
int uuid_from_str(const char *str, unsigned char uuid[UUID_BYTES]) _must_check_;

/* Format 16 bytes as lower-case 8-4-4-4-12 into buf (UUID_STR_LEN + 1). */
const char *uuid_to_str(const unsigned char uuid[UUID_BYTES], char *buf);

/* "namespaceR.N" or "R.N", numbers as parse_uint_strict(). 0 or -EINVAL. */
int ns_devname_parse(const char *str, unsigned int *region,
		     unsigned int *id) _must_check_;

/* "regionN" or "N". 0 or -EINVAL. */
int region_arg_parse(const char *str, unsigned int *id) _must_check_;

/*
 * A namespace as a user names it. The forms are tried in this order, so a
 * name that looks like a device name or a UUID cannot be named by its name.
 */
enum ns_arg_kind {
	NS_ARG_DEVNAME,		/* namespaceR.N or R.N: region, id */
	NS_ARG_UUID,		/* uuid */
	NS_ARG_NAME,		/* name (points into the parsed string) */
};

struct ns_arg {
	enum ns_arg_kind kind;
	unsigned int region;
	unsigned int id;
	unsigned char uuid[UUID_BYTES];
	const char *name;
};

/* 0, or -EINVAL when str is none of the forms. */
int ns_arg_parse(const char *str, struct ns_arg *arg) _must_check_;

/* mode.c: namespace modes (the values are the ABI's PMEMCTL_MODE_*). */
enum ns_mode {
	NS_MODE_RAW,
	NS_MODE_PAGE,
	NS_MODE_PFN,
	NS_MODE_ONDEMAND,
	NS_MODE_COUNT
};

/* "raw", "page", "pfn" or "ondemand"; NULL for a value out of range. */
const char *ns_mode_name(enum ns_mode mode);

/* The canonical names only ("raw", "page", "pfn", "ondemand"). 0 or -EINVAL. */
int ns_mode_from_name(const char *name, enum ns_mode *mode) _must_check_;

/* @name (may be NULL) is the canonical name of @mode. */
bool ns_mode_is(const char *name, enum ns_mode mode);

/*
 * A mode as the CLI takes it: @mode "raw", "page", "pfn", "ondemand" or ndctl's
 * "fsdax", and ndctl's @map "mem" (page) or "dev" (pfn); either may be
 * NULL. No mode means fsdax when @map is given, else raw; fsdax without
 * @map means pfn, as in ndctl. Returns 0, -EINVAL for an unknown mode or
 * -EDOM for a map that is unknown or does not go with the mode.
 */
int ns_mode_parse(const char *mode, const char *map, enum ns_mode *out) _must_check_;

/* mode.c: how a namespace is accessed (the ABI's PMEMCTL_ACCESS_*). */
enum ns_access {
	NS_ACCESS_BLOCK,
	NS_ACCESS_DEVDAX,
	NS_ACCESS_COUNT
};

/* "block" or "devdax"; NULL for a value out of range. */
const char *ns_access_name(enum ns_access access);

/* The canonical names only. 0 or -EINVAL. */
int ns_access_from_name(const char *name, enum ns_access *access) _must_check_;

/*
 * A mode and access kind as the CLI takes them: ns_mode_parse()'s
 * spellings plus ndctl's "devdax" (pfn, or page with @map "mem"; ndctl's
 * default map is dev), and pmemctl's own @access "block" or "devdax" (NULL:
 * block, or devdax when @mode is "devdax"); devdax with neither @mode nor
 * @map means pfn, as ndctl's devdax. Returns 0; -EINVAL or -EDOM as
 * ns_mode_parse(); -EINVAL for an unknown @access; -EXDEV when @access
 * contradicts @mode ("fsdax" with devdax, "devdax" with block); -ENXIO for
 * raw with devdax (device DAX needs struct pages).
 */
int ns_shape_parse(const char *mode, const char *map, const char *access,
		   enum ns_mode *mode_out, enum ns_access *access_out) _must_check_;

/*
 * Whether @align is one a namespace of @access may have: a devdax
 * namespace's is its mappings' fault size, 4K, 2M or 1G; a block
 * namespace's a power of two of at least 2M. (The size must then be a
 * multiple of the larger of @align and 2M, where every extent starts
 * and ends.)
 */
bool ns_align_valid(enum ns_access access, unsigned long long align);

/*
 * The device space a pfn namespace of @size bytes gives its memmap, ahead
 * of its data: the on-media format's struct page size per 4 KiB page,
 * rounded up to 2M (the module's lf_set_layout()). A 1G devdax namespace
 * needs it to be a multiple of 1G.
 */
unsigned long long ns_pfn_reserve(unsigned long long size);

/* loglevel.c */

/* The level that logs nothing (libpmemctl's PMEMCTL_LOG_OFF). */
#define LOG_LEVEL_OFF	(-1)

/*
 * "off", "err", "info", "debug" or a syslog priority 0-7 into @prio
 * (LOG_LEVEL_OFF for "off"). 0 or -EINVAL.
 */
int log_level_parse(const char *s, int *prio) _must_check_;

#endif /* PMEMCTL_COMMON_UTIL_H */
