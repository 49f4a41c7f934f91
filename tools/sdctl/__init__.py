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
  Odoo's requirements and Odoo from that source tree, and running in it;
* ``__main__``: the command line (``python3 tools/sdctl <command>``).

It never downloads Odoo: either ODOO_SRC names the user's Odoo 18.0 source
tree, or Odoo 18.0 must be importable by the ``python3`` running the harness.
"""
