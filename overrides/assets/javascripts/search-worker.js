// Material's search worker (lunr), with two changes: a section of a page is also found by
// its page's title (below), and a hyphenated word in a query ("text-to-image",
// "vision-language-action") must match all of its parts. Material's
// tokenizer splits it at the hyphens into words any page may hold ("text", "to", "image"),
// joined by OR, so papers holding one common part outranked the paper holding the term
// (see BENCHMARKS.md, "Search relevance"). Loaded by overrides/main.html in Material's place.
(() => {
  "use strict";
  // Parts left out: lunr drops these words from the index (its stop words), so requiring
  // them would find nothing; as a prefix ("to*") they would match "token", "tool", ...
  const STOP = new Set(["a", "an", "and", "as", "at", "by", "for", "in", "is", "of", "on", "or",
                        "the", "to", "vs", "with"]);
  const HYPHENATED = /^[^\s"+\-~^*:]+(?:-[^\s-]*)+$/;
  const SETUP = 0, QUERY = 2, RESULT = 3; // Material's SearchMessageType
  // Material indexes each section of a page (the abstract, under its ## heading) as a
  // document of its own, so a query mixing a title word and an abstract term ("lalm
  // pre-training") matched no single document and the paper ranked below papers holding the
  // term alone. Each section also carries its page's title, in a field of its own that is
  // never shown, weighing as much as text: the section then holds all the words.
  const PAGE_FIELD = "page";

  function withPageTitles(index) {
    const titles = new Map(index.docs.filter((doc) => !doc.location.includes("#"))
      .map((doc) => [doc.location, doc.title]));
    const docs = index.docs.map((doc) => {
      const [page, section] = doc.location.split("#");
      return section === undefined || !titles.has(page) ? doc : { ...doc, [PAGE_FIELD]: titles.get(page) };
    });
    const fields = { ...index.config.fields, [PAGE_FIELD]: { boost: 1 } };
    return { ...index, config: { ...index.config, fields }, docs };
  }

  // Every word of the query required, as Pagefind asks: Material joins words by OR and
  // boosts titles 1,000 times over text, so a paper holding one word in its title outranked
  // the one holding every word in its abstract (BENCHMARKS.md, "Search relevance").
  function rewrite(query) {
    const stop = (word) => STOP.has(word.toLowerCase()) ||
      (self.lunr && self.lunr.stopWordFilter && !self.lunr.stopWordFilter(word.toLowerCase()));
    const words = query.split(/(\s+)/);
    if (words.filter((word) => word.trim()).length < 2 && !words.some((word) => HYPHENATED.test(word))) return query;
    return words.map((word) => {
      if (!word.trim() || /^[+\-~^]|:/.test(word)) return word;
      if (!HYPHENATED.test(word)) return stop(word.replace(/\*+$/, "")) ? word : `+${word}`;
      const parts = word.split("-").filter((part) => part && !stop(part.replace(/\*+$/, "")));
      // Each part required, as a prefix: the last one may still be being typed.
      return parts.length ? parts.map((part) => `+${part.replace(/\*+$/, "")}*`).join(" ") : word;
    }).join("");
  }

  // Material's worker, named by the page (overrides/main.html); only ever one of this site.
  const worker = new URL(new URL(self.location.href).searchParams.get("worker") || "", self.location.href);
  if (worker.origin !== self.location.origin) throw new Error("search worker not from this site");
  // A query whose words are all required finds nothing when a part is indexed only inside
  // another word (a URL's "argmax-ai") or the words are on different pages: it is then
  // asked again as typed.
  const post = self.postMessage.bind(self);
  let retry = null;
  self.postMessage = (message, ...rest) => {
    const again = retry;
    retry = null;
    if (again && message && message.type === RESULT && !message.data.items.length) return again();
    return post(message, ...rest);
  };
  const listen = self.addEventListener.bind(self);
  self.addEventListener = (type, listener, options) => listen(type, type !== "message" ? listener : (event) => {
    const message = event.data;
    if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
      return listener({ data: { ...message, data: withPageTitles(message.data) } });
    }
    if (message && message.type === QUERY && typeof message.data === "string") {
      const query = rewrite(message.data);
      if (query !== message.data) retry = () => listener(event);
      return listener({ data: { ...message, data: query } });
    }
    return listener(event);
  }, options);
  self.importScripts(worker.href);
})();
