// "Add a building block" on the best-practice form, without a round trip.
// Without JavaScript the button submits the form, and the server sends it back as
// typed with one more empty block. With it, the new block is a copy of
// <template id="block-template">, numbered like Django's formsets expect (__prefix__
// becomes the next index; TOTAL_FORMS counts it), and nothing leaves the page.
// Other scripts hear of the new block by a "formset:added" event on it.
(function () {
  "use strict";
  var button = document.querySelector("[data-add-block]");
  var template = document.getElementById("block-template");
  var list = document.querySelector("[data-formset-prefix]");
  if (!button || !template || !list) {
    return;
  }
  var prefix = list.dataset.formsetPrefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = parseInt(button.dataset.max, 10);
  if (!total) {
    return;
  }

  function refresh() {
    button.hidden = parseInt(total.value, 10) >= max;
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    // Enter in a text field "clicks" the form's first submit button, which is this one:
    // that keystroke neither adds a block nor sends a half-written form.
    if (event.detail === 0 && document.activeElement !== button) {
      return;
    }
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
    block.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
    var first = block.querySelector("input:not([type=hidden]), textarea");
    if (first) {
      first.focus();
    }
  });

  refresh();
})();
