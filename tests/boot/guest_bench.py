#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmarks of the virtualization core (not tests): boot to the first
guest output and the scheduler's shares (the hypercall round trip, against
Xen's: xen_bench.py).
Figures are printed; nothing is judged. Under QEMU TCG, -cpu max.

Usage: guest_bench.py --image build/lamina --guests build/guests [--runs 5]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

import pexpect

QEMU = "qemu-system-x86_64"


def qemu_args(image, modules, smp=2, append=""):
    args = ["-accel", "tcg", "-cpu", "max", "-M", "q35", "-m", "1024",
            "-smp", str(smp), "-nographic", "-no-reboot", "-kernel", image,
            "-append", f"console=com1 {append}"]
    if modules:
        args += ["-initrd", ",".join(modules)]
    return args


def first_output(image, guests, runs, mem):
    """Wall time from starting QEMU to the guest's first console line,
    with dom0_mem=mem (populating guest RAM is part of the boot)."""
    times = []
    for _ in range(runs):
        start = time.monotonic()
        child = pexpect.spawn(QEMU, qemu_args(image, [f"{guests}/hello.elf"],
                                              append=f"dom0_mem={mem}"),
                              timeout=60)
        child.expect(r"hello from the reference guest")
        times.append(time.monotonic() - start)
        child.expect(pexpect.EOF)
    print(f"boot to first guest output (dom0_mem={mem}): " +
          " ".join(f"{t:.3f}" for t in times) +
          f" s; median {statistics.median(times):.3f} s")


BURNERS = """/dts-v1/;
/ { chosen { hypervisor {
    compatible = "hypervisor,xen";
    domain@1 { compatible = "xen,domain"; domid = <1>; mode = <4>;
        weight = <256>; memory = <0x0 0x4000>;
        kernel { compatible = "module,kernel"; mb-index = <1>; }; };
    domain@2 { compatible = "xen,domain"; domid = <2>; mode = <4>;
        weight = <512>; memory = <0x0 0x4000>;
        kernel { compatible = "module,kernel"; mb-index = <1>; }; };
}; }; };
"""


def shares(image, guests, smp, seconds):
    """Two CPU-bound guests, weights 256 and 512, for `seconds` of wall
    time: the hypervisor's run-time counters when they end."""
    with tempfile.TemporaryDirectory() as tmp:
        dtb = os.path.join(tmp, "burners.dtb")
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb,
                        "-"], input=BURNERS.encode(), check=True)
        child = pexpect.spawn(QEMU, qemu_args(
            image, [dtb, f"{guests}/burn.elf burn={seconds}"], smp=smp),
            timeout=seconds * 6 + 60, encoding="utf-8")
        child.expect(pexpect.EOF)
    ran = {d: (int(r), int(t)) for d, r, t in re.findall(
        r"\(lamina\) d(\d)v0 ran (\d+) ms of (\d+)", child.before)}
    if "1" not in ran or "2" not in ran:
        print(f"shares -smp {smp}: no run times in the log")
        return
    (a, la), (b, lb) = ran["1"], ran["2"]
    print(f"weights 256:512 on {smp} CPU(s): d1 ran {a} ms of {la}, "
          f"d2 ran {b} ms of {lb}: ratio 1:{b / a:.2f}; "
          f"{100 * (a + b) / (smp * max(la, lb)):.0f}% of the CPUs busy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image", required=True)
    ap.add_argument("--guests", required=True)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    first_output(a.image, a.guests, a.runs, "16M")
    first_output(a.image, a.guests, a.runs, "512M")
    shares(a.image, a.guests, 1, 10)
    shares(a.image, a.guests, 2, 10)


if __name__ == "__main__":
    main()
