// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for cli/apply-layout.c: the layout file's rules and messages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/apply-layout.h"
#include "common/util.h"
#include "test/unit/tap.h"

#define UUID_A "3F2504E0-4F89-11D3-9A0C-0305E82C3301"

static int parse(const char *text, struct layout *l, char *err)
{
	return layout_parse(text, strlen(text), l, err);
}

/*
 * @text must be refused with a message that starts with @prefix (the
 * place, "" for none) and holds @phrase.
 */
static void expect_error_len(const char *text, size_t len, const char *prefix,
			     const char *phrase, const char *what)
{
	char err[LAYOUT_ERR_MAX];
	struct layout l;
	int ret;

	memset(err, 'x', sizeof(err));
	ret = layout_parse(text, len, &l, err);
	check(ret == -EINVAL, "%s: refused (%d)", what, ret);
	check(memchr(err, '\0', sizeof(err)) != NULL &&
	      strncmp(err, prefix, strlen(prefix)) == 0 &&
	      strstr(err, phrase) != NULL,
	      "%s: message", what);
	if (!memchr(err, '\0', sizeof(err)) ||
	    strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, phrase))
		printf("#   got \"%.*s\", want \"%s...%s\"\n",
		       (int)sizeof(err), err, prefix, phrase);
	layout_free(&l);
}

static void expect_error(const char *text, const char *prefix,
			 const char *phrase, const char *what)
{
	expect_error_len(text, strlen(text), prefix, phrase, what);
}

/* The exact message. */
static void expect_message(const char *text, const char *want,
			   const char *what)
{
	char err[LAYOUT_ERR_MAX];
	struct layout l;

	check(parse(text, &l, err) == -EINVAL, "%s: refused", what);
	check_str(err, want, "%s: message", what);
	layout_free(&l);
}

/* Parse one namespace object in region0; 0 or the error. */
static int parse_one(const char *ns, struct layout *l, char *err)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "[{\"dev\": \"region0\", \"namespaces\": [%s]}]", ns);
	return parse(text, l, err);
}

/* Device DAX: list's spelling and ndctl's. */
static void test_devdax(void)
{
	char err[LAYOUT_ERR_MAX];
	const struct layout_ns *n;
	struct layout l;

	check(parse("[{\"dev\": \"region0\", \"namespaces\": ["
		    "{\"name\": \"a\", \"size\": \"4M\", \"mode\": \"page\", \"access\": \"devdax\", \"align\": 4096},"
		    "{\"name\": \"b\", \"size\": \"2G\", \"mode\": \"devdax\", \"map\": \"mem\", \"align\": \"1G\"},"
		    "{\"name\": \"c\", \"size\": \"4M\", \"mode\": \"devdax\"},"
		    "{\"name\": \"d\", \"size\": \"4M\", \"access\": \"devdax\"},"
		    "{\"name\": \"e\", \"size\": \"4M\", \"mode\": \"ondemand\", \"access\": \"devdax\"},"
		    "{\"name\": \"f\", \"size\": \"4M\", \"access\": \"block\"},"
		    "{\"name\": \"g\", \"size\": \"4M\", \"mode\": \"devdax\", \"map\": \"dev\", \"access\": \"devdax\"}"
		    "]}]", &l, err) == 0, "devdax entries parse (%s)", err);
	n = l.regions[0].ns;
	check(n[0].has_access && n[0].access == NS_ACCESS_DEVDAX &&
	      n[0].has_mode && n[0].mode == NS_MODE_PAGE &&
	      n[0].has_align && n[0].align == 4096,
	      "as list prints it: page, devdax, 4K");
	check(n[1].has_access && n[1].access == NS_ACCESS_DEVDAX &&
	      n[1].mode == NS_MODE_PAGE && n[1].align == 1ULL << 30,
	      "ndctl's devdax with map mem: page, devdax, 1G");
	check(n[2].has_access && n[2].access == NS_ACCESS_DEVDAX &&
	      n[2].has_mode && n[2].mode == NS_MODE_PFN && !n[2].has_align,
	      "ndctl's devdax alone: pfn, as create-namespace -m devdax");
	check(n[3].has_access && n[3].access == NS_ACCESS_DEVDAX && !n[3].has_mode,
	      "access alone: the mode is not given");
	check(n[4].mode == NS_MODE_ONDEMAND && n[4].access == NS_ACCESS_DEVDAX,
	      "ondemand devdax");
	check(n[5].has_access && n[5].access == NS_ACCESS_BLOCK,
	      "access block");
	check(n[6].mode == NS_MODE_PFN && n[6].access == NS_ACCESS_DEVDAX,
	      "ndctl's devdax with map dev and access devdax");
	layout_free(&l);
	check(parse_one("{\"name\": \"a\", \"size\": \"4M\"}", &l, err) == 0 &&
	      !l.regions[0].ns[0].has_access, "no access key: not given");
	layout_free(&l);
}

static void test_every_key(void)
{
	static const char text[] =
		"[\n"
		"  {\"dev\": \"region0\", \"namespaces\": [\n"
		"    {\"name\": \"db\", \"size\": 1073741824, \"mode\": \"page\",\n"
		"     \"align\": 2097152, \"uuid\": \"" UUID_A "\",\n"
		"     \"state\": \"disabled\"},\n"
		"    {\"name\": \"logs\", \"size\": \"2G\", \"mode\": \"fsdax\",\n"
		"     \"map\": \"mem\", \"align\": \"1G\", \"state\": \"enabled\"},\n"
		"    {\"name\": \"Raw.1_x-y\", \"size\": \"0x40000000\", \"mode\": null,\n"
		"     \"map\": null, \"align\": null, \"uuid\": null, \"state\": null}\n"
		"  ]},\n"
		"  {\"dev\": \"region7\"},\n"
		"  {\"dev\": \"region3\", \"namespaces\": null},\n"
		"  {\"namespaces\": [], \"dev\": \"region12\"}\n"
		"]\n";
	static const unsigned char uuid[UUID_BYTES] = {
		0x3f, 0x25, 0x04, 0xe0, 0x4f, 0x89, 0x11, 0xd3,
		0x9a, 0x0c, 0x03, 0x05, 0xe8, 0x2c, 0x33, 0x01,
	};
	char err[LAYOUT_ERR_MAX];
	struct layout l;
	const struct layout_ns *ns;

	check(parse(text, &l, err) == 0, "every key: parses");
	check_str(err, "", "every key: no message");
	check(l.nr_regions == 4, "four regions");
	if (l.nr_regions != 4 || l.regions[0].nr_ns != 3) {
		layout_free(&l);
		return;
	}
	check(l.regions[0].id == 0 && l.regions[1].id == 7 &&
	      l.regions[2].id == 3 && l.regions[3].id == 12,
	      "region numbers in file order");
	check_str(l.regions[0].place, "[0]", "region place");
	check_str(l.regions[3].place, "[3]", "last region place");
	check(l.regions[1].nr_ns == 0 && l.regions[2].nr_ns == 0 &&
	      l.regions[3].nr_ns == 0,
	      "absent, null and [] namespaces are none");

	ns = &l.regions[0].ns[0];
	check_str(ns->place, "[0].namespaces[0]", "namespace place");
	check_str(ns->name, "db", "name");
	check(ns->size == 1073741824ULL, "integer size");
	check(ns->has_mode && ns->mode == NS_MODE_PAGE, "mode page");
	check(ns->has_align && ns->align == 2097152, "integer align");
	check(ns->has_uuid && memcmp(ns->uuid, uuid, UUID_BYTES) == 0,
	      "upper-case uuid");
	check(ns->state == LAYOUT_STATE_DISABLED, "state disabled");

	ns = &l.regions[0].ns[1];
	check_str(ns->place, "[0].namespaces[1]", "second namespace place");
	check_str(ns->name, "logs", "second name");
	check(ns->size == 2ULL << 30, "size string 2G");
	check(ns->has_mode && ns->mode == NS_MODE_PAGE, "fsdax + mem is page");
	check(ns->has_align && ns->align == 1ULL << 30, "align string 1G");
	check(!ns->has_uuid, "no uuid");
	check(ns->state == LAYOUT_STATE_ENABLED, "state enabled");

	ns = &l.regions[0].ns[2];
	check_str(ns->name, "Raw.1_x-y", "name with every kind of character");
	check(ns->size == 1ULL << 30, "hexadecimal size string");
	check(!ns->has_mode && !ns->has_align && !ns->has_uuid &&
	      ns->state == LAYOUT_STATE_ANY, "nulls are absent");
	layout_free(&l);
	check(l.regions == NULL && l.nr_regions == 0, "layout_free clears");
	layout_free(&l);
}

/* What pmemctl list -R -N -v prints, every key, by hand. */
static void test_list_output(void)
{
	static const char text[] =
		"[\n"
		"  {\n"
		"    \"dev\":\"region0\",\n"
		"    \"size\":4294967296,\n"
		"    \"align\":2097152,\n"
		"    \"available_size\":1071644672,\n"
		"    \"max_available_extent\":1071644672,\n"
		"    \"max_namespaces\":510,\n"
		"    \"numa_node\":0,\n"
		"    \"persistence_domain\":\"unknown\",\n"
		"    \"state\":\"degraded\",\n"
		"    \"label_error\":\"index checksum mismatch\",\n"
		"    \"resource\":4294967296,\n"
		"    \"largest_extent\":{\n"
		"      \"size\":1071644672,\n"
		"      \"raw\":{\"data_size\":1071644672,\"metadata_ram\":0,\"metadata_dev\":0},\n"
		"      \"page\":{\"data_size\":1071644672,\"metadata_ram\":16744448,\"metadata_dev\":0},\n"
		"      \"pfn\":null\n"
		"    },\n"
		"    \"namespaces\":[\n"
		"      {\n"
		"        \"dev\":\"namespace0.0\",\n"
		"        \"region\":\"region0\",\n"
		"        \"mode\":\"raw\",\n"
		"        \"size\":536870912,\n"
		"        \"data_size\":536870912,\n"
		"        \"metadata_ram\":0,\n"
		"        \"metadata_dev\":0,\n"
		"        \"align\":2097152,\n"
		"        \"uuid\":\"6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e8\",\n"
		"        \"name\":\"db\",\n"
		"        \"state\":\"enabled\",\n"
		"        \"blockdev\":\"pmem0n0\",\n"
		"        \"chardev\":null,\n"
		"        \"numa_node\":0,\n"
		"        \"resource\":4297064448,\n"
		"        \"badblock_count\":1,\n"
		"        \"badblocks\":[{\"offset\":100,\"length\":1}]\n"
		"      },\n"
		"      {\n"
		"        \"dev\":\"namespace0.1\",\n"
		"        \"region\":\"region0\",\n"
		"        \"mode\":\"pfn\",\n"
		"        \"access\":\"block\",\n"
		"        \"size\":2147483648,\n"
		"        \"data_size\":2113929216,\n"
		"        \"metadata_ram\":0,\n"
		"        \"metadata_dev\":33554432,\n"
		"        \"align\":1073741824,\n"
		"        \"uuid\":\"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\",\n"
		"        \"name\":\"cache\",\n"
		"        \"state\":\"disabled\",\n"
		"        \"blockdev\":null,\n"
		"        \"numa_node\":-1,\n"
		"        \"data_offset\":33554432,\n"
		"        \"npfns\":516096,\n"
		"        \"page_struct_size\":64,\n"
		"        \"resource\":null,\n"
		"        \"badblock_count\":null,\n"
		"        \"badblocks\":[]\n"
		"      }\n"
		"    ]\n"
		"  },\n"
		"  {\n"
		"    \"dev\":\"region1\",\n"
		"    \"size\":536870912,\n"
		"    \"align\":2097152,\n"
		"    \"available_size\":null,\n"
		"    \"max_available_extent\":null,\n"
		"    \"max_namespaces\":0,\n"
		"    \"numa_node\":0,\n"
		"    \"persistence_domain\":null,\n"
		"    \"state\":\"uninitialized\",\n"
		"    \"resource\":null,\n"
		"    \"largest_extent\":{\"size\":null,\"raw\":null,\"page\":null,\"pfn\":null},\n"
		"    \"namespaces\":[]\n"
		"  }\n"
		"]\n";
	char err[LAYOUT_ERR_MAX];
	struct layout l;
	const struct layout_ns *ns;

	check(parse(text, &l, err) == 0, "list output parses");
	if (err[0])
		printf("#   %s\n", err);
	check(l.nr_regions == 2 && l.regions[0].nr_ns == 2 &&
	      l.regions[1].nr_ns == 0, "list output: shape");
	if (l.nr_regions != 2 || l.regions[0].nr_ns != 2) {
		layout_free(&l);
		return;
	}
	check(l.regions[0].id == 0 && l.regions[1].id == 1,
	      "list output: regions");
	ns = &l.regions[0].ns[0];
	check_str(ns->name, "db", "list output: first name");
	check(ns->size == 536870912 && ns->has_mode &&
	      ns->mode == NS_MODE_RAW && ns->has_align &&
	      ns->align == 2097152 && ns->has_uuid &&
	      ns->uuid[0] == 0x6f && ns->uuid[15] == 0xe8 &&
	      ns->state == LAYOUT_STATE_ENABLED,
	      "list output: first namespace's values");
	ns = &l.regions[0].ns[1];
	check_str(ns->name, "cache", "list output: second name");
	check(ns->size == 2147483648ULL && ns->has_mode &&
	      ns->mode == NS_MODE_PFN && ns->align == 1073741824 &&
	      ns->state == LAYOUT_STATE_DISABLED,
	      "list output: second namespace's values");
	layout_free(&l);
}

static void test_json_errors(void)
{
	static const char nul[] = "[]\0";
	static const char nul_inside[] = "[{\"dev\":\0\"region0\"}]";
	char err[LAYOUT_ERR_MAX];
	struct layout l;

	expect_message("[{\"dev\": \"region0\",}]",
		       "line 1, column 20: unexpected character",
		       "trailing comma");
	expect_message("[\n  {\"dev\": \"region0\"\n  \"x\": 1}\n]",
		       "line 3, column 3: object value separator ',' expected",
		       "missing comma, line and column");
	expect_message("[] x", "line 1, column 4: unexpected character",
		       "text after the array");
	expect_message("[]\n\n]", "line 3, column 1: unexpected character",
		       "second close bracket");
	expect_message("", "line 1, column 1: unexpected end of data",
		       "empty text");
	expect_message("  \n ", "line 2, column 2: unexpected end of data",
		       "blanks only");
	expect_message("[\n{", "line 2, column 2: unexpected end of data",
		       "cut short");
	expect_message("['a']", "line 1, column 2: unexpected character",
		       "single quotes are not JSON");
	expect_message("[01]", "line 1, column 4: number expected",
		       "leading zero is not JSON");
	expect_error("[tru]", "line 1, column 5: ", "boolean", "bad literal");
	expect_error("[\"\xff\"]", "line 1, column ", "utf-8", "bad UTF-8");
	expect_error_len(nul, sizeof(nul) - 1, "line 1, column 3: ",
			 "unexpected character", "NUL after the array");
	expect_error_len(nul_inside, sizeof(nul_inside) - 1,
			 "line 1, column 9: ", "", "NUL inside the array");

	expect_message("{}",
		       "the layout must be a JSON array of regions, as pmemctl list -R -N prints",
		       "an object");
	expect_error("\"x\"", "the layout must be a JSON array", "", "a string");
	expect_error("null", "the layout must be a JSON array", "", "null");
	expect_error("123", "the layout must be a JSON array", "", "a number");
	expect_error("[] 1", "line 1, column 4: ", "unexpected", "a number after");

	check(parse("[]", &l, err) == 0 && l.nr_regions == 0 && !l.regions,
	      "empty array is a valid layout");
	layout_free(&l);
	check(parse(" \t\r\n[ ]\n\n", &l, err) == 0 && l.nr_regions == 0,
	      "blanks around the array");
	layout_free(&l);
	check(layout_parse("[] ", 2, &l, err) == 0, "len is honoured");
	layout_free(&l);
}

static void test_region_errors(void)
{
	expect_message("[1]", "[0]: expected a region object, got an integer",
		       "region is a number");
	expect_error("[{\"dev\":\"region0\"}, []]", "[1]: ",
		     "expected a region object, got an array",
		     "region is an array");
	expect_error("[{}]", "[0]: ", "missing \"dev\"", "no dev");
	expect_error("[{\"dev\": null}]", "[0].dev: ", "got null", "dev null");
	expect_error("[{\"dev\": 0}]", "[0].dev: ", "got an integer",
		     "dev a number");
	expect_message("[{\"dev\": \"0\"}]",
		       "[0].dev: invalid region '0' (expected regionN, such as region0)",
		       "bare region number");
	expect_error("[{\"dev\": \"region01\"}]", "[0].dev: ", "invalid region",
		     "leading zero");
	expect_error("[{\"dev\": \"region\"}]", "[0].dev: ", "invalid region",
		     "no number");
	expect_error("[{\"dev\": \"Region0\"}]", "[0].dev: ", "invalid region",
		     "capital R");
	expect_error("[{\"dev\": \"region0 \"}]", "[0].dev: ", "invalid region",
		     "trailing blank");
	expect_error("[{\"dev\": \"region4294967296\"}]", "[0].dev: ",
		     "invalid region", "number too large");
	expect_message("[{\"dev\": \"region0\"}, {\"dev\": \"region1\"}, {\"dev\": \"region0\"}]",
		       "[2].dev: region0 is already at [0]", "region twice");
	expect_message("[{\"dev\": \"region0\", \"foo\": 1}]",
		       "[0].foo: unknown key 'foo'", "unknown region key");
	expect_error("[{\"dev\": \"region0\", \"Dev\": 1}]", "[0].Dev: ",
		     "unknown key 'Dev'", "keys are case-sensitive");
	expect_error("[{\"dev\": \"region0\", \"name\": \"x\"}]", "[0].name: ",
		     "unknown key", "a namespace key in a region");
	expect_error("[{\"dev\": \"region0\", \"namespaces\": {}}]",
		     "[0].namespaces: ", "expected an array of namespaces, got an object",
		     "namespaces an object");
	expect_error("[{\"dev\": \"region0\", \"namespaces\": \"db\"}]",
		     "[0].namespaces: ", "got a string", "namespaces a string");
	expect_error("[{\"dev\": \"region0\", \"namespaces\": [[]]}]",
		     "[0].namespaces[0]: ", "expected a namespace object, got an array",
		     "namespace an array");
	expect_error("[{\"dev\": \"region0\", \"namespaces\": [null]}]",
		     "[0].namespaces[0]: ", "got null", "namespace null");
	/* every ignored key, of any type */
	expect_error("[{\"dev\": \"region0\", \"size\": true, \"align\": [], "
		     "\"available_size\": {}, \"max_available_extent\": \"x\", "
		     "\"max_namespaces\": 1.5, \"numa_node\": null, "
		     "\"persistence_domain\": 0, \"state\": false, "
		     "\"label_error\": [1], \"resource\": \"y\", "
		     "\"largest_extent\": {\"a\": {\"b\": []}}, \"bad\": 0}]",
		     "[0].bad: ", "unknown key 'bad'",
		     "ignored region keys of any type, then an unknown one");
}

static void test_ns_errors(void)
{
#define NS_OPEN "[{\"dev\": \"region0\", \"namespaces\": ["
#define NS(s) NS_OPEN s "]}]"
#define OK "{\"name\": \"a\", \"size\": \"2M\"}, "
#define OK2 "{\"name\": \"b\", \"size\": \"2M\"}, "
	char big[1200], err[LAYOUT_ERR_MAX];
	struct layout l;
	int i;

	expect_message(NS(OK "{\"size\": \"2M\"}"),
		       "[0].namespaces[1]: missing \"name\" (a namespace's identity in a layout)",
		       "no name");
	expect_error(NS("{\"name\": null, \"size\": \"2M\"}"),
		     "[0].namespaces[0].name: ", "got null", "name null");
	expect_error(NS("{\"name\": 7, \"size\": \"2M\"}"),
		     "[0].namespaces[0].name: ", "got an integer", "name a number");
	expect_message(NS("{\"name\": \"a b\", \"size\": \"2M\"}"),
		       "[0].namespaces[0].name: invalid name 'a b' (1 to 63 of A-Z, a-z, 0-9, '.', '_' and '-')",
		       "name with a blank");
	expect_error(NS("{\"name\": \"\", \"size\": \"2M\"}"),
		     "[0].namespaces[0].name: ", "invalid name ''", "empty name");
	expect_error(NS("{\"name\": \"a\\u0000b\", \"size\": \"2M\"}"),
		     "[0].namespaces[0].name: ", "NUL character", "name with a NUL");
	expect_error(NS("{\"name\": \"a\\nb\", \"size\": \"2M\"}"),
		     "[0].namespaces[0].name: ", "invalid name 'a?b'",
		     "a newline is not printed");
	expect_error(NS("{\"name\": \"0123456789012345678901234567890123456789012345678901234567890123\", \"size\": \"2M\"}"),
		     "[0].namespaces[0].name: ", "invalid name '", "64 characters");
	check(parse_one("{\"name\": \"012345678901234567890123456789012345678901234567890123456789012\", \"size\": \"2M\"}",
			&l, err) == 0 && strlen(l.regions[0].ns[0].name) == 63,
	      "63 characters");
	layout_free(&l);

	expect_message(NS(OK OK2 "{\"name\": \"c\"}"),
		       "[0].namespaces[2]: missing \"size\" (a positive integer, or a string such as \"100M\")",
		       "no size");
	/* the place is the name's, not the namespace's (name first) */
	expect_message(NS("{\"name\": \"a\", \"size\": true}"),
		       "[0].namespaces[0].size: expected a byte count (a positive integer, or a string such as \"100M\"), got a boolean",
		       "size a boolean");
	expect_error(NS("{\"name\": \"a\", \"size\": null}"),
		     "[0].namespaces[0].size: ", "got null", "size null");
	expect_error(NS("{\"name\": \"a\", \"size\": 0}"),
		     "[0].namespaces[0].size: ", "byte count", "size 0");
	expect_error(NS("{\"name\": \"a\", \"size\": \"0\"}"),
		     "[0].namespaces[0].size: ", "got '0'", "size \"0\"");
	expect_error(NS("{\"name\": \"a\", \"size\": \"0M\"}"),
		     "[0].namespaces[0].size: ", "got '0M'", "size \"0M\"");
	expect_error(NS("{\"name\": \"a\", \"size\": -2097152}"),
		     "[0].namespaces[0].size: ", "got -2097152", "negative size");
	expect_error(NS("{\"name\": \"a\", \"size\": -9223372036854775809}"),
		     "[0].namespaces[0].size: ", "byte count", "very negative size");
	expect_error(NS("{\"name\": \"a\", \"size\": 2097152.0}"),
		     "[0].namespaces[0].size: ", "got a number with a fraction",
		     "size a double");
	expect_error(NS("{\"name\": \"a\", \"size\": 2e6}"),
		     "[0].namespaces[0].size: ", "got a number with a fraction",
		     "size with an exponent");
	expect_error(NS("{\"name\": \"a\", \"size\": \"1.5G\"}"),
		     "[0].namespaces[0].size: ", "got '1.5G'", "fractional string");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2 M\"}"),
		     "[0].namespaces[0].size: ", "got '2 M'", "blank in a size");
	expect_error(NS("{\"name\": \"a\", \"size\": \"-2M\"}"),
		     "[0].namespaces[0].size: ", "got '-2M'", "negative string");
	expect_error(NS("{\"name\": \"a\", \"size\": \"20000000E\"}"),
		     "[0].namespaces[0].size: ", "does not fit in 64 bits",
		     "size overflow");
	expect_error(NS("{\"name\": \"a\", \"size\": {}}"),
		     "[0].namespaces[0].size: ", "got an object", "size an object");
	expect_message(NS("{\"name\": \"a\", \"size\": 3145728}"),
		       "[0].namespaces[0].size: 3145728 is not a multiple of the alignment (2097152, the default)",
		       "size not a multiple of 2M");
	expect_message(NS("{\"name\": \"a\", \"size\": \"3G\", \"align\": \"2G\"}"),
		       "[0].namespaces[0].size: 3221225472 is not a multiple of the alignment (2147483648)",
		       "size not a multiple of align");
	/* 2^64 - 1 and above: json-c keeps UINT64_MAX, odd */
	expect_error(NS("{\"name\": \"a\", \"size\": 18446744073709551615}"),
		     "[0].namespaces[0].size: ", "not a multiple", "2^64 - 1");
	check(parse_one("{\"name\": \"a\", \"size\": 18446744073707454464}", &l, err) == 0 &&
	      l.regions[0].ns[0].size == 18446744073707454464ULL,
	      "a size above INT64_MAX");
	layout_free(&l);

	expect_message(NS("{\"name\": \"a\", \"size\": \"4M\", \"align\": 4096}"),
		       "[0].namespaces[0].align: 4K (4096) is for devdax only (a block namespace's is a power of two of at least 2M): give \"access\": \"devdax\"",
		       "align 4K without devdax");
	expect_message(NS("{\"name\": \"a\", \"size\": \"4M\", \"align\": 65536}"),
		       "[0].namespaces[0].align: expected a power of two of at least 2M (2097152), got 65536",
		       "align below 2M");
	expect_error(NS("{\"name\": \"a\", \"size\": \"6M\", \"align\": \"3M\"}"),
		     "[0].namespaces[0].align: ", "power of two", "align 3M");
	expect_error(NS("{\"name\": \"a\", \"size\": \"6M\", \"align\": 0}"),
		     "[0].namespaces[0].align: ", "byte count", "align 0");
	expect_error(NS("{\"name\": \"a\", \"size\": \"6M\", \"align\": true}"),
		     "[0].namespaces[0].align: ", "got a boolean", "align a boolean");
	expect_error(NS("{\"name\": \"a\", \"size\": \"6M\", \"align\": \"x\"}"),
		     "[0].namespaces[0].align: ", "got 'x'", "align text");

	expect_message(NS(OK OK2 "{\"name\": \"c\", \"size\": \"2M\", \"mode\": \"fsdaxx\"}"),
		       "[0].namespaces[2].mode: unknown mode 'fsdaxx' (expected raw, page, pfn, ondemand, fsdax or devdax)",
		       "unknown mode");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"RAW\"}"),
		     "[0].namespaces[0].mode: ", "unknown mode 'RAW'", "mode case");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": 1}"),
		     "[0].namespaces[0].mode: ", "got an integer", "mode a number");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"map\": \"foo\"}"),
		     "[0].namespaces[0].map: ", "unknown map 'foo' (expected mem or dev)",
		     "unknown map");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"fsdax\", \"map\": \"x\"}"),
		     "[0].namespaces[0].map: ", "unknown map 'x'",
		     "fsdax with an unknown map");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"map\": []}"),
		     "[0].namespaces[0].map: ", "got an array", "map an array");
	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"raw\", \"map\": \"dev\"}"),
		       "[0].namespaces[0].map: map 'dev' does not go with mode 'raw' (mem goes with page, fsdax or devdax, dev with pfn, fsdax or devdax)",
		       "raw + map");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"raw\", \"map\": \"mem\"}"),
		     "[0].namespaces[0].map: ", "does not go with mode 'raw'",
		     "raw + mem");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"page\", \"map\": \"dev\"}"),
		     "[0].namespaces[0].map: ", "does not go with mode 'page'",
		     "page + dev");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"pfn\", \"map\": \"mem\"}"),
		     "[0].namespaces[0].map: ", "does not go with mode 'pfn'",
		     "pfn + mem");

	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"uuid\": \"xyz\"}"),
		       "[0].namespaces[0].uuid: invalid UUID 'xyz' (expected 8-4-4-4-12 hex digits)",
		       "bad uuid");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"uuid\": \"3F2504E04F8911D39A0C0305E82C3301\"}"),
		     "[0].namespaces[0].uuid: ", "invalid UUID", "uuid without dashes");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"uuid\": 5}"),
		     "[0].namespaces[0].uuid: ", "got an integer", "uuid a number");

	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"state\": \"on\"}"),
		       "[0].namespaces[0].state: unknown state 'on' (expected enabled or disabled)",
		       "bad state");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"state\": true}"),
		     "[0].namespaces[0].state: ", "got a boolean", "state a boolean");

	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"access\": \"dax\"}"),
		       "[0].namespaces[0].access: unknown access 'dax' (expected block or devdax)",
		       "unknown access");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"access\": 1}"),
		     "[0].namespaces[0].access: ", "got an integer", "access a number");
	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"devdax\", \"access\": \"block\"}"),
		       "[0].namespaces[0].mode: mode 'devdax' does not go with access 'block' (ndctl's devdax is a character device)",
		       "ndctl's devdax with block access");
	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"fsdax\", \"access\": \"devdax\"}"),
		       "[0].namespaces[0].mode: mode 'fsdax' does not go with access 'devdax' (ndctl's fsdax is a block device: say mode 'devdax', or 'page' or 'pfn')",
		       "ndctl's fsdax with devdax access");
	expect_message(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"raw\", \"access\": \"devdax\"}"),
		       "[0].namespaces[0].mode: mode 'raw' cannot be devdax: device DAX needs struct pages (page, pfn or ondemand)",
		       "raw devdax");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"mode\": \"devdax\", \"map\": \"x\"}"),
		     "[0].namespaces[0].map: ", "unknown map 'x'", "devdax with an unknown map");
	expect_message(NS("{\"name\": \"a\", \"size\": \"4M\", \"access\": \"devdax\", \"align\": \"64K\"}"),
		       "[0].namespaces[0].align: expected 4K (4096), 2M (2097152) or 1G (1073741824) for devdax (its mappings' fault size), got 65536",
		       "devdax align 64K");
	expect_error(NS("{\"name\": \"a\", \"size\": \"4G\", \"access\": \"devdax\", \"align\": \"2G\"}"),
		     "[0].namespaces[0].align: ", "got 2147483648", "devdax align 2G");
	expect_message(NS("{\"name\": \"a\", \"size\": 1052672, \"access\": \"devdax\", \"align\": \"4K\"}"),
		       "[0].namespaces[0].size: 1052672 is not a multiple of 2M (2097152), which every extent starts and ends on",
		       "devdax 4K: the size is still a multiple of 2M");
	expect_message(NS(OK "{\"name\": \"b\", \"size\": \"2M\", \"foo\": null}"),
		       "[0].namespaces[1].foo: unknown key 'foo'", "unknown key");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"a\\nb\": 1}"),
		     "[0].namespaces[0].a?b: ", "unknown key 'a?b'",
		     "a newline in a key is not printed");
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"namespaces\": []}"),
		     "[0].namespaces[0].namespaces: ", "unknown key",
		     "a region key in a namespace");
	/* every ignored key, of any type */
	expect_error(NS("{\"name\": \"a\", \"size\": \"2M\", \"dev\": 1, "
			"\"region\": {}, \"data_size\": \"x\", \"metadata_ram\": null, "
			"\"metadata_dev\": [], \"blockdev\": false, \"numa_node\": 1.5, "
			"\"data_offset\": -1, \"npfns\": \"y\", \"page_struct_size\": {}, "
			"\"resource\": null, \"badblock_count\": [2], "
			"\"badblocks\": [{\"offset\": 1, \"length\": 2}], \"x\": 1}"),
		     "[0].namespaces[0].x: ", "unknown key 'x'",
		     "ignored namespace keys of any type, then an unknown one");

	/* long text from the file is cut: the message still fits */
	memset(big, 'k', sizeof(big));
	memcpy(big, NS_OPEN "{\"name\": \"a\", \"size\": \"2M\", \"",
	       strlen(NS_OPEN "{\"name\": \"a\", \"size\": \"2M\", \""));
	strcpy(big + sizeof(big) - 20, "\": 1}]}]");
	expect_error(big, "[0].namespaces[0].kkkk", "...: unknown key 'kkkk",
		     "a long key");
	check(parse(big, &l, err) == -EINVAL && strlen(err) < LAYOUT_ERR_MAX &&
	      strstr(err, "...'"), "a long key is cut with ...");
	layout_free(&l);
	/* 'a' then 40 two-byte characters: the cut falls inside one */
	strcpy(big, NS_OPEN "{\"name\": \"a");
	for (i = 0; i < 40; i++)
		strcat(big, "\xc3\xa9");
	strcat(big, "\", \"size\": \"2M\"}]}]");
	check(parse(big, &l, err) == -EINVAL &&
	      strstr(err, "\xc3\xa9...'") != NULL, "no UTF-8 sequence cut in two");
	layout_free(&l);
#undef OK
#undef OK2
#undef NS
#undef NS_OPEN
}

static void test_duplicates(void)
{
	expect_message("[{\"dev\": \"region0\", \"namespaces\": [{\"name\": \"db\", \"size\": \"2M\"}]},"
		       " {\"dev\": \"region1\", \"namespaces\": [{\"name\": \"x\", \"size\": \"2M\"},"
		       " {\"name\": \"db\", \"size\": \"4M\"}]}]",
		       "[1].namespaces[1].name: 'db' is already at [0].namespaces[0]",
		       "a name in two regions");
	expect_error("[{\"dev\": \"region0\", \"namespaces\": [{\"name\": \"db\", \"size\": \"2M\"},"
		     " {\"name\": \"db\", \"size\": \"2M\"}]}]",
		     "[0].namespaces[1].name: ", "'db' is already at [0].namespaces[0]",
		     "a name twice in a region");
	expect_error("[{\"dev\": \"region0\", \"namespaces\": [{\"name\": \"db\", \"size\": \"2M\"},"
		     " {\"name\": \"DB\", \"size\": \"2M\"}]}, {\"dev\": \"region0\"}]",
		     "[1].dev: ", "region0 is already at [0]",
		     "names are case-sensitive; region twice");
	expect_message("[{\"dev\": \"region0\", \"namespaces\": [{\"name\": \"a\", \"size\": \"2M\", \"uuid\": \"" UUID_A "\"}]},"
		       " {\"dev\": \"region1\", \"namespaces\": [{\"name\": \"b\", \"size\": \"2M\"},"
		       " {\"name\": \"c\", \"size\": \"2M\", \"uuid\": \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"}]}]",
		       "[1].namespaces[1].uuid: 3f2504e0-4f89-11d3-9a0c-0305e82c3301 is already at [0].namespaces[0]",
		       "a UUID in two regions, in two cases");
}

static void test_modes(void)
{
	static const struct {
		const char *keys;
		bool has_mode;
		enum ns_mode mode;
	} cases[] = {
		{ "", false, NS_MODE_RAW },
		{ ", \"mode\": \"raw\"", true, NS_MODE_RAW },
		{ ", \"mode\": \"page\"", true, NS_MODE_PAGE },
		{ ", \"mode\": \"pfn\"", true, NS_MODE_PFN },
		{ ", \"mode\": \"fsdax\"", true, NS_MODE_PFN },
		{ ", \"mode\": \"fsdax\", \"map\": \"mem\"", true, NS_MODE_PAGE },
		{ ", \"mode\": \"fsdax\", \"map\": \"dev\"", true, NS_MODE_PFN },
		{ ", \"map\": \"dev\"", true, NS_MODE_PFN },
		{ ", \"map\": \"mem\"", true, NS_MODE_PAGE },
		{ ", \"mode\": \"page\", \"map\": \"mem\"", true, NS_MODE_PAGE },
		{ ", \"mode\": \"pfn\", \"map\": \"dev\"", true, NS_MODE_PFN },
		{ ", \"mode\": null, \"map\": \"dev\"", true, NS_MODE_PFN },
		{ ", \"mode\": \"page\", \"map\": null", true, NS_MODE_PAGE },
		{ ", \"mode\": null, \"map\": null", false, NS_MODE_RAW },
	};
	char ns[256], err[LAYOUT_ERR_MAX];
	struct layout l;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(ns, sizeof(ns), "{\"name\": \"a\", \"size\": \"2M\"%s}",
			 cases[i].keys);
		check(parse_one(ns, &l, err) == 0 && l.regions[0].nr_ns == 1 &&
		      l.regions[0].ns[0].has_mode == cases[i].has_mode &&
		      l.regions[0].ns[0].mode == cases[i].mode,
		      "mode%s", cases[i].keys);
		layout_free(&l);
	}
}

/* Many namespaces: linear time, and a duplicate at the end is found. */
static char *many(size_t n, const char *last)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fputs("[{\"dev\": \"region0\", \"namespaces\": [", f);
	for (i = 0; i < n; i++) {
		/* the second region after 16384, as big as a region gets */
		if (i == 16384)
			fputs("]}, {\"dev\": \"region1\", \"namespaces\": [", f);
		else if (i)
			fputc(',', f);
		fprintf(f, "{\"name\": \"ns%zu\", \"size\": %zu, "
			"\"uuid\": \"00000000-0000-4000-8000-%012zx\"}",
			i, (i % 7 + 1) << 21, i);
	}
	if (last)
		fprintf(f, ",%s", last);
	fputs("]}]", f);
	fclose(f);
	return text;
}

static void test_many(void)
{
	char err[LAYOUT_ERR_MAX], *text;
	struct layout l;
	int ret;

	text = many(20000, NULL);
	ret = text ? parse(text, &l, err) : -ENOMEM;
	check(ret == 0, "20000 namespaces parse (%d)", ret);
	if (ret)
		printf("#   %s\n", err);
	check(l.nr_regions == 2 && l.regions[0].nr_ns == 16384 &&
	      l.regions[1].nr_ns == 20000 - 16384, "20000 namespaces: counts");
	if (l.nr_regions == 2 && l.regions[1].nr_ns == 20000 - 16384) {
		const struct layout_ns *ns = &l.regions[1].ns[20000 - 16384 - 1];

		check_str(ns->name, "ns19999", "20000 namespaces: last name");
		check_str(ns->place, "[1].namespaces[3615]",
			  "20000 namespaces: last place");
		check(ns->size == (19999 % 7 + 1) << 21 && ns->has_uuid &&
		      ns->uuid[15] == (19999 & 0xff),
		      "20000 namespaces: last values");
	}
	layout_free(&l);
	free(text);

	text = many(20000, "{\"name\": \"ns7\", \"size\": \"2M\"}");
	check(text && parse(text, &l, err) == -EINVAL, "a duplicate name at the end");
	check_str(err, "[1].namespaces[3616].name: 'ns7' is already at [0].namespaces[7]",
		  "a duplicate name at the end: message");
	layout_free(&l);
	free(text);

	text = many(20000, "{\"name\": \"x\", \"size\": \"2M\", \"uuid\": \"00000000-0000-4000-8000-000000004e1f\"}");
	check(text && parse(text, &l, err) == -EINVAL, "a duplicate UUID at the end");
	check_str(err, "[1].namespaces[3616].uuid: 00000000-0000-4000-8000-000000004e1f is already at [1].namespaces[3615]",
		  "a duplicate UUID at the end: message");
	layout_free(&l);
	free(text);
}

/* A failure leaves what was read so far, and layout_free() frees it all. */
static void test_partial(void)
{
	char err[LAYOUT_ERR_MAX];
	struct layout l, zero = { 0 };

	check(parse("[{\"dev\": \"region0\", \"namespaces\": [{\"name\": \"a\", \"size\": \"2M\"}]},"
		    " {\"dev\": \"region1\", \"namespaces\": [{\"name\": \"b\", \"size\": \"2M\"},"
		    " {\"name\": \"c\", \"size\": 1}]}, {\"dev\": \"region2\"}]",
		    &l, err) == -EINVAL, "error in the second region");
	check(l.nr_regions <= 3 && l.nr_regions >= 2 &&
	      l.regions[0].nr_ns == 1, "the first region is kept");
	layout_free(&l);	/* LeakSanitizer checks at exit */
	check(l.nr_regions == 0 && !l.regions, "freed");
	layout_free(&zero);
	check(1, "layout_free on a zeroed layout");
}

int main(void)
{
	test_every_key();
	test_devdax();
	test_list_output();
	test_json_errors();
	test_region_errors();
	test_ns_errors();
	test_duplicates();
	test_modes();
	test_many();
	test_partial();
	return tap_done();
}
