// Draws the protected-area map with Leaflet, from data attributes of #protected-area-map:
// data-area-tiles-url (the first tile of the filtered areas' tiles) on the list and the
// home page, or data-point ("lat,lon") on a detail page, with data-boundary-url (a
// GeoJSON Feature) when the area has a boundary: the map then draws it and fits it
// (data-boundary-drawn says so).
//
// The areas come in tiles (members/map_tiles.py), the same grid as the background map:
// far out, each tile holds clusters (how many areas, and the box they fill: selecting
// one zooms to it) and the points of areas alone in their cell; close in, the boundaries
// that cross the tile, cut to it (the surface and the outline come apart, so that the
// pieces of neighbouring tiles join without seams), and the points of areas without one.
// The first tile (the whole world) tells where the areas are: the map fits them.
//
// Once the tiles in view are drawn, data-marker-count says how many areas they stand
// for (a cluster counts its areas; an area cut into several tiles counts once), and
// data-map-state is "ready" ("loading" while tiles are under way), data-zoom the zoom; data-error says why
// a tile could not be loaded.
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

  var tilesUrl = new URL(element.dataset.areaTilesUrl, window.location.href);
  var locale = document.documentElement.lang || undefined;
  var areaStyle = { stroke: false, fillColor: "#1b5e3a", fillOpacity: 0.2 };
  var outlineStyle = { color: "#1b5e3a", weight: 2, fill: false };

  // An aria-live region, present from the start so that screen readers announce changes.
  var message = document.createElement("p");
  message.className = "map-message";
  message.setAttribute("aria-live", "polite");
  element.insertAdjacentElement("afterend", message);

  function tileUrl(zoom, x, y) {
    var url = new URL(tilesUrl.href);
    url.pathname = url.pathname.replace(/\/0\/0\/0\.geojson$/, "/" + zoom + "/" + x + "/" + y + ".geojson");
    return url;
  }

  function fetchTile(zoom, x, y, signal) {
    return fetch(tileUrl(zoom, x, y), { headers: { Accept: "application/geo+json" }, signal: signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("Map tile " + zoom + "/" + x + "/" + y + " failed: " + response.status);
        }
        return response.json();
      });
  }

  function popupFor(properties) {
    var container = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    container.appendChild(link);
    var meta = document.createElement("div");
    meta.textContent = properties.country + " · IUCN " + properties.iucn_category;
    container.appendChild(meta);
    return container;
  }

  function extentOf(properties) {
    var box = properties.bbox;
    return L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
  }

  function clusterMarker(feature, latlng) {
    var count = feature.properties.count;
    var size = count < 100 ? 34 : count < 10000 ? 42 : 50;
    var label = (element.dataset.clusterLabel || "{count}").replace("{count}", count.toLocaleString(locale));
    var marker = L.marker(latlng, {
      title: label,
      icon: L.divIcon({
        className: "map-cluster",
        html: "<span>" + count.toLocaleString(locale) + "</span>",
        iconSize: [size, size],
      }),
    });
    marker.on("click", function () {
      var extent = extentOf(feature.properties);
      var zoom = map.getBoundsZoom(extent, false, L.point(24, 24));
      // Areas at one spot fill no box: zoom in a few steps, to where they come apart.
      map.setView(extent.getCenter(), Math.min(Math.max(zoom, map.getZoom() + 2), map.getMaxZoom()));
    });
    return marker;
  }

  // What a tile drew, and which areas it stands for: a cluster counts its areas, an area
  // by its URL (the same area cut into several tiles counts once).
  function drawTile(collection) {
    var drawn = { layers: [], clusters: 0, urls: [] };
    drawn.clustered = collection.clustered;
    collection.features.forEach(function (feature) {
      var properties = feature.properties;
      var layer;
      if (properties.count) {
        layer = clusterMarker(feature, L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]));
        drawn.clusters += properties.count;
      } else if (properties.part === "outline") {
        layer = L.geoJSON(feature, { style: outlineStyle, interactive: false });
      } else if (properties.part === "area") {
        layer = L.geoJSON(feature, { style: areaStyle });
        layer.bindPopup(popupFor(properties));
        drawn.urls.push(properties.url);
      } else {
        var latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
        layer = L.marker(latlng, { title: properties.name, alt: properties.name });
        layer.bindPopup(popupFor(properties));
        drawn.urls.push(properties.url);
      }
      layer.addTo(map);
      drawn.layers.push(layer);
    });
    return drawn;
  }

  var AreaTiles = L.GridLayer.extend({
    initialize: function (options) {
      L.GridLayer.prototype.initialize.call(this, options);
      this._drawn = {};
    },

    createTile: function (coords, done) {
      var tile = document.createElement("div");
      var key = this._tileCoordsToKey(coords);
      var controller = new AbortController();
      tile.abort = function () { controller.abort(); };
      var self = this;
      fetchTile(coords.z, coords.x, coords.y, controller.signal)
        .then(function (collection) {
          self._forget(key);
          self._drawn[key] = drawTile(collection);
          self._drawn[key].zoom = coords.z;
          done(null, tile);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            element.dataset.error = error.message;
          }
          done(error, tile);
        });
      return tile;
    },

    _forget: function (key) {
      var drawn = this._drawn[key];
      if (drawn) {
        drawn.layers.forEach(function (layer) { map.removeLayer(layer); });
        delete this._drawn[key];
      }
    },

    // How many areas the tiles of the current zoom stand for, and whether any clustered.
    summary: function () {
      var zoom = map.getZoom();
      var urls = {};
      var count = 0;
      var clustered = false;
      Object.keys(this._drawn).forEach(function (key) {
        var drawn = this._drawn[key];
        if (drawn.zoom !== zoom) {
          return;
        }
        count += drawn.clusters;
        clustered = clustered || drawn.clustered;
        drawn.urls.forEach(function (url) { urls[url] = true; });
      }, this);
      return { count: count + Object.keys(urls).length, clustered: clustered };
    },
  });

  function showTiles() {
    // Tiles of the one world only (Leaflet would ask for its copies east and west).
    var layer = new AreaTiles({
      bounds: [[-90, -180], [90, 180]],
      noWrap: true,
      maxZoom: 18,
      keepBuffer: 1,
      updateWhenZooming: false,
    });
    layer.on("tileunload", function (event) {
      if (event.tile.abort) {
        event.tile.abort();
      }
      layer._forget(layer._tileCoordsToKey(event.coords));
    });
    layer.on("loading", function () {
      element.dataset.mapState = "loading";
    });
    layer.on("load", function () {
      var summary = layer.summary();
      element.dataset.markerCount = String(summary.count);
      element.dataset.zoom = String(map.getZoom());
      element.dataset.mapState = "ready";
      message.textContent = summary.clustered ? element.dataset.clusteredMessage || "" : "";
    });
    layer.addTo(map);
  }

  // The whole world's tile says where the areas are: fit them, then draw the tiles.
  fetchTile(0, 0, 0)
    .then(function (world) {
      var bounds = null;
      world.features.forEach(function (feature) {
        var extent = feature.properties.bbox
          ? extentOf(feature.properties)
          : L.latLngBounds([[feature.geometry.coordinates[1], feature.geometry.coordinates[0]]]);
        bounds = bounds ? bounds.extend(extent) : extent;
      });
      if (bounds) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9, animate: false });
      }
      if (world.features.length === 0) {
        element.dataset.markerCount = "0";
        element.dataset.mapState = "ready";
        return;
      }
      showTiles();
    })
    .catch(function (error) {
      element.dataset.error = error.message;
    });
})();
