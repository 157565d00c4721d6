/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor command-line options, Xen syntax (common/cmdline.c).
 *
 * Options are space separated: "name", "name=value", "no-name" (booleans
 * only). A value may be double-quoted to contain spaces: opt="a b"; the
 * quotes are removed. '-' and '_' are interchangeable in option names, as
 * on Xen. Values:
 *   boolean  1/0, yes/no, true/false, on/off, enable/disable; bare name
 *            means true, "no-name" false, "no-name=v" the negation of v
 *   integer  decimal, or hex with a 0x prefix; must fit the variable
 *   size     an integer with an optional suffix B, K, M, G or T (case
 *            insensitive, powers of 1024); no suffix means KiB, as Xen's
 *            parse_size_and_unit()
 *   string   copied into a char array; a value that does not fit is
 *            rejected (the array keeps its old contents)
 *   custom   fn(value) returns 0 or -EINVAL; value is NULL for a bare name
 *
 * The registration macros put a struct kernel_param into the section
 * .init.param. The linker script must collect it 8-byte aligned:
 *	. = ALIGN(8); __param_start = .; KEEP(*(.init.param)) __param_end = .;
 */
#ifndef LAMINA_PARAM_H
#define LAMINA_PARAM_H

#include <lamina/types.h>

enum param_type {
	PARAM_BOOL,
	PARAM_UINT,		/* unsigned integer of size len */
	PARAM_SIZE,		/* unsigned integer of size len, with unit */
	PARAM_STRING,		/* char array of size len */
	PARAM_CUSTOM,
};

/* Entries are laid out back to back in .init.param: size multiple of 8. */
struct kernel_param {
	const char *name;
	void *var;
	int (*func)(const char *val);
	uint32_t len;
	uint32_t type;		/* enum param_type */
} __aligned(8);

extern const struct kernel_param __param_start[], __param_end[];

/* Longest single option (name=value) the parser accepts, in bytes. */
#define CMDLINE_OPT_MAX	256

/*
 * Parse a NUL-terminated command line against the table [start, end).
 * Every problem (unknown option, bad value, value too long) is reported
 * with printk and counted; none is fatal. Returns the number of problems.
 */
int cmdline_parse(const char *cmdline, const struct kernel_param *start,
		  const struct kernel_param *end);

/*
 * Multiboot 1 loaders (QEMU -kernel, GRUB) put the image path in front of
 * the options. Returns s past that first word (and the spaces after it) if
 * the word starts with '/' or has a '/' but no '='; otherwise s itself.
 */
const char *cmdline_strip_path(const char *s);

/* Xen's boolean words. Returns 1, 0, or -EINVAL. */
int parse_bool(const char *s);

/*
 * Xen's parse_size_and_unit(), checked: the whole string must be a number
 * with at most one unit suffix and the result must fit 64 bits.
 * Returns 0 or -EINVAL.
 */
int parse_size(const char *s, uint64_t *bytes);

/* ---- registration -------------------------------------------------- */

/* Fails to compile (negative bit-field) if cond is true; value 0. */
#define __param_check(cond)	(sizeof(struct { int:(-!!(cond)); }))

#define __param_is_array(a) \
	(!__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])))

/* sizeof(v), but only for unsigned integer lvalues (else: no match). */
#define __param_uint_size(v) _Generic(&(v),				\
	unsigned char *: sizeof(v), unsigned short *: sizeof(v),	\
	unsigned int *: sizeof(v), unsigned long *: sizeof(v),		\
	unsigned long long *: sizeof(v))

#define __kparam_paste2(a, b)	a##b
#define __kparam_paste(a, b)	__kparam_paste2(a, b)

/*
 * Unique object name: one variable may be registered under two names.
 * The alignment must be on the object itself: without a user-specified
 * alignment GCC aligns 32-byte objects to 32, leaving gaps in the table.
 */
#define __kparam(tag, nm, t, v, f, l)					\
	static const struct kernel_param				\
	__kparam_paste(__kparam_##tag##_, __COUNTER__)			\
	__used __section(".init.param") __aligned(8) = {		\
		.name = (nm), .type = (t), .var = (v), .func = (f),	\
		.len = (l),						\
	}

#define boolean_param(nm, v)						\
	__kparam(v, nm, PARAM_BOOL, &(v), NULL,				\
		 _Generic(&(v), bool *: sizeof(v)))
#define integer_param(nm, v)						\
	__kparam(v, nm, PARAM_UINT, &(v), NULL, __param_uint_size(v))
#define size_param(nm, v)						\
	__kparam(v, nm, PARAM_SIZE, &(v), NULL, __param_uint_size(v))
#define string_param(nm, v)						\
	__kparam(v, nm, PARAM_STRING, (v), NULL,			\
		 _Generic(&(v)[0], char *: sizeof(v)) +			\
		 0 * __param_check(!__param_is_array(v)))
#define custom_param(nm, fn)						\
	__kparam(fn, nm, PARAM_CUSTOM, NULL, (fn), 0)

/* Table entries for host tests, which pass their own arrays. */
#define PARAM_ENTRY_BOOL(nm, v) \
	{ .name = (nm), .type = PARAM_BOOL, .var = &(v), .len = sizeof(v) }
#define PARAM_ENTRY_UINT(nm, v) \
	{ .name = (nm), .type = PARAM_UINT, .var = &(v), \
	  .len = __param_uint_size(v) }
#define PARAM_ENTRY_SIZE(nm, v) \
	{ .name = (nm), .type = PARAM_SIZE, .var = &(v), \
	  .len = __param_uint_size(v) }
#define PARAM_ENTRY_STRING(nm, v) \
	{ .name = (nm), .type = PARAM_STRING, .var = (v), .len = sizeof(v) }
#define PARAM_ENTRY_CUSTOM(nm, fn) \
	{ .name = (nm), .type = PARAM_CUSTOM, .func = (fn) }

#endif /* LAMINA_PARAM_H */
