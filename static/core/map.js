// A map of China (云地图): the provinces drawn from a GeoJSON file served by the app and the
// places in view from ``data-points`` (youth homes from the directory, activities): each as a
// point, or, where too many are in view, counted by area. No tile server: it works with no
// internet.
(function () {
  "use strict";
  var box = document.querySelector("[data-map]");
  if (!box || typeof L === "undefined" || !window.fetch) return;
  var map = L.map(box, { zoomControl: true, attributionControl: false, minZoom: 3, maxZoom: 14 });
  map.setView([35, 105], 3);
  var brand = (getComputedStyle(document.documentElement).getPropertyValue("--brand") || "#0a6ebd").trim();
  var layer = L.layerGroup().addTo(map);
  var first = true;
  var asked = 0;

  function url(withView) {
    var address = new URL(box.dataset.points, window.location.href);
    if (withView) {
      var b = map.getBounds();
      var clamp = function (v, lo, hi) { return Math.min(hi, Math.max(lo, v)); };
      address.searchParams.set("bbox", [
        clamp(b.getWest(), -180, 179.9).toFixed(4), clamp(b.getSouth(), -90, 89.9).toFixed(4),
        clamp(b.getEast(), -179.9, 180).toFixed(4), clamp(b.getNorth(), -89.9, 90).toFixed(4),
      ].join(","));
    }
    return address.toString();
  }

  function point(home) {
    var marker = L.circleMarker([home.lat, home.lng], {
      radius: 8, color: "#fff", weight: 2, fillColor: brand, fillOpacity: 0.9,
    });
    var link = document.createElement("a");
    link.href = home.url;
    link.textContent = home.name;
    marker.bindPopup(link);
    return marker;
  }

  function cell(area) {
    var marker = L.circleMarker([area.lat, area.lng], {
      radius: Math.min(28, 8 + Math.sqrt(area.count)), color: "#fff", weight: 2,
      fillColor: brand, fillOpacity: 0.6,
    });
    marker.bindTooltip(String(area.count), { permanent: true, direction: "center", className: "map-count" });
    marker.on("click", function () { map.setView([area.lat, area.lng], Math.min(map.getZoom() + 2, 14)); });
    return marker;
  }

  function draw(found) {
    layer.clearLayers();
    var drawn = found.points.map(point).concat(found.cells.map(cell));
    drawn.forEach(function (marker) { layer.addLayer(marker); });
    if (first && drawn.length) {
      map.fitBounds(L.featureGroup(drawn).getBounds(), { maxZoom: 7, padding: [24, 24], animate: false });
    }
    first = false;
    box.dataset.ready = String(drawn.length);
    box.dataset.total = String(found.total);
  }

  function load(withView) {
    var mine = ++asked;
    return fetch(url(withView), { headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.json(); })
      .then(function (found) { if (mine === asked) draw(found); });
  }

  fetch(box.dataset.basemap)
    .then(function (answer) { return answer.json(); })
    .then(function (provinces) {
      L.geoJSON(provinces, {
        style: { color: "#8c959f", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
      return load(false);
    })
    .then(function () {
      map.on("moveend", function () { if (!first) load(true).catch(function () {}); });
    })
    .catch(function () { box.hidden = true; });
})();
