# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for several guests at once (docs/scheduling.md): eight
boot domains on two CPUs, one of which triple-faults and one of which
executes an instruction that is intercepted but not handled; those two
are crashed, the six others finish, and every page comes back. run.py
adds them."""

GONE = [r"\(lamina\) no domains left",
        r"\(lamina\) free pages: (\d+) before domains, \1 after",
        r"\(lamina\) powering off"]


def domain(domid, mb_index, weight=256):
    return f"""
            domain@{domid} {{
                compatible = "xen,domain";
                domid = <{domid}>; mode = <4>; weight = <{weight}>;
                memory = <0x0 0x4000>;
                kernel {{ compatible = "module,kernel"; mb-index = <{mb_index}>; }};
            }};"""


def tree(domains):
    return ("/dts-v1/;\n/ {\n    chosen {\n        hypervisor {\n"
            '            compatible = "hypervisor,xen";' + "".join(domains) +
            "\n        };\n    };\n};\n")


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
        reject=r"domain [3-8] crashed|PANIC|FATAL", smp=2, timeout=120)]
