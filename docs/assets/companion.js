// Chronology and bibliography filters: progressive enhancement (everything is listed without JavaScript).
(function () {
  "use strict";
  function setUp(form, items, countLabel) {
    form.hidden = false;
    var selects = form.querySelectorAll("select[data-filter]");
    var output = form.querySelector("output");
    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var visible = true;
        selects.forEach(function (select) {
          var want = select.value;
          if (!want) return;
          var have = (item.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
          if (have.indexOf(want) === -1) visible = false;
        });
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      if (output) output.textContent = shown + " of " + items.length + " " + countLabel;
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();
  }
  function init() {
    var chronology = document.querySelector("form.chronology-filter");
    if (chronology) setUp(chronology, Array.prototype.slice.call(document.querySelectorAll("ol.chronology > li")), "events");
    var bibliography = document.querySelector("form.bibliography-filter");
    if (bibliography) setUp(bibliography, Array.prototype.slice.call(document.querySelectorAll(".bibliography-item")), "works");
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();

// "Cite this page" on the living site: the references were formatted with the day of the build as
// the access date; put the reader's own day in its place (the ISO date in the note and BibTeX's urldate).
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function init() {
    var now = new Date();
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    document.querySelectorAll(".cite-this-page").forEach(function (box) {
      var note = box.querySelector(".cite-accessed[data-accessed]");
      if (!note) return;
      var built = note.getAttribute("data-accessed");
      note.textContent = today;
      box.querySelectorAll("code.language-bibtex").forEach(function (code) {
        code.textContent = code.textContent.replace("urldate = {" + built + "}", "urldate = {" + today + "}");
      });
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
