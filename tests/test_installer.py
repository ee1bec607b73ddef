"""The Windows installer's pieces agree with each other, without building anything: the
third-party licence file, the PyInstaller spec, build.py, the Inno Setup script and the CI
workflow."""

import ast
import importlib.util
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
RULE = "=" * 78


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


licences = _load("licences")
build = _load("build")


@pytest.fixture(scope="module")
def licence_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = licences.write(tmp_path_factory.mktemp("licences") / licences.FILE_NAME)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup < 6.3 needs the BOM to read UTF-8"
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def _section(text: str, heading: str) -> str:
    """The body of the section titled ``heading``, up to the next section."""
    pattern = rf"^{RULE}\n{re.escape(heading)}\n{RULE}\n(.*?)(?=^{RULE}\n.+\n{RULE}\nLicence|\Z)"
    match = re.search(pattern, text, re.M | re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def _headings(text: str) -> list[str]:
    """Each component's section title (licence texts have rules of their own: not those)."""
    return re.findall(rf"^{RULE}\n(.+)\n{RULE}\nLicence : ", text, re.M)


# --- the licence file ---------------------------------------------------------------------------


def test_licence_file_gives_pyside6_under_the_lgpl_with_the_qt_note(licence_text: str) -> None:
    pyside = _section(licence_text, f"PySide6 {metadata.version('PySide6')}")
    assert "LGPL-3.0" in pyside
    note = _section(licence_text, "Qt, Qt for Python and the LGPL")
    assert "dynamically" in note and "replace them" in note
    assert "https://download.qt.io" in note
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in note  # the licence's own text, not a link only
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3" in note  # and the GPL's
    assert "_internal\\psycopg" in note  # psycopg, LGPL too, ships as replaceable source


def test_licence_file_gives_sqlalchemy_mit_with_its_text(licence_text: str) -> None:
    body = _section(licence_text, f"SQLAlchemy {metadata.version('SQLAlchemy')}")
    assert "Licence : MIT" in body
    assert "Permission is hereby granted, free of charge" in body  # the LICENSE file's body


def test_licence_file_lists_each_component_once_in_order(licence_text: str) -> None:
    names = [heading.rsplit(" ", 1)[0] for heading in _headings(licence_text)]
    assert names == sorted(names, key=str.casefold)
    assert len(set(names)) == len(names)
    assert {"numba", "ortools", "psycopg-binary", "Python", "Leaflet"} <= set(names)


def test_licence_file_is_the_runtime_closure_only(licence_text: str) -> None:
    """Test and benchmark extras are not shipped; psycopg's binary extra is."""
    names = {heading.rsplit(" ", 1)[0].lower() for heading in _headings(licence_text)}
    assert "psycopg-binary" in names
    assert not names & {"pytest", "pyvroom", "hypothesis", "ruff", "mypy", "regul"}


def test_licence_file_is_deterministic(tmp_path: Path) -> None:
    first = licences.write(tmp_path / "a.txt").read_bytes()
    second = licences.write(tmp_path / "b.txt").read_bytes()
    assert first == second


class _FakeDistribution(metadata.Distribution):
    def __init__(self, name: str, requires: list[str]) -> None:
        self._text = "\n".join(
            ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
            + [f"Requires-Dist: {r}" for r in requires]
        )

    def read_text(self, filename: str) -> str | None:
        return self._text if filename == "METADATA" else None

    def locate_file(self, path: str | Path) -> Path:  # pragma: no cover - never asked
        raise NotImplementedError


def test_requirements_follow_markers_and_extras() -> None:
    dist = _FakeDistribution(
        "demo",
        [
            "always",
            'only-in-x; extra == "x"',
            'nowhere; sys_platform == "no-such-platform"',
            'here; python_version >= "3"',
        ],
    )
    plain = {r.name for r in licences._applicable(dist, frozenset())}
    assert plain == {"always", "here"}
    with_x = {r.name for r in licences._applicable(dist, frozenset({"x"}))}
    assert with_x == {"always", "only-in-x", "here"}


# --- the spec and build.py ----------------------------------------------------------------------


def _spec_tree() -> ast.Module:
    return ast.parse((INSTALLER / "regul.spec").read_text(encoding="utf-8"))


def _spec_constants() -> dict[str, object]:
    constants: dict[str, object] = {}
    for node in _spec_tree().body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    return constants


def _program_calls() -> dict[str, bool]:
    """The spec's executables: name constant → console flag, from its program(...) calls."""
    programs: dict[str, bool] = {}
    for node in ast.walk(_spec_tree()):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "program":
            name, console = node.args[2], node.args[3]
            assert isinstance(name, ast.Name) and isinstance(console, ast.Constant)
            programs[name.id] = bool(console.value)
    return programs


def test_spec_makes_the_programs_build_verifies() -> None:
    constants = _spec_constants()
    assert constants["BUNDLE_NAME"] == build.BUNDLE_NAME
    assert constants["CLI_NAME"] == build.CLI_NAME
    assert constants["GUI_NAME"] == build.GUI_NAME
    # the command line in a console; the shortcut's program windowed
    assert _program_calls() == {"CLI_NAME": True, "GUI_NAME": False}


def test_spec_entry_scripts_exist_and_call_the_launchers() -> None:
    """Each program runs its own entry script, which calls its own launcher."""
    [entries] = [
        node.value
        for node in ast.walk(_spec_tree())
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], "id", None) == "ENTRIES"
        and isinstance(node.value, ast.Dict)
    ]
    scripts = {
        key.id: value.value
        for key, value in zip(entries.keys, entries.values, strict=True)
        if isinstance(key, ast.Name) and isinstance(value, ast.Constant)
    }
    assert scripts == {"CLI_NAME": "entry_cli", "GUI_NAME": "entry_gui"}
    for script, launcher in (("entry_cli", "main_cli"), ("entry_gui", "main_gui")):
        source = (INSTALLER / f"{script}.py").read_text(encoding="utf-8")
        assert f"sys.exit({launcher}())" in source
        assert "freeze_support()" in source


def test_spec_has_no_hard_coded_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    text = (INSTALLER / "regul.spec").read_text(encoding="utf-8")
    assert f'"{version["version"]}"' not in text
    assert "metadata.version(" in text


def test_every_package_data_pattern_matches_files() -> None:
    """The spec bundles pyproject's package-data and stops on a pattern matching nothing."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]
    assert "migrations/*.py" in patterns["models"]  # env.py: alembic reads it from disk
    for package, globs in patterns.items():
        for pattern in globs:
            assert any((ROOT / package).glob(pattern)), f"{package}/{pattern}"


def test_bundle_check_covers_what_the_code_reads_from_disk() -> None:
    expected = build.expected_files(ROOT / "dist" / build.BUNDLE_NAME)
    for needed in (
        "_internal/models/migrations/*.py",
        "_internal/models/migrations/versions/*.py",
        "_internal/console/translations/*.qm",
        "_internal/xstatic/pkg/leaflet/data/leaflet.js",
        "_internal/planning/lns/kernels.py",
        licences.FILE_NAME,
    ):
        assert needed in expected


def test_check_contents_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / f"{build.CLI_NAME}{build.EXE_SUFFIX}").write_text("")
    with pytest.raises(build.StepFailed) as failure:
        build.check_contents(tmp_path)
    assert failure.value.step == "contents"
    assert "leaflet.js" in failure.value.message
    assert f"{build.CLI_NAME}{build.EXE_SUFFIX}," not in failure.value.message


# --- the Inno Setup script ----------------------------------------------------------------------


def _iss() -> str:
    raw = (INSTALLER / "regul.iss").read_bytes()
    return raw.decode("utf-8-sig")


def _iss_defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^#define\s+(\w+)\s+"([^"]*)"', text, re.M))


def test_iss_defines_are_those_build_passes() -> None:
    text = _iss()
    used = set(re.findall(r"\{#(\w+)\}", text)) | set(re.findall(r"^#ifn?def\s+(\w+)", text, re.M))
    defined_here = set(re.findall(r"^\s*#define\s+(\w+)", text, re.M))
    required = set(re.findall(r"^#ifndef\s+(\w+)\s*\n\s*#error", text, re.M))
    assert required == {"AppVersion", "BundleDir"}
    assert used - defined_here <= set(build.ISCC_DEFINES)
    assert set(build.ISCC_DEFINES) <= used
    command = build.iscc_command(Path("ISCC.exe"), "9.9.9", Path("B"), Path("D"))
    assert [a.split("=")[0] for a in command if a.startswith("/D")] == [
        f"/D{name}" for name in build.ISCC_DEFINES
    ]


def test_iss_installs_per_user_without_a_hard_coded_version() -> None:
    text = _iss()
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}\\", text, re.M)
    assert re.search(r"^AppVersion=\{#AppVersion\}$", text, re.M)
    assert not re.search(r"^\s*AppVersion=\d", text, re.M)
    assert not re.search(r'^#define\s+AppVersion\s+"', text, re.M)
    assert metadata.version("regul") not in text
    assert re.search(r"^AppId=\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$", text, re.M)


def test_iss_shortcuts_and_run_start_the_windowed_program() -> None:
    text = _iss()
    gui_exe = _iss_defines(text)["GuiExe"]
    assert gui_exe == f"{_spec_constants()['GUI_NAME']}.exe"
    targets = re.findall(r'Filename:\s*"([^"]+)"', text)
    assert targets and set(targets) == {r"{app}\{#GuiExe}"}
    assert re.search(r"^Name: \"\{autodesktop\}.*Tasks: desktopicon$", text, re.M)
    assert re.search(r"^UninstallDisplayIcon=\{app\}\\\{#GuiExe\}$", text, re.M)
    run = re.search(r"^\[Run\]\n(.+)$", text, re.M)
    assert run and all(flag in run.group(1) for flag in ("postinstall", "nowait", "skipifsilent"))


def test_iss_output_is_the_setup_build_expects() -> None:
    text = _iss()
    base = re.search(r"^OutputBaseFilename=(.+)$", text, re.M)
    assert base
    assert base.group(1).replace("{#AppVersion}", "1.2.3") + ".exe" == build.setup_name("1.2.3")
    info = re.search(r"^InfoBeforeFile=(.+)$", text, re.M)
    assert info and info.group(1).endswith(licences.FILE_NAME)
    assert not re.search(r"^LicenseFile=", text, re.M)  # information, not a licence to accept


def test_iss_keeps_user_data_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The uninstaller deletes the folder platformdirs gives Régul on Windows, only on Yes."""
    text = _iss()
    code = text.split("[Code]", 1)[1]
    assert "usPostUninstall" in code and "UninstallSilent" in code
    assert "MB_DEFBUTTON2" in code  # No is the default answer
    folder = re.search(r"DataFolder = '([^']+)'", code)
    assert folder
    from platformdirs.windows import Windows

    local = r"C:\Users\u\AppData\Local"
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", local)
    dirs = Windows(appname="Regul", appauthor="Regul")
    deleted = folder.group(1).replace("{localappdata}", local)
    for path in (dirs.user_data_dir, dirs.user_config_dir, dirs.user_log_dir, dirs.user_cache_dir):
        assert path.replace("/", "\\").startswith(deleted)
    for language in ("fr", "en"):
        assert re.search(rf"^{language}\.DeleteUserData=.+%1", text, re.M)
    assert "Supprimer aussi vos données" in text


def test_iss_offers_french_and_english() -> None:
    text = _iss()
    assert 'MessagesFile: "compiler:Languages\\French.isl"' in text
    assert 'MessagesFile: "compiler:Default.isl"' in text


# --- the CI workflow ----------------------------------------------------------------------------


def test_workflow_builds_verifies_and_uploads_what_build_makes() -> None:
    text = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in text
    assert re.search(r"python-version: \"?3\.11\"?", text)
    assert '".[installer]"' in text
    assert "python installer/build.py --verify" in text
    assert "choco install innosetup" in text
    assert "dist/" + build.setup_name("*") in text
    assert build.SCREENSHOT_COPY.relative_to(ROOT).as_posix() in text
    assert "QT_QPA_PLATFORM: offscreen" in text
