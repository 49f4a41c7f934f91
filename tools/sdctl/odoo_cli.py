# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Finding Odoo 18.0, writing its config file, running it with a log."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from .pg import ensure_pg
from .util import ODOO_DOC, REPO, Fail, cache_dir, say

# Log lines Odoo prints at WARNING level during an install that say nothing
# about our addons (environment facts of this machine).
BENIGN_WARNINGS = [
    r"Running as user 'root' is a security risk",
    r"No lang found for",
    r"wkhtmltopdf",
    r"You need Wkhtmltopdf",
    r"Missing dependencies .* python-ldap",
    r"ldap",
    r"geoip",
]
LEVEL_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|WARNING|CRITICAL) ")
# the way out when Odoo is not importable (make test, demo, bench, env)
MISSING_ODOO_HINT = (
    "set ODOO_SRC to an Odoo 18.0 source tree (`ODOO_SRC=/path/to/odoo make demo`): the harness runs Odoo "
    "from ODOO_SRC in place; it never downloads or installs Odoo, it only installs Odoo's Python requirements "
    f"from PyPI into .venv/ here. Or make Odoo 18.0 importable by this Python yourself (see {ODOO_DOC})"
)


def odoo_info():
    """Return (version, [addons paths]) or None when Odoo is not importable."""
    code = (
        "import os, odoo, odoo.release as r;"
        "p = os.path.dirname(odoo.__file__);"
        "print(r.series);"
        "print(os.path.join(p, 'addons'));"
        "print(os.path.join(os.path.dirname(p), 'addons'))"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if out.returncode:
        return None
    series, core, extra = out.stdout.split()
    paths = [p for p in (core, extra) if Path(p).is_dir()]
    return series, paths


def require_odoo():
    info = odoo_info()
    if not info:
        raise Fail(f'Odoo 18.0 is not importable (`{sys.executable} -c "import odoo"` fails): {MISSING_ODOO_HINT}')
    if info[0] != "18.0":
        raise Fail(f"the importable Odoo is {info[0]}, these addons need 18.0 ({ODOO_DOC})")
    return info


def odoo_stamp():
    """When the importable Odoo last changed (its release.py's mtime)."""
    info = odoo_info()
    release = Path(info[1][0]).parent / "release.py" if info else None
    return release.stat().st_mtime if release and release.exists() else 0


def write_config(params, addons_paths, extra=None, name="odoo.conf"):
    """Write the Odoo config file ``name`` in the cache folder; return
    (its path, the data_dir)."""
    cache = cache_dir()
    data_dir = cache / "data"
    data_dir.mkdir(exist_ok=True)
    lines = [
        "[options]",
        f"addons_path = {','.join([*addons_paths, str(REPO)])}",
        f"data_dir = {data_dir}",
        f"db_host = {params.get('host', 'False')}",
        f"db_port = {params.get('port', 'False')}",
        f"db_user = {params.get('user', 'False')}",
        f"db_password = {params.get('password', 'False')}",
        "db_maxconn = 64",
        "list_db = True",
        "max_cron_threads = 1",
        "limit_time_real = 0",
        "limit_time_cpu = 0",
        "log_level = info",
    ]
    for key, value in (extra or {}).items():
        lines.append(f"{key} = {value}")
    conf = cache / name
    conf.write_text("\n".join(lines) + "\n")
    return conf, data_dir


def odoo_cmd(conf, *args):
    return [sys.executable, "-m", "odoo", "-c", str(conf), *args]


def run_logged(cmd, log_path, check_log=False, env=None, input_text=None):
    """Run an Odoo command (fed ``input_text`` on stdin if given), tee its log
    to a file, return (rc, bad lines): the ERROR/CRITICAL lines and the
    WARNING lines that are not benign."""
    bad = []
    benign = [re.compile(p) for p in BENIGN_WARNINGS]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE if input_text is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        if input_text is not None:
            proc.stdin.write(input_text)
            proc.stdin.close()
        for line in proc.stdout:
            log.write(line)
            match = LEVEL_RE.match(line)
            if match and check_log:
                if match.group(1) == "WARNING" and any(b.search(line) for b in benign):
                    continue
                bad.append(line.rstrip())
        rc = proc.wait()
    return rc, bad


def cmd_env(_args):
    """Print shell exports for using the same server and config by hand."""
    try:
        _series, paths = require_odoo()
        params = ensure_pg()
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    conf, _data = write_config(params, paths)
    venv = os.environ.get("SD_ODOO_SRC_VENV")
    if venv:
        # ODOO_SRC: the virtualenv's python and pytest come first, and
        # `import odoo` finds Odoo in ODOO_SRC (run in place, not installed)
        print(f"export VIRTUAL_ENV={venv}")
        print(f"export PATH={venv}/bin:$PATH")
        print(f"export PYTHONPATH={shlex.quote(os.environ.get('PYTHONPATH', ''))}")
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            # no __pycache__ in ODOO_SRC by hand either
            print("export PYTHONDONTWRITEBYTECODE=1")
    print(f"export SD_ODOO_CONF={conf}")
    for key, env in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER")):
        if key in params:
            print(f"export {env}={params[key]}")
    return 0
