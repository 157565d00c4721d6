#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Boot a reference-guest program (build/guests/NAME.elf) as the PVH
domain 0 of Debian's Xen 4.17, or of Lamina, under the same QEMU machine,
and read what the guest printed: its CHECK lines and its summary.

Both hypervisors print dom0's console_io text as it is and its port 0xE9
bytes as "(d0) line"; their own lines start with "(XEN) " or
"(lamina) ". The guest's transcript is every other line from the
library's first one ("start info: ...") on, without carriage returns.

The machine is the one PLATFORM.md gives for Xen's PVH dom0, on both
sides: q35 with an Intel IOMMU (a PVH dom0 of Xen needs one) and
-cpu max,-rdtscp (Xen 4.17 crashes dom0 on an RDTSCP under TCG: without
NRIP save it cannot find the instruction's length).

Usage: xen_ref.py --build build [--lamina] [-v] PROGRAM [ARGS...]
prints the guest's transcript, then its summary line or why it has none.
"""
import argparse
import gzip
import os
import re
import shutil
import sys
import time

import pexpect

QEMU = "qemu-system-x86_64"
XEN_GZ = "/boot/xen-4.17-amd64.gz"
MACHINE = ["-accel", "tcg", "-M", "q35,kernel-irqchip=split",
           "-device", "intel-iommu,intremap=on", "-cpu", "max,-rdtscp",
           "-nographic", "-no-reboot", "-serial", "mon:stdio",
           "-monitor", "none"]
# Lamina implements grant tables v1 only: Xen is told the same.
XEN_ARGS = ("console=com1 com1=115200 dom0=pvh loglvl=all guest_loglvl=all "
            "gnttab=max-ver:1")
LAMINA_ARGS = "console=com1 com1=115200,8n1"

# How each hypervisor ends: after dom0's shutdown Xen halts (or reboots
# after 5 s), Lamina powers the machine off, which ends QEMU. A Xen
# panic reboots after 5 s too; -no-reboot makes that an exit.
XEN_END = (r"\(XEN\) (Hardware Dom0 (halted|shutdown|crashed)|"
           r"Panic on CPU)[^\r\n]*[\r\n]")
HV_LINE = re.compile(r"^\((XEN|lamina)\) ")
GUEST_START = re.compile(r"^start info: ", re.M)
CHECK = re.compile(r"^(ok|not ok)(?: \d+)? - (.*)$")
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")
GOT_WANT = re.compile(r"^(.*): (got \S+ want \S+)$")
SKIP = re.compile(r"^(.*) # SKIP (.*)$")


def xen_image(build):
    """build/xen/xen-4.17: Debian's hypervisor, decompressed (a multiboot1
    ELF32 that QEMU's -kernel takes)."""
    if not os.path.exists(XEN_GZ):
        raise SystemExit(f"{XEN_GZ} missing: install xen-hypervisor-4.17-amd64"
                         " (make deps)")
    path = os.path.join(build, "xen", "xen-4.17")
    if (not os.path.exists(path) or
            os.path.getmtime(path) < os.path.getmtime(XEN_GZ)):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with gzip.open(XEN_GZ) as src, open(path + ".tmp", "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.replace(path + ".tmp", path)
    return path


class Target:
    """One hypervisor under QEMU: its image, options and how it ends."""
    def __init__(self, name, image, args, end):
        self.name = name
        self.image = image
        self.args = args
        self.end = end          # regex after which the run is over

    def qemu(self, modules, vcpus=1, mem="64M", smp=2, qemu_mem="1024",
             cpu=None, extra=""):
        """modules: ["path args", ...]; dom0 gets mem and vcpus."""
        machine = list(MACHINE)
        if cpu:
            machine[machine.index("-cpu") + 1] = cpu
        append = f"{self.args} dom0_mem={mem} dom0_max_vcpus={vcpus} {extra}"
        return machine + ["-smp", str(smp), "-m", qemu_mem,
                          "-kernel", self.image, "-append", append.strip(),
                          "-initrd", ",".join(modules)]


def xen(build):
    return Target("xen", xen_image(build), XEN_ARGS, XEN_END)


def lamina(build):
    return Target("lamina", os.path.join(build, "lamina"), LAMINA_ARGS, None)


def boot(target, args, timeout, logfile=None, until=None):
    """Run QEMU with args until the target ends (or `until`, a regex, is
    seen). Returns (serial log, elapsed seconds, None or what went
    wrong)."""
    start = time.monotonic()
    child = pexpect.spawn(QEMU, args, encoding="utf-8",
                          codec_errors="replace", timeout=timeout)
    if logfile:
        child.logfile_read = logfile
    ends = [pexpect.EOF, pexpect.TIMEOUT]
    for pat in (until, target.end):
        if pat:
            ends.append(pat)
    what = child.expect(ends)
    log = child.before + (child.after if what >= 2 else "")
    problem = {0: None, 1: f"timeout after {timeout} s"}.get(what)
    child.terminate(force=True)
    return log, time.monotonic() - start, problem


def transcript(log):
    """The guest's lines: from its first line on, without either
    hypervisor's own lines."""
    log = log.replace("\r", "")
    m = GUEST_START.search(log)
    lines = log[m.start():].split("\n") if m else []
    return [ln for ln in lines if ln and not HV_LINE.match(ln)]


# How dom0 ended, from the hypervisor's lines: the guest's own shutdown
# (poweroff, reboot, crash, suspend...) or the hypervisor's doing.
LAMINA_ENDS = [(r"\(lamina\) domain 0 shut down \((\w+)\)", "{0}"),
               (r"\(lamina\) domain 0 crashed: ([^\r\n]*)",
                "crashed by the hypervisor ({0})")]
XEN_ENDS = [(r"\(XEN\) d0v0 Triple fault", "reboot (triple fault)"),
            (r"\(XEN\) (Domain 0 \(vcpu#\d+\) crashed|domain_crash called)",
             "crashed by the hypervisor"),
            (r"\(XEN\) Hardware Dom0 halted", "poweroff"),
            (r"\(XEN\) Hardware Dom0 crashed", "crash"),
            (r"\(XEN\) Hardware Dom0 shutdown: rebooting", "reboot"),
            (r"\(XEN\) Hardware Dom0 shutdown \(unknown reason (\d+)\)",
             "reason {0}"),
            (r"\(XEN\) Panic on CPU", "Xen panicked")]


def ending(log, target):
    """The first way dom0 ended that the log shows, or None."""
    for pat, what in LAMINA_ENDS if target == "lamina" else XEN_ENDS:
        m = re.search(pat, log)
        if m:
            return what.format(*m.groups())
    return None


class Result:
    """What a run of a program showed: its checks by key, its summary."""
    def __init__(self, lines, problem=None):
        self.lines = lines
        self.problem = problem
        self.checks = {}        # (test, name, nth) -> "ok", "skip: why"...
        self.order = []
        self.summary = None     # (passed, failed)
        test, seen = "", {}
        for ln in lines:
            if ln.startswith("# ") and not CHECK.match(ln):
                test = ln[2:]
                continue
            m = SUMMARY.match(ln)
            if m:
                self.summary = (int(m.group(1)), int(m.group(2)))
                continue
            m = CHECK.match(ln)
            if not m:
                continue
            key, value = check_key_value(m.group(1), m.group(2), test)
            n = seen.get(key, 0)
            seen[key] = n + 1
            key = key + (n,)
            self.checks[key] = value
            self.order.append(key)

    def ended(self):
        """None, or why the run has no usable result."""
        if self.summary is None:
            return self.problem or "no 'N passed, N failed' line"
        return None


def check_key_value(status, text, test):
    """A check line's key (its test, its name) and result: "ok", "skip",
    "not ok", or "got X" (a CHECK_EQ that failed: want is in the name)."""
    m = SKIP.match(text)
    if m:
        return (test, m.group(1)), "skip"
    if status == "ok":
        return (test, text), "ok"
    m = GOT_WANT.match(text)
    if m:
        return (test, m.group(1)), m.group(2).split(" want ")[0]
    return (test, text), "not ok"


def run_program(target, guests, program, args="", timeout=300, vcpus=1,
                logpath=None):
    """Boot one program on one target; returns its Result."""
    module = f"{os.path.join(guests, program + '.elf')} {args}".strip()
    qemu_args = target.qemu([module], vcpus=vcpus)
    log_f = open(logpath, "w") if logpath else None
    try:
        log, secs, problem = boot(target, qemu_args, timeout, log_f)
    finally:
        if log_f:
            log_f.close()
    res = Result(transcript(log), problem)
    res.end = ending(log, target.name) or problem or "no end seen"
    res.seconds = secs
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--lamina", action="store_true",
                    help="boot Lamina (build/lamina) instead of Xen")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("-v", action="store_true", help="print the whole log")
    ap.add_argument("program")
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    target = lamina(a.build) if a.lamina else xen(a.build)
    logpath = os.path.join(a.build, "xen-compare",
                           f"{a.program}.{target.name}.log")
    os.makedirs(os.path.dirname(logpath), exist_ok=True)
    res = run_program(target, os.path.join(a.build, "guests"), a.program,
                      " ".join(a.args), a.timeout, logpath=logpath)
    if a.v:
        with open(logpath, errors="replace") as f:
            sys.stdout.write(f.read())
    else:
        print("\n".join(res.lines))
    why = res.ended()
    print(f"{target.name}: {a.program}: " +
          (why if why else "%d passed, %d failed" % res.summary) +
          f"; ended: {res.end} ({res.seconds:.1f} s; log {logpath})")
    return 1 if why else 0


if __name__ == "__main__":
    sys.exit(main())
