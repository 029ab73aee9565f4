# psyfaith -- see README.md.  `make` builds ./psyfaith; `make check` runs every test.
CC      ?= cc
BUILD   ?= build
PKGS     = sqlite3 gsl libpcre2-8 libcjson nettle
DEB_PKGS = build-essential pkg-config libsqlite3-dev libgsl-dev libpcre2-dev libcjson-dev libcsv-dev nettle-dev jq sqlite3 \
           texlive-latex-recommended texlive-pictures lmodern poppler-utils

OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN     = -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -I. -I$(BUILD) \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS) $(SANITIZE)
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

MODULES  = store ingest metrics classify reports
LIB_SRCS = diag.c util.c $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS = $(wildcard tests/test_*.c)
TEST_BINS = $(TEST_SRCS:%.c=$(BUILD)/%)

.PHONY: all check asan demo deps bench clean install fuzz valgrind
all: deps-quiet $(BUILD)/psyfaith psyfaith

psyfaith: $(BUILD)/psyfaith
	@if [ "$(BUILD)" = build ]; then ln -sf $(BUILD)/psyfaith psyfaith; fi

$(BUILD)/psyfaith: $(BUILD)/main.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(BUILD)/schema.h $(BUILD)/bundled.h $(wildcard *.h */*.h)
	@mkdir -p $(dir $@)
	@echo "CC $<"; $(CC) $(ALL_CFLAGS) -DPSYFAITH_VERSION='"$(VERSION)"' -c -o $@ $<

# schema.sql is the single source of the schema; it is compiled into the binary.
$(BUILD)/schema.h: schema.sql
	@mkdir -p $(BUILD)
	@{ echo '/* generated from schema.sql by the Makefile: do not edit */'; \
	   echo 'static const char schema_sql[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' schema.sql; \
	   echo '    ;'; } > $@.tmp && mv $@.tmp $@

# The bundled item banks and norms, so that `psyfaith init` works from any directory.
BUNDLED = $(wildcard fixtures/banks/*.csv) $(wildcard fixtures/norms/*.csv)
$(BUILD)/bundled.h: $(BUNDLED)
	@mkdir -p $(BUILD)
	@{ echo '/* generated from fixtures/banks and fixtures/norms by the Makefile: do not edit */'; \
	   echo 'static const struct bundled_table { const char *name; int is_norms; const char *data; } bundled_tables[] = {'; \
	   for f in $(BUNDLED); do \
	     case $$f in fixtures/norms/*) n=1;; *) n=0;; esac; \
	     echo "    { \"$$f\", $$n,"; \
	     sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/      "/' -e 's/$$/\\n"/' $$f; \
	     echo '    },'; \
	   done; echo '};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/%.c tests/check.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)

check: deps-quiet $(BUILD)/psyfaith $(TEST_BINS)
	@sh tests/run.sh $(BUILD)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own build tree.
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
	    SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" check

demo: deps $(BUILD)/psyfaith
	@sh tests/demo.sh $(BUILD)

bench: $(BUILD)/psyfaith
	@sh bench/run.sh $(BUILD)

# Installs the Debian packages psyfaith needs when run as root; otherwise prints the command.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; \
	elif [ "$$(id -u)" = 0 ]; then echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: missing$$missing; run: sudo apt-get install$$missing"; exit 1; fi

deps-quiet:
	@pkg-config --exists $(PKGS) && [ -f /usr/include/csv.h ] || $(MAKE) --no-print-directory deps

install: $(BUILD)/psyfaith
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/psyfaith $(DESTDIR)$(PREFIX)/bin/psyfaith
	install -m 644 psyfaith.1 $(DESTDIR)$(PREFIX)/share/man/man1/psyfaith.1
PREFIX ?= /usr/local

clean:
	rm -rf build build-asan psyfaith
