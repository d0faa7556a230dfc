// Draws the protected-area map with Leaflet, from data attributes of #protected-area-map:
// data-geojson-url (the filtered GeoJSON) on the list and the home page, or data-point
// ("lat,lon") on a detail page, with data-boundary-url (a GeoJSON Feature) when the area
// has a boundary: the map then draws it and fits it (data-boundary-drawn says so).
//
// The GeoJSON carries at most a fixed number of areas, the largest first, and says so
// (`total`, `shown`, `truncated`). The first request asks for all the filtered areas and
// the map fits them, as the list shows them. While what is drawn is incomplete, every
// move of the map asks again for the areas in view (`bbox=west,south,east,north`), and a
// message (data-truncated-message, translated by the template, with {shown} and {total})
// says how many are left out. Once what is drawn is complete for a box, moves inside that
// box ask nothing more.
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
    if (element.dataset.boundaryUrl) {
      fetch(element.dataset.boundaryUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (feature) {
          var outline = L.geoJSON(feature, { style: { color: "#1b5e3a", weight: 2, fillOpacity: 0.15 } });
          outline.addTo(map);
          map.fitBounds(outline.getBounds(), { padding: [12, 12], maxZoom: 12 });
          element.dataset.boundaryDrawn = "true";
        })
        .catch(function (error) {
          element.dataset.error = String(error);
        });
    }
    return;
  }

  var MOVE_DELAY_MS = 300; // wait for the map to settle before asking again
  var WHOLE_WORLD = [-180, -90, 180, 90];
  var locale = document.documentElement.lang || undefined;
  var layer = null;
  var complete = null; // the box (west, south, east, north) whose areas are all drawn
  var pending = null; // the request under way, to abort when the map moves again
  var moveTimer = null;

  // An aria-live region, present from the start so that screen readers announce changes.
  var message = document.createElement("p");
  message.className = "map-message";
  message.setAttribute("aria-live", "polite");
  element.insertAdjacentElement("afterend", message);

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

  function draw(collection) {
    if (layer) {
      map.removeLayer(layer);
    }
    layer = L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, { title: feature.properties.name, alt: feature.properties.name });
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(popupFor(feature));
      },
    }).addTo(map);
    element.dataset.markerCount = String(collection.features.length);
  }

  function announce(collection) {
    var template = element.dataset.truncatedMessage || "";
    message.textContent = collection.truncated
      ? template
          .replace("{shown}", collection.shown.toLocaleString(locale))
          .replace("{total}", collection.total.toLocaleString(locale))
      : "";
  }

  // The map's viewport as west, south, east, north: longitudes wrapped into -180..180
  // (west > east when the view crosses the antimeridian), rounded outward.
  function viewport() {
    var bounds = map.getBounds();
    var west = bounds.getWest();
    var east = bounds.getEast();
    if (east - west >= 360) {
      west = -180;
      east = 180;
    } else {
      west = L.Util.wrapNum(west, [-180, 180], true);
      east = L.Util.wrapNum(east, [-180, 180], true);
    }
    var south = Math.max(-90, bounds.getSouth());
    var north = Math.min(90, bounds.getNorth());
    return [outward(west, Math.floor), outward(south, Math.floor),
            outward(east, Math.ceil), outward(north, Math.ceil)];
  }

  function outward(degrees, direction) {
    return direction(degrees * 10000) / 10000;
  }

  function contains(outer, inner) {
    var crossing = outer[0] > outer[2] || inner[0] > inner[2];
    if (crossing) {
      return outer[0] === -180 && outer[2] === 180 && outer[1] <= inner[1] && inner[3] <= outer[3];
    }
    return outer[0] <= inner[0] && outer[1] <= inner[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
  }

  function load(bbox) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var url = new URL(element.dataset.geojsonUrl, window.location.href);
    if (bbox) {
      url.searchParams.set("bbox", bbox.join(","));
    }
    return fetch(url, { headers: { Accept: "application/geo+json" }, signal: pending.signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("GeoJSON request failed: " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        pending = null;
        draw(collection);
        announce(collection);
        complete = collection.truncated ? null : bbox || WHOLE_WORLD;
        delete element.dataset.error;
        return collection;
      });
  }

  function failed(error) {
    if (error.name !== "AbortError") {
      element.dataset.error = error.message;
    }
  }

  function reloadForViewport() {
    var bbox = viewport();
    if (complete && contains(complete, bbox)) {
      return; // every area of this view is drawn already
    }
    load(bbox).catch(failed);
  }

  function listenToMoves() {
    map.on("moveend", function () {
      clearTimeout(moveTimer);
      moveTimer = setTimeout(reloadForViewport, MOVE_DELAY_MS);
    });
  }

  load(null)
    .then(function (collection) {
      if (collection.features.length > 0) {
        // Listen once the fit is done: its own move needs no new request.
        map.once("moveend", listenToMoves);
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 9 });
      } else {
        listenToMoves();
      }
    })
    .catch(failed);
})();
