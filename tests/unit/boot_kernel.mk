# Boot kernels (common/boot_kernel.c): ELF or bzImage, decompressed into
# exact page runs, liblzma's large blocks from the page allocator too.
UNIT_SUITES += boot_kernel
UNIT_SRCS += hypervisor/common/boot_kernel.c hypervisor/common/page_alloc.c \
	hypervisor/common/xmalloc.c hypervisor/common/bzimage.c \
	hypervisor/common/loader/xz.c hypervisor/common/elf_load.c \
	hypervisor/common/spinlock.c
UNIT_LIBS += -llzma
