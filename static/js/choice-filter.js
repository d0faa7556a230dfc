// Long lists of checkboxes (countries, themes…) made searchable: a box that narrows
// the list as one types, and the chosen options as chips that remove them. The
// checkboxes stay the form's inputs, so the keyboard and screen readers work as on
// any checkbox; without JavaScript the whole list shows. Enter in the box ticks the
// only option left, instead of sending the form. The wording comes from the form's
// data attributes (translated by the server).
(function () {
  "use strict";
  var form = document.querySelector("form[data-filter-label]");
  if (!form) {
    return;
  }
  var strings = form.dataset;
  var counter = 0;

  // Lower-case, without accents: "viet" finds "Việt Nam".
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(fieldset) {
    var list = fieldset.querySelector(".choices");
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    if (!boxes.length) {
      return;
    }
    counter += 1;
    var options = boxes.map(function (box) {
      var label = box.closest("label") || fieldset.querySelector('label[for="' + box.id + '"]');
      var name = label ? label.textContent.trim() : box.value;
      return { box: box, name: name, key: folded(name), row: label ? label.parentElement : box };
    });

    var panel = document.createElement("div");
    panel.className = "choice-filter";
    var inputId = "choice-filter-" + counter;
    var label = document.createElement("label");
    label.setAttribute("for", inputId);
    label.className = "choice-filter__label";
    label.textContent = strings.filterLabel;
    var input = document.createElement("input");
    input.type = "search";
    input.id = inputId;
    input.autocomplete = "off";
    input.className = "choice-filter__input";
    var status = document.createElement("p");
    status.className = "hint choice-filter__status";
    status.id = inputId + "-status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    var chosenHeading = document.createElement("p");
    chosenHeading.className = "choice-filter__chosen-heading";
    chosenHeading.id = inputId + "-chosen";
    chosenHeading.textContent = strings.chosenLabel;
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-labelledby", chosenHeading.id);
    panel.appendChild(chosenHeading);
    panel.appendChild(chips);
    panel.appendChild(label);
    panel.appendChild(input);
    panel.appendChild(status);
    list.parentNode.insertBefore(panel, list);
    list.classList.add("choices--filtered");

    function showChips() {
      chips.textContent = "";
      var chosen = options.filter(function (option) {
        return option.box.checked;
      });
      chosen.forEach(function (option) {
        var item = document.createElement("li");
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.textContent = option.name;
        chip.setAttribute("aria-label", strings.removeLabel.replace("{name}", option.name));
        chip.addEventListener("click", function () {
          // Keep the keyboard where it was: on the chip now in this place, or the box.
          var position = Array.prototype.indexOf.call(chips.children, item);
          option.box.checked = false;
          showChips();
          var remaining = chips.querySelectorAll("button");
          var target = remaining[Math.min(position, remaining.length - 1)];
          (target || input).focus();
        });
        item.appendChild(chip);
        chips.appendChild(item);
      });
      if (!chosen.length) {
        var none = document.createElement("li");
        none.className = "chips__none";
        none.textContent = strings.chosenNone;
        chips.appendChild(none);
      }
    }

    function narrow() {
      var query = folded(input.value);
      var shown = 0;
      options.forEach(function (option) {
        var match = !query || option.key.indexOf(query) !== -1;
        option.row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      status.textContent = strings.filterCount
        .replace("{shown}", String(shown))
        .replace("{total}", String(options.length));
      return shown;
    }

    input.addEventListener("input", narrow);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") {
        return;
      }
      event.preventDefault();
      var visible = options.filter(function (option) {
        return !option.row.hidden;
      });
      if (visible.length === 1) {
        visible[0].box.checked = !visible[0].box.checked;
        showChips();
        input.value = "";
        narrow();
      }
    });
    list.addEventListener("change", showChips);
    showChips();
    narrow();
  }

  form.querySelectorAll("[data-choice-filter]").forEach(enhance);
})();
