# Hyperlaunch device trees: common/bootfdt.c and its libfdt walk
# (common/loader/bootfdt_parse.c), linked with Debian's libfdt.a, the
# archive the hypervisor links. Fixtures: tests/unit/fixtures/fdt/*.dts
# compiled with dtc (device-tree-compiler), linked in as binary blobs
# named _binary_<file>_dtb_start/_end.
UNIT_SUITES += bootfdt
UNIT_SRCS += hypervisor/common/bootfdt.c \
	hypervisor/common/loader/bootfdt_parse.c
UNIT_LIBS += -l:libfdt.a

FDT_FIX_SRC := $(TOP)/tests/unit/fixtures/fdt
FDT_FIX_OUT := $(OUT)/fixtures/fdt
FDT_FIX_FILES := \
	$(patsubst %.dts,%.dtb,$(notdir $(wildcard $(FDT_FIX_SRC)/*.dts)))
UNIT_EXTRA_OBJS += $(FDT_FIX_OUT)/fdt-fixtures.o

# Xen's binding gives nodes unit addresses without reg: not a mistake here.
$(FDT_FIX_OUT)/%.dtb: $(FDT_FIX_SRC)/%.dts
	@mkdir -p $(@D)
	dtc -I dts -O dtb -W no-unit_address_vs_reg \
		-W no-avoid_unnecessary_addr_size -o $@ $<

# A pattern rule, so that it cannot become the default goal.
%/fdt-fixtures.o: $(addprefix %/,$(FDT_FIX_FILES))
	cd $* && $(LD) -r -b binary -z noexecstack -o $(@F) $(FDT_FIX_FILES)

.SECONDARY: $(addprefix $(FDT_FIX_OUT)/,$(FDT_FIX_FILES))
