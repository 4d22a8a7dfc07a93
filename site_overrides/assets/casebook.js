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
