# Service Desk for Odoo 18: the README's two commands (and the benchmark).
# Odoo 18.0 comes from your own source tree: `ODOO_SRC=/path/to/odoo make demo`
# runs Odoo from ODOO_SRC in place; the harness never downloads or installs
# Odoo, it only installs Odoo's Python requirements from PyPI into .venv/.
# Without ODOO_SRC, `python3 -c "import odoo"` must work.
# The harness is the tools/sdctl package (one module per job).
PYTHON ?= python3

.PHONY: demo test bench loadtest i18n lint

demo:
	@$(PYTHON) tools/sdctl demo

test:
	@$(PYTHON) tools/sdctl test

bench:
	@$(PYTHON) tools/sdctl bench

# Locust (in its own virtualenv) against the local multi-worker server on
# 127.0.0.1: 1 worker, N workers, N workers + streaming replica (docs/scaling.md).
loadtest:
	@$(PYTHON) tools/sdctl loadtest

# Regenerate each addon's .pot with Odoo's exporter, merge into ru.po/uk.po.
i18n:
	@$(PYTHON) tools/sdctl i18n

lint:
	@$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check . && \
	  $(PYTHON) -m pylint --rcfile=.pylintrc-mandatory service_desk_cases service_desk_sla service_desk_reports
