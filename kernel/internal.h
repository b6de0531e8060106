/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pmemctl.ko internal interfaces shared between its source files.
 */
#ifndef _PMEMCTL_KERNEL_INTERNAL_H
#define _PMEMCTL_KERNEL_INTERNAL_H

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/sizes.h>

/* Namespaces start on this boundary: memremap_pages() subsection size. */
#define PMEMCTL_REGION_ALIGN	SZ_2M

extern struct bus_type pmemctl_bus_type;

/*
 * One legacy persistent memory range claimed by pmemctl.
 *
 * Lifetime: embedded struct device; freed by its release callback once the
 * last reference is dropped, which may be after pmemctl_regions_remove()
 * returns if userspace still holds a sysfs file open.
 */
struct pmemctl_region {
	struct device dev;
	struct list_head node;
	int id;
	phys_addr_t start;
	resource_size_t size;
};

static inline struct pmemctl_region *to_pmemctl_region(struct device *dev)
{
	return container_of(dev, struct pmemctl_region, dev);
}

/* region.c: discovery and region devices under @parent (may sleep). */
int pmemctl_regions_probe(struct device *parent, struct list_head *regions);
void pmemctl_regions_remove(struct list_head *regions);

/* control.c: the /dev/pmemctl misc device. */
int pmemctl_control_register(void);
void pmemctl_control_unregister(void);

#endif /* _PMEMCTL_KERNEL_INTERNAL_H */
