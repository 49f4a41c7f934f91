# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``ODOO_SRC=/path/to/odoo make demo``: the virtualenv the harness makes
for an Odoo source tree that it runs in place (tools/sdctl/odoo_src.py): it
installs Odoo's Python requirements, never Odoo. Neither Odoo, PostgreSQL
nor the network is needed: pip, apt and exec are replaced by fakes."""

import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO, sdctl_module

odoo_src = sdctl_module("odoo_src")
util = sdctl_module("util")

# lines of Odoo 18.0's requirements.txt as they are written there (spacing,
# comments, markers on python_version ranges and sys_platform)
ODOO_LINES = """\
# The officially supported versions of the following packages are their
cryptography==3.4.8; python_version < '3.12'  # incompatibility between pyopenssl 19.0.0 and cryptography>=37.0.0
cryptography==42.0.8 ; python_version >= '3.12'  # (Noble) min 41.0.7, pinning 42.0.8 for security fixes
geoip2==2.9.0
gevent==21.8.0 ; sys_platform != 'win32' and python_version == '3.10'  # (Jammy)
gevent==22.10.2; sys_platform != 'win32' and python_version > '3.10' and python_version < '3.12'
gevent==24.2.1 ; sys_platform != 'win32' and python_version >= '3.12'  # (Noble)
lxml==4.8.0 ; python_version <= '3.10'
lxml==4.9.3 ; python_version > '3.10' and python_version < '3.12' # min 4.9.2, pinning 4.9.3
lxml==5.2.1; python_version >= '3.12' # (Noble - removed html clean)
lxml-html-clean; python_version >= '3.12' # (Noble - removed from lxml, unpinned for futur security patches)
num2words==0.5.13 ; python_version >= '3.12' \n\
psycopg2==2.9.2 ; python_version == '3.10' # (Jammy)
psycopg2==2.9.5 ; python_version == '3.11'
psycopg2==2.9.9 ; python_version >= '3.12' # (Noble) Mostly to have a wheel package
pypiwin32 ; sys_platform == 'win32'
pytz  # no version pinning to avoid OS perturbations
rl-renderPM==4.0.3 ; sys_platform == 'win32' and python_version >= '3.12'  # Needed by reportlab 4.1.0
Werkzeug==2.0.2 ; python_version <= '3.10' \n\
Werkzeug==2.2.2 ; python_version > '3.10' and python_version < '3.12'
Werkzeug==3.0.1 ; python_version >= '3.12'  # (Noble) Avoid deprecation warnings
"""
PINS_312 = [
    "cryptography==42.0.8",
    "geoip2==2.9.0",
    "gevent==24.2.1",
    "lxml==5.2.1",
    "lxml-html-clean",
    "num2words==0.5.13",
    "psycopg2==2.9.9",
    "pytz",
    "Werkzeug==3.0.1",
]
LINUX = {"sys_platform": "linux"}


def reqs(version_info, text=ODOO_LINES):
    return odoo_src.odoo_requirements(text, {**odoo_src.marker_environment(version_info), **LINUX})


# ---------------------------------------------------------------------------
# Markers
# ---------------------------------------------------------------------------


def test_python_311_reads_odoo_markers_as_312():
    """On 3.11 the pins of 3.12 (those that still build): gevent 24,
    psycopg2 2.9.9, lxml 5 with lxml-html-clean, Werkzeug 3; nothing for
    Windows; comments and markers are gone."""
    assert odoo_src.marker_environment((3, 11, 7))["python_version"] == "3.12"
    assert reqs((3, 11, 7)) == PINS_312


def test_other_pythons_read_their_own_markers():
    assert reqs((3, 12, 3)) == PINS_312
    assert reqs((3, 13, 1)) == PINS_312
    env_310 = odoo_src.marker_environment((3, 10, 12))
    assert env_310["python_version"] == "3.10" and env_310["python_full_version"] == "3.10.12"
    assert reqs((3, 10, 12)) == [
        "cryptography==3.4.8",
        "geoip2==2.9.0",
        "gevent==21.8.0",
        "lxml==4.8.0",
        "psycopg2==2.9.2",
        "pytz",
        "Werkzeug==2.0.2",
    ]


def test_windows_only_lines_follow_the_platform():
    windows = {**odoo_src.marker_environment((3, 11, 7)), "sys_platform": "win32"}
    found = odoo_src.odoo_requirements(ODOO_LINES, windows)
    assert "pypiwin32" in found and "rl-renderPM==4.0.3" in found
    assert not any(r.startswith("gevent") for r in found)


@pytest.mark.skipif(not Path("/opt/odoo18/requirements.txt").exists(), reason="no Odoo 18.0 tree at /opt/odoo18")
def test_real_odoo_requirements_give_one_pin_per_package():
    text = Path("/opt/odoo18/requirements.txt").read_text()
    for version in ((3, 10, 12), (3, 11, 7), (3, 12, 3)):
        found = reqs(version, text)
        names = [r.split("==")[0].lower() for r in found]
        assert len(names) == len(set(names)), f"a package pinned twice on {version}"
        assert "psycopg2" in names and "werkzeug" in names
    assert reqs((3, 11, 7), text) == reqs((3, 12, 3), text)
    assert "gevent==24.2.1" in reqs((3, 11, 7), text)


def test_markers_without_the_packaging_distribution():
    """A bare Python (Debian's python3 with python3-pip only): pip's own copy
    of packaging reads the markers, and the harness still starts."""
    code = (
        "import sys; sys.modules['packaging'] = None; "
        f"sys.path.insert(0, {str(REPO / 'tools')!r}); from sdctl import __main__, odoo_src; "
        "print(odoo_src.odoo_requirements(\"lxml==5.2.1 ; python_version >= '3.12'\", "
        "odoo_src.marker_environment((3, 11, 7))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "['lxml==5.2.1']", out.stderr


def test_unreadable_requirement_line_is_named():
    with pytest.raises(util.Fail, match=r"line 2 of Odoo's requirements.txt"):
        odoo_src.odoo_requirements("pytz\nthis is ; not a requirement\n", odoo_src.marker_environment())


# ---------------------------------------------------------------------------
# The source tree
# ---------------------------------------------------------------------------


def odoo_tree(root, version_info="(18, 0, 0, FINAL, 0, '')", requirements="pytz\n"):
    (root / "odoo").mkdir(parents=True)
    (root / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (root / "odoo" / "release.py").write_text(
        f"RELEASE_LEVELS = [ALPHA, BETA, RELEASE_CANDIDATE, FINAL] = ['alpha', 'beta', 'candidate', 'final']\n"
        f"version_info = {version_info}\n"
    )
    (root / "requirements.txt").write_text(requirements)
    return root


def test_release_series_without_importing():
    assert odoo_src.release_series("version_info = (18, 0, 0, FINAL, 0, '')\n") == "18.0"
    assert odoo_src.release_series("version_info = ('saas~17', 4, 0, FINAL, 0, '')\n") == "saas~17.4"
    assert odoo_src.release_series("version = '18.0'\n") is None


@pytest.mark.skipif(not Path("/opt/odoo18/odoo/release.py").exists(), reason="no Odoo 18.0 tree at /opt/odoo18")
def test_real_release_file_is_18():
    assert odoo_src.release_series(Path("/opt/odoo18/odoo/release.py").read_text()) == "18.0"


def test_good_tree_is_accepted(tmp_path):
    tree = odoo_tree(tmp_path / "odoo")
    assert odoo_src.check_odoo_src(str(tree)) == tree.resolve()


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("missing", "is not a directory"),
        ("no odoo-bin", "it has no odoo-bin"),
        ("no release", "it has no odoo/release.py"),
        ("17.0", "is Odoo 17.0, these addons need Odoo 18.0"),
        ("no requirements", "has no requirements.txt"),
    ],
)
def test_bad_odoo_src_is_one_clear_line(tmp_path, breakage, message):
    tree = tmp_path / "odoo"
    if breakage != "missing":
        odoo_tree(tree, version_info="(17, 0, 0, FINAL, 0, '')" if breakage == "17.0" else "(18, 0, 0, FINAL, 0, '')")
    if breakage == "no odoo-bin":
        (tree / "odoo-bin").unlink()
    elif breakage == "no release":
        (tree / "odoo" / "release.py").unlink()
    elif breakage == "no requirements":
        (tree / "requirements.txt").unlink()
    with pytest.raises(util.Fail) as info:
        odoo_src.check_odoo_src(str(tree))
    text = str(info.value)
    assert text.startswith(f"ODOO_SRC={tree}") and message in text
    assert "point ODOO_SRC at an Odoo 18.0 source tree" in text


def test_bad_odoo_src_stops_the_command_before_installing(tmp_path):
    """From the command line: exit 1 and the message, nothing installed."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ODOO_SRC": str(tmp_path / "nowhere")}
    res = subprocess.run(
        [sys.executable, str(REPO / "tools" / "sdctl"), "test"], capture_output=True, text=True, env=env, check=False
    )
    assert res.returncode == 1
    assert f"[sd] ERROR: ODOO_SRC={tmp_path / 'nowhere'} is not a directory" in res.stdout
    assert "installing" not in res.stdout


# ---------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------

DPKG_OUT = """\
Package: libpq-dev
Status: install ok installed
Version: 15.14-0+deb12u1

Package: chromium
Status: deinstall ok config-files
Version: 141.0

Package: build-essential
Status: install ok installed
Description: Informational list of build-essential packages
 If you do not plan to build Debian packages, you don't need this
 Status: not a field
"""


def test_dpkg_status_is_read(monkeypatch):
    calls = []

    def fake_run(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, DPKG_OUT, "dpkg-query: package 'libsasl2-dev' is not installed")

    monkeypatch.setattr(odoo_src.subprocess, "run", fake_run)
    assert odoo_src.installed_packages(["libpq-dev", "chromium", "build-essential", "libsasl2-dev"]) == {
        "libpq-dev",
        "build-essential",
    }
    assert calls == [["dpkg", "-s", "libpq-dev", "chromium", "build-essential", "libsasl2-dev"]]


def test_apt_plan():
    everything = set(odoo_src.APT_PACKAGES) | {"python3-venv"}
    assert odoo_src.apt_plan(set()) == list(odoo_src.APT_PACKAGES)
    assert odoo_src.apt_plan(everything) == []
    assert odoo_src.apt_plan(everything - {"chromium", "libpq-dev"}) == ["libpq-dev", "chromium"]
    assert odoo_src.apt_plan(set(odoo_src.APT_PACKAGES), need_venv_package=True) == ["python3-venv"]
    for name in ("libpq-dev", "libldap2-dev", "libsasl2-dev", "python3-dev", "build-essential", "postgresql"):
        assert name in odoo_src.APT_PACKAGES


def _apt(monkeypatch, installed, is_root, fail=False, apt=True):
    ran = []

    def run(cmd, **kwargs):
        ran.append(cmd)
        return subprocess.CompletedProcess(cmd, 100 if fail else 0, "", "E: Unable to locate package chromium")

    monkeypatch.setattr(odoo_src, "installed_packages", lambda names: set(installed))
    which = (lambda name: f"/usr/bin/{name}") if apt else (lambda name: None)
    done = odoo_src.ensure_system_packages(run=run, is_root=is_root, which=which)
    return done, ran


def test_apt_does_nothing_when_all_present(monkeypatch, capsys):
    done, ran = _apt(monkeypatch, [*odoo_src.APT_PACKAGES, "python3-venv"], is_root=True)
    assert done == [] and ran == []
    assert capsys.readouterr().out == ""


def test_apt_installs_only_what_is_missing_as_root(monkeypatch, capsys):
    present = [p for p in odoo_src.APT_PACKAGES if p not in ("libldap2-dev", "chromium")]
    done, ran = _apt(monkeypatch, present, is_root=True)
    assert done == ["libldap2-dev", "chromium"]
    assert ran == [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "libldap2-dev", "chromium"]]
    assert "installing Debian packages: libldap2-dev chromium" in capsys.readouterr().out


def test_apt_failure_is_a_warning(monkeypatch, capsys):
    done, ran = _apt(monkeypatch, [], is_root=True, fail=True)
    assert done == [] and ran == [["apt-get", "update", "-qq"]]
    assert "WARNING: `apt-get update -qq` failed (E: Unable to locate package chromium)" in capsys.readouterr().out


def test_apt_is_skipped_with_a_message_when_not_root_or_no_apt(monkeypatch, capsys):
    done, ran = _apt(monkeypatch, ["libpq-dev"], is_root=False)
    assert done == [] and ran == []
    out = capsys.readouterr().out
    assert "not root: not installing" in out and "chromium" in out and "libpq-dev " not in out
    done, ran = _apt(monkeypatch, [], is_root=True, apt=False)
    assert done == [] and ran == []
    assert "no apt-get/dpkg here" in capsys.readouterr().out


# ---------------------------------------------------------------------------
# Stamp, installation, re-execution
# ---------------------------------------------------------------------------


def test_stamp_changes_with_each_input():
    """The requirements and the Python; not the path of ODOO_SRC: Odoo is
    not in the virtualenv, so another tree with the same requirements uses
    it as it is."""
    base = (["pytz", "lxml==5.2.1"], "polib>=1.1\n", "3.11.7 (main)")
    stamp = odoo_src.stamp_of(*base)
    assert stamp == odoo_src.stamp_of(*base)
    assert stamp != odoo_src.stamp_of(["pytz", "lxml==5.2.2"], *base[1:])
    assert stamp != odoo_src.stamp_of(base[0], "polib>=1.2\n", base[2])
    assert stamp != odoo_src.stamp_of(*base[:2], "3.12.3 (main)")


def test_stamp_matches_only_a_finished_venv(tmp_path):
    venv = tmp_path / ".venv"
    assert not odoo_src.stamp_matches(venv, "abc")
    (venv / "bin").mkdir(parents=True)
    odoo_src.write_stamp(venv, "abc")
    assert not odoo_src.stamp_matches(venv, "abc"), "no python: the venv is not usable"
    (venv / "bin" / "python").write_text("")
    assert odoo_src.stamp_matches(venv, "abc")
    assert not odoo_src.stamp_matches(venv, "abd")
    (venv / odoo_src.STAMP_NAME).write_text("{broken")
    assert not odoo_src.stamp_matches(venv, "abc")


def site_packages(venv):
    site = venv / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    return site


def test_prepare_installs_once_then_skips(monkeypatch, tmp_path):
    tree = odoo_tree(tmp_path / "odoo", requirements="pytz\nlxml==5.2.1 ; python_version >= '3.12'\n")
    venv = tmp_path / ".venv"
    installs, apt = [], []

    def fake_install(venv_dir, odoo_reqs):
        installs.append(odoo_reqs)
        (venv_dir / "bin").mkdir(parents=True, exist_ok=True)
        (venv_dir / "bin" / "python").write_text("")

    monkeypatch.setattr(odoo_src, "install_venv", fake_install)
    monkeypatch.setattr(odoo_src, "ensure_system_packages", lambda: apt.append(1))
    assert odoo_src.prepare(str(tree), venv) == tree.resolve()
    assert len(installs) == 1 and "pytz" in installs[0]
    assert str(tree) not in (venv / odoo_src.STAMP_NAME).read_text(), "nothing about the Odoo tree in .venv/"
    odoo_src.prepare(str(tree), venv)
    assert len(installs) == 1 and len(apt) == 1, "an unchanged setup must not reinstall"
    (tree / "requirements.txt").write_text("pytz\nlxml==5.3.0\n")
    odoo_src.prepare(str(tree), venv)
    assert len(installs) == 2 and installs[1] == ["pytz", "lxml==5.3.0"]
    # a virtualenv into which an earlier harness installed Odoo is redone
    (site_packages(venv) / "__editable__.odoo-18.0.pth").write_text(f"{tree}\n")
    odoo_src.prepare(str(tree), venv)
    assert len(installs) == 3


def _record_setup(monkeypatch, tmp_path, tree, venv):
    """Every command the setup runs, with pip, venv and exec faked."""
    ran, execs = [], []

    def fake_run(cmd, **kwargs):
        ran.append((list(map(str, cmd)), kwargs.get("env")))
        if cmd[1:3] == ["-m", "venv"]:
            (venv / "bin").mkdir(parents=True, exist_ok=True)
            (venv / "bin" / "python").write_text("")
            site_packages(venv)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(odoo_src.subprocess, "run", fake_run)
    monkeypatch.setattr(odoo_src, "logs_dir", lambda: tmp_path)
    monkeypatch.setattr(odoo_src, "ensure_system_packages", list)
    monkeypatch.setattr(odoo_src.os, "execve", lambda path, cmd, env: execs.append((path, cmd, env)))
    return ran, execs


def _tree_state(tree):
    return sorted((str(path), path.stat().st_mtime_ns) for path in tree.rglob("*"))


def test_setup_never_installs_odoo(monkeypatch, tmp_path):
    """The whole ODOO_SRC setup, from the command line's call to the exec:
    pip installs only requirement files, never ODOO_SRC, never ``-e``;
    nothing is written into ODOO_SRC; the re-run imports Odoo from it by
    PYTHONPATH."""
    tree, venv = odoo_tree(tmp_path / "odoo", requirements="pytz\nlxml==5.2.1\n"), tmp_path / ".venv"
    before = _tree_state(tree)
    ran, execs = _record_setup(monkeypatch, tmp_path, tree, venv)
    odoo_src.use_odoo_src(["test"], {"PATH": "/usr/bin", "ODOO_SRC": str(tree)}, venv)
    assert ran[0][0] == [sys.executable, "-m", "venv", "--clear", str(venv)]
    pips = [cmd for cmd, _env in ran if "pip" in cmd]
    assert [cmd[cmd.index("install") + 1 :][-2:] for cmd in pips] == [
        ["-r", str(venv / "odoo-requirements.txt")],
        ["-r", str(REPO / "requirements.txt")],
    ]
    for cmd in pips:
        assert not any(str(tree) in arg for arg in cmd), f"pip given ODOO_SRC: {cmd}"
        assert not {"-e", "--editable"} & set(cmd) and not any(arg.startswith("--editable") for arg in cmd), cmd
    for cmd, env in ran:
        assert "DIST_EXTRA_CONFIG" not in (env or {}), "no egg-info trick: Odoo is not built"
        assert not any(str(tree) in arg for arg in cmd), f"a command given ODOO_SRC during the setup: {cmd}"
    assert (venv / "odoo-requirements.txt").read_text() == "pytz\nlxml==5.2.1\n"
    assert _tree_state(tree) == before, "the setup wrote into ODOO_SRC"
    assert odoo_src.odoo_installed(venv) == []
    [(_path, _cmd, env)] = execs
    assert env["PYTHONPATH"] == str(tree.resolve())


def test_pip_runs_without_the_callers_pythonpath(monkeypatch, tmp_path):
    """pip must see what the virtualenv has, not an Odoo or packages that a
    PYTHONPATH of the caller would show it."""
    ran, _execs = _record_setup(monkeypatch, tmp_path, None, tmp_path / ".venv")
    monkeypatch.setenv("PYTHONPATH", "/opt/odoo18")
    odoo_src._pip(tmp_path / ".venv", ["-r", "x.txt"], tmp_path / "log")
    [(cmd, env)] = ran
    assert cmd[1:4] == ["-m", "pip", "install"] and "PYTHONPATH" not in env


def test_odoo_left_in_the_venv_is_found(monkeypatch, tmp_path):
    """What ``pip install -e $ODOO_SRC`` of the earlier harness left: the
    virtualenv is made again (``--clear``) instead of keeping it."""
    venv = tmp_path / ".venv"
    site = site_packages(venv)
    (site / "distutils-precedence.pth").write_text("import os; var = 'SETUPTOOLS_USE_DISTUTILS'\n")
    (site / "pytest_odoo.py").write_text("")
    assert odoo_src.odoo_installed(venv) == []
    for name in ("__editable__.odoo-18.0.pth", "odoo-18.0.dist-info", "odoo.egg-link"):
        path = site / name
        path.write_text("/src/odoo\n") if name.endswith((".pth", ".egg-link")) else path.mkdir()
        assert odoo_src.odoo_installed(venv) == [path], name
        path.unlink() if path.is_file() else path.rmdir()
    (site / "easy-install.pth").write_text("/src/Odoo18\n")
    assert odoo_src.odoo_installed(venv) == [site / "easy-install.pth"]
    (venv / "bin").mkdir()
    (venv / "bin" / "python").write_text("")
    (venv / "pyvenv.cfg").write_text("version = {}.{}.{}\n".format(*sys.version_info[:3]))
    ran, _execs = _record_setup(monkeypatch, tmp_path, None, venv)
    odoo_src.install_venv(venv, ["pytz"])
    assert ran[0][0] == [sys.executable, "-m", "venv", "--clear", str(venv)]
    (site / "easy-install.pth").unlink()
    ran.clear()
    odoo_src.install_venv(venv, ["pytz"])
    assert "venv" not in ran[0][0], "a clean virtualenv of the same Python is kept"


def test_reexec_command_and_environment(tmp_path):
    venv = tmp_path / ".venv"
    assert odoo_src.reexec_cmd(["demo", "--no-serve"], venv) == [
        str(venv / "bin" / "python"),
        str(REPO / "tools" / "sdctl"),
        "demo",
        "--no-serve",
    ]
    base = {"PATH": "/usr/bin", "PYTHONHOME": "/usr", "HOME": "/root"}
    env = odoo_src.reexec_env({**base, "PYTHONPATH": "/opt/odoo17:/src/odoo:/lib"}, "/src/odoo", venv)
    assert env[odoo_src.ACTIVE_ENV] == str(venv) and env["VIRTUAL_ENV"] == str(venv)
    assert env["PATH"] == f"{venv / 'bin'}:/usr/bin" and env["ODOO_SRC"] == "/src/odoo"
    assert env["PYTHONPATH"] == "/src/odoo:/opt/odoo17:/lib", "ODOO_SRC first, the rest kept, no second copy"
    assert "PYTHONHOME" not in env and env["HOME"] == "/root"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1", "no __pycache__ written into ODOO_SRC"
    # a cache prefix would make Python compile site-packages again, and Odoo
    # log vobject's SyntaxWarnings as WARNING lines (the template check fails)
    assert "PYTHONPYCACHEPREFIX" not in env
    own_prefix = odoo_src.reexec_env({**base, "PYTHONPYCACHEPREFIX": "/c"}, "/s", venv)
    assert own_prefix["PYTHONPYCACHEPREFIX"] == "/c" and "PYTHONDONTWRITEBYTECODE" not in own_prefix
    assert odoo_src.reexec_env(base, "/src/odoo", venv)["PYTHONPATH"] == "/src/odoo"
    assert odoo_src.runs_in_place(env, "/src/odoo") and not odoo_src.runs_in_place(base, "/src/odoo")


def test_reexec_environment_imports_odoo_from_odoo_src(tmp_path):
    """For real: with that environment a Python, and a Python it starts,
    import ``odoo`` from ODOO_SRC, even with another Odoo on the PYTHONPATH
    already set and one installed in the system; with byte-code writing on,
    nothing is written into ODOO_SRC."""
    ours, other = tmp_path / "src", tmp_path / "other"
    for root in (ours, other):
        (root / "odoo").mkdir(parents=True)
        (root / "odoo" / "__init__.py").write_text("")
        (root / "odoo" / "release.py").write_text("version = '18.0'\n")
    before = _tree_state(ours)
    environ = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(other)}
    env = odoo_src.reexec_env(environ, str(ours), tmp_path / ".venv")
    child = "import odoo, odoo.release, subprocess, sys; print(odoo.__file__); sys.stdout.flush(); "
    child += "subprocess.run([sys.executable, '-c', 'import odoo, odoo.release; print(odoo.__file__)'])"
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env, check=False)
    assert out.stdout.split() == [str(ours / "odoo" / "__init__.py")] * 2, out.stderr
    assert _tree_state(ours) == before, "a __pycache__ written into ODOO_SRC"


def test_use_odoo_src_execs_the_venv_python(monkeypatch, tmp_path):
    venv = tmp_path / ".venv"
    monkeypatch.setattr(odoo_src.os, "execve", lambda *a: pytest.fail("no exec without ODOO_SRC"))
    assert odoo_src.use_odoo_src(["test"], {"PATH": "/usr/bin"}, venv) is None
    execs = []
    monkeypatch.setattr(odoo_src.os, "execve", lambda path, cmd, env: execs.append((path, cmd, env)))
    monkeypatch.setattr(odoo_src, "prepare", lambda raw, venv_dir: Path("/src/odoo"))
    odoo_src.use_odoo_src(["bench"], {"PATH": "/usr/bin", "ODOO_SRC": "/src/./odoo", "PYTHONPATH": "/x"}, venv)
    [(path, cmd, env)] = execs
    assert path == str(venv / "bin" / "python") and cmd[1:] == [str(REPO / "tools" / "sdctl"), "bench"]
    assert env["ODOO_SRC"] == "/src/odoo" and env["PYTHONPATH"] == "/src/odoo:/x"
    with pytest.raises(util.Fail, match="did not use its Python"):
        odoo_src.use_odoo_src(["bench"], {"ODOO_SRC": "/src/odoo", odoo_src.ACTIVE_ENV: str(venv)}, venv)


def test_venv_python_by_hand_gets_the_environment(monkeypatch, tmp_path):
    """``.venv/bin/python tools/sdctl test`` with ODOO_SRC but no PYTHONPATH:
    run again with it, without installing anything; once run again without
    it, a clear error instead of a loop."""
    tree, venv = odoo_tree(tmp_path / "odoo"), tmp_path / ".venv"
    execs = []
    monkeypatch.setattr(odoo_src, "in_venv", lambda venv_dir: True)
    monkeypatch.setattr(odoo_src, "prepare", lambda *a: pytest.fail("nothing to install from inside the venv"))
    monkeypatch.setattr(odoo_src.os, "execve", lambda path, cmd, env: execs.append(env))
    odoo_src.use_odoo_src(["test"], {"PATH": "/usr/bin", "ODOO_SRC": str(tree)}, venv)
    assert execs[0]["PYTHONPATH"] == str(tree.resolve())
    with pytest.raises(util.Fail, match="did not put ODOO_SRC=.* first on PYTHONPATH"):
        odoo_src.use_odoo_src(["test"], {"ODOO_SRC": str(tree), odoo_src.ACTIVE_ENV: str(venv)}, venv)


def test_inside_the_venv_it_says_which_odoo_runs(monkeypatch, tmp_path, capsys):
    tree = odoo_tree(tmp_path / "odoo")
    environ = {"ODOO_SRC": str(tree), "PYTHONPATH": str(tree.resolve())}
    monkeypatch.setattr(odoo_src, "in_venv", lambda venv: True)
    monkeypatch.setattr(odoo_src, "odoo_origin", lambda: (("18.0", str(tree)), None))
    odoo_src.use_odoo_src(["demo"], environ, tmp_path / ".venv")
    out = capsys.readouterr().out
    assert f"[sd] Odoo 18.0 run in place from {tree} (ODOO_SRC), with the requirements in the virtualenv" in out
    monkeypatch.setattr(odoo_src, "odoo_origin", lambda: (("18.0", "/usr/lib/python3/dist-packages"), None))
    with pytest.raises(util.Fail, match="not in ODOO_SRC"):
        odoo_src.use_odoo_src(["demo"], environ, tmp_path / ".venv")
    monkeypatch.setattr(odoo_src, "odoo_origin", lambda: (None, "ModuleNotFoundError: No module named 'lxml'"))
    with pytest.raises(util.Fail, match=r"does not import .*No module named 'lxml'.*rm -rf"):
        odoo_src.use_odoo_src(["demo"], environ, tmp_path / ".venv")


def test_odoo_origin_reads_the_imported_tree(tmp_path):
    tree = tmp_path / "src"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "__init__.py").write_text("")
    (tree / "odoo" / "release.py").write_text("version = '18.0'\n")
    script = tmp_path / "python"
    # -S: without site-packages, where an Odoo installed in this Python
    # (an editable finder) would answer for odoo.release
    script.write_text(f'#!/bin/sh\nPYTHONPATH={tree} exec {sys.executable} -S "$@"\n')
    script.chmod(0o755)
    assert odoo_src.odoo_origin(script) == (("18.0", str(tree)), None)
    (tree / "odoo" / "release.py").unlink()
    origin, error = odoo_src.odoo_origin(script)
    assert origin is None and "release" in error


def test_venv_is_git_ignored_and_documented():
    assert odoo_src.VENV == REPO / ".venv"
    assert ".venv/" in (REPO / ".gitignore").read_text().splitlines()
    readme = (REPO / "README.md").read_text()
    assert "ODOO_SRC=/path/to/odoo make demo" in readme and ".venv/" in readme
    assert "ODOO_SRC" in (REPO / "Makefile").read_text()


def test_no_file_of_the_project_installs_odoo():
    """The docs and the Makefile say Odoo runs in place and give no step
    that installs it; the harness builds no pip command from ODOO_SRC."""
    readme = " ".join((REPO / "README.md").read_text().split())
    assert "the harness runs Odoo from `ODOO_SRC` in place; it never downloads or installs Odoo" in readme
    makefile = (REPO / "Makefile").read_text()
    assert "runs Odoo from ODOO_SRC in place" in makefile
    for name, text in (("README.md", readme), ("Makefile", makefile)):
        for step in ("pip install -e", "pip install --editable", "setup.py install", "setup.py develop"):
            assert step not in text, f"{name} has `{step}`"
    for path in (REPO / "tools" / "sdctl").glob("*.py"):
        code = path.read_text()
        assert "DIST_EXTRA_CONFIG" not in code and "egg_base" not in code, path.name
        assert '"--editable"' not in code and '"-e"' not in code, f"{path.name} builds an editable install"


def test_env_exports_run_odoo_in_place_by_hand(monkeypatch, capsys, tmp_path):
    """``sdctl env`` in the re-run: the exports give a shell the same Odoo
    (PYTHONPATH=$ODOO_SRC), the virtualenv first and no byte-code caches."""
    odoo_cli = sdctl_module("odoo_cli")
    monkeypatch.setattr(odoo_cli, "require_odoo", lambda: ("18.0", ["/src/odoo/odoo/addons"]))
    monkeypatch.setattr(odoo_cli, "ensure_pg", lambda: {"port": 5433})
    monkeypatch.setattr(odoo_cli, "write_config", lambda params, paths: (tmp_path / "odoo.conf", tmp_path))
    env = odoo_src.reexec_env({"PATH": "/usr/bin", "PYTHONPATH": "/my lib"}, "/src/odoo", tmp_path / ".venv")
    for key in (odoo_src.ACTIVE_ENV, "PYTHONPATH", "PYTHONDONTWRITEBYTECODE"):
        monkeypatch.setenv(key, env[key])
    assert odoo_cli.cmd_env(None) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"export PATH={tmp_path / '.venv'}/bin:$PATH" in out
    assert "export PYTHONPATH='/src/odoo:/my lib'" in out
    assert "export PYTHONDONTWRITEBYTECODE=1" in out and "export PGPORT=5433" in out
