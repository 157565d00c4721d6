# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for event channels (pv-guest-patches/programs/evtchn.c,
evtlink.c, evtbench.c, evtsmp.c): every sub-op in dom0 and in a domU, two
domains connected by interdomain channels on two CPUs and on one, two
vCPUs of one domain at once, and the send figures. run.py adds them."""
import sched_cases

PASSED = r"\d+ passed, 0 failed"


def domain(domid, mb_index, bootargs, cpus=1):
    return f"""
            domain@{domid} {{
                compatible = "xen,domain";
                domid = <{domid}>; mode = <4>; memory = <0x0 0x4000>;
                cpus = <{cpus}>;
                kernel {{
                    compatible = "module,kernel"; mb-index = <{mb_index}>;
                    bootargs = "{bootargs}";
                }};
            }};"""


def cases(Case, Dtb, dom0, dom0_gone):
    c = []
    c.append(Case("dom0-evtchn", dom0 + [
        r"evtchn: domain 0", r"# all_ports", r"# remote_shutdown",
        r"[\r\n]" + PASSED,
        r"\(lamina\) domain 0 shut down \(poweroff\)"] + dom0_gone,
        modules=[("evtchn.elf", "")], reject=r"not ok"))
    c.append(Case("dom0-evtbench", dom0 + [
        r"evtbench: send to a masked port by vmmcall: median \d+ cycles",
        r"evtbench: send and upcall by vmmcall: median \d+ cycles",
        r"\(lamina\) domain 0 shut down \(poweroff\)"] + dom0_gone,
        modules=[("evtbench.elf", "")]))
    # Modules: 0 the tree, 1 evtlink, 2 evtchn. Domains 1 and 2 talk;
    # 3 runs every sub-op as a domU meanwhile.
    doms = [domain(1, 1, "role=a peer=2"), domain(2, 1, "role=b peer=1"),
            domain(3, 2, "")]
    for smp in (2, 1):
        c.append(Case(
            f"evtchn-interdomain-smp{smp}",
            [r"boot domains: 3 of 3 built, starting"] + sched_cases.GONE,
            modules=[Dtb(sched_cases.tree(doms)), ("evtlink.elf", ""),
                     ("evtchn.elf", "")],
            contains=[r"\(d1\) evtlink: 200 round trips",
                      r"\(d1\) evtlink: \d+ of 2000 flooded events taken",
                      r"\(d1\) evtlink: a done, powering off",
                      r"\(d2\) evtlink: b saw a's ports go",
                      r"\(d3\) evtchn: domain 3"] +
                     [rf"\(d{i}\) " + PASSED for i in (1, 2, 3)] +
                     [rf"\(lamina\) domain {i} shut down \(poweroff\)"
                      for i in (1, 2, 3)],
            reject=r"not ok|crashed|PANIC|FATAL", smp=smp, timeout=120))
    # Two vCPUs of one domain: ping-pong, a flood against masking, a port
    # moved between them while the other sends; as dom0 and as a domU.
    smp = [r"evtsmp: 2 or more vCPUs", r"evtsmp: 200 round trips",
           r"evtsmp: \d+ of 2000 flooded events taken",
           r"evtsmp: 40 moves, \d+ \+ \d+ events taken"]
    dom0_2 = [dom0[0], r"\(lamina\) d0: \d+ MiB, 2 vCPUs, weight 256, "
              r"hardware domain, kernel evtsmp\.elf"] + dom0[2:]
    c.append(Case("dom0-evtsmp", dom0_2 + smp + [
        r"[\r\n]" + PASSED,
        r"\(lamina\) domain 0 shut down \(poweroff\)"] + dom0_gone,
        modules=[("evtsmp.elf", "")], append="dom0_max_vcpus=2",
        reject=r"not ok|crashed|PANIC|FATAL"))
    c.append(Case(
        "domu-evtsmp",
        [r"boot domains: 1 of 1 built, starting"] +
        [r"\(d1\) " + m for m in smp] +
        [r"\(d1\) " + PASSED, r"\(lamina\) domain 1 shut down \(poweroff\)"] +
        sched_cases.GONE,
        modules=[Dtb(sched_cases.tree([domain(1, 1, "", cpus=2)])),
                 ("evtsmp.elf", "")],
        reject=r"not ok|crashed|PANIC|FATAL", timeout=120))
    return c
