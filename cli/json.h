/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON output helpers on json-c. Every add function puts one key into an
 * object and returns 0 or -ENOMEM; "unknown" values become null, so a key
 * is always present whatever could be read. The key must be a string
 * constant (it is not copied) that the object does not have yet.
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

/*
 * An array printed exactly as json_print() prints it, built one element
 * at a time: each element is formatted and freed as it is added, so that
 * thousands of them (list) never sit in memory as json-c objects together.
 * The text is written by json_array_writer_finish() only, so a failure
 * before it prints nothing.
 */
struct json_array_writer {
	struct json_object *wrap;	/* one element at a time */
	char *text;			/* the array so far */
	size_t len;
	size_t cap;
	size_t count;			/* elements added */
};

/* 0 or -ENOMEM. */
int json_array_writer_init(struct json_array_writer *w);
/* Append @val and free it (also on failure). 0 or -ENOMEM. */
int json_array_writer_add(struct json_array_writer *w, struct json_object *val);
/* Print the array with a final newline on @out. 0, -ENOMEM or -EIO. */
int json_array_writer_finish(struct json_array_writer *w, FILE *out);
/* Free what the writer holds; it may be initialised again. */
void json_array_writer_free(struct json_array_writer *w);

#endif /* PMEMCTL_CLI_JSON_H */
