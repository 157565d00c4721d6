# Lamina top-level build. See README.md.
#   make            build everything into build/ (hypervisor image: build/lamina,
#                   reference guests: build/guests/)
#   make run        set up, build, boot under QEMU on the serial console
#   make test       set up, build, run every test that make test covers
#   make bochs-test VMX and SVM (NRIP save) boot tests under Bochs (three or
#                   four minutes; make test runs six of them: BOCHS_K
#                   selects, as bochs.py -k)
#   make iso        GRUB rescue ISO (build/lamina.iso)
#   make bench      benchmarks (boot time, Lamina against Xen 4.17,
#                   xenstored); not part of make test
#   make xen-compare the reference guests on Lamina and on Xen 4.17, check
#                   by check (about a minute; XEN_K selects, as -k)
#   make defconfig | menuconfig | olddefconfig | savedefconfig
#   make FOO_defconfig   with hypervisor/configs/FOO.config (svm-only, ...)

TOP := $(CURDIR)
O := $(TOP)/build
PYTHON := /usr/bin/python3
export KCONFIG_CONFIG := $(TOP)/.config
AUTOCONF := $(O)/include/generated/autoconf.h

all: deps
	$(MAKE) hypervisor xenstore guests

# ---- dependencies ----------------------------------------------------------
deps:
	@sh tools/build/deps.sh

# ---- configuration ---------------------------------------------------------
$(KCONFIG_CONFIG):
	$(PYTHON) -m defconfig --kconfig Kconfig hypervisor/configs/defconfig

$(AUTOCONF): $(KCONFIG_CONFIG) Kconfig
	@grep -qE '^CONFIG_(SVM|VMX)=y' $(KCONFIG_CONFIG) || \
		{ echo "config: enable at least one of SVM and VMX" >&2; exit 1; }
	@mkdir -p $(@D)
	$(PYTHON) -m genconfig --header-path $@ Kconfig

# The hypervisor is built -nostdinc: it sees only these system headers.
SYS_HEADERS := xen lzma.h lzma libfdt.h fdt.h
$(O)/include/.links: Makefile
	@mkdir -p $(@D)
	@for h in $(SYS_HEADERS); do ln -sfn /usr/include/$$h $(@D)/$$h; done
	@touch $@

config: $(AUTOCONF) $(O)/include/.links

defconfig:
	$(PYTHON) -m defconfig --kconfig Kconfig hypervisor/configs/defconfig
%_defconfig:
	$(PYTHON) -m defconfig --kconfig Kconfig hypervisor/configs/$*.config
menuconfig:
	$(PYTHON) -m menuconfig Kconfig
olddefconfig:
	$(PYTHON) -m olddefconfig Kconfig
savedefconfig:
	$(PYTHON) -m savedefconfig --kconfig Kconfig --out defconfig.saved

# ---- components ------------------------------------------------------------
hypervisor: config
	$(MAKE) -C hypervisor TOP=$(TOP) O=$(O)

xenstore:
	$(MAKE) -C xenstore O=$(O)/xenstore

# The reference guest library and its programs (pv-guest-patches/): small
# 64-bit PVH kernels, one ELF per program, build/guests/PROGRAM.elf.
GUEST_DIR := pv-guest-patches
GUEST_OBJ := $(O)/guests/obj
GUEST_PROGRAMS := hello triple fault burn nullcall unhandled intercepts vaddr \
	modes exits policy msrswitch memory acpi lapic conring
GUEST_PROGRAMS += gnttab gntbench
GUEST_PROGRAMS += evtchn evtlink evtbench evtsmp
GUEST_PROGRAMS += time
GUEST_LIB := head entry compat start traps hypercall console cmdline test \
	events smp vcpu_entry bench \
	format paging string
GUEST_LIB_OBJS := $(GUEST_LIB:%=$(GUEST_OBJ)/lib/%.o)
# Xen's headers default to their oldest interface (where sched_op is 6).
GUEST_CFLAGS := -m64 -march=x86-64 -ffreestanding -nostdinc \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	-isystem $(shell $(CC) -print-file-name=include) -I$(O)/include \
	-I$(GUEST_DIR)/lib -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
	-fno-pic -fno-pie -fno-stack-protector -fcf-protection=none -mno-red-zone \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(GUEST_DIR)/lib/guest.lds \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments
guests: $(GUEST_PROGRAMS:%=$(O)/guests/%.elf) $(O)/guests/cpumodes.elf

# Quiet like the hypervisor's build: "CC file"; V=1 prints whole commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

$(GUEST_OBJ)/lib/%.o: $(GUEST_DIR)/lib/%.c $(O)/include/.links Makefile
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GUEST_OBJ)/lib/%.o: $(GUEST_DIR)/lib/%.S $(O)/include/.links Makefile
	@mkdir -p $(@D)
	$(call say,AS,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GUEST_OBJ)/%.o: $(GUEST_DIR)/programs/%.c $(O)/include/.links Makefile
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GUEST_OBJ)/%_asm.o: $(GUEST_DIR)/programs/%.S $(O)/include/.links Makefile
	@mkdir -p $(@D)
	$(call say,AS,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<
# Programs with assembly of their own: programs/NAME.S next to NAME.c.
$(O)/guests/modes.elf: $(GUEST_OBJ)/modes_asm.o
$(O)/guests/exits.elf: $(GUEST_OBJ)/exits_asm.o
$(O)/guests/lapic.elf: $(GUEST_OBJ)/lapic_asm.o
$(O)/guests/%.elf: $(GUEST_OBJ)/%.o $(GUEST_LIB_OBJS) $(GUEST_DIR)/lib/guest.lds
	$(call say,LD,$@)
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
.PRECIOUS: $(GUEST_OBJ)/%.o $(GUEST_OBJ)/lib/%.o
-include $(wildcard $(GUEST_OBJ)/*.d $(GUEST_OBJ)/lib/*.d)

# pv-guest-patches/cpumodes: control registers, paging and long mode from
# the PVH start state, so not on the library (whose head.S goes straight
# to long mode): a 32-bit kernel made an ELF64 like a Linux vmlinux.
CPUMODES_DIR := $(GUEST_DIR)/cpumodes
CPUMODES_FILES := $(CPUMODES_DIR)/head.S $(CPUMODES_DIR)/cpumodes.c
CPUMODES_CFLAGS := -m32 -march=i686 -ffreestanding -nostdinc \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	-isystem $(shell $(CC) -print-file-name=include) -I$(O)/include \
	-O2 -Wall -Wextra -Werror -fno-pic -fno-pie -fno-stack-protector \
	-fcf-protection=none -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -nostdlib -static -no-pie \
	-Wl,-T,$(CPUMODES_DIR)/cpumodes.lds -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments
$(O)/guests/cpumodes.elf: $(CPUMODES_FILES) $(CPUMODES_DIR)/cpumodes.lds \
		$(O)/include/.links Makefile
	@mkdir -p $(@D)
	$(call say,LD,$@)
	$(Q)$(CC) $(CPUMODES_CFLAGS) -o $@.32 $(CPUMODES_FILES)
	$(Q)objcopy -O elf64-x86-64 $@.32 $@

iso: hypervisor
	sh tests/boot/mkiso.sh $(O)/lamina $(O)/lamina.iso

# ---- running ---------------------------------------------------------------
# make run: Debian's kernel (the newest /boot/vmlinuz-*) as dom0 with the
# busybox initramfs, its shell on hvc0 (console_io); `poweroff -f` ends it.
# make run GUEST=hello [GUEST_ARGS="test=NAME"]: a reference guest as dom0.
DOM0_KERNEL ?= $(lastword $(sort $(wildcard /boot/vmlinuz-*)))
DOM0_ARGS ?= console=hvc0 pci=off
QEMU_RUN = qemu-system-x86_64 -accel tcg -cpu max -M q35 -m 1024 -smp 2 \
	-nographic -no-reboot -kernel $(O)/lamina \
	-append "console=com1 com1=115200,8n1 $(LAMINA_ARGS)" \
	-initrd "$(if $(GUEST),$(O)/guests/$(GUEST).elf $(GUEST_ARGS),$(DOM0_KERNEL) $(DOM0_ARGS),$(INITRAMFS))"
run: deps
	$(MAKE) hypervisor $(if $(GUEST),guests,$(INITRAMFS))
	$(QEMU_RUN)

# ---- tests -----------------------------------------------------------------
unit-test: config
	$(MAKE) -C tests/unit TOP=$(TOP) O=$(O) run

boot-test: hypervisor iso guests config-builds
	$(PYTHON) tests/boot/run.py --image $(O)/lamina --iso $(O)/lamina.iso \
		--guests $(O)/guests

# VMX: QEMU TCG has none, Bochs has VT-x with EPT and unrestricted guest;
# SVM with NRIP save, which QEMU TCG lacks. Boots build/lamina and the
# VMX-only and SVM-only builds (from config-builds).
bochs-test: hypervisor guests config-builds
	$(PYTHON) tests/boot/bochs.py --build $(O) $(if $(BOCHS_K),-k '$(BOCHS_K)')

# Every configuration in hypervisor/configs must build (warnings are errors).
CONFIGS := $(basename $(notdir $(wildcard hypervisor/configs/*.config)))
config-builds:
	@for c in $(CONFIGS); do \
		d=$(O)/configs/$$c; mkdir -p $$d/include/generated; \
		KCONFIG_CONFIG=$$d/.config $(PYTHON) -m defconfig --kconfig Kconfig \
			hypervisor/configs/$$c.config >/dev/null && \
		KCONFIG_CONFIG=$$d/.config $(PYTHON) -m genconfig \
			--header-path $$d/include/generated/autoconf.h Kconfig && \
		for h in $(SYS_HEADERS); do \
			ln -sfn /usr/include/$$h $$d/include/$$h; done && \
		$(MAKE) -s -C hypervisor TOP=$(TOP) O=$$d \
			KCONFIG_CONFIG=$$d/.config >$$d/build.log 2>&1 && \
		echo "config $$c: built ($$(stat -c %s $$d/lamina) bytes)" || \
		{ echo "config $$c: FAILED (see $$d/build.log)"; exit 1; }; \
	done

xenstore-test:
	$(MAKE) -C xenstore O=$(O)/xenstore test

test: deps
	$(MAKE) hypervisor xenstore iso guests
	$(MAKE) config-builds
	$(MAKE) unit-test
	$(MAKE) xenstore-test
	$(MAKE) boot-test
	$(MAKE) bochs-test \
		BOCHS_K='vmx-dom0-(hello|cpumodes|lapic-smp1)|svm-dom0-(hello|cpumodes|exits)'
	$(MAKE) linux-test

# Debian's kernel under Lamina, to its busybox shell (tests/linux/).
INITRAMFS := $(O)/linux/initramfs.cpio.gz
$(INITRAMFS): tests/linux/mkinitramfs.sh
	mkdir -p $(dir $@)
	sh tests/linux/mkinitramfs.sh $@
linux-test: hypervisor $(INITRAMFS)
	$(PYTHON) tests/linux/run.py --image $(O)/lamina --initramfs $(INITRAMFS)

# The reference guests on Lamina and on Debian's Xen 4.17 under the same
# QEMU, check by check; the differences allowed are in
# docs/xen-differences.md. About a minute, so not part of make test.
xen-compare: deps
	$(MAKE) hypervisor guests
	$(PYTHON) tests/boot/test_xen_compare.py
	$(PYTHON) tests/boot/xen_compare.py --build $(O) \
		$(if $(XEN_K),-k '$(XEN_K)')

# Figures, not pass/fail (not part of make test). BENCH_RUNS: boots of
# Linux per hypervisor for the time to userspace (the median is printed).
BENCH_RUNS := 3
bench: deps
	$(MAKE) hypervisor xenstore
	$(PYTHON) tests/boot/boot_time.py $(O)/lamina 5 2
	$(MAKE) guests $(INITRAMFS)
	$(PYTHON) tests/boot/guest_bench.py --image $(O)/lamina --guests $(O)/guests
	$(PYTHON) tests/boot/xen_bench.py --build $(O) --initramfs $(INITRAMFS) \
		--runs $(BENCH_RUNS)
	$(MAKE) -C xenstore O=$(O)/xenstore bench

clean:
	rm -rf $(O)

.PHONY: linux-test all deps config defconfig menuconfig olddefconfig savedefconfig \
	hypervisor xenstore guests iso run unit-test boot-test bochs-test \
	xenstore-test config-builds \
	test bench xen-compare clean
