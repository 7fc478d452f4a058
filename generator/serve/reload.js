// Counterpoint's live reload, added by the preview server to every HTML page it serves
// (never to the files a build writes). It listens to /__counterpoint__/events: `hello` and
// `reload` reload the page when a newer build is served, `problems` draws the failed build's
// problems as an overlay, built with textContent only, in a shadow root.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-counterpoint-build") : null;
  var host = null;
  function clearOverlay() {
    if (host) { host.remove(); host = null; }
  }
  function line(p) {
    var text = p.path + ":" + p.line + ":" + p.column + ": " + p.severity + ": " + p.message;
    return p.hint ? text + " (" + p.hint + ")" : text;
  }
  function showProblems(data) {
    clearOverlay();
    if (!data.problems || !data.problems.length) { return; }
    host = document.createElement("div");
    host.id = "counterpoint-overlay";
    host.setAttribute("role", "alert");
    var root = host.attachShadow({mode: "open"});  // the site's styles stay out of it
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial;display:block;position:fixed;z-index:2147483647;left:0;right:0;top:0}" +
      ".panel{position:relative;max-height:70vh;overflow:auto;" +
      "background:#1d1f21;color:#f5f5f5;border-bottom:4px solid #d33;padding:1em 1.5em;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 16px #0008}" +
      "h2{font:bold 16px/1.4 system-ui,sans-serif;margin:0 0 .5em;color:#ff8a80}" +
      "ol{margin:0;padding-left:1.5em}li{white-space:pre-wrap;margin:.25em 0}" +
      ".error{color:#ff8a80}.warning{color:#ffd54f}p{margin:.75em 0 0;color:#bbb}" +
      "button{position:absolute;top:.5em;right:.75em;background:none;border:0;color:#bbb;" +
      "font-size:22px;cursor:pointer}";
    var panel = document.createElement("div");
    panel.className = "panel";
    var title = document.createElement("h2");
    title.textContent = "The build failed: this page shows the last good build";
    var list = document.createElement("ol");
    data.problems.forEach(function (p) {
      var item = document.createElement("li");
      item.className = p.severity === "error" ? "error" : "warning";
      item.textContent = line(p);
      list.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = (data.count || "") + " \u2014 fix the file and the page reloads.";
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Hide");
    close.textContent = "\u00d7";
    close.addEventListener("click", clearOverlay);
    panel.append(close, title, list, note);
    root.append(style, panel);
    document.documentElement.appendChild(host);
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("/__counterpoint__/events");
  source.addEventListener("hello", function (event) {
    var data = JSON.parse(event.data);
    if (build !== null && data.build !== build) { location.reload(); }
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problems", function (event) { showProblems(JSON.parse(event.data)); });
})();
