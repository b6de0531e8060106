// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Log levels as users write them, in PMEMCTL_LOG (read by the library)
 * and in the CLI's --log-level: one parser, so both take the same words.
 */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "common/util.h"

int log_level_parse(const char *s, int *prio)
{
	static const struct {
		const char *name;
		int prio;
	} names[] = {
		{ "off", LOG_LEVEL_OFF },
		{ "err", LOG_ERR },
		{ "info", LOG_INFO },
		{ "debug", LOG_DEBUG },
	};
	unsigned int i, v;

	for (i = 0; s && i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i].name) == 0) {
			*prio = names[i].prio;
			return 0;
		}
	}
	if (s && parse_uint_strict(s, &v) == 0 && v <= LOG_DEBUG) {
		*prio = (int)v;
		return 0;
	}
	return -EINVAL;
}
