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

.PHONY: all units deps test check valgrind lint demo install \
	uninstall clean bless bench

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
	    INBOX=share/examples OUT=$(BUILD)/demo/out WEEK=2026-W10 \
	    scripts/weekly.sh --fresh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check: deps
	@$(MAKE) --no-print-directory BUILD=build/san CFLAGS="-g -O1 $(SAN)" \
	    LDFLAGS="$(SAN)" all units
	@BUILD=build/san ASAN_OPTIONS=detect_leaks=1 tests/run.sh

valgrind: deps
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

lint:
	clang-format --dry-run -Werror cmd/*.c lib/*.[ch] tests/unit/*.[ch]
	mandoc -T lint -W warning $(MAN)
	cppcheck --quiet --error-exitcode=1 --inline-suppr lib cmd

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

uninstall:
	rm -f $(BINS:$(BUILD)/bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN:man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(MAN:man/%=$(DESTDIR)$(MANDIR)/man5/%) \
	    $(MAN:man/%=$(DESTDIR)$(MANDIR)/man7/%)
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build
