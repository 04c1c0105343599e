// Header search over the Pagefind index in <site>/pagefind/, drawn with Material's classes.
// Pagefind splits its index into small chunks, so a first search downloads a few of them
// instead of one index of every paper (Material's index is 6.2 MB gzipped at 10,000 papers).
// What readers like in Material's search is matched here: a suggestion completes the word
// being typed (Right arrow takes it), the opened paper shows the searched words marked
// (?h=word, as Material's links carry), and ?q=words opens the search with that query, the
// link the share button copies.
(() => {
  "use strict";
  const PAGE_SIZE = 10;
  // The URL parameters Material's search uses: q opens the search, h marks words on a page.
  const SHARE_PARAM = "q";
  const HIGHLIGHT_PARAM = "h";
  // Material's share icon (material/share-variant), drawn as its other header icons are.
  const SHARE_ICON = "M18 16.08c-.76 0-1.44.3-1.96.77L8.91 12.7c.05-.23.09-.46.09-.7s-.04-.47-.09-.7l7.05-4.11c.54.5 1.25.81 2.04.81a3 3 0 0 0 3-3 3 3 0 0 0-3-3 3 3 0 0 0-3 3c0 .24.04.47.09.7L8.04 9.81C7.5 9.31 6.79 9 6 9a3 3 0 0 0-3 3 3 3 0 0 0 3 3c.79 0 1.5-.31 2.04-.81l7.12 4.15c-.05.21-.08.43-.08.66 0 1.61 1.31 2.91 2.92 2.91s2.92-1.3 2.92-2.91A2.92 2.92 0 0 0 18 16.08";
  // Searching on every keystroke fetches index chunks and excerpts for prefixes nobody wants
  // ("d", "di", ...); wait for a pause in typing, and for a word of a few letters.
  const PAUSE_MS = 120;
  const MIN_LETTERS = 3;
  // Paths are built from this script's own URL: the site may live under a sub-path
  // (a GitHub project site is served from /<repo>/), and instant navigation changes the page
  // URL without reloading this script.
  const script = document.currentScript;
  const siteRoot = new URL("../../", script.src);
  const bundle = new URL("pagefind/pagefind.js", siteRoot);

  const root = document.querySelector(".paper-search");
  if (!root) return;
  // Every page, also one reached by instant navigation (Material's document$), marks the
  // words its URL names.
  if (window.document$) window.document$.subscribe(() => highlight().catch(() => {}));
  else highlight().catch(() => {});
  const toggle = document.getElementById("__search");
  const input = root.querySelector(".md-search__input");
  const form = root.querySelector(".md-search__form");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const filterInputs = [...root.querySelectorAll(".paper-search__filter")];
  const suggest = form.appendChild(document.createElement("div"));
  suggest.className = "md-search__suggest";
  suggest.setAttribute("aria-hidden", "true");
  const share = shareButton();

  let engine = null;
  let filtersLoaded = false;
  let pause = 0;
  let generation = 0;
  let shown = [];
  let rendered = 0;

  // Marks the words of the page URL's h parameters in the article, with the highlighter that
  // Pagefind's bundle ships (mark.js inside), fetched only by a page that has words to mark.
  async function highlight() {
    const url = new URL(location.href);
    const words = url.searchParams.getAll(HIGHLIGHT_PARAM).filter(Boolean);
    const article = document.querySelector("article.md-content__inner");
    if (!words.length || !article || article.querySelector("mark.paper-search__highlight")) return;
    const { default: Highlight } = await import(new URL("pagefind-highlight.js", bundle).href);
    new Highlight({
      highlightParam: HIGHLIGHT_PARAM,
      markContext: article,
      // Material's look for marked text (.md-typeset mark), in both schemes.
      addStyles: false,
      markOptions: { className: "paper-search__highlight", exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *"] },
    });
  }

  // The share button beside the reset button, as Material's: a link to this page with the
  // search open on the query (?q=), copied to the clipboard when pressed.
  function shareButton() {
    const link = document.createElement("a");
    link.className = "md-search__icon md-icon paper-search__share";
    link.title = "Share";
    link.setAttribute("aria-label", "Share");
    link.href = location.href;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = svg.appendChild(document.createElementNS("http://www.w3.org/2000/svg", "path"));
    path.setAttribute("d", SHARE_ICON);
    link.append(svg);
    const options = root.querySelector(".md-search__options");
    options.insertBefore(link, options.firstChild);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      link.href = shareUrl();
      navigator.clipboard.writeText(link.href).then(() => {
        // Material's own "Copied to clipboard" notice, where the theme offers it.
        if (window.alert$) window.alert$.next("Copied to clipboard");
        else meta.textContent = "Link copied to clipboard";
      }, () => {
        meta.textContent = `Link to this search: ${link.href}`;
      });
    });
    return link;
  }

  function shareUrl() {
    const url = new URL(location.href);
    url.hash = "";
    url.search = "";
    url.searchParams.set(SHARE_PARAM, input.value.trim());
    return url.href;
  }

  // The word being typed completed from the words the results' excerpts mark (Pagefind marks
  // each word a query term matched as a prefix): the most frequent wins, the first on a tie.
  function suggestion(query, results) {
    const parts = query.split(/([\s-]+)/);
    const typed = parts[parts.length - 1].toLowerCase();
    if (!typed) return "";
    const counts = new Map();
    for (const data of results) {
      for (const node of excerptNodes(data.excerpt || "")) {
        const word = node.nodeName === "MARK" ? node.textContent.toLowerCase().match(/^[\p{L}\p{N}]+/u)?.[0] : null;
        if (word && word.length > typed.length && word.startsWith(typed)) counts.set(word, (counts.get(word) || 0) + 1);
      }
    }
    let best = "";
    for (const [word, count] of counts) if (!best || count > counts.get(best)) best = word;
    if (!best) return "";
    parts[parts.length - 1] += best.slice(typed.length);
    return parts.join("");
  }

  function load() {
    if (!engine) {
      engine = import(bundle.href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: siteRoot.pathname });
        pagefind.init();
        // Large lists are indexed in shards (generator/publish/pagefind.py); search them as one.
        const shards = await fetch(new URL("shards.json", bundle)).then((r) => (r.ok ? r.json() : []));
        await Promise.all(shards.map((shard) =>
          pagefind.mergeIndex(new URL(shard, siteRoot).href, { baseUrl: siteRoot.pathname })));
        return pagefind;
      });
      engine.catch(() => { engine = null; });
    }
    return engine;
  }

  // Filter values come from the index, fetched only when a reader reaches for the filters.
  async function fillFilters() {
    if (filtersLoaded) return;
    filtersLoaded = true;
    const available = await (await load()).filters();
    for (const select of root.querySelectorAll("select.paper-search__filter")) {
      const values = Object.keys(available[select.dataset.filter] || {});
      // Years newest first; tags in alphabetical order.
      values.sort((a, b) => (select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b)));
      for (const value of values) select.add(new Option(value, value));
    }
  }

  function chosenFilters() {
    const filters = {};
    for (const control of filterInputs) {
      const value = control.type === "checkbox" ? (control.checked ? control.value : "") : control.value;
      if (value) filters[control.dataset.filter] = value;
    }
    return filters;
  }

  // Excerpts carry <mark> around matches; everything else is shown as text, never as markup.
  function excerptNodes(html) {
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    return [...parsed.childNodes].map((node) => {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        return mark;
      }
      return document.createTextNode(node.textContent);
    });
  }

  function item(data, query) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    // The opened paper marks the words searched for (highlight()), as Material's results do.
    const url = new URL(data.url, location.href);
    for (const word of query.split(/\s+/).filter(Boolean)) url.searchParams.append(HIGHLIGHT_PARAM, word);
    link.href = url.origin === location.origin ? url.pathname + url.search : url.href;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    const title = document.createElement("h1");
    title.textContent = data.meta.title || data.url;
    // Date and tags on one line of text: as chips they took three rows of a phone's screen
    // for each result (a paper has up to eight tags), and the date looked like a tag.
    const details = document.createElement("p");
    details.className = "paper-search__facts";
    details.textContent = [data.meta.date, (data.filters.tag || []).join(", ")].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.append(...excerptNodes(data.excerpt || ""));
    article.append(title, details, excerpt);
    link.append(article);
    li.append(link);
    return li;
  }

  async function showMore(current, query) {
    const batch = shown.slice(rendered, rendered + PAGE_SIZE);
    rendered += batch.length;
    list.querySelector(".paper-search__more")?.remove();
    // Each result shows as soon as its excerpt and those above it have arrived.
    const slots = batch.map(() => {
      const slot = document.createElement("li");
      slot.className = "paper-search__pending";
      return list.appendChild(slot);
    });
    const loads = batch.map((result) => result.data());
    const first = [];
    for (const [index, load] of loads.entries()) {
      const data = await load;
      if (current !== generation) return;
      slots[index].replaceWith(item(data, query));
      first.push(data);
      // Tells scripts and tests which query the shown results answer.
      if (rendered === batch.length && index === 0) list.dataset.query = query;
    }
    if (rendered === batch.length && input.value.trim() === query) suggest.textContent = suggestion(input.value, first);
    if (rendered < shown.length) {
      const li = document.createElement("li");
      li.className = "paper-search__more";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.textContent = `Show ${Math.min(PAGE_SIZE, shown.length - rendered)} more`;
      button.addEventListener("click", () => showMore(current, query));
      li.append(button);
      list.append(li);
    }
  }

  async function run() {
    const current = ++generation;
    const query = input.value.trim();
    suggest.textContent = "";
    const filters = chosenFilters();
    if (query.length < MIN_LETTERS && !Object.keys(filters).length) {
      list.replaceChildren();
      delete list.dataset.query;
      meta.textContent = query ? "Keep typing…" : "Type to search the papers";
      return;
    }
    let pagefind;
    try {
      pagefind = await load();
    } catch (error) {
      meta.textContent = "Search is not available: the index was not built (run `make site`).";
      return;
    }
    const search = await pagefind.search(query || null, { filters });
    if (current !== generation || !search) return;
    shown = search.results;
    rendered = 0;
    list.replaceChildren();
    delete list.dataset.query;
    const count = shown.length;
    meta.textContent = count === 0 ? "No matching papers" : `${count} matching paper${count === 1 ? "" : "s"}`;
    if (count === 0) list.dataset.query = query;
    await showMore(current, query);
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    load().catch(() => {});
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
    forgetShared();
  }

  // A shared link (?q=words) opens the search with its query; closing the search takes the
  // parameter off the address, as Material does.
  function forgetShared() {
    const url = new URL(location.href);
    if (!url.searchParams.has(SHARE_PARAM)) return;
    url.searchParams.delete(SHARE_PARAM);
    history.replaceState(history.state, "", url.href);
  }

  const shared = new URL(location.href).searchParams.get(SHARE_PARAM);
  if (shared !== null) {
    input.value = shared;
    if (toggle) toggle.checked = true;
    input.focus();
    run();
    toggle?.addEventListener("change", () => { if (!toggle.checked) forgetShared(); });
  }

  input.addEventListener("focus", open);
  // Opened by the header's magnifier (the only way on a phone), the box takes the typing at
  // once, as in Material's own search; without this the first keys went to the page.
  toggle?.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  // Fetch the engine as soon as a reader shows intent, so it is ready when they have typed.
  for (const target of [root, document.querySelector("label.md-header__button[for='__search']")]) {
    target?.addEventListener("pointerenter", () => load().catch(() => {}), { once: true });
    target?.addEventListener("touchstart", () => load().catch(() => {}), { once: true, passive: true });
  }
  input.addEventListener("input", () => {
    // The suggestion completes what was typed before: hidden until the results catch up.
    suggest.textContent = "";
    share.href = shareUrl();
    clearTimeout(pause);
    pause = setTimeout(run, PAUSE_MS);
  });
  // The Right arrow at the end of the query takes the suggestion, as in Material's search.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowRight" || !suggest.textContent || input.selectionStart !== input.value.length) return;
    input.value = suggest.textContent;
    input.dispatchEvent(new Event("input"));
  });
  root.querySelector(".paper-search__filters").addEventListener("pointerenter", () => fillFilters().catch(() => {}));
  root.querySelector(".paper-search__filters").addEventListener("focusin", () => fillFilters().catch(() => {}));
  for (const control of filterInputs) control.addEventListener("change", run);
  form.addEventListener("reset", () => setTimeout(run));
  root.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest(".md-search-result__link")) close();
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLElement &&
      (event.target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName));
    if (event.key === "Escape" && toggle && toggle.checked) {
      close();
    } else if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey &&
               (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      input.focus();
    }
  });
})();
