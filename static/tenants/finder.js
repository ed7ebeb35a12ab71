// The landing page's portal finder: the committee tree (static/tenants/committee-tree.js) with
// a link to each committee's portal; the tree opens branch by branch and the search answers
// while typing, both from /api/v1/directory/. Without script the same links and form work.
(function () {
  "use strict";
  const finder = document.querySelector("[data-finder]");
  if (!finder || !window.CommitteeTree) return;
  const input = finder.querySelector("[data-finder-form] input[name=q]");
  let tree = finder.querySelector("[data-finder-tree]");
  const initial = tree.outerHTML;
  const widget = window.CommitteeTree({
    texts: finder.dataset,
    entry: function (li, entry, meta) {
      const link = document.createElement("a");
      link.className = "wb-portal";
      link.href = entry.portal;
      link.textContent = entry.title;
      link.setAttribute("data-testid", "portal-" + entry.code);
      li.append(link, " ", meta);
    },
    expandHref: function (code) { return "?parent=" + encodeURIComponent(code); },
  });
  // The tree is replaced by the search answers, so branches open from the whole card.
  widget.expandWithin(finder);
  // The tree (or the results) as the page first showed them; answers are the results.
  widget.searchFrom(input, function (text) {
    const holder = document.createElement("div");
    holder.innerHTML = initial;
    const fresh = holder.firstElementChild;
    tree.replaceWith(fresh);
    tree = fresh;
    if (text) tree.setAttribute("data-testid", "finder-results");
    return tree;
  });
})();
