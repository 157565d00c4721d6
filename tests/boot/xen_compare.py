#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""make xen-compare: run reference-guest programs as the PVH dom0 of Lamina
and of Debian's Xen 4.17 on the same QEMU machine (xen_ref.py) and compare
what each check gave, check by check (paired by test and name, not by
number), and how dom0 ended.

A program passes when both sides agree, or when every difference is one
docs/xen-differences.md lists, with the same result on each side as the
table there says. A listed difference that is no longer seen is reported
(the table should lose it) but fails nothing. Ends with
"N passed, N failed".

Usage: xen_compare.py --build build [-k REGEX] [-j N] [-v]
"""
import argparse
import concurrent.futures
import datetime
import os
import re
import sys
import time

import xen_ref

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DIFFERENCES = os.path.join(TOP, "docs", "xen-differences.md")


class Program:
    """A program of build/guests and the module string both sides get."""
    def __init__(self, name, args="", vcpus=1, timeout=90):
        self.name = name
        self.args = args
        self.vcpus = vcpus
        self.timeout = timeout


# The programs compared: one line each. invd=no and pae=no leave out what
# Xen 4.17 cannot run under QEMU TCG (docs/xen-differences.md).
PROGRAMS = [
    Program("hello"),
    Program("intercepts"),
    Program("policy"),
    Program("vaddr"),
    Program("exits", "invd=no"),
    Program("modes", "invd=no pae=no"),
    Program("msrswitch"),
    Program("memory"),
    Program("acpi", "vcpus=1"),
    Program("gnttab"),
    Program("evtchn"),
    Program("lapic", vcpus=2),
    # Two vCPUs (one started): some calls name the other. Today's date
    # for the wallclock check.
    Program("time", "today=" + datetime.datetime.now(
        datetime.timezone.utc).strftime("%Y-%m-%d"), vcpus=2),
    Program("nullcall"),
    Program("fault"),
    Program("triple"),
    Program("unhandled"),
]

END = "(end)"           # the check name of the "how dom0 ended" row


def unescape_cells(row):
    """A Markdown table row's cells; "\\|" is a pipe inside a cell."""
    cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
    return [c.strip().replace("\\|", "|") for c in cells]


def code(cell):
    return cell[1:-1] if cell.startswith("`") and cell.endswith("`") \
        else cell


def allowed_differences(path=DIFFERENCES):
    """{(program, check name): (lamina result, xen result, why)} from the
    table under '## Allowed differences' in docs/xen-differences.md."""
    allowed, in_table = {}, False
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                in_table = line.strip() == "## Allowed differences"
                continue
            if not in_table or not line.startswith("|"):
                continue
            cells = unescape_cells(line)
            if len(cells) != 5 or cells[0] in ("program", "") or \
                    set(cells[0]) <= set("-: "):
                continue
            prog, check, lam, xen, why = cells
            allowed[(code(prog), code(check))] = (code(lam), code(xen), why)
    return allowed


def differences(lamina, xen):
    """[(check name, lamina result, xen result)] where the two differ;
    a check one side lacks is "absent" there."""
    diffs = []
    keys = list(lamina.order) + [k for k in xen.order
                                 if k not in lamina.checks]
    for key in keys:
        a = lamina.checks.get(key, "absent")
        b = xen.checks.get(key, "absent")
        if a != b:
            diffs.append((key[1], a, b))
    if lamina.end != xen.end:
        diffs.append((END, lamina.end, xen.end))
    return diffs


def judge(prog, diffs, allowed):
    """Split diffs into known (as documented) and unexpected ones."""
    known, unexpected = [], []
    for name, a, b in diffs:
        doc = allowed.get((prog, name))
        if doc and doc[0] == a and doc[1] == b:
            known.append((name, a, b, doc[2]))
        else:
            note = f" (documented: Lamina {doc[0]}, Xen {doc[1]})" \
                if doc else ""
            unexpected.append((name, a, b, note))
    return known, unexpected


def outcome(res):
    if res.summary:
        return "%d passed, %d failed" % res.summary
    return res.end


def run_both(prog, build, targets):
    guests = os.path.join(build, "guests")
    out = {}
    for t in targets:
        out[t.name] = xen_ref.run_program(
            t, guests, prog.name, prog.args, prog.timeout, prog.vcpus,
            os.path.join(build, "xen-compare", f"{prog.name}.{t.name}.log"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-k", default="", help="programs whose name matches")
    ap.add_argument("-j", type=int, default=2,
                    help="programs run at a time (each boots QEMU twice)")
    ap.add_argument("-v", action="store_true",
                    help="list the known differences too")
    a = ap.parse_args()
    start = time.monotonic()
    allowed = allowed_differences()
    os.makedirs(os.path.join(a.build, "xen-compare"), exist_ok=True)
    targets = [xen_ref.lamina(a.build), xen_ref.xen(a.build)]
    progs = [p for p in PROGRAMS if re.search(a.k, p.name)]
    with concurrent.futures.ThreadPoolExecutor(a.j) as pool:
        runs = list(pool.map(lambda p: run_both(p, a.build, targets),
                             progs))
    passed = failed = 0
    print(f"{'program':<11} {'Lamina':<34} {'Xen 4.17':<34} verdict")
    seen = set()
    for prog, r in zip(progs, runs):
        diffs = differences(r["lamina"], r["xen"])
        known, unexpected = judge(prog.name, diffs, allowed)
        seen.update((prog.name, d[0]) for d in known)
        verdict = "same" if not diffs else \
            f"{len(known)} known difference(s)" if not unexpected else \
            f"DIFFERENT ({len(unexpected)})"
        print(f"{prog.name:<11} {outcome(r['lamina'])[:34]:<34} "
              f"{outcome(r['xen'])[:34]:<34} {verdict}")
        for name, x, y, note in unexpected:
            print(f"    differs: {name}: Lamina {x}, Xen {y}{note}")
        if a.v:
            for name, x, y, why in known:
                print(f"    known: {name}: Lamina {x}, Xen {y}: {why}")
        passed += not unexpected
        failed += bool(unexpected)
    for (prog, name) in sorted(allowed):
        if prog in (p.name for p in progs) and (prog, name) not in seen:
            print(f"note: {prog}: '{name}' is in docs/xen-differences.md "
                  "but was not seen: remove it if that lasts")
    print(f"logs: {os.path.join(a.build, 'xen-compare')}/PROGRAM.{{lamina,"
          f"xen}}.log; {time.monotonic() - start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
