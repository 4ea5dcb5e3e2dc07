// The web chat: shows the bot's messages, sends the citizen's, offers options as buttons.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var options = document.getElementById("options");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var statusLine = document.getElementById("status");
  // Relative to the page (…/s/TOKEN): Sukma may be served under a path of a proxy's.
  var url = encodeURIComponent(log.dataset.token) + "/messages";
  var busy = false;
  var question = ""; // the question the last message asks: what the citizen's reply answers

  function bubble(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text;
    log.appendChild(div);
    div.scrollIntoView({ block: "end" });
  }

  function show(replies) {
    options.textContent = "";
    replies.forEach(function (r) { bubble(r.text, "bot"); });
    var lastReply = replies[replies.length - 1];
    if (lastReply) { question = lastReply.question || ""; }
    if (lastReply && lastReply.options) {
      lastReply.options.forEach(function (o, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = (i + 1) + ". " + o.label;
        b.addEventListener("click", function () { send(String(i + 1), b.textContent); });
        options.appendChild(b);
      });
    }
  }

  function request(method, body) {
    return fetch(url, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) { throw new Error(data.error || "Gangguan"); }
        return data.replies || [];
      });
    });
  }

  function id() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  function send(text, shown) {
    if (busy) { return; }
    busy = true;
    statusLine.textContent = "";
    bubble(shown || text, "me");
    var msg = { text: text, id: id(), question: question };
    var attempt = function (n) {
      return request("POST", msg).catch(function (err) {
        if (n > 0) { return new Promise(function (ok) { setTimeout(ok, 1500); }).then(function () { return attempt(n - 1); }); }
        throw err;
      });
    };
    // busy ends before the new question's buttons appear, so a quick tap on them counts.
    attempt(2).then(function (replies) {
      busy = false;
      show(replies);
      input.focus();
    }, function () {
      busy = false;
      statusLine.textContent = "Koneksi terputus. Jawaban belum terkirim, silakan coba lagi.";
      input.value = text.length > 2 ? text : input.value;
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });

  request("GET").then(show).catch(function () {
    statusLine.textContent = "Survei tidak dapat dimuat. Periksa koneksi Anda lalu muat ulang halaman.";
  });
})();
