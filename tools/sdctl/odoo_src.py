# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``ODOO_SRC=/path/to/odoo make demo``: run the harness on an Odoo 18.0
source tree that has no Python environment yet.

The harness runs Odoo from ODOO_SRC in place; it never downloads or installs
Odoo, it only installs Odoo's Python requirements from PyPI into ``.venv/``.
It checks the tree, installs the Debian packages Odoo needs when it runs as
root, makes a virtualenv in the checkout (``.venv/``, git-ignored, without
the system's site-packages), installs into it Odoo's Python requirements
(``$ODOO_SRC/requirements.txt``, its environment markers evaluated for this
Python) and our ``requirements.txt``, then runs again with the virtualenv's
Python and ``PYTHONPATH=$ODOO_SRC`` (before any PYTHONPATH already set), so
that ``import odoo`` finds ``$ODOO_SRC/odoo`` in the harness and in every
process it starts (``python -m odoo``, pytest-odoo, the benchmark). Nothing
is written into ODOO_SRC (no byte-code caches either:
PYTHONDONTWRITEBYTECODE), and nothing about Odoo into the virtualenv (no
``pip install -e``, no egg-link, no ``.pth``). A stamp (the requirement set
and the Python version) skips the installation when nothing changed.
"""

import ast
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .util import IS_ROOT, REPO, Fail, logs_dir, say

VENV = REPO / ".venv"
STAMP_NAME = "sd-stamp.json"
# set when the harness runs again inside the virtualenv
ACTIVE_ENV = "SD_ODOO_SRC_VENV"
# what Odoo needs from Debian to build its requirements and to run here:
# compilers and headers for the source-only packages (psycopg2, python-ldap),
# the PostgreSQL server (the harness starts a private cluster with its
# binaries) and Chromium for the UI tours of ``make test``
APT_PACKAGES = (
    "build-essential",
    "python3-dev",
    "libpq-dev",
    "libldap2-dev",
    "libsasl2-dev",
    "postgresql",
    "chromium",
)
# Odoo's requirements.txt pins, per Python version, what the Debian/Ubuntu
# release of that Python ships. The pins for Python 3.11 (Debian 12) are old
# sdists that no longer build with current compilers and build tools
# (gevent 22.10, lxml 4.9, reportlab 3.6, ...); the ones for 3.12 (Ubuntu
# 24.04) have wheels for 3.11 too. So on 3.11 the markers are evaluated as if
# the Python were 3.12.
MARKER_PYTHON = {(3, 11): "3.12"}


# ---------------------------------------------------------------------------
# The source tree
# ---------------------------------------------------------------------------


def release_series(text):
    """The series ("18.0", "saas~17.4") of an odoo/release.py, without
    importing it; None when its ``version_info`` cannot be read."""
    match = re.search(r"^version_info\s*=\s*(\(.*?\))\s*$", text, re.MULTILINE)
    if not match:
        return None
    try:
        node = ast.parse(match.group(1), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Tuple) or len(node.elts) < 2:
        return None
    parts = [elt.value for elt in node.elts[:2] if isinstance(elt, ast.Constant)]
    return f"{parts[0]}.{parts[1]}" if len(parts) == 2 else None


def check_odoo_src(raw):
    """The resolved path of ODOO_SRC, or Fail naming ODOO_SRC and what is
    wrong with it."""
    hint = "point ODOO_SRC at an Odoo 18.0 source tree (a clone of the 18.0 branch or the unpacked source archive)"
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise Fail(f"ODOO_SRC={raw} is not a directory: {hint}")
    if not (path / "odoo-bin").is_file():
        raise Fail(f"ODOO_SRC={raw} is not an Odoo source tree (it has no odoo-bin): {hint}")
    release = path / "odoo" / "release.py"
    if not release.is_file():
        raise Fail(f"ODOO_SRC={raw} is not an Odoo source tree (it has no odoo/release.py): {hint}")
    series = release_series(release.read_text(errors="replace"))
    if series is None:
        raise Fail(f"ODOO_SRC={raw}: cannot read the version in odoo/release.py: {hint}")
    if series != "18.0":
        raise Fail(f"ODOO_SRC={raw} is Odoo {series}, these addons need Odoo 18.0: {hint}")
    if not (path / "requirements.txt").is_file():
        raise Fail(f"ODOO_SRC={raw} has no requirements.txt (Odoo's Python requirements): {hint}")
    return path.resolve()


# ---------------------------------------------------------------------------
# Odoo's requirements
# ---------------------------------------------------------------------------


def _packaging():
    """packaging's requirements module (pip's own copy in a bare Python),
    imported only when ODOO_SRC is used."""
    try:
        from packaging import markers, requirements
    except ImportError:
        from pip._vendor.packaging import markers, requirements
    return markers, requirements


def marker_environment(version_info=sys.version_info):
    """The values of the environment markers Odoo's requirements are read
    with: this machine's, with the Python version of MARKER_PYTHON."""
    env = _packaging()[0].default_environment()
    major_minor = tuple(version_info[:2])
    if major_minor in MARKER_PYTHON:
        env["python_version"] = MARKER_PYTHON[major_minor]
        env["python_full_version"] = MARKER_PYTHON[major_minor] + ".0"
    else:
        env["python_version"] = "{}.{}".format(*major_minor)
        env["python_full_version"] = "{}.{}.{}".format(*version_info[:3])
    return env


def odoo_requirements(text, env):
    """The requirement lines of a requirements.txt whose markers hold in
    ``env``, without their markers and comments, in file order."""
    requirements = _packaging()[1]
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        try:
            req = requirements.Requirement(line)
        except requirements.InvalidRequirement as exc:
            raise Fail(f"line {number} of Odoo's requirements.txt cannot be read ({raw.strip()!r}): {exc}") from exc
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        req.marker = None
        found.append(str(req))
    return found


# ---------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------


def installed_packages(names):
    """The names among ``names`` that dpkg says are installed."""
    res = subprocess.run(["dpkg", "-s", *names], capture_output=True, text=True, check=False)
    installed = set()
    for block in res.stdout.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line[0].isspace())
        if fields.get("Status", "").endswith(" installed") and fields.get("Package"):
            installed.add(fields["Package"].split(":")[0])
    return installed


def apt_plan(installed, need_venv_package=False):
    """The Debian packages to install, in APT_PACKAGES order; python3-venv
    too when this Python cannot make a virtualenv with pip (Debian's python3
    without python3-venv)."""
    wanted = [*APT_PACKAGES, *(["python3-venv"] if need_venv_package else [])]
    return [name for name in wanted if name not in installed]


def apt_commands(missing):
    return [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]]


def ensure_system_packages(run=subprocess.run, is_root=IS_ROOT, which=shutil.which):
    """Install the missing Debian packages when root; otherwise say which
    are missing. Returns the list of packages it installed."""
    if not (which("apt-get") and which("dpkg")):
        say(
            "no apt-get/dpkg here: not installing system packages; Odoo needs a C compiler and the "
            f"headers of libpq, libldap and libsasl, PostgreSQL and Chromium (Debian: {' '.join(APT_PACKAGES)})"
        )
        return []
    need_venv = importlib.util.find_spec("ensurepip") is None
    wanted = [*APT_PACKAGES, "python3-venv"]
    missing = apt_plan(installed_packages(wanted), need_venv)
    if not missing:
        return []
    if not is_root:
        say(
            f"not root: not installing the Debian packages Odoo needs that are missing: {' '.join(missing)} "
            f"(as root: apt-get install -y {' '.join(missing)})"
        )
        return []
    say(f"installing Debian packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in apt_commands(missing):
        res = run(cmd, capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL)
        if res.returncode:
            last = (res.stderr.strip().splitlines() or ["?"])[-1]
            # not fatal: what pip or Odoo then misses names the package
            say(f"WARNING: `{' '.join(cmd)}` failed ({last}); continuing without them")
            return []
    return missing


# ---------------------------------------------------------------------------
# The virtualenv
# ---------------------------------------------------------------------------


def venv_python(venv=VENV):
    return Path(venv) / "bin" / "python"


def in_venv(venv=VENV):
    """Whether this process runs on the virtualenv's Python."""
    return Path(sys.prefix).resolve() == Path(venv).resolve()


def stamp_of(odoo_reqs, project_reqs, python_version=sys.version):
    """What an installed virtualenv must match to be used as it is: the
    requirements and the Python, not the ODOO_SRC path (Odoo is not in the
    virtualenv: another tree with the same requirements uses it as it is)."""
    key = json.dumps(
        {"odoo_requirements": list(odoo_reqs), "project": project_reqs, "python": python_version},
        sort_keys=True,
    )
    return hashlib.sha256(key.encode()).hexdigest()


def stamp_matches(venv, stamp):
    path = Path(venv) / STAMP_NAME
    if not (venv_python(venv).exists() and path.exists()):
        return False
    try:
        return json.loads(path.read_text()).get("stamp") == stamp
    except ValueError:
        return False


def write_stamp(venv, stamp):
    data = {"stamp": stamp, "python": sys.version}
    (Path(venv) / STAMP_NAME).write_text(json.dumps(data, indent=1) + "\n")


def reexec_cmd(argv, venv=VENV):
    """The command line that runs this harness command again on the
    virtualenv's Python."""
    return [str(venv_python(venv)), str(REPO / "tools" / "sdctl"), *argv]


def pythonpath(environ, odoo_src):
    """ODOO_SRC first, then the PYTHONPATH already set (without a second
    copy of ODOO_SRC): ``import odoo`` finds ``$ODOO_SRC/odoo``."""
    rest = [entry for entry in environ.get("PYTHONPATH", "").split(os.pathsep) if entry and entry != str(odoo_src)]
    return os.pathsep.join([str(odoo_src), *rest])


def reexec_env(environ, odoo_src, venv=VENV):
    """The environment of the harness run again in the virtualenv; every
    process it starts inherits it, so they all import Odoo from ODOO_SRC."""
    env = {key: value for key, value in environ.items() if key != "PYTHONHOME"}
    # no $ODOO_SRC/**/__pycache__: nothing is written into the user's tree.
    # Not a PYTHONPYCACHEPREFIX: Python would then ignore the caches pip
    # compiled in site-packages and compile third-party code again, and
    # Odoo logs the SyntaxWarnings of that (vobject) as WARNING lines
    if not env.get("PYTHONPYCACHEPREFIX"):
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        {
            ACTIVE_ENV: str(venv),
            "ODOO_SRC": str(odoo_src),
            "PYTHONPATH": pythonpath(environ, odoo_src),
            "VIRTUAL_ENV": str(venv),
            "PATH": os.pathsep.join([str(Path(venv) / "bin"), environ.get("PATH", os.defpath)]),
        }
    )
    return env


def runs_in_place(environ, odoo_src):
    """Whether this process already has ODOO_SRC first on its PYTHONPATH."""
    return environ.get("PYTHONPATH", "").split(os.pathsep)[0] == str(odoo_src)


def _pip(venv, args, log):
    """``pip install`` into the virtualenv: only requirement files, read
    from PyPI (never a path, never ``-e``), without the PYTHONPATH of the
    caller (pip must see what the virtualenv has, not what it shadows)."""
    cmd = [str(venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check", *args]
    if IS_ROOT:
        cmd.insert(4, "--root-user-action=ignore")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONHOME", "PYTHONPATH")}
    with open(log, "a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        res = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)
    if res.returncode:
        tail = log.read_text(errors="replace").strip().splitlines()[-12:]
        for line in tail:
            print("   " + line)
        raise Fail(f"`pip install {' '.join(args)}` failed in {venv} (log: {log})")


def site_packages(venv=VENV):
    return sorted(Path(venv).glob("lib/python*/site-packages"))


def odoo_installed(venv=VENV):
    """What an earlier harness (``pip install -e $ODOO_SRC``) left in the
    virtualenv's site-packages about Odoo: its metadata, egg-link or a
    ``.pth`` naming an Odoo tree. The virtualenv is made again then."""
    found = []
    for site in site_packages(venv):
        for pattern in ("odoo-*.dist-info", "odoo.egg-info", "odoo.egg-link", "__editable__*odoo*", "odoo"):
            found += site.glob(pattern)
        for pth in site.glob("*.pth"):
            if pth not in found and "odoo" in pth.read_text(errors="replace").lower():
                found.append(pth)
    return found


def install_venv(venv, odoo_reqs):
    """Make (or refresh) the virtualenv and install into it Odoo's Python
    requirements and ours from PyPI; never Odoo itself."""
    log = logs_dir() / "venv-install.log"
    log.write_text("")
    python = venv_python(venv)
    fresh = not python.exists() or _venv_version(venv) != "{}.{}.{}".format(*sys.version_info[:3])
    if not fresh and odoo_installed(venv):
        say(f"the virtualenv {venv} has Odoo installed in it (an earlier setup): making it again without")
        fresh = True
    if fresh:
        say(f"creating the virtualenv {venv} (Python {sys.version.split()[0]})")
        res = subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True, check=False
        )
        if res.returncode:
            last = (res.stderr.strip().splitlines() or ["?"])[-1]
            raise Fail(f"`{sys.executable} -m venv {venv}` failed: {last} (Debian: apt-get install python3-venv)")
    reqs_file = Path(venv) / "odoo-requirements.txt"
    reqs_file.write_text("\n".join(odoo_reqs) + "\n")
    say(f"installing Odoo's {len(odoo_reqs)} Python requirements from PyPI into {venv} (log: {log})")
    _pip(venv, ["-r", str(reqs_file)], log)
    say("installing requirements.txt of the service desk")
    _pip(venv, ["-r", str(REPO / "requirements.txt")], log)


def _venv_version(venv):
    cfg = Path(venv) / "pyvenv.cfg"
    if not cfg.exists():
        return None
    for line in cfg.read_text().splitlines():
        key, _sep, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            return value.strip()
    return None


def prepare(raw_src, venv=VENV):
    """Check ODOO_SRC, install what is missing; return its resolved path."""
    odoo_src = check_odoo_src(raw_src)
    odoo_reqs = odoo_requirements((odoo_src / "requirements.txt").read_text(), marker_environment())
    stamp = stamp_of(odoo_reqs, (REPO / "requirements.txt").read_text())
    if stamp_matches(venv, stamp) and not odoo_installed(venv):
        return odoo_src
    ensure_system_packages()
    install_venv(venv, odoo_reqs)
    write_stamp(venv, stamp)
    return odoo_src


def odoo_origin(python=sys.executable):
    """((version from odoo.release, the tree ``odoo`` is imported from), None)
    for ``python`` in this environment, or (None, Python's last error line)
    when ``import odoo`` fails."""
    code = "import os, odoo, odoo.release as r;print(r.version); print(os.path.dirname(os.path.dirname(odoo.__file__)))"
    res = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False, timeout=120)
    lines = res.stdout.split("\n")
    if res.returncode or len(lines) < 2:
        return None, (res.stderr.strip().splitlines() or ["?"])[-1]
    return (lines[0].strip(), lines[1].strip()), None


def announce(odoo_src, venv=VENV):
    """Say which Odoo this run uses; Fail if it is not ODOO_SRC's."""
    origin, error = odoo_origin()
    if origin is None:
        raise Fail(
            f"Odoo from ODOO_SRC={odoo_src} does not import on {sys.executable} ({error}): "
            f"`rm -rf {venv}` and run again to install Odoo's requirements afresh"
        )
    version, path = origin
    if Path(path).resolve() != Path(odoo_src).resolve():
        shown = os.environ.get("PYTHONPATH", "")
        raise Fail(f"`import odoo` finds Odoo in {path}, not in ODOO_SRC={odoo_src} (PYTHONPATH={shown})")
    say(
        f"Odoo {version} run in place from {path} (ODOO_SRC), with the requirements in the virtualenv {venv} "
        f"on Python {sys.version.split()[0]}"
    )


def use_odoo_src(argv, environ=os.environ, venv=VENV):
    """With ODOO_SRC set: run in place (virtualenv's Python, ODOO_SRC first
    on PYTHONPATH) and say which Odoo runs; otherwise prepare the virtualenv
    and run the same command that way (never returns then)."""
    raw = environ.get("ODOO_SRC")
    if not raw:
        return
    if in_venv(venv):
        odoo_src = check_odoo_src(raw)
        if runs_in_place(environ, odoo_src):
            announce(odoo_src, venv)
            return
        if environ.get(ACTIVE_ENV):
            raise Fail(f"running again in {venv} did not put ODOO_SRC={odoo_src} first on PYTHONPATH")
        # started with .venv/bin/python by hand: the virtualenv is there,
        # only the environment is missing
    else:
        if environ.get(ACTIVE_ENV):
            raise Fail(f"running again in {venv} did not use its Python ({sys.executable}): remove {venv}")
        odoo_src = prepare(raw, venv)
    cmd = reexec_cmd(argv, venv)
    sys.stdout.flush()
    os.execve(cmd[0], cmd, reexec_env(environ, odoo_src, venv))
