"""Build Régul's bundle with PyInstaller, check it, and on Windows make its installer.

    python installer/build.py [--verify] [--skip-setup] [--dist DIR] [--keep] [--report F.json]

Steps, each timed: the third-party licence file; PyInstaller on installer/regul.spec (a clean
build under build/pyinstaller, the bundle in DIR/Regul); a check that the bundle holds every
data file the code looks for; with --verify, ``regul-gui`` started without a display (it
must go for the console) and the bundled ``regul`` run three times in a
throw-away user profile (``--version``, a small ``demo --headless`` that imports and plans a
day, ``gui --screenshot`` off screen), the picture kept as build/verify-screenshot.png; then,
on Windows and unless --skip-setup, Inno Setup's compiler on installer/regul.iss, giving
DIR/Regul-<version>-setup.exe. Any failure stops the build with the step's name and exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

INSTALLER = Path(__file__).resolve().parent
ROOT = INSTALLER.parent
sys.path.insert(0, str(INSTALLER))
import licences  # noqa: E402

SPEC = INSTALLER / "regul.spec"
ISS = INSTALLER / "regul.iss"
BUNDLE_NAME = "Regul"
CLI_NAME = "regul"
GUI_NAME = "regul-gui"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
BUILD = ROOT / "build"
SCREENSHOT_COPY = BUILD / "verify-screenshot.png"
# Small enough to run in a minute or two on two cores, large enough to exercise the planner.
DEMO_REQUESTS = 40
DEMO_TIME_LIMIT_S = 5
MIN_SCREENSHOT_COLOURS = 64  # a blank or half-drawn window has a handful
# console/app.py takes the picture anyway after 60 s when the map never says it is ready.
MAP_READY_WITHIN_S = 55
ISCC_DEFINES = ("AppVersion", "BundleDir", "OutputDir")


class StepFailed(Exception):
    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


class Timer:
    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        print(f"==> {name}", flush=True)
        started = time.perf_counter()
        try:
            yield
        except StepFailed:
            raise
        except Exception as error:  # anything else a step raises is that step's failure
            raise StepFailed(name, f"{type(error).__name__}: {error}") from error
        finally:
            seconds = time.perf_counter() - started
            self.steps.append((name, seconds))
            print(f"    {name}: {seconds:.1f} s", flush=True)

    def summary(self) -> str:
        width = max(len(name) for name, _ in self.steps)
        lines = [f"  {name:<{width}}  {seconds:7.1f} s" for name, seconds in self.steps]
        return "\n".join(lines)


# --- version ----------------------------------------------------------------------------------


def project_version() -> str:
    """The installed regul's version, which must be pyproject.toml's (a stale editable install
    would otherwise stamp the installer with an old number)."""
    installed = licences.product_version()
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    if declared.get("version") != installed:
        raise StepFailed(
            "version",
            f"installed regul is {installed}, pyproject.toml says {declared.get('version')}: "
            "pip install -e '.[installer]' again",
        )
    return installed


# --- PyInstaller ------------------------------------------------------------------------------


def run_pyinstaller(dist: Path, licence_file: Path) -> Path:
    work = BUILD / "pyinstaller"
    shutil.rmtree(work, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    env = dict(os.environ, REGUL_THIRD_PARTY_FILE=str(licence_file))
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise StepFailed("pyinstaller", f"PyInstaller exited with {result.returncode}")
    bundle = dist / BUNDLE_NAME
    for name in (CLI_NAME, GUI_NAME):
        if not (bundle / f"{name}{EXE_SUFFIX}").is_file():
            raise StepFailed("pyinstaller", f"{name}{EXE_SUFFIX} missing from {bundle}")
    return bundle


def expected_files(bundle: Path) -> list[str]:
    """What the bundle must hold, as glob patterns relative to it; each must match a file."""
    internal = "_internal"
    patterns = [
        f"{CLI_NAME}{EXE_SUFFIX}",
        f"{GUI_NAME}{EXE_SUFFIX}",
        licences.FILE_NAME,
        f"{internal}/regul[-.]*info/*",  # regul --version reads it
        f"{internal}/regul.ico",  # the window's icon and the installer's (installer/icon.py)
        f"{internal}/psycopg/__init__.py",  # LGPL: replaceable source, not in the archive
        # Leaflet for the offline map, folium's and branca's templates
        f"{internal}/xstatic/pkg/leaflet/data/leaflet.js",
        f"{internal}/xstatic/pkg/leaflet/data/leaflet.css",
        f"{internal}/folium/templates/*",
        f"{internal}/branca/templates/*",
        # Numba finds its cache from the source of the compiled functions
        f"{internal}/planning/lns/kernels.py",
        # Qt WebEngine: its process, resources, Chromium's French strings; Qt's French words
        f"{internal}/PySide6/**/QtWebEngineProcess{EXE_SUFFIX}",
        f"{internal}/PySide6/**/qtwebengine_resources.pak",
        f"{internal}/PySide6/**/qtwebengine_locales/fr.pak",
        f"{internal}/PySide6/**/qtbase_fr.qm",
    ]
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package, globs in sorted(config["tool"]["setuptools"]["package-data"].items()):
        patterns += [f"{internal}/{package}/{pattern}" for pattern in globs]
    return patterns


def check_contents(bundle: Path) -> None:
    missing = [
        pattern
        for pattern in expected_files(bundle)
        if not any(Path(p).is_file() for p in glob.glob(str(bundle / pattern), recursive=True))
    ]
    if missing:
        raise StepFailed("contents", "missing from the bundle: " + ", ".join(missing))


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def files_in(folder: Path) -> set[str]:
    """The files under ``folder``; folders aside: Qt WebEngine makes an empty
    ``resources/locales`` beside its resources on every start (the uninstaller removes it)."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir()}


# --- verification -----------------------------------------------------------------------------


def verification_env(home: Path) -> dict[str, str]:
    """The user's environment with every per-user folder moved into ``home``: the checks must
    not read or write the real database, settings, logs or caches."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REGUL_DB", "NUMBA_CACHE_DIR", "PYTHONPATH", "PYTHONHOME", "REGUL_LANG"}
    }
    folders = {
        "HOME": "home",
        "XDG_DATA_HOME": "data",
        "XDG_CONFIG_HOME": "config",
        "XDG_CACHE_HOME": "cache",
        "XDG_STATE_HOME": "state",
        "XDG_RUNTIME_DIR": "runtime",
        "LOCALAPPDATA": "localappdata",
        "APPDATA": "appdata",
        # platformdirs asks Windows itself for these, unless told otherwise
        "WIN_PD_OVERRIDE_LOCAL_APPDATA": "localappdata",
        "WIN_PD_OVERRIDE_APPDATA": "appdata",
    }
    for variable, name in folders.items():
        folder = home / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[variable] = str(folder)
    env["REGUL_USER"] = "verification"
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox --disable-gpu"
    return env


def run_bundled(
    step: str,
    exe: Path,
    args: Sequence[str],
    env: dict[str, str],
    timeout_s: float,
    expect: int = 0,
) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            [str(exe), *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        raise StepFailed(
            step, f"no answer after {timeout_s:.0f} s: {exe.name} {' '.join(args)}"
        ) from timeout
    for line in (result.stdout + result.stderr).strip().splitlines()[-12:]:
        print(f"    | {line}")
    if result.returncode != expect:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-40:])
        raise StepFailed(
            step, f"{exe.name} {' '.join(args)} exited with {result.returncode}\n{tail}"
        )
    return result


def check_version(exe: Path, env: dict[str, str], version: str) -> None:
    result = run_bundled("verify --version", exe, ["--version"], env, 120)
    if result.stdout.strip() != f"{CLI_NAME} {version}":
        raise StepFailed(
            "verify --version", f"printed {result.stdout.strip()!r}, not '{CLI_NAME} {version}'"
        )


def check_gui_program(bundle: Path, env: dict[str, str]) -> None:
    """``regul-gui`` must run its own entry script (the console with no argument), not the
    command line's. Without a display Linux refuses the console in one line, which proves it;
    a Windows desk always has a screen, so there only ``--version`` is asked (and answered
    into the void: a windowed program has no terminal)."""
    exe = bundle / f"{GUI_NAME}{EXE_SUFFIX}"
    step = "verify regul-gui"
    if sys.platform == "win32":
        run_bundled(step, exe, ["--version"], env, 120)
        return
    headless = {k: v for k, v in env.items() if k not in _DISPLAY_VARIABLES}
    result = run_bundled(step, exe, [], headless, 120, expect=2)
    if "aucun écran pour ouvrir la console" not in result.stderr:
        raise StepFailed(step, f"{exe.name} did not go for the console: {result.stderr!r}")


_DISPLAY_VARIABLES = {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}


def check_demo(exe: Path, env: dict[str, str], work: Path, db_url: str, day: str) -> None:
    args = [
        "demo",
        "--headless",
        "--db",
        db_url,
        "--date",
        day,
        "--requests",
        str(DEMO_REQUESTS),
        "--time-limit",
        str(DEMO_TIME_LIMIT_S),
        "--folder",
        str(work / "demo"),
    ]
    run_bundled("verify demo", exe, args, env, 900)
    caches = [p for p in work.rglob("*.nbi") if "numba" in p.parts]
    if not any("Regul" in p.parts for p in caches):
        raise StepFailed(
            "verify demo",
            "Numba wrote no cache in Régul's cache folder (NUMBA_CACHE_DIR): the planner's "
            "loops would be compiled again at every start",
        )


def check_screenshot(exe: Path, env: dict[str, str], work: Path, db_url: str, day: str) -> Path:
    step = "verify gui --screenshot"
    shot = work / "shot.png"
    args = ["gui", "--db", db_url, "--date", day, "--screenshot", str(shot)]
    started = time.perf_counter()
    result = run_bundled(step, exe, args, env, 300)
    seconds = time.perf_counter() - started
    if not shot.is_file():
        raise StepFailed(step, f"no picture written at {shot}")
    # Qt WebEngine logs the page's uncaught errors as "js: …" (Leaflet missing: L undefined).
    errors = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.startswith("js:") and ("Uncaught" in line or "Error" in line)
    ]
    if errors:
        raise StepFailed(step, "the map's page failed: " + "; ".join(errors[:5]))
    if seconds >= MAP_READY_WITHIN_S:
        raise StepFailed(step, f"the map never reported it was drawn ({seconds:.0f} s)")
    from PIL import Image

    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=MIN_SCREENSHOT_COLOURS)
        size = rgb.size
    if colours is not None:
        raise StepFailed(
            step,
            f"the picture ({size[0]}×{size[1]}) has only {len(colours)} colours: blank window",
        )
    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, SCREENSHOT_COPY)
    return SCREENSHOT_COPY


def verify(timer: Timer, bundle: Path, version: str, keep: bool) -> None:
    exe = bundle / f"{CLI_NAME}{EXE_SUFFIX}"
    work = Path(tempfile.mkdtemp(prefix="regul-verify-"))
    env = verification_env(work / "profile")
    db_url = f"sqlite:///{(work / 'demo.sqlite').as_posix()}"
    day = date.today().isoformat()  # noqa: DTZ011 - the demo's own default, made explicit
    before = files_in(bundle)
    ok = False
    try:
        with timer.step("verify --version"):
            check_version(exe, env, version)
        with timer.step("verify regul-gui"):
            check_gui_program(bundle, env)
        with timer.step("verify demo"):
            check_demo(exe, env, work, db_url, day)
        with timer.step("verify gui --screenshot"):
            print(f"    picture: {check_screenshot(exe, env, work, db_url, day)}")
        added = sorted(files_in(bundle) - before)
        if added:
            raise StepFailed(
                "verify",
                "running the bundle wrote into it (the installed folder may be "
                f"read-only, and the uninstaller would leave them): {', '.join(added[:10])}",
            )
        ok = True
    finally:
        if ok and not keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"    verification folder kept: {work}")


# --- Inno Setup -------------------------------------------------------------------------------


def find_iscc() -> Path:
    on_path = shutil.which("ISCC") or shutil.which("iscc")
    if on_path:
        return Path(on_path)
    roots = [os.environ.get(v) for v in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA")]
    candidates: list[str] = []
    for root in filter(None, roots):
        candidates += glob.glob(os.path.join(root, "Inno Setup *", "ISCC.exe"))
        candidates += glob.glob(os.path.join(root, "Programs", "Inno Setup *", "ISCC.exe"))
    if candidates:
        return Path(sorted(candidates)[-1])
    raise StepFailed(
        "setup",
        "Inno Setup's compiler ISCC.exe is on neither PATH nor "
        r"%ProgramFiles(x86)%\Inno Setup 6: install Inno Setup 6 "
        "(https://jrsoftware.org/isdl.php, or choco install innosetup), or pass --skip-setup",
    )


def iscc_command(iscc: Path, version: str, bundle: Path, dist: Path) -> list[str]:
    defines = {"AppVersion": version, "BundleDir": str(bundle), "OutputDir": str(dist)}
    assert set(defines) == set(ISCC_DEFINES)
    return [str(iscc), "/Qp", *(f"/D{k}={v}" for k, v in defines.items()), str(ISS)]


def make_setup(version: str, bundle: Path, dist: Path) -> Path:
    result = subprocess.run(iscc_command(find_iscc(), version, bundle, dist), check=False)
    if result.returncode != 0:
        raise StepFailed("setup", f"ISCC exited with {result.returncode}")
    setup = dist / setup_name(version)
    if not setup.is_file():
        raise StepFailed("setup", f"ISCC succeeded but {setup} is not there")
    return setup


def setup_name(version: str) -> str:
    return f"{BUNDLE_NAME}-{version}-setup.exe"


# --- main -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="run the bundled program's checks")
    parser.add_argument("--skip-setup", action="store_true", help="no Inno Setup installer")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (dist)")
    parser.add_argument("--keep", action="store_true", help="keep the verification's folder")
    parser.add_argument("--report", type=Path, help="write the steps' times and sizes as JSON")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    timer = Timer()
    started = time.perf_counter()
    try:
        with timer.step("version"):
            version = project_version()
            print(f"    regul {version}")
        with timer.step("licences"):
            licence_file = licences.write(BUILD / licences.FILE_NAME)
            print(f"    {licence_file}")
        with timer.step("pyinstaller"):
            bundle = run_pyinstaller(dist, licence_file)
        with timer.step("contents"):
            check_contents(bundle)
            print(f"    {bundle}: {size_of(bundle) / 2**20:.0f} MiB")
        if args.verify:
            verify(timer, bundle, version, args.keep)
        if args.skip_setup:
            print("==> setup: skipped (--skip-setup)")
        elif sys.platform != "win32":
            print("==> setup: skipped (Inno Setup runs on Windows only)")
        else:
            with timer.step("setup"):
                print(f"    {make_setup(version, bundle, dist)}")
    except StepFailed as failure:
        print(f"\nBUILD FAILED at step « {failure.step} »: {failure.message}", file=sys.stderr)
        print(timer.summary(), file=sys.stderr)
        return 1
    total = time.perf_counter() - started
    print(f"\nDone in {total:.0f} s:\n{timer.summary()}")
    if args.report:
        write_report(args.report, version, bundle, timer, total)
    return 0


def write_report(target: Path, version: str, bundle: Path, timer: Timer, total: float) -> None:
    """The build's figures, as the project's benchmarks give theirs (JSON)."""
    figures = {
        "version": version,
        "platform": sys.platform,
        "cpus": os.cpu_count(),
        "bundle_bytes": size_of(bundle),
        "bundle_files": len(files_in(bundle)),
        "steps_s": {name: round(seconds, 1) for name, seconds in timer.steps},
        "total_s": round(total, 1),
    }
    target.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"    figures: {target}")


if __name__ == "__main__":
    sys.exit(main())
