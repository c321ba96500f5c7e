# bpfkit: one non-recursive Makefile for the library, the CLI, tests, fuzzers
# and benchmarks. `make help` lists the targets.
#
#   make                build build/bpfkit and build/libbpfkit.{a,so}
#   make test           build and run every test; last line: N passed, N failed, N skipped
#   make asan           the same tests under ASan+UBSan (build/asan/)
#   make fuzz           build the libFuzzer harnesses with clang and run each FUZZ_TIME seconds
#   make bench          run the benchmarks
#   make install        PREFIX=/usr/local DESTDIR= (make uninstall: the same files)
#   make run            the README's main job
#   V=1                 show the commands

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
TOOLSDIR ?= $(PREFIX)/share/bpfkit/tools
# the one version, in src/cli/main.c
VERSION := $(shell sed -n 's/^\#define BPFKIT_VERSION "\(.*\)"/\1/p' src/cli/main.c)
FUZZ_TIME ?= 60

NPROC := $(shell nproc 2>/dev/null || echo 2)
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT ?= -O2 -g
BASE_CFLAGS := -std=gnu11 $(WARN) $(OPT) -fPIC -fvisibility=hidden -Iinclude -Isrc -D_GNU_SOURCE -MMD -MP
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(SANFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

PKGS := libelf libdw zlib libbpf libpcap
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ldw -lelf -lz -lbpf -lpcap)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
LIBS := $(PKG_LIBS) -lm

# ---- sources ----------------------------------------------------------------
LIB_SRCS := $(sort $(wildcard src/isa/*.c src/vm/*.c src/pkt/*.c src/lang/*.c src/lang/*/*.c src/kern/*.c src/out/*.c src/sym/*.c))
CLI_SRCS := $(sort $(wildcard src/cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))
MAN_SRCS := $(sort $(wildcard docs/*.scd))
# BPF C programs the VM's tests run, compiled with clang as the README
# compiles examples (Debian keeps asm/ headers in the multiarch directory)
BPF_TEST_SRCS := $(sort $(wildcard tests/bpf/*.bpf.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB_OBJS := $(call obj,$(LIB_SRCS))
CLI_OBJS := $(call obj,$(CLI_SRCS))
LIB_A := $(BUILD)/libbpfkit.a
LIB_SO := $(BUILD)/libbpfkit.so
BIN := $(BUILD)/bpfkit
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tests/%,$(TOOL_SRCS))
REPLAY_BINS := $(patsubst fuzz/%.c,$(BUILD)/fuzz-replay/%,$(FUZZ_SRCS))
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
MANS := $(patsubst docs/%.scd,$(BUILD)/man/%,$(MAN_SRCS))
BPF_TEST_OBJS := $(patsubst tests/bpf/%.bpf.c,$(BUILD)/tests/bpf/%.o,$(BPF_TEST_SRCS))
BPF_CFLAGS := -target bpf -O2 -g -I/usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)

.PHONY: all lib test check asan fuzz fuzz-build bench install uninstall clean deps run man help
all: $(BIN) $(LIB_A) $(LIB_SO)
lib: $(LIB_A) $(LIB_SO)

$(BUILD)/obj/%.o: %.c
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(LIB_A): $(LIB_OBJS)
	$(call msg,AR,$@)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) -shared $(ALL_LDFLAGS) -Wl,-soname,libbpfkit.so.0 -o $@ $^ $(LIBS)

$(BIN): $(CLI_OBJS) $(LIB_A)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(LIB_A) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB_A)
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(CMOCKA_LIBS) $(LIBS)

$(TOOL_BINS): $(BUILD)/tests/%: $(BUILD)/obj/tests/tools/%.o $(LIB_A)
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

# Programs the uprobe tests trace (tests/uprobe/): built with the system
# compilers as a user would build them, not against libbpfkit: a PIE and a
# fixed-address build of one C program, the shared library it uses, a C++
# program. Frame pointers for user stacks; no sanitizers.
UPROBE_DIR := $(BUILD)/tests/uprobe
UPROBE_BINS := $(UPROBE_DIR)/libuptarget.so $(UPROBE_DIR)/target $(UPROBE_DIR)/target_nopie $(UPROBE_DIR)/target_cpp
UPROBE_CFLAGS := -O2 -g -fno-omit-frame-pointer -Wall

$(UPROBE_DIR)/libuptarget.so: tests/uprobe/libuptarget.c
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(UPROBE_CFLAGS) -shared -fPIC -o $@ $<

$(UPROBE_DIR)/target: tests/uprobe/target.c $(UPROBE_DIR)/libuptarget.so
	$(call msg,CC,$@)
	$(Q)$(CC) $(UPROBE_CFLAGS) -fPIE -pie -o $@ $< -L$(UPROBE_DIR) -luptarget -Wl,-rpath,'$$ORIGIN'

$(UPROBE_DIR)/target_nopie: tests/uprobe/target.c $(UPROBE_DIR)/libuptarget.so
	$(call msg,CC,$@)
	$(Q)$(CC) $(UPROBE_CFLAGS) -fno-pie -no-pie -o $@ $< -L$(UPROBE_DIR) -luptarget -Wl,-rpath,'$$ORIGIN'

$(UPROBE_DIR)/target_cpp: tests/uprobe/target_cpp.cc
	$(call msg,CXX,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CXX) $(UPROBE_CFLAGS) -o $@ $<

# The user-stack tests' program (tests/ustack/): a known call chain
# main -> a -> b -> c -> chain_d, the last in a shared library; a PIE with
# frame pointers, as a user would build one for ustack.
USTACK_DIR := $(BUILD)/tests/ustack
# callchain-nofp and libchain-nofp.so: the same built as Debian builds its
# packages, -O2 without frame pointers, for ustack --ustack-unwind dwarf.
USTACK_BINS := $(USTACK_DIR)/libchain.so $(USTACK_DIR)/callchain $(USTACK_DIR)/libchain-nofp.so \
	$(USTACK_DIR)/callchain-nofp
USTACK_CFLAGS := -O1 -g -fno-omit-frame-pointer -Wall
USTACK_NOFP_CFLAGS := -O2 -g -fomit-frame-pointer -Wall

$(USTACK_DIR)/libchain.so: tests/ustack/libchain.c
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USTACK_CFLAGS) -shared -fPIC -o $@ $<

$(USTACK_DIR)/callchain: tests/ustack/callchain.c $(USTACK_DIR)/libchain.so
	$(call msg,CC,$@)
	$(Q)$(CC) $(USTACK_CFLAGS) -fPIE -pie -o $@ $< -L$(USTACK_DIR) -lchain -Wl,-rpath,'$$ORIGIN'

$(USTACK_DIR)/libchain-nofp.so: tests/ustack/libchain.c
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(USTACK_NOFP_CFLAGS) -shared -fPIC -Wl,-soname,libchain-nofp.so -o $@ $<

$(USTACK_DIR)/callchain-nofp: tests/ustack/callchain.c $(USTACK_DIR)/libchain-nofp.so
	$(call msg,CC,$@)
	$(Q)$(CC) $(USTACK_NOFP_CFLAGS) -fPIE -pie -o $@ $< -L$(USTACK_DIR) -lchain-nofp -Wl,-rpath,'$$ORIGIN'

# The USDT test programs (tests/usdt/, systemtap's <sys/sdt.h> from the
# multiarch include directory): a program and the shared library it uses,
# each with probes of its own, built as the uprobe ones are (system
# compiler, -O2: the argument specs are the compiler's; no sanitizers).
USDT_DIR := $(BUILD)/tests/usdt
USDT_BINS := $(USDT_DIR)/libusdt_lib.so $(USDT_DIR)/usdt_prog
SDT_CFLAGS := -O2 -g -Wall -I/usr/include/$(shell $(CC) -dumpmachine 2>/dev/null)

$(USDT_DIR)/libusdt_lib.so: tests/usdt/libusdt_lib.c
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(SDT_CFLAGS) -fPIC -shared -o $@ $<

$(USDT_DIR)/usdt_prog: tests/usdt/usdt_prog.c $(USDT_DIR)/libusdt_lib.so
	$(call msg,CC,$@)
	$(Q)$(CC) $(SDT_CFLAGS) -o $@ $< -L$(USDT_DIR) -lusdt_lib -Wl,-rpath,'$$ORIGIN'

# Each fuzz harness is also a plain program that replays its corpus.
$(BUILD)/fuzz-replay/%: $(BUILD)/obj/fuzz/%.o $(BUILD)/obj/fuzz/replay/main.o $(LIB_A)
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/obj/fuzz/replay/main.o $(LIB_A) $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB_A)
	$(call msg,LD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

$(BUILD)/tests/bpf/%.o: tests/bpf/%.bpf.c
	$(call msg,CLANG,$<)
	@mkdir -p $(dir $@)
	$(Q)clang $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/man/%: docs/%.scd
	$(call msg,SCDOC,$@)
	@mkdir -p $(dir $@)
	$(Q)scdoc < $< > $@

man: $(MANS)

# ---- the two README commands --------------------------------------------------
# Both install what is missing (Debian packages) through scripts/deps.sh first.
deps:
	$(Q)./scripts/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) all
	$(Q)./scripts/main-job.sh $(BIN)

test: deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) test-build
	$(Q)BUILD=$(BUILD) ./tests/run.sh

check: test

.PHONY: test-build
test-build: all $(UNIT_BINS) $(TOOL_BINS) $(UPROBE_BINS) $(USTACK_BINS) $(USDT_BINS) $(REPLAY_BINS) $(BUILD)/bench/bench_vm $(BUILD)/bench/bench_ksyms $(BUILD)/bench/bench_usyms $(MANS)
# the BPF C programs tests/cli/vm_maps.sh runs
test-build: $(BPF_TEST_OBJS)

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 OPT="-O1 -g" test

# ---- fuzzing (clang + libFuzzer) ------------------------------------------------
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Iinclude -Isrc -D_GNU_SOURCE -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRCS))
FUZZ_BINS := $(patsubst fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))

$(FUZZ_BUILD)/obj/%.o: %.c
	$(call msg,CLANG,$<)
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/%: $(FUZZ_BUILD)/obj/fuzz/%.o $(FUZZ_LIB_OBJS)
	$(call msg,LD,$@)
	$(Q)clang -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

fuzz-build: deps $(FUZZ_BINS)

# make fuzz FUZZ_TIME=600 runs each harness for ten minutes over fuzz/corpus/NAME
fuzz: fuzz-build
	$(Q)for f in $(FUZZ_BINS); do \
		name=$${f##*/fuzz_}; mkdir -p fuzz/corpus/$$name; \
		echo "fuzz: $$name for $(FUZZ_TIME)s"; \
		dict=; [ -f fuzz/$$name.dict ] && dict=-dict=fuzz/$$name.dict; \
		$$f -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=2048 $$dict \
			fuzz/corpus/$$name > $(FUZZ_BUILD)/$$name.log 2>&1 || \
			{ tail -n 40 $(FUZZ_BUILD)/$$name.log; exit 1; }; \
		tail -n 2 $(FUZZ_BUILD)/$$name.log; \
	done

# ---- benchmarks -----------------------------------------------------------------
bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BINS) $(TOOL_BINS) $(UPROBE_BINS) $(USTACK_BINS)
	$(Q)BUILD=$(BUILD) ./bench/run.sh

# ---- install ----------------------------------------------------------------------
# The binary, both libraries, the headers, the man pages, bpfkit.pc (its
# directories written relative to ${prefix} where they are under PREFIX, so
# --define-prefix works) and the bash completion. uninstall removes exactly
# these files; tests/cli/install.sh checks both against a DESTDIR. The
# scripts of tools/ go to TOOLSDIR (bpfkit-tools(7)).
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

install: all $(MANS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/bpfkit \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(TOOLSDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/bpfkit
	install -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/libbpfkit.a
	install -m 0755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/libbpfkit.so.0
	ln -sf libbpfkit.so.0 $(DESTDIR)$(LIBDIR)/libbpfkit.so
	install -m 0644 include/bpfkit/*.h $(DESTDIR)$(INCLUDEDIR)/bpfkit/
	@for m in $(MANS); do \
		sec=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$sec; \
		echo "install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$sec/"; \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$sec/ || exit 1; done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|' \
		-e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
		bpfkit.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/bpfkit.pc
	install -m 0644 completions/bpfkit $(DESTDIR)$(BASHCOMPDIR)/bpfkit
	install -m 0755 tools/*.bt $(DESTDIR)$(TOOLSDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/bpfkit $(DESTDIR)$(LIBDIR)/libbpfkit.a $(DESTDIR)$(LIBDIR)/libbpfkit.so \
		$(DESTDIR)$(LIBDIR)/libbpfkit.so.0 $(DESTDIR)$(PKGCONFIGDIR)/bpfkit.pc \
		$(DESTDIR)$(BASHCOMPDIR)/bpfkit
	rm -rf $(DESTDIR)$(INCLUDEDIR)/bpfkit
	rm -f $(addprefix $(DESTDIR)$(TOOLSDIR)/,$(notdir $(wildcard tools/*.bt)))
	rmdir $(DESTDIR)$(TOOLSDIR) $(dir $(DESTDIR)$(TOOLSDIR)) 2>/dev/null || true
	@for m in $(notdir $(MANS)); do \
		echo "rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m"; \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m; done

clean:
	rm -rf $(BUILD)

help:
	@sed -n '3,12p' Makefile | sed 's/^# \{0,1\}//'

-include $(shell find $(BUILD)/obj $(BUILD)/tests/bpf $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
