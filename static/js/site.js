/* Small helpers shared by the pages: tag autocomplete over GET /api/v1/tags?q=, focus on a result. */
(function () {
  "use strict";
  // After a post, move focus to what it produced (an upload's report) so screen readers read it first.
  var result = document.getElementById("import-report");
  var summary = document.getElementById("error-summary");
  if (result) result.focus(); else if (summary && document.getElementById("upload-form")) summary.focus();
  document.querySelectorAll("input[data-tag-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var parts = input.value.split(","), q = parts[parts.length - 1].trim();
      if (q.length < 1 || !list) return;
      timer = setTimeout(function () {
        fetch(input.dataset.tagAutocomplete + "?first=10&q=" + encodeURIComponent(q.toLowerCase()))
          .then(function (r) { return r.json(); })
          .then(function (data) {
            var head = parts.slice(0, -1).map(function (s) { return s.trim(); }).filter(Boolean);
            list.textContent = "";
            (data.items || []).forEach(function (t) {
              var o = document.createElement("option");
              o.value = head.concat([t.label]).join(", ");
              o.textContent = t.label + " (" + t.count + ")";
              list.appendChild(o);
            });
          }).catch(function () {});
      }, 200);
    });
  });
})();
