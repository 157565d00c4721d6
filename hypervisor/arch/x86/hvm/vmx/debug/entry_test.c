// SPDX-License-Identifier: GPL-2.0
/*
 * vmx_test= (debug builds with VMX): make VM entries fail on purpose, so
 * that tests can check that the domain alone is crashed, with a message
 * saying why. Applied to every PVH start state (each domain's vCPU 0).
 *   guest-state  an activity state no CPU has (7): the entry fails on
 *                the guest-state checks, as a VM exit with reason 33
 *   control      an NMI to inject with vector 1 (an NMI's must be 2):
 *                VMLAUNCH fails with VMfailValid, error 7
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/param.h>
#include <asm/hvm/vmx/vmx.h>

enum vmx_test { VMX_TEST_NONE, VMX_TEST_GUEST_STATE, VMX_TEST_CONTROL };
static enum vmx_test vmx_test;

static int parse_vmx_test(const char *val)
{
	if (val && !strcmp(val, "guest-state"))
		vmx_test = VMX_TEST_GUEST_STATE;
	else if (val && !strcmp(val, "control"))
		vmx_test = VMX_TEST_CONTROL;
	else
		return -EINVAL;
	return 0;
}
custom_param("vmx_test", parse_vmx_test);

void vmx_debug_entry_test(void)
{
	switch (vmx_test) {
	case VMX_TEST_GUEST_STATE:
		printk("(lamina) vmx_test=guest-state: bad activity state\n");
		vmwrite(GUEST_ACTIVITY_STATE, 7);
		break;
	case VMX_TEST_CONTROL:
		printk("(lamina) vmx_test=control: bad event to inject\n");
		vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | 1 |
			(INTR_TYPE_NMI << INTR_INFO_TYPE_SHIFT));
		break;
	case VMX_TEST_NONE:
		break;
	}
}
