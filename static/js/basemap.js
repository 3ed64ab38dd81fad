/* The offline basemap (scripts/build_basemap.py), shared by the goal map and the small maps of the
 * registration form and the group page: land, water and borders drawn on canvas tiles, place and
 * area names as text in a pane above them, placed biggest first so none overlap. Tiles come from
 * the app (BASE/{z}/{x}/{y}.json), nothing from outside. `holder` gets data-basemap-labels (how many
 * names are shown) and data-basemap-zoom once names are placed. Names are inserted with textContent. */
(function () {
  "use strict";
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function addBasemap(map, base, holder) {
    var BANDS = [[0, 0, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8], [8, 9, 99]], EXTENT = 4096;
    var cache = {}, loaded = {}, cached = 0, labelTimer = null;
    var COLOURS = {sea: "#b8d4e6", land: "#f3f1ea", water: "#a6cbe5", border: "#80708a", admin1: "#a895b0"};
    function dataZoom(z) {
      for (var i = 0; i < BANDS.length; i++) if (z >= BANDS[i][1] && z <= BANDS[i][2]) return Math.min(BANDS[i][0], z);
      return 8;
    }
    function getTile(d, x, y) {
      var key = d + "/" + x + "/" + y;
      if (!cache[key]) {
        if (++cached > 600) { cache = {}; loaded = {}; cached = 1; }
        cache[key] = fetch(base + "/" + key + ".json", {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; })
          .then(function (data) { loaded[key] = data; scheduleLabels(); return data; });
      }
      return cache[key];
    }
    function path(ctx, flat, f, ox, oy) {
      ctx.moveTo(flat[0] * f - ox, flat[1] * f - oy);
      for (var i = 2; i < flat.length; i += 2) ctx.lineTo(flat[i] * f - ox, flat[i + 1] * f - oy);
    }
    function fillPolys(ctx, polys, colour, f, ox, oy) {
      if (!polys) return;
      ctx.fillStyle = colour;
      polys.forEach(function (poly) {
        ctx.beginPath();
        poly.forEach(function (ring) { path(ctx, ring, f, ox, oy); ctx.closePath(); });
        ctx.fill("evenodd");
      });
    }
    function strokeLines(ctx, lines, colour, width, dash, f, ox, oy) {
      if (!lines) return;
      ctx.strokeStyle = colour;
      ctx.lineWidth = width * (window.devicePixelRatio || 1);
      ctx.setLineDash(dash);
      ctx.lineJoin = "round";
      ctx.beginPath();
      lines.forEach(function (line) { path(ctx, line, f, ox, oy); });
      ctx.stroke();
    }
    function draw(canvas, data, z, f, ox, oy) {
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = COLOURS.sea;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      fillPolys(ctx, data.land, COLOURS.land, f, ox, oy);
      fillPolys(ctx, data.water, COLOURS.water, f, ox, oy);
      // first-level boundaries: thin and finely dashed, under the country borders
      strokeLines(ctx, data.admin1, COLOURS.admin1, z >= 8 ? 1.2 : 0.8, [3, 3], f, ox, oy);
      strokeLines(ctx, data.border, COLOURS.border, z >= 5 ? 1.6 : 1, z >= 5 ? [6, 3] : [], f, ox, oy);
    }
    var Basemap = L.GridLayer.extend({
      createTile: function (coords, done) {
        var canvas = document.createElement("canvas"), size = this.getTileSize(), r = window.devicePixelRatio || 1;
        canvas.width = size.x * r; canvas.height = size.y * r;
        var z = coords.z, d = dataZoom(z), k = z - d, n = 1 << z;
        var x = ((coords.x % n) + n) % n, y = coords.y;
        if (y < 0 || y >= n) { done(null, canvas); return canvas; }
        var dx = x >> k, dy = y >> k, f = size.x * (1 << k) / EXTENT * r;
        var ox = (x - (dx << k)) * size.x * r, oy = (y - (dy << k)) * size.y * r;
        getTile(d, dx, dy).then(function (data) { draw(canvas, data, z, f, ox, oy); done(null, canvas); });
        return canvas;
      }
    });
    new Basemap({pane: "tilePane", updateWhenZooming: false, keepBuffer: 1,
                 attribution: "Natural Earth · © OpenStreetMap contributors · GeoNames"}).addTo(map);

    var pane = map.createPane("basemap-labels");
    pane.style.zIndex = 450;  // above lines and circles (400), under markers (600)
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");
    var measure = document.createElement("canvas").getContext("2d");
    var FONTS = {country: "bold 13px sans-serif", capital: "bold 13px sans-serif", bigplace: "bold 12px sans-serif",
                 place: "12px sans-serif", admin1: "italic 12px sans-serif", admin2: "italic 11px sans-serif"};
    function minPopulation(z) {
      return z <= 2 ? 3e6 : z === 3 ? 1e6 : z === 4 ? 5e5 : z === 5 ? 2e5 : z === 6 ? 1e5 : z === 7 ? 3e4
        : z === 8 ? 1.5e4 : z === 9 ? 5e3 : z === 10 ? 2e3 : 0;
    }
    function minCountryArea(z) {  // km²: at world zooms small territories leave the room to large countries
      return z <= 2 ? 25000 : z === 3 ? 5000 : z === 4 ? 1000 : 0;
    }
    function priority(kind, rank, z, name) {
      if (kind === "country") {
        if (z > 6) return -1;
        // A country's rank is its area in km² (scripts/build_basemap.py): the largest are named first;
        // at world zooms a very long official name (the United Kingdom's is 52 letters) would cross oceans.
        if (rank < minCountryArea(z) || (z <= 3 && name.length > 26)) return -1;
        return z <= 4 ? 1e12 + rank : 2e6;
      }
      if (kind === "admin1") return z >= 6 ? (z <= 11 ? 1.5e5 : 1.2e3) : -1;
      if (kind === "admin2") return z >= 10 ? 8e3 : -1;
      if (rank < minPopulation(z) && !(kind === "capital" && z >= 3)) return -1;
      return kind === "capital" ? 1e9 + rank : rank;
    }
    function scheduleLabels() {
      clearTimeout(labelTimer);
      labelTimer = setTimeout(drawLabels, 60);
    }
    function drawLabels() {
      var z = map.getZoom(), d = dataZoom(z), tilePx = 256 * Math.pow(2, z - d), n = 1 << d;
      var b = map.getPixelBounds(), origin = map.getPixelOrigin(), world = 256 * Math.pow(2, z);
      var candidates = [];
      var x0 = Math.floor(b.min.x / tilePx), x1 = Math.floor(b.max.x / tilePx);
      var y0 = Math.max(0, Math.floor(b.min.y / tilePx)), y1 = Math.min(n - 1, Math.floor(b.max.y / tilePx));
      for (var tx = x0; tx <= x1; tx++) {
        for (var ty = y0; ty <= y1; ty++) {
          var wx = ((tx % n) + n) % n, key = d + "/" + wx + "/" + ty, data = loaded[key];
          if (!data) { getTile(d, wx, ty); continue; }
          (data.labels || []).forEach(function (l) {
            var p = priority(l[0], l[4], z, l[1]);
            if (p < 0) return;
            var gx = (tx + l[2] / EXTENT) * tilePx, gy = (ty + l[3] / EXTENT) * tilePx;
            if (gx < b.min.x || gx > b.max.x || gy < b.min.y || gy > b.max.y) return;
            candidates.push({kind: l[0], name: l[1], rank: l[4], p: p, x: gx - origin.x, y: gy - origin.y});
          });
        }
      }
      candidates.sort(function (a, c) { return c.p - a.p; });
      // Markers are obstacles: a name goes beside them, never under them.
      var boxes = [], frag = document.createDocumentFragment(), shown = 0, named = {};
      var corner = map.containerPointToLayerPoint([0, 0]), mapBox = map.getContainer().getBoundingClientRect();
      document.querySelectorAll("#" + map.getContainer().id + " .leaflet-marker-icon").forEach(function (icon) {
        var r = icon.getBoundingClientRect();
        boxes.push([r.left - mapBox.left + corner.x, r.top - mapBox.top + corner.y,
                    r.right - mapBox.left + corner.x, r.bottom - mapBox.top + corner.y]);
      });
      var free = function (box) {
        for (var i = 0; i < boxes.length; i++) {
          var o = boxes[i];
          if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) return false;
        }
        return true;
      };
      candidates.forEach(function (c) {
        if (shown >= 120) return;
        var style = c.kind === "place" && c.rank >= 1e5 ? "bigplace" : c.kind;
        measure.font = FONTS[style];
        var text = c.kind === "country" ? c.name.toUpperCase() : c.name;
        if (named[text]) return;  // an area named like its town: one label is enough
        var w = measure.measureText(text).width + 8, h = 16;
        var dot = c.kind === "place" || c.kind === "capital";
        var spots = dot ? [[c.x + 5, c.y - h / 2], [c.x - w - 5, c.y - h / 2], [c.x - w / 2, c.y - h - 4], [c.x - w / 2, c.y + 4],
                           [c.x + 30, c.y - h / 2], [c.x - w - 30, c.y - h / 2], [c.x - w / 2, c.y - h - 30], [c.x - w / 2, c.y + 30]]
                        : [[c.x - w / 2, c.y - h / 2], [c.x - w / 2, c.y - h - 12], [c.x - w / 2, c.y + 12],
                           // an area's marker stands on the area's own point: its name goes beside it
                           [c.x - w / 2, c.y - h - 30], [c.x - w / 2, c.y + 30], [c.x + 30, c.y - h / 2],
                           [c.x - w - 30, c.y - h / 2]];
        var left = null, top = null, box = null;
        for (var s = 0; s < spots.length && left === null; s++) {
          box = [spots[s][0] - 3, spots[s][1] - 2, spots[s][0] + w + 3, spots[s][1] + h + 2];
          if (free(box)) { left = spots[s][0]; top = spots[s][1]; }
        }
        if (left === null) return;
        boxes.push(box); shown++; named[text] = 1;
        var span = el("span", text, "bm-label bm-" + style);
        span.style.left = Math.round(left) + "px"; span.style.top = Math.round(top) + "px";
        frag.appendChild(span);
        if (dot) {
          var mark = el("span", null, "bm-dot" + (c.kind === "capital" ? " bm-capital-dot" : ""));
          mark.style.left = Math.round(c.x - 3) + "px"; mark.style.top = Math.round(c.y - 3) + "px";
          frag.appendChild(mark);
        }
      });
      pane.textContent = "";
      pane.appendChild(frag);
      pane.style.visibility = "";
      holder.dataset.basemapLabels = String(shown);
      if (world) holder.dataset.basemapZoom = String(z);
    }
    map.on("zoomstart", function () { pane.style.visibility = "hidden"; });
    map.on("moveend zoomend viewreset resize markersdrawn", scheduleLabels);
    scheduleLabels();
  }

  window.addBasemap = addBasemap;
}());
