/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON output helpers on json-c. Every add function puts one key into an
 * object and returns 0 or -ENOMEM; "unknown" values become null, so a key
 * is always present whatever could be read.
 */
#ifndef PMEMCTL_CLI_JSON_H
#define PMEMCTL_CLI_JSON_H

#include <stdio.h>
#include <json-c/json.h>

/* Output flags shared by every command. */
#define JSON_HUMAN	(1u << 0)	/* byte counts and addresses as text */

/*
 * A byte count: an integer, or with JSON_HUMAN a string such as
 * "1.00 GiB". ULLONG_MAX (unknown) becomes null.
 */
int json_add_size(struct json_object *obj, const char *key,
		  unsigned long long bytes, unsigned int flags);

/*
 * A physical address: an integer, or with JSON_HUMAN a hex string such as
 * "0x140000000". ULLONG_MAX (unreadable) becomes null.
 */
int json_add_address(struct json_object *obj, const char *key,
		     unsigned long long addr, unsigned int flags);

/* A string; NULL becomes null. */
int json_add_string(struct json_object *obj, const char *key, const char *s);

/* A signed integer. */
int json_add_int(struct json_object *obj, const char *key, int val);

/* A count: a non-negative integer; a negative @val (unknown) becomes null. */
int json_add_count(struct json_object *obj, const char *key, long long val);

/*
 * Print @array pretty (JSON_C_TO_STRING_PRETTY) with a final newline.
 * Returns 0, -ENOMEM or -EIO.
 */
int json_print(FILE *out, struct json_object *array);

#endif /* PMEMCTL_CLI_JSON_H */
