# Service Desk for Odoo 18: the README's two commands (and the benchmark).
# Odoo 18.0 itself is a prerequisite: `python3 -c "import odoo"` must work.
PYTHON ?= python3

.PHONY: demo test bench lint

demo:
	@$(PYTHON) tools/sdctl.py demo

test:
	@$(PYTHON) tools/sdctl.py test

bench:
	@$(PYTHON) tools/sdctl.py bench

lint:
	@$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check . && \
	  $(PYTHON) -m pylint --rcfile=.pylintrc-mandatory service_desk_cases service_desk_sla service_desk_reports
