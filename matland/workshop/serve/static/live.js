// A live page (projector, facilitator): one server-sent-events stream. The server sends the
// page's parts (HTML it rendered and escaped) on connect, then the parts that changed; the
// browser reconnects by itself when the connection drops, and is sent everything again.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.EventSource) return;
  var state = document.getElementById("live-state");
  var source = new EventSource(live.dataset.events);
  function apply(event) {
    var parts = JSON.parse(event.data);
    Object.keys(parts).forEach(function (key) {
      var target = document.getElementById("part-" + key);
      if (target && typeof parts[key] === "string") target.innerHTML = parts[key];
    });
    if (state) state.textContent = "live";
  }
  source.addEventListener("snapshot", apply);
  source.addEventListener("change", apply);
  source.onerror = function () { if (state) state.textContent = "reconnecting…"; };
})();
