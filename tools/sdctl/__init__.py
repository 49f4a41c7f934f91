# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The harness behind ``make demo``, ``make test``, ``make bench`` and
``make i18n``, one module per job:

* ``util``: paths, the cache folder, messages, pip requirements;
* ``pg``: finding or starting a PostgreSQL server, database copy/drop/rename;
* ``odoo_cli``: finding Odoo 18.0, its config file and logged runs;
* ``templates``: the two levels of cached template databases;
* ``tiers``: the test tiers and their phase timings (``make test``);
* ``demo``, ``bench``, ``i18n``: the other commands;
* ``odoo_src``: ``ODOO_SRC=/path/to/odoo``: the virtualenv ``.venv/`` with
  Odoo's Python requirements from PyPI, and running in it with Odoo imported
  from that source tree in place (``PYTHONPATH=$ODOO_SRC``);
* ``__main__``: the command line (``python3 tools/sdctl <command>``).

It never downloads or installs Odoo: either ODOO_SRC names the user's Odoo
18.0 source tree, which runs in place (the harness only installs Odoo's
Python requirements from PyPI into ``.venv/``), or Odoo 18.0 must be
importable by the ``python3`` running the harness.
"""
