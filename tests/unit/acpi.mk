UNIT_SUITES += acpi
UNIT_SRCS += hypervisor/common/acpi_tables.c hypervisor/common/acpi_aml.c

# Fixtures: synthetic tables in ASL compiled with iasl (acpica-tools), and
# QEMU 7.2's own tables (tests/unit/fixtures/acpi/qemu-*.bin, dumped from
# a booted guest's memory). All are linked into the runner as binary
# blobs, named _binary_<file>_start/_end (non-alphanumerics become '_').
ACPI_FIX_SRC := $(TOP)/tests/unit/fixtures/acpi
ACPI_FIX_OUT := $(OUT)/fixtures/acpi
ACPI_FIX_FILES := \
	$(patsubst %.asl,%.aml,$(notdir $(wildcard $(ACPI_FIX_SRC)/*.asl))) \
	$(notdir $(wildcard $(ACPI_FIX_SRC)/*.bin))
UNIT_EXTRA_OBJS += $(ACPI_FIX_OUT)/acpi-fixtures.o

$(ACPI_FIX_OUT)/%.aml: $(ACPI_FIX_SRC)/%.asl
	@mkdir -p $(@D)
	@iasl -vi -p $(basename $@) $< > $(basename $@).log 2>&1 || \
		{ cat $(basename $@).log; exit 1; }

$(ACPI_FIX_OUT)/%.bin: $(ACPI_FIX_SRC)/%.bin
	@mkdir -p $(@D)
	cp $< $@

# A pattern rule, so that it cannot become the default goal.
%/acpi-fixtures.o: $(addprefix %/,$(ACPI_FIX_FILES))
	cd $* && $(LD) -r -b binary -z noexecstack -o $(@F) $(ACPI_FIX_FILES)

# Keep the compiled fixtures (make would delete them as intermediates).
.SECONDARY: $(addprefix $(ACPI_FIX_OUT)/,$(ACPI_FIX_FILES))
