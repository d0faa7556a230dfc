// Adds a Print button to the cooperation report, in #print-report (its label comes from
// data-label, translated by the page). Without JavaScript the page's hint says how to print.
(function () {
  "use strict";
  var slot = document.getElementById("print-report");
  if (!slot || typeof window.print !== "function") {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button--secondary";
  button.textContent = slot.dataset.label;
  button.addEventListener("click", function () {
    window.print();
  });
  slot.appendChild(button);
})();
