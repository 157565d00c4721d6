#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmarks (not tests) of Lamina against Debian's Xen 4.17, on the same
QEMU machine (xen_ref.py): the micro-benchmarks of the reference guest,
each program booted as dom0 on both, with the ratio Lamina / Xen; then the
time to userspace of Debian's kernel and the busybox initramfs
(tests/linux/mkinitramfs.sh) as the initial domain. Figures are printed;
nothing is judged, and a side that does not get there says why.

Usage: xen_bench.py --build build [--runs 3] [--kernel /boot/vmlinuz-...]
                    [--initramfs build/linux/initramfs.cpio.gz]
"""
import argparse
import glob
import os
import re
import statistics

import xen_ref


class Micro:
    """A figure a reference-guest program prints: `pattern`'s one group
    is the median in TSC cycles (the same TSC on both sides)."""
    def __init__(self, what, program, pattern, args=""):
        self.what = what
        self.program = program
        self.pattern = pattern
        self.args = args


# One line per benchmark: a program that prints "NAME: WHAT ...: median N
# cycles" (the median of its own runs) and the regex of that line. One not
# built yet is reported as such.
MICRO = [
    Micro("null hypercall (xen_version)", "nullcall",
          r"nullcall: xen_version by \w+: median (\d+) cycles"),
    Micro("unknown hypercall (-ENOSYS)", "nullcall",
          r"nullcall: unknown hypercall by \w+: median (\d+) cycles"),
    Micro("null hypercall via the hypercall page", "nullcall",
          r"nullcall: xen_version by hypercall page: median (\d+) cycles"),
    Micro("event-channel send (masked port)", "evtbench",
          r"evtbench: send to a masked port by \w+: median (\d+) cycles"),
    Micro("event-channel send and upcall", "evtbench",
          r"evtbench: send and upcall by \w+: median (\d+) cycles"),
    Micro("4 KiB grant copy, 1 page per call", "gntbench",
          r"gntbench: 1 page per call: median (\d+) cycles"),
    Micro("4 KiB grant copy, 16 pages per call (per page)", "gntbench",
          r"gntbench: 16 pages per call: median (\d+) cycles"),
]

# Debian's kernel as dom0 on both (PLATFORM.md: a PVH dom0 of Xen needs
# the IOMMU and no RDTSCP); no PKU either: under QEMU, Xen 4.17's dom0
# reaches userspace with it, but its XRSTOR of PKRU fails there ("Bad FPU
# state") and init dies of a #UD at its first AVX instruction.
LINUX_CPU = "max,-rdtscp,-pku"
LINUX_ARGS = "console=hvc0 pci=off"
LINUX_MEM = "512M"
MARKER = r"lamina-initramfs: userspace after ([\d.]+) s"


def micro(targets, build, runs, timeout=300):
    """Each program booted `runs` times per side, the sides alternating
    (the machine's load changes): the median and the best of the
    program's own medians. The TSC runs on while QEMU waits for a host
    CPU, so on a loaded machine the best is the steadier figure."""
    guests = os.path.join(build, "guests")
    figs = {}                   # (micro index, target) -> [cycles]
    progs = []
    for m in MICRO:
        if (m.program, m.args) not in progs:
            progs.append((m.program, m.args))
    for prog, args in progs:
        if not os.path.exists(os.path.join(guests, prog + ".elf")):
            continue
        for _ in range(runs):
            for t in targets:
                res = xen_ref.run_program(
                    t, guests, prog, args, timeout,
                    logpath=os.path.join(build, "xen-compare",
                                         f"bench-{prog}.{t.name}.log"))
                text = "\n".join(res.lines)
                for i, m in enumerate(MICRO):
                    found = (m.program, m.args) == (prog, args) and \
                        re.search(m.pattern, text)
                    if found:
                        figs.setdefault((i, t.name), []).append(
                            int(found.group(1)))
    for i, m in enumerate(MICRO):
        if not os.path.exists(os.path.join(guests, m.program + ".elf")):
            print(f"{m.what}: {m.program}.elf not built")
            continue
        got = {t.name: figs[(i, t.name)] for t in targets
               if figs.get((i, t.name))}
        line = f"{m.what}, TSC cycles (median of boots, best):"
        for name, label in (("lamina", "Lamina"), ("xen", "Xen 4.17")):
            line += (f" {label} {statistics.median(got[name]):.0f}, "
                     f"{min(got[name])};" if name in got else
                     f" {label} no figure;")
        if len(got) == 2:
            line += (" Lamina/Xen %.2f, best %.2f" % (
                statistics.median(got["lamina"]) /
                statistics.median(got["xen"]),
                min(got["lamina"]) / min(got["xen"])))
        print(line.rstrip(";"), flush=True)


def to_userspace(target, build, kernel, initramfs, timeout):
    """One boot: (wall seconds to the marker, the guest's uptime then)
    or (None, why not)."""
    args = target.qemu([f"{kernel} {LINUX_ARGS}", initramfs],
                       mem=LINUX_MEM, cpu=LINUX_CPU)
    path = os.path.join(build, "xen-compare", f"linux.{target.name}.log")
    with open(path, "w") as log_f:
        log, secs, problem = xen_ref.boot(target, args, timeout, log_f,
                                          until=MARKER)
    m = re.search(MARKER, log)
    if m:
        return secs, float(m.group(1))
    lines = [ln for ln in log.replace("\r", "").split("\n")
             if ln.strip() and not xen_ref.HV_LINE.match(ln)]
    last = f"; the kernel's last line: '{lines[-1].strip()}'" if lines else ""
    return None, (xen_ref.ending(log, target.name) or problem or
                  "QEMU ended") + f"{last} (log {path})"


def linux(targets, build, kernel, initramfs, runs, timeout):
    walls = {}
    for t in targets:
        times = []
        for _ in range(runs):
            wall, up = to_userspace(t, build, kernel, initramfs, timeout)
            if wall is None:
                print(f"time to userspace, {t.name}: not reached: {up}",
                      flush=True)
                break
            times.append((wall, up))
        if len(times) == runs:
            med = statistics.median(w for w, _ in times)
            walls[t.name] = med
            print(f"time to userspace, {t.name}: " +
                  " ".join(f"{w:.1f}" for w, _ in times) +
                  f" s from QEMU's start (median {med:.1f} s); the kernel's "
                  f"uptime then " + " ".join(f"{u:.1f}" for _, u in times) +
                  " s", flush=True)
    if len(walls) == 2:
        print(f"time to userspace: Lamina/Xen "
              f"{walls['lamina'] / walls['xen']:.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--runs", type=int, default=3,
                    help="boots of each program and of Linux per side "
                    "(medians)")
    ap.add_argument("--kernel",
                    default=(sorted(glob.glob("/boot/vmlinuz-*")) or [""])[-1])
    ap.add_argument("--initramfs", default=None)
    ap.add_argument("--timeout", type=int, default=180,
                    help="seconds a Linux boot may take to userspace")
    a = ap.parse_args()
    initramfs = a.initramfs or os.path.join(a.build, "linux",
                                            "initramfs.cpio.gz")
    os.makedirs(os.path.join(a.build, "xen-compare"), exist_ok=True)
    targets = [xen_ref.lamina(a.build), xen_ref.xen(a.build)]
    print("Lamina and Xen 4.17 as PVH dom0 hosts on QEMU TCG "
          "(q35, intel-iommu, -cpu max,-rdtscp):")
    print(f"micro-benchmarks, {a.runs} boot(s) of each program per side:")
    micro(targets, a.build, a.runs)
    print(f"Debian's kernel {os.path.basename(a.kernel)} with "
          f"{os.path.basename(initramfs)} as dom0 ({LINUX_ARGS}, "
          f"dom0_mem={LINUX_MEM}, 1 vCPU, -cpu {LINUX_CPU}), "
          f"{a.runs} boot(s) each:")
    linux(targets, a.build, a.kernel, initramfs, a.runs, a.timeout)


if __name__ == "__main__":
    main()
