/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * errno values as names ("EBUSY"), as the VM test programs print them for
 * the scripts to match; "0" for success, "errnoN" for a value glibc has no
 * name for.
 */
#ifndef PMEMCTL_TEST_ERRNAME_H
#define PMEMCTL_TEST_ERRNAME_H

#include <stdio.h>
#include <string.h>

static inline const char *errname(int e)
{
	static char buf[32];
	const char *s = e ? strerrorname_np(e) : "0";

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

#endif
