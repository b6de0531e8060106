// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON output helpers on json-c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "cli/json.h"
#include "common/util.h"

/* Takes ownership of @val; a NULL @val is a null value unless @failed. */
static int add(struct json_object *obj, const char *key,
	       struct json_object *val, int failed)
{
	if (failed)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

int json_add_size(struct json_object *obj, const char *key,
		  unsigned long long bytes, unsigned int flags)
{
	char buf[SIZE_HUMAN_MAX];
	struct json_object *val;

	if (bytes == ULLONG_MAX)
		return add(obj, key, NULL, 0);
	if (flags & JSON_HUMAN)
		val = json_object_new_string(size_to_human(bytes, buf, sizeof(buf)));
	else
		val = json_object_new_uint64(bytes);
	return add(obj, key, val, !val);
}

int json_add_address(struct json_object *obj, const char *key,
		     unsigned long long addr, unsigned int flags)
{
	char buf[sizeof("0x") + 16];
	struct json_object *val;

	if (addr == ULLONG_MAX)
		return add(obj, key, NULL, 0);
	if (flags & JSON_HUMAN) {
		snprintf(buf, sizeof(buf), "0x%llx", addr);
		val = json_object_new_string(buf);
	} else {
		val = json_object_new_uint64(addr);
	}
	return add(obj, key, val, !val);
}

int json_add_string(struct json_object *obj, const char *key, const char *s)
{
	struct json_object *val = s ? json_object_new_string(s) : NULL;

	return add(obj, key, val, s && !val);
}

int json_add_int(struct json_object *obj, const char *key, int v)
{
	struct json_object *val = json_object_new_int(v);

	return add(obj, key, val, !val);
}

int json_add_count(struct json_object *obj, const char *key, long long v)
{
	struct json_object *val;

	if (v < 0)
		return add(obj, key, NULL, 0);
	val = json_object_new_int64(v);
	return add(obj, key, val, !val);
}

int json_print(FILE *out, struct json_object *array)
{
	const char *text;

	/* json-c pretty-prints [] over two lines; keep the usual form. */
	if (json_object_is_type(array, json_type_array) &&
	    json_object_array_length(array) == 0)
		text = "[]";
	else
		text = json_object_to_json_string_ext(array, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text)
		return -ENOMEM;
	if (fprintf(out, "%s\n", text) < 0 || fflush(out) != 0)
		return -EIO;
	return 0;
}
