UNIT_SUITES += lib
# string.c and vsnprintf.c define libc's names: built as hv_memcpy() etc.
UNIT_PREFIXED_SRCS += hypervisor/common/string.c hypervisor/common/vsnprintf.c
