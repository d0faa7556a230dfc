// The steps of a long form ([data-form-progress]: a list of links to its sections)
// follow the reading: the step of the section in view is marked aria-current="step".
// Without JavaScript the list is plain links to the sections.
(function () {
  "use strict";
  var nav = document.querySelector("[data-form-progress]");
  if (!nav) {
    return;
  }
  var steps = Array.prototype.slice.call(nav.querySelectorAll('a[href^="#"]'))
    .map(function (link) {
      return { link: link, section: document.getElementById(link.hash.slice(1)) };
    })
    .filter(function (step) {
      return step.section;
    });
  if (!steps.length) {
    return;
  }
  var scheduled = false;

  // The current section is the last one whose top has passed a third of the window.
  function update() {
    scheduled = false;
    var line = window.innerHeight / 3;
    var current = steps[0];
    steps.forEach(function (step) {
      if (step.section.getBoundingClientRect().top <= line) {
        current = step;
      }
    });
    var atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (atBottom) {
      current = steps[steps.length - 1];
    }
    steps.forEach(function (step) {
      if (step === current) {
        step.link.setAttribute("aria-current", "step");
      } else {
        step.link.removeAttribute("aria-current");
      }
    });
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(update);
    }
  }

  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);
  // Tabbing through the fields moves the current step too.
  document.addEventListener("focusin", function (event) {
    steps.forEach(function (step) {
      if (step.section.contains(event.target)) {
        steps.forEach(function (other) {
          other.link.removeAttribute("aria-current");
        });
        step.link.setAttribute("aria-current", "step");
      }
    });
  });
  update();
})();
