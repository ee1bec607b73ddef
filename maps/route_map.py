"""A day's plan as a Leaflet page (folium), self-sufficient offline, linked to the console.

folium lays out the page (map, tile layer, one layer per carrier and per kind of place, layer
control); the markers and lines themselves go in as one JSON array drawn by a loop in the page,
which keeps a 2,000-request day quick to build and to draw. Hover texts are set as plain text
(``textContent``), never as HTML, so a name cannot inject markup.

In Qt WebEngine, the page finds the console through QWebChannel: a click on a marker calls the
``bridge`` object's ``requestClicked(id)``; the console calls ``regulHighlight([ids])`` to show
its selection. In an ordinary browser the page works alone.
"""

import html
import json
from collections.abc import Mapping
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from maps.assets import QWEBCHANNEL_JS, leaflet_css, leaflet_js
from maps.features import LegKind, MapFeatures, MarkerKind, map_features
from planning.model import Problem
from planning.plan import Plan

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = "© les contributeurs d'OpenStreetMap"
_FRANCE = (46.6, 2.4)

_MARKER_STYLE: dict[MarkerKind, dict[str, Any]] = {
    MarkerKind.BASE: {"radius": 7, "weight": 2, "fillOpacity": 0.9},
    MarkerKind.SITE: {"radius": 8, "weight": 3, "fillOpacity": 0.2},
    MarkerKind.PICKUP: {"radius": 5, "weight": 1, "fillOpacity": 0.9},
    MarkerKind.DROPOFF: {"radius": 5, "weight": 2, "fillOpacity": 0.9, "fillColor": "#ffffff"},
    MarkerKind.UNSERVED: {"radius": 6, "weight": 2, "fillOpacity": 0.5},
}
_LINE_STYLE: dict[LegKind, dict[str, Any]] = {
    LegKind.EMPTY: {"weight": 2, "opacity": 0.6, "dashArray": "4 6"},
    LegKind.LOADED: {"weight": 3, "opacity": 0.8},
    LegKind.SHARED: {"weight": 7, "opacity": 0.9},
}

# Page script: the drawing loop, the selection, and the link to the console.
_PAGE_SCRIPT = (
    f'<script src="{QWEBCHANNEL_JS}"></script>'
    + """
<style>.leaflet-container { background: #e8ecef; }</style>
<script>
var regul = {map: null, markers: {}, selected: [], bridge: null, drawn: false, moved: false};
function regulReady() {  // tell the console once the page is drawn and the channel is up
  if (regul.drawn && regul.bridge && regul.bridge.pageReady) { regul.bridge.pageReady(); }
}
function regulTip(layer, text) {
  var tip = document.createElement("span");
  tip.textContent = text;
  layer.bindTooltip(tip, {sticky: true});
}
function regulDraw(map, groups, data) {
  regul.map = map;
  data.lines.forEach(function (l) {
    var line = L.polyline(l.points, Object.assign({color: l.colour}, l.style));
    regulTip(line, l.text);
    line.addTo(groups[l.layer]);
  });
  data.markers.forEach(function (m) {
    var style = Object.assign({color: m.colour, fillColor: m.colour}, m.style);
    var marker = L.circleMarker(m.point, style);
    marker.regulStyle = {color: style.color, weight: style.weight, radius: style.radius};
    regulTip(marker, m.text);
    if (m.request) {
      (regul.markers[m.request] = regul.markers[m.request] || []).push(marker);
      marker.on("click", function () {
        regulHighlight([m.request]);
        if (regul.bridge) { regul.bridge.requestClicked(m.request); }
      });
    }
    marker.addTo(groups[m.layer]);
  });
  var points = data.markers.map(function (m) { return m.point; });
  if (points.length) {
    // the page may load before its view has its final size: fit the day again on resizes,
    // until the regulator moves the map
    regul.bounds = L.latLngBounds(points);
    map.on("dragstart", function () { regul.moved = true; });
    window.addEventListener("resize", function () {
      if (!regul.moved) { map.fitBounds(regul.bounds, {padding: [20, 20]}); }
    });
  }
  regul.drawn = true;
  regulReady();
}
function regulHighlight(ids) {
  regul.selected.forEach(function (marker) { marker.setStyle(marker.regulStyle); });
  regul.selected = [];
  var bounds = [];
  ids.forEach(function (id) {
    (regul.markers[id] || []).forEach(function (marker) {
      marker.setStyle({color: "#000000", weight: 4, radius: marker.regulStyle.radius + 4});
      marker.bringToFront();
      regul.selected.push(marker);
      bounds.push(marker.getLatLng());
    });
  });
  if (bounds.length && regul.map && !regul.map.getBounds().contains(L.latLngBounds(bounds))) {
    regul.map.fitBounds(L.latLngBounds(bounds), {padding: [40, 40], maxZoom: 14});
  }
  return regul.selected.length;
}
if (typeof QWebChannel !== "undefined" && window.qt && qt.webChannelTransport) {
  new QWebChannel(qt.webChannelTransport, function (channel) {
    regul.bridge = channel.objects.bridge || null;
    regulReady();
  });
}
</script>
"""
)


class _Drawing(MacroElement):
    """The page's data, drawn into folium's layers once the map exists."""

    _template = Template(
        """{% macro script(this, kwargs) %}
regulDraw({{ this._parent.get_name() }}, {{ this.groups }}, {{ this.data }});
{% endmacro %}"""
    )

    def __init__(self, groups: Mapping[str, str], data: Mapping[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's own signature
        self._name = "RegulDrawing"
        # layer name → folium's variable name; both go in as JSON, names unquoted
        self.groups = _script_safe(
            "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in groups.items()) + "}"
        )
        self.data = _script_safe(json.dumps(data, ensure_ascii=False))


def _script_safe(source: str) -> str:
    """JSON that cannot end the script element it sits in: no markup character appears as
    such (the escapes mean the same inside a JavaScript string)."""
    return source.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_map(
    problem: Problem, plan: Plan, labels: Mapping[str, str] | None = None, tiles: bool = True
) -> str:
    """The HTML page of a plan. ``tiles`` adds the OpenStreetMap background, which loads when
    the desk is online; without it (or offline) the map draws on a plain background."""
    return render_features(map_features(problem, plan, labels), tiles)


def render_features(features: MapFeatures, tiles: bool = True) -> str:
    points = [m.point for m in features.markers]
    page = folium.Map(
        location=_FRANCE, zoom_start=6, tiles=None, prefer_canvas=True, zoom_snap=0.25
    )
    page.default_js = [("leaflet", leaflet_js())]
    page.default_css = [("leaflet_css", leaflet_css())]
    figure = page.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(Element(_PAGE_SCRIPT), name="regul")
    if tiles:
        folium.TileLayer(
            TILES_URL, attr=TILES_ATTRIBUTION, name="Fond de carte", max_zoom=19
        ).add_to(page)
    groups: dict[str, str] = {}
    for name in features.layers:
        # Leaflet's layer control shows names as HTML
        group = folium.FeatureGroup(name=html.escape(name)).add_to(page)
        groups[name] = group.get_name()
    data = {
        "markers": [
            {
                "point": [m.point.lat, m.point.lon],
                "layer": m.layer,
                "colour": m.colour,
                "style": _MARKER_STYLE[m.kind],
                "text": m.text,
                "request": m.request,
            }
            for m in features.markers
        ],
        "lines": [
            {
                "points": [[p.lat, p.lon] for p in line.points],
                "layer": line.layer,
                "colour": line.colour,
                "style": _LINE_STYLE[line.kind],
                "text": line.text,
            }
            for line in features.lines
        ],
    }
    page.add_child(_Drawing(groups, data))
    folium.LayerControl(collapsed=True).add_to(page)
    if points:
        lats = [p.lat for p in points]
        lons = [p.lon for p in points]
        page.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    rendered: str = figure.render()
    return rendered
