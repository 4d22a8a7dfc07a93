// Print: the folded sections (the reporting institution's profile) print open, as a document has no buttons.
window.addEventListener("beforeprint", function () {
  Array.prototype.forEach.call(document.querySelectorAll("article details:not([open])"), function (d) {
    d.setAttribute("open", "");
  });
});

// The print-only header's date (main.html): the reader's today, written at load and again before printing.
(function () {
  var line = document.querySelector(".cb-print-head__date[data-printed]");
  if (!line) return;
  function write() {
    // each language's own date style, as the pages write dates: 2026年12月7日 / 7 December 2026
    var english = document.documentElement.lang.indexOf("en") === 0;
    var date = new Date().toLocaleDateString(english ? "en-GB" : "zh-CN",
                                             {year: "numeric", month: "long", day: "numeric"});
    line.textContent = line.getAttribute("data-printed").replace("{date}", date);
  }
  write();
  window.addEventListener("beforeprint", write);
})();

// Case page folds: a link to a folded place opens its fold, so the reader lands on what the link promised — the
// header's "and N more" (#partners) on the partner table, a compare page's link (#m-…) on the measure's figures.
(function () {
  function openAt(hash) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    var inside = target.closest("details.cb-fold");
    if (inside) inside.setAttribute("open", "");
    // a heading's folds: those after it, up to the next heading
    for (var el = target.nextElementSibling; el && !/^H[1-3]$/.test(el.tagName); el = el.nextElementSibling) {
      if (el.matches("details.cb-fold")) el.setAttribute("open", "");
    }
  }
  openAt(location.hash);
  window.addEventListener("hashchange", function () { openAt(location.hash); });
})();

// Citations (the case page's "Cite this case"): the reader's date of access, as each citation style writes it
// (data-date-style: iso for GB/T 7714 and BibTeX, long for Harvard), in the citation's own language.
(function () {
  var spans = document.querySelectorAll(".cb-accessed[data-accessed]");
  if (!spans.length) return;
  function write() {
    var today = new Date();
    Array.prototype.forEach.call(spans, function (span) {
      var english = (span.closest("[lang]") || document.documentElement).lang.indexOf("en") === 0;
      var date = span.getAttribute("data-date-style") === "iso"
        ? [today.getFullYear(), ("0" + (today.getMonth() + 1)).slice(-2), ("0" + today.getDate()).slice(-2)].join("-")
        : today.toLocaleDateString(english ? "en-GB" : "zh-CN", {year: "numeric", month: "long", day: "numeric"});
      span.textContent = span.getAttribute("data-accessed").replace("{date}", date);
    });
  }
  write();
  window.addEventListener("beforeprint", write);
})();
