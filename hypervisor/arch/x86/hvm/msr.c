// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs from guests that the back end does not handle itself. None is
 * virtualized yet: every access raises #GP, which is what a CPU does
 * for an MSR it does not have.
 */
#include <lamina/domain.h>
#include <lamina/errno.h>
#include <asm/hvm/hvm.h>

int hvm_msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	return -EPERM;
}

int hvm_msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	return -EPERM;
}
