// Sortable tables: a button in each header of a table.cb-sortable sorts its rows.
// The table is complete and readable without this script.
(function () {
  function key(cell, numeric) {
    var raw = cell.getAttribute("data-value") || cell.textContent.trim();
    return numeric ? parseFloat(raw.replace(/,/g, "")) || 0 : raw;
  }
  function sort(table, index, numeric, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric), y = key(b.cells[index], numeric);
      var order = numeric ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function setup() {
    document.querySelectorAll("table.cb-sortable").forEach(function (table) {
      if (table.dataset.sortable) return;
      table.dataset.sortable = "1";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sort(table, index, th.dataset.sort === "number", th); });
      });
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();

// Print: the folded sections (the reporting institution's profile) print open, as a document has no buttons.
window.addEventListener("beforeprint", function () {
  Array.prototype.forEach.call(document.querySelectorAll("article details:not([open])"), function (d) {
    d.setAttribute("open", "");
  });
});
