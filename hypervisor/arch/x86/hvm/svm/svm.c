// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM: detection and per-CPU enabling.
 *
 * Each CPU gets EFER.SVME, a host save area (MSR_VM_HSAVE_PA, where
 * VMRUN keeps the host state it restores on #VMEXIT) and a host VMCB
 * holding what VMRUN does not switch (FS, GS, TR, LDTR, the SYSCALL
 * MSRs): VMSAVEd once here and VMLOADed after every exit.
 */
#include <lamina/errno.h>
#include <lamina/lib.h>
#include <lamina/page_alloc.h>
#include <lamina/smp.h>
#include <asm/hvm/hvm.h>
#include <asm/hvm/svm/svm.h>
#include <asm/hvm/svm/vmcb.h>
#include <asm/processor.h>

struct svm_cpu svm_cpus[CONFIG_NR_CPUS];
unsigned int svm_nr_asids;
bool svm_has_nrips;

static int svm_cpu_up(void)
{
	struct svm_cpu *sc = &svm_cpus[smp_processor_id()];
	struct page_info *hsave = alloc_pages(0, MEMF_zero);
	struct page_info *host = alloc_pages(0, MEMF_zero);

	if (!hsave || !host)
		goto out_free;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		goto out_free;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	sc->hsave_pa = page_to_maddr(hsave);
	sc->host_vmcb_pa = page_to_maddr(host);
	wrmsr(MSR_VM_HSAVE_PA, sc->hsave_pa);
	__asm__ __volatile__("vmsave" :: "a"(sc->host_vmcb_pa) : "memory");
	return 0;

out_free:
	if (hsave)
		free_pages(hsave, 0);
	if (host)
		free_pages(host, 0);
	return hsave && host ? -ENODEV : -ENOMEM;
}

static void svm_vcpu_skip_insn(struct vcpu *v, unsigned int len)
{
	svm_skip(v, len);
}

static const struct hvm_ops svm_ops = {
	.name = "SVM",
	.p2m_format = P2M_FORMAT_NPT,
	.cpu_up = svm_cpu_up,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_set_pvh_entry = svm_vcpu_set_pvh_entry,
	.vcpu_load_state = svm_vcpu_load_state,
	.vcpu_run = svm_vcpu_run,
	.vcpu_dump = svm_vcpu_dump,
	.vcpu_is_64bit = svm_vcpu_is_64bit,
	.vcpu_cpl = svm_vcpu_cpl,
	.vcpu_paging = svm_vcpu_paging,
	.vcpu_inject_exception = svm_vcpu_inject_exception,
	.vcpu_seg_base = svm_vcpu_seg_base,
	.vcpu_insn_mode = svm_vcpu_insn_mode,
	.vcpu_skip_insn = svm_vcpu_skip_insn,
	.vcpu_set_tsc_offset = svm_vcpu_set_tsc_offset,
	.hypercall_insn = { 0x0f, 0x01, 0xd9 },	/* VMMCALL */
};

/*
 * CPUID 0x8000000A EDX, by bit, named as Linux's /proc/cpuinfo names
 * them. Only NPT (required) and NRIP save (used when present) change
 * what Lamina does; the rest is listed so that a boot log says what
 * the CPU (or emulator) offers.
 */
static const char *const svm_feature_names[32] = {
	[0] = "npt", [1] = "lbrv", [2] = "svm_lock", [3] = "nrip_save",
	[4] = "tsc_scale", [5] = "vmcb_clean", [6] = "flushbyasid",
	[7] = "decodeassists", [10] = "pausefilter", [12] = "pfthreshold",
	[13] = "avic", [15] = "v_vmsave_vmload", [16] = "vgif",
	[17] = "gmet", [20] = "v_spec_ctrl", [28] = "svme_addr_chk",
};

static void svm_print_features(uint32_t edx, uint32_t asids)
{
	char names[160] = "";
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		if (!(edx & (1U << bit)) || !svm_feature_names[bit])
			continue;
		if (names[0])
			strlcat(names, " ", sizeof(names));
		strlcat(names, svm_feature_names[bit], sizeof(names));
	}
	printk("(lamina) SVM: NPT, %u ASIDs, %s (CPUID 0x8000000a EDX %#x: "
	       "%s)\n", asids, edx & SVM_FEAT_NRIPS ? "NRIP save" :
	       "no NRIP save", edx, names);
}

const struct hvm_ops *svm_probe(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x8000000a)
		return NULL;
	cpuid(0x80000001, &a, &b, &c, &d);
	if (!(c & (1U << 2)))
		return NULL;
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		printk("(lamina) SVM: disabled by the firmware: no guests\n");
		return NULL;
	}
	cpuid(0x8000000a, &a, &b, &c, &d);
	if (!(d & SVM_FEAT_NPT)) {
		printk("(lamina) SVM: no nested paging: no guests\n");
		return NULL;
	}
	svm_nr_asids = b;
	svm_has_nrips = d & SVM_FEAT_NRIPS;
	svm_print_features(d, b);
	return &svm_ops;
}
