# The front door: every command sets up .venv itself from the pinned requirements.lock.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
# make serve PORT=8001 previews on another port when 8000 is taken.
PORT ?= 8000

.PHONY: serve build test check new-story bench audit lint format clean clean-cache \
	deploy rollback serve-release desk report takedown

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

# serve and new-story talk to a contributor: they say in one Chinese line why they stopped
# (a busy port, Ctrl-C), without a traceback; scripts/_stop.py.
serve: $(STAMP)
	$(BIN)/python scripts/serve --port=$(PORT)

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/python scripts/check $(STORY)

new-story: $(STAMP)
	$(BIN)/python scripts/new-story

# The 投稿台 on 8010 unless PORT is given (so it runs beside make serve on 8000);
# scripts/desk invite … prints the links people open it with.
desk: $(STAMP)
	$(BIN)/python scripts/desk serve \
		--port=$(if $(filter command line environment,$(origin PORT)),$(PORT),8010)

# A city's 推进情况总结 draft: make report CITY=开封市 UNTIL=2021-02-15 writes
# reports/kaifeng-2021-02-15.docx (the figures as /progress/ showed them that day).
report: $(STAMP)
	$(BIN)/python scripts/report --city="$(CITY)" --until="$(UNTIL)"

# make bench runs every benchmark, the province one at 50,000 stories (the longest: README,
# 基准测试); make bench BENCH=province runs one, BENCH_ARGS gives it options:
# make bench BENCH=province BENCH_ARGS="--stories 2000 --compare 0 --latency-stories 0".
bench: $(STAMP)
	$(BIN)/python scripts/bench $(BENCH) $(BENCH_ARGS)

# Lighthouse is an npm package pinned in audit/package-lock.json; npm ci installs exactly that
# into audit/node_modules, again only when the lock (or package.json) changes.
AUDIT_STAMP := audit/node_modules/.installed-from-lock

$(AUDIT_STAMP): audit/package-lock.json audit/package.json
	cd audit && npm ci --no-audit --no-fund
	touch $(AUDIT_STAMP)

# make audit URL=http://127.0.0.1:8080/ audits a server that is already running.
audit: $(STAMP) $(AUDIT_STAMP)
	$(BIN)/python scripts/audit $(if $(URL),--url=$(URL))

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# clean-cache keeps what the stories and member photos still use; clean removes everything,
# the media cache too where extra.media.cache_dir or HUATUOPIN_MEDIA_CACHE put it.
clean-cache: $(STAMP)
	$(BIN)/python scripts/clean-cache

clean:
	-if [ -x $(BIN)/python ]; then $(BIN)/python scripts/clean-cache --all; fi
	rm -rf site .cache

# deploy, rollback and serve-release work on a destination folder: DEST/releases/ holds the
# releases, DEST/current the live one (README, 部署). Without DEST they stop before anything.
define need_dest
	@if [ -z "$(DEST)" ]; then \
		echo "请写上发布目录，例如：make $@ DEST=/srv/huatuopin" >&2; exit 2; fi
endef

deploy: $(STAMP)
	$(need_dest)
	$(BIN)/python scripts/deploy --dest "$(DEST)"

rollback: $(STAMP)
	$(need_dest)
	$(BIN)/python scripts/rollback --dest "$(DEST)"

# make takedown STORY=docs/stories/<folder> REASON=… DEST=…: writes `withdrawn:` and deploys.
# STORY and REASON reach the script through the environment, so quotes or $ in them are never
# read by the shell; taken by value, so make does not read a `$` in them as a variable either.
override STORY := $(value STORY)
override REASON := $(value REASON)
export STORY REASON
takedown: $(STAMP)
	$(need_dest)
	$(BIN)/python scripts/takedown --dest "$(DEST)"

# PORT given on the command line, else 8080, so it can run beside `make serve` on 8000.
serve-release: $(STAMP)
	$(need_dest)
	$(BIN)/python scripts/serve-release --dest "$(DEST)" \
		--port=$(if $(filter command line environment,$(origin PORT)),$(PORT),8080)
