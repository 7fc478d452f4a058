/* Counterpoint default theme: progressive enhancement only. Without this file every page is complete:
   a timeline shows every statement in the order it was said, and the search page says how to browse. */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);

  function keepInUrl(values) {
    var query = new URLSearchParams(window.location.search);
    Object.keys(values).forEach(function (name) {
      if (values[name]) { query.set(name, values[name]); } else { query.delete(name); }
    });
    var search = query.toString();
    history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
  }

  /* The timeline: order by when it was said or when it happened; filter by speaker and kind. */
  function timeline() {
    var list = document.getElementById("timeline");
    var form = document.getElementById("timeline-controls");
    if (!list || !form) { return; }
    var count = document.getElementById("timeline-count");
    var entries = Array.prototype.slice.call(list.children);
    var said = entries.slice();
    var about = entries.slice().sort(function (a, b) {
      var x = a.getAttribute("data-about"), y = b.getAttribute("data-about");
      return x < y ? -1 : x > y ? 1 : said.indexOf(a) - said.indexOf(b);
    });

    function choose(name, value) {
      var field = form.elements[name];
      if (value === null || !field) { return; }
      var allowed = field.options ? Array.prototype.map.call(field.options, function (o) { return o.value; }) : ["said", "about"];
      if (allowed.indexOf(value) !== -1) { field.value = value; }
    }

    function apply() {
      var order = form.elements.order.value === "about" ? "about" : "said";
      var speaker = form.elements.speaker.value;
      var kind = form.elements.kind.value;
      var verdict = form.elements.verdict ? form.elements.verdict.value : "";
      var shown = 0;
      var fragment = document.createDocumentFragment();
      (order === "about" ? about : said).forEach(function (entry) {
        var visible = (!speaker || entry.getAttribute("data-speaker") === speaker) &&
          (!kind || entry.getAttribute("data-kind") === kind) &&
          (!verdict || entry.getAttribute("data-verdict") === verdict);
        entry.hidden = !visible;
        if (visible) { shown += 1; }
        fragment.appendChild(entry);
      });
      list.appendChild(fragment);
      list.setAttribute("data-order", order);
      count.textContent = form.getAttribute(order === "about" ? "data-count-about" : "data-count-said")
        .replace("{shown}", shown);
      keepInUrl({ order: order === "about" ? "about" : "", speaker: speaker, kind: kind, verdict: verdict });
    }

    choose("order", params.get("order"));
    choose("speaker", params.get("speaker"));
    choose("kind", params.get("kind"));
    choose("verdict", params.get("verdict"));
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  /* The search page: a client-side search over search/index.json, loaded on first use. */
  function search() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    var index = null;
    var loading = null;
    /* The page's words, in the site's language: {name} marks where a value goes. */
    var words = JSON.parse(form.getAttribute("data-strings"));

    function say(text, values) {
      return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
    }

    function matches(n) {
      var forms = words.matches;
      var category = new Intl.PluralRules(document.documentElement.lang).select(n);
      return say(forms[category] || forms.other || forms.many || forms.one, { count: n });
    }

    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }

    function load() {
      if (!loading) {
        status.textContent = words.loading;
        loading = fetch(form.getAttribute("data-index"))
          .then(function (response) {
            if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
            return response.json();
          })
          .then(function (items) {
            index = items.map(function (item) { return { item: item, text: fold(item.speaker + " " + item.text + " " + (item.translation || "")) }; });
          });
      }
      return loading;
    }

    function show() {
      var query = input.value.trim();
      keepInUrl({ q: query });
      results.textContent = "";
      if (!query) { status.textContent = ""; return; }
      var terms = fold(query).split(/\s+/);
      var found = index.filter(function (entry) {
        return terms.every(function (term) { return entry.text.indexOf(term) !== -1; });
      });
      found.slice(0, 50).forEach(function (entry) {
        var item = entry.item;
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.text.length > 220 ? item.text.slice(0, 219) + "…" : item.text;
        var meta = document.createElement("span");
        meta.className = "result-meta";
        meta.textContent = say(words.meta, { kind: item.kind, speaker: item.speaker }) + " · " + item.date;
        li.appendChild(meta);
        li.appendChild(link);
        results.appendChild(li);
      });
      status.textContent = found.length === 0 ? say(words.none, { query: query }) :
        matches(found.length) + (found.length > 50 ? words.first : ".");
    }

    function run() {
      load().then(show, function (error) { status.textContent = say(words.failed, { error: error.message }); });
    }

    document.getElementById("search-fallback").hidden = true;
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", run);
    if (params.get("q")) { input.value = params.get("q"); run(); }
  }

  timeline();
  search();
})();
