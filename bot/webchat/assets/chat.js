// The web chat: shows the bot's messages, sends the citizen's, offers options as buttons.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var said = document.getElementById("said");
  var options = document.getElementById("options");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var sendButton = document.getElementById("send");
  var statusLine = document.getElementById("status");
  var count = document.getElementById("count"); // characters typed, of a text question's limit
  var langButton = document.getElementById("lang");
  var helpButton = document.getElementById("help");
  var endLine = document.getElementById("ended"); // in place of the input bar, once the chat is over
  // Relative to the page (…/s/TOKEN): Sukma may be served under a path of a proxy's.
  var url = encodeURIComponent(log.dataset.token) + "/messages";
  var busy = false;
  var question = ""; // the question the last message asks: what the citizen's reply answers
  var failed = null; // the message that could not be sent, sent again with its id if retried
  // put is a typed text put back in the field because it could not be sent, and the question
  // it was for: once another question is asked, the field is cleared of it, lest it answer
  // that one. A text the server answered (taken, or refused with a re-prompt) is not put back:
  // what is typed next would be added to it.
  var put = null;
  var limit = 0; // the characters a text question takes, 0 if not known

  // A tap on an option lands where the next question's buttons appear a moment later: a
  // double tap would answer that question too. Freshly shown buttons take no tap for
  // armMs (they fade in meanwhile), so one tap gives one answer.
  var armMs = 700;
  var armedAt = 0;

  form.hidden = false; // without JavaScript the page says so instead

  // The page's own words, in the language the survey is asked in (a question's "lang").
  var words = {
    id: {
      title: "Survei Kepuasan Masyarakat", anonymous: "Jawaban Anda anonim.", chat: "Percakapan",
      options: "Pilihan jawaban", answer: "Jawaban", placeholder: "Tulis jawaban…", send: "Kirim",
      sending: "Mengirim…", characters: "karakter", skip: "Lewati", help: "Bantuan", helpCommand: "/bantuan", unsent: "Koneksi terputus: jawaban Anda mungkin belum terkirim. Periksa koneksi, lalu kirim atau ketuk jawaban Anda lagi.",
      unloaded: "Survei tidak dapat dimuat. Periksa koneksi Anda lalu muat ulang halaman.",
      kept: "Jawaban Anda sebelumnya sudah tersimpan. Lanjutkan dari pesan terakhir.",
      ended: "Tidak ada lagi yang perlu diisi. Anda boleh menutup halaman ini.",
      other: "en", otherName: "English"
    },
    en: {
      title: "Public Satisfaction Survey", anonymous: "Your answers are anonymous.", chat: "Conversation",
      options: "Answer options", answer: "Answer", placeholder: "Type your answer…", send: "Send",
      sending: "Sending…", characters: "characters", skip: "Skip", help: "Help", helpCommand: "/help", unsent: "Connection lost: your answer may not have been sent. Check your connection, then send or tap your answer again.",
      unloaded: "The survey could not be loaded. Check your connection, then reload the page.",
      kept: "Your earlier answers are saved. Continue from the last message.",
      ended: "There is nothing more to answer. You may close this page.",
      other: "id", otherName: "Bahasa Indonesia"
    }
  };
  var w = words.id;

  function speak(lang) {
    if (!words[lang] || words[lang] === w) { return; }
    w = words[lang];
    document.documentElement.lang = lang;
    document.title = w.title;
    document.querySelector("header h1").textContent = w.title;
    document.getElementById("anonymous").textContent = w.anonymous;
    helpButton.textContent = w.help;
    log.setAttribute("aria-label", w.chat);
    options.setAttribute("aria-label", w.options);
    input.setAttribute("aria-label", w.answer);
    input.placeholder = w.placeholder;
    sendButton.textContent = w.send;
    langButton.textContent = w.otherName;
    langButton.lang = w.other;
  }

  langButton.addEventListener("click", function () { send("/bahasa " + w.other, w.otherName, false); });
  // The commands (/batal, /ulang, /bahasa) are the engine's to tell, in its answer to this.
  helpButton.addEventListener("click", function () { send(w.helpCommand, w.helpCommand, false); });

  function bubble(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text;
    log.appendChild(div);
    return div;
  }

  function note(text) {
    var p = document.createElement("p");
    p.className = "note";
    p.textContent = text;
    log.appendChild(p);
  }

  // reveal scrolls to the newest message and its buttons, above the input bar; a question
  // taller than the screen shows from its top.
  function reveal(el) {
    window.scrollTo(0, document.documentElement.scrollHeight);
    if (el && el.getBoundingClientRect().top < 0) { el.scrollIntoView({ block: "start" }); }
  }

  function setStatus(text, error) {
    statusLine.textContent = text;
    statusLine.className = error ? "error" : "";
  }

  // setBusy shows that an answer is on its way on the send button (the status line, which a
  // screen reader reads out, is kept for problems).
  function setBusy(on) {
    busy = on;
    sendButton.disabled = langButton.disabled = helpButton.disabled = on;
    sendButton.textContent = on ? w.sending : w.send;
    options.querySelectorAll("button").forEach(function (b) { b.disabled = on; });
    if (on) { setStatus("", false); }
  }

  function putBack(text) {
    if (input.value === "") {
      input.value = text;
      put = { text: text, question: question };
      counted();
    }
  }

  // end shows the input bar while the chat takes answers, and once it is over (the server
  // says "ended") a closing line in its place.
  function end(over) {
    form.hidden = !!over;
    endLine.hidden = !over;
    endLine.textContent = w.ended;
  }

  // show adds the bot's messages, and in the conversation so far (history, at page load) the
  // citizen's answers after the questions they answered; the page speaks the language of the
  // newest question.
  function show(replies, history) {
    options.textContent = "";
    var lastReply = replies[replies.length - 1];
    var asked = replies.filter(function (r) { return r.lang; }).pop();
    if (asked) { speak(asked.lang); }
    // Reloaded in the middle of a survey, the page says that the answers given are kept: only
    // when the survey under way has some (a question of the transcript carries its answer),
    // not after /batal or /ulang, whose questions were asked but whose answers are gone.
    var midway = history && lastReply && lastReply.question &&
      replies.some(function (r) { return r.answer; });
    var first = null;
    replies.forEach(function (r, i) {
      if (midway && i === replies.length - 1) { note(w.kept); }
      var b = bubble(r.text, "bot");
      if (!first) { first = b; }
      if (history && r.answer) { bubble(r.answer, "me"); }
    });
    if (!history && replies.length) {
      said.textContent = replies.map(function (r) { return r.text; }).join("\n\n");
    }
    if (lastReply) { question = lastReply.question || ""; }
    if (put && put.question !== question && input.value === put.text) { input.value = ""; }
    answerBy(lastReply);
    // A language is switched, and the commands are of use, in a survey under way.
    langButton.hidden = helpButton.hidden = question === "";
    if (lastReply && lastReply.options) {
      lastReply.options.forEach(function (o, i) { option((i + 1) + ". " + o.label, String(i + 1), ""); });
    }
    // A question that may be skipped has a button for it, sending what the server said skips it.
    if (lastReply && lastReply.question && lastReply.skip) { option(w.skip, lastReply.skip, "skip"); }
    if (!history && options.firstChild) { arm(); }
    reveal(history ? null : first);
    return lastReply;
  }

  // option adds a button that answers text, and shows label as the citizen's answer.
  function option(label, text, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    b.addEventListener("click", function (e) {
      // A script's click (element.click()) is deliberate, not a second tap.
      if (e.isTrusted && Date.now() < armedAt) { return; }
      send(text, label, false);
    });
    options.appendChild(b);
  }

  // arm holds the new buttons back from taps for armMs, and shows it by fading them in.
  function arm() {
    armedAt = Date.now() + armMs;
    options.classList.add("fresh");
    setTimeout(function () {
      if (Date.now() >= armedAt) { options.classList.remove("fresh"); }
    }, armMs);
  }

  // answerBy fits the field to how the question now asked is answered: a text question's
  // limit is shown by it, with the characters typed of it, and the field grows with the
  // text; a number brings up a phone's number keys.
  function answerBy(r) {
    if (!r || !r.question) { return; }
    limit = r.input === "text" && r.max > 0 ? r.max : 0;
    input.maxLength = limit || 5000;
    input.inputMode = r.input === "number" ? "numeric" : "text";
    counted();
  }

  function counted() {
    count.hidden = !limit;
    if (limit) { count.textContent = input.value.length + "/" + limit + " " + w.characters; }
    count.className = limit && input.value.length >= limit ? "full" : "";
    var was = input.offsetHeight;
    input.style.height = "";
    if (input.scrollHeight > input.clientHeight) { input.style.height = input.scrollHeight + 2 + "px"; }
    // The input bar stays at the foot of the screen: grown, it would cover the buttons.
    if (input.offsetHeight !== was) { window.scrollTo(0, document.documentElement.scrollHeight); }
  }

  input.addEventListener("input", counted);
  // Enter sends, as in the messaging apps; Shift+Enter starts a new line of a longer text.
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
    }
  });

  // focusNext moves the focus to where the next answer is given, the button pressed being gone
  // (it fell to the page, and a keyboard or a screen reader started again from the top): the
  // first option, or the field when the question is answered by typing.
  function focusNext(last) {
    var first = last && last.options && last.options.length ? options.querySelector("button") : null;
    (first || input).focus({ preventScroll: true });
  }

  // request calls the messages endpoint; a call that hangs is given up after timeoutMs.
  var timeoutMs = 20000;
  function request(method, body) {
    var abort = typeof AbortController === "function" ? new AbortController() : null;
    var timer = abort && setTimeout(function () { abort.abort(); }, timeoutMs);
    return fetch(url, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: abort ? abort.signal : undefined
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) { throw new Error(data.error || "Gangguan"); }
        return { replies: data.replies || [], ended: !!data.ended };
      });
    }).finally(function () { clearTimeout(timer); });
  }

  function id() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  // send posts an answer: text as sent, shown as the citizen's bubble; typed is true for a
  // text from the field, which comes back to it if it cannot be sent.
  function send(text, shown, typed) {
    if (busy) { return false; }
    var msg = { text: text, id: id(), question: question };
    if (failed && failed.text === text && failed.question === question) {
      msg.id = failed.id; // the same message again: counted once if the first got through
    }
    failed = null;
    setBusy(true);
    var mine = bubble(shown || text, "me");
    reveal(mine);
    var attempt = function (n) {
      return request("POST", msg).catch(function (err) {
        if (n > 0) { return new Promise(function (ok) { setTimeout(ok, 1500); }).then(function () { return attempt(n - 1); }); }
        throw err;
      });
    };
    // busy ends before the new question's buttons appear, so a quick tap on them counts.
    attempt(2).then(function (data) {
      setBusy(false);
      var last = show(data.replies, false);
      end(data.ended);
      if (data.ended) { said.textContent += "\n\n" + w.ended; }
      if (!data.ended) { focusNext(last); }
    }, function () {
      setBusy(false);
      log.removeChild(mine);
      failed = msg;
      setStatus(w.unsent, true);
      if (typed) { putBack(text); input.focus({ preventScroll: true }); }
    });
    return true;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    if (busy || text.trim() === "") { return; }
    input.value = "";
    counted();
    send(text, text, true);
  });

  request("GET").then(function (data) { show(data.replies, true); end(data.ended); }).catch(function () {
    setStatus(w.unloaded, true);
  });
})();
