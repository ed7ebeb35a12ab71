// The workbench's pages: confirmation before closing or rejecting, ready answers inserted into
// the answer box, deadlines counting down, and the transfer picker (search by name, and the
// committee tree opened branch by branch from /api/v1/directory/). Every form still works
// without this script; the server refuses a close or a rejection that is not confirmed.
(function () {
  "use strict";

  // ---- confirmation: a dialog instead of the "I am sure" box
  const dialog = document.querySelector(".wb-dialog");
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    const box = form.querySelector("input[name=confirm]");
    if (!dialog || !box || typeof dialog.showModal !== "function") return;
    box.closest(".wb-confirm").hidden = true;
    box.required = false;
    form.addEventListener("submit", function (event) {
      if (box.checked) return;
      event.preventDefault();
      dialog.querySelector("[data-dialog-text]").textContent = form.dataset.confirm;
      dialog.returnValue = "";
      dialog.onclose = function () {
        if (dialog.returnValue === "ok") {
          box.checked = true;
          form.requestSubmit ? form.requestSubmit() : form.submit();
        }
      };
      dialog.showModal();
    });
  });

  // ---- ready answers
  document.querySelectorAll("select[data-template-for]").forEach(function (select) {
    const box = document.getElementById(select.dataset.templateFor);
    select.addEventListener("change", function () {
      const option = select.selectedOptions[0];
      if (!option || !option.dataset.body) return;
      box.value = box.value.trim() ? box.value.trimEnd() + "\n\n" + option.dataset.body : option.dataset.body;
      box.focus();
      select.value = "";
    });
  });

  // ---- countdowns
  const wordsNode = document.getElementById("countdown-words");
  const words = wordsNode ? JSON.parse(wordsNode.textContent) : null;
  function fill(pattern, values) {
    return pattern.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }
  function span(ms) {
    let minutes = Math.max(0, Math.floor(ms / 60000));
    const d = Math.floor(minutes / 1440);
    minutes -= d * 1440;
    const h = Math.floor(minutes / 60);
    const m = minutes - h * 60;
    if (d) return fill(words.dh, { d: d, h: h });
    if (h) return fill(words.hm, { h: h, m: m });
    return fill(words.m, { m: m });
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (node) {
      const left = Date.parse(node.getAttribute("datetime")) - now;
      const level = left <= 0 ? "overdue" : left < 2 * 3600e3 ? "urgent" : left < 8 * 3600e3 ? "soon" : "ok";
      node.className = "countdown is-" + level;
      node.textContent = fill(left <= 0 ? words.overdue : words.left, { time: span(Math.abs(left)) });
    });
  }
  if (words && document.querySelector("[data-countdown]")) setInterval(tick, 30000);

  // ---- the transfer picker
  const picker = document.querySelector("form[data-picker]");
  if (!picker) return;
  const tree = picker.querySelector("[data-picker-tree]");
  const chosen = picker.querySelector("[data-picker-chosen]");
  const find = document.querySelector("form[data-picker-find]");
  const here = picker.dataset.here;
  const api = "/api/v1/directory/";
  const wholeTree = tree.innerHTML;

  function node(entry, withParent) {
    const li = document.createElement("li");
    li.className = "wb-node";
    li.setAttribute("role", "treeitem");
    li.setAttribute("aria-expanded", "false");
    li.dataset.code = entry.code;
    const label = document.createElement("label");
    label.className = "wb-pick";
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "to";
    radio.value = entry.code;
    radio.dataset.title = entry.title;
    radio.disabled = entry.code === here;
    const name = document.createElement("span");
    name.textContent = entry.title;
    const meta = document.createElement("small");
    meta.className = "meta";
    meta.textContent = entry.level_name + (withParent && entry.parent_name ? " · " + entry.parent_name : "");
    label.append(radio, " ", name, " ", meta);
    li.append(label);
    if (entry.has_children) {
      const open = document.createElement("a");
      open.className = "wb-expand";
      open.href = "?branch=" + encodeURIComponent(entry.code) + "#transfer";
      open.dataset.expand = entry.code;
      open.setAttribute("data-testid", "expand-" + entry.code);
      open.textContent = picker.dataset.below + " ▸";
      li.append(open);
    }
    return li;
  }

  let searches = 0; // a search answered after a newer one is dropped
  function load(url, list, withParent, search) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        if (search !== undefined && search !== searches) return;
        body.results.forEach(function (entry) { list.append(node(entry, withParent)); });
        if (!body.results.length && !list.children.length) {
          const empty = document.createElement("li");
          empty.className = "hint";
          empty.textContent = picker.dataset.empty;
          list.append(empty);
        }
        if (body.next) {
          const more = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "link";
          button.textContent = picker.dataset.more;
          button.addEventListener("click", function () { more.remove(); load(body.next, list, withParent, search); });
          more.append(button);
          list.append(more);
        }
      });
  }

  tree.addEventListener("click", function (event) {
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
    group.setAttribute("role", "group");
    li.append(group);
    li.setAttribute("aria-expanded", "true");
    load(api + "?page_size=100&parent=" + encodeURIComponent(open.dataset.expand), group, false);
  });
  // The server renders the roots with the level below already open.
  tree.querySelectorAll(":scope > li").forEach(function (li) {
    if (li.querySelector(":scope > ul")) li.setAttribute("aria-expanded", "true");
  });

  tree.addEventListener("change", function (event) {
    if (event.target.name !== "to") return;
    chosen.textContent = chosen.dataset.prefix + " " + event.target.dataset.title;
    chosen.classList.add("is-chosen");
  });

  if (find) {
    const input = find.querySelector("input[name=find]");
    let timer = null;
    function search() {
      const text = input.value.trim();
      const mine = ++searches;
      if (!text) {
        tree.innerHTML = wholeTree;
        return;
      }
      tree.innerHTML = "";
      load(api + "?page_size=30&q=" + encodeURIComponent(text), tree, true, mine);
    }
    find.addEventListener("submit", function (event) { event.preventDefault(); search(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
  }

  picker.addEventListener("submit", function (event) {
    if (!picker.querySelector("input[name=to]:checked")) {
      event.preventDefault();
      chosen.textContent = chosen.dataset.none;
      chosen.classList.add("is-missing");
    }
  });
})();
