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
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var date = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    line.textContent = line.getAttribute("data-printed").replace("{date}", date);
  }
  write();
  window.addEventListener("beforeprint", write);
})();
