/* Creator map and the small map on a place's page. Progressive: the pages work without this. */
(function () {
  "use strict";

  // --- Coordinate systems -------------------------------------------------------------------
  // Content is WGS-84. Most Chinese commercial tiles use GCJ-02, which is offset by up to
  // ~500 m; when the tiles are GCJ-02 we shift markers onto them (and shift the view back for
  // bounding-box queries). The conversion is the widely published approximation of the
  // GCJ-02 algorithm (Krasovsky ellipsoid); it is identity outside mainland China.
  var A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lat, lon) { return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLon(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function wgsToGcj(lat, lon) {
    if (outOfChina(lat, lon)) { return [lat, lon]; }
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * Math.PI, m = 1 - EE * Math.sin(rad) * Math.sin(rad), s = Math.sqrt(m);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (m * s) * Math.PI);
    dLon = (dLon * 180) / (A / s * Math.cos(rad) * Math.PI);
    return [lat + dLat, lon + dLon];
  }
  function gcjToWgs(lat, lon) {  // one fixed-point step: error well under 10 m
    var g = wgsToGcj(lat, lon);
    return [lat - (g[0] - lat), lon - (g[1] - lon)];
  }

  // --- Other layers --------------------------------------------------------------------------
  // Scripts loaded after this one add their own layers through window.portalMap.onReady(fn):
  // fn({map, toMap, toData, element, kind}) runs for every map on the page ("big" creator map,
  // "small" place map), at once for maps already made. `toMap(lat, lon)` turns WGS-84 content
  // coordinates into the map's (GCJ-02 when the tiles are), `toData` the other way. The same
  // object is also sent as the detail of a "portal:map-ready" event on document.
  var ready = [], readyFns = [];
  function announce(m) {
    ready.push(m);
    readyFns.forEach(function (fn) { fn(m); });
    document.dispatchEvent(new CustomEvent("portal:map-ready", { detail: m }));
  }

  function setup(el, kind) {
    var gcj = el.dataset.crs === "gcj02";
    var toMap = function (lat, lon) { return gcj ? wgsToGcj(lat, lon) : [lat, lon]; };
    var map = L.map(el, { scrollWheelZoom: false, worldCopyJump: true, maxZoom: 18, minZoom: 3 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }
    var m = { map: map, toMap: toMap, element: el, kind: kind,
              toData: function (lat, lon) { return gcj ? gcjToWgs(lat, lon) : [lat, lon]; } };
    baseMap(el, m);
    return m;
  }

  // --- Base map: boundaries and names served by the portal (no outside network) -------------
  // Provinces (with the maritime boundary line) at every zoom, cities from zoom 6, the districts
  // of covered cities from zoom 9. Names are shown by zoom level; where two would overlap, the
  // larger area's name is kept and the other hidden until zooming in makes room.
  var BASE_MIN_ZOOM = { province: 0, city: 6, district: 9 };
  var LABEL_ZOOMS = { province: [0, 7], city: [6, 10], district: [9, 30] };
  var LABEL_RANK = { province: 0, city: 1, district: 2 };
  var STYLE = {
    province: { color: "#5f6f7a", weight: 1.2, fillColor: "#f7f4ec", fillOpacity: 1 },
    city: { color: "#8d9ba5", weight: 0.8, fill: false },
    district: { color: "#a9b5bd", weight: 0.7, dashArray: "3 3", fill: false },
    maritime: { color: "#5f6f7a", weight: 1.5, dashArray: "6 4", fill: false }
  };

  function baseMap(el, m) {
    var url = el.dataset.base, map = m.map;
    if (!url) { return; }
    var tiles = !!el.dataset.tiles, english = document.documentElement.lang === "en";
    if (el.dataset.baseAttribution) { map.attributionControl.addAttribution(el.dataset.baseAttribution); }
    map.createPane("boundaries").style.zIndex = 250;  // above tiles, below markers and popups
    map.createPane("boundary-labels").style.zIndex = 450;
    var layers = {}, labels = [];
    el.dataset.baseLoaded = "0";

    // From zoom 8 the provinces' 3 km outlines would draw coasts and borders visibly wrong: they
    // give way to the finer city and district lines on a plain land colour (the maritime line stays).
    var DETAIL_ZOOM = 8;
    function style(feature) {
      var level = feature.properties.level;
      var s = L.extend({}, STYLE[level] || STYLE.city);
      if (tiles) { s.fill = false; }  // real tiles below: lines only
      if (level === "province" && map.getZoom() >= DETAIL_ZOOM) { s.stroke = false; s.fill = false; }
      return s;
    }

    function load(level) {
      if (layers[level]) { return; }
      layers[level] = "loading";
      fetch(url.replace("LEVEL", level)).then(function (r) { return r.json(); }).then(function (data) {
        layers[level] = L.geoJSON(data, {
          pane: "boundaries", interactive: false, style: style,
          coordsToLatLng: function (c) { return L.latLng(m.toMap(c[1], c[0])); }
        });
        if (!tiles) {
          data.features.forEach(function (f) {
            var p = f.properties;
            if (!p.label || !p.name) { return; }
            var icon = L.divIcon({ className: "base-label base-" + p.level, html: "", iconSize: null });
            var marker = L.marker(m.toMap(p.label[0], p.label[1]), { icon: icon, pane: "boundary-labels",
              interactive: false, keyboard: false });
            labels.push({ marker: marker, level: p.level, area: p.area || 0, name: p.name });
          });
        }
        update();
        el.dataset.baseLoaded = String(parseInt(el.dataset.baseLoaded || "0", 10) + 1);
      });
    }

    function update() {
      var zoom = map.getZoom();
      el.classList.toggle("base-detail", zoom >= DETAIL_ZOOM);
      if (layers.province && layers.province !== "loading") { layers.province.setStyle(style); }
      Object.keys(BASE_MIN_ZOOM).forEach(function (level) {
        if (zoom >= BASE_MIN_ZOOM[level]) { load(level); }
        var layer = layers[level];
        if (!layer || layer === "loading") { return; }
        if (zoom >= BASE_MIN_ZOOM[level]) { if (!map.hasLayer(layer)) { layer.addTo(map); } }
        else if (map.hasLayer(layer)) { map.removeLayer(layer); }
      });
      placeLabels();
    }

    function placeLabels() {
      var zoom = map.getZoom(), bounds = map.getBounds().pad(0.1), taken = [];
      var box = el.getBoundingClientRect();
      var wanted = labels.filter(function (l) {
        var z = LABEL_ZOOMS[l.level];
        return zoom >= z[0] && zoom < z[1] && bounds.contains(l.marker.getLatLng());
      });
      labels.forEach(function (l) { if (wanted.indexOf(l) < 0 && map.hasLayer(l.marker)) { map.removeLayer(l.marker); } });
      wanted.sort(function (a, b) { return LABEL_RANK[a.level] - LABEL_RANK[b.level] || b.area - a.area; });
      wanted.forEach(function (l) {
        if (!map.hasLayer(l.marker)) {
          l.marker.addTo(map);
          l.marker._icon.textContent = english ? (l.nameEn || l.name) : l.name;
          l.marker._icon.setAttribute("aria-hidden", "true");
          if (english) { l.marker._icon.lang = "zh-Hans"; }
        }
        var icon = l.marker._icon;
        icon.style.visibility = "";
        var r = icon.getBoundingClientRect(), pad = 3;
        // A name cut by the map's edge reads wrong (甘肃 as 肃): hidden like a clash.
        var clash = r.left < box.left || r.right > box.right || r.top < box.top || r.bottom > box.bottom ||
          taken.some(function (t) {
            return r.left - pad < t.right && r.right + pad > t.left && r.top - pad < t.bottom && r.bottom + pad > t.top;
          });
        if (clash) { icon.style.visibility = "hidden"; icon.classList.add("base-label-hidden"); }
        else { icon.classList.remove("base-label-hidden"); taken.push(r); }
      });
    }

    map.on("zoomend moveend", update);
    map.whenReady(update);
  }

  // Radius of the shaded area that shows how approximate a location is, in metres.
  var UNCERTAINTY = { exact: 0, street: 800, district: 4000, city: 12000 };

  function smallMap(el) {
    var m = setup(el, "small");
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var p = m.toMap(lat, lon);
    var radius = UNCERTAINTY[el.dataset.precision] || 0;
    m.map.setView(p, radius > 5000 ? 10 : radius ? 12 : 15);
    L.marker(p, { title: el.dataset.name, alt: el.dataset.name }).addTo(m.map);
    if (radius) { L.circle(p, { radius: radius, weight: 1, dashArray: "4 4" }).addTo(m.map); }
    announce(m);
  }

  function bigMap(el) {
    var m = setup(el, "big"), map = m.map;
    var status = document.getElementById("map-status");
    var list = document.getElementById("place-list");
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    m.cluster = cluster;
    map.addLayer(cluster);
    var markers = {};
    var base = el.dataset.geojson + "?" + (el.dataset.query || "").replace(/(^|&)(page|per_page|bbox|sort|near)=[^&]*/g, "");
    var first = true, timer = null, requestNo = 0;

    function listItem(id) { return list ? list.querySelector('li[data-place-id="' + CSS.escape(id) + '"]') : null; }
    function highlight(id, on) {
      var item = listItem(id);
      if (item) { item.classList.toggle("highlight", on); }
      var marker = markers[id];
      // A marker inside a cluster is shown by the cluster: that is what lights up.
      var shown = marker && (cluster.getVisibleParent(marker) || marker);
      if (shown && shown._icon) { shown._icon.classList.toggle("marker-highlight", on); }
    }

    // Keyboard: markers and clusters are reached with Tab in reading order (top to bottom, then
    // left to right), not in the order they were drawn; Enter on a cluster zooms into it.
    var clusterLabel = el.dataset.clusterLabel || "{n}";
    function readingOrder() {
      var pane = map.getPane("markerPane");
      var icons = Array.prototype.slice.call(pane.querySelectorAll(".leaflet-marker-icon"));
      icons.forEach(function (icon) {
        if (icon.classList.contains("marker-cluster")) {
          var n = icon.textContent.trim();
          icon.setAttribute("role", "button");
          icon.setAttribute("tabindex", "0");
          icon.setAttribute("aria-label", clusterLabel.replace("{n}", n));
          icon.removeAttribute("title");
        }
      });
      var boxes = icons.map(function (icon) { return { icon: icon, r: icon.getBoundingClientRect() }; });
      boxes.sort(function (a, b) { return (a.r.top - b.r.top) || (a.r.left - b.r.left); });
      boxes.forEach(function (b) { pane.appendChild(b.icon); });
      // Clusters are redrawn while the zoom settles: keep the focus on the map until it has.
      if (Date.now() < focusUntil && boxes.length && !pane.contains(document.activeElement)) {
        boxes[0].icon.focus();
      }
    }
    // After Enter zoomed into a cluster, focus goes to the first marker or cluster now in view
    // (the cluster that had it is gone).
    var focusUntil = 0;
    var orderTimer = null;
    function reorderSoon() { clearTimeout(orderTimer); orderTimer = setTimeout(readingOrder, 50); }
    cluster.on("animationend", reorderSoon);
    map.on("zoomend moveend", reorderSoon);
    // Leaflet reacts to "keypress" Enter on markers; Enter on a focused cluster zooms in here too.
    map.getPane("markerPane").addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || !e.target.classList.contains("marker-cluster")) { return; }
      var found = null;
      cluster.eachLayer(function (layer) {
        var parent = cluster.getVisibleParent(layer);
        if (!found && parent && parent._icon === e.target) { found = parent; }
      });
      if (found) {
        e.preventDefault();
        e.stopPropagation();
        focusUntil = Date.now() + 3000;
        found.zoomToBounds({ padding: [20, 20] });
      }
    });

    var english = document.documentElement.lang === "en";
    function label(props) { return (english && props.name_en) || props.name; }

    function popup(props) {
      var div = document.createElement("div");
      var a = document.createElement("a");
      a.href = props.url + "?from=map"; a.textContent = label(props);
      div.appendChild(a);
      if (props.status === "closed" && el.dataset.closed) {
        var closed = document.createElement("p");
        closed.textContent = el.dataset.closed;
        div.appendChild(closed);
      }
      if (props.status === "planned" && el.dataset.planned) {
        var planned = document.createElement("p");
        planned.textContent = el.dataset.planned;
        div.appendChild(planned);
      }
      if (props.geo_precision !== "exact") {
        var small = document.createElement("p");
        small.textContent = el.dataset.approximate;
        div.appendChild(small);
      }
      return div;
    }

    function load() {
      var url = base;
      if (!first) {
        var b = map.getBounds(), sw = m.toData(b.getSouth(), b.getWest()), ne = m.toData(b.getNorth(), b.getEast());
        url += (url.indexOf("?") === url.length - 1 ? "" : "&") + "bbox=" +
          [sw[1], Math.max(sw[0], -90), ne[1], Math.min(ne[0], 90)].map(function (v) {
            return Math.max(-180, Math.min(180, v)).toFixed(5);
          }).join(",");
      }
      var mine = ++requestNo;
      fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (r) { return r.json(); }).then(function (data) {
        if (mine !== requestNo) { return; }
        // The filters are fixed for the page, so markers already drawn stay; only places that
        // came into view are added (an open popup survives panning and zooming).
        var fresh = data.features.filter(function (f) { return !markers[f.properties.id]; });
        var layers = fresh.map(function (f) {
          var c = f.geometry.coordinates, props = f.properties;
          // Listings not confirmed lately are drawn fainter and beneath the confirmed ones.
          // Planned and closed places are drawn fainter too, and under the open ones.
          var later = props.status === "planned" || props.status === "closed";
          var marker = L.marker(m.toMap(c[1], c[0]), { title: label(props), alt: label(props),
            opacity: (props.confirmed === false || later) ? 0.6 : 1,
            zIndexOffset: later ? -100 : props.confirmed ? 100 : 0 });
          marker.bindPopup(popup(props));
          marker.on("mouseover", function () { highlight(props.id, true); });
          marker.on("mouseout", function () { highlight(props.id, false); });
          marker.on("click", function () {
            var item = listItem(props.id);
            if (item) { item.scrollIntoView({ block: "nearest" }); item.classList.add("highlight"); }
          });
          markers[props.id] = marker;
          return marker;
        });
        cluster.addLayers(layers);
        reorderSoon();
        if (status) {
          var shown = Object.keys(markers).length;
          status.textContent = (el.dataset.countLabel || "{n}").replace("{n}", shown);
          status.dataset.count = shown;
        }
        if (first) {
          first = false;
          if (el.dataset.nearLat) {
            map.setView(m.toMap(parseFloat(el.dataset.nearLat), parseFloat(el.dataset.nearLon)), 11);
          } else if (layers.length) {
            map.fitBounds(cluster.getBounds(), { maxZoom: 12, padding: [20, 20] });
          } else {
            map.setView([35, 105], 4);
          }
          map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
        }
        el.dataset.loaded = "1";
        if (first === false && !m.announced) { m.announced = true; announce(m); }
      });
    }

    if (list) {
      // Pointer and keyboard alike: hovering or focusing an entry lights up its marker.
      ["mouseover", "focusin"].forEach(function (name) {
        list.addEventListener(name, function (e) {
          var li = e.target.closest("li[data-place-id]");
          if (li) { highlight(li.dataset.placeId, true); }
        });
      });
      ["mouseout", "focusout"].forEach(function (name) {
        list.addEventListener(name, function (e) {
          var li = e.target.closest("li[data-place-id]");
          if (li && !(e.relatedTarget && li.contains(e.relatedTarget))) { highlight(li.dataset.placeId, false); }
        });
      });
      list.addEventListener("click", function (e) {
        var li = e.target.closest("li[data-place-id]");
        if (!li || e.target.closest("a")) { return; }
        var marker = markers[li.dataset.placeId];
        if (marker) { cluster.zoomToShowLayer(marker, function () { marker.openPopup(); }); }
      });
    }
    load();
  }

  function nearMe() {
    var button = document.getElementById("locate");
    if (!button) { return; }
    if (!navigator.geolocation) { button.hidden = true; return; }
    button.hidden = false;
    var status = document.getElementById("locate-status");
    button.addEventListener("click", function () {
      if (status) { status.hidden = true; status.textContent = ""; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        var form = button.form;
        form.elements.near.value = pos.coords.latitude.toFixed(5) + "," + pos.coords.longitude.toFixed(5);
        form.elements.sort.value = "distance";
        form.submit();
      }, function (err) {
        // Refused (or not found): say so where the button is; the list keeps its order.
        if (!status) { return; }
        status.textContent = err.code === 1 ? button.dataset.denied : button.dataset.unavailable;
        status.hidden = false;
      }, { timeout: 15000 });
    });
  }

  window.portalMap = {
    wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs, maps: ready,
    // For other map scripts (the listing editor's pin): draw the portal's base map on `map`.
    addBaseMap: function (el, map, toMap) { baseMap(el, { map: map, toMap: toMap }); },
    onReady: function (fn) { readyFns.push(fn); ready.forEach(function (m) { fn(m); }); }
  };
  var small = document.getElementById("place-map");
  if (small) { smallMap(small); }
  var big = document.getElementById("map");
  if (big) { bigMap(big); }
  nearMe();
}());
