// The service map (云地图): the provinces of China drawn from a GeoJSON file served by the app
// and the committee's youth homes as points. No tile server: it works with no internet.
(function () {
  "use strict";
  var box = document.querySelector("[data-home-map]");
  if (!box || typeof L === "undefined" || !window.fetch) return;
  var map = L.map(box, { zoomControl: true, attributionControl: false, minZoom: 3, maxZoom: 12 });
  map.setView([35, 105], 3);
  fetch(box.dataset.basemap)
    .then(function (answer) { return answer.json(); })
    .then(function (provinces) {
      L.geoJSON(provinces, {
        style: { color: "#8c959f", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
      return fetch(box.dataset.points, { headers: { Accept: "application/json" } });
    })
    .then(function (answer) { return answer.json(); })
    .then(function (homes) {
      var brand = getComputedStyle(document.documentElement).getPropertyValue("--brand") || "#0a6ebd";
      var points = homes.map(function (home) {
        var marker = L.circleMarker([home.lat, home.lng], {
          radius: 8, color: "#fff", weight: 2, fillColor: brand.trim(), fillOpacity: 0.9,
        });
        var link = document.createElement("a");
        link.href = box.dataset.homeUrl.replace("0", String(home.id));
        link.textContent = home.name;
        marker.bindPopup(link);
        return marker.addTo(map);
      });
      if (points.length) map.fitBounds(L.featureGroup(points).getBounds(), { maxZoom: 7, padding: [24, 24], animate: false });
      box.dataset.ready = String(points.length);
    })
    .catch(function () { box.hidden = true; });
})();
