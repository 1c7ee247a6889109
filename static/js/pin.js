/* The listing editor's draggable pin. Progressive: without JavaScript the typed fields are used. */
(function () {
  "use strict";
  var el = document.getElementById("pin-map");
  var lat = document.getElementById("lat"), lon = document.getElementById("lon");
  if (!el || !lat || !lon || !window.L) { return; }
  el.hidden = false;
  document.getElementById("pin-hint").hidden = false;
  var conv = window.portalMap, gcj = el.dataset.crs === "gcj02" && conv;
  function toMap(a, b) { return gcj ? conv.wgsToGcj(a, b) : [a, b]; }
  function toData(a, b) { return gcj ? conv.gcjToWgs(a, b) : [a, b]; }
  function typed() {
    var a = parseFloat((lat.value || "").replace(",", ".")), b = parseFloat((lon.value || "").replace(",", "."));
    return isFinite(a) && isFinite(b) ? [a, b] : null;
  }
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18, minZoom: 3 });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  if (conv && conv.addBaseMap) { conv.addBaseMap(el, map, toMap); }  // boundaries and names
  var start = typed();
  var marker = L.marker(start ? toMap(start[0], start[1]) : [35, 105], { draggable: true, keyboard: true,
    title: el.getAttribute("aria-label"), alt: el.getAttribute("aria-label") }).addTo(map);
  map.setView(marker.getLatLng(), start ? 15 : 4);
  function write(ll) {
    var d = toData(ll.lat, ll.lng);
    lat.value = d[0].toFixed(6); lon.value = d[1].toFixed(6);
  }
  marker.on("dragend", function () { write(marker.getLatLng()); });
  map.on("click", function (e) { marker.setLatLng(e.latlng); write(e.latlng); });
  function follow() {
    var p = typed();
    if (p) { marker.setLatLng(toMap(p[0], p[1])); map.panTo(marker.getLatLng()); }
  }
  lat.addEventListener("change", follow);
  lon.addEventListener("change", follow);
}());
