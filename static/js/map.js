/* The goal map: fetches clustered markers for the viewport and the filters, keeps the URL in sync.
 * Text from the server is always inserted with textContent (never innerHTML). */
(function () {
  "use strict";
  var wrap = document.getElementById("map-wrap");
  if (!wrap) return;
  var map = window[wrap.dataset.mapVar];
  if (!map) return;
  var form = document.getElementById("filters");
  var statusEl = document.getElementById("map-status");
  var legendEl = document.getElementById("legend");
  var syncUrl = wrap.dataset.syncUrl === "1";
  var fixed = new URLSearchParams(wrap.dataset.fixed || "");
  var COLOUR = /^#[0-9a-fA-F]{3,8}$/;
  if (!map.options.maxZoom) map.setMaxZoom(18);  // no tile layer offline: clustering needs a max zoom
  var markers = (L.markerClusterGroup ? L.markerClusterGroup({maxClusterRadius: 14, spiderfyOnMaxZoom: true,
    showCoverageOnHover: false, zoomToBoundsOnClick: true}) : L.layerGroup()).addTo(map);
  var clusters = L.layerGroup().addTo(map);
  var countries = null, pending = null, timer = null;
  map.createPane("countries").style.zIndex = 250;

  function filterParams() {
    var p = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (v, k) { if (String(v).trim()) p.set(k, String(v).trim()); });
    }
    fixed.forEach(function (v, k) { p.set(k, v); });
    return p;
  }

  function safeColour(c) { return c && COLOUR.test(c) ? c : "#5a5a5a"; }

  function syncLocation() {
    if (!syncUrl) return;
    var p = filterParams(), c = map.getCenter();
    p.set("z", map.getZoom()); p.set("lat", c.lat.toFixed(4)); p.set("lon", c.lng.toFixed(4));
    history.replaceState(null, "", location.pathname + "?" + p.toString());
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function popupFor(p) {
    var box = el("div", null, "popup");
    var h = el("h3"), a = el("a", p.title);
    a.href = p.url; h.appendChild(a); box.appendChild(h);
    var org = el("p"), oa = el("a", p.organisation);
    oa.href = "/organisations/" + encodeURIComponent(p.organisation_slug); org.appendChild(oa); box.appendChild(org);
    if (p.goals && p.goals.length) box.appendChild(el("p", "Goals: " + p.goals.join(", ")));
    if (p.start || p.end) box.appendChild(el("p", (p.start || "…") + " – " + (p.end || "…")));
    if (p.approximate) box.appendChild(el("p", "Shown at the area's centre (approximate place).", "muted"));
    return box;
  }

  function dot(colour, approximate, label) {
    var span = el("span", null, "dot" + (approximate ? " approx" : ""));
    span.style.background = safeColour(colour);
    span.setAttribute("aria-hidden", "true");
    return L.divIcon({html: span, className: "marker", iconSize: [18, 18], iconAnchor: [9, 9]});
  }

  function clusterIcon(count, colour) {
    var size = count < 10 ? 30 : count < 100 ? 38 : count < 1000 ? 46 : 54;
    var span = el("span", String(count), "bubble");
    span.style.background = safeColour(colour);
    span.style.width = span.style.height = span.style.lineHeight = size + "px";
    return L.divIcon({html: span, className: "cluster", iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
  }

  function render(data) {
    markers.clearLayers(); clusters.clearLayers();
    var seen = {}, legend = [];
    data.features.forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
      if (p.cluster) {
        var m = L.marker(ll, {icon: clusterIcon(p.count, p.colour), keyboard: true,
          title: p.count + " initiatives here, zoom in"});
        m.on("click", function () {
          var b = p.bounds;
          if (b && b.length === 4 && (b[0] !== b[2] || b[1] !== b[3])) map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {padding: [30, 30]});
          else map.setView(ll, Math.min(map.getZoom() + 3, 18));
        });
        clusters.addLayer(m);
      } else {
        var s = L.marker(ll, {icon: dot(p.colour, p.approximate), keyboard: true, title: p.title});
        s.bindPopup(popupFor(p));
        s.options.initiativeId = p.id;
        markers.addLayer(s);
        var g = (p.goals && p.goals[0] || "").split(".")[0];
        if (g && !seen[g]) { seen[g] = 1; legend.push([g, p.colour]); }
      }
    });
    var m = data.meta;
    statusEl.textContent = m.initiatives === 0
      ? "No initiatives match these filters here. Zoom out, clear the filters, or register one."
      : m.initiatives + (m.initiatives === 1 ? " initiative" : " initiatives") + " in view (" + data.features.length + " markers).";
    wrap.dataset.loaded = String(Date.now());
    wrap.dataset.markers = String(data.features.length);
    renderLegend(legend);
  }

  function renderLegend(goals) {
    if (!legendEl) return;
    legendEl.textContent = "";
    if (!goals.length && !legendEl.dataset.choropleth) { legendEl.hidden = true; return; }
    legendEl.hidden = false;
    if (goals.length) {
      legendEl.appendChild(el("h2", "Marker colour: primary goal"));
      var ul = el("ul");
      goals.sort(function (a, b) { return Number(a[0]) - Number(b[0]); }).forEach(function (g) {
        var li = el("li"), sw = el("span", null, "swatch");
        sw.style.background = safeColour(g[1]); li.appendChild(sw); li.appendChild(document.createTextNode(" Goal " + g[0]));
        ul.appendChild(li);
      });
      legendEl.appendChild(ul);
    }
    if (legendEl.dataset.choropleth) {
      legendEl.appendChild(el("h2", "Organisations per country on this goal"));
      var ul2 = el("ul");
      BREAKS.forEach(function (b) {
        var li = el("li"), sw = el("span", null, "swatch");
        sw.style.background = b[1]; li.appendChild(sw); li.appendChild(document.createTextNode(" " + b[2]));
        ul2.appendChild(li);
      });
      legendEl.appendChild(ul2);
    }
  }

  var BREAKS = [[1, "#deebf7", "1"], [2, "#9ecae1", "2–3"], [4, "#4292c6", "4–6"], [7, "#08519c", "7 or more"]];
  function choroplethColour(n) {
    var c = null;
    BREAKS.forEach(function (b) { if (n >= b[0]) c = b[1]; });
    return c;
  }

  function loadChoropleth() {
    var p = filterParams();
    if (!countries) return;
    if (!p.get("goal") && !p.get("target")) {
      delete legendEl.dataset.choropleth;
      countries.setStyle(baseStyle);
      return;
    }
    fetch(wrap.dataset.areas + "?" + p.toString(), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.countries) return;
        legendEl.dataset.choropleth = "1";
        countries.setStyle(function (f) {
          var a = data.countries[f.properties.iso2];
          var c = a ? choroplethColour(a.organisations) : null;
          return c ? {color: "#777", weight: 0.6, fillColor: c, fillOpacity: 0.7} : baseStyle();
        });
        countries.eachLayer(function (layer) {
          var a = data.countries[layer.feature.properties.iso2];
          layer.unbindTooltip();
          if (a) layer.bindTooltip(layer.feature.properties.name + ": " + a.initiatives + " initiatives, " +
            a.organisations + " organisations (" + a.effective_actors + " effective actors)", {sticky: true});
        });
      }).catch(function () {});
  }

  function baseStyle() {
    return {color: "#8a8a8a", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: wrap.dataset.tiles ? 0 : 1};
  }

  function load() {
    var p = filterParams(), b = map.getBounds();
    var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
    var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    if (b.getEast() - b.getWest() >= 360) { west = -180; east = 180; }
    p.set("bbox", [west, south, east, north].map(function (v) { return v.toFixed(5); }).join(","));
    p.set("zoom", map.getZoom());
    if (pending) pending.abort();
    pending = new AbortController();
    statusEl.textContent = "Loading initiatives…";
    fetch(wrap.dataset.geojson + "?" + p.toString(), {signal: pending.signal, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        if (!res[0]) { statusEl.textContent = (res[1].error && res[1].error.message) || "The map could not load."; return; }
        render(res[1]);
      })
      .catch(function (e) { if (e.name !== "AbortError") statusEl.textContent = "The map could not load. Check your connection and try again."; });
  }

  function refresh() { clearTimeout(timer); timer = setTimeout(function () { syncLocation(); load(); }, 150); }

  fetch(wrap.dataset.countries).then(function (r) { return r.json(); }).then(function (data) {
    countries = L.geoJSON(data, {pane: "countries", style: baseStyle, interactive: true}).addTo(map);
    wrap.dataset.baseLayer = String(data.features.length);
    loadChoropleth();
  }).catch(function () {});

  map.on("moveend", refresh);
  if (form) {
    form.addEventListener("change", function () { refresh(); loadChoropleth(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); refresh(); loadChoropleth(); });
  }
  load();
})();
