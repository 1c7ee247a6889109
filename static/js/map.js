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

  function setup(el) {
    var gcj = el.dataset.crs === "gcj02";
    var toMap = function (lat, lon) { return gcj ? wgsToGcj(lat, lon) : [lat, lon]; };
    var map = L.map(el, { scrollWheelZoom: false, worldCopyJump: true, maxZoom: 18, minZoom: 3 });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
    } else {
      el.classList.add("no-tiles");
      if (el.dataset.noTiles) {
        var note = L.control({ position: "bottomleft" });
        note.onAdd = function () {
          var div = L.DomUtil.create("div", "map-note");
          div.textContent = el.dataset.noTiles;
          return div;
        };
        note.addTo(map);
      }
    }
    return { map: map, toMap: toMap, toData: function (lat, lon) { return gcj ? gcjToWgs(lat, lon) : [lat, lon]; } };
  }

  // Radius of the shaded area that shows how approximate a location is, in metres.
  var UNCERTAINTY = { exact: 0, street: 800, district: 4000, city: 12000 };

  function smallMap(el) {
    var m = setup(el);
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var p = m.toMap(lat, lon);
    var radius = UNCERTAINTY[el.dataset.precision] || 0;
    m.map.setView(p, radius > 5000 ? 10 : radius ? 12 : 15);
    L.marker(p, { title: el.dataset.name, alt: el.dataset.name }).addTo(m.map);
    if (radius) { L.circle(p, { radius: radius, weight: 1, dashArray: "4 4" }).addTo(m.map); }
  }

  function bigMap(el) {
    var m = setup(el), map = m.map;
    var status = document.getElementById("map-status");
    var list = document.getElementById("place-list");
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    map.addLayer(cluster);
    var markers = {};
    var base = el.dataset.geojson + "?" + (el.dataset.query || "").replace(/(^|&)(page|per_page|bbox|sort)=[^&]*/g, "");
    var first = true, timer = null, requestNo = 0;

    function listItem(id) { return list ? list.querySelector('li[data-place-id="' + CSS.escape(id) + '"]') : null; }
    function highlight(id, on) {
      var item = listItem(id);
      if (item) { item.classList.toggle("highlight", on); }
      var marker = markers[id];
      if (marker && marker._icon) { marker._icon.classList.toggle("marker-highlight", on); }
    }

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
          var marker = L.marker(m.toMap(c[1], c[0]), { title: label(props), alt: label(props),
            opacity: props.confirmed === false ? 0.6 : 1, zIndexOffset: props.confirmed ? 100 : 0 });
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
      });
    }

    if (list) {
      list.addEventListener("mouseover", function (e) {
        var li = e.target.closest("li[data-place-id]");
        if (li) { highlight(li.dataset.placeId, true); }
      });
      list.addEventListener("mouseout", function (e) {
        var li = e.target.closest("li[data-place-id]");
        if (li) { highlight(li.dataset.placeId, false); }
      });
      list.addEventListener("click", function (e) {
        var li = e.target.closest("li[data-place-id]");
        if (!li || e.target.closest("a")) { return; }
        var marker = markers[li.dataset.placeId];
        if (marker) { cluster.zoomToShowLayer(marker, function () { marker.openPopup(); }); }
      });
    }
    if (!el.dataset.tiles && el.dataset.regions) { regionLabels(map, m, el.dataset.regions); }
    load();
  }

  // Without background tiles, city and district names give the markers some orientation.
  function regionLabels(map, m, url) {
    var layer = L.layerGroup().addTo(map);
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      var lang = document.documentElement.lang === "en" ? "name_en" : "name";
      data.results.forEach(function (r) {
        if (r.lat == null || r.level === "national" || r.level === "provincial") { return; }
        var icon = L.divIcon({ className: "region-label region-" + r.level, html: "", iconSize: null });
        var label = L.marker(m.toMap(r.lat, r.lon), { icon: icon, interactive: false, keyboard: false });
        label.on("add", function () { if (label._icon) { label._icon.textContent = r[lang]; } });
        layer.addLayer(label);
      });
      function toggle() {
        var zoom = map.getZoom();
        layer.eachLayer(function (l) {
          if (!l._icon) { return; }
          var district = l._icon.classList.contains("region-district");
          l._icon.style.display = (district && zoom < 9) ? "none" : "";
        });
      }
      map.on("zoomend", toggle);
      toggle();
    });
  }

  function nearMe() {
    var button = document.getElementById("locate");
    if (!button) { return; }
    if (!navigator.geolocation) { button.hidden = true; return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var form = button.form;
        form.elements.near.value = pos.coords.latitude.toFixed(5) + "," + pos.coords.longitude.toFixed(5);
        form.elements.sort.value = "distance";
        form.submit();
      });
    });
  }

  var small = document.getElementById("place-map");
  if (small) { smallMap(small); }
  var big = document.getElementById("map");
  if (big) { bigMap(big); }
  nearMe();
  window.portalMap = { wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs };
}());
