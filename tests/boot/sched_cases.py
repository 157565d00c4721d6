# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for several guests at once (docs/scheduling.md): eight
boot domains on two CPUs, one of which triple-faults and one of which
executes an instruction that is intercepted but not handled; those two
are crashed, the six others finish, and every page comes back. A capped
domain gets its cap of CPU time; domains pinned to one CPU run only
there and share it. run.py adds them."""
import re

GONE = [r"\(lamina\) no domains left",
        r"\(lamina\) free pages: (\d+) before domains, \1 after",
        r"\(lamina\) powering off"]


def domain(domid, mb_index, weight=256, extra=""):
    """A xen,domain node; extra: more properties ("cap = <25>;")."""
    return f"""
            domain@{domid} {{
                compatible = "xen,domain";
                domid = <{domid}>; mode = <4>; weight = <{weight}>;
                memory = <0x0 0x4000>; {extra}
                kernel {{ compatible = "module,kernel"; mb-index = <{mb_index}>; }};
            }};"""


def runtimes(out):
    """{domid: (ms run, ms of life, CPUs)} from the vCPU 0 lines printed
    when each domain ends: "(lamina) d1v0 ran 750 ms of 3010, on CPUs 1"."""
    return {int(m[1]): (int(m[2]), int(m[3]), m[4]) for m in re.finditer(
        r"\(lamina\) d(\d+)v0 ran (\d+) ms of (\d+), on CPUs (\S+)", out)}


def shares(out, want):
    """None if each domain's share of its life is within want[domid] =
    (lo, hi) and it ran on the CPUs want[domid][2] names (if given); else
    what is wrong."""
    got = runtimes(out)
    for domid, w in want.items():
        if domid not in got:
            return f"no run time for d{domid}"
        ran, life, cpus = got[domid]
        share = ran / max(life, 1)
        if not w[0] <= share <= w[1]:
            return (f"d{domid} ran {ran} ms of {life}: {share:.2f}, not "
                    f"{w[0]}-{w[1]}")
        if len(w) > 2 and cpus != w[2]:
            return f"d{domid} ran on CPUs {cpus}, not {w[2]}"
    return None


def tree(domains):
    return ("/dts-v1/;\n/ {\n    chosen {\n        hypervisor {\n"
            '            compatible = "hypervisor,xen";' + "".join(domains) +
            "\n        };\n    };\n};\n")


# burn=3 burns for 3 s of guest time, which runs on while the vCPU waits:
# a vCPU's share of its domain's life is its share of a CPU.
BURN = ("burn.elf", "burn=3")


def cap_case(Case, Dtb):
    """A domain capped at 25% of one CPU gets about that, on an idle CPU
    (the cap holds even so); an uncapped one beside it gets its CPU."""
    doms = [domain(1, 1, extra="cap = <25>;"), domain(2, 1)]
    return Case(
        "sched-cap",
        [r"\(lamina\) d1: 16 MiB, 1 vCPU, weight 256, cap 25%, kernel "
         r"burn\.elf", r"\(lamina\) d2: 16 MiB, 1 vCPU, weight 256, kernel",
         r"boot domains: 2 of 2 built, starting"] + GONE,
        modules=[Dtb(tree(doms)), BURN], smp=2, timeout=60,
        contains=[rf"\(d{i}\) burn: done" for i in (1, 2)],
        reject=r"crashed|PANIC|FATAL",
        check=lambda out: shares(out, {1: (0.15, 0.35), 2: (0.8, 1.0)}))


def affinity_case(Case, Dtb):
    """On two CPUs: d1 and d2 pinned to CPU 1 (d2's list also names CPU
    7, which is not there: unused) share it and run nowhere else; d3,
    unpinned, has CPU 0 to itself; d4, pinned to CPU 5 alone, is not
    built."""
    doms = [domain(1, 1, extra="cpu-affinity = <1>;"),
            domain(2, 1, extra="cpu-affinity = <7 1>;"), domain(3, 1),
            domain(4, 1, extra="cpu-affinity = <5>;")]
    return Case(
        "sched-affinity",
        [r"\(lamina\) d2: cpu-affinity: CPUs 7 not online, unused",
         r"\(lamina\) d4: cpu-affinity 5 names no online CPU: not built",
         r"\(lamina\) d1: 16 MiB, 1 vCPU, weight 256, on CPUs 1, kernel",
         r"\(lamina\) d2: 16 MiB, 1 vCPU, weight 256, on CPUs 1,7, kernel",
         r"\(lamina\) d3: 16 MiB, 1 vCPU, weight 256, kernel",
         r"boot domains: 3 of 3 built, starting"] + GONE,
        modules=[Dtb(tree(doms)), BURN], smp=2, timeout=60,
        contains=[rf"\(d{i}\) burn: done" for i in (1, 2, 3)],
        reject=r"crashed|PANIC|FATAL",
        check=lambda out: shares(out, {1: (0.3, 0.7, "1"),
                                       2: (0.3, 0.7, "1"),
                                       3: (0.75, 1.0)}))


def cases(Case, Dtb):
    # Modules: 0 the tree, 1 hello, 2 triple, 3 unhandled.
    doms = [domain(1, 2), domain(2, 3)] + [domain(i, 1) for i in range(3, 9)]
    hellos = [rf"\(d{i}\) \d+ passed, 0 failed" for i in range(3, 9)]
    return [Case(
        "sched-eight-guests-two-crash",
        [r"boot domains: 8 of 8 built, starting"] + GONE,
        modules=[Dtb(tree(doms)), ("hello.elf", "hello"),
                 ("triple.elf", "triple"), ("unhandled.elf", "unhandled")],
        contains=hellos + [
            r"\(lamina\) domain 1 crashed: triple fault",
            r"\(lamina\) domain 2 crashed: ",
            r"\(lamina\) d2v0 exit ",
        ] + [rf"\(lamina\) domain {i} shut down \(poweroff\)"
             for i in range(3, 9)] +
          [rf"\(lamina\) domain {i} destroyed" for i in range(1, 9)],
        reject=r"domain [3-8] crashed|PANIC|FATAL", smp=2, timeout=120),
        cap_case(Case, Dtb), affinity_case(Case, Dtb)]
