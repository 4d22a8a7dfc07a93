// Chinese queries cut into words the way the search index was cut (generator/search.py says why).
//
// Pagefind cuts a Chinese query with the browser's Intl.Segmenter, which often cuts differently from the
// segmenter that built the index (剑川县 → 剑 川 县 against the index's 剑川 县), and then finds no page with a
// word starting 川. Here, on Chinese pages, Pagefind is created as for a page of undetermined language, so it
// takes the query as typed, and each run of Chinese characters is cut beforehand into the index's own words
// (casebook-words.json in the bundle, longest word first); what no word covers stays whole. Runs after
// Pagefind's Component UI script, and changes nothing if that UI is not the one it knows (1.5).
(function () {
  var components = window.PagefindComponents;
  if (!/^zh\b/i.test(document.documentElement.lang) || !components || !components.getInstanceManager) return;
  var instance = components.getInstanceManager().getInstance("default");
  if (!instance || typeof instance.__load__ !== "function" || !instance.options) return;
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

  function cutter(words) {
    var known = new Set(words), longest = words.reduce(function (n, w) { return Math.max(n, w.length); }, 1);
    function cut(run) {
      var out = [], rest = "";
      for (var i = 0; i < run.length;) {
        var j = Math.min(run.length, i + longest);
        while (j > i + 1 && !known.has(run.slice(i, j))) j--;
        if (j > i + 1) {
          if (rest) { out.push(rest); rest = ""; }
          out.push(run.slice(i, j));
          i = j;
        } else {
          rest += run[i++];
        }
      }
      if (rest) out.push(rest);
      return " " + out.join(" ") + " ";
    }
    return function (term) { return term.replace(HAN, cut).replace(/\s+/g, " ").trim(); };
  }

  function create() {
    var bundle = instance.options.bundlePath;
    var words = fetch(bundle + "casebook-words.json").then(function (r) { return r.ok ? r.json() : []; });
    return Promise.all([import(bundle + "pagefind.js"), words]).then(function (loaded) {
      var html = document.documentElement, lang = html.getAttribute("lang"), api;
      html.setAttribute("lang", "und");  // read by createInstance; put back before anything else can run
      try { api = loaded[0].createInstance(instance.pagefindOptions || {}); } finally { html.setAttribute("lang", lang); }
      var cut = cutter(loaded[1]);
      return Object.assign({}, api, {
        search: function (term, options) { return api.search(term && cut(term), options); },
        debouncedSearch: function (term, options, ms) { return api.debouncedSearch(term && cut(term), options, ms); },
        preload: function (term, options) { return api.preload(term && cut(term), options); }
      });
    });
  }

  var load = instance.__load__, created = null;
  instance.__load__ = function () {
    var self = this;
    if (self.__pagefind__) return load.call(self);
    created = created || create().catch(function () { return null; });  // on failure Pagefind loads as usual
    return created.then(function (api) {
      if (api && !self.__pagefind__) self.__pagefind__ = api;
      return load.call(self);
    });
  };
})();

// A search that finds nothing offers the same query on the other language's site (each language has its own
// index: "Yangxin" is found on the English site only). The offer links to this page in the other language with
// ?search=…; there this script opens the search with that query, as a reader would: the header's search
// button, then the query typed into the field. The offer's words come from the page (data-other-search on
// .cb-search, from templates/strings/).
(function () {
  var box = document.querySelector(".cb-search[data-other-search]");
  var components = window.PagefindComponents;
  if (!box || !components || !components.getInstanceManager) return;
  var instance = components.getInstanceManager().getInstance("default");
  var other = document.querySelector("a.md-select__link[hreflang]:not([aria-current])");
  if (!instance || typeof instance.on !== "function" || !other) return;

  var offer = document.createElement("p");
  offer.className = "cb-search-other";
  offer.hidden = true;
  var link = document.createElement("a");
  link.hreflang = other.hreflang;
  offer.appendChild(link);

  instance.on("results", function (found) {
    var term = (instance.searchTerm || "").trim();
    var summary = document.querySelector("dialog.pf-modal pagefind-summary");
    if (!term || !summary || (found && found.results && found.results.length)) {
      offer.hidden = true;
      return;
    }
    link.textContent = box.dataset.otherSearch.replace("{query}", term);
    link.href = other.href.split(/[?#]/)[0] + "?search=" + encodeURIComponent(term);
    if (offer.previousElementSibling !== summary) summary.insertAdjacentElement("afterend", offer);
    offer.hidden = false;
  });

  var wanted = new URLSearchParams(location.search).get("search");
  if (!wanted) return;
  function run() {
    var trigger = document.querySelector(".cb-search pagefind-modal-trigger button");
    var field = document.querySelector("dialog.pf-modal input[type=search]");
    if (!trigger) { setTimeout(run, 50); return; }
    trigger.click();
    field = document.querySelector("dialog.pf-modal input[type=search]");
    if (!field) { setTimeout(run, 50); return; }
    field.value = wanted;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  if (document.readyState === "complete") { run(); } else { window.addEventListener("load", run); }
})();
