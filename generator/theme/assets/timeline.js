/* Counterpoint default theme: progressive enhancement only. Without this file every page is complete:
   a timeline shows its statements in the order they were said, a page at a time, and the search page
   says how to browse. */
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

  /* The page's words, in the site's language (a form's data-strings): {name} marks where a value goes;
     a message with a count has a form per plural category, chosen with Intl.PluralRules. */
  function words(form) {
    return JSON.parse(form.getAttribute("data-strings"));
  }

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function counted(forms, n, values) {
    var category = new Intl.PluralRules(document.documentElement.lang).select(n);
    values.count = n;
    return say(forms[category] || forms.other || forms.many || forms.one, values);
  }

  /* The timeline: order by when it was said or when it happened; filter by speaker and kind.
     A timeline of one page is ordered and filtered in place. A long timeline comes a page at a time
     (links work without JavaScript); ordering or filtering it works on the whole timeline, from its
     timeline.json, fetched once when first needed and shown a hundred statements at a time. */
  function timeline() {
    var list = document.getElementById("timeline");
    var form = document.getElementById("timeline-controls");
    if (!list || !form) { return; }
    var count = document.getElementById("timeline-count");
    var source = form.getAttribute("data-json");
    var strings = words(form);
    var entries = Array.prototype.slice.call(list.children);
    var said = entries.slice();
    var about = entries.slice().sort(function (a, b) {
      var x = a.getAttribute("data-about"), y = b.getAttribute("data-about");
      return x < y ? -1 : x > y ? 1 : said.indexOf(a) - said.indexOf(b);
    });
    var whole = null;  /* the whole timeline's statements, once fetched */
    var view = null;  /* the list that shows them */

    function choose(name, value) {
      var field = form.elements[name];
      if (value === null || !field) { return; }
      var allowed = field.options ? Array.prototype.map.call(field.options, function (o) { return o.value; }) : ["said", "about"];
      if (allowed.indexOf(value) !== -1) { field.value = value; }
    }

    function describe(shown, total, order) {
      count.textContent = counted(strings[order === "about" ? "about" : "said"], total, { shown: shown });
    }

    function applyHere(order, speaker, kind, verdict) {
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
      describe(shown, entries.length, order);
    }

    function label(select, value) {
      var option = Array.prototype.filter.call(form.elements[select].options, function (o) { return o.value === value; })[0];
      return option ? option.textContent : value;
    }

    function item(s) {
      var li = document.createElement("li");
      li.className = "entry k-" + s.kind;
      var card = document.createElement("article");
      card.className = "card k-" + s.kind;
      var head = document.createElement("p");
      head.className = "labels";
      var kind = document.createElement("span");
      kind.className = "kind k-" + s.kind;
      kind.textContent = label("kind", s.kind);
      head.appendChild(kind);
      var when = document.createElement("p");
      when.className = "dates";
      when.textContent = say(strings.said_on, { date: s.said.phrase }) +
        (s.about ? " · " + say(strings.happened, { date: s.about.phrase }) : "") + " · " + s.speaker.name;
      var text = document.createElement("div");
      text.className = s.quote ? "quote" : "paraphrase";
      text.innerHTML = s.html;  /* the build's own sanitized HTML, as on every page */
      var foot = document.createElement("p");
      foot.className = "card-foot";
      var link = document.createElement("a");
      link.className = "permalink";
      link.href = new URL(s.url).pathname;
      link.textContent = strings.permalink;
      foot.appendChild(link);
      [head, when, text, foot].forEach(function (part) { card.appendChild(part); });
      li.appendChild(card);
      return li;
    }

    function applyWhole(order, speaker, kind, verdict) {
      var chosen = whole.filter(function (s) {
        return (!speaker || s.speaker.slug === speaker) && (!kind || s.kind === kind) &&
          (!verdict || (s.verdict && s.verdict.name === verdict));
      });
      if (order === "about") {
        chosen = chosen.map(function (s, i) { return [s, i]; }).sort(function (a, b) {
          var x = (a[0].about || a[0].said).date, y = (b[0].about || b[0].said).date;
          return x < y ? -1 : x > y ? 1 : a[1] - b[1];
        }).map(function (pair) { return pair[0]; });
      }
      if (!view) {
        view = document.createElement("ol");
        view.className = "timeline timeline-view";
        list.parentNode.insertBefore(view, list);
      }
      view.textContent = "";
      var shown = 0;
      function more() {
        chosen.slice(shown, shown + 100).forEach(function (s) { view.appendChild(item(s)); });
        shown = Math.min(shown + 100, chosen.length);
        describe(shown, chosen.length, order);
        if (shown < chosen.length) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = strings.more;
          button.addEventListener("click", function () { view.removeChild(li); more(); });
          li.appendChild(button);
          view.appendChild(li);
        }
      }
      more();
    }

    function showPages(visible) {
      list.hidden = !visible;
      Array.prototype.forEach.call(document.querySelectorAll(".pager"), function (nav) { nav.hidden = !visible; });
      if (view) { view.hidden = visible; }
    }

    function apply() {
      var order = form.elements.order.value === "about" ? "about" : "said";
      var speaker = form.elements.speaker.value;
      var kind = form.elements.kind.value;
      var verdict = form.elements.verdict ? form.elements.verdict.value : "";
      keepInUrl({ order: order === "about" ? "about" : "", speaker: speaker, kind: kind, verdict: verdict });
      if (!source || (order === "said" && !speaker && !kind && !verdict)) {
        showPages(true);
        applyHere(order, speaker, kind, verdict);
        return;
      }
      if (whole) { showPages(false); applyWhole(order, speaker, kind, verdict); return; }
      load().then(apply, function () {});
    }

    var loading = null;
    function load() {  /* the whole timeline, fetched once */
      if (!loading) {
        count.textContent = strings.loading;
        loading = fetch(source).then(function (response) {
          if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
          return response.json();
        }).then(function (data) {
          whole = data.statements;
          addSpeakers();
          describe(entries.length, entries.length, "said");
        }, function (error) {
          loading = null;
          count.textContent = say(strings.failed, { error: error.message });
          throw error;
        });
      }
      return loading;
    }

    /* A page of a long timeline lists only its own speakers (data-partial); the others come from the whole
       timeline, added in name order when the reader turns to the list. */
    var speakers = form.elements.speaker;
    function addSpeakers() {
      if (!speakers.hasAttribute("data-partial")) { return; }
      speakers.removeAttribute("data-partial");
      var options = Array.prototype.slice.call(speakers.options, 1);
      var known = {};
      options.forEach(function (o) { known[o.value] = true; });
      whole.forEach(function (s) {
        if (s.speaker.slug && !known[s.speaker.slug]) {
          known[s.speaker.slug] = true;
          var option = document.createElement("option");
          option.value = s.speaker.slug;
          option.textContent = s.speaker.name;
          options.push(option);
        }
      });
      var value = speakers.value;
      options.sort(function (a, b) { return a.textContent.localeCompare(b.textContent, document.documentElement.lang); });
      options.forEach(function (o) { speakers.appendChild(o); });
      speakers.value = value;
    }

    choose("order", params.get("order"));
    choose("speaker", params.get("speaker"));
    choose("kind", params.get("kind"));
    choose("verdict", params.get("verdict"));
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    if (source && speakers.hasAttribute("data-partial")) {
      speakers.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
      var wanted = params.get("speaker");
      if (wanted && speakers.value !== wanted) {  /* a shared address naming a speaker of another page */
        load().then(function () { choose("speaker", wanted); apply(); }, function () {});
        return;
      }
    }
    apply();
  }

  /* The search page: Pagefind's index under pagefind/, loaded on first use. It fetches only the
     chunks a search needs (a few hundred KB at any site size), then one small fragment per result shown. */
  function search() {
    var form = document.getElementById("search-form");
    if (!form) { return; }
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var results = document.getElementById("search-results");
    var filterBox = document.getElementById("search-filters");
    var strings = words(form);
    var loading = null;
    var asked = 0;

    function load() {
      if (!loading) {
        status.textContent = strings.loading;
        loading = import(form.getAttribute("data-bundle") + "pagefind.js").then(function (pagefind) {
          return pagefind.options({ baseUrl: "/" }).then(function () { status.textContent = ""; return pagefind; });
        });
      }
      return loading;
    }

    function chosen() {
      var filters = {};
      Array.prototype.forEach.call(filterBox.querySelectorAll("select"), function (select) {
        if (select.value) { filters[select.name.slice(2)] = select.value; }
      });
      return filters;
    }

    function plain(html) {  /* an excerpt's text: parsed in an inert document, where nothing loads or runs */
      return new DOMParser().parseFromString(html, "text/html").body.textContent;
    }

    function entry(title, url, text) {
      var li = document.createElement("li");
      var meta = document.createElement("span");
      meta.className = "result-meta";
      meta.textContent = title;
      var link = document.createElement("a");
      link.href = url;
      link.textContent = text;
      li.appendChild(meta);
      li.appendChild(link);
      return li;
    }

    /* One article's result: the statements in it that match (sections "#s-<id>", linked to their own
       page), or the article itself when the match is in its title or summary. */
    function entries(item) {
      var statements = (item.sub_results || []).filter(function (sub) { return sub.url.indexOf("#s-") !== -1; });
      if (!statements.length) {
        return [entry(say(strings.article, { date: item.meta.date || "" }), item.url, item.meta.title)];
      }
      return statements.slice(0, 3).map(function (sub) {
        var id = sub.url.split("#s-")[1];
        var url = item.url.replace(/articles\/[^\/]+\/$/, "statements/" + id + "/");
        return entry(sub.title, url, plain(sub.excerpt) || sub.title);
      });
    }

    function show(pagefind) {
      var query = input.value.trim();
      var filters = chosen();
      var mine = ++asked;
      keepInUrl({ q: query });
      if (!query && !Object.keys(filters).length) { results.textContent = ""; status.textContent = ""; return; }
      pagefind.search(query || null, { filters: filters }).then(function (found) {
        return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); })).then(function (items) {
          if (mine !== asked) { return; }  /* a newer search has started */
          results.textContent = "";
          items.forEach(function (item) { entries(item).forEach(function (li) { results.appendChild(li); }); });
          var count = found.results.length;
          status.textContent = count === 0 ? say(strings.none, { query: query }) :
            counted(strings.matches, count, {}) + (count > 10 ? strings.first : ".");
        });
      });
    }

    function run() {
      load().then(show, function (error) {
        status.textContent = say(strings.failed, { error: error.message });
        document.getElementById("search-fallback").hidden = false;
      });
    }

    document.getElementById("search-fallback").hidden = true;
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    form.addEventListener("change", run);
    input.addEventListener("input", run);
    if (params.get("q")) { input.value = params.get("q"); run(); }
  }

  timeline();
  search();
})();
