#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Benchmark (not a test): wall time from starting QEMU to the
'(lamina) N CPUs online' line, multiboot1 via -kernel, q35, TCG.
Prints each run and the median. Usage: boot_time.py IMAGE [RUNS] [SMP]"""
import statistics
import sys
import time

import pexpect


def one(image, smp):
    cmd = ["-accel", "tcg", "-cpu", "max", "-M", "q35", "-m", "1024",
           "-smp", str(smp), "-nographic", "-no-reboot", "-kernel", image,
           "-append", "console=com1"]
    start = time.monotonic()
    child = pexpect.spawn("qemu-system-x86_64", cmd, timeout=60)
    child.expect(r"\(lamina\) \d+ CPUs online")
    t = time.monotonic() - start
    child.expect(pexpect.EOF)
    return t


def main():
    image = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    smp = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    times = [one(image, smp) for _ in range(runs)]
    for t in times:
        print(f"boot to 'CPUs online': {t:.3f} s")
    print(f"median of {runs} (-smp {smp}): {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
