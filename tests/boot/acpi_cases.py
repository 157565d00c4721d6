# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for the guest ACPI tables (docs/guest-acpi.md): the
reference guest's acpi program (pv-guest-patches/programs/acpi.c) walks
RSDP -> XSDT -> FADT/DSDT and MADT from its start info and checks them
against its vCPU count and CPUID, as dom0 with 1 and 64 vCPUs, and as two
unprivileged domains of 2 and 3 vCPUs from a hyperlaunch device tree.
run.py adds them."""

PASSED = r"[\r\n]\d+ passed, 0 failed"
GONE = [r"\(lamina\) free pages: (\d+) before domains, \1 after",
        r"\(lamina\) powering off"]


def tables(prefix, nr):
    """What the guest prints of tables for nr vCPUs at 0xE0000."""
    return [prefix + r"ACPI: RSDP 0xe0000 rev 2 OEM 'LAMINA'",
            prefix + r"ACPI: XSDT 0xe0030 52 bytes rev 1 OEM 'LAMINA' "
            r"'PVHGUEST'",
            prefix + r"ACPI: FACP 0xe00a0 276 bytes rev 6",
            prefix + rf"ACPI: APIC 0xe01f0 {44 + 8 * nr} bytes rev 4",
            prefix + r"ACPI: DSDT 0xe01c0 36 bytes rev 2",
            prefix + r"ACPI: FADT rev 6 flags 0x100035 boot flags 0x24, "
            r"hardware-reduced",
            prefix + r"ACPI: MADT flags 0[\r\n]",
            prefix + rf"ACPI: processor UID {nr - 1} APIC ID {2 * nr - 2}"
            r"[\r\n]",
            prefix + r"CPUID: APIC ID 0 \(leaf 0xB agrees\), MADT UID 0"]


def domu(domid, cpus, mb_index):
    return f"""
            domain@{domid} {{
                compatible = "xen,domain";
                domid = <{domid}>; mode = <4>; cpus = <{cpus}>;
                memory = <0x0 0x4000>;
                kernel {{
                    compatible = "module,kernel"; mb-index = <{mb_index}>;
                    bootargs = "vcpus={cpus}";
                }};
            }};"""


def cases(Case, Dtb):
    c = []
    for nr, append in ((1, ""), (64, "dom0_max_vcpus=64")):
        plural = "" if nr == 1 else "s"
        c.append(Case(
            f"dom0-acpi-{nr}vcpu{plural}",
            [rf"\(lamina\) d0: \d+ MiB, {nr} vCPU{plural}, weight 256, "
             r"hardware domain, kernel acpi\.elf",
             rf"acpi: expecting {nr} vCPUs"] + tables("", nr) +
            [PASSED, r"\(lamina\) domain 0 shut down \(poweroff\)"] + GONE,
            append=append, modules=[("acpi.elf", f"vcpus={nr}")],
            reject=r"not ok"))
    tree = ("/dts-v1/;\n/ {\n    chosen {\n        hypervisor {\n"
            '            compatible = "hypervisor,xen";' +
            domu(1, 2, 1) + domu(2, 3, 1) + "\n        };\n    };\n};\n")
    c.append(Case(
        "domu-acpi-hyperlaunch",
        [r"boot domains: 2 of 2 built, starting", r"no domains left"] + GONE,
        modules=[Dtb(tree), ("acpi.elf", "acpi")],
        contains=tables(r"\(d1\) ", 2) + tables(r"\(d2\) ", 3) +
        [r"\(d1\) 29 passed, 0 failed", r"\(d2\) 29 passed, 0 failed"],
        reject=r"not ok|crashed"))
    return c
