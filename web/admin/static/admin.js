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
  var en = document.documentElement.lang === "en";
  var source = document.getElementById("source");
  var questionForm = document.getElementById("question-form");
  // Nothing typed in the flow editor is lost to an ended session (after 12 hours a save is
  // sent to the sign-in page, which cannot keep it) or a closed page: the text is kept in
  // this tab's sessionStorage as it is typed and when it is sent, and put back, with a note,
  // when the editor opens again showing something else. Kept with it: the text the page
  // showed (base), and whether the question form sent it, since that form rewrites the YAML
  // on the server: its answer differs from what was sent, and is no loss unless the server
  // still shows base (the form was never applied). Kept too: the page's base field (sum),
  // the draft the text was edited from, put back with the text, so that saving it over a
  // draft someone saved since is refused by the server, not silently done.
  if (source) {
    var keepKey = "sukma:flow-source:" + location.pathname;
    var baseFields = document.querySelectorAll("#yaml-form input[name=base], #question-form input[name=base]");
    var pageBase = baseFields.length ? baseFields[0].value : "";
    var keep = function (viaForm) {
      try {
        sessionStorage.setItem(keepKey, JSON.stringify({ text: source.value, base: source.defaultValue, form: viaForm === true,
          sum: baseFields.length ? baseFields[0].value : "" }));
      } catch (e) { /* storage off or full: nothing can be kept */ }
    };
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(keepKey)); sessionStorage.removeItem(keepKey); } catch (e) { kept = null; }
    if (kept && typeof kept.text === "string" && kept.text !== source.value && (!kept.form || kept.base === source.defaultValue)) {
      source.value = kept.text;
      if (typeof kept.sum === "string" && kept.sum) {
        baseFields.forEach(function (f) { f.value = kept.sum; });
      }
      keep();
      var note = document.createElement("p"), drop = document.createElement("button");
      note.className = "notice"; note.id = "restored"; note.setAttribute("role", "status");
      note.textContent = en ? "The YAML you had not saved yet is back in the editor. Check it, then save the draft. "
        : "Teks YAML yang belum sempat tersimpan dipulihkan di editor. Periksa, lalu simpan draf. ";
      drop.type = "button"; drop.id = "drop-restored";
      drop.textContent = en ? "Discard it" : "Buang teks ini";
      drop.addEventListener("click", function () {
        source.value = source.defaultValue;
        baseFields.forEach(function (f) { f.value = pageBase; });
        try { sessionStorage.removeItem(keepKey); } catch (e) { /* nothing kept */ }
        note.remove();
        source.dispatchEvent(new Event("input"));
      });
      note.appendChild(drop);
      var editor = document.querySelector(".editor");
      editor.parentNode.insertBefore(note, editor);
    }
    source.addEventListener("input", keep);
    // A discarded draft is not brought back as unsaved text: once the admin has said yes
    // (the confirmation above ran first), nothing of it is kept.
    var discard = document.getElementById("discard-form");
    document.addEventListener("submit", function (ev) {
      if (ev.target !== discard || ev.defaultPrevented) { return; }
      source.removeEventListener("input", keep);
      try { sessionStorage.removeItem(keepKey); } catch (e) { /* nothing kept */ }
    });
    // Publishing renumbers the flow's version on the server, as the question form rewrites
    // the YAML: kept the same way, so that the published text is not taken for a loss.
    source.form.addEventListener("submit", function (ev) {
      keep(ev.submitter && ev.submitter.value === "publish");
    });
    // The question form rewrites the YAML on the server: send it the editor's text as it is
    // now, not as the page was drawn, or an unsaved edit there would be thrown away. (The
    // server refuses the form if that edit changed the questions the form shows.)
    if (questionForm) {
      questionForm.addEventListener("submit", function () {
        questionForm.elements.source.value = source.value;
        keep(true);
      });
    }
  }
  // "Pakai versi ini sebagai draf" replaces the editor's text: YAML typed there and not
  // saved (kept in this tab, above) is asked about, and once replaced not brought back.
  var useVersion = document.getElementById("use-version-form");
  if (useVersion) {
    var editorKey = "sukma:flow-source:" + useVersion.dataset.editor;
    var useButton = document.getElementById("use-version");
    useVersion.addEventListener("submit", function () {
      var kept = null;
      try { kept = JSON.parse(sessionStorage.getItem(editorKey)); } catch (e) { kept = null; }
      if (kept && typeof kept.text === "string" && kept.text !== kept.base && !useButton.dataset.askedUnsaved) {
        useButton.dataset.askedUnsaved = "1";
        useButton.dataset.confirm = [useButton.dataset.unsaved, useButton.dataset.confirm].filter(Boolean).join("\n\n");
      }
    });
    document.addEventListener("submit", function (ev) {
      if (ev.target !== useVersion || ev.defaultPrevented) { return; }
      try { sessionStorage.removeItem(editorKey); } catch (e) { /* nothing kept */ }
    });
  }
  // Live validation of the flow YAML: the same messages as `sukma flows validate`. Whatever
  // else comes back (an ended session, a server error, no answer) is said, not ignored: a
  // stale "YAML valid" would be worse than none.
  var problems = document.getElementById("problems");
  if (source && problems && source.dataset.validate) {
    var timer = null;
    var csrf = source.form.querySelector("input[name=csrf]").value;
    var say = function (className, text) {
      problems.textContent = "";
      var p = document.createElement("p");
      p.className = className; p.textContent = text;
      problems.appendChild(p);
    };
    // A valid flow's warnings (elements of the regulation it leaves out, say) are shown
    // under the validation, and asked about again when the admin publishes it.
    var publish = document.getElementById("publish");
    var warn = function (warnings) {
      warnings.forEach(function (w) {
        var p = document.createElement("p");
        p.className = "caution flow-warning"; p.setAttribute("role", "alert"); p.textContent = "\u26a0 " + w;
        problems.appendChild(p);
      });
      if (publish && publish.dataset.confirmBase) {
        publish.dataset.confirm = publish.dataset.confirmBase + (warnings.length ? "\n\n\u26a0 " + warnings.join("\n\u26a0 ") : "");
      }
    };
    // A Problem is an answer the server gave that is not a validation: its text is shown.
    var Problem = function (text) { this.text = text; };
    var check = function () {
      var body = new URLSearchParams();
      body.set("source", source.value);
      fetch(source.dataset.validate, { method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
        .then(function (r) {
          if ((r.headers.get("Content-Type") || "").indexOf("application/json") < 0) {
            throw new Problem(en ? "The server's answer cannot be read, so the YAML was not checked. Reload the page: your text is kept."
              : "Jawaban server tidak dapat dibaca, jadi YAML belum diperiksa. Muat ulang halaman: teks Anda tidak hilang.");
          }
          return r.json().then(function (res) {
            if (!r.ok || !res || !Array.isArray(res.problems)) {
              throw new Problem(res && res.error ? res.error : (en ? "The server could not check the YAML (" + r.status + ")." : "Server tidak dapat memeriksa YAML (" + r.status + ")."));
            }
            return res;
          });
        })
        .then(function (res) {
          if (res.ok) {
            say("ok", "\u2713 " + (en ? "YAML is valid." : "YAML valid."));
            warn(Array.isArray(res.warnings) ? res.warnings : []);
            return;
          }
          warn([]);
          say("error", en ? "Problems to fix:" : "Masalah yang harus diperbaiki:");
          var ul = document.createElement("ul");
          res.problems.forEach(function (m) {
            var li = document.createElement("li"), code = document.createElement("code");
            code.textContent = m; li.appendChild(code); ul.appendChild(li);
          });
          problems.appendChild(ul);
        })
        .catch(function (err) {
          say("error", err instanceof Problem ? err.text
            : (en ? "The server cannot be reached, so the YAML was not checked. Your text stays here." : "Server tidak dapat dihubungi, jadi YAML belum diperiksa. Teks Anda tetap di sini."));
        });
    };
    source.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 500); });
    if (document.getElementById("restored")) { check(); }
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
  // A form sent after the session ended reaches the sign-in page and is not saved. What it
  // held (never a password) is kept in this tab as it is sent; the sign-in page that says so
  // (#session-ended) keeps it on, through a first password change, and the page signing in
  // leads back to gets it back in the form of the same action, with a note. Any other page
  // drops it: the form was saved, or refused and drawn again by the server. The flow editor
  // keeps its YAML its own way (above).
  var unsentKey = "sukma:unsent-form";
  var unsent = null;
  try { unsent = JSON.parse(sessionStorage.getItem(unsentKey)); sessionStorage.removeItem(unsentKey); } catch (e) { unsent = null; }
  var keepUnsent = function (u) {
    try { sessionStorage.setItem(unsentKey, JSON.stringify(u)); } catch (e) { /* storage off or full: nothing can be kept */ }
  };
  if (unsent && typeof unsent.action === "string" && Array.isArray(unsent.fields)) {
    var back = null;
    Array.prototype.forEach.call(document.forms, function (f) {
      if (f.getAttribute("action") === unsent.action && f.method === "post") { back = back || f; }
    });
    if (document.getElementById("session-ended")) {
      unsent.ended = true;
      keepUnsent(unsent);
    } else if (unsent.ended && !back && location.pathname === "/admin/password") {
      keepUnsent(unsent);
    } else if (unsent.ended && back) {
      unsent.fields.forEach(function (v) {
        var el = back.elements.namedItem(v.name);
        if (!el || el.type === "password" || el.type === "hidden") { return; }
        if (el.type === "checkbox") { el.checked = v.checked === true; } else { el.value = String(v.value); }
      });
      var told = document.createElement("p");
      told.className = "notice"; told.id = "unsent-restored"; told.setAttribute("role", "status");
      told.textContent = en ? "What you sent before signing in again is back in the form below, not saved yet. Check it, then send it again."
        : "Isian yang Anda kirim sebelum masuk lagi dikembalikan ke formulir di bawah, belum tersimpan. Periksa, lalu kirim ulang.";
      if (back.querySelector("input[type=password]")) {
        told.textContent += en ? " Passwords are not kept: type them again." : " Kata sandi tidak disimpan: ketik lagi.";
      }
      back.parentNode.insertBefore(told, back);
      told.scrollIntoView();
    }
  }
  if (!source) {
    document.addEventListener("submit", function (e) {
      var f = e.target;
      if (e.defaultPrevented || f.method !== "post" || f.getAttribute("action") === "/admin/login") { return; }
      var fields = [];
      Array.prototype.forEach.call(f.elements, function (el) {
        if (!el.name || el.disabled || ["password", "hidden", "submit", "button", "file", "reset"].indexOf(el.type) >= 0) { return; }
        fields.push({ name: el.name, value: el.value, checked: el.checked === true });
      });
      if (fields.length) { keepUnsent({ action: f.getAttribute("action"), fields: fields }); }
    });
  }
})();
