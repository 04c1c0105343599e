// Header search over the Pagefind index in <site>/pagefind/, drawn with Material's classes.
// Pagefind splits its index into small chunks, so a first search downloads a few of them
// instead of one index of every paper (Material's index is 6.2 MB gzipped at 10,000 papers).
(() => {
  "use strict";
  const PAGE_SIZE = 10;
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
  const toggle = document.getElementById("__search");
  const input = root.querySelector(".md-search__input");
  const form = root.querySelector(".md-search__form");
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const filterInputs = [...root.querySelectorAll(".paper-search__filter")];

  let engine = null;
  let filtersLoaded = false;
  let pause = 0;
  let generation = 0;
  let shown = [];
  let rendered = 0;

  function load() {
    if (!engine) {
      engine = import(bundle.href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: siteRoot.pathname });
        pagefind.init();
        // Large lists are indexed in shards (generator/search.py); search them as one.
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

  function item(data) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-search-result__article--document md-typeset";
    const title = document.createElement("h1");
    title.textContent = data.meta.title || data.url;
    const details = document.createElement("nav");
    details.className = "md-tags";
    const facts = [data.meta.date, ...(data.filters.tag || [])].filter(Boolean);
    for (const fact of facts) {
      const chip = document.createElement("span");
      chip.className = "md-tag";
      chip.textContent = fact;
      details.append(chip);
    }
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
    for (const [index, load] of loads.entries()) {
      const data = await load;
      if (current !== generation) return;
      slots[index].replaceWith(item(data));
      // Tells scripts and tests which query the shown results answer.
      if (rendered === batch.length && index === 0) list.dataset.query = query;
    }
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
  }

  input.addEventListener("focus", open);
  // Fetch the engine as soon as a reader shows intent, so it is ready when they have typed.
  for (const target of [root, document.querySelector("label.md-header__button[for='__search']")]) {
    target?.addEventListener("pointerenter", () => load().catch(() => {}), { once: true });
    target?.addEventListener("touchstart", () => load().catch(() => {}), { once: true, passive: true });
  }
  input.addEventListener("input", () => {
    clearTimeout(pause);
    pause = setTimeout(run, PAUSE_MS);
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
