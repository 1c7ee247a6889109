// "Events this month" on the creator map: a layer the visitor can switch off, fed by
// /api/v1/events.geojson. Loaded before map.js; it hooks into the big map when Leaflet creates it,
// so map.js needs no change. The list of events stays available without JavaScript at /events.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.L || !script) { return; }
  var english = document.documentElement.lang === "en";

  function when(props) {
    if (!props.starts_at) { return ""; }
    return props.starts_at.slice(0, 10) + (props.ends_at && props.ends_at.slice(0, 10) !== props.starts_at.slice(0, 10)
      ? " – " + props.ends_at.slice(0, 10) : "");
  }

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = (english && props.title_en) || props.title;
    var date = document.createElement("p");
    date.textContent = when(props);
    box.appendChild(link);
    box.appendChild(date);
    return box;
  }

  L.Map.addInitHook(function () {
    var map = this, el = map.getContainer();
    if (el.id !== "map") { return; }
    var layer = L.layerGroup();
    var label = script.dataset.label || "Events this month";
    L.control.layers(null, (function () { var o = {}; o[label] = layer; return o; }()), { collapsed: false }).addTo(map);
    layer.addTo(map);
    fetch(script.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var gcj = el.dataset.crs === "gcj02" && window.portalMap;
        data.features.forEach(function (f) {
          var lat = f.geometry.coordinates[1], lon = f.geometry.coordinates[0];
          var p = gcj ? window.portalMap.wgsToGcj(lat, lon) : [lat, lon];
          var title = (english && f.properties.title_en) || f.properties.title;
          L.circleMarker(p, { radius: 8, weight: 3, dashArray: "3 3", className: "event-marker" })
            .bindTooltip(title)
            .bindPopup(popup(f.properties))
            .addTo(layer);
        });
        var status = document.getElementById("events-layer-status");
        if (status && script.dataset.countLabel) {
          status.textContent = script.dataset.countLabel.replace("{n}", String(data.features.length));
        }
      });
  });
}());
