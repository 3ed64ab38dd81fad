/* The small map of a convergence group's members: the offline basemap (static/js/basemap.js) with
   the members' countries outlined on it, one dot per place (dashed when it stands for an area). */
(function () {
  "use strict";
  var box = document.getElementById("group-map");
  var data = document.getElementById("group-points");
  if (!box || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent || "[]");
  var map = L.map(box, { zoomSnap: 0.25, scrollWheelZoom: false, maxZoom: 18 });
  if (window.addBasemap) { window.addBasemap(map, box.getAttribute("data-basemap"), box); }
  var codes = (box.getAttribute("data-codes") || "").split(",").filter(Boolean);
  var bounds = L.latLngBounds([]);
  points.forEach(function (p) { bounds.extend([p.lat, p.lon]); });
  var dots = L.featureGroup().addTo(map);
  points.forEach(function (p) {
    var dot = L.circleMarker([p.lat, p.lon], {
      radius: Math.min(18, 6 + 2.5 * Math.sqrt(p.count - 1)), color: "#12355b", weight: 2, fillColor: p.approx ? "#ffffff" : "#0072B2",
      fillOpacity: p.approx ? 0.6 : 0.85, dashArray: p.approx ? "3 3" : null
    });
    var tip = document.createElement("span");
    tip.textContent = p.titles.join("; ") + (p.count > p.titles.length ? " … (" + p.count + ")" : "");
    dot.bindTooltip(tip);
    dot.addTo(dots);
  });
  if (bounds.isValid()) {
    map.fitBounds(bounds.pad(0.5), { maxZoom: 7 });
  } else {
    map.setView([0, 20], 2);
  }
  fetch(box.getAttribute("data-countries"))
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      var shown = geo.features.filter(function (f) { return codes.indexOf(f.properties.iso2) >= 0; });
      var outline = L.geoJSON({ type: "FeatureCollection", features: shown }, {  // the basemap shows through
        style: { color: "#12355b", weight: 2, fillColor: "#12355b", fillOpacity: 0.06 }, interactive: false
      }).addTo(map);
      dots.bringToFront();
      if (!bounds.isValid() && outline.getBounds().isValid()) { map.fitBounds(outline.getBounds()); }
    })
    .catch(function () { /* the outline is decoration: the dots and the list remain */ });
}());
