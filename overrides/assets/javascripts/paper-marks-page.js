/* "My marks" (generator/templates/marks.md.j2): the reader's marks as curation.yml entries
 * to copy or download, an import of such a file, and the marks of papers no longer on the
 * site. Loaded by paper-marks.js on that page only, so no other page pays for it. The
 * snippet is YAML that the generator's own loader reads (generator/curation.py): a slug as
 * the key, `status`, `rating` and `hidden` under it; a paper's title goes into a comment,
 * with every character that could end the comment line replaced. Import reads the same
 * form back (other curation fields are skipped), never as markup. */
(function () {
  "use strict";

  var FIELDS = ["status", "rating", "hidden"];
  // Keys YAML 1.1 (PyYAML) reads as booleans or null: such a slug is written quoted.
  var RESERVED = /^(y|n|yes|no|true|false|on|off|null)$/;
  var PLAIN_SLUG = /^[a-z][a-z0-9-]*$/;
  // What may stand in a YAML comment: printable characters, no line break of any kind.
  var NOT_IN_COMMENT = /[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
  var downloadUrl = null;
  var titles = null;
  var loading = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function key(slug) {
    return PLAIN_SLUG.test(slug) && !RESERVED.test(slug) ? slug : JSON.stringify(slug);
  }

  function entry(lines, slug, mark) {
    var title = titles && titles[slug];
    lines.push(key(slug) + ":" + (title ? "  # " + title.replace(NOT_IN_COMMENT, " ") : ""));
    if (mark.status) lines.push("  status: " + mark.status);
    if (mark.rating) lines.push("  rating: " + mark.rating);
    if (mark.hidden) lines.push("  hidden: true");
  }

  /* Every mark as curation.yml entries, by slug; papers gone from the site last. */
  function snippet(marks) {
    var slugs = Object.keys(marks).sort();
    var here = slugs.filter(function (slug) { return !titles || titles[slug]; });
    var gone = slugs.filter(function (slug) { return titles && !titles[slug]; });
    var lines = [
      "# Reader's marks exported from " + window.paperMarks.root,
      "# curation.yml entries (status: to-read, reading or read; rating: 1 to 5; hidden: true",
      "# keeps a paper off the site). Paste them into curation.yml; a slug it has already",
      "# must be merged into that entry by hand."
    ];
    here.forEach(function (slug) { entry(lines, slug, marks[slug]); });
    if (gone.length) {
      lines.push("# No longer on this site: the build keeps these with a warning while the slug is");
      lines.push("# known; delete any it reports as unknown.");
      gone.forEach(function (slug) { entry(lines, slug, marks[slug]); });
    }
    return lines.join("\n") + "\n";
  }

  function scalar(text) {
    text = text.replace(/\s+#.*$/, "").trim();
    if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return JSON.parse(text);
    if (/^'(?:[^']|'')*'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
    return text;
  }

  function value(name, text) {
    text = scalar(text);
    if (name === "status") return ["to-read", "reading", "read"].indexOf(text) >= 0 ? text : undefined;
    if (name === "rating") return /^[1-5]$/.test(text) ? Number(text) : undefined;
    if (/^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
    return undefined;
  }

  /* Marks from a curation.yml-like text: {slug: {status, rating, hidden}} and the problems. */
  function parse(text) {
    var entries = {};
    var problems = [];
    var slug = null;
    var fieldIndent = null;
    text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/).forEach(function (line, index) {
      var number = index + 1;
      if (/^\s*(#.*)?$/.test(line)) return;
      var top = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:#'"][^:#]*?)\s*:(?:\s+(.*))?$/.exec(line);
      if (top) {
        slug = String(scalar(top[1]));
        fieldIndent = null;
        entries[slug] = entries[slug] || {};
        var rest = top[2] ? top[2].replace(/(^|\s+)#.*$/, "").trim() : "";
        var flow = /^\{(.*)\}$/.exec(rest);
        if (flow) {
          flow[1].split(",").forEach(function (pair) {
            var parts = /^\s*(\w+)\s*:\s*(.+?)\s*$/.exec(pair);
            if (parts && FIELDS.indexOf(parts[1]) >= 0) {
              var found = value(parts[1], parts[2]);
              if (found === undefined) problems.push("line " + number + ": " + parts[1] + " not understood");
              else entries[slug][parts[1]] = found;
            }
          });
        } else if (rest) {
          problems.push("line " + number + ": expected fields under '" + slug + "'");
        }
        return;
      }
      var field = /^(\s+)([A-Za-z_]+)\s*:(?:\s+(.*))?$/.exec(line);
      if (slug !== null && field && (fieldIndent === null || field[1] === fieldIndent)) {
        fieldIndent = field[1];
        if (FIELDS.indexOf(field[2]) < 0 || field[3] === undefined) return;  // a note, tags...
        var read = value(field[2], field[3]);
        if (read === undefined) problems.push("line " + number + ": " + field[2] + " of '" + slug + "' not understood");
        else entries[slug][field[2]] = read;
        return;
      }
      // Deeper lines belong to a field this import skips (a note's text, a list of tags).
      if (slug !== null && fieldIndent !== null && line.indexOf(fieldIndent) === 0 &&
          /^\s/.test(line.slice(fieldIndent.length))) return;
      problems.push("line " + number + ": not a curation.yml entry");
    });
    return { entries: entries, problems: problems };
  }

  function loadTitles(element) {
    if (!loading) {
      var url = new URL("lists/all.json", window.paperMarks.root).href;
      loading = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        var column = data.fields.indexOf("title");
        var found = {};
        data.papers.forEach(function (row) { found[row[0]] = row[column]; });
        titles = found;
      });
      loading.catch(function () { loading = null; });
    }
    return loading.catch(function (error) {
      element.textContent = "Could not load the site's list of papers (" + error.message + ").";
      element.hidden = false;
    });
  }

  function describe(mark) {
    var parts = [];
    if (mark.status) parts.push(window.paperMarks.statuses[mark.status]);
    if (mark.rating) parts.push(mark.rating + " of 5 stars");
    if (mark.hidden) parts.push("hidden");
    return parts.join(", ");
  }

  function showGone(marks) {
    var section = document.querySelector(".paper-marks-gone");
    if (!section || !titles) return;
    var list = section.querySelector(".paper-marks-gone__list");
    var gone = Object.keys(marks).sort().filter(function (slug) { return !titles[slug]; });
    list.replaceChildren.apply(list, gone.map(function (slug) {
      var item = el("li", "paper-marks-gone__item");
      item.appendChild(el("code", "", slug));
      item.appendChild(document.createTextNode(": " + describe(marks[slug]) + " "));
      var forget = el("button", "paper-mine__choice", "Forget");
      forget.type = "button";
      forget.setAttribute("aria-label", "Forget your marks for " + slug);
      forget.addEventListener("click", function () {
        window.paperMarks.set(slug, { status: null, rating: null, hidden: null }, "forget");
      });
      item.appendChild(forget);
      return item;
    }));
    section.hidden = !gone.length;
  }

  function showExport(marks) {
    var box = document.querySelector(".paper-marks-export");
    if (!box) return;
    var text = Object.keys(marks).length ? snippet(marks) : "";
    box.querySelector("textarea").value = text;
    // Before a first mark: a line saying what will appear, not an empty box and its buttons.
    Array.prototype.forEach.call(box.querySelectorAll(".paper-marks-export__full"), function (part) {
      part.hidden = !text;
    });
    var empty = box.querySelector(".paper-marks-export__empty");
    if (empty) empty.hidden = !!text;
    var download = box.querySelector(".paper-marks-export__download");
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([text], { type: "text/yaml" }));
    download.setAttribute("href", downloadUrl);
    box.hidden = false;
  }

  function update() {
    var marks = window.paperMarks.all();
    showExport(marks);
    showGone(marks);
    var message = document.querySelector(".paper-marks-message");
    if (message) {
      message.textContent = window.paperMarks.problem();
      message.hidden = !message.textContent;
    }
  }

  function init() {
    var exportBox = document.querySelector(".paper-marks-export");
    if (!exportBox || exportBox.getAttribute("data-ready")) return;
    exportBox.setAttribute("data-ready", "1");
    var noscript = document.querySelector(".paper-marks-noscript");
    if (noscript) noscript.hidden = true;
    var message = document.querySelector(".paper-marks-message");
    var copy = exportBox.querySelector(".paper-marks-export__copy");
    var importBox = document.querySelector(".paper-marks-import");
    var file = importBox.querySelector("input[type=file]");
    var said = importBox.querySelector(".paper-marks-import__status");
    copy.addEventListener("click", function () {
      var area = exportBox.querySelector("textarea");
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, function () {
          area.select();
          if (document.execCommand("copy")) done();
        });
      } else {
        area.select();
        if (document.execCommand("copy")) done();
      }
    });
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      file.files[0].text().then(function (text) {
        var read = parse(text);
        var count = window.paperMarks.merge(read.entries);
        // The site's list of papers may still be on its way (a fresh page, a slow line):
        // the papers no longer on the site are counted once it is here.
        return loadTitles(message).then(function () {
          var gone = titles ? Object.keys(read.entries).filter(function (slug) { return !titles[slug]; }).length : 0;
          said.textContent = "Imported marks for " + count + " paper" + (count === 1 ? "" : "s") +
            (gone ? " (" + gone + " no longer on this site)" : "") + "." +
            (read.problems.length ? " Skipped: " + read.problems.slice(0, 5).join("; ") +
              (read.problems.length > 5 ? "; …" : "") + "." : "");
        });
      }, function (error) {
        said.textContent = "Could not read that file (" + error.message + ").";
      });
    });
    importBox.hidden = false;
    var onChange = function () {
      if (!exportBox.isConnected) {
        document.removeEventListener("paper-marks:change", onChange);
        return;
      }
      update();
    };
    document.addEventListener("paper-marks:change", onChange);
    update();
    loadTitles(message).then(update);
  }

  window.paperMarksPage = init;
  window.paperMarksPage.parse = parse;
  window.paperMarksPage.snippet = snippet;
})();
