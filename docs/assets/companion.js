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

// Citation previews: hovering, focusing or tapping an in-text citation shows the full reference and
// the cited place; the link itself goes to that place on the source page. On touch screens the first
// tap opens the preview and a second tap (or its "Go to the passage" link) follows the citation.
(function () {
  "use strict";
  var cache = {};
  var popover = null, current = null, hideTimer = null, lastPointer = "mouse";

  function slugOf(link) {
    var match = /sources\/([^\/#]+)\//.exec(link.getAttribute("href") || "");
    return match ? match[1] : null;
  }
  function referenceOnPage(slug) {
    var local = document.querySelector("#work-" + CSS.escape(slug) + " .csl-entry");
    return local ? Promise.resolve(local.cloneNode(true)) : null;
  }
  function referenceFetched(link, slug) {
    if (!cache[slug]) {
      var url = new URL(link.getAttribute("href"), document.baseURI);
      url.hash = "";
      cache[slug] = fetch(url.href).then(function (response) { return response.text(); }).then(function (text) {
        var found = new DOMParser().parseFromString(text, "text/html").querySelector(".reference-style .csl-entry");
        return found ? document.importNode(found, true) : null;
      }).catch(function () { return null; });
    }
    return cache[slug].then(function (node) { return node ? node.cloneNode(true) : null; });
  }
  function ensurePopover() {
    if (popover) return popover;
    popover = document.createElement("div");
    popover.id = "citation-popover";
    popover.className = "citation-popover md-typeset";
    popover.setAttribute("role", "tooltip");
    popover.hidden = true;
    popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    popover.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popover);
    return popover;
  }
  function place(link) {
    var box = link.getBoundingClientRect();
    var width = Math.min(480, document.documentElement.clientWidth - 16);
    popover.style.width = width + "px";
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (box.bottom + window.scrollY + 6) + "px";
  }
  function show(link) {
    clearTimeout(hideTimer);
    var slug = slugOf(link);
    if (!slug) return;
    ensurePopover();
    if (current && current !== link) current.removeAttribute("aria-describedby");
    current = link;
    var pending = referenceOnPage(slug) || referenceFetched(link, slug);
    pending.then(function (reference) {
      if (current !== link) return;
      popover.textContent = "";
      if (reference) popover.appendChild(reference);
      var locator = link.getAttribute("data-locator");
      var go = document.createElement("a");
      go.href = link.getAttribute("href");
      go.className = "citation-popover-go";
      go.textContent = locator ? "Go to the passage (" + locator + ")" : "Go to the source";
      var line = document.createElement("p");
      line.appendChild(go);
      popover.appendChild(line);
      popover.hidden = false;
      place(link);
      link.setAttribute("aria-describedby", popover.id);
    });
  }
  function hide() {
    if (popover) popover.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }
  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }
  // Delegated listeners: the theme may replace the article's links after this script runs.
  function citationOf(target) {
    return target && target.closest ? target.closest("a.citation[href]") : null;
  }
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    if (popover && !popover.hidden && !popover.contains(event.target) && !citationOf(event.target)) hide();
  });
  document.addEventListener("mouseover", function (event) {
    var link = citationOf(event.target);
    if (link && lastPointer !== "touch" && link !== current) show(link);
  });
  document.addEventListener("mouseout", function (event) {
    var link = citationOf(event.target);
    if (link && !link.contains(event.relatedTarget)) scheduleHide();
  });
  document.addEventListener("focusin", function (event) {
    var link = citationOf(event.target);
    if (link) show(link);
  });
  document.addEventListener("focusout", function (event) {
    if (citationOf(event.target)) scheduleHide();
  });
  document.addEventListener("click", function (event) {
    var link = citationOf(event.target);
    if (link && lastPointer === "touch" && (current !== link || !popover || popover.hidden)) {
      event.preventDefault();
      show(link);
    }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });

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
