# The bzImage parser and its liblzma glue (common/loader/xz.c), linked with
# the host's liblzma. The real-kernel test reads /boot/vmlinuz-* (Debian's
# linux-image-amd64, listed in tools/build/packages.txt).
UNIT_SUITES += bzimage
UNIT_SRCS += hypervisor/common/bzimage.c hypervisor/common/loader/xz.c
UNIT_LIBS += -llzma
