// planrisk report: sorting and filtering of the target table. Plain DOM, no library.
// Rows carry their values in data-* attributes; headers with data-sort name the key
// and data-type ("num" or "text") how to compare. Selects with data-key filter rows
// whose data-<key> equals the chosen value ("" = all).
(function () {
  "use strict";
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.dataset.order = String(i); });
    var heads = table.querySelectorAll("th[data-sort]");

    function value(row, key, type) {
      var v = row.dataset[key];
      if (type === "num") {
        // Rows without a number (unmodeled targets) sort last either way.
        return v === undefined || v === "" ? null : parseFloat(v);
      }
      return v === undefined || v === "" ? null : v;
    }

    function compare(a, b, type) {
      return type === "num" ? a - b : a.localeCompare(b, document.documentElement.lang);
    }

    function sortBy(th) {
      var key = th.dataset.sort;
      var type = th.dataset.type;
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      var sorted = rows.slice().sort(function (ra, rb) {
        var a = value(ra, key, type);
        var b = value(rb, key, type);
        if (a === null || b === null) {
          if (a !== b) { return a === null ? 1 : -1; }
        } else {
          var c = compare(a, b, type);
          if (c !== 0) { return dir * c; }
        }
        return Number(ra.dataset.order) - Number(rb.dataset.order);
      });
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      sorted.forEach(function (row) { body.appendChild(row); });
    }

    Array.prototype.forEach.call(heads, function (th) {
      var button = th.querySelector("button");
      if (button) {
        button.addEventListener("click", function () { sortBy(th); });
      }
    });

    var bar = document.querySelector(".filters[data-table='" + table.id + "']");
    if (!bar) { return; }
    var selects = bar.querySelectorAll("select[data-key]");
    var shown = bar.querySelector(".shown");

    function apply() {
      var n = 0;
      rows.forEach(function (row) {
        var keep = Array.prototype.every.call(selects, function (s) {
          return s.value === "" || row.dataset[s.dataset.key] === s.value;
        });
        row.hidden = !keep;
        if (keep) { n += 1; }
      });
      if (shown) { shown.textContent = String(n); }
    }

    Array.prototype.forEach.call(selects, function (s) {
      s.addEventListener("change", apply);
    });
    bar.hidden = false;
    apply();
  });
})();
