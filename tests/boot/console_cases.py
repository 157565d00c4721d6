# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for the consoles of boot domains and serial input
(docs/boot-domains.md, "Consoles"): the reference guest
pv-guest-patches/programs/conring.c as an unprivileged domain writes to
its console ring, and as the hardware domain reads with CONSOLEIO_read;
the test types lines on the serial line and moves the input between
domains with Ctrl-A three times. run.py adds them."""
import re

import sched_cases

CTRL_A3 = "\x01\x01\x01"


def switched(to):
    what = (r"Lamina: debug keys, 'h' lists them" if to is None
            else f"DOM{to}")
    return (rf"\(lamina\) \*\*\* Serial input to {what} \(type 'CTRL-a' "
            r"three times to switch input\)")


def got(domid, text):
    prefix = rf"\(d{domid}\) " if domid is not None else r"[\r\n]"
    return prefix + re.escape(f"conring: got '{text}'")


def no_escapes(log):
    """Ring output reaches the serial line without the guest's escape
    sequences (whole), bells and carriage returns."""
    lines = re.findall(r"\(d\d\) conring: [^\n]*plain[^\n]*", log)
    if not lines:
        return "no '(dN) conring: ...plain' line"
    for line in lines:
        if re.search(r"[\x1b\x07]|\[[0-9;]*m|\r.", line):
            return f"control characters printed: {line!r}"
    return None


def cases(Case, Dtb, Send):
    c = []
    # Xen's module convention: the hardware domain reads its input with
    # CONSOLEIO_read; input to Lamina is debug keys (an unknown one is
    # refused, none reaches a domain). The UART's interrupt, then
    # (com1=...,0: IRQ 0) its poll timer.
    dom0 = [switched(0), r"[\r\n]conring: waiting for input",
            Send("hello dom0\r"), got(None, "hello dom0"),
            Send(CTRL_A3), switched(None),
            Send("h"), r"\(lamina\) 'h': debug keys",
            r"\(lamina\)   q  domains and vCPUs",
            Send("q"), r"\(lamina\) 'q': domains \(1\)",
            r"\(lamina\) d0 \(hardware\): live, pause count 0",
            r"\(lamina\)   d0v0: (running|runnable|blocked) on CPU \d",
            r"\(lamina\)     upcall pending \d mask \d sel 0x[0-9a-f]+",
            Send("lost\r"),
            r"\(lamina\) 'l': no such debug key \('h' lists them\)",
            Send(CTRL_A3), switched(0),
            Send("bye\r"), got(None, "bye"), r"[\r\n]\d+ passed, 0 failed",
            r"\(lamina\) domain 0 shut down \(poweroff\)",
            r"\(lamina\) powering off"]
    c.append(Case(
        "console-dom0-read", [r"serial: input by IRQ 4 \(GSI 4\)"] + dom0,
        modules=[("conring.elf", "conring")], reject=r"got 'lost'"))
    c.append(Case(
        "console-dom0-read-polled-pc", [r"serial: input polled"] + dom0,
        modules=[("conring.elf", "conring")], reject=r"got 'lost'",
        machine="pc", iommu=False, append="com1=115200,8n1,0x3f8,0"))
    # Two unprivileged domains with console rings. Input starts with d1;
    # Ctrl-A x3 moves it to d2, then to Lamina, then back to d1. Two
    # Ctrl-As followed by another byte reach the domain. Bytes wait in a
    # domain's ring until it reads them, so only d1 is waited for.
    doms = [sched_cases.domain(1, 1), sched_cases.domain(2, 1)]
    c.append(Case(
        "console-rings-two-domains",
        [r"boot domains: 2 of 2 built, starting", switched(1),
         r"\(d1\) conring: waiting for input",
         # a prompt without a newline: shown since d1 has the focus
         r"\(d1\) conring: type> ", Send("one\r"), got(1, "one"),
         Send(CTRL_A3), switched(2),
         Send("\x01\x01two\r"), got(2, r"\x01\x01two"),
         Send(CTRL_A3), switched(None), Send("lost\r"),
         Send(CTRL_A3), switched(1), Send("bye\r"), got(1, "bye"),
         Send(CTRL_A3), switched(2), Send("bye\r"), got(2, "bye")] +
        sched_cases.GONE,
        modules=[Dtb(sched_cases.tree(doms)), ("conring.elf", "conring")],
        contains=[r"\(d1\) conring: hello through the ring",
                  r"\(d2\) conring: line 39 of 40, padding",
                  r"\(d1\) conring: plain[\r\n]",
                  r"\(lamina\) d1: console output ring indices out of "
                  r"range: ignored until they are right",
                  r"\(d2\) conring: ring usable again",
                  r"\(d1\) \d+ passed, 0 failed",
                  r"\(d2\) \d+ passed, 0 failed"],
        reject=r"got 'lost'|not ok|crashed", check=no_escapes, timeout=90))
    return c
