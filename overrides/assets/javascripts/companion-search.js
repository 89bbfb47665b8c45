/* The header's search box (overrides/partials/search.html), searching the Pagefind index that
   generator/outputs/search_index.py writes into the built site.

   Nothing is downloaded until a reader focuses the box; then Pagefind's script, its WebAssembly
   and the page list, and for each query only the index chunks of its words and the fragments of
   the results shown. A large site's index is in shards (pagefind/companion-shards.json lists the
   others), merged here with Pagefind's mergeIndex: each adds its page list and a chunk per word.
   The query's Cyrillic words are cut to their Russian stem first (russian-stemmer.js), since
   the pages are indexed with English stemming and Pagefind matches words by prefix; stop words
   are left out and at most two words go to Pagefind, as each costs an index chunk. An entry
   whose name or abbreviation is the whole query comes first: the query is also looked up in one
   shard of the site's name list (generator/outputs/search_names.py); among the other results
   shown, pages whose title is the query come first.
   Keys: "/" or "s" focuses the box; Down and Up move through the results; Enter opens the
   selected (or first) result; Escape closes. */
(function () {
  "use strict";

  var PAGE_SIZE = 10;            // results shown at first, as Material shows: each costs its fragment
  var DEBOUNCE_MS = 120;
  var NAME_SHARDS = 256;         // generator/outputs/search_names.py: SHARDS
  var MAX_TERMS = 2;             // words sent to Pagefind: each costs an index chunk (in every shard)
  var SHARD_MANIFEST = "companion-shards.json";
  var STOP_WORDS = {};
  ("a an and as at by for from in into of on or the to with " +
   "в во и к ко на не о об от по с со у из за до для").split(" ").forEach(function (word) {
    STOP_WORDS[word] = true;
  });
  /* Matches in an entry's names and abbreviations (data-pagefind-meta="names") lift it above
     pages that only mention them, and matches in titles a little less. */
  var RANKING = { metaWeights: { names: 10, title: 5 } };

  var root = document.querySelector("[data-companion-search]");
  if (!root) return;
  var toggle = document.getElementById("__search");
  var form = root.querySelector(".md-search__form");
  var input = root.querySelector(".md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var more = root.querySelector(".companion-search__more");
  var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI);
  var namesFolder = new URL(root.getAttribute("data-names"), document.baseURI);
  var siteRoot = new URL("../", bundle);
  var translations = readTranslations();

  var engine = null;      // a promise of the Pagefind module, once the box was focused
  var generation = 0;     // which query the results on screen belong to
  var results = [];       // Pagefind's results for the current query, in our order
  var shown = 0;          // how many of `results` were rendered
  var listed = {};        // the paths in the list, so "show more" repeats none
  var timer = null;

  function readTranslations() {
    var config = document.getElementById("__config");
    try {
      return (config && JSON.parse(config.textContent).translations) || {};
    } catch (error) {
      return {};
    }
  }

  function say(key, fallback, count) {
    var text = translations[key] || fallback;
    return count === undefined ? text : text.replace("#", String(count));
  }

  /* The index's other shards (generator/outputs/search_index.py: MANIFEST), as folders of the bundle. */
  function shards() {
    return fetch(new URL(SHARD_MANIFEST, bundle).href).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + response.url);
      return response.json();
    }).then(function (manifest) {
      return (manifest && Array.isArray(manifest.shards) ? manifest.shards : []).filter(function (shard) {
        return typeof shard === "string" && /^shard-[0-9]+\/$/.test(shard);
      });
    });
  }

  function load() {
    if (!engine) {
      var options = { baseUrl: siteRoot.pathname, ranking: RANKING };
      engine = Promise.all([import(new URL("pagefind.js", bundle).href), shards()]).then(function (loaded) {
        var pagefind = loaded[0], folders = loaded[1];
        // noWorker: Pagefind's worker script would add 12 KB to a reader's first search.
        return pagefind.options({ baseUrl: options.baseUrl, ranking: options.ranking, noWorker: true })
          .then(function () { return pagefind.init(); })
          .then(function () {
            // Merged shards share the first one's WebAssembly; results come back merged by score.
            return Promise.all(folders.map(function (folder) {
              return pagefind.mergeIndex(new URL(folder, bundle).pathname, options);
            }));
          })
          .then(function () { return pagefind; });
      });
    }
    return engine;
  }

  /* The query as Pagefind gets it: Cyrillic words replaced by their stems, and words that say
     little left out (each word costs the reader an index chunk of some 25 KB, and Pagefind
     matches "o" or "the" as the start of thousands of words), unless nothing else is left. */
  function terms(query) {
    var words = query.split(/\s+/).filter(Boolean).map(function (word) {
      if (!/[\u0400-\u04FF]/.test(word) || !window.companionRussianStem) return word;
      var stem = window.companionRussianStem(word.replace(/[^\u0400-\u04FF\w-]/g, ""));
      return stem.length >= 2 ? stem : word;
    });
    var telling = words.filter(function (word) {
      return word.length > 1 && !STOP_WORDS.hasOwnProperty(word.toLowerCase());
    });
    if (!telling.length) return words.join(" ");
    // At most MAX_TERMS words, the longest (rarer, as a rule): a long name costs no more than
    // that, and the entry it names still comes first through the name list.
    var longest = telling.slice().sort(function (a, b) { return b.length - a.length; }).slice(0, MAX_TERMS);
    return telling.filter(function (word) { return longest.indexOf(word) >= 0; }).join(" ");
  }

  /* As generator/outputs/search_names.py normalise(). */
  function normalise(text) {
    return String(text).toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  /* As generator/outputs/search_names.py shard_of(). */
  function shardOf(key) {
    var value = 0;
    for (var i = 0; i < key.length; i++) value = (Math.imul(value, 31) + key.charCodeAt(i)) >>> 0;
    return value % NAME_SHARDS;
  }

  /* The entries named exactly `query`: a list of [site path, name, summary]. */
  function named(query) {
    var key = normalise(query);
    var shard = ("0" + shardOf(key).toString(16)).slice(-2);
    return fetch(new URL(shard + ".json", namesFolder).href).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + response.url);
      return response.json();
    }).then(function (names) {
      return Object.prototype.hasOwnProperty.call(names, key) ? names[key] : [];
    });
  }

  function titleIs(query, data) {
    return !!(data.meta && data.meta.title) && normalise(data.meta.title) === normalise(query);
  }

  /* Entries named by the query, then the results whose title is the query, then Pagefind's
     order; each page once. */
  function ordered(query, hits, loaded) {
    var seen = {};
    var items = hits.map(function (hit) {
      var url = new URL(hit[0], siteRoot).pathname;
      seen[url] = true;
      return { data: { url: url, meta: { title: hit[1] }, summary: hit[2] } };
    });
    var rest = loaded.filter(function (item) { return !seen[item.data.url]; });
    return items.concat(rest.filter(function (item) { return titleIs(query, item.data); }),
                        rest.filter(function (item) { return !titleIs(query, item.data); }));
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    load().catch(function () { /* reported when a search is run */ });
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function setMeta(count) {
    if (count === null) {
      meta.textContent = say("search.result.placeholder", "Type to start searching");
    } else if (count === 0) {
      meta.textContent = say("search.result.none", "No matching documents");
    } else if (count === 1) {
      meta.textContent = say("search.result.one", "1 matching document");
    } else {
      meta.textContent = say("search.result.other", "# matching documents", count);
    }
  }

  function clear() {
    generation++;
    list.setAttribute("aria-busy", "false");
    results = [];
    shown = 0;
    list.textContent = "";
    more.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setMeta(null);
  }

  /* Pagefind's excerpt as text with <mark> for the matched words: only text is kept. */
  function snippet(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt || "";
    var p = document.createElement("p");
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function render(item) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = item.data.url;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (item.data.meta && item.data.meta.title) || item.data.url;
    article.appendChild(title);
    if (item.data.summary !== undefined) {
      var summary = document.createElement("p");
      summary.textContent = item.data.summary;
      article.appendChild(summary);
    } else {
      article.appendChild(snippet(item.data.excerpt));
    }
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function loadData(slice) {
    return Promise.all(slice.map(function (result) {
      return result.data().then(function (data) { return { result: result, data: data }; });
    }));
  }

  function showMore(mine) {
    var slice = results.slice(shown, shown + PAGE_SIZE);
    return loadData(slice).then(function (loaded) {
      if (mine !== generation) return;
      loaded.forEach(function (item) {
        if (!listed[item.data.url]) list.appendChild(render(item));
        listed[item.data.url] = true;
      });
      shown += slice.length;
      more.hidden = shown >= results.length;
    });
  }

  function run() {
    var query = input.value.trim();
    if (query.length < 2) {  // one letter would match (and fetch) a good part of the index
      clear();
      return;
    }
    var mine = ++generation;
    Promise.all([
      load().then(function (pagefind) { return pagefind.search(terms(query)); }),
      named(query)
    ]).then(function (answers) {
      var search = answers[0], hits = answers[1];
      if (mine !== generation || !search) return;
      results = search.results;
      var first = results.slice(0, PAGE_SIZE);
      return loadData(first).then(function (loaded) {
        if (mine !== generation) return;
        list.textContent = "";
        listed = {};
        ordered(query, hits, loaded).forEach(function (item) {
          list.appendChild(render(item));
          listed[item.data.url] = true;
        });
        shown = first.length;
        more.hidden = shown >= results.length;
        list.setAttribute("aria-busy", "false");
        var count = Math.max(results.length, hits.length);
        input.setAttribute("aria-expanded", count ? "true" : "false");
        setMeta(count);
      });
    }).catch(function (error) {
      if (mine !== generation) return;
      list.setAttribute("aria-busy", "false");
      meta.textContent = "Search is unavailable: " + error;
      throw error;
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
  }

  function moveFocus(step) {
    var all = links();
    var index = all.indexOf(document.activeElement);
    var next = index + step;
    if (next < 0) {
      input.focus();
    } else if (next < all.length) {
      all[next].focus();
    }
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", function () {
    list.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      moveFocus(1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    clear();
    setTimeout(function () { input.focus(); }, 0);
  });
  list.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveFocus(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
    }
  });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(generation).then(function () {
      var all = links();
      if (all[first]) all[first].focus();
    });
  });
  if (toggle) {
    // The header's magnifier (phones) ticks the theme's search toggle: put the cursor in the box.
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
    });
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      input.focus();
    }
  });
  setMeta(null);
})();
