// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON output helpers on json-c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "common/util.h"

/* json-c 0.14 knows this flag by its older name only. */
#ifndef JSON_C_OBJECT_ADD_CONSTANT_KEY
#define JSON_C_OBJECT_ADD_CONSTANT_KEY JSON_C_OBJECT_KEY_IS_CONSTANT
#endif

/* How every command prints JSON. */
#define JSON_PRINT_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * Takes ownership of @val; a NULL @val is a null value unless @failed.
 * Keys are string constants added once per object (see json.h), so json-c
 * need neither copy them nor look for an old value to replace.
 */
static int add(struct json_object *obj, const char *key,
	       struct json_object *val, int failed)
{
	if (failed)
		return -ENOMEM;
	if (json_object_object_add_ex(obj, key, val, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				      JSON_C_OBJECT_ADD_CONSTANT_KEY) < 0) {
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
		text = json_object_to_json_string_ext(array, JSON_PRINT_FLAGS);
	if (!text)
		return -ENOMEM;
	if (fprintf(out, "%s\n", text) < 0 || fflush(out) != 0)
		return -EIO;
	return 0;
}

int json_array_writer_init(struct json_array_writer *w)
{
	memset(w, 0, sizeof(*w));
	w->wrap = json_object_new_array();
	return w->wrap ? 0 : -ENOMEM;
}

static int writer_append(struct json_array_writer *w, const char *text, size_t len)
{
	size_t cap;
	char *bigger;

	if (w->len + len > w->cap) {
		cap = w->cap ? w->cap : 4096;
		while (cap < w->len + len)
			cap *= 2;
		bigger = realloc(w->text, cap);
		if (!bigger)
			return -ENOMEM;
		w->text = bigger;
		w->cap = cap;
	}
	memcpy(w->text + w->len, text, len);
	w->len += len;
	return 0;
}

int json_array_writer_add(struct json_array_writer *w, struct json_object *val)
{
	const char *text;
	size_t len = 0;
	int err;

	if (json_object_array_add(w->wrap, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	/*
	 * Printed alone in an array, @val is "[\n" INDENT VALUE "\n]": the
	 * middle is exactly how json-c prints it among other elements, at
	 * the same depth. Removing it from the array frees it.
	 */
	text = json_object_to_json_string_length(w->wrap, JSON_PRINT_FLAGS, &len);
	if (!text || len < 4)
		err = -ENOMEM;
	else
		err = writer_append(w, w->count ? ",\n" : "[\n", 2) ?:
		      writer_append(w, text + 2, len - 4);
	json_object_array_del_idx(w->wrap, 0, 1);
	if (err == 0)
		w->count++;
	return err;
}

int json_array_writer_finish(struct json_array_writer *w, FILE *out)
{
	int err;

	err = w->count ? writer_append(w, "\n]\n", 3) : writer_append(w, "[]\n", 3);
	if (err < 0)
		return err;
	if (fwrite(w->text, 1, w->len, out) != w->len || fflush(out) != 0)
		return -EIO;
	return 0;
}

void json_array_writer_free(struct json_array_writer *w)
{
	json_object_put(w->wrap);
	free(w->text);
	memset(w, 0, sizeof(*w));
}
