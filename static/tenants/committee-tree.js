// The committee tree shared by the landing page's finder and the workbench's transfer picker:
// pages of /api/v1/directory/ loaded into a list with a "more" button, a branch opened lazily
// (and folded again) from its expand link, a search that answers while typing and drops any
// answer that arrives after a newer search, and the hint when nothing matches. The page says
// only how an entry is shown (`entry`) and where its expand link leads without script
// (`expandHref`); the words come from the page's data attributes (`below`, `empty`, `more`).
(function () {
  "use strict";
  const API = "/api/v1/directory/";

  window.CommitteeTree = function (options) {
    const texts = options.texts;
    let searches = 0; // a search answered after a newer one is dropped

    // The level, and for a search answer the committee above, after the entry's name.
    function meta(entry, withParent) {
      const small = document.createElement("small");
      small.className = "meta";
      small.textContent = entry.level_name + (withParent && entry.parent_name ? " · " + entry.parent_name : "");
      return small;
    }

    function node(entry, withParent) {
      const li = document.createElement("li");
      li.className = "wb-node";
      li.dataset.code = entry.code;
      if (entry.has_children) li.setAttribute("aria-expanded", "false");
      options.entry(li, entry, meta(entry, withParent));
      if (entry.has_children) {
        const open = document.createElement("a");
        open.className = "wb-expand";
        open.href = options.expandHref(entry.code);
        open.dataset.expand = entry.code;
        open.setAttribute("data-testid", "expand-" + entry.code);
        open.textContent = texts.below + " ▸";
        li.append(" ", open);
      }
      return li;
    }

    function load(url, list, withParent, search) {
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (search !== undefined && search !== searches) return;
          body.results.forEach(function (entry) { list.append(node(entry, withParent)); });
          if (!body.results.length && !list.children.length) {
            const empty = document.createElement("li");
            empty.className = "hint";
            empty.textContent = texts.empty;
            list.append(empty);
          }
          if (body.next) {
            const more = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "link";
            button.textContent = texts.more;
            button.addEventListener("click", function () { more.remove(); load(body.next, list, withParent, search); });
            more.append(button);
            list.append(more);
          }
        });
    }

    // Expand links anywhere inside `container` open their branch the first time (loaded from
    // the API) and fold or unfold it after; the server may have rendered a branch already open.
    function expandWithin(container) {
      container.addEventListener("click", function (event) {
        const open = event.target.closest("[data-expand]");
        if (!open || !container.contains(open)) return;
        event.preventDefault();
        const li = open.closest("li");
        let group = li.querySelector(":scope > ul");
        if (group) {
          const shown = li.getAttribute("aria-expanded") === "true";
          group.hidden = shown;
          li.setAttribute("aria-expanded", shown ? "false" : "true");
          return;
        }
        group = document.createElement("ul");
        group.className = "wb-tree";
        if (options.groupRole) group.setAttribute("role", options.groupRole);
        li.append(group);
        li.setAttribute("aria-expanded", "true");
        load(API + "?page_size=100&parent=" + encodeURIComponent(open.dataset.expand), group, false);
      });
    }

    // Search by name while typing into `input` (and on submitting `form`, when given):
    // `reset(text)` puts back the tree as the page first showed it and returns the list the
    // answers go into; an empty search leaves that first tree.
    function searchFrom(input, reset, form) {
      let timer = null;
      function run() {
        const text = input.value.trim();
        const mine = ++searches;
        const list = reset(text);
        if (!text) return;
        list.innerHTML = "";
        load(API + "?page_size=30&q=" + encodeURIComponent(text), list, true, mine);
      }
      if (form) form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 250);
      });
    }

    return { expandWithin: expandWithin, searchFrom: searchFrom };
  };
})();
