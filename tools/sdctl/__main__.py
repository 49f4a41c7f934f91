# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Command line: ``python3 tools/sdctl {test,demo,bench,loadtest,i18n,env}``."""

import argparse
import sys
from pathlib import Path

if not __package__:
    # run as ``python3 tools/sdctl``: import the package from tools/ (and do
    # not let tools/sdctl/ shadow top-level modules)
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sdctl import bench, demo, i18n, loadtest, odoo_cli, odoo_src, tiers
from sdctl.util import Fail, say


def main(argv=None):
    parser = argparse.ArgumentParser(prog="sdctl")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("test").set_defaults(func=tiers.cmd_test)
    demo_parser = sub.add_parser("demo")
    demo_parser.add_argument("--no-serve", action="store_true")
    demo_parser.set_defaults(func=demo.cmd_demo)
    sub.add_parser("bench").set_defaults(func=bench.cmd_bench)
    sub.add_parser("loadtest").set_defaults(func=loadtest.cmd_loadtest)
    sub.add_parser("i18n").set_defaults(func=i18n.cmd_i18n)
    sub.add_parser("env").set_defaults(func=odoo_cli.cmd_env)
    args = parser.parse_args(argv)
    try:
        # ODOO_SRC=/path/to/odoo: run Odoo from ODOO_SRC in place, on the
        # checkout's virtualenv (made first, with Odoo's Python requirements
        # from PyPI, if needed); without it, Odoo must be importable as is
        odoo_src.use_odoo_src(sys.argv[1:] if argv is None else list(argv))
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
