// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for cli/json.c: value types, nulls, human units, output shape. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/json.h"
#include "common/util.h"
#include "test/unit/tap.h"

/* Print @array the way the CLI does and return the text (malloc'ed). */
static char *render(struct json_object *array)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (json_print(f, array) < 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

static void test_values(void)
{
	struct json_object *obj = json_object_new_object(), *v;

	check(json_add_size(obj, "raw", 1073741824ULL, 0) == 0, "add raw size");
	check(json_add_size(obj, "human", 1073741824ULL, JSON_HUMAN) == 0, "add human size");
	check(json_add_size(obj, "unknown", ULLONG_MAX, 0) == 0, "add unknown size");
	check(json_add_size(obj, "big", ULLONG_MAX - 1, 0) == 0, "add 2^64-2");
	check(json_add_address(obj, "addr", 0x140000000ULL, 0) == 0, "add raw address");
	check(json_add_address(obj, "haddr", 0x140000000ULL, JSON_HUMAN) == 0,
	      "add human address");
	check(json_add_address(obj, "noaddr", ULLONG_MAX, JSON_HUMAN) == 0,
	      "add unreadable address");
	check(json_add_string(obj, "s", "unknown") == 0, "add string");
	check(json_add_string(obj, "nos", NULL) == 0, "add NULL string");
	check(json_add_int(obj, "node", -1) == 0, "add int");

	v = json_object_object_get(obj, "raw");
	check(json_object_is_type(v, json_type_int) &&
	      json_object_get_uint64(v) == 1073741824ULL, "raw size is an integer");
	v = json_object_object_get(obj, "human");
	check(json_object_is_type(v, json_type_string), "human size is a string");
	check_str(json_object_get_string(v), "1.00 GiB", "human size text");
	check(json_object_object_get_ex(obj, "unknown", &v) && v == NULL,
	      "unknown size is present and null");
	v = json_object_object_get(obj, "big");
	check(json_object_get_uint64(v) == ULLONG_MAX - 1, "64-bit sizes survive");
	v = json_object_object_get(obj, "addr");
	check(json_object_is_type(v, json_type_int) &&
	      json_object_get_uint64(v) == 0x140000000ULL, "raw address is an integer");
	check_str(json_object_get_string(json_object_object_get(obj, "haddr")),
		  "0x140000000", "human address is hex text");
	check(json_object_object_get_ex(obj, "noaddr", &v) && v == NULL,
	      "unreadable address is null even with --human");
	check(json_object_object_get_ex(obj, "nos", &v) && v == NULL,
	      "NULL string is null");
	check(json_object_get_int(json_object_object_get(obj, "node")) == -1,
	      "negative int");
	json_object_put(obj);
}

static void test_shape(void)
{
	struct json_object *array = json_object_new_array(), *obj;
	char *text;

	text = render(array);
	check_str(text, "[]\n", "empty result is an empty array");
	free(text);

	obj = json_object_new_object();
	json_add_string(obj, "dev", "region0");
	json_add_size(obj, "size", 536870912ULL, 0);
	json_add_address(obj, "resource", ULLONG_MAX, 0);
	json_object_array_add(array, obj);
	text = render(array);
	check_str(text,
		  "[\n"
		  "  {\n"
		  "    \"dev\":\"region0\",\n"
		  "    \"size\":536870912,\n"
		  "    \"resource\":null\n"
		  "  }\n"
		  "]\n",
		  "one result is still an array; keys keep insertion order");
	free(text);
	json_object_put(array);
}

/* A small object with nesting and escapes, different for each @i. */
static struct json_object *sample(int i)
{
	struct json_object *obj = json_object_new_object(), *inner, *arr;
	char name[32];

	snprintf(name, sizeof(name), "ns\"%d\"\n/\\", i);
	json_add_string(obj, "dev", name);
	json_add_size(obj, "size", (unsigned long long)i << 21, 0);
	json_add_string(obj, "none", NULL);
	inner = json_object_new_object();
	json_add_int(inner, "depth", 2);
	json_object_object_add(obj, "inner", inner);
	arr = json_object_new_array();
	if (i % 2)
		json_object_array_add(arr, json_object_new_int(i));
	json_object_object_add(obj, "list", arr);
	return obj;
}

/* The writer prints what json_print() prints for the whole array. */
static void test_writer(void)
{
	static const int counts[] = { 0, 1, 3 };
	struct json_array_writer w;
	struct json_object *array;
	char *want, *got;
	size_t i, len;
	FILE *f;
	int n;

	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		array = json_object_new_array();
		got = NULL;
		len = 0;
		f = open_memstream(&got, &len);
		if (!f || json_array_writer_init(&w) < 0) {
			check(0, "writer set-up");
			return;
		}
		for (n = 0; n < counts[i]; n++) {
			json_object_array_add(array, sample(n));
			check(json_array_writer_add(&w, sample(n)) == 0, "writer add");
		}
		check(json_array_writer_finish(&w, f) == 0, "writer finish");
		json_array_writer_free(&w);
		fclose(f);
		want = render(array);
		check_str(got, want, "writer of %d element(s) prints as json_print()",
			  counts[i]);
		free(want);
		free(got);
		json_object_put(array);
	}
}

int main(void)
{
	test_values();
	test_shape();
	test_writer();
	return tap_done();
}
