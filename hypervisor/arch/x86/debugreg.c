// SPDX-License-Identifier: GPL-2.0
/*
 * Guest debug registers across vCPU switches (asm/debugreg.h).
 */
#include <lamina/domain.h>
#include <asm/debugreg.h>

#define DR6_INIT	0xffff0ff0UL

#define READ_DR(n) ({ unsigned long _v; \
	__asm__ __volatile__("mov %%db" #n ", %0" : "=r"(_v)); _v; })
#define WRITE_DR(n, val) \
	__asm__ __volatile__("mov %0, %%db" #n :: "r"((unsigned long)(val)))

void debugreg_save(struct vcpu *v)
{
	unsigned long *dr = v->arch.dr;

	dr[0] = READ_DR(0);
	dr[1] = READ_DR(1);
	dr[2] = READ_DR(2);
	dr[3] = READ_DR(3);
	dr[4] = READ_DR(6);
}

void debugreg_restore(struct vcpu *v)
{
	const unsigned long *dr = v->arch.dr;

	WRITE_DR(0, dr[0]);
	WRITE_DR(1, dr[1]);
	WRITE_DR(2, dr[2]);
	WRITE_DR(3, dr[3]);
	WRITE_DR(6, dr[4] ? dr[4] : DR6_INIT);
}
