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
    // The chosen filters live in the address (?organisations=csto&kind=summit): shareable, kept on reload.
    function fromAddress() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var wanted = params.get(select.getAttribute("data-filter"));
        if (wanted !== null && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) select.value = wanted;
      });
    }
    function toAddress() {
      var url = new URL(window.location.href);
      selects.forEach(function (select) {
        var name = select.getAttribute("data-filter");
        if (select.value) url.searchParams.set(name, select.value); else url.searchParams.delete(name);
      });
      window.history.replaceState(window.history.state, "", url.href);
    }
    selects.forEach(function (select) {
      select.addEventListener("change", function () { apply(); toAddress(); });
    });
    form.addEventListener("reset", function () {
      // The form's own reset runs after this event: filter once the selects show "all".
      setTimeout(function () { apply(); toAddress(); }, 0);
    });
    fromAddress();
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
  var popover = null, current = null, hideTimer = null, lastPointer = "mouse", pointerDownAt = 0;

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
    pointerDownAt = Date.now();
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
    // A tap focuses the link too: leave it to the click handler, which tells a first tap from a second.
    if (link && !(lastPointer === "touch" && Date.now() - pointerDownAt < 1000)) show(link);
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

// Abbreviation expansions on hover, tap or keyboard focus. Each abbreviation in the article becomes
// focusable; hovering, focusing or tapping it shows its expansion below it. (The theme's own tooltips,
// its content.tooltips feature, are off: they measured the page several times while it loaded.)
(function () {
  "use strict";
  var box = null, current = null, shownAt = 0;
  function ensureBox() {
    if (box) return box;
    box = document.createElement("div");
    box.id = "abbr-popover";
    box.className = "citation-popover md-typeset";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    document.body.appendChild(box);
    return box;
  }
  function show(abbr) {
    var text = abbr.getAttribute("data-expansion") || abbr.getAttribute("title");
    if (!text) return;
    ensureBox();
    if (current !== abbr) shownAt = Date.now();
    current = abbr;
    box.textContent = text;
    box.hidden = false;
    var rect = abbr.getBoundingClientRect();
    var width = Math.min(box.scrollWidth + 2, document.documentElement.clientWidth - 16);
    box.style.width = "auto";
    box.style.maxWidth = (document.documentElement.clientWidth - 16) + "px";
    box.style.left = Math.max(8, Math.min(rect.left + window.scrollX,
      window.scrollX + document.documentElement.clientWidth - width - 8)) + "px";
    box.style.top = (rect.bottom + window.scrollY + 4) + "px";
    abbr.setAttribute("aria-describedby", box.id);
  }
  function hide() {
    if (box) box.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }
  function abbrOf(target) {
    return target && target.closest ? target.closest("article abbr[title], article abbr[data-expansion]") : null;
  }
  function init() {
    document.querySelectorAll("article abbr[title]").forEach(function (abbr) {
      // Kept apart from the title, which the theme's tooltips take away while they show it.
      abbr.setAttribute("data-expansion", abbr.getAttribute("title"));
      if (!abbr.closest("a, button")) abbr.setAttribute("tabindex", "0");
    });
  }
  document.addEventListener("click", function (event) {
    var abbr = abbrOf(event.target);
    // A tap focuses the abbreviation (which shows it) just before the click: that click must not hide it.
    if (abbr && !abbr.closest("a")) { if (current === abbr && Date.now() - shownAt > 500) hide(); else show(abbr); }
    else if (box && !box.hidden && !box.contains(event.target)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var abbr = abbrOf(event.target);
    if (abbr && abbr.hasAttribute("tabindex")) show(abbr);
  });
  document.addEventListener("focusout", function (event) { if (abbrOf(event.target) === current) hide(); });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
  // Mouse hover: the title is set aside while the expansion shows, so the browser's own tooltip does not
  // repeat it; put back when the pointer leaves.
  document.addEventListener("mouseover", function (event) {
    var abbr = abbrOf(event.target);
    if (!abbr || abbr === current) return;
    if (abbr.hasAttribute("title")) abbr.removeAttribute("title");
    show(abbr);
  });
  document.addEventListener("mouseout", function (event) {
    var abbr = abbrOf(event.target);
    if (!abbr || abbr.contains(event.relatedTarget)) return;
    if (!abbr.hasAttribute("title")) abbr.setAttribute("title", abbr.getAttribute("data-expansion"));
    if (abbr === current && document.activeElement !== abbr) hide();
  });
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();

// Page chrome the theme leaves out: entry pages are not in the navigation, so the sidebar highlights
// their section (the listing their address starts with); the search dialog gets a name.
(function () {
  "use strict";
  function init() {
    var search = document.querySelector('.md-search[role="dialog"]');
    if (search && !search.hasAttribute("aria-label") && !search.hasAttribute("aria-labelledby")) {
      search.setAttribute("aria-label", "Search the site");
    }
    var nav = document.querySelector("nav.md-nav--primary");
    if (!nav || nav.querySelector(".md-nav__link--active")) return;
    var here = window.location.pathname, best = null, bestLength = 0;
    nav.querySelectorAll("a.md-nav__link[href]").forEach(function (link) {
      var path = new URL(link.getAttribute("href"), window.location.href).pathname;
      if (path.length > bestLength && path !== "/" && here.indexOf(path) === 0 && /\/$/.test(path)) {
        best = link; bestLength = path.length;
      }
    });
    if (best) {
      best.classList.add("md-nav__link--active", "companion-section-active");
      best.setAttribute("aria-current", "location");
    }
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();

// Tables on phones: companion.css stacks the rows of a wide table (four columns or more) into cards
// under 30em; each cell is labelled with its column's heading, so "From 2002" still says what 2002 is.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
        });
      });
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState !== "loading") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
