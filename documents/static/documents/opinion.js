// Cross-examination opinions on the case page: before a party submits, show a summary of what
// they chose and ask them to confirm (the server checks everything again). Loaded by the
// documents section of the case page (documents/case_section.html).
(function () {
  "use strict";
  function label(form, name) {
    var checked = form.querySelector('input[name$="-' + name + '"]:checked');
    if (!checked) return null;
    var text = checked.closest("label");
    return text ? text.textContent.trim() : checked.value;
  }
  function heading(form, name) {
    var input = form.querySelector('input[name$="-' + name + '"]');
    var group = input && input.closest(".field");
    var title = group && group.querySelector(":scope > label, :scope > legend");
    return title ? title.textContent.replace(":", "").trim() : name;
  }
  document.querySelectorAll('form[action*="/opinion/"]').forEach(function (form) {
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed) return;
      var names = ["authenticity", "legality", "relevance"];
      var rows = [];
      for (var i = 0; i < names.length; i++) {
        var value = label(form, names[i]);
        if (value === null) return; // the browser or the server says what is missing
        rows.push([heading(form, names[i]), value]);
      }
      event.preventDefault();
      var old = form.querySelector(".opinion-summary");
      if (old) old.remove();
      var box = document.createElement("div");
      box.className = "opinion-summary card";
      box.setAttribute("role", "region");
      var title = document.createElement("p");
      title.textContent = form.dataset.summaryTitle || "Check your opinion before submitting:";
      box.appendChild(title);
      var list = document.createElement("ul");
      rows.forEach(function (row) {
        var li = document.createElement("li");
        li.textContent = row[0] + ": " + row[1];
        list.appendChild(li);
      });
      var comment = form.querySelector('textarea[name$="-comment"]');
      if (comment && comment.value.trim()) {
        var li = document.createElement("li");
        li.textContent = comment.value.trim();
        list.appendChild(li);
      }
      box.appendChild(list);
      var ok = document.createElement("button");
      ok.type = "button";
      ok.className = "btn opinion-confirm";
      ok.textContent = form.dataset.confirmLabel || "Confirm and submit";
      ok.addEventListener("click", function () {
        confirmed = true;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
      var back = document.createElement("button");
      back.type = "button";
      back.className = "btn-secondary";
      back.textContent = form.dataset.changeLabel || "Change";
      back.addEventListener("click", function () { box.remove(); });
      box.appendChild(ok);
      box.appendChild(back);
      form.appendChild(box);
      ok.focus();
    });
  });
  var texts = document.getElementById("opinion-texts");
  if (texts) {
    document.querySelectorAll('form[action*="/opinion/"]').forEach(function (form) {
      form.dataset.summaryTitle = texts.dataset.title;
      form.dataset.confirmLabel = texts.dataset.confirm;
      form.dataset.changeLabel = texts.dataset.change;
    });
  }
})();
