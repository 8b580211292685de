// The application form, one step at a time on any screen; rows added in the page.
// Without JavaScript the form is one page and "Add a row" posts back to its section.
(function () {
  "use strict";
  var form = document.querySelector("form[data-steps]");
  if (!form) return;

  // Rows: clone the formset's empty form, keep the place, focus the new row.
  form.querySelectorAll("[data-add]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var name = button.getAttribute("data-add");
      var total = form.querySelector('input[name="' + name + '-TOTAL_FORMS"]');
      var template = form.querySelector('template[data-empty="' + name + '"]');
      var rows = form.querySelector('[data-rows="' + name + '"]');
      if (!total || !template || !rows) return;
      var index = parseInt(total.value, 10) || 0;
      if (index >= 50) return;
      event.preventDefault();
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
      if (first) first.focus();
    });
  });

  // Steps.
  var steps = Array.prototype.slice.call(form.querySelectorAll(".step"));
  var nav = form.querySelector(".step-nav");
  var bar = form.querySelector(".step-bar");
  var finals = form.querySelector(".final-actions");
  if (steps.length < 2 || !nav) return;
  var current = 0;
  steps.forEach(function (step, i) {
    if (current === 0 && step.querySelector(".has-error, .alert, .errorlist")) current = i;
  });
  if (location.hash) {
    steps.forEach(function (step, i) { if ("#" + step.id === location.hash) current = i; });
  }
  nav.hidden = false;
  if (bar) bar.hidden = false;
  function show(i) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    steps.forEach(function (step, j) { step.hidden = j !== current; });
    if (bar) bar.querySelectorAll("li").forEach(function (li, j) {
      li.className = j === current ? "current" : (j < current ? "done" : "");
    });
    nav.querySelector("[data-back]").hidden = current === 0;
    nav.querySelector("[data-next]").hidden = current === steps.length - 1;
    finals.hidden = current !== steps.length - 1;
  }
  nav.querySelector("[data-next]").addEventListener("click", function () {
    show(current + 1);
    window.scrollTo(0, form.offsetTop);
  });
  nav.querySelector("[data-back]").addEventListener("click", function () {
    show(current - 1);
    window.scrollTo(0, form.offsetTop);
  });
  show(current);
})();
