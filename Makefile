# pdb — a local DynamoDB with Streams, as Unix tools.
include config.mk

CC ?= cc
PKGS = sqlite3 jansson
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat-security -Wno-unused-parameter
CFLAGS ?= -O2 -g
PDB_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE $(WARN) \
	-Iinclude -DPDB_VERSION='"$(VERSION)"' $(shell pkg-config --cflags $(PKGS))
LDLIBS = $(shell pkg-config --libs $(PKGS)) -lm

ifeq ($(SANITIZE),1)
CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

PROGS = pdb-table pdb-put pdb-delete pdb-get pdb-scan pdb-update pdb-query \
	pdb-stream-describe pdb-stream-iter pdb-stream-tail pdb-serve \
	pdb-dump pdb-load pdb-expire pdb-transact pdb-stream-run pdb-batch-write \
	pdb-stream-shard
BINS = $(PROGS:%=bin/%)

# By layer, from the bottom: base, store (the only SQL), core, operations,
# wire shapes, command-line front end.
LIBOBJ = lib/error.o lib/buf.o lib/crc32.o lib/number.o lib/clock.o lib/jsonl.o lib/ttl.o \
	lib/value.o lib/key.o lib/catalog.o lib/watch.o \
	lib/expr_parse.o lib/expr_call.o lib/expr_eval.o lib/expr_cond.o \
	lib/expr_update.o lib/expr_walk.o \
	lib/expr_key.o lib/expr_kinds.o \
	lib/db.o lib/store_table.o lib/store_stream.o lib/store_shard.o \
	lib/store_item.o \
	lib/store_record.o lib/store_token.o \
	lib/shard.o lib/write.o lib/group.o \
	lib/op_item.o lib/op_batch.o lib/op_read.o lib/op_table.o lib/op_ttl.o \
	lib/op_transact.o \
	lib/iter.o lib/op_stream.o lib/op_shard.o \
	lib/consume.o lib/filter.o \
	lib/wire.o lib/wire_call.o lib/wire_table.o lib/wire_item.o lib/wire_legacy.o \
	lib/wire_stream.o lib/wire_transact.o lib/wire_index.o lib/dump.o lib/run.o \
	lib/cli.o lib/cli_write.o lib/cli_fixture.o lib/cli_read.o lib/cli_tail.o

UNITS = tests/unit/test-number tests/unit/test-value tests/unit/test-key tests/unit/test-iter \
	tests/unit/test-crc32 \
	tests/unit/test-query tests/unit/test-expr

all: $(BINS)

# Rebuild everything when the compiler or its flags change (SANITIZE=1).
.cflags: FORCE
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

lib/libpdb.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(LIBOBJ) lib/serve.o: $(wildcard include/pdb/*.h lib/*.h lib/*.inc) config.mk .cflags

lib/%.o: lib/%.c
	$(CC) $(PDB_CFLAGS) $(CFLAGS) -c -o $@ $<

bin/%: cmd/%.c lib/libpdb.a $(wildcard include/pdb/*.h) .cflags
	@mkdir -p bin
	$(CC) $(PDB_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< lib/libpdb.a $(LDLIBS)

# The HTTP front end: libmicrohttpd and threads, for pdb-serve alone.
SERVE_LIBS = $(shell pkg-config --libs libmicrohttpd) -lpthread
lib/serve.o: lib/serve.c
	$(CC) $(PDB_CFLAGS) $(CFLAGS) $(shell pkg-config --cflags libmicrohttpd) -c -o $@ $<

bin/pdb-serve: cmd/pdb-serve.c lib/serve.o lib/libpdb.a $(wildcard include/pdb/*.h) .cflags
	@mkdir -p bin
	$(CC) $(PDB_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< lib/serve.o lib/libpdb.a $(LDLIBS) $(SERVE_LIBS)

tests/unit/%: tests/unit/%.c tests/unit/unit.h lib/libpdb.a
	$(CC) $(PDB_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< lib/libpdb.a $(LDLIBS)

# Installs what a fresh Debian machine lacks, then nothing more.
deps:
	@sh tests/deps.sh

check: deps all $(UNITS)
	@sh tests/run.sh $(UNITS)

demo: deps all
	@sh tests/demo.sh

bench: all
	@sh bench/run.sh

# pdb-serve beside DynamoDB Local (the end of make bench), alone.
bench-serve: all
	@sh bench/serve.sh

# libFuzzer harnesses, each run FUZZ_SECONDS on its corpus in tests/fuzz/.
FUZZ_SECONDS ?= 10
FUZZERS = number item iter expr wire
FUZZ_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Iinclude \
	-DPDB_VERSION='"$(VERSION)"' -g -O1 -fsanitize=fuzzer,address,undefined \
	$(shell pkg-config --cflags $(PKGS))

tests/fuzz/out/fuzz-%: tests/fuzz/fuzz-%.c $(LIBOBJ:.o=.c) $(wildcard include/pdb/*.h)
	@mkdir -p tests/fuzz/out
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIBOBJ:.o=.c) $(LDLIBS)

fuzz: $(FUZZERS:%=tests/fuzz/out/fuzz-%)
	@for f in $(FUZZERS); do \
		mkdir -p tests/fuzz/out/corpus-$$f; \
		echo "fuzz-$$f: $(FUZZ_SECONDS) s"; \
		tests/fuzz/out/fuzz-$$f -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=tests/fuzz/out/$$f- -print_final_stats=1 \
			tests/fuzz/out/corpus-$$f tests/fuzz/corpus/$$f \
			>tests/fuzz/out/$$f.log 2>&1; \
		status=$$?; \
		grep -E '^(stat::number_of_executed_units|==|SUMMARY)' \
			tests/fuzz/out/$$f.log; \
		[ $$status -eq 0 ] || { echo "fuzz-$$f failed: see" \
			"tests/fuzz/out/$$f.log"; exit 1; }; \
	done

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
		$(DESTDIR)$(MANPREFIX)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	cp -f $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(PROGS:%=man/man1/%.1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f man/man7/pdb.7 $(DESTDIR)$(MANPREFIX)/man7/
	for p in $(PROGS); do cp -f completions/bash/pdb $(DESTDIR)$(BASHCOMPDIR)/$$p; done
	cp -f completions/zsh/_pdb $(DESTDIR)$(ZSHCOMPDIR)/_pdb

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(PREFIX)/bin/%) \
		$(PROGS:%=$(DESTDIR)$(MANPREFIX)/man1/%.1) \
		$(DESTDIR)$(MANPREFIX)/man7/pdb.7 \
		$(PROGS:%=$(DESTDIR)$(BASHCOMPDIR)/%) $(DESTDIR)$(ZSHCOMPDIR)/_pdb

clean:
	rm -rf bin lib/*.o lib/libpdb.a $(UNITS) .cflags tests/fuzz/out

.PHONY: all deps check demo bench bench-serve fuzz install uninstall clean FORCE
export VALGRIND SANITIZE
.PRECIOUS: lib/%.o
