/* Sort and filter a paper list over the whole list, not just the page shown.
 *
 * Each list page holds a .paper-browser block (generator/templates/_cards.md.j2) with hidden
 * controls, a page of server-rendered cards and a pager. This script shows the controls; when
 * the reader picks an order or a filter it loads the list's data file (data-list, relative to
 * the page, so a site under a sub-path works) once, and renders the matching cards with the
 * same markup as the template, text set through textContent only. The state lives in the
 * query string (?sort=upvotes&code=1&year=2025&tag=robotics&page=2), so a link can be
 * shared; with no state in it the server's page is shown as built. The reader's own marks
 * (paper-marks.js, window.paperMarks) filter too: hide_read, hide_hidden, starred; the list of
 * "My marks" (data-marked) shows only marked papers, always from the data file. No framework, nothing
 * from another site. Material's instant navigation swaps pages without reloading scripts,
 * so the script starts again on every page Material shows (document$). */
(function () {
  "use strict";

  var PAGE_SIZE = 100;
  var KEYS = ["sort", "code", "year", "tag", "hide_read", "hide_hidden", "starred", "page"];
  // The reader's marks filters: query key and form field name alike.
  var MARK_FILTERS = ["hide_read", "hide_hidden", "starred"];
  var cache = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(className, href, text) {
    var node = document.createElement("a");
    if (className) node.className = className;
    node.setAttribute("href", href);
    node.textContent = text;
    return node;
  }

  /* LaTeX read at build time (generator/formulas.py): nodes [name, attributes, children]
     built with DOM calls, names and attributes checked again here; text as text nodes. */
  var MATHML = "http://www.w3.org/1998/Math/MathML";
  var RICH = /^(strong|em|math|mrow|mi|mn|mo|ms|mtext|mspace|msub|msup|msubsup|mfrac|msqrt|mroot|mover|munder|munderover|mtable|mtr|mtd|mstyle|mpadded|mphantom|menclose|mfenced|merror)$/;
  var RICH_ATTRIBUTE = /^(alttext|display|mathvariant|stretchy|fence|separator|lspace|rspace|displaystyle|scriptlevel|accent|accentunder|movablelimits|columnalign|rowspacing|columnspacing|minsize|maxsize|form|largeop|symmetric|linethickness|width|height|depth|notation|open|close|separators|columnlines|rowlines|frame|align|mathcolor|mathbackground|mathsize)$/;

  function fill(parent, nodes) {
    nodes.forEach(function (node) {
      if (typeof node === "string") {
        parent.appendChild(document.createTextNode(node));
        return;
      }
      if (!RICH.test(node[0])) throw new Error("unexpected element " + node[0]);
      var html = node[0] === "strong" || node[0] === "em";
      var element = html ? document.createElement(node[0]) : document.createElementNS(MATHML, node[0]);
      Object.keys(node[1]).forEach(function (name) {
        if (RICH_ATTRIBUTE.test(name)) element.setAttribute(name, node[1][name]);
      });
      fill(element, node[2]);
      parent.appendChild(element);
    });
    return parent;
  }

  function richText(node, nodes) {
    if (nodes) {
      node.textContent = "";
      fill(node, nodes);
    }
    return node;
  }

  /* One card, element for element what the `card` macro writes; a tag's own list leaves
     out that tag's chip (ownTag). */
  function renderCard(paper, up, statuses, ownTag) {
    var rich = paper.rich || [null, null];
    var item = el("li", "paper-card");
    item.appendChild(richText(
      link("paper-card__title", up + "papers/" + paper.slug + "/", paper.title), rich[0]));
    var meta = el("p", "paper-card__meta");
    if (paper.date) meta.appendChild(el("span", "paper-card__date", paper.date));
    if (paper.upvotes !== null) {
      var votes = el("span", "paper-card__upvotes", "\u25b2 " + paper.upvotes);
      votes.setAttribute("title", "upvotes on Hugging Face");
      meta.appendChild(votes);
    }
    if (paper.org) {
      meta.appendChild(el("span", "paper-card__org", paper.org));
    } else if (paper.authors !== null) {
      var authors = paper.authors + " author" + (paper.authors !== 1 ? "s" : "");
      meta.appendChild(el("span", "paper-card__authors", authors));
    }
    if (paper.code_url) {
      var code = link("paper-card__code", paper.code_url, paper.code_label);
      code.setAttribute("rel", "nofollow noopener");
      meta.appendChild(code);
    }
    if (paper.rating) {
      var stars = el("span", "paper-rating",
        "\u2605".repeat(paper.rating) + "\u2606".repeat(5 - paper.rating));
      stars.setAttribute("title", "rated " + paper.rating + " of 5");
      meta.appendChild(stars);
    }
    if (paper.status && statuses[paper.status]) {
      meta.appendChild(el("span", "paper-status paper-status-" + paper.status,
        statuses[paper.status]));
    }
    if (paper.featured) meta.appendChild(el("span", "paper-featured-badge", "featured"));
    if (meta.childNodes.length) item.appendChild(meta);
    if (paper.gist) item.appendChild(richText(el("p", "paper-card__gist", paper.gist), rich[1]));
    var tags = paper.tags.filter(function (tag) { return tag[0] !== ownTag; });
    if (tags.length) {
      var chips = el("p", "paper-card__tags");
      tags.forEach(function (tag) {
        chips.appendChild(link("", up + "tags/" + tag[0] + "/", tag[1]));
      });
      item.appendChild(chips);
    }
    return item;
  }

  /* A card's paper: the slug its title link ends in (.../papers/<slug>/), the one place a card
     holds it. */
  function slugOf(card) {
    var title = card.querySelector(".paper-card__title");
    var match = title && /\/papers\/([^/]+)\/$/.exec(new URL(title.href).pathname);
    return match ? match[1] : null;
  }

  /* The data file's rows as objects, in the server's order (index kept for ties). */
  function decode(data) {
    return data.papers.map(function (row, index) {
      var paper = { index: index };
      data.fields.forEach(function (name, column) { paper[name] = row[column]; });
      paper.tags = paper.tags.map(function (number) { return data.tags[number]; });
      return paper;
    });
  }

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        return { papers: decode(data), statuses: data.statuses };
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  function byIndex(a, b) { return a.index - b.index; }

  function byDate(direction) {
    return function (a, b) {
      if (!a.date || !b.date) return (!a.date) - (!b.date) || byIndex(a, b);
      if (a.date !== b.date) return (a.date < b.date ? -1 : 1) * direction;
      return byIndex(a, b);
    };
  }

  var SORTS = {
    newest: byDate(-1),
    oldest: byDate(1),
    upvotes: function (a, b) {
      var left = a.upvotes === null ? -1 : a.upvotes;
      var right = b.upvotes === null ? -1 : b.upvotes;
      return right - left || byIndex(a, b);
    },
    title: function (a, b) {
      return a.title.localeCompare(b.title, "en", { sensitivity: "base" }) || byIndex(a, b);
    }
  };

  /* The reader's mark of a paper (paper-marks.js), or none while that script is not there. */
  function markOf(slug) {
    return window.paperMarks ? window.paperMarks.get(slug) : null;
  }

  function usesMarks(state) {
    return state.marked || MARK_FILTERS.some(function (key) { return state[key]; });
  }

  /* The papers a state selects, in the order it asks for; the server's order by default. */
  function select(papers, state, order) {
    var chosen = papers.filter(function (paper) {
      if (usesMarks(state)) {
        var mark = markOf(paper.slug);
        if (state.marked && !mark) return false;
        if (state.hide_read && mark && mark.status === "read") return false;
        if (state.hide_hidden && mark && mark.hidden) return false;
        if (state.starred && !(mark && mark.rating)) return false;
      }
      if (state.code && !paper.code_url) return false;
      if (state.year && (!paper.date || paper.date.slice(0, 4) !== state.year)) return false;
      if (state.tag && !paper.tags.some(function (tag) { return tag[0] === state.tag; })) {
        return false;
      }
      return true;
    });
    var compare = state.sort !== order && SORTS[state.sort] ? SORTS[state.sort] : byIndex;
    return chosen.slice().sort(compare);
  }

  function readState(form, order) {
    var query = new URLSearchParams(window.location.search);
    var state = {
      sort: query.get("sort") || order,
      code: query.get("code") === "1",
      year: query.get("year") || "",
      tag: query.get("tag") || "",
      page: Math.max(1, parseInt(query.get("page"), 10) || 1)
    };
    MARK_FILTERS.forEach(function (key) { state[key] = query.get(key) === "1"; });
    if (!Array.prototype.some.call(form.elements.sort.options, function (option) {
      return option.value === state.sort;
    })) state.sort = order;
    return state;
  }

  function isDefault(state, order) {
    return state.sort === order && !state.code && !state.year && !state.tag && !usesMarks(state);
  }

  function writeState(state, order) {
    var query = new URLSearchParams(window.location.search);
    KEYS.forEach(function (key) { query.delete(key); });
    if (state.sort !== order) query.set("sort", state.sort);
    if (state.code) query.set("code", "1");
    if (state.year) query.set("year", state.year);
    if (state.tag) query.set("tag", state.tag);
    MARK_FILTERS.forEach(function (key) { if (state[key]) query.set(key, "1"); });
    if (!isDefault(state, order) && state.page > 1) query.set("page", String(state.page));
    var search = query.toString();
    var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  function showState(form, state) {
    form.elements.sort.value = state.sort;
    form.elements.code.checked = state.code;
    form.elements.year.value = state.year;
    form.elements.tag.value = state.tag;
    MARK_FILTERS.forEach(function (key) {
      if (form.elements[key]) form.elements[key].checked = state[key];
      else state[key] = false;
    });
    // A year or tag the list lacks (an edited link) shows as "Any" and filters nothing.
    if (form.elements.year.value !== state.year) state.year = "";
    if (form.elements.tag.value !== state.tag) state.tag = "";
  }

  function pagerButton(label, page, go) {
    var button = el("button", "paper-pager__step md-button", label);
    button.type = "button";
    button.addEventListener("click", function () { go(page); });
    return button;
  }

  /* A nav of Previous, what stands between (if anything), Next: the pager under the cards
     and the steps above them. */
  function pagerNav(className, label, page, pages, go, between) {
    var nav = el("nav", className);
    nav.setAttribute("aria-label", label);
    if (page > 1) nav.appendChild(pagerButton("\u2190 Previous", page - 1, go));
    if (between) nav.appendChild(between);
    if (page < pages) nav.appendChild(pagerButton("Next \u2192", page + 1, go));
    return nav;
  }

  function init(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var form = root.querySelector("form.paper-controls");
    var list = root.querySelector(".paper-cards");
    var status = root.querySelector(".paper-browser__status");
    if (!form || !list || !status) return;
    var order = root.getAttribute("data-order");
    var marked = root.hasAttribute("data-marked");
    var current = null;
    var up = root.getAttribute("data-up");
    var ownTag = root.getAttribute("data-own-tag");
    var served = {
      cards: Array.prototype.slice.call(list.children),
      // The pager under the cards and the previous / next links above them.
      pagers: Array.prototype.slice.call(root.querySelectorAll(".paper-pager")),
      status: status.textContent
    };
    var clientPagers = [];
    var run = 0;

    function restore() {
      list.replaceChildren.apply(list, served.cards);
      status.textContent = served.status;
      clientPagers.forEach(function (pager) { pager.remove(); });
      clientPagers = [];
      served.pagers.forEach(function (pager) { pager.hidden = false; });
    }

    function render(state, data) {
      // A card whose controls had focus may leave the list (marked read under "Hide read"):
      // focus then goes to the status line, which says what the list shows now.
      var focused = list.contains(document.activeElement);
      var chosen = select(data.papers, state, order);
      var pages = Math.max(1, Math.ceil(chosen.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages);
      var start = (state.page - 1) * PAGE_SIZE;
      var shown = chosen.slice(start, start + PAGE_SIZE);
      // The same cards in the same order stay as they are (with any controls open in them):
      // a mark given under a marks filter redraws only when the list itself changes.
      var before = Array.prototype.map.call(list.children, function (card) {
        return slugOf(card);
      }).join(" ");
      if (before !== shown.map(function (paper) { return paper.slug; }).join(" ")) {
        list.replaceChildren.apply(list, shown.map(function (paper) {
          return renderCard(paper, up, data.statuses, ownTag);
        }));
      }
      var label = form.elements.sort.options[form.elements.sort.selectedIndex].text;
      var unmarked = marked && !Object.keys(window.paperMarks ? window.paperMarks.all() : {}).length;
      // My marks before a first mark: no sort or filter over nothing, only what to do.
      form.hidden = unmarked;
      status.textContent = chosen.length
        ? "Papers " + (start + 1) + "\u2013" + (start + shown.length) + " of " + chosen.length +
          " matching, " + label.toLowerCase() +
          (pages > 1 ? "; page " + state.page + " of " + pages : "") + "."
        : unmarked
          ? "You have not marked any paper on this site in this browser yet."
          : "No paper in this list matches.";
      served.pagers.forEach(function (pager) { pager.hidden = true; });
      clientPagers.forEach(function (pager) { pager.remove(); });
      clientPagers = [];
      if (pages > 1) {
        var go = function (page) {
          state.page = page;
          writeState(state, order);
          render(state, data);
          // To the status line, the stylesheet's scroll margin keeping it below the header.
          status.scrollIntoView({ block: "start" });
        };
        var where = el("span", "paper-pager__page", state.page + " / " + pages);
        where.setAttribute("aria-current", "page");
        var clientPager = pagerNav("paper-pager", "Pages of the sorted list", state.page, pages, go, where);
        // Above the cards as on the built page: a phone need not scroll past 100 cards.
        var steps = pagerNav("paper-pager paper-pager--steps", "Previous and next page of the sorted list",
                             state.page, pages, go, null);
        list.after(clientPager);
        status.after(steps);
        clientPagers = [steps, clientPager];
      }
      writeState(state, order);
      if (focused && !list.contains(document.activeElement)) {
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    }

    function apply(state) {
      var mine = ++run;
      state.marked = marked;
      current = state;
      if (isDefault(state, order)) {
        restore();
        writeState(state, order);
        return;
      }
      root.setAttribute("aria-busy", "true");
      load(new URL(root.getAttribute("data-list"), window.location.href).href).then(function (data) {
        if (mine === run) render(state, data);
      }, function (error) {
        if (mine === run) status.textContent = "Could not load this list to sort it (" + error.message + ").";
      }).then(function () { root.removeAttribute("aria-busy"); });
    }

    function fromForm() {
      return {
        sort: form.elements.sort.value,
        code: form.elements.code.checked,
        year: form.elements.year.value,
        tag: form.elements.tag.value,
        page: 1,
        hide_read: !!(form.elements.hide_read && form.elements.hide_read.checked),
        hide_hidden: !!(form.elements.hide_hidden && form.elements.hide_hidden.checked),
        starred: !!(form.elements.starred && form.elements.starred.checked)
      };
    }

    // Marks changed (or their script has just loaded): a list that filters by them follows.
    function onMarks() {
      if (!root.isConnected) {
        document.removeEventListener("paper-marks:change", onMarks);
        return;
      }
      if (current && usesMarks(current)) apply(current);
    }
    document.addEventListener("paper-marks:change", onMarks);

    form.addEventListener("change", function () { apply(fromForm()); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // The reset happens after this event: read the form once it is done.
      window.setTimeout(function () { apply(fromForm()); }, 0);
    });
    form.hidden = false;
    var state = readState(form, order);
    showState(form, state);
    state.marked = marked;
    if (!isDefault(state, order)) apply(state);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".paper-browser[data-list]"), init);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
