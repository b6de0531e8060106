// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memmap cost arithmetic, built from kernel/memmap-cost.c and
 * kernel/label-format.c exactly as the module builds them: what raw, page
 * and pfn namespaces cost at section-aligned and unaligned starts, the pfn
 * reserve lf_set_layout() sizes, and the rules that hold for every
 * placement (the reserve always holds the memmap of 64-byte struct pages;
 * pfn moves exactly the full sections' memmap from RAM to the device).
 *
 * Expected figures are worked out by hand in the comments, from the rules
 * in memmap-cost.h: a 128 MiB section the namespace covers whole costs
 * round_up(32768 * page_struct_size, 2 MiB) (RAM in page mode, the reserve
 * in pfn mode); a partly covered one costs round_up(pages * size, 4 KiB)
 * plus one 4 KiB page-table page, from RAM, in both modes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/memmap-cost.h"
#include "tap.h"

#define KIB		(1ULL << 10)
#define MIB		(1ULL << 20)
#define GIB		(1ULL << 30)
#define TIB		(1ULL << 40)
#define SECTION		(128 * MIB)

/* The struct page size userspace assumes, and one a debug kernel may have. */
#define PSS		64
#define PSS_BIG		72

static void make_ns(struct lf_ns *ns, u32 mode, u64 size)
{
	memset(ns, 0, sizeof(*ns));
	ns->mode = mode;
	ns->size = size;
	ns->align = 2 * MIB;
	lf_set_layout(ns);
}

/* Cost of a @mode namespace of @size at @phys; garbage in @c first. */
static void cost_of(u32 mode, u64 phys, u64 size, u32 pss, struct mc_cost *c)
{
	struct lf_ns ns;

	make_ns(&ns, mode, size);
	memset(c, 0xa5, sizeof(*c));
	mc_cost(phys, &ns, pss, 0, c);
}

/* Compare every field, printing what differs. */
static void expect_cost(const char *what, const struct mc_cost *got,
			u64 data_offset, u64 data_size, u64 ram, u64 dev,
			u64 dev_used)
{
	int ok = got->data_offset == data_offset &&
		 got->data_size == data_size && got->ram_bytes == ram &&
		 got->dev_bytes == dev && got->dev_used == dev_used;

	check(ok, "%s", what);
	if (!ok)
		printf("#   got data_offset %llu data_size %llu ram %llu dev %llu dev_used %llu\n"
		       "#  want data_offset %llu data_size %llu ram %llu dev %llu dev_used %llu\n",
		       (unsigned long long)got->data_offset,
		       (unsigned long long)got->data_size,
		       (unsigned long long)got->ram_bytes,
		       (unsigned long long)got->dev_bytes,
		       (unsigned long long)got->dev_used,
		       (unsigned long long)data_offset,
		       (unsigned long long)data_size, (unsigned long long)ram,
		       (unsigned long long)dev, (unsigned long long)dev_used);
}

static void test_raw(void)
{
	struct mc_cost c;

	/* raw has no memmap: all of it is data, wherever it lies */
	cost_of(PMEMCTL_MODE_RAW, 4 * GIB, SECTION, PSS, &c);
	expect_cost("raw, one whole section: nothing", &c, 0, SECTION, 0, 0, 0);
	cost_of(PMEMCTL_MODE_RAW, 4 * GIB + 2 * MIB, 4 * MIB, PSS, &c);
	expect_cost("raw, 4 MiB at 4G+2M: nothing", &c, 0, 4 * MIB, 0, 0, 0);
	cost_of(PMEMCTL_MODE_RAW, 4 * GIB + 64 * MIB, TIB, PSS_BIG, &c);
	expect_cost("raw, 1 TiB unaligned, 72-byte pages: nothing", &c, 0, TIB, 0, 0, 0);
}

static void test_page(void)
{
	struct mc_cost c;

	/* 32768 pages * 64 = 2 MiB per whole section, from RAM */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, SECTION, PSS, &c);
	expect_cost("page, one whole section: 2 MiB of RAM", &c, 0, SECTION, 2 * MIB, 0, 0);
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, 4 * SECTION, PSS, &c);
	expect_cost("page, four whole sections: 8 MiB of RAM", &c, 0, 4 * SECTION,
		    8 * MIB, 0, 0);
	/* 1024 pages * 64 = 64 KiB, plus a page-table page */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 2 * MIB, 4 * MIB, PSS, &c);
	expect_cost("page, 4 MiB at 4G+2M: 64K+4K of RAM", &c, 0, 4 * MIB,
		    64 * KIB + 4 * KIB, 0, 0);
	/* 1 TiB = 8192 whole sections, 2 MiB each: 16 GiB of RAM */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, TIB, PSS, &c);
	expect_cost("page, 1 TiB section aligned: 16 GiB of RAM", &c, 0, TIB,
		    16 * GIB, 0, 0);
}

static void test_pfn(void)
{
	struct mc_cost c;

	/*
	 * 1024 pfns * 64 = 64 KiB, reserved as 2 MiB. Its only section is
	 * partly covered, so the memmap comes from RAM and the reserve
	 * stays unused.
	 */
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB + 2 * MIB, 4 * MIB, PSS, &c);
	expect_cost("pfn, 4 MiB at 4G+2M: 64K+4K of RAM, 2 MiB reserved", &c,
		    2 * MIB, 2 * MIB, 64 * KIB + 4 * KIB, 2 * MIB, 0);
	/* 131072 pfns * 64 = 8 MiB; four whole sections fill it exactly */
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB + SECTION, 512 * MIB, PSS, &c);
	expect_cost("pfn, 512 MiB at 4G+128M: no RAM, 8 MiB reserved and used", &c,
		    8 * MIB, 504 * MIB, 0, 8 * MIB, 8 * MIB);
	/* 2^28 pfns * 64 = 16 GiB, all in the reserve */
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB, TIB, PSS, &c);
	expect_cost("pfn, 1 TiB section aligned: no RAM, 16 GiB reserved and used", &c,
		    16 * GIB, TIB - 16 * GIB, 0, 16 * GIB, 16 * GIB);
}

/* The same namespaces in page and pfn mode: where 16 GiB per TiB goes. */
static void test_page_vs_pfn(void)
{
	struct mc_cost page, pfn;

	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, TIB, PSS, &page);
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB, TIB, PSS, &pfn);
	check(page.ram_bytes == pfn.dev_bytes && page.ram_bytes == 16 * GIB &&
	      pfn.ram_bytes == 0 && page.dev_bytes == 0,
	      "1 TiB: page takes 16 GiB of RAM, pfn the same of the device");
	check(page.data_size == TIB && pfn.data_size == TIB - 16 * GIB,
	      "1 TiB: page keeps all of it for data, pfn 16 GiB less");
}

/* Namespaces that start or end inside a section. */
static void test_straddling(void)
{
	struct mc_cost c;

	/*
	 * 256 MiB at 4G+64M: 64 MiB of section 32 (16384 pages: 1 MiB + 4K),
	 * all of section 33 (2 MiB), 64 MiB of section 34 (1 MiB + 4K).
	 */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 64 * MIB, 256 * MIB, PSS, &c);
	expect_cost("page, 256 MiB at 4G+64M: 2M + 2 x (1M+4K) of RAM", &c,
		    0, 256 * MIB, 4 * MIB + 8 * KIB, 0, 0);
	/* pfn: the whole section from the 4 MiB reserve, the parts from RAM */
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB + 64 * MIB, 256 * MIB, PSS, &c);
	expect_cost("pfn, 256 MiB at 4G+64M: 2 x (1M+4K) of RAM, 2 of 4 MiB reserve used",
		    &c, 4 * MIB, 252 * MIB, 2 * MIB + 8 * KIB, 4 * MIB, 2 * MIB);

	/*
	 * One section's worth, 2 MiB off: 126 MiB of section 32 (32256
	 * pages: 2016K + 4K) and 2 MiB of section 33 (32K + 4K). No section
	 * is whole, so it costs more than an aligned one, in RAM, in both
	 * modes.
	 */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 2 * MIB, SECTION, PSS, &c);
	expect_cost("page, 128 MiB at 4G+2M: two partial sections", &c,
		    0, SECTION, 2016 * KIB + 4 * KIB + 32 * KIB + 4 * KIB, 0, 0);
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB + 2 * MIB, SECTION, PSS, &c);
	expect_cost("pfn, 128 MiB at 4G+2M: two partial sections, reserve unused", &c,
		    2 * MIB, SECTION - 2 * MIB, 2016 * KIB + 4 * KIB + 32 * KIB + 4 * KIB,
		    2 * MIB, 0);

	/* 384 MiB at 4G+2M: partial, whole, whole, partial */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 2 * MIB, 3 * SECTION, PSS, &c);
	expect_cost("page, 384 MiB at 4G+2M: 2020K + 2M + 2M + 36K of RAM", &c,
		    0, 3 * SECTION, 2020 * KIB + 4 * MIB + 36 * KIB, 0, 0);
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB + 2 * MIB, 3 * SECTION, PSS, &c);
	expect_cost("pfn, 384 MiB at 4G+2M: 2020K + 36K of RAM, 4 of 6 MiB reserve used",
		    &c, 6 * MIB, 3 * SECTION - 6 * MIB, 2020 * KIB + 36 * KIB, 6 * MIB,
		    4 * MIB);

	/* Ending exactly on a section boundary adds no partial section. */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 64 * MIB, 64 * MIB + SECTION, PSS, &c);
	expect_cost("page, ends on a section boundary: 1M+4K + 2M", &c, 0,
		    64 * MIB + SECTION, MIB + 4 * KIB + 2 * MIB, 0, 0);
	/* Inside one section, touching neither boundary. */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 60 * MIB, 8 * MIB, PSS, &c);
	expect_cost("page, 8 MiB inside a section: 128K + 4K", &c, 0, 8 * MIB,
		    128 * KIB + 4 * KIB, 0, 0);
}

/*
 * A 72-byte struct page (debug kernels): 32768 * 72 = 2.25 MiB per whole
 * section, which the model maps as two 2 MiB blocks, section by section
 * (an upper bound: the kernel shares a block between neighbouring
 * sections). A pfn reserve made for 64 bytes cannot hold it: the memmap
 * would need more of the device than the label reserves, which is why the
 * module refuses to enable it (EOVERFLOW).
 */
static void test_struct_page_size(void)
{
	struct mc_cost c64, c72;

	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, SECTION, PSS, &c64);
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, SECTION, PSS_BIG, &c72);
	check(c64.ram_bytes == 2 * MIB && c72.ram_bytes == 4 * MIB,
	      "whole section: 2 MiB at 64 bytes, 2.25 rounded to 4 MiB at 72");
	/* partial: 1024 * 72 = 72 KiB (18 pages) + 4K */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 2 * MIB, 4 * MIB, PSS_BIG, &c72);
	check(c72.ram_bytes == 72 * KIB + 4 * KIB, "4 MiB at 4G+2M, 72 bytes: 72K + 4K of RAM");
	/* 24 KiB (6 pages) at 64 bytes vs 27 KiB -> 28 KiB (7 pages) at 72 */
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 2 * MIB, 1536 * KIB, PSS, &c64);
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB + 2 * MIB, 1536 * KIB, PSS_BIG, &c72);
	check(c64.ram_bytes == 24 * KIB + 4 * KIB && c72.ram_bytes == 28 * KIB + 4 * KIB,
	      "partial memmaps round up to whole 4 KiB pages");

	cost_of(PMEMCTL_MODE_PFN, 4 * GIB, SECTION, PSS, &c64);
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB, SECTION, PSS_BIG, &c72);
	check(c64.dev_bytes == 2 * MIB && c72.dev_bytes == 2 * MIB,
	      "the reserve is sized for 64 bytes whatever the kernel's struct page");
	check(c64.dev_used == c64.dev_bytes, "64 bytes: the memmap fills the reserve");
	check(c72.dev_used == 4 * MIB && c72.dev_used > c72.dev_bytes,
	      "72 bytes: the memmap (4 MiB) does not fit the 2 MiB reserve");
}

/* lf_set_layout: the reserve is the memmap at 64 bytes, rounded to 2 MiB. */
static void test_layout(void)
{
	static const u64 sizes[] = {
		2 * MIB, 4 * MIB, 6 * MIB, 128 * MIB, 130 * MIB, 254 * MIB,
		256 * MIB, 258 * MIB, 512 * MIB, GIB, GIB + 2 * MIB, 3 * GIB,
		TIB, TIB + 2 * MIB, 64 * TIB,
	};
	struct lf_ns ns;
	u64 size, want;
	size_t i;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		make_ns(&ns, PMEMCTL_MODE_PFN, sizes[i]);
		want = (sizes[i] / 64 + 2 * MIB - 1) / (2 * MIB) * (2 * MIB);
		check(ns.data_offset == want && ns.npfns == sizes[i] / 4096 &&
		      ns.pfn_align == 2 * MIB && ns.page_struct_size == 64,
		      "layout of %llu MiB: reserve %llu MiB = round_up(size/64, 2M)",
		      (unsigned long long)(sizes[i] / MIB),
		      (unsigned long long)(ns.data_offset / MIB));
	}
	make_ns(&ns, PMEMCTL_MODE_PFN, 2 * MIB);
	check(ns.data_offset == ns.size, "2 MiB: the reserve leaves no data (the module says EINVAL)");
	make_ns(&ns, PMEMCTL_MODE_PFN, 130 * MIB);
	check(ns.data_offset == 4 * MIB, "130 MiB: 2080K of memmap takes a second 2 MiB block");

	/* every 2 MiB multiple up to 8 GiB */
	for (size = 2 * MIB; size <= 8 * GIB; size += 2 * MIB) {
		make_ns(&ns, PMEMCTL_MODE_PFN, size);
		if (ns.data_offset % (2 * MIB) || ns.data_offset < ns.npfns * 64 ||
		    ns.data_offset >= ns.npfns * 64 + 2 * MIB)
			ok = 0;
	}
	check(ok, "2 MiB .. 8 GiB: the reserve is the smallest 2 MiB multiple holding the memmap");

	/* raw and page clear a stale layout */
	make_ns(&ns, PMEMCTL_MODE_PFN, GIB);
	ns.mode = PMEMCTL_MODE_PAGE;
	lf_set_layout(&ns);
	check(!ns.data_offset && !ns.npfns && !ns.pfn_align && !ns.page_struct_size,
	      "page: layout cleared");
	make_ns(&ns, PMEMCTL_MODE_PFN, GIB);
	ns.mode = PMEMCTL_MODE_RAW;
	lf_set_layout(&ns);
	check(!ns.data_offset && !ns.npfns && !ns.pfn_align && !ns.page_struct_size,
	      "raw: layout cleared");
}

/*
 * Rules that hold wherever a namespace lies, for every 2 MiB-aligned start
 * in a section and sizes from 4 MiB to over three sections.
 */
static void test_invariants(void)
{
	struct mc_cost page, pfn, raw;
	unsigned int bad_split = 0, bad_fit = 0, bad_sum = 0, bad_raw = 0, n = 0;
	u64 start, size;

	for (start = 4 * GIB; start < 4 * GIB + SECTION; start += 2 * MIB) {
		for (size = 4 * MIB; size <= 3 * SECTION + 8 * MIB; size += 6 * MIB) {
			cost_of(PMEMCTL_MODE_RAW, start, size, PSS, &raw);
			cost_of(PMEMCTL_MODE_PAGE, start, size, PSS, &page);
			cost_of(PMEMCTL_MODE_PFN, start, size, PSS, &pfn);
			n++;
			/* pfn moves the whole sections' blocks to the device */
			if (page.ram_bytes != pfn.ram_bytes + pfn.dev_used ||
			    page.dev_used || page.dev_bytes)
				bad_split++;
			/* 64-byte struct pages always fit the reserve */
			if (pfn.dev_used > pfn.dev_bytes)
				bad_fit++;
			if (pfn.data_offset + pfn.data_size != size ||
			    pfn.dev_bytes != pfn.data_offset ||
			    page.data_size != size || page.data_offset)
				bad_sum++;
			if (raw.ram_bytes || raw.dev_bytes || raw.dev_used ||
			    raw.data_offset || raw.data_size != size)
				bad_raw++;
		}
	}
	check(!bad_split, "%u placements: page RAM = pfn RAM + reserve used", n);
	check(!bad_fit, "%u placements: the pfn memmap fits its reserve", n);
	check(!bad_sum, "%u placements: data_offset + data_size = size", n);
	check(!bad_raw, "%u placements: raw costs nothing", n);
}

/* A devdax namespace of @mode and @align, costed with @flags. */
static void ddax_cost(u32 mode, u64 align, u64 phys, u64 size, u32 flags,
		      struct mc_cost *c)
{
	struct lf_ns ns;

	make_ns(&ns, mode, size);
	ns.access = PMEMCTL_ACCESS_DEVDAX;
	ns.align = align;
	lf_set_layout(&ns);
	memset(c, 0xa5, sizeof(*c));
	mc_cost(phys, &ns, PSS, flags, c);
}

/*
 * Compound pages in a RAM memmap the kernel deduplicates: per section one
 * page-table page, plus two vmemmap pages per compound page starting in
 * it. 2 MiB: 64 per section, 4 KiB + 512 KiB = 516 KiB. 1 GiB: 8 KiB in
 * its first section, and 4 KiB in each of the eight.
 */
static void test_compound(void)
{
	struct mc_cost c;
	struct lf_ns ns;
	u64 pfn_ram, pfn_used;

	ddax_cost(PMEMCTL_MODE_PAGE, 2 * MIB, 4 * GIB, GIB, MC_COMPOUND_DEDUP,
		  &c);
	expect_cost("devdax page 2M, 1 GiB, dedup: 8 x 516 KiB", &c, 0, GIB,
		    8 * 516 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_PAGE, 2 * MIB, 4 * GIB, GIB, 0, &c);
	expect_cost("devdax page 2M, 1 GiB, no dedup: as page mode", &c, 0,
		    GIB, 8 * 2 * MIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_PAGE, GIB, 4 * GIB, GIB, MC_COMPOUND_DEDUP, &c);
	expect_cost("devdax page 1G, 1 GiB, dedup: 8 x 4 KiB + 8 KiB", &c, 0,
		    GIB, 40 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_PAGE, GIB, 4 * GIB, 3 * GIB, MC_COMPOUND_DEDUP,
		  &c);
	expect_cost("devdax page 1G, 3 GiB, dedup: 3 x 40 KiB", &c, 0,
		    3 * GIB, 120 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_PAGE, 2 * MIB, 4 * GIB + 2 * MIB,
		  SECTION - 2 * MIB, MC_COMPOUND_DEDUP, &c);
	expect_cost("devdax page 2M, 126 MiB of a section: 4 KiB + 63 x 8 KiB",
		    &c, 0, SECTION - 2 * MIB, 508 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_PAGE, 2 * MIB, 4 * GIB, TIB, MC_COMPOUND_DEDUP,
		  &c);
	check(c.ram_bytes == 8192ULL * 516 * KIB,
	      "devdax page 2M, 1 TiB: %llu MiB (about 4 GiB)",
	      (unsigned long long)(c.ram_bytes / MIB));
	ddax_cost(PMEMCTL_MODE_PAGE, GIB, 4 * GIB, TIB, MC_COMPOUND_DEDUP, &c);
	check(c.ram_bytes == 40 * MIB,
	      "devdax page 1G, 1 TiB: %llu MiB (about 40 MiB)",
	      (unsigned long long)(c.ram_bytes / MIB));

	/* 4 KiB devdax pages are not compound; block pages never are */
	ddax_cost(PMEMCTL_MODE_PAGE, 4 * KIB, 4 * GIB, GIB, MC_COMPOUND_DEDUP,
		  &c);
	expect_cost("devdax page 4K: as page mode", &c, 0, GIB, 16 * MIB, 0,
		    0);
	make_ns(&ns, PMEMCTL_MODE_PAGE, GIB);
	mc_cost(4 * GIB, &ns, PSS, MC_COMPOUND_DEDUP, &c);
	expect_cost("block page 2M align: as page mode", &c, 0, GIB, 16 * MIB,
		    0, 0);

	/* a memmap on the device is never deduplicated */
	cost_of(PMEMCTL_MODE_PFN, 4 * GIB, GIB, PSS, &c);
	pfn_ram = c.ram_bytes;
	pfn_used = c.dev_used;
	ddax_cost(PMEMCTL_MODE_PFN, 2 * MIB, 4 * GIB, GIB, MC_COMPOUND_DEDUP,
		  &c);
	check(c.ram_bytes == pfn_ram && c.dev_used == pfn_used,
	      "devdax pfn 2M: as pfn mode (ram %llu, dev_used %llu)",
	      (unsigned long long)c.ram_bytes,
	      (unsigned long long)c.dev_used);
}

/*
 * ondemand's worst case (every chunk made) and its cost per GiB mapped:
 * 2 MiB chunks of 4 KiB-mapped struct pages, 32 KiB each, plus a
 * page-table page per section; deduplicated 2 MiB compound chunks 8 KiB;
 * a 1 GiB chunk of a 1G devdax namespace 8 KiB.
 */
static void test_ondemand(void)
{
	struct mc_cost c;

	cost_of(PMEMCTL_MODE_ONDEMAND, 4 * GIB, GIB, PSS, &c);
	expect_cost("ondemand block, 1 GiB: 512 x 32 KiB + 8 x 4 KiB", &c, 0,
		    GIB, 512 * 32 * KIB + 32 * KIB, 0, 0);
	check(c.ram_per_gib == 512 * 32 * KIB + 32 * KIB,
	      "ondemand block: per GiB %llu", (unsigned long long)c.ram_per_gib);
	cost_of(PMEMCTL_MODE_ONDEMAND, 4 * GIB + 2 * MIB, 4 * MIB, PSS, &c);
	expect_cost("ondemand block, 4 MiB in one section: 2 x 32 KiB + 4 KiB",
		    &c, 0, 4 * MIB, 68 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_ONDEMAND, 2 * MIB, 4 * GIB, GIB,
		  MC_COMPOUND_DEDUP, &c);
	expect_cost("ondemand devdax 2M, dedup: 512 x 8 KiB + 8 x 4 KiB", &c, 0,
		    GIB, 4 * MIB + 32 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_ONDEMAND, 2 * MIB, 4 * GIB, GIB, 0, &c);
	expect_cost("ondemand devdax 2M, no dedup: as block", &c, 0, GIB,
		    16 * MIB + 32 * KIB, 0, 0);
	ddax_cost(PMEMCTL_MODE_ONDEMAND, GIB, 4 * GIB, 2 * GIB,
		  MC_COMPOUND_DEDUP, &c);
	expect_cost("ondemand devdax 1G, dedup: 2 x 8 KiB + 16 x 4 KiB", &c, 0,
		    2 * GIB, 80 * KIB, 0, 0);
	check(c.ram_per_gib == 40 * KIB, "ondemand devdax 1G: per GiB %llu",
	      (unsigned long long)c.ram_per_gib);
	cost_of(PMEMCTL_MODE_PAGE, 4 * GIB, GIB, PSS, &c);
	check(c.ram_per_gib == 0, "page mode: no per-GiB figure");
}

int main(void)
{
	test_raw();
	test_page();
	test_pfn();
	test_page_vs_pfn();
	test_straddling();
	test_struct_page_size();
	test_layout();
	test_invariants();
	test_compound();
	test_ondemand();
	return tap_done();
}
