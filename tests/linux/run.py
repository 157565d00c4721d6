#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Debian's stock kernel on Lamina, driven from the busybox shell on its
console (tests/linux/mkinitramfs.sh): as an unprivileged PVH boot domain
from a hyperlaunch device tree with 1, 2 or 4 vCPUs, two such domains at
once, and as the initial domain by Xen's module convention. Each case
checks the kernel's log and the shell's answers, then powers the domain
off or reboots it. Ends with 'N passed, N failed'.

Usage: run.py --image build/lamina --initramfs build/linux/initramfs.cpio.gz
              [--kernel /boot/vmlinuz-...] [-k PATTERN] [-v]
              [--logdir DIR]
"""
import argparse
import datetime
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect

QEMU = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-M", "q35",
        "-m", "2048", "-nographic", "-no-reboot", "-serial", "mon:stdio",
        "-monitor", "none", "-device", "intel-iommu"]
PROMPT = r"~ # "
MARKER = r"lamina-initramfs: userspace after ([\d.]+) s"
STAMP = r"(?:\[ *[\d.]+\] )?"      # the kernel's printk time, if any
# Lines end in one or more \r and a \n: the hypervisor's serial driver
# and the pty each add a \r, dom0's own \r is kept (a domU's is not).
EOL = r"\r*\n"


def domu_tree(domains):
    """Hyperlaunch tree: (domid, vcpus, MiB, kernel index, ramdisk index,
    bootargs) per domain; module 0 is the tree itself."""
    body = ""
    for domid, vcpus, mib, kidx, ridx, args in domains:
        body += f"""
            domain@{domid} {{
                compatible = "xen,domain";
                domid = <{domid}>; mode = <4>; cpus = <{vcpus}>;
                memory = <0x0 {mib * 1024:#x}>;
                kernel {{ compatible = "module,kernel"; mb-index = <{kidx}>;
                         bootargs = "{args}"; }};
                ramdisk {{ compatible = "module,ramdisk";
                          mb-index = <{ridx}>; }};
            }};"""
    return ("/dts-v1/;\n/ {\n    chosen {\n        hypervisor {\n"
            '            compatible = "hypervisor,xen";' + body +
            "\n        };\n    };\n};\n")


class Shell:
    """One domain's console, reached through the serial line: the
    hypervisor's (dN) prefix is part of every line of a domU."""
    def __init__(self, child, prefix):
        self.child = child
        self.prefix = prefix

    def run(self, cmd, want, timeout=60):
        self.child.sendline(cmd)
        self.child.expect(self.prefix + want, timeout=timeout)
        self.child.expect(PROMPT, timeout=timeout)


def boot_checks(child, prefix, vcpus):
    """The kernel's own lines that say it runs on Xen PVH."""
    # Linux 6.1 names its Xen PVH and HVM guest type "Xen HVM" (arch/x86/
    # xen/enlighten_hvm.c: x86_hyper_xen_hvm), on Xen too.
    for pat in (r"Linux version 6\.", r"Hypervisor detected: Xen HVM",
                r"Booting kernel on Xen PVH|Booting paravirtualized kernel "
                r"on Xen PVH"):
        child.expect(prefix + STAMP + f"(?:{pat})")
    child.expect(prefix + MARKER, timeout=600)
    return float(child.match.group(1))


def shell_checks(sh, vcpus):
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    sh.run("cat /sys/hypervisor/type", r"xen" + EOL)
    sh.run("nproc", rf"{vcpus}" + EOL)
    sh.run("cat /sys/devices/system/clocksource/clocksource0/"
           "current_clocksource", r"xen" + EOL)
    sh.run("date -u +%Y-%m-%d", today)
    start = time.monotonic()
    sh.run("sleep 10; echo slept", r"slept" + EOL, timeout=60)
    return time.monotonic() - start


class Case:
    def __init__(self, name, fn, timeout=900):
        self.name, self.fn, self.timeout = name, fn, timeout


def spawn(image, modules, tmp, smp=2):
    initrd = ",".join(f"{path} {args}".strip() for path, args in modules)
    cmd = QEMU + ["-smp", str(smp), "-kernel", image, "-append",
                  "console=com1 com1=115200,8n1", "-initrd", initrd]
    log = open(os.path.join(tmp, "serial.log"), "w")
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                          codec_errors="replace", timeout=120)
    child.logfile_read = log
    return child, cmd


def dtb(tmp, dts):
    path = os.path.join(tmp, "boot.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"],
                   input=dts.encode(), check=True)
    return path


def domu_case(vcpus, end="poweroff"):
    def fn(a, tmp, notes):
        tree = domu_tree([(1, vcpus, 512, 1, 2, "console=hvc0")])
        start = time.monotonic()
        child, cmd = spawn(a.image, [(dtb(tmp, tree), ""), (a.kernel, ""),
                                     (a.initramfs, "")], tmp)
        prefix = r"\(d1\) "
        up = boot_checks(child, prefix, vcpus)
        host = time.monotonic() - start
        sh = Shell(child, prefix)
        slept = shell_checks(sh, vcpus)
        notes.append(f"userspace at {up:.2f} s guest time ({host:.1f} s "
                     f"after QEMU started), sleep 10 took {slept:.2f} s")
        if not 8.5 <= slept <= 11.5:
            raise AssertionError(f"sleep 10 took {slept:.2f} s")
        child.sendline(f"{end} -f")
        child.expect(rf"\(lamina\) domain 1 shut down \({end}\)")
        child.expect(r"\(lamina\) free pages: (\d+) before domains, \1 after")
        child.expect(r"\(lamina\) powering off")
        child.expect(pexpect.EOF)
        return child, cmd
    return fn


def two_domus(a, tmp, notes):
    tree = domu_tree([(1, 2, 512, 1, 2, "console=hvc0"),
                      (2, 2, 512, 1, 2, "console=hvc0")])
    child, cmd = spawn(a.image, [(dtb(tmp, tree), ""), (a.kernel, ""),
                                 (a.initramfs, "")], tmp)
    child.expect(r"Serial input to DOM1 ")
    # The two reach userspace in either order.
    up = set()
    while len(up) < 2:
        child.expect(r"\(d([12])\) " + MARKER, timeout=900)
        up.add(child.match.group(1))
    # Serial input goes to one domain at a time, d1 first (Xen's rule at
    # boot); Ctrl-A three times moves it on to d2 (docs/boot-domains.md).
    # QEMU's mon:stdio takes a doubled Ctrl-A as one for the guest.
    for d in (1, 2):
        if d > 1:
            child.send("\x01" * 6)
            child.expect(rf"Serial input to DOM{d} ")
        sh = Shell(child, rf"\(d{d}\) ")
        sh.run("nproc", r"2" + EOL)
        child.sendline("poweroff -f")
        child.expect(rf"\(lamina\) domain {d} shut down \(poweroff\)")
    child.expect(r"\(lamina\) powering off")
    child.expect(pexpect.EOF)
    return child, cmd


def dom0_case(a, tmp, notes):
    child, cmd = spawn(a.image, [(a.kernel, "console=hvc0 pci=off"),
                                 (a.initramfs, "")], tmp)
    up = boot_checks(child, "", 1)
    notes.append(f"userspace at {up:.2f} s guest time")
    sh = Shell(child, "")
    sh.run("cat /sys/hypervisor/type", r"xen" + EOL)
    child.sendline("poweroff -f")
    child.expect(r"\(lamina\) domain 0 shut down \(poweroff\)")
    child.expect(r"\(lamina\) powering off")
    child.expect(pexpect.EOF)
    return child, cmd


CASES = [
    Case("domu-2vcpus-poweroff", domu_case(2)),
    Case("domu-1vcpu", domu_case(1)),
    Case("domu-4vcpus", domu_case(4)),
    Case("domu-2vcpus-reboot", domu_case(2, "reboot")),
    Case("two-domus", two_domus),
    Case("dom0-hvc0", dom0_case),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image", required=True)
    p.add_argument("--initramfs", required=True)
    p.add_argument("--kernel", default=sorted(glob.glob("/boot/vmlinuz-*"))[-1])
    p.add_argument("-k", default="")
    p.add_argument("-v", action="store_true")
    p.add_argument("--logdir", help="keep each case's serial log here")
    a = p.parse_args()
    passed = failed = 0
    for case in CASES:
        if not re.search(a.k, case.name):
            continue
        notes = []
        with tempfile.TemporaryDirectory() as tmp:
            start = time.monotonic()
            cmd = []
            try:
                child, cmd = case.fn(a, tmp, notes)
                ok, why = True, f"{time.monotonic() - start:.1f}s"
            except (pexpect.TIMEOUT, pexpect.EOF, AssertionError) as e:
                ok, why = False, f"{type(e).__name__}: {str(e)[:200]}"
            if a.logdir:
                os.makedirs(a.logdir, exist_ok=True)
                shutil.copy(os.path.join(tmp, "serial.log"),
                            os.path.join(a.logdir, case.name + ".log"))
            if not ok or a.v:
                with open(os.path.join(tmp, "serial.log"),
                          errors="replace") as f:
                    sys.stdout.write(f"---- {case.name}\n" +
                                     f.read()[-8000:] + "\n----\n")
        print(f"{'PASS' if ok else 'FAIL'}: {case.name} ({why})"
              + (f" [{'; '.join(notes)}]" if notes else ""))
        sys.stdout.flush()
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
