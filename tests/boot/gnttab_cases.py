# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for grant tables (pv-guest-patches/programs/gnttab.c
and gntbench.c): the program alone as dom0, two domains granting and
mapping (the mapper dies holding a mapping), a granter that dies while
its page is mapped, and the grant-copy benchmark. run.py adds them."""

GONE = [r"\(lamina\) no domains left",
        r"\(lamina\) free pages: (\d+) before domains, \1 after",
        r"\(lamina\) powering off"]


def tree(roles):
    """A hyperlaunch device tree: domain N (1, 2...) runs gnttab.elf
    (module 1) with role=roles[N-1], its own id and the other's."""
    doms = ""
    for i, role in enumerate(roles, 1):
        other = 2 if i == 1 else 1
        doms += f"""
            domain@{i} {{
                compatible = "xen,domain";
                domid = <{i}>; mode = <4>; memory = <0x0 0x4000>;
                kernel {{
                    compatible = "module,kernel"; mb-index = <1>;
                    bootargs = "gnttab role={role} domid={i} peer={other}";
                }};
            }};"""
    return ("/dts-v1/;\n/ {\n    chosen {\n        hypervisor {\n"
            '            compatible = "hypervisor,xen";' + doms +
            "\n        };\n    };\n};\n")


def cases(Case, Dtb, dom0, dom0_gone):
    passed = r"[\r\n]\d+ passed, 0 failed"
    c = [Case("dom0-gnttab", dom0 + [
        r"# query_size", r"# frames", r"# map_self", r"# copy",
        r"# batch_fault", passed,
        r"\(lamina\) domain 0 shut down \(poweroff\)"] + dom0_gone,
        modules=[("gnttab.elf", "gnttab")], reject=r"not ok")]
    c.append(Case(
        "gnttab-two-domains",
        [r"boot domains: 2 of 2 built, starting"] + GONE,
        modules=[Dtb(tree(["granter", "mapper"])), ("gnttab.elf", "")],
        contains=[r"\(d1\) granter: refs 10-13 granted to d2",
                  r"\(d2\) mapper: d1's ref 10 mapped",
                  r"\(d2\) mapper: leaving with d1's ref 13 mapped",
                  r"\(d1\) granter: d2 is gone",
                  r"\(d1\) \d+ passed, 0 failed",
                  r"\(d2\) \d+ passed, 0 failed"],
        reject=r"not ok|crashed|PANIC|FATAL", timeout=120))
    c.append(Case(
        "gnttab-granter-dies",
        [r"boot domains: 2 of 2 built, starting"] + GONE,
        modules=[Dtb(tree(["doomed", "survivor"])), ("gnttab.elf", "")],
        contains=[r"\(d1\) doomed: mapped by d2, leaving",
                  r"\(lamina\) domain 1 destroyed[\s\S]*"
                  r"\(d2\) survivor: d1 is gone, its page still mapped",
                  r"\(d1\) \d+ passed, 0 failed",
                  r"\(d2\) \d+ passed, 0 failed"],
        reject=r"not ok|crashed|PANIC|FATAL", timeout=120))
    c.append(Case("dom0-gntbench", dom0 + [
        r"gntbench: 1 page per call: median \d+ cycles per 4 KiB copy",
        r"gntbench: 16 pages per call: median \d+ cycles per 4 KiB copy",
        passed] + dom0_gone, modules=[("gntbench.elf", "gntbench calls=100")],
        reject=r"not ok|failed: status"))
    return c
