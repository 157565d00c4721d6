/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference guest library: everything a program includes.
 *
 * A program is one C file that defines guest_main(). The library's
 * entry (head.S, start.c) has by then switched to long mode with the
 * first 4 GiB identity-mapped, loaded the IDT, chosen the hypercall
 * instruction and read the command line; when guest_main() returns,
 * the test summary is printed (if the program checked anything) and
 * the domain powers off.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "cmdline.h"
#include "console.h"
#include "events.h"
#include "hypercall.h"
#include "paging.h"
#include "smp.h"
#include "string.h"
#include "test.h"
#include "traps.h"
#include "x86.h"

/* Each program's own. */
void guest_main(void);

/* The hvm_start_info the hypervisor passed, or NULL (none, or a bad
 * magic number). */
extern const struct hvm_start_info *start_info;

/* Print the test summary and power off (SCHEDOP_shutdown). */
void __attribute__((noreturn)) guest_poweroff(void);

#endif
