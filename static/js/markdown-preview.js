// A live preview under every Markdown textarea (textarea[data-markdown]) of a form
// that names the preview endpoint (data-markdown-preview-url): "Preview" shows the
// text rendered by the server's own renderer, sanitised, so it is exactly what the
// page will show; while open, it follows the typing after a short pause.
// The endpoint takes a POST with the CSRF token and answers {"html"} or {"error"}.
(function () {
  "use strict";
  var form = document.querySelector("form[data-markdown-preview-url]");
  if (!form || !window.fetch) {
    return;
  }
  var url = form.dataset.markdownPreviewUrl;
  var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var PAUSE_MS = 500;
  var counter = 0;

  function render(textarea, output) {
    var body = new URLSearchParams();
    body.append("text", textarea.value);
    output.setAttribute("aria-busy", "true");
    // Only the answer to the latest request is shown, whatever order answers come in.
    var ticket = String(Number(output.dataset.ticket || 0) + 1);
    output.dataset.ticket = ticket;
    function stale() {
      return output.dataset.ticket !== ticket;
    }
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "" },
    })
      .then(function (response) {
        // A refusal that is not ours (an HTML error page) reads as no message.
        return response.json().catch(function () {
          return {};
        }).then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (stale()) {
          return;
        }
        if (result.ok && typeof result.data.html === "string") {
          // Sanitised by the server (apap_portal.markdown): the same HTML the page shows.
          output.innerHTML = result.data.html;
          if (!result.data.html) {
            output.textContent = form.dataset.previewEmpty;
          }
        } else {
          output.textContent = result.data.error || form.dataset.previewFailed;
        }
      })
      .catch(function () {
        if (!stale()) {
          output.textContent = form.dataset.previewFailed; // offline, or the server is down
        }
      })
      .then(function () {
        if (!stale()) {
          output.removeAttribute("aria-busy");
        }
      });
  }

  function enhance(textarea) {
    if (textarea.dataset.previewReady) {
      return;
    }
    textarea.dataset.previewReady = "true";
    counter += 1;
    var id = "markdown-preview-" + counter;
    var box = document.createElement("div");
    box.className = "markdown-preview";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary markdown-preview__toggle";
    button.textContent = form.dataset.previewLabel;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    var panel = document.createElement("div");
    panel.className = "markdown-preview__panel";
    panel.id = id;
    panel.hidden = true;
    var heading = document.createElement("p");
    heading.className = "markdown-preview__heading";
    heading.textContent = form.dataset.previewHeading;
    var output = document.createElement("div");
    output.className = "prose markdown-preview__output";
    panel.appendChild(heading);
    panel.appendChild(output);
    box.appendChild(button);
    box.appendChild(panel);
    textarea.insertAdjacentElement("afterend", box);

    var timer = null;
    button.addEventListener("click", function () {
      var opening = panel.hidden;
      panel.hidden = !opening;
      button.setAttribute("aria-expanded", String(opening));
      button.textContent = opening ? form.dataset.previewHideLabel : form.dataset.previewLabel;
      if (opening) {
        render(textarea, output);
      }
    });
    textarea.addEventListener("input", function () {
      if (panel.hidden) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        render(textarea, output);
      }, PAUSE_MS);
    });
  }

  function enhanceWithin(root) {
    root.querySelectorAll("textarea[data-markdown]").forEach(enhance);
  }

  enhanceWithin(form);
  form.addEventListener("formset:added", function (event) {
    enhanceWithin(event.target);
  });
})();
