// The search dialog (partials/search.html). Nothing of Pagefind loads with the page: the first time the dialog
// opens (the header's button, "/", the home page's field, or ?search= in the address), this loads pagefind.js from
// the language's bundle at its site root and merges the case bundles listed in casebook-search.json
// (generator/search.py). Only Pagefind's documented JS API is used: options, init, mergeIndex (with its documented
// `language` option), preload, debouncedSearch and each result's data().
//
// Chinese: Pagefind would cut a query with the browser's Intl.Segmenter, which often cuts unlike the index's
// segmenter (临江 → 临 江, Pagefind/pagefind#1237). So on Chinese pages the case bundles are merged with the
// language "und" (undetermined): Pagefind falls back to the bundle's one index ("falling back to the default
// language for that index") and, the language needing no segmentation, searches the words as given. The query is
// cut here instead (search-words.js): into the index's words for the names and terms the generator knows
// (casebook-search.json's words, longest first), and what no known word covers by Intl.Segmenter.
(function () {
  "use strict";
  var box = document.querySelector(".cb-search[data-bundle]");
  if (!box || typeof HTMLDialogElement !== "function") return;
  var button = box.querySelector(".cb-search__button");
  var dialog = box.querySelector(".cb-search__dialog");
  var field = dialog.querySelector(".cb-search__field");
  var status = dialog.querySelector(".cb-search__status");
  var list = dialog.querySelector(".cb-search__results");
  var more = dialog.querySelector(".cb-search__more");
  var offer = dialog.querySelector(".cb-search__other");
  var bundle = new URL(box.dataset.bundle, location.href);
  var root = new URL("../", bundle).pathname;   // the language's site root: result URLs are relative to it
  var lang = document.documentElement.lang || "en";
  var chinese = /^zh\b/i.test(lang);
  var found = JSON.parse(box.dataset.found);
  var plurals = new Intl.PluralRules(lang);
  var numbers = new Intl.NumberFormat(lang);
  var PAGE = 10;   // results shown at a time
  var DEBOUNCE = 60;   // ms after the last keystroke before searching (Pagefind preloads the index meanwhile)
  var SITE_PAGES_WEIGHT = 0.1;   // the catalogue, guide, data and About pages: found, but after the cases (scores
  // of separate bundles are not comparable: in a bundle of five pages a common word scores five times higher)
  var UNDETERMINED = "und";   // BCP 47: a language Pagefind does not segment
  var script = document.currentScript ? document.currentScript.src : location.href;   // search-words.js is beside it
  var loading = null, results = [], shown = 0, term = "";

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function load() {
    loading = loading || Promise.all([
      import(bundle.href + "pagefind.js"),
      fetch(bundle.href + "casebook-search.json").then(function (r) { return r.ok ? r.json() : {}; }),
      chinese ? import(new URL("search-words.js", script).href) : null,
    ]).then(function (loaded) {
      var pagefind = loaded[0], manifest = loaded[1], words = loaded[2];
      var merged = chinese ? { baseUrl: root, language: UNDETERMINED } : { baseUrl: root };
      // The site's own pages (this bundle) rank after the cases: Pagefind's documented indexWeight.
      return pagefind.options({ baseUrl: root, excerptLength: 24, indexWeight: SITE_PAGES_WEIGHT }).then(function () {
        return Promise.all((manifest.bundles || []).map(function (part) {
          return pagefind.mergeIndex(new URL(part, bundle).href, merged);
        }));
      }).then(function () {
        return { pagefind: pagefind, cut: words ? words.cutter(manifest.words || []) : function (q) { return q; } };
      });
    });
    return loading;
  }

  function say(text) { status.textContent = text; }

  function showOffer(query) {
    var other = document.querySelector("a.md-select__link[hreflang]:not([aria-current])");
    offer.hidden = !other;
    if (!other) return;
    var link = offer.querySelector("a");
    link.hreflang = other.hreflang;
    link.lang = other.hreflang;
    link.textContent = fill(box.dataset.otherSite, { query: query });
    link.href = other.href.split(/[?#]/)[0] + "?search=" + encodeURIComponent(query);
  }

  // Pagefind ends each block of a page's text with ". " where the block has no stop of its own: a Chinese
  // sentence takes "。" without a space; and an excerpt that starts just after such a stop starts with its text.
  var STOP = /([\u3400-\u9fff\d）”](?:<\/mark>)?)\.\s+(?=(?:<mark>)?[\u3400-\u9fff\d“（])/g;
  function typeset(html) {
    html = html.replace(/^\s*\.\s+/, "");
    return chinese ? html.replace(STOP, "$1。") : html;
  }

  // The other names of the partners' places (the page's metadata "aliases": a place's names apart by spaces, the
  // places by "|"): the index holds them so that a reader's Hotan finds 和田, but the reader never sees them. Each
  // is a block of its own in the page's text (". " before and after), so a run of a place's names is taken out
  // where it ends a block or the excerpt, not where a name is the shown text ("Hotan Prefecture").
  function withoutAliases(html, aliases) {
    return (aliases || "").split("|").filter(Boolean).reduce(function (text, names) {
      var name = "(?:<mark>)?(?:" + names.trim().split(/\s+/).map(function (word) {
        return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }).join("|") + ")(?:<\/mark>)?";
      var run = new RegExp("(^|[.。]\\s*)" + name + "(?:\\s+" + name + ")*(?:\\.\\s*|\\s*$)", "g");
      return text.replace(run, "$1");
    }, html);
  }

  // No number cut in two ("98.46%" as ".46%" or "98."): Pagefind cuts an excerpt by its words, and a decimal point
  // or a thousands separator can end one. Where the page's text (data().content) goes on with the number past
  // either end of the excerpt, the broken number is dropped to the next space and "…" says that text goes on.
  var NUMBER_START = /^(?:<mark>)?[\d.,]*\d[\d.,%]*(?:<\/mark>)?\s*/;
  var NUMBER_END = /\s*(?:<mark>)?\d[\d.,]*(?:<\/mark>)?$/;
  function wholeNumbers(html, content) {
    var text = html.replace(/<\/?mark>/g, "");
    var probe = text.slice(0, 16), at = content.indexOf(probe);
    if (/^[.,]\d/.test(text) || (/^\d/.test(text) && at > 0 && /[\d.,]/.test(content.charAt(at - 1)))) {
      html = "…" + html.replace(NUMBER_START, "");
    }
    text = html.replace(/<\/?mark>/g, "");
    probe = text.slice(-16);
    at = content.indexOf(probe);
    if (/\d[.,]?$/.test(text) && at >= 0 && /^(?:[.,]?\d|%)/.test(content.slice(at + probe.length))) {
      html = html.replace(NUMBER_END, "") + "…";
    }
    return html;
  }

  // Only whole words of the query marked (Latin scripts): Pagefind also marks a word the query merely starts with
  // ("All" for "alliance"). A marked word stays marked if it starts with a query word (as typed so far) or shares
  // all but its ending with one (stemming: "teacher" for "teachers", "trained" for "training").
  function wholeMarks(html, words) {
    if (!words.length) return html;
    return html.replace(/<mark>([A-Za-z][A-Za-z'’-]*)<\/mark>/g, function (all, marked) {
      var word = marked.toLowerCase();
      var kept = words.some(function (typed) {
        if (word.indexOf(typed) === 0) return true;
        var common = 0;
        while (common < word.length && word[common] === typed[common]) common += 1;
        return common >= 3 && common >= Math.max(word.length, typed.length) - ENDING;
      });
      return kept ? all : marked;
    });
  }
  var ENDING = 4;   // letters a stemmed word may differ by at its end ("alliance" and "All": 5, not the same word)

  // An excerpt as a reader takes it in: no place's other names, no number cut in two, only the query's words
  // marked, a block Pagefind repeats (a name that heads a card and opens its text) once, and no broken-off start:
  // it begins after the first sentence stop when that comes early, else after "…".
  var SENTENCE = chinese ? /(?<=。|；)/ : /(?<=[.;:]\s)/;
  function tidy(html, data) {
    html = withoutAliases(html, data.meta && data.meta.aliases);
    html = wholeMarks(wholeNumbers(html, data.content || ""), (term.match(LATIN_WORDS) || []).map(function (w) { return w.toLowerCase(); }));
    var seen = new Set();
    var parts = typeset(html).split(SENTENCE).filter(function (part) {
      var key = part.replace(/<\/?mark>/g, "").replace(/[\s。.；;:]+$/, "").trim();
      if (!key || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    var text = parts.join(chinese ? "" : " ").replace(/\s{2,}/g, " ").trim();
    var stop = (chinese ? /[。；]/ : /[.;:]\s/).exec(text);   // <mark> is the only markup: Pagefind escapes the rest
    if (stop && stop.index < text.length / 3 && text.slice(0, stop.index).indexOf("<mark>") < 0) {
      text = text.slice(stop.index + stop[0].length).trim();   // the broken-off first sentence holds no match
    } else if (!/^(?:<mark>)?[A-Z\u3400-\u9fff\d“"（(…]/.test(text)) {
      text = "…" + text;
    }
    return text;
  }

  // The words a reader typed, as a page must hold them to answer the query whole: each run of two or more Chinese
  // characters as it is (西藏, not 西 and 藏 apart), each Latin word or number as the start of a word ("teacher" is
  // in "teachers", as Pagefind's stemming finds it).
  var HAN_RUNS = /[\u3400-\u9fff\uf900-\ufaff]{2,}/g;
  var LATIN_WORDS = /[A-Za-z0-9]+/g;
  function queryWords(query) {
    var han = query.match(HAN_RUNS) || [];
    var latin = (query.match(LATIN_WORDS) || []).map(function (word) {
      return new RegExp("(?:^|[^A-Za-z0-9])" + word, "i");
    });
    return { han: han, latin: latin, size: han.length + latin.length };
  }

  // How many of the query's words a text holds whole.
  function held(words, text) {
    var packed = text.replace(/<\/?mark>/g, "").replace(/\s+/g, "");
    var spaced = text.replace(/<\/?mark>/g, "");
    return words.han.filter(function (run) { return packed.indexOf(run) >= 0; }).length
      + words.latin.filter(function (word) { return word.test(spaced); }).length;
  }

  // A result leads to its best sections (Pagefind's documented sub_results: the page's top, and each heading with
  // an id), up to SECTIONS of them, best first: the ones whose excerpts hold the most of the query's words whole
  // (西藏 教师: one with 西藏, not one with only 教师 however often), each holding as many as the best; among them
  // the higher score first (the sum of its weighted_locations' balanced_score: the template's data-pagefind-weight
  // puts the lead high and the source's facts and editor's notes low), then a heading's section before the page's
  // top. The page's top leads to the page itself, with its excerpt.
  var SECTIONS = 3;
  function score(sub) {
    var weighted = sub.weighted_locations || [];
    return weighted.length ? weighted.reduce(function (sum, w) { return sum + (w.balanced_score || 0); }, 0)
      : (sub.locations || []).length;
  }
  function sections(data, words) {
    var ranked = (data.sub_results || []).map(function (sub) {
      return { sub: sub, rank: [held(words, sub.excerpt || ""), score(sub), sub.url.indexOf("#") >= 0 ? 1 : 0] };
    }).sort(function (a, b) {
      return b.rank[0] - a.rank[0] || b.rank[1] - a.rank[1] || b.rank[2] - a.rank[2];
    });
    return ranked.filter(function (r) { return r.rank[0] === ranked[0].rank[0]; })
      .slice(0, SECTIONS).map(function (r) { return r.sub; });
  }

  // An excerpt without the title the result already shows above it (the page's, or its section's): Pagefind's
  // excerpt often starts inside the heading ("…College's paired assistance to Yangxin … Centre. From 2013 …"). Kept
  // whole if the title held all the words found: the excerpt then shows them marked.
  function withoutTitle(html, title) {
    var text = html.replace(/<\/?mark>/g, "");
    var end = /[.。]?\s/g, stop;
    while ((stop = end.exec(text)) && stop.index <= title.length) {
      var head = text.slice(0, stop.index);
      if (head.length >= 4 && title.slice(-head.length) === head) {
        var rest = cutPlain(html, stop.index + stop[0].length);
        return rest.indexOf("<mark>") >= 0 || html.indexOf("<mark>") < 0 ? rest : html;
      }
    }
    return html;
  }
  // html (text with <mark> only) less its first `chars` characters of text, its marks kept balanced
  function cutPlain(html, chars) {
    var at = 0, seen = 0, open = false;
    while (at < html.length && seen < chars) {
      var tag = /^<\/?mark>/.exec(html.slice(at));
      if (tag) { open = tag[0] === "<mark>"; at += tag[0].length; } else { at += 1; seen += 1; }
    }
    var rest = html.slice(at).replace(/^<\/mark>/, "");
    return (open && !/^<\/mark>/.test(html.slice(at)) && rest.indexOf("</mark>") >= 0 ? "<mark>" : "") + rest;
  }

  function excerpt(html, data) {
    var span = document.createElement("span");
    span.className = "cb-search__excerpt";
    // Pagefind escapes the page's text and adds only <mark> (its API docs); tidy only drops and cuts
    span.innerHTML = tidy(html, data);
    return span;
  }

  function sectionTitle(sub, pageTitle) {
    if (sub.url.indexOf("#") < 0 || !sub.title || sub.title === pageTitle) return null;
    var where = document.createElement("span");
    where.className = "cb-search__section";
    where.textContent = sub.title;
    return where;
  }

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    var subs = sections(data, queryWords(term)), sub = subs[0];
    link.href = sub ? sub.url : data.url;
    var title = document.createElement("span");
    title.className = "cb-search__title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    link.append(title);
    var facts = [data.meta && data.meta.places, data.meta && data.meta.years].filter(Boolean);
    if (facts.length) {   // where and when (the case page's Pagefind metadata), set apart by the layout
      var meta = document.createElement("span");
      meta.className = "cb-search__meta";
      facts.forEach(function (fact) {
        var part = document.createElement("span");
        part.textContent = fact;
        meta.append(part);
      });
      link.append(meta);
    }
    var where = sub && sectionTitle(sub, title.textContent);
    if (where) link.append(where);
    link.append(excerpt(withoutTitle(sub ? sub.excerpt : data.excerpt, where ? sub.title : title.textContent), data));
    li.append(link);
    if (subs.length > 1) {   // the case's further sections that answer the query, each its own link
      var further = document.createElement("ul");
      further.className = "cb-search__sections";
      subs.slice(1).forEach(function (other) {
        var entry = document.createElement("li");
        var to = document.createElement("a");
        to.href = other.url;
        var named = sectionTitle(other, title.textContent);
        if (named) to.append(named);
        to.append(excerpt(withoutTitle(other.excerpt, named ? other.title : ""), data));
        entry.append(to);
        further.append(entry);
      });
      li.append(further);
    }
    return li;
  }

  // The next results, each shown as soon as it and those before it have loaded (all are asked for at once): the
  // first result does not wait for the tenth.
  function showMore() {
    var next = results.slice(shown, shown + PAGE), asked = term;
    shown += next.length;
    more.hidden = true;
    return next.map(function (r) { return r.data(); }).reduce(function (shownBefore, loaded) {
      return shownBefore.then(function () { return loaded; }).then(function (data) {
        if (asked === term) list.append(item(data));
      });
    }, Promise.resolve()).then(function () {
      if (asked === term) more.hidden = shown >= results.length;
    });
  }

  // Whole words first. A Chinese name the index does not hold as a word (和田 where no record has it) reaches
  // Pagefind as one unknown term, and Pagefind then matches its single characters (和, "and", on every page): for a
  // query with Chinese, a result counts only if its text (Pagefind's documented data().content) holds each run of
  // Chinese in the query. And a page that holds every word of the query whole comes before one that holds only some
  // (西藏 教师: a page with 西藏 before one with 西 and 藏 apart; "teacher training Xinjiang": a page with "training"
  // before one with only "trained"), each group in Pagefind's order (its score). Up to WHOLE results are checked so
  // (each is a small fetch); a longer list is a common word's, shown as Pagefind ranks it.
  var WHOLE = 60;
  function whole(query, answer) {
    var words = queryWords(query);
    if (!words.size || answer.results.length > WHOLE) return answer;
    return Promise.all(answer.results.map(function (r) { return r.data(); })).then(function (pages) {
      var all = [], some = [];
      pages.forEach(function (data) {
        var text = data.content || "";
        var packed = text.replace(/\s+/g, "");
        if (!words.han.every(function (run) { return packed.indexOf(run) >= 0; })) return;
        var result = { data: function () { return Promise.resolve(data); } };
        (held(words, text) === words.size ? all : some).push(result);
      });
      return { results: all.concat(some) };
    });
  }

  function search() {
    var query = field.value.trim();
    term = query;
    if (!query) {
      results = []; shown = 0; list.replaceChildren(); more.hidden = true; offer.hidden = true; say("");
      return;
    }
    say(box.dataset.searching);
    load().then(function (api) {
      return api.pagefind.debouncedSearch(api.cut(query), {}, DEBOUNCE);
    }).then(function (answer) {
      return answer && query === term ? whole(query, answer) : null;
    }).then(function (answer) {
      if (!answer || query !== term) return;   // a later keystroke's search replaces this one
      results = answer.results; shown = 0;
      list.replaceChildren();
      if (!results.length) {
        say(fill(box.dataset.none, { query: query }));
        showOffer(query);
        more.hidden = true;
        return;
      }
      offer.hidden = true;
      var n = results.length;
      say(fill(found[plurals.select(n)] || found.other, { n: numbers.format(n), query: query }));
      return showMore();
    }).catch(function () {
      say(box.dataset.failed);
    });
  }

  function open(query) {
    if (!dialog.open) dialog.showModal();
    load().catch(function () { say(box.dataset.failed); });
    if (typeof query === "string") {
      field.value = query;
      search();
    }
    field.focus();
    if (typeof query === "string") field.setSelectionRange(field.value.length, field.value.length);  // typing goes on
    else field.select();   // a new query replaces the last
  }

  button.addEventListener("click", function () { open(); });
  dialog.querySelector(".cb-search__close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { button.focus(); });
  dialog.addEventListener("click", function (event) {   // a click on the backdrop closes the dialog
    if (event.target === dialog) dialog.close();
  });
  field.addEventListener("input", search);
  more.addEventListener("click", function () {
    var first = shown;
    showMore().then(function () {
      var link = list.querySelectorAll("a")[first];
      if (link) link.focus();
    });
  });

  // Esc closes; Tab and Shift+Tab go round the dialog's controls: the page behind is inert, but the browser would
  // otherwise move on to its own address bar.
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {   // closes the dialog from anywhere in it (in the field, it would only clear it)
      event.preventDefault();
      dialog.close();
      return;
    }
    if (event.key !== "Tab") return;
    var controls = Array.prototype.filter.call(dialog.querySelectorAll("input, button, a[href]"), function (c) {
      return !c.closest("[hidden]") && c.getClientRects().length;
    });
    var first = controls[0], last = controls[controls.length - 1];
    if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });

  // Arrow keys move between the field and the results (Tab does too).
  dialog.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.target !== field && at < 0) return;
    event.preventDefault();
    var next = event.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) field.focus();
    else if (next < links.length) links[next].focus();
  });

  // "/" opens the search, as it opened Material's, unless the reader is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || dialog.open) return;
    var target = event.target;
    var typing = target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) || (target.tagName === "INPUT"
      && !/^(checkbox|radio|button|submit|reset|range|color|file|image)$/i.test(target.type));
    if (typing) return;
    event.preventDefault();
    open();
  });

  // The home page's search field hands what is typed to the dialog.
  document.querySelectorAll("input[data-cb-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      var query = input.value;
      input.value = "";
      open(query);
    });
  });

  // ?search=… (the other language's offer leads here with it) opens the search with that query.
  var wanted = new URLSearchParams(location.search).get("search");
  if (wanted) open(wanted);
})();
