# SPDX-License-Identifier: GPL-2.0
"""Boot-test cases for boot domains (docs/boot-domains.md): Xen's module
convention with an initrd and the dom0 options, hyperlaunch device trees
with several domains (good and bad ones, with and without a hardware
domain), and Debian's own compressed kernel as dom0. run.py adds them."""
import glob
import re

GONE = [r"\(lamina\) no domains left",
        r"\(lamina\) free pages: (\d+) before domains, \1 after",
        r"\(lamina\) powering off"]


def start_info_agrees(log):
    """Each reference guest found (at EBX) a start info with the right magic
    ("start info: 0x..., version 1": lib/start.c) where the hypervisor said
    it put it. The hardware domain's console output has no (dN) prefix."""
    ours = re.findall(r"\(lamina\) d(\d+): .*, start info (0x[0-9a-f]+),",
                      log)
    seen = {}
    for m in re.finditer(r"(?:\(d(\d+)\) )?start info: (0x[0-9a-f]+), "
                         r"version 1,", log):
        seen[m.group(1) or "hw"] = int(m.group(2), 16)
    if not ours:
        return "no domain line with its start info"
    for domid, addr in ours:
        got = seen.get(domid, seen.get("hw"))
        if got != int(addr, 16):
            return f"d{domid}: start info {addr}, the guest saw {got}"
    return None


def line(domid, mib, vcpus, weight, kernel, rest=""):
    """The '(lamina) dN: ...' line of a domain built."""
    plural = "" if vcpus == 1 else "s"
    return (rf"\(lamina\) d{domid}: {mib} MiB, {vcpus} vCPU{plural}, "
            rf"weight {weight}, {rest}kernel {kernel}")


# Domains 1 and 2 run the reference guest; 3 has no kernel, 4 too little
# memory, 8 too many vCPUs. mb-index: 0 this tree, 1-2 hello.elf, 3 an
# initrd, 4 junk.
HYPERLAUNCH = """/dts-v1/;
/ {
    chosen {
        hypervisor {
            compatible = "hypervisor,xen";
            domain@1 {
                compatible = "xen,domain";
                domid = <1>; mode = <4>; cpus = <2>; weight = <512>;
                memory = <0x0 0x8000>;
                module@1 {
                    compatible = "module,kernel", "multiboot,module";
                    mb-index = <1>; bootargs = "first domain";
                };
            };
            domain@2 {
                compatible = "xen,domain";
                domid = <2>; mode = <4>; memory = <0x0 0x4000>;
                kernel { compatible = "module,kernel"; mb-index = <2>; };
                ramdisk { compatible = "module,ramdisk"; mb-index = <3>; };
            };
            domain@3 {
                compatible = "xen,domain";
                domid = <3>; mode = <4>; memory = <0x0 0x4000>;
                kernel { compatible = "module,kernel"; mb-index = <4>; };
            };
            domain@4 {
                compatible = "xen,domain";
                domid = <4>; mode = <4>; memory = <0x0 0x400>;
                kernel { compatible = "module,kernel"; mb-index = <1>; };
            };
            domain@8 {
                compatible = "xen,domain";
                domid = <8>; mode = <4>; cpus = <100>; memory = <0x0 0x4000>;
                kernel { compatible = "module,kernel"; mb-index = <1>; };
            };
        };
    };
};
"""

# Domain 5 is the hardware domain (permissions: control | hardware); 6
# claims it too (functions: legacy dom0) and is refused; 7 is a guest.
HARDWARE = """/dts-v1/;
/ {
    chosen {
        hypervisor {
            compatible = "hypervisor,xen";
            dom0 {
                compatible = "xen,domain";
                domid = <5>; mode = <4>; permissions = <3>;
                memory = <0x0 0x4000>;
                kernel { compatible = "module,kernel"; mb-index = <1>; };
            };
            other {
                compatible = "xen,domain";
                domid = <6>; mode = <4>; functions = <0x80000000>;
                memory = <0x0 0x4000>;
                kernel { compatible = "module,kernel"; mb-index = <1>; };
            };
            guest {
                compatible = "xen,domain";
                domid = <7>; mode = <4>; memory = <0x0 0x4000>;
                kernel { compatible = "module,kernel"; mb-index = <2>; };
            };
        };
    };
};
"""


def newest(pattern):
    found = sorted(glob.glob(pattern))
    return found[-1] if found else pattern


def cases(Case, Dtb):
    c = []
    hello = ("hello.elf", "hello console=hvc0")
    c.append(Case(
        "boot-xen-convention-initrd",
        [r"bad value 'max:1G' for option 'dom0_mem'",
         r"boot domains: Xen's module convention: dom0 kernel module 0, "
         r"initrd module 1",
         line(0, 64, 2, 256, r"hello\.elf \(ELF\), initrd module1 "
              r"\(4 KiB\), entry 0x100000, start info 0x[0-9a-f]+, "
              r'cmdline "hello console=hvc0"', "hardware domain, "),
         r"boot domains: 1 of 1 built, starting",
         r"start info: 0x[0-9a-f]+, version 1, command line "
         r"'hello console=hvc0'",
         r"[\r\n]hello from the reference guest",
         r"[\r\n]\d+ passed, 0 failed", r"\(lamina\) d0v1 ran 0 ms of \d+",
         r"\(lamina\) free pages: (\d+) before domains, \1 after",
         r"\(lamina\) powering off"],
        modules=[hello, "initrd-arg=1"], check=start_info_agrees,
        append="dom0_mem=max:1G dom0_mem=64M dom0_max_vcpus=2"))
    c.append(Case(
        "boot-dom0-out-of-memory",
        [r"d0: out of host memory: \d+ MiB needed, \d+ MiB free",
         r"d0: not built", r"\(lamina\) no domains left",
         r"\(lamina\) powering off"],
        modules=[hello], append="dom0_mem=4G"))
    c.append(Case(
        "boot-hyperlaunch-five-domains",
        [r"boot domains: hyperlaunch device tree in module 0",
         r"boot domains: 2 of 5 built, starting"] + GONE,
        modules=[Dtb(HYPERLAUNCH), ("hello.elf", "hello-a"),
                 ("hello.elf", "hello-b"), "initrd-b", "not-a-kernel"],
        contains=[
            line(1, 32, 2, 512, r"hello\.elf \(ELF\), entry 0x100000, "
                 r'start info 0x[0-9a-f]+, cmdline "first domain"'),
            line(2, 16, 1, 256, r"hello\.elf \(ELF\), initrd module3 "
                 r"\(4 KiB\), entry 0x100000, start info 0x[0-9a-f]+, "
                 r'cmdline "hello-b"'),
            r"elf: no ELF magic", r"d3: module 4 is not a PVH kernel \(-8\)",
            r"d3: not built",
            r"d4: memory of 1024 KiB, at least 2 MiB needed",
            r"d4: not built", r"d8: 100 vCPUs, at most 64", r"d8: not built",
            r"boot domains: no hardware domain",
            r"\(d1\) start info: 0x[0-9a-f]+, version 1, command line "
            r"'first domain'",
            r"\(d2\) start info: 0x[0-9a-f]+, version 1, command line "
            r"'hello-b'",
            r"\(d1\) hello from the reference guest",
            r"\(d2\) hello from the reference guest",
            r"\(d1\) \d+ passed, 0 failed", r"\(d2\) \d+ passed, 0 failed",
            r"domain 1 shut down \(poweroff\)",
            r"domain 2 shut down \(poweroff\)"],
        check=start_info_agrees, timeout=90))
    c.append(Case(
        "boot-hyperlaunch-hardware-domain",
        [r"boot domains: hyperlaunch device tree in module 0",
         r"d6: a second hardware domain \(d5 is one\): not built",
         line(5, 16, 1, 256, r"hello\.elf \(ELF\)", "hardware domain, "),
         line(7, 16, 1, 256, r"hello\.elf \(ELF\)"),
         r"boot domains: 2 of 2 built, starting",
         r"domain 5 shut down \(poweroff\)",
         r"hardware domain gone: the machine follows",
         r"\(lamina\) powering off"],
        modules=[Dtb(HARDWARE), ("hello.elf", "hello"),
                 ("hello.elf", "guest")],
        contains=[r"[\r\n]start info: 0x[0-9a-f]+, version 1, command "
                  r"line 'hello'",
                  r"[\r\n]hello from the reference guest"],
        check=start_info_agrees))
    # Debian's compressed kernel as dom0, with its initrd: decompressed in
    # the hypervisor and entered at its PVH entry. How far Linux gets
    # depends on the rest of the ABI; this asserts the load and the entry,
    # then either Linux's first line or a crash of dom0 alone.
    c.append(Case(
        "boot-debian-vmlinuz",
        [line(0, r"\d+", 1, 256,
              r"vmlinuz-\S+ \(bzImage, xz \d+\.\d MB -> 6\d\.\d MB in "
              r"\d+\.\d s\), initrd initrd\.img-\S+ \(\d+\.\d MB\), "
              r"entry 0x10[0-9a-f]{5}, start info 0x[0-9a-f]+, "
              r'cmdline "console=hvc0 earlyprintk=xen"', "hardware domain, "),
         r"boot domains: 1 of 1 built, starting",
         r"Linux version 6\.1|\(lamina\) domain 0 crashed"],
        modules=[(newest("/boot/vmlinuz-*"), "console=hvc0 earlyprintk=xen"),
                 (newest("/boot/initrd.img-*"), "")],
        exit_ok=False, timeout=240))
    return c
