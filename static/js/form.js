/* The initiative form: live goal suggestions, place search and map clicks, similar initiatives.
 * Server text is inserted with textContent only. Without JavaScript the form still works. */
(function () {
  "use strict";
  var form = document.getElementById("initiative-form");
  if (!form) return;
  var ds = form.dataset, timers = {};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function debounce(key, fn, ms) { clearTimeout(timers[key]); timers[key] = setTimeout(fn, ms); }
  function getJSON(url) { return fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }); }

  /* goal suggestions */
  var box = document.getElementById("suggestions");
  function goalBox(code) { return document.getElementById("goal-" + code.replace(/[:.]/g, "-")); }
  function suggest() {
    var title = form.elements.title.value, desc = form.elements.description.value;
    var q = new URLSearchParams({title: title, description: desc, tags: form.elements.tags.value});
    getJSON(ds.suggest + "?" + q).then(function (data) {
      box.textContent = "";
      if (!data.available) { box.appendChild(el("p", "Goal suggestions are not available on this platform yet; pick goals below.", "hint")); return; }
      var items = (data.targets || []).concat(data.goals || []).filter(function (s) { var b = goalBox(s.code); return b && !b.checked; });
      if (!items.length) { box.appendChild(el("p", title.length < 8 ? "Type a title and description: suggested goals appear here." : "No further suggestion.", "hint")); return; }
      box.appendChild(el("p", "Suggested from your text (click to add):", "hint"));
      items.slice(0, 6).forEach(function (s) {
        var b = el("button", s.code + " " + s.title, "chip-button");
        b.type = "button";
        b.dataset.code = s.code;
        if (s.because && s.because.length) b.title = "Because the text says: " + s.because.join(", ");
        b.addEventListener("click", function () {
          var cb = goalBox(s.code);
          if (cb) { cb.checked = true; var d = cb.closest("details"); if (d) d.open = true; }
          b.remove(); similar();
        });
        box.appendChild(b);
      });
    }).catch(function () {});
  }
  ["title", "description", "tags"].forEach(function (n) {
    form.elements[n].addEventListener("input", function () { debounce("suggest", suggest, 400); });
  });

  /* places */
  var rows = document.getElementById("location-rows");
  function rowInputs(row) {
    return {name: row.querySelector(".place-name"), country: row.querySelector(".place-country"),
      admin1: row.querySelector(".place-admin1"), lat: row.querySelector(".place-lat"), lon: row.querySelector(".place-lon")};
  }
  function fill(row, p) {
    var i = rowInputs(row);
    if (p.name && !i.name.value) i.name.value = p.name;
    i.country.value = p.country || ""; i.admin1.value = p.admin1 || "";
    if (p.lat != null) { i.lat.value = Number(p.lat).toFixed(5); i.lon.value = Number(p.lon).toFixed(5); }
    drawPins(); similar();
    if (p.lat != null && p.zoom !== false) zoomTo(p);
  }
  /* show the found place on the small map: closer for a point or district than for a whole country */
  var ZOOM = {country: 5, admin1: 7, admin2: 9};
  function zoomTo(p) {
    if (!map || p.lat == null) return;
    map.setView([Number(p.lat), Number(p.lon)], ZOOM[p.precision] || 10);
  }
  function wireRow(row) {
    row.querySelector(".find-place").addEventListener("click", function () {
      var i = rowInputs(row), out = row.querySelector(".place-choices");
      out.textContent = "";
      if (!i.name.value.trim()) { out.appendChild(el("p", "Type a place name first.", "error-text")); return; }
      var q = new URLSearchParams({q: i.name.value});
      if (i.country.value) q.set("country", i.country.value);
      getJSON(ds.geocode + "?" + q).then(function (data) {
        if (!data.available) { out.appendChild(el("p", "Place search is not available; click the map or type coordinates.", "hint")); return; }
        if (!data.items.length) { out.appendChild(el("p", "No place found with this name. Try the region or click the map.", "hint")); return; }
        data.items.forEach(function (p) {
          var kind = {country: "country", admin1: "region", admin2: "district"}[p.precision] || "place";
          var b = el("button", [p.name, p.admin1 !== p.name ? p.admin1 : null, p.country_name || p.country].filter(Boolean).join(", ") + " (" + kind + ")", "chip-button");
          b.type = "button";
          b.addEventListener("click", function () { i.name.value = p.name; fill(row, p); out.textContent = ""; });
          out.appendChild(b);
        });
        if (data.items[0].lat != null) zoomTo(data.items[0]);  /* show where the best match is while choosing */
      }).catch(function () {});
    });
    ["change"].forEach(function (ev) { row.addEventListener(ev, function () { drawPins(); similar(); }); });
  }
  function addRow() {
    var all = rows.querySelectorAll(".location-row"), last = all[all.length - 1];
    var n = all.length, clone = last.cloneNode(true);
    clone.dataset.row = n;
    clone.querySelectorAll("[id],[name],[for],[aria-describedby]").forEach(function (e) {
      ["id", "name", "for", "aria-describedby"].forEach(function (a) {
        var v = e.getAttribute(a);
        if (v) e.setAttribute(a, v.replace(/loc-\d+-/, "loc-" + n + "-"));
      });
      if (e.tagName === "INPUT") e.value = "";
      if (e.tagName === "SELECT") e.selectedIndex = 0;
    });
    clone.querySelectorAll(".error-text,.place-choices > *").forEach(function (e) { e.remove(); });
    rows.appendChild(clone); wireRow(clone);
    return clone;
  }
  rows.querySelectorAll(".location-row").forEach(wireRow);
  document.getElementById("add-place").addEventListener("click", function () { addRow().querySelector(".place-name").focus(); });
  function emptyRow() {
    var found = null;
    rows.querySelectorAll(".location-row").forEach(function (r) {
      var i = rowInputs(r);
      if (!found && !i.name.value && !i.lat.value && !i.country.value) found = r;
    });
    return found || addRow();
  }

  /* the map: click to add a place */
  var map = null, pins = null;
  function drawPins() {
    if (!pins) return;
    pins.clearLayers();
    rows.querySelectorAll(".location-row").forEach(function (r) {
      var i = rowInputs(r), lat = parseFloat(i.lat.value), lon = parseFloat(i.lon.value);
      if (!isNaN(lat) && !isNaN(lon)) L.circleMarker([lat, lon], {radius: 7, color: "#12355b", fillOpacity: 0.8}).addTo(pins);
    });
  }
  if (window.L && document.getElementById("form-map")) {
    map = L.map("form-map", {worldCopyJump: false, minZoom: 1}).setView([5, 20], 2);
    pins = L.layerGroup().addTo(map);
    map.on("zoomend", function () { document.getElementById("form-map").dataset.zoom = map.getZoom(); });
    var mapBox = document.getElementById("form-map");
    if (window.addBasemap) window.addBasemap(map, mapBox.dataset.basemap, mapBox);  // land, water, borders and names
    map.on("click", function (e) {
      var row = emptyRow(), i = rowInputs(row);
      i.lat.value = e.latlng.lat.toFixed(5); i.lon.value = e.latlng.lng.toFixed(5);
      getJSON(ds.reverse + "?lat=" + e.latlng.lat + "&lon=" + e.latlng.lng).then(function (data) {
        if (data.place) fill(row, {name: data.place.admin1 || data.place.name, country: data.place.country,
          admin1: data.place.admin1, lat: e.latlng.lat, lon: e.latlng.lng, zoom: false});
        else { drawPins(); similar(); }
      }).catch(function () { drawPins(); });
    });
    drawPins();
  }

  /* similar initiatives, live: the convergence engine's overlaps for what is typed so far (POST with the CSRF token) */
  var panel = document.getElementById("similar-live");
  var pendingSimilar = null;
  function similar() {
    debounce("similar", function () {
      var body = new FormData(form);
      if (ds.exclude) body.set("exclude", ds.exclude);
      var title = String(body.get("title") || "").trim();
      if (!body.getAll("goals").length && title.length < 8) { panel.hidden = true; return; }
      if (pendingSimilar) pendingSimilar.abort();
      pendingSimilar = new AbortController();
      fetch(ds.similar, {method: "POST", body: body, credentials: "same-origin", signal: pendingSimilar.signal,
                         headers: {"X-CSRF-Token": String(body.get("csrf_token") || "")}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var ul = panel.querySelector("ul");
          ul.textContent = "";
          if (!data.items || !data.items.length) { panel.hidden = true; return; }
          data.items.forEach(function (s) {
            var li = el("li"), a = el("a", s.title);
            a.href = "/initiatives/" + s.id; a.target = "_blank"; a.rel = "noopener";
            li.appendChild(a); li.appendChild(document.createTextNode(" — " + s.organisation + " "));
            var why = s.score != null ? Math.round(s.score * 100) + "% · " + s.reason : s.reason;
            li.appendChild(el("span", "(" + why + ")", "muted"));
            ul.appendChild(li);
          });
          panel.hidden = false;
        }).catch(function () {});
    }, 500);
  }
  ["title", "description", "tags", "start", "end"].forEach(function (n) {
    if (form.elements[n]) form.elements[n].addEventListener("input", similar);
  });
  form.addEventListener("change", function (e) { if (e.target.name === "goals" || e.target.name === "primary_goal") similar(); });
  /* status from the dates, until the person picks one: pipeline before the start, implementation, closed after the end.
     Shown on the empty choice, never selected: a status left empty is worked out on every read, so it follows time. */
  var statusBox = form.elements.status;
  var notGiven = statusBox ? statusBox.options[0].text : "";
  function statusFromDates() {
    var start = form.elements.start.value, end = form.elements.end.value, today = ds.today;
    if (end && end < today) return "closed";
    if (start && start > today) return "pipeline";
    if (start || end) return "implementation";
    return "";
  }
  function showDerived() {
    var derived = statusFromDates(), option = derived && statusBox.querySelector('option[value="' + derived + '"]');
    statusBox.options[0].text = option ? notGiven + ": " + option.text : notGiven;
  }
  if (statusBox) {
    showDerived();
    ["start", "end"].forEach(function (n) {
      form.elements[n].addEventListener("change", showDerived);
      form.elements[n].addEventListener("input", showDerived);
    });
  }

  similar(); suggest();
  var summary = document.getElementById("error-summary") || document.getElementById("similar-panel");
  if (summary) summary.focus();
})();
