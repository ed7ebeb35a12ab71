// The landing page's portal finder: the tree opens branch by branch and the search answers
// while typing, both from /api/v1/directory/. Without script the same links and form work.
(function () {
  "use strict";
  const finder = document.querySelector("[data-finder]");
  if (!finder) return;
  const form = finder.querySelector("[data-finder-form]");
  const input = form.querySelector("input[name=q]");
  let tree = finder.querySelector("[data-finder-tree]");
  const api = "/api/v1/directory/";
  const initial = tree.outerHTML;
  let searches = 0;

  function item(entry, withParent) {
    const li = document.createElement("li");
    li.className = "wb-node";
    li.dataset.code = entry.code;
    const link = document.createElement("a");
    link.className = "wb-portal";
    link.href = entry.portal;
    link.textContent = entry.title;
    link.setAttribute("data-testid", "portal-" + entry.code);
    const meta = document.createElement("small");
    meta.className = "meta";
    meta.textContent = entry.level_name + (withParent && entry.parent_name ? " · " + entry.parent_name : "");
    li.append(link, " ", meta);
    if (entry.has_children) {
      li.setAttribute("aria-expanded", "false");
      const open = document.createElement("a");
      open.className = "wb-expand";
      open.href = "?parent=" + encodeURIComponent(entry.code);
      open.dataset.expand = entry.code;
      open.setAttribute("data-testid", "expand-" + entry.code);
      open.textContent = finder.dataset.below + " ▸";
      li.append(" ", open);
    }
    return li;
  }

  function load(url, list, withParent, search) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        if (search !== undefined && search !== searches) return;
        body.results.forEach(function (entry) { list.append(item(entry, withParent)); });
        if (!body.results.length && !list.children.length) {
          const empty = document.createElement("li");
          empty.className = "hint";
          empty.textContent = finder.dataset.empty;
          list.append(empty);
        }
        if (body.next) {
          const more = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "link";
          button.textContent = finder.dataset.more;
          button.addEventListener("click", function () { more.remove(); load(body.next, list, withParent, search); });
          more.append(button);
          list.append(more);
        }
      });
  }

  finder.addEventListener("click", function (event) {
    const open = event.target.closest("[data-expand]");
    if (!open) return;
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
    li.append(group);
    li.setAttribute("aria-expanded", "true");
    load(api + "?page_size=100&parent=" + encodeURIComponent(open.dataset.expand), group, false);
  });

  let timer = null;
  function search() {
    const text = input.value.trim();
    const mine = ++searches;
    const holder = document.createElement("div");
    holder.innerHTML = initial;
    const fresh = holder.firstElementChild;
    tree.replaceWith(fresh);
    tree = fresh;
    if (!text) return; // the tree (or the results) as the page first showed them
    tree.innerHTML = "";
    tree.setAttribute("data-testid", "finder-results");
    load(api + "?page_size=30&q=" + encodeURIComponent(text), tree, true, mine);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
})();
