# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make i18n``: regenerate each addon's ``.pot`` with Odoo's own exporter
(``trans_export``, what ``odoo-bin --i18n-export`` calls), on a copy of the
addons template, then merge it into the ``.po`` files with gettext's
``msgmerge`` (a missing ``.po`` is created from the ``.pot`` with
``msginit``). The export fails on any ERROR line Odoo logs: an untranslatable
call (an f-string inside ``_()``) must not go unnoticed."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .odoo_cli import require_odoo, run_logged, write_config
from .pg import db_copy, db_drop, ensure_pg
from .templates import ensure_template
from .util import ADDONS, REPO, Fail, logs_dir, say

LANGS = ("ru", "uk")
# ``odoo shell`` runs this from stdin: one process exports the three addons
EXPORT_SCRIPT = """
from odoo.tools.translate import trans_export
for addon, path in {targets!r}:
    with open(path, "wb") as buf:
        trans_export(None, [addon], buf, "po", env.cr)
    print("exported", addon, "to", path, flush=True)
env.cr.rollback()
"""


def pot_path(addon, repo=REPO):
    return repo / addon / "i18n" / f"{addon}.pot"


def po_path(addon, lang, repo=REPO):
    return repo / addon / "i18n" / f"{lang}.po"


def export_pots(params, conf, data_dir, logs):
    """Write the three .pot files; raise Fail, leaving them untouched, when
    the export logs an ERROR/CRITICAL line, fails or writes nothing."""
    # with the demo data, as Odoo exports its own addons: the translatable
    # fields of the demo records are terms too (a Russian demo needs them)
    tpl = ensure_template(params, conf, data_dir, True, logs)
    db = f"sdi18n_{os.getpid()}"
    log = logs / "i18n-export.log"
    # export into a scratch folder: the .pot files change only on success
    scratch = Path(tempfile.mkdtemp(prefix="sdi18n-"))
    targets = [(addon, str(scratch / f"{addon}.pot")) for addon in ADDONS]
    try:
        db_copy(params, tpl, db, data_dir)
        try:
            rc, bad = run_logged(
                [sys.executable, "-m", "odoo", "shell", "-c", str(conf), "-d", db, "--no-http", "--log-level=warn"],
                log,
                check_log=True,
                input_text=EXPORT_SCRIPT.format(targets=targets),
            )
        finally:
            db_drop(params, db, data_dir)
        for line in bad[:20]:
            print("   " + line)
        errors = [line for line in bad if " WARNING " not in line]
        problems = [f"{len(errors)} ERROR line(s), the first: {errors[0]}"] if errors else []
        if rc:
            problems.append(f"exit code {rc}")
        empty = [addon for addon, path in targets if not os.path.isfile(path) or not os.stat(path).st_size]
        problems += [f"no terms for {addon}" for addon in empty]
        if problems:
            raise Fail(f"Odoo's export of the terms failed ({'; '.join(problems)}); log: {log}")
        for addon, path in targets:
            pot_path(addon).parent.mkdir(exist_ok=True)
            shutil.copyfile(path, pot_path(addon))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def merge_po(addon, lang, repo=REPO):
    """Merge the addon's .pot into its <lang>.po (created when missing);
    return 'merged' or 'created'."""
    pot, po = pot_path(addon, repo), po_path(addon, lang, repo)
    if po.exists():
        cmd = ["msgmerge", "--quiet", "--update", "--no-fuzzy-matching", "--backup=none", str(po), str(pot)]
        action = "merged"
    else:
        cmd = ["msginit", "--no-translator", f"--locale={lang}", f"--input={pot}", f"--output-file={po}"]
        action = "created"
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode:
        raise Fail(f"`{' '.join(cmd)}` failed: {(res.stderr.strip().splitlines() or ['?'])[-1]}")
    return action


def po_statistics(addon, lang, repo=REPO):
    """gettext's count of the .po's messages ("350 translated messages, 5
    untranslated messages."), fuzzy ones included when there are any."""
    res = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po_path(addon, lang, repo))],
        capture_output=True,
        text=True,
        check=False,
    )
    return (res.stderr.strip().splitlines() or ["?"])[-1].rstrip(".")


def cmd_i18n(_args):
    t0 = time.time()
    try:
        for tool in ("msgmerge", "msginit", "msgfmt"):
            if not shutil.which(tool):
                raise Fail(f"{tool} is missing: install Debian's gettext package (apt-get install gettext)")
        _series, paths = require_odoo()
        params = ensure_pg()
        conf, data_dir = write_config(params, paths, name="odoo-i18n.conf")
        export_pots(params, conf, data_dir, logs_dir())
        for addon in ADDONS:
            say(f"{addon}: {pot_path(addon).relative_to(REPO)} exported")
            for lang in LANGS:
                action = merge_po(addon, lang)
                say(f"  {lang}.po {action}: {po_statistics(addon, lang)}")
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    say(f"i18n done in {time.time() - t0:.0f}s: review `git diff -- '*/i18n/*'`")
    return 0
