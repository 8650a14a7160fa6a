// Map picker enhancements (issue 10). The picker works without this file: a tap on the server-drawn map posts
// map.x/map.y. Here, "use my location" fills map_lat/map_lng from the browser, and when a tile service and Leaflet
// are there, the picture becomes a Leaflet map whose click does the same (in the tiles' datum, map_datum).
(function () {
  "use strict";
  function send(picker, lat, lng, datum) {
    picker.querySelector("[data-map-lat]").value = lat.toFixed(6);
    picker.querySelector("[data-map-lng]").value = lng.toFixed(6);
    picker.querySelector("[data-map-datum]").value = datum;
    var button = picker.querySelector("[data-map-locate]");
    if (button.form.requestSubmit) { button.form.requestSubmit(button); } else { button.click(); }
  }
  document.querySelectorAll("[data-map-picker]").forEach(function (picker) {
    var locate = picker.querySelector("[data-map-locate]");
    if (navigator.geolocation && locate) {
      locate.hidden = false;
      locate.addEventListener("click", function (event) {
        event.preventDefault();
        navigator.geolocation.getCurrentPosition(function (pos) {
          send(picker, pos.coords.latitude, pos.coords.longitude, "wgs84");
        }, function () { locate.disabled = true; }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
    if (!window.L || !picker.dataset.tiles) { return; }
    var shapes = JSON.parse(picker.dataset.shapes || "{}");
    var image = picker.querySelector("input[type=image]");
    var box = document.createElement("div");
    box.className = "map-leaflet";
    image.parentNode.insertBefore(box, image);
    image.hidden = true;
    var map = L.map(box);
    L.tileLayer(picker.dataset.tiles, { attribution: picker.dataset.attribution, maxZoom: 19 }).addTo(map);
    var all = [];
    (shapes.grids || []).forEach(function (g) { all.push(L.polygon(g, { weight: 1 }).addTo(map)); });
    (shapes.buildings || []).forEach(function (b) { all.push(L.circleMarker(b, { radius: 3 }).addTo(map)); });
    if (shapes.picked) { L.circleMarker(shapes.picked, { radius: 7, color: "#c0392b" }).addTo(map); }
    if (all.length) { map.fitBounds(L.featureGroup(all).getBounds()); } else { map.setView([22.53, 113.93], 14); }
    map.on("click", function (e) { send(picker, e.latlng.lat, e.latlng.lng, picker.dataset.datum); });
  });
})();
