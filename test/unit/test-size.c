// SPDX-License-Identifier: LGPL-2.1-or-later
/* Unit tests for common/size.c: size_to_human(), size_parse(), parse_uint_strict(). */
#include <errno.h>
#include <limits.h>

#include "common/util.h"
#include "test/unit/tap.h"

static void test_human(void)
{
	static const struct {
		unsigned long long bytes;
		const char *text;
	} cases[] = {
		{ 0, "0 B" },
		{ 1, "1 B" },
		{ 1023, "1023 B" },
		{ 1024, "1.00 KiB" },
		{ 1536, "1.50 KiB" },
		{ 2097152, "2.00 MiB" },
		{ 536870912, "512.00 MiB" },
		{ 1073741824, "1.00 GiB" },
		{ 1610612736, "1.50 GiB" },
		{ 1073741824ULL + 5368709, "1.00 GiB" },	/* +0.49% rounds down */
		{ 1073741824ULL + 5368710, "1.01 GiB" },	/* +0.50% rounds up */
		{ 1048575, "1.00 MiB" },	/* 1023.999 KiB: next unit */
		{ 1099511627776ULL, "1.00 TiB" },
		{ 1ULL << 60, "1.00 EiB" },
		{ ULLONG_MAX, "16.00 EiB" },
	};
	char buf[SIZE_HUMAN_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_str(size_to_human(cases[i].bytes, buf, sizeof(buf)),
			  cases[i].text, "size_to_human(%llu)", cases[i].bytes);
}

static void test_parse(void)
{
	static const struct {
		const char *text;
		int err;
		unsigned long long bytes;
	} cases[] = {
		{ "0", 0, 0 },
		{ "4096", 0, 4096 },
		{ "1K", 0, 1024 },
		{ "1k", 0, 1024 },
		{ "2M", 0, 2097152 },
		{ "2MiB", 0, 2097152 },
		{ "2mb", 0, 2097152 },
		{ "1G", 0, 1073741824 },
		{ "1GiB", 0, 1073741824 },
		{ "3T", 0, 3ULL << 40 },
		{ "1P", 0, 1ULL << 50 },
		{ "15E", 0, 15ULL << 60 },
		{ "0x140000000", 0, 0x140000000ULL },
		{ "18446744073709551615", 0, ULLONG_MAX },
		{ "16E", -ERANGE, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "G", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 G", -EINVAL, 0 },
		{ "1.5G", -EINVAL, 0 },
		{ "1Gi", -EINVAL, 0 },
		{ "1GBx", -EINVAL, 0 },
		{ "1X", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0x1G", -EINVAL, 0 },
	};
	unsigned long long bytes;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bytes = 0;
		err = size_parse(cases[i].text, &bytes);
		check(err == cases[i].err && (err || bytes == cases[i].bytes),
		      "size_parse(\"%s\") = %d, %llu", cases[i].text, err, bytes);
	}
	check(size_parse(NULL, &bytes) == -EINVAL, "size_parse(NULL)");
}

static void test_uint(void)
{
	unsigned int v = 7;

	check(parse_uint_strict("0", &v) == 0 && v == 0, "\"0\"");
	check(parse_uint_strict("10", &v) == 0 && v == 10, "\"10\"");
	check(parse_uint_strict("4294967295", &v) == 0 && v == UINT_MAX, "UINT_MAX");
	check(parse_uint_strict("4294967296", &v) == -ERANGE, "UINT_MAX + 1");
	check(parse_uint_strict("01", &v) == -EINVAL, "leading zero");
	check(parse_uint_strict("", &v) == -EINVAL, "empty");
	check(parse_uint_strict("+1", &v) == -EINVAL, "sign");
	check(parse_uint_strict("1a", &v) == -EINVAL, "trailing junk");
}

int main(void)
{
	test_human();
	test_parse();
	test_uint();
	return tap_done();
}
