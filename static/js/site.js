// What every page's layout adds with JavaScript; everything works without it.
//  - The header's menu and a list's filters are <details>: they open and close without
//    script. Here Escape closes the menu (the focus back on its button), and so does a
//    click outside it. Where the browser cannot style ::details-content, they are opened
//    on wide screens, where site.css shows them always.
//  - A map far down the page (data-lazy-scripts: Leaflet and the map's script) loads them
//    when it comes near the screen: a visitor who does not scroll to it does not pay
//    for them.
//  - A table wider than its box (its edges then shade, by site.css alone): its box is named
//    after the table's caption and reachable with the keyboard (to scroll it with the arrow
//    keys), and a line under it says that it scrolls (the words: <body data-scroll-cue>).
(function () {
  "use strict";

  var menu = document.querySelector("[data-site-menu]");
  if (menu) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  }

  var stylesDetailsContent = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!stylesDetailsContent && window.matchMedia) {
    var panels = [
      [menu, "(min-width: 75rem)"],
      [document.querySelector("[data-filters-panel]"), "(min-width: 60rem)"],
    ];
    panels.forEach(function (pair) {
      if (pair[0] && window.matchMedia(pair[1]).matches) {
        pair[0].open = true;
      }
    });
  }

  var lazyMap = document.querySelector("[data-lazy-scripts]");
  function loadMapScripts() {
    lazyMap.getAttribute("data-lazy-scripts").split(" ").forEach(function (source) {
      var script = document.createElement("script");
      script.src = source;
      script.async = false; // in order: Leaflet, then the map
      document.body.appendChild(script);
    });
  }
  if (lazyMap && window.IntersectionObserver) {
    var mapWatcher = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          mapWatcher.disconnect();
          loadMapScripts();
        }
      },
      { rootMargin: "600px 0px" }
    );
    mapWatcher.observe(lazyMap);
  } else if (lazyMap) {
    loadMapScripts();
  }

  var scrollCue = document.body.getAttribute("data-scroll-cue");

  function markScrollable(wrap) {
    var scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-scrollable", scrollable);
    var next = wrap.nextElementSibling;
    if (scrollable && scrollCue && !(next && next.classList.contains("table-wrap__cue"))) {
      var cue = document.createElement("p");
      cue.className = "table-wrap__cue";
      cue.textContent = scrollCue;
      wrap.parentNode.insertBefore(cue, wrap.nextSibling);
    }
    if (scrollable) {
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (caption) {
        if (!caption.id) {
          caption.id = "table-caption-" + Math.random().toString(36).slice(2, 9);
        }
        wrap.setAttribute("aria-labelledby", caption.id);
      }
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-labelledby");
    }
  }
  var wraps = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  wraps.forEach(markScrollable);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        markScrollable(entry.target);
      });
    });
    wraps.forEach(function (wrap) {
      observer.observe(wrap);
    });
  }
})();
