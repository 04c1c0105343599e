// Material's search worker (lunr), with one change to the queries it receives: a hyphenated
// word ("text-to-image", "vision-language-action") must match all of its parts. Material's
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
  const QUERY = 2, RESULT = 3; // Material's SearchMessageType

  function rewrite(query) {
    return query.split(/(\s+)/).map((word) => {
      if (!HYPHENATED.test(word)) return word;
      const parts = word.split("-").filter((part) => part && !STOP.has(part.toLowerCase()));
      // Each part required, as a prefix: the last one may still be being typed.
      return parts.length ? parts.map((part) => `+${part.replace(/\*+$/, "")}*`).join(" ") : word;
    }).join("");
  }

  // Material's worker, named by the page (overrides/main.html); only ever one of this site.
  const worker = new URL(new URL(self.location.href).searchParams.get("worker") || "", self.location.href);
  if (worker.origin !== self.location.origin) throw new Error("search worker not from this site");
  // A query whose parts are all required finds nothing when a part is indexed only inside
  // another word (a URL's "argmax-ai"): it is then asked again as typed.
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
    if (message && message.type === QUERY && typeof message.data === "string") {
      const query = rewrite(message.data);
      if (query !== message.data) retry = () => listener(event);
      return listener({ data: { ...message, data: query } });
    }
    return listener(event);
  }, options);
  self.importScripts(worker.href);
})();
