// SPDX-License-Identifier: GPL-2.0-or-later
/* What set-owner and show-owner both report: see owner-report.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/json.h"
#include "cli/owner-report.h"
#include "cli/owner.h"
#include "cli/pmemctl.h"

static int add_line(const char *file, unsigned int line, const char *text,
		    void *arg)
{
	struct json_object *array = arg, *entry;

	entry = json_object_new_object();
	if (!entry || json_object_array_add(array, entry) < 0) {
		json_object_put(entry);
		return -ENOMEM;
	}
	if (json_add_string(entry, "file", file) < 0 ||
	    json_add_int(entry, "line", (int)line) < 0 ||
	    json_add_string(entry, "text", text) < 0)
		return -ENOMEM;
	return 0;
}

static int owner_report_add(struct json_object *obj, const char *cmd)
{
	struct json_object *other;
	char bound[64];
	size_t i, n;
	int err;

	err = owner_bound(OWNER_E820_DEVICE, bound, sizeof(bound));
	if (err == -ENOENT)
		err = json_object_object_add(obj, "current_owner", NULL);
	else if (err < 0)
		err = json_add_string(obj, "current_owner", "unknown");
	else
		err = json_add_string(obj, "current_owner", bound);
	if (err < 0)
		return -ENOMEM;

	other = json_object_new_array();
	if (!other || json_object_object_add(obj, "other_config", other) < 0) {
		json_object_put(other);
		return -ENOMEM;
	}
	err = owner_other_config(owner_modprobe_dirs, OWNER_CONF, add_line, other);
	if (err < 0)
		return err;

	n = json_object_array_length(other);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(other, i), *f, *l;

		json_object_object_get_ex(e, "file", &f);
		json_object_object_get_ex(e, "line", &l);
		fprintf(stderr,
			"%s %s: warning: %s:%d also decides who drives the legacy ranges; review or remove it\n",
			program_name, cmd, json_object_get_string(f),
			json_object_get_int(l));
	}
	return 0;
}

int owner_report_print(struct json_object *obj, int err, const char *cmd)
{
	if (!obj)
		err = -ENOMEM;
	if (!err)
		err = owner_report_add(obj, cmd);
	if (!err)
		err = json_print(stdout, obj);
	json_object_put(obj);
	if (err < 0)
		return cli_error(cmd, "cannot report the owner: %s", strerror(-err));
	return EXIT_SUCCESS;
}
