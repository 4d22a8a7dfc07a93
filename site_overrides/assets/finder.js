// The case finder (cases/): combined filters with counts, a text filter and sorting over cases/finder.json.
//
// The page lists its cards without this script; here the form appears, and every change filters the cases,
// recounts each filter's values (the cases that would match were that value ticked too), re-lists the cards
// and writes the state into the address (?theme=a&theme=b&to=CN-XJ&year_from=2015&q=…&sort=title), so a view
// can be shared, survives a reload and goes along when the reader switches language. Values of one filter
// combine with "or", filters with "and". Every text from the records is put in as text, never as markup.
(function () {
  var FACETS = ["relationship", "theme", "from", "to", "kind"];
  var SORTS = ["newest", "period", "title"];

  function start() {
    var root = document.getElementById("cb-finder");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    fetch(root.dataset.src).then(function (r) {
      if (!r.ok) throw new Error("finder data: HTTP " + r.status);
      return r.json();
    }).then(function (data) { setup(root, data); });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function setup(root, data) {
    var lang = document.documentElement.lang || "en";
    var words = data.words, labels = data.labels, cases = data.cases;
    var numberFormat = new Intl.NumberFormat(lang);
    var plurals = new Intl.PluralRules(lang);
    var collator = new Intl.Collator(lang);
    var form = document.getElementById("cb-finder-form");
    var list = document.getElementById("cb-finder-list");
    var count = document.getElementById("cb-finder-count");
    var empty = document.getElementById("cb-finder-empty");
    var emptyText = document.getElementById("cb-finder-empty-text");
    var chips = document.getElementById("cb-finder-chips");
    var chipList = chips.querySelector("ul");
    var more = document.getElementById("cb-finder-more");
    var sort = document.getElementById("cb-finder-sort");
    var query = document.getElementById("cb-finder-q");
    var yearFrom = document.getElementById("cb-finder-year-from");
    var yearTo = document.getElementById("cb-finder-year-to");
    var pageSize = parseInt(root.dataset.pageSize, 10) || 24;
    var shown = pageSize;
    var boxes = {}, counters = {};
    FACETS.forEach(function (facet) {
      boxes[facet] = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=" + facet + "]"));
      counters[facet] = {};
      form.querySelectorAll("fieldset[data-facet=" + facet + "] .cb-finder__n").forEach(function (n) {
        counters[facet][n.dataset.value] = n;
      });
    });
    cases.forEach(function (c, i) {
      c.order = i;   // the data lists the cases newest first
      c.theme = c.themes;   // the theme filter's values: all the case's themes (heaviest first)
      c.words = [c.title, c.reporter, c.summary, c.text].join(" ").toLowerCase();
    });

    form.hidden = false;
    document.getElementById("cb-finder-sort-box").hidden = false;
    root.querySelectorAll(".cb-finder__browse, #cb-finder-pages").forEach(function (el) { el.hidden = true; });
    var drawer = root.querySelector(".cb-finder__drawer");
    var wide = window.matchMedia("(min-width: 60em)");
    drawer.open = wide.matches;
    wide.addEventListener("change", function () { drawer.open = wide.matches; });
    var show = document.getElementById("cb-finder-show");
    show.textContent = fill(words.show, { cases: casesCount(cases.length) });
    show.addEventListener("click", function () {   // phones: close the filters and go to what they leave
      drawer.open = false;
      count.scrollIntoView({ block: "start" });
    });

    function readState(params) {
      var state = { q: (params.get("q") || "").trim(), sort: params.get("sort"), facets: {} };
      if (SORTS.indexOf(state.sort) < 0) state.sort = "newest";
      FACETS.forEach(function (facet) {
        state.facets[facet] = params.getAll(facet).filter(function (v) { return labels[facet][v] !== undefined; });
      });
      var from = parseInt(params.get("year_from"), 10), to = parseInt(params.get("year_to"), 10);
      state.from = isNaN(from) ? null : from;
      state.to = isNaN(to) ? null : to;
      return state;
    }

    function formState() {
      var params = new URLSearchParams();
      FACETS.forEach(function (facet) {
        boxes[facet].forEach(function (box) { if (box.checked) params.append(facet, box.value); });
      });
      if (yearFrom.value) params.set("year_from", yearFrom.value);
      if (yearTo.value) params.set("year_to", yearTo.value);
      if (query.value.trim()) params.set("q", query.value.trim());
      if (sort.value !== "newest") params.set("sort", sort.value);
      return params;
    }

    function showState(state) {
      FACETS.forEach(function (facet) {
        boxes[facet].forEach(function (box) { box.checked = state.facets[facet].indexOf(box.value) >= 0; });
      });
      yearFrom.value = state.from === null ? "" : state.from;
      yearTo.value = state.to === null ? "" : state.to;
      query.value = state.q;
      sort.value = state.sort;
    }

    // Which filters a case fails: a bit per facet (0–4), the years (5) and the text (6).
    function failures(c, state, terms) {
      var failed = 0;
      for (var f = 0; f < FACETS.length; f++) {
        var wanted = state.facets[FACETS[f]];
        if (!wanted.length) continue;
        var values = c[FACETS[f]], hit = false;
        for (var i = 0; i < values.length && !hit; i++) hit = wanted.indexOf(values[i]) >= 0;
        if (!hit) failed |= 1 << f;
      }
      if ((state.from !== null && c.last < state.from) || (state.to !== null && c.first > state.to)) failed |= 1 << 5;
      for (var w = 0; w < terms.length; w++) {
        if (c.words.indexOf(terms[w]) < 0) { failed |= 1 << 6; break; }
      }
      return failed;
    }

    var sorters = {
      newest: function (a, b) { return a.order - b.order; },
      period: function (a, b) { return b.last - a.last || b.first - a.first || a.order - b.order; },
      title: function (a, b) { return collator.compare(a.title, b.title) || a.order - b.order; }
    };

    var matched = [];

    function apply(state) {
      var terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
      var tallies = {};
      FACETS.forEach(function (facet) { tallies[facet] = {}; });
      matched = [];
      for (var i = 0; i < cases.length; i++) {
        var c = cases[i], failed = failures(c, state, terms);
        if (!failed) matched.push(c);
        // a value's count: the cases that pass every filter but its own facet's
        for (var f = 0; f < FACETS.length; f++) {
          if (failed & ~(1 << f)) continue;
          var values = c[FACETS[f]], tally = tallies[FACETS[f]];
          for (var v = 0; v < values.length; v++) tally[values[v]] = (tally[values[v]] || 0) + 1;
        }
      }
      matched.sort(sorters[state.sort]);
      FACETS.forEach(function (facet) {
        var tally = tallies[facet];
        Object.keys(counters[facet]).forEach(function (value) {
          var n = tally[value] || 0, counter = counters[facet][value];
          counter.textContent = numberFormat.format(n);
          counter.parentNode.classList.toggle("cb-finder__zero", n === 0);
        });
      });
      var total = cases.length, n = matched.length;
      count.textContent = n === total ? casesCount(n) : fill(words.of, { n: numberFormat.format(n), total: numberFormat.format(total) });
      show.textContent = fill(words.show, { cases: casesCount(n) });
      var on = activeFilters(state);
      showChips(on);
      empty.hidden = n > 0;
      emptyText.textContent = fill(words.none, { filters: on.map(function (f) { return f.name; }).join(words.chip_separator) });
      render();
    }

    // The filters on, in the form's order: each with its name ("Theme: Employment") and what removes it.
    function activeFilters(state) {
      var on = [];
      function add(facet, value, remove) {
        on.push({ name: fill(words.chip, { facet: words.facets[facet] || words.words, value: value }), remove: remove });
      }
      if (state.q) add("q", state.q, function () { query.value = ""; });
      FACETS.forEach(function (facet) {
        state.facets[facet].forEach(function (value) {
          add(facet, labels[facet][value], function () {
            boxes[facet].forEach(function (box) { if (box.value === value) box.checked = false; });
          });
        });
      });
      if (state.from !== null) add("years", fill(words.since, { year: state.from }), function () { yearFrom.value = ""; });
      if (state.to !== null) add("years", fill(words.until, { year: state.to }), function () { yearTo.value = ""; });
      return on;
    }

    function showChips(on) {
      var had = chipList.contains(document.activeElement) ? Array.prototype.indexOf.call(
        chipList.querySelectorAll("button"), document.activeElement) : -1;
      chipList.replaceChildren.apply(chipList, on.map(function (f) {
        var li = element("li");
        var button = element("button", "cb-finder__chip");
        button.type = "button";
        button.setAttribute("aria-label", fill(words.remove, { filter: f.name }));
        button.appendChild(element("span", null, f.name));
        var cross = element("span", "cb-finder__chip-x", "×");
        cross.setAttribute("aria-hidden", "true");
        button.appendChild(cross);
        button.addEventListener("click", function () { f.remove(); update(); });
        li.appendChild(button);
        return li;
      }));
      chips.hidden = !on.length;
      if (had >= 0) {   // the removed chip had the focus: the next one (or "clear all") takes it
        var next = chipList.querySelectorAll("button")[had] || chips.querySelector(".cb-finder__chip-clear");
        if (!chips.hidden) next.focus(); else count.focus();
      }
    }

    function casesCount(n) {   // the count's form for n by the language's plural rules, as the pages choose it
      return fill(words.cases[plurals.select(n)] || words.cases.other, { n: numberFormat.format(n) });
    }

    function element(tag, className, text) {
      var el = document.createElement(tag);
      if (className) el.className = className;
      if (text !== undefined) el.textContent = text;
      return el;
    }

    function card(c) {
      var article = element("div", "cb-case-card");
      var title = element("h2", "cb-case-card__title");
      var link = element("a", null, c.title);
      link.href = c.id + "/";
      title.appendChild(link);
      article.appendChild(title);
      var who = element("p", "cb-case-card__who", c.reporter + words.space);
      var arrow = element("span", null, "→");
      arrow.setAttribute("aria-hidden", "true");
      who.appendChild(arrow);
      who.appendChild(element("span", "cb-sr-only", words.assists));
      who.appendChild(document.createTextNode(words.space + c.assisted.join(data.words.list_separator) +
        (c.more ? fill(words.more, { n: numberFormat.format(c.more), total: numberFormat.format(c.partners) }) : "")));
      article.appendChild(who);
      var meta = element("p", "cb-case-card__meta");
      var region = element("span", "cb-case-card__fact");
      region.appendChild(element("span", "cb-case-card__label", words.region));
      // a case inside one province says so, rather than "Hubei → Hubei"
      var within = c.to.length === 1 && c.to[0] === c.from[0];
      region.appendChild(document.createTextNode(words.space + (within ? fill(words.within, { province: labels.from[c.from[0]] })
        : labels.from[c.from[0]] + words.space + "→" + words.space +
          c.to.map(function (p) { return labels.to[p]; }).join(data.words.list_separator))));
      var period = element("span", "cb-case-card__fact");
      period.appendChild(element("span", "cb-case-card__label", words.period));
      period.appendChild(document.createTextNode(words.space));
      period.appendChild(element("span", "cb-nowrap", c.period));
      meta.appendChild(region);
      meta.appendChild(document.createTextNode(words.space));
      meta.appendChild(period);
      article.appendChild(meta);
      article.appendChild(element("p", "cb-case-card__summary", c.summary));
      var themes = element("ul", "cb-case-card__themes");
      themes.setAttribute("aria-label", words.themes);
      c.themes.slice(0, 3).forEach(function (t) { themes.appendChild(element("li", null, labels.theme[t])); });
      article.appendChild(themes);
      return article;
    }

    function render() {
      var fragment = document.createDocumentFragment();
      matched.slice(0, shown).forEach(function (c) { fragment.appendChild(card(c)); });
      list.replaceChildren(fragment);
      more.hidden = matched.length <= shown;
    }

    // The language switch leads to the other language's finder with the same filters.
    function carryToOtherLanguages(search) {
      document.querySelectorAll("a[hreflang].md-select__link").forEach(function (a) {
        a.href = a.href.split(/[?#]/)[0] + search;
      });
    }

    function update() {
      var params = formState();
      var search = params.toString() ? "?" + params.toString() : "";
      if (search !== location.search) history.replaceState(null, "", location.pathname + search + location.hash);
      carryToOtherLanguages(search);
      shown = pageSize;
      apply(readState(params));
    }

    form.addEventListener("change", update);
    sort.addEventListener("change", update);   // outside the form in the page, though it belongs to it
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    var typing = null;
    query.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(update, 150); });
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    more.addEventListener("click", function () {
      var first = shown;
      shown += pageSize;
      render();
      var next = list.children[first];
      if (next) next.querySelector("a").focus();
    });
    window.addEventListener("popstate", function () { showState(readState(new URLSearchParams(location.search))); update(); });

    var initial = readState(new URLSearchParams(location.search));
    showState(initial);
    carryToOtherLanguages(location.search);
    apply(initial);
    root.dataset.loaded = "1";
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
