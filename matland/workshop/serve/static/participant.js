// The questionnaire page, with scripts on: each answer is saved the moment it is given, the
// page says so, and answers not yet acknowledged wait in localStorage and are sent again
// (on the next page, when the connection returns, every few seconds). Without scripts the
// form posts as it is, and the server saves it the same way.
(function () {
  "use strict";
  var KEY = "matland-unsent";
  var form = document.getElementById("answer");
  var status = document.getElementById("status");

  function unsent() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function keep(queue) {
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* private mode */ }
  }
  function say(text, pending) {
    if (!status) return;
    status.textContent = text;
    status.className = pending ? "status pending" : "status";
  }
  function post(item, fields) {
    var body = new URLSearchParams(fields);
    return fetch("/answer/" + encodeURIComponent(item), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }
  function send(item, fields) {
    var queue = unsent();
    queue[item] = fields;
    keep(queue);
    say("Saving…", true);
    return post(item, fields).then(function (result) {
      var queue = unsent();
      if (JSON.stringify(queue[item]) === JSON.stringify(fields)) { delete queue[item]; keep(queue); }
      if (result.ok) {
        say("Saved ✓", false);
        var done = document.getElementById("done");
        if (done && result.data.done !== undefined) done.textContent = result.data.done;
      } else {
        say(result.data.error || "Not saved.", true);
      }
      return result.ok;
    }, function () {
      say("Not saved yet: no connection. It will be sent when the connection is back.", true);
      return false;
    });
  }
  function flush() {
    var queue = unsent();
    Object.keys(queue).forEach(function (item) {
      if (!form || item !== form.dataset.item) send(item, queue[item]);
    });
    if (form && queue[form.dataset.item]) send(form.dataset.item, queue[form.dataset.item]);
  }
  function fields() {
    var data = {};
    new FormData(form).forEach(function (value, key) { if (key !== "go") data[key] = value; });
    return data;
  }
  function answered() {
    var data = fields();
    return data.value !== undefined && data.value !== "" || data.unsure || data.na;
  }
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "TEXTAREA" && !answered()) return;
      if (answered()) send(form.dataset.item, fields());
    });
  }
  window.addEventListener("online", flush);
  setInterval(function () { if (Object.keys(unsent()).length) flush(); }, 5000);
  flush();
})();
