// Small helpers for the admin pages; every form also works without this file.
(function () {
  "use strict";
  // Forms with data-confirm ask before they are sent.
  document.addEventListener("submit", function (e) {
    var el = e.submitter && e.submitter.dataset.confirm ? e.submitter : e.target;
    var msg = el.dataset ? el.dataset.confirm : "";
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
  // Dashboard filters apply as soon as one changes.
  var filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("change", function (e) {
      if (e.target.name === "agency") { var u = document.getElementById("unit"); if (u) { u.value = ""; } }
      if (e.target.name !== "service") { var s = document.getElementById("service"); if (s) { s.value = ""; } }
      filters.submit();
    });
  }
  var source = document.getElementById("source");
  // The question form rewrites the YAML on the server: send it the editor's text as it is
  // now, not as the page was drawn, or an unsaved edit there would be thrown away. (The
  // server refuses the form if that edit changed the questions the form shows.)
  var questionForm = document.getElementById("question-form");
  if (source && questionForm) {
    questionForm.addEventListener("submit", function () { questionForm.elements.source.value = source.value; });
  }
  // Live validation of the flow YAML: the same messages as `sukma flows validate`.
  var problems = document.getElementById("problems");
  if (source && problems && source.dataset.validate) {
    var timer = null;
    var csrf = source.form.querySelector("input[name=csrf]").value;
    var check = function () {
      var body = new URLSearchParams();
      body.set("source", source.value);
      fetch(source.dataset.validate, { method: "POST", body: body, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (res) {
          problems.textContent = "";
          var p = document.createElement("p");
          if (res.ok) {
            p.className = "ok"; p.textContent = "\u2713 YAML valid.";
            problems.appendChild(p);
            return;
          }
          p.className = "error"; p.textContent = document.documentElement.lang === "en" ? "Problems to fix:" : "Masalah yang harus diperbaiki:";
          problems.appendChild(p);
          var ul = document.createElement("ul");
          res.problems.forEach(function (m) {
            var li = document.createElement("li"), code = document.createElement("code");
            code.textContent = m; li.appendChild(code); ul.appendChild(li);
          });
          problems.appendChild(ul);
        })
        .catch(function () {});
    };
    source.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 500); });
    // Tab inserts two spaces (YAML forbids tabs) instead of leaving the box.
    source.addEventListener("keydown", function (e) {
      if (e.key !== "Tab" || e.shiftKey) { return; }
      e.preventDefault();
      var s = source.selectionStart;
      source.setRangeText("  ", s, source.selectionEnd, "end");
      source.dispatchEvent(new Event("input"));
    });
  }
  // The WhatsApp pairing QR code changes about every 20 seconds: fetch the newest every 3.
  // When there is none any more (linked, or the session ended), reload to show what happened.
  var qr = document.getElementById("wa-qr");
  if (qr && qr.dataset.refresh) {
    qr.addEventListener("error", function () { window.location.reload(); });
    setInterval(function () { qr.src = qr.dataset.refresh + "?t=" + Date.now(); }, 3000);
  }
  var wait = document.getElementById("pair-wait");
  if (wait && wait.dataset.reload) {
    setTimeout(function () { window.location.reload(); }, 1000 * Number(wait.dataset.reload));
  }
})();
