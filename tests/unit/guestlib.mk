UNIT_SUITES += guestlib
# The reference guest's printf formatting, command-line parser and
# benchmark median, built as guestlib_snprintf() etc. (its string.c stays
# out: libc's serves).
UNIT_GUEST_SRCS += pv-guest-patches/lib/format.c pv-guest-patches/lib/cmdline.c \
	pv-guest-patches/lib/bench.c
