#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Boot tests: boot the real hypervisor image under QEMU TCG and check the
serial console. Each case gives the QEMU set-up, the lines that must appear
(in order) and how the run must end. Ends with 'N passed, N failed'.

Usage: run.py --image build/lamina --iso build/lamina.iso
              [--guests build/guests] [-k PATTERN] [-v]
"""
import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time

import pexpect

import acpi_cases
import boot_domain_cases
import console_cases
import event_cases
import gnttab_cases
import sched_cases

QEMU = "qemu-system-x86_64"
BASE_ARGS = ["-accel", "tcg", "-cpu", "max", "-nographic", "-no-reboot",
             "-serial", "mon:stdio", "-monitor", "none"]


class Case:
    def __init__(self, name, expect, machine="q35", smp=2, mem="1024",
                 iommu=True, append="", iso=False, exit_ok=True,
                 modules=None, timeout=60, reject=None, contains=None,
                 check=None, image=None, timed=None):
        self.name = name
        self.expect = expect          # regexes, in order
        self.machine = machine
        self.smp = smp
        self.mem = mem
        self.iommu = iommu
        self.append = append
        self.iso = iso
        self.exit_ok = exit_ok        # True: QEMU must exit 0 by itself
        # each a string (4 KiB of random bytes with that module string),
        # (guest file in --guests or an absolute path, module string), or
        # a Dtb (a device tree compiled here with dtc)
        self.modules = modules or []
        self.timeout = timeout
        self.reject = reject          # regex that must not appear
        self.contains = contains or []  # regexes found anywhere, any order
        self.check = check            # fn(serial log): None or what is wrong
        # another build's image, relative to --image's directory
        self.image = image
        # [(i, j, lo, hi)]: host seconds between matching expect[i] and
        # expect[j] must be within [lo, hi] (guest time against real time)
        self.timed = timed or []


class Send:
    """In a case's expect list: type text on the serial line. QEMU's
    mon:stdio takes Ctrl-A as its escape key; a doubled one is a Ctrl-A
    for the guest, so each Ctrl-A is sent twice."""
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return f"send {self.text!r}"


class Dtb:
    """A boot module holding a device tree, compiled from source by dtc."""
    def __init__(self, dts, args=""):
        self.dts = dts
        self.args = args

    def build(self, path):
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path,
                        "-"], input=self.dts.encode(), check=True)


ONLINE = r"\(lamina\) {n} CPUs online, \d+ MiB free"
POWEROFF = [r"\(lamina\) no dom0 module", r"\(lamina\) powering off"]
# dom0 is gone: every page it took is back, and the machine powers off.
DOM0_GONE = [r"\(lamina\) d0v0 ran \d+ ms of \d+",
             r"\(lamina\) domain 0 destroyed",
             r"\(lamina\) free pages: (\d+) before domains, \1 after",
             r"\(lamina\) hardware domain gone: the machine follows",
             r"\(lamina\) powering off"]


def lapic_expect(vcpus, vendor):
    """programs/lapic.c as dom0 with this many vCPUs, on this back end."""
    s = "s" if vcpus > 1 else ""
    ap = [r"\(d0\) lapic: AP in real mode[\r\n]"] * 2 if vcpus > 1 else []
    return [rf"\(lamina\) {vendor}",
            rf"\(lamina\) d0: \d+ MiB, {vcpus} vCPU{s}, weight 256, "
            r"hardware domain, kernel lapic\.elf",
            r"lapic: (vmmcall|vmcall), " +
            ("2 or more vCPUs" if vcpus > 1 else "1 vCPU")] + ap + [
            r"[\r\n]\d+ passed, 0 failed",
            r"\(lamina\) domain 0 shut down \(poweroff\)",
            r"\(lamina\) domain 0 destroyed",
            r"\(lamina\) free pages: (\d+) before domains, \1 after",
            r"\(lamina\) powering off"]


def wallclock_agrees(out):
    """The guest's wallclock is the date Lamina read from the RTC, to the
    second or so (the RTC counts whole seconds)."""
    rtc = re.search(r"\(lamina\) date: (\S+ \S+) UTC", out)
    guest = re.search(r"wallclock: (\S+ \S+) UTC", out)
    if not rtc or not guest:
        return "no RTC date or no guest wallclock line"
    fmt = "%Y-%m-%d %H:%M:%S"
    diff = (datetime.datetime.strptime(guest.group(1), fmt) -
            datetime.datetime.strptime(rtc.group(1), fmt)).total_seconds()
    if not 0 <= diff <= 30:
        return f"guest wallclock {guest.group(1)}, RTC {rtc.group(1)}"
    return None


def cases():
    c = []
    for n in (1, 2, 8):
        c.append(Case(f"mb1-q35-iommu-smp{n}", [ONLINE.format(n=n)] + POWEROFF,
                      smp=n))
    c.append(Case("mb1-pc-smp2", [ONLINE.format(n=2)] + POWEROFF,
                  machine="pc", iommu=False))
    c.append(Case("mb1-128M", [r"memory: 12\d MiB RAM",
                               ONLINE.format(n=2)] + POWEROFF, mem="128"))
    c.append(Case("mb1-8G", [r"memory: 81\d\d MiB RAM",
                             ONLINE.format(n=2)] + POWEROFF, mem="8G",
                  timeout=120))
    c.append(Case("mb2-grub-iso", [r"loader: 'GRUB", ONLINE.format(n=2)] +
                  POWEROFF, iso=True))
    c.append(Case("mb2-grub-iso-pc-8G", [ONLINE.format(n=2)] + POWEROFF,
                  iso=True, machine="pc", iommu=False, mem="8G", timeout=120))
    c.append(Case("cmdline-unknown-option",
                  [r"unknown command-line option 'frobnicate'",
                   r"command line: .*frobnicate", ONLINE.format(n=2)] +
                  POWEROFF, append="frobnicate=1"))
    c.append(Case("dom0-module-not-elf",
                  [r"module 0: .*dom0-kernel-arg", r"elf: no ELF magic",
                   r"d0: module 0 is not a PVH kernel \(-8\)",
                   r"d0: not built", r"no domains left", r"powering off"],
                  modules=["dom0-kernel-arg=1"]))
    # The reference guests (pv-guest-patches/programs) as dom0, with the
    # start info where the hypervisor says it put it.
    dom0 = [r"\(lamina\) SVM: NPT, \d+ ASIDs",
            r"\(lamina\) d0: \d+ MiB, 1 vCPU, weight 256, hardware domain, "
            r"kernel \w+\.elf \(ELF\), entry 0x100000, "
            r"start info 0x[0-9a-f]+",
            r"start info: 0x[0-9a-f]+, version 1, command line"]
    hello = dom0 + [r"[\r\n]hello from the reference guest[\r\n]",
                    r"\(d0\) hello through port 0xE9[\r\n]",
                    r"xen_version: 4\.17",
                    r"null hypercall round trip: \d+ TSC cycles",
                    r"[\r\n]\d+ passed, 0 failed"]
    c.append(Case("dom0-hello", hello + [
                  r"\(lamina\) domain 0 shut down \(poweroff\)"] + DOM0_GONE,
                  modules=[("hello.elf", "hello")],
                  check=boot_domain_cases.start_info_agrees))
    c.append(Case("dom0-hello-smp1-pc", hello + DOM0_GONE,
                  modules=[("hello.elf", "hello")], smp=1, machine="pc",
                  iommu=False))
    # A domain crash leaves a register dump; the guest runs in long mode
    # (CS 0x08: attributes L, P, S, code).
    crashed_in_long_mode = [r"RIP 0008:00000000001[0-9a-f]{5} ",
                            r"rax [0-9a-f]{16}  rbx",
                            r"cs   sel 0008 attr a9b"]
    c.append(Case("dom0-triple-fault", dom0 + [
                  r"triple-faulting on purpose",
                  r"\(lamina\) domain 0 crashed: triple fault",
                  r"d0v0 exit 0x7f "] + crashed_in_long_mode + DOM0_GONE,
                  modules=[("triple.elf", "")]))
    c.append(Case("dom0-unhandled-exit", dom0 + [
                  r"unhandled: RDPMC next",
                  r"\(lamina\) domain 0 crashed: unhandled intercept: RDPMC",
                  r"d0v0 exit 0x6f "] + crashed_in_long_mode + DOM0_GONE,
                  modules=[("unhandled.elf", "")]))
    # The intercepts (pv-guest-patches/programs): each program's TAP-style
    # "N passed, 0 failed" line, and the lines it prints on port 0xE9.
    passed = r"[\r\n]\d+ passed, 0 failed"
    c.append(Case("dom0-intercepts", dom0 + [
                  r"\(d0\) rep outsb[\r\n]", r"\(d0\) rep outsb backwards",
                  r"\(d0\) rep outsw", passed] + DOM0_GONE,
                  modules=[("intercepts.elf", "")]))
    c.append(Case("dom0-vaddr", dom0 + [
                  r"vaddr: written from the alias mapping", passed] +
                  DOM0_GONE, modules=[("vaddr.elf", "")]))
    modes = ["32-bit protected mode, paging off", "16-bit protected mode",
             "16-bit protected mode, 32-bit addressing", "real mode",
             "real mode, 32-bit addressing", "32-bit paging, 4 MiB alias page",
             "32-bit paging, 4 KiB alias page",
             "PAE paging, 2 MiB alias page", "PAE paging, 4 KiB alias page"]
    c.append(Case("dom0-modes", dom0 + [
                  r"\(d0\) modes: " + m + r"[\r\n]" for m in modes] +
                  [passed] + DOM0_GONE, modules=[("modes.elf", "")]))
    c.append(Case("dom0-exits", dom0 + [
                  r"exits: console_io buffer on a user page, RFLAGS.AC set",
                  r"\(d0\) exits: addr32 rep outsb[\r\n]",
                  r"\(d0\) exits: rep outsb from fs[\r\n]", passed] +
                  DOM0_GONE, modules=[("exits.elf", "")]))
    c.append(Case("dom0-memory", dom0 + [passed] + DOM0_GONE,
                  modules=[("memory.elf", "")]))
    # The same as an unprivileged domain: platform_op refused.
    c.append(Case("domu-memory",
                  [r"boot domains: 1 of 1 built, starting",
                   r"\(d1\) \d+ passed, 0 failed"] + sched_cases.GONE,
                  modules=[Dtb(sched_cases.tree([sched_cases.domain(1, 1)])),
                           ("memory.elf", "")],
                  reject=r"crashed|PANIC|FATAL|not ok"))
    # The virtual LAPIC and two vCPUs: INIT-SIPI-SIPI into a real-mode
    # trampoline (twice), VCPUOP_initialise, IPIs and power states.
    c.append(Case("dom0-lapic-smp2", lapic_expect(2, "SVM: NPT, \\d+ ASIDs"),
                  modules=[("lapic.elf", "")], append="dom0_max_vcpus=2"))
    c.append(Case("dom0-lapic-1vcpu", lapic_expect(1, "SVM: NPT, \\d+ ASIDs"),
                  modules=[("lapic.elf", "")], smp=1))
    # Guest time: pvclock, today's date, 2 s of guest time in 2 s of host
    # time and a second of 10 ms sleeps in a second (+-15%), the areas,
    # the timers. Two vCPUs (one started): some calls name the other.
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    guest_time = [dom0[0], dom0[1].replace("1 vCPU", "2 vCPUs"), dom0[2],
                  r"pvclock: mul 0x[0-9a-f]+ shift -?\d flags 0x1, "
                  r"\d+ kHz", r"wallclock: \d{4}-\d\d-\d\d ",
                  r"elapsed: waiting 2 s", r"elapsed: done",
                  r"runstate: running \d+ ns",
                  r"singleshot: 10 ms timers fired \d+ us late",
                  r"periodic: \d+ events in 105 ms",
                  r"sleep: 100 x 10 ms", r"sleep: done", passed]
    c.append(Case("dom0-time", guest_time + DOM0_GONE,
                  timed=[(5, 6, 1.7, 2.3), (10, 11, 0.85, 1.15)],
                  modules=[("time.elf", f"today={today}")],
                  append="dom0_max_vcpus=2", check=wallclock_agrees))
    c.append(Case("dom0-policy", dom0 + [
                  r"hypervisor command line: 'console=com1 com1=115200,8n1'",
                  passed] + DOM0_GONE, modules=[("policy.elf", "")]))
    # The guest's own exception handler: a caught #UD, then an unexpected
    # one: its register dump, then SCHEDOP_shutdown(crash).
    c.append(Case("dom0-guest-exception", dom0 + [
                  r"ok 1 - catch_fault\(do_ud2, NULL\) == X86_EXC_UD",
                  r"exception #UD \(vector 6\), error code 0",
                  r"RIP 0008:00000000001[0-9a-f]{5} ", r"cr0 0000000080000011",
                  r"\(lamina\) domain 0 shut down \(crash\)"] + DOM0_GONE,
                  modules=[("fault.elf", "")]))
    c.append(Case("dom0-nullcall", dom0 + [
                  r"nullcall: xen_version by vmmcall: median \d+ cycles",
                  r"nullcall: unknown hypercall by vmmcall: median \d+ "
                  r"cycles", r"\(lamina\) domain 0 shut down \(poweroff\)"] +
                  DOM0_GONE, modules=[("nullcall.elf", "")]))
    # Without burn=N it burns until stopped: two progress lines will do.
    c.append(Case("dom0-burn", dom0 + [
                  r"burn: until stopped", r"burn: 1 s, \d+ rounds",
                  r"burn: 2 s, \d+ rounds"],
                  modules=[("burn.elf", "")], exit_ok=False))
    # The VMX-only build (make config-builds) on this AMD-only machine:
    # it must say that it cannot run guests, not crash.
    novmx = r"\(lamina\) HVM: no usable SVM or VMX: no guests"
    c.append(Case("vmx-only-no-vmx", [novmx, ONLINE.format(n=2)] +
                  POWEROFF, image="configs/vmx-only/lamina"))
    c.append(Case("vmx-only-no-vmx-dom0",
                  [novmx, ONLINE.format(n=2),
                   r"boot domains: no SVM or VMX to run them",
                   r"powering off"], image="configs/vmx-only/lamina",
                  modules=[("hello.elf", "hello")]))
    # Control registers, PAE paging and long mode (pv-guest-patches/
    # cpumodes); its Intel-only checks run in tests/boot/bochs.py.
    c.append(Case("dom0-cpumodes", [
        r"cpumodes: started", r"VMXOFF raises #UD: ok",
        r"EFER reserved bit refused \(#GP\): ok",
        r"XSETBV of XCR0 without x87 refused \(#GP\): ok",
        r"XSETBV of XCR1 refused \(#GP\): ok",
        r"XSETBV of XCR0 = x87 \| SSE: ok",
        r"PAE paging through an emulated CR0 write: ok",
        r"PAE alias mapping: ok", r"paging off again: ok",
        r"EFER\.LME set: ok", r"long mode through an emulated CR0 write: ok",
        r"left long mode, CR0\.PG alone \(EFER\.LMA clear\): ok",
        r"long mode again, CR0\.PG alone: ok", r"cpumodes: PASS",
        r"\(lamina\) domain 0 shut down \(poweroff\)"] + DOM0_GONE,
        modules=[("cpumodes.elf", "")]))
    # Three domains sharing one CPU keep their own SYSCALL MSRs
    # (pv-guest-patches/programs/msrswitch.c).
    three = [sched_cases.domain(i, 1) for i in range(1, 4)]
    c.append(Case("sched-msr-switch-smp1",
                  [r"boot domains: 3 of 3 built, starting"] + sched_cases.GONE,
                  modules=[Dtb(sched_cases.tree(three)),
                           ("msrswitch.elf", "msrswitch")], smp=1,
                  contains=[rf"\(d{i}\) msrswitch: d{i}, 200 yields, 0 values "
                            r"changed" for i in range(1, 4)] +
                  [rf"\(d{i}\) msrswitch: d{i}, DR0-3 over 200 yields, 0 "
                   r"values changed" for i in range(1, 4)] +
                  [rf"\(lamina\) domain {i} shut down \(poweroff\)"
                   for i in range(1, 4)],
                  reject=r"crashed|PANIC|FATAL|not ok"))
    c.append(Case("rtc-date", [r"date: (\d{4})-\d\d-\d\d \d\d:\d\d:\d\d UTC",
                               ONLINE.format(n=2)] + POWEROFF))
    c.append(Case("crash-page-fault",
                  [r"crash_test=pf", r"FATAL: page fault",
                   r"faulting address 000000000dead000",
                   r"RIP 0008:", r"stack trace:",
                   r"crash_test_page_fault\+0x",
                   r"debug_crash_test\+0x", r"__start_lamina\+0x",
                   r"system halted"],
                  append="crash_test=pf", exit_ok=False))
    c.append(Case("crash-bug-on",
                  [r"PANIC on CPU 0: BUG_ON", r"crash_test_bug(\.cold)?\+0x",
                   r"system halted"],
                  append="crash_test=bug", exit_ok=False))
    c.append(Case("crash-invalid-opcode-smp8",
                  [ONLINE.format(n=8), r"FATAL: invalid opcode",
                   r"crash_test_invalid_opcode\+0x", r"system halted"],
                  append="crash_test=ud", smp=8, exit_ok=False))
    # Reset paths: q35's FADT has a reset register (0xcf9), pc's (FADT
    # revision 1) has none, so the keyboard controller resets it. QEMU runs
    # with -no-reboot: a reset ends it with status 0.
    for machine in ("q35", "pc"):
        c.append(Case(f"reboot-{machine}",
                      [ONLINE.format(n=2), r"\(lamina\) rebooting"],
                      machine=machine, iommu=machine == "q35",
                      append="crash_test=reboot", reject=r"powering off"))
    return (c + boot_domain_cases.cases(Case, Dtb) +
            sched_cases.cases(Case, Dtb) + acpi_cases.cases(Case, Dtb) +
            gnttab_cases.cases(Case, Dtb, dom0, DOM0_GONE) +
            event_cases.cases(Case, Dtb, dom0, DOM0_GONE) +
            console_cases.cases(Case, Dtb, Send))


def qemu_cmd(case, image, iso, guests, tmp):
    cmd = [QEMU] + BASE_ARGS + ["-M", case.machine, "-smp", str(case.smp),
                                "-m", case.mem]
    if case.iommu:
        cmd += ["-device", "intel-iommu,intremap=on"]
        cmd[cmd.index("-M") + 1] += ",kernel-irqchip=split"
    if case.iso:
        return cmd + ["-cdrom", iso]
    if case.image:
        image = os.path.join(os.path.dirname(image), case.image)
    cmd += ["-kernel", image, "-append",
            f"console=com1 com1=115200,8n1 {case.append}".strip()]
    if case.modules:
        paths = []
        for i, m in enumerate(case.modules):
            if isinstance(m, Dtb):
                p, args = os.path.join(tmp, f"module{i}.dtb"), m.args
                m.build(p)
            elif isinstance(m, tuple):
                p, args = os.path.join(guests, m[0]), m[1]
            else:
                p, args = os.path.join(tmp, f"module{i}"), m
                with open(p, "wb") as f:
                    f.write(os.urandom(4096))
            paths.append(f"{p} {args}".strip())
        cmd += ["-initrd", ",".join(paths)]
    return cmd


def dump_state(child):
    """A case that timed out: move the serial input to Lamina (Ctrl-A
    three times, doubled for QEMU's mon:stdio, until it says so) and
    press its 'q' debug key, so that the log shows every vCPU's state."""
    try:
        for _ in range(8):
            child.send("\x01\x01" * 3)
            if child.expect([r"Serial input to Lamina", r"Serial input to "
                             r"DOM\d+", pexpect.TIMEOUT], timeout=5) == 0:
                child.send("q")
                child.expect(pexpect.TIMEOUT, timeout=3)
                return
    except pexpect.EOF:
        pass


def run_case(case, image, iso, guests, verbose):
    with tempfile.TemporaryDirectory() as tmp:
        cmd = qemu_cmd(case, image, iso, guests, tmp)
        log = open(os.path.join(tmp, "serial.log"), "w")
        start = time.monotonic()
        child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                              codec_errors="replace", timeout=case.timeout)
        child.logfile_read = log
        try:
            when = []
            for pat in case.expect:
                if isinstance(pat, Send):
                    child.send(pat.text.replace("\x01", "\x01\x01"))
                else:
                    child.expect(pat)
                when.append(time.monotonic())
            timings = []
            for i, j, lo, hi in case.timed:
                took = when[j] - when[i]
                timings.append(f"{took:.3f}")
                if not lo <= took <= hi:
                    raise AssertionError(f"{took:.2f} s of host time "
                                         f"between /{case.expect[i]}/ and "
                                         f"/{case.expect[j]}/, not {lo}-{hi}")
            if case.exit_ok:
                child.expect(pexpect.EOF)
                child.close()
                if child.exitstatus != 0:
                    raise AssertionError(f"QEMU exit status {child.exitstatus}")
            else:
                child.terminate(force=True)
            if case.reject and re.search(case.reject, child.before or ""):
                raise AssertionError(f"unexpected /{case.reject}/")
            log.flush()
            with open(log.name, errors="replace") as f:
                out = f.read()
            for pat in case.contains:
                if not re.search(pat, out):
                    raise AssertionError(f"no /{pat}/ in the log")
            if case.check and case.check(out):
                raise AssertionError(case.check(out))
            ok, why = True, f"{time.monotonic() - start:.1f}s"
            if timings:
                why += ", timed " + " ".join(timings) + " s"
        except (pexpect.TIMEOUT, pexpect.EOF, AssertionError) as e:
            ok = False
            if isinstance(e, pexpect.TIMEOUT):
                dump_state(child)
            why = (f"waiting for /{pat}/: {type(e).__name__}"
                   if not isinstance(e, AssertionError) else str(e))
            child.terminate(force=True)
        log.close()
        if not ok or verbose:
            with open(os.path.join(tmp, "serial.log")) as f:
                out = f.read()
            sys.stdout.write(f"---- {case.name}: {' '.join(cmd)}\n"
                             + out[-6000:] + "\n----\n")
        return ok, why


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image", required=True)
    ap.add_argument("--iso", required=True)
    ap.add_argument("--guests", help="directory of the reference guests "
                    "(default: guests/ next to --image)")
    ap.add_argument("-k", default="", help="run cases whose name matches")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    guests = a.guests or os.path.join(os.path.dirname(a.image), "guests")
    passed = failed = 0
    for case in cases():
        if a.k and not re.search(a.k, case.name):
            continue
        ok, why = run_case(case, a.image, a.iso, guests, a.v)
        print(f"{'PASS' if ok else 'FAIL'}: {case.name} ({why})", flush=True)
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
