/* The Snowball stemmer for Russian (https://snowballstem.org/algorithms/russian/stemmer.html),
   for the search box: a query's Cyrillic words are cut to their stem before Pagefind, which
   matches words by prefix, so "Лукашенки" (stem "лукашенк") finds the page with "Лукашенко".
   Defines window.companionRussianStem(word) -> stem (lower case, ё read as е). */
(function () {
  "use strict";

  var VOWELS = "аеиоуыэюя";
  // [endings that must follow а or я, endings that need nothing before them]
  var PERFECTIVE_GERUND = [["в", "вши", "вшись"], ["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"]];
  var ADJECTIVE = [[], ["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его",
                        "ого", "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"]];
  var PARTICIPLE = [["ем", "нн", "вш", "ющ", "щ"], ["ивш", "ывш", "ующ"]];
  var REFLEXIVE = [[], ["ся", "сь"]];
  var VERB = [["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"],
              ["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен",
               "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"]];
  var NOUN = [[], ["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий",
                   "й", "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю",
                   "ия", "ья", "я"]];
  var SUPERLATIVE = [[], ["ейше", "ейш"]];
  var DERIVATIONAL = [[], ["ость", "ост"]];

  function isVowel(letter) {
    return VOWELS.indexOf(letter) >= 0;
  }

  /* Where RV and R2 start: RV after the first vowel; R1 after the first consonant that
     follows a vowel; R2 the same within R1. */
  function regions(word) {
    var rv = word.length, r1 = word.length, r2 = word.length, i;
    for (i = 0; i < word.length; i++) {
      if (isVowel(word[i])) { rv = i + 1; break; }
    }
    for (i = 1; i < word.length; i++) {
      if (!isVowel(word[i]) && isVowel(word[i - 1])) { r1 = i + 1; break; }
    }
    for (i = r1 + 1; i < word.length; i++) {
      if (!isVowel(word[i]) && isVowel(word[i - 1])) { r2 = i + 1; break; }
    }
    return { rv: rv, r2: r2 };
  }

  /* The word without the longest ending of the class that lies at or after `start`, or null.
     As in Snowball's `among`, only the longest ending is tried. */
  function removeEnding(word, start, endings) {
    var best = "", group = -1;
    endings.forEach(function (list, index) {
      list.forEach(function (ending) {
        if (ending.length > best.length && word.length - ending.length >= start &&
            word.slice(-ending.length) === ending) {
          best = ending;
          group = index;
        }
      });
    });
    if (group < 0) return null;
    var rest = word.slice(0, word.length - best.length);
    if (group === 0) {
      var before = rest.slice(-1);
      if (rest.length - 1 < start || (before !== "а" && before !== "я")) return null;
    }
    return rest;
  }

  function stem(input) {
    var word = String(input).toLowerCase().replace(/ё/g, "е");
    var marks = regions(word), rv = marks.rv, result;
    // Step 1
    result = removeEnding(word, rv, PERFECTIVE_GERUND);
    if (result !== null) {
      word = result;
    } else {
      result = removeEnding(word, rv, REFLEXIVE);
      if (result !== null) word = result;
      result = removeEnding(word, rv, ADJECTIVE);
      if (result !== null) {
        var participle = removeEnding(result, rv, PARTICIPLE);
        word = participle !== null ? participle : result;
      } else {
        result = removeEnding(word, rv, VERB);
        if (result === null) result = removeEnding(word, rv, NOUN);
        if (result !== null) word = result;
      }
    }
    // Step 2
    if (word.length - 1 >= rv && word.slice(-1) === "и") word = word.slice(0, -1);
    // Step 3
    result = removeEnding(word, marks.r2, DERIVATIONAL);
    if (result !== null) word = result;
    // Step 4
    if (word.slice(-2) === "нн" && word.length - 2 >= rv) {
      word = word.slice(0, -1);
    } else {
      result = removeEnding(word, rv, SUPERLATIVE);
      if (result !== null) {
        word = result;
        if (word.slice(-2) === "нн" && word.length - 2 >= rv) word = word.slice(0, -1);
      } else if (word.slice(-1) === "ь" && word.length - 1 >= rv) {
        word = word.slice(0, -1);
      }
    }
    return word;
  }

  window.companionRussianStem = stem;
})();
