// "Add a building block" for the best-practice form. Without JavaScript the form
// always offers two empty blocks, and saving a draft offers two more.
// The new block is a copy of <template id="block-template">, numbered like Django's
// formsets expect (__prefix__ becomes the next index; TOTAL_FORMS counts it).
(function () {
  "use strict";
  var slot = document.getElementById("add-block");
  var template = document.getElementById("block-template");
  var list = document.querySelector("[data-formset-prefix]");
  if (!slot || !template || !list) {
    return;
  }
  var prefix = list.dataset.formsetPrefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = parseInt(slot.dataset.max, 10);
  if (!total) {
    return;
  }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button--secondary";
  button.textContent = slot.dataset.label;

  function refresh() {
    button.hidden = parseInt(total.value, 10) >= max;
  }

  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    if (index >= max) {
      return;
    }
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var block = holder.firstElementChild;
    list.appendChild(block);
    total.value = String(index + 1);
    refresh();
    var first = block.querySelector("input:not([type=hidden]), textarea");
    if (first) {
      first.focus();
    }
  });

  slot.appendChild(button);
  refresh();
})();
