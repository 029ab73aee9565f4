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

MODULES  = store ingest metrics classify reports cli
LIB_SRCS = diag.c util.c outfile.c progress.c $(foreach m,$(MODULES),$(wildcard $(m)/*.c))
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS = $(wildcard tests/test_*.c)
TEST_BINS = $(TEST_SRCS:%.c=$(BUILD)/%)

.PHONY: all check asan tsan demo deps bench clean install fuzz valgrind
all: deps-quiet $(BUILD)/psyfaith psyfaith

psyfaith: $(BUILD)/psyfaith
	@if [ "$(BUILD)" = build ]; then ln -sf $(BUILD)/psyfaith psyfaith; fi

$(BUILD)/psyfaith: $(BUILD)/main.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(BUILD)/schema.h $(BUILD)/bundled.h $(BUILD)/shipped_profiles.h $(wildcard *.h */*.h)
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

# The shipped ingest profiles and the jq programs they name, so that `--profile NAME` works from any
# directory (ingest/profiles.c).
PROFILES = $(wildcard fixtures/profiles/*.profile) $(wildcard fixtures/profiles/*.jq)
$(BUILD)/shipped_profiles.h: $(PROFILES)
	@mkdir -p $(BUILD)
	@{ echo '/* generated from fixtures/profiles by the Makefile: do not edit */'; \
	   echo 'static const struct shipped_file { const char *file; const char *data; } shipped_files[] = {'; \
	   for f in $(PROFILES); do \
	     echo "    { \"$${f#fixtures/profiles/}\","; \
	     sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/      "/' -e 's/$$/\\n"/' $$f; \
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

# The whole suite under ThreadSanitizer (not in CI: 5 min on 2 cores), for the threaded parts --
# the ingest's reader, writer and hashing threads, bootstrap and CV workers, progress.  Any report
# fails the command that made it (exit 66), so the test that ran it fails.
tsan:
	$(MAKE) BUILD=build-tsan OPT=-O1 SANITIZE="-fsanitize=thread" check

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
	rm -rf build build-asan build-tsan psyfaith

# ---------- issue 8: fuzzing, fuzz-corpus replay, valgrind (tests/fuzz/README.md) ----------
# `make fuzz` builds the libFuzzer harnesses with clang (ASan+UBSan) in build-fuzz/ and runs each
# for FUZZ_SECONDS, niced, from tests/fuzz/NAME/seed and regress; `make -j2 fuzz` runs two at once.
# New inputs go to build-fuzz/corpus/NAME, crashes to build-fuzz/crash/NAME-*: minimise them and
# add them to tests/fuzz/NAME/regress, which `make check` replays through tests/test_fuzz_replay.c
# (the same harness code, built without libFuzzer by any compiler).
# The audit-claim harness is built while the audit module (metrics/audit_claims.c) is there.
FUZZ_AUDIT   = $(if $(wildcard metrics/audit_claims.c),audit)
FUZZ_ALL     = jsonl csv answer decision amount mapping persona $(FUZZ_AUDIT)
FUZZERS     ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 600
FUZZ_CC      ?= clang
FUZZ_FLAGS   ?= -close_fd_mask=3 -timeout=20 -rss_limit_mb=2048 -max_len=8192
FUZZ_COMMON  = tests/fuzz/fuzz_common.c
FUZZ_HDRS    = tests/fuzz/fuzz.h tests/check.h
FUZZ_REPLAY_SRCS = $(FUZZ_ALL:%=tests/fuzz/fuzz_%.c) $(FUZZ_COMMON)

# The corpus replay is one more unit test (tests/run.sh runs every build/tests/test_*).
$(BUILD)/tests/test_fuzz_replay: tests/test_fuzz_replay.c $(FUZZ_REPLAY_SRCS) $(FUZZ_HDRS) $(LIB_OBJS) $(BUILD)/bundled.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DFUZZ_REPLAY $(if $(FUZZ_AUDIT),-DFUZZ_HAVE_AUDIT) -o $@ tests/test_fuzz_replay.c $(FUZZ_REPLAY_SRCS) $(LIB_OBJS) $(LDLIBS)

fuzz-replay: $(BUILD)/tests/test_fuzz_replay
	@cd $(CURDIR) && PSYFAITH_TOP=$(CURDIR) $(BUILD)/tests/test_fuzz_replay 2>$(BUILD)/fuzz-replay.log || \
	    { tail -n 40 $(BUILD)/fuzz-replay.log; exit 1; }

fuzz:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) OPT=-O1 \
	    SANITIZE="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    fuzz-run

fuzz-build: $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(FUZZ_HDRS) $(LIB_OBJS) $(BUILD)/bundled.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_COMMON) $(LIB_OBJS) $(LDLIBS)

fuzz-run: $(FUZZERS:%=fuzz-run-%)

fuzz-run-%: $(BUILD)/fuzz/fuzz_%
	@mkdir -p $(BUILD)/corpus/$* $(BUILD)/crash tests/fuzz/$*/regress
	@echo "fuzz $*: $(FUZZ_SECONDS) s, log $(BUILD)/fuzz-$*.log"
	@nice -n 10 $(BUILD)/fuzz/fuzz_$* $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=$(BUILD)/crash/$*- $(BUILD)/corpus/$* tests/fuzz/$*/seed tests/fuzz/$*/regress \
	    >$(BUILD)/fuzz-$*.log 2>&1; rc=$$?; \
	grep -E '^(Done|INFO: Seed|stat::)' $(BUILD)/fuzz-$*.log | sed "s/^/fuzz $*: /"; \
	grep -E 'ERROR|SUMMARY|Test unit written' $(BUILD)/fuzz-$*.log | head -n 5 | sed "s/^/fuzz $*: /"; exit $$rc

# The demo pipeline (ingest, classifier, games, scores, metrics, audit, structure, report) under
# valgrind: any leak or memory error fails, and so does a read of uninitialised memory, which ASan
# does not see.  audit exits 1 when a claim fails, as some of the example claims do.
VALGRIND = valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
           --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 --track-origins=yes \
           --suppressions=$(CURDIR)/tests/fuzz/valgrind.supp
valgrind: $(BUILD)/psyfaith
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && P="$(VALGRIND) --log-file=$$d/vg.%p $(CURDIR)/$(BUILD)/psyfaith" && \
	F=$(CURDIR)/fixtures/demo && fail=0 && \
	for step in "init --db $$d/v.db --quiet" \
	            "ingest --db $$d/v.db --quiet $$F/study.jsonl $$F/labeled.jsonl $(CURDIR)/fixtures/games/games.jsonl $(CURDIR)/fixtures/audit/vendor.jsonl" \
	            "classify train --db $$d/v.db --dimension all --folds 2 --quiet" \
	            "classify apply --db $$d/v.db --quiet" \
	            "games ultimatum --db $$d/v.db --format csv" \
	            "games milgram --db $$d/v.db --format csv" \
	            "scores --db $$d/v.db --format table" \
	            "metrics --db $$d/v.db --format csv" \
	            "audit --db $$d/v.db --claims $(CURDIR)/fixtures/audit/claims.txt --bootstrap 50 --format csv" \
	            "structure --db $$d/v.db --instrument IPIP-NEO-120 --format csv" \
	            "report --db $$d/v.db --latex $$d/tex --csv $$d/csv"; do \
	    echo "valgrind: psyfaith $${step%% *}"; \
	    $$P $$step >$$d/out 2>$$d/err; rc=$$?; \
	    case "$$step:$$rc" in audit*:1) rc=0 ;; esac; \
	    [ $$rc = 0 ] || { fail=1; echo "valgrind: FAILED: psyfaith $$step"; tail -n 5 $$d/err; }; \
	done; \
	if [ -n "$$(cat $$d/vg.* 2>/dev/null)" ]; then fail=1; cat $$d/vg.*; fi; \
	if [ $$fail = 0 ]; then echo "valgrind: no leaks, no errors"; fi; exit $$fail

.PHONY: fuzz-replay fuzz-build fuzz-run
