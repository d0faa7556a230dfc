// A Preview button under each Markdown field of the admin's forms (textareas carrying
// data-markdown-preview, the URL of the preview view). The server renders the text with
// the site's own sanitising Markdown renderer, so the preview is what the page will show.
// Its labels come from data attributes, translated by the page.
(function () {
  "use strict";

  function csrfToken(field) {
    var form = field.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function enhance(field) {
    if (field.dataset.previewReady || field.name.indexOf("__prefix__") !== -1) {
      return;
    }
    field.dataset.previewReady = "yes";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button apap-preview-button";
    button.textContent = field.dataset.previewLabel;
    button.setAttribute("aria-expanded", "false");
    var preview = document.createElement("div");
    preview.className = "apap-preview";
    preview.hidden = true;
    preview.id = field.id + "_preview";
    preview.setAttribute("aria-live", "polite");
    button.setAttribute("aria-controls", preview.id);
    field.insertAdjacentElement("afterend", preview);
    field.insertAdjacentElement("afterend", button);

    function close() {
      preview.hidden = true;
      button.textContent = field.dataset.previewLabel;
      button.setAttribute("aria-expanded", "false");
    }

    button.addEventListener("click", function () {
      if (!preview.hidden) {
        close();
        return;
      }
      var body = new FormData();
      body.append("text", field.value);
      fetch(field.dataset.markdownPreview, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(field) },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) {
              throw new Error(data.error || field.dataset.failedLabel);
            }
            return data.html;
          });
        })
        .then(function (html) {
          // Sanitised by the server (apap_portal.markdown): only the tags a page may show.
          preview.innerHTML = html;
        })
        .catch(function (error) {
          preview.textContent = error.message || field.dataset.failedLabel;
        })
        .then(function () {
          preview.hidden = false;
          button.textContent = field.dataset.hideLabel;
          button.setAttribute("aria-expanded", "true");
        });
    });
    field.addEventListener("input", close);
  }

  function enhanceWithin(root) {
    root.querySelectorAll("textarea[data-markdown-preview]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceWithin(document);
  });
  // A building block added with "Add another" brings new Markdown fields.
  document.addEventListener("formset:added", function (event) {
    enhanceWithin(event.target);
  });
})();
