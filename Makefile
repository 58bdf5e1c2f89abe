# Three commands set up a fresh machine: `make demo` starts the sandbox (no token needed),
# `make run` starts the bot, `make test` runs the tests. Each creates .venv on first use and
# installs the pinned versions from constraints.txt.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The browser tests drive Debian's Chromium; the emoji font only makes the page look right.
CHROMIUM := /usr/bin/chromium
BROWSER_PACKAGES := chromium fonts-noto-color-emoji
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run demo test install lint lock clean browser screenshot

run: $(STAMP)
	$(PY) -m bot run

# The sandbox: the bot on a local Telegram with a web chat on 127.0.0.1 (DEMO_ARGS="--port 8091").
demo: $(STAMP)
	$(PY) -m bot demo $(DEMO_ARGS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# Headless Chromium for the browser tests, from Debian's packages, installed only when missing.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing $(BROWSER_PACKAGES)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

# The README's pictures of the sandbox and of the dashboard (at a phone's width), taken by
# the browser the tests use.
screenshot: $(STAMP) browser
	$(PY) -m tests.browser.screenshot docs/sandbox.png
	$(PY) -m tests.browser.dashboard_screenshot docs/dashboard.png

# Re-pin every dependency after a change to pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV)
