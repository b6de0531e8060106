// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for common/nsarg.c: namespace names, UUIDs, and the forms a
 * namespace or region is named in on the command line.
 */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "test/unit/tap.h"

static void test_names(void)
{
	char longest[NS_NAME_MAX + 2];

	check(ns_name_valid("db"), "plain name");
	check(ns_name_valid("A-z_0.9"), "every allowed class");
	check(!ns_name_valid(""), "empty");
	check(!ns_name_valid(NULL), "NULL");
	check(!ns_name_valid("a b"), "blank");
	check(!ns_name_valid("a/b"), "slash");
	check(!ns_name_valid("caf\xc3\xa9"), "non-ASCII");
	memset(longest, 'x', NS_NAME_MAX);
	longest[NS_NAME_MAX] = '\0';
	check(ns_name_valid(longest), "63 characters");
	longest[NS_NAME_MAX] = 'x';
	longest[NS_NAME_MAX + 1] = '\0';
	check(!ns_name_valid(longest), "64 characters");
}

static void test_uuid(void)
{
	static const unsigned char want[UUID_BYTES] = {
		0x6f, 0x1b, 0x2a, 0x3c, 0x4d, 0x5e, 0x4f, 0x60,
		0x81, 0x72, 0x93, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8,
	};
	unsigned char u[UUID_BYTES];
	char buf[UUID_STR_LEN + 1];

	check(uuid_from_str("6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e8", u) == 0 &&
	      memcmp(u, want, sizeof(u)) == 0, "lower case");
	check(uuid_from_str("6F1B2A3C-4D5E-4F60-8172-93A4B5C6D7E8", u) == 0 &&
	      memcmp(u, want, sizeof(u)) == 0, "upper case");
	check_str(uuid_to_str(want, buf), "6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e8",
		  "printed lower case");
	check(uuid_from_str("6f1b2a3c4d5e4f60817293a4b5c6d7e8", u) == -EINVAL, "no dashes");
	check(uuid_from_str("6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e", u) == -EINVAL, "short");
	check(uuid_from_str("6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e8a", u) == -EINVAL, "long");
	check(uuid_from_str("6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7eg", u) == -EINVAL, "not hex");
	check(uuid_from_str("6f1b2a3c-4d5e4-f60-8172-93a4b5c6d7e8", u) == -EINVAL,
	      "dash misplaced");
	check(uuid_from_str(NULL, u) == -EINVAL, "NULL");
}

static void test_devname(void)
{
	unsigned int r = 9, id = 9;

	check(ns_devname_parse("namespace0.1", &r, &id) == 0 && r == 0 && id == 1,
	      "namespace0.1");
	check(ns_devname_parse("12.4095", &r, &id) == 0 && r == 12 && id == 4095, "12.4095");
	check(ns_devname_parse("namespace0", &r, &id) == -EINVAL, "no dot");
	check(ns_devname_parse("0.", &r, &id) == -EINVAL, "no namespace number");
	check(ns_devname_parse(".1", &r, &id) == -EINVAL, "no region number");
	check(ns_devname_parse("00.1", &r, &id) == -EINVAL, "leading zero");
	check(ns_devname_parse("0.1.2", &r, &id) == -EINVAL, "two dots");
	check(ns_devname_parse("namespace-1.0", &r, &id) == -EINVAL, "sign");
	check(ns_devname_parse("region0.1", &r, &id) == -EINVAL, "wrong prefix");
	check(region_arg_parse("region3", &r) == 0 && r == 3, "region3");
	check(region_arg_parse("3", &r) == 0 && r == 3, "3");
	check(region_arg_parse("region", &r) == -EINVAL, "region alone");
	check(region_arg_parse("all", &r) == -EINVAL, "all is not a number");
}

static void test_ns_arg(void)
{
	struct ns_arg a;

	check(ns_arg_parse("0.3", &a) == 0 && a.kind == NS_ARG_DEVNAME &&
	      a.region == 0 && a.id == 3, "R.N");
	check(ns_arg_parse("namespace1.2", &a) == 0 && a.kind == NS_ARG_DEVNAME &&
	      a.region == 1 && a.id == 2, "namespaceR.N");
	check(ns_arg_parse("6f1b2a3c-4d5e-4f60-8172-93a4b5c6d7e8", &a) == 0 &&
	      a.kind == NS_ARG_UUID && a.uuid[0] == 0x6f, "UUID");
	check(ns_arg_parse("db", &a) == 0 && a.kind == NS_ARG_NAME &&
	      strcmp(a.name, "db") == 0, "name");
	check(ns_arg_parse("1.2.3", &a) == 0 && a.kind == NS_ARG_NAME,
	      "dotted, not R.N: a name");
	check(ns_arg_parse("a/b", &a) == -EINVAL, "none of the forms");
	check(ns_arg_parse("", &a) == -EINVAL, "empty");
}

int main(void)
{
	test_names();
	test_uuid();
	test_devname();
	test_ns_arg();
	return tap_done();
}
