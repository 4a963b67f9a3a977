# salestrail: six commands over one library.  See README.md.
include config.mk

BUILD ?= build
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
ALL_CPPFLAGS = -D_DEFAULT_SOURCE -Ilib $(PKG_CFLAGS) \
	-DSALES_VERSION='"$(VERSION)"' -DSALES_SHAREDIR='"$(SHAREDIR)"' \
	$(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS)
LIBS = $(BUILD)/libsales.a $(PKG_LIBS) -lcsv -lm

LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC = $(sort $(wildcard cmd/*.c))
BINS = $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/t_*.c))
UNITS = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MAN = $(sort $(wildcard man/*.[157]))

.PHONY: all units deps test check valgrind lint format-check demo install \
	uninstall clean bless fuzz fuzzers fuzz-bins bench

all: $(BUILD)/libsales.a $(BINS)

units: $(UNITS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libsales.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/bin/%: cmd/%.c $(BUILD)/libsales.a $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libsales.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

# Fuzz targets: every tests/fuzz/fuzz_*.c is a libFuzzer target, built
# by clang against a copy of the library compiled with the fuzzer's
# instrumentation under build/fuzz.  `make fuzz FUZZ_SECONDS=N` runs
# each for N seconds on seeds from tests/data (tests/fuzz/run.sh).  The
# same sources, linked with tests/fuzz/replay.c by $(CC), become unit
# programs build/tests/t_fuzz_* that replay tests/data/fuzz/<target>/
# in every `make test`.
FUZZ_SECONDS = 60
CHECK_FUZZ_SECONDS = 8
FUZZ_BUILD = build/fuzz
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 $(SAN) -fsanitize=fuzzer-no-link
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
REPLAYS = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/t_%)

units: $(REPLAYS)

$(BUILD)/tests/t_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    $(wildcard tests/fuzz/*.h) $(BUILD)/libsales.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/fuzz $(ALL_CFLAGS) $(LDFLAGS) -o $@ \
	    $< tests/fuzz/replay.c $(LIBS)

# clang warns of /* FALLTHROUGH */ comments that gcc accepts.
fuzzers:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	    CFLAGS="$(FUZZ_CFLAGS)" WARN="$(WARN) -Wno-implicit-fallthrough" \
	    fuzz-bins

fuzz-bins: $(FUZZERS)

$(FUZZERS): $(FUZZ_BUILD)/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) \
    $(BUILD)/libsales.a
	$(CC) $(ALL_CPPFLAGS) -Itests/fuzz $(ALL_CFLAGS) -fsanitize=fuzzer \
	    -o $@ $< $(LIBS)

fuzz: deps fuzzers
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZERS)

# The README's two commands.  Both install what is missing first, then
# run a fresh make so that pkg-config sees the new packages.
deps:
	@scripts/install-deps

test: deps
	@$(MAKE) --no-print-directory all units
	@BUILD=$(BUILD) tests/run.sh

demo: deps
	@$(MAKE) -s --no-print-directory all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" DB=$(BUILD)/demo/sales.db \
	    INBOX=share/examples OUT=$(BUILD)/demo/out WEEK=2026-W10 MONTH=2026-03 \
	    SALES_TODAY=2026-03-09 scripts/weekly.sh --fresh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check: deps
	@$(MAKE) --no-print-directory BUILD=build/san CFLAGS="-g -O1 $(SAN)" \
	    LDFLAGS="$(SAN)" all units
	@BUILD=build/san TRIALS=$${TRIALS:-50} ASAN_OPTIONS=detect_leaks=1 \
	    tests/run.sh
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

valgrind:
	@scripts/install-deps --valgrind
	@$(MAKE) --no-print-directory all units
	@BUILD=$(BUILD) VALGRIND=1 tests/run.sh

# Generated data, reference runs and sales-ingest timed against them
# (tests/bench/bench.sh); prints the table of DESIGN.md's budgets.
$(BUILD)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

bench:
	@scripts/install-deps --bench || \
	    echo "bench: reference tools missing; their rows are skipped" >&2
	@$(MAKE) --no-print-directory all $(BUILD)/bench/gen $(BUILD)/bench/floor
	@BUILD=$(BUILD) tests/bench/bench.sh
	@$(MAKE) --no-print-directory bench-report

# lint: the man pages and cppcheck must be clean (cppcheck reads
# jansson.h for its iteration macros).  clang-format 14 cannot write the
# KNF the sources keep by hand (declarations aligned on tabs, string
# literals continued where the sentence breaks), so its view is
# printed by make format-check, for the lines one touches, and does
# not fail the build.
lint:
	@scripts/install-deps --lint
	mandoc -T lint -W warning $(MAN)
	cppcheck --quiet --error-exitcode=1 --inline-suppr \
	    --include=/usr/include/jansson.h lib cmd

format-check:
	@scripts/install-deps --lint
	-clang-format --dry-run cmd/*.c lib/*.[ch] tests/unit/*.[ch]

bless: all
	@BUILD=$(BUILD) BLESS=1 tests/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(SHAREDIR)/rules $(DESTDIR)$(SCRIPTDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 share/rules/*.csv $(DESTDIR)$(SHAREDIR)/rules
	install -m 755 scripts/weekly.sh $(DESTDIR)$(SCRIPTDIR)
	install -m 755 scripts/assign-leads.sh $(DESTDIR)$(SCRIPTDIR)
	install -m 755 scripts/reclaim.sh $(DESTDIR)$(SCRIPTDIR)
	install -d $(DESTDIR)$(COMPLETIONDIR)
	for b in $(BINS:$(BUILD)/bin/%=%); do \
		install -m 644 share/completion/salestrail.bash \
		    $(DESTDIR)$(COMPLETIONDIR)/$$b || exit; \
	done

uninstall:
	rm -f $(BINS:$(BUILD)/bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(MAN:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	    $(MAN:man/%=$(DESTDIR)$(MANDIR)/man7/%)
	rm -rf $(DESTDIR)$(SHAREDIR)
	rm -f $(BINS:$(BUILD)/bin/%=$(DESTDIR)$(COMPLETIONDIR)/%)

clean:
	rm -rf build

# sales-assign: route 100k generated leads with the default rules.
.PHONY: bench-assign
bench-assign: deps
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" SALES_RULES=$(CURDIR)/share/rules \
	    BENCH_DIR=$(BUILD)/bench scripts/bench-assign.sh 100000

# The version and the installed share directory are compiled in.
$(LIB_OBJ) $(BINS): config.mk

# sales-voc: scan 1M generated activities with the shipped rules, next
# to reading the same text from the store.
.PHONY: bench-voc
bench-voc: deps
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" SALES_RULES=$(CURDIR)/share/rules \
	    BENCH_DIR=$(BUILD)/bench scripts/bench-voc.sh 1000000

# sales-forecast: 100k open deals (< 1 s), backtest and fit timings.
.PHONY: bench-forecast
bench-forecast: deps
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" SALES_RULES=$(CURDIR)/share/rules \
	    BENCH_DIR=$(BUILD)/bench scripts/bench-forecast.sh 100000

# Message catalogs (gettext domain "salestrail"): po/LANG.po compiled
# beside the binaries, where i18n.c finds them, and installed under
# $(LOCALEDIR).  `make po` extracts the labels into po/salestrail.pot
# and merges it into every po/*.po.
PO = $(sort $(wildcard po/*.po))
MO = $(PO:po/%.po=$(BUILD)/share/locale/%/LC_MESSAGES/salestrail.mo)
ALL_CPPFLAGS += -DSALES_LOCALEDIR='"$(LOCALEDIR)"'

all: $(MO)

$(BUILD)/share/locale/%/LC_MESSAGES/salestrail.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

.PHONY: po install-mo uninstall-mo
po:
	xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ \
	    --add-comments=TRANSLATORS: --package-name=salestrail \
	    --package-version=$(VERSION) --sort-by-file \
	    -o po/salestrail.pot $(LIB_SRC) $(CMD_SRC)
	for p in $(PO); do \
		msgmerge --quiet --update --backup=none $$p po/salestrail.pot \
		    || exit; \
	done

install: install-mo
install-mo: $(MO)
	for m in $(MO:$(BUILD)/share/locale/%=%); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$${m%/*} && \
		install -m 644 $(BUILD)/share/locale/$$m \
		    $(DESTDIR)$(LOCALEDIR)/$$m || exit; \
	done

uninstall: uninstall-mo
uninstall-mo:
	rm -f $(MO:$(BUILD)/share/locale/%=$(DESTDIR)$(LOCALEDIR)/%)

# sales-report weekly over 1M activities / 100k deals / 300 reps in
# every format (the store is generated once into $(BUILD)/bench and
# kept), next to the same figures by straightforward SQL in the sqlite3
# CLI and a plain scan of the activity table, with DESIGN.md's budgets
# marked PASS or FAIL (tests/bench/report.sh).  FORMATS picks formats.
.PHONY: bench-report
bench-report: deps
	@$(MAKE) --no-print-directory all
	@PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" SALES_RULES=$(CURDIR)/share/rules \
	    BENCH_DIR=$(BUILD)/bench tests/bench/report.sh
