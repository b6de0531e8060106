// SPDX-License-Identifier: GPL-2.0-only
/*
 * Forge label store structures with valid checksums, for the hostile-media
 * VM test: it prints "PHYSADDR HEXBYTES" lines that test/vm/run-test writes
 * into the guest's RAM file between boots.
 *
 *   label-forge label PHYS SLOT ID OFFSET SIZE ALIGN NAME [pfn PSS|access N]
 *                         (a pfn label whose reserve claims PSS-byte struct
 *                         pages instead of 64, otherwise a raw label; with
 *                         access, one whose access field holds N)
 *   label-forge index PHYS REGION_SIZE COPY SEQ [SLOT...]
 *   label-forge flip PHYS LEN SEED COUNT     COUNT random bit flips (XOR)
 *
 * PHYS is the region's physical start; numbers take 0x prefixes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/label-format.h"

static unsigned long long num(const char *s)
{
	return strtoull(s, NULL, 0);
}

static void emit(unsigned long long addr, const unsigned char *buf, size_t len)
{
	size_t i;

	printf("%#llx ", addr);
	for (i = 0; i < len; i++)
		printf("%02x", buf[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static unsigned char buf[PMEMCTL_INDEX_SIZE];
	unsigned long long phys;

	if (argc < 3)
		goto usage;
	phys = num(argv[2]);

	if (!strcmp(argv[1], "label") && (argc == 9 ||
					    (argc == 11 && (!strcmp(argv[9], "pfn") ||
							    !strcmp(argv[9], "access"))))) {
		bool pfn = argc == 11 && !strcmp(argv[9], "pfn");
		struct lf_ns ns = { 0 };
		unsigned int i;

		ns.slot = (u32)num(argv[3]);
		ns.id = (u32)num(argv[4]);
		ns.offset = num(argv[5]);
		ns.size = num(argv[6]);
		ns.align = num(argv[7]);
		ns.mode = pfn ? PMEMCTL_MODE_PFN : PMEMCTL_MODE_RAW;
		lf_set_layout(&ns);
		if (pfn)
			ns.page_struct_size = (u32)num(argv[10]);
		else if (argc == 11)
			ns.access = (u32)num(argv[10]);
		snprintf(ns.name, sizeof(ns.name), "%s", argv[8]);
		for (i = 0; i < sizeof(ns.uuid); i++)
			ns.uuid[i] = (u8)(0xa0 + i + ns.slot);
		lf_label_encode(buf, &ns);
		emit(phys + 2 * PMEMCTL_INDEX_SIZE + (unsigned long long)ns.slot * PMEMCTL_LABEL_SIZE,
		     buf, PMEMCTL_LABEL_SIZE);
		return 0;
	}
	if (!strcmp(argv[1], "index") && argc >= 6) {
		u8 used[PMEMCTL_NSLOTS / 8] = { 0 };
		u32 copy = (u32)num(argv[4]);
		int i;

		for (i = 6; i < argc; i++)
			lf_slot_set(used, (u32)num(argv[i]), true);
		lf_index_encode(buf, copy, num(argv[5]), num(argv[3]), used);
		emit(phys + copy * PMEMCTL_INDEX_SIZE, buf, PMEMCTL_INDEX_SIZE);
		return 0;
	}
	if (!strcmp(argv[1], "flip") && argc == 6) {
		unsigned long long len = num(argv[3]);
		unsigned int seed = (unsigned int)num(argv[4]), n = (unsigned int)num(argv[5]);

		srand(seed);
		while (n--) {
			unsigned long long off = (((unsigned long long)rand() << 16) ^ (unsigned long long)rand()) % len;
			unsigned char b = (unsigned char)(1u << (rand() % 8));

			printf("%#llx ^%02x\n", phys + off, b);
		}
		return 0;
	}
usage:
	fprintf(stderr, "usage: see the comment at the top of label-forge.c\n");
	return 2;
}
