// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON form of a namespace, as list prints it and every command that
 * reports one; see cli/namespace.h.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli/json.h"
#include "cli/namespace.h"
#include "cli/pmemctl.h"
#include "libpmemctl.h"


void ns_view_from_namespace(struct pmemctl_namespace *ns, struct ns_view *v)
{
	int enabled = pmemctl_namespace_is_enabled(ns);

	memset(v, 0, sizeof(*v));
	v->dev = pmemctl_namespace_get_devname(ns);
	v->region = pmemctl_region_get_devname(pmemctl_namespace_get_region(ns));
	v->mode = pmemctl_namespace_get_mode(ns);
	v->access = pmemctl_namespace_get_access(ns);
	v->size = pmemctl_namespace_get_size(ns);
	v->align = pmemctl_namespace_get_align(ns);
	v->uuid = pmemctl_namespace_get_uuid(ns);
	v->name = pmemctl_namespace_get_name(ns);
	v->state = enabled == 1 ? "enabled" : enabled == 0 ? "disabled" : NULL;
	v->blockdev = pmemctl_namespace_get_blockdev(ns);
	v->chardev = pmemctl_namespace_get_chardev(ns);
	v->numa_node = pmemctl_namespace_get_numa_node(ns);
	v->resource = pmemctl_namespace_get_resource(ns);
	v->cost_known = pmemctl_namespace_get_cost(ns, &v->cost) == 0;
	v->npfns = pmemctl_namespace_get_npfns(ns);
	v->page_struct_size = pmemctl_namespace_get_page_struct_size(ns);
	if (pmemctl_namespace_get_ram_peak(ns, &v->ram_peak) < 0)
		v->ram_peak = ULLONG_MAX;
	if (pmemctl_namespace_get_ram_per_gib(ns, &v->ram_per_gib) < 0)
		v->ram_per_gib = ULLONG_MAX;
}

void ns_view_planned(struct ns_view *v, struct ns_planned_names *names,
		     struct pmemctl_region *region, int id,
		     const unsigned char *uuid, enum ns_mode mode,
		     enum ns_access access, unsigned long long size,
		     unsigned long long align, const char *name, bool enabled)
{
	unsigned int r = pmemctl_region_get_id(region);

	memset(v, 0, sizeof(*v));
	v->region = pmemctl_region_get_devname(region);
	if (id >= 0) {
		snprintf(names->dev, sizeof(names->dev), "namespace%u.%d", r, id);
		if (access == NS_ACCESS_DEVDAX)
			snprintf(names->node, sizeof(names->node),
				 "pmemctl-dax%u.%d", r, id);
		else
			snprintf(names->node, sizeof(names->node), "pmem%un%d",
				 r, id);
		v->dev = names->dev;
		if (enabled && access == NS_ACCESS_DEVDAX)
			v->chardev = names->node;
		else if (enabled)
			v->blockdev = names->node;
	}
	if (uuid)
		v->uuid = uuid_to_str(uuid, names->uuid);
	v->mode = ns_mode_name(mode);
	v->access = ns_access_name(access);
	v->size = size;
	v->align = align;
	v->name = name;
	v->state = enabled ? "enabled" : "disabled";
	v->numa_node = pmemctl_region_get_numa_node(region);
	v->resource = ULLONG_MAX;
	v->npfns = mode == NS_MODE_PFN ? size / 4096 : 0;
	v->page_struct_size = mode == NS_MODE_PFN ? 64 : 0;
	v->ram_peak = ULLONG_MAX;
	v->ram_per_gib = ULLONG_MAX;
}

struct json_object *ns_view_to_json(const struct ns_view *v, unsigned int flags)
{
	struct json_object *obj = json_object_new_object();
	unsigned long long unknown = ULLONG_MAX;
	const struct pmemctl_cost *c = &v->cost;
	int err = 0;

	if (!obj)
		return NULL;

	/* Key order is part of the output format: see pmemctl-list(1). */
	err = err ?: json_add_string(obj, "dev", v->dev);
	err = err ?: json_add_string(obj, "region", v->region);
	err = err ?: json_add_string(obj, "mode", v->mode);
	err = err ?: json_add_string(obj, "access", v->access);
	err = err ?: json_add_size(obj, "size", v->size, flags);
	err = err ?: json_add_size(obj, "data_size",
				   v->cost_known ? c->data_size : unknown, flags);
	err = err ?: json_add_size(obj, "metadata_ram",
				   v->cost_known ? c->ram_bytes : unknown, flags);
	if (ns_mode_is(v->mode, NS_MODE_ONDEMAND)) {
		err = err ?: json_add_size(obj, "metadata_ram_peak", v->ram_peak,
					   flags);
		err = err ?: json_add_size(obj, "metadata_ram_per_gib",
					   v->ram_per_gib, flags);
	}
	err = err ?: json_add_size(obj, "metadata_dev",
				   v->cost_known ? c->dev_bytes : unknown, flags);
	err = err ?: json_add_size(obj, "align", v->align, flags);
	err = err ?: json_add_string(obj, "uuid", v->uuid);
	err = err ?: json_add_string(obj, "name", v->name);
	err = err ?: json_add_string(obj, "state", v->state);
	err = err ?: json_add_string(obj, "blockdev", v->blockdev);
	err = err ?: json_add_string(obj, "chardev", v->chardev);
	err = err ?: json_add_count(obj, "numa_node", v->numa_node);
	if (flags & JSON_NS_RESOURCE) {
		err = err ?: json_add_size(obj, "data_offset",
					   v->cost_known ? c->data_offset : unknown,
					   flags);
		err = err ?: json_add_count(obj, "npfns", v->npfns == unknown ?
					    -1 : (long long)v->npfns);
		err = err ?: json_add_count(obj, "page_struct_size",
					    v->cost_known ? (long long)v->page_struct_size : -1);
		err = err ?: json_add_address(obj, "resource", v->resource, flags);
	}
	if (err < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

int ns_print(const char *cmd, struct json_object *obj, int status)
{
	int err;

	if (!obj)
		return cli_error(cmd, "%s", strerror(ENOMEM));
	err = json_print(stdout, obj);
	json_object_put(obj);
	if (err < 0)
		return cli_error(cmd, "cannot write output: %s", strerror(-err));
	return status;
}

struct json_object *namespace_to_json(struct pmemctl_namespace *ns,
				      unsigned int flags)
{
	struct ns_view v;

	ns_view_from_namespace(ns, &v);
	return ns_view_to_json(&v, flags);
}

struct json_object *cost_to_json(const struct pmemctl_cost *c, unsigned int flags)
{
	struct json_object *obj = json_object_new_object();
	int err = 0;

	if (!obj)
		return NULL;
	err = err ?: json_add_size(obj, "data_size", c->data_size, flags);
	err = err ?: json_add_size(obj, "metadata_ram", c->ram_bytes, flags);
	err = err ?: json_add_size(obj, "metadata_dev", c->dev_bytes, flags);
	if (err < 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}
