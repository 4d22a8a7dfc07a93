// Print: the folded sections (the reporting institution's profile) print open, as a document has no buttons.
window.addEventListener("beforeprint", function () {
  Array.prototype.forEach.call(document.querySelectorAll("article details:not([open])"), function (d) {
    d.setAttribute("open", "");
  });
});
