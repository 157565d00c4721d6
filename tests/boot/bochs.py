#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""VMX boot tests: boot Lamina from a minimal GRUB ISO under Bochs 2.7,
whose corei7_skylake_x model has VT-x with EPT and unrestricted guest
(QEMU TCG has no VMX), and check the serial log. Each case gives the
image, the multiboot modules and the lines that must appear, in order.
Bochs always exits with status 1, so the serial log is the only verdict.
Ends with 'N passed, N failed'.

Usage: bochs.py --build build [-k PATTERN] [-v] [-j N]
  (images from build/lamina and build/configs/vmx-only/lamina, guests
   from build/guests; ISOs, bochsrc and logs go to build/bochs/NAME/)
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

import acpi_cases
import sched_cases

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# The bochsrc documented in docs/testing.md (PLATFORM.md's, with paths).
BOCHSRC = """megs: 256
cpu: model={model}, count={cpus}, ips=200000000, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: term
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path={iso}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={serial}
log: {log}
panic: action=fatal
clock: sync=none, time0=local
port_e9_hack: enabled=1
"""

VMX = r"\(lamina\) VMX: EPT, unrestricted guest, (no )?VPID"
DOM0_GONE = [r"\(lamina\) d0v0 ran \d+ ms of \d+",
             r"\(lamina\) domain 0 destroyed",
             r"\(lamina\) free pages: (\d+) before domains, \1 after",
             r"\(lamina\) hardware domain gone: the machine follows",
             r"\(lamina\) powering off"]
DOM0 = [VMX, r"\(lamina\) d0: \d+ MiB, 1 vCPU, weight 256, hardware domain, "
        r"kernel .* \(ELF\), entry 0x100000, start info 0x[0-9a-f]+",
        r"start info: 0x[0-9a-f]+, version 1, command line"]
HELLO = DOM0 + [r"\nhello from the reference guest\n",
                r"\(d0\) hello through port 0xE9\n", r"xen_version: 4\.17",
                r"null hypercall round trip: \d+ TSC cycles",
                r"\n\d+ passed, 0 failed\n",
                r"\(lamina\) domain 0 shut down \(poweroff\)"] + DOM0_GONE


PASSED = r"\n\d+ passed, 0 failed"
MODES = ["32-bit protected mode, paging off", "16-bit protected mode",
         "16-bit protected mode, 32-bit addressing", "real mode",
         "real mode, 32-bit addressing", "32-bit paging, 4 MiB alias page",
         "32-bit paging, 4 KiB alias page", "PAE paging, 2 MiB alias page",
         "PAE paging, 4 KiB alias page"]

# pv-guest-patches/cpumodes, with its Intel-only checks: every CR0/CR4
# write below that flips CR0.NE is emulated by the VMX back end.
CPUMODES = [
    VMX, r"cpumodes: started", r"CR4\.VMXE refused \(#GP\): ok",
    r"CR0\.NW without CD refused \(#GP\): ok",
    r"CR0\.PG without PE refused \(#GP\): ok",
    r"VMXOFF raises #UD: ok", r"EFER reserved bit refused \(#GP\): ok",
    r"XSETBV of XCR0 without x87 refused \(#GP\): ok",
    r"XSETBV of XCR1 refused \(#GP\): ok",
    r"XSETBV of XCR0 = x87 \| SSE: ok",
    r"PAE paging through an emulated CR0 write: ok",
    r"PAE alias mapping: ok", r"paging off again: ok",
    r"reserved PDPTE bit refused \(#GP\): ok", r"EFER\.LME set: ok",
    r"long mode through an emulated CR0 write: ok",
    r"left long mode, CR0\.PG alone \(EFER\.LMA clear\): ok",
    r"long mode again, CR0\.PG alone: ok", r"cpumodes: PASS\n",
    r"\(lamina\) domain 0 shut down \(poweroff\)"] + DOM0_GONE


# AMD SVM with NRIP save (Bochs's ryzen: NPT, NRIP save, flush by ASID,
# pause filter; QEMU TCG has no NRIP save): the VMCB's next RIP gives
# every intercepted instruction's length, where QEMU's cases decode it.
# Each SVM case checks that dom0's vCPU took its lengths from NRIP save
# alone (string I/O and MMIO are still decoded: they need operands).
SVM_MODEL = "ryzen"
SVM = (r"\(lamina\) SVM: NPT, \d+ ASIDs, NRIP save \(CPUID 0x8000000a "
       r"EDX 0x[0-9a-f]+: npt .*nrip_save")
NRIP_USED = (r"\(lamina\) d0v0: instruction lengths: [1-9]\d* from NRIP "
             r"save, 0 decoded")


# The VMX cases that run under SVM too, and what differs in their lines
# there (each key replaced by its value in every pattern): the dumps'
# exit codes and CS attributes, the hypercall instruction's name; the
# vCPU whose lengths are checked. cpumodes has its AMD list instead.
SVM_TWINS = {
    "vmx-dom0-hello": {}, "vmx-dom0-intercepts": {}, "vmx-dom0-vaddr": {},
    "vmx-dom0-modes": {}, "vmx-dom0-policy": {}, "vmx-dom0-exits": {},
    "vmx-dom0-acpi": {}, "vmx-dom0-gnttab": {}, "vmx-dom0-evtchn": {},
    "vmx-dom0-time": {},
    "vmx-dom0-unhandled-exit": {"d0v0 exit 15 ": "d0v0 exit 0x6f ",
                                "attr 0a09b": "attr a9b"},
    "vmx-dom0-nullcall": {"by vmcall": "by vmmcall"},
    "vmx-dom0-lapic-smp1": {"lapic: vmcall": "lapic: vmmcall"},
    "vmx-dom0-lapic-smp2": {"lapic: vmcall": "lapic: vmmcall"},
    "vmx-sched-msr-switch": {NRIP_USED: NRIP_USED.replace("d0v0", "d1v0")},
    "vmx-dom0-cpumodes": {}, "vmx-only-dom0-hello": {},
}
# Module options of the SVM twins. exits: with NRIP save the hypervisor
# fetches no intercepted CPUID, so a stale TLB entry's runs (nrip=yes);
# and Bochs 2.7's SVM keeps the single-step trap of an intercepted
# instruction pending across the #VMEXIT and raises it in the host just
# after VMRUN, on the guest's GS and TR (its VMX clears it), so that
# test is left out (singlestep=no). Its triple fault does not exit
# either (the SHUTDOWN intercept, added after 2.7): Bochs panics, so
# vmx-dom0-triple-fault has no twin.
SVM_ARGS = {"vmx-dom0-exits": "nrip=yes singlestep=no"}
INTEL_ONLY = (r"CR4\.VMXE", r"CR0\.NW", r"CR0\.PG without",
              r"reserved PDPTE")


def svm(case):
    """The SVM twin of a VMX case (SVM_TWINS): the same guest on the AMD
    model, the same lines but the back end's; named svm-*."""
    subs, args = SVM_TWINS[case.name], SVM_ARGS.get(case.name)
    case.name = "svm-" + case.name[len("vmx-"):]
    case.model = SVM_MODEL
    case.image = case.image.replace("vmx-only", "svm-only")
    case.contains = case.contains + [NRIP_USED]
    if args:
        # The module string's first word is the kernel's name.
        case.modules = [(m[0], f"{m[1] or m[0]} {args}")
                        for m in case.modules]
    if case.name == "svm-dom0-cpumodes":
        case.expect = [p for p in case.expect
                       if not p.startswith(INTEL_ONLY)]

    def sub(p):
        for old, new in subs.items():
            p = p.replace(old, new)
        return SVM if p == VMX else p
    case.expect = [sub(p) for p in case.expect]
    case.contains = [sub(p) for p in case.contains]
    return case


class Case:
    def __init__(self, name, expect, modules, image="lamina",
                 timeout=120, cpus=1, contains=None, reject=None,
                 append="", model="corei7_skylake_x"):
        self.name = name
        self.expect = expect        # regexes, in order
        # (file in guests/, module string), or a device tree's source
        self.modules = modules
        self.image = image          # relative to the build directory
        self.timeout = timeout
        self.cpus = cpus
        self.contains = contains or []  # regexes found anywhere
        self.reject = reject        # regex that must not appear
        self.append = append        # hypervisor options
        self.model = model          # Bochs's CPU model


# Eight boot domains on two CPUs (the QEMU case sched-eight-guests-two-crash
# without its unhandled-intercept guest, which is SVM's VMLOAD): domain 1
# triple-faults, the seven others finish. The scheduler moves vCPUs
# between the CPUs, so their VMCSs move too (VMCLEAR on the old CPU by
# IPI): the destroyed vCPUs report it.
def eight_guests():
    doms = [sched_cases.domain(1, 2)] + [sched_cases.domain(i, 1)
                                         for i in range(2, 9)]
    return Case(
        "vmx-sched-eight-guests-smp2",
        [VMX, r"\(lamina\) 2 CPUs online",
         r"boot domains: 8 of 8 built, starting"] + sched_cases.GONE,
        [sched_cases.tree(doms), ("hello.elf", "hello"),
         ("triple.elf", "triple")], cpus=2, timeout=240,
        contains=[rf"\(d{i}\) \d+ passed, 0 failed" for i in range(2, 9)] +
        [r"\(lamina\) domain 1 crashed: triple fault",
         r"\(lamina\) d1v0 exit 2 ",
         r"\(lamina\) d\dv0: VMCS moves between CPUs: [1-9]"] +
        [rf"\(lamina\) domain {i} shut down \(poweroff\)"
         for i in range(2, 9)] +
        [rf"\(lamina\) domain {i} destroyed" for i in range(1, 9)],
        reject=r"domain [2-8] crashed|PANIC|FATAL")


# Three domains on one CPU keep their own STAR, LSTAR, CSTAR, SFMASK and
# KERNEL_GS_BASE, which VMX does not switch (vmx/msr.c does).
def msr_switch():
    doms = [sched_cases.domain(i, 1) for i in range(1, 4)]
    return Case(
        "vmx-sched-msr-switch",
        [VMX, r"boot domains: 3 of 3 built, starting"] + sched_cases.GONE,
        [sched_cases.tree(doms), ("msrswitch.elf", "msrswitch")],
        contains=[rf"\(d{i}\) msrswitch: d{i}, 200 yields, 0 values changed"
                  for i in range(1, 4)] +
        [rf"\(d{i}\) msrswitch: d{i}, DR0-3 over 200 yields, 0 values "
         r"changed" for i in range(1, 4)] +
        [rf"\(lamina\) domain {i} shut down \(poweroff\)"
         for i in range(1, 4)],
        reject=r"crashed|PANIC|FATAL|not ok")


# programs/lapic.c with two vCPUs: INIT-SIPI-SIPI into real mode under
# unrestricted guest, VCPUOP_initialise into long mode, IPIs both ways
# (across CPUs with cpus=2), HLT, up, NMI and INIT power states.
def lapic(cpus):
    return Case(
        f"vmx-dom0-lapic-smp{cpus}",
        [VMX, r"\(lamina\) d0: \d+ MiB, 2 vCPUs, weight 256, hardware "
         r"domain, kernel .* \(ELF\)", r"lapic: vmcall, 2 or more vCPUs",
         r"\(d0\) lapic: AP in real mode\n",
         r"\(d0\) lapic: AP in real mode\n", PASSED,
         r"\(lamina\) domain 0 shut down \(poweroff\)",
         r"\(lamina\) d0v1 ran \d+ ms of \d+"] + DOM0_GONE[1:],
        [("lapic.elf", "")], cpus=cpus, append="dom0_max_vcpus=2",
        timeout=400 if cpus > 1 else 240)


def cases():
    vmx = vmx_cases()
    return vmx + [svm(c) for c in vmx_cases() if c.name in SVM_TWINS]


def vmx_cases():
    return [
        eight_guests(),         # the longest: first, for -j
        msr_switch(),
        lapic(2),
        lapic(1),
        Case("vmx-dom0-hello", HELLO, [("hello.elf", "hello")]),
        # Timers under VMX: VIRQ_TIMER taken in HLT, the runstate area
        # written through the VMCS's paging state at switch-out and in.
        Case("vmx-dom0-time", [VMX, r"sleep: blocked \d+ ms",
                               r"[\r\n]\d+ passed, 0 failed"],
             [("time.elf", "time test=sleep")], append="dom0_max_vcpus=2"),
        # The crash dump of a 64-bit guest: exit reason 2, CS access rights
        # 0xa09b (G, L, P, S, code).
        Case("vmx-dom0-triple-fault", DOM0 + [
             r"triple-faulting on purpose",
             r"\(lamina\) domain 0 crashed: triple fault",
             r"d0v0 exit 2 ", r"RIP 0008:00000000001[0-9a-f]{5} ",
             r"rax [0-9a-f]{16}  rbx", r"cs   sel 0008 attr 0a09b"] +
             DOM0_GONE, [("triple.elf", "")]),
        Case("vmx-dom0-unhandled-exit", DOM0 + [
             r"unhandled: RDPMC next",
             r"\(lamina\) domain 0 crashed: unhandled intercept: RDPMC",
             r"d0v0 exit 15 ", r"RIP 0008:00000000001[0-9a-f]{5} ",
             r"cs   sel 0008 attr 0a09b"] + DOM0_GONE,
             [("unhandled.elf", "")]),
        # The intercept programs, as the SVM cases in run.py.
        Case("vmx-dom0-intercepts", DOM0 + [
             r"\(d0\) rep outsb\n", r"\(d0\) rep outsb backwards",
             r"\(d0\) rep outsw", PASSED] + DOM0_GONE,
             [("intercepts.elf", "")]),
        Case("vmx-dom0-vaddr", DOM0 + [
             r"vaddr: written from the alias mapping", PASSED] + DOM0_GONE,
             [("vaddr.elf", "")]),
        Case("vmx-dom0-modes", DOM0 + [
             r"\(d0\) modes: " + m + r"\n" for m in MODES] + [PASSED] +
             DOM0_GONE, [("modes.elf", "")]),
        Case("vmx-dom0-exits", DOM0 + [
             r"exits: console_io buffer on a user page, RFLAGS.AC set",
             r"\(d0\) exits: addr32 rep outsb\n",
             r"\(d0\) exits: rep outsb from fs\n", PASSED] + DOM0_GONE,
             [("exits.elf", "")]),
        Case("vmx-dom0-policy", DOM0 + [
             r"hypervisor command line: 'console=com1 com1=115200,8n1'",
             PASSED] + DOM0_GONE, [("policy.elf", "")]),
        # The ACPI tables and Intel's leaf 0xB (QEMU's cases are AMD).
        Case("vmx-dom0-acpi", [
             VMX, r"\(lamina\) d0: \d+ MiB, 4 vCPUs, weight 256, hardware "
             r"domain"] + acpi_cases.tables("", 4) + [PASSED] + DOM0_GONE,
             [("acpi.elf", "acpi.elf vcpus=4")],
             append="dom0_max_vcpus=4",
             reject=r"not ok"),
        Case("vmx-dom0-nullcall", DOM0 + [
             r"nullcall: xen_version by vmcall: median \d+ cycles",
             r"\(lamina\) domain 0 shut down \(poweroff\)"] + DOM0_GONE,
             [("nullcall.elf", "")]),
        Case("vmx-dom0-cpumodes", CPUMODES, [("cpumodes.elf", "")]),
        # Grant maps are EPT entries of their own types.
        Case("vmx-dom0-gnttab", DOM0 + [r"# map_self", PASSED] + DOM0_GONE,
             [("gnttab.elf", "gnttab")], reject=r"not ok"),
        # Event channels: upcalls through the VM-entry interruption field.
        Case("vmx-dom0-evtchn", DOM0 + [r"# all_ports", r"# poll", PASSED] +
             DOM0_GONE, [("evtchn.elf", "evtchn")], reject=r"not ok"),
        # A failed VM entry crashes the domain, not the host (debug builds
        # break the start state on purpose: vmx/debug/entry_test.c).
        Case("vmx-entry-invalid-guest-state", [
             VMX, r"vmx_test=guest-state: bad activity state",
             r"\(lamina\) domain 0 crashed: VM entry failed: invalid guest "
             r"state \(exit 33, ", r"d0v0 exit \d+ qualification",
             r"cs   sel 0008 attr 0c09b"] + DOM0_GONE,
             [("hello.elf", "")], append="vmx_test=guest-state"),
        Case("vmx-entry-invalid-control", [
             VMX, r"vmx_test=control: bad event to inject",
             r"d0v0: VMLAUNCH failed: VMfailValid",
             r"VM-instruction error 7\n",
             r"\(lamina\) domain 0 crashed: VM entry failed\n"] + DOM0_GONE,
             [("hello.elf", "")], append="vmx_test=control"),
        # The VMX-only configuration runs guests too.
        Case("vmx-only-dom0-hello", HELLO, [("hello.elf", "hello")],
             image="configs/vmx-only/lamina"),
    ]


def check(expect, text):
    """None if every regex matches in order, else the first that did not."""
    pos = 0
    for pat in expect:
        m = re.compile(pat).search(text, pos)
        if not m:
            return pat
        pos = m.end()
    return None


def run_case(case, build, guests, verbose):
    out = os.path.join(build, "bochs", case.name)
    os.makedirs(out, exist_ok=True)
    iso = os.path.join(out, "lamina.iso")
    serial = os.path.join(out, "serial.txt")
    mkiso = ["sh", os.path.join(TOP, "tests/boot/mkiso.sh")]
    for i, m in enumerate(case.modules):
        if isinstance(m, str):
            dtb = os.path.join(out, f"module{i}.dtb")
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o",
                            dtb, "-"], input=m.encode(), check=True)
            mkiso += ["-m", dtb]
        else:
            mkiso += ["-m", f"{os.path.join(guests, m[0])} {m[1]}".strip()]
    image = os.path.join(build, case.image)
    if not os.path.exists(image):
        return False, f"no image {image}"
    if subprocess.run(mkiso + [image, iso] + case.append.split(),
                      stdout=subprocess.DEVNULL).returncode:
        return False, "mkiso.sh failed"
    rc = os.path.join(out, "bochsrc")
    with open(rc, "w") as f:
        f.write(BOCHSRC.format(iso=iso, serial=serial, cpus=case.cpus,
                               model=case.model,
                               log=os.path.join(out, "bochs.log")))
    with open(os.path.join(out, "cont.rc"), "w") as f:
        f.write("c\n")      # the debugger's "continue": no prompt
    if os.path.exists(serial):
        os.unlink(serial)
    start = time.monotonic()
    try:
        subprocess.run(["bochs", "-q", "-f", rc, "-rc",
                        os.path.join(out, "cont.rc")],
                       stdin=subprocess.DEVNULL,
                       stdout=open(os.path.join(out, "bochs.out"), "w"),
                       stderr=subprocess.STDOUT, timeout=case.timeout)
        why = None
    except subprocess.TimeoutExpired:
        why = "timeout"
    took = time.monotonic() - start
    text = ""
    if os.path.exists(serial):
        with open(serial, errors="replace") as f:
            text = f.read().replace("\r", "")
    missing = check(case.expect, text)
    absent = [p for p in case.contains if not re.search(p, text)]
    ok = missing is None and not absent
    if missing is not None:
        why = f"waiting for /{missing}/" + (f" ({why})" if why else "")
    elif absent:
        why = f"missing /{absent[0]}/"
    elif case.reject and re.search(case.reject, text):
        ok, why = False, f"unexpected /{case.reject}/"
    if not ok or verbose:
        sys.stdout.write(f"---- {case.name}: {serial}\n" + text[-6000:] +
                         "\n----\n")
    return ok, why or f"{took:.1f}s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--guests", help="default: BUILD/guests")
    ap.add_argument("-k", default="", help="run cases whose name matches")
    ap.add_argument("-v", action="store_true")
    ap.add_argument("-j", type=int, default=2,
                    help="Bochs runs at a time (each takes one core)")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    guests = os.path.abspath(a.guests or os.path.join(build, "guests"))
    passed = failed = 0
    todo = [c for c in cases() if not a.k or re.search(a.k, c.name)]
    with concurrent.futures.ThreadPoolExecutor(max(1, a.j)) as pool:
        runs = {pool.submit(run_case, c, build, guests, a.v): c for c in todo}
        for done in concurrent.futures.as_completed(runs):
            ok, why = done.result()
            print(f"{'PASS' if ok else 'FAIL'}: {runs[done].name} ({why})",
                  flush=True)
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
