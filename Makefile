# Lamina top-level build. See README.md.
#   make            build everything into build/ (hypervisor image: build/lamina,
#                   reference guests: build/guests/)
#   make run        set up, build, boot under QEMU on the serial console
#   make test       set up, build, run every test that make test covers
#   make iso        GRUB rescue ISO (build/lamina.iso)
#   make bench      benchmarks (boot time, xenstored); not part of make test
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

# The reference guest (pv-guest-patches/hello): a 32-bit PVH kernel, made
# an ELF64 like a Linux vmlinux; hello-triple.elf triple-faults on purpose.
GUEST_SRC := pv-guest-patches/hello
GUEST_FILES := $(GUEST_SRC)/head.S $(GUEST_SRC)/hello.c
GUEST_CFLAGS := -m32 -march=i686 -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -I$(O)/include \
	-O2 -Wall -Wextra -Werror -fno-pic -fno-pie -fno-stack-protector \
	-fcf-protection=none -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -nostdlib -static -no-pie \
	-Wl,-T,$(GUEST_SRC)/hello.lds -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments
guests: $(O)/guests/hello.elf $(O)/guests/hello-triple.elf

$(O)/guests/hello.elf: $(GUEST_FILES) $(GUEST_SRC)/hello.lds $(O)/include/.links
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -o $@.32 $(GUEST_FILES)
	objcopy -O elf64-x86-64 $@.32 $@

$(O)/guests/hello-triple.elf: $(GUEST_FILES) $(GUEST_SRC)/hello.lds $(O)/include/.links
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -DTRIPLE_FAULT=1 -o $@.32 $(GUEST_FILES)
	objcopy -O elf64-x86-64 $@.32 $@

iso: hypervisor
	sh tests/boot/mkiso.sh $(O)/lamina $(O)/lamina.iso

# ---- running ---------------------------------------------------------------
QEMU_RUN = qemu-system-x86_64 -accel tcg -cpu max -M q35 -m 1024 -smp 2 \
	-nographic -no-reboot -kernel $(O)/lamina \
	-append "console=com1 com1=115200,8n1 $(LAMINA_ARGS)"
run: deps
	$(MAKE) hypervisor
	$(QEMU_RUN)

# ---- tests -----------------------------------------------------------------
unit-test: config
	$(MAKE) -C tests/unit TOP=$(TOP) O=$(O) run

boot-test: hypervisor iso guests
	$(PYTHON) tests/boot/run.py --image $(O)/lamina --iso $(O)/lamina.iso \
		--guests $(O)/guests

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

# Figures, not pass/fail (not part of make test).
bench: deps
	$(MAKE) hypervisor xenstore
	$(PYTHON) tests/boot/boot_time.py $(O)/lamina 5 2
	$(MAKE) -C xenstore O=$(O)/xenstore bench

clean:
	rm -rf $(O)

.PHONY: all deps config defconfig menuconfig olddefconfig savedefconfig \
	hypervisor xenstore guests iso run unit-test boot-test xenstore-test config-builds \
	test bench clean
