"""The installed runtime has every piece later features rely on, at the pinned API level."""

import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "PySide6.QtWidgets",
        "PySide6.QtWebEngineWidgets",
        "PySide6.QtWebChannel",
        "ortools.constraint_solver.pywrapcp",
        "folium",
        "openpyxl",
        "psycopg",
        "alembic",
    ],
)
def test_runtime_dependency_imports(module: str) -> None:
    """Each runtime dependency (WebEngine addon included) is installed and importable."""
    importlib.import_module(module)


def test_sqlalchemy_is_the_2_series() -> None:
    """The typed ORM needs SQLAlchemy 2."""
    import sqlalchemy

    assert sqlalchemy.__version__.startswith("2.")
