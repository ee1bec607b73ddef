"""Leaflet as shipped with the application: the map must draw on a desk with no network.

The files come from the XStatic-Leaflet package (PyPI), installed with Régul, so that neither
a CDN nor a copy committed from elsewhere is involved.
"""

from pathlib import Path

from xstatic.pkg import leaflet

LEAFLET_VERSION: str = leaflet.VERSION
LEAFLET_DIR = Path(leaflet.BASE_DIR)

# Provided by Qt WebEngine to every page it shows; absent from an ordinary browser.
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"


def leaflet_js() -> str:
    return (LEAFLET_DIR / "leaflet.js").as_uri()


def leaflet_css() -> str:
    return (LEAFLET_DIR / "leaflet.css").as_uri()
