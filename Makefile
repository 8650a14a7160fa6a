# The front door: `make demo` runs Gongzhi with demo data on SQLite, `make test` runs the tests.
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SOURCES = Package.swift Sources Tests Benchmarks

.PHONY: build demo test test-pg fmt lint ci bench

build:
	swift build

demo:
	swift run gongzhi demo --database-url sqlite://./data/demo-$$(date +%s).sqlite

test:
	swift test

test-pg:
	GONGZHI_TEST_DB=postgres GONGZHI_TEST_PG_URL=$(PG_URL) swift test

fmt:
	swift format format --in-place --parallel --recursive $(SOURCES)

lint:
	swift format lint --strict --parallel --recursive $(SOURCES)

ci:
	bash .ci/run

bench:
	bash Benchmarks/http.sh 10 32
