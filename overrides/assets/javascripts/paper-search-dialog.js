// Builds the Pagefind header search dialog (partials/paper-search.html leaves an empty shell)
// before paper-search.js looks for it. The markup is Material's (partials/search.html), kept
// here once instead of in every page: ~2.5 KB of each of 10,000 paper pages (issue 14).
// Without JavaScript there is no Pagefind search either, so nothing is lost with the markup.
(() => {
  "use strict";
  const root = document.querySelector(".paper-search");
  if (!root || root.firstElementChild) return;
  const svg = (path) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${path}"/></svg>`;
  // Material's icons: material/magnify, material/arrow-left and material/close.
  const MAGNIFY = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5";
  const BACK = "M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z";
  const CLOSE = "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z";
  root.innerHTML =
    '<label class="md-search__overlay" for="__search"></label>' +
    '<div class="md-search__inner" role="search">' +
    '<form class="md-search__form" name="paper-search" onsubmit="return false">' +
    '<input type="text" class="md-search__input" name="query" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" required>' +
    `<label class="md-search__icon md-icon" for="__search">${svg(MAGNIFY)}${svg(BACK)}</label>` +
    '<nav class="md-search__options">' +
    `<button type="reset" class="md-search__icon md-icon">${svg(CLOSE)}</button>` +
    "</nav></form>" +
    '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>' +
    '<div class="paper-search__filters" aria-label="Filters">' +
    '<select class="paper-search__filter" data-filter="tag" aria-label="Tag"><option value="">All tags</option></select>' +
    '<select class="paper-search__filter" data-filter="year" aria-label="Year"><option value="">All years</option></select>' +
    '<label class="paper-search__code"><input type="checkbox" class="paper-search__filter" data-filter="code" value="code"> with code</label>' +
    "</div>" +
    '<div class="md-search-result"><div class="md-search-result__meta">Type to search the papers</div>' +
    '<ol class="md-search-result__list" role="presentation"></ol></div>' +
    "</div></div></div>";
  // The words are the theme's translations, carried by the shell (set as attributes, not markup).
  const { placeholder, reset } = root.dataset;
  const input = root.querySelector(".md-search__input");
  input.setAttribute("aria-label", placeholder);
  input.setAttribute("placeholder", placeholder);
  root.querySelector(".md-search__options").setAttribute("aria-label", root.getAttribute("aria-label"));
  const clear = root.querySelector("button[type=reset]");
  clear.setAttribute("title", reset);
  clear.setAttribute("aria-label", reset);
})();
