/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The part of set-owner's and show-owner's JSON that reads the system. */
#ifndef PMEMCTL_CLI_OWNER_REPORT_H
#define PMEMCTL_CLI_OWNER_REPORT_H

struct json_object;

/*
 * Print @obj (which it frees) as set-owner and show-owner do, after adding
 * "current_owner" (owner_bound(): pmemctl, libnvdimm, none, another
 * driver's name, or null when the kernel found no legacy range) and
 * "other_config" (owner_other_config(): [{file, line, text}]) to @obj, and
 * warning on stderr, as @cmd, about each other_config line. @err is what
 * building @obj's own keys returned: when it is an error, or @obj is NULL,
 * only the error is reported. Returns the exit status.
 */
int owner_report_print(struct json_object *obj, int err, const char *cmd);

#endif
