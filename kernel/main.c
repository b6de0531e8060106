// SPDX-License-Identifier: GPL-2.0-only
/*
 * pmemctl: persistent memory regions, namespaces and their page backing.
 *
 * Ownership of legacy (e820 type 12) persistent memory goes through the
 * driver model: the kernel creates one "e820_pmem" platform device when such
 * ranges exist, and both nd_e820 and pmemctl are drivers for it. Whichever is
 * bound owns the ranges; the other leaves them alone. pmemctl declares no
 * module alias for that device, so udev never loads it behind the user.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include <pmemctl.h>

#include "compat.h"
#include "internal.h"

struct bus_type pmemctl_bus_type = {
	.name = PMEMCTL_BUS_NAME,
};

/*
 * Objects whose release runs this module's code: region and namespace
 * devices (their device_type's release) and added gendisks (free_disk in
 * pmemctl_blk_fops, read by the block layer's disk_release). Removing one
 * drops our reference, not necessarily the last: a sysfs reader, a
 * udev probe or CONFIG_DEBUG_KOBJECT_RELEASE (which delays every release
 * by up to a few seconds) may drop it later, after the module is gone. The
 * count is taken when each one is initialised and dropped as the last
 * statement of its release; module exit and a failed init wait for zero.
 */
static atomic_t pmemctl_live = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(pmemctl_live_wq);

void pmemctl_live_get(void)
{
	atomic_inc(&pmemctl_live);
}

void pmemctl_live_put(void)
{
	if (atomic_dec_and_test(&pmemctl_live))
		wake_up(&pmemctl_live_wq);
}

static void pmemctl_live_wait(void)
{
	wait_event(pmemctl_live_wq, !atomic_read(&pmemctl_live));
}

static int pmemctl_e820_probe(struct platform_device *pdev)
{
	struct list_head *regions;
	int rc;

	regions = devm_kzalloc(&pdev->dev, sizeof(*regions), GFP_KERNEL);
	if (!regions)
		return -ENOMEM;
	INIT_LIST_HEAD(regions);

	rc = pmemctl_regions_probe(&pdev->dev, regions);
	if (rc < 0)
		return rc;
	platform_set_drvdata(pdev, regions);
	return 0;
}

static void pmemctl_e820_remove(struct platform_device *pdev)
{
	pmemctl_regions_remove(platform_get_drvdata(pdev));
}

static const struct platform_device_id pmemctl_e820_ids[] = {
	{ .name = "e820_pmem" },
	{ }
};

static struct platform_driver pmemctl_e820_driver = {
	.probe = pmemctl_e820_probe,
	.remove_new = pmemctl_e820_remove,
	.id_table = pmemctl_e820_ids,
	.driver = {
		.name = "pmemctl_e820",
		/* Unbinding under mounted namespaces must not be one echo away. */
		.suppress_bind_attrs = true,
	},
};

/* Say once, in the log, why pmemctl did not take the legacy ranges. */
static void pmemctl_e820_report_owner(void)
{
	struct device_driver *drv;
	struct device *dev;

	dev = bus_find_device_by_name(&platform_bus_type, NULL, "e820_pmem");
	if (!dev) {
		pr_info("no legacy persistent memory ranges (e820 type 12, memmap=nn!ss) found\n");
		return;
	}

	device_lock(dev);
	drv = dev->driver;
	if (!drv)
		pr_info("legacy persistent memory found but none of it could be claimed\n");
	else if (drv != &pmemctl_e820_driver.driver)
		pr_info("legacy persistent memory is owned by driver %s (module %s); leaving it alone\n",
			drv->name, drv->owner ? module_name(drv->owner) : "built-in");
	device_unlock(dev);
	put_device(dev);
}

static int __init pmemctl_init(void)
{
	int rc;

	/* before any region exists: its device type points at them */
	pmemctl_region_groups_init();

	/* before any region is read: injected poison applies from the start */
	rc = pmemctl_media_init();
	if (rc)
		return rc;

	rc = pmemctl_ddax_init();
	if (rc)
		goto out_media;

	rc = bus_register(&pmemctl_bus_type);
	if (rc)
		goto out_ddax;

	rc = pmemctl_control_register();
	if (rc)
		goto out_bus;

	rc = platform_driver_register(&pmemctl_e820_driver);
	if (rc)
		goto out_control;

	pmemctl_e820_report_owner();
	return 0;

out_control:
	pmemctl_control_unregister();
out_bus:
	bus_unregister(&pmemctl_bus_type);
	pmemctl_bus_wait_released(&pmemctl_bus_type);
out_ddax:
	pmemctl_live_wait();
	pmemctl_ddax_exit();
out_media:
	pmemctl_media_exit();
	pmemctl_live_wait();
	return rc;
}

static void __exit pmemctl_exit(void)
{
	platform_driver_unregister(&pmemctl_e820_driver);
	pmemctl_control_unregister();
	bus_unregister(&pmemctl_bus_type);
	pmemctl_media_exit();
	pmemctl_live_wait();
	pmemctl_bus_wait_released(&pmemctl_bus_type);
	pmemctl_ddax_exit();	/* its devices are released by now */
}

module_init(pmemctl_init);
module_exit(pmemctl_exit);

MODULE_DESCRIPTION("Persistent memory namespaces with a choice of page backing");
MODULE_LICENSE("GPL");
MODULE_VERSION(PMEMCTL_VERSION);
