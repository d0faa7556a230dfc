// Draws the protected-area map with Leaflet, from data attributes of #protected-area-map:
// data-geojson-url (the filtered GeoJSON) on the list, or data-point ("lat,lon") on a detail page.
(function () {
  "use strict";
  var element = document.getElementById("protected-area-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var map = L.map(element, { scrollWheelZoom: false }).setView([25, 95], 3);
  L.tileLayer(element.dataset.tileUrl, {
    maxZoom: 18,
    attribution: element.dataset.tileAttribution,
  }).addTo(map);

  if (element.dataset.point) {
    var parts = element.dataset.point.split(",").map(Number);
    L.marker(parts, { title: element.dataset.name, alt: element.dataset.name }).addTo(map);
    map.setView(parts, 8);
    return;
  }

  function popupFor(feature) {
    var container = document.createElement("div");
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = feature.properties.name;
    container.appendChild(link);
    var meta = document.createElement("div");
    meta.textContent = feature.properties.country + " · IUCN " + feature.properties.iucn_category;
    container.appendChild(meta);
    return container;
  }

  fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("GeoJSON request failed: " + response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          return L.marker(latlng, { title: feature.properties.name, alt: feature.properties.name });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popupFor(feature));
        },
      }).addTo(map);
      element.dataset.markerCount = String(collection.features.length);
      if (collection.features.length > 0) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 9 });
      }
    })
    .catch(function (error) {
      element.dataset.error = error.message;
    });
})();
