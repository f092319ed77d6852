// Hints to the processor and the kernel about memory the engine is about to use. None of them
// changes a value or can fail in a way a result could see: they only change how long a load waits.
#ifndef CMEMORYHINTS_H
#define CMEMORYHINTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

// Start loading the cache line holding `address` now, because it will be written soon. It never
// faults; it lets the memory latency of the next few customers' state overlap.
static inline void rehearsal_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }

// Ask the kernel to back the 2 MiB-aligned interior of [address, address + bytes) with huge
// pages (Linux transparent huge pages in "madvise" mode), before its first touch. One TLB entry
// then covers 2 MiB of a per-customer array instead of 4 KiB. Does nothing where unsupported.
static inline void rehearsal_advise_huge_pages(void *address, size_t bytes) {
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = ((uintptr_t)address + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)address + bytes) & ~(huge - 1);
    if (end > start) (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#endif
}

#endif
