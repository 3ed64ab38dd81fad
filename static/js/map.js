/* The goal map: fetches clustered markers for the viewport and the filters, keeps the URL in sync.
 * At city zooms it also draws the convergence layers: lines between overlapping initiatives
 * (weight and opacity by score, dash by status) and circles around convergence groups.
 * Text from the server is always inserted with textContent (never innerHTML). */
(function () {
  "use strict";
  var wrap = document.getElementById("map-wrap");
  if (!wrap) return;
  var map = window[wrap.dataset.mapVar];
  if (!map) return;
  var form = document.getElementById("filters");
  var statusEl = document.getElementById("map-status");
  var emptyEl = document.getElementById("map-empty");  // the same words over the map when the view is empty
  var legendEl = document.getElementById("legend");
  var syncUrl = wrap.dataset.syncUrl === "1";
  var fixed = new URLSearchParams(wrap.dataset.fixed || "");
  var COLOUR = /^#[0-9a-fA-F]{3,8}$/;
  if (!map.options.maxZoom) map.setMaxZoom(18);  // no tile layer offline: clustering needs a max zoom
  /* Dots close together on screen are grouped in the browser too: drawn as the same bubbles as the
   * server's clusters (never the plugin's own unstyled icon); a click zooms in, or, when every dot sits
   * on one point (zooming will never separate them), opens the list of that place. A spider only ever
   * fans out a few dots that are apart but too close to separate at the deepest zoom. */
  var SPIDER_MAX = 10;
  var markers = (L.markerClusterGroup ? L.markerClusterGroup({maxClusterRadius: 14, spiderfyOnMaxZoom: false,
    showCoverageOnHover: false, zoomToBoundsOnClick: false, iconCreateFunction: groupIcon}) : L.layerGroup()).addTo(map);
  if (L.markerClusterGroup) {
    markers.on("clusterclick", openGroup);
    markers.on("spiderfied", function (e) { wrap.dataset.spiderLegs = String(e.markers.length); });
    markers.on("unspiderfied", function () { delete wrap.dataset.spiderLegs; });
  }
  var clusters = L.layerGroup().addTo(map);
  var countries = null, pending = null, timer = null;
  if (!wrap.dataset.tiles && window.addBasemap) window.addBasemap(map, wrap.dataset.basemap || "/map/basemap", wrap);
  map.createPane("countries").style.zIndex = 250;
  map.createPane("groups").style.zIndex = 350;  // under the lines (400) and the markers (600)
  var overlapLines = L.layerGroup().addTo(map), groupRings = L.layerGroup().addTo(map);
  var layerBoxes = {overlaps: document.getElementById("layer-overlaps"), groups: document.getElementById("layer-groups")};
  var convStatus = document.getElementById("convergence-status");
  var convLegend = document.getElementById("convergence-legend");
  var convList = document.getElementById("convergence-list");
  var textEl = document.getElementById("map-text");
  var TEXT = textEl ? JSON.parse(textEl.textContent) : {};
  var minZoom = Number(wrap.dataset.overlapsMinZoom || 9), pendingOverlaps = null;

  /* The filters the reader chose in the form (those left empty are not sent). */
  function chosenParams() {
    var p = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (v, k) { if (String(v).trim()) p.set(k, String(v).trim()); });
    }
    return p;
  }

  function filterParams() {
    var p = chosenParams();
    fixed.forEach(function (v, k) { p.set(k, v); });
    return p;
  }

  /* What an empty view says: with filters chosen, that they match nothing here; without, that
   * this part of the map has nothing yet (there is no filter to clear). */
  function emptyText() {
    return chosenParams().toString() !== ""
      ? (TEXT.empty_filtered || "No initiatives match these filters here. Zoom out, clear the filters, or register one.")
      : (TEXT.empty || "No initiatives in this part of the map yet. Zoom out to see more, or register one.");
  }

  function safeColour(c) { return c && COLOUR.test(c) ? c : "#5a5a5a"; }

  function layersOn(name) { return !!(layerBoxes[name] && layerBoxes[name].checked); }

  function syncLocation() {
    if (!syncUrl) return;
    var p = filterParams(), c = map.getCenter();
    p.set("z", map.getZoom()); p.set("lat", c.lat.toFixed(4)); p.set("lon", c.lng.toFixed(4));
    if (layerBoxes.overlaps && !(layersOn("overlaps") && layersOn("groups"))) {
      p.set("layers", ["overlaps", "groups"].filter(layersOn).join(",") || "none");
    }
    history.replaceState(null, "", location.pathname + "?" + p.toString());
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  /* The traffic light in words (never colour alone), as on the initiative page. */
  var FRESHNESS = {fresh: "Fresh", ageing: "Ageing", stale: "Stale"};
  function freshnessLine(level, days, tag) {
    var line = el(tag || "p", null, "freshness " + level), light = el("span", null, "light");
    light.setAttribute("aria-hidden", "true");
    line.appendChild(light);
    line.appendChild(document.createTextNode(FRESHNESS[level] + " · confirmed " +
      (days === 0 ? "today" : days === 1 ? "yesterday" : days + " days ago")));
    return line;
  }

  function popupFor(p) {
    var box = el("div", null, "popup");
    var h = el("h3"), a = el("a", p.title);
    a.href = p.url; h.appendChild(a); box.appendChild(h);
    var org = el("p"), oa = el("a", p.organisation);
    oa.href = "/organisations/" + encodeURIComponent(p.organisation_slug); org.appendChild(oa); box.appendChild(org);
    if (p.goals && p.goals.length) box.appendChild(el("p", "Goals: " + p.goals.join(", ")));
    if (p.start || p.end || p.status) {
      box.appendChild(el("p", [(p.start || p.end) ? (p.start || "…") + " – " + (p.end || "…") : null,
                               p.status ? p.status.charAt(0).toUpperCase() + p.status.slice(1) : null]
        .filter(Boolean).join(" · ")));
    }
    if (p.freshness) box.appendChild(freshnessLine(p.freshness, p.confirmed_days_ago));
    if (p.approximate) box.appendChild(el("p", "Shown at the area's centre (approximate place).", "muted"));
    return box;
  }

  function dot(colour, approximate, label) {
    var span = el("span", null, "dot" + (approximate ? " approx" : ""));
    span.style.background = safeColour(colour);
    span.setAttribute("aria-hidden", "true");
    return L.divIcon({html: span, className: "marker", iconSize: [18, 18], iconAnchor: [9, 9]});
  }

  function clusterIcon(count, colour, samePlace) {
    var size = count < 10 ? 30 : count < 100 ? 38 : count < 1000 ? 46 : 54;
    var span = el("span", String(count), "bubble" + (samePlace ? " same-place" : ""));
    span.style.background = safeColour(colour);
    span.style.width = span.style.height = span.style.lineHeight = size + "px";
    return L.divIcon({html: span, className: "cluster", iconSize: [size, size], iconAnchor: [size / 2, size / 2]});
  }

  function onOnePoint(kids) {
    var a = kids[0].getLatLng();
    return kids.every(function (k) {
      var b = k.getLatLng();
      return Math.abs(a.lat - b.lat) < 0.00002 && Math.abs(a.lng - b.lng) < 0.00002;
    });
  }

  function groupIcon(cluster) {
    var kids = cluster.getAllChildMarkers(), votes = {}, best = null;
    kids.forEach(function (k) {
      var c = k.options.colour || "";
      votes[c] = (votes[c] || 0) + 1;
      if (best === null || votes[c] > votes[best]) best = c;
    });
    return clusterIcon(cluster.getChildCount(), best, onOnePoint(kids));
  }

  function openGroup(e) {
    var group = e.layer, kids = group.getAllChildMarkers();
    if (onOnePoint(kids)) {
      var at = kids[0].getLatLng();
      L.popup({maxWidth: 320}).setLatLng(at).setContent(placePopup(at.lat, at.lng, kids.length)).openOn(map);
    } else if (map.getZoom() < map.getMaxZoom()) {
      group.zoomToBounds({padding: [30, 30]});
    } else if (kids.length <= SPIDER_MAX) {
      group.spiderfy();
    } else {
      L.popup({maxWidth: 320}).setLatLng(group.getLatLng()).setContent(nearbyPopup(kids)).openOn(map);
    }
  }

  /* Many dots a few metres apart at the deepest zoom: a list rather than a spider of dozens of legs. */
  function nearbyPopup(kids) {
    var box = el("div", null, "popup");
    box.appendChild(el("h3", kids.length + " initiatives a few metres apart"));
    var ol = el("ol", null, "place-list");
    kids.forEach(function (k) {
      var li = el("li"), a = el("a", k.options.title || "Initiative");
      a.href = k.options.url || "/initiatives/" + k.options.initiativeId;
      li.appendChild(a); ol.appendChild(li);
    });
    box.appendChild(ol);
    return box;
  }

  function render(data) {
    markers.clearLayers(); clusters.clearLayers();
    var seen = {}, legend = [];
    /* Every colour shown gets a line in the legend: a goal's name, or grey for "no goal given". */
    function noteColour(colour, code) {
      var key = colour && COLOUR.test(colour) ? colour.toUpperCase() : "";
      if (seen[key]) return;
      seen[key] = 1;
      legend.push([key, code || ""]);
    }
    data.features.forEach(function (f) {
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]], p = f.properties;
      if (p.cluster) {
        var b = p.bounds, samePlace = !!(b && b.length === 4 && b[0] === b[2] && b[1] === b[3]);
        var m = L.marker(ll, {icon: clusterIcon(p.count, p.colour, samePlace), keyboard: true,
          title: samePlace ? p.count + " initiatives at this same place, click for the list"
                           : p.count + " initiatives close together, click to zoom in"});
        if (samePlace) {
          m.bindPopup(function () { return placePopup(b[1], b[0], p.count); }, {maxWidth: 320});
        } else {
          m.on("click", function () {
            if (b && b.length === 4) map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {padding: [30, 30]});
            else map.setView(ll, Math.min(map.getZoom() + 3, 18));
          });
        }
        clusters.addLayer(m);
        noteColour(p.colour, null);
      } else {
        var s = L.marker(ll, {icon: dot(p.colour, p.approximate), keyboard: true, title: p.title});
        s.bindPopup(popupFor(p));
        s.options.initiativeId = p.id;
        s.options.colour = p.colour; s.options.url = p.url;
        markers.addLayer(s);
        noteColour(p.colour, (p.goals && p.goals[0] || "").split(".")[0]);
      }
    });
    var m = data.meta;
    statusEl.textContent = m.initiatives === 0 ? emptyText()
      : m.initiatives + (m.initiatives === 1 ? " initiative" : " initiatives") + " in view (" + data.features.length + " markers).";
    if (emptyEl) {
      emptyEl.textContent = m.initiatives === 0 ? statusEl.textContent : "";
      emptyEl.hidden = m.initiatives !== 0;
    }
    wrap.dataset.loaded = String(Date.now());
    wrap.dataset.markers = String(data.features.length);
    map.fire("markersdrawn");
    renderLegend(legend);
  }

  /* A hub: many initiatives at the very same point. Zooming in never separates them, so the
   * bubble opens a list of them (same filters and visibility as the markers). */
  function placePopup(lat, lon, count) {
    var box = el("div", null, "popup");
    box.appendChild(el("h3", count + " initiatives at this same place"));
    var note = el("p", "Loading the list…", "muted");
    box.appendChild(note);
    var p = filterParams();
    p.set("lat", String(lat)); p.set("lon", String(lon));
    fetch((wrap.dataset.place || "/map/place.json") + "?" + p.toString(), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var ol = el("ol", null, "place-list");
        (data.initiatives || []).forEach(function (i) {
          var li = el("li"), a = el("a", i.title);
          a.href = i.url; li.appendChild(a);
          li.appendChild(document.createTextNode(" (" + (i.organisation || "") + ")"));
          if (i.freshness) {
            li.appendChild(document.createTextNode(" "));
            li.appendChild(freshnessLine(i.freshness, i.confirmed_days_ago, "span"));
          }
          ol.appendChild(li);
        });
        var more = data.count - (data.initiatives || []).length;
        note.textContent = "Zooming in will not separate them." + (more > 0 ? " The first " + data.initiatives.length +
          " are listed; filter the map to narrow the " + data.count + "." : "");
        box.appendChild(ol);
      }).catch(function () { note.textContent = "The list could not load."; });
    return box;
  }

  function renderLegend(goals) {
    if (!legendEl) return;
    legendEl.textContent = "";
    if (!goals.length && !legendEl.dataset.choropleth) { legendEl.hidden = true; return; }
    legendEl.hidden = false;
    if (goals.length) {
      var names = TEXT.goal_colours || {};
      legendEl.appendChild(el("h2", TEXT.colour_heading || "Colour: primary goal"));
      var ul = el("ul", null, "colour-legend one-column");
      var rows = goals.map(function (g) {
        var label = !g[0] ? (TEXT.no_goal || "Grey: no goal given")
          : names[g[0]] || (g[1] ? "Goal " + g[1] : "Another goal");
        var n = parseInt((/\d+/.exec(label) || ["999"])[0], 10);
        return {colour: g[0], label: label, order: g[0] ? n : 10000};
      });
      rows.sort(function (a, b) { return a.order - b.order || (a.label < b.label ? -1 : 1); });
      rows.forEach(function (r) {
        var li = el("li", null, r.colour ? "" : "no-goal"), sw = el("span", null, "swatch");
        sw.style.background = safeColour(r.colour); sw.setAttribute("aria-hidden", "true");
        li.appendChild(sw); li.appendChild(document.createTextNode(" " + r.label));
        ul.appendChild(li);
      });
      legendEl.appendChild(ul);
      if (TEXT.colour_note) legendEl.appendChild(el("p", TEXT.colour_note, "hint"));
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
          return c ? {stroke: true, color: "#777", weight: 0.6, fillColor: c, fillOpacity: 0.6} : baseStyle();
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
    return {stroke: false, fillOpacity: 0};  // the basemap draws land and borders; this layer is for the choropleth
  }

  function load() {
    var p = filterParams();
    p.set("bbox", viewBbox());
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

  /* convergence layers */
  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_m, k) { return values[k] != null ? values[k] : ""; });
  }

  function viewBbox() {
    var b = map.getBounds();
    var west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
    var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    if (b.getEast() - b.getWest() >= 360) { west = -180; east = 180; }
    return [west, south, east, north].map(function (v) { return v.toFixed(5); }).join(",");
  }

  function sideLink(side) {
    var a = el("a", side.title || ("#" + side.id));
    a.href = side.url;
    return a;
  }

  function overlapPopup(p) {
    var box = el("div", null, "popup");
    var h = el("h3");
    h.appendChild(sideLink(p.a)); h.appendChild(document.createTextNode(" " + TEXT.and + " ")); h.appendChild(sideLink(p.b));
    box.appendChild(h);
    box.appendChild(el("p", (p.a.organisation || "") + " · " + (p.b.organisation || "")));
    box.appendChild(el("p", fill(TEXT.score, {score: Math.round(p.score * 100) + "%"}) + " · " + fill(TEXT.status, {status: p.status})));
    box.appendChild(el("p", p.explanation));
    if (p.a.approximate || p.b.approximate) box.appendChild(el("p", TEXT.approximate, "muted"));
    return box;
  }

  function groupPopup(p) {
    var box = el("div", null, "popup");
    box.appendChild(el("p", fill(TEXT.group, p)));
    box.appendChild(el("p", p.institutional ? TEXT.institutional : TEXT.grassroots));
    var a = el("a", TEXT.all_groups);
    a.href = "/groups"; box.appendChild(a);
    return box;
  }

  var LINE_COLOUR = {suggested: "#6a3d9a", confirmed: "#1f4e9c", coordinating: "#1b7837"};
  function lineStyle(p) {
    var t = Math.max(0, Math.min(1, (p.score - 0.4) / 0.6));
    return {color: LINE_COLOUR[p.status] || LINE_COLOUR.suggested, weight: 1.5 + 5 * t, opacity: 0.45 + 0.5 * t,
            dashArray: p.status === "suggested" ? "6 5" : null, lineCap: "round"};
  }

  function listItem(p) {
    var li = el("li");
    li.appendChild(sideLink(p.a)); li.appendChild(document.createTextNode(" (" + (p.a.organisation || "?") + ") — "));
    li.appendChild(sideLink(p.b)); li.appendChild(document.createTextNode(" (" + (p.b.organisation || "?") + ")"));
    li.appendChild(el("span", " (" + Math.round(p.score * 100) + "%, " + p.status + "): " + p.explanation, "muted"));
    return li;
  }

  function clearOverlaps() {
    overlapLines.clearLayers(); groupRings.clearLayers();
    if (convList) { convList.hidden = true; convList.querySelector("ol").textContent = ""; }
    if (convLegend) convLegend.hidden = true;
  }

  function renderOverlaps(data) {
    clearOverlaps();
    var m = data.meta, items = [], drawn = 0, samePlace = {}, samePlaceCount = 0;
    if (m.zoom_in) { convStatus.textContent = TEXT.zoom_in; return; }
    data.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      if (p.kind === "group" && layersOn("groups")) {
        var ring = L.circle([c[1], c[0]], {radius: Math.max(p.radius_m, 150), pane: "groups", weight: 2, dashArray: "2 6",
          color: p.institutional ? "#1b7837" : "#b35900", fillColor: p.institutional ? "#1b7837" : "#b35900", fillOpacity: 0.07});
        ring.bindPopup(groupPopup(p));
        groupRings.addLayer(ring);
      } else if (p.kind === "overlap" && layersOn("overlaps")) {
        items.push(p);
        if (c[0][0] === c[1][0] && c[0][1] === c[1][1]) {  // both at the same point: a line would have no length
          var key = c[0][0] + "," + c[0][1];
          samePlace[key] = (samePlace[key] || 0) + 1; samePlaceCount++;
          return;
        }
        var line = L.polyline([[c[0][1], c[0][0]], [c[1][1], c[1][0]]], lineStyle(p));
        line.bindPopup(overlapPopup(p));
        overlapLines.addLayer(line);
        drawn++;
      }
    });
    Object.keys(samePlace).forEach(function (key) {
      var ll = key.split(",").map(Number), n = samePlace[key];
      var ring = L.circleMarker([ll[1], ll[0]], {radius: 34, weight: 3, color: LINE_COLOUR.suggested, fill: false,
        className: "same-place-ring", interactive: true});
      ring.bindTooltip(fill(TEXT.same_place_ring, {count: n}));
      overlapLines.addLayer(ring);
    });
    convStatus.textContent = m.overlaps === 0 ? TEXT.none : fill(m.overlaps > m.lines ? TEXT.summary_capped : TEXT.summary, {
      total: m.overlaps, shown: m.lines, lines: drawn, same: samePlaceCount, rest: m.overlaps - m.lines, groups: m.groups});
    if (convLegend) convLegend.hidden = m.overlaps === 0;
    if (convList && items.length) {
      var ol = convList.querySelector("ol");
      items.slice(0, 20).forEach(function (p) { ol.appendChild(listItem(p)); });
      convList.hidden = false;
    }
    wrap.dataset.overlapsLoaded = String(Date.now());
    wrap.dataset.overlapLines = String(drawn);
    wrap.dataset.samePlaceOverlaps = String(samePlaceCount);
    wrap.dataset.samePlaceRings = String(Object.keys(samePlace).length);
    wrap.dataset.groupRings = String(groupRings.getLayers().length);
  }

  function loadOverlaps() {
    if (!wrap.dataset.overlaps || !convStatus) return;
    if (pendingOverlaps) pendingOverlaps.abort();
    if (!layersOn("overlaps") && !layersOn("groups")) { clearOverlaps(); convStatus.textContent = ""; return; }
    if (map.getZoom() < minZoom) {
      clearOverlaps(); convStatus.textContent = TEXT.zoom_in;
      wrap.dataset.overlapsLoaded = String(Date.now());
      return;
    }
    var p = filterParams();
    p.set("bbox", viewBbox()); p.set("zoom", map.getZoom());
    pendingOverlaps = new AbortController();
    convStatus.textContent = TEXT.loading;
    fetch(wrap.dataset.overlaps + "?" + p.toString(), {signal: pendingOverlaps.signal, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        if (!res[0]) { convStatus.textContent = (res[1].error && res[1].error.message) || TEXT.failed; return; }
        renderOverlaps(res[1]);
      })
      .catch(function (e) { if (e.name !== "AbortError") convStatus.textContent = TEXT.failed; });
  }

  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(function () { syncLocation(); load(); loadOverlaps(); }, 150);
  }

  fetch(wrap.dataset.countries).then(function (r) { return r.json(); }).then(function (data) {
    countries = L.geoJSON(data, {pane: "countries", style: baseStyle, interactive: true}).addTo(map);
    wrap.dataset.baseLayer = String(data.features.length);
    loadChoropleth();
  }).catch(function () {});

  var toggle = document.getElementById("filters-toggle"), closer = document.getElementById("filters-close");
  function drawer(open) {
    if (!form || !toggle) return;
    form.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open) { var first = form.querySelector("select, input"); if (first) first.focus(); } else toggle.focus();
  }
  if (toggle) toggle.addEventListener("click", function () { drawer(!form.classList.contains("open")); });
  if (closer) closer.addEventListener("click", function () { drawer(false); });
  if (form) form.addEventListener("keydown", function (e) { if (e.key === "Escape" && form.classList.contains("open")) drawer(false); });

  map.on("moveend", refresh);
  if (form) {
    form.addEventListener("change", function (e) {
      if (e.target === layerBoxes.overlaps || e.target === layerBoxes.groups) { syncLocation(); loadOverlaps(); return; }
      refresh(); loadChoropleth();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); refresh(); loadChoropleth(); });
  }
  load();
  loadOverlaps();
})();
