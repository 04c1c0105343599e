/* The reader's own marks: reading status, a rating of 1 to 5 stars, hidden; kept in this
 * browser's localStorage, keyed by paper slug, under a key scoped to the site's root path
 * (taken from this script's own address), so two sites on one host never share marks.
 * Nothing is sent anywhere. Loaded deferred: it draws a "Mark" button and the reader's
 * marks on every paper card (.paper-card, its slug read from its title link; also cards the list script draws
 * later), the controls on a paper page (.paper-mine--page), and on "My marks" it loads
 * paper-marks-page.js for export and import. The list script reads marks through
 * window.paperMarks and hears of changes by the "paper-marks:change" event. Text is set
 * through textContent only. The curator's published curation is never touched. */
(function () {
  "use strict";

  var FORMAT = "paper-marks";
  var VERSION = 1;
  var STATUSES = { "to-read": "To read", reading: "Reading", read: "Read" };
  var SLUG = /^[a-z0-9][a-z0-9-]{0,299}$/;
  var script = document.currentScript;
  // This file is <site root>/assets/javascripts/paper-marks.js wherever the site is served.
  var root = new URL("../../", script ? script.src : window.location.href);
  var KEY = "paper-marks:" + root.pathname;
  var marks = {};
  var problem = "";
  var unreadable = null;

  function clean(entry) {
    /* A stored or imported mark with only valid fields, or null when nothing is left. */
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) return null;
    var mark = {};
    if (Object.prototype.hasOwnProperty.call(STATUSES, entry.status)) mark.status = entry.status;
    if (typeof entry.rating === "number" && entry.rating % 1 === 0 && entry.rating >= 1 &&
        entry.rating <= 5) mark.rating = entry.rating;
    if (entry.hidden === true) mark.hidden = true;
    return Object.keys(mark).length ? mark : null;
  }

  function read() {
    var raw;
    problem = "";
    unreadable = null;
    marks = {};
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (error) {
      problem = "This browser does not let the site keep marks (" + error.name + ").";
      return;
    }
    if (raw === null) return;
    var data = null;
    try { data = JSON.parse(raw); } catch (error) { data = null; }
    if (!data || data.format !== FORMAT || data.version !== VERSION || !data.marks ||
        typeof data.marks !== "object" || Array.isArray(data.marks)) {
      problem = "The marks stored for this site could not be read and are ignored; " +
        "marking a paper starts afresh (the unreadable data is set aside).";
      unreadable = raw;
      return;
    }
    var dropped = 0;
    Object.keys(data.marks).forEach(function (slug) {
      var mark = SLUG.test(slug) ? clean(data.marks[slug]) : null;
      if (mark) marks[slug] = mark; else dropped += 1;
    });
    if (dropped) {
      problem = dropped + " stored mark" + (dropped === 1 ? " was" : "s were") +
        " not readable and " + (dropped === 1 ? "is" : "are") + " ignored.";
    }
  }

  function notify(source) {
    document.dispatchEvent(new CustomEvent("paper-marks:change", { detail: { source: source } }));
  }

  function save(source) {
    var sorted = {};
    Object.keys(marks).sort().forEach(function (slug) { sorted[slug] = marks[slug]; });
    try {
      // Data this script could not read is set aside once, never silently overwritten.
      if (unreadable !== null) window.localStorage.setItem(KEY + ":unreadable", unreadable);
      window.localStorage.setItem(KEY, JSON.stringify({ format: FORMAT, version: VERSION, marks: sorted }));
      unreadable = null;
      problem = "";
    } catch (error) {
      problem = "Your marks could not be saved in this browser (" + error.name + ").";
    }
    notify(source);
  }

  function get(slug) {
    return marks[slug] || null;
  }

  function set(slug, change, source) {
    var mark = {};
    var old = marks[slug] || {};
    Object.keys(old).forEach(function (name) { mark[name] = old[name]; });
    Object.keys(change).forEach(function (name) {
      if (change[name] === null || change[name] === false) delete mark[name];
      else mark[name] = change[name];
    });
    mark = clean(mark);
    if (mark) marks[slug] = mark; else delete marks[slug];
    save(source || "mark");
  }

  function merge(entries) {
    /* Imported marks: each slug's mark replaces the one kept here. */
    var count = 0;
    Object.keys(entries).forEach(function (slug) {
      var mark = SLUG.test(slug) ? clean(entries[slug]) : null;
      if (mark) { marks[slug] = mark; count += 1; }
    });
    save("import");
    return count;
  }

  function all() {
    var copy = {};
    Object.keys(marks).sort().forEach(function (slug) { copy[slug] = marks[slug]; });
    return copy;
  }

  read();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(className, text, label) {
    var node = el("button", className, text);
    node.type = "button";
    if (label) node.setAttribute("aria-label", label);
    return node;
  }

  function titleOf(holder) {
    var title = holder.querySelector(".paper-card__title") ||
      document.querySelector(".paper-title");
    if (!title) return holder.getAttribute("data-slug");
    return (title.getAttribute("data-title") || title.textContent).replace(/\s+/g, " ").trim();
  }

  /* What the reader marked, as a line of chips; empty when nothing. */
  function showState(state, mark) {
    state.textContent = "";
    if (!mark) return;
    state.appendChild(el("span", "paper-mine__label", "Yours"));
    if (mark.status) state.appendChild(el("span", "paper-mine__status", STATUSES[mark.status]));
    if (mark.rating) {
      var stars = el("span", "paper-mine__rating");
      stars.appendChild(el("span", "", "\u2605".repeat(mark.rating) + "\u2606".repeat(5 - mark.rating)))
        .setAttribute("aria-hidden", "true");
      stars.appendChild(el("span", "paper-mine__aside", mark.rating + " of 5 stars"));
      state.appendChild(stars);
    }
    if (mark.hidden) state.appendChild(el("span", "paper-mine__hidden", "Hidden"));
  }

  /* Status, stars, hide and clear as toggle buttons; updated in place so focus stays. */
  function panel(slug, title) {
    var box = el("div", "paper-mine__panel");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Your marks for " + title);
    var statuses = el("span", "paper-mine__group");
    statuses.setAttribute("role", "group");
    statuses.setAttribute("aria-label", "Reading status");
    Object.keys(STATUSES).forEach(function (status) {
      var choice = button("paper-mine__choice", STATUSES[status]);
      choice.setAttribute("data-status", status);
      choice.addEventListener("click", function () {
        var mark = get(slug) || {};
        set(slug, { status: mark.status === status ? null : status });
      });
      statuses.appendChild(choice);
    });
    var stars = el("span", "paper-mine__group paper-mine__stars");
    stars.setAttribute("role", "group");
    stars.setAttribute("aria-label", "Rating");
    [1, 2, 3, 4, 5].forEach(function (rating) {
      var star = button("paper-mine__star", "\u2606", rating + (rating === 1 ? " star" : " stars"));
      star.setAttribute("data-rating", String(rating));
      star.addEventListener("click", function () {
        var mark = get(slug) || {};
        set(slug, { rating: mark.rating === rating ? null : rating });
      });
      stars.appendChild(star);
    });
    var hide = button("paper-mine__choice paper-mine__hide", "Hide");
    hide.addEventListener("click", function () {
      var mark = get(slug) || {};
      set(slug, { hidden: !mark.hidden });
    });
    var forget = button("paper-mine__choice paper-mine__forget", "Clear");
    forget.setAttribute("aria-label", "Clear your marks for " + title);
    forget.addEventListener("click", function () {
      set(slug, { status: null, rating: null, hidden: null });
    });
    box.appendChild(statuses);
    box.appendChild(stars);
    box.appendChild(hide);
    box.appendChild(forget);
    return box;
  }

  function showPanel(box, mark) {
    mark = mark || {};
    Array.prototype.forEach.call(box.querySelectorAll("[data-status]"), function (choice) {
      choice.setAttribute("aria-pressed", String(choice.getAttribute("data-status") === mark.status));
    });
    Array.prototype.forEach.call(box.querySelectorAll("[data-rating]"), function (star) {
      var rating = Number(star.getAttribute("data-rating"));
      star.textContent = mark.rating && rating <= mark.rating ? "\u2605" : "\u2606";
      star.setAttribute("aria-pressed", String(rating === mark.rating));
    });
    box.querySelector(".paper-mine__hide").setAttribute("aria-pressed", String(!!mark.hidden));
  }

  /* A card's paper: the slug its title link ends in (.../papers/<slug>/). */
  function slugOf(card) {
    var title = card.querySelector(".paper-card__title");
    var match = title && /\/papers\/([^/]+)\/$/.exec(new URL(title.href).pathname);
    return match && SLUG.test(match[1]) ? match[1] : null;
  }

  /* A card: the reader's marks and a "Mark" button that opens the controls below it. */
  function decorateCard(card) {
    var slug = slugOf(card);
    if (!slug) return;
    var mine = card.querySelector(".paper-mine");
    if (!mine) {
      mine = el("div", "paper-mine");
      mine.slug = slug;
      var toggle = button("paper-mine__toggle", "Mark", "Mark: " + titleOf(card));
      toggle.setAttribute("aria-expanded", "false");
      toggle.addEventListener("click", function () {
        var open = mine.querySelector(".paper-mine__panel");
        if (open) {
          open.remove();
          toggle.setAttribute("aria-expanded", "false");
        } else {
          open = panel(slug, titleOf(card));
          mine.appendChild(open);
          showPanel(open, get(slug));
          toggle.setAttribute("aria-expanded", "true");
        }
      });
      mine.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && mine.querySelector(".paper-mine__panel")) {
          toggle.click();
          toggle.focus();
        }
      });
      mine.appendChild(el("span", "paper-mine__state"));
      mine.appendChild(toggle);
      card.appendChild(mine);
    }
    refresh(mine);
  }

  function refresh(mine) {
    var mark = get(mine.slug);
    showState(mine.querySelector(".paper-mine__state"), mark);
    var open = mine.querySelector(".paper-mine__panel");
    if (open) showPanel(open, mark);
    var card = mine.closest(".paper-card");
    if (card) card.classList.toggle("paper-card--hidden-by-you", !!(mark && mark.hidden));
  }

  /* A paper page: the reader's marks and the controls, always shown. */
  function decoratePage(mine) {
    var slug = mine.getAttribute("data-slug");
    if (!slug || mine.slug) return;
    mine.slug = slug;
    var head = el("p", "paper-mine__head");
    head.appendChild(el("strong", "", "Your marks"));
    head.appendChild(document.createTextNode(" (kept in this browser only; see "));
    var link = el("a", "", "My marks");
    link.setAttribute("href", new URL("marks/", root).pathname);
    head.appendChild(link);
    head.appendChild(document.createTextNode(")"));
    mine.appendChild(head);
    if (problem) mine.appendChild(el("p", "paper-mine__problem", problem));
    mine.appendChild(el("span", "paper-mine__state"));
    mine.appendChild(panel(slug, titleOf(mine)));
    refresh(mine);
  }

  var pageScript = null;

  function loadPageScript() {
    if (!pageScript) {
      pageScript = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL("assets/javascripts/paper-marks-page.js", root).href;
        tag.onload = function () { resolve(window.paperMarksPage); };
        tag.onerror = function () { pageScript = null; reject(new Error("could not load " + tag.src)); };
        document.head.appendChild(tag);
      });
    }
    return pageScript;
  }

  var observed = [];

  function start() {
    observed.forEach(function (observer) { observer.disconnect(); });
    observed = [];
    Array.prototype.forEach.call(document.querySelectorAll(".paper-card"), decorateCard);
    Array.prototype.forEach.call(document.querySelectorAll(".paper-mine--page"), decoratePage);
    // Cards the list script draws after a sort or filter get their marks too.
    Array.prototype.forEach.call(document.querySelectorAll(".paper-cards"), function (list) {
      var observer = new MutationObserver(function (changes) {
        changes.forEach(function (change) {
          Array.prototype.forEach.call(change.addedNodes, function (node) {
            if (node.nodeType === 1 && node.matches(".paper-card")) decorateCard(node);
          });
        });
      });
      observer.observe(list, { childList: true });
      observed.push(observer);
    });
    var page = document.querySelector(".paper-marks-export");
    if (page) {
      loadPageScript().then(function (init) { init(); }, function (error) {
        var message = document.querySelector(".paper-marks-message");
        if (message) {
          message.textContent = "The export and import tools could not load (" + error.message + ").";
          message.hidden = false;
        }
      });
    }
  }

  function refreshAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".paper-mine"), function (mine) {
      if (mine.slug) refresh(mine);
    });
  }

  document.addEventListener("paper-marks:change", refreshAll);
  // Marks changed in another tab of the same site.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) {
      read();
      notify("storage");
    }
  });

  window.paperMarks = {
    statuses: STATUSES, root: root.href, key: KEY, get: get, set: set, merge: merge, all: all,
    problem: function () { return problem; }
  };
  notify("ready");

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
